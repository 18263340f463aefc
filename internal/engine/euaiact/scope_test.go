package euaiact_test

import (
	"slices"
	"testing"

	"github.com/caio-office/caio/internal/engine/euaiact"
)

// A profile with every fact answered and nothing triggered is minimal,
// final, with AI literacy as its only duty.
func TestMinimal(t *testing.T) {
	r := classify(t, known(), "")
	wantClass(t, r, euaiact.Minimal)
	noMissing(t, r)
	if r.Provisional {
		t.Errorf("provisional with nothing missing")
	}
	if ids := obligationIDs(r); !slices.Equal(ids, []string{"art4"}) {
		t.Errorf("obligations %v, want only art4", ids)
	}
	wantDate(t, r, "art4", "2025-02-02", "Art 113(a)")
	if r.GPAI.Status != "not_applicable" || r.Conformity != nil || len(r.Transparency) != 0 {
		t.Errorf("gpai %+v, conformity %+v, transparency %+v: want none", r.GPAI, r.Conformity, r.Transparency)
	}
	if r.Engine != euaiact.Engine || r.ContentVersion != euaiact.MustContent().Version || r.Timeline != euaiact.Amended {
		t.Errorf("engine %s, content %s, timeline %s", r.Engine, r.ContentVersion, r.Timeline)
	}
	if !hasReason(r, "Arts 4 and 95") {
		t.Errorf("reasons = %v", r.Reasons)
	}
}

// Art 3(1) and Art 2: each exit from the Act.
func TestScope(t *testing.T) {
	for _, tc := range []struct {
		name  string
		mods  []mod
		basis string
	}{
		// The Commission's definition guidelines' families (a system that
		// infers cannot be one, so definition.infers is left unknown).
		{"human rules only", []mod{U("definition.infers"), T("definition.human_rules_only")}, "art3_1"},
		{"optimisation only", []mod{U("definition.infers"), T("definition.optimisation_only")}, "art3_1"},
		{"basic data processing", []mod{U("definition.infers"), T("definition.basic_data_processing")}, "art3_1"},
		{"classical heuristics", []mod{U("definition.infers"), T("definition.classical_heuristics")}, "art3_1"},
		{"simple prediction", []mod{U("definition.infers"), T("definition.simple_prediction")}, "art3_1"},
		{"does not infer", []mod{F("definition.infers")}, "art3_1"},
		{"no autonomy", []mod{F("definition.autonomy")}, "art3_1"},
		{"not machine-based", []mod{F("definition.machine_based")}, "art3_1"},
		{"no influential outputs", []mod{F("definition.outputs_influence")}, "art3_1"},
		{"no link to the Union", []mod{F("scope.eu_nexus")}, "art2_1"},
		{"military", []mod{T("scope.military_defence")}, "art2_3"},
		{"third-country authority", []mod{T("scope.third_country_authority")}, "art2_4"},
		{"research only", []mod{T("scope.research_only")}, "art2_6"},
		{"before the market", []mod{T("scope.pre_market_rd")}, "art2_8"},
		{"personal use by a deployer", []mod{roles("deployer"), T("scope.personal_use")}, "art2_10"},
		{"open source, nothing else", []mod{T("scope.open_source")}, "art2_12"},
		{"open source passing Art 6(3)", []mod{T("scope.open_source", "art6_3.no_significant_risk", "art6_3.preparatory"), annexIII("4(a)")}, "art2_12"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Even a system that would be high-risk and carry Art 50 duties
			// leaves the Act by these exits (but Art 2(12), which needs them
			// ruled out).
			mods := tc.mods
			if tc.basis != "art2_12" {
				mods = append([]mod{annexIII("4(a)"), T("art50.interacts_with_people", "gpai.provider", "gpai.generality")}, mods...)
			}
			r := classify(t, known(mods...), "")
			wantClass(t, r, euaiact.OutOfScope, tc.basis)
			if len(r.Obligations) != 0 && tc.basis != "art2_12" {
				t.Errorf("obligations %v, want none out of scope", obligationIDs(r))
			}
			noObligations(t, r, "art4", "art9", "art6_4")
			if len(r.Reasons) == 0 {
				t.Errorf("no reason given")
			}
			if r.Conformity != nil {
				t.Errorf("conformity %+v out of scope", r.Conformity)
			}
			if missing(r, "roles") != nil {
				t.Errorf("roles asked for a system out of scope")
			}
		})
	}
}

func TestScopeUnknown(t *testing.T) {
	for _, tc := range []struct{ fact, effect string }{
		{"definition.infers", "Art 3(1)"},
		{"scope.eu_nexus", "Art 2(1)"},
		{"scope.military_defence", "Art 2(3)"},
		{"scope.third_country_authority", "Art 2(4)"},
		{"scope.research_only", "Art 2(6)"},
		{"scope.pre_market_rd", "Art 2(8)"},
	} {
		t.Run(tc.fact, func(t *testing.T) {
			// Unknown never takes a system out: still high-risk, and asked.
			r := classify(t, known(annexIII("4(a)"), U(tc.fact)), "")
			wantClass(t, r, euaiact.HighRisk, "annex_iii:4(a)")
			wantMissing(t, r, tc.fact, tc.effect)
		})
	}
	r := classify(t, known(roles("deployer"), U("scope.personal_use")), "")
	wantClass(t, r, euaiact.Minimal)
	wantMissing(t, r, "scope.personal_use", "Art 2(10)")
	// Personal use is only read for deployers.
	r = classify(t, known(roles("provider"), U("scope.personal_use")), "")
	noMissing(t, r)
}

// Art 2(10): only the deployer's duties fall away.
func TestPersonalUse(t *testing.T) {
	r := classify(t, known(roles("provider", "deployer"), T("scope.personal_use"), annexIII("4(a)")), "")
	wantClass(t, r, euaiact.HighRisk, "annex_iii:4(a)")
	if !slices.Equal(r.Roles.Effective, []string{"provider"}) || !slices.Equal(r.Roles.Declared, []string{"provider", "deployer"}) {
		t.Errorf("roles = %+v, want declared provider+deployer, effective provider", r.Roles)
	}
	wantObligations(t, r, "art9")
	noObligations(t, r, "art26")
	wantStep(t, r, "art2_10", euaiact.OutcomeApplies)
}

// Art 2(12): free and open-source systems leave the Act only when they are
// neither prohibited, high-risk nor under Art 50 — and only once the facts
// show that.
func TestOpenSourceSystems(t *testing.T) {
	oss := T("scope.open_source")
	for _, tc := range []struct {
		name  string
		mods  []mod
		class string
	}{
		{"high-risk", []mod{annexIII("4(a)")}, euaiact.HighRisk},
		{"Annex I high-risk", []mod{annexI("A.11"), T("annex_i.product_or_safety_component", "annex_i.third_party_conformity")}, euaiact.HighRisk},
		{"prohibited", []mod{T("art5.e.untargeted_scraping")}, euaiact.Prohibited},
		{"Art 50", []mod{T("art50.deep_fake")}, euaiact.TransparencyOnly},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := classify(t, known(append([]mod{oss}, tc.mods...)...), "")
			if r.Class != tc.class {
				t.Errorf("class %s %v, want %s", r.Class, r.Basis, tc.class)
			}
			noMissing(t, r)
		})
	}
	for _, tc := range []struct {
		name, fact string
		mods       []mod
	}{
		{"an Art 5 fact unknown", "art5.e.untargeted_scraping", []mod{U("art5.e.untargeted_scraping")}},
		{"an Art 50 fact unknown", "art50.deep_fake", []mod{U("art50.deep_fake")}},
		{"Annex III unknown", "annex_iii", []mod{func(p *euaiact.Profile) { p.AnnexIII = nil }}},
		{"Annex I unknown", "annex_i", []mod{annexI("")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := classify(t, known(append([]mod{oss}, tc.mods...)...), "")
			wantClass(t, r, euaiact.Minimal)
			wantStep(t, r, "art2_12", euaiact.OutcomeUnknown)
			wantMissing(t, r, tc.fact, "")
			wantObligations(t, r, "art4")
			if !hasReason(r, "Art 2(12)") {
				t.Errorf("no reason explains why Art 2(12) is not granted: %v", r.Reasons)
			}
		})
	}
	r := classify(t, known(oss), "")
	if len(r.Reasons) != 1 || r.Reasons[0].Ref != "Art 2(12)" {
		t.Errorf("reasons = %v, want only the Art 2(12) one", r.Reasons)
	}
	r = classify(t, known(U("scope.open_source")), "")
	wantClass(t, r, euaiact.Minimal)
	wantMissing(t, r, "scope.open_source", "Art 2(12)")
	// A model provider keeps its model duties for an open-source system.
	r = classify(t, known(oss, T("gpai.provider", "gpai.generality")), "")
	wantClass(t, r, euaiact.OutOfScope, "art2_12")
	wantObligations(t, r, "art53_1a")
}
