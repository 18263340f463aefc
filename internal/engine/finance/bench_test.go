package finance_test

import (
	"testing"

	"github.com/caio-office/caio/internal/engine/finance"
)

// BenchmarkSimulate10k is one realistic case (3 one-off, 3 running and 4 benefit
// lines over 5 years, PERT) at 10,000 trials. Budget: 20 ms.
func BenchmarkSimulate10k(b *testing.B) {
	for _, dist := range []string{"pert", "triangular"} {
		b.Run(dist, func(b *testing.B) {
			c := assistant(1)
			c.Distribution = dist
			b.ReportAllocs()
			for b.Loop() {
				if _, err := finance.Simulate(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPortfolio1000 is 1,000 such cases at 10,000 trials each on all
// cores. Budget: 5 s on 2 cores.
func BenchmarkPortfolio1000(b *testing.B) {
	cases := make([]finance.Case, 1000)
	for i := range cases {
		cases[i] = assistant(uint64(i))
	}
	b.ReportAllocs()
	for b.Loop() {
		_, errs := finance.Portfolio(cases)
		for _, err := range errs {
			if err != nil {
				b.Fatal(err)
			}
		}
	}
}
