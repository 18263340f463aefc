package main

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

// TestRiskCommands runs the register's commands as a script would.
func TestRiskCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	var s caio.AISystem
	invJSON(e, &s, "system", "create", "--org", "acme-bank", "--name", "Customer chatbot", "--role", "deployer")

	var r caio.Risk
	invJSON(e, &r, "risk", "create", "--org", "acme-bank", "--title", "Prompt injection", "--category", "owasp-llm:LLM01",
		"--likelihood", "4", "--impact", "4", "--owner", "CISO", "--system", s.ID)
	if r.ID == "" || r.Score != 16 || !r.Breach || len(r.Links) != 1 || r.Version != 1 {
		t.Fatalf("created %+v", r)
	}
	_, _, err := e.run("risk", "create", "--org", "acme-bank", "--title", "Bad", "--likelihood", "9", "--impact", "1", "--category", "mit:9.9")
	wantCode(t, err, caio.EINVALID)
	if err == nil || !strings.Contains(err.Error(), "likelihood") || !strings.Contains(err.Error(), "category") {
		t.Errorf("validation error %v does not name likelihood and category", err)
	}

	if out := e.must("risk", "list", "--org", "acme-bank", "--breach"); !strings.Contains(out, "Prompt injection") || !strings.Contains(out, "above appetite") || !strings.Contains(out, "1 of 1 risks") {
		t.Fatalf("list --breach: %q", out)
	}
	// Only the flags given change.
	var u caio.Risk
	invJSON(e, &u, "risk", "update", "--org", "acme-bank", r.ID, "--residual-likelihood", "2", "--residual-impact", "2", "--status", "treating")
	if u.Score != 4 || u.Breach || u.Owner != "CISO" || u.Category != "owasp-llm:LLM01" || len(u.Links) != 1 || u.Version != 2 {
		t.Fatalf("updated %+v", u)
	}
	if out := e.must("risk", "list", "--org", "acme-bank", "--breach"); !strings.Contains(out, "0 of 0 risks") {
		t.Fatalf("list --breach after treatment: %q", out)
	}
	if out := e.must("risk", "show", "--org", "acme-bank", r.ID); !strings.Contains(out, "4 (2 × 2)") || !strings.Contains(out, "Customer chatbot") {
		t.Fatalf("show: %q", out)
	}
	if out := e.must("risk", "delete", "--org", "acme-bank", r.ID); !strings.Contains(out, "Deleted risk "+r.ID) {
		t.Fatalf("delete: %q", out)
	}
	_, _, err = e.run("risk", "show", "--org", "acme-bank", r.ID)
	wantCode(t, err, caio.ENOTFOUND)
}
