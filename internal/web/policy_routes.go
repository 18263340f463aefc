package web

func init() { areaRoutes = append(areaRoutes, (*Web).policyRoutes) }

// policyRoutes lists the pages of the policy library.
func (w *Web) policyRoutes() []Route {
	return []Route{
		{"GET /policies", Member, w.policyList},
		{"GET /policies/new", Member, w.policyNew},
		{"POST /policies", Member, w.policyCreate},
		{"GET /policies/starters", Member, w.policyStarters},
		{"POST /policies/starters", Member, w.policyAdopt},
		{"GET /policies/acknowledgements", Member, w.policyMyAcks},
		{"GET /policies/{id}", Member, w.policyShow},
		{"GET /policies/{id}/edit", Member, w.policyEdit},
		{"POST /policies/{id}", Member, w.policyUpdate},
		{"POST /policies/{id}/submit", Member, w.policySubmit},
		{"POST /policies/{id}/acknowledge", Member, w.policyAcknowledge},
		{"POST /policies/{id}/retire", Member, w.policyRetire},
		{"POST /policies/{id}/delete", Member, w.policyDelete},
		{"GET /policies/{id}/versions/{number}", Member, w.policyVersion},
		{"GET /policies/{id}/diff", Member, w.policyDiff},
	}
}
