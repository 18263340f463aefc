package web

// useCaseRoutes lists the pages of use cases: the prioritised list and
// matrix, intake and triage, the use case page with its score, gates,
// business case and value.
func (w *Web) useCaseRoutes() []Route {
	return []Route{}
}
