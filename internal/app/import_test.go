package app_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/tabular"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestImportUseCasesAndRisks imports through the service on both databases:
// rows are validated by each input's Normalize, an all-or-nothing import
// with a bad row writes nothing, a good one writes every row and one audit
// event with the counts, and per-row imports report the rejected rows.
func TestImportUseCasesAndRisks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := f.sys
		good := "Use case,Problem statement,Approach\nClaims triage,Slow claims,predictive\nFraud hints,Losses,GENERATIVE\n"
		res, err := f.app.ImportFile(ctx, "usecases", "uc.csv", []byte(good), nil, "", false)
		if err != nil || res.Created != 2 || res.Mode != caio.ImportAll {
			t.Fatalf("use cases %+v %v", res, err)
		}
		u, err := f.app.FindUseCase(ctx, res.IDs[1])
		if err != nil || u.Title != "Fraud hints" || u.Approach != "generative" || u.Intake != caio.IntakeAccepted || u.Problem != "Losses" {
			t.Fatalf("use case %+v %v", u, err)
		}
		typ := "import"
		events, _, err := f.app.FindAuditEvents(ctx, caio.AuditFilter{ObjectType: &typ, Page: caio.Page{Limit: 10}})
		if err != nil || len(events) != 1 || !strings.Contains(string(events[0].Diff), `"created":[null,2]`) || events[0].Action != "import.run" {
			t.Fatalf("audit %v %+v", err, events)
		}
		// Risks: a number that is not one, and a likelihood off the scale.
		bad := "Title,Likelihood,Impact\nOK,3,3\nWords,three,3\nHigh,9,2\n"
		res, err = f.app.ImportFile(ctx, "risks", "r.csv", []byte(bad), nil, caio.ImportAll, false)
		if caio.ErrorCode(err) != caio.EINVALID || res == nil || res.Rejected != 2 || res.Created != 0 {
			t.Fatalf("bad risks %+v %v", res, err)
		}
		if res.Errors[0].Message != `must be a whole number, not "three"` || res.Errors[0].Where != "line 3, column 2" || res.Errors[1].Field != "likelihood" {
			t.Fatalf("row errors %+v", res.Errors)
		}
		if _, n, _ := f.app.FindRisks(ctx, caio.RiskFilter{Page: caio.Page{Limit: 10}}); n != 0 {
			t.Fatalf("all-or-nothing wrote %d risks", n)
		}
		res, err = f.app.ImportFile(ctx, "risks", "r.csv", []byte(bad), tabular.Mapping{"title": "Title", "likelihood": "Likelihood", "impact": "Impact"}, caio.ImportPerRow, false)
		if err != nil || res.Created != 1 || res.Rejected != 2 {
			t.Fatalf("per row %+v %v", res, err)
		}
		// Vendors named twice in one file: the second row is refused.
		res, err = f.app.ImportFile(ctx, "vendors", "v.csv", []byte("Vendor\nAcme AI\nACME AI\n"), nil, caio.ImportPerRow, false)
		if err != nil || res.Created != 1 || res.Rejected != 1 || !strings.Contains(res.Errors[0].Message, "is taken") {
			t.Fatalf("duplicate vendors %+v %v", res, err)
		}
		// A viewer may not import; an unknown kind is not found.
		if _, err := f.app.ImportFile(f.as(caio.RoleViewer), "vendors", "v.csv", []byte("Name\nX\n"), nil, "", true); caio.ErrorCode(err) != caio.EFORBIDDEN {
			t.Fatalf("viewer: %v", err)
		}
		if _, err := f.app.ImportFile(ctx, "bogus", "v.csv", []byte("Name\nX\n"), nil, "", true); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Fatalf("bogus kind: %v", err)
		}
	})
}
