package web

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// Charts of the strategy and portfolio pages: the roadmap as a Gantt
// timeline, demand against capacity per quarter, NPV by stage, and the
// target maturity as a small scale. Like the charts in svg.go each is an
// <svg role="img"> named by its <title> and described by its <desc>, takes
// its colours from the stylesheet's classes (never inline styles, so the
// CSP holds), and sits beside a table with the same figures. Nothing is
// told by colour alone: a conflict and an over-committed quarter are also
// hatched and written out in words.

// ganttRow is one use case on the roadmap timeline.
type ganttRow struct {
	ID, Title, Href   string
	Stage, StageLabel string
	// Class picks the stage's colour, such as "s-in_progress".
	Class string
	// Start and End are quarters such as 2027Q1; First and Last their
	// columns in the timeline, inclusive.
	Start, End  string
	First, Last int
	People      float64
	Budget      float64
	// DependsOn are the IDs of the use cases this one waits for; Conflicts
	// the messages of the dependencies its schedule breaks.
	DependsOn []string
	Conflicts []string
	// Waits are the use cases it depends on with their titles, for the table.
	Waits []objectiveRef
}

// hatchDefs defines the diagonal hatching that marks problems, in the
// text colour, so it shows in both colour schemes and in forced colours.
func hatchDefs(b *strings.Builder, id string) {
	fmt.Fprintf(b, `<defs><pattern id="%s-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="2.5" height="6" fill="currentColor" opacity="0.55"></rect></pattern>`, svgEsc(id))
	fmt.Fprintf(b, `<marker id="%s-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L8,4 L0,8 z" fill="currentColor"></path></marker></defs>`, svgEsc(id))
}

// clipText cuts a label to n characters with an ellipsis; the full text
// stays in the element's own <title>.
func clipText(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// roadmapGantt draws one row per scheduled use case across the quarters:
// a bar from its start to its end quarter in its stage's colour, an arrow
// from each use case it depends on, and hatching with a warning sign where
// a dependency is broken.
func roadmapGantt(id, title string, quarters []string, rows []ganttRow) template.HTML {
	const (
		width   = 760
		labelW  = 230
		gridX   = labelW + 10
		gridW   = width - gridX - 10
		headH   = 30
		rowH    = 32
		barH    = 18
		padding = 2
	)
	n := max(len(quarters), 1)
	colW := float64(gridW) / float64(n)
	height := headH + len(rows)*rowH + 8
	row := map[string]int{}
	for i, r := range rows {
		row[r.ID] = i
	}

	var desc []string
	conflicts := 0
	for _, r := range rows {
		d := fmt.Sprintf("%s: %s, %s to %s", r.Title, r.StageLabel, r.Start, r.End)
		if len(r.Conflicts) > 0 {
			conflicts++
			d += "; conflict: " + strings.Join(r.Conflicts, " ")
		}
		desc = append(desc, d)
	}
	summary := fmt.Sprintf("%d %s", len(rows), plural(len(rows), "use case", "use cases"))
	if len(quarters) > 0 {
		summary += fmt.Sprintf(" from %s to %s", quarters[0], quarters[len(quarters)-1])
	}
	if conflicts > 0 {
		summary += fmt.Sprintf(", %d with a dependency conflict", conflicts)
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart bars gantt" role="img" aria-labelledby="%[1]s-t" aria-describedby="%[1]s-d" viewBox="0 0 %[2]d %[3]d" width="100%%" preserveAspectRatio="xMinYMin meet">`, svgEsc(id), width, height)
	fmt.Fprintf(&b, `<title id="%s-t">%s: %s.</title>`, svgEsc(id), svgEsc(title), svgEsc(summary))
	fmt.Fprintf(&b, `<desc id="%s-d">%s.</desc>`, svgEsc(id), svgEsc(strings.Join(desc, ". ")))
	hatchDefs(&b, id)

	// The quarters: a column each, labelled on top.
	for i, q := range quarters {
		x := float64(gridX) + float64(i)*colW
		fmt.Fprintf(&b, `<rect class="track" x="%.2f" y="%d" width="%.2f" height="%d"></rect>`, x, headH-4, colW, height-headH)
		fmt.Fprintf(&b, `<text class="total" x="%.2f" y="%d" text-anchor="middle">%s</text>`, x+colW/2, headH-10, svgEsc(q))
	}

	barY := func(i int) int { return headH + i*rowH + (rowH-barH)/2 }
	for i, r := range rows {
		y := barY(i)
		label := r.Title
		if len(r.Conflicts) > 0 {
			label = "⚠ " + label
		}
		text := fmt.Sprintf(`<text class="label" x="%d" y="%d" text-anchor="end"><title>%s</title>%s</text>`,
			labelW, y+barH/2+5, svgEsc(r.Title), svgEsc(clipText(label, 34)))
		b.WriteString(svgLink(r.Href, text))
		x := float64(gridX) + float64(r.First)*colW + padding
		w := float64(r.Last-r.First+1)*colW - 2*padding
		tip := fmt.Sprintf("%s: %s, %s to %s", r.Title, r.StageLabel, r.Start, r.End)
		if len(r.Conflicts) > 0 {
			tip += ". Conflict: " + strings.Join(r.Conflicts, " ")
		}
		bar := fmt.Sprintf(`<rect class="seg %s pf-stage-%s" x="%.2f" y="%d" width="%.2f" height="%d" rx="3"><title>%s</title></rect>`,
			svgEsc(r.Class), svgEsc(r.Stage), x, y, w, barH, svgEsc(tip))
		if len(r.Conflicts) > 0 {
			bar += fmt.Sprintf(`<rect class="hatch" x="%.2f" y="%d" width="%.2f" height="%d" rx="3" fill="url(#%s-hatch)" stroke="currentColor" stroke-width="2"></rect>`,
				x, y, w, barH, svgEsc(id))
		}
		b.WriteString(svgLink(r.Href, bar))
	}

	// Dependencies: from the end of the awaited bar to the start of the
	// waiting one; dashed when the schedule breaks it.
	for i, r := range rows {
		for _, dep := range r.DependsOn {
			j, ok := row[dep]
			if !ok {
				continue // not scheduled: listed with the conflicts
			}
			d := rows[j]
			x1 := float64(gridX) + float64(d.Last+1)*colW - padding
			y1 := float64(barY(j) + barH/2)
			x2 := float64(gridX) + float64(r.First)*colW + padding
			y2 := float64(barY(i) + barH/2)
			// Leave the bar to the right, turn in the gap between rows, and
			// come into the waiting bar from the left.
			gapY := y2 - float64(barH)/2 - float64(rowH-barH)/4
			if y2 < y1 {
				gapY = y2 + float64(barH)/2 + float64(rowH-barH)/4
			}
			path := fmt.Sprintf("M%.2f,%.2f h6 V%.2f H%.2f V%.2f H%.2f", x1, y1, gapY, x2-8, y2, x2)
			broken := x2 < x1
			dash := ""
			if broken {
				dash = ` stroke-dasharray="4 3"`
			}
			fmt.Fprintf(&b, `<path class="dep" d="%s" fill="none" stroke="currentColor" stroke-width="1.4"%s marker-end="url(#%s-arrow)"><title>%s waits for %s</title></path>`,
				path, dash, svgEsc(id), svgEsc(r.Title), svgEsc(d.Title))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// loadRow is one quarter of a capacity chart: what the roadmap asks of it
// and what the organisation has, with both written out for people.
type loadRow struct {
	Quarter          string
	Demand, Capacity float64
	// HasCapacity is false when nobody planned capacity for the quarter.
	HasCapacity bool
	Over        bool
	// Text sums the row up, such as "3.5 of 3 FTE, over by 0.5 FTE";
	// Short says it in the chart's narrow margin, such as "3.5 of 3 FTE".
	Text, Short string
}

// capacityChart draws one pair of bars per quarter: the demand above (its
// colour and hatching say whether it fits) and the capacity below, on one
// scale, with the figures written beside them.
func capacityChart(id, title string, rows []loadRow) template.HTML {
	const (
		width  = 760
		labelW = 64
		barX   = labelW + 10
		textW  = 250
		barW   = width - barX - textW - 10
		rowH   = 44
		demH   = 18
		capH   = 9
		gap    = 10
	)
	top := 0.0
	for _, r := range rows {
		top = math.Max(top, math.Max(r.Demand, r.Capacity))
	}
	scale := func(v float64) float64 {
		if top <= 0 {
			return 0
		}
		return float64(barW) * v / top
	}
	height := len(rows)*rowH + gap
	over := 0
	var desc []string
	for _, r := range rows {
		if r.Over {
			over++
		}
		desc = append(desc, r.Quarter+": "+r.Text)
	}
	summary := fmt.Sprintf("%d %s", len(rows), plural(len(rows), "quarter", "quarters"))
	if over > 0 {
		summary += fmt.Sprintf(", %d over capacity", over)
	} else {
		summary += ", none over capacity"
	}

	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart bars capacity" role="img" aria-labelledby="%[1]s-t" aria-describedby="%[1]s-d" viewBox="0 0 %[2]d %[3]d" width="100%%" preserveAspectRatio="xMinYMin meet">`, svgEsc(id), width, height)
	fmt.Fprintf(&b, `<title id="%s-t">%s: %s.</title>`, svgEsc(id), svgEsc(title), svgEsc(summary))
	fmt.Fprintf(&b, `<desc id="%s-d">%s.</desc>`, svgEsc(id), svgEsc(strings.Join(desc, "; ")))
	hatchDefs(&b, id)
	for i, r := range rows {
		y := gap + i*rowH
		fmt.Fprintf(&b, `<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, labelW, y+demH-4, svgEsc(r.Quarter))
		fmt.Fprintf(&b, `<rect class="track" x="%d" y="%d" width="%d" height="%d" rx="2"></rect>`, barX, y, barW, demH+capH+3)
		class := "s-in_progress"
		switch {
		case r.Over:
			class = "c-prohibited"
		case !r.HasCapacity:
			class = "s-not_applicable"
		}
		if w := scale(r.Demand); w > 0 {
			fmt.Fprintf(&b, `<rect class="seg %s" x="%d" y="%d" width="%.2f" height="%d"><title>%s demand: %s</title></rect>`,
				class, barX, y, w, demH, svgEsc(r.Quarter), svgEsc(r.Text))
			if r.Over {
				fmt.Fprintf(&b, `<rect class="hatch" x="%d" y="%d" width="%.2f" height="%d" fill="url(#%s-hatch)"></rect>`, barX, y, w, demH, svgEsc(id))
			}
		}
		if r.HasCapacity {
			if w := scale(r.Capacity); w > 0 {
				fmt.Fprintf(&b, `<rect class="seg s-implemented" x="%d" y="%d" width="%.2f" height="%d"><title>%s capacity</title></rect>`,
					barX, y+demH+3, w, capH, svgEsc(r.Quarter))
			}
			// The capacity limit as a line across the demand bar.
			x := float64(barX) + scale(r.Capacity)
			fmt.Fprintf(&b, `<path class="limit" d="M%.2f,%d V%d" stroke="currentColor" stroke-width="2" stroke-dasharray="3 2"></path>`, x, y-3, y+demH+capH+6)
		}
		text := r.Short
		if r.Over {
			text = "⚠ OVER: " + text
		}
		fmt.Fprintf(&b, `<text class="total" x="%d" y="%d">%s</text>`, barX+barW+8, y+demH-4, svgEsc(clipText(text, 34)))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// npvRow is one group of the roll-up chart.
type npvRow struct {
	Label, Href      string
	Expected, Adjust float64
	// ExpectedText and AdjustText are the figures written for people.
	ExpectedText, AdjustText string
}

// npvBars draws, per group, the expected NPV and below it the
// risk-adjusted NPV, from a zero line so that losses extend to the left.
func npvBars(id, title string, rows []npvRow) template.HTML {
	const (
		width  = 760
		labelW = 150
		plotX  = labelW + 10
		textW  = 190
		plotW  = width - plotX - textW - 10
		rowH   = 46
		barH   = 15
		gap    = 10
	)
	lo, hi := 0.0, 0.0
	for _, r := range rows {
		lo = math.Min(lo, math.Min(r.Expected, r.Adjust))
		hi = math.Max(hi, math.Max(r.Expected, r.Adjust))
	}
	span := hi - lo
	x := func(v float64) float64 {
		if span == 0 {
			return float64(plotX)
		}
		return float64(plotX) + float64(plotW)*(v-lo)/span
	}
	zero := x(0)
	height := len(rows)*rowH + gap
	var desc []string
	for _, r := range rows {
		desc = append(desc, fmt.Sprintf("%s: expected %s, risk-adjusted %s", r.Label, r.ExpectedText, r.AdjustText))
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart bars npv" role="img" aria-labelledby="%[1]s-t" aria-describedby="%[1]s-d" viewBox="0 0 %[2]d %[3]d" width="100%%" preserveAspectRatio="xMinYMin meet">`, svgEsc(id), width, height)
	fmt.Fprintf(&b, `<title id="%s-t">%s.</title>`, svgEsc(id), svgEsc(title))
	fmt.Fprintf(&b, `<desc id="%s-d">%s.</desc>`, svgEsc(id), svgEsc(strings.Join(desc, "; ")))
	bar := func(v float64, y int, class, tip string) {
		x0, x1 := math.Min(zero, x(v)), math.Max(zero, x(v))
		if x1-x0 < 0.5 {
			return
		}
		fmt.Fprintf(&b, `<rect class="seg %s" x="%.2f" y="%d" width="%.2f" height="%d"><title>%s</title></rect>`, class, x0, y, x1-x0, barH, svgEsc(tip))
	}
	for i, r := range rows {
		y := gap + i*rowH
		label := fmt.Sprintf(`<text class="label" x="%d" y="%d" text-anchor="end">%s</text>`, labelW, y+barH+5, svgEsc(clipText(r.Label, 22)))
		b.WriteString(svgLink(r.Href, label))
		bar(r.Expected, y, "s-in_progress", r.Label+", expected NPV: "+r.ExpectedText)
		bar(r.Adjust, y+barH+3, "s-implemented", r.Label+", risk-adjusted NPV: "+r.AdjustText)
		fmt.Fprintf(&b, `<text class="total" x="%d" y="%d">%s</text>`, plotX+plotW+8, y+barH-3, svgEsc(r.ExpectedText))
		fmt.Fprintf(&b, `<text class="total" x="%d" y="%d">%s</text>`, plotX+plotW+8, y+2*barH, svgEsc(r.AdjustText))
	}
	fmt.Fprintf(&b, `<path class="zero" d="M%.2f,%d V%d" stroke="currentColor" stroke-width="1"></path>`, zero, gap-4, height-2)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// maturityScale draws the five maturity levels as steps, those up to the
// target filled.
func maturityScale(id string, level int) template.HTML {
	const (
		step = 34
		h    = 30
	)
	var b strings.Builder
	name := maturityName(level)
	fmt.Fprintf(&b, `<svg class="chart bars maturity" role="img" aria-labelledby="%[1]s-t" viewBox="0 0 %[2]d %[3]d" width="%[2]d" height="%[3]d">`, svgEsc(id), 5*step, h+16)
	fmt.Fprintf(&b, `<title id="%s-t">Target maturity: level %d of 5 (%s)</title>`, svgEsc(id), level, svgEsc(name))
	for i := 1; i <= 5; i++ {
		x := (i - 1) * step
		bh := 8 + (i-1)*(h-8)/4
		class := "track"
		if i <= level {
			class = "seg s-in_progress"
		}
		fmt.Fprintf(&b, `<rect class="%s" x="%d" y="%d" width="%d" height="%d" rx="2"></rect>`, class, x+2, h-bh, step-6, bh)
		fmt.Fprintf(&b, `<text class="total" x="%d" y="%d" text-anchor="middle">%d</text>`, x+step/2-1, h+14, i)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
