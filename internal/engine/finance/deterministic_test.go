package finance_test

import (
	"math"
	"testing"

	"github.com/caio-office/caio/internal/engine/finance"
)

// fixed is a line whose amount is certain.
func fixed(label string, x float64) finance.Line {
	return finance.Line{Label: label, Range: finance.Range{Low: x, Likely: x, High: x}}
}

// spread is a line with an uncertain amount.
func spread(label string, low, likely, high float64) finance.Line {
	return finance.Line{Label: label, Range: finance.Range{Low: low, Likely: likely, High: high}}
}

func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-9*math.Max(1, math.Abs(want))
}

func TestDeterministicByHand(t *testing.T) {
	tests := []struct {
		name    string
		c       finance.Case
		npv     float64
		roi     float64
		payback float64 // -1 when the case never pays back
		benefit float64
		cost    float64
	}{{
		// -100 + 60/1.1 + 60/1.21 = -100 + 54.5454… + 49.5867… = 4.1322…
		name: "one-off 100, benefit 60 a year, two years at 10 %",
		c: finance.Case{HorizonYears: 2, DiscountRate: 0.1,
			OneOff:   []finance.Line{fixed("build", 100)},
			Benefits: []finance.Line{fixed("time saved", 60)}},
		npv: -100 + 60/1.1 + 60/1.21, roi: (120 - 100) / 100.0,
		// Cumulative -100, -40, +20: it turns in year 2 after 40/60 of the year.
		payback: 1 + 40.0/60, benefit: 120, cost: 100,
	}, {
		// Net 30 a year: -50 + 30/1.05 + 30/1.05² + 30/1.05³.
		name: "running costs reduce each year's benefit",
		c: finance.Case{HorizonYears: 3, DiscountRate: 0.05,
			OneOff:   []finance.Line{fixed("build", 30), fixed("train", 20)},
			Running:  []finance.Line{fixed("licence", 6), fixed("hosting", 4)},
			Benefits: []finance.Line{fixed("a", 25), fixed("b", 15)}},
		npv: -50 + 30/1.05 + 30/(1.05*1.05) + 30/(1.05*1.05*1.05), roi: (120 - 80) / 80.0,
		payback: 1 + 20.0/30, benefit: 120, cost: 80,
	}, {
		name: "pays back exactly at the end of year 2",
		c: finance.Case{HorizonYears: 2,
			OneOff:   []finance.Line{fixed("build", 100)},
			Benefits: []finance.Line{fixed("saving", 50)}},
		npv: 0, roi: 0, payback: 2, benefit: 100, cost: 100,
	}, {
		name: "never pays back within the horizon",
		c: finance.Case{HorizonYears: 3, DiscountRate: 0.08,
			OneOff:   []finance.Line{fixed("build", 1000)},
			Benefits: []finance.Line{fixed("saving", 100)}},
		npv: -1000 + 100/1.08 + 100/(1.08*1.08) + 100/(1.08*1.08*1.08), roi: (300 - 1000) / 1000.0,
		payback: -1, benefit: 300, cost: 1000,
	}, {
		name: "no up-front cost and profitable every year pays back at once",
		c: finance.Case{HorizonYears: 2,
			Running:  []finance.Line{fixed("licence", 10)},
			Benefits: []finance.Line{fixed("saving", 20)}},
		npv: 20, roi: 1, payback: 0, benefit: 40, cost: 20,
	}, {
		// Adoption 25 %, then 50 % for the remaining years: benefits 25, 50, 50, 50.
		// Cumulative -100, -75, -25, +25, +75: it turns halfway through year 3.
		name: "adoption ramp",
		c: finance.Case{HorizonYears: 4, Adoption: []float64{0.25, 0.5},
			OneOff:   []finance.Line{fixed("build", 100)},
			Benefits: []finance.Line{fixed("saving", 100)}},
		npv: 75, roi: 0.75, payback: 2.5, benefit: 175, cost: 100,
	}, {
		// Cumulative -50, +40, +30, ..., -50: in the black after year 1, but back
		// in debt at the end, so there is no payback to speak of.
		name: "benefit that stops is not a payback",
		c: finance.Case{HorizonYears: 10, Adoption: []float64{1, 0},
			OneOff:   []finance.Line{fixed("build", 50)},
			Running:  []finance.Line{fixed("run", 10)},
			Benefits: []finance.Line{fixed("one-year saving", 100)}},
		npv: -50, roi: (100 - 150) / 150.0, payback: -1, benefit: 100, cost: 150,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.c.Normalize(); err != nil {
				t.Fatal(err)
			}
			s := finance.Deterministic(tt.c)
			if !near(s.NPV, tt.npv) {
				t.Errorf("NPV = %v, want %v", s.NPV, tt.npv)
			}
			if !near(s.ROI, tt.roi) {
				t.Errorf("ROI = %v, want %v", s.ROI, tt.roi)
			}
			switch {
			case tt.payback < 0 && s.Payback != nil:
				t.Errorf("payback = %v, want none", *s.Payback)
			case tt.payback >= 0 && s.Payback == nil:
				t.Errorf("payback = none, want %v", tt.payback)
			case tt.payback >= 0 && !near(*s.Payback, tt.payback):
				t.Errorf("payback = %v, want %v", *s.Payback, tt.payback)
			}
			if !near(s.TotalBenefit, tt.benefit) || !near(s.TotalCost, tt.cost) {
				t.Errorf("totals = %v benefit, %v cost; want %v, %v", s.TotalBenefit, s.TotalCost, tt.benefit, tt.cost)
			}
			// The rows must add up to the summary, as in a spreadsheet.
			if len(s.Years) != tt.c.HorizonYears+1 {
				t.Fatalf("%d rows, want year 0 and %d years", len(s.Years), tt.c.HorizonYears)
			}
			sumDisc, sumBen, sumCost := 0.0, 0.0, 0.0
			for i, y := range s.Years {
				if y.Year != i || !near(y.Net, y.Benefit-y.Cost) {
					t.Errorf("row %d = %+v", i, y)
				}
				sumDisc += y.Discounted
				sumBen += y.Benefit
				sumCost += y.Cost
			}
			if !near(sumDisc, s.NPV) || !near(sumBen, s.TotalBenefit) || !near(sumCost, s.TotalCost) {
				t.Errorf("rows add to NPV %v, benefit %v, cost %v; summary says %v, %v, %v",
					sumDisc, sumBen, sumCost, s.NPV, s.TotalBenefit, s.TotalCost)
			}
			if last := s.Years[len(s.Years)-1].Cumulative; !near(last, s.TotalBenefit-s.TotalCost) {
				t.Errorf("final cumulative %v, want %v", last, s.TotalBenefit-s.TotalCost)
			}
		})
	}
}

func TestDeterministicStopBenefitNPV(t *testing.T) {
	// The stopped benefit at 0 %: -50 + 90/1.1 - Σ_{t=2..10} 10/1.1^t.
	c := finance.Case{HorizonYears: 10, DiscountRate: 0.1, Adoption: []float64{1, 0},
		OneOff:   []finance.Line{fixed("build", 50)},
		Running:  []finance.Line{fixed("run", 10)},
		Benefits: []finance.Line{fixed("one-year saving", 100)}}
	want := -50 + 90/1.1
	for t := 2; t <= 10; t++ {
		want -= 10 / math.Pow(1.1, float64(t))
	}
	if got := finance.Deterministic(c).NPV; !near(got, want) {
		t.Errorf("NPV = %v, want %v", got, want)
	}
}

func TestDeterministicAdoptionRows(t *testing.T) {
	c := finance.Case{HorizonYears: 5, DiscountRate: 0.1, Adoption: []float64{0.2, 0.6, 0.9},
		OneOff:   []finance.Line{fixed("build", 100)},
		Running:  []finance.Line{fixed("run", 5)},
		Benefits: []finance.Line{fixed("a", 60), fixed("b", 40)}}
	s := finance.Deterministic(c)
	wantBenefit := []float64{0, 20, 60, 90, 90, 90} // the last share repeats
	cum := 0.0
	for i, y := range s.Years {
		cost := 5.0
		if i == 0 {
			cost = 100
		}
		cum += wantBenefit[i] - cost
		disc := (wantBenefit[i] - cost) / math.Pow(1.1, float64(i))
		if !near(y.Benefit, wantBenefit[i]) || !near(y.Cost, cost) || !near(y.Cumulative, cum) || !near(y.Discounted, disc) {
			t.Errorf("year %d = %+v, want benefit %v cost %v cumulative %v discounted %v", i, y, wantBenefit[i], cost, cum, disc)
		}
	}
}

func TestDeterministicOutsideLimitsDoesNotFail(t *testing.T) {
	// Deterministic has no error to return; a case that skipped Normalize must
	// still give an answer of the right shape rather than a panic.
	for _, c := range []finance.Case{
		{},
		{HorizonYears: -3},
		{HorizonYears: 1000, Benefits: []finance.Line{fixed("x", 1)}},
		{HorizonYears: 2, Adoption: []float64{0.5}},
	} {
		s := finance.Deterministic(c)
		if len(s.Years) < 1 || len(s.Years) > finance.MaxHorizonYears+1 {
			t.Errorf("%+v: %d rows", c, len(s.Years))
		}
	}
}
