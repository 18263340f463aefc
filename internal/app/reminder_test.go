package app_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/mail/mailtest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The reminder services join the role matrix of app_test.go: every member
// reads deadlines and sets their own digest.
func init() {
	actions = append(actions,
		action{"Deadlines", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, _, err := f.app.Deadlines(ctx, caio.DeadlineFilter{}); return err }
		}},
		action{"SetReminderPreferences", caio.PermRead, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.SetReminderPreferences(ctx, caio.ReminderPreferences{Digest: false})
				return err
			}
		}},
	)
}

// reminderFixture is an organisation on 2026-11-27 with an overdue EU AI
// Act duty that nobody owns (Art 4, applying since 2025-02-02), a control
// owned by the editor (by name) with a target date and a review date, a
// risk owned by "Head of HR" (no member) with a review date, and a
// treatment due next year.
type reminderFixture struct {
	*fixture
	literacy, owned *caio.Control
	risk            *caio.Risk
}

func newReminderFixture(t *testing.T, db *sqldb.DB) *reminderFixture {
	t.Helper()
	onDay(db, "2026-11-27")
	f := &reminderFixture{fixture: newFixture(t, db)}
	f.literacy = f.control(t, "CV screening")
	f.owned = f.control(t, "Claims triage")
	var err error
	f.owned, err = f.app.UpdateControl(f.sys, f.owned.ID, 0, caio.ControlInput{Status: caio.StatusInProgress,
		Owner: " " + strings.ToUpper(f.members[caio.RoleEditor].Name) + " ", DueDate: "2026-12-05", ReviewDate: "2026-12-01"})
	if err != nil {
		t.Fatal(err)
	}
	done := f.control(t, "Done system")
	if _, err := f.app.UpdateControl(f.sys, done.ID, 0, caio.ControlInput{Status: caio.StatusImplemented}); err != nil {
		t.Fatal(err)
	}
	f.risk, err = f.app.CreateRisk(f.sys, caio.RiskInput{Title: "Biased shortlists", Likelihood: 3, Impact: 4, Owner: "Head of HR", ReviewDate: "2026-12-20"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.AddTreatment(f.sys, f.risk.ID, caio.TreatmentInput{Description: "Audit the ranking for bias", Due: "2027-06-01"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// TestDeadlines lists deadlines as the people of the organisation see them:
// overdue first, each with its reason and link, filtered by whose they are,
// kind and window, and paginated.
func TestDeadlines(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newReminderFixture(t, db)
		ds, total, err := f.app.Deadlines(f.as(caio.RoleEditor), caio.DeadlineFilter{Mine: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, d := range ds {
			got = append(got, d.Kind+" "+d.Due)
		}
		want := "obligation 2025-02-02, control_review 2026-12-01, obligation 2026-12-05, risk_review 2026-12-20"
		if strings.Join(got, ", ") != want || total != 4 {
			t.Fatalf("editor's deadlines %d: %s\nwant %s", total, strings.Join(got, ", "), want)
		}
		lit := ds[0]
		if !lit.Overdue || lit.DaysLeft != -663 || lit.ObjectID != f.literacy.ID || lit.Link != "/controls/"+f.literacy.ID ||
			!strings.Contains(lit.Title, "EU AI Act Art 4") || !strings.Contains(lit.Title, "CV screening") ||
			!strings.Contains(lit.Source, "applies to this system from 2025-02-02") || !strings.Contains(lit.Source, "Art 113") {
			t.Errorf("literacy deadline %+v", lit)
		}
		if d := ds[2]; d.Overdue || d.DaysLeft != 8 || !strings.Contains(d.Source, "Target date set on the control") || !strings.Contains(d.Source, "2025-02-02") {
			t.Errorf("owned control's target date %+v", d)
		}
		if d := ds[3]; d.Link != "/risks/"+f.risk.ID || d.Owner != "Head of HR" || !strings.Contains(d.Title, "Biased shortlists") {
			t.Errorf("risk review %+v", d)
		}

		// The admin may edit, but the owned control is the editor's by name.
		ds, _, err = f.app.Deadlines(f.as(caio.RoleAdmin), caio.DeadlineFilter{Mine: true})
		if err != nil || len(ds) != 2 || ds[0].ObjectID != f.literacy.ID || ds[1].Kind != caio.DeadlineRiskReview {
			t.Errorf("admin's deadlines %+v %v", ds, err)
		}
		// A viewer cannot act on unowned duties: nothing is theirs; the
		// organisation's list is all of them.
		ds, _, err = f.app.Deadlines(f.as(caio.RoleViewer), caio.DeadlineFilter{Mine: true})
		if err != nil || len(ds) != 0 {
			t.Errorf("viewer's deadlines %+v %v", ds, err)
		}
		_, total, err = f.app.Deadlines(f.as(caio.RoleViewer), caio.DeadlineFilter{})
		if err != nil || total != 4 {
			t.Errorf("organisation's deadlines %d %v", total, err)
		}

		// A year ahead brings the treatment; a kind keeps one kind; pages.
		year, week := 365, 7
		ds, total, err = f.app.Deadlines(f.sys, caio.DeadlineFilter{Within: &year, Kind: ptr(caio.DeadlineRiskTreatment)})
		if err != nil || total != 1 || ds[0].Due != "2027-06-01" || !strings.Contains(ds[0].Title, "Audit the ranking for bias") {
			t.Errorf("treatments a year ahead %+v %v", ds, err)
		}
		ds, total, err = f.app.Deadlines(f.sys, caio.DeadlineFilter{Within: &week})
		if err != nil || total != 2 || ds[1].Kind != caio.DeadlineControlReview {
			t.Errorf("a week ahead %+v %v", ds, err)
		}
		ds, total, err = f.app.Deadlines(f.sys, caio.DeadlineFilter{Page: caio.Page{Limit: 2, Offset: 3}})
		if err != nil || total != 4 || len(ds) != 1 || ds[0].Kind != caio.DeadlineRiskReview {
			t.Errorf("page 2 %+v %d %v", ds, total, err)
		}
		// The system is nobody: it has no deadlines of its own.
		if ds, _, err := f.app.Deadlines(f.sys, caio.DeadlineFilter{Mine: true}); err != nil || len(ds) != 0 {
			t.Errorf("system's own %+v %v", ds, err)
		}

		// Bad filters name their field.
		tooFar := 800
		_, _, err = f.app.Deadlines(f.sys, caio.DeadlineFilter{Within: &tooFar, Kind: ptr("Bad Kind")})
		wantCode(t, err, caio.EINVALID)
		if fs := caio.ErrorFields(err); len(fs) != 2 || fs[0].Field != "within" || fs[1].Field != "kind" {
			t.Errorf("fields %+v", fs)
		}

		// Another organisation sees none of these.
		_, other := newOrg(t, f.app, "globex", "owner@globex.test")
		if _, total, err := f.app.Deadlines(other, caio.DeadlineFilter{Within: &year}); err != nil || total != 0 {
			t.Errorf("globex sees %d deadlines, %v", total, err)
		}
	})
}

// TestReminderPreferences turns a member's digest off and on again, each
// change audited; the system has no settings.
func TestReminderPreferences(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		v := f.as(caio.RoleViewer)
		p, err := f.app.ReminderPreferences(v)
		if err != nil || !p.Digest || p.UpdatedAt != nil {
			t.Fatalf("defaults %+v %v", p, err)
		}
		if p, err = f.app.SetReminderPreferences(v, caio.ReminderPreferences{Digest: false}); err != nil || p.Digest || p.UpdatedAt == nil {
			t.Fatalf("off %+v %v", p, err)
		}
		if e := lastEvent(t, f.app, f.sys); e.Action != "reminder.preferences" || e.ObjectID != f.members[caio.RoleViewer].UserID || !strings.Contains(string(e.Diff), "digest") {
			t.Errorf("audit %+v", e)
		}
		if p, err = f.app.ReminderPreferences(v); err != nil || p.Digest {
			t.Errorf("read back %+v %v", p, err)
		}
		// Another member's setting is untouched.
		if p, err := f.app.ReminderPreferences(f.as(caio.RoleEditor)); err != nil || !p.Digest {
			t.Errorf("editor's %+v %v", p, err)
		}
		_, err = f.app.ReminderPreferences(f.sys)
		wantCode(t, err, caio.EFORBIDDEN)
		_, err = f.app.SetReminderPreferences(f.sys, caio.ReminderPreferences{})
		wantCode(t, err, caio.EFORBIDDEN)
	})
}

// TestDigest sends the daily digest through a local SMTP server, in clear
// text and with STARTTLS and a password, on both engines: one message per
// member with something due, listing each deadline with its date, reason
// and full link; nothing for members who opted out or have nothing due;
// nothing more on a second run the same day; again the next day; a failed
// message is tried again by the next run; one audit event per run.
func TestDigest(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newReminderFixture(t, db)
		// The admin opts out; the owner, editor and admin could edit.
		if _, err := f.app.SetReminderPreferences(f.as(caio.RoleAdmin), caio.ReminderPreferences{Digest: false}); err != nil {
			t.Fatal(err)
		}
		sys := caio.WithActor(context.Background(), caio.Actor{System: true, Via: "test"})
		owner, editor := f.members[caio.RoleOwner], f.members[caio.RoleEditor]

		for i, opts := range []mailtest.Options{{}, {StartTLS: true, Username: "caio", Password: "s3cret"}} {
			if i == 1 {
				onDay(db, "2026-11-28") // a new day: the digest goes again
			}
			srv := mailtest.Start(t, opts)
			relay := srv.Config("caio <caio@example.com>")
			run := app.DigestOptions{Mailer: &relay, Sender: relay.From, BaseURL: "https://caio.example.com/", Days: 14}
			before := auditTotal(t, f.app, f.sys)

			rep, err := f.app.SendDigests(sys, run)
			if err != nil {
				t.Fatal(err)
			}
			o := rep.Orgs[0]
			if len(rep.Orgs) != 1 || len(o.Sent) != 2 || len(o.Failed) != 0 || o.OptedOut != 1 || o.NothingDue != 3 || o.AlreadySent != 0 {
				t.Fatalf("report %+v", o)
			}
			msgs := srv.Messages()
			if len(msgs) != 2 {
				t.Fatalf("received %d messages", len(msgs))
			}
			byTo := map[string]mailtest.Received{}
			for _, m := range msgs {
				if len(m.To) != 1 {
					t.Fatalf("recipients %v", m.To)
				}
				byTo[m.To[0]] = m
				if m.TLS != opts.StartTLS || m.From != "caio@example.com" {
					t.Errorf("from %s, TLS %v", m.From, m.TLS)
				}
			}
			m, ok := byTo[editor.Email]
			if !ok {
				t.Fatalf("no digest for the editor among %v", byTo)
			}
			subject, body := m.Header("Subject"), m.Body()
			if !strings.Contains(subject, "Acme Ltd") || !strings.Contains(subject, "1 overdue") || !strings.Contains(subject, "2 due by") {
				t.Errorf("subject %q", subject)
			}
			for _, want := range []string{"Hello A editor", "Overdue\n=======", "EU AI Act Art 4", "2025-02-02",
				"Why this date: EU AI Act Art 4", "https://caio.example.com/controls/" + f.literacy.ID,
				"https://caio.example.com/controls/" + f.owned.ID, "Control review (1)", "2026-12-01", "2026-12-05",
				"https://caio.example.com/reminders#digest"} {
				if !strings.Contains(body, want) {
					t.Errorf("editor's digest lacks %q:\n%s", want, body)
				}
			}
			if strings.Contains(body, "Biased shortlists") && i == 0 {
				t.Errorf("the risk review of 2026-12-20 is beyond 14 days:\n%s", body)
			}
			if b := byTo[owner.Email].Body(); strings.Contains(b, f.owned.ID) || !strings.Contains(b, f.literacy.ID) {
				t.Errorf("owner's digest:\n%s", b)
			}
			if got := auditTotal(t, f.app, f.sys); got != before+1 {
				t.Errorf("the run wrote %d audit events, want 1", got-before)
			}
			if e := lastEvent(t, f.app, f.sys); e.Action != "reminder.digest" || !strings.Contains(string(e.Diff), editor.Email) {
				t.Errorf("audit %+v", e)
			}

			// The same day again: nothing more is sent or audited.
			rep, err = f.app.SendDigests(sys, run)
			if err != nil || len(rep.Orgs[0].Sent) != 0 || rep.Orgs[0].AlreadySent != 2 || len(srv.Messages()) != 2 {
				t.Errorf("second run %+v %v, %d messages", rep.Orgs[0], err, len(srv.Messages()))
			}
			if got := auditTotal(t, f.app, f.sys); got != before+1 {
				t.Errorf("the second run wrote %d audit events", got-before-1)
			}
		}

		// A relay that refuses the owner: the editor's goes, the owner's
		// is reported and sent by the next run.
		onDay(db, "2026-11-29")
		refusing := mailtest.Start(t, mailtest.Options{RefuseRcpt: "owner@"})
		relay := refusing.Config("caio@example.com")
		rep, err := f.app.SendDigests(sys, app.DigestOptions{Mailer: &relay, Sender: relay.From, Days: 14})
		if err != nil {
			t.Fatal(err)
		}
		if o := rep.Orgs[0]; len(o.Sent) != 1 || len(o.Failed) != 1 || o.Failed[0].Email != owner.Email || !strings.Contains(o.Failed[0].Error, "refused the recipient") {
			t.Fatalf("with a refusing relay %+v", o)
		}
		good := mailtest.Start(t, mailtest.Options{})
		relay = good.Config("caio@example.com")
		rep, err = f.app.SendDigests(sys, app.DigestOptions{Mailer: &relay, Sender: relay.From, Days: 14, Org: "acme"})
		if err != nil || len(rep.Orgs[0].Sent) != 1 || rep.Orgs[0].Sent[0].Email != owner.Email || rep.Orgs[0].AlreadySent != 1 {
			t.Errorf("retry %+v %v", rep.Orgs[0], err)
		}

		// A dry run composes without sending or logging.
		onDay(db, "2026-11-30")
		rep, err = f.app.SendDigests(sys, app.DigestOptions{DryRun: true, Days: 14})
		if err != nil || len(rep.Orgs[0].Sent) != 2 || !strings.Contains(rep.Orgs[0].Sent[0].Body, "Why this date") {
			t.Errorf("dry run %+v %v", rep.Orgs[0], err)
		}
		if n := len(good.Messages()); n != 1 {
			t.Errorf("dry run sent: %d messages", n)
		}

		// Only the system runs it; without a relay it says what to set.
		_, err = f.app.SendDigests(f.as(caio.RoleOwner), app.DigestOptions{DryRun: true})
		wantCode(t, err, caio.EFORBIDDEN)
		_, err = f.app.SendDigests(sys, app.DigestOptions{})
		if caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(caio.ErrorMessage(err), "--smtp-url") {
			t.Errorf("without a relay: %v", err)
		}
		_, err = f.app.SendDigests(sys, app.DigestOptions{DryRun: true, Org: "nowhere"})
		wantCode(t, err, caio.ENOTFOUND)
	})
}

// TestDigestConcurrent runs the digest twice at once, as two servers would:
// each member still gets one message.
func TestDigestConcurrent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newReminderFixture(t, db)
		srv := mailtest.Start(t, mailtest.Options{})
		relay := srv.Config("caio@example.com")
		sys := caio.WithActor(context.Background(), caio.Actor{System: true, Via: "test"})
		var wg sync.WaitGroup
		sent := make([]int, 4)
		for i := range sent {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rep, err := f.app.SendDigests(sys, app.DigestOptions{Mailer: &relay, Sender: relay.From, Days: 14})
				if err != nil {
					t.Error(err)
					return
				}
				sent[i] = len(rep.Orgs[0].Sent)
			}()
		}
		wg.Wait()
		if total := sent[0] + sent[1] + sent[2] + sent[3]; total != 3 || len(srv.Messages()) != 3 {
			t.Errorf("runs sent %v, server received %d; want 3 in all (owner, admin, editor)", sent, len(srv.Messages()))
		}
	})
}

// TestDigestNothingDue sends nothing, and audits nothing, in an
// organisation without deadlines.
func TestDigestNothingDue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		srv := mailtest.Start(t, mailtest.Options{})
		relay := srv.Config("caio@example.com")
		before := auditTotal(t, f.app, f.sys)
		rep, err := f.app.SendDigests(caio.WithActor(context.Background(), caio.Actor{System: true}), app.DigestOptions{Mailer: &relay, Days: 14})
		if err != nil || len(rep.Orgs[0].Sent) != 0 || rep.Orgs[0].NothingDue != len(caio.Roles) || len(srv.Messages()) != 0 {
			t.Errorf("report %+v %v", rep, err)
		}
		if auditTotal(t, f.app, f.sys) != before {
			t.Error("a run that sent nothing was audited")
		}
	})
}

// TestNextDigestRun schedules the digest at the hour, today or tomorrow.
func TestNextDigestRun(t *testing.T) {
	at := func(s string) time.Time { t, _ := time.Parse(time.RFC3339, s); return t }
	for _, tc := range []struct{ now, want string }{
		{"2026-11-27T05:59:59Z", "2026-11-27T06:00:00Z"},
		{"2026-11-27T06:00:00Z", "2026-11-28T06:00:00Z"},
		{"2026-12-31T23:00:00Z", "2027-01-01T06:00:00Z"},
		{"2026-11-27T07:30:00+02:00", "2026-11-27T06:00:00Z"}, // 05:30 UTC: the hour is UTC
	} {
		got := app.NextDigestRun(at(tc.now), 6)
		if !got.Equal(at(tc.want)) {
			t.Errorf("NextDigestRun(%s) = %s, want %s", tc.now, got, tc.want)
		}
	}
}

// TestDigestScheduleStops returns when its context ends.
func TestDigestScheduleStops(t *testing.T) {
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	a := app.New(db, nil)
	ctx, cancel := context.WithCancel(caio.WithActor(context.Background(), caio.Actor{System: true}))
	done := make(chan struct{})
	go func() { a.RunDigestSchedule(ctx, app.DigestOptions{DryRun: true}, 0); close(done) }()
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the schedule did not stop")
	}
}

// TestDemoReminders shows Northwind's control deadlines to the demo user,
// and would send them a digest.
func TestDemoReminders(t *testing.T) {
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
	var demo *caio.Membership
	for _, m := range ms {
		if m.Email == app.DemoEmail {
			demo = m
		}
	}
	if demo == nil {
		t.Fatalf("no demo user among %d members", len(ms))
	}
	ds, total, err := a.Deadlines(caio.WithActor(ctx, memberActor(demo)), caio.DeadlineFilter{Mine: true})
	if err != nil || total == 0 {
		t.Fatalf("demo user's deadlines: %d, %v", total, err)
	}
	obligations := 0
	for _, d := range ds {
		if d.Kind == caio.DeadlineObligation && strings.HasPrefix(d.Link, "/controls/ctl_") && d.Source != "" {
			obligations++
		}
	}
	if obligations == 0 {
		t.Errorf("no control obligations among the demo user's %d deadlines: %+v", total, ds)
	}
	// The areas built beside reminders add theirs: the incident's Art 73
	// clock, the policies' reviews and owed acknowledgements, and tasks.
	far := caio.MaxDeadlineDays
	all, _, err := a.Deadlines(caio.WithActor(ctx, sys), caio.DeadlineFilter{Within: &far, Page: caio.Page{Limit: 500}})
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]int{}
	for _, d := range all {
		kinds[d.Kind]++
		if d.Kind == "incident_clock" && (!strings.HasPrefix(d.Link, "/incidents/inc_") || !strings.Contains(d.Source, "Art 73")) {
			t.Errorf("incident clock %+v", d)
		}
	}
	for _, k := range []string{"incident_clock", "policy_review", "acknowledgement", "task"} {
		if kinds[k] == 0 {
			t.Errorf("no %s among the demo's deadlines: %v", k, kinds)
		}
	}
	// On 2026-11-27 the demo's first control dates are 2026-12-31 (ISO/IEC
	// 42001 A.4.6): beyond the digest's 14 days, within 40.
	rep, err := a.SendDigests(ctx, app.DigestOptions{DryRun: true, Org: app.DemoSlug, Days: 40})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, m := range rep.Orgs[0].Sent {
		found = found || m.Email == app.DemoEmail
	}
	if !found {
		t.Errorf("no digest for the demo user: %+v", rep.Orgs[0])
	}
}

// TestDigestRelayDown stops at the first failure of the relay itself
// rather than trying every member, and the next run sends them all.
func TestDigestRelayDown(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newReminderFixture(t, db)
		sys := caio.WithActor(context.Background(), caio.Actor{System: true, Via: "test"})
		down := mailtest.Start(t, mailtest.Options{}).Config("caio@example.com")
		down.Port = 1 // nothing listens there
		rep, err := f.app.SendDigests(sys, app.DigestOptions{Mailer: &down, Days: 14})
		if caio.ErrorCode(err) != caio.EUNAVAILABLE || !strings.Contains(caio.ErrorMessage(err), "cannot reach the SMTP server") {
			t.Fatalf("error %v", err)
		}
		if o := rep.Orgs[0]; len(o.Failed) != 1 || len(o.Sent) != 0 {
			t.Errorf("report %+v", o)
		}
		if e := lastEvent(t, f.app, f.sys); e.Action != "reminder.digest" || !strings.Contains(string(e.Diff), "failed_recipients") {
			t.Errorf("audit %+v", e)
		}
		srv := mailtest.Start(t, mailtest.Options{})
		up := srv.Config("caio@example.com")
		if rep, err = f.app.SendDigests(sys, app.DigestOptions{Mailer: &up, Days: 14}); err != nil || len(rep.Orgs[0].Sent) != 3 || len(srv.Messages()) != 3 {
			t.Errorf("next run %+v %v", rep.Orgs[0], err)
		}
	})
}
