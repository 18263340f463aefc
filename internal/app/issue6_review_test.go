package app_test

import (
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// Issue 6: "a consultant saves an engagement with its questionnaires,
// policies and rules as a template and starts the next client from it".
// The organisation's own advisor rules, and the built-ins it switched off
// with its reasons, go with the template.
func TestReviewTemplateCarriesAdvisorRules(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		f := newFixture(t, db)
		owner := f.as(caio.RoleOwner)
		rule, err := f.app.CreateAdvisorRule(owner, caio.AdvisorRuleInput{Kind: "system", Title: "Name an owner for {name}",
			Statement: "Every AI system has a named owner.", When: "system.owner == ''", Reason: "{name} has no owner.",
			References: []string{"ISO/IEC 42001 A.3.2"}, Impact: 2})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.DisableBuiltin(owner, "readiness-missing", "Assessed on paper"); err != nil {
			t.Fatal(err)
		}
		e, err := f.app.StartEngagement(owner, caio.EngagementInput{Sponsor: "COO", Start: "2026-10-13"})
		if err != nil {
			t.Fatal(err)
		}
		tpl, err := f.app.SaveEngagementTemplate(owner, e.ID, caio.TemplateInput{Name: "With rules"})
		if err != nil {
			t.Fatal(err)
		}
		var parts []string
		for _, p := range tpl.Parts {
			parts = append(parts, p.Name)
		}
		_, beta := newOrg(t, f.app, "beta", "owner@acme.test")
		me := ownerCtx(t, f.app, beta)
		if _, err := f.app.StartFromTemplate(me, tpl.ID, caio.EngagementInput{Sponsor: "CFO", Start: "2027-01-04"}); err != nil {
			t.Fatal(err)
		}
		builtins, own, err := f.app.AdvisorRules(me)
		if err != nil {
			t.Fatal(err)
		}
		if len(own) != 1 || own[0].When != rule.When || own[0].Title != rule.Title || own[0].ID == rule.ID || !own[0].Enabled {
			t.Fatalf("the template (parts %v) did not carry the organisation's rule: %+v", parts, own)
		}
		off := false
		for _, b := range builtins {
			if b.ID == "readiness-missing" {
				off = !b.Enabled && b.OffReason == "Assessed on paper"
			}
		}
		if !off {
			t.Errorf("the built-in switched off with a reason was not carried")
		}
		// The new client's advisor runs the carried rule.
		if _, err := f.app.CreateSystem(me, caio.AISystemInput{Name: "Chatbot", Purpose: "answer", Roles: []string{"deployer"}}); err != nil {
			t.Fatal(err)
		}
		l, err := f.app.Advise(me, caio.AdviceFilter{})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, ad := range l.Items {
			found = found || ad.RuleID == own[0].ID
			if ad.RuleID == "readiness-missing" {
				t.Errorf("a built-in switched off by the template still advises")
			}
		}
		if !found {
			t.Errorf("the carried rule does not advise: %v", l.Problems)
		}
	})
}
