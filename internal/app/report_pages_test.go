package app_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/report"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// needChromium skips a test where Chromium is missing, except under CI,
// where the browser tests must run.
func needChromium(t testing.TB) {
	t.Helper()
	if _, err := report.FindChromium(""); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed; under CI it must run")
		}
		t.Skip("chromium is not installed; skipping the PDF test")
	}
}

// pdfPages counts the pages of a PDF two ways: the page objects (a /Type
// /Page that is not the /Pages tree) and the /Count of the root page tree
// (the largest /Count, as nested trees count fewer). Both must agree, so a
// change in how Chromium writes PDFs fails the test rather than passing it.
func pdfPages(t testing.TB, pdf []byte) int {
	t.Helper()
	objs := len(pdfPageObj.FindAll(pdf, -1))
	count := 0
	for _, m := range pdfCount.FindAllSubmatch(pdf, -1) {
		if n, err := strconv.Atoi(string(m[1]) + string(m[2])); err == nil && n > count {
			count = n
		}
	}
	if objs != count {
		t.Fatalf("the PDF has %d page objects but its page tree counts %d", objs, count)
	}
	return objs
}

var (
	pdfPageObj = regexp.MustCompile(`/Type\s*/Page\b[^s]`)
	pdfCount   = regexp.MustCompile(`/Type\s*/Pages\b[^>]*?/Count\s+(\d+)|/Count\s+(\d+)[^>]*?/Type\s*/Pages\b`)
)

// TestBoardReportPages prints the demo's board report and checks the
// issue's promise: one to three A4 pages; then again with every list of
// the report full, each row with a long title.
func TestBoardReportPages(t *testing.T) {
	needChromium(t)
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	a, ctx := demoReports(t, db)
	boardPages(t, a, ctx, "demo")
	long := strings.Repeat("a long title that goes on ", 7)
	for i := range 8 {
		if _, err := a.CreateRisk(ctx, caio.RiskInput{Title: fmt.Sprintf("Risk %d: %s", i, long), Likelihood: 5, Impact: 5, Owner: "Head of a department with a long name"}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.CreateIncident(ctx, caio.IncidentInput{Title: fmt.Sprintf("Incident %d: %s", i, long), Severity: "critical", AwareAt: "2026-11-20T10:00:00Z", Harms: []string{"health"}}); err != nil {
			t.Fatal(err)
		}
	}
	boardPages(t, a, ctx, "full")
}

func boardPages(t *testing.T, a *app.App, ctx context.Context, name string) {
	t.Helper()
	out, _, err := a.RenderReport(ctx, app.ReportOptions{Kind: report.Board, Format: report.PDF})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF")) {
		t.Fatalf("not a PDF: %q", out[:min(40, len(out))])
	}
	if d := os.Getenv("REPORT_PDF_DIR"); d != "" { // to look at it: pdftoppm -png
		_ = os.WriteFile(d+"/board-"+name+".pdf", out, 0o644)
		h, _, _ := a.RenderReport(ctx, app.ReportOptions{Kind: report.Board, Format: report.HTML})
		_ = os.WriteFile(d+"/board-"+name+".html", h, 0o644)
	}
	if n := pdfPages(t, out); n < 1 || n > 3 {
		t.Errorf("the board report (%s) has %d pages; it must fit on 1 to 3", name, n)
	}
}
