package main

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caio-office/caio"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// syncBuffer collects standard error while the command runs.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startMCP runs `caio mcp` with pipes for standard input and output, as an
// MCP client launches it, and connects the official SDK's client to them.
// It returns the session and a function that hangs up and waits for the
// command's result.
func (e *caioEnv) startMCP(env map[string]string, args ...string) (*sdk.ClientSession, func() error, *syncBuffer) {
	e.t.Helper()
	for k, v := range env {
		e.t.Setenv(k, v)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	stderr := &syncBuffer{}
	cmd := newRootCmd()
	cmd.SetIn(inR)
	cmd.SetOut(outW)
	cmd.SetErr(stderr)
	base := []string{"--data", e.data, "--log-level", "warn"}
	if e.url != "" {
		base = append(base, "--database-url", e.url)
	}
	cmd.SetArgs(append(append(base, "mcp"), args...))
	done := make(chan error, 1)
	go func() {
		err := cmd.ExecuteContext(context.Background())
		outW.Close()
		done <- err
	}()
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(context.Background(), &sdk.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		inW.Close()
		select {
		case cerr := <-done:
			return nil, func() error { return cerr }, stderr
		case <-time.After(10 * time.Second):
			e.t.Fatalf("connect: %v; the command did not end", err)
		}
	}
	wait := func() error {
		cs.Close()
		inW.Close()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			e.t.Fatal("caio mcp did not end when the client hung up")
			return nil
		}
	}
	return cs, wait, stderr
}

func testMCPCommand(t *testing.T, e *caioEnv) {
	setupOrg(e)
	token := strings.TrimSpace(e.must("token", "create", "--email", "ada@example.com", "--org", "acme-bank", "--name", "claude-desktop"))
	ctx, err := orgCtx(context.Background(), e.openApp(), "acme-bank")
	if err != nil {
		t.Fatal(err)
	}
	a := e.openApp()
	if _, err := a.CreateSystem(ctx, caio.AISystemInput{Name: "Claims triage model", Owner: "Claims lead", Roles: []string{"deployer"}}); err != nil {
		t.Fatal(err)
	}

	// The token from a file named in the environment, as in the docs.
	cs, wait, stderr := e.startMCP(map[string]string{"CAIO_TOKEN_FILE": writeFile(t, token+"\n")})
	if cs == nil {
		t.Fatalf("caio mcp did not start: %v; stderr: %s", wait(), stderr)
	}
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: "search_systems", Arguments: map[string]any{"query": "claims"}})
	if err != nil || res.IsError {
		t.Fatalf("search_systems over stdio: %+v, %v", res, err)
	}
	if out := res.StructuredContent.(map[string]any); out["total"].(float64) != 1 {
		t.Fatalf("search_systems over stdio: %v", out)
	}
	res, err = cs.CallTool(context.Background(), &sdk.CallToolParams{Name: "draft_use_case", Arguments: map[string]any{"title": "Triage claims by urgency"}})
	if err != nil || res.IsError {
		t.Fatalf("draft_use_case over stdio: %+v, %v", res, err)
	}
	id := res.StructuredContent.(map[string]any)["id"].(string)
	evs, _, err := a.FindAuditEvents(ctx, caio.AuditFilter{ObjectID: &id, Page: caio.Page{Limit: 5}})
	if err != nil || len(evs) != 1 || evs[0].Actor != "ada@example.com" {
		t.Fatalf("audit of the stdio draft: %+v, %v", evs, err)
	}
	if err := wait(); err != nil {
		t.Fatalf("caio mcp ended with %v; stderr: %s", err, stderr)
	}

	// The flag works too, and the environment's CAIO_TOKEN.
	cs, wait, _ = e.startMCP(map[string]string{"CAIO_TOKEN_FILE": "", "CAIO_TOKEN": token})
	if cs == nil {
		t.Fatalf("caio mcp with CAIO_TOKEN: %v", wait())
	}
	if _, err := cs.ListTools(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	wait()

	// Refusals that say what to do, before anything is served.
	for name, tc := range map[string]struct {
		env  map[string]string
		args []string
		want string
	}{
		"no token":    {map[string]string{"CAIO_TOKEN": "", "CAIO_TOKEN_FILE": ""}, nil, "No API token"},
		"wrong token": {map[string]string{"CAIO_TOKEN": "caio_wrong", "CAIO_TOKEN_FILE": ""}, nil, "not valid"},
		"bad file":    {map[string]string{"CAIO_TOKEN": "", "CAIO_TOKEN_FILE": ""}, []string{"--token-file", "/nonexistent/token"}, "--token-file"},
	} {
		t.Run(name, func(t *testing.T) {
			cs, wait, _ := e.startMCP(tc.env, tc.args...)
			if cs != nil {
				t.Fatal("caio mcp served without a valid token")
			}
			if err := wait(); err == nil || !strings.Contains(userMessage(err), tc.want) {
				t.Fatalf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}
}

func TestMCPCommand(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { testMCPCommand(t, newEnv(t)) })
	t.Run("postgres", func(t *testing.T) {
		e := &caioEnv{t: t, data: t.TempDir(), url: postgresURL(t)}
		e.must("migrate")
		testMCPCommand(t, e)
	})
}
