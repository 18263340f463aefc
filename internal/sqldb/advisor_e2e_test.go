package sqldb_test

import (
	"context"
	"os"
	"slices"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/advisor"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestAdvisorEndToEnd loads the facts of a small organisation and runs the
// built-in rules over them.
func TestAdvisorEndToEnd(t *testing.T) {
	p, err := advisor.Compile(advisor.BuiltIns())
	if err != nil {
		t.Fatal(err)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		o := makeAdvisorOrg(t, db)
		var f *advisor.Facts
		mustRead(t, db, func(c *sqldb.Conn) (err error) {
			f, err = c.AdvisorFacts(t.Context(), o.orgID, "2026-11-27")
			return err
		})
		as, err := p.Evaluate(f)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for _, a := range as {
			keys = append(keys, a.Key)
		}
		want := []string{
			"ai-literacy-missing/" + o.orgID, // overdue since 2025-02-02, impact 4
			// then score 4 (undated, impact 4) in the rules' order
			"system-unclassified/" + o.unclassified,
			"ai-policy-missing/" + o.orgID,
			"risk-above-appetite-untreated/" + o.risk,
			"readiness-missing/" + o.orgID,
			"vendor-unassessed/" + o.vendor,
		}
		if !slices.Equal(keys, want) {
			t.Fatalf("actions\n got %v\nwant %v", keys, want)
		}
		a := as[3]
		if a.Title != "Treat risk Biased ranking" || a.Reason != "Biased ranking scores 16, above the appetite of 8, and has no treatment." || a.Link != "/risks/"+o.risk || a.OwnerRole != "editor" {
			t.Errorf("risk action %+v", a)
		}
	})
}

// BenchmarkAdvisor loads the facts of an organisation with 10,000 AI
// systems (with Generate's mix of classes and controls) and 50,000 use
// cases, and runs the built-in rules over them. The budget is 2 s.
func BenchmarkAdvisor(b *testing.B) {
	p, err := advisor.Compile(advisor.BuiltIns())
	if err != nil {
		b.Fatal(err)
	}
	for _, d := range []sqldb.Dialect{sqldb.SQLite, sqldb.Postgres} {
		b.Run(string(d), func(b *testing.B) {
			if d == sqldb.Postgres && os.Getenv(sqldbtest.EnvPostgresURL) == "" {
				b.Skip("set CAIO_TEST_POSTGRES_URL to benchmark PostgreSQL")
			}
			db := sqldbtest.Open(b, d, sqldbtest.Options{})
			ctx := context.Background()
			st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: 1000, Systems: 10000, Compliance: true, PasswordHash: "x"})
			if err != nil {
				b.Fatal(err)
			}
			var org *caio.Organization
			var f *advisor.Facts
			mustRead(b, db, func(c *sqldb.Conn) (err error) {
				if org, err = c.OrgBySlug(ctx, st.FirstSlug); err != nil {
					return err
				}
				f, err = c.AdvisorFacts(ctx, org.ID, "2026-11-27")
				return err
			})
			var ids []string
			for _, s := range f.Systems {
				ids = append(ids, s.ID)
			}
			if err := db.GenerateUseCases(ctx, org.ID, 50000, nil, ids); err != nil {
				b.Fatal(err)
			}
			settle := "ANALYZE"
			if d == sqldb.Postgres {
				settle = "VACUUM ANALYZE"
			}
			if err := db.ExecRaw(ctx, settle); err != nil {
				b.Fatal(err)
			}
			var as []advisor.Action
			b.ResetTimer()
			for b.Loop() {
				mustRead(b, db, func(c *sqldb.Conn) (err error) {
					f, err = c.AdvisorFacts(ctx, org.ID, "2026-11-27")
					return err
				})
				if as, err = p.Evaluate(f); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			if len(f.Systems) != 10000 || len(f.UseCases) != 50000 {
				b.Fatalf("%d systems, %d use cases", len(f.Systems), len(f.UseCases))
			}
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/advice")
			b.ReportMetric(float64(len(as)), "actions")
		})
	}
}
