package web

// strategyRoutes lists the pages of the strategy, the roadmap, the
// portfolio roll-up and settings, and approvals.
func (w *Web) strategyRoutes() []Route {
	return []Route{}
}
