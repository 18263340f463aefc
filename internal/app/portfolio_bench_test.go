package app_test

import (
	"context"
	"os"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/finance"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// BenchmarkRankUseCases measures the budget: ranking 50,000 use
// cases with their scores from the database (read, score with the
// organisation's weights, sort) in at most 500 ms. Each use case links to
// an objective and a classified AI system, so the risk component is read
// from the inventory. The priority-sorted first page is measured beside it.
func BenchmarkRankUseCases(b *testing.B) {
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			db := sqldbtest.Open(b, d, sqldbtest.Options{})
			a := app.New(db, nil)
			root := caio.WithActor(context.Background(), caio.Actor{System: true, Via: "bench"})
			if _, err := a.CreateOrg(root, app.SignupInput{OrgName: "Rank Ltd", OrgSlug: "rank", Email: "owner@rank.test", Name: "Owner", Password: password}); err != nil {
				b.Fatal(err)
			}
			sys, err := a.SystemActor(root, "rank")
			if err != nil {
				b.Fatal(err)
			}
			ctx := caio.WithActor(root, sys)
			var objectives, systems []string
			for i := range 20 {
				o, err := a.CreateObjective(ctx, caio.ObjectiveInput{Title: "Objective " + string(rune('A'+i))})
				if err != nil {
					b.Fatal(err)
				}
				objectives = append(objectives, o.ID)
				s, err := a.CreateSystem(ctx, caio.AISystemInput{Name: "System " + string(rune('A'+i)), Roles: []string{"deployer"}})
				if err != nil {
					b.Fatal(err)
				}
				if i%2 == 0 {
					if _, err := a.ClassifySystem(ctx, s.ID, cvScreening()); err != nil {
						b.Fatal(err)
					}
				}
				systems = append(systems, s.ID)
			}
			if err := db.GenerateUseCases(ctx, sys.OrgID, 50000, objectives, systems); err != nil {
				b.Fatal(err)
			}
			b.Run("rank-all", func(b *testing.B) {
				for b.Loop() {
					r, err := a.RankUseCases(ctx, caio.UseCaseFilter{})
					if err != nil || len(r) != 50000 {
						b.Fatalf("%d ranked, %v", len(r), err)
					}
				}
			})
			b.Run("first-page", func(b *testing.B) {
				for b.Loop() {
					if _, n, err := a.FindUseCases(ctx, caio.UseCaseFilter{Sort: "priority"}); err != nil || n != 50000 {
						b.Fatalf("%d, %v", n, err)
					}
				}
			})
		})
	}
}

// BenchmarkResimulatePortfolio measures the budget of simulating a
// portfolio of 1,000 use cases (10,000 trials each) in at most 5 s on both
// cores, end to end: read the cases, simulate, store the results.
func BenchmarkResimulatePortfolio(b *testing.B) {
	db := sqldbtest.Open(b, sqldb.SQLite, sqldbtest.Options{})
	a := app.New(db, nil)
	root := caio.WithActor(context.Background(), caio.Actor{System: true, Via: "bench"})
	if _, err := a.CreateOrg(root, app.SignupInput{OrgName: "Sim Ltd", OrgSlug: "sim", Email: "owner@sim.test", Name: "Owner", Password: password}); err != nil {
		b.Fatal(err)
	}
	sys, err := a.SystemActor(root, "sim")
	if err != nil {
		b.Fatal(err)
	}
	ctx := caio.WithActor(root, sys)
	if err := db.GenerateUseCases(ctx, sys.OrgID, 1000, nil, nil); err != nil {
		b.Fatal(err)
	}
	ranked, err := a.RankUseCases(ctx, caio.UseCaseFilter{})
	if err != nil {
		b.Fatal(err)
	}
	// The realistic case of the finance engine's own benchmark: ten lines,
	// PERT, 10,000 trials.
	raw, err := os.ReadFile("../engine/finance/testdata/example.yaml")
	if err != nil {
		b.Fatal(err)
	}
	var bc finance.Case
	if err := yaml.Unmarshal(raw, &bc); err != nil {
		b.Fatal(err)
	}
	bc.Trials = 10000
	for _, u := range ranked {
		if _, err := a.SaveBusinessCase(ctx, u.ID, 0, bc); err != nil {
			b.Fatal(err)
		}
	}
	for b.Loop() {
		if n, failed, err := a.ResimulateBusinessCases(ctx); err != nil || n != 1000 || len(failed) != 0 {
			b.Fatalf("%d simulated, %v failed, %v", n, failed, err)
		}
	}
}
