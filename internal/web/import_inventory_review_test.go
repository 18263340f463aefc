package web_test

import (
	"bytes"
	"html"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/fedinv"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// reviewFedFile writes an individual federal inventory file with one row
// per values map, every other column empty.
func reviewFedFile(t *testing.T, rows ...map[string]string) []byte {
	t.Helper()
	f := &fedinv.File{Kind: fedinv.Individual}
	for _, vals := range rows {
		v := map[string]string{}
		for _, c := range fedinv.IndividualColumns {
			v[c] = ""
		}
		for _, c := range fedinv.ListColumns {
			v[c] = "[]"
		}
		for k, x := range vals {
			v[k] = x
		}
		f.Rows = append(f.Rows, fedinv.Row{Values: v})
	}
	var b bytes.Buffer
	if err := fedinv.Write(&b, f); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The inventory page shows the OMB M-25-21 part of a federal import: the
// high-impact count, the controls and the evidence, and, for someone who
// may not turn the memo on, why nothing was recorded.
func TestReviewImportInventoryOMBCounts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		raw := reviewFedFile(t, map[string]string{"agency": "DHS", "id": "DHS-1", "use_case_name": "Screening model",
			"development_stage": "Deployed", "is_high_impact": "High-impact", "hi_testing_conducted": "Yes",
			"hi_ongoing_monitoring": "Yes - Monitoring Established"})
		text := func(r *servertest.Response) string { return html.UnescapeString(string(r.Body)) }

		org := s.NewOrg(t, "acme")
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		res := uploadFile(t, s, b, "/imports/fedinventory", "individual.csv", raw).Want(t, 200)
		for _, w := range []string{"High-impact use cases: 1", "turned OMB M-25-21 on", "M-25-21 controls added: 7; removed: 0",
			"Evidence from the hi_* answers: 2 added, 0 updated, 0 removed"} {
			if !strings.Contains(text(res), w) {
				t.Errorf("owner's import lacks %q:\n%s", w, res)
			}
		}
		changed := reviewFedFile(t, map[string]string{"agency": "DHS", "id": "DHS-1", "use_case_name": "Screening model",
			"development_stage": "Deployed", "is_high_impact": "High-impact", "hi_testing_conducted": "No"})
		res = uploadFile(t, s, b, "/imports/fedinventory", "individual.csv", changed).Want(t, 200)
		if w := "Evidence from the hi_* answers: 0 added, 1 updated, 1 removed"; !strings.Contains(text(res), w) {
			t.Errorf("re-import lacks %q:\n%s", w, res)
		}

		other := s.NewOrg(t, "globex")
		eb := s.Login(t, other.Members[caio.RoleEditor].Email, servertest.Password)
		res = uploadFile(t, s, eb, "/imports/fedinventory", "individual.csv", raw).Want(t, 200)
		for _, w := range []string{"High-impact use cases: 1", "does not follow OMB M-25-21", "an owner or admin can turn OMB M-25-21 on"} {
			if !strings.Contains(text(res), w) {
				t.Errorf("editor's import lacks %q:\n%s", w, res)
			}
		}
		if strings.Contains(text(res), "M-25-21 controls added") {
			t.Errorf("editor's import shows controls while the memo is off:\n%s", res)
		}
	})
}
