package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// BenchmarkAdvise measures the budget for the advisor, end to end
// as the advice page asks for it: an organisation with 10,000 AI systems
// (classified, with their controls) and 50,000 use cases; load the facts,
// evaluate the cached rules, merge what people did with the actions, and
// return the first page (at most 2 s). SQLite; set ADVISOR_BENCH_PG=1 in
// the environment to add PostgreSQL.
//
//	go test ./internal/app -run '^$' -bench BenchmarkAdvise -benchtime 5x
func BenchmarkAdvise(b *testing.B) {
	if !app.AdvisorAvailable() {
		b.Skip("built without the advisor's CEL engine")
	}
	db := sqldbtest.Open(b, sqldb.SQLite, sqldbtest.Options{})
	db.Now = func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }
	ctx := context.Background()
	st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: 1000, Systems: 10000, Compliance: true, PasswordHash: "unused"})
	if err != nil {
		b.Fatal(err)
	}
	a := app.New(db, nil)
	sa, err := a.SystemActor(ctx, st.FirstSlug)
	if err != nil {
		b.Fatal(err)
	}
	sys := caio.WithActor(ctx, sa)
	if err := db.GenerateUseCases(sys, sa.OrgID, 50000, nil, nil); err != nil {
		b.Fatal(err)
	}
	l, err := a.Advise(sys, caio.AdviceFilter{})
	if err != nil {
		b.Fatal(err)
	}
	// What people did with some actions is merged on every request.
	for i, ad := range l.Items[:min(20, len(l.Items))] {
		if i%2 == 0 {
			_, err = a.DismissAction(sys, ad.Key, "bench")
		} else {
			_, err = a.AcceptAction(sys, ad.Key, caio.AcceptInput{})
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for b.Loop() {
		if l, err = a.Advise(sys, caio.AdviceFilter{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(l.Total), "actions")
	b.ReportMetric(float64(st.Systems), "systems")
}
