package report_test

import (
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/report"
)

// sample is a report with text people typed in every place.
func sample(s string) *report.Report {
	r := &report.Report{Kind: report.Board, Title: "Board report", Org: s, OrgSlug: "acme", Generated: time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC),
		Versions: []report.Version{{Name: "EU AI Act content", Value: "2026.11"}}}
	key := r.Cite(report.Source{Key: "risks", Label: s, Page: "/risks", API: "GET /api/v1/risks"})
	r.Add(&report.Section{ID: "x", Heading: s, Intro: []string{s},
		Figures: []report.Figure{{Label: s, Value: "3", Source: key, Link: "/risks"}},
		Charts:  []report.Chart{{Title: s, Source: key, Bars: []report.Bar{{Label: s, Value: 2, Display: "2"}, {Label: "b", Value: 0, Display: "0"}}}},
		Tables:  []report.Table{{Caption: s, Source: key, Columns: []string{"A", "B"}, Rows: [][]report.Cell{{report.L(s, "/risks/rsk_1"), report.T(s)}}}},
		Items:   []report.Item{{Text: s, Detail: s, ID: "rsk_1"}}})
	return r
}

func TestRenderers(t *testing.T) {
	r := sample("Acme <b>Ltd</b> | *bold*")
	h, err := report.RenderHTML(r, report.Options{BaseURL: "https://caio.example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"Acme &lt;b&gt;Ltd&lt;/b&gt;", `href="https://caio.example.org/risks/rsk_1"`, `href="#src-risks"`, `<svg class="chart" role="img"`, "Not legal advice", "EU AI Act content 2026.11", "Where the figures come from", `<th scope="row">`} {
		if !strings.Contains(string(h), w) {
			t.Errorf("html lacks %q", w)
		}
	}
	m, err := report.RenderMarkdown(r, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`Acme \<b\>Ltd\</b\> \| \*bold\*`, "[Acme", "(/risks/rsk_1)", "| Source | What | Page in caio | API |", "**Not legal advice.**"} {
		if !strings.Contains(string(m), w) {
			t.Errorf("markdown lacks %q:\n%s", w, m)
		}
	}
	if _, err := report.ParseKind("weekly"); caio.ErrorCode(err) != caio.EINVALID {
		t.Errorf("ParseKind: %v", err)
	}
	if f, err := report.ParseFormat(""); err != nil || f != report.HTML {
		t.Errorf("ParseFormat default: %v %v", f, err)
	}
	if _, err := report.FindChromium("/nonexistent/chromium"); caio.ErrorCode(err) != caio.EUNAVAILABLE {
		t.Errorf("FindChromium: %v", err)
	}
}

// FuzzRender feeds any text to both renderers: neither fails, the HTML
// never carries a tag from the text, and a Markdown line never starts a
// table row or heading from it.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"", "plain", "<script>alert(1)</script>", "| a | b |\n# h", "[x](javascript:1)", "\x00\xff", "`code` *em* _u_"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r := sample(s)
		h, err := report.RenderHTML(r, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(h), "<script") {
			t.Fatalf("script tag from %q", s)
		}
		m, err := report.RenderMarkdown(r, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ReplaceAll(string(m), `\<`, ""), "<script") {
			t.Fatalf("raw html from %q", s)
		}
		if _, err := report.ParseKind(s); err == nil && !strings.Contains("board strategy portfolio euaiact system handover", s) {
			t.Fatalf("ParseKind accepted %q", s)
		}
		_, _ = report.ParseFormat(s)
	})
}
