package euaiact_test

import (
	"slices"
	"testing"

	"github.com/caio-office/caio/internal/engine/euaiact"
)

var gpaiAll = []string{"art52", "art53_1a", "art53_1b", "art53_1c", "art53_1d", "art54", "art55"}

// The general-purpose model axis, separate from the class.
func TestGPAI(t *testing.T) {
	provider := T("gpai.provider")
	for _, tc := range []struct {
		name      string
		mods      []mod
		status    string
		basis     []string
		exempt    bool
		present   []string
		absent    []string
		unknown   []string
		milestone string
	}{
		{name: "not a model provider", status: "not_applicable", absent: gpaiAll},
		{name: "provider of a narrow model", mods: []mod{provider}, status: "not_applicable", absent: gpaiAll},
		{name: "generality", mods: []mod{provider, T("gpai.generality"), flop(1e22)}, status: "gpai", basis: []string{"art3_63"},
			present: []string{"art53_1a", "art53_1b", "art53_1c", "art53_1d"}, absent: []string{"art52", "art54", "art55"}},
		{name: "indicative criterion", mods: []mod{provider, U("gpai.generality"), T("gpai.generates_content"), flop(2e23)}, status: "gpai", basis: []string{"gpai_guidelines:indicative"},
			present: []string{"art53_1a", "art53_1d"}},
		{name: "indicative compute, output unknown", mods: []mod{provider, U("gpai.generality", "gpai.generates_content"), flop(2e23)}, status: "unknown",
			absent: gpaiAll, unknown: []string{"gpai.generality", "gpai.generates_content"}},
		{name: "below the indicative compute", mods: []mod{provider, U("gpai.generality"), T("gpai.generates_content"), flop(1e23)}, status: "unknown",
			absent: gpaiAll, unknown: []string{"gpai.generality"}},
		{name: "generality and compute unknown", mods: []mod{provider, U("gpai.generality")}, status: "unknown", absent: gpaiAll, unknown: []string{"gpai.generality", "training_flop"}},
		{name: "provider unknown", mods: []mod{U("gpai.provider")}, status: "unknown", absent: gpaiAll, unknown: []string{"gpai.provider"}},
		{name: "systemic by compute", mods: []mod{provider, T("gpai.generality"), flop(2e25)}, status: "gpai_systemic_risk", basis: []string{"art3_63", "art51_2"},
			present: []string{"art52", "art53_1a", "art53_1b", "art53_1c", "art53_1d", "art55"}, absent: []string{"art54"}},
		{name: "exactly the threshold is not above it", mods: []mod{provider, T("gpai.generality"), flop(1e25)}, status: "gpai", absent: []string{"art52", "art55"}},
		{name: "systemic by designation", mods: []mod{provider, T("gpai.generality", "gpai.designated"), flop(1e24)}, status: "gpai_systemic_risk", basis: []string{"art3_63", "art51_1b"},
			present: []string{"art55"}, absent: []string{"art52"}},
		{name: "designated and above the threshold", mods: []mod{provider, T("gpai.generality", "gpai.designated"), flop(2e25)}, status: "gpai_systemic_risk", basis: []string{"art3_63", "art51_1b", "art51_2"},
			present: []string{"art52", "art55"}},
		{name: "systemic by high-impact capabilities", mods: []mod{provider, T("gpai.generality", "gpai.high_impact_capabilities")}, status: "gpai_systemic_risk", basis: []string{"art3_63", "art51_1a"},
			present: []string{"art52", "art55"}},
		{name: "systemic risk unknown", mods: []mod{provider, T("gpai.generality"), U("gpai.designated", "gpai.high_impact_capabilities")}, status: "gpai",
			present: []string{"art53_1a"}, absent: []string{"art52", "art55"}, unknown: []string{"gpai.designated", "gpai.high_impact_capabilities", "training_flop"}},
		{name: "open source", mods: []mod{provider, T("gpai.generality", "gpai.open_source", "gpai.non_eu_provider"), flop(1e24)}, status: "gpai", exempt: true,
			present: []string{"art53_1c", "art53_1d"}, absent: []string{"art53_1a", "art53_1b", "art54", "art52", "art55"}},
		{name: "open source with systemic risk", mods: []mod{provider, T("gpai.generality", "gpai.open_source", "gpai.non_eu_provider"), flop(3e25)}, status: "gpai_systemic_risk",
			present: gpaiAll},
		{name: "open source, systemic risk unknown", mods: []mod{provider, T("gpai.generality", "gpai.open_source"), U("gpai.designated")}, status: "gpai",
			present: []string{"art53_1a", "art53_1b"}, unknown: []string{"gpai.designated"}},
		{name: "open source unknown", mods: []mod{provider, T("gpai.generality"), U("gpai.open_source")}, status: "gpai",
			present: []string{"art53_1a", "art53_1b"}, unknown: []string{"gpai.open_source"}},
		{name: "non-EU provider", mods: []mod{provider, T("gpai.generality", "gpai.non_eu_provider")}, status: "gpai", present: []string{"art54"}},
		{name: "legacy model", mods: []mod{provider, T("gpai.generality", "gpai.placed_before_2025_08"), flop(2e25)}, status: "gpai_systemic_risk",
			present: []string{"art52", "art53_1a", "art55"}, milestone: "gpai_legacy"},
		{name: "legacy unknown", mods: []mod{provider, T("gpai.generality"), U("gpai.placed_before_2025_08")}, status: "gpai",
			present: []string{"art53_1a"}, unknown: []string{"gpai.placed_before_2025_08"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := classify(t, known(tc.mods...), "")
			g := r.GPAI
			if g.Status != tc.status || g.OpenSourceExemption != tc.exempt {
				t.Errorf("gpai = %+v, want status %s, exemption %v", g, tc.status, tc.exempt)
			}
			if tc.basis != nil && !slices.Equal(g.Basis, tc.basis) {
				t.Errorf("gpai basis = %v, want %v", g.Basis, tc.basis)
			}
			if len(g.Basis) > 0 && len(g.Reasons) == 0 {
				t.Errorf("gpai has a basis but no reasons")
			}
			wantObligations(t, r, tc.present...)
			noObligations(t, r, tc.absent...)
			for _, f := range tc.unknown {
				wantMissing(t, r, f, "")
			}
			if tc.unknown == nil {
				noMissing(t, r)
			}
			// The model axis never changes the class of the system.
			if r.Class != euaiact.Minimal {
				t.Errorf("class %s, want minimal", r.Class)
			}
			for _, id := range tc.present {
				o := obligation(r, id)
				if o == nil {
					continue
				}
				if !slices.Equal(o.Roles, []string{"provider"}) {
					t.Errorf("%s roles = %v, want provider", id, o.Roles)
				}
				switch tc.milestone {
				case "gpai_legacy":
					wantDate(t, r, id, "2027-08-02", "Art 111(3)")
				default:
					wantDate(t, r, id, "2025-08-02", "Art 113(b)")
				}
			}
		})
	}
}

// The model duties follow gpai.provider, not the roles towards the system:
// a deployer of its own model still has them.
func TestGPAIFollowsModelNotRoles(t *testing.T) {
	r := classify(t, known(roles("deployer"), T("gpai.provider", "gpai.generality")), "")
	wantObligations(t, r, "art53_1a", "art53_1c")
	r = classify(t, known(roles(), T("gpai.provider", "gpai.generality")), "")
	if o := obligation(r, "art53_1a"); o == nil || o.Status != "applies" {
		t.Errorf("art53_1a = %+v, want it to apply without roles", o)
	}
}
