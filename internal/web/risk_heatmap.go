package web

import (
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
)

// The heat map of the risk register: one grid of likelihood (across) by
// impact (up) per assessment, inherent and residual, each cell holding the
// number of risks that are not closed. A cell whose score is above the
// appetite has a dashed border and its count is marked with "!", so the
// breach does not depend on its colour; the table beside it carries the same
// counts and links for screen readers and keyboards.

func init() {
	funcs["riskHeatMap"] = riskHeatSVG
}

// heatCell is one cell of a heat map, for the SVG and the table.
type heatCell struct {
	Likelihood, Impact, Count, Score int
	Over                             bool
	Href                             string
}

// heatRow is one impact level of a heat map, highest first.
type heatRow struct {
	Impact int
	Cells  []heatCell
}

// heatGrid is one heat map with its rows, ready for a template.
type heatGrid struct {
	ID, Title, Basis string
	Scale, Appetite  int
	Total            int
	Rows             []heatRow
}

// newHeatGrid lays out counts (counts[l-1][i-1]) as rows of impact from the
// highest down, each cell linking to the list filtered to it.
func newHeatGrid(id, title, basis string, counts [][]int, scale, appetite int) heatGrid {
	g := heatGrid{ID: id, Title: title, Basis: basis, Scale: scale, Appetite: appetite}
	for i := scale; i >= 1; i-- {
		row := heatRow{Impact: i}
		for l := 1; l <= scale; l++ {
			n := 0
			if l <= len(counts) && i <= len(counts[l-1]) {
				n = counts[l-1][i-1]
			}
			g.Total += n
			q := url.Values{"basis": {basis}, "likelihood": {strconv.Itoa(l)}, "impact": {strconv.Itoa(i)}}
			row.Cells = append(row.Cells, heatCell{Likelihood: l, Impact: i, Count: n, Score: l * i, Over: l*i > appetite, Href: "/risks?" + q.Encode()})
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// heatClass colours a cell by its score against the appetite: within it,
// up to half as much again, and beyond.
func heatClass(score, appetite int) string {
	switch {
	case score <= appetite:
		return "c-minimal"
	case score*2 <= appetite*3:
		return "c-high_risk"
	}
	return "c-prohibited"
}

// riskHeatSVG draws one heat map.
func riskHeatSVG(g heatGrid) template.HTML {
	const cell, left, top, bottom = 64, 56, 8, 48
	side := cell * g.Scale
	W, H := left+side+8, top+side+bottom
	var b strings.Builder
	desc := fmt.Sprintf("%d risks by likelihood (across, 1 to %d) and impact (up, 1 to %d); cells marked ! are above the appetite of %d.",
		g.Total, g.Scale, g.Scale, g.Appetite)
	svgOpen(&b, g.ID, "heatmap", W, H, W, g.Title, desc)
	for r, row := range g.Rows {
		y := top + r*cell
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" dominant-baseline="middle" font-size="13" fill="currentColor">%d</text>`, left-8, y+cell/2, row.Impact)
		for c, k := range row.Cells {
			x := left + c*cell
			label := fmt.Sprintf("Likelihood %d, impact %d (score %d): %d %s", k.Likelihood, k.Impact, k.Score, k.Count, plural(k.Count, "risk", "risks"))
			if k.Over {
				label += ", above the appetite"
			}
			var shape strings.Builder
			opacity := "0.35"
			if k.Count > 0 {
				opacity = "0.9"
			}
			fmt.Fprintf(&shape, `<rect class="seg %s" x="%d" y="%d" width="%d" height="%d" fill-opacity="%s"><title>%s</title></rect>`,
				heatClass(k.Score, g.Appetite), x, y, cell, cell, opacity, svgEsc(label))
			if k.Over {
				fmt.Fprintf(&shape, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="currentColor" stroke-dasharray="4 3" stroke-width="1.5"></rect>`, x+4, y+4, cell-8, cell-8)
			}
			text := strconv.Itoa(k.Count)
			if k.Over && k.Count > 0 {
				text += "!"
			}
			if k.Count > 0 {
				fmt.Fprintf(&shape, `<text x="%d" y="%d" text-anchor="middle" dominant-baseline="middle" font-size="18" font-weight="700" fill="currentColor">%s</text>`, x+cell/2, y+cell/2, text)
			}
			href := ""
			if k.Count > 0 {
				href = k.Href
			}
			b.WriteString(svgLink(href, shape.String()))
		}
	}
	for l := 1; l <= g.Scale; l++ {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="13" fill="currentColor">%d</text>`, left+(l-1)*cell+cell/2, top+side+18, l)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="13" fill="currentColor">Likelihood →</text>`, left+side/2, top+side+40)
	fmt.Fprintf(&b, `<text x="14" y="%d" text-anchor="middle" font-size="13" fill="currentColor" transform="rotate(-90 14 %d)">Impact →</text>`, top+side/2, top+side/2)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// riskHeatGrids returns the inherent and residual grids of a heat map.
func riskHeatGrids(h *caio.RiskHeatMap) []heatGrid {
	return []heatGrid{
		newHeatGrid("heat-inherent", "Inherent risk: before treatment", "inherent", h.Inherent, h.Scale, h.Appetite),
		newHeatGrid("heat-residual", "Residual risk: after treatment", "residual", h.Residual, h.Scale, h.Appetite),
	}
}
