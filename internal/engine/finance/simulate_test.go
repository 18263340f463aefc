package finance_test

import (
	"encoding/json"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/finance"
)

// assistant is a realistic case: a customer-service assistant over five years.
func assistant(seed uint64) finance.Case {
	return finance.Case{
		Currency: "EUR", HorizonYears: 5, DiscountRate: 0.08, Distribution: "pert", Seed: seed,
		OneOff: []finance.Line{
			spread("integration", 60000, 80000, 120000),
			spread("knowledge base", 15000, 25000, 40000),
			spread("training", 10000, 15000, 25000),
		},
		Running: []finance.Line{
			spread("model API", 12000, 18000, 30000),
			spread("licence", 24000, 24000, 30000),
			spread("operations", 20000, 25000, 30000),
		},
		Benefits: []finance.Line{
			spread("agent time", 80000, 120000, 160000),
			spread("self-service", 30000, 60000, 100000),
			spread("onboarding", 5000, 10000, 20000),
			spread("retention", 0, 15000, 40000),
		},
		Adoption: []float64{0.4, 0.75, 0.9},
	}
}

func mustSimulate(t testing.TB, c finance.Case) finance.Result {
	t.Helper()
	r, err := finance.Simulate(c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSimulateCertainCaseMatchesDeterministic(t *testing.T) {
	for _, dist := range []string{"triangular", "pert"} {
		for _, tt := range []struct {
			name     string
			benefit  float64
			probLoss float64
		}{{"profitable", 80, 0}, {"losing", 20, 1}} {
			t.Run(dist+"/"+tt.name, func(t *testing.T) {
				c := finance.Case{HorizonYears: 4, DiscountRate: 0.07, Distribution: dist, Trials: 500,
					Adoption: []float64{0.5, 1},
					OneOff:   []finance.Line{fixed("build", 100)},
					Running:  []finance.Line{fixed("run", 10)},
					Benefits: []finance.Line{fixed("a", tt.benefit/2), fixed("b", tt.benefit/2)}}
				r := mustSimulate(t, c)
				d := r.Deterministic
				if r.NPV.P10 != d.NPV || r.NPV.P50 != d.NPV || r.NPV.P90 != d.NPV {
					t.Errorf("NPV percentiles %+v, want all %v", r.NPV, d.NPV)
				}
				if r.ROI.P10 != d.ROI || r.ROI.P50 != d.ROI || r.ROI.P90 != d.ROI {
					t.Errorf("ROI percentiles %+v, want all %v", r.ROI, d.ROI)
				}
				for _, p := range []*float64{r.Payback.P10, r.Payback.P50, r.Payback.P90} {
					if (p == nil) != (d.Payback == nil) || (p != nil && *p != *d.Payback) {
						t.Errorf("payback percentile %v, want %v", p, d.Payback)
					}
				}
				if !near(r.MeanNPV, d.NPV) {
					t.Errorf("mean NPV %v, want %v", r.MeanNPV, d.NPV)
				}
				if r.ProbLoss != tt.probLoss {
					t.Errorf("ProbLoss = %v, want %v", r.ProbLoss, tt.probLoss)
				}
				if len(r.Histogram) != 1 || r.Histogram[0].Count != 500 || r.Histogram[0].From != d.NPV {
					t.Errorf("histogram %+v, want one bin of 500 at %v", r.Histogram, d.NPV)
				}
				for i, p := range r.BenefitByYear {
					want := d.Years[i+1].Benefit
					if p.P10 != want || p.P50 != want || p.P90 != want {
						t.Errorf("benefit in year %d %+v, want all %v", i+1, p, want)
					}
				}
			})
		}
	}
}

// oneLine is a case whose NPV is the draw of one benefit line minus a fixed cost
// of 1: horizon one year, no discounting, full adoption.
func oneLine(dist string, low, likely, high float64, trials int) finance.Case {
	return finance.Case{HorizonYears: 1, Distribution: dist, Trials: trials, Seed: 7,
		OneOff:   []finance.Line{fixed("cost", 1)},
		Benefits: []finance.Line{spread("benefit", low, likely, high)}}
}

func TestSimulateMeans(t *testing.T) {
	// The standard error of the mean over 200,000 draws is below 0.05 for
	// every range here, so a tolerance of 0.3 is six standard errors or more.
	tests := []struct {
		dist            string
		low, mode, high float64
		mean            float64
	}{
		{"triangular", 0, 20, 100, (0 + 20 + 100) / 3.0},
		{"triangular", 10, 90, 100, (10 + 90 + 100) / 3.0},
		{"triangular", 50, 50, 120, (50 + 50 + 120) / 3.0},
		{"pert", 0, 20, 100, (0 + 4*20 + 100) / 6.0},
		{"pert", 10, 90, 100, (10 + 4*90 + 100) / 6.0},
		{"pert", 50, 50, 120, (50 + 4*50 + 120) / 6.0},
		{"pert", 0, 100, 100, (0 + 4*100 + 100) / 6.0},
	}
	for _, tt := range tests {
		r := mustSimulate(t, oneLine(tt.dist, tt.low, tt.mode, tt.high, finance.MaxTrials))
		if got := r.MeanNPV + 1; math.Abs(got-tt.mean) > 0.3 {
			t.Errorf("%s(%v, %v, %v): mean %v, want %v", tt.dist, tt.low, tt.mode, tt.high, got, tt.mean)
		}
	}
}

func TestSimulateDrawsStayInRange(t *testing.T) {
	for _, dist := range []string{"triangular", "pert"} {
		for _, rg := range [][3]float64{{0, 0, 10}, {0, 10, 10}, {5, 6, 7}, {1e12, 1e12, 1e13}} {
			r := mustSimulate(t, oneLine(dist, rg[0], rg[1], rg[2], 20000))
			lo, hi := r.Histogram[0].From+1, r.Histogram[len(r.Histogram)-1].To+1
			if lo < rg[0] || hi > rg[2] {
				t.Errorf("%s%v: draws from %v to %v", dist, rg, lo, hi)
			}
			// With 20,000 triangular draws the extremes come close to the ends of
			// the range; PERT's tails are too thin for that to be a fair test.
			if dist == "triangular" && lo > rg[0]+0.05*(rg[2]-rg[0]) || hi < rg[2]-0.2*(rg[2]-rg[0]) {
				t.Errorf("%s%v: draws only from %v to %v", dist, rg, lo, hi)
			}
		}
	}
}

func TestSimulateSeed(t *testing.T) {
	a := mustSimulate(t, assistant(1))
	b := mustSimulate(t, assistant(1))
	if !reflect.DeepEqual(a, b) {
		t.Error("the same case and seed gave different results")
	}
	c := mustSimulate(t, assistant(2))
	if a.NPV == c.NPV || a.MeanNPV == c.MeanNPV {
		t.Errorf("seeds 1 and 2 gave the same NPV %+v", a.NPV)
	}
	if a.Seed != 1 || a.Trials != finance.DefaultTrials || a.Distribution != "pert" {
		t.Errorf("settings reported as %d trials, seed %d, %q", a.Trials, a.Seed, a.Distribution)
	}
}

func TestSimulateShape(t *testing.T) {
	for _, c := range []finance.Case{assistant(3), func() finance.Case {
		c := assistant(4)
		c.Distribution = ""
		c.Trials = 3000
		c.OneOff[0] = spread("integration", 300000, 500000, 900000) // often never pays back
		return c
	}()} {
		r := mustSimulate(t, c)
		ordered := func(name string, p finance.Percentiles) {
			if !(p.P10 <= p.P50 && p.P50 <= p.P90) {
				t.Errorf("%s percentiles out of order: %+v", name, p)
			}
		}
		ordered("NPV", r.NPV)
		ordered("ROI", r.ROI)
		if r.NPV.P10 == r.NPV.P90 {
			t.Errorf("uncertain case has no spread: %+v", r.NPV)
		}
		// Payback: a nil percentile means beyond the horizon, later than any number.
		pb := []*float64{r.Payback.P10, r.Payback.P50, r.Payback.P90}
		for i := 1; i < 3; i++ {
			if pb[i-1] == nil && pb[i] != nil || pb[i-1] != nil && pb[i] != nil && *pb[i-1] > *pb[i] {
				t.Errorf("payback percentiles out of order: %v %v", pb[i-1], pb[i])
			}
		}
		if len(r.BenefitByYear) != c.HorizonYears {
			t.Fatalf("%d years of benefit bands, want %d", len(r.BenefitByYear), c.HorizonYears)
		}
		for i, p := range r.BenefitByYear {
			ordered("benefit", p)
			// Adoption 0.4, 0.75, 0.9, 0.9, ...: the bands grow with it.
			if i > 0 && p.P50 < r.BenefitByYear[i-1].P50 {
				t.Errorf("year %d median benefit %v below year %d's %v", i+1, p.P50, i, r.BenefitByYear[i-1].P50)
			}
		}
		if r.ProbLoss < 0 || r.ProbLoss > 1 {
			t.Errorf("ProbLoss = %v", r.ProbLoss)
		}
		if r.MeanNPV < r.Histogram[0].From || r.MeanNPV > r.Histogram[len(r.Histogram)-1].To {
			t.Errorf("mean NPV %v outside the histogram", r.MeanNPV)
		}
		total := 0
		for i, b := range r.Histogram {
			total += b.Count
			if b.From >= b.To || i > 0 && b.From != r.Histogram[i-1].To {
				t.Errorf("bin %d %+v does not follow %+v", i, b, r.Histogram[max(i-1, 0)])
			}
		}
		if len(r.Histogram) != 30 || total != r.Trials {
			t.Errorf("%d bins holding %d trials, want 30 holding %d", len(r.Histogram), total, r.Trials)
		}
	}
}

func TestSimulateBigOneOffRarelyPaysBack(t *testing.T) {
	c := assistant(5)
	c.OneOff = []finance.Line{spread("platform", 700000, 1000000, 1400000)}
	r := mustSimulate(t, c)
	if r.Payback.P50 != nil || r.Payback.P90 != nil {
		t.Errorf("payback %v %v, want beyond the horizon", r.Payback.P50, r.Payback.P90)
	}
	if r.ProbLoss < 0.9 {
		t.Errorf("ProbLoss %v for a case that costs far more than it brings", r.ProbLoss)
	}
}

func TestSimulateLeavesInputAlone(t *testing.T) {
	c := assistant(6)
	c.Benefits[0].Label = "  agent time  "
	c.Currency = "eur"
	if _, err := finance.Simulate(c); err != nil {
		t.Fatal(err)
	}
	if c.Benefits[0].Label != "  agent time  " || c.Currency != "eur" {
		t.Errorf("Simulate changed the caller's case: %q %q", c.Benefits[0].Label, c.Currency)
	}
}

func TestSimulateRefusesInvalidCase(t *testing.T) {
	c := assistant(1)
	c.HorizonYears = 0
	if _, err := finance.Simulate(c); err == nil || !strings.Contains(err.Error(), "horizon_years") {
		t.Errorf("err = %v, want one naming horizon_years", err)
	}
}

func TestJSONShape(t *testing.T) {
	var l finance.Line
	if err := json.Unmarshal([]byte(`{"label":"licence","low":1,"likely":2,"high":3}`), &l); err != nil {
		t.Fatal(err)
	}
	if l.Label != "licence" || l.Low != 1 || l.Likely != 2 || l.High != 3 {
		t.Errorf("decoded %+v", l)
	}
	b, _ := json.Marshal(l)
	if string(b) != `{"label":"licence","low":1,"likely":2,"high":3}` {
		t.Errorf("encoded %s", b)
	}

	c := assistant(1)
	c.Trials = 200
	r := mustSimulate(t, c)
	out, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"trials", "seed", "distribution", "npv", "roi", "payback_years", "mean_npv",
		"prob_loss", "histogram", "benefit_by_year", "deterministic"} {
		if _, ok := m[k]; !ok {
			t.Errorf("result JSON lacks %q: %s", k, out)
		}
	}
	d := m["deterministic"].(map[string]any)
	for _, k := range []string{"npv", "roi", "payback_years", "total_benefit", "total_cost", "years"} {
		if _, ok := d[k]; !ok {
			t.Errorf("summary JSON lacks %q", k)
		}
	}
	y := d["years"].([]any)[1].(map[string]any)
	for _, k := range []string{"year", "benefit", "cost", "net", "cumulative", "discounted"} {
		if _, ok := y[k]; !ok {
			t.Errorf("year JSON lacks %q", k)
		}
	}
	if _, ok := m["npv"].(map[string]any)["p10"]; !ok {
		t.Error("percentiles JSON lacks p10")
	}
}
