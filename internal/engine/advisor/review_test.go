package advisor_test

import (
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio/internal/engine/advisor"
)

// A rule whose every step is cheap but whose strings grow geometrically
// must be refused or stopped, not hang the advisor or exhaust memory.
func TestReviewStringBlowUp(t *testing.T) {
	for _, when := range []string{
		"today.replace('', today.replace('', today.replace('', today.replace('', today)))).size() > 0",
		"[today].join(today.replace('', today.replace('', today.replace('', today)))) != ''",
		"today.replace('', today).replace('', today).replace('', today).replace('', today) != ''",
	} {
		r := rule(when)
		if err := advisor.CheckRule(r); err != nil {
			t.Logf("refused before saving (fine): %v", err)
			continue
		}
		p, err := advisor.Compile([]advisor.Rule{r})
		if err != nil {
			t.Fatal(err)
		}
		f := base()
		f.Systems = []advisor.System{{ID: "sys_a", Name: "A", Stage: "production"}}
		start := time.Now()
		_, err = p.Evaluate(f)
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: took %v (err %v)", when, d, err)
		}
		if err == nil {
			t.Errorf("%s: accepted and ran without hitting the cost limit", when)
		}
	}
}

// A widespread infringement (Art 3(61)) runs the two-day clock of Art
// 73(3) whether or not a harm of Art 3(49) is recorded; the advisor must
// tell the owner to report it, and must not call it a serious incident.
func TestReviewWidespreadInfringementIsAdvised(t *testing.T) {
	f := base()
	f.Incidents = []advisor.Incident{{ID: "inc_w", Title: "Bias across every branch", Status: "open", Severity: "high",
		Serious: false, Aware: "2026-11-24", ReportDue: "2026-11-26"}}
	as, err := builtins(t).Evaluate(f)
	if err != nil {
		t.Fatal(err)
	}
	var hit *advisor.Action
	for i := range as {
		if as[i].RuleID == "incident-reporting-clock" {
			hit = &as[i]
		}
	}
	if hit == nil {
		t.Fatalf("no advice to report an incident whose Art 73 clock ran out: %v", ruleIDs(as))
	}
	if hit.Due != "2026-11-26" || hit.Urgency != 5 {
		t.Errorf("due %q urgency %d", hit.Due, hit.Urgency)
	}
	if strings.Contains(hit.Reason, "serious incident under Art 3(49)") {
		t.Errorf("reason calls a widespread infringement a serious incident: %s", hit.Reason)
	}
}
