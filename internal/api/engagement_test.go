package api_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/engagement"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// activeEngagement returns the organisation's active engagement, starting one when there is none.
func activeEngagement(t *testing.T, s *servertest.Server, org *servertest.Org) *caio.Engagement {
	t.Helper()
	e, err := s.App.ActiveEngagement(org.Sys)
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		e, err = s.App.StartEngagement(org.Sys, caio.EngagementInput{Sponsor: "COO", Start: "2026-10-13"})
	}
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// closeActive closes the organisation's active engagement, if any.
func closeActive(t *testing.T, s *servertest.Server, org *servertest.Org) {
	t.Helper()
	if e, err := s.App.ActiveEngagement(org.Sys); err == nil {
		if _, err := s.App.CloseEngagement(org.Sys, e.ID); err != nil {
			t.Fatal(err)
		}
	}
}

// templateOf returns a template of the member of role r, or of the owner
// when r may not save one.
func templateOf(t *testing.T, e *roleEnv, r caio.Role) string {
	t.Helper()
	if !caio.Can(r, caio.PermEdit) {
		r = caio.RoleOwner
	}
	ctx := caio.WithActor(context.Background(), e.org.Members[r].Actor(e.org))
	tpl, err := e.s.App.SaveEngagementTemplate(ctx, activeEngagement(t, e.s, e.org).ID, caio.TemplateInput{Name: "Template " + string(r)})
	if err != nil {
		t.Fatal(err)
	}
	return tpl.ID
}

func weekOf(n int) string { return engagement.AddDays("2027-01-04", 7*n) }

// The engagement's operations join the role matrix of roles_test.go.
func init() {
	eng := func(t *testing.T, e *roleEnv) string { return activeEngagement(t, e.s, e.org).ID }
	item := func(t *testing.T, e *roleEnv) string {
		it, err := e.s.App.AddPlanItem(e.org.Sys, eng(t, e), caio.PlanItemInput{Title: "Item"})
		if err != nil {
			t.Fatal(err)
		}
		return it.ID
	}
	note := func(t *testing.T, e *roleEnv) (string, string) {
		w := weekOf(e.seq())
		n, err := e.s.App.AddStatusNote(e.org.Sys, eng(t, e), caio.StatusNoteInput{Week: w, RAG: "green", Summary: "Fine"})
		if err != nil {
			t.Fatal(err)
		}
		return n.ID, w
	}
	roleCases = append(roleCases,
		// App.FindEngagementView, FindEngagements, FindStatusNotes: PermRead.
		roleCase{name: "get active engagement", op: "GET /engagement", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			eng(t, e)
			return "/api/v1/engagement", nil
		}},
		roleCase{name: "list engagements", op: "GET /engagements", perm: caio.PermRead, ok: 200, req: fixed("/api/v1/engagements", nil)},
		roleCase{name: "get engagement", op: "GET /engagements/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/engagements/" + eng(t, e), nil
		}},
		roleCase{name: "list status notes", op: "GET /engagements/{id}/notes", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/engagements/" + eng(t, e) + "/notes", nil
		}},
		// App.StartEngagement, UpdateEngagement, CloseEngagement, the plan, deliverables and notes: PermEdit.
		roleCase{name: "start engagement", op: "POST /engagements", perm: caio.PermEdit, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			closeActive(t, e.s, e.org)
			return "/api/v1/engagements", map[string]any{"sponsor": "COO", "start": "2026-10-13"}
		}},
		roleCase{name: "update engagement", op: "PUT /engagements/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/engagements/" + eng(t, e), map[string]any{"sponsor": "CEO " + string(r), "start": "2026-10-13"}
		}},
		roleCase{name: "close engagement", op: "POST /engagements/{id}/close", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/engagements/" + eng(t, e) + "/close", nil
		}},
		roleCase{name: "add plan item", op: "POST /engagements/{id}/plan", perm: caio.PermEdit, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/engagements/" + eng(t, e) + "/plan", map[string]any{"title": "Meet the board", "due": "2026-11-20"}
		}},
		roleCase{name: "update plan item", op: "PUT /plan-items/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/plan-items/" + item(t, e), map[string]any{"title": "Done it", "status": "done"}
		}},
		roleCase{name: "move plan item", op: "POST /plan-items/{id}/move", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/plan-items/" + item(t, e) + "/move", map[string]any{"direction": "up"}
		}},
		roleCase{name: "delete plan item", op: "DELETE /plan-items/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/plan-items/" + item(t, e), nil
		}},
		roleCase{name: "confirm deliverable", op: "PUT /engagements/{id}/deliverables/{key}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/engagements/" + eng(t, e) + "/deliverables/governance_board", map[string]any{"done": true, "note": "Met on 2026-11-20"}
		}},
		roleCase{name: "add status note", op: "POST /engagements/{id}/notes", perm: caio.PermEdit, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/engagements/" + eng(t, e) + "/notes", map[string]any{"week": weekOf(e.seq()), "rag": "amber", "summary": "Slipping"}
		}},
		roleCase{name: "update status note", op: "PUT /status-notes/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			id, w := note(t, e)
			return "/api/v1/status-notes/" + id, map[string]any{"week": w, "rag": "red", "summary": "Off track"}
		}},
		roleCase{name: "delete status note", op: "DELETE /status-notes/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			id, _ := note(t, e)
			return "/api/v1/status-notes/" + id, nil
		}},
		// Templates: PermEdit, and the template must be the caller's own.
		roleCase{name: "list engagement templates", op: "GET /engagement-templates", perm: caio.PermEdit, ok: 200, req: fixed("/api/v1/engagement-templates", nil)},
		roleCase{name: "save engagement template", op: "POST /engagement-templates", perm: caio.PermEdit, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/engagement-templates", map[string]any{"engagement_id": eng(t, e), "name": "Mine"}
		}},
		roleCase{name: "get engagement template", op: "GET /engagement-templates/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/engagement-templates/" + templateOf(t, e, r), nil
		}},
		roleCase{name: "delete engagement template", op: "DELETE /engagement-templates/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/engagement-templates/" + templateOf(t, e, r), nil
		}},
		roleCase{name: "start from template", op: "POST /engagement-templates/{id}/start", perm: caio.PermEdit, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			id := templateOf(t, e, r)
			closeActive(t, e.s, e.org)
			return "/api/v1/engagement-templates/" + id + "/start", map[string]any{"sponsor": "CFO", "start": "2027-01-04"}
		}},
	)
}

// TestEngagementAPI checks what a client sees: field errors by name, the
// plan and checklist with reasons, notes newest first, and templates that
// only their owner sees.
func TestEngagementAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		tok := org.Token(caio.RoleEditor)

		s.Do(t, http.MethodGet, "/api/v1/engagement", tok, nil).Want(t, 404)
		p := s.Do(t, http.MethodPost, "/api/v1/engagements", tok, map[string]any{"start": "2027-13-01", "end": "2027-01-01"}).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.sponsor", "body.start"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("problem locations %v lack %s", p.Locations(), loc)
			}
		}
		var e caio.Engagement
		s.Do(t, http.MethodPost, "/api/v1/engagements", tok, map[string]any{"sponsor": "COO", "start": "2026-10-13", "goals": []string{"Baseline"}}).Want(t, 201).JSON(t, &e)
		s.Do(t, http.MethodPost, "/api/v1/engagements", tok, map[string]any{"sponsor": "CEO", "start": "2026-12-01"}).Want(t, 409)

		var v struct {
			ID           string             `json:"id"`
			Plan         []caio.PlanItem    `json:"plan"`
			Deliverables []caio.Deliverable `json:"deliverables"`
			Progress     engagement.Progress
		}
		s.Do(t, http.MethodGet, "/api/v1/engagement", org.Token(caio.RoleViewer), nil).Want(t, 200).JSON(t, &v)
		if v.ID != e.ID || len(v.Plan) != len(engagement.Builtin().Items) || len(v.Deliverables) != 8 || v.Deliverables[0].Reason == "" {
			t.Errorf("view %+v", v)
		}
		var it caio.PlanItem
		s.Do(t, http.MethodPost, "/api/v1/engagements/"+e.ID+"/plan", tok, map[string]any{"title": "Brief the works council", "window": "61-90"}).Want(t, 201).JSON(t, &it)
		if it.Due != "2027-01-11" || it.Window != "61-90" {
			t.Errorf("item %+v", it)
		}
		p = s.Do(t, http.MethodPut, "/api/v1/plan-items/"+it.ID, tok, map[string]any{"title": "x", "link": "javascript:alert(1)", "due": "tomorrow"}).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.link", "body.due"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("problem locations %v lack %s", p.Locations(), loc)
			}
		}
		s.Do(t, http.MethodPut, "/api/v1/engagements/"+e.ID+"/deliverables/governance_board", tok, map[string]any{"done": true}).Want(t, 422)
		s.Do(t, http.MethodPut, "/api/v1/engagements/"+e.ID+"/deliverables/inventory_complete", tok, map[string]any{"done": true, "note": "x"}).Want(t, 422)

		for _, w := range []string{"2026-11-16", "2026-11-23", "2026-11-09"} {
			s.Do(t, http.MethodPost, "/api/v1/engagements/"+e.ID+"/notes", tok, map[string]any{"week": w, "rag": "green", "summary": "Week " + w}).Want(t, 201)
		}
		s.Do(t, http.MethodPost, "/api/v1/engagements/"+e.ID+"/notes", tok, map[string]any{"week": "2026-11-25", "rag": "green", "summary": "Again"}).Want(t, 409)
		var notes struct {
			Total int               `json:"total"`
			Items []caio.StatusNote `json:"items"`
		}
		s.Do(t, http.MethodGet, "/api/v1/engagements/"+e.ID+"/notes?limit=2", tok, nil).Want(t, 200).JSON(t, &notes)
		if notes.Total != 3 || len(notes.Items) != 2 || notes.Items[0].Week != "2026-11-23" || notes.Items[1].Week != "2026-11-16" {
			t.Errorf("notes %+v", notes)
		}

		// Templates are the owner's own.
		var tpl caio.EngagementTemplate
		s.Do(t, http.MethodPost, "/api/v1/engagement-templates", org.Token(caio.RoleOwner), map[string]any{"engagement_id": e.ID, "name": "Insurer"}).Want(t, 201).JSON(t, &tpl)
		s.Do(t, http.MethodGet, "/api/v1/engagement-templates/"+tpl.ID, org.Token(caio.RoleAdmin), nil).Want(t, 404)
		s.Do(t, http.MethodGet, "/api/v1/engagement-templates/"+tpl.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)
		s.Do(t, http.MethodPost, "/api/v1/engagement-templates/"+tpl.ID+"/start", other.Token(caio.RoleOwner), map[string]any{"sponsor": "x", "start": "2027-01-04"}).Want(t, 404)
		s.Do(t, http.MethodGet, "/api/v1/engagement", other.Token(caio.RoleOwner), nil).Want(t, 404)
		s.Do(t, http.MethodGet, "/api/v1/engagements/"+e.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)
		var mine struct {
			Total int `json:"total"`
		}
		s.Do(t, http.MethodGet, "/api/v1/engagement-templates", org.Token(caio.RoleAdmin), nil).Want(t, 200).JSON(t, &mine)
		if mine.Total != 0 {
			t.Errorf("the admin sees %d templates of the owner", mine.Total)
		}
	})
}
