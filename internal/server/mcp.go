package server

import (
	"net/http"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/mcp"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// The MCP endpoint: the streamable HTTP transport of the Model Context
// Protocol at /mcp, behind the same middleware as the API.

func init() { mounts = append(mounts, mountMCP) }

// MCPPath is where MCP clients connect over HTTP.
const MCPPath = "/mcp"

// maxMCPBody bounds one JSON-RPC message: the largest input is a drafted
// use case's canvas, well under this.
const maxMCPBody = 1 << 20

func mountMCP(mux *http.ServeMux, s *Server) {
	srv := mcp.New(s.App, mcp.Options{Logger: s.Log})
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return srv }, &sdk.StreamableHTTPOptions{
		// Stateless: every POST carries its own bearer token and gets its
		// own short session with that token's actor, so no session can
		// outlive a revoked token or be reused by another caller.
		Stateless: true,
		// Plain JSON responses: no tool streams, and proxies pass JSON
		// without buffering surprises.
		JSONResponse: true,
		// The SDK refuses requests that reach a loopback address under
		// another host name, against DNS rebinding of unauthenticated local
		// servers. caio authenticates every request with a bearer token a
		// rebinding page cannot have, and is often behind a proxy on the
		// same machine, which that check would refuse.
		DisableLocalhostProtection: true,
		MaxRequestBodyBytes:        maxMCPBody,
		Logger:                     mcp.SDKLogger(s.Log),
	})
	mux.Handle(MCPPath, requireToken(h))
}

// requireToken lets only requests authenticated by an API token through.
// The authenticate middleware passes anonymous requests on (pages decide
// for themselves), and a session cookie is a browser's ambient credential,
// which no MCP client has any use for: both get 401 with a challenge.
func requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, ok := caio.ActorFrom(r.Context())
		if !ok || a.Via != "token" {
			writeUnauthorized(w, "The MCP endpoint needs an API token: send Authorization: Bearer <token>. Create one with caio token create or on the API tokens page.")
			return
		}
		if a.OrgID == "" {
			writeUnauthorized(w, "The API token's user is no longer a member of its organisation.")
			return
		}
		next.ServeHTTP(w, r)
	})
}
