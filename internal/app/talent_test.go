package app_test

import (
	"context"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// newPerson adds a person of the team through the system actor.
func newPerson(t *testing.T, f *fixture, name, role string) *caio.Person {
	t.Helper()
	p, err := f.app.CreatePerson(f.sys, caio.PersonInput{Name: name, Role: role})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// newCandidate adds a CAIO candidate through the system actor.
func newCandidate(t *testing.T, f *fixture, name string) *caio.Candidate {
	t.Helper()
	k, err := f.app.CreateCandidate(f.sys, caio.CandidateInput{Name: name, Source: "Referral"})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// The talent services join the role matrix of app_test.go.
func init() {
	actions = append(actions,
		action{"FindPeople", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, _, err := f.app.FindPeople(ctx, caio.PersonFilter{}); return err }
		}},
		action{"TalentHeatMap", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, err := f.app.TalentHeatMap(ctx); return err }
		}},
		action{"CreatePerson", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.CreatePerson(ctx, caio.PersonInput{Name: "New", Role: "data-engineer"})
				return err
			}
		}},
		action{"RateSkills", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			p := newPerson(t, f, "Rated "+randomHex(), "mlops-engineer")
			return func(ctx context.Context) error {
				_, err := f.app.RateSkills(ctx, p.ID, map[string]int{"mlops": 3})
				return err
			}
		}},
		action{"SetScorecard", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.SetScorecard(ctx, caio.Scorecard{Criteria: []caio.Criterion{{Name: "Strategy", Weight: 60}, {Name: "Delivery", Weight: 40}}})
				return err
			}
		}},
		action{"CreateCandidate", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.CreateCandidate(ctx, caio.CandidateInput{Name: "Dana"})
				return err
			}
		}},
		action{"RateCandidate", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			k := newCandidate(t, f, "Rated "+randomHex())
			return func(ctx context.Context) error {
				sc, err := f.app.Scorecard(f.sys)
				if err != nil {
					return err
				}
				_, err = f.app.RateCandidate(ctx, k.ID, caio.PanelInput{Ratings: map[string]int{sc.Criteria[0].Key: 4}})
				return err
			}
		}},
		action{"DecideHiring", caio.PermApprove, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			voidDecision(t, f)
			k := newCandidate(t, f, "Chosen "+randomHex())
			sc, err := f.app.Scorecard(f.sys)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.app.RateCandidate(f.as(caio.RoleOwner), k.ID, caio.PanelInput{Ratings: map[string]int{sc.Criteria[0].Key: 5}}); err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error {
				_, err := f.app.DecideHiring(ctx, caio.DecisionInput{CandidateID: k.ID, Reason: "Best on strategy"})
				return err
			}
		}},
	)
}

// voidDecision withdraws the candidate of a standing decision, so another
// may be recorded.
func voidDecision(t *testing.T, f *fixture) {
	t.Helper()
	cmp, err := f.app.HiringComparison(f.sys)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Decision; d != nil && d.Standing {
		if _, err := f.app.UpdateCandidate(f.sys, d.CandidateID, 0, caio.CandidateInput{Name: d.CandidateName, Status: "withdrawn"}); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTalentTeam walks the skills matrix: people with roles, ratings with
// who rated, gaps, the heat map and the team's weakest skills, and the
// field errors a user would see.
func TestTalentTeam(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		editor := f.as(caio.RoleEditor)
		contributor := f.members[caio.RoleContributor]

		// Problems are named by field, all at once.
		_, err := f.app.CreatePerson(editor, caio.PersonInput{Role: "wizard", UserID: "usr_nope"})
		wantCode(t, err, caio.EINVALID)
		for _, field := range []string{"name", "role", "user_id"} {
			if !strings.Contains(caio.ErrorMessage(err), field) {
				t.Errorf("error %q does not name %s", caio.ErrorMessage(err), field)
			}
		}
		_, other := newOrg(t, f.app, "globex", "owner@globex.test")
		outsider, err := f.app.AddMember(other, app.MemberInput{Email: "stranger@globex.test", Name: "Stranger", Role: caio.RoleViewer, Password: password})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.app.CreatePerson(editor, caio.PersonInput{Name: "Sam", Role: "data-engineer", UserID: outsider.UserID})
		if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "user_id" || !strings.Contains(fs[0].Message, "not a member") {
			t.Errorf("linking a member of another organisation: %v", err)
		}

		ana, err := f.app.CreatePerson(editor, caio.PersonInput{Name: "Ana Lima", Role: "mlops-engineer", UserID: contributor.UserID, Notes: "Joined 2025"})
		if err != nil {
			t.Fatal(err)
		}
		if ana.RoleName != "MLOps engineer" || ana.UserEmail != contributor.Email || ana.Version != 1 {
			t.Errorf("created %+v", ana)
		}
		ben := newPerson(t, f, "Ben Okafor", "data-engineer")

		// A contributor rates; the rater and the levels show, and gaps follow.
		rater := f.as(caio.RoleContributor)
		ana, err = f.app.RateSkills(rater, ana.ID, map[string]int{"mlops": 2, "dev-methodologies": 4, "statistics": 3})
		if err != nil {
			t.Fatal(err)
		}
		if len(ana.Ratings) != 3 || ana.Ratings[0].RatedByLabel != contributor.Email || ana.Version != 2 || ana.Rated != 3 || ana.Below != 1 {
			t.Errorf("rated %+v", ana)
		}
		var mlops caio.SkillGap
		for _, g := range ana.Gaps {
			if g.Skill == "mlops" {
				mlops = g
			}
		}
		if mlops.Status != "below" || mlops.Gap != 3 || mlops.Target != 5 {
			t.Errorf("mlops gap %+v", mlops)
		}
		ev := lastEvent(t, f.app, f.sys)
		if ev.Action != "talent.person.rate" || !strings.Contains(string(ev.Diff), "mlops") {
			t.Errorf("rating event %+v", ev)
		}
		// Clearing a rating with 0; the same levels again write nothing.
		before := auditTotal(t, f.app, f.sys)
		if _, err := f.app.RateSkills(rater, ana.ID, map[string]int{"mlops": 2}); err != nil {
			t.Fatal(err)
		}
		if auditTotal(t, f.app, f.sys) != before {
			t.Error("an unchanged rating wrote an event")
		}
		if ana, err = f.app.RateSkills(rater, ana.ID, map[string]int{"statistics": 0}); err != nil || ana.Rated != 2 {
			t.Errorf("cleared: %+v %v", ana, err)
		}
		_, err = f.app.RateSkills(rater, ana.ID, map[string]int{"mlops": 6, "juggling": 3})
		if fs := caio.ErrorFields(err); len(fs) != 2 {
			t.Errorf("bad ratings: %v", err)
		}
		if _, err := f.app.RateSkills(f.as(caio.RoleViewer), ana.ID, map[string]int{"mlops": 5}); caio.ErrorCode(err) != caio.EFORBIDDEN {
			t.Errorf("viewer rated: %v", err)
		}
		if _, err := f.app.RateSkills(f.sys, ben.ID, map[string]int{"data-engineering": 3, "mlops": 1}); err != nil {
			t.Fatal(err)
		}

		h, err := f.app.TalentHeatMap(editor)
		if err != nil || len(h.Rows) != 2 || h.Rows[0].Name != "Ana Lima" {
			t.Fatalf("heat map %+v %v", h, err)
		}
		gaps, err := f.app.TalentGaps(editor)
		if err != nil || len(gaps) == 0 {
			t.Fatalf("gaps %v %v", gaps, err)
		}
		if gaps[0].Skill != "mlops" || gaps[0].Below != 2 || gaps[0].People != 2 {
			t.Errorf("weakest skill %+v", gaps[0])
		}

		ps, total, err := f.app.FindPeople(editor, caio.PersonFilter{Role: ptr("data-engineer")})
		if err != nil || total != 1 || ps[0].ID != ben.ID || ps[0].Below == 0 {
			t.Errorf("by role: %+v %d %v", ps, total, err)
		}
		if _, total, _ = f.app.FindPeople(editor, caio.PersonFilter{}); total != 2 {
			t.Errorf("total %d", total)
		}
		_, _, err = f.app.FindPeople(editor, caio.PersonFilter{Sort: "age"})
		wantCode(t, err, caio.EINVALID)

		// Stale edits are refused; the other organisation sees nothing.
		if _, err := f.app.UpdatePerson(editor, ana.ID, 1, caio.PersonInput{Name: "Ana", Role: "mlops-engineer"}); caio.ErrorCode(err) != caio.ECONFLICT {
			t.Errorf("stale update: %v", err)
		}
		if _, err := f.app.FindPerson(other, ana.ID); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("other org read: %v", err)
		}
		if _, err := f.app.RateSkills(other, ana.ID, map[string]int{"mlops": 5}); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("other org rated: %v", err)
		}
		if err := f.app.DeletePerson(editor, ben.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.FindPerson(editor, ben.ID); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("deleted person: %v", err)
		}
		if ok := verify(t, f.app, f.sys); !ok.Intact {
			t.Errorf("audit chain: %+v", ok)
		}
	})
}

// TestTalentHiring walks the hiring of the permanent CAIO: the scorecard
// and its sum, candidates, each interviewer's own ratings, the comparison
// and the decision.
func TestTalentHiring(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		editor, owner := f.as(caio.RoleEditor), f.as(caio.RoleOwner)

		sc, err := f.app.Scorecard(editor)
		if err != nil || sc.Version != 0 || len(sc.Criteria) != 10 || sc.Weights() != 100 {
			t.Fatalf("default scorecard %+v %v", sc, err)
		}
		// A sum other than 100 is named with the difference.
		bad := *sc
		bad.Criteria = append([]caio.Criterion(nil), sc.Criteria...)
		bad.Criteria[0].Weight += 5
		_, err = f.app.SetScorecard(editor, bad)
		if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "weights" || !strings.Contains(fs[0].Message, "add up to 105, not 100: remove 5") {
			t.Errorf("sum check: %v", err)
		}
		// Add a governance criterion of our own, taking 10 points from one.
		mine := *sc
		mine.Criteria = append([]caio.Criterion(nil), sc.Criteria...)
		mine.Criteria[0].Weight -= 10
		mine.Criteria = append(mine.Criteria, caio.Criterion{Name: "Governance, risk & regulation", Weight: 10})
		saved, err := f.app.SetScorecard(editor, mine)
		if err != nil || saved.Version != 1 || saved.Criterion("governance-risk-regulation") == nil {
			t.Fatalf("saved %+v %v", saved, err)
		}
		mine.Version = 1
		if saved, err = f.app.SetScorecard(editor, mine); err != nil || saved.Version != 2 {
			t.Fatalf("saved again %+v %v", saved, err)
		}
		if _, err := f.app.SetScorecard(editor, mine); caio.ErrorCode(err) != caio.ECONFLICT {
			t.Errorf("stale scorecard: %v", err)
		}

		_, err = f.app.CreateCandidate(editor, caio.CandidateInput{Name: "Eve", Status: "hired"})
		if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "status" {
			t.Errorf("hired by hand: %v", err)
		}
		avery := newCandidate(t, f, "Avery Quinn")
		blake := newCandidate(t, f, "Blake Osei")
		casey := newCandidate(t, f, "Casey Ng")

		rate := func(ctx context.Context, k *caio.Candidate, base int) {
			t.Helper()
			r := map[string]int{}
			for i, c := range saved.Criteria {
				r[c.Key] = min(5, max(1, base+i%2))
			}
			if _, err := f.app.RateCandidate(ctx, k.ID, caio.PanelInput{Ratings: r, Notes: "Strong 90-day plan"}); err != nil {
				t.Fatal(err)
			}
		}
		rate(owner, avery, 4)
		rate(editor, avery, 3)
		rate(owner, blake, 2)
		// An interviewer's set is replaced, not added to.
		rate(owner, blake, 3)
		k, err := f.app.FindCandidate(editor, blake.ID)
		if err != nil || len(k.Panels) != 1 || k.Score == nil || k.Score.Interviewers != 1 {
			t.Fatalf("blake %+v %v", k, err)
		}
		_, err = f.app.RateCandidate(editor, avery.ID, caio.PanelInput{Ratings: map[string]int{"charisma": 5, saved.Criteria[0].Key: 7}})
		if fs := caio.ErrorFields(err); len(fs) != 2 {
			t.Errorf("bad panel ratings: %v", err)
		}
		if _, err := f.app.RateCandidate(f.sys, avery.ID, caio.PanelInput{Ratings: map[string]int{saved.Criteria[0].Key: 3}}); caio.ErrorCode(err) != caio.EINVALID {
			t.Errorf("the system rated: %v", err)
		}
		if _, err := f.app.RateCandidate(f.as(caio.RoleViewer), avery.ID, caio.PanelInput{Ratings: map[string]int{saved.Criteria[0].Key: 3}}); caio.ErrorCode(err) != caio.EFORBIDDEN {
			t.Errorf("a viewer rated: %v", err)
		}

		cmp, err := f.app.HiringComparison(editor)
		if err != nil || len(cmp.Candidates) != 3 || cmp.Decision != nil {
			t.Fatalf("comparison %+v %v", cmp, err)
		}
		if cmp.Candidates[0].Name != "Avery Quinn" || cmp.Candidates[0].Rank != 1 || cmp.Candidates[0].Interviewers != 2 || cmp.Candidates[2].Name != "Casey Ng" || cmp.Candidates[2].Rank != 0 {
			t.Errorf("ranking %+v", cmp.Candidates)
		}
		if len(cmp.Candidates[0].Reasons) == 0 || !strings.Contains(cmp.Candidates[0].Reasons[0], "Weighted score") {
			t.Errorf("reasons %v", cmp.Candidates[0].Reasons)
		}

		// Deciding needs approve; an unrated candidate cannot be chosen.
		if _, err := f.app.DecideHiring(editor, caio.DecisionInput{CandidateID: avery.ID, Reason: "Best"}); caio.ErrorCode(err) != caio.EFORBIDDEN {
			t.Errorf("editor decided: %v", err)
		}
		approver := f.as(caio.RoleApprover)
		_, err = f.app.DecideHiring(approver, caio.DecisionInput{CandidateID: casey.ID, Reason: "Gut feeling"})
		if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "candidate_id" || !strings.Contains(fs[0].Message, "no interviewer") {
			t.Errorf("unrated choice: %v", err)
		}
		_, err = f.app.DecideHiring(approver, caio.DecisionInput{CandidateID: "cnd_x"})
		if fs := caio.ErrorFields(err); len(fs) != 2 {
			t.Errorf("empty decision: %v", err)
		}
		if ok, _ := f.app.HiringDecided(editor); ok {
			t.Error("decided before any decision")
		}
		d, err := f.app.DecideHiring(approver, caio.DecisionInput{CandidateID: avery.ID, Reason: "Highest score, strongest on strategy"})
		if err != nil || !d.Standing || d.Score != cmp.Candidates[0].Score || d.DecidedByLabel != f.members[caio.RoleApprover].Email {
			t.Fatalf("decision %+v %v", d, err)
		}
		ev := lastEvent(t, f.app, f.sys)
		if ev.Action != "talent.hiring.decide" || ev.ObjectID != avery.ID || !strings.Contains(string(ev.Diff), "Highest score") {
			t.Errorf("decision event %+v", ev)
		}
		var decided bool
		if err := db.Read(context.Background(), func(c *sqldb.Conn) (err error) {
			decided, err = c.HiringDecided(context.Background(), f.org.ID)
			return err
		}); err != nil || !decided {
			t.Errorf("HiringDecided = %v, %v", decided, err)
		}
		for id, want := range map[string]string{avery.ID: "hired", blake.ID: "applied", casey.ID: "applied"} {
			if k, _ := f.app.FindCandidate(editor, id); k.Status != want {
				t.Errorf("%s: status %s, want %s", k.Name, k.Status, want)
			}
		}
		if _, err := f.app.DecideHiring(approver, caio.DecisionInput{CandidateID: blake.ID, Reason: "Second"}); caio.ErrorCode(err) != caio.ECONFLICT {
			t.Errorf("second decision: %v", err)
		}
		if err := f.app.DeleteCandidate(editor, avery.ID); caio.ErrorCode(err) != caio.ECONFLICT {
			t.Errorf("deleting the chosen candidate: %v", err)
		}
		// The chosen candidate withdraws: the decision no longer stands.
		if _, err := f.app.UpdateCandidate(editor, avery.ID, 0, caio.CandidateInput{Name: "Avery Quinn", Status: "withdrawn"}); err != nil {
			t.Fatal(err)
		}
		if ok, _ := f.app.HiringDecided(editor); ok {
			t.Error("a voided decision still counts")
		}
		if _, err := f.app.DecideHiring(f.as(caio.RoleAdmin), caio.DecisionInput{CandidateID: blake.ID, Reason: "Runner-up accepted"}); err != nil {
			t.Errorf("decision after withdrawal: %v", err)
		}
		if err := f.app.DeleteCandidate(editor, casey.ID); err != nil {
			t.Errorf("delete: %v", err)
		}
		if ok := verify(t, f.app, f.sys); !ok.Intact {
			t.Errorf("audit chain: %+v", ok)
		}
	})
}

// TestTalentDemo checks the demo's talent: Northwind's team of six with
// ratings, and three candidates each rated by two panel members, with no
// decision yet.
func TestTalentDemo(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a := app.New(db, nil)
		ctx := caio.WithActor(context.Background(), caio.Actor{System: true, Via: "test"})
		if _, err := a.LoadDemo(ctx); err != nil {
			t.Fatal(err)
		}
		sa, err := a.SystemActor(ctx, app.DemoSlug)
		if err != nil {
			t.Fatal(err)
		}
		demo := caio.WithActor(ctx, sa)
		ps, total, err := a.FindPeople(demo, caio.PersonFilter{})
		if err != nil || total != 6 {
			t.Fatalf("team: %d, %v", total, err)
		}
		linked := 0
		for _, p := range ps {
			if p.Rated < 5 {
				t.Errorf("%s has only %d ratings", p.Name, p.Rated)
			}
			if p.UserID != "" {
				linked++
			}
		}
		if linked != 2 {
			t.Errorf("%d people linked to members, want 2", linked)
		}
		gaps, err := a.TalentGaps(demo)
		if err != nil || len(gaps) == 0 || gaps[0].Below == 0 {
			t.Errorf("demo gaps %+v %v", gaps, err)
		}
		cmp, err := a.HiringComparison(demo)
		if err != nil || len(cmp.Candidates) != 3 || cmp.Decision != nil {
			t.Fatalf("demo hiring %+v %v", cmp, err)
		}
		for _, c := range cmp.Candidates {
			if c.Interviewers != 2 || !c.Complete || c.Rank == 0 {
				t.Errorf("candidate %s: %+v", c.Name, c)
			}
		}
		if ok, _ := a.HiringDecided(demo); ok {
			t.Error("the demo has a decision")
		}
	})
}
