package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
)

func TestComplianceCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	a := e.openApp()
	sa, err := a.SystemActor(context.Background(), "acme-bank")
	if err != nil {
		t.Fatal(err)
	}
	ctx := caio.WithActor(context.Background(), sa)
	s, err := a.CreateSystem(ctx, caio.AISystemInput{Name: "CV screening", Roles: []string{"deployer"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.ClassifySystem(ctx, s.ID, servertest.HighRiskProfile()); err != nil {
		t.Fatal(err)
	}

	out := e.must("posture", "--org", "acme-bank")
	for _, want := range []string{"FRAMEWORK", "eu-ai-act", "nist-ai-rmf", "all", "High-risk 1", "Next deadlines"} {
		if !strings.Contains(out, want) {
			t.Errorf("posture lacks %q:\n%s", want, out)
		}
	}
	var p caio.Posture
	if err := json.Unmarshal([]byte(e.must("posture", "--org", "acme-bank", "--system", s.ID, "--format", "json")), &p); err != nil {
		t.Fatal(err)
	}
	if p.SystemID != s.ID || p.Total.Total == 0 || p.Total.NotStarted != p.Total.Total {
		t.Errorf("system posture %+v", p)
	}

	var list struct {
		Total    int             `json:"total"`
		Controls []*caio.Control `json:"controls"`
	}
	if err := json.Unmarshal([]byte(e.must("control", "list", "--org", "acme-bank", "--framework", "eu-ai-act", "--limit", "500", "--format", "json")), &list); err != nil {
		t.Fatal(err)
	}
	var art4 *caio.Control
	for _, k := range list.Controls {
		if k.ItemID == "art4" {
			art4 = k
		}
	}
	if art4 == nil || list.Total != len(list.Controls) {
		t.Fatalf("EU controls: %d of %d, no art4", len(list.Controls), list.Total)
	}
	if out := e.must("control", "list", "--org", "acme-bank", "--overdue"); !strings.Contains(out, "art4") && !strings.Contains(out, "Art 4") {
		t.Errorf("the AI literacy duty (in law since 2025) should be overdue:\n%s", out)
	}

	_, _, err = e.run("control", "update", "--org", "acme-bank", art4.ID, "--status", "not_applicable")
	if err == nil || !strings.Contains(userMessage(err), "reason") {
		t.Errorf("n/a without a reason: %v", err)
	}
	out = e.must("control", "update", "--org", "acme-bank", art4.ID, "--status", "in_progress", "--owner", "Head of HR", "--due-date", "2026-09-30")
	if !strings.Contains(out, "in_progress, version 2") {
		t.Errorf("update printed %q", out)
	}
	out = e.must("control", "show", "--org", "acme-bank", art4.ID)
	for _, want := range []string{"Head of HR", "2026-09-30", "in_progress", "No evidence."} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}
	_, _, err = e.run("control", "show", "--org", "acme-bank", "ctl_nope")
	wantCode(t, err, caio.ENOTFOUND)

	if out := e.must("framework", "list"); !strings.Contains(out, "iso-42001") || strings.Contains(out, "FOLLOWED") {
		t.Errorf("framework list:\n%s", out)
	}
	if out := e.must("framework", "list", "--org", "acme-bank"); !strings.Contains(out, "FOLLOWED") {
		t.Errorf("framework list --org:\n%s", out)
	}
	if out := e.must("framework", "show", "nist-ai-rmf"); !strings.Contains(out, "GOVERN 1.1") || !strings.Contains(out, "eu-ai-act/") {
		t.Errorf("framework show:\n%s", out)
	}
	_, _, err = e.run("framework", "show", "cobit")
	wantCode(t, err, caio.ENOTFOUND)
}
