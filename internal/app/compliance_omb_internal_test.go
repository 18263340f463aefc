package app

import (
	"testing"

	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/caio-office/caio/internal/sqldb"
)

// requirementsFor gives an OMB high-impact system every M-25-21 practice,
// due by the memo's date, when the organisation follows M-25-21; the EU
// high-risk route through the crosswalk is unchanged.
func TestRequirementsForOMBHighImpact(t *testing.T) {
	cat := catalog.Default()
	omb := func(want map[sqldb.ControlKey]string) map[string]string {
		out := map[string]string{}
		for k, d := range want {
			if k.Framework == catalog.OMBM2521 {
				out[k.ItemID] = d
			}
		}
		return out
	}
	withOMB := []string{catalog.EUAIAct, catalog.OMBM2521}
	all := omb(requirementsFor(cat, nil, withOMB, true))
	if len(all) != 7 {
		t.Fatalf("high-impact, no EU obligations: %v", all)
	}
	for id, d := range all {
		if d != "2026-04-03" {
			t.Errorf("%s due %q, want 2026-04-03", id, d)
		}
	}
	if got := requirementsFor(cat, nil, withOMB, false); len(got) != 0 {
		t.Errorf("not high-impact, nothing applies: %v", got)
	}
	if got := omb(requirementsFor(cat, nil, []string{catalog.EUAIAct, catalog.NISTAIRMF}, true)); len(got) != 0 {
		t.Errorf("M-25-21 not followed: %v", got)
	}
	// A deployer of a high-risk system: the crosswalk gives some practices
	// without a date; the determination adds the rest, all dated.
	eu := map[string]string{"art26": "2027-12-02", "art4": "2025-02-02"}
	risk := omb(requirementsFor(cat, eu, withOMB, false))
	if len(risk) != 3 || risk["M-25-21-3"] != "" {
		t.Errorf("high-risk through the crosswalk: %v", risk)
	}
	both := requirementsFor(cat, eu, withOMB, true)
	if o := omb(both); len(o) != 7 || o["M-25-21-3"] != "2026-04-03" {
		t.Errorf("high-risk and high-impact: %v", o)
	}
	if both[sqldb.ControlKey{Framework: catalog.EUAIAct, ItemID: "art26"}] != "2027-12-02" {
		t.Errorf("EU obligations changed: %v", both)
	}
	// Minimal-risk EU obligations alone bring no practice.
	if o := omb(requirementsFor(cat, map[string]string{"art4": "2025-02-02"}, withOMB, false)); len(o) != 0 {
		t.Errorf("minimal risk: %v", o)
	}
}
