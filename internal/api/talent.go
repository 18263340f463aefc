package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/talent"
	"github.com/danielgtaylor/huma/v2"
)

// Talent: the AI team's skills matrix (people, skill ratings, heat map,
// gaps) and the hiring of the permanent CAIO (scorecard, candidates, panel
// ratings, comparison, decision). Reads need read; people, candidates and
// the scorecard need edit; skill ratings and one's own panel ratings need
// contribute; the decision needs approve.

const talentTag = "Talent"

func init() { registrars = append(registrars, (*API).registerTalent) }

// PersonBody is what a client may set on a person of the AI team.
type PersonBody struct {
	Name    string `json:"name" minLength:"1" maxLength:"200"`
	Role    string `json:"role" maxLength:"64" doc:"A role of the skill framework, such as ml-engineer; see GET /talent/framework."`
	UserID  string `json:"user_id,omitempty" maxLength:"64" doc:"A member of the organisation this person is (usr_...)."`
	Notes   string `json:"notes,omitempty" maxLength:"4000"`
	Version int    `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409."`
}

func (b PersonBody) input() caio.PersonInput {
	return caio.PersonInput{Name: b.Name, Role: b.Role, UserID: b.UserID, Notes: b.Notes}
}

// SkillRatingsBody sets a person's levels.
type SkillRatingsBody struct {
	Ratings map[string]int `json:"ratings" doc:"Skill id → level 1 to 5; 0 clears a rating. Skills left out keep their level."`
}

// CandidateBody is what a client may set on a CAIO candidate.
type CandidateBody struct {
	Name    string `json:"name" minLength:"1" maxLength:"200"`
	Source  string `json:"source,omitempty" maxLength:"200" doc:"Where the candidate came from, such as Executive search or Referral."`
	Status  string `json:"status,omitempty" enum:"applied,interviewing,offered,hired,declined,withdrawn" doc:"applied when left out. hired only follows from POST /talent/hiring/decision."`
	Notes   string `json:"notes,omitempty" maxLength:"4000"`
	Version int    `json:"version,omitempty" minimum:"0"`
}

func (b CandidateBody) input() caio.CandidateInput {
	return caio.CandidateInput{Name: b.Name, Source: b.Source, Status: b.Status, Notes: b.Notes}
}

// PanelBody is the signed-in interviewer's ratings of a candidate.
type PanelBody struct {
	Ratings map[string]int `json:"ratings" doc:"Criterion key of the scorecard → rating 1 to 5. Criteria left out are not rated by you."`
	Notes   string         `json:"notes,omitempty" maxLength:"4000"`
}

// CriterionBody is one criterion of the scorecard.
type CriterionBody struct {
	Key         string `json:"key,omitempty" maxLength:"64" doc:"Stable key that panel ratings use; derived from the name when left out. Keep it when renaming, or ratings under the old key stop counting."`
	Name        string `json:"name" maxLength:"200"`
	Description string `json:"description,omitempty" maxLength:"2000" doc:"What a high rating looks like."`
	Weight      int    `json:"weight" doc:"Percent, 1 to 100; all weights add up to 100."`
	Reason      string `json:"reason,omitempty" maxLength:"2000" doc:"Why this weight."`
}

// ScorecardBody replaces the scorecard's criteria.
type ScorecardBody struct {
	Criteria []CriterionBody `json:"criteria" maxItems:"30" doc:"The criteria in order; weights must add up to 100."`
	Version  int             `json:"version,omitempty" minimum:"0" doc:"The version you edited; a different stored version gives 409."`
}

// HiringDecisionBody records the hiring decision.
type HiringDecisionBody struct {
	CandidateID string `json:"candidate_id" maxLength:"64" doc:"The chosen candidate (cnd_...)."`
	Reason      string `json:"reason" maxLength:"4000" doc:"Why this candidate."`
}

// TalentFramework is the skill framework as the API shows it (named apart
// from other areas' schemas).
type TalentFramework struct {
	Version string             `json:"version"`
	Source  string             `json:"source"`
	Scale   []TalentLevel      `json:"scale"`
	Groups  []TalentSkillGroup `json:"groups"`
	Skills  []TalentSkill      `json:"skills"`
	Roles   []TalentRole       `json:"roles"`
}

// TalentLevel names one level of the 1–5 scale.
type TalentLevel struct {
	Level       int    `json:"level"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// TalentSkillGroup is a kind of skill.
type TalentSkillGroup struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Description string `json:"description"`
}

// TalentSkill is one skill with what some of its levels look like.
type TalentSkill struct {
	ID          string            `json:"id"`
	Group       string            `json:"group"`
	Name        string            `json:"name"`
	Description string            `json:"description"`
	Levels      map[string]string `json:"levels" doc:"Level (1 to 5) → what it looks like; at least 1, 3 and 5."`
}

// TalentRole is a role profile with its target level per skill.
type TalentRole struct {
	ID          string               `json:"id"`
	Name        string               `json:"name"`
	Description string               `json:"description"`
	Why         string               `json:"why,omitempty" doc:"Why caio adds this role to the usual AI team."`
	Source      string               `json:"source"`
	Targets     []TalentTarget       `json:"targets"`
	Hiring      []TalentHiringWeight `json:"hiring,omitempty" doc:"The default hiring scorecard's weights for this role."`
}

// TalentTarget is a role's target level in a skill.
type TalentTarget struct {
	Skill string `json:"skill"`
	Level int    `json:"level"`
}

// TalentHiringWeight is a default weight of the hiring scorecard.
type TalentHiringWeight struct {
	Skill  string `json:"skill"`
	Weight int    `json:"weight"`
	Reason string `json:"reason"`
}

func talentFramework(f *talent.Framework) *TalentFramework {
	out := &TalentFramework{Version: f.Version, Source: f.Source}
	for _, l := range f.Scale {
		out.Scale = append(out.Scale, TalentLevel(l))
	}
	for _, g := range f.Groups {
		out.Groups = append(out.Groups, TalentSkillGroup(g))
	}
	for _, s := range f.Skills {
		levels := map[string]string{}
		for l, d := range s.Levels {
			levels[strconv.Itoa(l)] = d
		}
		out.Skills = append(out.Skills, TalentSkill{ID: s.ID, Group: s.Group, Name: s.Name, Description: s.Description, Levels: levels})
	}
	for _, r := range f.Roles {
		tr := TalentRole{ID: r.ID, Name: r.Name, Description: r.Description, Why: r.Why, Source: r.Source}
		for _, t := range r.Targets {
			tr.Targets = append(tr.Targets, TalentTarget(t))
		}
		for _, h := range r.Hiring {
			tr.Hiring = append(tr.Hiring, TalentHiringWeight(h))
		}
		out.Roles = append(out.Roles, tr)
	}
	return out
}

// TalentID names a person or candidate in the path.
type TalentID struct {
	ID string `path:"id" doc:"Person id (per_...) or candidate id (cnd_...)."`
}

func (api *API) registerTalent() {
	huma.Register(api, op(http.MethodGet, "/talent/framework", "talent-framework", "Get the skill framework: scale, groups, skills and role profiles", talentTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body *TalentFramework }, error) {
			f, err := api.app.TalentFramework(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *TalentFramework }{talentFramework(f)}, nil
		})

	huma.Register(api, op(http.MethodGet, "/talent/people", "list-talent-people", "List the people of the AI team", talentTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Q    string `query:"q" maxLength:"200" doc:"Search name and notes."`
			Role string `query:"role" maxLength:"64" doc:"Only people of this role."`
			Sort string `query:"sort" enum:"name,-name,role,created,-created" default:"name"`
		}) (*listOut[*caio.Person], error) {
			items, total, err := api.app.FindPeople(ctx, caio.PersonFilter{Query: trimmed(&in.Q), Role: trimmed(&in.Role), Sort: in.Sort, Page: in.page()})
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/talent/people", "create-talent-person", "Add a person to the AI team", talentTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body PersonBody }) (*struct{ Body *caio.Person }, error) {
		p, err := api.app.CreatePerson(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Person }{p}, nil
	})

	huma.Register(api, op(http.MethodGet, "/talent/people/{id}", "get-talent-person", "Get a person with their skill ratings and gaps against their role", talentTag),
		func(ctx context.Context, in *TalentID) (*struct{ Body *caio.Person }, error) {
			p, err := api.app.FindPerson(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Person }{p}, nil
		})

	huma.Register(api, op(http.MethodPut, "/talent/people/{id}", "update-talent-person", "Replace a person's fields", talentTag),
		func(ctx context.Context, in *struct {
			TalentID
			Body PersonBody
		}) (*struct{ Body *caio.Person }, error) {
			p, err := api.app.UpdatePerson(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Person }{p}, nil
		})

	del := op(http.MethodDelete, "/talent/people/{id}", "delete-talent-person", "Remove a person and their ratings", talentTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *TalentID) (*struct{}, error) {
		if err := api.app.DeletePerson(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, op(http.MethodPut, "/talent/people/{id}/ratings", "rate-talent-person", "Set a person's skill levels (you are recorded as the rater)", talentTag),
		func(ctx context.Context, in *struct {
			TalentID
			Body SkillRatingsBody
		}) (*struct{ Body *caio.Person }, error) {
			p, err := api.app.RateSkills(ctx, in.ID, in.Body.Ratings)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Person }{p}, nil
		})

	huma.Register(api, op(http.MethodGet, "/talent/heatmap", "talent-heatmap", "The team's levels per skill against their roles' targets", talentTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body *caio.TalentHeatMap }, error) {
			h, err := api.app.TalentHeatMap(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.TalentHeatMap }{h}, nil
		})

	huma.Register(api, op(http.MethodGet, "/talent/gaps", "talent-gaps", "The skills where the team is weakest against its targets, weakest first", talentTag),
		func(ctx context.Context, in *struct{}) (*struct {
			Body struct {
				Items []caio.TeamSkillGap `json:"items"`
			}
		}, error) {
			gs, err := api.app.TalentGaps(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			out := &struct {
				Body struct {
					Items []caio.TeamSkillGap `json:"items"`
				}
			}{}
			out.Body.Items = gs
			return out, nil
		})

	huma.Register(api, op(http.MethodGet, "/talent/scorecard", "get-talent-scorecard", "Get the scorecard for hiring the permanent CAIO", talentTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body *caio.Scorecard }, error) {
			s, err := api.app.Scorecard(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Scorecard }{s}, nil
		})

	setSC := op(http.MethodPut, "/talent/scorecard", "set-talent-scorecard", "Replace the scorecard's criteria and weights (weights add up to 100)", talentTag)
	setSC.Errors = append(setSC.Errors, http.StatusConflict)
	huma.Register(api, setSC, func(ctx context.Context, in *struct{ Body ScorecardBody }) (*struct{ Body *caio.Scorecard }, error) {
		cs := make([]caio.Criterion, len(in.Body.Criteria))
		for i, c := range in.Body.Criteria {
			cs[i] = caio.Criterion{Key: c.Key, Name: c.Name, Description: c.Description, Weight: c.Weight, Reason: c.Reason}
		}
		s, err := api.app.SetScorecard(ctx, caio.Scorecard{Criteria: cs, Version: in.Body.Version})
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Scorecard }{s}, nil
	})

	huma.Register(api, op(http.MethodGet, "/talent/candidates", "list-talent-candidates", "List the candidates for the permanent CAIO", talentTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Q      string `query:"q" maxLength:"200" doc:"Search name, source and notes."`
			Status string `query:"status" enum:"applied,interviewing,offered,hired,declined,withdrawn"`
			Sort   string `query:"sort" enum:"name,-name,created,-created,status" default:"name"`
		}) (*listOut[*caio.Candidate], error) {
			items, total, err := api.app.FindCandidates(ctx, caio.CandidateFilter{Query: trimmed(&in.Q), Status: trimmed(&in.Status), Sort: in.Sort, Page: in.page()})
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	createK := op(http.MethodPost, "/talent/candidates", "create-talent-candidate", "Add a candidate for the permanent CAIO", talentTag)
	createK.DefaultStatus = http.StatusCreated
	huma.Register(api, createK, func(ctx context.Context, in *struct{ Body CandidateBody }) (*struct{ Body *caio.Candidate }, error) {
		k, err := api.app.CreateCandidate(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Candidate }{k}, nil
	})

	huma.Register(api, op(http.MethodGet, "/talent/candidates/{id}", "get-talent-candidate", "Get a candidate with the panel's ratings and the weighted score", talentTag),
		func(ctx context.Context, in *TalentID) (*struct{ Body *caio.Candidate }, error) {
			k, err := api.app.FindCandidate(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Candidate }{k}, nil
		})

	huma.Register(api, op(http.MethodPut, "/talent/candidates/{id}", "update-talent-candidate", "Replace a candidate's fields", talentTag),
		func(ctx context.Context, in *struct {
			TalentID
			Body CandidateBody
		}) (*struct{ Body *caio.Candidate }, error) {
			k, err := api.app.UpdateCandidate(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Candidate }{k}, nil
		})

	delK := op(http.MethodDelete, "/talent/candidates/{id}", "delete-talent-candidate", "Remove a candidate and the panel's ratings of them", talentTag)
	delK.DefaultStatus = http.StatusNoContent
	delK.Errors = append(delK.Errors, http.StatusConflict)
	huma.Register(api, delK, func(ctx context.Context, in *TalentID) (*struct{}, error) {
		if err := api.app.DeleteCandidate(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, op(http.MethodPut, "/talent/candidates/{id}/panel", "rate-talent-candidate", "Save your own ratings of a candidate, replacing your earlier set", talentTag),
		func(ctx context.Context, in *struct {
			TalentID
			Body PanelBody
		}) (*struct{ Body *caio.PanelRating }, error) {
			p, err := api.app.RateCandidate(ctx, in.ID, caio.PanelInput{Ratings: in.Body.Ratings, Notes: in.Body.Notes})
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.PanelRating }{p}, nil
		})

	huma.Register(api, op(http.MethodGet, "/talent/hiring", "talent-hiring", "Compare the candidates on the scorecard, best first, with the decision", talentTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body *caio.HiringComparison }, error) {
			c, err := api.app.HiringComparison(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.HiringComparison }{c}, nil
		})

	decide := op(http.MethodPost, "/talent/hiring/decision", "decide-talent-hiring", "Record the hiring decision: the chosen candidate becomes hired", talentTag)
	decide.DefaultStatus = http.StatusCreated
	decide.Errors = append(decide.Errors, http.StatusConflict)
	huma.Register(api, decide, func(ctx context.Context, in *struct{ Body HiringDecisionBody }) (*struct{ Body *caio.HiringDecision }, error) {
		d, err := api.app.DecideHiring(ctx, caio.DecisionInput{CandidateID: in.Body.CandidateID, Reason: in.Body.Reason})
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.HiringDecision }{d}, nil
	})
}
