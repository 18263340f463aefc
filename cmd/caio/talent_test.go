package main

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

// TestTalentCommands reads the demo's talent as a script would.
func TestTalentCommands(t *testing.T) {
	e := newEnv(t)
	e.must("demo")
	var gaps struct {
		Gaps []caio.TeamSkillGap `json:"gaps"`
	}
	invJSON(e, &gaps, "talent", "gaps", "--org", "demo")
	if len(gaps.Gaps) == 0 || gaps.Gaps[0].Below == 0 || gaps.Gaps[0].Reason == "" {
		t.Fatalf("gaps %+v", gaps)
	}
	if out := e.must("talent", "gaps", "--org", "demo"); !strings.Contains(out, "MEAN SHORT") || !strings.Contains(out, gaps.Gaps[0].SkillName) {
		t.Errorf("gaps table %q", out)
	}
	var cmp caio.HiringComparison
	invJSON(e, &cmp, "talent", "hiring", "--org", "demo")
	if len(cmp.Candidates) != 3 || cmp.Decision != nil || cmp.Candidates[0].Rank != 1 {
		t.Fatalf("hiring %+v", cmp)
	}
	if out := e.must("talent", "hiring", "--org", "demo"); !strings.Contains(out, cmp.Candidates[0].Name) || !strings.Contains(out, "No decision recorded") {
		t.Errorf("hiring table %q", out)
	}
	_, _, err := e.run("talent", "gaps", "--org", "nowhere")
	if err == nil {
		t.Error("an unknown organisation gave no error")
	}
}
