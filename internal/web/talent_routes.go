package web

func init() { areaRoutes = append(areaRoutes, (*Web).talentRoutes) }

// talentRoutes lists the pages of the talent area: the AI team's skills
// matrix and the hiring of the permanent CAIO.
func (w *Web) talentRoutes() []Route {
	return []Route{
		{"GET /talent", Member, w.talentTeam},
		{"GET /talent/framework", Member, w.talentFramework},
		{"GET /talent/people/new", Member, w.talentPersonNew},
		{"POST /talent/people", Member, w.talentPersonCreate},
		{"GET /talent/people/{id}", Member, w.talentPersonShow},
		{"GET /talent/people/{id}/edit", Member, w.talentPersonEdit},
		{"POST /talent/people/{id}", Member, w.talentPersonUpdate},
		{"POST /talent/people/{id}/delete", Member, w.talentPersonDelete},
		{"POST /talent/people/{id}/ratings", Member, w.talentPersonRate},
		{"GET /talent/hiring", Member, w.talentHiring},
		{"GET /talent/hiring/scorecard", Member, w.talentScorecard},
		{"POST /talent/hiring/scorecard", Member, w.talentScorecardSave},
		{"POST /talent/hiring/decision", Member, w.talentDecide},
		{"GET /talent/candidates/new", Member, w.talentCandidateNew},
		{"POST /talent/candidates", Member, w.talentCandidateCreate},
		{"GET /talent/candidates/{id}", Member, w.talentCandidateShow},
		{"GET /talent/candidates/{id}/edit", Member, w.talentCandidateEdit},
		{"POST /talent/candidates/{id}", Member, w.talentCandidateUpdate},
		{"POST /talent/candidates/{id}/delete", Member, w.talentCandidateDelete},
		{"POST /talent/candidates/{id}/panel", Member, w.talentCandidateRate},
	}
}
