package web

import (
	"fmt"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/finance"
	"github.com/caio-office/caio/internal/engine/portfolio"
)

// Charts of the use-case pages, drawn on the server as svg.go draws the
// compliance charts. Each is an <svg role="img"> labelled by its <title>
// and described by its <desc>, whose text says what the chart shows; the
// page puts a table or a sentence with the same figures next to it, so
// nothing depends on seeing a colour or pointing at a shape. Colours come
// from the stylesheet's classes (the EU AI Act class and control status
// colours) or from currentColor, never from inline styles: the content
// security policy holds and dark mode works. Links inside a chart stay out
// of the tab order; the table's links serve the keyboard.

// chartWidth is the width the large charts are drawn at, in CSS pixels:
// wide enough to read, and no wider, so their text keeps the size of the
// page's; the stylesheet shrinks them on narrow screens.
const chartWidth = 720

// svgOpen writes the opening tag of a chart with its title and description.
// width is the drawn width in CSS pixels, or 0 to fill the container.
func svgOpen(b *strings.Builder, id, class string, w, h, width int, title, desc string) {
	size := `width="100%"`
	if width > 0 {
		size = `width="` + strconv.Itoa(width) + `"`
	}
	// The "bars" class gives .seg shapes their fill from the --c variable
	// of their colour class, as on the compliance charts.
	fmt.Fprintf(b, `<svg class="chart bars %s" role="img" aria-labelledby="%s-t %s-d" viewBox="0 0 %d %d" %s preserveAspectRatio="xMinYMin meet">`,
		svgEsc(class), svgEsc(id), svgEsc(id), w, h, size)
	fmt.Fprintf(b, `<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, svgEsc(id), svgEsc(title), svgEsc(id), svgEsc(desc))
}

// chartClamp keeps x within [lo, hi]; NaN becomes lo.
func chartClamp(x, lo, hi float64) float64 {
	if !(x >= lo) {
		return lo
	}
	return math.Min(x, hi)
}

// chartFinite returns x, or d when x is NaN or infinite, so a bad figure can
// never write NaN into a drawing.
func chartFinite(x, d float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return d
	}
	return x
}

// --- Value × feasibility matrix ---

// matrixPoint is one rated use case on the value × feasibility matrix.
type matrixPoint struct {
	Rank                     int
	Title, Href              string
	Value, Feasibility, Risk float64
	Quadrant                 string
	// Cost is the business case's total cost at its likely values; nil
	// without a business case, which draws a small bubble of fixed size.
	Cost     *float64
	Currency string
	Blocked  bool
}

// matrixRiskClass is the colour class of a risk on 1–5: the colour of the EU AI
// Act class that gives that risk (portfolio's classRisk), so the matrix
// speaks the inventory's colours.
func matrixRiskClass(risk float64) string {
	switch {
	case risk >= 5:
		return "c-prohibited"
	case risk >= 4:
		return "c-high_risk"
	case risk >= 3:
		return "c-unclassified"
	case risk >= 2:
		return "c-not_high_risk"
	}
	return "c-minimal"
}

// matrixRiskLevels are the risks of the legend, lowest first, with what gives them.
var matrixRiskLevels = []struct {
	Risk  int
	Class string
	Label string
}{
	{1, "c-minimal", "1: minimal or out of scope"},
	{2, "c-not_high_risk", "2: not high-risk, or transparency duties only (also: no AI system linked)"},
	{3, "c-unclassified", "3: AI system not classified yet"},
	{4, "c-high_risk", "4: high-risk"},
	{5, "c-prohibited", "5: prohibited, blocked"},
}

// matrixChart draws the rated use cases on a grid of feasibility (x, 1–5)
// and value (y, 1–5) split into the four quadrants at 3. A bubble's area
// grows with the business case's cost and its colour is the risk; blocked
// use cases carry a dashed ring. Use cases on the same spot are spread on a
// small circle so each stays visible.
func matrixChart(id string, pts []matrixPoint) template.HTML {
	const (
		W, H                     = 640, 500
		left, right, top, bottom = 64, 16, 16, 60
		pw, ph                   = W - left - right, H - top - bottom
	)
	x := func(f float64) float64 { return left + (chartClamp(f, 1, 5)-1)/4*pw }
	y := func(v float64) float64 { return top + (1-(chartClamp(v, 1, 5)-1)/4)*ph }

	counts := map[string]int{}
	maxCost := 0.0
	for _, p := range pts {
		counts[p.Quadrant]++
		if p.Cost != nil && chartFinite(*p.Cost, 0) > maxCost {
			maxCost = *p.Cost
		}
	}
	var parts []string
	for _, q := range portfolio.Quadrants[:4] {
		if n := counts[q]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, strings.ToLower(portfolio.QuadrantLabel(q))))
		}
	}
	desc := fmt.Sprintf("%d rated use %s on a grid of feasibility (across, 1 to 5) and value (up, 1 to 5)", len(pts), plural(len(pts), "case", "cases"))
	if len(parts) > 0 {
		desc += ": " + strings.Join(parts, ", ")
	}
	desc += ". A bubble's size is the business case's cost (small and fixed without one); its colour is the EU AI Act risk from 1 (minimal) to 5 (prohibited). Each bubble is labelled with its rank; the table below lists the same use cases."

	var b strings.Builder
	svgOpen(&b, id, "matrix", W, H, chartWidth, "Value × feasibility matrix", desc)
	mx, my := x(3), y(3)
	// The four quadrants, with their names in their outer corners.
	quads := []struct {
		x0, y0, x1, y1 float64
		label          string
		tx, ty         float64
		anchor         string
	}{
		{mx, top, left + pw, my, portfolio.QuadrantLabel(portfolio.QuadrantQuickWin), left + pw - 8, top + 18, "end"},
		{left, top, mx, my, portfolio.QuadrantLabel(portfolio.QuadrantStrategic), left + 8, top + 18, "start"},
		{mx, my, left + pw, top + ph, portfolio.QuadrantLabel(portfolio.QuadrantFillIn), left + pw - 8, top + ph - 10, "end"},
		{left, my, mx, top + ph, portfolio.QuadrantLabel(portfolio.QuadrantDeprioritise), left + 8, top + ph - 10, "start"},
	}
	for _, q := range quads {
		fmt.Fprintf(&b, `<rect class="track" x="%.1f" y="%.1f" width="%.1f" height="%.1f"></rect>`, q.x0, q.y0, q.x1-q.x0, q.y1-q.y0)
		fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="%s" font-weight="650">%s</text>`, q.tx, q.ty, q.anchor, svgEsc(q.label))
	}
	for i := 1; i <= 5; i++ {
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%d</text>`, x(float64(i)), top+ph+18, i)
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%d</text>`, left-8, y(float64(i))+4, i)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">Feasibility: 1 hard, 5 easy</text>`, left+pw/2, H-12)
	fmt.Fprintf(&b, `<text x="18" y="%d" text-anchor="middle" transform="rotate(-90 18 %d)">Value: 1 low, 5 high</text>`, top+ph/2, top+ph/2)

	type bubble struct {
		p    matrixPoint
		cx   float64
		cy   float64
		r    float64
		spot string
	}
	bs := make([]bubble, len(pts))
	spots := map[string][]int{}
	for i, p := range pts {
		r := 7.0
		if p.Cost != nil && maxCost > 0 {
			r = 9 + 15*math.Sqrt(chartClamp(*p.Cost/maxCost, 0, 1))
		}
		spot := fmt.Sprintf("%.2f/%.2f", p.Value, p.Feasibility)
		bs[i] = bubble{p: p, cx: x(chartFinite(p.Feasibility, 1)), cy: y(chartFinite(p.Value, 1)), r: r, spot: spot}
		spots[spot] = append(spots[spot], i)
	}
	for _, idx := range spots {
		if len(idx) < 2 {
			continue
		}
		for k, i := range idx {
			a := 2 * math.Pi * float64(k) / float64(len(idx))
			bs[i].cx += 14 * math.Cos(a)
			bs[i].cy += 14 * math.Sin(a)
		}
	}
	// Large bubbles first, so small ones are drawn on top of them.
	order := make([]int, len(bs))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return bs[order[i]].r > bs[order[j]].r })
	for _, i := range order {
		bb := bs[i]
		p := bb.p
		tip := fmt.Sprintf("#%d %s: value %s, feasibility %s, risk %s, %s", p.Rank, p.Title, ucNum(p.Value), ucNum(p.Feasibility), ucNum(p.Risk), portfolio.QuadrantLabel(p.Quadrant))
		if p.Cost != nil {
			tip += ", cost " + ucMoney(p.Currency, *p.Cost)
		} else {
			tip += ", no business case"
		}
		if p.Blocked {
			tip += "; blocked: a linked AI system is prohibited"
		}
		var shape strings.Builder
		fmt.Fprintf(&shape, `<g><title>%s</title>`, svgEsc(tip))
		fmt.Fprintf(&shape, `<circle class="seg %s" cx="%.1f" cy="%.1f" r="%.1f" fill-opacity="0.85"></circle>`, matrixRiskClass(p.Risk), bb.cx, bb.cy, bb.r)
		// An outline in the text colour keeps pale risk colours visible on
		// the grid's background.
		fmt.Fprintf(&shape, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="none" stroke="currentColor" stroke-opacity="0.6"></circle>`, bb.cx, bb.cy, bb.r)
		if p.Blocked {
			fmt.Fprintf(&shape, `<circle cx="%.1f" cy="%.1f" r="%.1f" fill="none" stroke="currentColor" stroke-width="2" stroke-dasharray="4 3"></circle>`, bb.cx, bb.cy, bb.r+4)
		}
		fmt.Fprintf(&shape, `<text x="%.1f" y="%.1f" font-size="12" font-weight="700">%d</text></g>`, bb.cx+bb.r+3, bb.cy-bb.r/2, p.Rank)
		b.WriteString(svgLink(p.Href, shape.String()))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// --- Stage path ---

// stagePath draws the active stages from idea to production as a line of
// steps: those passed filled, the current one larger and ringed, those to
// come open. A use case on hold shows the stage it was paused at; a
// rejected one highlights no step.
func stagePath(id, current, heldFrom string) template.HTML {
	var active []portfolio.StageInfo
	for _, s := range portfolio.Stages() {
		if s.Active {
			active = append(active, s)
		}
	}
	if len(active) < 2 {
		return ""
	}
	anchor := current
	switch current {
	case portfolio.StageOnHold:
		anchor = heldFrom
	case portfolio.StageRetired:
		anchor = portfolio.StageProduction
	}
	at := -1
	labels := make([]string, len(active))
	for i, s := range active {
		labels[i] = s.Label
		if s.Key == anchor {
			at = i
		}
	}
	desc := strings.Join(labels, " → ") + ". "
	switch {
	case current == portfolio.StageOnHold && at >= 0:
		desc += fmt.Sprintf("On hold, paused at %s (step %d of %d).", labels[at], at+1, len(active))
	case current == portfolio.StageOnHold:
		desc += "On hold."
	case current == portfolio.StageRetired:
		desc += "Retired after production."
	case current == portfolio.StageRejected:
		desc += "Rejected: no longer on the path."
	case at >= 0:
		desc += fmt.Sprintf("Current stage: %s (step %d of %d).", labels[at], at+1, len(active))
	}
	const W, H, pad = 640, 84, 56
	step := float64(W-2*pad) / float64(len(active)-1)
	var b strings.Builder
	svgOpen(&b, id, "stage-path", W, H, chartWidth, "Stage path", desc)
	fmt.Fprintf(&b, `<line x1="%d" y1="30" x2="%d" y2="30" stroke="currentColor" stroke-opacity="0.45" stroke-width="2"></line>`, pad, W-pad)
	for i, s := range active {
		cx := float64(pad) + step*float64(i)
		weight := "400"
		switch {
		case i == at && current != portfolio.StageRetired:
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="30" r="17" fill="none" stroke="currentColor" stroke-width="2"></circle>`, cx)
			fmt.Fprintf(&b, `<circle class="seg s-in_progress" cx="%.1f" cy="30" r="12"><title>%s: current stage</title></circle>`, cx, svgEsc(s.Label))
			weight = "700"
		case at >= 0 && i <= at:
			fmt.Fprintf(&b, `<circle class="seg s-implemented" cx="%.1f" cy="30" r="9"><title>%s: passed</title></circle>`, cx, svgEsc(s.Label))
		default:
			fmt.Fprintf(&b, `<circle cx="%.1f" cy="30" r="9" fill="none" stroke="currentColor" stroke-opacity="0.6" stroke-width="2"><title>%s: to come</title></circle>`, cx, svgEsc(s.Label))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="70" text-anchor="middle" font-weight="%s">%s</text>`, cx, weight, svgEsc(s.Label))
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// --- NPV histogram ---

// histogramChart draws the simulated NPVs as bars, losses in the warning
// colour, with the break-even line at zero and the P10, P50 and P90 marked.
func histogramChart(id, currency string, bins []finance.Bin, p finance.Percentiles, probLoss float64) template.HTML {
	if len(bins) == 0 {
		return ""
	}
	const (
		W, H                     = 640, 270
		left, right, top, bottom = 16, 16, 40, 44
		pw, ph                   = W - left - right, H - top - bottom
	)
	lo, hi := chartFinite(bins[0].From, 0), chartFinite(bins[len(bins)-1].To, 0)
	if !(hi > lo) {
		// Every trial gave the same NPV: draw one bar in the middle.
		lo, hi = lo-math.Max(1, math.Abs(lo)*0.1), hi+math.Max(1, math.Abs(hi)*0.1)
	}
	x := func(v float64) float64 { return left + (chartClamp(v, lo, hi)-lo)/(hi-lo)*pw }
	maxCount, trials := 0, 0
	for _, bin := range bins {
		maxCount = max(maxCount, bin.Count)
		trials += bin.Count
	}
	desc := fmt.Sprintf("The NPV of %d simulated trials, from %s to %s, in %d bars. P10 %s, P50 %s, P90 %s. %s of the trials lose money (NPV below zero).",
		trials, ucMoney(currency, bins[0].From), ucMoney(currency, bins[len(bins)-1].To), len(bins),
		ucMoney(currency, p.P10), ucMoney(currency, p.P50), ucMoney(currency, p.P90), ucPct(probLoss))
	var b strings.Builder
	svgOpen(&b, id, "histogram", W, H, chartWidth, "Distribution of the net present value", desc)
	fmt.Fprintf(&b, `<rect class="track" x="%d" y="%d" width="%d" height="%d"></rect>`, left, top, pw, ph)
	for _, bin := range bins {
		if bin.Count == 0 || maxCount == 0 {
			continue
		}
		from, to := chartFinite(bin.From, lo), chartFinite(bin.To, hi)
		if len(bins) == 1 {
			mid := (lo + hi) / 2
			from, to = mid-(hi-lo)/20, mid+(hi-lo)/20
		}
		x0, x1 := x(from), x(to)
		h := float64(ph) * float64(bin.Count) / float64(maxCount)
		class := "s-in_progress"
		if to <= 0 {
			class = "s-not_started"
		}
		fmt.Fprintf(&b, `<rect class="seg %s" x="%.2f" y="%.2f" width="%.2f" height="%.2f"><title>%s to %s: %d %s</title></rect>`,
			class, x0, float64(top+ph)-h, math.Max(x1-x0, 1), h, svgEsc(ucMoney(currency, bin.From)), svgEsc(ucMoney(currency, bin.To)), bin.Count, plural(bin.Count, "trial", "trials"))
	}
	if lo < 0 && hi > 0 {
		fmt.Fprintf(&b, `<line x1="%.2f" y1="%d" x2="%.2f" y2="%d" stroke="currentColor" stroke-width="2"></line>`, x(0), top, x(0), top+ph)
		// The zero's label, unless it would run into the axis's end labels.
		if x(0)-float64(left) > 70 && float64(left+pw)-x(0) > 70 {
			fmt.Fprintf(&b, `<text x="%.2f" y="%d" text-anchor="middle">0</text>`, x(0), top+ph+16)
		}
	}
	for _, m := range []struct {
		label string
		v     float64
		ty    int
	}{{"P10", p.P10, top - 6}, {"P50", p.P50, top - 22}, {"P90", p.P90, top - 6}} {
		v := chartFinite(m.v, lo)
		fmt.Fprintf(&b, `<line x1="%.2f" y1="%d" x2="%.2f" y2="%d" stroke="currentColor" stroke-width="1.5" stroke-dasharray="5 3"><title>%s: %s</title></line>`,
			x(v), top, x(v), top+ph, m.label, svgEsc(ucMoney(currency, v)))
		fmt.Fprintf(&b, `<text x="%.2f" y="%d" text-anchor="middle" font-weight="650">%s</text>`, x(v), m.ty, m.label)
	}
	fmt.Fprintf(&b, `<text x="%d" y="%d">%s</text>`, left, top+ph+16, svgEsc(ucShort(currency, bins[0].From)))
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, left+pw, top+ph+16, svgEsc(ucShort(currency, bins[len(bins)-1].To)))
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">Net present value</text>`, left+pw/2, H-6)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// --- Benefits realised against the simulated band ---

// benefitChart draws, for each year of the business case, the band from
// the P10 to the P90 of the simulated benefit with its P50 as a line, and
// the benefit realised as a diamond where one is recorded.
func benefitChart(id, currency string, years []app.YearValue) template.HTML {
	if len(years) == 0 {
		return ""
	}
	const (
		W, H                     = 640, 260
		left, right, top, bottom = 84, 16, 16, 40
		pw, ph                   = W - left - right, H - top - bottom
	)
	lo, hi := 0.0, 0.0
	recorded := 0
	for _, yv := range years {
		hi = math.Max(hi, chartFinite(yv.P90, 0))
		if yv.Actual != nil {
			recorded++
			hi = math.Max(hi, chartFinite(*yv.Actual, 0))
			lo = math.Min(lo, chartFinite(*yv.Actual, 0))
		}
	}
	if !(hi > lo) {
		hi = lo + 1
	}
	hi *= 1.08
	y := func(v float64) float64 { return top + (1-(chartClamp(v, lo, hi)-lo)/(hi-lo))*ph }
	slot := float64(pw) / float64(len(years))
	bw := math.Min(slot*0.5, 48)
	desc := fmt.Sprintf("For each of %d years, the band of the simulated benefit from its P10 to its P90, with the P50 as a line; a diamond marks the benefit realised, recorded for %d %s. The table below gives the figures and where each realised benefit stands.",
		len(years), recorded, plural(recorded, "year", "years"))
	var b strings.Builder
	svgOpen(&b, id, "benefits", W, H, chartWidth, "Benefits realised against the business case", desc)
	for _, v := range []float64{lo, (lo + hi) / 2, hi} {
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="currentColor" stroke-opacity="0.2"></line>`, left, y(v), left+pw, y(v))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end">%s</text>`, left-6, y(v)+4, svgEsc(ucShort(currency, v)))
	}
	for i, yv := range years {
		cx := left + slot*(float64(i)+0.5)
		p10, p50, p90 := chartFinite(yv.P10, 0), chartFinite(yv.P50, 0), chartFinite(yv.P90, 0)
		tip := fmt.Sprintf("Year %d: P10 %s, P50 %s, P90 %s", yv.Year, ucMoney(currency, p10), ucMoney(currency, p50), ucMoney(currency, p90))
		fmt.Fprintf(&b, `<rect class="seg s-in_progress" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill-opacity="0.35"><title>%s</title></rect>`,
			cx-bw/2, y(p90), bw, math.Max(y(p10)-y(p90), 1), svgEsc(tip))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="currentColor" stroke-width="2"></line>`, cx-bw/2, y(p50), cx+bw/2, y(p50))
		if yv.Actual != nil {
			a := chartFinite(*yv.Actual, 0)
			ay := y(a)
			fmt.Fprintf(&b, `<path d="M %.1f %.1f l 7 7 l -7 7 l -7 -7 z" fill="currentColor"><title>Year %d: realised %s, %s</title></path>`,
				cx, ay-7, yv.Year, svgEsc(ucMoney(currency, a)), svgEsc(strings.ToLower(ucLabel(yv.Standing))))
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">Year %d</text>`, cx, top+ph+18, yv.Year)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// --- KPI actuals ---

// kpiChart draws a KPI's actual values over time as a line, with its
// baseline and target as dashed lines.
func kpiChart(id string, k *caio.KPI) template.HTML {
	if k == nil || len(k.Actuals) == 0 {
		return ""
	}
	const (
		W, H                     = 380, 150
		left, right, top, bottom = 56, 60, 12, 30
		pw, ph                   = W - left - right, H - top - bottom
	)
	type pt struct {
		t time.Time
		v float64
		s string
	}
	var pts []pt
	for _, a := range k.Actuals {
		t, err := time.Parse(time.DateOnly, a.On)
		if err != nil {
			continue
		}
		pts = append(pts, pt{t, chartFinite(a.Value, 0), a.On})
	}
	if len(pts) == 0 {
		return ""
	}
	sort.SliceStable(pts, func(i, j int) bool { return pts[i].t.Before(pts[j].t) })
	lo, hi := pts[0].v, pts[0].v
	for _, p := range pts {
		lo, hi = math.Min(lo, p.v), math.Max(hi, p.v)
	}
	for _, ref := range []*float64{k.Baseline, k.Target} {
		if ref != nil {
			lo, hi = math.Min(lo, chartFinite(*ref, lo)), math.Max(hi, chartFinite(*ref, hi))
		}
	}
	if !(hi > lo) {
		lo, hi = lo-1, hi+1
	}
	pad := (hi - lo) * 0.1
	lo, hi = lo-pad, hi+pad
	t0, t1 := pts[0].t, pts[len(pts)-1].t
	x := func(t time.Time) float64 {
		if !t1.After(t0) {
			return left + pw/2
		}
		return left + float64(t.Sub(t0))/float64(t1.Sub(t0))*pw
	}
	y := func(v float64) float64 { return top + (1-(chartClamp(v, lo, hi)-lo)/(hi-lo))*ph }
	last := pts[len(pts)-1]
	desc := fmt.Sprintf("%d actual %s of %s from %s to %s; the latest is %s%s.", len(pts), plural(len(pts), "value", "values"), k.Name, pts[0].s, last.s, ucNum(last.v), kpiUnit(k.Unit))
	if k.Baseline != nil {
		desc += " Baseline " + ucNum(*k.Baseline) + kpiUnit(k.Unit) + "."
	}
	if k.Target != nil {
		desc += " Target " + ucNum(*k.Target) + kpiUnit(k.Unit) + "."
	}
	if k.Direction == "decrease" {
		desc += " Lower is better."
	} else {
		desc += " Higher is better."
	}
	var b strings.Builder
	svgOpen(&b, id, "kpi", W, H, W, "Actual values of "+k.Name, desc)
	fmt.Fprintf(&b, `<rect class="track" x="%d" y="%d" width="%d" height="%d"></rect>`, left, top, pw, ph)
	for _, ref := range []struct {
		label string
		v     *float64
		dash  string
	}{{"Baseline", k.Baseline, "2 3"}, {"Target", k.Target, "7 4"}} {
		if ref.v == nil {
			continue
		}
		fmt.Fprintf(&b, `<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" stroke="currentColor" stroke-width="1.5" stroke-dasharray="%s"><title>%s: %s</title></line>`,
			left, y(*ref.v), left+pw, y(*ref.v), ref.dash, ref.label, svgEsc(ucNum(*ref.v)+kpiUnit(k.Unit)))
		fmt.Fprintf(&b, `<text x="%d" y="%.1f" font-size="11">%s</text>`, left+pw+4, y(*ref.v)+4, ref.label)
	}
	var line []string
	for _, p := range pts {
		line = append(line, fmt.Sprintf("%.1f,%.1f", x(p.t), y(p.v)))
	}
	if len(line) > 1 {
		fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="currentColor" stroke-width="2"></polyline>`, strings.Join(line, " "))
	}
	for _, p := range pts {
		fmt.Fprintf(&b, `<circle class="seg s-in_progress" cx="%.1f" cy="%.1f" r="4"><title>%s: %s</title></circle>`, x(p.t), y(p.v), p.s, svgEsc(ucNum(p.v)+kpiUnit(k.Unit)))
	}
	fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" font-size="11">%s</text>`, left-4, y(hi)+10, svgEsc(ucNum(hi)))
	fmt.Fprintf(&b, `<text x="%d" y="%.1f" text-anchor="end" font-size="11">%s</text>`, left-4, y(lo), svgEsc(ucNum(lo)))
	fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11">%s</text>`, left, H-8, pts[0].s)
	if len(pts) > 1 {
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="11">%s</text>`, left+pw, H-8, last.s)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// kpiUnit writes a unit after a number, or nothing.
func kpiUnit(unit string) string {
	if unit = strings.TrimSpace(unit); unit == "" {
		return ""
	}
	return " " + unit
}
