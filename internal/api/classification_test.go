package api_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// cvProfile is a complete profile of a deployer's CV-screening system.
func cvProfile() map[string]any {
	return map[string]any{"roles": []string{"deployer"}, "annex_i": "none", "annex_iii": []string{"4(a)"}, "facts": map[string]bool{
		"definition.machine_based": true, "definition.autonomy": true, "definition.infers": true, "definition.outputs_influence": true,
		"scope.eu_nexus": true, "art6_3.profiling": true, "gpai.provider": false,
	}}
}

// classifiedSystem makes a system and classifies it, through the services.
func classifiedSystem(t *testing.T, s *servertest.Server, org *servertest.Org, name string) *caio.AISystem {
	t.Helper()
	sys, err := s.App.CreateSystem(org.Sys, caio.AISystemInput{Name: name, Roles: []string{"deployer"}})
	if err != nil {
		t.Fatal(err)
	}
	res := s.Do(t, http.MethodPut, "/api/v1/systems/"+sys.ID+"/classification", org.Token(caio.RoleOwner), cvProfile())
	res.Want(t, 200)
	return sys
}

func init() {
	roleCases = append(roleCases,
		// App.OrgTimeline (schema, settings), PreviewClassification, FindClassification, ClassificationHistory, Reclassify without apply: PermRead.
		roleCase{name: "classification schema", op: "GET /classification/schema", perm: caio.PermRead, req: fixed("/api/v1/classification/schema", nil), ok: 200},
		roleCase{name: "classify a profile", op: "POST /classify", perm: caio.PermRead, req: fixed("/api/v1/classify", cvProfile()), ok: 200},
		roleCase{name: "get classification", op: "GET /systems/{id}/classification", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/systems/" + classifiedSystem(t, e.s, e.org, "read me").ID + "/classification", nil
		}},
		roleCase{name: "classification history", op: "GET /systems/{id}/classifications", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/systems/" + classifiedSystem(t, e.s, e.org, "history").ID + "/classifications", nil
		}},
		roleCase{name: "reclassify preview", op: "POST /classification/reclassify", perm: caio.PermRead, req: fixed("/api/v1/classification/reclassify", map[string]any{}), ok: 200},
		roleCase{name: "get timeline", op: "GET /classification/settings", perm: caio.PermRead, req: fixed("/api/v1/classification/settings", nil), ok: 200},
		// App.ClassifySystem: PermEdit.
		roleCase{name: "classify a system", op: "PUT /systems/{id}/classification", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			sys, err := e.s.App.CreateSystem(e.org.Sys, caio.AISystemInput{Name: fmt.Sprintf("to classify %d", e.seq()), Roles: []string{"deployer"}})
			if err != nil {
				t.Fatal(err)
			}
			return "/api/v1/systems/" + sys.ID + "/classification", cvProfile()
		}},
		// App.Reclassify with apply: PermEdit.
		roleCase{name: "reclassify apply", op: "POST /classification/reclassify", perm: caio.PermEdit, req: fixed("/api/v1/classification/reclassify", map[string]any{"apply": true}), ok: 200},
		// App.OverrideClassification: PermApprove.
		roleCase{name: "override classification", op: "POST /systems/{id}/classification/override", perm: caio.PermApprove, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/systems/" + classifiedSystem(t, e.s, e.org, "override me").ID + "/classification/override",
				map[string]any{"class": "minimal", "reason": "Counsel reviewed it.", "reference": "LEG-7"}
		}},
		// App.SetOrgTimeline: PermManageOrg.
		roleCase{name: "set timeline", op: "PUT /classification/settings", perm: caio.PermManageOrg, req: fixed("/api/v1/classification/settings", map[string]any{"timeline": "amended"}), ok: 200},
	)
}

func TestClassificationAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		editor := org.Token(caio.RoleEditor)
		sys, err := s.App.CreateSystem(org.Sys, caio.AISystemInput{Name: "CV screening", Roles: []string{"deployer"}, Countries: []string{"FR"}})
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/systems/" + sys.ID + "/classification"

		var out struct {
			Class   string          `json:"class"`
			Record  json.RawMessage `json:"record"`
			Profile struct {
				Roles []string        `json:"roles"`
				Facts map[string]bool `json:"facts"`
			} `json:"profile"`
			Result *struct {
				Class       string   `json:"class"`
				Basis       []string `json:"basis"`
				Provisional bool     `json:"provisional"`
				Obligations []struct {
					ID    string `json:"id"`
					Dates struct {
						Applies string `json:"applies"`
						Enacted string `json:"enacted"`
					} `json:"dates"`
				} `json:"obligations"`
				Missing []struct {
					Fact string `json:"fact"`
				} `json:"missing"`
				Trace []any `json:"trace"`
			} `json:"result"`
		}
		s.Do(t, http.MethodGet, path, editor, nil).Want(t, 200).JSON(t, &out)
		if out.Class != "" || out.Result != nil || string(out.Record) != "null" || !out.Profile.Facts["scope.eu_nexus"] {
			t.Errorf("before classifying: %+v", out)
		}

		s.Do(t, http.MethodPut, path, editor, cvProfile()).Want(t, 200).JSON(t, &out)
		if out.Class != "high_risk" || !slices.Equal(out.Result.Basis, []string{"annex_iii:4(a)"}) || len(out.Result.Trace) == 0 {
			t.Fatalf("classified: %s %v", out.Class, out.Result.Basis)
		}
		if !out.Result.Provisional || len(out.Result.Missing) == 0 {
			t.Errorf("a partial profile is not provisional")
		}
		found := false
		for _, o := range out.Result.Obligations {
			if o.ID == "art26" {
				found = o.Dates.Applies == "2027-12-02" && o.Dates.Enacted == "2026-08-02"
			}
		}
		if !found {
			t.Errorf("art26 missing or misdated: %+v", out.Result.Obligations)
		}

		// A typo and a contradiction name their fields in the body.
		bad := cvProfile()
		bad["facts"].(map[string]bool)["definition.human_rules_only"] = true
		p := s.Do(t, http.MethodPut, path, editor, bad).Want(t, 422).Problem(t)
		if locs := p.Locations(); !slices.Contains(locs, "body.facts.definition.infers") || !slices.Contains(locs, "body.facts.definition.human_rules_only") {
			t.Errorf("contradiction locations %v", locs)
		}
		// A field that does not exist is named where it is, beside dotted fact keys.
		bad = cvProfile()
		bad["colour"] = "red"
		p = s.Do(t, http.MethodPut, path, editor, bad).Want(t, 422).Problem(t)
		if locs := p.Locations(); !slices.Equal(locs, []string{"body.colour"}) {
			t.Errorf("unknown field locations %v, want [body.colour]", locs)
		}
		bad = cvProfile()
		bad["facts"].(map[string]bool)["definition.infer"] = true
		p = s.Do(t, http.MethodPost, "/api/v1/classify", editor, bad).Want(t, 422).Problem(t)
		if locs := p.Locations(); !slices.Equal(locs, []string{"body.facts.definition.infer"}) {
			t.Errorf("unknown fact locations %v", locs)
		}
		bad = cvProfile()
		bad["annex_iii"] = []string{"9(z)"}
		p = s.Do(t, http.MethodPost, "/api/v1/classify", editor, bad).Want(t, 422).Problem(t)
		if locs := p.Locations(); !slices.Contains(locs, "body.annex_iii") {
			t.Errorf("bad annex point locations %v", locs)
		}

		// Override by an approver; the engine's answer stays.
		var ov struct {
			Class    string `json:"class"`
			Override struct {
				EngineClass string `json:"engine_class"`
			} `json:"override"`
		}
		s.Do(t, http.MethodPost, path+"/override", org.Token(caio.RoleApprover), map[string]any{"class": "minimal", "reason": "Sorting only.", "reference": "LEG-1"}).Want(t, 200).JSON(t, &ov)
		if ov.Class != "minimal" || ov.Override.EngineClass != "high_risk" {
			t.Errorf("override: %+v", ov)
		}
		var hist struct {
			Total     int   `json:"total"`
			Items     []any `json:"items"`
			Overrides []any `json:"overrides"`
		}
		s.Do(t, http.MethodGet, "/api/v1/systems/"+sys.ID+"/classifications", editor, nil).Want(t, 200).JSON(t, &hist)
		if hist.Total != 1 || len(hist.Overrides) != 1 {
			t.Errorf("history %+v", hist)
		}

		// The timeline moves the dates after re-classification.
		s.Do(t, http.MethodPut, "/api/v1/classification/settings", org.Token(caio.RoleAdmin), map[string]any{"timeline": "enacted"}).Want(t, 200)
		var rep struct {
			Systems int   `json:"systems"`
			Changes []any `json:"changes"`
			Applied bool  `json:"applied"`
		}
		s.Do(t, http.MethodPost, "/api/v1/classification/reclassify", editor, map[string]any{"apply": true}).Want(t, 200).JSON(t, &rep)
		if rep.Systems != 1 || len(rep.Changes) != 1 || !rep.Applied {
			t.Errorf("reclassify: %+v", rep)
		}

		// Another organisation sees nothing.
		other := s.NewOrg(t, "other")
		s.Do(t, http.MethodGet, path, other.Token(caio.RoleOwner), nil).Want(t, 404).Problem(t)
		s.Do(t, http.MethodPut, path, other.Token(caio.RoleOwner), cvProfile()).Want(t, 404)

		var schema map[string]any
		s.Do(t, http.MethodGet, "/api/v1/classification/schema", editor, nil).Want(t, 200).JSON(t, &schema)
		if schema["title"] == nil {
			t.Errorf("schema: %v", schema)
		}
	})
}
