package app_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/tabular"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// actions lists what each row of an import does, such as "update create".
func importActions(res *caio.ImportResult) string {
	var out []string
	for _, a := range res.Actions {
		out = append(out, a.Action)
	}
	return strings.Join(out, " ")
}

// TestImportUpdates re-imports files on both databases: a row matches the
// object with its ID, else with its name (trimmed, case ignored), and
// updates only the mapped columns; the dry run says per row what it would
// do; an ambiguous name, an unknown ID and a second row for one object are
// refused; all or nothing holds for updates too; another organisation's
// objects are never matched.
func TestImportUpdates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := f.sys
		res, err := f.app.ImportFile(ctx, "systems", "s.csv", []byte("Name,Owner,Purpose\nChatbot,Ann,Answers\nScorer,Bob,\n"), nil, "", false)
		if err != nil || res.Created != 2 || res.Updated != 0 || importActions(res) != "create create" {
			t.Fatalf("first import %+v %v", res, err)
		}
		chatbot, scorer := res.IDs[0], res.IDs[1]
		// Another organisation's system of the same name is not matched.
		other := newFixture2(t, f)
		if _, err := f.app.CreateSystem(other, caio.AISystemInput{Name: "Chatbot", Roles: []string{"deployer"}}); err != nil {
			t.Fatal(err)
		}
		again := []byte("Name,Purpose\n  CHATBOT ,Answers customers\nScorer,\nTriage,Sorts claims\n")
		res, err = f.app.ImportFile(ctx, "systems", "s.csv", again, nil, "", true)
		if err != nil || importActions(res) != "update unchanged create" || res.Actions[0].ID != chatbot || res.Actions[1].ID != scorer ||
			res.Created != 1 || res.Updated != 1 || res.Unchanged != 1 {
			t.Fatalf("dry run %+v %v", res, err)
		}
		res, err = f.app.ImportFile(ctx, "systems", "s.csv", again, nil, "", false)
		if err != nil || res.Created != 1 || res.Updated != 1 || res.Unchanged != 1 || len(res.IDs) != 1 {
			t.Fatalf("re-import %+v %v", res, err)
		}
		s, _ := f.app.FindSystem(ctx, chatbot)
		if s.Name != "CHATBOT" || s.Purpose != "Answers customers" || s.Owner != "Ann" {
			t.Errorf("updated system %+v: the unmapped owner must stay", s)
		}
		if _, n, _ := f.app.FindSystems(ctx, caio.AISystemFilter{Page: caio.Page{Limit: 10}}); n != 3 {
			t.Errorf("%d systems after the re-import, want 3", n)
		}
		action := "system.update"
		if es, _, _ := f.app.FindAuditEvents(ctx, caio.AuditFilter{Action: &action}); len(es) != 1 || es[0].ObjectID != chatbot {
			t.Errorf("update audit events %+v", es)
		}
		// By ID (an export's ID column): the name itself changes.
		res, err = f.app.ImportFile(ctx, "systems", "s.csv", []byte("ID,Name\n"+chatbot+",Chatbot v2\n"), nil, "", false)
		if err != nil || res.Updated != 1 || importActions(res) != "update" {
			t.Fatalf("by id %+v %v", res, err)
		}
		if s, _ := f.app.FindSystem(ctx, chatbot); s.Name != "Chatbot v2" || s.Purpose != "Answers customers" {
			t.Errorf("by id: %+v", s)
		}
		// Refused rows: an unknown ID, an ambiguous name, one object twice.
		for _, n := range []string{"Twin", "twin"} {
			if _, err := f.app.CreateSystem(ctx, caio.AISystemInput{Name: n, Roles: []string{"deployer"}}); err != nil {
				t.Fatal(err)
			}
		}
		bad := "ID,Name,Purpose\nsys_0000000000000000000000000,Ghost,x\n,Twin,x\n,Scorer,changed\n,scorer ,again\n"
		res, err = f.app.ImportFile(ctx, "systems", "s.csv", []byte(bad), nil, caio.ImportAll, false)
		if caio.ErrorCode(err) != caio.EINVALID || res.Rejected != 3 || importActions(res) != "reject reject update reject" {
			t.Fatalf("bad rows %+v %v", res, err)
		}
		msgs := ""
		for _, e := range res.Errors {
			msgs += e.Field + ": " + e.Message + "\n"
		}
		for _, w := range []string{"id: is not an AI system of this organisation", "name: matches 2 AI systems", "name: is taken: an earlier row of the file (row 4)"} {
			if !strings.Contains(msgs, w) {
				t.Errorf("errors lack %q:\n%s", w, msgs)
			}
		}
		if s, _ := f.app.FindSystem(ctx, scorer); s.Purpose != "" {
			t.Errorf("all or nothing updated a row: %+v", s)
		}
		// Per row, the valid update goes in.
		res, err = f.app.ImportFile(ctx, "systems", "s.csv", []byte(bad), nil, caio.ImportPerRow, false)
		if err != nil || res.Updated != 1 || res.Rejected != 3 {
			t.Fatalf("per row %+v %v", res, err)
		}
		if s, _ := f.app.FindSystem(ctx, scorer); s.Purpose != "changed" {
			t.Errorf("per row did not update: %+v", s)
		}

		// Use cases, risks and vendors match the same way.
		res, err = f.app.ImportFile(ctx, "usecases", "u.csv", []byte("Title,Problem\nClaims triage,Slow\n"), nil, "", false)
		if err != nil || res.Created != 1 {
			t.Fatalf("use case %+v %v", res, err)
		}
		uc := res.IDs[0]
		res, err = f.app.ImportFile(ctx, "usecases", "u.csv", []byte("Title,Owner\nclaims triage,Dana\n"), nil, "", false)
		if err != nil || res.Updated != 1 || res.Actions[0].ID != uc {
			t.Fatalf("use case update %+v %v", res, err)
		}
		if u, _ := f.app.FindUseCase(ctx, uc); u.Problem != "Slow" || u.Owner != "Dana" {
			t.Errorf("use case %+v", u.UseCase)
		}
		m := tabular.Mapping{"title": "Risk", "likelihood": "L", "impact": "I"}
		if res, err = f.app.ImportFile(ctx, "risks", "r.csv", []byte("Risk,L,I\nBias,2,3\n"), m, "", false); err != nil || res.Created != 1 {
			t.Fatalf("risk %+v %v", res, err)
		}
		rk := res.IDs[0]
		if res, err = f.app.ImportFile(ctx, "risks", "r.csv", []byte("Risk,L,I\nBIAS,4,3\n"), m, "", false); err != nil || res.Updated != 1 {
			t.Fatalf("risk update %+v %v", res, err)
		}
		if r, _ := f.app.FindRisk(ctx, rk); r.Likelihood != 4 || r.InherentScore != 12 {
			t.Errorf("risk %+v", r)
		}
		if res, err = f.app.ImportFile(ctx, "vendors", "v.csv", []byte("Vendor,Country\nAcme AI,DE\n"), nil, "", false); err != nil || res.Created != 1 {
			t.Fatalf("vendor %+v %v", res, err)
		}
		if res, err = f.app.ImportFile(ctx, "vendors", "v.csv", []byte("Vendor,Country\nAcme AI,DE\n"), nil, "", false); err != nil || res.Unchanged != 1 || res.Created != 0 {
			t.Fatalf("vendor again %+v %v", res, err)
		}
		typ := "import"
		es, _, _ := f.app.FindAuditEvents(ctx, caio.AuditFilter{ObjectType: &typ, Page: caio.Page{Limit: 50}})
		if len(es) == 0 || !strings.Contains(string(es[0].Diff), `"unchanged":[null,1]`) {
			t.Errorf("the import's audit event lacks its counts: %+v", es)
		}
		// The fields include the ID column, which an export's ID header fills.
		fields, _ := app.ImportFields("risks")
		if tabular.Guess([]string{"ID", "Title"}, fields)["id"] != "ID" {
			t.Error("an export's ID column does not map to the ID field")
		}
	})
}
