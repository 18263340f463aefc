package app_test

import (
	"bytes"
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/report"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// BenchmarkBoardReportPDF measures the budget for reports: the
// board report as a PDF for an organisation with 10,000 AI systems
// (classified, with their controls) and 1,000 use cases, including the
// start of Chromium, at most 3 s. SQLite; set REPORT_BENCH_PG=1 to add
// PostgreSQL. HTML and Markdown are measured beside it.
//
//	go test ./internal/app -run '^$' -bench BenchmarkBoardReport -benchtime 3x
func BenchmarkBoardReport(b *testing.B) {
	dialects := []sqldb.Dialect{sqldb.SQLite}
	if os.Getenv("REPORT_BENCH_PG") == "1" {
		dialects = append(dialects, sqldb.Postgres)
	}
	for _, d := range dialects {
		db := sqldbtest.Open(b, d, sqldbtest.Options{})
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
		if err := db.GenerateUseCases(sys, sa.OrgID, 1000, nil, nil); err != nil {
			b.Fatal(err)
		}
		for _, f := range []report.Format{report.PDF, report.HTML, report.Markdown} {
			b.Run(string(d)+"/"+string(f), func(b *testing.B) {
				if f == report.PDF {
					if _, err := report.FindChromium(""); err != nil {
						b.Skip("chromium is not installed")
					}
				}
				var out []byte
				cpu0 := cpuTime()
				for b.Loop() {
					if out, _, err = a.RenderReport(sys, app.ReportOptions{Kind: report.Board, Format: f}); err != nil {
						b.Fatal(err)
					}
				}
				if f == report.PDF {
					if !bytes.HasPrefix(out, []byte("%PDF")) {
						b.Fatal("not a PDF")
					}
					// The board report's promise holds for a large organisation too.
					n := pdfPages(b, out)
					if n < 1 || n > 3 {
						b.Errorf("the board report has %d pages; it must fit on 1 to 3", n)
					}
					b.ReportMetric(float64(n), "pages")
					if d := os.Getenv("REPORT_PDF_DIR"); d != "" {
						_ = os.WriteFile(d+"/board-large.pdf", out, 0o644)
					}
				}
				// CPU time of caio and of the browsers it started, per report:
				// on a busy machine the wall time says more about the neighbours.
				b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
				b.ReportMetric(float64(len(out)), "bytes")
			})
		}
	}
}

// cpuTime is the user and system time of this process and its waited-for
// children (the browsers).
func cpuTime() time.Duration {
	var total time.Duration
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			total += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return total
}
