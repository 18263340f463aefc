package app_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func tableCounts(st *sqldb.OrgExportStats) map[string]int64 {
	m := map[string]int64{}
	for _, t := range st.Tables {
		m[t.Table] = t.Rows
	}
	return m
}

// TestOrgExportSQLiteToPostgres moves the demo organisation from SQLite to
// PostgreSQL with caio export json / import json, as docs/operations.md
// describes, and back into the same SQLite database as a copy.
func TestOrgExportSQLiteToPostgres(t *testing.T) {
	src := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	onDay(src, "2026-11-27")
	a := app.New(src, nil)
	root := caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})
	if _, err := a.LoadDemo(root); err != nil {
		t.Fatal(err)
	}
	sys, err := a.SystemActor(root, app.DemoSlug)
	if err != nil {
		t.Fatal(err)
	}
	ctx := caio.WithActor(root, sys)
	before, err := a.VerifyAudit(ctx)
	if err != nil || !before.Intact {
		t.Fatalf("source chain: %+v %v", before, err)
	}
	var buf bytes.Buffer
	exp, err := a.ExportOrgJSON(ctx, &buf)
	if err != nil {
		t.Fatal(err)
	}
	counts := tableCounts(exp)
	for _, table := range []string{"organizations", "users", "memberships", "audit_events", "ai_systems", "controls", "use_cases", "risks"} {
		if counts[table] == 0 {
			t.Errorf("the export holds no %s", table)
		}
	}
	if counts["organizations"] != 1 {
		t.Errorf("the export holds %d organisations, want 1 (the other demo organisation stays behind)", counts["organizations"])
	}
	if strings.Contains(buf.String(), "$argon2") {
		t.Errorf("the export holds a password hash")
	}
	// A member may not export the whole organisation.
	if _, err := a.ExportOrgJSON(caio.WithActor(root, caio.Actor{UserID: "usr_x", OrgID: sys.OrgID, Role: caio.RoleEditor}), &bytes.Buffer{}); caio.ErrorCode(err) != caio.EFORBIDDEN {
		t.Errorf("editor export: %v", err)
	}

	// Into PostgreSQL: every table holds as many rows, IDs are kept and the chain verifies.
	dst := sqldbtest.Open(t, sqldb.Postgres, sqldbtest.Options{})
	b := app.New(dst, nil)
	imp, err := b.ImportOrgJSON(root, bytes.NewReader(buf.Bytes()), "")
	if err != nil {
		t.Fatal(err)
	}
	if imp.Remapped || imp.Rechained || imp.OrgID != sys.OrgID || imp.OrgSlug != app.DemoSlug {
		t.Errorf("import into a new database: %+v", imp)
	}
	sys2, err := b.SystemActor(root, app.DemoSlug)
	if err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	exp2, err := b.ExportOrgJSON(caio.WithActor(root, sys2), &again)
	if err != nil {
		t.Fatal(err)
	}
	got := tableCounts(exp2)
	for table, n := range counts {
		want := n
		if table == "audit_events" {
			want++ // the import's own event
		}
		if got[table] != want {
			t.Errorf("%s: %d rows in PostgreSQL, %d exported from SQLite", table, got[table], want)
		}
	}
	after, err := b.VerifyAudit(caio.WithActor(root, sys2))
	// The source's events, the import's and the second export's.
	if err != nil || !after.Intact || after.Events != before.Events+2 {
		t.Errorf("chain in PostgreSQL: %+v (source had %d events) %v", after, before.Events, err)
	}
	systems, _, err := b.FindSystems(caio.WithActor(root, sys2), caio.AISystemFilter{})
	if err != nil || len(systems) == 0 {
		t.Errorf("systems in PostgreSQL: %d %v", len(systems), err)
	}
	// Members can be found, but have no password until one is set.
	ms, _, _ := b.FindMembers(caio.WithActor(root, sys2), caio.Page{Limit: 100})
	if int64(len(ms)) != counts["memberships"] {
		t.Errorf("%d members, want %d", len(ms), counts["memberships"])
	}

	// The same file into the same database: the slug must change, IDs are
	// remapped, users are the existing ones and the chain is re-chained.
	if _, err := a.ImportOrgJSON(root, bytes.NewReader(buf.Bytes()), ""); caio.ErrorCode(err) != caio.ECONFLICT {
		t.Errorf("same slug: %v", err)
	}
	cp, err := a.ImportOrgJSON(root, bytes.NewReader(buf.Bytes()), "demo-copy")
	if err != nil {
		t.Fatal(err)
	}
	if !cp.Remapped || !cp.Rechained || cp.OrgID == sys.OrgID || cp.UsersMatched != int(counts["users"]) {
		t.Errorf("copy: %+v", cp)
	}
	csys, err := a.SystemActor(root, "demo-copy")
	if err != nil {
		t.Fatal(err)
	}
	v, err := a.VerifyAudit(caio.WithActor(root, csys))
	if err != nil || !v.Intact {
		t.Errorf("copy chain: %+v %v", v, err)
	}
	copied, _, _ := a.FindSystems(caio.WithActor(root, csys), caio.AISystemFilter{})
	orig, _, _ := a.FindSystems(ctx, caio.AISystemFilter{})
	if len(copied) != len(orig) || len(copied) == 0 || copied[0].ID == orig[0].ID {
		t.Errorf("copy has %d systems, the original %d", len(copied), len(orig))
	}

	// Bad input changes nothing.
	if _, err := b.ImportOrgJSON(root, strings.NewReader("not gzip"), "x"); caio.ErrorCode(err) != caio.EINVALID {
		t.Errorf("not gzip: %v", err)
	}
	owner := caio.Actor{UserID: ms[0].UserID, OrgID: sys2.OrgID, Role: caio.RoleOwner}
	if _, err := b.ImportOrgJSON(caio.WithActor(root, owner), bytes.NewReader(buf.Bytes()), "y"); caio.ErrorCode(err) != caio.EFORBIDDEN {
		t.Errorf("an owner may import an organisation: %v", err)
	}
	truncated := buf.Bytes()[:buf.Len()/2]
	if _, err := b.ImportOrgJSON(root, bytes.NewReader(truncated), "half"); err == nil {
		t.Errorf("a truncated export imports")
	}
	if _, err := b.SystemActor(root, "half"); caio.ErrorCode(err) != caio.ENOTFOUND {
		t.Errorf("a failed import left an organisation: %v", err)
	}
}
