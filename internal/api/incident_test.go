package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// newIncident records an incident of the organisation through the services.
func newIncident(t *testing.T, s *servertest.Server, org *servertest.Org, title string) *caio.Incident {
	t.Helper()
	i, err := s.App.CreateIncident(org.Sys, caio.IncidentInput{Title: title, AwareAt: "2026-01-05T10:00", Severity: "medium", Harms: []string{"health"}})
	if err != nil {
		t.Fatal(err)
	}
	return i
}

// The incidents' operations join the role matrix of roles_test.go.
func init() {
	action := func(t *testing.T, e *roleEnv, title string) (*caio.Incident, *caio.CorrectiveAction) {
		i := newIncident(t, e.s, e.org, title)
		x, err := e.s.App.AddCorrectiveAction(e.org.Sys, i.ID, caio.CorrectiveInput{Description: "Retrain"})
		if err != nil {
			t.Fatal(err)
		}
		return i, x
	}
	roleCases = append(roleCases,
		// App.FindIncidents, FindIncident, IncidentHarmTypes: PermRead.
		roleCase{name: "list incidents", op: "GET /incidents", perm: caio.PermRead, req: fixed("/api/v1/incidents?serious=1&overdue=0&sort=due", nil), ok: 200},
		roleCase{name: "list harm types", op: "GET /incident-harm-types", perm: caio.PermRead, req: fixed("/api/v1/incident-harm-types", nil), ok: 200},
		roleCase{name: "get incident", op: "GET /incidents/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/incidents/" + newIncident(t, e.s, e.org, fmt.Sprintf("Get %d", e.seq())).ID, nil
		}},
		// App.CreateIncident, UpdateIncident, DeleteIncident and the corrective actions: PermEdit.
		roleCase{name: "create incident", op: "POST /incidents", perm: caio.PermEdit, ok: 201,
			req: fixed("/api/v1/incidents", map[string]any{"title": "Chatbot leak", "aware_at": "2026-01-05T10:00:00Z", "severity": "high", "harms": []string{"privacy"}})},
		roleCase{name: "update incident", op: "PUT /incidents/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/incidents/" + newIncident(t, e.s, e.org, fmt.Sprintf("Update %d", e.seq())).ID, map[string]any{"title": "Renamed", "aware_at": "2026-01-05", "severity": "low"}
		}},
		roleCase{name: "delete incident", op: "DELETE /incidents/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/incidents/" + newIncident(t, e.s, e.org, fmt.Sprintf("Doomed %d", e.seq())).ID, nil
		}},
		roleCase{name: "add corrective action", op: "POST /incidents/{id}/actions", perm: caio.PermEdit, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/incidents/" + newIncident(t, e.s, e.org, fmt.Sprintf("Act %d", e.seq())).ID + "/actions", map[string]any{"description": "Retrain"}
		}},
		roleCase{name: "update corrective action", op: "PUT /incidents/{id}/actions/{action_id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			i, x := action(t, e, fmt.Sprintf("Acted %d", e.seq()))
			return "/api/v1/incidents/" + i.ID + "/actions/" + x.ID, map[string]any{"description": "Retrain", "status": "done"}
		}},
		roleCase{name: "delete corrective action", op: "DELETE /incidents/{id}/actions/{action_id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			i, x := action(t, e, fmt.Sprintf("Unacted %d", e.seq()))
			return "/api/v1/incidents/" + i.ID + "/actions/" + x.ID, nil
		}},
	)
}

// TestIncidentAPI checks what a client sees: field errors by name, the
// clock with its reason and article, the filters and isolation.
func TestIncidentAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		db.Now = func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		ctl := s.NewControl(t, org, "CV screening") // a high-risk system
		foreign := s.NewSystem(t, other, "Globex system")
		tok := org.Token(caio.RoleEditor)

		p := s.Do(t, http.MethodPost, "/api/v1/incidents", tok, map[string]any{"title": "Leak", "aware_at": "next week",
			"severity": "high", "harms": []string{"boredom"}, "systems": []string{foreign.ID}, "status": "reported"}).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.aware_at", "body.harms", "body.systems", "body.reported_at"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("problem locations %v lack %s", p.Locations(), loc)
			}
		}

		var i caio.Incident
		s.Do(t, http.MethodPost, "/api/v1/incidents", tok, map[string]any{"title": "Applicants ranked by age", "aware_at": "2026-11-26T09:00:00+01:00",
			"severity": "high", "harms": []string{"fundamental_rights"}, "widespread": true, "systems": []string{ctl.SystemID}}).Want(t, 201).JSON(t, &i)
		c := i.Clock
		if !i.Serious || !i.HighRisk || c == nil || c.Days != 2 || c.Article != "Art 73(3)" || c.State != "running" || c.HoursLeft != 23 ||
			!c.Due.Equal(time.Date(2026, 11, 28, 8, 0, 0, 0, time.UTC)) || len(c.Deadlines) != 2 || c.Reason == "" {
			t.Errorf("incident %+v, clock %+v", i, c)
		}

		var page struct {
			Total int             `json:"total"`
			Items []caio.Incident `json:"items"`
		}
		s.Do(t, http.MethodGet, "/api/v1/incidents?serious=1&system="+ctl.SystemID, tok, nil).Want(t, 200).JSON(t, &page)
		if page.Total != 1 || page.Items[0].ID != i.ID || page.Items[0].Clock == nil {
			t.Errorf("serious: %+v", page)
		}
		s.Do(t, http.MethodGet, "/api/v1/incidents?overdue=1", tok, nil).Want(t, 200).JSON(t, &page)
		if page.Total != 0 {
			t.Errorf("overdue: %+v", page)
		}
		s.Do(t, http.MethodGet, "/api/v1/incidents?sort=sideways", tok, nil).Want(t, 422)
		s.Do(t, http.MethodGet, "/api/v1/incidents?system=nope", tok, nil).Want(t, 422)

		// A stale version is a conflict; the right one saves.
		body := map[string]any{"title": "Applicants ranked by age", "aware_at": "2026-11-26T08:00:00Z", "severity": "critical",
			"harms": []string{"fundamental_rights"}, "status": "reported", "reported_at": "2026-11-27T08:30:00Z", "reported_to": "Market surveillance authority, DE", "version": 9}
		s.Do(t, http.MethodPut, "/api/v1/incidents/"+i.ID, tok, body).Want(t, 409)
		body["version"] = 1
		s.Do(t, http.MethodPut, "/api/v1/incidents/"+i.ID, tok, body).Want(t, 200).JSON(t, &i)
		if i.Clock.State != "reported" || i.Clock.Days != 15 || i.Widespread || len(i.Systems) != 0 {
			t.Errorf("after update %+v, clock %+v", i, i.Clock)
		}

		var x caio.CorrectiveAction
		s.Do(t, http.MethodPost, "/api/v1/incidents/"+i.ID+"/actions", tok, map[string]any{"description": "Remove age from the features", "due": "2026-12-01"}).Want(t, 201).JSON(t, &x)
		if x.Status != "planned" || x.IncidentID != i.ID {
			t.Errorf("action %+v", x)
		}
		s.Do(t, http.MethodPost, "/api/v1/incidents/"+i.ID+"/actions", tok, map[string]any{"description": "x", "due": "soon"}).Want(t, 422)

		var harms struct {
			Items []caio.HarmType `json:"items"`
		}
		s.Do(t, http.MethodGet, "/api/v1/incident-harm-types", tok, nil).Want(t, 200).JSON(t, &harms)
		if len(harms.Items) != len(caio.HarmTypes) || harms.Items[1].Ref != "Art 3(49)(b)" {
			t.Errorf("harm types %+v", harms)
		}

		// Another organisation sees none of it.
		s.Do(t, http.MethodGet, "/api/v1/incidents/"+i.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)
		s.Do(t, http.MethodDelete, "/api/v1/incidents/"+i.ID+"/actions/"+x.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)
	})
}
