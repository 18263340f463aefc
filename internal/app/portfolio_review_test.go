package app_test

// Tests written by a reviewer of the strategy and portfolio services. Each
// test shows one bug: it fails while the bug is there and passes once it is
// fixed.

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// Deleting a use case removes the depends-on links of the use cases that
// depended on it. That changes those use cases, so each needs an audit
// event, as deleting an objective or an AI system records use_case.unlink.
func TestReviewDeleteUseCaseAuditsDependents(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		a, b := f.useCase(t, "Data platform"), f.useCase(t, "Forecasting")
		if _, err := f.app.PlanUseCase(f.sys, b.ID, 0, caio.RoadmapInput{DependsOn: []string{a.ID}}); err != nil {
			t.Fatal(err)
		}
		if err := f.app.DeleteUseCase(f.sys, a.ID); err != nil {
			t.Fatal(err)
		}
		x, err := f.app.FindUseCase(f.sys, b.ID)
		if err != nil || len(x.DependsOn) != 0 {
			t.Fatalf("dependencies after deleting the one it had: %v, %v", x.DependsOn, err)
		}
		kind, id := "use_case", b.ID
		es, _, err := f.app.FindAuditEvents(f.sys, caio.AuditFilter{ObjectType: &kind, ObjectID: &id, Page: caio.Page{Limit: 50}})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range es {
			actions = append(actions, e.Action)
		}
		if !slices.Contains(actions, "use_case.unlink") {
			t.Fatalf("events of the dependent use case = %v; its lost dependency has no event", actions)
		}
	})
}

// A merged idea is closed: it must not move through the stage gates.
func TestReviewMergedIdeaCannotMove(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		obj := f.objective(t, "Faster claims")
		idea, err := f.app.CreateUseCase(f.as(caio.RoleContributor), caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "Claims bot",
			Problem: "Slow claims", Owner: "Claims lead", Sponsor: "COO"}, ObjectiveIDs: []string{obj.ID}})
		if err != nil {
			t.Fatal(err)
		}
		target := f.useCase(t, "Claims assistant", obj.ID)
		if _, err := f.app.TriageUseCase(f.as(caio.RoleEditor), idea.ID, app.TriageInput{Decision: "merge", MergeInto: target.ID}); err != nil {
			t.Fatal(err)
		}
		out, err := f.app.RequestStage(f.as(caio.RoleEditor), idea.ID, "assessment", "")
		if err == nil {
			t.Fatalf("a merged idea moved to assessment: %+v", out)
		}
		wantCode(t, err, caio.EINVALID)
		if x, _ := f.app.FindUseCase(f.sys, idea.ID); x.Stage != "idea" {
			t.Fatalf("merged idea is at %s", x.Stage)
		}
	})
}

// An idea can only be merged into a use case of the portfolio: not into one
// that is itself merged, rejected or still waiting in the queue (the form
// offers only accepted use cases, UseCaseNames; the service must agree).
func TestReviewMergeTargetMustBeAccepted(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		contributor, editor := f.as(caio.RoleContributor), f.as(caio.RoleEditor)
		idea := func(title string) *caio.UseCase {
			u, err := f.app.CreateUseCase(contributor, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: title}})
			if err != nil {
				t.Fatal(err)
			}
			return u
		}
		rejected, waiting, dup := idea("Rejected one"), idea("Waiting one"), idea("Duplicate")
		if _, err := f.app.TriageUseCase(editor, rejected.ID, app.TriageInput{Decision: "reject", Reason: "Out of scope"}); err != nil {
			t.Fatal(err)
		}
		for _, target := range []*caio.UseCase{rejected, waiting} {
			_, err := f.app.TriageUseCase(editor, dup.ID, app.TriageInput{Decision: "merge", MergeInto: target.ID})
			if got := fieldNames(err); !slices.Equal(got, []string{"merge_into"}) {
				t.Fatalf("merge into %q: fields %v, err %v; want merge_into", target.Title, got, err)
			}
		}
	})
}

// Moving a use case past a pending stage approval (here: rejecting it)
// leaves that approval pending for ever: it stays in every approver's queue
// and can never be approved. It should be withdrawn in the same transaction,
// as DeleteUseCase does.
func TestReviewMoveWithdrawsPendingApproval(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ap := f.pendingApproval(t, "Pending")
		if _, err := f.app.RequestStage(f.as(caio.RoleEditor), ap.SubjectID, "rejected", "No budget this year"); err != nil {
			t.Fatal(err)
		}
		got, err := f.app.FindApproval(f.sys, ap.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status == "pending" {
			_, err := f.app.DecideApproval(f.as(caio.RoleApprover), ap.ID, "approve", "")
			t.Fatalf("the approval of a rejected use case is still pending; approving it gives %v", err)
		}
	})
}

// Ratings that pass validation must give a score that can be written as
// JSON: a reach near the float limit or an effort near zero makes RICE
// infinite, and every list that holds the use case then fails to encode.
func TestReviewRICEStaysFinite(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		u := f.useCase(t, "Huge reach")
		r := rated
		r.Reach, r.Impact, r.Confidence, r.Effort = 1e308, 3, 1, 0.5
		s, err := f.app.RateUseCase(f.sys, u.ID, 0, r)
		if err != nil {
			wantCode(t, err, caio.EINVALID) // refusing such ratings is a fix too
			return
		}
		if s.Score.RICE != nil && (math.IsInf(*s.Score.RICE, 0) || math.IsNaN(*s.Score.RICE)) {
			t.Errorf("RICE = %v", *s.Score.RICE)
		}
		list, _, err := f.app.FindUseCases(f.sys, caio.UseCaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := json.Marshal(list); err != nil {
			t.Fatalf("the use case list cannot be encoded: %v", err)
		}
	})
}

// The roll-up adds business cases up in the organisation's currency. A case
// in another currency must not be added as if it were in that one.
func TestReviewRollupDoesNotMixCurrencies(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		eur, usd := f.useCase(t, "In euros"), f.useCase(t, "In dollars")
		if _, err := f.app.SaveBusinessCase(f.sys, eur.ID, 0, exampleCase()); err != nil {
			t.Fatal(err)
		}
		// A case in another currency than the portfolio's is refused.
		c := exampleCase()
		c.Currency = "USD"
		_, err := f.app.SaveBusinessCase(f.sys, usd.ID, 0, c)
		if got := fieldNames(err); !slices.Equal(got, []string{"currency"}) {
			t.Fatalf("a USD case in a EUR portfolio: %v", err)
		}
		// One that names none takes the portfolio's.
		c.Currency = ""
		if bc, err := f.app.SaveBusinessCase(f.sys, usd.ID, 0, c); err != nil || bc.Input.Currency != "EUR" {
			t.Fatalf("a case without a currency: %+v, %v", bc, err)
		}
		// When the portfolio changes currency, the old cases leave the sums
		// and are counted apart.
		s := app.DefaultPortfolioSettings()
		s.Currency = "USD"
		if _, err := f.app.UpdatePortfolioSettings(f.sys, 0, s); err != nil {
			t.Fatal(err)
		}
		roll, err := f.app.PortfolioRollup(f.sys)
		if err != nil {
			t.Fatal(err)
		}
		if roll.Currency != "USD" || roll.Total.WithCase != 0 || roll.Total.ExpectedNPV != 0 || roll.OtherCurrency != 2 {
			t.Fatalf("roll-up after the change: %+v, total %+v", roll, roll.Total)
		}
	})
}

// Doc: rejected use cases are left out of the ranking and the matrix, as
// they are out of the roll-up and the roadmap. A use case rejected at a
// gate (intake still accepted) is ranked.
func TestReviewRankingLeavesOutRejected(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		u := f.useCase(t, "Stopped")
		if _, err := f.app.RateUseCase(f.sys, u.ID, 0, rated); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.RequestStage(f.sys, u.ID, "rejected", "Not worth it"); err != nil {
			t.Fatal(err)
		}
		ranked, err := f.app.RankUseCases(f.sys, caio.UseCaseFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(ranked) != 0 {
			t.Fatalf("ranking holds a rejected use case: %+v", ranked[0])
		}
	})
}

// linksAgree reads a use case's link rows and its denormalised links column
// (through what ranking reads) and reports a difference.
func linksAgree(ctx context.Context, db *sqldb.DB, orgID, id string) error {
	return db.Read(ctx, func(c *sqldb.Conn) error {
		u, err := c.UseCase(ctx, orgID, id)
		if err != nil {
			return err
		}
		ranks, err := c.UseCaseRanks(ctx, orgID, caio.UseCaseFilter{}, []string{id})
		if err != nil || len(ranks) != 1 {
			return fmt.Errorf("ranks: %v, %v", ranks, err)
		}
		if ranks[0].ObjectiveCount != len(u.ObjectiveIDs) || len(ranks[0].Systems) != len(u.SystemIDs) {
			return fmt.Errorf("link rows have %d objectives and systems %v; the links column counts %d objectives and systems %v",
				len(u.ObjectiveIDs), u.SystemIDs, ranks[0].ObjectiveCount, ranks[0].Systems)
		}
		return nil
	})
}

// Deleting an objective and an AI system that the same use case links to,
// at the same moment, must leave use_cases.links equal to use_case_links.
// On PostgreSQL refreshLinkText recomputes the column from a snapshot taken
// before it waited for the other transaction's row lock, so the second
// refresh writes back the link the first one removed.
func TestReviewConcurrentUnlinksKeepLinksColumn(t *testing.T) {
	sqldbtest.EachWith(t, sqldbtest.Options{MaxConns: 8}, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for i := range 15 {
			obj := f.objective(t, fmt.Sprintf("Objective %d", i))
			sys := f.system(t, fmt.Sprintf("System %d", i))
			u, err := f.app.CreateUseCase(f.sys, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: fmt.Sprintf("Use case %d", i)},
				ObjectiveIDs: []string{obj.ID}, SystemIDs: []string{sys.ID}})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, 2)
			wg.Go(func() { <-start; errs[0] = f.app.DeleteObjective(f.sys, obj.ID) })
			wg.Go(func() { <-start; errs[1] = f.app.DeleteSystem(f.sys, sys.ID) })
			close(start)
			wg.Wait()
			if err := errors2(errs); err != nil {
				t.Fatal(err)
			}
			if err := linksAgree(f.sys, db, f.org.ID, u.ID); err != nil {
				t.Fatalf("round %d: %v", i, err)
			}
		}
	})
}

// Two people planning two use cases at once, each to depend on the other,
// must not both succeed: the cycle check reads the dependency edges without
// a lock, so on PostgreSQL each transaction misses the other's new edge.
func TestReviewConcurrentPlansMakeNoCycle(t *testing.T) {
	sqldbtest.EachWith(t, sqldbtest.Options{MaxConns: 8}, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for i := range 15 {
			a, b := f.useCase(t, fmt.Sprintf("A %d", i)), f.useCase(t, fmt.Sprintf("B %d", i))
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, 2)
			wg.Go(func() {
				<-start
				_, errs[0] = f.app.PlanUseCase(f.sys, a.ID, 0, caio.RoadmapInput{DependsOn: []string{b.ID}})
			})
			wg.Go(func() {
				<-start
				_, errs[1] = f.app.PlanUseCase(f.sys, b.ID, 0, caio.RoadmapInput{DependsOn: []string{a.ID}})
			})
			close(start)
			wg.Wait()
			if errs[0] == nil && errs[1] == nil {
				t.Fatalf("round %d: %s depends on %s and %s on %s: a cycle", i, a.Title, b.Title, b.Title, a.Title)
			}
		}
	})
}

func errors2(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
