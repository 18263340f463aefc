package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// bearer adds an API token to every request, as an MCP client configured
// with a header does.
type bearer struct {
	token string
	base  http.RoundTripper
}

func (b bearer) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return b.base.RoundTrip(r)
}

// mcpClient connects the official SDK's client to /mcp with the token.
func mcpClient(t *testing.T, s *servertest.Server, token string) (*sdk.ClientSession, error) {
	t.Helper()
	tr := &sdk.StreamableClientTransport{Endpoint: s.URL + "/mcp", HTTPClient: &http.Client{Transport: bearer{token, http.DefaultTransport}}}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(context.Background(), tr, nil)
	if err == nil {
		t.Cleanup(func() { cs.Close() })
	}
	return cs, err
}

func callTool(t *testing.T, cs *sdk.ClientSession, name string, args any) (map[string]any, string) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	var text strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			text.WriteString(tc.Text)
		}
	}
	if res.IsError {
		return nil, text.String()
	}
	out, _ := res.StructuredContent.(map[string]any)
	return out, ""
}

// TestMCPOverHTTP drives /mcp through the whole server handler with the
// official SDK's streamable HTTP client: bearer tokens of two
// organisations and several roles, the audit trail of a draft, and the
// refusals of requests without a token.
func TestMCPOverHTTP(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		alpha := s.NewOrg(t, "alpha")
		bravo := s.NewOrg(t, "bravo")
		sys := s.NewSystem(t, alpha, "Alpha fraud scorer")

		viewer, err := mcpClient(t, s, alpha.Token(caio.RoleViewer))
		if err != nil {
			t.Fatal(err)
		}
		out, fail := callTool(t, viewer, "search_systems", map[string]any{"query": "fraud"})
		if fail != "" || out["total"].(float64) != 1 {
			t.Fatalf("search_systems over HTTP: %v %s", out, fail)
		}
		if _, fail := callTool(t, viewer, "draft_incident", map[string]any{"title": "x", "aware_at": "2026-11-20", "severity": "low"}); !strings.Contains(fail, "forbidden") {
			t.Fatalf("a viewer drafted an incident over HTTP: %q", fail)
		}
		res, err := viewer.ReadResource(context.Background(), &sdk.ReadResourceParams{URI: "caio://reports/system-card/" + sys.ID})
		if err != nil || !strings.Contains(res.Contents[0].Text, "Alpha fraud scorer") {
			t.Fatalf("system card over HTTP: %v", err)
		}

		editor, err := mcpClient(t, s, alpha.Token(caio.RoleEditor))
		if err != nil {
			t.Fatal(err)
		}
		out, fail = callTool(t, editor, "draft_incident", map[string]any{"title": "Scorer blocked payments", "aware_at": "2026-11-20T08:00", "severity": "medium", "systems": []string{sys.ID}})
		if fail != "" {
			t.Fatalf("draft_incident over HTTP: %s", fail)
		}
		id := out["id"].(string)
		evs, _, err := s.App.FindAuditEvents(alpha.Sys, caio.AuditFilter{ObjectID: &id, Page: caio.Page{Limit: 5}})
		if err != nil || len(evs) != 1 || evs[0].Actor != alpha.Members[caio.RoleEditor].Email || evs[0].Action != "incident.create" || evs[0].RequestID == "" {
			t.Fatalf("audit of the draft: %+v, %v", evs, err)
		}

		other, err := mcpClient(t, s, bravo.Token(caio.RoleOwner))
		if err != nil {
			t.Fatal(err)
		}
		if _, fail := callTool(t, other, "get_system", map[string]any{"id": sys.ID}); !strings.Contains(fail, "not_found") {
			t.Fatalf("bravo read alpha's system: %q", fail)
		}
		if out, _ := callTool(t, other, "search_incidents", map[string]any{}); out["total"].(float64) != 0 {
			t.Fatalf("bravo sees alpha's incidents: %v", out)
		}

		// A revoked token stops working at the next request.
		tokID, secret := s.NewToken(t, alpha, alpha.Members[caio.RoleOwner], "agent")
		owner, err := mcpClient(t, s, secret)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.App.RevokeToken(caio.WithActor(context.Background(), alpha.Members[caio.RoleOwner].Actor(alpha)), tokID); err != nil {
			t.Fatal(err)
		}
		if _, err := owner.CallTool(context.Background(), &sdk.CallToolParams{Name: "search_systems", Arguments: map[string]any{}}); err == nil {
			t.Fatal("a revoked token still called a tool")
		}
		if _, err := mcpClient(t, s, "caio_not-a-token"); err == nil {
			t.Fatal("the SDK client connected with a wrong token")
		}
	})
}

// TestMCPRefusals checks what reaches /mcp without an API token: nothing.
func TestMCPRefusals(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		alpha := s.NewOrg(t, "alpha")
		initialize := `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"curl","version":"1"}}}`
		post := func(token string, header http.Header) *servertest.Response {
			req := s.NewRequest(t, http.MethodPost, "/mcp", token, initialize)
			req.Header.Set("Accept", "application/json, text/event-stream")
			for k, v := range header {
				req.Header[k] = v
			}
			return servertest.Request(t, &http.Client{}, req)
		}

		for name, res := range map[string]*servertest.Response{
			"no token":     post("", nil),
			"wrong token":  post("caio_wrong", nil),
			"not a bearer": post("", http.Header{"Authorization": {"Basic YTpi"}}),
		} {
			if res.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Errorf("%s: %d %q, want 401 with a Bearer challenge", name, res.StatusCode, res.Header.Get("WWW-Authenticate"))
			}
		}

		// A signed-in browser's cookie is not a token: MCP clients have no
		// use for it, and a page must not drive tools with it.
		b := s.Login(t, alpha.Members[caio.RoleOwner].Email, servertest.Password)
		req := s.NewRequest(t, http.MethodPost, "/mcp", "", initialize)
		req.Header.Set("Accept", "application/json, text/event-stream")
		if res := b.Do(t, req); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("session cookie: %d, want 401", res.StatusCode)
		}

		// With a token, plain tools without browser headers pass the CSRF
		// check; a cross-site browser request does not.
		ok := post(alpha.Token(caio.RoleViewer), nil)
		if ok.StatusCode != http.StatusOK {
			t.Fatalf("initialize with a token: %s", ok)
		}
		var rpc struct {
			Result struct {
				ServerInfo struct{ Name string } `json:"serverInfo"`
			} `json:"result"`
		}
		if err := json.Unmarshal(ok.Body, &rpc); err != nil || rpc.Result.ServerInfo.Name != "caio" {
			t.Fatalf("initialize: %s, %v", ok.Body, err)
		}
		cross := post(alpha.Token(caio.RoleViewer), http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}})
		if cross.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site browser request: %d, want 403", cross.StatusCode)
		}
		if res := s.Do(t, http.MethodGet, "/mcp", alpha.Token(caio.RoleViewer), nil); res.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("GET /mcp: %d, want 405 (stateless: no server-sent stream)", res.StatusCode)
		}
	})
}
