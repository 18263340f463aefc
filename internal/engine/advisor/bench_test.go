package advisor_test

import (
	"fmt"
	"testing"

	"github.com/caio-office/caio/internal/engine/advisor"
)

// bigFacts is an organisation of the budget's size: 10,000 systems (a
// third high-risk with 20 controls each, the rest with 4) and 50,000 use
// cases, plus 500 vendors and 2,000 risks.
func bigFacts() *advisor.Facts {
	f := base()
	items := []string{"art9", "art10", "art11", "art12", "art13", "art14", "art15", "art16", "art17", "art18", "art19", "art20", "art26", "art27", "art43", "art47", "art48", "art49_1", "art72", "art73"}
	classes := []string{"high_risk", "minimal", "transparency_only", ""}
	stages := []string{"planned", "development", "testing", "production", "retired"}
	for i := range 10000 {
		s := advisor.System{ID: fmt.Sprintf("sys_%05d", i), Name: fmt.Sprintf("System %d", i), Owner: "owner@example.com",
			Stage: stages[i%len(stages)], Class: classes[i%3], Roles: []string{"deployer"}, Basis: []string{"annex3_4a"},
			Controls: map[string]advisor.Control{}}
		n := 4
		if s.Class == "high_risk" {
			n = len(items)
		}
		for j, it := range items[:n] {
			c := control(it, []string{"not_started", "in_progress", "implemented"}[(i+j)%3], (i+j)%2, "2027-12-02")
			c.ID = fmt.Sprintf("ctl_%05d_%d", i, j)
			if (i+j)%7 == 0 {
				c.ReviewDate = "2026-10-01"
			}
			s.Controls["eu-ai-act/"+it] = c
		}
		if s.Class == "transparency_only" {
			s.Controls["eu-ai-act/art50_1"] = control("art50_1", "in_progress", 0, "2026-08-02")
		}
		f.Systems = append(f.Systems, s)
	}
	ucStages := []string{"idea", "assessment", "approved", "poc", "pilot", "production", "retired"}
	for i := range 50000 {
		u := advisor.UseCase{ID: fmt.Sprintf("uc_%05d", i), Title: fmt.Sprintf("Use case %d", i), Stage: ucStages[i%len(ucStages)], KPIs: i % 3, KPIsWithoutBaseline: i % 2}
		if i%11 == 0 {
			u.BelowP10 = []int{2}
		}
		f.UseCases = append(f.UseCases, u)
	}
	for i := range 500 {
		f.Vendors = append(f.Vendors, advisor.Vendor{ID: fmt.Sprintf("ven_%d", i), Name: "V", Systems: i % 3, LastAssessed: []string{"", "2025-01-01", "2026-09-01"}[i%3]})
	}
	for i := range 2000 {
		f.Risks = append(f.Risks, advisor.Risk{ID: fmt.Sprintf("rsk_%d", i), Title: "R", Status: "open", Score: i % 25, Breach: i%25 > 9, Treatments: i % 2})
	}
	return f
}

// BenchmarkEvaluateBig is the budget: the advisor over 10,000 systems and
// 50,000 use cases in at most 2 s.
func BenchmarkEvaluateBig(b *testing.B) {
	p := builtins(b)
	f := bigFacts()
	b.ResetTimer()
	var n int
	for b.Loop() {
		as, err := p.Evaluate(f)
		if err != nil {
			b.Fatal(err)
		}
		n = len(as)
	}
	b.ReportMetric(float64(n), "actions")
}

// BenchmarkOneRuleOneObject is the other budget: one CEL rule evaluated on
// one object in at most 20 µs (the high-risk Art 9 rule, on a high-risk
// system that fires, with its templates).
func BenchmarkOneRuleOneObject(b *testing.B) {
	var r advisor.Rule
	for _, x := range advisor.BuiltIns() {
		if x.ID == "high-risk-risk-management" {
			r = x
		}
	}
	p, err := advisor.Compile([]advisor.Rule{r})
	if err != nil {
		b.Fatal(err)
	}
	f := base()
	f.Systems = []advisor.System{highRisk(control("art9", "in_progress", 0, "2027-12-02"))}
	b.ResetTimer()
	for b.Loop() {
		as, _, err := p.Try(r.ID, f, 0)
		if err != nil || len(as) != 1 {
			b.Fatal(as, err)
		}
	}
}

// BenchmarkOneRulePerObject reports the cost of one rule per object over
// 10,000 systems, firing on every one (templates rendered) or on none.
func BenchmarkOneRulePerObject(b *testing.B) {
	var r advisor.Rule
	for _, x := range advisor.BuiltIns() {
		if x.ID == "high-risk-risk-management" {
			r = x
		}
	}
	p, err := advisor.Compile([]advisor.Rule{r})
	if err != nil {
		b.Fatal(err)
	}
	for _, status := range []string{"in_progress", "implemented"} {
		b.Run("fires="+fmt.Sprint(status != "implemented"), func(b *testing.B) {
			f := base()
			for i := range 10000 {
				s := highRisk(control("art9", status, 1, "2027-12-02"))
				s.ID = fmt.Sprint("sys_", i)
				f.Systems = append(f.Systems, s)
			}
			b.ResetTimer()
			for b.Loop() {
				if _, _, err := p.Try(r.ID, f, 0); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/10000, "ns/object")
		})
	}
}
