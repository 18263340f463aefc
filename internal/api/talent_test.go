package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func newTalentPerson(t *testing.T, s *servertest.Server, org *servertest.Org, name string) *caio.Person {
	t.Helper()
	p, err := s.App.CreatePerson(org.Sys, caio.PersonInput{Name: name, Role: "ml-engineer"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newTalentCandidate(t *testing.T, s *servertest.Server, org *servertest.Org, name string) *caio.Candidate {
	t.Helper()
	k, err := s.App.CreateCandidate(org.Sys, caio.CandidateInput{Name: name})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// ratedCandidate adds a candidate that the owner has rated, after voiding
// any standing decision, so that a decision may choose them.
func ratedCandidate(t *testing.T, s *servertest.Server, org *servertest.Org, name string) *caio.Candidate {
	t.Helper()
	cmp, err := s.App.HiringComparison(org.Sys)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Decision; d != nil && d.Standing {
		if _, err := s.App.UpdateCandidate(org.Sys, d.CandidateID, 0, caio.CandidateInput{Name: d.CandidateName, Status: "declined"}); err != nil {
			t.Fatal(err)
		}
	}
	k := newTalentCandidate(t, s, org, name)
	owner := caio.WithActor(context.Background(), org.Members[caio.RoleOwner].Actor(org))
	if _, err := s.App.RateCandidate(owner, k.ID, caio.PanelInput{Ratings: map[string]int{"ai-leadership": 4}}); err != nil {
		t.Fatal(err)
	}
	return k
}

// The talent operations join the role matrix of roles_test.go.
func init() {
	roleCases = append(roleCases,
		// App.TalentFramework, FindPeople, FindPerson, TalentHeatMap, TalentGaps, Scorecard,
		// FindCandidates, FindCandidate, HiringComparison: PermRead.
		roleCase{name: "talent framework", op: "GET /talent/framework", perm: caio.PermRead, req: fixed("/api/v1/talent/framework", nil), ok: 200},
		roleCase{name: "list people", op: "GET /talent/people", perm: caio.PermRead, req: fixed("/api/v1/talent/people?role=ml-engineer", nil), ok: 200},
		roleCase{name: "get person", op: "GET /talent/people/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/talent/people/" + newTalentPerson(t, e.s, e.org, fmt.Sprintf("Get %d", e.seq())).ID, nil
		}},
		roleCase{name: "talent heat map", op: "GET /talent/heatmap", perm: caio.PermRead, req: fixed("/api/v1/talent/heatmap", nil), ok: 200},
		roleCase{name: "talent gaps", op: "GET /talent/gaps", perm: caio.PermRead, req: fixed("/api/v1/talent/gaps", nil), ok: 200},
		roleCase{name: "get scorecard", op: "GET /talent/scorecard", perm: caio.PermRead, req: fixed("/api/v1/talent/scorecard", nil), ok: 200},
		roleCase{name: "list candidates", op: "GET /talent/candidates", perm: caio.PermRead, req: fixed("/api/v1/talent/candidates?status=applied", nil), ok: 200},
		roleCase{name: "get candidate", op: "GET /talent/candidates/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/talent/candidates/" + newTalentCandidate(t, e.s, e.org, fmt.Sprintf("Get %d", e.seq())).ID, nil
		}},
		roleCase{name: "hiring comparison", op: "GET /talent/hiring", perm: caio.PermRead, req: fixed("/api/v1/talent/hiring", nil), ok: 200},
		// App.CreatePerson, UpdatePerson, DeletePerson: PermEdit.
		roleCase{name: "create person", op: "POST /talent/people", perm: caio.PermEdit, ok: 201, req: fixed("/api/v1/talent/people", map[string]any{"name": "Ana", "role": "data-scientist"})},
		roleCase{name: "update person", op: "PUT /talent/people/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/talent/people/" + newTalentPerson(t, e.s, e.org, fmt.Sprintf("Update %d", e.seq())).ID, map[string]any{"name": "Renamed", "role": "mlops-engineer"}
		}},
		roleCase{name: "delete person", op: "DELETE /talent/people/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/talent/people/" + newTalentPerson(t, e.s, e.org, fmt.Sprintf("Doomed %d", e.seq())).ID, nil
		}},
		// App.RateSkills: PermContribute.
		roleCase{name: "rate person", op: "PUT /talent/people/{id}/ratings", perm: caio.PermContribute, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/talent/people/" + newTalentPerson(t, e.s, e.org, fmt.Sprintf("Rated %d", e.seq())).ID + "/ratings", map[string]any{"ratings": map[string]int{"machine-learning": 3}}
		}},
		// App.SetScorecard: PermEdit.
		roleCase{name: "set scorecard", op: "PUT /talent/scorecard", perm: caio.PermEdit, ok: 200, req: fixed("/api/v1/talent/scorecard", map[string]any{"criteria": []map[string]any{
			{"key": "ai-leadership", "name": "AI expertise and leadership", "weight": 60}, {"name": "Strategy", "weight": 40}}})},
		// App.CreateCandidate, UpdateCandidate, DeleteCandidate: PermEdit.
		roleCase{name: "create candidate", op: "POST /talent/candidates", perm: caio.PermEdit, ok: 201, req: fixed("/api/v1/talent/candidates", map[string]any{"name": "Dana", "source": "Referral"})},
		roleCase{name: "update candidate", op: "PUT /talent/candidates/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/talent/candidates/" + newTalentCandidate(t, e.s, e.org, fmt.Sprintf("Update %d", e.seq())).ID, map[string]any{"name": "Dana", "status": "interviewing"}
		}},
		roleCase{name: "delete candidate", op: "DELETE /talent/candidates/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/talent/candidates/" + newTalentCandidate(t, e.s, e.org, fmt.Sprintf("Doomed %d", e.seq())).ID, nil
		}},
		// App.RateCandidate: PermContribute, as the signed-in interviewer.
		roleCase{name: "rate candidate", op: "PUT /talent/candidates/{id}/panel", perm: caio.PermContribute, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/talent/candidates/" + newTalentCandidate(t, e.s, e.org, fmt.Sprintf("Panel %d", e.seq())).ID + "/panel", map[string]any{"ratings": map[string]int{"ai-leadership": 4}}
		}},
		// App.DecideHiring: PermApprove.
		roleCase{name: "decide hiring", op: "POST /talent/hiring/decision", perm: caio.PermApprove, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/talent/hiring/decision", map[string]any{"candidate_id": ratedCandidate(t, e.s, e.org, fmt.Sprintf("Chosen %d", e.seq())).ID, "reason": "Best on the scorecard"}
		}},
	)
}

// TestTalentAPI checks what a client sees: field errors by name, the
// scorecard's sum, a panel rating per interviewer, the comparison and the
// decision.
func TestTalentAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		editor, owner := org.Token(caio.RoleEditor), org.Token(caio.RoleOwner)

		p := s.Do(t, http.MethodPost, "/api/v1/talent/people", editor, map[string]any{"name": "Ana", "role": "wizard", "user_id": other.Members[caio.RoleOwner].UserID}).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.role", "body.user_id"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("problem locations %v lack %s", p.Locations(), loc)
			}
		}
		var ana caio.Person
		s.Do(t, http.MethodPost, "/api/v1/talent/people", editor, map[string]any{"name": "Ana", "role": "mlops-engineer", "user_id": org.Members[caio.RoleContributor].UserID}).Want(t, 201).JSON(t, &ana)
		s.Do(t, http.MethodPut, "/api/v1/talent/people/"+ana.ID+"/ratings", org.Token(caio.RoleContributor), map[string]any{"ratings": map[string]int{"mlops": 2}}).Want(t, 200).JSON(t, &ana)
		if ana.Rated != 1 || ana.Below != 1 || ana.Ratings[0].RatedByLabel != org.Members[caio.RoleContributor].Email {
			t.Errorf("rated %+v", ana)
		}
		p = s.Do(t, http.MethodPut, "/api/v1/talent/people/"+ana.ID+"/ratings", editor, map[string]any{"ratings": map[string]int{"mlops": 9}}).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.ratings.mlops") {
			t.Errorf("locations %v", p.Locations())
		}
		var gaps struct {
			Items []caio.TeamSkillGap `json:"items"`
		}
		s.Do(t, http.MethodGet, "/api/v1/talent/gaps", editor, nil).Want(t, 200).JSON(t, &gaps)
		if len(gaps.Items) == 0 || gaps.Items[0].Skill != "mlops" {
			t.Errorf("gaps %+v", gaps)
		}
		var fw struct {
			Roles []struct {
				ID      string `json:"id"`
				Targets []struct {
					Skill string `json:"skill"`
				} `json:"targets"`
			} `json:"roles"`
		}
		s.Do(t, http.MethodGet, "/api/v1/talent/framework", editor, nil).Want(t, 200).JSON(t, &fw)
		if len(fw.Roles) < 8 || fw.Roles[0].ID != "caio" || len(fw.Roles[0].Targets) != 10 {
			t.Errorf("framework roles %+v", fw.Roles)
		}

		// The scorecard's sum is checked and named.
		p = s.Do(t, http.MethodPut, "/api/v1/talent/scorecard", editor, map[string]any{"criteria": []map[string]any{{"name": "Strategy", "weight": 70}, {"name": "Delivery", "weight": 20}}}).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.weights") {
			t.Errorf("sum problem at %v", p.Locations())
		}
		var sc caio.Scorecard
		s.Do(t, http.MethodPut, "/api/v1/talent/scorecard", editor, map[string]any{"criteria": []map[string]any{{"name": "Strategy", "weight": 70}, {"name": "Delivery", "weight": 30}}}).Want(t, 200).JSON(t, &sc)
		if sc.Version != 1 || sc.Criteria[0].Key != "strategy" {
			t.Errorf("scorecard %+v", sc)
		}

		var a, b caio.Candidate
		s.Do(t, http.MethodPost, "/api/v1/talent/candidates", editor, map[string]any{"name": "Avery", "source": "Search firm"}).Want(t, 201).JSON(t, &a)
		s.Do(t, http.MethodPost, "/api/v1/talent/candidates", editor, map[string]any{"name": "Blake"}).Want(t, 201).JSON(t, &b)
		s.Do(t, http.MethodPut, "/api/v1/talent/candidates/"+a.ID+"/panel", owner, map[string]any{"ratings": map[string]int{"strategy": 5, "delivery": 4}}).Want(t, 200)
		s.Do(t, http.MethodPut, "/api/v1/talent/candidates/"+a.ID+"/panel", editor, map[string]any{"ratings": map[string]int{"strategy": 3, "delivery": 4}}).Want(t, 200)
		s.Do(t, http.MethodPut, "/api/v1/talent/candidates/"+b.ID+"/panel", editor, map[string]any{"ratings": map[string]int{"strategy": 3}}).Want(t, 200)
		// Editing one's set replaces it.
		s.Do(t, http.MethodPut, "/api/v1/talent/candidates/"+a.ID+"/panel", editor, map[string]any{"ratings": map[string]int{"strategy": 4, "delivery": 4}}).Want(t, 200)
		s.Do(t, http.MethodGet, "/api/v1/talent/candidates/"+a.ID, editor, nil).Want(t, 200).JSON(t, &a)
		// Means 4.5 and 4: 70×4.5 + 30×4 = 435 → 4.35.
		if len(a.Panels) != 2 || a.Score == nil || a.Score.Score != 4.35 || !a.Score.Complete {
			t.Errorf("avery %+v score %+v", a, a.Score)
		}
		var cmp caio.HiringComparison
		s.Do(t, http.MethodGet, "/api/v1/talent/hiring", editor, nil).Want(t, 200).JSON(t, &cmp)
		if len(cmp.Candidates) != 2 || cmp.Candidates[0].Name != "Avery" || cmp.Candidates[1].Complete || cmp.Decision != nil {
			t.Errorf("comparison %+v", cmp)
		}

		s.Do(t, http.MethodPost, "/api/v1/talent/hiring/decision", editor, map[string]any{"candidate_id": a.ID, "reason": "Best"}).Want(t, 403)
		var d caio.HiringDecision
		s.Do(t, http.MethodPost, "/api/v1/talent/hiring/decision", org.Token(caio.RoleApprover), map[string]any{"candidate_id": a.ID, "reason": "Highest weighted score"}).Want(t, 201).JSON(t, &d)
		if d.CandidateName != "Avery" || d.Score != 4.35 || !d.Standing {
			t.Errorf("decision %+v", d)
		}
		s.Do(t, http.MethodPost, "/api/v1/talent/hiring/decision", owner, map[string]any{"candidate_id": b.ID, "reason": "Also"}).Want(t, 409)
		s.Do(t, http.MethodDelete, "/api/v1/talent/candidates/"+a.ID, editor, nil).Want(t, 409)

		// Another organisation sees none of it.
		s.Do(t, http.MethodGet, "/api/v1/talent/candidates/"+a.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)
		s.Do(t, http.MethodPut, "/api/v1/talent/candidates/"+a.ID+"/panel", other.Token(caio.RoleOwner), map[string]any{"ratings": map[string]int{"strategy": 1}}).Want(t, 404)
		s.Do(t, http.MethodGet, "/api/v1/talent/people/"+ana.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)
	})
}
