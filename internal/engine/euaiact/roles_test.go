package euaiact_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/euaiact"
)

// Art 25: a deployer, importer or distributor becomes the provider.
func TestArt25(t *testing.T) {
	for _, tc := range []struct {
		fact, ref string
		declared  []string
	}{
		{"art25.own_name", "Art 25(1)(a)", []string{"deployer"}},
		{"art25.substantial_modification", "Art 25(1)(b)", []string{"importer"}},
		{"art25.changed_purpose", "Art 25(1)(c)", []string{"distributor"}},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			r := classify(t, known(roles(tc.declared...), annexIII("4(a)"), T(tc.fact)), "")
			want := append(slices.Clone(tc.declared), "provider")
			if !slices.Equal(r.Roles.Effective, want) || len(r.Roles.Shifts) != 1 || r.Roles.Shifts[0].Ref != tc.ref {
				t.Errorf("roles = %+v, want effective %v shifted by %s", r.Roles, want, tc.ref)
			}
			wantObligations(t, r, providerHighRisk...)
			wantObligations(t, r, "art49_1")
			for _, id := range []string{"art9", "art43"} {
				if o := obligation(r, id); o != nil && !slices.Equal(o.Roles, []string{"provider"}) {
					t.Errorf("%s roles = %v, want provider", id, o.Roles)
				}
			}
			wantStep(t, r, "art25", euaiact.OutcomeApplies)
		})
	}
	t.Run("no shift", func(t *testing.T) {
		r := classify(t, known(roles("deployer"), annexIII("4(a)")), "")
		if !slices.Equal(r.Roles.Effective, []string{"deployer"}) || len(r.Roles.Shifts) != 0 {
			t.Errorf("roles = %+v, want deployer only", r.Roles)
		}
		wantObligations(t, r, "art26", "art86", "art4")
		noObligations(t, r, providerHighRisk...)
		noObligations(t, r, "art49_1", "art6_4")
		noMissing(t, r)
	})
	t.Run("unknown", func(t *testing.T) {
		r := classify(t, known(roles("deployer"), annexIII("4(a)"), U("art25.substantial_modification")), "")
		wantMissing(t, r, "art25.substantial_modification", "Art 25")
		noObligations(t, r, "art9")
		wantStep(t, r, "art25", euaiact.OutcomeUnknown)
	})
	t.Run("only for high-risk systems", func(t *testing.T) {
		r := classify(t, known(roles("deployer"), T("art25.own_name")), "")
		if slices.Contains(r.Roles.Effective, "provider") {
			t.Errorf("a minimal system made the deployer a provider: %+v", r.Roles)
		}
	})
}

// Art 25(3): the manufacturer of an Annex I Section A product is the
// provider of the high-risk AI system in it.
func TestProductManufacturer(t *testing.T) {
	product := T("annex_i.product_or_safety_component", "annex_i.third_party_conformity")
	r := classify(t, known(roles("product_manufacturer"), annexI("A.4"), product, T("annex_i.product_under_own_name")), "")
	wantClass(t, r, euaiact.HighRisk, "annex_i:A.4")
	if !slices.Equal(r.Roles.Effective, []string{"product_manufacturer", "provider"}) || len(r.Roles.Shifts) != 1 || r.Roles.Shifts[0].Ref != "Art 25(3)" {
		t.Errorf("roles = %+v, want the manufacturer to become provider under Art 25(3)", r.Roles)
	}
	wantObligations(t, r, providerHighRisk...)

	r = classify(t, known(roles("product_manufacturer"), annexI("A.4"), product, U("annex_i.product_under_own_name")), "")
	wantMissing(t, r, "annex_i.product_under_own_name", "Art 25")
	noObligations(t, r, "art9")

	// Section B: Art 25(3) does not reach it.
	r = classify(t, known(roles("product_manufacturer"), annexI("B.20"), product, T("annex_i.product_under_own_name")), "")
	if slices.Contains(r.Roles.Effective, "provider") {
		t.Errorf("a Section B manufacturer became provider: %+v", r.Roles)
	}
}

// Art 27 FRIA and Art 49(3) registration for the deployers they name.
func TestFRIAAndPublicRegistration(t *testing.T) {
	for _, tc := range []struct {
		name      string
		mods      []mod
		fria, reg bool
	}{
		{"public body", []mod{annexIII("4(a)"), T("deployer.public_body")}, true, true},
		{"private public service", []mod{annexIII("3(a)"), T("deployer.public_service")}, true, false},
		{"credit scoring", []mod{annexIII("5(b)")}, true, false},
		{"life and health insurance", []mod{annexIII("5(c)")}, true, false},
		{"private employer", []mod{annexIII("4(a)")}, false, false},
		{"public body, critical infrastructure", []mod{annexIII("2"), T("deployer.public_body")}, false, false},
		{"public body, point 2 and 5(a)", []mod{annexIII("2", "5(a)"), T("deployer.public_body")}, true, true},
		{"public body, not high-risk", []mod{annexIII("4(a)"), T("deployer.public_body", "art6_3.no_significant_risk", "art6_3.narrow_procedural")}, false, false},
		{"public body, Annex I only", []mod{annexI("A.11"), T("annex_i.product_or_safety_component", "annex_i.third_party_conformity", "deployer.public_body")}, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := classify(t, known(append([]mod{roles("deployer")}, tc.mods...)...), "")
			if got := obligation(r, "art27") != nil; got != tc.fria {
				t.Errorf("art27 listed = %v, want %v (obligations %v)", got, tc.fria, obligationIDs(r))
			}
			if got := obligation(r, "art49_3") != nil; got != tc.reg {
				t.Errorf("art49_3 listed = %v, want %v", got, tc.reg)
			}
			if tc.fria {
				wantObligations(t, r, "art27")
				wantDate(t, r, "art27", "2027-12-02", "2026/1744")
			}
			noMissing(t, r)
			// Point 2 alone: no right to an explanation either (Art 86(1)).
			if tc.name == "public body, critical infrastructure" {
				noObligations(t, r, "art86")
				wantObligations(t, r, "art26")
			}
		})
	}
	r := classify(t, known(roles("deployer"), annexIII("4(a)"), U("deployer.public_body", "deployer.public_service")), "")
	for _, f := range []string{"deployer.public_body", "deployer.public_service"} {
		wantMissing(t, r, f, "Art 27")
	}
	if o := obligation(r, "art27"); o == nil || o.Status != "may_apply" || !slices.Contains(o.Because, "deployer.public_body") {
		t.Errorf("art27 = %+v, want may_apply because of deployer.public_body", o)
	}
	// A provider is not asked about the deployer's nature.
	r = classify(t, known(roles("provider"), annexIII("4(a)"), U("deployer.public_body", "deployer.public_service")), "")
	noMissing(t, r)
}

// The supply-chain roles get their own duties.
func TestOtherRoles(t *testing.T) {
	for role, id := range map[string]string{"importer": "art23", "distributor": "art24", "authorised_representative": "art22"} {
		r := classify(t, known(roles(role), annexIII("4(a)")), "")
		wantObligations(t, r, id)
		noObligations(t, r, "art9", "art26", "art4")
	}
}

// Without roles, every duty the system brings may apply, because the roles
// decide whose it is; roles are asked.
func TestNoRoles(t *testing.T) {
	r := classify(t, known(roles(), annexIII("4(a)"), T("art50.interacts_with_people")), "")
	wantClass(t, r, euaiact.HighRisk, "annex_iii:4(a)")
	wantMissing(t, r, "roles", "obligations")
	for _, id := range []string{"art4", "art9", "art26", "art50_1"} {
		o := obligation(r, id)
		if o == nil || o.Status != "may_apply" || !slices.Contains(o.Because, "roles") {
			t.Errorf("%s = %+v, want may_apply because of roles", id, o)
		}
	}
	for _, d := range r.Transparency {
		if d.Yours {
			t.Errorf("duty %s is yours without roles", d.Key)
		}
	}
	if m := missing(r, "roles"); m == nil || !strings.Contains(m.Question, "provider") {
		t.Errorf("roles question = %+v", m)
	}
}

// TestArt22NonEUProvider: a provider established outside the Union must
// appoint an authorised representative for a high-risk system (Art 22(1));
// the question is asked only of providers of high-risk systems.
func TestArt22NonEUProvider(t *testing.T) {
	r := classify(t, known(roles("provider"), annexIII("4(a)"), T("art6_3.profiling", "art22.established_outside_eu")), euaiact.Amended)
	wantClass(t, r, euaiact.HighRisk, "annex_iii:4(a)")
	wantObligations(t, r, "art22_1", "art9", "art16")
	wantDate(t, r, "art22_1", "2027-12-02", "2026/1744")

	r = classify(t, known(roles("provider"), annexIII("4(a)"), T("art6_3.profiling"), F("art22.established_outside_eu")), euaiact.Amended)
	noObligations(t, r, "art22_1")

	r = classify(t, known(roles("provider"), annexIII("4(a)"), T("art6_3.profiling"), U("art22.established_outside_eu")), euaiact.Amended)
	wantMissing(t, r, "art22.established_outside_eu", "Art 22(1)")

	r = classify(t, known(roles("deployer"), annexIII("4(a)"), T("art6_3.profiling"), U("art22.established_outside_eu")), euaiact.Amended)
	if missing(r, "art22.established_outside_eu") != nil {
		t.Error("a deployer is asked where its provider is established")
	}
}
