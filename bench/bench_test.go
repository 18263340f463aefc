package bench

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// fixture is a database with generated data, the services over it, and an
// owner of the first generated organisation.
type fixture struct {
	db    *sqldb.DB
	app   *app.App
	actor caio.Actor
	token string
}

func newFixture(b *testing.B, d sqldb.Dialect, scale int) *fixture {
	b.Helper()
	if d == sqldb.Postgres && os.Getenv(sqldbtest.EnvPostgresURL) == "" {
		b.Skip("set CAIO_TEST_POSTGRES_URL to benchmark PostgreSQL")
	}
	ctx := context.Background()
	db := sqldbtest.Open(b, d, sqldbtest.Options{MaxConns: 32})
	st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: scale, PasswordHash: "unused"})
	if err != nil {
		b.Fatal(err)
	}
	a := app.New(db, slog.New(slog.DiscardHandler))
	actor, err := a.UserActor(caio.WithActor(ctx, caio.Actor{System: true}), st.FirstSlug, sqldb.BenchOwnerEmail(st.FirstSlug))
	if err != nil {
		b.Fatal(err)
	}
	_, token, err := a.CreateToken(caio.WithActor(ctx, actor), "bench")
	if err != nil {
		b.Fatal(err)
	}
	return &fixture{db: db, app: a, actor: actor, token: token}
}

var dialects = []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres}

// BenchmarkCreateObjective measures a create through the services: validation,
// the insert and its hash-chained audit event in one transaction, from 16
// goroutines at once. The budget is at least 500 per second on SQLite.
func BenchmarkCreateObjective(b *testing.B) {
	for _, d := range dialects {
		b.Run(string(d), func(b *testing.B) {
			f := newFixture(b, d, 1000)
			ctx := caio.WithActor(context.Background(), f.actor)
			in := caio.ObjectiveInput{Title: "Benchmark objective", KPI: "ops", Horizon: "2027-12-31"}
			b.SetParallelism(8) // 16 writers on this 2-core machine
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if _, err := f.app.CreateObjective(ctx, in); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "creates/s")
		})
	}
}

// BenchmarkListObjectivesHTTP measures the authenticated GET of a 50-row page
// through the whole handler (middleware, token check, query, JSON), without
// the network, in an organisation of 1,000 objectives among 100,000.
func BenchmarkListObjectivesHTTP(b *testing.B) {
	scale := 100000
	if testing.Short() {
		scale = 2000
	}
	for _, d := range dialects {
		b.Run(string(d), func(b *testing.B) {
			f := newFixture(b, d, scale)
			srv, err := server.New(f.app, slog.New(slog.DiscardHandler), server.Config{})
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r := httptest.NewRequest("GET", "/api/v1/objectives?limit=50", nil)
					r.Header.Set("Authorization", "Bearer "+f.token)
					w := httptest.NewRecorder()
					srv.ServeHTTP(w, r)
					if w.Code != 200 || strings.Count(w.Body.String(), `"id":"obj_`) != 50 {
						b.Errorf("status %d", w.Code)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}
