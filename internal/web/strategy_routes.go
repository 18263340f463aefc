package web

// strategyRoutes lists the pages of the strategy, the roadmap, the
// portfolio roll-up and settings, and approvals.
func (w *Web) strategyRoutes() []Route {
	return []Route{
		{"GET /strategy", Member, w.strategyShow},
		{"GET /strategy/edit", Member, w.strategyEdit},
		{"POST /strategy", Member, w.strategySave},

		{"GET /roadmap", Member, w.roadmapShow},
		{"POST /roadmap/capacity", Member, w.capacitySave},

		{"GET /portfolio", Member, w.portfolioShow},
		{"GET /portfolio/settings", Member, w.portfolioSettings},
		{"POST /portfolio/settings", Member, w.portfolioSettingsSave},

		{"GET /approvals", Member, w.approvalList},
		{"GET /approvals/{id}", Member, w.approvalShow},
		{"POST /approvals/{id}/decide", Member, w.approvalDecide},
		{"POST /approvals/{id}/withdraw", Member, w.approvalWithdraw},
	}
}
