package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/engagement"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// engagementSurvey is a small SurveyJS questionnaire a consultant brings.
const engagementSurvey = `{"title": "Client intake", "pages": [{"name": "p1", "elements": [
	{"type": "radiogroup", "name": "size", "choices": ["small", "large"]}]}]}`

func engWantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if caio.ErrorCode(err) != code {
		t.Fatalf("%s: got %v (%s), want %s", what, err, caio.ErrorCode(err), code)
	}
}

func engWantField(t *testing.T, what string, err error, field string) {
	t.Helper()
	for _, p := range caio.ErrorFields(err) {
		if p.Field == field {
			return
		}
	}
	t.Fatalf("%s: %v does not name %s", what, err, field)
}

func deliverable(t *testing.T, v *app.EngagementView, key string) caio.Deliverable {
	t.Helper()
	for _, d := range v.Deliverables {
		if d.Key == key {
			return d
		}
	}
	t.Fatalf("no deliverable %s", key)
	return caio.Deliverable{}
}

// TestEngagementLifecycle walks an engagement from its start to its
// close as an interim CAIO would: the plan dated from the start, the
// checklist read from the data, a manual confirmation, plan edits, weekly
// notes, a moved start and the handover.
func TestEngagementLifecycle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		f := newFixture(t, db)
		ctx := f.as(caio.RoleEditor)

		_, err := f.app.StartEngagement(ctx, caio.EngagementInput{Start: "27/11/2026", End: "2026-01-01"})
		engWantField(t, "bad start", err, "sponsor")
		engWantField(t, "bad start", err, "start")

		e, err := f.app.StartEngagement(ctx, caio.EngagementInput{Sponsor: "COO", Start: "2026-10-13"})
		if err != nil {
			t.Fatal(err)
		}
		if e.End != "2027-04-10" || len(e.Phases) != 5 || e.Phases[1].Start != "2026-11-12" || len(e.Goals) == 0 {
			t.Errorf("engagement %+v", e)
		}
		_, err = f.app.StartEngagement(ctx, caio.EngagementInput{Sponsor: "CEO", Start: "2026-12-01"})
		engWantCode(t, "second active engagement", err, caio.ECONFLICT)

		v, err := f.app.FindEngagementView(f.as(caio.RoleViewer), "")
		if err != nil {
			t.Fatal(err)
		}
		tpl := engagement.Builtin()
		if len(v.Plan) != len(tpl.Items) || v.Plan[0].Due != engagement.AddDays("2026-10-13", tpl.Items[0].Day) {
			t.Errorf("plan of %d items, first due %s", len(v.Plan), v.Plan[0].Due)
		}
		if v.CurrentPhase != "assess" || v.Progress.DaysElapsed != 46 || v.Progress.DaysTotal != 180 || v.Progress.ItemsOverdue == 0 {
			t.Errorf("view: phase %s, progress %+v", v.CurrentPhase, v.Progress)
		}
		if d := deliverable(t, v, "inventory_complete"); d.Done || d.Reason != "No AI systems are recorded yet." || !d.Detected {
			t.Errorf("inventory %+v", d)
		}
		if d := deliverable(t, v, "governance_board"); d.Done || d.Detected || !strings.Contains(d.Reason, "confirm") {
			t.Errorf("board %+v", d)
		}

		// The inventory's state shows in the reason.
		f.classified(t, "CV screening")
		f.system(t, "Chatbot")
		f.system(t, "Fraud model")
		v, _ = f.app.FindEngagementView(ctx, e.ID)
		if d := deliverable(t, v, "inventory_complete"); d.Done || d.Reason != "2 of 3 AI systems are not classified under the EU AI Act." {
			t.Errorf("inventory %+v", d)
		}

		// A person confirms the board, with a note; detected ones cannot be.
		_, err = f.app.ConfirmDeliverable(ctx, e.ID, "governance_board", caio.DeliverableInput{Done: true})
		engWantField(t, "confirmation without a note", err, "note")
		_, err = f.app.ConfirmDeliverable(ctx, e.ID, "inventory_complete", caio.DeliverableInput{Done: true, Note: "trust me"})
		engWantField(t, "confirming a detected deliverable", err, "deliverable")
		ds, err := f.app.ConfirmDeliverable(ctx, e.ID, "governance_board", caio.DeliverableInput{Done: true, Note: "First meeting held on 2026-11-20"})
		if err != nil {
			t.Fatal(err)
		}
		if d := ds[3]; !d.Done || !strings.Contains(d.Reason, "First meeting held") || !strings.Contains(d.Reason, "editor-") {
			t.Errorf("confirmed board %+v", d)
		}

		// Plan edits: a due date decides the window; re-dating moves it.
		it, err := f.app.AddPlanItem(ctx, e.ID, caio.PlanItemInput{Title: "Brief the works council", Due: "2026-11-22", Link: "/engagement"})
		if err != nil {
			t.Fatal(err)
		}
		if it.Window != "31-60" || it.Phase != "discover" || it.Status != "todo" {
			t.Errorf("added %+v", it)
		}
		_, err = f.app.AddPlanItem(ctx, e.ID, caio.PlanItemInput{Title: "", Phase: "launch", Link: "https://evil.example", Due: "soon"})
		for _, field := range []string{"title", "phase", "link", "due"} {
			engWantField(t, "bad item", err, field)
		}
		it, err = f.app.UpdatePlanItem(ctx, it.ID, caio.PlanItemInput{Title: "Brief the works council", Due: "2027-01-20", Status: "done"})
		if err != nil || it.Window != "later" || it.CompletedAt == nil {
			t.Fatalf("re-dated %+v, %v", it, err)
		}
		v, _ = f.app.FindEngagementView(ctx, e.ID)
		var later []*caio.PlanItem
		for _, x := range v.Plan {
			if x.Window == "later" {
				later = append(later, x)
			}
		}
		last := later[len(later)-1]
		if last.ID != it.ID {
			t.Fatalf("the added item is not last in its window")
		}
		if _, err := f.app.MovePlanItem(ctx, it.ID, "up"); err != nil {
			t.Fatal(err)
		}
		v, _ = f.app.FindEngagementView(ctx, e.ID)
		later = later[:0]
		for _, x := range v.Plan {
			if x.Window == "later" {
				later = append(later, x)
			}
		}
		if later[len(later)-2].ID != it.ID {
			t.Errorf("move up did not move the item up")
		}
		_, err = f.app.MovePlanItem(ctx, it.ID, "sideways")
		engWantField(t, "bad move", err, "direction")
		if _, err := f.app.SetPlanItemStatus(ctx, v.Plan[0].ID, "done"); err != nil {
			t.Fatal(err)
		}
		if err := f.app.DeletePlanItem(ctx, v.Plan[1].ID); err != nil {
			t.Fatal(err)
		}

		// Weekly notes, one per week, newest first, paginated.
		for _, day := range []string{"2026-11-18", "2026-11-26"} {
			if _, err := f.app.AddStatusNote(ctx, e.ID, caio.StatusNoteInput{Week: day, RAG: "amber", Summary: "Week of " + day}); err != nil {
				t.Fatal(err)
			}
		}
		_, err = f.app.AddStatusNote(ctx, e.ID, caio.StatusNoteInput{Week: "2026-11-24", RAG: "green", Summary: "Same week"})
		engWantField(t, "second note of a week", err, "week")
		_, err = f.app.AddStatusNote(ctx, e.ID, caio.StatusNoteInput{Week: "2026-11-24", RAG: "purple"})
		engWantField(t, "bad note", err, "rag")
		engWantField(t, "bad note", err, "summary")
		notes, total, err := f.app.FindStatusNotes(ctx, e.ID, caio.Page{Limit: 1})
		if err != nil || total != 2 || len(notes) != 1 || notes[0].Week != "2026-11-23" || notes[0].WeekLabel != "2026-W48" || notes[0].Author != f.members[caio.RoleEditor].Email {
			t.Fatalf("notes %+v total %d, %v", notes, total, err)
		}
		n, err := f.app.UpdateStatusNote(ctx, notes[0].ID, 1, caio.StatusNoteInput{Week: "2026-11-23", RAG: "red", Summary: "Board slipped", Author: "Alex"})
		if err != nil || n.Version != 2 {
			t.Fatalf("update note %+v, %v", n, err)
		}
		_, err = f.app.UpdateStatusNote(ctx, n.ID, 1, caio.StatusNoteInput{Week: "2026-11-23", RAG: "red", Summary: "Lost"})
		engWantCode(t, "stale note", err, caio.ECONFLICT)

		// Moving the start moves every due date with it.
		before, _ := f.app.FindEngagementView(ctx, e.ID)
		e, err = f.app.UpdateEngagement(ctx, e.ID, e.Version, caio.EngagementInput{Sponsor: "COO", Start: "2026-10-20", Goals: e.Goals})
		if err != nil {
			t.Fatal(err)
		}
		after, _ := f.app.FindEngagementView(ctx, e.ID)
		if after.End != "2027-04-17" || after.Plan[0].Due != engagement.AddDays(before.Plan[0].Due, 7) {
			t.Errorf("after moving the start: end %s, first due %s (was %s)", after.End, after.Plan[0].Due, before.Plan[0].Due)
		}

		// Another organisation sees none of it.
		_, other := newOrg(t, f.app, "globex", "owner@globex.test")
		_, err = f.app.FindEngagementView(other, e.ID)
		engWantCode(t, "another organisation's engagement", err, caio.ENOTFOUND)
		_, err = f.app.UpdatePlanItem(other, it.ID, caio.PlanItemInput{Title: "Hijacked"})
		engWantCode(t, "another organisation's item", err, caio.ENOTFOUND)
		err = f.app.DeleteStatusNote(other, n.ID)
		engWantCode(t, "another organisation's note", err, caio.ENOTFOUND)

		// A viewer reads but does not change.
		_, err = f.app.AddPlanItem(f.as(caio.RoleViewer), e.ID, caio.PlanItemInput{Title: "x"})
		engWantCode(t, "viewer adds", err, caio.EFORBIDDEN)

		// Closing keeps the checklist; the closed engagement is read-only
		// and the next one may start.
		closed, err := f.app.CloseEngagement(ctx, e.ID)
		if err != nil || closed.Status != "closed" || len(closed.Final) != len(caio.Deliverables) || !closed.Final[3].Done {
			t.Fatalf("closed %+v, %v", closed, err)
		}
		_, err = f.app.AddStatusNote(ctx, e.ID, caio.StatusNoteInput{Week: "2026-11-27", RAG: "green", Summary: "late"})
		engWantCode(t, "note on a closed engagement", err, caio.ECONFLICT)
		if _, err := f.app.StartEngagement(ctx, caio.EngagementInput{Sponsor: "CEO", Start: "2027-05-01", End: "2027-10-31"}); err != nil {
			t.Fatal(err)
		}
		all, total, err := f.app.FindEngagements(ctx, caio.Page{})
		if err != nil || total != 2 || all[1].ID != e.ID {
			t.Errorf("engagements %d, %v", total, err)
		}
		events, _, err := f.app.FindAuditEvents(f.sys, caio.AuditFilter{ObjectType: ptr("engagement"), ObjectID: &e.ID, Page: caio.Page{Limit: 100}})
		if err != nil || len(events) < 10 {
			t.Errorf("audit events of the engagement: %d, %v", len(events), err)
		}
	})
}

// TestEngagementTemplates saves an engagement with its questionnaires as
// a consultant's template and starts another client from it, in one
// transaction; nobody else may see or use the template.
func TestEngagementTemplates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		f := newFixture(t, db)
		owner := f.as(caio.RoleOwner)
		if _, err := f.app.UploadSurvey(owner, "intake.json", []byte(engagementSurvey)); err != nil {
			t.Fatal(err)
		}
		e, err := f.app.StartEngagement(owner, caio.EngagementInput{Sponsor: "COO", Start: "2026-10-13", Goals: []string{"Baseline in ten days"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.AddPlanItem(owner, e.ID, caio.PlanItemInput{Title: "Insurer-specific review", Due: "2026-11-02", Owner: "CAIO"}); err != nil {
			t.Fatal(err)
		}
		_, err = f.app.SaveEngagementTemplate(f.sys, e.ID, caio.TemplateInput{Name: "By the system"})
		engWantCode(t, "template of no person", err, caio.EFORBIDDEN)
		_, err = f.app.SaveEngagementTemplate(owner, e.ID, caio.TemplateInput{})
		engWantField(t, "template without a name", err, "name")
		tpl, err := f.app.SaveEngagementTemplate(owner, e.ID, caio.TemplateInput{Name: "Insurer, six months"})
		if err != nil {
			t.Fatal(err)
		}
		if len(tpl.Parts) != 1 || tpl.Parts[0].Name != "questionnaires" {
			t.Errorf("parts %+v", tpl.Parts)
		}
		got, err := f.app.FindEngagementTemplate(owner, tpl.ID)
		if err != nil || len(got.Plan.Items) != len(engagement.Builtin().Items)+1 || got.Plan.Goals[0] != "Baseline in ten days" {
			t.Fatalf("template %+v, %v", got, err)
		}
		var custom engagement.ItemSpec
		for _, it := range got.Plan.Items {
			if it.Title == "Insurer-specific review" {
				custom = it
			}
		}
		if custom.Day != 20 || custom.Owner != "CAIO" {
			t.Errorf("custom item %+v", custom)
		}

		// Another member of the same organisation, and another
		// organisation's owner, do not see it.
		_, err = f.app.FindEngagementTemplate(f.as(caio.RoleAdmin), tpl.ID)
		engWantCode(t, "another user's template", err, caio.ENOTFOUND)
		_, _, other := func() (*caio.Organization, int, context.Context) {
			o, c := newOrg(t, f.app, "globex", "owner@globex.test")
			return o, 0, c
		}()
		otherOwner := ownerCtx(t, f.app, other)
		list, total, err := f.app.FindEngagementTemplates(otherOwner, caio.Page{})
		if err != nil || total != 0 || len(list) != 0 {
			t.Errorf("another owner's templates: %d, %v", total, err)
		}
		_, err = f.app.StartFromTemplate(otherOwner, tpl.ID, caio.EngagementInput{Sponsor: "x", Start: "2027-01-04"})
		engWantCode(t, "another owner starts from it", err, caio.ENOTFOUND)
		if _, err := f.app.ActiveEngagement(otherOwner); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("a refused start left an engagement: %v", err)
		}

		// The consultant starts the next client from it.
		_, beta := newOrg(t, f.app, "beta", "owner@acme.test")
		me := ownerCtx(t, f.app, beta)
		ne, err := f.app.StartFromTemplate(me, tpl.ID, caio.EngagementInput{Sponsor: "CFO", Start: "2027-01-04"})
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.app.FindEngagementView(me, ne.ID)
		if err != nil {
			t.Fatal(err)
		}
		if ne.Template != "Insurer, six months" || ne.Goals[0] != "Baseline in ten days" || len(v.Plan) != len(got.Plan.Items) {
			t.Errorf("started %+v with %d items", ne, len(v.Plan))
		}
		for _, it := range v.Plan {
			if it.Title == "Insurer-specific review" && it.Due != "2027-01-24" {
				t.Errorf("custom item due %s, want 20 days after the new start", it.Due)
			}
		}
		surveys, err := f.app.FindSurveys(me)
		if err != nil || len(surveys) != 1 || surveys[0].Title != "Client intake" {
			t.Errorf("questionnaires in the new client: %+v, %v", surveys, err)
		}
		// Starting again is refused as a whole: no second questionnaire.
		_, err = f.app.StartFromTemplate(me, tpl.ID, caio.EngagementInput{Sponsor: "CFO", Start: "2027-02-01"})
		engWantCode(t, "second start", err, caio.ECONFLICT)
		if err := f.app.DeleteEngagementTemplate(f.as(caio.RoleAdmin), tpl.ID); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("another user deletes the template: %v", err)
		}
		if err := f.app.DeleteEngagementTemplate(owner, tpl.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.app.FindEngagementTemplate(owner, tpl.ID)
		engWantCode(t, "deleted template", err, caio.ENOTFOUND)
	})
}

// ownerCtx acts as the owner of the organisation of the system context sys.
func ownerCtx(t *testing.T, a *app.App, sys context.Context) context.Context {
	t.Helper()
	ms, _, err := a.FindMembers(sys, caio.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Role == caio.RoleOwner {
			return caio.WithActor(context.Background(), memberActor(m))
		}
	}
	t.Fatal("no owner")
	return nil
}

// TestDemoEngagement checks the demo's engagement and template.
func TestDemoEngagement(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		a := app.New(db, nil)
		if _, err := a.LoadDemo(caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})); err != nil {
			t.Fatal(err)
		}
		sys, err := a.SystemActor(t.Context(), app.DemoSlug)
		if err != nil {
			t.Fatal(err)
		}
		ctx := caio.WithActor(t.Context(), sys)
		v, err := a.FindEngagementView(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		if v.Start != "2026-10-13" || v.Progress.ItemsDone == 0 || v.Progress.ItemsDone == v.Progress.ItemsTotal {
			t.Errorf("demo engagement %s, progress %+v", v.Start, v.Progress)
		}
		if _, total, _ := a.FindStatusNotes(ctx, v.ID, caio.Page{}); total != 2 {
			t.Errorf("demo notes %d", total)
		}
		owner := ownerCtx(t, a, ctx)
		if _, total, err := a.FindEngagementTemplates(owner, caio.Page{}); err != nil || total != 1 {
			t.Errorf("demo owner's templates %d, %v", total, err)
		}
	})
}
