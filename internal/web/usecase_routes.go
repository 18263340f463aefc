package web

// useCaseRoutes lists the pages of use cases: the prioritised list and
// matrix, intake and triage, the use case page with its score, gates,
// business case and value.
func (w *Web) useCaseRoutes() []Route {
	return []Route{
		{"GET /usecases", Member, w.useCaseList},
		{"GET /usecases/new", Member, w.useCaseNew},
		{"POST /usecases", Member, w.useCaseCreate},
		{"GET /usecases/triage", Member, w.useCaseTriage},
		{"POST /usecases/{id}/triage", Member, w.useCaseTriageDecide},
		{"GET /usecases/{id}", Member, w.useCaseShow},
		{"GET /usecases/{id}/edit", Member, w.useCaseEdit},
		{"POST /usecases/{id}", Member, w.useCaseUpdate},
		{"POST /usecases/{id}/delete", Member, w.useCaseDelete},
		{"POST /usecases/{id}/stage", Member, w.useCaseStage},
		{"POST /usecases/{id}/plan", Member, w.useCasePlan},
		{"GET /usecases/{id}/score", Member, w.useCaseScoreForm},
		{"POST /usecases/{id}/score", Member, w.useCaseScoreSave},
		{"GET /usecases/{id}/business-case", Member, w.businessCaseForm},
		{"POST /usecases/{id}/business-case", Member, w.businessCaseSave},
		{"POST /usecases/{id}/kpis", Member, w.kpiCreate},
		{"POST /kpis/{id}/actuals", Member, w.kpiActual},
		{"POST /kpis/{id}", Member, w.kpiUpdate},
		{"POST /kpis/{id}/delete", Member, w.kpiDelete},
		{"POST /kpis/{id}/actuals/{actual_id}/delete", Member, w.kpiActualDelete},
		{"POST /usecases/{id}/benefits", Member, w.benefitRecord},
	}
}
