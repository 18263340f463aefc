package finance

import (
	"math"
	"slices"
	"testing"
)

// The percentile method is documented as linear interpolation between the
// nearest ranks (type 7); these are the textbook values for 1..10.
func TestPercentiles(t *testing.T) {
	xs := []float64{7, 3, 10, 1, 5, 9, 2, 8, 6, 4}
	if got, want := percentiles(xs), (Percentiles{1.9, 5.5, 9.1}); !closeTo(got, want) {
		t.Errorf("percentiles of 1..10 = %+v, want %+v", got, want)
	}
	if got := percentiles([]float64{7}); got != (Percentiles{7, 7, 7}) {
		t.Errorf("percentiles of one value = %+v", got)
	}
	// Trials that never pay back count as +Inf; a percentile that reaches into
	// them is +Inf, never NaN.
	inf := math.Inf(1)
	got := percentiles([]float64{inf, 2, inf, 1})
	if math.Abs(got.P10-1.3) > 1e-12 || !math.IsInf(got.P50, 1) || !math.IsInf(got.P90, 1) {
		t.Errorf("percentiles of 1, 2, +Inf, +Inf = %+v, want 1.3, +Inf, +Inf", got)
	}
}

// Partitioning must agree with sorting on every kind of input: random, many
// equal values, already sorted, reversed, and with +Inf.
func TestPercentilesMatchSorting(t *testing.T) {
	rng := newRand(3)
	for n := 1; n < 400; n += 7 {
		for kind := range 5 {
			xs := make([]float64, n)
			for i := range xs {
				switch kind {
				case 0:
					xs[i] = rng.NormFloat64()
				case 1:
					xs[i] = float64(rng.IntN(3))
				case 2:
					xs[i] = float64(i)
				case 3:
					xs[i] = float64(n - i)
				case 4:
					xs[i] = rng.Float64()
					if rng.IntN(4) == 0 {
						xs[i] = math.Inf(1)
					}
				}
			}
			sorted := slices.Clone(xs)
			slices.Sort(sorted)
			want := Percentiles{typeSeven(sorted, 0.1), typeSeven(sorted, 0.5), typeSeven(sorted, 0.9)}
			if got := percentiles(xs); !closeTo(got, want) {
				t.Errorf("n=%d kind=%d: %+v, want %+v", n, kind, got, want)
			}
		}
	}
}

// typeSeven is the textbook definition on sorted values.
func typeSeven(sorted []float64, p float64) float64 {
	h := p * float64(len(sorted)-1)
	i := int(math.Floor(h))
	if i+1 >= len(sorted) || h == float64(i) {
		return sorted[i]
	}
	if math.IsInf(sorted[i+1], 1) {
		return sorted[i+1]
	}
	return sorted[i] + (h-float64(i))*(sorted[i+1]-sorted[i])
}

func closeTo(a, b Percentiles) bool {
	for _, p := range [][2]float64{{a.P10, b.P10}, {a.P50, b.P50}, {a.P90, b.P90}} {
		if p[0] != p[1] && math.Abs(p[0]-p[1]) > 1e-12 {
			return false
		}
	}
	return true
}

// Draws stay within [low, high] even for ranges whose width is a few ulps.
func TestSamplerTinyRanges(t *testing.T) {
	for _, pert := range []bool{false, true} {
		for _, r := range []Range{{1, 1, math.Nextafter(1, 2)}, {0, 5e-324, 1e-323}, {1e13 - 0.001, 1e13, 1e13}} {
			ss := newSamplers([]Line{{Label: "x", Range: r}}, pert)
			rng := newRand(9)
			for range 10000 {
				x := ss[0].draw(rng)
				if x < r.Low || x > r.High || math.IsNaN(x) {
					t.Fatalf("pert=%v %+v drew %v", pert, r, x)
				}
			}
		}
	}
}
