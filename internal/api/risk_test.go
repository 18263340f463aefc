package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// newRisk adds a risk to the organisation through the services.
func newRisk(t *testing.T, s *servertest.Server, org *servertest.Org, title string) *caio.Risk {
	t.Helper()
	r, err := s.App.CreateRisk(org.Sys, caio.RiskInput{Title: title, Likelihood: 3, Impact: 3})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// The risk register's operations join the role matrix of roles_test.go.
func init() {
	roleCases = append(roleCases,
		// App.FindRisks, FindRisk, RiskHeatMap, RiskAppetite, RiskLibraries: PermRead.
		roleCase{name: "list risks", op: "GET /risks", perm: caio.PermRead, req: fixed("/api/v1/risks?breach=1&library=owasp-llm", nil), ok: 200},
		roleCase{name: "risk heat map", op: "GET /risks/heatmap", perm: caio.PermRead, req: fixed("/api/v1/risks/heatmap", nil), ok: 200},
		roleCase{name: "get risk appetite", op: "GET /risk-appetite", perm: caio.PermRead, req: fixed("/api/v1/risk-appetite", nil), ok: 200},
		roleCase{name: "list risk libraries", op: "GET /risk-libraries", perm: caio.PermRead, req: fixed("/api/v1/risk-libraries", nil), ok: 200},
		roleCase{name: "get risk", op: "GET /risks/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/risks/" + newRisk(t, e.s, e.org, fmt.Sprintf("Get %d", e.seq())).ID, nil
		}},
		// App.CreateRisk, UpdateRisk, DeleteRisk, AddTreatment, UpdateTreatment, DeleteTreatment: PermEdit.
		roleCase{name: "create risk", op: "POST /risks", perm: caio.PermEdit, ok: 201,
			req: fixed("/api/v1/risks", map[string]any{"title": "Prompt injection", "category": "owasp-llm:LLM01", "likelihood": 4, "impact": 3})},
		roleCase{name: "update risk", op: "PUT /risks/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/risks/" + newRisk(t, e.s, e.org, fmt.Sprintf("Update %d", e.seq())).ID, map[string]any{"title": "Renamed", "likelihood": 1, "impact": 1}
		}},
		roleCase{name: "delete risk", op: "DELETE /risks/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/risks/" + newRisk(t, e.s, e.org, fmt.Sprintf("Doomed %d", e.seq())).ID, nil
		}},
		roleCase{name: "add treatment", op: "POST /risks/{id}/treatments", perm: caio.PermEdit, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/risks/" + newRisk(t, e.s, e.org, fmt.Sprintf("Treat %d", e.seq())).ID + "/treatments", map[string]any{"description": "Filter prompts"}
		}},
		roleCase{name: "update treatment", op: "PUT /risks/{id}/treatments/{treatment_id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			k := newRisk(t, e.s, e.org, fmt.Sprintf("Treated %d", e.seq()))
			tr, err := e.s.App.AddTreatment(e.org.Sys, k.ID, caio.TreatmentInput{Description: "Filter prompts"})
			if err != nil {
				t.Fatal(err)
			}
			return "/api/v1/risks/" + k.ID + "/treatments/" + tr.ID, map[string]any{"description": "Filter prompts", "status": "done"}
		}},
		roleCase{name: "delete treatment", op: "DELETE /risks/{id}/treatments/{treatment_id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			k := newRisk(t, e.s, e.org, fmt.Sprintf("Untreated %d", e.seq()))
			tr, err := e.s.App.AddTreatment(e.org.Sys, k.ID, caio.TreatmentInput{Description: "Filter prompts"})
			if err != nil {
				t.Fatal(err)
			}
			return "/api/v1/risks/" + k.ID + "/treatments/" + tr.ID, nil
		}},
		// App.SetRiskAppetite: PermManageOrg.
		roleCase{name: "set risk appetite", op: "PUT /risk-appetite", perm: caio.PermManageOrg, req: fixed("/api/v1/risk-appetite", map[string]any{"scale": 5, "appetite": 10}), ok: 200},
	)
}

// TestRiskAPI checks what a client of the register sees: field errors by
// name, the breach flag and filter, the heat map and the libraries.
func TestRiskAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		sys := s.NewSystem(t, org, "Customer chatbot")
		foreign := s.NewSystem(t, other, "Globex system")
		tok := org.Token(caio.RoleEditor)

		// Problems are named by field, all at once.
		p := s.Do(t, http.MethodPost, "/api/v1/risks", tok, map[string]any{"title": "Leak", "category": "owasp-llm:LLM99",
			"likelihood": 6, "impact": 2, "systems": []string{foreign.ID}}).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.likelihood", "body.category", "body.systems"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("problem locations %v lack %s", p.Locations(), loc)
			}
		}

		var high, low caio.Risk
		s.Do(t, http.MethodPost, "/api/v1/risks", tok, map[string]any{"title": "Prompt injection", "category": "owasp-llm:LLM01",
			"likelihood": 4, "impact": 4, "systems": []string{sys.ID}}).Want(t, 201).JSON(t, &high)
		s.Do(t, http.MethodPost, "/api/v1/risks", tok, map[string]any{"title": "Confabulation", "category": "nist-600-1:GAI-2",
			"likelihood": 4, "impact": 4, "residual_likelihood": 2, "residual_impact": 2}).Want(t, 201).JSON(t, &low)
		if !high.Breach || low.Breach || high.Score != 16 || low.Score != 4 || len(high.Links) != 1 {
			t.Errorf("created %+v and %+v", high, low)
		}

		var page struct {
			Total int         `json:"total"`
			Items []caio.Risk `json:"items"`
		}
		s.Do(t, http.MethodGet, "/api/v1/risks?breach=1", tok, nil).Want(t, 200).JSON(t, &page)
		if page.Total != 1 || page.Items[0].ID != high.ID || !page.Items[0].Breach {
			t.Errorf("breach=1: %+v", page)
		}
		s.Do(t, http.MethodGet, "/api/v1/risks?system="+sys.ID, tok, nil).Want(t, 200).JSON(t, &page)
		if page.Total != 1 || page.Items[0].ID != high.ID {
			t.Errorf("by system: %+v", page)
		}
		s.Do(t, http.MethodGet, "/api/v1/risks?sort=sideways", tok, nil).Want(t, 422)

		var h caio.RiskHeatMap
		s.Do(t, http.MethodGet, "/api/v1/risks/heatmap", tok, nil).Want(t, 200).JSON(t, &h)
		if h.Inherent[3][3] != 2 || h.Residual[1][1] != 1 || h.Breaches != 1 || h.Total != 2 {
			t.Errorf("heat map %+v", h)
		}

		var libs struct {
			Items []struct {
				ID, Licence string
				Items       []any
			} `json:"items"`
		}
		s.Do(t, http.MethodGet, "/api/v1/risk-libraries", tok, nil).Want(t, 200).JSON(t, &libs)
		if len(libs.Items) != 4 || libs.Items[0].Licence == "" {
			t.Errorf("libraries %+v", libs)
		}

		// Another organisation sees none of it.
		s.Do(t, http.MethodGet, "/api/v1/risks/"+high.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)
	})
}
