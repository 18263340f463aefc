package api_test

import (
	"encoding/json"
	"fmt"
	"mime"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func init() {
	bom := func(name string) map[string]any {
		return map[string]any{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": []any{
			map[string]any{"type": "machine-learning-model", "name": name, "supplier": map[string]any{"name": "Acme AI"}}}}
	}
	roleCases = append(roleCases,
		// App.ExportCycloneDX: PermRead.
		roleCase{name: "export cyclonedx", op: "GET /exports/cyclonedx", perm: caio.PermRead, req: fixed("/api/v1/exports/cyclonedx", nil), ok: 200},
		// App.ImportCycloneDX: PermEdit.
		roleCase{name: "import cyclonedx", op: "POST /imports/cyclonedx", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/imports/cyclonedx", bom(fmt.Sprintf("Model %d", e.seq()))
		}},
	)
}

func TestCycloneDXAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		sys := s.NewSystem(t, org, "CV screening")
		m := s.NewModel(t, org, "Ranker")
		s.Link(t, org, sys.ID, "model", m.ID)
		viewer, editor := org.Token(caio.RoleViewer), org.Token(caio.RoleEditor)

		res := s.Do(t, "GET", "/api/v1/exports/cyclonedx", viewer, nil).Want(t, 200)
		if res.Header.Get("Content-Type") != "application/vnd.cyclonedx+json" {
			t.Errorf("Content-Type %q", res.Header.Get("Content-Type"))
		}
		if _, params, _ := mime.ParseMediaType(res.Header.Get("Content-Disposition")); params["filename"] != "caio-inventory.cdx.json" {
			t.Errorf("Content-Disposition %q", res.Header.Get("Content-Disposition"))
		}
		var bom struct {
			BOMFormat  string `json:"bomFormat"`
			Components []struct {
				Type, Name string
			} `json:"components"`
			Dependencies []struct {
				Ref       string   `json:"ref"`
				DependsOn []string `json:"dependsOn"`
			} `json:"dependencies"`
		}
		if err := json.Unmarshal(res.Body, &bom); err != nil || bom.BOMFormat != "CycloneDX" || len(bom.Components) != 2 {
			t.Fatalf("BOM: %+v %v", bom, err)
		}
		if bom.Dependencies[0].Ref != sys.ID || len(bom.Dependencies[0].DependsOn) != 1 || bom.Dependencies[0].DependsOn[0] != m.ID {
			t.Errorf("dependencies %+v", bom.Dependencies)
		}
		s.Do(t, "GET", "/api/v1/exports/cyclonedx?system="+sys.ID, viewer, nil).Want(t, 200)
		s.Do(t, "GET", "/api/v1/exports/cyclonedx?system=sys_nope", viewer, nil).Want(t, 404)
		other := s.NewOrg(t, "globex")
		s.Do(t, "GET", "/api/v1/exports/cyclonedx?system="+sys.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)

		// Import into the other organisation; a malformed body names line and column.
		var out struct {
			ModelsCreated int `json:"models_created"`
		}
		s.Do(t, "POST", "/api/v1/imports/cyclonedx", other.Token(caio.RoleEditor), res.Body).Want(t, 200).JSON(t, &out)
		if out.ModelsCreated != 1 {
			t.Errorf("imported %+v", out)
		}
		p := s.Do(t, "POST", "/api/v1/imports/cyclonedx", editor, "{\n\"bomFormat\": CycloneDX}").Want(t, 422).Problem(t)
		if !strings.Contains(p.Detail, "line 2, column 14") {
			t.Errorf("malformed: %+v", p)
		}
	})
}
