package finance

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
)

// pcgStream is the second word of the PCG state. It is a fixed constant so that
// the seed alone decides the random stream; changing it changes every result.
const pcgStream = 0x6361696f2d66696e // "caio-fin"

// histogramBins is the number of equal-width bins of the NPV histogram.
const histogramBins = 30

// Percentiles are the 10th, 50th and 90th percentiles of a simulated figure.
type Percentiles struct {
	P10 float64 `json:"p10"`
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
}

// MaybePercentiles are percentiles of a figure that may not exist in a trial,
// such as the payback time of a trial that never pays back. Such trials count
// as later than any that does, and a percentile that falls among them is nil:
// a nil P90 means that more than about a tenth of the trials did not pay back
// within the horizon, a nil P50 that about half did not.
type MaybePercentiles struct {
	P10 *float64 `json:"p10"`
	P50 *float64 `json:"p50"`
	P90 *float64 `json:"p90"`
}

// Bin is one bar of a histogram: Count trials had a value in [From, To); the
// last bin also holds its upper edge.
type Bin struct {
	From  float64 `json:"from"`
	To    float64 `json:"to"`
	Count int     `json:"count"`
}

// Result is the outcome of simulating a case.
type Result struct {
	// Trials, Seed and Distribution are the settings used, after defaults.
	Trials       int    `json:"trials"`
	Seed         uint64 `json:"seed"`
	Distribution string `json:"distribution"`
	// NPV and ROI are the percentiles of the net present value and of the ROI.
	NPV Percentiles `json:"npv"`
	ROI Percentiles `json:"roi"`
	// Payback holds the percentiles of the payback time in years; a trial that
	// never pays back counts as later than any that does.
	Payback MaybePercentiles `json:"payback_years"`
	// MeanNPV is the average NPV over the trials.
	MeanNPV float64 `json:"mean_npv"`
	// ProbLoss is the share of trials with a negative NPV.
	ProbLoss float64 `json:"prob_loss"`
	// Histogram has 30 equal bins of the NPV between its smallest and largest
	// value, or one bin when every trial gave the same NPV.
	Histogram []Bin `json:"histogram"`
	// BenefitByYear holds, for each year 1..horizon (index 0 is year 1), the
	// percentiles of the benefit realised in that year after adoption: the band
	// that actual figures can be compared against later.
	BenefitByYear []Percentiles `json:"benefit_by_year"`
	// Deterministic is the case at its most likely amounts.
	Deterministic Summary `json:"deterministic"`
}

// Simulate runs c.Trials trials of the case. Each trial draws every line once
// from its distribution and keeps that draw for all years, so the spread shows
// uncertainty about the level of each amount, not noise between years. c is
// normalised on a copy first; Simulate returns its validation error, if any.
// The same case and seed always give the same result.
func Simulate(c Case) (Result, error) {
	var s scratch
	return simulate(c, &s)
}

// Portfolio simulates every case, on runtime.GOMAXPROCS(0) workers at once. The
// results and errors are in the order of cases: errs[i] is the validation error
// of cases[i], and results[i] is its result when errs[i] is nil.
func Portfolio(cases []Case) ([]Result, []error) {
	results := make([]Result, len(cases))
	errs := make([]error, len(cases))
	workers := min(runtime.GOMAXPROCS(0), len(cases))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			// Each worker keeps its trial buffers from one case to the next.
			var s scratch
			for {
				i := int(next.Add(1) - 1)
				if i >= len(cases) {
					return
				}
				results[i], errs[i] = simulate(cases[i], &s)
			}
		})
	}
	wg.Wait()
	return results, errs
}

// scratch holds the per-trial figures of one simulation. Portfolio reuses it
// between cases so that a thousand cases do not allocate a thousand sets.
type scratch struct {
	npv, roi, payback, benefit []float64
}

// grow makes every buffer n long, reusing the memory it already has.
func (s *scratch) grow(n int) {
	for _, p := range []*[]float64{&s.npv, &s.roi, &s.payback, &s.benefit} {
		*p = slices.Grow((*p)[:0], n)[:n]
	}
}

// simulate is Simulate with trial buffers that the caller may reuse.
func simulate(in Case, s *scratch) (Result, error) {
	c := in.clone()
	if err := c.Normalize(); err != nil {
		return Result{}, err
	}
	m := newModel(&c)
	pert := c.Distribution == PERT
	oneOff := newSamplers(c.OneOff, pert)
	running := newSamplers(c.Running, pert)
	benefits := newSamplers(c.Benefits, pert)

	rng := newRand(c.Seed)
	n := c.Trials
	s.grow(n)
	sumNPV, losses := 0.0, 0
	for i := range n {
		o := drawSum(oneOff, rng)
		r := drawSum(running, rng)
		b := drawSum(benefits, rng)
		npv, roi, payback := m.evaluate(o, r, b)
		s.npv[i], s.roi[i], s.payback[i], s.benefit[i] = npv, roi, payback, b
		sumNPV += npv
		if npv < 0 {
			losses++
		}
	}

	res := Result{
		Trials:        n,
		Seed:          c.Seed,
		Distribution:  c.Distribution,
		MeanNPV:       sumNPV / float64(n),
		ProbLoss:      float64(losses) / float64(n),
		Deterministic: Deterministic(c),
	}
	// The histogram only needs the smallest and largest NPV, and each
	// percentile only its two neighbouring order statistics, so the trials are
	// partitioned around those rather than sorted: for 10,000 trials that is
	// several times faster than four sorts.
	res.Histogram = histogram(s.npv)
	res.NPV = percentiles(s.npv)
	res.ROI = percentiles(s.roi)
	pb := percentiles(s.payback)
	res.Payback = MaybePercentiles{P10: finite(pb.P10), P50: finite(pb.P50), P90: finite(pb.P90)}
	// The benefit of year t is the drawn benefit times a fixed adoption share,
	// and scaling by a share >= 0 keeps the order of the trials, so the
	// percentiles of each year are the percentiles of the drawn benefit scaled.
	b := percentiles(s.benefit)
	res.BenefitByYear = make([]Percentiles, m.horizon)
	for t := 1; t <= m.horizon; t++ {
		a := m.adopt[t]
		res.BenefitByYear[t-1] = Percentiles{P10: b.P10 * a, P50: b.P50 * a, P90: b.P90 * a}
	}
	return res, nil
}

// newRand returns the random stream of a seed.
func newRand(seed uint64) *rand.Rand {
	return rand.New(rand.NewPCG(seed, pcgStream))
}

// percentiles returns the 10th, 50th and 90th percentiles of xs, reordering xs.
func percentiles(xs []float64) Percentiles {
	// Each percentile leaves everything after its rank no smaller, so the next,
	// higher percentile is searched for only there.
	var p Percentiles
	from := 0
	p.P10, from = quantile(xs, 0.10, from)
	p.P50, from = quantile(xs, 0.50, from)
	p.P90, _ = quantile(xs, 0.90, from)
	return p
}

// quantile returns the p-quantile of xs by linear interpolation between the two
// order statistics nearest to rank p·(n−1) (Hyndman and Fan's type 7). It
// reorders xs so that the value of rank i sits at xs[i] with no larger value
// after it and no smaller one before, and returns i for the next, higher
// quantile to start from; the ranks before from must already be in place.
// Values may include +Inf, for trials that never pay back: a quantile that
// reaches into them is +Inf, never NaN.
func quantile(xs []float64, p float64, from int) (float64, int) {
	h := p * float64(len(xs)-1)
	i := int(h)
	f := h - float64(i)
	i = max(i, from)
	selectRank(xs[from:], i-from)
	lo := xs[i]
	if f == 0 || i+1 >= len(xs) {
		return lo, i
	}
	hi := slices.Min(xs[i+1:])
	if lo == hi || math.IsInf(hi, 1) {
		return hi, i
	}
	return lo + (hi-lo)*f, i
}

// selectRank reorders xs so that xs[k] holds the value of rank k, with no larger
// value before it and no smaller one after: Hoare's FIND in Wirth's form, with a
// median-of-three pivot. Should the partitions keep coming out lopsided, it
// sorts the part that is left, so the worst case stays O(n log n).
func selectRank(xs []float64, k int) {
	lo, hi := 0, len(xs)-1
	budget := 2*bits.Len(uint(len(xs))) + 8
	for lo < hi {
		if budget == 0 {
			slices.Sort(xs[lo : hi+1])
			return
		}
		budget--
		// The pivot is a value of the range, which keeps both scans in bounds.
		mid := lo + (hi-lo)/2
		pivot := median3(xs[lo], xs[mid], xs[hi])
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for pivot < xs[j] {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		// Now xs[lo..j] <= pivot <= xs[i..hi], and anything between equals pivot.
		if j < k {
			lo = i
		}
		if k < i {
			hi = j
		}
	}
}

// median3 returns the middle one of three values.
func median3(a, b, c float64) float64 {
	if a > b {
		a, b = b, a
	}
	if b > c {
		b = c
	}
	return max(a, b)
}

// histogram counts values into 30 equal bins between the smallest and the
// largest, or into one bin when they are all equal.
func histogram(xs []float64) []Bin {
	lo, hi := slices.Min(xs), slices.Max(xs)
	width := (hi - lo) / histogramBins
	if !(width > 0) || math.IsInf(width, 0) {
		return []Bin{{From: lo, To: hi, Count: len(xs)}}
	}
	bins := make([]Bin, histogramBins)
	for k := range bins {
		bins[k].From = lo + float64(k)*width
		bins[k].To = lo + float64(k+1)*width
	}
	bins[histogramBins-1].To = hi
	for _, x := range xs {
		k := min(int((x-lo)/width), histogramBins-1)
		bins[k].Count++
	}
	return bins
}

// sampler draws one line's amount. It holds everything about the line that does
// not change between trials, so a draw is a few arithmetic operations.
type sampler struct {
	low, high, width float64
	// constant is set when low == high: every draw is low.
	constant bool
	// pert selects the beta draw; otherwise the draw is triangular.
	pert bool
	// split is the probability below the likely value, and left and right are
	// (high−low)(likely−low) and (high−low)(high−likely), for the triangular
	// inverse distribution function.
	split, left, right float64
	// alpha and beta are the gamma draws of the PERT beta distribution.
	alpha, beta gammaShape
}

// newSamplers prepares one sampler per line.
func newSamplers(lines []Line, pert bool) []sampler {
	out := make([]sampler, len(lines))
	for i, l := range lines {
		a, m, b := l.Low, l.Likely, l.High
		s := sampler{low: a, high: b, width: b - a, pert: pert}
		if !(s.width > 0) {
			s.constant = true
		} else if pert {
			// α + β = 6: the mean is (a + 4m + b) / 6.
			s.alpha = newGammaShape(1 + 4*((m-a)/s.width))
			s.beta = newGammaShape(1 + 4*((b-m)/s.width))
		} else {
			s.split = (m - a) / s.width
			s.left = s.width * (m - a)
			s.right = s.width * (b - m)
		}
		out[i] = s
	}
	return out
}

// drawSum draws every sampler once and adds the draws, in order.
func drawSum(ss []sampler, rng *rand.Rand) float64 {
	sum := 0.0
	for i := range ss {
		sum += ss[i].draw(rng)
	}
	return sum
}

// draw returns one amount, always within [low, high].
func (s *sampler) draw(rng *rand.Rand) float64 {
	if s.constant {
		return s.low
	}
	var x float64
	if s.pert {
		g1 := s.alpha.draw(rng)
		g2 := s.beta.draw(rng)
		x = s.low + s.width*(g1/(g1+g2))
	} else {
		u := rng.Float64()
		if u < s.split {
			x = s.low + math.Sqrt(u*s.left)
		} else {
			x = s.high - math.Sqrt((1-u)*s.right)
		}
	}
	// Rounding can carry a draw a hair past an end; the range is a promise.
	return min(max(x, s.low), s.high)
}

// gammaShape holds the constants of Marsaglia and Tsang's method for a gamma
// distribution with shape k >= 1 and scale 1 (PERT shapes lie in 1..5, so the
// extra step for shapes below 1 is never needed).
type gammaShape struct{ d, c float64 }

func newGammaShape(k float64) gammaShape {
	d := k - 1.0/3
	return gammaShape{d: d, c: 1 / math.Sqrt(9*d)}
}

// draw returns one gamma variate by Marsaglia and Tsang's squeeze-and-reject
// method (ACM TOMS 26(3), 2000); it accepts about 98 % of the time at shape 1
// and more at larger shapes.
func (g gammaShape) draw(rng *rand.Rand) float64 {
	for {
		x := rng.NormFloat64()
		v := 1 + g.c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := rng.Float64()
		x2 := x * x
		if u < 1-0.0331*x2*x2 || math.Log(u) < 0.5*x2+g.d*(1-v+math.Log(v)) {
			return g.d * v
		}
	}
}
