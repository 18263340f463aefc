package web

// riskRoutes lists the pages of the risk register.
func (w *Web) riskRoutes() []Route {
	return []Route{
		{"GET /risks", Member, w.riskList},
		{"POST /risks/appetite", Member, w.riskAppetiteSave},
		{"GET /risks/new", Member, w.riskNew},
		{"POST /risks", Member, w.riskCreate},
		{"GET /risks/{id}", Member, w.riskShow},
		{"GET /risks/{id}/edit", Member, w.riskEdit},
		{"POST /risks/{id}", Member, w.riskUpdate},
		{"POST /risks/{id}/delete", Member, w.riskDelete},
		{"POST /risks/{id}/treatments", Member, w.riskTreatmentAdd},
		{"POST /risks/{id}/treatments/{treatment_id}", Member, w.riskTreatmentUpdate},
		{"POST /risks/{id}/treatments/{treatment_id}/delete", Member, w.riskTreatmentDelete},
	}
}
