package web

import (
	"fmt"
	"html"
	"html/template"
	"math"
	"strings"
)

// Small server-side SVG charts. Each is an <svg role="img"> named by its
// <title>, whose text sums up what it shows; colours come from CSS classes
// (no inline styles, so the CSP holds) and every page shows a data table
// beside a chart with the same figures and links, so nothing depends on
// seeing the colours or pointing at a segment. Segment links are kept out
// of the tab order: the table's links serve the keyboard.

// Segment is one part of a bar or a donut.
type Segment struct {
	Label string
	Value int
	// Href is where the segment leads; empty for none.
	Href string
	// Class picks the colour, such as "s-implemented".
	Class string
}

// BarRow is one bar of a stacked bar chart.
type BarRow struct {
	Label    string
	Href     string
	Segments []Segment
}

func init() {
	funcs["stackedBars"] = stackedBars
	funcs["donut"] = donut
}

func svgEsc(s string) string { return html.EscapeString(s) }

// link wraps inner in a link to href, out of the tab order, or returns it as is.
func svgLink(href, inner string) string {
	if href == "" {
		return inner
	}
	return `<a href="` + svgEsc(href) + `" tabindex="-1">` + inner + `</a>`
}

// stackedBars draws one horizontal bar per row, its segments in proportion
// to the row's total (100% stacked), with the label and the total beside.
func stackedBars(id, title string, rows []BarRow) template.HTML {
	const (
		width  = 640
		labelW = 170
		barX   = labelW + 10
		barW   = width - barX - 60
		rowH   = 26
		gap    = 14
	)
	height := len(rows)*(rowH+gap) + gap
	var b strings.Builder
	var summary []string
	for _, r := range rows {
		total := 0
		var parts []string
		for _, s := range r.Segments {
			total += s.Value
			if s.Value > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", s.Value, strings.ToLower(s.Label)))
			}
		}
		if total == 0 {
			parts = []string{"none"}
		}
		summary = append(summary, r.Label+": "+strings.Join(parts, ", "))
	}
	fmt.Fprintf(&b, `<svg class="chart bars" role="img" aria-labelledby="%s-t" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet">`, svgEsc(id), width, height)
	fmt.Fprintf(&b, `<title id="%s-t">%s. %s.</title>`, svgEsc(id), svgEsc(title), svgEsc(strings.Join(summary, "; ")))
	for i, r := range rows {
		y := gap + i*(rowH+gap)
		total := 0
		for _, s := range r.Segments {
			total += s.Value
		}
		label := fmt.Sprintf(`<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, labelW, y+rowH/2+5, svgEsc(r.Label))
		b.WriteString(svgLink(r.Href, label))
		fmt.Fprintf(&b, `<rect class="track" x="%d" y="%d" width="%d" height="%d" rx="3"></rect>`, barX, y, barW, rowH)
		x := float64(barX)
		for _, s := range r.Segments {
			if s.Value == 0 || total == 0 {
				continue
			}
			w := float64(barW) * float64(s.Value) / float64(total)
			rect := fmt.Sprintf(`<rect class="seg %s" x="%.2f" y="%d" width="%.2f" height="%d"><title>%s, %s: %d</title></rect>`,
				svgEsc(s.Class), x, y, w, rowH, svgEsc(r.Label), svgEsc(s.Label), s.Value)
			b.WriteString(svgLink(s.Href, rect))
			x += w
		}
		fmt.Fprintf(&b, `<text class="total" x="%d" y="%d">%d</text>`, barX+barW+8, y+rowH/2+5, total)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// donut draws the segments as a ring, clockwise from the top, with center
// written in the middle (such as "42%").
func donut(id, title, center string, segs []Segment) template.HTML {
	const (
		size = 180
		c    = size / 2
		r    = 66.0
		sw   = 26
	)
	circ := 2 * math.Pi * r
	total := 0
	var parts []string
	for _, s := range segs {
		total += s.Value
		if s.Value > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", s.Value, strings.ToLower(s.Label)))
		}
	}
	if total == 0 {
		parts = []string{"nothing to show"}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart donut" role="img" aria-labelledby="%s-t" viewBox="0 0 %d %d" width="%d" height="%d">`, svgEsc(id), size, size, size, size)
	fmt.Fprintf(&b, `<title id="%s-t">%s: %s.</title>`, svgEsc(id), svgEsc(title), svgEsc(strings.Join(parts, ", ")))
	fmt.Fprintf(&b, `<circle class="track" cx="%d" cy="%d" r="%.1f" fill="none" stroke-width="%d"></circle>`, c, c, r, sw)
	offset := 0.0
	for _, s := range segs {
		if s.Value == 0 || total == 0 {
			continue
		}
		l := circ * float64(s.Value) / float64(total)
		arc := fmt.Sprintf(`<circle class="seg %s" cx="%d" cy="%d" r="%.1f" fill="none" stroke-width="%d" stroke-dasharray="%.3f %.3f" stroke-dashoffset="%.3f" transform="rotate(-90 %d %d)"><title>%s: %d</title></circle>`,
			svgEsc(s.Class), c, c, r, sw, l, circ-l, -offset, c, c, svgEsc(s.Label), s.Value)
		b.WriteString(svgLink(s.Href, arc))
		offset += l
	}
	fmt.Fprintf(&b, `<text class="center" x="%d" y="%d" text-anchor="middle">%s</text>`, c, c+8, svgEsc(center))
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
