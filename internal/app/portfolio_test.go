package app_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/finance"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func init() {
	actions = append(actions,
		action{"FindUseCases", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			f.useCase(t, "to list")
			return func(ctx context.Context) error {
				_, _, err := f.app.FindUseCases(ctx, caio.UseCaseFilter{})
				return err
			}
		}},
		action{"CreateUseCase", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.CreateUseCase(ctx, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "Invoice matching"}})
				return err
			}
		}},
		action{"RateUseCase", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			u := f.useCase(t, "to rate")
			return func(ctx context.Context) error {
				_, err := f.app.RateUseCase(ctx, u.ID, 0, rated)
				return err
			}
		}},
		action{"SaveBusinessCase", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			u := f.useCase(t, "to cost")
			return func(ctx context.Context) error {
				_, err := f.app.SaveBusinessCase(ctx, u.ID, 0, exampleCase())
				return err
			}
		}},
		action{"UpdateStrategy", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				s, err := f.app.FindStrategy(ctx)
				if err != nil {
					return err
				}
				_, err = f.app.UpdateStrategy(ctx, s.Version, caio.StrategyContent{Vision: "AI that serves customers " + randomHex()})
				return err
			}
		}},
		action{"UpdatePortfolioSettings", caio.PermManageOrg, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				s := app.DefaultPortfolioSettings()
				s.Quorum = 2
				_, err := f.app.UpdatePortfolioSettings(ctx, 0, s)
				return err
			}
		}},
		action{"CheckStages", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			u := f.useCase(t, "to check")
			return func(ctx context.Context) error {
				_, err := f.app.CheckStages(ctx, u.ID)
				return err
			}
		}},
		action{"FindRankedUseCases", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, _, _, err := f.app.FindRankedUseCases(ctx, caio.UseCaseFilter{})
				return err
			}
		}},
		action{"TriageUseCase", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			idea, err := f.app.CreateUseCase(f.as(caio.RoleContributor), caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "An idea"}})
			if err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error {
				_, err := f.app.TriageUseCase(ctx, idea.ID, app.TriageInput{Decision: "accept"})
				return err
			}
		}},
		action{"RequestStage", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			u := f.useCase(t, "to hold")
			return func(ctx context.Context) error {
				_, err := f.app.RequestStage(ctx, u.ID, "on_hold", "Waiting for data")
				return err
			}
		}},
		action{"WithdrawApprovalAsOther", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			ap := f.pendingApproval(t, "to withdraw")
			return func(ctx context.Context) error {
				_, err := f.app.WithdrawApproval(ctx, ap.ID)
				return err
			}
		}},
		action{"RejectApproval", caio.PermApprove, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			ap := f.pendingApproval(t, "to reject")
			return func(ctx context.Context) error {
				_, err := f.app.DecideApproval(ctx, ap.ID, "reject", "Not yet")
				return err
			}
		}},
		action{"SetCapacity", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.SetCapacity(ctx, []caio.Capacity{{Quarter: "2027Q1", People: 3}})
				return err
			}
		}},
		action{"RecordBenefit", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			u := f.useCase(t, "to realise")
			if _, err := f.app.SaveBusinessCase(f.sys, u.ID, 0, exampleCase()); err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error {
				return f.app.RecordBenefit(ctx, u.ID, caio.BenefitActual{Year: 1, Amount: 5})
			}
		}},
		action{"RecordKPIActual", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			u := f.useCase(t, "to measure")
			k, err := f.app.CreateKPI(f.sys, u.ID, caio.KPIInput{Name: "Handling time", Unit: "min", Direction: "decrease", Baseline: ptr(30.0)})
			if err != nil {
				t.Fatal(err)
			}
			return func(ctx context.Context) error {
				_, err := f.app.RecordKPIActual(ctx, k.ID, caio.KPIActualInput{On: "2027-03-31", Value: 24})
				return err
			}
		}},
	)
}

// rated are ratings that make a use case a quick win.
var rated = caio.UseCaseRatings{ObjectiveFit: 4, StrategicFit: 4, PeopleAffected: 3, Urgency: 4,
	DataReadiness: 4, Complexity: 2, Skills: 4, Integration: 3}

func exampleCase() finance.Case {
	return finance.Case{Currency: "EUR", HorizonYears: 5, DiscountRate: 0.08, Trials: 2000, Seed: 7,
		OneOff:   []finance.Line{{Label: "Build", Range: finance.Range{Low: 100000, Likely: 120000, High: 160000}}},
		Running:  []finance.Line{{Label: "Run", Range: finance.Range{Low: 20000, Likely: 30000, High: 40000}}},
		Benefits: []finance.Line{{Label: "Hours saved", Range: finance.Range{Low: 60000, Likely: 90000, High: 130000}}},
		Adoption: []float64{0.4, 0.8, 1}}
}

// useCase creates an accepted use case with an owner, a sponsor and a problem.
func (f *fixture) useCase(t *testing.T, title string, objectives ...string) *caio.UseCase {
	t.Helper()
	u, err := f.app.CreateUseCase(f.sys, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: title, Problem: "Slow " + title,
		Owner: "Claims lead", Sponsor: "COO", DataNeeded: "Claims history"}, ObjectiveIDs: objectives})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestUseCaseIntakeAndTriage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		idea, err := f.app.CreateUseCase(f.as(caio.RoleContributor), caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "Chat for claims"}})
		if err != nil {
			t.Fatal(err)
		}
		if idea.Intake != caio.IntakeSubmitted || idea.Stage != "idea" {
			t.Fatalf("a contributor's idea is %s at %s, want submitted at idea", idea.Intake, idea.Stage)
		}
		// The queue's ideas stay out of the ranking until accepted.
		ranked, err := f.app.RankUseCases(f.sys, caio.UseCaseFilter{})
		if err != nil || len(ranked) != 0 {
			t.Fatalf("ranking before triage = %v, %v; want empty", ranked, err)
		}
		// The contributor may still edit their own idea; another may not.
		if _, err := f.app.UpdateUseCase(f.as(caio.RoleContributor), idea.ID, 0, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "Chat for claims", Problem: "Callers wait"}}); err != nil {
			t.Fatalf("the submitter edits their idea: %v", err)
		}
		other := f.addMember(t, caio.RoleContributor)
		_, err = f.app.UpdateUseCase(f.asMember(other), idea.ID, 0, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "Mine now"}})
		wantCode(t, err, caio.EFORBIDDEN)

		_, err = f.app.TriageUseCase(f.as(caio.RoleEditor), idea.ID, app.TriageInput{Decision: "reject"})
		if got := fieldNames(err); !slices.Equal(got, []string{"reason"}) {
			t.Fatalf("reject without a reason: fields %v, want reason", got)
		}
		target := f.useCase(t, "Claims assistant")
		merged, err := f.app.TriageUseCase(f.as(caio.RoleEditor), idea.ID, app.TriageInput{Decision: "merge", MergeInto: target.ID})
		if err != nil {
			t.Fatal(err)
		}
		if merged.Intake != caio.IntakeMerged || merged.MergedInto != target.ID {
			t.Fatalf("merged idea = %s into %q", merged.Intake, merged.MergedInto)
		}
		_, err = f.app.TriageUseCase(f.as(caio.RoleEditor), idea.ID, app.TriageInput{Decision: "accept"})
		if got := fieldNames(err); !slices.Equal(got, []string{"decision"}) {
			t.Fatalf("a second triage: fields %v, want decision", got)
		}
	})
}

func TestUseCaseRankingExplainsItself(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		obj := f.objective(t, "Faster claims")
		top := f.useCase(t, "Quick win", obj.ID)
		low := f.useCase(t, "Long shot")
		if _, err := f.app.RateUseCase(f.as(caio.RoleEditor), top.ID, 0, rated); err != nil {
			t.Fatal(err)
		}
		weak := caio.UseCaseRatings{ObjectiveFit: 2, StrategicFit: 2, PeopleAffected: 1, Urgency: 1, DataReadiness: 1, Complexity: 5, Skills: 2, Integration: 1}
		if _, err := f.app.RateUseCase(f.as(caio.RoleEditor), low.ID, 0, weak); err != nil {
			t.Fatal(err)
		}
		f.useCase(t, "Unrated")
		list, total, err := f.app.FindUseCases(f.sys, caio.UseCaseFilter{Sort: "priority"})
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, u := range list {
			titles = append(titles, u.Title)
		}
		if total != 3 || !slices.Equal(titles, []string{"Quick win", "Long shot", "Unrated"}) {
			t.Fatalf("ranked %v (total %d), want Quick win, Long shot, Unrated", titles, total)
		}
		s := list[0].Score
		if s.Quadrant != "quick_win" || list[0].Rank != 1 || len(s.Components) == 0 {
			t.Fatalf("top score = %+v rank %d", s, list[0].Rank)
		}
		// The long shot has no linked objective: its fit is capped and the
		// component says so.
		capped := false
		for _, c := range list[1].Score.Components {
			if c.Key == "objective_fit" && strings.Contains(strings.ToLower(c.Source), "objective") {
				capped = true
			}
		}
		if !capped {
			t.Fatalf("long shot's components do not explain the objective fit: %+v", list[1].Score.Components)
		}
		// A rating off its scale names the field and stores nothing.
		_, err = f.app.RateUseCase(f.as(caio.RoleEditor), top.ID, 0, caio.UseCaseRatings{Urgency: 9, Impact: 7})
		if got := fieldNames(err); !slices.Contains(got, "urgency") || !slices.Contains(got, "impact") {
			t.Fatalf("bad ratings: fields %v, want urgency and impact", got)
		}
	})
}

func TestStageGates(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		obj := f.objective(t, "Lower cost to serve")
		u := f.useCase(t, "Claims triage", obj.ID)
		editor := f.as(caio.RoleEditor)

		// Idea → assessment needs no approval.
		out, err := f.app.RequestStage(editor, u.ID, "assessment", "")
		if err != nil || !out.Moved {
			t.Fatalf("to assessment: %+v, %v", out, err)
		}
		// Assessment → approved: not scored, no business case. Each unmet
		// criterion is named and nothing changes.
		before := auditTotal(t, f.app, f.sys)
		_, err = f.app.RequestStage(editor, u.ID, "approved", "")
		got := fieldNames(err)
		if !slices.Contains(got, "criteria.scored") || !slices.Contains(got, "criteria.business_case") {
			t.Fatalf("unmet gate: fields %v, want criteria.scored and criteria.business_case", got)
		}
		if n := auditTotal(t, f.app, f.sys); n != before {
			t.Fatalf("a refused gate wrote %d audit events", n-before)
		}
		if x, _ := f.app.FindUseCase(f.sys, u.ID); x.Stage != "assessment" {
			t.Fatalf("stage after a refused gate = %s", x.Stage)
		}

		// Meet the criteria: the gate opens an approval instead of moving.
		if _, err := f.app.RateUseCase(editor, u.ID, 0, rated); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.SaveBusinessCase(editor, u.ID, 0, exampleCase()); err != nil {
			t.Fatal(err)
		}
		s := app.DefaultPortfolioSettings()
		s.Quorum = 2
		if _, err := f.app.UpdatePortfolioSettings(f.sys, 0, s); err != nil {
			t.Fatal(err)
		}
		out, err = f.app.RequestStage(editor, u.ID, "approved", "Scored and costed")
		if err != nil || out.Moved || out.Approval == nil || out.Approval.Quorum != 2 {
			t.Fatalf("gate with approval: %+v, %v", out, err)
		}
		ap := out.Approval
		_, err = f.app.RequestStage(editor, u.ID, "approved", "again")
		wantCode(t, err, caio.ECONFLICT)

		// The requester (an editor) has no approve permission; the owner
		// approves first, then the approver reaches the quorum.
		_, err = f.app.DecideApproval(editor, ap.ID, "approve", "")
		wantCode(t, err, caio.EFORBIDDEN)
		if ap, err = f.app.DecideApproval(f.as(caio.RoleOwner), ap.ID, "approve", "Fine by me"); err != nil || ap.Status != "pending" {
			t.Fatalf("first of two approvals: %+v, %v", ap, err)
		}
		_, err = f.app.DecideApproval(f.as(caio.RoleOwner), ap.ID, "approve", "")
		wantCode(t, err, caio.ECONFLICT)
		if ap, err = f.app.DecideApproval(f.as(caio.RoleApprover), ap.ID, "approve", "Agreed"); err != nil || ap.Status != "approved" {
			t.Fatalf("quorum reached: %+v, %v", ap, err)
		}
		x, _ := f.app.FindUseCase(f.sys, u.ID)
		if x.Stage != "approved" {
			t.Fatalf("stage after approval = %s, want approved", x.Stage)
		}
		hist, err := f.app.StageHistory(f.sys, u.ID)
		if err != nil || len(hist) != 3 || hist[2].ApprovalID != ap.ID || hist[1].Until == nil || hist[2].Until != nil {
			t.Fatalf("history = %+v, %v", hist, err)
		}

		// An admin who asks may not approve their own request by default,
		// and a rejection needs a comment and closes the request.
		admin := f.as(caio.RoleAdmin)
		k, err := f.app.CreateKPI(editor, u.ID, caio.KPIInput{Name: "Handling time", Unit: "min"})
		if err != nil {
			t.Fatal(err)
		}
		_ = k
		out, err = f.app.RequestStage(admin, u.ID, "poc", "Try it")
		if err != nil || out.Approval == nil {
			t.Fatalf("to poc: %+v, %v", out, err)
		}
		_, err = f.app.DecideApproval(admin, out.Approval.ID, "approve", "")
		wantCode(t, err, caio.EFORBIDDEN)
		_, err = f.app.DecideApproval(f.as(caio.RoleApprover), out.Approval.ID, "reject", "")
		if got := fieldNames(err); !slices.Equal(got, []string{"comment"}) {
			t.Fatalf("reject without comment: fields %v", got)
		}
		rej, err := f.app.DecideApproval(f.as(caio.RoleApprover), out.Approval.ID, "reject", "Not before the data review")
		if err != nil || rej.Status != "rejected" {
			t.Fatalf("reject: %+v, %v", rej, err)
		}
		if x, _ := f.app.FindUseCase(f.sys, u.ID); x.Stage != "approved" {
			t.Fatalf("a rejected request moved the use case to %s", x.Stage)
		}
		// On hold needs a reason and returns to the stage it came from.
		_, err = f.app.RequestStage(editor, u.ID, "on_hold", "")
		if got := fieldNames(err); !slices.Contains(got, "reason") {
			t.Fatalf("hold without reason: fields %v", got)
		}
		if out, err := f.app.RequestStage(editor, u.ID, "on_hold", "Budget freeze"); err != nil || !out.Moved {
			t.Fatalf("hold: %+v, %v", out, err)
		}
		if out, err := f.app.RequestStage(editor, u.ID, "approved", "Budget back"); err != nil || !out.Moved {
			t.Fatalf("resume: %+v, %v", out, err)
		}
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Fatalf("audit chain broken: %+v", v)
		}
	})
}

func TestGateReadsLinkedSystems(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		sys := f.system(t, "Unclassified bot")
		obj := f.objective(t, "Serve customers")
		u, err := f.app.CreateUseCase(f.sys, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "Bot", Owner: "A", Sponsor: "B", Problem: "P"},
			SystemIDs: []string{sys.ID}, ObjectiveIDs: []string{obj.ID}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.RequestStage(f.sys, u.ID, "assessment", ""); err != nil {
			t.Fatal(err)
		}
		check, err := f.app.CheckStage(f.sys, u.ID, "approved")
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range check.Criteria {
			if c.ID == "systems_classified" && !c.Met && strings.Contains(c.Reason, "Unclassified bot") {
				found = true
			}
		}
		if !found {
			t.Fatalf("criteria do not name the unclassified system: %+v", check.Criteria)
		}
		// Deleting the system removes the link, with an event on the use case.
		if err := f.app.DeleteSystem(f.sys, sys.ID); err != nil {
			t.Fatal(err)
		}
		x, err := f.app.FindUseCase(f.sys, u.ID)
		if err != nil || len(x.SystemIDs) != 0 {
			t.Fatalf("links after deleting the system: %v, %v", x.SystemIDs, err)
		}
		// The ranking reads the same: the risk no longer comes from the system.
		for _, c := range x.Score.Components {
			if c.Group == "risk" && strings.Contains(c.Source, "Unclassified bot") {
				t.Fatalf("the score still reads the deleted system: %+v", c)
			}
		}
		// A link to another organisation's system is refused by name.
		other, otherSys := newOrg(t, f.app, "globex", "owner@globex.test")
		_ = other
		gs, err := f.app.CreateSystem(otherSys, caio.AISystemInput{Name: "Theirs", Roles: []string{"deployer"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.app.UpdateUseCase(f.sys, u.ID, 0, caio.UseCaseInput{UseCaseCanvas: x.UseCaseCanvas, SystemIDs: []string{gs.ID}})
		if got := fieldNames(err); !slices.Equal(got, []string{"system_ids"}) {
			t.Fatalf("foreign system link: fields %v", got)
		}
		_, err = f.app.FindUseCase(otherSys, u.ID)
		wantCode(t, err, caio.ENOTFOUND)
	})
}

func TestBusinessCaseAndValue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		u := f.useCase(t, "Document intake")
		bad := exampleCase()
		bad.Benefits[0].Low = 200000
		bad.HorizonYears = -1
		_, err := f.app.SaveBusinessCase(f.sys, u.ID, 0, bad)
		got := fieldNames(err)
		if !slices.Contains(got, "benefits[0].low") || !slices.Contains(got, "horizon_years") {
			t.Fatalf("bad case: fields %v", got)
		}
		bc, err := f.app.SaveBusinessCase(f.sys, u.ID, 0, exampleCase())
		if err != nil {
			t.Fatal(err)
		}
		r := bc.Result
		if !(r.NPV.P10 <= r.NPV.P50 && r.NPV.P50 <= r.NPV.P90) || len(r.BenefitByYear) != 5 || len(r.Histogram) == 0 {
			t.Fatalf("result = %+v", r)
		}
		again, err := f.app.FindBusinessCase(f.sys, u.ID)
		if err != nil || again.Result.NPV != r.NPV || again.Version != 1 {
			t.Fatalf("stored result differs: %+v, %v", again, err)
		}
		_, err = f.app.SaveBusinessCase(f.sys, u.ID, 5, exampleCase())
		wantCode(t, err, caio.ECONFLICT)

		// Realised benefits compare with the year's simulated range.
		if err := f.app.RecordBenefit(f.sys, u.ID, caio.BenefitActual{Year: 9, Amount: 1}); !slices.Equal(fieldNames(err), []string{"year"}) {
			t.Fatalf("year outside the horizon: %v", err)
		}
		low := r.BenefitByYear[0].P10 / 2
		if err := f.app.RecordBenefit(f.sys, u.ID, caio.BenefitActual{Year: 1, Amount: low}); err != nil {
			t.Fatal(err)
		}
		v, err := f.app.FindValue(f.sys, u.ID)
		if err != nil || len(v.Years) != 5 || v.Years[0].Standing != "below_p10" || !slices.Equal(v.Below, []int{1}) {
			t.Fatalf("value = %+v, %v", v, err)
		}

		// The roll-up adds the case's mean NPV, weighted by the idea stage's chance.
		roll, err := f.app.PortfolioRollup(f.sys)
		if err != nil {
			t.Fatal(err)
		}
		if roll.Total.Count != 1 || roll.Total.WithCase != 1 || roll.Total.ExpectedNPV != r.MeanNPV ||
			roll.Total.RiskAdjusted != r.MeanNPV*app.DefaultSuccess["idea"] {
			t.Fatalf("roll-up total = %+v, mean NPV %v", roll.Total, r.MeanNPV)
		}
	})
}

func TestRoadmap(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := f.useCase(t, "Data platform"), f.useCase(t, "Forecasting")
		if _, err := f.app.PlanUseCase(f.sys, a.ID, 0, caio.RoadmapInput{RoadmapPlacement: caio.RoadmapPlacement{Start: "2027-Q2", End: "2027Q3", People: 3, Budget: 50000}}); err != nil {
			t.Fatal(err)
		}
		// b starts before a ends: a conflict the plan shows.
		if _, err := f.app.PlanUseCase(f.sys, b.ID, 0, caio.RoadmapInput{RoadmapPlacement: caio.RoadmapPlacement{Start: "2027Q3", End: "2027Q4", People: 2}, DependsOn: []string{a.ID}}); err != nil {
			t.Fatal(err)
		}
		_, err := f.app.PlanUseCase(f.sys, a.ID, 0, caio.RoadmapInput{DependsOn: []string{b.ID}})
		if got := fieldNames(err); !slices.Equal(got, []string{"depends_on"}) || !strings.Contains(err.Error(), "cycle") {
			t.Fatalf("a cycle: %v", err)
		}
		_, err = f.app.PlanUseCase(f.sys, a.ID, 0, caio.RoadmapInput{RoadmapPlacement: caio.RoadmapPlacement{Start: "2027Q4", End: "2027Q1"}})
		if got := fieldNames(err); !slices.Equal(got, []string{"end"}) {
			t.Fatalf("end before start: fields %v", got)
		}
		if _, err := f.app.SetCapacity(f.sys, []caio.Capacity{{Quarter: "2027Q3", People: 4, Budget: 100000}}); err != nil {
			t.Fatal(err)
		}
		rm, err := f.app.FindRoadmap(f.sys)
		if err != nil {
			t.Fatal(err)
		}
		if len(rm.Plan.Conflicts) != 1 || rm.Plan.Conflicts[0].ItemID != b.ID {
			t.Fatalf("conflicts = %+v", rm.Plan.Conflicts)
		}
		// Deleting a use case removes the dependencies on it everywhere.
		c := f.useCase(t, "Temporary")
		if _, err := f.app.PlanUseCase(f.sys, b.ID, 0, caio.RoadmapInput{RoadmapPlacement: caio.RoadmapPlacement{Start: "2027Q3", End: "2027Q4", People: 2}, DependsOn: []string{a.ID, c.ID}}); err != nil {
			t.Fatal(err)
		}
		if err := f.app.DeleteUseCase(f.sys, c.ID); err != nil {
			t.Fatal(err)
		}
		if rm, err := f.app.FindRoadmap(f.sys); err != nil || len(rm.Plan.Conflicts) != 1 {
			t.Fatalf("after deleting a dependency: %+v, %v", rm.Plan.Conflicts, err)
		}
		if x, err := f.app.FindUseCase(f.sys, b.ID); err != nil || !slices.Equal(x.DependsOn, []string{a.ID}) {
			t.Fatalf("dependencies after deleting one: %v, %v", x.DependsOn, err)
		}
		over := false
		for _, q := range rm.Plan.Quarters {
			if q.Quarter == "2027Q3" && q.OverPeople && q.People == 5 {
				over = true
			}
		}
		if !over {
			t.Fatalf("2027Q3 (5 people against 4) not over-committed: %+v", rm.Plan.Quarters)
		}
		_, err = f.app.SetCapacity(f.sys, []caio.Capacity{{Quarter: "Q9", People: -1}})
		if got := fieldNames(err); !slices.Contains(got, "capacity[0].quarter") {
			t.Fatalf("bad capacity: fields %v", got)
		}
	})
}

func TestStrategyAndSettings(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		obj := f.objective(t, "Grow revenue")
		s, err := f.app.UpdateStrategy(f.as(caio.RoleEditor), 0, caio.StrategyContent{Vision: "AI in every claim",
			Principles: []string{"People decide", " ", "Measure value"}, TargetMaturity: 3, Budget: 2e6, Currency: "eur",
			Priorities: []caio.StrategyPriority{{Title: "Claims", ObjectiveIDs: []string{obj.ID}}}})
		if err != nil {
			t.Fatal(err)
		}
		if s.Version != 1 || len(s.Principles) != 2 || s.Currency != "EUR" {
			t.Fatalf("strategy = %+v", s)
		}
		_, err = f.app.UpdateStrategy(f.as(caio.RoleEditor), 0, caio.StrategyContent{Vision: "stale"})
		wantCode(t, err, caio.ECONFLICT)
		_, err = f.app.UpdateStrategy(f.as(caio.RoleEditor), 1, caio.StrategyContent{TargetMaturity: 7, Priorities: []caio.StrategyPriority{{}}})
		if got := fieldNames(err); !slices.Contains(got, "target_maturity") || !slices.Contains(got, "priorities[0].title") {
			t.Fatalf("bad strategy: fields %v", got)
		}
		set := app.DefaultPortfolioSettings()
		set.Weights.Urgency += 5
		set.Quorum = 0
		set.Success = map[string]float64{"pilot": 1.5}
		_, err = f.app.UpdatePortfolioSettings(f.sys, 0, set)
		got := fieldNames(err)
		if len(got) < 3 || !slices.Contains(got, "quorum") || !slices.Contains(got, "success.pilot") {
			t.Fatalf("bad settings: fields %v", got)
		}
	})
}

func TestDemoPortfolio(t *testing.T) {
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
		ranked, err := a.RankUseCases(in, caio.UseCaseFilter{})
		if err != nil || len(ranked) != 6 {
			t.Fatalf("demo ranking: %d use cases, %v", len(ranked), err)
		}
		stages := map[string]string{}
		for _, r := range ranked {
			stages[r.Title] = r.Stage
		}
		if stages["Straight-through simple motor claims"] != "production" || stages["CV shortlisting for claims roles"] != "on_hold" {
			t.Fatalf("demo stages = %v", stages)
		}
		pending := "pending"
		// The policy library's demo adds a policy waiting for approval.
		aps, _, err := a.FindApprovals(in, caio.ApprovalFilter{Status: &pending})
		var gates []string
		for _, ap := range aps {
			if ap.SubjectKind == "use_case" {
				gates = append(gates, ap.SubjectTitle)
			}
		}
		if err != nil || len(gates) != 1 || gates[0] != "Fraud ring detection" {
			t.Fatalf("demo pending stage approvals = %v, %v", gates, err)
		}
		submitted := caio.IntakeSubmitted
		if _, n, err := a.FindUseCases(in, caio.UseCaseFilter{Intake: &submitted, Sort: "-created"}); err != nil || n != 1 {
			t.Fatalf("demo triage queue = %d, %v", n, err)
		}
		rm, err := a.FindRoadmap(in)
		if err != nil || len(rm.Plan.Conflicts) == 0 {
			t.Fatalf("demo roadmap conflicts = %v, %v", rm.Plan.Conflicts, err)
		}
		// Assessments: a readiness trend that rises, a submitted vendor
		// assessment, and the impact assessment the classification proposed.
		trend, err := a.AssessmentTrend(in, "readiness", "")
		if err != nil || len(trend) != 2 || trend[1].Score <= trend[0].Score {
			t.Fatalf("demo readiness trend = %+v, %v", trend, err)
		}
		for def, status := range map[string]string{"vendor": caio.AssessmentSubmitted, "impact": caio.AssessmentDraft} {
			d := def
			xs, n, err := a.FindAssessments(in, caio.AssessmentFilter{Definition: &d})
			if err != nil || n != 1 || xs[0].Status != status {
				t.Fatalf("demo %s assessments = %d %+v, %v", def, n, xs, err)
			}
		}
		risks, n, err := a.FindRisks(in, caio.RiskFilter{})
		breaches := 0
		for _, r := range risks {
			if r.Breach {
				breaches++
			}
		}
		if err != nil || n != 3 || breaches == 0 {
			t.Fatalf("demo risks = %d (%d above appetite), %v", n, breaches, err)
		}
	})
}

func TestResimulateBusinessCases(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		var ids []string
		for _, title := range []string{"One", "Two"} {
			u := f.useCase(t, title)
			if _, err := f.app.SaveBusinessCase(f.sys, u.ID, 0, exampleCase()); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, u.ID)
		}
		_, _, err := f.app.ResimulateBusinessCases(f.as(caio.RoleContributor))
		wantCode(t, err, caio.EFORBIDDEN)
		n, failed, err := f.app.ResimulateBusinessCases(f.as(caio.RoleEditor))
		if err != nil || n != 2 || len(failed) != 0 {
			t.Fatalf("resimulate = %d, %v, %v", n, failed, err)
		}
		bc, err := f.app.FindBusinessCase(f.sys, ids[0])
		if err != nil || bc.Version != 2 || bc.Result.Trials != exampleCase().Trials {
			t.Fatalf("after resimulating: %+v, %v", bc, err)
		}
		if e := lastEvent(t, f.app, f.sys); e.Action != "business_case.resimulate" {
			t.Fatalf("last event %s", e.Action)
		}
	})
}

// pendingApproval opens an approval request, asked for by the system, to
// move a ready use case from assessment to approved.
func (f *fixture) pendingApproval(t *testing.T, title string) *caio.Approval {
	t.Helper()
	obj := f.objective(t, "Objective of "+title)
	u := f.useCase(t, title, obj.ID)
	if _, err := f.app.RequestStage(f.sys, u.ID, "assessment", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.RateUseCase(f.sys, u.ID, 0, rated); err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.SaveBusinessCase(f.sys, u.ID, 0, exampleCase()); err != nil {
		t.Fatal(err)
	}
	out, err := f.app.RequestStage(f.sys, u.ID, "approved", "Ready")
	if err != nil || out.Approval == nil {
		t.Fatalf("request: %+v, %v", out, err)
	}
	return out.Approval
}

// TestRegisterRiskInScores: an open risk of the register linked to a use
// case raises the use case's risk above what its systems give; closing the
// risk takes it out again.
func TestRegisterRiskInScores(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		u := f.useCase(t, "Drafting assistant")
		before, err := f.app.FindUseCase(f.sys, u.ID)
		if err != nil || before.Score.Risk != 2 { // no system linked: 2
			t.Fatalf("risk before: %v, %v", before.Score.Risk, err)
		}
		r, err := f.app.CreateRisk(f.sys, caio.RiskInput{Title: "Prompt injection", Category: "owasp-llm:LLM01", Likelihood: 5, Impact: 4, UseCases: []string{u.ID}})
		if err != nil {
			t.Fatal(err)
		}
		after, err := f.app.FindUseCase(f.sys, u.ID)
		if err != nil || after.Score.Risk != 4 {
			t.Fatalf("risk with a 20-of-25 register risk: %v, %v", after.Score.Risk, err)
		}
		named := false
		for _, c := range after.Score.Components {
			if c.Key == "risk" && strings.Contains(c.Source, "Prompt injection") {
				named = true
			}
		}
		if !named {
			t.Fatalf("the risk component does not name the register's risk: %+v", after.Score.Components)
		}
		in := r.Input()
		in.Status = "closed"
		if _, err := f.app.UpdateRisk(f.sys, r.ID, 0, in); err != nil {
			t.Fatal(err)
		}
		if again, _ := f.app.FindUseCase(f.sys, u.ID); again.Score.Risk != 2 {
			t.Fatalf("risk after closing the register's risk: %v", again.Score.Risk)
		}
	})
}
