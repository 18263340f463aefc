package finance_test

import (
	"math"
	"os"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/finance"
)

func TestNormalizeDefaults(t *testing.T) {
	c := finance.Case{Currency: " usd ", HorizonYears: 3, Distribution: " PERT ",
		OneOff:   []finance.Line{fixed("  build  ", 10)},
		Benefits: []finance.Line{fixed("saving", 10)}}
	if err := c.Normalize(); err != nil {
		t.Fatal(err)
	}
	if c.Currency != "USD" || c.Distribution != "pert" || c.Trials != 10000 || c.OneOff[0].Label != "build" {
		t.Errorf("normalised to %+v", c)
	}
	c = finance.Case{HorizonYears: 3, OneOff: []finance.Line{fixed("build", 10)}, Benefits: []finance.Line{fixed("saving", 10)}}
	if err := c.Normalize(); err != nil {
		t.Fatal(err)
	}
	if c.Currency != "EUR" || c.Distribution != "triangular" {
		t.Errorf("defaults %q %q, want EUR and triangular", c.Currency, c.Distribution)
	}
}

func TestNormalizeNamesEachField(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *finance.Case)
		field  string
		msg    string // a part of the message
	}{
		{"low above high", func(c *finance.Case) { c.Benefits[1].Range = finance.Range{Low: 40000, Likely: 35000, High: 30000} },
			"benefits[1].low", "must not be above high (40,000 > 30,000)"},
		{"likely below low", func(c *finance.Case) { c.Running[0].Likely = 1000 },
			"running[0].likely", "must not be below low (1,000 < 12,000)"},
		{"likely above high", func(c *finance.Case) { c.OneOff[2].Likely = 25000.5 },
			"one_off[2].likely", "must not be above high (25,000.5 > 25,000)"},
		{"negative horizon", func(c *finance.Case) { c.HorizonYears = -2 }, "horizon_years", "must be between 1 and 30 years"},
		{"no horizon", func(c *finance.Case) { c.HorizonYears = 0 }, "horizon_years", "between 1 and 30"},
		{"horizon too long", func(c *finance.Case) { c.HorizonYears = 31 }, "horizon_years", "between 1 and 30"},
		{"discount as a percentage", func(c *finance.Case) { c.DiscountRate = 0.8 },
			"discount_rate", "must be between 0 and 0.5 (50 %); write 8 % as 0.08"},
		{"negative discount", func(c *finance.Case) { c.DiscountRate = -0.01 }, "discount_rate", "between 0 and 0.5"},
		{"discount NaN", func(c *finance.Case) { c.DiscountRate = math.NaN() }, "discount_rate", "between 0 and 0.5"},
		{"adoption above one", func(c *finance.Case) { c.Adoption = []float64{0.5, 1, 1.5} }, "adoption[2]", "between 0 and 1"},
		{"adoption negative", func(c *finance.Case) { c.Adoption = []float64{-0.1} }, "adoption[0]", "between 0 and 1"},
		{"adoption too long", func(c *finance.Case) { c.Adoption = make([]float64, 31) }, "adoption", "at most 30"},
		{"NaN amount", func(c *finance.Case) { c.Benefits[0].High = math.NaN() }, "benefits[0].high", "must be a number"},
		{"infinite amount", func(c *finance.Case) { c.Running[1].Low = math.Inf(-1) }, "running[1].low", "must be a number"},
		{"negative amount", func(c *finance.Case) { c.OneOff[0].Low = -5 }, "one_off[0].low", "must not be negative"},
		{"huge amount", func(c *finance.Case) { c.Benefits[0].High = 2e13 }, "benefits[0].high", "at most 10,000,000,000,000"},
		{"empty benefits", func(c *finance.Case) { c.Benefits = nil }, "benefits", "at least one"},
		{"too many lines", func(c *finance.Case) {
			for range 50 {
				c.Running = append(c.Running, fixed("more", 1))
			}
		}, "running", "at most 50 lines"},
		{"missing label", func(c *finance.Case) { c.OneOff[0].Label = "   " }, "one_off[0].label", "is required"},
		{"long label", func(c *finance.Case) { c.Benefits[3].Label = strings.Repeat("é", 201) }, "benefits[3].label", "at most 200"},
		{"unknown distribution", func(c *finance.Case) { c.Distribution = "normal" },
			"distribution", `must be triangular or pert, not "normal"`},
		{"too few trials", func(c *finance.Case) { c.Trials = 10 }, "trials", "between 100 and 200,000"},
		{"too many trials", func(c *finance.Case) { c.Trials = 1000000 }, "trials", "between 100 and 200,000"},
		{"bad currency", func(c *finance.Case) { c.Currency = "euro" }, "currency", "ISO 4217"},
		{"nothing costs anything", func(c *finance.Case) {
			c.OneOff = []finance.Line{spread("build", 0, 10, 20)}
			c.Running = nil
		}, "one_off", "cost more than zero"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := assistant(1)
			tt.change(&c)
			err := c.Normalize()
			if caio.ErrorCode(err) != caio.EINVALID {
				t.Fatalf("err = %v, want %s", err, caio.EINVALID)
			}
			fields := caio.ErrorFields(err)
			if len(fields) != 1 {
				t.Errorf("want one problem, got %+v", fields)
			}
			for _, f := range fields {
				if f.Field == tt.field && strings.Contains(f.Message, tt.msg) {
					return
				}
			}
			t.Errorf("no problem %q %q in %+v", tt.field, tt.msg, fields)
		})
	}
}

func TestNormalizeReportsEveryProblem(t *testing.T) {
	c := finance.Case{HorizonYears: 0, DiscountRate: 8, Distribution: "normal", Adoption: []float64{2},
		OneOff:   []finance.Line{{Label: "", Range: finance.Range{Low: 5, Likely: 4, High: 6}}},
		Benefits: []finance.Line{spread("saving", 3, 2, 1)}}
	fields := caio.ErrorFields(c.Normalize())
	want := []string{"horizon_years", "discount_rate", "one_off[0].label", "one_off[0].likely",
		"benefits[0].low", "adoption[0]", "distribution"}
	got := map[string]bool{}
	for _, f := range fields {
		got[f.Field] = true
	}
	for _, w := range want {
		if !got[w] {
			t.Errorf("no problem reported for %s in %+v", w, fields)
		}
	}
}

func TestExampleYAML(t *testing.T) {
	raw, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var c finance.Case
	if err := yaml.UnmarshalWithOptions(raw, &c, yaml.Strict()); err != nil {
		t.Fatal(err)
	}
	if err := c.Normalize(); err != nil {
		t.Fatal(err)
	}
	if c.Currency != "EUR" || len(c.OneOff) != 3 || len(c.Running) != 3 || len(c.Benefits) != 4 {
		t.Fatalf("read %+v", c)
	}
	if c.Benefits[0].Label != "Agent time saved drafting replies" || c.Benefits[0].Likely != 120000 {
		t.Errorf("first benefit read as %+v", c.Benefits[0])
	}

	// The NPV at the likely values, year by year as one would in a spreadsheet.
	oneOff := 80000.0 + 25000 + 15000
	running := 18000.0 + 24000 + 25000
	benefit := 120000.0 + 60000 + 10000 + 15000
	adoption := []float64{0.4, 0.75, 0.9, 0.9, 0.9}
	npv := -oneOff
	for y, a := range adoption {
		npv += (benefit*a - running) / math.Pow(1.08, float64(y+1))
	}
	r, err := finance.Simulate(c)
	if err != nil {
		t.Fatal(err)
	}
	if !near(r.Deterministic.NPV, npv) {
		t.Errorf("likely NPV %v, want %v", r.Deterministic.NPV, npv)
	}
	if r.Distribution != "pert" || r.Trials != 10000 || r.Seed != 42 {
		t.Errorf("settings %q %d %d", r.Distribution, r.Trials, r.Seed)
	}
	if !(r.NPV.P10 < r.NPV.P50 && r.NPV.P50 < r.NPV.P90) {
		t.Errorf("NPV band %+v", r.NPV)
	}
	// The likely case sits inside the simulated band.
	if npv < r.NPV.P10 || npv > r.NPV.P90 {
		t.Errorf("likely NPV %v outside P10–P90 %+v", npv, r.NPV)
	}
	if r.Deterministic.Payback == nil || r.Payback.P50 == nil {
		t.Errorf("the assistant should pay back within five years: %v, %v", r.Deterministic.Payback, r.Payback.P50)
	}
}
