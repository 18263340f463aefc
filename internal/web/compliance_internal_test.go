package web

import (
	"bytes"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
)

func TestCharts(t *testing.T) {
	bars := string(stackedBars("c1", "Controls <by> framework", []BarRow{
		{Label: "EU & AI", Href: "/x?a=1&b=2", Segments: []Segment{{Label: "Implemented", Value: 3, Href: "/y", Class: "s-implemented"}, {Label: "Not started", Value: 1, Class: "s-not_started"}}},
		{Label: "Empty", Segments: []Segment{{Label: "Implemented", Value: 0}}},
	}))
	for _, want := range []string{`role="img"`, `aria-labelledby="c1-t"`, `<title id="c1-t">Controls &lt;by&gt; framework. EU &amp; AI: 3 implemented, 1 not started; Empty: none.</title>`,
		`href="/x?a=1&amp;b=2" tabindex="-1"`, `class="seg s-implemented"`, `<title>EU &amp; AI, Implemented: 3</title>`, `>4</text>`} {
		if !strings.Contains(bars, want) {
			t.Errorf("bars lack %s:\n%s", want, bars)
		}
	}
	if strings.Contains(bars, "<by>") || strings.Contains(bars, "style=") {
		t.Errorf("bars are not escaped or use inline style:\n%s", bars)
	}
	d := string(donut("c2", "By status", "75%", []Segment{{Label: "Implemented", Value: 3, Class: "s-implemented", Href: "/i"}, {Label: "Not started", Value: 1, Class: "s-not_started"}}))
	for _, want := range []string{`role="img"`, `<title id="c2-t">By status: 3 implemented, 1 not started.</title>`, `stroke-dasharray=`, `>75%</text>`, `href="/i" tabindex="-1"`} {
		if !strings.Contains(d, want) {
			t.Errorf("donut lacks %s:\n%s", want, d)
		}
	}
	if empty := string(donut("c3", "Nothing", "—", nil)); !strings.Contains(empty, "nothing to show") {
		t.Errorf("empty donut: %s", empty)
	}
}

// TestSystemControlsPartial renders the partial the system card includes.
func TestSystemControlsPartial(t *testing.T) {
	v, err := parseViews()
	if err != nil {
		t.Fatal(err)
	}
	sc := &app.SystemControls{SystemID: "sys_1", Today: "2026-11-27", Inapplicable: 2}
	k := &caio.Control{ID: "ctl_1", SystemID: "sys_1", Framework: "eu-ai-act", ItemID: "art4", ItemLabel: "Art 4", ItemTitle: "AI literacy",
		Applicable: true, Status: caio.StatusInProgress, Deadline: "2025-02-02", Due: "2025-02-02", Evidence: 2, Owner: "HR"}
	g := app.ControlGroup{Framework: "eu-ai-act", Name: "EU AI Act", Controls: []*caio.Control{k}}
	g.Counts.Add(k.Status, 1, 1)
	sc.Counts.Add(k.Status, 1, 1)
	sc.Groups = []app.ControlGroup{g, {Framework: "iso-42001", Name: "ISO/IEC 42001"}}
	var buf bytes.Buffer
	if err := v.t["controls"].ExecuteTemplate(&buf, "system_controls", sc); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{`href="/controls/ctl_1"`, "Art 4", "AI literacy", "In progress", "Overdue", "1 overdue", "EU AI Act", "2 earlier controls no longer apply",
		`/compliance/controls?system=sys_1&amp;all=1`} {
		if !strings.Contains(out, want) {
			t.Errorf("partial lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "ISO/IEC 42001") {
		t.Error("the partial shows a framework without controls")
	}
	buf.Reset()
	if err := v.t["controls"].ExecuteTemplate(&buf, "system_controls", &app.SystemControls{SystemID: "sys_2"}); err != nil || !strings.Contains(buf.String(), "No requirements apply yet") {
		t.Errorf("empty partial: %v %s", err, buf.String())
	}
}
