package app_test

import (
	"context"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// BenchmarkDeadlines lists the owner's deadlines in an organisation with
// 10,000 classified AI systems and their controls (SQLite): every source
// runs, the results are merged, assigned and sorted, and one page returned.
func BenchmarkDeadlines(b *testing.B) {
	db := sqldbtest.Open(b, sqldb.SQLite, sqldbtest.Options{})
	onDay(db, "2026-11-27")
	ctx := context.Background()
	st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: 1000, Systems: 10000, Compliance: true, PasswordHash: "unused"})
	if err != nil {
		b.Fatal(err)
	}
	a := app.New(db, nil)
	sys, err := a.SystemActor(ctx, st.FirstSlug)
	if err != nil {
		b.Fatal(err)
	}
	ms, _, err := a.FindMembers(caio.WithActor(ctx, sys), caio.Page{})
	if err != nil || len(ms) == 0 {
		b.Fatal(ms, err)
	}
	owner := caio.WithActor(ctx, memberActor(ms[0]))
	year := 365
	_, total, err := a.Deadlines(owner, caio.DeadlineFilter{Mine: true, Within: &year})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, _, err := a.Deadlines(owner, caio.DeadlineFilter{Mine: true, Within: &year}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Controls), "controls")
	b.ReportMetric(float64(total), "deadlines")
}
