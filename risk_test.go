package caio_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

// TestRiskScores checks the scores, the breach of the appetite and the
// overdue review, which every front end shows.
func TestRiskScores(t *testing.T) {
	cases := []struct {
		name             string
		l, i, rl, ri     int
		status, review   string
		score, residual  int
		breach8, overdue bool
	}{
		{"inherent counts without a residual", 3, 3, 0, 0, "open", "", 9, 0, true, false},
		{"residual counts once assessed", 5, 5, 2, 4, "treating", "2026-01-01", 8, 8, false, true},
		{"closed is never overdue", 1, 1, 0, 0, "closed", "2020-01-01", 1, 0, false, false},
		{"review today is not overdue", 2, 2, 0, 0, "open", "2026-11-27", 4, 0, false, false},
	}
	for _, c := range cases {
		r := &caio.Risk{Likelihood: c.l, Impact: c.i, ResidualLikelihood: c.rl, ResidualImpact: c.ri, Status: c.status, ReviewDate: c.review}
		r.Scores()
		if r.Score != c.score || r.ResidualScore != c.residual || r.InherentScore != c.l*c.i {
			t.Errorf("%s: scores %d/%d/%d", c.name, r.InherentScore, r.ResidualScore, r.Score)
		}
		if got := r.Breaches(8); got != c.breach8 {
			t.Errorf("%s: breach of 8 = %v", c.name, got)
		}
		if got := r.ReviewOverdue("2026-11-27"); got != c.overdue {
			t.Errorf("%s: overdue = %v", c.name, got)
		}
	}
}

// TestRiskInputNormalize checks that each problem is named by its field.
func TestRiskInputNormalize(t *testing.T) {
	known := func(c string) bool { return c == "owasp-llm:LLM01" }
	in := caio.RiskInput{Title: "  Leak ", Likelihood: 5, Impact: 1, Category: "owasp-llm:LLM01", Systems: []string{" ", caio.NewID("sys")}}
	if err := in.Normalize(5, known); err != nil || in.Title != "Leak" || in.Status != "open" || len(in.Systems) != 1 {
		t.Fatalf("%+v, %v", in, err)
	}
	bad := caio.RiskInput{Likelihood: 6, Impact: 0, ResidualImpact: 2, Category: "mit:9", Status: "maybe", ReviewDate: "tomorrow",
		Systems: []string{"uc_x"}, Vendors: []string{"nope"}}
	err := bad.Normalize(5, known)
	if caio.ErrorCode(err) != caio.EINVALID {
		t.Fatalf("error %v", err)
	}
	var fields []string
	for _, p := range caio.ErrorFields(err) {
		fields = append(fields, p.Field)
	}
	for _, f := range []string{"title", "likelihood", "impact", "residual_likelihood", "category", "status", "review_date", "systems", "vendors"} {
		if !strings.Contains(","+strings.Join(fields, ",")+",", ","+f+",") {
			t.Errorf("fields %v lack %s", fields, f)
		}
	}
	a := caio.RiskAppetite{Scale: 4, Appetite: 17}
	if err := a.Normalize(); len(caio.ErrorFields(err)) != 1 || caio.ErrorFields(err)[0].Field != "appetite" {
		t.Errorf("appetite 17 on scale 4: %v", err)
	}
}

func FuzzRiskInputNormalize(f *testing.F) {
	f.Add("Leak", "owasp-llm:LLM01", 3, 4, 0, 0, "open", "2027-01-01", "sys_x")
	f.Add("", "", -1, 99, 1, 0, "?", "x", "")
	f.Fuzz(func(t *testing.T, title, category string, l, i, rl, ri int, status, review, system string) {
		in := caio.RiskInput{Title: title, Category: category, Likelihood: l, Impact: i, ResidualLikelihood: rl, ResidualImpact: ri,
			Status: status, ReviewDate: review, Systems: []string{system}}
		if err := in.Normalize(5, nil); err == nil {
			r := caio.Risk{Likelihood: in.Likelihood, Impact: in.Impact, ResidualLikelihood: in.ResidualLikelihood, ResidualImpact: in.ResidualImpact}
			r.Scores()
			if r.Score < 1 || r.Score > 25 {
				t.Errorf("accepted %+v with score %d", in, r.Score)
			}
		} else if len(caio.ErrorFields(err)) == 0 {
			t.Errorf("refusal %v names no field", err)
		}
	})
}
