package talent

import (
	"fmt"
	"sort"
	"strings"

	"github.com/caio-office/caio"
)

// The hiring scorecard: each interviewer rates a candidate 1–5 per
// criterion, on their own, before the panel discusses (practice.md §3.5).
// A candidate's score is the weighted mean of the panel's mean rating per
// criterion, out of 5; the spread between interviewers shows where the
// panel disagrees.

// DisagreementPoints is the spread of ratings on one criterion (highest
// minus lowest) from which the reasons ask the panel to discuss it.
const DisagreementPoints = 2

// Candidate is one candidate with the panel's ratings.
type Candidate struct {
	ID, Name, Status string
	Panels           []caio.PanelRating
}

// Score computes one candidate's weighted score on the scorecard.
func Score(s *caio.Scorecard, c Candidate) *caio.CandidateScore {
	out := &caio.CandidateScore{CandidateID: c.ID, Name: c.Name, Status: c.Status, Criteria: []caio.CriterionScore{},
		ByInterview: []caio.InterviewerScore{}, Reasons: []string{}}
	total, ratedWeight := 0, 0
	sum := 0.0
	var unrated, disputed []string
	for _, cr := range s.Criteria {
		total += cr.Weight
		cs := caio.CriterionScore{Key: cr.Key, Name: cr.Name, Weight: cr.Weight}
		n, acc := 0, 0
		for _, p := range c.Panels {
			r := p.Ratings[cr.Key]
			if r < caio.MinSkillLevel || r > caio.MaxSkillLevel {
				continue
			}
			if n == 0 || r < cs.Min {
				cs.Min = r
			}
			if r > cs.Max {
				cs.Max = r
			}
			n++
			acc += r
		}
		cs.Ratings = n
		if n == 0 {
			unrated = append(unrated, cr.Name)
		} else {
			mean := float64(acc) / float64(n)
			cs.Mean = round2(mean)
			cs.Spread = cs.Max - cs.Min
			ratedWeight += cr.Weight
			sum += float64(cr.Weight) * mean
			if cs.Spread >= DisagreementPoints {
				disputed = append(disputed, fmt.Sprintf("%s by %d points (%d to %d)", cr.Name, cs.Spread, cs.Min, cs.Max))
			}
		}
		out.Criteria = append(out.Criteria, cs)
	}
	// Interviewers who rated anything on the scorecard.
	lo, hi := 0.0, 0.0
	for _, p := range c.Panels {
		w, acc, all := 0, 0, true
		for _, cr := range s.Criteria {
			r := p.Ratings[cr.Key]
			if r < caio.MinSkillLevel || r > caio.MaxSkillLevel {
				all = false
				continue
			}
			w += cr.Weight
			acc += cr.Weight * r
		}
		if w == 0 {
			continue
		}
		is := caio.InterviewerScore{InterviewerID: p.InterviewerID, Interviewer: p.Interviewer, Score: round2(float64(acc) / float64(w)), Complete: all}
		if len(out.ByInterview) == 0 || is.Score < lo {
			lo = is.Score
		}
		if len(out.ByInterview) == 0 || is.Score > hi {
			hi = is.Score
		}
		out.ByInterview = append(out.ByInterview, is)
	}
	out.Interviewers = len(out.ByInterview)
	out.Spread = round2(hi - lo)
	if ratedWeight == 0 {
		out.Reasons = append(out.Reasons, "No interviewer has rated this candidate on the scorecard yet.")
		return out
	}
	out.Score = round2(sum / float64(ratedWeight))
	out.Complete = ratedWeight == total
	for i := range out.Criteria {
		cs := &out.Criteria[i]
		if cs.Ratings > 0 {
			cs.Contribution = round2(float64(cs.Weight) * cs.Mean / float64(ratedWeight))
		}
	}
	out.Reasons = append(out.Reasons, fmt.Sprintf("Weighted score %.2f of 5 from %d %s: the sum of each criterion's weight × its mean rating, divided by 100.",
		out.Score, out.Interviewers, plural(out.Interviewers, "interviewer", "interviewers")))
	best, worst := -1, -1
	for i, cs := range out.Criteria {
		if cs.Ratings == 0 {
			continue
		}
		if best < 0 || cs.Mean > out.Criteria[best].Mean || cs.Mean == out.Criteria[best].Mean && cs.Weight > out.Criteria[best].Weight {
			best = i
		}
		if worst < 0 || cs.Mean < out.Criteria[worst].Mean || cs.Mean == out.Criteria[worst].Mean && cs.Weight > out.Criteria[worst].Weight {
			worst = i
		}
	}
	if best >= 0 && best != worst {
		b, w := out.Criteria[best], out.Criteria[worst]
		out.Reasons = append(out.Reasons, fmt.Sprintf("Strongest on %s (mean %.2f, weight %d%%); weakest on %s (mean %.2f, weight %d%%).", b.Name, b.Mean, b.Weight, w.Name, w.Mean, w.Weight))
	}
	if len(unrated) > 0 {
		out.Reasons = append(out.Reasons, fmt.Sprintf("Not rated by anyone on %s: the score counts the rated criteria only (%d%% of the weight), scaled up to 100.",
			strings.Join(unrated, ", "), ratedWeight))
	}
	if len(disputed) > 0 {
		out.Reasons = append(out.Reasons, "Interviewers disagree on "+strings.Join(disputed, "; ")+": discuss the evidence before deciding (practice.md §3.5: independent scorecards first, then discussion).")
	}
	if out.Interviewers >= 2 {
		out.Reasons = append(out.Reasons, fmt.Sprintf("Interviewers' own weighted scores range from %.2f to %.2f (spread %.2f).", lo, hi, out.Spread))
	} else {
		out.Reasons = append(out.Reasons, "Only one interviewer has rated this candidate: a panel of two or more gives a fairer picture.")
	}
	return out
}

// Compare scores every candidate and ranks them: the highest score first
// among the rated, ties by name; candidates nobody rated come last with
// rank 0.
func Compare(s *caio.Scorecard, cs []Candidate) []*caio.CandidateScore {
	out := make([]*caio.CandidateScore, len(cs))
	for i, c := range cs {
		out[i] = Score(s, c)
	}
	rated := func(c *caio.CandidateScore) bool { return c.Interviewers > 0 && c.Score > 0 }
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if rated(a) != rated(b) {
			return rated(a)
		}
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		return strings.ToLower(a.Name) < strings.ToLower(b.Name)
	})
	rank := 0
	for _, c := range out {
		if rated(c) {
			rank++
			c.Rank = rank
		}
	}
	return out
}
