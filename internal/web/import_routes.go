package web

// The CSV and XLSX pages: exports of every list and imports of use cases,
// AI systems, vendors and risks.
func init() {
	areaRoutes = append(areaRoutes, (*Web).exportRoutes, (*Web).importRoutes)
}

func (w *Web) importRoutes() []Route {
	return []Route{
		{"GET /imports/new", Member, w.importNew},
		{"POST /imports", Member, w.importUpload},
		{"GET /imports/{id}", Member, w.importShow},
		{"POST /imports/{id}", Member, w.importRun},
		{"GET /imports/inventory", Member, w.importInventory},
		{"POST /imports/fedinventory", Member, w.importFedInventory},
		{"POST /imports/cyclonedx", Member, w.importCycloneDX},
		{"GET /export/fedinventory.csv", Member, w.exportFedInventory},
	}
}
