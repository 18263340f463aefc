package report_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/report"
)

// TestCompact renders a compact report: the body and grid classes, the
// half sections, the smaller chart, and a long title clipped with the
// whole of it kept in the link's title and the record's ID beside it.
func TestCompact(t *testing.T) {
	long := strings.Repeat("word ", 40)
	r := sample("Acme")
	r.Compact = true
	r.Sections[0].Half = true
	r.Sections[0].Tables[0].Rows[0][0] = report.LI(long, "/risks/rsk_1", "rsk_1")
	h, err := report.RenderHTML(r, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s := string(h)
	for _, w := range []string{`<body class="compact">`, `<main class="grid">`, `class="half"`, `viewBox="0 0 310 `, `title="` + long + `"`, "…</a>", `<span class="id">rsk_1</span>`, "Not legal advice"} {
		if !strings.Contains(s, w) {
			t.Errorf("compact html lacks %q", w)
		}
	}
	r.Compact = false
	h, _ = report.RenderHTML(r, report.Options{})
	if strings.Contains(string(h), "…</a>") || strings.Contains(string(h), `class="compact"`) {
		t.Error("a full report clips or is compact")
	}
}
