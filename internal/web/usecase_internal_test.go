package web

import (
	"encoding/xml"
	"errors"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/finance"
	"github.com/caio-office/caio/internal/engine/portfolio"
)

// ucWellFormed fails t unless svg is one well-formed XML element that is an
// accessible image: role="img", labelled by its title and described by its
// desc, and free of NaN and infinities.
func ucWellFormed(t *testing.T, name, svg string) {
	t.Helper()
	if svg == "" {
		t.Errorf("%s: empty", name)
		return
	}
	for _, want := range []string{`role="img"`, `aria-labelledby="`, "<title id=", "<desc id="} {
		if !strings.Contains(svg, want) {
			t.Errorf("%s lacks %s", name, want)
		}
	}
	for _, bad := range []string{"NaN", "Inf", "%!"} {
		if strings.Contains(svg, bad) {
			t.Errorf("%s holds %q: %s", name, bad, svg)
		}
	}
	d := xml.NewDecoder(strings.NewReader(svg))
	depth := 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Errorf("%s is not well-formed: %v", name, err)
			return
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if depth != 0 {
		t.Errorf("%s: %d elements left open", name, depth)
	}
}

// ucPtr returns a pointer to x.
func ucPtr(x float64) *float64 { return &x }

func TestUseCaseCharts(t *testing.T) {
	nan := math.NaN()
	sim, err := finance.Simulate(finance.Case{HorizonYears: 5, DiscountRate: 0.08, Trials: 500, Seed: 1,
		OneOff:   []finance.Line{{Label: "Build", Range: finance.Range{Low: 100, Likely: 120, High: 160}}},
		Benefits: []finance.Line{{Label: "Saved", Range: finance.Range{Low: 20, Likely: 40, High: 90}}}})
	if err != nil {
		t.Fatal(err)
	}
	same, err := finance.Simulate(finance.Case{HorizonYears: 1, Trials: 100,
		OneOff:   []finance.Line{{Label: "Build", Range: finance.Range{Low: 10, Likely: 10, High: 10}}},
		Benefits: []finance.Line{{Label: "Saved", Range: finance.Range{Low: 5, Likely: 5, High: 5}}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		svg   string
		wants []string
	}{
		{"matrix", string(matrixChart("m", []matrixPoint{
			{Rank: 1, Title: "A & <B>", Href: "/usecases/uc_a", Value: 4, Feasibility: 4, Risk: 2, Quadrant: portfolio.QuadrantQuickWin, Cost: ucPtr(1000), Currency: "EUR"},
			{Rank: 2, Title: "Twin", Href: "/usecases/uc_b", Value: 4, Feasibility: 4, Risk: 5, Quadrant: portfolio.QuadrantQuickWin, Blocked: true},
			{Rank: 3, Title: "Odd", Value: nan, Feasibility: 9, Risk: 3, Quadrant: portfolio.QuadrantDeprioritise, Cost: ucPtr(0)},
		})), []string{"3 rated use cases", "2 quick win, 1 deprioritise", "A &amp; &lt;B&gt;", "blocked", `stroke-dasharray="4 3"`, `class="seg c-prohibited"`, `tabindex="-1"`}},
		{"matrix empty", string(matrixChart("m", nil)), []string{"0 rated use cases"}},
		{"stage path", string(stagePath("s", portfolio.StagePilot, "")), []string{"Current stage: Pilot (step 5 of 6)", "Pilot: current stage", "Idea: passed"}},
		{"stage path on hold", string(stagePath("s", portfolio.StageOnHold, portfolio.StagePoC)), []string{"On hold, paused at Proof of concept"}},
		{"stage path rejected", string(stagePath("s", portfolio.StageRejected, "")), []string{"Rejected", "Production: to come"}},
		{"histogram", string(histogramChart("h", "EUR", sim.Histogram, sim.NPV, sim.ProbLoss)), []string{"500 simulated trials", "P10", "P50", "P90", "lose money"}},
		{"histogram of one value", string(histogramChart("h", "EUR", same.Histogram, same.NPV, same.ProbLoss)), []string{"100 simulated trials", "in 1 bars"}},
		{"histogram of nonsense", string(histogramChart("h", "EUR", []finance.Bin{{From: nan, To: math.Inf(1), Count: 3}}, finance.Percentiles{P10: nan}, nan)), []string{"P50"}},
		{"benefits", string(benefitChart("b", "EUR", []app.YearValue{
			{Year: 1, Percentiles: finance.Percentiles{P10: 10, P50: 20, P90: 30}, Actual: ucPtr(5), Standing: "below_p10"},
			{Year: 2, Percentiles: finance.Percentiles{P10: 20, P50: 40, P90: 60}},
			{Year: 3, Percentiles: finance.Percentiles{P10: nan, P50: 40, P90: 60}, Actual: ucPtr(-3), Standing: "below_p10"},
		})), []string{"For each of 3 years", "recorded for 2 years", "Year 1: realised EUR 5, below p10", "Year 2"}},
		{"kpi", string(kpiChart("k", &caio.KPI{Name: "Days", Unit: "days", Direction: "decrease", Baseline: ucPtr(9), Target: ucPtr(2),
			Actuals: []caio.KPIActual{{On: "2027-03-31", Value: 5}, {On: "2027-01-31", Value: 7}, {On: "not a date", Value: 1}}})),
			[]string{"2 actual values of Days from 2027-01-31 to 2027-03-31", "the latest is 5 days", "Lower is better", "<polyline"}},
		{"kpi with one value", string(kpiChart("k", &caio.KPI{Name: "Share", Actuals: []caio.KPIActual{{On: "2027-01-31", Value: 0.5}}})), []string{"1 actual value of Share", "Higher is better"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ucWellFormed(t, tc.name, tc.svg)
			for _, w := range tc.wants {
				if !strings.Contains(tc.svg, w) {
					t.Errorf("%s lacks %q: %s", tc.name, w, tc.svg)
				}
			}
		})
	}
	// Charts with nothing to draw are left out rather than drawn empty.
	for name, svg := range map[string]string{
		"histogram": string(histogramChart("h", "EUR", nil, finance.Percentiles{}, 0)), "benefits": string(benefitChart("b", "EUR", nil)),
		"kpi": string(kpiChart("k", &caio.KPI{Name: "x"})), "nil kpi": string(kpiChart("k", nil)),
	} {
		if svg != "" {
			t.Errorf("%s without data drew %s", name, svg)
		}
	}
}

func TestUseCaseFormats(t *testing.T) {
	tests := []struct{ got, want string }{
		{ucMoney("EUR", 1234567.4), "EUR 1,234,567"},
		{ucMoney("EUR", -40000), "EUR −40,000"},
		{ucMoney("EUR", -0.2), "EUR 0"},
		{ucMoney("", 999), "999"},
		{ucMoney("EUR", math.NaN()), "—"},
		{ucShort("EUR", 1260000), "EUR 1.3M"},
		{ucShort("EUR", -120000), "EUR −120k"},
		{ucShort("USD", 2.5e9), "USD 2.5bn"},
		{ucPct(0.254), "25.4%"},
		{ucPct(1), "100%"},
		{ucPct(-0.5), "-50%"},
		{ucNum(3.333333), "3.33"},
		{ucNum(-0.001), "0"},
		{ucNum(240), "240"},
		{ucPayback(nil), "Not within the horizon"},
		{ucPayback(ucPtr(2.44)), "2.4 years"},
		{ucKey("t-uc_1-", "benefits[1].low"), "t-uc_1-benefits-1-low"},
		{ucKey(nil, "reason"), "reason"},
		{ucFieldLabel("one_off[0].likely"), "One-off cost 1, likely"},
		{ucFieldLabel("horizon_years"), "Horizon years"},
		{ucMetric(portfolio.Score{Rated: true, Priority: 71.5}, portfolio.MethodWeighted), "71.5"},
		{ucMetric(portfolio.Score{Rated: true, Priority: 71.5}, portfolio.MethodRICE), "—"},
		{ucMetric(portfolio.Score{WSJF: ucPtr(3.25)}, portfolio.MethodWSJF), "3.25"},
		{ucMetric(portfolio.Score{Rated: true, Blocked: true}, portfolio.MethodWeighted), "Blocked"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

// TestBusinessCaseFormRoundTrip fills the form from a stored case and
// reads it back: the same case comes out, blank lines left out.
func TestBusinessCaseFormRoundTrip(t *testing.T) {
	in := finance.Case{Currency: "USD", HorizonYears: 7, DiscountRate: 0.075, Distribution: "pert", Trials: 5000, Seed: 18446744073709551615,
		OneOff:   []finance.Line{{Label: "Build", Range: finance.Range{Low: 1000.5, Likely: 2000, High: 3000}}},
		Running:  []finance.Line{{Label: "Run", Range: finance.Range{Low: 1, Likely: 2, High: 3}}, {Label: "Licences", Range: finance.Range{Low: 0, Likely: 0, High: 10}}},
		Benefits: []finance.Line{{Label: "Saved", Range: finance.Range{Low: 5, Likely: 6, High: 7}}},
		Adoption: []float64{0.25, 0.5, 0.755}}
	f := &form{Values: businessCaseValues(&app.BusinessCase{Input: in, Version: 3}), Errors: map[string]string{}}
	out, rows := businessCaseInput(f)
	if len(f.Errors) > 0 {
		t.Fatalf("errors reading a stored case: %v", f.Errors)
	}
	if !reflect.DeepEqual(out, in) {
		t.Errorf("read back\n%+v\nwant\n%+v", out, in)
	}
	if !reflect.DeepEqual(rows["running"], []int{0, 1}) {
		t.Errorf("rows %v", rows)
	}
	// The form offers the stored lines, one blank line after them, and at
	// least five in each list.
	views := bcListViews(f, 0)
	if len(views[0].Rows) != bcMinRows || views[2].Rows[4].High != "benefits[4].high" {
		t.Errorf("rows laid out as %+v", views)
	}
}

// TestBusinessCaseProblems checks that the engine's problems come back in
// the form's terms: on the line people typed, rates in per cent.
func TestBusinessCaseProblems(t *testing.T) {
	f := &form{Errors: map[string]string{}, Values: map[string]string{
		"horizon_years": "5", "discount_rate": "70", "adoption": "50, 150",
		"one_off[0].label": "", "one_off[0].low": "", "one_off[0].likely": "", "one_off[0].high": "",
		"one_off[3].label": "Build", "one_off[3].low": "30", "one_off[3].likely": "20", "one_off[3].high": "40",
		"benefits[2].label": "Saved", "benefits[2].low": "1", "benefits[2].likely": "2", "benefits[2].high": "x",
	}}
	c, rows := businessCaseInput(f)
	if got := f.Errors["benefits[2].high"]; !strings.Contains(got, "must be a number") {
		t.Errorf("benefits[2].high: %q", got)
	}
	err := bcRename(c.Normalize(), rows, len(f.Errors) > 0)
	got := map[string]string{}
	for _, p := range caio.ErrorFields(err) {
		got[p.Field] = p.Message
	}
	want := map[string]string{
		"one_off[3].likely": "must not be below low (20 < 30)",
		"discount_rate":     "must be between 0 and 50 per cent",
		"adoption":          "share 2 must be between 0 and 100 per cent",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if _, ok := got["benefits"]; ok {
		t.Errorf("a list-wide problem was reported although a line failed to read: %v", got)
	}
	if len(got) != len(want) {
		t.Errorf("problems %v, want %v", got, want)
	}
}

// FuzzBusinessCaseForm reads arbitrary business case forms: reading never
// panics, and every problem it or the engine reports names a field the
// form shows, so no problem is lost.
func FuzzBusinessCaseForm(f *testing.F) {
	f.Add("5", "8", "40, 80, 100", "10000", "", "Build", "1", "2", "3", 0, "Saved", "4", "5", "6", 1)
	f.Add("", "", "", "", "", "", "", "", "", 0, "", "", "", "", 0)
	f.Add("x", "8 %", "40;;", "-1", "18446744073709551616", "B", "3", "2", "1", 49, "S", "1e400", "NaN", "-0", 60)
	f.Add("31", "-5", "%", "1,000", "7", " ", "0", "0", "0", 3, "\x00", "1,2", "", "9", 2)
	f.Fuzz(func(t *testing.T, horizon, rate, adoption, trials, seed, l1, lo1, li1, hi1 string, row1 int, l2, lo2, li2, hi2 string, row2 int) {
		fm := &form{Errors: map[string]string{}, Values: map[string]string{
			"horizon_years": horizon, "discount_rate": rate, "adoption": adoption, "trials": trials, "seed": seed,
		}}
		set := func(list string, row int, label, low, likely, high string) {
			fm.Values[bcField(list, row, "label")] = label
			fm.Values[bcField(list, row, "low")] = low
			fm.Values[bcField(list, row, "likely")] = likely
			fm.Values[bcField(list, row, "high")] = high
		}
		set("one_off", row1, l1, lo1, li1, hi1)
		set("benefits", row2, l2, lo2, li2, hi2)
		c, rows := businessCaseInput(fm)
		shown := map[string]bool{"currency": true, "horizon_years": true, "discount_rate": true, "distribution": true,
			"trials": true, "seed": true, "adoption": true, "one_off": true, "running": true, "benefits": true}
		for _, l := range bcListViews(fm, 0) {
			for _, r := range l.Rows {
				shown[r.Label], shown[r.Low], shown[r.Likely], shown[r.High] = true, true, true, true
			}
		}
		for k := range fm.Errors {
			if !shown[k] {
				t.Errorf("reading reported %q, which the form does not show", k)
			}
		}
		for list, rs := range rows {
			for _, r := range rs {
				if !shown[bcField(list, r, "label")] {
					t.Errorf("line %d of %s maps to a line the form does not show", r, list)
				}
			}
		}
		err := bcRename(c.Normalize(), rows, len(fm.Errors) > 0)
		for _, p := range caio.ErrorFields(err) {
			if !shown[p.Field] {
				t.Errorf("the engine's problem %q (%s) names no field of the form", p.Field, p.Message)
			}
		}
	})
}

// FuzzPercent checks that a percentage read back from its own writing is
// the share it was.
func FuzzPercent(f *testing.F) {
	f.Add(0.08)
	f.Add(0.0)
	f.Add(1.0)
	f.Add(0.755)
	f.Fuzz(func(t *testing.T, x float64) {
		if math.IsNaN(x) || math.IsInf(x, 0) || math.Abs(x) > 1e12 {
			return
		}
		s := strconv.FormatFloat(x*100, 'f', -1, 64) + " %"
		got, ok := bcPercent(s)
		if !ok || math.Abs(got-x) > 1e-9*math.Max(1, math.Abs(x)) {
			t.Errorf("bcPercent(%q) = %v, %v; want %v", s, got, ok, x)
		}
	})
}
