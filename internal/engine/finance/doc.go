// Package finance computes the business case of an AI use case: what it costs,
// what it brings, and how sure we can be of either.
//
// A Case lists one-off costs (year 0), running costs (every year of the horizon)
// and yearly benefits at full adoption, each as a Range of low, most likely and
// high amounts, plus an adoption ramp that says which share of the benefits is
// realised in each year. Deterministic evaluates the case at the most likely
// amounts: net present value, return on investment and payback time, with one row
// per year. Simulate runs a Monte Carlo simulation over the ranges and reports
// the spread of those figures (10th, 50th and 90th percentiles), the probability
// of a loss, a histogram of the NPV, and the expected band of realised benefit per
// year, against which actual figures can be compared later. Portfolio simulates
// many cases on all cores.
//
// The method, in full:
//   - Year 0 holds the one-off costs, undiscounted. Years 1..horizon hold the
//     running costs and the benefits times that year's adoption share, discounted
//     at the end of the year: a flow in year t is divided by (1+r)^t.
//   - ROI is (total benefits − total costs) / total costs over the horizon,
//     undiscounted. Payback is the time, in fractional years, from which the
//     cumulative undiscounted net stays at or above zero, interpolated linearly
//     within the year where it turns; it is absent when the cumulative net is
//     still negative at the end of the horizon, so a payback exists exactly when
//     ROI is not negative.
//   - Each trial draws every line once, from a triangular distribution or from a
//     PERT distribution (a beta distribution with shape parameter 4, which puts
//     more weight near the most likely value), and keeps that draw for every year.
//     The simulation therefore expresses uncertainty about the level of each
//     amount, not noise from one year to the next.
//   - Percentiles interpolate linearly between the two nearest sorted values
//     (Hyndman and Fan's type 7, the default of numpy and R).
//   - A seed fixes the random stream (PCG), so the same case with the same seed
//     gives the same result on every machine.
//
// Simplifications a reader should know about: amounts are in today's money (use a
// real discount rate, or a nominal one with amounts that already include
// inflation); there are no taxes, depreciation or residual value; lines are drawn
// independently of each other, so correlated risks (a slow roll-out that both
// delays benefits and raises costs) are not modelled and the spread of the totals
// is narrower than it would be with correlation; adoption scales benefits only,
// not costs; and the adoption ramp itself is taken as certain.
//
// The package is a pure engine: no database, clock or I/O.
package finance
