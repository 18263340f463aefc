package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// needAdvisor skips a test of a build without the advisor's CEL engine.
func needAdvisor(t *testing.T) {
	t.Helper()
	if !app.AdvisorAvailable() {
		t.Skip("built without the advisor's CEL engine")
	}
}

// unclassified adds an AI system that was never classified, which the
// built-in rule system-unclassified advises to classify, and returns the
// action's key.
func unclassified(t *testing.T, f *fixture, name string) (*caio.AISystem, string) {
	t.Helper()
	s, err := f.app.CreateSystem(f.sys, caio.AISystemInput{Name: name + " " + randomHex(), Roles: []string{"deployer"}, Stage: "production"})
	if err != nil {
		t.Fatal(err)
	}
	return s, "system-unclassified/" + s.ID
}

// The advisor's services join the role matrix of app_test.go.
func init() {
	task := func(t *testing.T, f *fixture, owner *caio.Membership) *caio.Task {
		needAdvisor(t)
		in := caio.TaskInput{Title: "Task " + randomHex()}
		if owner != nil {
			in.OwnerID = owner.UserID
		}
		tk, err := f.app.CreateTask(f.sys, in)
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	rule := func(t *testing.T, f *fixture) *caio.AdvisorRule {
		needAdvisor(t)
		r, err := f.app.CreateAdvisorRule(f.sys, ownerRule())
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	actions = append(actions,
		action{"Advise", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.Advise(ctx, caio.AdviceFilter{Mine: true})
				return err
			}
		}},
		action{"AcceptAction", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			needAdvisor(t)
			_, key := unclassified(t, f, "Accepted")
			return func(ctx context.Context) error {
				_, err := f.app.AcceptAction(ctx, key, caio.AcceptInput{})
				return err
			}
		}},
		action{"SnoozeAction", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			needAdvisor(t)
			_, key := unclassified(t, f, "Snoozed")
			until := time.Now().UTC().AddDate(0, 0, 7).Format(time.DateOnly)
			return func(ctx context.Context) error {
				_, err := f.app.SnoozeAction(ctx, key, caio.SnoozeInput{Until: until, Reason: "later"})
				return err
			}
		}},
		action{"DismissAction", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			needAdvisor(t)
			_, key := unclassified(t, f, "Dismissed")
			return func(ctx context.Context) error { _, err := f.app.DismissAction(ctx, key, "not AI"); return err }
		}},
		action{"ReopenAction", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			needAdvisor(t)
			_, key := unclassified(t, f, "Reopened")
			if _, err := f.app.DismissAction(f.sys, key, "not AI"); err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error { return f.app.ReopenAction(ctx, key) }
		}},
		action{"FindTasks", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, _, err := f.app.FindTasks(ctx, caio.TaskFilter{Mine: true})
				return err
			}
		}},
		action{"FindTask", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			tk := task(t, f, nil)
			return func(ctx context.Context) error { _, err := f.app.FindTask(ctx, tk.ID); return err }
		}},
		action{"CreateTask", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.CreateTask(ctx, caio.TaskInput{Title: "By hand"})
				return err
			}
		}},
		// Contributors work their own tasks: each role updates and
		// completes a task it owns.
		action{"UpdateTask", caio.PermContribute, true, func(t *testing.T, f *fixture, m *caio.Membership) func(context.Context) error {
			tk := task(t, f, m)
			return func(ctx context.Context) error {
				in := tk.Input()
				in.Title = "Renamed"
				_, err := f.app.UpdateTask(ctx, tk.ID, 0, in)
				return err
			}
		}},
		action{"CompleteTask", caio.PermContribute, true, func(t *testing.T, f *fixture, m *caio.Membership) func(context.Context) error {
			tk := task(t, f, m)
			return func(ctx context.Context) error { _, err := f.app.CompleteTask(ctx, tk.ID); return err }
		}},
		action{"DeleteTask", caio.PermEdit, true, func(t *testing.T, f *fixture, m *caio.Membership) func(context.Context) error {
			tk := task(t, f, m)
			return func(ctx context.Context) error { return f.app.DeleteTask(ctx, tk.ID) }
		}},
		action{"AdvisorRules", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, _, err := f.app.AdvisorRules(ctx); return err }
		}},
		action{"CreateAdvisorRule", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			needAdvisor(t)
			return func(ctx context.Context) error { _, err := f.app.CreateAdvisorRule(ctx, ownerRule()); return err }
		}},
		action{"UpdateAdvisorRule", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			r := rule(t, f)
			return func(ctx context.Context) error {
				in := r.Input()
				in.Impact = 5
				_, err := f.app.UpdateAdvisorRule(ctx, r.ID, 0, in)
				return err
			}
		}},
		action{"DeleteAdvisorRule", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			r := rule(t, f)
			return func(ctx context.Context) error { return f.app.DeleteAdvisorRule(ctx, r.ID) }
		}},
		action{"TryRule", caio.PermEdit, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			needAdvisor(t)
			return func(ctx context.Context) error { _, err := f.app.TryRule(ctx, ownerRule()); return err }
		}},
		action{"DisableBuiltin", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.DisableBuiltin(ctx, "vendor-unassessed", "no vendors")
				return err
			}
		}},
		action{"EnableBuiltin", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			if _, err := f.app.DisableBuiltin(f.sys, "readiness-missing", "later"); err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error { _, err := f.app.EnableBuiltin(ctx, "readiness-missing"); return err }
		}},
	)
}

// ownerRule is the rule of the example: production systems have
// an owner.
func ownerRule() caio.AdvisorRuleInput {
	return caio.AdvisorRuleInput{Kind: "system", Title: "Name an owner for {name}", Statement: "Every AI system in production has a named owner.",
		When: `system.stage == "production" && system.owner == ""`, Reason: "{name} is in production without an owner.",
		References: []string{"ISO/IEC 42001 clause 5.3"}, OwnerRole: "editor", Link: "/systems/{id}/edit", Impact: 3}
}

// find returns the action with the key in a list, or nil.
func find(l *caio.AdviceList, key string) *caio.Advice {
	i := slices.IndexFunc(l.Items, func(a *caio.Advice) bool { return a.Key == key })
	if i < 0 {
		return nil
	}
	return l.Items[i]
}

// advise lists every action of the organisation of ctx, snoozed and
// dismissed ones too.
func advise(t *testing.T, f *fixture, ctx context.Context) *caio.AdviceList {
	t.Helper()
	l, err := f.app.Advise(ctx, caio.AdviceFilter{IncludeSnoozed: true, IncludeDismissed: true, Page: caio.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestAdvisorStates walks an action through what people do with it:
// accepted it becomes a task, done it comes back while the rule still
// fires, snoozed it hides until its date (the database's clock moves on),
// dismissed it stays away with its reason until reopened.
func TestAdvisorStates(t *testing.T) {
	needAdvisor(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		day := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return day }
		f := newFixture(t, db)
		sys, key := unclassified(t, f, "Claims triage")
		editor, contributor := f.members[caio.RoleEditor], f.members[caio.RoleContributor]

		l := advise(t, f, f.as(caio.RoleEditor))
		a := find(l, key)
		if a == nil {
			t.Fatalf("no action %s in %+v", key, l.Items)
		}
		if a.State != caio.AdviceOpen || !strings.Contains(a.Title, sys.Name) || a.Reason == "" || len(a.References) == 0 ||
			a.Link != "/systems/"+sys.ID+"/classify" || a.OwnerRole != "editor" || !a.Mine || a.Custom || l.Today != "2026-11-27" {
			t.Fatalf("action %+v (today %s)", a, l.Today)
		}
		// For the editor's role, not the viewer's.
		if mine, err := f.app.Advise(f.as(caio.RoleViewer), caio.AdviceFilter{Mine: true}); err != nil || find(mine, key) != nil {
			t.Errorf("viewer's own actions hold the editor's: %v", err)
		}

		// Accepted: a task for the contributor, who may take only their own.
		_, err := f.app.AcceptAction(f.as(caio.RoleContributor), key, caio.AcceptInput{OwnerID: editor.UserID})
		wantCode(t, err, caio.EFORBIDDEN)
		_, err = f.app.AcceptAction(f.as(caio.RoleEditor), key, caio.AcceptInput{OwnerID: "usr_0000000000000000000000000a"})
		wantCode(t, err, caio.EINVALID)
		tk, err := f.app.AcceptAction(f.as(caio.RoleContributor), key, caio.AcceptInput{Due: "2027-01-15"})
		if err != nil {
			t.Fatal(err)
		}
		if tk.OwnerID != contributor.UserID || tk.Due != "2027-01-15" || tk.SourceKey != key || tk.RuleID != "system-unclassified" ||
			tk.Status != "open" || tk.Link != a.Link || !strings.Contains(tk.Description, a.Reason) || tk.Version != 1 {
			t.Fatalf("task %+v", tk)
		}
		if ev := lastEvent(t, f.app, f.sys); ev.Action != "advice.accept" || ev.ObjectID != tk.ID || !strings.Contains(string(ev.Diff), key) {
			t.Errorf("audit event %+v", ev)
		}
		_, err = f.app.AcceptAction(f.as(caio.RoleEditor), key, caio.AcceptInput{})
		wantCode(t, err, caio.ECONFLICT)
		a = find(advise(t, f, f.as(caio.RoleContributor)), key)
		if a.State != caio.AdviceAccepted || a.Task == nil || a.Task.ID != tk.ID || !a.Mine {
			t.Fatalf("accepted action %+v", a)
		}
		if ts, n, err := f.app.FindTasks(f.as(caio.RoleContributor), caio.TaskFilter{Mine: true}); err != nil || n != 1 || ts[0].ID != tk.ID {
			t.Fatalf("my tasks %v %d %v", ts, n, err)
		}
		// Someone else's task is not the contributor's to change; the editor's is.
		other, err := f.app.CreateTask(f.sys, caio.TaskInput{Title: "Editor's", OwnerID: editor.UserID})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.app.CompleteTask(f.as(caio.RoleContributor), other.ID)
		wantCode(t, err, caio.EFORBIDDEN)
		// Done, yet the system is still unclassified: the action is open again.
		if done, err := f.app.CompleteTask(f.as(caio.RoleContributor), tk.ID); err != nil || done.Status != "done" || done.CompletedAt == nil {
			t.Fatalf("complete: %+v %v", done, err)
		}
		a = find(advise(t, f, f.sys), key)
		if a.State != caio.AdviceOpen || a.Task == nil || a.Task.Status != "done" {
			t.Fatalf("after the task is done: %+v", a)
		}

		// Snoozed until 10 December: hidden by default, back on that day.
		_, err = f.app.SnoozeAction(f.as(caio.RoleEditor), key, caio.SnoozeInput{Until: "2026-11-27", Reason: "later"})
		wantCode(t, err, caio.EINVALID)
		_, err = f.app.SnoozeAction(f.as(caio.RoleEditor), key, caio.SnoozeInput{Until: "2026-12-10"})
		if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "reason" {
			t.Fatalf("snooze without a reason: %v", err)
		}
		if _, err := f.app.SnoozeAction(f.as(caio.RoleEditor), key, caio.SnoozeInput{Until: "2026-12-10", Reason: "After the audit."}); err != nil {
			t.Fatal(err)
		}
		def, err := f.app.Advise(f.sys, caio.AdviceFilter{})
		if err != nil || find(def, key) != nil || def.Counts[caio.AdviceSnoozed] != 1 {
			t.Fatalf("default list shows a snoozed action or miscounts: %+v %v", def.Counts, err)
		}
		if a = find(advise(t, f, f.sys), key); a.State != caio.AdviceSnoozed || a.SnoozedUntil != "2026-12-10" || a.StateReason != "After the audit." {
			t.Fatalf("snoozed %+v", a)
		}
		day = time.Date(2026, 12, 9, 23, 0, 0, 0, time.UTC)
		if a = find(advise(t, f, f.sys), key); a.State != caio.AdviceSnoozed {
			t.Fatalf("on 9 December: %+v", a)
		}
		day = time.Date(2026, 12, 10, 0, 0, 1, 0, time.UTC)
		if a = find(advise(t, f, f.sys), key); a.State != caio.AdviceOpen {
			t.Fatalf("on 10 December the snooze should have ended: %+v", a)
		}

		// Dismissed: stays, with its reason, until reopened.
		_, err = f.app.DismissAction(f.as(caio.RoleContributor), key, "  ")
		wantCode(t, err, caio.EINVALID)
		if _, err := f.app.DismissAction(f.as(caio.RoleContributor), key, "A spreadsheet, not AI."); err != nil {
			t.Fatal(err)
		}
		day = day.AddDate(1, 0, 0)
		if a = find(advise(t, f, f.sys), key); a.State != caio.AdviceDismissed || a.StateReason != "A spreadsheet, not AI." || a.DecidedBy != contributor.Email {
			t.Fatalf("dismissed a year ago: %+v", a)
		}
		if err := f.app.ReopenAction(f.as(caio.RoleViewer), key); caio.ErrorCode(err) != caio.EFORBIDDEN {
			t.Errorf("viewer reopened: %v", err)
		}
		if err := f.app.ReopenAction(f.as(caio.RoleContributor), key); err != nil {
			t.Fatal(err)
		}
		if a = find(advise(t, f, f.sys), key); a.State != caio.AdviceOpen {
			t.Fatalf("reopened %+v", a)
		}
		wantCode(t, f.app.ReopenAction(f.sys, key), caio.ENOTFOUND)

		// Classified, the system no longer needs the action: nothing to accept.
		if _, err := f.app.ClassifySystem(f.sys, sys.ID, &euaiact.Profile{Roles: []string{"deployer"}}); err != nil {
			t.Fatal(err)
		}
		if find(advise(t, f, f.sys), key) != nil {
			t.Error("the action stays after the system was classified")
		}
		_, err = f.app.AcceptAction(f.sys, key, caio.AcceptInput{})
		wantCode(t, err, caio.ENOTFOUND)

		// Another organisation's action, or a malformed key, is not found.
		_, osys := newOrg(t, f.app, "globex", "owner@globex.test")
		for _, k := range []string{key, "system-unclassified", "nope/" + sys.ID, "a/b/c", ""} {
			_, err := f.app.AcceptAction(osys, k, caio.AcceptInput{})
			wantCode(t, err, caio.ENOTFOUND)
			_, err = f.app.DismissAction(osys, k, "mine now")
			wantCode(t, err, caio.ENOTFOUND)
			wantCode(t, f.app.ReopenAction(osys, k), caio.ENOTFOUND)
		}
		_, err = f.app.FindTask(osys, tk.ID)
		wantCode(t, err, caio.ENOTFOUND)
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Errorf("audit chain broken: %+v", v.Break)
		}
	})
}

// TestAdvisorRules checks the organisation's own rules (rejected with the
// position of the problem before saving, tried on the data, then
// advising), switching a built-in off with a reason, and that the rules
// are compiled again only when they change.
func TestAdvisorRules(t *testing.T) {
	needAdvisor(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ed := f.as(caio.RoleEditor)
		sys, key := unclassified(t, f, "Orphan")

		// A typo is refused with its position, before anything is saved.
		bad := ownerRule()
		bad.When = `sytem.owner == ""`
		_, err := f.app.CreateAdvisorRule(ed, bad)
		wantCode(t, err, caio.EINVALID)
		fs := caio.ErrorFields(err)
		if len(fs) != 1 || fs[0].Field != "when" || !strings.Contains(fs[0].Message, "line 1, column 1") || !strings.Contains(fs[0].Message, "sytem") {
			t.Fatalf("typo: %v", err)
		}
		_, err = f.app.TryRule(ed, bad)
		wantCode(t, err, caio.EINVALID)
		bad = ownerRule()
		bad.When = `system.owner == "" && system.nme == ""`
		_, err = f.app.CreateAdvisorRule(ed, bad)
		if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "when" || !strings.Contains(fs[0].Message, "line 1, column") || !strings.Contains(fs[0].Message, "nme") {
			t.Fatalf("unknown field: %v", err)
		}
		blank := caio.AdvisorRuleInput{Kind: "galaxy"}
		_, err = f.app.CreateAdvisorRule(ed, blank)
		var names []string
		for _, p := range caio.ErrorFields(err) {
			names = append(names, p.Field)
		}
		for _, want := range []string{"kind", "title", "statement", "when", "reason"} {
			if !slices.Contains(names, want) {
				t.Errorf("empty rule: %v does not name %s", err, want)
			}
		}
		if _, own, err := f.app.AdvisorRules(f.sys); err != nil || len(own) != 0 {
			t.Fatalf("refused rules were saved: %v %v", own, err)
		}

		// Try it: the rule finds the unowned production system.
		tr, err := f.app.TryRule(ed, ownerRule())
		if err != nil {
			t.Fatal(err)
		}
		if tr.Evaluated < 1 || tr.Total != 1 || len(tr.Matches) != 1 || tr.Matches[0].ObjectID != sys.ID || tr.Matches[0].Link != "/systems/"+sys.ID+"/edit" {
			t.Fatalf("trial %+v", tr)
		}
		before := app.AdvisorCompilations()
		advise(t, f, f.sys)
		advise(t, f, f.sys)
		if n := app.AdvisorCompilations() - before; n > 1 {
			t.Errorf("compiled %d times for two unchanged evaluations", n)
		}
		r, err := f.app.CreateAdvisorRule(ed, ownerRule())
		if err != nil {
			t.Fatal(err)
		}
		if !r.Enabled || r.Version != 1 || !caio.ValidID("rul", r.ID) {
			t.Fatalf("rule %+v", r)
		}
		before = app.AdvisorCompilations()
		l := advise(t, f, f.sys)
		if app.AdvisorCompilations() != before+1 {
			t.Error("a new rule did not recompile the rules")
		}
		a := find(l, r.ID+"/"+sys.ID)
		if a == nil || !a.Custom || a.Rule != "Every AI system in production has a named owner." {
			t.Fatalf("own rule's action %+v", a)
		}
		// Switched off, its actions go; deleted, what was done with them too.
		if _, err := f.app.SetAdvisorRuleEnabled(ed, r.ID, false); err != nil {
			t.Fatal(err)
		}
		if find(advise(t, f, f.sys), r.ID+"/"+sys.ID) != nil {
			t.Error("a rule switched off still advises")
		}
		_, err = f.app.UpdateAdvisorRule(ed, r.ID, 1, ownerRule())
		wantCode(t, err, caio.ECONFLICT)

		// A built-in switched off with a reason.
		_, err = f.app.DisableBuiltin(ed, "system-unclassified", "")
		wantCode(t, err, caio.EINVALID)
		_, err = f.app.DisableBuiltin(ed, "no-such-rule", "why")
		wantCode(t, err, caio.ENOTFOUND)
		if _, err := f.app.DisableBuiltin(ed, "system-unclassified", "We classify in the group's tool."); err != nil {
			t.Fatal(err)
		}
		if find(advise(t, f, f.sys), key) != nil {
			t.Error("a built-in switched off still advises")
		}
		b, _, err := f.app.AdvisorRules(f.as(caio.RoleViewer))
		if err != nil {
			t.Fatal(err)
		}
		i := slices.IndexFunc(b, func(r *caio.AdvisorRule) bool { return r.ID == "system-unclassified" })
		if i < 0 || b[i].Enabled || b[i].OffReason != "We classify in the group's tool." || b[i].OffBy == "" || len(b[i].References) == 0 {
			t.Fatalf("built-in after switching off: %+v", b[i])
		}
		if _, err := f.app.EnableBuiltin(ed, "system-unclassified"); err != nil {
			t.Fatal(err)
		}
		if find(advise(t, f, f.sys), key) == nil {
			t.Error("a built-in switched on again does not advise")
		}
		if err := f.app.DeleteAdvisorRule(ed, r.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.app.FindAdvisorRule(ed, r.ID)
		wantCode(t, err, caio.ENOTFOUND)
	})
}

// TestTasks checks the task list's filters and the owner rules.
func TestTasks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		db.Now = func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }
		f := newFixture(t, db)
		me := f.members[caio.RoleContributor]
		ctx := f.as(caio.RoleContributor)
		_, err := f.app.CreateTask(ctx, caio.TaskInput{Title: "", Due: "27/11/2026", Link: "https://evil.example/", Status: "maybe"})
		var names []string
		for _, p := range caio.ErrorFields(err) {
			names = append(names, p.Field)
		}
		slices.Sort(names)
		if strings.Join(names, ",") != "due,link,status,title" {
			t.Fatalf("bad task: %v", err)
		}
		for _, in := range []caio.TaskInput{
			{Title: "Late", Due: "2026-11-01", OwnerID: me.UserID},
			{Title: "Soon", Due: "2026-12-01", OwnerID: me.UserID},
			{Title: "Undated", OwnerID: me.UserID},
			{Title: "Nobody's", Due: "2026-10-01"},
		} {
			if _, err := f.app.CreateTask(f.sys, in); err != nil {
				t.Fatal(err)
			}
		}
		mine, n, err := f.app.FindTasks(ctx, caio.TaskFilter{Mine: true})
		if err != nil || n != 3 || mine[0].Title != "Late" || !mine[0].Overdue || mine[1].Overdue || mine[2].Title != "Undated" {
			t.Fatalf("my tasks %d %v", n, err)
		}
		yes := true
		if late, n, err := f.app.FindTasks(f.sys, caio.TaskFilter{Overdue: &yes}); err != nil || n != 2 || late[0].Title != "Nobody's" {
			t.Fatalf("overdue %d %v", n, err)
		}
		if _, n, err := f.app.FindTasks(f.sys, caio.TaskFilter{}); err != nil || n != 4 {
			t.Fatalf("all %d %v", n, err)
		}
		_, _, err = f.app.FindTasks(f.sys, caio.TaskFilter{Sort: "sideways"})
		wantCode(t, err, caio.EINVALID)
		// A contributor may not give their task away.
		in := mine[0].Input()
		in.OwnerID = f.members[caio.RoleEditor].UserID
		_, err = f.app.UpdateTask(ctx, mine[0].ID, 0, in)
		wantCode(t, err, caio.EFORBIDDEN)
		in.OwnerID, in.Status = me.UserID, "cancelled"
		if tk, err := f.app.UpdateTask(ctx, mine[0].ID, mine[0].Version, in); err != nil || tk.Status != "cancelled" || tk.Overdue {
			t.Fatalf("cancel: %+v %v", tk, err)
		}
		_, err = f.app.UpdateTask(ctx, mine[0].ID, 1, in)
		wantCode(t, err, caio.ECONFLICT)
	})
}
