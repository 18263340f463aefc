package euaiact_test

import (
	"testing"

	"github.com/caio-office/caio/internal/engine/euaiact"
)

// Each Art 5(1) point: all its conditions → prohibited; one false → not;
// one unknown → not, but the fact is asked with the article in the effect;
// each exception at its boundary.
func TestProhibitions(t *testing.T) {
	const (
		amended = euaiact.Amended
		enacted = euaiact.Enacted
	)
	aAll := T("art5.a.manipulative_technique", "art5.a.material_distortion", "art5.a.significant_harm")
	bAll := T("art5.b.exploits_vulnerability", "art5.b.material_distortion", "art5.b.significant_harm")
	// A prediction based solely on profiling is profiling (a contradiction
	// otherwise), so 1(d) cases answer art6_3.profiling true.
	dAll := T("art5.d.predicts_offending", "art5.d.solely_profiling", "art6_3.profiling")
	fAll := T("art5.f.infers_emotions", "art5.f.workplace_or_education")
	gAll := T("art5.g.biometric_categorisation", "art5.g.infers_sensitive_traits")
	hAll := T("art5.h.realtime_rbi", "art5.h.public_space", "art5.h.law_enforcement")
	hSafe := T("art5.h.prior_authorisation", "art5.h.fria_and_registration", "art5.h.national_law")
	ncii := T("art5.ncii.generates_intimate_content")

	for _, tc := range []struct {
		name     string
		timeline string
		mods     []mod
		point    string // the Art 5 point that applies, or ""
		unknown  string // a fact that must be listed as missing
		effect   string
		outcome  string // the trace outcome of the point's rule
		rule     string
	}{
		// (a) manipulation
		{name: "1(a) all conditions", mods: []mod{aAll}, point: "1(a)"},
		{name: "1(a) no significant harm", mods: []mod{aAll, F("art5.a.significant_harm")}, rule: "art5:1(a)", outcome: euaiact.OutcomeNot},
		{name: "1(a) no material distortion", mods: []mod{aAll, F("art5.a.material_distortion")}, rule: "art5:1(a)", outcome: euaiact.OutcomeNot},
		{name: "1(a) harm unknown", mods: []mod{aAll, U("art5.a.significant_harm")}, unknown: "art5.a.significant_harm", effect: "Art 5(1)(a)", rule: "art5:1(a)", outcome: euaiact.OutcomeUnknown},
		// (b) vulnerabilities
		{name: "1(b) all conditions", mods: []mod{bAll}, point: "1(b)"},
		{name: "1(b) no vulnerability", mods: []mod{bAll, F("art5.b.exploits_vulnerability")}, rule: "art5:1(b)", outcome: euaiact.OutcomeNot},
		{name: "1(b) distortion unknown", mods: []mod{bAll, U("art5.b.material_distortion")}, unknown: "art5.b.material_distortion", effect: "Art 5(1)(b)", rule: "art5:1(b)", outcome: euaiact.OutcomeUnknown},
		// (c) social scoring: either detriment suffices
		{name: "1(c) unrelated context", mods: []mod{T("art5.c.social_scoring", "art5.c.unrelated_context_detriment")}, point: "1(c)"},
		{name: "1(c) disproportionate", mods: []mod{T("art5.c.social_scoring", "art5.c.disproportionate_detriment")}, point: "1(c)"},
		{name: "1(c) score without detriment", mods: []mod{T("art5.c.social_scoring")}, rule: "art5:1(c)", outcome: euaiact.OutcomeNot},
		{name: "1(c) detriment unknown", mods: []mod{T("art5.c.social_scoring"), U("art5.c.unrelated_context_detriment")}, unknown: "art5.c.unrelated_context_detriment", effect: "Art 5(1)(c)", rule: "art5:1(c)", outcome: euaiact.OutcomeUnknown},
		// (d) crime prediction, and its human-assessment exception
		{name: "1(d) solely profiling", mods: []mod{dAll}, point: "1(d)"},
		{name: "1(d) supports a human assessment", mods: []mod{dAll, T("art5.d.supports_human_assessment")}, rule: "art5:1(d)", outcome: euaiact.OutcomeExcepted},
		{name: "1(d) exception unknown", mods: []mod{dAll, U("art5.d.supports_human_assessment")}, point: "1(d)", unknown: "art5.d.supports_human_assessment", effect: "exception of Art 5(1)(d)"},
		{name: "1(d) not solely profiling", mods: []mod{T("art5.d.predicts_offending")}, rule: "art5:1(d)", outcome: euaiact.OutcomeNot},
		{name: "1(d) basis unknown", mods: []mod{T("art5.d.predicts_offending"), U("art5.d.solely_profiling")}, unknown: "art5.d.solely_profiling", effect: "Art 5(1)(d)", rule: "art5:1(d)", outcome: euaiact.OutcomeUnknown},
		// (e) scraping
		{name: "1(e) untargeted scraping", mods: []mod{T("art5.e.untargeted_scraping")}, point: "1(e)"},
		{name: "1(e) unknown", mods: []mod{U("art5.e.untargeted_scraping")}, unknown: "art5.e.untargeted_scraping", effect: "Art 5(1)(e)", rule: "art5:1(e)", outcome: euaiact.OutcomeUnknown},
		// (f) emotion recognition at work or school, and its medical or safety exception
		{name: "1(f) at work", mods: []mod{fAll}, point: "1(f)"},
		{name: "1(f) medical or safety reasons", mods: []mod{fAll, T("art5.f.medical_or_safety")}, rule: "art5:1(f)", outcome: euaiact.OutcomeExcepted},
		{name: "1(f) medical reasons unknown", mods: []mod{fAll, U("art5.f.medical_or_safety")}, point: "1(f)", unknown: "art5.f.medical_or_safety", effect: "exception of Art 5(1)(f)"},
		{name: "1(f) outside work and education", mods: []mod{T("art5.f.infers_emotions")}, rule: "art5:1(f)", outcome: euaiact.OutcomeNot},
		{name: "1(f) setting unknown", mods: []mod{T("art5.f.infers_emotions"), U("art5.f.workplace_or_education")}, unknown: "art5.f.workplace_or_education", effect: "Art 5(1)(f)", rule: "art5:1(f)", outcome: euaiact.OutcomeUnknown},
		// (g) biometric categorisation, and its two exceptions
		{name: "1(g) sensitive traits", mods: []mod{gAll}, point: "1(g)"},
		{name: "1(g) lawful dataset labelling", mods: []mod{gAll, T("art5.g.lawful_dataset_labelling")}, rule: "art5:1(g)", outcome: euaiact.OutcomeExcepted},
		{name: "1(g) law enforcement", mods: []mod{gAll, T("art5.g.law_enforcement_categorisation")}, rule: "art5:1(g)", outcome: euaiact.OutcomeExcepted},
		{name: "1(g) exceptions unknown", mods: []mod{gAll, U("art5.g.lawful_dataset_labelling")}, point: "1(g)", unknown: "art5.g.lawful_dataset_labelling", effect: "exception of Art 5(1)(g)"},
		{name: "1(g) no sensitive trait", mods: []mod{T("art5.g.biometric_categorisation")}, rule: "art5:1(g)", outcome: euaiact.OutcomeNot},
		// (h) real-time RBI: an objective AND every safeguard lift it
		{name: "1(h) no objective", mods: []mod{hAll, hSafe}, point: "1(h)"},
		{name: "1(h) victims with safeguards", mods: []mod{hAll, hSafe, T("art5.h.objective_victims")}, rule: "art5:1(h)", outcome: euaiact.OutcomeExcepted},
		{name: "1(h) threat with safeguards", mods: []mod{hAll, hSafe, T("art5.h.objective_threat")}, rule: "art5:1(h)", outcome: euaiact.OutcomeExcepted},
		{name: "1(h) suspect with safeguards", mods: []mod{hAll, hSafe, T("art5.h.objective_suspect")}, rule: "art5:1(h)", outcome: euaiact.OutcomeExcepted},
		{name: "1(h) without prior authorisation", mods: []mod{hAll, hSafe, T("art5.h.objective_victims"), F("art5.h.prior_authorisation")}, point: "1(h)"},
		{name: "1(h) without FRIA and registration", mods: []mod{hAll, hSafe, T("art5.h.objective_threat"), F("art5.h.fria_and_registration")}, point: "1(h)"},
		{name: "1(h) without national law", mods: []mod{hAll, hSafe, T("art5.h.objective_suspect"), F("art5.h.national_law")}, point: "1(h)"},
		{name: "1(h) safeguard unknown", mods: []mod{hAll, hSafe, T("art5.h.objective_victims"), U("art5.h.national_law")}, point: "1(h)", unknown: "art5.h.national_law", effect: "exception of Art 5(1)(h)"},
		{name: "1(h) not for law enforcement", mods: []mod{T("art5.h.realtime_rbi", "art5.h.public_space")}, rule: "art5:1(h)", outcome: euaiact.OutcomeNot},
		{name: "1(h) public space unknown", mods: []mod{T("art5.h.realtime_rbi", "art5.h.law_enforcement"), U("art5.h.public_space")}, unknown: "art5.h.public_space", effect: "Art 5(1)(h)", rule: "art5:1(h)", outcome: euaiact.OutcomeUnknown},
		// the point added by the Digital Omnibus exists only as amended
		{name: "omnibus point as amended", timeline: amended, mods: []mod{ncii}, point: "ncii"},
		{name: "omnibus point as enacted", timeline: enacted, mods: []mod{ncii}, rule: "art5:ncii", outcome: euaiact.OutcomeSkipped},
		{name: "omnibus point unknown", timeline: amended, mods: []mod{U("art5.ncii.generates_intimate_content")}, unknown: "art5.ncii.generates_intimate_content", effect: "Reg (EU) 2026/1744", rule: "art5:ncii", outcome: euaiact.OutcomeUnknown},
		{name: "omnibus point unknown as enacted", timeline: enacted, mods: []mod{U("art5.ncii.generates_intimate_content")}, rule: "art5:ncii", outcome: euaiact.OutcomeSkipped},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := classify(t, known(tc.mods...), tc.timeline)
			if tc.point != "" {
				wantClass(t, r, euaiact.Prohibited, "art5:"+tc.point)
				wantStep(t, r, "art5:"+tc.point, euaiact.OutcomeApplies)
				wantObligations(t, r, "art5", "art4")
				if !hasReason(r, "prohibited practice") {
					t.Errorf("no reason says it is a prohibited practice: %v", r.Reasons)
				}
			} else if r.Class == euaiact.Prohibited {
				t.Errorf("class prohibited %v, want not prohibited", r.Basis)
			}
			if tc.point == "" {
				noObligations(t, r, "art5")
			}
			if tc.rule != "" {
				wantStep(t, r, tc.rule, tc.outcome)
			}
			if tc.outcome == euaiact.OutcomeExcepted && !hasReason(r, "exception") {
				t.Errorf("no reason names the exception: %v", r.Reasons)
			}
			if tc.unknown != "" {
				wantMissing(t, r, tc.unknown, tc.effect)
			} else {
				noMissing(t, r)
			}
		})
	}
}

// The date of the duty to stop follows the prohibitions that apply: the
// Omnibus point from 2 December 2026, the others from 2 February 2025.
func TestProhibitionDates(t *testing.T) {
	r := classify(t, known(T("art5.ncii.generates_intimate_content")), euaiact.Amended)
	wantDate(t, r, "art5", "2026-12-02", "2026/1744")
	o := obligation(r, "art5")
	if o != nil && (o.Dates.Enacted != "" || o.Dates.Milestone != "omnibus_prohibition") {
		t.Errorf("art5 dates = %+v, want the Omnibus milestone with no enacted date", o.Dates)
	}
	if s := step(r, "art5:ncii"); s == nil || s.Note != "applies from 2026-12-02" {
		t.Errorf("trace of the Omnibus point = %+v, want a note with its date", s)
	}

	r = classify(t, known(T("art5.ncii.generates_intimate_content", "art5.e.untargeted_scraping")), euaiact.Amended)
	wantClass(t, r, euaiact.Prohibited, "art5:1(e)", "art5:ncii")
	wantDate(t, r, "art5", "2025-02-02", "Art 113(a)")

	r = classify(t, known(T("art5.e.untargeted_scraping")), euaiact.Enacted)
	wantDate(t, r, "art5", "2025-02-02", "Art 113(a)")
}

// A prohibited practice stays prohibited whatever else holds; the
// transparency duties it would carry are listed but are not obligations,
// since the practice must stop.
func TestProhibitedOverridesOtherClasses(t *testing.T) {
	r := classify(t, known(T("art5.f.infers_emotions", "art5.f.workplace_or_education", "art50.emotion_or_biometric_categorisation"), annexIII("1(c)"), roles("deployer")), "")
	wantClass(t, r, euaiact.Prohibited, "art5:1(f)")
	if duty(r, "50(3)") == nil {
		t.Errorf("the Art 50(3) duty is not listed")
	}
	noObligations(t, r, "art50_3", "art26", "art27")
	wantObligations(t, r, "art5", "art4")
	if r.Conformity != nil {
		t.Errorf("a prohibited system has a conformity route %+v", r.Conformity)
	}

	// Facts that only the high-risk routes or Art 50 read cannot change a
	// prohibited result, so they are not asked; other Art 5 points still are.
	r = classify(t, known(T("art5.e.untargeted_scraping", "art5.a.manipulative_technique", "art5.a.material_distortion"), annexIII("1(a)"), annexI(""),
		U("annex_iii.verification_only", "art6_3.no_significant_risk", "art50.deep_fake", "art5.a.significant_harm")), "")
	wantClass(t, r, euaiact.Prohibited, "art5:1(e)")
	if len(r.Missing) != 1 {
		t.Errorf("missing = %+v, want only art5.a.significant_harm", r.Missing)
	}
	wantMissing(t, r, "art5.a.significant_harm", "Art 5(1)(a)")

	// With the medical exception, the same system is an Annex III 1(c)
	// emotion-recognition system: high-risk.
	r = classify(t, known(T("art5.f.infers_emotions", "art5.f.workplace_or_education", "art5.f.medical_or_safety", "art50.emotion_or_biometric_categorisation"), annexIII("1(c)"), roles("deployer")), "")
	wantClass(t, r, euaiact.HighRisk, "annex_iii:1(c)")
	wantObligations(t, r, "art26", "art50_3")
}
