package api_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/fedinv"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func init() {
	roleCases = append(roleCases,
		// App.ExportFedInventory: PermRead.
		roleCase{name: "export fedinventory", op: "GET /exports/fedinventory", perm: caio.PermRead, req: fixed("/api/v1/exports/fedinventory?kind=cots", nil), ok: 200},
	)
}

// The organisation's use cases download in OMB's inventory schema.
func TestFedInventoryExport(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "dox")
		if _, err := s.App.CreateUseCase(org.Sys, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "Letter triage, phase 2", Problem: "Slow replies"}}); err != nil {
			t.Fatal(err)
		}
		res := s.Do(t, "GET", "/api/v1/exports/fedinventory", org.Token(caio.RoleViewer), nil).Want(t, 200)
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") || res.Header.Get("X-Rows") != "1" ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "caio-fedinventory-individual.csv") {
			t.Errorf("headers %v", res.Header)
		}
		f, err := fedinv.Read(bytes.NewReader(res.Body))
		if err != nil {
			t.Fatal(err)
		}
		if !f.BOM || len(f.Rows) != 1 || f.Rows[0].Get("use_case_name") != "Letter triage, phase 2" || f.Rows[0].Get("agency") != "dox" {
			t.Errorf("exported %+v", f.Rows)
		}
		s.Do(t, "GET", "/api/v1/exports/fedinventory?kind=xml", org.Token(caio.RoleViewer), nil).Want(t, 422)
	})
}
