package main

import (
	"context"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sso/ssotest"
)

// TestSSOCommands sets single sign-on up from the command line, tests
// discovery against a real provider, switches local login off, and uses
// the break-glass to switch it back on.
func TestSSOCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	p := ssotest.New(t, "caio-cli", "cli-secret")
	roles := writeFile(t, "# groups\ncaio-admins = admin\ncaio-owners = owner\n")
	out := e.must("sso", "set", "--org", "acme-bank", "--enabled", "--issuer", p.Issuer(), "--client-id", "caio-cli",
		"--client-secret-file", writeFile(t, "cli-secret\n"), "--group-roles-file", roles, "--default-role", "viewer", "--allowed-domains", "example.com")
	for _, want := range []string{"client secret         set (never shown)", "caio-owners = owner", "default role          viewer", "allowed domains       example.com"} {
		if !strings.Contains(out, want) {
			t.Errorf("set printed no %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "cli-secret") {
		t.Error("the secret was printed")
	}
	_, _, err := e.run("sso", "set", "--org", "acme-bank", "--local-login=false", "--jit=false")
	wantCode(t, err, caio.EINVALID)
	if out := e.must("sso", "test", "--org", "acme-bank"); !strings.Contains(out, "worked") {
		t.Errorf("test printed %q", out)
	}
	e.must("sso", "set", "--org", "acme-bank", "--local-login=false")
	var cfg caio.SSOConfig
	invJSON(e, &cfg, "sso", "show", "--org", "acme-bank")
	if cfg.LocalLogin || !cfg.Enabled || !cfg.SecretSet || cfg.TestedAt == nil {
		t.Fatalf("settings after switching local login off: %+v", cfg)
	}
	a := e.openApp()
	if _, err := a.Login(context.Background(), "ada@example.com", "correct-horse-battery", "127.0.0.1"); caio.ErrorCode(err) != caio.EFORBIDDEN {
		t.Fatalf("password login with local login off: %v", err)
	}
	// Break-glass: switched back on without any other check.
	p.Close()
	e.must("sso", "set", "--org", "acme-bank", "--local-login=true")
	if _, err := a.Login(context.Background(), "ada@example.com", "correct-horse-battery", "127.0.0.1"); err != nil {
		t.Fatalf("password login after the break-glass: %v", err)
	}
	_, _, err = e.run("sso", "set", "--org", "acme-bank")
	wantCode(t, err, caio.EINVALID)
	_, _, err = e.run("sso", "show", "--org", "nowhere")
	wantCode(t, err, caio.ENOTFOUND)
}
