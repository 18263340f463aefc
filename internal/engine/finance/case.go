package finance

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/caio-office/caio"
)

// Limits of a case. They keep every total finite and a simulation quick, and they
// are far beyond what a real business case needs.
const (
	MaxHorizonYears = 30     // the longest horizon, in years
	MaxDiscountRate = 0.5    // the highest annual discount rate (50 %)
	MaxLines        = 50     // the most lines in each of one_off, running and benefits
	MaxAmount       = 1e13   // the largest amount of one line
	MinTotalCost    = 0.01   // the smallest total cost at the low values, since ROI divides by it
	MinTrials       = 100    // the fewest trials a simulation may run
	MaxTrials       = 200000 // the most trials a simulation may run
	DefaultTrials   = 10000  // the trials run when a case says 0
	DefaultCurrency = "EUR"  // the currency when a case names none
	maxLabelRunes   = 200    // the longest label
)

// Distributions a case may name.
const (
	Triangular = "triangular" // straight lines from low up to likely and down to high
	PERT       = "pert"       // a beta distribution with shape parameter 4, weighted to likely
)

// Range is an uncertain yearly or one-off amount: low, most likely and high
// (low <= likely <= high, all >= 0).
type Range struct {
	Low    float64 `json:"low" yaml:"low"`
	Likely float64 `json:"likely" yaml:"likely"`
	High   float64 `json:"high" yaml:"high"`
}

// Line is a named cost or benefit. Its range is embedded so that JSON and YAML
// read it flat: {"label": "...", "low": 1, "likely": 2, "high": 3}.
type Line struct {
	Label string `json:"label" yaml:"label"`
	Range `yaml:",inline"`
}

// Case is the business case of one AI use case: its costs and benefits as ranges,
// the horizon and discount rate to judge them by, and the settings of the
// simulation. Call Normalize before using a case from outside.
type Case struct {
	// Currency is the ISO 4217 code of every amount; "EUR" when empty.
	Currency string `json:"currency" yaml:"currency"`
	// HorizonYears is how many years of running costs and benefits count, 1..30.
	HorizonYears int `json:"horizon_years" yaml:"horizon_years"`
	// DiscountRate is the annual rate as a fraction, 0..0.5 (0.08 is 8 %).
	DiscountRate float64 `json:"discount_rate" yaml:"discount_rate"`
	// OneOff are the costs paid once in year 0: building, buying, changing.
	OneOff []Line `json:"one_off" yaml:"one_off"`
	// Running are the costs paid every year 1..horizon: running, licences, people.
	Running []Line `json:"running" yaml:"running"`
	// Benefits are the yearly benefits at full adoption, in years 1..horizon.
	Benefits []Line `json:"benefits" yaml:"benefits"`
	// Adoption is the share of the benefits realised in year 1, 2, ...; later
	// years repeat the last share, entries beyond the horizon are ignored, and an
	// empty list means full adoption from year 1. Each share is 0..1.
	Adoption []float64 `json:"adoption" yaml:"adoption"`
	// Distribution is "triangular" (the default when empty) or "pert".
	Distribution string `json:"distribution" yaml:"distribution"`
	// Trials is the number of simulated trials, 100..200,000; 0 means 10,000.
	Trials int `json:"trials" yaml:"trials"`
	// Seed fixes the random stream: the same case and seed give the same result.
	Seed uint64 `json:"seed" yaml:"seed"`
}

// Normalize trims labels, upper-cases the currency, lower-cases the distribution
// and fills defaults (currency EUR, triangular distribution, 10,000 trials). It
// returns an EINVALID *caio.Error that names every field to fix with its path,
// such as "benefits[1].low", or nil when the case can be evaluated.
func (c *Case) Normalize() error {
	var v caio.Validation

	c.Currency = strings.ToUpper(strings.TrimSpace(c.Currency))
	if c.Currency == "" {
		c.Currency = DefaultCurrency
	}
	if !isCurrencyCode(c.Currency) {
		v.Add("currency", "must be three letters, an ISO 4217 code such as EUR or USD")
	}

	if c.HorizonYears < 1 || c.HorizonYears > MaxHorizonYears {
		v.Add("horizon_years", "must be between 1 and 30 years")
	}
	// The negated test also refuses NaN, which fails every comparison.
	if !(c.DiscountRate >= 0 && c.DiscountRate <= MaxDiscountRate) {
		v.Add("discount_rate", "must be between 0 and 0.5 (50 %); write 8 % as 0.08")
	}

	checkLines(&v, "one_off", c.OneOff)
	checkLines(&v, "running", c.Running)
	checkLines(&v, "benefits", c.Benefits)
	if len(c.Benefits) == 0 {
		v.Add("benefits", "must list at least one benefit")
	}
	// ROI divides by the total cost, so even the cheapest outcome must cost
	// something. The check only makes sense once every amount is valid.
	if linesValid(c.OneOff) && linesValid(c.Running) && c.HorizonYears >= 1 && c.HorizonYears <= MaxHorizonYears {
		low := 0.0
		for _, l := range c.OneOff {
			low += l.Low
		}
		for _, l := range c.Running {
			low += l.Low * float64(c.HorizonYears)
		}
		if low < MinTotalCost {
			v.Add("one_off", "and running must together cost more than zero at their low values, because ROI divides by the total cost")
		}
	}

	if len(c.Adoption) > MaxHorizonYears {
		v.Add("adoption", "must have at most 30 shares, one per year")
	} else {
		for i, a := range c.Adoption {
			if !(a >= 0 && a <= 1) {
				v.Add(fmt.Sprintf("adoption[%d]", i), "must be a share between 0 and 1 (write 40 % as 0.4)")
			}
		}
	}

	c.Distribution = strings.ToLower(strings.TrimSpace(c.Distribution))
	switch c.Distribution {
	case "":
		c.Distribution = Triangular
	case Triangular, PERT:
	default:
		v.Add("distribution", fmt.Sprintf("must be triangular or pert, not %q", shorten(c.Distribution, 40)))
	}

	if c.Trials == 0 {
		c.Trials = DefaultTrials
	} else if c.Trials < MinTrials || c.Trials > MaxTrials {
		v.Add("trials", "must be between 100 and 200,000 (or 0 for the default of 10,000)")
	}
	return v.Err()
}

// checkLines trims the labels of one list and reports every bad line by its path.
func checkLines(v *caio.Validation, list string, lines []Line) {
	if len(lines) > MaxLines {
		v.Add(list, fmt.Sprintf("must have at most %d lines, not %d", MaxLines, len(lines)))
	}
	for i := range lines {
		l := &lines[i]
		path := fmt.Sprintf("%s[%d]", list, i)
		l.Label = strings.TrimSpace(l.Label)
		if l.Label == "" {
			v.Add(path+".label", "is required")
		} else if utf8.RuneCountInString(l.Label) > maxLabelRunes {
			v.Add(path+".label", "must be at most 200 characters")
		}
		ok := true
		for _, f := range []struct {
			name string
			val  float64
		}{{"low", l.Low}, {"likely", l.Likely}, {"high", l.High}} {
			if msg := amountProblem(f.val); msg != "" {
				v.Add(path+"."+f.name, msg)
				ok = false
			}
		}
		if !ok {
			continue
		}
		// Order is judged only between valid amounts, and a likely value is only
		// judged once low and high agree, so one mistake gives one message.
		if l.Low > l.High {
			v.Add(path+".low", fmt.Sprintf("must not be above high (%s > %s)", formatAmount(l.Low), formatAmount(l.High)))
		} else if l.Likely < l.Low {
			v.Add(path+".likely", fmt.Sprintf("must not be below low (%s < %s)", formatAmount(l.Likely), formatAmount(l.Low)))
		} else if l.Likely > l.High {
			v.Add(path+".likely", fmt.Sprintf("must not be above high (%s > %s)", formatAmount(l.Likely), formatAmount(l.High)))
		}
	}
}

// amountProblem says what is wrong with one amount, or "" when it is fine.
func amountProblem(x float64) string {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 0):
		return "must be a number"
	case x < 0:
		return "must not be negative"
	case x > MaxAmount:
		return "must be at most 10,000,000,000,000"
	}
	return ""
}

// linesValid reports whether every amount of every line is a valid number.
func linesValid(lines []Line) bool {
	for _, l := range lines {
		if amountProblem(l.Low) != "" || amountProblem(l.Likely) != "" || amountProblem(l.High) != "" {
			return false
		}
	}
	return true
}

// isCurrencyCode reports whether s is three letters A to Z.
func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range len(s) {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// shorten cuts s to at most n runes, so a message never echoes a long input.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// formatAmount writes x with thousands separators, as a user would type it:
// 40000 becomes "40,000" and 1234.5 becomes "1,234.5".
func formatAmount(x float64) string {
	s := strconv.FormatFloat(x, 'f', -1, 64)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	b.WriteString(sign)
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// clone returns a copy of c whose slices do not share memory with c, so that
// normalising the copy leaves the caller's case untouched.
func (c Case) clone() Case {
	c.OneOff = append([]Line(nil), c.OneOff...)
	c.Running = append([]Line(nil), c.Running...)
	c.Benefits = append([]Line(nil), c.Benefits...)
	c.Adoption = append([]float64(nil), c.Adoption...)
	return c
}
