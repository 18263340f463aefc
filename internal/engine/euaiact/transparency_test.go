package euaiact_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/euaiact"
)

// Art 50(1)–(4): each duty, its holder, its exceptions, and whose it is.
func TestTransparencyDuties(t *testing.T) {
	for _, tc := range []struct {
		name       string
		mods       []mod
		duty       string // the duty that applies, or ""
		obligation string
		holder     string
		excepted   string // the rule excepted, when duty is ""
	}{
		{name: "50(1) chatbot", mods: []mod{T("art50.interacts_with_people")}, duty: "50(1)", obligation: "art50_1", holder: "provider"},
		{name: "50(1) obvious", mods: []mod{T("art50.interacts_with_people", "art50.obvious_ai")}, excepted: "art50:50(1)"},
		{name: "50(1) law enforcement", mods: []mod{T("art50.interacts_with_people", "art50.law_enforcement_authorised")}, excepted: "art50:50(1)"},
		{name: "50(2) synthetic content", mods: []mod{T("art50.generates_synthetic_content")}, duty: "50(2)", obligation: "art50_2", holder: "provider"},
		{name: "50(2) assistive editing", mods: []mod{T("art50.generates_synthetic_content", "art50.assistive_editing_only")}, excepted: "art50:50(2)"},
		{name: "50(2) law enforcement", mods: []mod{T("art50.generates_synthetic_content", "art50.law_enforcement_authorised")}, excepted: "art50:50(2)"},
		{name: "50(3) emotion recognition", mods: []mod{T("art50.emotion_or_biometric_categorisation")}, duty: "50(3)", obligation: "art50_3", holder: "deployer"},
		{name: "50(3) law enforcement", mods: []mod{T("art50.emotion_or_biometric_categorisation", "art50.law_enforcement_authorised")}, excepted: "art50:50(3)"},
		{name: "50(4) deep fake", mods: []mod{T("art50.deep_fake")}, duty: "50(4)-deepfake", obligation: "art50_4", holder: "deployer"},
		{name: "50(4) deep fake law enforcement", mods: []mod{T("art50.deep_fake", "art50.law_enforcement_authorised")}, excepted: "art50:50(4)-deepfake"},
		{name: "50(4) public-interest text", mods: []mod{T("art50.public_interest_text")}, duty: "50(4)-text", obligation: "art50_4", holder: "deployer"},
		{name: "50(4) text under editorial review", mods: []mod{T("art50.public_interest_text", "art50.editorial_review")}, excepted: "art50:50(4)-text"},
		{name: "50(4) text law enforcement", mods: []mod{T("art50.public_interest_text", "art50.law_enforcement_authorised")}, excepted: "art50:50(4)-text"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, role := range []string{"provider", "deployer"} {
				r := classify(t, known(append([]mod{roles(role)}, tc.mods...)...), "")
				noMissing(t, r)
				if tc.duty == "" {
					wantClass(t, r, euaiact.Minimal)
					wantStep(t, r, tc.excepted, euaiact.OutcomeExcepted)
					if len(r.Transparency) != 0 {
						t.Errorf("transparency = %+v, want none", r.Transparency)
					}
					continue
				}
				wantClass(t, r, euaiact.TransparencyOnly, "art50:"+tc.duty)
				d := duty(r, tc.duty)
				if d == nil {
					t.Fatalf("duty %s not listed: %+v", tc.duty, r.Transparency)
				}
				if d.Holder != tc.holder || d.Yours != (role == tc.holder) || !strings.HasPrefix(d.Ref, "Art 50(") {
					t.Errorf("as %s: duty %+v, want holder %s, yours %v", role, d, tc.holder, role == tc.holder)
				}
				if role == tc.holder {
					wantObligations(t, r, tc.obligation)
					wantDate(t, r, tc.obligation, "2026-08-02", "Art 113")
				} else {
					noObligations(t, r, tc.obligation)
				}
			}
		})
	}
}

func TestTransparencyDetails(t *testing.T) {
	t.Run("artistic deep fake", func(t *testing.T) {
		r := classify(t, known(T("art50.deep_fake", "art50.artistic_work"), roles("deployer")), "")
		if d := duty(r, "50(4)-deepfake"); d == nil || !strings.Contains(d.Note, "does not hamper") {
			t.Errorf("duty = %+v, want a note on the lighter disclosure for artistic works", d)
		}
		wantObligations(t, r, "art50_4")
	})
	t.Run("overlay on a high-risk system", func(t *testing.T) {
		r := classify(t, known(annexIII("4(a)"), T("art50.interacts_with_people")), "")
		wantClass(t, r, euaiact.HighRisk, "annex_iii:4(a)")
		if d := duty(r, "50(1)"); d == nil || !d.Yours {
			t.Errorf("duty 50(1) = %+v, want it listed and the provider's", d)
		}
		wantObligations(t, r, "art50_1", "art9")
	})
	t.Run("overlay on a not-high-risk system", func(t *testing.T) {
		r := classify(t, known(annexIII("4(a)"), T("art6_3.no_significant_risk", "art6_3.narrow_procedural", "art50.generates_synthetic_content")), "")
		wantClass(t, r, euaiact.NotHighRisk, "annex_iii:4(a)", "art6_3:a")
		wantObligations(t, r, "art50_2", "art6_4")
	})
	t.Run("Annex III biometric points bring Art 50(3)", func(t *testing.T) {
		for _, k := range []string{"1(b)", "1(c)"} {
			r := classify(t, known(annexIII(k), roles("deployer")), "")
			wantClass(t, r, euaiact.HighRisk, "annex_iii:"+k)
			if duty(r, "50(3)") == nil {
				t.Errorf("%s: no Art 50(3) duty", k)
			}
			wantObligations(t, r, "art50_3", "art26")
		}
	})
	t.Run("Art 50(2) grace for systems already on the market", func(t *testing.T) {
		p := known(T("art50.generates_synthetic_content", "art50.on_market_before_2026_08"))
		wantDate(t, classify(t, p, euaiact.Amended), "art50_2", "2026-12-02", "2026/1744")
		wantDate(t, classify(t, p, euaiact.Enacted), "art50_2", "2026-08-02", "Art 113")
		// Other Art 50 duties keep 2 August 2026.
		p = known(T("art50.interacts_with_people", "art50.on_market_before_2026_08"))
		wantDate(t, classify(t, p, euaiact.Amended), "art50_1", "2026-08-02", "Art 113")
		// Unknown: the earlier date, and asked where the answer moves it.
		p = known(T("art50.generates_synthetic_content"), U("art50.on_market_before_2026_08"))
		r := classify(t, p, euaiact.Amended)
		wantDate(t, r, "art50_2", "2026-08-02", "Art 113")
		wantMissing(t, r, "art50.on_market_before_2026_08", "2026-12-02")
		noMissing(t, classify(t, p, euaiact.Enacted))
	})
	t.Run("unknown triggers and exceptions", func(t *testing.T) {
		r := classify(t, known(U("art50.interacts_with_people")), "")
		wantClass(t, r, euaiact.Minimal)
		wantMissing(t, r, "art50.interacts_with_people", "Art 50(1)")
		r = classify(t, known(T("art50.interacts_with_people"), U("art50.obvious_ai")), "")
		wantClass(t, r, euaiact.TransparencyOnly, "art50:50(1)")
		wantMissing(t, r, "art50.obvious_ai", "Art 50(1)")
		r = classify(t, known(T("art50.public_interest_text"), U("art50.editorial_review")), "")
		wantClass(t, r, euaiact.TransparencyOnly, "art50:50(4)-text")
		wantMissing(t, r, "art50.editorial_review", "Art 50(4)")
	})
	t.Run("all four at once", func(t *testing.T) {
		r := classify(t, known(roles("provider", "deployer"), T("art50.interacts_with_people", "art50.generates_synthetic_content", "art50.emotion_or_biometric_categorisation", "art50.deep_fake", "art50.public_interest_text")), "")
		wantClass(t, r, euaiact.TransparencyOnly, "art50:50(1)", "art50:50(2)", "art50:50(3)", "art50:50(4)-deepfake", "art50:50(4)-text")
		wantObligations(t, r, "art50_1", "art50_2", "art50_3", "art50_4")
		for _, d := range r.Transparency {
			if !d.Yours {
				t.Errorf("duty %s is not yours, but the organisation is provider and deployer", d.Key)
			}
		}
	})
}
