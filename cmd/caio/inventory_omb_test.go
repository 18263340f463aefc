package main

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

// caio system create and update set the OMB M-25-21 determination; show prints it.
func TestSystemOMBImpactCommand(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	var s caio.AISystem
	invJSON(e, &s, "system", "create", "--org", "acme-bank", "--name", "Benefit screening", "--role", "deployer", "--omb-impact", "high_impact")
	if s.OMBImpact != caio.OMBHighImpact {
		t.Fatalf("created %+v", s)
	}
	if out := e.must("system", "show", "--org", "acme-bank", s.ID); !strings.Contains(out, "High-impact") {
		t.Errorf("show: %q", out)
	}
	// Other flags leave it alone; --omb-impact "" clears it.
	invJSON(e, &s, "system", "update", "--org", "acme-bank", s.ID, "--owner", "CAIO")
	if s.OMBImpact != caio.OMBHighImpact {
		t.Errorf("after an owner change %q", s.OMBImpact)
	}
	invJSON(e, &s, "system", "update", "--org", "acme-bank", s.ID, "--omb-impact", "presumed_not_high_impact")
	if s.OMBImpact != caio.OMBPresumedNotHighImpact {
		t.Errorf("updated %q", s.OMBImpact)
	}
	invJSON(e, &s, "system", "update", "--org", "acme-bank", s.ID, "--omb-impact", "")
	if s.OMBImpact != "" {
		t.Errorf("cleared %q", s.OMBImpact)
	}
	_, _, err := e.run("system", "update", "--org", "acme-bank", s.ID, "--omb-impact", "huge")
	wantCode(t, err, caio.EINVALID)
}
