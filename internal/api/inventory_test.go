package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The inventory operations join the role matrix of roles_test.go.
func init() {
	roleCases = append(roleCases,
		// App.FindSystems, FindSystem, FindSystemLinks: PermRead.
		roleCase{name: "list systems", op: "GET /systems", perm: caio.PermRead, req: fixed("/api/v1/systems?class=unclassified", nil), ok: 200},
		roleCase{name: "get system", op: "GET /systems/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/systems/" + e.s.NewSystem(t, e.org, fmt.Sprintf("Get %d", e.seq())).ID, nil
		}},
		roleCase{name: "list system links", op: "GET /systems/{id}/links", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/systems/" + e.s.NewSystem(t, e.org, fmt.Sprintf("Links %d", e.seq())).ID + "/links", nil
		}},
		// App.CreateSystem, UpdateSystem, DeleteSystem, BulkUpdateSystems, LinkSystem, UnlinkSystem: PermEdit.
		roleCase{name: "create system", op: "POST /systems", perm: caio.PermEdit, req: fixed("/api/v1/systems", map[string]any{"name": "Claims triage", "roles": []string{"deployer"}}), ok: 201},
		roleCase{name: "update system", op: "PUT /systems/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/systems/" + e.s.NewSystem(t, e.org, fmt.Sprintf("Update %d", e.seq())).ID, map[string]any{"name": "Renamed", "roles": []string{"provider"}}
		}},
		roleCase{name: "delete system", op: "DELETE /systems/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/systems/" + e.s.NewSystem(t, e.org, fmt.Sprintf("Doomed %d", e.seq())).ID, nil
		}},
		roleCase{name: "bulk update systems", op: "PATCH /systems", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/systems", map[string]any{"ids": []string{e.s.NewSystem(t, e.org, fmt.Sprintf("Bulk %d", e.seq())).ID}, "stage": "testing"}
		}},
		roleCase{name: "link system", op: "POST /systems/{id}/links", perm: caio.PermEdit, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/systems/" + e.s.NewSystem(t, e.org, fmt.Sprintf("Link %d", e.seq())).ID + "/links", map[string]any{"kind": "objective", "target_id": e.obj.ID}
		}},
		roleCase{name: "unlink system", op: "DELETE /systems/{id}/links/{kind}/{target_id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			s := e.s.NewSystem(t, e.org, fmt.Sprintf("Unlink %d", e.seq()))
			e.s.Link(t, e.org, s.ID, "objective", e.obj.ID)
			return "/api/v1/systems/" + s.ID + "/links/objective/" + e.obj.ID, nil
		}},
	)
	for _, k := range []struct {
		path, name string
		make       func(t *testing.T, e *roleEnv) string
		body       func(e *roleEnv) map[string]any
	}{
		{"models", "model", func(t *testing.T, e *roleEnv) string {
			return e.s.NewModel(t, e.org, fmt.Sprintf("Model %d", e.seq())).ID
		},
			func(e *roleEnv) map[string]any {
				return map[string]any{"name": fmt.Sprintf("Model %d", e.seq()), "kind": "llm"}
			}},
		{"datasets", "dataset", func(t *testing.T, e *roleEnv) string {
			return e.s.NewDataset(t, e.org, fmt.Sprintf("Data %d", e.seq())).ID
		},
			func(e *roleEnv) map[string]any { return map[string]any{"name": fmt.Sprintf("Data %d", e.seq())} }},
		{"vendors", "vendor", func(t *testing.T, e *roleEnv) string {
			return e.s.NewVendor(t, e.org, fmt.Sprintf("Vendor %d", e.seq())).ID
		},
			func(e *roleEnv) map[string]any { return map[string]any{"name": fmt.Sprintf("Vendor %d", e.seq())} }},
	} {
		roleCases = append(roleCases,
			roleCase{name: "list " + k.path, op: "GET /" + k.path, perm: caio.PermRead, req: fixed("/api/v1/"+k.path, nil), ok: 200},
			roleCase{name: "get " + k.name, op: "GET /" + k.path + "/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
				return "/api/v1/" + k.path + "/" + k.make(t, e), nil
			}},
			roleCase{name: "create " + k.name, op: "POST /" + k.path, perm: caio.PermEdit, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
				return "/api/v1/" + k.path, k.body(e)
			}},
			roleCase{name: "update " + k.name, op: "PUT /" + k.path + "/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
				return "/api/v1/" + k.path + "/" + k.make(t, e), k.body(e)
			}},
			roleCase{name: "delete " + k.name, op: "DELETE /" + k.path + "/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
				return "/api/v1/" + k.path + "/" + k.make(t, e), nil
			}},
		)
	}
}

// inventoryList is one page of an inventory list.
type inventoryList[T any] struct {
	Total int `json:"total"`
	Items []T `json:"items"`
}

func TestInventoryAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		editor := org.Token(caio.RoleEditor)
		obj := s.NewObjective(t, org, "Hire faster")

		var sys caio.AISystem
		s.Do(t, "POST", "/api/v1/systems", editor, map[string]any{
			"name": "CV screening", "purpose": "Rank job applicants", "owner": "Chief People Officer", "stage": "production",
			"countries": []string{"de", "FR"}, "autonomy": "human_in_the_loop", "roles": []string{"deployer", "importer"},
		}).Want(t, http.StatusCreated).JSON(t, &sys)
		if sys.Name != "CV screening" || !slices.Equal(sys.Countries, []string{"DE", "FR"}) || !slices.Equal(sys.Roles, []string{"deployer", "importer"}) ||
			sys.Class != "" || sys.ClassifiedAt != nil || sys.Version != 1 {
			t.Fatalf("created %+v", sys)
		}
		res := s.Do(t, "GET", "/api/v1/systems/"+sys.ID, org.Token(caio.RoleViewer), nil).Want(t, http.StatusOK)
		for _, field := range []string{`"class":""`, `"basis":""`, `"next_deadline":""`, `"classified_at":null`, `"business_unit":""`} {
			if !strings.Contains(string(res.Body), field) {
				t.Errorf("a system as JSON lacks %s: %s", field, res.Body)
			}
		}

		var vendor caio.Vendor
		s.Do(t, "POST", "/api/v1/vendors", editor, map[string]any{"name": "TalentSoft", "website": "https://talentsoft.example", "country": "nl"}).
			Want(t, http.StatusCreated).JSON(t, &vendor)
		var model caio.AIModel
		s.Do(t, "POST", "/api/v1/models", editor, map[string]any{"name": "Ranker", "kind": "deep_learning", "model_version": "3.2"}).
			Want(t, http.StatusCreated).JSON(t, &model)
		if model.ModelVersion != "3.2" || model.Version != 1 {
			t.Errorf("model %+v", model)
		}
		var ds caio.Dataset
		s.Do(t, "POST", "/api/v1/datasets", editor, map[string]any{"name": "Applications", "personal_data": true, "special_categories": []string{"health"}}).
			Want(t, http.StatusCreated).JSON(t, &ds)

		// Links.
		for kind, id := range map[string]string{"vendor": vendor.ID, "model": model.ID, "dataset": ds.ID, "objective": obj.ID} {
			s.Do(t, "POST", "/api/v1/systems/"+sys.ID+"/links", editor, map[string]any{"kind": kind, "target_id": id}).Want(t, http.StatusCreated)
		}
		s.Do(t, "POST", "/api/v1/systems/"+sys.ID+"/links", editor, map[string]any{"kind": "vendor", "target_id": vendor.ID}).Want(t, http.StatusConflict)
		s.Do(t, "POST", "/api/v1/systems/"+sys.ID+"/links", editor, map[string]any{"kind": "model", "target_id": caio.NewID("mdl")}).Want(t, http.StatusNotFound)
		var links struct{ Items []caio.SystemLink }
		s.Do(t, "GET", "/api/v1/systems/"+sys.ID+"/links", editor, nil).Want(t, http.StatusOK).JSON(t, &links)
		if len(links.Items) != 4 || links.Items[3].Kind != "vendor" || links.Items[3].TargetName != "TalentSoft" {
			t.Errorf("links %+v", links.Items)
		}
		var byVendor inventoryList[caio.AISystem]
		s.Do(t, "GET", "/api/v1/systems?vendor="+vendor.ID+"&stage=production&sort=next_deadline", editor, nil).Want(t, http.StatusOK).JSON(t, &byVendor)
		if byVendor.Total != 1 || byVendor.Items[0].ID != sys.ID {
			t.Errorf("systems of the vendor: %+v", byVendor)
		}
		s.Do(t, "DELETE", "/api/v1/systems/"+sys.ID+"/links/model/"+model.ID, editor, nil).Want(t, http.StatusNoContent)
		s.Do(t, "DELETE", "/api/v1/systems/"+sys.ID+"/links/model/"+model.ID, editor, nil).Want(t, http.StatusNotFound)

		// Bulk edit, all or nothing.
		other := s.NewSystem(t, org, "Chatbot")
		var bulk struct{ Updated int }
		s.Do(t, "PATCH", "/api/v1/systems", editor, map[string]any{"ids": []string{sys.ID, other.ID}, "owner": "Head of Service"}).Want(t, http.StatusOK).JSON(t, &bulk)
		if bulk.Updated != 2 {
			t.Errorf("bulk updated %d", bulk.Updated)
		}
		missing := caio.NewID("sys")
		p := s.Do(t, "PATCH", "/api/v1/systems", editor, map[string]any{"ids": []string{other.ID, missing}, "stage": "retired"}).Want(t, http.StatusNotFound).Problem(t)
		if !strings.Contains(p.Detail, missing) || !slices.Contains(p.Locations(), "body.ids") {
			t.Errorf("bulk with an unknown id: %+v", p)
		}
		if got, _ := s.App.FindSystem(org.Sys, other.ID); got.Stage == "retired" {
			t.Error("a failed bulk edit changed a system")
		}

		// Update with the version, then a stale one.
		s.Do(t, "PUT", "/api/v1/systems/"+other.ID, editor, map[string]any{"name": "Chatbot v2", "roles": []string{"provider"}, "version": 2}).Want(t, http.StatusOK)
		s.Do(t, "PUT", "/api/v1/systems/"+other.ID, editor, map[string]any{"name": "Lost", "roles": []string{"provider"}, "version": 2}).Want(t, http.StatusConflict)

		// Deleting a vendor removes its links.
		s.Do(t, "DELETE", "/api/v1/vendors/"+vendor.ID, editor, nil).Want(t, http.StatusNoContent)
		s.Do(t, "GET", "/api/v1/systems?vendor="+vendor.ID, editor, nil).Want(t, http.StatusOK).JSON(t, &byVendor)
		if byVendor.Total != 0 {
			t.Errorf("systems of a deleted vendor: %d", byVendor.Total)
		}
		var models inventoryList[caio.AIModel]
		s.Do(t, "GET", "/api/v1/models?kind=deep_learning&q=rank&sort=-created", editor, nil).Want(t, http.StatusOK).JSON(t, &models)
		if models.Total != 1 || models.Items[0].ID != model.ID {
			t.Errorf("models %+v", models)
		}
		var datasets inventoryList[caio.Dataset]
		s.Do(t, "GET", "/api/v1/datasets?personal_data=false", editor, nil).Want(t, http.StatusOK).JSON(t, &datasets)
		if datasets.Total != 0 {
			t.Errorf("datasets without personal data: %+v", datasets)
		}
		s.Do(t, "DELETE", "/api/v1/systems/"+sys.ID, editor, nil).Want(t, http.StatusNoContent)
		s.Do(t, "GET", "/api/v1/systems/"+sys.ID, editor, nil).Want(t, http.StatusNotFound)
	})
}

// TestInventoryBadInput sends invalid inventory requests and checks that
// each is refused with problem+json naming the field, writing nothing.
func TestInventoryBadInput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		token := org.Token(caio.RoleOwner)
		sys := s.NewSystem(t, org, "Claims triage")
		s.NewVendor(t, org, "TalentSoft")
		sysPath := "/api/v1/systems/" + sys.ID
		tests := []struct {
			name, method, path, body string
			wantStatus               int
			wantLocation             string
		}{
			{"system without a name", "POST", "/api/v1/systems", `{"roles":["deployer"]}`, 422, "body.name"},
			{"system without roles", "POST", "/api/v1/systems", `{"name":"x"}`, 422, "body.roles"},
			{"system with no role", "POST", "/api/v1/systems", `{"name":"x","roles":[]}`, 422, "body.roles"},
			{"system with an unknown role", "POST", "/api/v1/systems", `{"name":"x","roles":["owner"]}`, 422, "body.roles[0]"},
			{"system with an unknown stage", "POST", "/api/v1/systems", `{"name":"x","roles":["deployer"],"stage":"live"}`, 422, "body.stage"},
			{"system with a bad country", "POST", "/api/v1/systems", `{"name":"x","roles":["deployer"],"countries":["UK"]}`, 422, "body.countries"},
			{"system with a bad autonomy", "PUT", sysPath, `{"name":"x","roles":["deployer"],"autonomy":"full"}`, 422, "body.autonomy"},
			{"system with a blank name", "PUT", sysPath, `{"name":"  ","roles":["deployer"]}`, 422, "body.name"},
			{"system purpose too long", "POST", "/api/v1/systems", `{"name":"x","roles":["deployer"],"purpose":"` + strings.Repeat("p", 2001) + `"}`, 422, "body.purpose"},
			{"system class cannot be set", "POST", "/api/v1/systems", `{"name":"x","roles":["deployer"],"class":"minimal"}`, 422, "body.class"},
			{"stale system", "PUT", sysPath, `{"name":"x","roles":["deployer"],"version":9}`, 409, ""},
			{"list bad class", "GET", "/api/v1/systems?class=scary", "", 422, "query.class"},
			{"list bad stage", "GET", "/api/v1/systems?stage=live", "", 422, "query.stage"},
			{"list bad sort", "GET", "/api/v1/systems?sort=owner", "", 422, "query.sort"},
			{"list bad deadline", "GET", "/api/v1/systems?deadline_before=2027-02-30", "", 422, "query.deadline_before"},
			{"list limit", "GET", "/api/v1/systems?limit=501", "", 422, "query.limit"},
			{"bulk without ids", "PATCH", "/api/v1/systems", `{"ids":[],"stage":"testing"}`, 422, "body.ids"},
			{"bulk without change", "PATCH", "/api/v1/systems", `{"ids":["` + sys.ID + `"]}`, 422, "body.stage"},
			{"bulk bad stage", "PATCH", "/api/v1/systems", `{"ids":["` + sys.ID + `"],"stage":"live"}`, 422, "body.stage"},
			{"link bad kind", "POST", sysPath + "/links", `{"kind":"usecase","target_id":"x"}`, 422, "body.kind"},
			{"link without target", "POST", sysPath + "/links", `{"kind":"model"}`, 422, "body.target_id"},
			{"model without kind", "POST", "/api/v1/models", `{"name":"x"}`, 422, "body.kind"},
			{"model bad kind", "POST", "/api/v1/models", `{"name":"x","kind":"expert"}`, 422, "body.kind"},
			{"dataset contradiction", "POST", "/api/v1/datasets", `{"name":"x","personal_data":false,"special_categories":["health"]}`, 422, "body.personal_data"},
			{"dataset contradiction names both", "POST", "/api/v1/datasets", `{"name":"x","special_categories":["biometric"]}`, 422, "body.special_categories"},
			{"dataset unknown category", "POST", "/api/v1/datasets", `{"name":"x","personal_data":true,"special_categories":["shoe_size"]}`, 422, "body.special_categories[0]"},
			{"vendor name taken", "POST", "/api/v1/vendors", `{"name":"talentsoft"}`, 409, "body.name"},
			{"vendor bad website", "POST", "/api/v1/vendors", `{"name":"x","website":"ftp://x"}`, 422, "body.website"},
			{"vendor bad country", "POST", "/api/v1/vendors", `{"name":"x","country":"XX"}`, 422, "body.country"},
			{"models bad sort", "GET", "/api/v1/models?sort=kind", "", 422, "query.sort"},
			{"datasets bad flag", "GET", "/api/v1/datasets?personal_data=maybe", "", 422, "query.personal_data"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := s.Count(t, org)
				var body any
				if tc.body != "" {
					body = tc.body
				}
				res := s.Do(t, tc.method, tc.path, token, body).Want(t, tc.wantStatus)
				p := res.Problem(t)
				if p.Detail == "" {
					t.Errorf("problem has no detail: %s", res)
				}
				if tc.wantLocation != "" && !slices.Contains(p.Locations(), tc.wantLocation) {
					t.Errorf("problem names %v, want %s: %s", p.Locations(), tc.wantLocation, res)
				}
				if after := s.Count(t, org); after != before {
					t.Errorf("counts changed from %+v to %+v", before, after)
				}
			})
		}
	})
}
