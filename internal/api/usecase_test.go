package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/finance"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// sharedUseCases holds one use case with a business case per role-matrix
// environment, for the cases that read it or replace its parts.
var sharedUseCases sync.Map // *roleEnv → *caio.UseCase

func (e *roleEnv) useCase(t *testing.T) *caio.UseCase {
	if u, ok := sharedUseCases.Load(e); ok {
		return u.(*caio.UseCase)
	}
	u := e.s.NewUseCase(t, e.org, "Shared claims assistant", []string{e.obj.ID}, nil)
	e.s.NewBusinessCase(t, e.org, u.ID)
	sharedUseCases.Store(e, u)
	return u
}

// freshUseCase makes a new use case for a case that consumes it.
func (e *roleEnv) freshUseCase(t *testing.T) *caio.UseCase {
	return e.s.NewUseCase(t, e.org, fmt.Sprintf("Use case %d", e.seq()), []string{e.obj.ID}, nil)
}

// as is a context acting as the member of org with the role.
func as(org *servertest.Org, r caio.Role) context.Context {
	return caio.WithActor(context.Background(), org.Members[r].Actor(org))
}

// pendingApproval opens an approval to move a new use case from assessment
// to approved: it links an objective, is rated and has a business case, so
// the gate's criteria are met. ctx is who asks.
func pendingApproval(t *testing.T, s *servertest.Server, org *servertest.Org, ctx context.Context, objectiveID, title string) (*caio.UseCase, *caio.Approval) {
	t.Helper()
	u := s.NewUseCase(t, org, title, []string{objectiveID}, nil)
	if _, err := s.App.RequestStage(org.Sys, u.ID, portfolio.StageAssessment, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.RateUseCase(org.Sys, u.ID, 0, servertest.RatedUseCase); err != nil {
		t.Fatal(err)
	}
	s.NewBusinessCase(t, org, u.ID)
	out, err := s.App.RequestStage(ctx, u.ID, portfolio.StageApproved, "Worth a proof of concept")
	if err != nil || out.Approval == nil {
		t.Fatalf("request approval: %+v, %v", out, err)
	}
	return u, out.Approval
}

// caseJSON is the example business case as a client sends it.
func caseJSON(t testing.TB, edit func(c *finance.Case)) map[string]any {
	c := servertest.ExampleCase()
	if edit != nil {
		edit(&c)
	}
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

func init() {
	ucPath := func(f func(e *roleEnv, t *testing.T) *caio.UseCase, suffix string, body func(e *roleEnv, r caio.Role) any) func(*testing.T, *roleEnv, caio.Role) (string, any) {
		return func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			var b any
			if body != nil {
				b = body(e, r)
			}
			return "/api/v1/usecases/" + f(e, t).ID + suffix, b
		}
	}
	shared := (*roleEnv).useCase
	fresh := (*roleEnv).freshUseCase
	roleCases = append(roleCases,
		// App.FindUseCases, RankUseCases, FindUseCase, FindBusinessCase,
		// SimulateBusinessCase, CheckStage, StageHistory: PermRead.
		roleCase{name: "list use cases", op: "GET /usecases", perm: caio.PermRead, req: fixed("/api/v1/usecases?sort=priority&stage=idea", nil), ok: 200},
		roleCase{name: "rank use cases", op: "GET /usecases/ranking", perm: caio.PermRead, req: fixed("/api/v1/usecases/ranking", nil), ok: 200},
		roleCase{name: "get use case", op: "GET /usecases/{id}", perm: caio.PermRead, ok: 200, req: ucPath(shared, "", nil)},
		roleCase{name: "get business case", op: "GET /usecases/{id}/business-case", perm: caio.PermRead, ok: 200, req: ucPath(shared, "/business-case", nil)},
		roleCase{name: "simulate business case", op: "POST /business-cases/simulate", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/business-cases/simulate", caseJSON(t, nil)
		}},
		roleCase{name: "check stage", op: "GET /usecases/{id}/stage-check", perm: caio.PermRead, ok: 200, req: ucPath(shared, "/stage-check?to=assessment", nil)},
		roleCase{name: "use case history", op: "GET /usecases/{id}/history", perm: caio.PermRead, ok: 200, req: ucPath(shared, "/history", nil)},
		// App.CreateUseCase: PermContribute (a contributor's idea waits in triage).
		roleCase{name: "create use case", op: "POST /usecases", perm: caio.PermContribute, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/usecases", map[string]any{"title": "Idea of the " + string(r), "objective_ids": []string{e.obj.ID}}
		}},
		// App.UpdateUseCase: PermEdit for an accepted use case (a contributor
		// may edit only their own idea while it waits).
		roleCase{name: "update use case", op: "PUT /usecases/{id}", perm: caio.PermEdit, ok: 200, req: ucPath(shared, "", func(e *roleEnv, r caio.Role) any {
			return map[string]any{"title": "Claims assistant of the " + string(r), "owner": "Claims lead", "sponsor": "COO", "objective_ids": []string{e.obj.ID}}
		})},
		// App.DeleteUseCase, TriageUseCase, RateUseCase, PlanUseCase,
		// SaveBusinessCase, DeleteBusinessCase, RequestStage: PermEdit.
		roleCase{name: "delete use case", op: "DELETE /usecases/{id}", perm: caio.PermEdit, ok: 204, req: ucPath(fresh, "", nil)},
		roleCase{name: "triage idea", op: "POST /usecases/{id}/triage", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			u, err := e.s.App.CreateUseCase(as(e.org, caio.RoleContributor), caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: fmt.Sprintf("Idea %d", e.seq())}})
			if err != nil {
				t.Fatal(err)
			}
			return "/api/v1/usecases/" + u.ID + "/triage", map[string]any{"decision": "accept"}
		}},
		roleCase{name: "rate use case", op: "PUT /usecases/{id}/ratings", perm: caio.PermEdit, ok: 200, req: ucPath(shared, "/ratings", func(e *roleEnv, r caio.Role) any {
			return servertest.RatedUseCase
		})},
		roleCase{name: "plan use case", op: "PUT /usecases/{id}/roadmap", perm: caio.PermEdit, ok: 200, req: ucPath(shared, "/roadmap", func(e *roleEnv, r caio.Role) any {
			return map[string]any{"start": "2027Q1", "end": "2027Q2", "people": 2, "budget": 50000}
		})},
		roleCase{name: "put business case", op: "PUT /usecases/{id}/business-case", perm: caio.PermEdit, ok: 200, req: ucPath(shared, "/business-case", func(e *roleEnv, r caio.Role) any {
			return caseJSON(nil, nil)
		})},
		roleCase{name: "delete business case", op: "DELETE /usecases/{id}/business-case", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			u := e.freshUseCase(t)
			e.s.NewBusinessCase(t, e.org, u.ID)
			return "/api/v1/usecases/" + u.ID + "/business-case", nil
		}},
		roleCase{name: "request stage", op: "POST /usecases/{id}/stage", perm: caio.PermEdit, ok: 200, req: ucPath(fresh, "/stage", func(e *roleEnv, r caio.Role) any {
			return map[string]any{"to": "on_hold", "reason": "Waiting for the data team"}
		})},
	)
}

func TestUseCaseAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")
		sys := s.NewSystem(t, org, "Claims model")
		editor, contributor, viewer := org.Token(caio.RoleEditor), org.Token(caio.RoleContributor), org.Token(caio.RoleViewer)

		// An editor's use case is accepted at once, a contributor's idea waits.
		var u caio.UseCase
		s.Do(t, "POST", "/api/v1/usecases", editor, map[string]any{"title": "Claims triage assistant", "problem": "Slow triage",
			"owner": "Claims lead", "sponsor": "COO", "approach": "generative", "objective_ids": []string{obj.ID}, "system_ids": []string{sys.ID}}).Want(t, 201).JSON(t, &u)
		if u.Stage != "idea" || u.Intake != caio.IntakeAccepted || u.Version != 1 || !slices.Equal(u.SystemIDs, []string{sys.ID}) {
			t.Fatalf("created %+v", u)
		}
		var idea caio.UseCase
		s.Do(t, "POST", "/api/v1/usecases", contributor, map[string]any{"title": "Chatbot for brokers"}).Want(t, 201).JSON(t, &idea)
		if idea.Intake != caio.IntakeSubmitted {
			t.Errorf("a contributor's idea has intake %q, want submitted", idea.Intake)
		}

		// Links that do not exist and bad values name their fields; nothing is written.
		before := s.Count(t, org)
		for body, loc := range map[string]string{
			`{"title":"x","objective_ids":["obj_00000000000000000000000000"]}`: "body.objective_ids",
			`{"title":"x","system_ids":["nope"]}`:                              "body.system_ids",
			`{"title":"x","approach":"magic"}`:                                 "body.approach",
			`{"title":""}`:                                                     "body.title",
			`{"title":"x","colour":"red"}`:                                     "body.colour",
		} {
			p := s.Do(t, "POST", "/api/v1/usecases", editor, body).Want(t, 422).Problem(t)
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("%s: problem names %v, want %s", body, p.Locations(), loc)
			}
		}
		if after := s.Count(t, org); after != before {
			t.Errorf("refused creates changed counts from %+v to %+v", before, after)
		}

		// The list carries each use case's score; filters narrow it.
		var page struct {
			Total int `json:"total"`
			Items []struct {
				ID    string `json:"id"`
				Title string `json:"title"`
				Score struct {
					Rated      bool              `json:"rated"`
					Priority   float64           `json:"priority"`
					Quadrant   string            `json:"quadrant"`
					Rank       int               `json:"rank"`
					Components []json.RawMessage `json:"components"`
					Reasons    []string          `json:"reasons"`
				} `json:"score"`
			} `json:"items"`
		}
		s.Do(t, "GET", "/api/v1/usecases?sort=title&limit=500", viewer, nil).Want(t, 200).JSON(t, &page)
		if page.Total != 2 || len(page.Items) != 2 || len(page.Items[0].Score.Components) == 0 {
			t.Fatalf("list: %+v", page)
		}
		s.Do(t, "GET", "/api/v1/usecases?intake=submitted", viewer, nil).Want(t, 200).JSON(t, &page)
		if page.Total != 1 || page.Items[0].ID != idea.ID {
			t.Errorf("intake=submitted: %+v", page)
		}
		for q, want := range map[string]int{"q=triage": 1, "objective_id=" + obj.ID: 1, "system_id=" + sys.ID: 1, "approach=generative": 1, "owner=Nobody": 0, "stage=pilot": 0} {
			s.Do(t, "GET", "/api/v1/usecases?sort=created&"+q, viewer, nil).Want(t, 200).JSON(t, &page)
			if page.Total != want {
				t.Errorf("%s: %d use cases, want %d", q, page.Total, want)
			}
		}
		for q, loc := range map[string]string{"stage=launched": "query.stage", "sort=colour": "query.sort", "intake=maybe": "query.intake", "limit=0": "query.limit"} {
			p := s.Do(t, "GET", "/api/v1/usecases?"+q, viewer, nil).Want(t, 422).Problem(t)
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("%s: problem names %v, want %s", q, p.Locations(), loc)
			}
		}

		// Rating gives a score with its reasons; a rating off its scale names the field.
		var scored struct {
			caio.UseCase
			Score portfolio.Score `json:"score"`
		}
		s.Do(t, "PUT", "/api/v1/usecases/"+u.ID+"/ratings", editor, servertest.RatedUseCase).Want(t, 200).JSON(t, &scored)
		if !scored.Score.Rated || scored.Score.Priority <= 20 || scored.Score.Quadrant == "" || scored.Score.RICE == nil || scored.Score.WSJF == nil || len(scored.Score.Reasons) == 0 {
			t.Errorf("score after rating: %+v", scored.Score)
		}
		if scored.Ratings != servertest.RatedUseCase {
			t.Errorf("stored ratings %+v", scored.Ratings)
		}
		for body, loc := range map[string]string{`{"impact":7}`: "body.impact", `{"urgency":6}`: "body.urgency", `{"job_size":4}`: "body.job_size"} {
			p := s.Do(t, "PUT", "/api/v1/usecases/"+u.ID+"/ratings", editor, body).Want(t, 422).Problem(t)
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("ratings %s: problem names %v, want %s", body, p.Locations(), loc)
			}
		}

		// An update replaces the canvas; a stale version is refused.
		var got scoredUseCase
		s.Do(t, "GET", "/api/v1/usecases/"+u.ID, viewer, nil).Want(t, 200).JSON(t, &got)
		v := got.Version
		s.Do(t, "PUT", "/api/v1/usecases/"+u.ID, editor, map[string]any{"title": "Claims triage copilot", "owner": "Claims lead", "version": v}).Want(t, 200)
		s.Do(t, "PUT", "/api/v1/usecases/"+u.ID, editor, map[string]any{"title": "Stale", "version": v}).Want(t, 409).Problem(t)

		// Roadmap placement: quarters are read and checked.
		var placed caio.UseCase
		s.Do(t, "PUT", "/api/v1/usecases/"+u.ID+"/roadmap", editor, map[string]any{"start": "2027q1", "end": "2027Q3", "people": 1.5}).Want(t, 200).JSON(t, &placed)
		if placed.Roadmap.Start != "2027Q1" || placed.Roadmap.End != "2027Q3" {
			t.Errorf("placed %+v", placed.Roadmap)
		}
		for body, loc := range map[string]string{
			`{"start":"2027Q3","end":"2027Q1"}`:  "body.end",
			`{"start":"spring","end":"2027Q1"}`:  "body.start",
			`{"depends_on":["` + u.ID + `"]}`:    "body.depends_on",
			`{"start":"2027Q1"}`:                 "body.end",
			`{"depends_on":["uc_nosuchthing0"]}`: "body.depends_on",
		} {
			p := s.Do(t, "PUT", "/api/v1/usecases/"+u.ID+"/roadmap", editor, body).Want(t, 422).Problem(t)
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("roadmap %s: problem names %v, want %s", body, p.Locations(), loc)
			}
		}

		// Triage: rejecting needs a reason; merging folds the idea into another.
		p := s.Do(t, "POST", "/api/v1/usecases/"+idea.ID+"/triage", editor, map[string]any{"decision": "reject"}).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.reason") {
			t.Errorf("reject without reason: %v", p.Locations())
		}
		var merged caio.UseCase
		s.Do(t, "POST", "/api/v1/usecases/"+idea.ID+"/triage", editor, map[string]any{"decision": "merge", "merge_into": u.ID}).Want(t, 200).JSON(t, &merged)
		if merged.Intake != caio.IntakeMerged || merged.MergedInto != u.ID {
			t.Errorf("merged %+v", merged)
		}
		s.Do(t, "POST", "/api/v1/usecases/"+idea.ID+"/triage", editor, map[string]any{"decision": "accept"}).Want(t, 422)

		// Delete, then it is gone.
		s.Do(t, "DELETE", "/api/v1/usecases/"+idea.ID, editor, nil).Want(t, 204)
		s.Do(t, "GET", "/api/v1/usecases/"+idea.ID, viewer, nil).Want(t, 404).Problem(t)
		s.Do(t, "GET", "/api/v1/usecases/not-an-id", viewer, nil).Want(t, 404).Problem(t)
	})
}

// scoredUseCase decodes a use case with its score as the API sends it.
type scoredUseCase struct {
	caio.UseCase
	Score struct {
		portfolio.Score
		Rank int `json:"rank"`
	} `json:"score"`
}

// TestRankingOrder rates three use cases differently and checks that the
// ranking and the list sorted by priority put them in the same order, best
// first, and that the ranking carries the business case's figures.
func TestRankingOrder(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")
		editor, viewer := org.Token(caio.RoleEditor), org.Token(caio.RoleViewer)

		low, mid, high := servertest.RatedUseCase, servertest.RatedUseCase, servertest.RatedUseCase
		low.ObjectiveFit, low.StrategicFit, low.DataReadiness = 1, 1, 1
		high.ObjectiveFit, high.StrategicFit, high.Urgency, high.DataReadiness, high.Complexity = 5, 5, 5, 5, 1
		ids := map[string]string{}
		for _, x := range []struct {
			title string
			r     caio.UseCaseRatings
		}{{"Alpha low", low}, {"Bravo high", high}, {"Charlie mid", mid}} {
			u := s.NewUseCase(t, org, x.title, []string{obj.ID}, nil)
			s.Do(t, "PUT", "/api/v1/usecases/"+u.ID+"/ratings", editor, x.r).Want(t, 200)
			ids[x.title] = u.ID
		}
		s.NewUseCase(t, org, "Delta unrated", []string{obj.ID}, nil)
		s.NewBusinessCase(t, org, ids["Bravo high"])
		want := []string{"Bravo high", "Charlie mid", "Alpha low", "Delta unrated"}

		var ranking struct {
			Items []struct {
				ID     string          `json:"id"`
				Title  string          `json:"title"`
				Stage  string          `json:"stage"`
				Rank   int             `json:"rank"`
				Score  portfolio.Score `json:"score"`
				Cost   *float64        `json:"cost"`
				NPVP50 *float64        `json:"npv_p50"`
			} `json:"items"`
		}
		s.Do(t, "GET", "/api/v1/usecases/ranking", viewer, nil).Want(t, 200).JSON(t, &ranking)
		var titles []string
		for i, it := range ranking.Items {
			titles = append(titles, it.Title)
			if it.Rank != i+1 || it.Stage != "idea" {
				t.Errorf("item %d: rank %d, stage %q", i, it.Rank, it.Stage)
			}
			if (it.Cost != nil) != (it.Title == "Bravo high") || (it.NPVP50 != nil) != (it.Title == "Bravo high") {
				t.Errorf("%s: cost %v, npv_p50 %v; only Bravo has a business case", it.Title, it.Cost, it.NPVP50)
			}
		}
		if !slices.Equal(titles, want) {
			t.Fatalf("ranking %v, want %v", titles, want)
		}
		if r := ranking.Items; !(r[0].Score.Priority > r[1].Score.Priority && r[1].Score.Priority > r[2].Score.Priority) {
			t.Errorf("priorities not descending: %v %v %v", r[0].Score.Priority, r[1].Score.Priority, r[2].Score.Priority)
		}
		// The ranking comes a page at a time, with the total.
		var second struct {
			Total int `json:"total"`
			Items []struct {
				Title string `json:"title"`
				Rank  int    `json:"rank"`
			} `json:"items"`
		}
		s.Do(t, "GET", "/api/v1/usecases/ranking?limit=2&offset=2", viewer, nil).Want(t, 200).JSON(t, &second)
		if second.Total != 4 || len(second.Items) != 2 || second.Items[0].Rank != 3 || second.Items[0].Title != want[2] {
			t.Errorf("second page of the ranking: %+v", second)
		}

		// The list sorted by priority agrees, page by page, and fills each rank.
		var got []string
		for offset := 0; offset < 4; offset += 3 {
			var page struct {
				Total int             `json:"total"`
				Items []scoredUseCase `json:"items"`
			}
			s.Do(t, "GET", fmt.Sprintf("/api/v1/usecases?sort=priority&limit=3&offset=%d", offset), viewer, nil).Want(t, 200).JSON(t, &page)
			if page.Total != 4 {
				t.Errorf("total %d, want 4", page.Total)
			}
			for i, u := range page.Items {
				if u.Score.Rank != offset+i+1 {
					t.Errorf("%s has rank %d, want %d", u.Title, u.Score.Rank, offset+i+1)
				}
				got = append(got, u.Title)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("list by priority %v, want %v", got, want)
		}

		// Switching the organisation to WSJF reorders by job size and value.
		settings := s.Do(t, "GET", "/api/v1/portfolio/settings", viewer, nil).Want(t, 200)
		var st map[string]any
		settings.JSON(t, &st)
		w := st["weights"].(map[string]any)
		w["method"] = "wsjf"
		delete(st, "version")
		s.Do(t, "PUT", "/api/v1/portfolio/settings", org.Token(caio.RoleAdmin), st).Want(t, 200)
		s.Do(t, "GET", "/api/v1/usecases/ranking", viewer, nil).Want(t, 200).JSON(t, &ranking)
		if ranking.Items[len(ranking.Items)-1].Title != "Delta unrated" {
			t.Errorf("under WSJF the unrated use case should come last: %+v", ranking.Items)
		}
	})
}

func TestBusinessCaseAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		u := s.NewUseCase(t, org, "Claims assistant", nil, nil)
		editor, viewer := org.Token(caio.RoleEditor), org.Token(caio.RoleViewer)
		path := "/api/v1/usecases/" + u.ID + "/business-case"

		s.Do(t, "GET", path, viewer, nil).Want(t, 404).Problem(t)

		// low > high, a negative amount and a bad horizon each name their field
		// with its path, and nothing is stored.
		before := s.Count(t, org)
		bad := caseJSON(t, func(c *finance.Case) {
			c.Benefits[0].Low, c.Benefits[0].High = 200000, 100000
			c.Running[0].Low = -1
			c.HorizonYears = 31
		})
		p := s.Do(t, "PUT", path, editor, bad).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.benefits[0].low", "body.running[0].low", "body.horizon_years"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("problem names %v, want %s", p.Locations(), loc)
			}
		}
		if !strings.Contains(p.Detail, "benefits[0].low") {
			t.Errorf("detail does not name the field: %s", p.Detail)
		}
		p = s.Do(t, "POST", "/api/v1/business-cases/simulate", viewer, bad).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.benefits[0].low") {
			t.Errorf("simulate: problem names %v", p.Locations())
		}
		if after := s.Count(t, org); after != before {
			t.Errorf("refused business case changed counts from %+v to %+v", before, after)
		}
		s.Do(t, "GET", path, viewer, nil).Want(t, 404)

		// A preview stores nothing and matches what a save computes.
		var preview finance.Result
		s.Do(t, "POST", "/api/v1/business-cases/simulate", viewer, caseJSON(t, nil)).Want(t, 200).JSON(t, &preview)
		if preview.Trials != 2000 || preview.Seed != 7 || !(preview.NPV.P10 < preview.NPV.P50 && preview.NPV.P50 < preview.NPV.P90) {
			t.Errorf("preview %+v", preview)
		}
		if after := s.Count(t, org); after != before {
			t.Errorf("a preview changed counts from %+v to %+v", before, after)
		}

		var saved app.BusinessCase
		s.Do(t, "PUT", path, editor, caseJSON(t, nil)).Want(t, 200).JSON(t, &saved)
		if saved.Input.HorizonYears != 5 || saved.Result.NPV != preview.NPV || saved.Result.Deterministic.NPV != preview.Deterministic.NPV {
			t.Errorf("saved %+v / %+v, preview %+v", saved.Input, saved.Result.NPV, preview.NPV)
		}
		var read app.BusinessCase
		s.Do(t, "GET", path, viewer, nil).Want(t, 200).JSON(t, &read)
		if read.Result.NPV != saved.Result.NPV || read.Version != saved.Version || len(read.Input.Benefits) != 1 {
			t.Errorf("read back %+v", read)
		}
		var uc scoredUseCase
		s.Do(t, "GET", "/api/v1/usecases/"+u.ID, viewer, nil).Want(t, 200).JSON(t, &uc)
		if !uc.HasBusinessCase {
			t.Error("the use case does not show its business case")
		}

		// Without a seed, the use case's own seed makes the result reproducible.
		noSeed := caseJSON(t, func(c *finance.Case) { c.Seed = 0 })
		var a, b app.BusinessCase
		s.Do(t, "PUT", path, editor, noSeed).Want(t, 200).JSON(t, &a)
		s.Do(t, "PUT", path, editor, noSeed).Want(t, 200).JSON(t, &b)
		if a.Input.Seed == 0 || a.Input.Seed != b.Input.Seed || a.Result.NPV != b.Result.NPV {
			t.Errorf("seeds %d and %d, NPVs %+v and %+v", a.Input.Seed, b.Input.Seed, a.Result.NPV, b.Result.NPV)
		}
		stale := caseJSON(t, nil)
		stale["version"] = b.Version - 1
		s.Do(t, "PUT", path, editor, stale).Want(t, 409).Problem(t)

		s.Do(t, "DELETE", path, editor, nil).Want(t, 204)
		s.Do(t, "GET", path, viewer, nil).Want(t, 404)
		s.Do(t, "DELETE", path, editor, nil).Want(t, 404)
	})
}

// TestStageGate asks to move a use case through a gate whose criteria are
// not met: the answer is 422 with each unmet criterion, and nothing changes.
func TestStageGate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		editor, viewer := org.Token(caio.RoleEditor), org.Token(caio.RoleViewer)
		var u caio.UseCase
		s.Do(t, "POST", "/api/v1/usecases", editor, map[string]any{"title": "Bare idea"}).Want(t, 201).JSON(t, &u)
		stagePath := "/api/v1/usecases/" + u.ID + "/stage"

		// The API's description documents both successes and the refusal.
		responses := s.Handler.API.OpenAPI().Paths["/usecases/{id}/stage"].Post.Responses
		for _, code := range []string{"200", "202", "409", "422"} {
			if r := responses[code]; r == nil || (code[0] == '2' && r.Content["application/json"] == nil) {
				t.Errorf("request-stage documents no %s response with a body: %+v", code, r)
			}
		}

		// The check says what is missing without changing anything.
		var check portfolio.Check
		s.Do(t, "GET", "/api/v1/usecases/"+u.ID+"/stage-check", viewer, nil).Want(t, 200).JSON(t, &check)
		if check.To != "assessment" || !check.Allowed || check.Passed || len(check.Criteria) != 4 {
			t.Errorf("check to the next stage: %+v", check)
		}
		s.Do(t, "GET", "/api/v1/usecases/"+u.ID+"/stage-check?to=production", viewer, nil).Want(t, 200).JSON(t, &check)
		if check.Allowed || check.Refusal == "" {
			t.Errorf("idea to production should be refused: %+v", check)
		}
		p := s.Do(t, "GET", "/api/v1/usecases/"+u.ID+"/stage-check?to=launched", viewer, nil).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "query.to") {
			t.Errorf("bad to: %v", p.Locations())
		}

		before := s.Count(t, org)
		p = s.Do(t, "POST", stagePath, editor, map[string]any{"to": "assessment"}).Want(t, 422).Problem(t)
		want := []string{"body.criteria.owner_named", "body.criteria.sponsor_named", "body.criteria.problem_stated", "body.criteria.objective_linked"}
		if got := p.Locations(); !slices.Equal(got, want) {
			t.Errorf("unmet criteria %v, want %v", got, want)
		}
		for _, e := range p.Errors {
			if e.Message == "" {
				t.Errorf("criterion %s has no message", e.Location)
			}
		}
		if !strings.Contains(p.Detail, "not passed") {
			t.Errorf("detail %q", p.Detail)
		}
		// A move the lifecycle does not have names "to".
		p = s.Do(t, "POST", stagePath, editor, map[string]any{"to": "production"}).Want(t, 422).Problem(t)
		if !slices.Equal(p.Locations(), []string{"body.to"}) {
			t.Errorf("refused move: %v", p.Locations())
		}
		// Rejecting needs a reason.
		p = s.Do(t, "POST", stagePath, editor, map[string]any{"to": "rejected"}).Want(t, 422).Problem(t)
		if !slices.Equal(p.Locations(), []string{"body.reason"}) {
			t.Errorf("reject without reason: %v", p.Locations())
		}
		if after := s.Count(t, org); after != before {
			t.Errorf("refused moves changed counts from %+v to %+v", before, after)
		}
		var history struct {
			Items []struct {
				caio.StageChange
				Days int `json:"days"`
			} `json:"items"`
		}
		s.Do(t, "GET", "/api/v1/usecases/"+u.ID+"/history", viewer, nil).Want(t, 200).JSON(t, &history)
		if len(history.Items) != 1 || history.Items[0].To != "idea" {
			t.Errorf("history after refused moves: %+v", history.Items)
		}

		// With the criteria met the move happens at once: no approval.
		obj := s.NewObjective(t, org, "Settle claims faster")
		s.Do(t, "PUT", "/api/v1/usecases/"+u.ID, editor, map[string]any{"title": "Bare idea", "owner": "Claims lead", "sponsor": "COO",
			"problem": "Slow triage", "objective_ids": []string{obj.ID}}).Want(t, 200)
		var out app.StageOutcome
		s.Do(t, "POST", stagePath, editor, map[string]any{"to": "assessment"}).Want(t, 200).JSON(t, &out)
		if !out.Moved || out.Approval != nil || !out.Check.Passed {
			t.Errorf("outcome %+v", out)
		}
		s.Do(t, "GET", "/api/v1/usecases/"+u.ID+"/history", viewer, nil).Want(t, 200).JSON(t, &history)
		if len(history.Items) != 2 || history.Items[1].From != "idea" || history.Items[1].To != "assessment" || history.Items[0].Until == nil {
			t.Errorf("history after the move: %+v", history.Items)
		}

		// assessment → approved needs a rating and a business case.
		p = s.Do(t, "POST", stagePath, editor, map[string]any{"to": "approved"}).Want(t, 422).Problem(t)
		if want := []string{"body.criteria.scored", "body.criteria.business_case"}; !slices.Equal(p.Locations(), want) {
			t.Errorf("unmet criteria %v, want %v", p.Locations(), want)
		}
	})
}

// TestApprovalFlow runs a gate that needs approval over HTTP with two
// members: the editor asks, the approver approves, and the stage moves.
func TestApprovalFlow(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")
		editor, approver, admin, viewer := org.Token(caio.RoleEditor), org.Token(caio.RoleApprover), org.Token(caio.RoleAdmin), org.Token(caio.RoleViewer)
		u := s.NewUseCase(t, org, "Claims assistant", []string{obj.ID}, nil)
		s.Do(t, "POST", "/api/v1/usecases/"+u.ID+"/stage", editor, map[string]any{"to": "assessment"}).Want(t, 200)
		s.Do(t, "PUT", "/api/v1/usecases/"+u.ID+"/ratings", editor, servertest.RatedUseCase).Want(t, 200)
		s.Do(t, "PUT", "/api/v1/usecases/"+u.ID+"/business-case", editor, caseJSON(t, nil)).Want(t, 200)

		// The editor asks: 202 with the approval, and the use case stays.
		var out app.StageOutcome
		s.Do(t, "POST", "/api/v1/usecases/"+u.ID+"/stage", editor, map[string]any{"to": "approved", "reason": "Ready for a PoC"}).Want(t, 202).JSON(t, &out)
		if out.Moved || out.Approval == nil || out.Approval.Status != "pending" || out.Approval.Quorum != 1 || out.Approval.RequestedBy != org.Members[caio.RoleEditor].UserID {
			t.Fatalf("outcome %+v", out)
		}
		ap := out.Approval
		var uc scoredUseCase
		s.Do(t, "GET", "/api/v1/usecases/"+u.ID, viewer, nil).Want(t, 200).JSON(t, &uc)
		if uc.Stage != "assessment" {
			t.Errorf("stage %q before the decision, want assessment", uc.Stage)
		}
		s.Do(t, "POST", "/api/v1/usecases/"+u.ID+"/stage", editor, map[string]any{"to": "approved", "reason": "Again"}).Want(t, 409).Problem(t)

		var page struct {
			Total int              `json:"total"`
			Items []*caio.Approval `json:"items"`
		}
		s.Do(t, "GET", "/api/v1/approvals?status=pending", viewer, nil).Want(t, 200).JSON(t, &page)
		if page.Total != 1 || page.Items[0].ID != ap.ID || page.Items[0].SubjectID != u.ID {
			t.Errorf("pending approvals %+v", page)
		}
		p := s.Do(t, "GET", "/api/v1/approvals?status=open", viewer, nil).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "query.status") {
			t.Errorf("bad status: %v", p.Locations())
		}

		// The editor cannot decide; a rejection needs a comment.
		s.Do(t, "POST", "/api/v1/approvals/"+ap.ID+"/decision", editor, map[string]any{"decision": "approve"}).Want(t, 403).Problem(t)
		p = s.Do(t, "POST", "/api/v1/approvals/"+ap.ID+"/decision", approver, map[string]any{"decision": "reject"}).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.comment") {
			t.Errorf("reject without a comment: %v", p.Locations())
		}

		// The approver approves: the quorum of one is reached and the stage moves.
		var decided caio.Approval
		s.Do(t, "POST", "/api/v1/approvals/"+ap.ID+"/decision", approver, map[string]any{"decision": "approve", "comment": "Go"}).Want(t, 200).JSON(t, &decided)
		if decided.Status != "approved" || len(decided.Votes) != 1 || decided.DecidedAt == nil {
			t.Errorf("decided %+v", decided)
		}
		s.Do(t, "GET", "/api/v1/usecases/"+u.ID, viewer, nil).Want(t, 200).JSON(t, &uc)
		if uc.Stage != "approved" {
			t.Errorf("stage %q after approval, want approved", uc.Stage)
		}
		var history struct {
			Items []caio.StageChange `json:"items"`
		}
		s.Do(t, "GET", "/api/v1/usecases/"+u.ID+"/history", viewer, nil).Want(t, 200).JSON(t, &history)
		if last := history.Items[len(history.Items)-1]; last.To != "approved" || last.ApprovalID != ap.ID || last.Reason != "Ready for a PoC" {
			t.Errorf("last history entry %+v", last)
		}
		var got caio.Approval
		s.Do(t, "GET", "/api/v1/approvals/"+ap.ID, viewer, nil).Want(t, 200).JSON(t, &got)
		if got.Status != "approved" || got.Votes[0].UserID != org.Members[caio.RoleApprover].UserID {
			t.Errorf("approval read back %+v", got)
		}
		s.Do(t, "POST", "/api/v1/approvals/"+ap.ID+"/decision", admin, map[string]any{"decision": "approve"}).Want(t, 409).Problem(t)
		s.Do(t, "POST", "/api/v1/approvals/"+ap.ID+"/withdraw", editor, nil).Want(t, 409).Problem(t)

		// An admin who asks may not approve their own request; the requester
		// may withdraw it.
		_, own := pendingApproval(t, s, org, as(org, caio.RoleAdmin), obj.ID, "Fraud screening")
		s.Do(t, "POST", "/api/v1/approvals/"+own.ID+"/decision", admin, map[string]any{"decision": "approve"}).Want(t, 403).Problem(t)
		var withdrawn caio.Approval
		s.Do(t, "POST", "/api/v1/approvals/"+own.ID+"/withdraw", admin, nil).Want(t, 200).JSON(t, &withdrawn)
		if withdrawn.Status != "withdrawn" {
			t.Errorf("withdrawn %+v", withdrawn)
		}

		// A rejection closes the request and leaves the stage.
		v, rejected := pendingApproval(t, s, org, as(org, caio.RoleEditor), obj.ID, "Broker chatbot")
		s.Do(t, "POST", "/api/v1/approvals/"+rejected.ID+"/decision", approver, map[string]any{"decision": "reject", "comment": "Not this year"}).Want(t, 200).JSON(t, &decided)
		if decided.Status != "rejected" {
			t.Errorf("rejected %+v", decided)
		}
		s.Do(t, "GET", "/api/v1/usecases/"+v.ID, viewer, nil).Want(t, 200).JSON(t, &uc)
		if uc.Stage != "assessment" {
			t.Errorf("stage %q after a rejection, want assessment", uc.Stage)
		}
	})
}

// FuzzBusinessCaseBody sends arbitrary bytes as a business case to store.
// The API must answer 200 or a client error, never a server error; a 200
// writes one audit event, a refusal nothing.
//
//	go test ./internal/api -run '^$' -fuzz FuzzBusinessCaseBody -fuzztime 30s
func FuzzBusinessCaseBody(f *testing.F) {
	example, _ := json.Marshal(servertest.ExampleCase())
	for _, seed := range []string{
		string(example),
		`{"horizon_years":3,"one_off":[{"label":"a","low":1,"likely":2,"high":3}],"benefits":[{"label":"b","low":1,"likely":2,"high":3}],"trials":100}`,
		`{"horizon_years":3,"one_off":[{"label":"a","low":3,"likely":2,"high":1}],"benefits":[]}`,
		`{"horizon_years":30,"discount_rate":0.5,"running":[{"label":"r","low":1e13,"likely":1e13,"high":1e13}],"benefits":[{"label":"b","low":0,"likely":0,"high":0}],"adoption":[0,0.5,1],"distribution":"PERT","trials":100,"seed":18446744073709551615}`,
		`{"horizon_years":1,"one_off":[{"label":"a","low":1e308,"likely":1e308,"high":1e308}],"benefits":[{"label":"b","low":1,"likely":1,"high":1}],"trials":100}`,
		`{"horizon_years":-1,"seed":-1}`, `{"trials":1e9}`, `{"currency":"€€€"}`, `{"adoption":[2]}`,
		`{"benefits":[{"label":"\u0000","low":1,"likely":1,"high":1}]}`, `{"benefits":[{}]}`, `{"version":-1}`,
		`{}`, `[]`, `null`, `{`, ``,
	} {
		f.Add([]byte(seed))
	}
	s, org, logs := fuzzServer(f)
	u := s.NewUseCase(f, org, "Fuzzed", nil, nil)
	token := org.Token(caio.RoleEditor)
	f.Fuzz(func(t *testing.T, body []byte) {
		logs.Take()
		before := s.Count(t, org)
		res := servertest.Request(t, http.DefaultClient, s.NewRequest(t, "PUT", "/api/v1/usecases/"+u.ID+"/business-case", token, body))
		after := s.Count(t, org)
		switch {
		case res.StatusCode == http.StatusOK:
			if after.AuditEvents != before.AuditEvents+1 {
				t.Errorf("200 changed counts from %+v to %+v, want one more audit event", before, after)
			}
		case res.StatusCode >= 400 && res.StatusCode < 500:
			if after != before {
				t.Errorf("%d changed counts from %+v to %+v", res.StatusCode, before, after)
			}
			res.Problem(t)
		default:
			t.Errorf("body %q: %s\n%s", body, res, logs.Take())
		}
	})
}
