package app

import (
	"context"
	"slices"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/advisor"
)

// The advisor's demo: Northwind's own rule that production systems have a
// named owner, and one action of each state people leave actions in: one
// accepted (a task for the product lead), one snoozed and one dismissed,
// each with a reason of its own.

func init() {
	demoAreas = append(demoAreas, demoArea{"advisor", loadDemoAdvisor})
}

// demoAdvisorRule is Northwind's own rule.
var demoAdvisorRule = caio.AdvisorRuleInput{
	Kind:      "system",
	Title:     "Name an owner for {name}",
	Statement: "Every AI system in production has a named owner.",
	When:      `system.stage == "production" && system.owner == ""`,
	Reason:    "{name} is in production, and nobody is named as its owner.",
	References: []string{"ISO/IEC 42001 clause 5.3 (roles, responsibilities and authorities)",
		"EU AI Act Art 26(2) (deployers assign human oversight to competent people)"},
	OwnerRole: "editor",
	Link:      "/systems/{id}/edit",
	Impact:    3,
}

// demoAdvice says which action the demo accepts, snoozes and dismisses:
// the first current action of the first rule listed that has one.
var demoAdvice = []struct {
	state  string
	rules  []string
	reason string
}{
	{caio.AdviceAccepted, []string{"high-risk-fria", "high-risk-risk-management", "high-risk-human-oversight", "system-unclassified"}, ""},
	{caio.AdviceSnoozed, []string{"vendor-unassessed", "vendor-assessment-stale", "high-risk-logging"},
		"The supplier sends its completed security and AI questionnaire next month; we assess it then."},
	{caio.AdviceDismissed, []string{"usecase-production-without-kpis", "usecase-kpi-without-baseline", "readiness-stale", "system-unclassified"},
		"Covered by the claims operations scorecard, which the board reviews every quarter; no separate KPI is needed here."},
}

// AdvisorAvailable reports whether this build evaluates rules: it was
// built with the advisor's CEL engine.
func AdvisorAvailable() bool {
	b := advisor.BuiltIns()
	return len(b) > 0 && advisor.CheckRule(b[0]) == nil
}

func loadDemoAdvisor(app *App, ctx context.Context) error {
	if !AdvisorAvailable() {
		app.Log.Warn("demo: the advisor is built without its rule engine; no advice loaded")
		return nil
	}
	if _, err := app.CreateAdvisorRule(ctx, demoAdvisorRule); err != nil {
		return err
	}
	l, err := app.Advise(ctx, caio.AdviceFilter{Page: caio.Page{Limit: caio.MaxPageLimit}})
	if err != nil {
		return err
	}
	owner := ""
	ms, _, err := app.FindMembers(ctx, caio.Page{Limit: caio.MaxPageLimit})
	if err != nil {
		return err
	}
	for _, m := range ms {
		if m.Email == "product@northwind.example" {
			owner = m.UserID
		}
	}
	used := map[string]bool{}
	for _, d := range demoAdvice {
		var pick *caio.Advice
		for _, rule := range d.rules {
			i := slices.IndexFunc(l.Items, func(a *caio.Advice) bool { return a.RuleID == rule && !used[a.Key] })
			if i >= 0 {
				pick = l.Items[i]
				break
			}
		}
		if pick == nil {
			continue
		}
		used[pick.Key] = true
		switch d.state {
		case caio.AdviceAccepted:
			due := pick.Due
			if due == "" {
				due = time.Now().UTC().AddDate(0, 2, 0).Format(time.DateOnly)
			}
			_, err = app.AcceptAction(ctx, pick.Key, caio.AcceptInput{OwnerID: owner, Due: due})
		case caio.AdviceSnoozed:
			until := time.Now().UTC().AddDate(0, 1, 0).Format(time.DateOnly)
			_, err = app.SnoozeAction(ctx, pick.Key, caio.SnoozeInput{Until: until, Reason: d.reason})
		case caio.AdviceDismissed:
			_, err = app.DismissAction(ctx, pick.Key, d.reason)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
