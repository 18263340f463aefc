package app_test

import (
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestAdviceMineFallsToRolesThatMayDoIt: an action whose object's owner is
// no member of the organisation ("Chief Actuary") is for the role the rule
// names and for the roles that may do all it may, so the owner's home page
// shows the editors' unheld work; a viewer's and an approver's do not.
func TestAdviceMineFallsToRolesThatMayDoIt(t *testing.T) {
	if !app.AdvisorAvailable() {
		t.Skip("built without the advisor's CEL engine")
	}
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	onDay(db, "2026-11-27")
	a := app.New(db, nil)
	ctx := caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})
	if _, err := a.LoadDemo(ctx); err != nil {
		t.Fatal(err)
	}
	sys, err := a.SystemActor(ctx, app.DemoSlug)
	if err != nil {
		t.Fatal(err)
	}
	ms, _, err := a.FindMembers(caio.WithActor(ctx, sys), caio.Page{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	mine := map[caio.Role]map[string]bool{}
	for _, m := range ms {
		l, err := a.Advise(caio.WithActor(ctx, memberActor(m)), caio.AdviceFilter{Mine: true, Page: caio.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		mine[m.Role] = map[string]bool{}
		for _, ad := range l.Items {
			mine[m.Role][ad.RuleID] = true
		}
	}
	const rule = "high-risk-risk-management" // owner role editor; the system's owner is the Chief Actuary
	for role, want := range map[caio.Role]bool{caio.RoleOwner: true, caio.RoleEditor: true, caio.RoleApprover: false, caio.RoleViewer: false, caio.RoleContributor: false} {
		if mine[role][rule] != want {
			t.Errorf("%s sees %s among their actions: %v, want %v (they see %v)", role, rule, mine[role][rule], want, mine[role])
		}
	}
}

// TestAdviceAcceptAgainAfterReopen: reopening an accepted action keeps its
// task; accepting it again while that task is open would duplicate the
// work, so it is refused until the task is done.
func TestAdviceAcceptAgainAfterReopen(t *testing.T) {
	if !app.AdvisorAvailable() {
		t.Skip("built without the advisor's CEL engine")
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		_, key := unclassified(t, f, "Accepted twice")
		task, err := f.app.AcceptAction(f.sys, key, caio.AcceptInput{OwnerID: f.members[caio.RoleEditor].UserID})
		if err != nil {
			t.Fatal(err)
		}
		if err := f.app.ReopenAction(f.sys, key); err != nil {
			t.Fatal(err)
		}
		_, err = f.app.AcceptAction(f.sys, key, caio.AcceptInput{OwnerID: f.members[caio.RoleEditor].UserID})
		wantCode(t, err, caio.ECONFLICT)
		if _, err := f.app.CompleteTask(f.sys, task.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.AcceptAction(f.sys, key, caio.AcceptInput{OwnerID: f.members[caio.RoleEditor].UserID}); err != nil {
			t.Fatalf("accept after the first task was done: %v", err)
		}
	})
}
