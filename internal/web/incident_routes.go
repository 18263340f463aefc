package web

func init() { areaRoutes = append(areaRoutes, (*Web).incidentRoutes) }

// incidentRoutes lists the pages of the incident register.
func (w *Web) incidentRoutes() []Route {
	return []Route{
		{"GET /incidents", Member, w.incidentList},
		{"GET /incidents/new", Member, w.incidentNew},
		{"POST /incidents", Member, w.incidentCreate},
		{"GET /incidents/{id}", Member, w.incidentShow},
		{"GET /incidents/{id}/edit", Member, w.incidentEdit},
		{"POST /incidents/{id}", Member, w.incidentUpdate},
		{"POST /incidents/{id}/delete", Member, w.incidentDelete},
		{"POST /incidents/{id}/actions", Member, w.incidentActionAdd},
		{"POST /incidents/{id}/actions/{action_id}", Member, w.incidentActionUpdate},
		{"POST /incidents/{id}/actions/{action_id}/delete", Member, w.incidentActionDelete},
	}
}
