package euaiact_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/euaiact"
)

var providerHighRisk = []string{"art9", "art10", "art11", "art12", "art13", "art14", "art15", "art16", "art17", "art18", "art19", "art20", "art43", "art47", "art48", "art72", "art73"}

// Every Annex III point, by key, is high-risk for its provider, with the
// provider's requirements, the Annex III date and the right Art 43 route.
func TestAnnexIIIPoints(t *testing.T) {
	keys := []string{"1(a)", "1(b)", "1(c)", "2", "3(a)", "3(b)", "3(c)", "3(d)", "4(a)", "4(b)", "5(a)", "5(b)", "5(c)", "5(d)",
		"6(a)", "6(b)", "6(c)", "6(d)", "6(e)", "7(a)", "7(b)", "7(c)", "7(d)", "8(a)", "8(b)"}
	c := euaiact.MustContent()
	if len(c.AnnexIII) != len(keys) {
		t.Fatalf("content has %d Annex III points, want %d", len(c.AnnexIII), len(keys))
	}
	for i, k := range keys {
		if c.AnnexIII[i].Key != k || c.AnnexIIIPointDef(k) == nil {
			t.Fatalf("Annex III point %d is %q, want %q", i, c.AnnexIII[i].Key, k)
		}
	}
	for _, k := range keys {
		t.Run(k, func(t *testing.T) {
			r := classify(t, known(annexIII(k)), euaiact.Amended)
			wantClass(t, r, euaiact.HighRisk, "annex_iii:"+k)
			noMissing(t, r)
			wantObligations(t, r, providerHighRisk...)
			wantDate(t, r, "art9", "2027-12-02", "2026/1744")
			if o := obligation(r, "art9"); o != nil && (o.Dates.Enacted != "2026-08-02" || o.Dates.EnactedSource != "Art 113, second paragraph") {
				t.Errorf("art9 enacted date %s (%s), want 2026-08-02 (Art 113, second paragraph)", o.Dates.Enacted, o.Dates.EnactedSource)
			}
			if k == "2" {
				// Critical infrastructure registers nationally, not in the EU database.
				wantObligations(t, r, "art49_5")
				noObligations(t, r, "art49_1")
			} else {
				wantObligations(t, r, "art49_1")
				noObligations(t, r, "art49_5")
			}
			route := "internal_control"
			if k[0] == '1' {
				route = "internal_or_notified_body"
			}
			if r.Conformity == nil || r.Conformity.Route != route {
				t.Errorf("conformity = %+v, want %s", r.Conformity, route)
			}
			if !hasReason(r, "Annex III point "+k) {
				t.Errorf("no reason cites Annex III point %s: %v", k, r.Reasons)
			}
			noObligations(t, r, "art6_4", "art49_2", "art26", "art27")

			enacted := classify(t, known(annexIII(k)), euaiact.Enacted)
			wantDate(t, enacted, "art9", "2026-08-02", "Art 113")
		})
	}
	// A system listed under several points has each as its basis.
	r := classify(t, known(annexIII("4(a)", "4(b)")), "")
	wantClass(t, r, euaiact.HighRisk, "annex_iii:4(a)", "annex_iii:4(b)")
}

// The carve-outs written into Annex III (and the recitals that read it)
// take the system out of the point; an unknown carve-out does not.
func TestAnnexIIICarveOuts(t *testing.T) {
	for _, tc := range []struct {
		point, fact string
		class       string // class when the carve-out holds
	}{
		{"1(a)", "annex_iii.verification_only", euaiact.Minimal},
		{"1(a)", "annex_iii.cybersecurity_only", euaiact.Minimal},
		// A biometric categorisation or emotion-recognition system used
		// for cybersecurity is not high-risk, but its deployers must still
		// inform the people exposed to it (Art 50(3)).
		{"1(b)", "annex_iii.cybersecurity_only", euaiact.TransparencyOnly},
		{"1(c)", "annex_iii.cybersecurity_only", euaiact.TransparencyOnly},
		{"2", "annex_iii.cybersecurity_only", euaiact.Minimal},
		{"5(b)", "annex_iii.fraud_detection", euaiact.Minimal},
		{"7(d)", "annex_iii.travel_document_verification", euaiact.Minimal},
		{"8(a)", "annex_iii.ancillary_admin", euaiact.Minimal},
		{"8(b)", "annex_iii.not_directly_exposed", euaiact.Minimal},
	} {
		t.Run(tc.point+" "+tc.fact, func(t *testing.T) {
			r := classify(t, known(annexIII(tc.point), T(tc.fact)), "")
			if r.Class != tc.class {
				t.Errorf("class %s %v, want %s", r.Class, r.Basis, tc.class)
			}
			wantStep(t, r, "annex_iii:"+tc.point, euaiact.OutcomeExcepted)
			if !hasReason(r, "carve-out") {
				t.Errorf("no reason names the carve-out: %v", r.Reasons)
			}
			noObligations(t, r, "art9", "art49_1")
			noMissing(t, r)
			if tc.class == euaiact.TransparencyOnly {
				wantClass(t, r, euaiact.TransparencyOnly, "art50:50(3)")
			}

			// Unknown: still high-risk, and the carve-out is asked.
			r = classify(t, known(annexIII(tc.point), U(tc.fact)), "")
			wantClass(t, r, euaiact.HighRisk, "annex_iii:"+tc.point)
			wantMissing(t, r, tc.fact, "Annex III point "+tc.point)
			wantObligations(t, r, "art9")
		})
	}
	// A carve-out of one point does not reach another.
	r := classify(t, known(annexIII("5(b)", "5(c)"), T("annex_iii.fraud_detection")), "")
	wantClass(t, r, euaiact.HighRisk, "annex_iii:5(c)")
	// Points without a carve-out do not read the carve-out facts.
	r = classify(t, known(annexIII("4(a)"), U("annex_iii.fraud_detection", "annex_iii.verification_only")), "")
	noMissing(t, r)
}

// Annex III unknown, or Annex I unknown: no high-risk class, but asked.
func TestHighRiskRoutesUnknown(t *testing.T) {
	r := classify(t, known(func(p *euaiact.Profile) { p.AnnexIII = nil }), "")
	wantClass(t, r, euaiact.Minimal)
	wantMissing(t, r, "annex_iii", "Art 6(2)")
	r = classify(t, known(annexI("")), "")
	wantClass(t, r, euaiact.Minimal)
	wantMissing(t, r, "annex_i", "Art 6(1)")
}

// Art 6(3): each condition, with no significant risk, takes an Annex III
// system out of high-risk; the provider documents and registers that.
func TestArt63Filter(t *testing.T) {
	conds := map[string]string{"a": "art6_3.narrow_procedural", "b": "art6_3.improves_human_result", "c": "art6_3.detects_patterns", "d": "art6_3.preparatory"}
	for _, l := range []string{"a", "b", "c", "d"} {
		t.Run(l, func(t *testing.T) {
			r := classify(t, known(annexIII("4(a)"), T("art6_3.no_significant_risk", conds[l])), "")
			wantClass(t, r, euaiact.NotHighRisk, "annex_iii:4(a)", "art6_3:"+l)
			wantObligations(t, r, "art6_4", "art49_2", "art4")
			wantDate(t, r, "art6_4", "2027-12-02", "2026/1744")
			noObligations(t, r, providerHighRisk...)
			noObligations(t, r, "art49_1")
			if r.Conformity != nil {
				t.Errorf("conformity %+v for a system that is not high-risk", r.Conformity)
			}
			wantStep(t, r, "art6_3", euaiact.OutcomeApplies)
			if !hasReason(r, "Art 6("+"3)("+l+")") {
				t.Errorf("no reason cites Art 6(3)(%s): %v", l, r.Reasons)
			}
			for _, x := range r.Reasons {
				if strings.Contains(x.Text, " and only perform ") || strings.Contains(x.Text, "Does it") {
					t.Errorf("reason is not a sentence: %q", x.Text)
				}
			}
			noMissing(t, r)

			// A deployer has no Art 6(4) duty: that is the provider's.
			r = classify(t, known(annexIII("4(a)"), T("art6_3.no_significant_risk", conds[l]), roles("deployer")), "")
			wantClass(t, r, euaiact.NotHighRisk, "annex_iii:4(a)", "art6_3:"+l)
			noObligations(t, r, "art6_4", "art49_2", "art26")
		})
	}
	for _, tc := range []struct {
		name    string
		mods    []mod
		unknown []string
	}{
		{name: "profiling overrides the filter", mods: []mod{T("art6_3.no_significant_risk", "art6_3.narrow_procedural", "art6_3.profiling")}},
		{name: "significant risk", mods: []mod{T("art6_3.narrow_procedural")}},
		{name: "no condition met", mods: []mod{T("art6_3.no_significant_risk")}},
		{name: "condition unknown", mods: []mod{T("art6_3.no_significant_risk"), U("art6_3.narrow_procedural")}, unknown: []string{"art6_3.narrow_procedural"}},
		{name: "risk unknown", mods: []mod{T("art6_3.preparatory"), U("art6_3.no_significant_risk")}, unknown: []string{"art6_3.no_significant_risk"}},
		{name: "profiling unknown", mods: []mod{T("art6_3.no_significant_risk", "art6_3.preparatory"), U("art6_3.profiling")}, unknown: []string{"art6_3.profiling"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := classify(t, known(append([]mod{annexIII("4(a)")}, tc.mods...)...), "")
			wantClass(t, r, euaiact.HighRisk, "annex_iii:4(a)")
			wantObligations(t, r, providerHighRisk...)
			noObligations(t, r, "art6_4", "art49_2")
			for _, f := range tc.unknown {
				wantMissing(t, r, f, "Art 6(3)")
			}
			if tc.unknown == nil {
				noMissing(t, r)
			}
		})
	}
	// Several conditions met: each is part of the basis.
	r := classify(t, known(annexIII("3(b)"), T("art6_3.no_significant_risk", "art6_3.narrow_procedural", "art6_3.preparatory")), "")
	wantClass(t, r, euaiact.NotHighRisk, "annex_iii:3(b)", "art6_3:a", "art6_3:d")
}

// Art 6(1) with Annex I: Section A products get the full regime from the
// Annex I date; Section B products only what Art 2(2) leaves.
func TestAnnexI(t *testing.T) {
	product := T("annex_i.product_or_safety_component", "annex_i.third_party_conformity")

	t.Run("A.11 medical device", func(t *testing.T) {
		for _, tc := range []struct{ timeline, date, source string }{
			{euaiact.Amended, "2028-08-02", "2026/1744"},
			{euaiact.Enacted, "2027-08-02", "Art 113(c)"},
		} {
			r := classify(t, known(annexI("A.11"), product), tc.timeline)
			wantClass(t, r, euaiact.HighRisk, "annex_i:A.11")
			noMissing(t, r)
			wantObligations(t, r, providerHighRisk...)
			wantObligations(t, r, "art4")
			noObligations(t, r, "art49_1", "art27", "art86")
			wantDate(t, r, "art9", tc.date, tc.source)
			wantDate(t, r, "art43", tc.date, tc.source)
			if r.Conformity == nil || r.Conformity.Route != "sectoral" || r.Conformity.Ref != "Art 43(3)" {
				t.Errorf("conformity = %+v, want the sectoral route of Art 43(3)", r.Conformity)
			}
			if !hasReason(r, "Regulation (EU) 2017/745") {
				t.Errorf("no reason names the medical devices regulation: %v", r.Reasons)
			}
		}
		// A deployer of the device has the deployer duties from the same date.
		r := classify(t, known(annexI("A.11"), product, roles("deployer")), "")
		wantObligations(t, r, "art26")
		wantDate(t, r, "art26", "2028-08-02", "2026/1744")
	})

	t.Run("B.18 motor vehicles", func(t *testing.T) {
		r := classify(t, known(annexI("B.18"), product), "")
		wantClass(t, r, euaiact.HighRisk, "annex_i:B.18")
		if !hasReason(r, "Art 2(2)") {
			t.Errorf("no reason cites Art 2(2): %v", r.Reasons)
		}
		if r.Conformity == nil || r.Conformity.Route != "sectoral_law" {
			t.Errorf("conformity = %+v, want sectoral_law", r.Conformity)
		}
		noObligations(t, r, providerHighRisk...)
		noObligations(t, r, "art4", "art26", "art49_1")
		if len(r.Obligations) != 0 {
			t.Errorf("obligations %v, want none: Art 2(2) leaves only Arts 6(1), 102–109 and 112", obligationIDs(r))
		}
		// A chatbot in such a product: the duty is shown, with a note, but
		// Art 2(2) keeps it out of the Act's obligations.
		r = classify(t, known(annexI("B.18"), product, T("art50.interacts_with_people")), "")
		wantClass(t, r, euaiact.HighRisk, "annex_i:B.18")
		if d := duty(r, "50(1)"); d == nil || !strings.Contains(d.Note, "Art 2(2)") {
			t.Errorf("the 50(1) duty = %+v, want it listed with an Art 2(2) note", d)
		}
		noObligations(t, r, "art50_1")
		// Also listed in Annex III: the full regime applies through Art 6(2).
		r = classify(t, known(annexI("B.18"), product, annexIII("4(a)")), "")
		wantClass(t, r, euaiact.HighRisk, "annex_i:B.18", "annex_iii:4(a)")
		if hasReason(r, "Art 2(2)") {
			t.Errorf("the Art 2(2) reason is given for a system also under Annex III: %v", r.Reasons)
		}
		wantObligations(t, r, providerHighRisk...)
		wantDate(t, r, "art9", "2027-12-02", "2026/1744")
		if r.Conformity == nil || r.Conformity.Route != "internal_control" {
			t.Errorf("conformity = %+v, want the Annex III route", r.Conformity)
		}
	})

	t.Run("machinery moves from A.1 to B.21", func(t *testing.T) {
		for _, tc := range []struct {
			key, timeline, basis, route string
			full                        bool
		}{
			{"A.1", euaiact.Enacted, "annex_i:A.1", "sectoral", true},
			{"A.1", euaiact.Amended, "annex_i:B.21", "sectoral_law", false},
			{"B.21", euaiact.Amended, "annex_i:B.21", "sectoral_law", false},
			{"B.21", euaiact.Enacted, "annex_i:A.1", "sectoral", true},
		} {
			r := classify(t, known(annexI(tc.key), product), tc.timeline)
			wantClass(t, r, euaiact.HighRisk, tc.basis)
			if r.Conformity == nil || r.Conformity.Route != tc.route {
				t.Errorf("%s %s: conformity = %+v, want %s", tc.key, tc.timeline, r.Conformity, tc.route)
			}
			if tc.full {
				wantObligations(t, r, "art9")
				wantDate(t, r, "art9", "2027-08-02", "Art 113(c)")
			} else {
				noObligations(t, r, "art9")
			}
			if tc.key+"" != strings.TrimPrefix(tc.basis, "annex_i:") {
				if s := step(r, tc.basis); s == nil || !strings.Contains(s.Note, tc.key+" is ") {
					t.Errorf("%s %s: trace %+v does not say where %s went", tc.key, tc.timeline, s, tc.key)
				}
			}
		}
	})

	t.Run("Art 6(1a)–(1c) only as amended", func(t *testing.T) {
		nonSafety := T("annex_i.non_safety_aspects_only")
		for _, tc := range []struct {
			name     string
			mods     []mod
			amended  string // class as amended
			unknown  string
			effect   string
			enactedC string
		}{
			{"non-safety aspects only", []mod{nonSafety}, euaiact.Minimal, "", "", euaiact.HighRisk},
			{"non-safety, but failure endangers safety", []mod{nonSafety, T("annex_i.failure_endangers_safety")}, euaiact.HighRisk, "", "", euaiact.HighRisk},
			{"non-safety, failure unknown", []mod{nonSafety, U("annex_i.failure_endangers_safety")}, euaiact.Minimal, "annex_i.failure_endangers_safety", "Art 6(1a)", euaiact.HighRisk},
			{"non-safety unknown", []mod{U("annex_i.non_safety_aspects_only")}, euaiact.HighRisk, "annex_i.non_safety_aspects_only", "Art 6(1a)", euaiact.HighRisk},
			{"third party only for non-safety reasons", []mod{T("annex_i.third_party_only_non_safety")}, euaiact.Minimal, "", "", euaiact.HighRisk},
			{"third-party reason unknown", []mod{U("annex_i.third_party_only_non_safety")}, euaiact.HighRisk, "annex_i.third_party_only_non_safety", "Art 6(1c)", euaiact.HighRisk},
		} {
			t.Run(tc.name, func(t *testing.T) {
				p := known(append([]mod{annexI("A.9"), product}, tc.mods...)...)
				r := classify(t, p, euaiact.Amended)
				if r.Class != tc.amended {
					t.Errorf("as amended: class %s %v, want %s", r.Class, r.Basis, tc.amended)
				}
				if tc.unknown != "" {
					wantMissing(t, r, tc.unknown, tc.effect)
				} else {
					noMissing(t, r)
				}
				r = classify(t, p, euaiact.Enacted)
				wantClass(t, r, tc.enactedC, "annex_i:A.9")
				noMissing(t, r) // the amended provisions are not asked as enacted
			})
		}
	})

	t.Run("conditions of Art 6(1)", func(t *testing.T) {
		for _, tc := range []struct {
			name    string
			mods    []mod
			class   string
			unknown string
		}{
			{"not a safety component", []mod{F("annex_i.product_or_safety_component")}, euaiact.Minimal, ""},
			{"no third-party assessment", []mod{F("annex_i.third_party_conformity")}, euaiact.Minimal, ""},
			{"safety component unknown", []mod{U("annex_i.product_or_safety_component")}, euaiact.Minimal, "annex_i.product_or_safety_component"},
			{"third party unknown", []mod{U("annex_i.third_party_conformity")}, euaiact.Minimal, "annex_i.third_party_conformity"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				r := classify(t, known(annexI("A.11"), product, tc.mods[0]), "")
				if r.Class != tc.class {
					t.Errorf("class %s %v, want %s", r.Class, r.Basis, tc.class)
				}
				if tc.unknown != "" {
					wantMissing(t, r, tc.unknown, "Art 6(1)")
				}
			})
		}
	})

	t.Run("Annex I and Annex III together", func(t *testing.T) {
		r := classify(t, known(annexI("A.11"), product, annexIII("5(d)")), euaiact.Amended)
		wantClass(t, r, euaiact.HighRisk, "annex_i:A.11", "annex_iii:5(d)")
		// The Annex III listing brings the earlier date and its registration.
		wantDate(t, r, "art9", "2027-12-02", "2026/1744")
		wantObligations(t, r, "art49_1")
		if r.Conformity == nil || r.Conformity.Route != "sectoral" {
			t.Errorf("conformity = %+v, want sectoral (Art 43(3))", r.Conformity)
		}
	})
}

// Art 111(2): high-risk systems for public authorities already on the
// market before 2 August 2026 have until 2 August 2030, on either route.
func TestLegacyPublicAuthorityDates(t *testing.T) {
	r := classify(t, known(annexIII("5(a)"), T("art111.legacy_public_authority")), "")
	wantDate(t, r, "art9", "2030-08-02", "Art 111(2)")
	r = classify(t, known(annexI("A.11"), T("annex_i.product_or_safety_component", "annex_i.third_party_conformity", "art111.legacy_public_authority")), euaiact.Enacted)
	wantDate(t, r, "art9", "2030-08-02", "Art 111(2)")
	// Unknown: the earlier date, and the question is asked.
	r = classify(t, known(annexIII("5(a)"), U("art111.legacy_public_authority")), "")
	wantDate(t, r, "art9", "2027-12-02", "2026/1744")
	wantMissing(t, r, "art111.legacy_public_authority", "2030-08-02")
}
