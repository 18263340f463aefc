package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/engagement"
)

type engagementItemSpec = engagement.ItemSpec

// engagementTimeline draws the phases as consecutive blocks in proportion
// to their planned days, each labelled with its name and dates, and a
// marker for today labelled "Today". Phases that are over, the current
// one and those to come differ in colour and in their label ("done",
// "now"), and the page shows the same in a table.
func engagementTimeline(id string, v *app.EngagementView) template.HTML {
	const (
		width  = 720
		left   = 10
		barW   = width - 2*left
		top    = 26
		barH   = 34
		height = top + barH + 46
	)
	total := engagement.DaysBetween(v.Start, v.End) + 1
	if total <= 0 || len(v.Phases) == 0 {
		return ""
	}
	x := func(date string) float64 {
		d := engagement.DaysBetween(v.Start, date)
		return float64(left) + float64(barW)*float64(min(max(d, 0), total))/float64(total)
	}
	rows := phaseRows(v)
	var summary []string
	for _, p := range rows {
		summary = append(summary, fmt.Sprintf("%s %s to %s (%s)", p.Label, p.Start, p.End, map[string]string{"done": "over", "current": "current", "upcoming": "to come"}[p.State]))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart bars" role="img" aria-labelledby="%[1]s-t" viewBox="0 0 %[2]d %[3]d" width="100%%" preserveAspectRatio="xMinYMin meet">`, svgEsc(id), width, height)
	fmt.Fprintf(&b, `<title id="%s-t">Phases of the engagement, %s to %s: %s. Today is %s.</title>`, svgEsc(id), v.Start, v.End, svgEsc(strings.Join(summary, "; ")), v.Today)
	fmt.Fprintf(&b, `<rect class="track" x="%d" y="%d" width="%d" height="%d" rx="3"></rect>`, left, top, barW, barH)
	for i, p := range rows {
		x0, x1 := x(p.Start), x(engagement.AddDays(p.End, 1))
		class := map[string]string{"done": "seg s-implemented", "current": "seg s-in_progress", "upcoming": "seg s-not_applicable"}[p.State]
		fmt.Fprintf(&b, `<rect class="%s" x="%.1f" y="%d" width="%.1f" height="%d"><title>%s: %s to %s</title></rect>`, class, x0, top, max(x1-x0, 1), barH, svgEsc(p.Label), p.Start, p.End)
		mark := map[string]string{"done": " ✓", "current": " (now)"}[p.State]
		y := top - 8
		if i%2 == 1 {
			y = top + barH + 16
		}
		fmt.Fprintf(&b, `<text class="label" x="%.1f" y="%d">%s%s</text>`, x0+2, y, svgEsc(p.Label), mark)
	}
	if v.Today >= v.Start && v.Today <= v.End && v.Status == "active" {
		tx := x(v.Today)
		fmt.Fprintf(&b, `<rect class="seg c-prohibited" x="%.1f" y="%d" width="3" height="%d"></rect>`, tx-1, top-4, barH+8)
		fmt.Fprintf(&b, `<text class="total" x="%.1f" y="%d" text-anchor="middle">Today</text>`, tx, top+barH+36)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
