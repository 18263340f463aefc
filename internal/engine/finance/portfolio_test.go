package finance_test

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/finance"
)

func TestPortfolio(t *testing.T) {
	var cases []finance.Case
	for i := range 12 {
		c := assistant(uint64(i))
		c.Trials = 500
		c.Benefits[0].Likely = 100000 + float64(i)*5000 // each case its own result
		switch i {
		case 4:
			c.HorizonYears = 0
		case 9:
			c.Distribution = "normal"
		}
		cases = append(cases, c)
	}
	results, errs := finance.Portfolio(cases)
	if len(results) != len(cases) || len(errs) != len(cases) {
		t.Fatalf("%d results and %d errors for %d cases", len(results), len(errs), len(cases))
	}
	for i, c := range cases {
		want, wantErr := finance.Simulate(c)
		if (errs[i] == nil) != (wantErr == nil) {
			t.Errorf("case %d: error %v, want %v", i, errs[i], wantErr)
			continue
		}
		if wantErr != nil {
			if caio.ErrorCode(errs[i]) != caio.EINVALID {
				t.Errorf("case %d: error %v, want invalid", i, errs[i])
			}
			continue
		}
		if !reflect.DeepEqual(results[i], want) {
			t.Errorf("case %d: portfolio result differs from simulating it alone", i)
		}
	}
	if errs[4] == nil || errs[9] == nil || errs[3] != nil {
		t.Errorf("errors in the wrong places: %v", errs)
	}
	if results, errs := finance.Portfolio(nil); len(results) != 0 || len(errs) != 0 {
		t.Error("an empty portfolio gave results")
	}
}

// FuzzSimulate feeds arbitrary JSON cases to Simulate: it must never panic, and
// it must either refuse the case or return finite figures.
func FuzzSimulate(f *testing.F) {
	seed, _ := json.Marshal(assistant(1))
	f.Add(seed)
	f.Add([]byte(`{"horizon_years":1,"one_off":[{"label":"a","low":1,"likely":1,"high":1}],"benefits":[{"label":"b","low":0,"likely":0,"high":0}]}`))
	f.Add([]byte(`{"horizon_years":30,"discount_rate":0.5,"distribution":"pert","adoption":[0,0.1,1],"running":[{"label":"a","low":1e13,"likely":1e13,"high":1e13}],"benefits":[{"label":"b","low":0,"likely":5e-324,"high":1e13}]}`))
	f.Add([]byte(`{"horizon_years":2,"one_off":[{"label":"a","low":0.01,"likely":0.01,"high":0.02}],"benefits":[{"label":"b","low":1e13,"likely":1e13,"high":1e13}],"trials":100}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c finance.Case
		if json.Unmarshal(data, &c) != nil {
			return
		}
		// Keep each run quick: the fuzzer is after odd inputs, not many trials.
		if c.Trials < 0 || c.Trials > 300 {
			c.Trials = 100 + int(uint(c.Trials)%200)
		} else if c.Trials == 0 {
			c.Trials = 100
		}
		r, err := finance.Simulate(c)
		if err != nil {
			if caio.ErrorCode(err) != caio.EINVALID || len(caio.ErrorFields(err)) == 0 {
				t.Fatalf("error %v is not a validation error naming fields", err)
			}
			return
		}
		for _, p := range []finance.Percentiles{r.NPV, r.ROI} {
			if !isFinite(p.P10, p.P50, p.P90) || p.P10 > p.P50 || p.P50 > p.P90 {
				t.Fatalf("percentiles %+v", p)
			}
		}
		for _, p := range []*float64{r.Payback.P10, r.Payback.P50, r.Payback.P90, r.Deterministic.Payback} {
			if p != nil && (!isFinite(*p) || *p < 0 || *p > float64(c.HorizonYears)) {
				t.Fatalf("payback %v", *p)
			}
		}
		if !isFinite(r.MeanNPV, r.ProbLoss, r.Deterministic.NPV, r.Deterministic.ROI) || r.ProbLoss < 0 || r.ProbLoss > 1 {
			t.Fatalf("mean %v, loss %v, deterministic %+v", r.MeanNPV, r.ProbLoss, r.Deterministic)
		}
		for _, p := range r.BenefitByYear {
			if !isFinite(p.P10, p.P50, p.P90) {
				t.Fatalf("benefit band %+v", p)
			}
		}
		n := 0
		for _, b := range r.Histogram {
			n += b.Count
		}
		if n != r.Trials {
			t.Fatalf("histogram holds %d of %d trials", n, r.Trials)
		}
		if _, err := json.Marshal(r); err != nil {
			t.Fatalf("result cannot be written as JSON: %v", err)
		}
	})
}

func isFinite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
