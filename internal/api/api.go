// Package api serves caio's JSON API under /api/v1. It is code-first: the
// operations registered here produce the OpenAPI 3.1 document served at
// /api/v1/openapi.json. Every handler calls the application services, which
// check tenancy and roles; errors are RFC 9457 problem+json with one entry
// per invalid field.
package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	gojson "github.com/goccy/go-json"
)

// Prefix is where the API lives.
const Prefix = "/api/v1"

// API is the registered JSON API.
type API struct {
	huma.API
	app *app.App
}

// schemaPrefixes name the schemas of engines whose types share short names
// with others (Result, Section, Question …): each gets its package's prefix.
var schemaPrefixes = map[string]string{
	"github.com/caio-office/caio/internal/engine/questionnaire": "Questionnaire",
	"github.com/caio-office/caio/internal/engine/surveyjs":      "Survey",
}

// schemaName is huma's default schema namer, with schemaPrefixes applied.
func schemaName(t reflect.Type, hint string) string {
	name := huma.DefaultSchemaNamer(t, hint)
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if p := schemaPrefixes[t.PkgPath()]; p != "" && !strings.HasPrefix(name, p) {
		return p + name
	}
	return name
}

// New registers every operation on mux under Prefix.
func New(mux *http.ServeMux, a *app.App) *API {
	cfg := huma.DefaultConfig("caio API", caio.Version)
	cfg.Info.Description = "The JSON API of caio, the AI office in a box. Authenticate with `Authorization: Bearer <token>` (create a token on the Tokens page or with `caio token create`). Lists are paginated with `limit` (default 50, at most 500) and `offset`."
	cfg.DocsPath = ""     // the built-in docs page loads scripts from a CDN
	cfg.CreateHooks = nil // no $schema links in every response
	cfg.SchemasPath = ""
	// Responses are encoded with goccy/go-json, about twice as fast as
	// encoding/json on a page of 50 objects (see docs/performance.md);
	// requests are still decoded and validated by huma with encoding/json.
	jsonFormat := huma.Format{
		Marshal: func(w io.Writer, v any) error {
			enc := gojson.NewEncoder(w)
			enc.SetEscapeHTML(false)
			return enc.Encode(v)
		},
		Unmarshal: unmarshalJSON,
	}
	cfg.Formats = map[string]huma.Format{"application/json": jsonFormat, "json": jsonFormat}
	cfg.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "An API token of one user in one organisation."},
	}
	cfg.Security = []map[string][]string{{"bearer": {}}}
	cfg.Components.Schemas = huma.NewMapRegistry("#/components/schemas/", schemaName)
	api := &API{API: humago.NewWithPrefix(mux, Prefix, cfg), app: a}
	api.registerMe()
	api.registerObjectives()
	api.registerMembers()
	api.registerTokens()
	api.registerAudit()
	api.registerInventory()
	api.registerClassification()
	api.registerCompliance()
	api.registerUseCases()
	api.registerPortfolio()
	api.registerRisks()
	api.registerAssessments()
	for _, register := range registrars {
		register(api)
	}
	return api
}

// registrars holds the operations that areas add from init functions in
// their own files.
var registrars []func(*API)

// statusOf maps caio error codes to HTTP statuses.
var statusOf = map[string]int{
	caio.EINVALID:      http.StatusUnprocessableEntity,
	caio.ENOTFOUND:     http.StatusNotFound,
	caio.ECONFLICT:     http.StatusConflict,
	caio.EUNAUTHORIZED: http.StatusUnauthorized,
	caio.EFORBIDDEN:    http.StatusForbidden,
	caio.ETOOMANY:      http.StatusTooManyRequests,
	caio.EUNAVAILABLE:  http.StatusServiceUnavailable,
	caio.EINTERNAL:     http.StatusInternalServerError,
}

// queryFields are input names that arrive in the query string rather than the body.
var queryFields = map[string]bool{"limit": true, "offset": true, "sort": true, "q": true}

// problem turns a service error into a problem+json error naming each field.
func (api *API) problem(ctx context.Context, err error) error {
	code := caio.ErrorCode(err)
	if code == caio.EINTERNAL {
		a, _ := caio.ActorFrom(ctx)
		api.app.Log.Error("internal error", "err", err, "request_id", a.RequestID)
	}
	var details []error
	for _, f := range caio.ErrorFields(err) {
		loc := "body." + f.Field
		if queryFields[f.Field] {
			loc = "query." + f.Field
		}
		details = append(details, &huma.ErrorDetail{Message: f.Message, Location: loc})
	}
	return huma.NewError(statusOf[code], caio.ErrorMessage(err), details...)
}

// renameField reports a service's field problem under the name the API
// uses for it, such as the service's org_name as the body's name.
func renameField(err error, from, to string) error {
	fs := caio.ErrorFields(err)
	if len(fs) == 0 {
		return err
	}
	e := &caio.Error{Code: caio.ErrorCode(err), Message: caio.ErrorMessage(err)}
	for _, f := range fs {
		if f.Field == from {
			f.Field = to
		}
		e.Fields = append(e.Fields, f)
	}
	return e
}

// unmarshalJSON decodes a request body as huma's JSON format does, but
// refuses text with the NUL character. JSON may carry it (as \u0000), but no
// caio text means anything with it, and PostgreSQL cannot store it: it
// would surface as an internal error.
func unmarshalJSON(data []byte, v any) error {
	if hasNULEscape(data) {
		var x any
		if json.Unmarshal(data, &x) == nil {
			if where, found := nulAt(x, ""); found {
				if where == "" {
					where = "the body"
				}
				return fmt.Errorf("%s must not contain the NUL character (\\u0000)", where)
			}
		}
	}
	return huma.DefaultJSONFormat.Unmarshal(data, v)
}

// hasNULEscape reports whether JSON text may hold an escaped NUL character.
func hasNULEscape(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] == '\\' && i+1 < len(b) {
			if b[i+1] == 'u' && i+6 <= len(b) && string(b[i+2:i+6]) == "0000" {
				return true
			}
			i++ // skip the escaped character, so \\u0000 is not mistaken for one
		}
	}
	return false
}

// nulAt finds a string holding NUL in a decoded JSON value and returns its
// path, such as title or items[2].name.
func nulAt(v any, path string) (string, bool) {
	switch x := v.(type) {
	case string:
		return path, strings.ContainsRune(x, 0)
	case map[string]any:
		for k, e := range x {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if strings.ContainsRune(k, 0) {
				return strings.ReplaceAll(p, "\x00", "\\u0000"), true
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

// op fills the defaults every operation shares.
func op(method, path, id, summary, tag string) huma.Operation {
	return huma.Operation{
		OperationID:  id,
		Method:       method,
		Path:         path,
		Summary:      summary,
		Tags:         []string{tag},
		MaxBodyBytes: 64 << 10,
		Errors:       []int{400, 401, 403, 404, 422},
	}
}

// PageQuery is the pagination every list accepts.
type PageQuery struct {
	Limit  int `query:"limit" minimum:"1" maximum:"500" default:"50" doc:"Items per page (1 to 500)."`
	Offset int `query:"offset" minimum:"0" doc:"Items to skip."`
}

func (p PageQuery) page() caio.Page { return caio.Page{Limit: p.Limit, Offset: p.Offset} }

// ListMeta accompanies every page of a list.
type ListMeta struct {
	Total  int `json:"total" doc:"Items that match, over all pages."`
	Limit  int `json:"limit"`
	Offset int `json:"offset"`
}

// listOut is one page of a list.
type listOut[T any] struct {
	Body struct {
		ListMeta
		Items []T `json:"items"`
	}
}

func list[T any](items []T, total int, p PageQuery) *listOut[T] {
	out := &listOut[T]{}
	if items == nil {
		items = []T{}
	}
	out.Body.Items, out.Body.Total, out.Body.Limit, out.Body.Offset = items, total, p.Limit, p.Offset
	return out
}

func trimmed(s *string) *string {
	if s == nil {
		return nil
	}
	t := strings.TrimSpace(*s)
	if t == "" {
		return nil
	}
	return &t
}

func init() {
	// Huma's own request validation says only "validation failed"; name each
	// field and what is wrong in the detail too, so a person reading one line
	// knows what to fix.
	base := huma.NewError
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		for _, e := range errs {
			// Huma reports a missing property at its parent ("body"); name
			// the property itself, as every other field error does.
			if d, ok := e.(*huma.ErrorDetail); ok {
				if name, ok := strings.CutPrefix(d.Message, "expected required property "); ok {
					if name, ok = strings.CutSuffix(name, " to be present"); ok && !strings.HasSuffix(d.Location, "."+name) {
						d.Location += "." + name
					}
				}
			}
		}
		if msg == "validation failed" && len(errs) > 0 {
			parts := make([]string, 0, len(errs))
			for _, e := range errs {
				if d, ok := e.(*huma.ErrorDetail); ok && d.Location != "" {
					parts = append(parts, strings.TrimPrefix(strings.TrimPrefix(d.Location, "body."), "query.")+": "+d.Message)
				} else if e != nil {
					parts = append(parts, e.Error())
				}
			}
			msg = "Please fix: " + strings.Join(parts, "; ") + "."
		}
		return base(status, msg, errs...)
	}
}
