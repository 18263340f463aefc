// Package mcp serves caio to AI agents over the Model Context Protocol:
// tools that search and read the inventory, use cases, risks, obligations,
// incidents and the advisor's actions, classify a profile under the EU AI
// Act, and draft a use case or an incident; and the reports as Markdown
// resources.
//
// The server holds no state of its own and no authority: every tool calls
// the same services in internal/app that the JSON API calls, with the actor
// the transport put in the context (a bearer token's on HTTP, the token
// given to `caio mcp` on stdio). Roles, tenancy, validation and the audit
// trail therefore apply exactly as they do for the API.
package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/google/jsonschema-go/jsonschema"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// Options change how New builds the server.
type Options struct {
	// Logger receives internal errors, which tools report only as
	// "Internal error."; nil discards them.
	Logger *slog.Logger
}

// instructions tell an agent what the server is for and how its tools fit.
const instructions = `caio is an organisation's AI office: its inventory of AI systems, their EU AI Act classification and obligations, the use-case portfolio, the risk register, incidents and the virtual CAIO's next best actions.
You act as one member of one organisation, with that member's role: viewers read, contributors may also draft use cases, editors may also draft incidents.
Search tools return a page (limit, offset) and the total that match; read one object with its get_ tool by id. classify_profile classifies a described system without saving anything; euaiact_questions lists the facts it reads.
Drafts are saved and audited under the member's name: propose them only when asked to.
Reports are resources in Markdown: caio://reports/board, strategy, portfolio, euaiact, handover, and caio://reports/system-card/{id}.`

// New returns an MCP server over a. It serves every session with the actor
// of the context its transport was connected with.
func New(a *app.App, o Options) *sdk.Server {
	log := o.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := sdk.NewServer(&sdk.Implementation{Name: "caio", Title: "caio, the AI office in a box", Version: caio.Version},
		&sdk.ServerOptions{Instructions: instructions, Logger: SDKLogger(log)})
	t := &tools{app: a, log: log}
	t.addReadTools(s)
	t.addWriteTools(s)
	t.addResources(s)
	return s
}

// SDKLogger returns log for the SDK's own messages, keeping only warnings
// and errors: at info it reports every session's start and end, which on
// HTTP is every request.
func SDKLogger(log *slog.Logger) *slog.Logger {
	return slog.New(warnOnly{log.Handler()})
}

type warnOnly struct{ slog.Handler }

func (h warnOnly) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn && h.Handler.Enabled(ctx, l)
}

func (h warnOnly) WithAttrs(as []slog.Attr) slog.Handler { return warnOnly{h.Handler.WithAttrs(as)} }
func (h warnOnly) WithGroup(name string) slog.Handler    { return warnOnly{h.Handler.WithGroup(name)} }

// tools holds what the tool handlers share.
type tools struct {
	app *app.App
	log *slog.Logger
}

// toolError is a tool's failure as an agent reads it: the code, the
// service's message and, for bad input, each field with what to fix.
type toolError struct{ text string }

func (e *toolError) Error() string { return e.text }

// failure turns a service error into a tool error. Internal errors are
// logged and shown as "Internal error.", as the API does.
func (t *tools) failure(ctx context.Context, tool string, err error) error {
	code := caio.ErrorCode(err)
	if code == caio.EINTERNAL {
		a, _ := caio.ActorFrom(ctx)
		t.log.Error("mcp tool failed", "tool", tool, "err", err, "request_id", a.RequestID)
	}
	msg := caio.ErrorMessage(err)
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", code, msg)
	if fs := caio.ErrorFields(err); len(fs) > 0 && !strings.HasPrefix(msg, "Please fix") {
		for _, f := range fs {
			fmt.Fprintf(&b, "\n- %s: %s", f.Field, f.Message)
		}
	}
	switch code {
	case caio.EUNAUTHORIZED:
		b.WriteString("\nThe API token is missing, unknown or revoked: ask for a new one (caio token create, or the API tokens page).")
	case caio.EFORBIDDEN:
		a, _ := caio.ActorFrom(ctx)
		fmt.Fprintf(&b, "\nYour role (%s) does not allow this; ask an owner or admin of the organisation.", a.Role)
	}
	return &toolError{b.String()}
}

// addTool registers a typed tool whose handler returns its output, a short
// sentence for people and agents, or an error. The result carries the output
// as structured content and, for clients that read text only, the sentence
// followed by the same output as JSON. A panic becomes an internal error of
// that call, never the end of the session.
func addTool[In, Out any](t *tools, s *sdk.Server, tool *sdk.Tool, h func(ctx context.Context, in In) (Out, string, error)) {
	sdk.AddTool(s, tool, func(ctx context.Context, _ *sdk.CallToolRequest, in In) (res *sdk.CallToolResult, out Out, err error) {
		defer func() {
			if v := recover(); v != nil {
				t.log.Error("mcp tool panicked", "tool", tool.Name, "panic", v, "stack", string(debug.Stack()))
				var zero Out
				res, out, err = nil, zero, &toolError{"internal: Internal error."}
			}
		}()
		if where, found := nulIn(in); found {
			var zero Out
			return nil, zero, t.failure(ctx, tool.Name, caio.FieldError(where, "must not contain the NUL character (\\u0000)"))
		}
		out, summary, err := h(ctx, in)
		if err != nil {
			var zero Out
			return nil, zero, t.failure(ctx, tool.Name, err)
		}
		b, err := json.Marshal(out)
		if err != nil {
			var zero Out
			return nil, zero, t.failure(ctx, tool.Name, err)
		}
		return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: summary}, &sdk.TextContent{Text: string(b)}}}, out, nil
	})
}

// schemaFor infers the input schema of T, as AddTool would, and lets the
// caller add what struct tags cannot say: enums and bounds.
func schemaFor[T any](edit func(p map[string]*jsonschema.Schema)) *jsonschema.Schema {
	s, err := jsonschema.For[T](nil)
	if err != nil {
		panic(fmt.Sprintf("mcp: schema of %T: %v", *new(T), err))
	}
	if edit != nil {
		edit(s.Properties)
	}
	return s
}

// enum returns values as a schema enum.
func enum(values ...string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

// pageProps bounds limit and offset in a search tool's schema.
func pageProps(p map[string]*jsonschema.Schema) {
	p["limit"].Minimum, p["limit"].Maximum = ptr(1.0), ptr(float64(maxLimit))
	p["offset"].Minimum = ptr(0.0)
}

func ptr[T any](v T) *T { return &v }

// readOnly annotates a tool that changes nothing.
func readOnly(title string) *sdk.ToolAnnotations {
	return &sdk.ToolAnnotations{Title: title, ReadOnlyHint: true, IdempotentHint: true, OpenWorldHint: ptr(false)}
}

// Paging of the search tools: agents read results into a context window,
// so pages are smaller than the API's by default.
const (
	defaultLimit = 20
	maxLimit     = 100
)

// PageIn is the page a search tool is asked for.
type PageIn struct {
	Limit  int `json:"limit,omitempty" jsonschema:"How many to return, 1 to 100; 20 when left out."`
	Offset int `json:"offset,omitempty" jsonschema:"How many to skip, for the next page: the previous offset plus limit."`
}

func (p PageIn) page() caio.Page {
	if p.Limit == 0 {
		p.Limit = defaultLimit
	}
	return caio.Page{Limit: p.Limit, Offset: p.Offset}
}

// PageOut accompanies every page of results.
type PageOut struct {
	Total  int `json:"total" jsonschema:"How many match over all pages."`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

func pageOut(total int, p caio.Page) PageOut {
	return PageOut{Total: total, Limit: p.Limit, Offset: p.Offset}
}

// pageSummary says what a page holds, in words.
func pageSummary(what string, total int, p caio.Page, n int) string {
	switch {
	case total == 0:
		return "No " + what + " match."
	case n == 0:
		return fmt.Sprintf("%d %s match; none at offset %d.", total, what, p.Offset)
	case n == total:
		return fmt.Sprintf("%d %s match.", total, what)
	}
	s := fmt.Sprintf("%d %s match; showing %d to %d.", total, what, p.Offset+1, p.Offset+n)
	if p.Offset+n < total {
		s += fmt.Sprintf(" Ask with offset %d for more.", p.Offset+n)
	}
	return s
}

// opt returns a pointer to the trimmed text, or nil when it is empty, as
// the services' filters expect.
func opt(s string) *string {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	return &s
}

// Serve runs one session over t as the member whose API token is given,
// until the client hangs up or ctx ends: `caio mcp` serves standard input
// and output with it. The token is checked before anything is served, so a
// wrong one fails at once with the service's message, and again for every
// request, so that a revoked token or a changed role takes effect
// immediately, as on HTTP.
func Serve(ctx context.Context, a *app.App, token string, t sdk.Transport, o Options) error {
	actor, err := a.TokenActor(ctx, token)
	if err != nil {
		return err
	}
	s := New(a, o)
	s.AddReceivingMiddleware(func(next sdk.MethodHandler) sdk.MethodHandler {
		return func(ctx context.Context, method string, req sdk.Request) (sdk.Result, error) {
			actor, err := a.TokenActor(ctx, token)
			if err != nil {
				return nil, &jsonrpc.Error{Code: jsonrpc.CodeInvalidRequest, Message: caio.ErrorMessage(err)}
			}
			return next(caio.WithActor(ctx, actor), method, req)
		}
	})
	return s.Run(caio.WithActor(ctx, actor), t)
}

// nulIn finds text holding the NUL character in a tool's input and returns
// its field, such as facts or system_ids[1]. JSON may carry NUL (as
// \u0000), but no caio text means anything with it and PostgreSQL cannot
// store or compare it, so it would surface as an internal error; the API
// refuses it in the same way.
func nulIn(in any) (string, bool) {
	b, err := json.Marshal(in)
	if err != nil || !strings.Contains(string(b), `\u0000`) {
		return "", false
	}
	var v any
	if json.Unmarshal(b, &v) != nil {
		return "", false
	}
	return nulAt(v, "")
}

func nulAt(v any, path string) (string, bool) {
	switch x := v.(type) {
	case string:
		if path == "" {
			path = "arguments"
		}
		return path, strings.ContainsRune(x, 0)
	case map[string]any:
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if strings.ContainsRune(k, 0) {
				return strings.ReplaceAll(p, "\x00", `\u0000`), true
			}
			if where, found := nulAt(e, p); found {
				return where, true
			}
		}
	case []any:
		for i, e := range x {
			if where, found := nulAt(e, fmt.Sprintf("%s[%d]", path, i)); found {
				return where, true
			}
		}
	}
	return "", false
}
