package finance

import "math"

// Year is one row of the deterministic cash flow. Year 0 holds the one-off costs;
// years 1..horizon hold running costs and benefits after adoption.
type Year struct {
	Year int `json:"year"`
	// Benefit is the benefit realised in the year, after adoption.
	Benefit float64 `json:"benefit"`
	// Cost is the one-off costs in year 0 and the running costs afterwards.
	Cost float64 `json:"cost"`
	// Net is Benefit minus Cost.
	Net float64 `json:"net"`
	// Cumulative is the undiscounted sum of Net up to and including the year.
	Cumulative float64 `json:"cumulative"`
	// Discounted is Net divided by (1+r)^year.
	Discounted float64 `json:"discounted"`
}

// Summary is the business case at its most likely amounts.
type Summary struct {
	// NPV is the net present value: year-0 one-offs undiscounted, later years
	// divided by (1+r)^t.
	NPV float64 `json:"npv"`
	// ROI is (TotalBenefit − TotalCost) / TotalCost, undiscounted; 0.25 is 25 %.
	ROI float64 `json:"roi"`
	// Payback is the time in years from which the cumulative undiscounted net
	// stays at or above zero, or nil when it is still negative at the horizon.
	Payback *float64 `json:"payback_years"`
	// TotalBenefit is the undiscounted benefit over the horizon, after adoption.
	TotalBenefit float64 `json:"total_benefit"`
	// TotalCost is the undiscounted one-off and running cost over the horizon.
	TotalCost float64 `json:"total_cost"`
	// Years has one row for year 0 and one for each year of the horizon.
	Years []Year `json:"years"`
}

// model holds what every evaluation of a case shares: the horizon, the discount
// factor and adoption share of each year, and their sums. It is computed once per
// case, so that one trial costs a handful of multiplications and one short loop.
type model struct {
	horizon  int
	discount [MaxHorizonYears + 1]float64 // 1/(1+r)^t, index 0 is year 0
	adopt    [MaxHorizonYears + 1]float64 // adoption share, index 0 unused
	// benefitPV turns a yearly benefit at full adoption into its present value
	// over the horizon; costPV does the same for a yearly running cost.
	benefitPV, costPV float64
	// adoptTotal turns a yearly benefit at full adoption into its undiscounted
	// total over the horizon.
	adoptTotal float64
}

// newModel prepares c for evaluation. A case that did not pass Normalize is
// evaluated as far as it makes sense: the horizon is held to 0..30 years.
func newModel(c *Case) *model {
	m := &model{horizon: min(max(c.HorizonYears, 0), MaxHorizonYears)}
	m.discount[0] = 1
	for t := 1; t <= m.horizon; t++ {
		m.discount[t] = math.Pow(1+c.DiscountRate, -float64(t))
		m.adopt[t] = 1
		if n := len(c.Adoption); n > 0 {
			m.adopt[t] = c.Adoption[min(t, n)-1]
		}
		m.benefitPV += m.adopt[t] * m.discount[t]
		m.costPV += m.discount[t]
		m.adoptTotal += m.adopt[t]
	}
	return m
}

// evaluate returns the NPV, ROI and payback of one outcome: the total one-off
// cost, the total yearly running cost and the total yearly benefit at full
// adoption. A case that never pays back within the horizon has payback +Inf.
// Deterministic and every simulated trial go through this one function, so a
// simulation without uncertainty reproduces the deterministic figures exactly.
func (m *model) evaluate(oneOff, running, benefit float64) (npv, roi, payback float64) {
	npv = -oneOff + benefit*m.benefitPV - running*m.costPV
	totalCost := oneOff + running*float64(m.horizon)
	if totalCost > 0 {
		roi = (benefit*m.adoptTotal - totalCost) / totalCost
	}

	// Payback is where the cumulative net last turns from negative to
	// non-negative; a case in debt at the horizon never paid back, and one never
	// in debt paid back at once.
	cum := -oneOff
	payback = 0
	for t := 1; t <= m.horizon; t++ {
		prev := cum
		cum += benefit*m.adopt[t] - running
		if prev < 0 && cum >= 0 {
			payback = float64(t-1) + (-prev)/(cum-prev)
		}
	}
	if cum < 0 {
		payback = math.Inf(1)
	}
	return npv, roi, payback
}

// Deterministic evaluates c at the likely value of every line. It expects a case
// that passed Normalize; given another, it still returns without failing (a
// horizon outside 0..30 is held within it, and ROI is 0 when nothing costs).
func Deterministic(c Case) Summary {
	m := newModel(&c)
	oneOff, running, benefit := likelySum(c.OneOff), likelySum(c.Running), likelySum(c.Benefits)
	npv, roi, payback := m.evaluate(oneOff, running, benefit)
	s := Summary{
		NPV:          npv,
		ROI:          roi,
		Payback:      finite(payback),
		TotalBenefit: benefit * m.adoptTotal,
		TotalCost:    oneOff + running*float64(m.horizon),
		Years:        make([]Year, m.horizon+1),
	}
	s.Years[0] = Year{Year: 0, Cost: oneOff, Net: -oneOff, Cumulative: -oneOff, Discounted: -oneOff}
	for t := 1; t <= m.horizon; t++ {
		b := benefit * m.adopt[t]
		net := b - running
		s.Years[t] = Year{
			Year:       t,
			Benefit:    b,
			Cost:       running,
			Net:        net,
			Cumulative: s.Years[t-1].Cumulative + net,
			Discounted: net * m.discount[t],
		}
	}
	return s
}

// likelySum adds the likely values of lines, in order.
func likelySum(lines []Line) float64 {
	s := 0.0
	for _, l := range lines {
		s += l.Likely
	}
	return s
}

// finite returns a pointer to x, or nil when x is infinite (never paid back).
func finite(x float64) *float64 {
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return nil
	}
	return &x
}
