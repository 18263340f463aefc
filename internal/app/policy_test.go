package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/advisor"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The policy services join the role matrix of app_test.go.
func init() {
	policy := func(t *testing.T, f *fixture) *caio.Policy {
		p, err := f.app.CreatePolicy(f.sys, caio.PolicyInput{Title: "policy " + randomHex(), Body: "# Rules\n\nBe careful."})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	approved := func(t *testing.T, f *fixture) *caio.Policy {
		p := policy(t, f)
		ap, err := f.app.SubmitPolicy(f.sys, p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		// Approvers vote until the quorum, which a case may have raised.
		for _, r := range []caio.Role{caio.RoleApprover, caio.RoleOwner, caio.RoleAdmin} {
			if ap, err = f.app.DecideApproval(f.as(r), ap.ID, "approve", ""); err != nil {
				t.Fatal(err)
			}
			if ap.Status == "approved" {
				return p
			}
		}
		t.Fatalf("not approved: %+v", ap)
		return p
	}
	actions = append(actions,
		action{"FindPolicies", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, _, err := f.app.FindPolicies(ctx, caio.PolicyFilter{}); return err }
		}},
		action{"FindPolicy", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			p := policy(t, f)
			return func(ctx context.Context) error { _, err := f.app.FindPolicy(ctx, p.ID); return err }
		}},
		action{"DiffPolicy", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			p := policy(t, f)
			return func(ctx context.Context) error { _, err := f.app.DiffPolicy(ctx, p.ID, 1, 1); return err }
		}},
		action{"PolicyAcknowledgements", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			p := approved(t, f)
			return func(ctx context.Context) error { _, err := f.app.PolicyAcknowledgements(ctx, p.ID); return err }
		}},
		action{"AcknowledgePolicy", caio.PermRead, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			p := approved(t, f)
			return func(ctx context.Context) error { _, err := f.app.AcknowledgePolicy(ctx, p.ID, 1); return err }
		}},
		action{"CreatePolicy", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.CreatePolicy(ctx, caio.PolicyInput{Title: "new", Body: "text"})
				return err
			}
		}},
		action{"AdoptStarter", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, err := f.app.AdoptStarter(ctx, "literacy"); return err }
		}},
		action{"UpdatePolicy", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			p := policy(t, f)
			return func(ctx context.Context) error {
				_, err := f.app.UpdatePolicy(ctx, p.ID, 0, caio.PolicyInput{Title: "changed", Body: "new text"})
				return err
			}
		}},
		action{"SubmitPolicy", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			p := policy(t, f)
			return func(ctx context.Context) error { _, err := f.app.SubmitPolicy(ctx, p.ID, "ready"); return err }
		}},
		action{"RetirePolicy", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			p := policy(t, f)
			return func(ctx context.Context) error { _, err := f.app.RetirePolicy(ctx, p.ID, "replaced"); return err }
		}},
		action{"DeletePolicy", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			p := policy(t, f)
			return func(ctx context.Context) error { return f.app.DeletePolicy(ctx, p.ID) }
		}},
	)
}

func wantPolicyErr(t *testing.T, err error, code string, fields ...string) {
	t.Helper()
	if caio.ErrorCode(err) != code {
		t.Fatalf("error %v, want %s", err, code)
	}
	for _, f := range fields {
		found := false
		for _, p := range caio.ErrorFields(err) {
			found = found || p.Field == f
		}
		if !found {
			t.Errorf("error %v does not name %s", err, f)
		}
	}
}

// TestPolicyLifecycle follows a policy from draft through a rejected and
// an approved request, acknowledgements, a second version and retirement,
// as the people of an organisation would.
func TestPolicyLifecycle(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		day := time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return day.Add(9 * time.Hour) }
		f := newFixture(t, db)
		editor, approver, viewer := f.as(caio.RoleEditor), f.as(caio.RoleApprover), f.as(caio.RoleViewer)

		// Bad input names every field, and stores nothing.
		_, err := f.app.CreatePolicy(editor, caio.PolicyInput{Kind: "manifesto", ReviewMonths: 61, AckDays: -1, Body: " \n "})
		wantPolicyErr(t, err, caio.EINVALID, "title", "kind", "review_months", "ack_days", "body")
		if _, n, _ := f.app.FindPolicies(f.sys, caio.PolicyFilter{}); n != 0 {
			t.Fatalf("%d policies after a refused create", n)
		}

		p, err := f.app.CreatePolicy(editor, caio.PolicyInput{Title: "AI acceptable use", Kind: "acceptable_use", Owner: "CAIO",
			Body: "# Use\n\n- Check output.\n- Protect data.\n", Note: "First draft"})
		if err != nil {
			t.Fatal(err)
		}
		if p.Status != "draft" || p.LatestVersion != 1 || p.CurrentVersion != 0 || p.ReviewMonths != 12 || p.AckDays != 30 || p.Latest.Body != "# Use\n\n- Check output.\n- Protect data." {
			t.Fatalf("created %+v %+v", p, p.Latest)
		}
		// A draft is rewritten in place.
		p, err = f.app.UpdatePolicy(editor, p.ID, p.Version, caio.PolicyInput{Title: "AI acceptable use policy", Kind: "acceptable_use",
			Owner: "CAIO", Body: "# Use\n\n- Check output.\n- Protect personal data.", Note: "Sharper"})
		if err != nil || p.LatestVersion != 1 || p.Latest.Note != "Sharper" || p.Title != "AI acceptable use policy" {
			t.Fatalf("update draft: %+v, %v", p, err)
		}
		_, err = f.app.UpdatePolicy(editor, p.ID, p.Version-1, p.Input())
		wantPolicyErr(t, err, caio.ECONFLICT)

		// Nothing to acknowledge before an approval.
		_, err = f.app.AcknowledgePolicy(viewer, p.ID, 1)
		wantPolicyErr(t, err, caio.EINVALID, "version")

		// Submitting opens a request of the general approval mechanism.
		ap, err := f.app.SubmitPolicy(editor, p.ID, "Ready for the board")
		if err != nil {
			t.Fatal(err)
		}
		if ap.SubjectKind != "policy" || ap.Action != "approve" || ap.SubjectID != p.ID || !strings.Contains(string(ap.Payload), `"version":1`) {
			t.Fatalf("approval %+v", ap)
		}
		if p, _ = f.app.FindPolicy(viewer, p.ID); p.Status != "in_review" || p.ReviewVersion != 1 || p.Latest.State != "in_review" {
			t.Fatalf("after submit %+v", p)
		}
		_, err = f.app.SubmitPolicy(editor, p.ID, "")
		wantPolicyErr(t, err, caio.ECONFLICT)
		in := p.Input()
		in.Body += "\n- One more rule."
		_, err = f.app.UpdatePolicy(editor, p.ID, 0, in)
		wantPolicyErr(t, err, caio.EINVALID, "body")
		if st := "in_review"; true {
			ps, n, err := f.app.FindPolicies(viewer, caio.PolicyFilter{Status: &st})
			if err != nil || n != 1 || ps[0].ID != p.ID {
				t.Fatalf("in review: %v %d %v", ps, n, err)
			}
		}
		// The requester may not approve their own request; a rejection
		// returns the policy to draft.
		_, err = f.app.DecideApproval(editor, ap.ID, "approve", "")
		wantPolicyErr(t, err, caio.EFORBIDDEN)
		if _, err := f.app.DecideApproval(approver, ap.ID, "reject", "Add the tool list"); err != nil {
			t.Fatal(err)
		}
		if p, _ = f.app.FindPolicy(viewer, p.ID); p.Status != "draft" || p.ReviewVersion != 0 || p.ApprovalID != "" || p.Latest.State != "draft" {
			t.Fatalf("after rejection %+v", p)
		}
		if st := "draft"; true {
			if _, n, _ := f.app.FindPolicies(viewer, caio.PolicyFilter{Status: &st}); n != 1 {
				t.Fatalf("draft filter after rejection: %d", n)
			}
		}
		if p, err = f.app.UpdatePolicy(editor, p.ID, 0, in); err != nil || p.LatestVersion != 1 {
			t.Fatalf("rewrite after rejection: %+v %v", p, err)
		}

		// Approval brings version 1 into force with its dates.
		ap, err = f.app.SubmitPolicy(editor, p.ID, "With the tool list")
		if err != nil {
			t.Fatal(err)
		}
		if ap, err = f.app.DecideApproval(approver, ap.ID, "approve", "Good"); err != nil || ap.Status != "approved" {
			t.Fatalf("approve: %+v %v", ap, err)
		}
		p, _ = f.app.FindPolicy(viewer, p.ID)
		if p.Status != "approved" || p.CurrentVersion != 1 || p.NextReview != "2027-11-27" || p.AckDue != "2026-12-27" ||
			p.Current == nil || p.Current.ApprovedAt == nil || p.Current.ApprovedBy != "A approver" || p.Current.State != "approved" {
			t.Fatalf("approved %+v %+v", p, p.Current)
		}

		// Acknowledgements: the version in force only, once per member.
		_, err = f.app.AcknowledgePolicy(viewer, p.ID, 2)
		wantPolicyErr(t, err, caio.EINVALID, "version")
		if !strings.Contains(caio.ErrorFields(err)[0].Message, "acknowledge version 1") {
			t.Errorf("message does not name the version to acknowledge: %v", err)
		}
		if _, err := f.app.AcknowledgePolicy(viewer, p.ID, 1); err != nil {
			t.Fatal(err)
		}
		_, err = f.app.AcknowledgePolicy(viewer, p.ID, 1)
		wantPolicyErr(t, err, caio.ECONFLICT)
		_, err = f.app.AcknowledgePolicy(f.sys, p.ID, 1)
		wantPolicyErr(t, err, caio.EFORBIDDEN)
		if ev := lastEvent(t, f.app, f.sys); ev.Action != "policy.acknowledge" || ev.ObjectID != p.ID {
			t.Errorf("last event %+v", ev)
		}
		acks, err := f.app.PolicyAcknowledgements(editor, p.ID)
		if err != nil || acks.Version != 1 || acks.Members != len(caio.Roles) || len(acks.Acknowledged) != 1 ||
			len(acks.Pending) != len(caio.Roles)-1 || acks.Acknowledged[0].UserID != f.members[caio.RoleViewer].UserID || acks.Overdue {
			t.Fatalf("acks %+v %v", acks, err)
		}
		if mine, _ := f.app.PendingAcknowledgements(viewer); len(mine) != 0 {
			t.Errorf("viewer still has %+v", mine)
		}
		if mine, _ := f.app.PendingAcknowledgements(editor); len(mine) != 1 || mine[0].PolicyID != p.ID || mine[0].Due != "2026-12-27" {
			t.Errorf("editor's pending %+v", mine)
		}

		// A new version is a draft beside the one in force.
		in = p.Input()
		in.Body = strings.Replace(in.Body, "- Check output.", "- Check every output.", 1)
		in.Note = "Stricter"
		if p, err = f.app.UpdatePolicy(editor, p.ID, 0, in); err != nil || p.LatestVersion != 2 || p.CurrentVersion != 1 || p.Status != "approved" || !p.HasDraft() {
			t.Fatalf("second version %+v %v", p, err)
		}
		d, err := f.app.DiffPolicy(viewer, p.ID, 1, 2)
		if err != nil || d.Added != 1 || d.Removed != 1 {
			t.Fatalf("diff %+v %v", d, err)
		}
		_, err = f.app.DiffPolicy(viewer, p.ID, 1, 3)
		wantPolicyErr(t, err, caio.EINVALID, "to")
		ap, _ = f.app.SubmitPolicy(editor, p.ID, "")
		if _, err := f.app.DecideApproval(approver, ap.ID, "approve", ""); err != nil {
			t.Fatal(err)
		}
		_, err = f.app.AcknowledgePolicy(viewer, p.ID, 1)
		wantPolicyErr(t, err, caio.EINVALID, "version")
		if mine, _ := f.app.PendingAcknowledgements(viewer); len(mine) != 1 || mine[0].Version != 2 {
			t.Errorf("viewer after version 2: %+v", mine)
		}
		vs, _ := f.app.PolicyVersions(viewer, p.ID)
		if len(vs) != 2 || vs[0].State != "approved" || vs[1].State != "superseded" {
			t.Errorf("versions %+v %+v", vs[0], vs[1])
		}

		// An approved policy is retired, not deleted.
		wantPolicyErr(t, f.app.DeletePolicy(editor, p.ID), caio.ECONFLICT)
		if p, err = f.app.RetirePolicy(editor, p.ID, "Replaced"); err != nil || p.Status != "retired" {
			t.Fatalf("retire %+v %v", p, err)
		}
		if acks, _ := f.app.PolicyAcknowledgements(editor, p.ID); acks.Version != 0 {
			t.Errorf("retired policy asks for acknowledgement %+v", acks)
		}
		if mine, _ := f.app.PendingAcknowledgements(viewer); len(mine) != 0 {
			t.Errorf("retired policy still pending %+v", mine)
		}
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Errorf("audit chain %+v", v)
		}
	})
}

// A request withdrawn by retiring the policy cannot be approved any more,
// and an approval whose policy changed is refused without a trace.
func TestPolicyApprovalRechecks(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		editor, approver := f.as(caio.RoleEditor), f.as(caio.RoleApprover)
		p, err := f.app.CreatePolicy(editor, caio.PolicyInput{Title: "GenAI", Kind: "generative_ai", Body: "text"})
		if err != nil {
			t.Fatal(err)
		}
		ap, err := f.app.SubmitPolicy(editor, p.ID, "")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.RetirePolicy(editor, p.ID, ""); err != nil {
			t.Fatal(err)
		}
		_, err = f.app.DecideApproval(approver, ap.ID, "approve", "")
		wantPolicyErr(t, err, caio.ECONFLICT)
		if p, _ = f.app.FindPolicy(editor, p.ID); p.Status != "retired" || p.CurrentVersion != 0 {
			t.Errorf("after the refused vote %+v", p)
		}

		// Draft deletion withdraws its request.
		q, _ := f.app.CreatePolicy(editor, caio.PolicyInput{Title: "Draft", Body: "x"})
		ap, _ = f.app.SubmitPolicy(editor, q.ID, "")
		if err := f.app.DeletePolicy(editor, q.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := f.app.FindApproval(editor, ap.ID); got.Status != "withdrawn" {
			t.Errorf("request of a deleted draft is %s", got.Status)
		}
		_, err = f.app.FindPolicy(editor, q.ID)
		wantPolicyErr(t, err, caio.ENOTFOUND)
	})
}

// Starters adopt as drafts with the organisation's name; another
// organisation's policies are not found; filters and pagination hold.
func TestPolicyStartersAndFilters(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		_, other := newOrg(t, f.app, "globex", "owner@globex.test")
		ss, err := f.app.PolicyStarters(f.as(caio.RoleViewer))
		if err != nil || len(ss) != 6 {
			t.Fatalf("starters %d %v", len(ss), err)
		}
		var ids []string
		for _, s := range ss {
			p, err := f.app.AdoptStarter(f.sys, s.Key)
			if err != nil {
				t.Fatal(err)
			}
			if p.Starter != s.Key || p.Kind != s.Kind || p.Status != "draft" || !strings.Contains(p.Latest.Body, f.org.Name) || strings.Contains(p.Latest.Body, "{{") {
				t.Errorf("adopted %s: %+v", s.Key, p)
			}
			ids = append(ids, p.ID)
		}
		_, err = f.app.AdoptStarter(f.sys, "nonsense")
		wantPolicyErr(t, err, caio.EINVALID, "starter")

		kind := "literacy"
		ps, n, err := f.app.FindPolicies(f.sys, caio.PolicyFilter{Kind: &kind})
		if err != nil || n != 1 || ps[0].Kind != "literacy" {
			t.Fatalf("kind filter %v %d %v", ps, n, err)
		}
		ps, n, _ = f.app.FindPolicies(f.sys, caio.PolicyFilter{Page: caio.Page{Limit: 4, Offset: 4}})
		if n != 6 || len(ps) != 2 {
			t.Errorf("second page: %d of %d", len(ps), n)
		}
		q := "incident"
		if ps, n, _ = f.app.FindPolicies(f.sys, caio.PolicyFilter{Query: &q}); n != 1 {
			t.Errorf("search %v", ps)
		}
		bad := "sideways"
		_, _, err = f.app.FindPolicies(f.sys, caio.PolicyFilter{Sort: bad, Review: &bad})
		wantPolicyErr(t, err, caio.EINVALID, "sort", "review")

		// Review filters, with the clock moved past the review date.
		ap, _ := f.app.SubmitPolicy(f.sys, ids[0], "")
		if _, err := f.app.DecideApproval(f.sys, ap.ID, "approve", ""); err != nil {
			t.Fatal(err)
		}
		overdue := "overdue"
		if _, n, _ := f.app.FindPolicies(f.sys, caio.PolicyFilter{Review: &overdue}); n != 0 {
			t.Errorf("overdue before the date: %d", n)
		}
		db.Now = func() time.Time { return time.Now().AddDate(1, 1, 0) }
		ps, n, _ = f.app.FindPolicies(f.sys, caio.PolicyFilter{Review: &overdue})
		if n != 1 || ps[0].ID != ids[0] || !ps[0].ReviewOverdue {
			t.Errorf("overdue after the date: %+v", ps)
		}

		// Another organisation sees none of it.
		for _, id := range ids {
			_, err := f.app.FindPolicy(other, id)
			wantPolicyErr(t, err, caio.ENOTFOUND)
			_, err = f.app.AcknowledgePolicy(other, id, 1)
			wantPolicyErr(t, err, caio.ENOTFOUND)
		}
		if _, n, _ := f.app.FindPolicies(other, caio.PolicyFilter{}); n != 0 {
			t.Errorf("other org lists %d policies", n)
		}
		_, err = f.app.FindPolicy(f.sys, "pol_nonsense")
		wantPolicyErr(t, err, caio.ENOTFOUND)
		if !slices.Contains(caio.PolicyKinds, "literacy") {
			t.Error("no literacy kind")
		}
	})
}

// TestDemoPolicies checks Northwind's policy library and what the advisor
// reads of it.
func TestDemoPolicies(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a := app.New(db, nil)
		ctx := caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})
		if _, err := a.LoadDemo(ctx); err != nil {
			t.Fatal(err)
		}
		sys, err := a.SystemActor(ctx, app.DemoSlug)
		if err != nil {
			t.Fatal(err)
		}
		in := caio.WithActor(ctx, sys)
		ps, _, err := a.FindPolicies(in, caio.PolicyFilter{})
		if err != nil || len(ps) != 3 {
			t.Fatalf("demo policies %v %v", ps, err)
		}
		byKind := map[string]*caio.Policy{}
		for _, p := range ps {
			byKind[p.Kind] = p
		}
		aup, gen, risk := byKind["acceptable_use"], byKind["generative_ai"], byKind["risk_management"]
		if aup == nil || aup.Status != "approved" || gen == nil || gen.Status != "in_review" || risk == nil || risk.Status != "draft" {
			t.Fatalf("demo statuses %+v", ps)
		}
		acks, err := a.PolicyAcknowledgements(in, aup.ID)
		if err != nil || len(acks.Acknowledged) != 3 || len(acks.Pending) != 2 {
			t.Fatalf("demo acknowledgements %+v %v", acks, err)
		}
		if ap, err := a.FindApproval(in, gen.ApprovalID); err != nil || ap.Status != "pending" || ap.SubjectKind != "policy" {
			t.Fatalf("demo approval %+v %v", ap, err)
		}
		var facts *advisor.Facts
		err = db.Read(in, func(c *sqldb.Conn) (err error) {
			facts, err = c.AdvisorFacts(in, sys.OrgID, time.Now().UTC().Format(time.DateOnly))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if facts.Org.ApprovedPolicies != 1 || !facts.Org.AIPolicy || len(facts.Policies) != 3 {
			t.Fatalf("advisor facts %+v, %d policies", facts.Org, len(facts.Policies))
		}
		for _, p := range facts.Policies {
			if p.ID == aup.ID && (p.PendingAcks != 2 || p.AckDue == "" || p.Status != "approved") {
				t.Errorf("advisor policy %+v", p)
			}
		}
	})
}

// An approved AI literacy policy is what the advisor counts as the
// organisation's Art 4 measures; a draft one is not.
func TestPolicyAdvisorFacts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		facts := func() *advisor.Facts {
			var out *advisor.Facts
			if err := db.Read(f.sys, func(c *sqldb.Conn) (err error) {
				out, err = c.AdvisorFacts(f.sys, f.org.ID, "2026-11-27")
				return err
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		p, err := f.app.AdoptStarter(f.sys, "literacy")
		if err != nil {
			t.Fatal(err)
		}
		if got := facts(); got.Org.LiteracyMeasures || got.Org.ApprovedPolicies != 0 || len(got.Policies) != 1 || got.Policies[0].Status != "draft" {
			t.Fatalf("draft literacy policy: %+v %+v", got.Org, got.Policies)
		}
		ap, _ := f.app.SubmitPolicy(f.sys, p.ID, "")
		if _, err := f.app.DecideApproval(f.sys, ap.ID, "approve", ""); err != nil {
			t.Fatal(err)
		}
		got := facts()
		// A literacy policy is Art 4's measure, not the organisation's AI
		// policy as a whole.
		if !got.Org.LiteracyMeasures || got.Org.ApprovedPolicies != 1 || got.Org.AIPolicy || !got.Policies[0].InForce || got.Policies[0].PendingAcks != len(caio.Roles) || got.Policies[0].ReviewDate == "" {
			t.Fatalf("approved literacy policy: %+v %+v", got.Org, got.Policies)
		}
	})
}
