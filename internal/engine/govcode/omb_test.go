package govcode_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/govcode"
	"github.com/goccy/go-yaml"
)

// A system's OMB M-25-21 determination travels in the files as omb_impact.
func TestSystemOMBImpactInFiles(t *testing.T) {
	s := &caio.AISystem{ID: "sys_1", Name: "Benefit screening", Stage: "production", Roles: []string{"deployer"}, OMBImpact: caio.OMBHighImpact}
	out := govcode.SystemFrom(s)
	b, err := yaml.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var back govcode.System
	if err := yaml.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if in := back.Input(); in.OMBImpact != caio.OMBHighImpact {
		t.Errorf("round trip lost the determination: %s", b)
	}
	s.OMBImpact = ""
	if b, _ := yaml.Marshal(govcode.SystemFrom(s)); strings.Contains(string(b), "omb_impact") {
		t.Errorf("an unstated determination is written: %s", b)
	}
}
