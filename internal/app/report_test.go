package app_test

import (
	"bytes"
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/report"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// Reports join the role matrix: reading the organisation is enough.
func init() {
	actions = append(actions,
		action{"Report", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error { _, err := f.app.Report(ctx, report.Board, ""); return err }
		}},
	)
}

// demoReports loads the demo and returns its system actor's context.
func demoReports(t *testing.T, db *sqldb.DB) (*app.App, context.Context) {
	t.Helper()
	onDay(db, "2026-11-27")
	a := app.New(db, nil)
	if _, err := a.LoadDemo(caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})); err != nil {
		t.Fatal(err)
	}
	sys, err := a.SystemActor(t.Context(), app.DemoSlug)
	if err != nil {
		t.Fatal(err)
	}
	return a, caio.WithActor(t.Context(), sys)
}

// TestReportsOnTheDemo renders every kind on the demo organisation in HTML
// and Markdown and looks for what a reader expects: the headings, the
// figures with their sources, the footer and the appendix.
func TestReportsOnTheDemo(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a, ctx := demoReports(t, db)
		high := "high_risk"
		xs, _, err := a.FindSystems(ctx, caio.AISystemFilter{Class: &high, Page: caio.Page{Limit: 1}})
		if err != nil || len(xs) == 0 {
			t.Fatalf("the demo has no high-risk system: %v", err)
		}
		sys := xs[0]
		p, err := a.Posture(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		want := map[report.Kind][]string{
			report.Board:    {"Readiness and compliance posture", "AI readiness level", "Portfolio value and stages", "Top risks", "Incidents", "Decisions needed", "AI systems in the inventory", "AI systems by EU AI Act class"},
			report.Strategy: {"Vision and principles", "Priorities", "Roadmap", "Load per quarter"},
			report.Folio:    {"Roll-up", "Use cases ranked", "By stage", "Risk-adjusted NPV"},
			report.EUAIAct:  {"Posture", "AI systems and their classes", sys.Name + " (" + sys.ID + ")", "Obligations of " + sys.Name, "Art"},
			report.System:   {"System card: " + sys.Name, "EU AI Act class, reasons and obligations", "Intended purpose", "Controls", "Risks", "Incidents"},
			report.Handover: {"Engagement status", "Deliverables", "Inventory and compliance", "Open actions and tasks", "Policies", "Risks", "Incidents", "People"},
		}
		for _, k := range report.Kinds {
			for _, f := range []report.Format{report.HTML, report.Markdown} {
				out, r, err := a.RenderReport(ctx, app.ReportOptions{Kind: k.Kind, Format: f, SystemID: sys.ID})
				if err != nil {
					t.Fatalf("%s %s: %v", k.Kind, f, err)
				}
				s := string(out)
				for _, w := range append(want[k.Kind], "Where the figures come from", "Not legal advice", "data as of", "EU AI Act content", "Northwind Mutual") {
					if f == report.Markdown {
						w = strings.NewReplacer("(", "(", "_", `\_`).Replace(w)
					}
					if !strings.Contains(s, w) {
						t.Errorf("%s %s lacks %q", k.Kind, f, w)
					}
				}
				if r.DataAsOf.IsZero() || r.Generated.IsZero() {
					t.Errorf("%s: generated %v, data as of %v", k.Kind, r.Generated, r.DataAsOf)
				}
				if len(r.Sources) == 0 {
					t.Errorf("%s cites no source", k.Kind)
				}
				// Every figure names a source the appendix lists.
				for _, sec := range r.Sections {
					for _, fig := range sec.Figures {
						found := false
						for _, src := range r.Sources {
							found = found || src.Key == fig.Source
						}
						if !found {
							t.Errorf("%s: figure %q cites %q, not in the appendix", k.Kind, fig.Label, fig.Source)
						}
					}
				}
				if f == report.HTML && (!strings.HasPrefix(s, "<!doctype html>") || strings.Contains(s, "<script") || strings.Contains(s, "http://") || strings.Contains(s, "https://")) {
					t.Errorf("%s html is not self-contained", k.Kind)
				}
			}
		}
		// The board shows the posture's figures, traceable to the posture.
		out, _, err := a.RenderReport(ctx, app.ReportOptions{Kind: report.Board, Format: report.HTML})
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(out, []byte(`<span class="v"><a href="/systems">`+itoa(p.Systems)+`</a></span><span class="l">AI systems in the inventory</span>`)) ||
			!bytes.Contains(out, []byte(`href="#src-posture"`)) || !bytes.Contains(out, []byte(`<svg class="chart" role="img"`)) {
			t.Errorf("board lacks the inventory figure %d with its source and chart", p.Systems)
		}
	})
}

func itoa(n int) string {
	var b []byte
	if n == 0 {
		return "0"
	}
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// TestReportErrors: a bad kind or a missing system names the field; another
// organisation's system is not found; PDF without Chromium says what to do.
func TestReportErrors(t *testing.T) {
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	f := newFixture(t, db)
	if _, err := f.app.Report(f.sys, "weekly", ""); caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(err.Error(), "kind") {
		t.Errorf("bad kind: %v", err)
	}
	if _, err := f.app.Report(f.sys, report.System, ""); caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(err.Error(), "system") {
		t.Errorf("no system: %v", err)
	}
	_, other := newOrg(t, f.app, "other", "owner@other.test")
	x, err := f.app.CreateSystem(other, caio.AISystemInput{Name: "theirs", Purpose: "p", Roles: []string{"deployer"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Report(f.sys, report.System, x.ID); caio.ErrorCode(err) != caio.ENOTFOUND {
		t.Errorf("another org's system: %v", err)
	}
	if _, err := f.app.Report(f.sys, report.System, "nonsense"); caio.ErrorCode(err) != caio.ENOTFOUND {
		t.Errorf("bad id: %v", err)
	}
	_, _, err = f.app.RenderReport(f.sys, app.ReportOptions{Kind: report.Board, Format: report.PDF, Chromium: "/nonexistent/chromium"})
	if caio.ErrorCode(err) != caio.EUNAVAILABLE || !strings.Contains(caio.ErrorMessage(err), "install chromium or choose html/md") {
		t.Errorf("missing chromium: %v", err)
	}
	// An empty organisation still gets every report.
	for _, k := range report.Kinds {
		if k.NeedsSystem {
			continue
		}
		if _, _, err := f.app.RenderReport(f.sys, app.ReportOptions{Kind: k.Kind, Format: report.Markdown}); err != nil {
			t.Errorf("%s on an empty org: %v", k.Kind, err)
		}
	}
}

// TestReportPDF prints the board report with Chromium: skipped where it is
// missing, except under CI where it must run.
func TestReportPDF(t *testing.T) {
	if _, err := report.FindChromium(""); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("chromium is not installed; under CI it must run")
		}
		t.Skip("chromium is not installed; skipping the PDF test")
	}
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	a, ctx := demoReports(t, db)
	out, _, err := a.RenderReport(ctx, app.ReportOptions{Kind: report.Board, Format: report.PDF})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("%PDF")) || len(pdfPage.FindAll(out, -1)) < 1 {
		t.Fatalf("not a PDF with pages: %q", out[:min(40, len(out))])
	}
}

// pdfPage matches a page object of a PDF (not the /Pages tree).
var pdfPage = regexp.MustCompile(`/Type\s*/Page[^s]`)
