package sqldb_test

import (
	"context"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/advisor"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// advisorOrg is a small organisation made through the services: an
// unclassified system, a high-risk system with a vendor and one piece of
// evidence on its Art 9 control, a use case with a KPI lacking a baseline,
// a risk above appetite without treatment, and a vendor never assessed.
type advisorOrg struct {
	orgID, unclassified, highRisk, vendor, risk, useCase, art9 string
}

func makeAdvisorOrg(t *testing.T, db *sqldb.DB) advisorOrg {
	t.Helper()
	a := app.New(db, nil)
	ctx := context.Background()
	org, err := a.CreateOrg(caio.WithActor(ctx, caio.Actor{System: true, Via: "test"}), app.SignupInput{
		OrgName: "Advised", OrgSlug: "advised", Email: "owner@advised.test", Name: "Owner", Password: "correct horse battery staple"})
	if err != nil {
		t.Fatal(err)
	}
	sa, err := a.SystemActor(ctx, "advised")
	if err != nil {
		t.Fatal(err)
	}
	sys := caio.WithActor(ctx, sa)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var o advisorOrg
	o.orgID = org.ID
	s1, err := a.CreateSystem(sys, caio.AISystemInput{Name: "Drafting assistant", Purpose: "Drafts letters", Owner: "Ops lead", Stage: "development", Roles: []string{"deployer"}})
	must(err)
	o.unclassified = s1.ID
	s2, err := a.CreateSystem(sys, caio.AISystemInput{Name: "Hiring screener", Purpose: "Ranks applicants", Owner: "HR lead", Stage: "production", Roles: []string{"deployer"}})
	must(err)
	o.highRisk = s2.ID
	_, err = a.ClassifySystem(sys, s2.ID, &euaiact.Profile{Roles: []string{"deployer"}, AnnexI: "none", AnnexIII: []string{"4(a)"}, Facts: map[string]bool{
		"definition.machine_based": true, "definition.autonomy": true, "definition.infers": true, "definition.outputs_influence": true,
		"scope.eu_nexus": true, "scope.military_defence": false, "scope.third_country_authority": false, "scope.research_only": false,
		"scope.pre_market_rd": false, "scope.personal_use": false, "gpai.provider": false, "art6_3.profiling": true,
		"art50.interacts_with_people": false, "art50.generates_synthetic_content": false,
		"deployer.public_body": false, "deployer.public_service": false,
	}})
	must(err)
	v, err := a.CreateVendor(sys, caio.VendorInput{Name: "ScreenCo", Country: "DE"})
	must(err)
	o.vendor = v.ID
	_, err = a.LinkSystem(sys, s2.ID, "vendor", v.ID)
	must(err)
	fw := "eu-ai-act"
	ks, _, err := a.FindControls(sys, caio.ControlFilter{SystemID: &s2.ID, Framework: &fw, Page: caio.Page{Limit: 500}})
	must(err)
	for _, k := range ks {
		if k.ItemID == "art26" {
			o.art9 = k.ID // deployers carry Art 26 rather than Art 9
		}
	}
	if o.art9 == "" {
		t.Fatalf("no Art 26 control among %d", len(ks))
	}
	uc, err := a.CreateUseCase(sys, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "Screen applicants", Owner: "HR lead"}, SystemIDs: []string{s2.ID}})
	must(err)
	o.useCase = uc.ID
	base := 10.0
	_, err = a.CreateKPI(sys, uc.ID, caio.KPIInput{Name: "Time to hire", Unit: "days", Baseline: &base})
	must(err)
	r, err := a.CreateRisk(sys, caio.RiskInput{Title: "Biased ranking", Category: "owasp-llm:LLM01", Likelihood: 4, Impact: 4, Status: "open"})
	must(err)
	o.risk = r.ID
	return o
}

func TestAdvisorFacts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		o := makeAdvisorOrg(t, db)
		var f *advisor.Facts
		mustRead(t, db, func(c *sqldb.Conn) (err error) {
			f, err = c.AdvisorFacts(t.Context(), o.orgID, "2026-11-27")
			return err
		})
		if f.Org.Name != "Advised" || f.Org.Today != "2026-11-27" || f.Org.Members != 1 || f.Org.RiskAppetite != caio.DefaultRiskAppetite {
			t.Errorf("org facts %+v", f.Org)
		}
		if len(f.Systems) != 2 {
			t.Fatalf("systems %+v", f.Systems)
		}
		byID := map[string]advisor.System{}
		for _, s := range f.Systems {
			byID[s.ID] = s
		}
		un, hr := byID[o.unclassified], byID[o.highRisk]
		if un.Class != "" || un.Classified != "" || len(un.Controls) != 0 || un.Stage != "development" {
			t.Errorf("unclassified system %+v", un)
		}
		if hr.Class != "high_risk" || hr.Classified == "" || len(hr.Basis) == 0 || hr.NextDue == "" || hr.GPAI {
			t.Errorf("high-risk system %+v", hr)
		}
		if len(hr.Vendors) != 1 || hr.Vendors[0] != o.vendor || len(hr.UseCases) != 1 || hr.UseCases[0] != o.useCase {
			t.Errorf("links: vendors %v use cases %v", hr.Vendors, hr.UseCases)
		}
		k, ok := hr.Controls["eu-ai-act/art26"]
		if !ok || k.ID != o.art9 || k.Status != "not_started" || k.Deadline == "" || k.Due == "" || k.Title == "" || k.Evidence != 0 {
			t.Errorf("art26 control %+v (of %d)", k, len(hr.Controls))
		}
		if len(f.UseCases) != 1 || f.UseCases[0].KPIs != 1 || f.UseCases[0].KPIsWithoutBaseline != 1 || f.UseCases[0].Stage != "idea" ||
			len(f.UseCases[0].Systems) != 1 || f.UseCases[0].HasBusinessCase || f.UseCases[0].StageDate == "" {
			t.Errorf("use case %+v", f.UseCases)
		}
		if len(f.Vendors) != 1 || f.Vendors[0].Systems != 1 || f.Vendors[0].LastAssessed != "" {
			t.Errorf("vendors %+v", f.Vendors)
		}
		if len(f.Risks) != 1 || f.Risks[0].Score != 16 || !f.Risks[0].Breach || f.Risks[0].Treatments != 0 {
			t.Errorf("risks %+v", f.Risks)
		}
		if f.Org.LatestReadiness != "" || f.Org.AIPolicy {
			t.Errorf("org %+v", f.Org)
		}
	})
}
