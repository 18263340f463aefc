package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"

	qn "github.com/caio-office/caio/internal/engine/questionnaire"
)

// radarChart draws the dimension scores of an assessment (0–100) as a radar:
// one axis per dimension, rings at each level's share of the scale, and the
// scores joined as a polygon. The page shows the same scores in a table.
func radarChart(id string, dims []qn.DimensionScore, levels int) template.HTML {
	const W, H, cx, cy, R = 460, 400, 230, 200, 140
	n := len(dims)
	if n < 3 {
		return ""
	}
	if levels < 2 {
		levels = 5
	}
	point := func(i int, score float64) (float64, float64) {
		angle := -math.Pi/2 + 2*math.Pi*float64(i)/float64(n)
		r := R * math.Max(0, math.Min(100, score)) / 100
		return cx + r*math.Cos(angle), cy + r*math.Sin(angle)
	}
	var desc []string
	for _, d := range dims {
		desc = append(desc, fmt.Sprintf("%s %.0f (level %d, %s)", d.Title, d.Score, d.Level, d.LevelLabel))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart radar" id="%s" role="img" aria-labelledby="%s-t %s-d" viewBox="0 0 %d %d" width="%d" height="%d">`, id, id, id, W, H, W, H)
	fmt.Fprintf(&b, `<title id="%s-t">Scores by dimension, 0 to 100</title><desc id="%s-d">%s.</desc>`, id, id, svgEsc(strings.Join(desc, "; ")))
	for l := 1; l <= levels; l++ {
		var pts []string
		for i := range dims {
			x, y := point(i, 100*float64(l)/float64(levels))
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		}
		fmt.Fprintf(&b, `<polygon points="%s" fill="none" stroke="currentColor" stroke-opacity="0.2"></polygon>`, strings.Join(pts, " "))
	}
	var pts []string
	for i, d := range dims {
		x, y := point(i, 100)
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%.1f" y2="%.1f" stroke="currentColor" stroke-opacity="0.3"></line>`, cx, cy, x, y)
		lx, ly := point(i, 118)
		anchor := "middle"
		if lx < cx-10 {
			anchor = "end"
		} else if lx > cx+10 {
			anchor = "start"
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="%s">%s %.0f</text>`, lx, ly+4, anchor, svgEsc(d.Title), d.Score)
		px, py := point(i, d.Score)
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", px, py))
	}
	fmt.Fprintf(&b, `<polygon class="seg s-in_progress" points="%s" fill-opacity="0.35" stroke="currentColor" stroke-width="2"></polygon>`, strings.Join(pts, " "))
	for i, d := range dims {
		px, py := point(i, d.Score)
		fmt.Fprintf(&b, `<circle cx="%.1f" cy="%.1f" r="4"><title>%s: %.0f</title></circle>`, px, py, svgEsc(d.Title), d.Score)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
