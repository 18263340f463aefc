package api

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/tabular"
	"github.com/danielgtaylor/huma/v2"
)

// CSV and XLSX: GET /exports/<list>?format=csv|xlsx exports every row of a
// list under the list operation's filters; POST /imports/<kind> imports a
// file with a column mapping. Each list and kind has a fixed path, so no
// path parameter names something that is not an object.

const tabularTag = "Interchange"

func init() { registrars = append(registrars, (*API).registerTabular) }

// apiExport is one list's export: the app's columns and a fetch that reads
// the list operation's filters from the query.
type apiExport struct {
	title   string
	columns []tabular.Column
	fetch   func(ctx context.Context, a *app.App, q url.Values, emit func([]string) error) (int, error)
}

func exportVia[T, F any](title string, t app.ExportTable[T], filter func(url.Values) F, page func(*F) *caio.Page,
	find func(*app.App) func(context.Context, F) ([]T, int, error)) apiExport {
	return apiExport{title: title, columns: t.Columns,
		fetch: func(ctx context.Context, a *app.App, q url.Values, emit func([]string) error) (int, error) {
			f := filter(q)
			return t.Each(func(p caio.Page) ([]T, int, error) {
				*page(&f) = p
				return find(a)(ctx, f)
			}, emit)
		}}
}

// qp returns the trimmed parameter, nil when empty; the first name given wins.
func qp(q url.Values, names ...string) *string {
	for _, n := range names {
		if s := strings.TrimSpace(q.Get(n)); s != "" {
			return &s
		}
	}
	return nil
}

func qflag(q url.Values, name string) *bool {
	switch strings.TrimSpace(q.Get(name)) {
	case "1", "true", "yes":
		t := true
		return &t
	case "0", "false", "no":
		return new(bool)
	}
	return nil
}

func qsort(q url.Values, def string) string {
	if s := strings.TrimSpace(q.Get("sort")); s != "" {
		return s
	}
	return def
}

func qint(q url.Values, name string) *int {
	s := strings.TrimSpace(q.Get(name))
	if s == "" {
		return nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		n = -1 // refused by the filter's Normalize, naming the field
	}
	return &n
}

// apiExports are the lists that export, keyed by the name in the path.
var apiExports = map[string]apiExport{
	"systems": exportVia("AI systems", app.SystemExport, func(q url.Values) caio.AISystemFilter {
		return caio.AISystemFilter{Sort: qsort(q, "-created"), Query: qp(q, "q"), Class: qp(q, "class"), Stage: qp(q, "stage"), Owner: qp(q, "owner"),
			Vendor: qp(q, "vendor"), Model: qp(q, "model"), Dataset: qp(q, "dataset"), Objective: qp(q, "objective"), DeadlineBefore: qp(q, "deadline_before")}
	}, func(f *caio.AISystemFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.AISystemFilter) ([]*caio.AISystem, int, error) {
		return a.FindSystems
	}),
	"models": exportVia("AI models", app.ModelExport, func(q url.Values) caio.InventoryFilter {
		return caio.InventoryFilter{Sort: qsort(q, "name"), Query: qp(q, "q"), Kind: qp(q, "kind")}
	}, func(f *caio.InventoryFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.InventoryFilter) ([]*caio.AIModel, int, error) {
		return a.FindModels
	}),
	"datasets": exportVia("Datasets", app.DatasetExport, func(q url.Values) caio.InventoryFilter {
		return caio.InventoryFilter{Sort: qsort(q, "name"), Query: qp(q, "q"), PersonalData: qflag(q, "personal_data")}
	}, func(f *caio.InventoryFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.InventoryFilter) ([]*caio.Dataset, int, error) {
		return a.FindDatasets
	}),
	"vendors": exportVia("Vendors", app.VendorExport, func(q url.Values) caio.InventoryFilter {
		return caio.InventoryFilter{Sort: qsort(q, "name"), Query: qp(q, "q")}
	}, func(f *caio.InventoryFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.InventoryFilter) ([]*caio.Vendor, int, error) {
		return a.FindVendors
	}),
	"usecases": exportVia("Use cases", app.UseCaseExport, func(q url.Values) caio.UseCaseFilter {
		return caio.UseCaseFilter{Sort: qsort(q, "priority"), Query: qp(q, "q"), Stage: qp(q, "stage"), Intake: qp(q, "intake"), Approach: qp(q, "approach"),
			Owner: qp(q, "owner"), ObjectiveID: qp(q, "objective_id", "objective"), SystemID: qp(q, "system_id", "system")}
	}, func(f *caio.UseCaseFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.UseCaseFilter) ([]app.ScoredUseCase, int, error) {
		return func(ctx context.Context, f caio.UseCaseFilter) ([]app.ScoredUseCase, int, error) {
			if f.Sort == "priority" {
				items, total, _, err := a.FindRankedUseCases(ctx, f)
				return items, total, err
			}
			return a.FindUseCases(ctx, f)
		}
	}),
	"risks": exportVia("Risks", app.RiskExport, func(q url.Values) caio.RiskFilter {
		return caio.RiskFilter{Sort: qsort(q, "-score"), Query: qp(q, "q"), Status: qp(q, "status"), Library: qp(q, "library"), Category: qp(q, "category"),
			Owner: qp(q, "owner"), System: qp(q, "system"), UseCase: qp(q, "use_case"), Vendor: qp(q, "vendor"), Breach: qflag(q, "breach"),
			Overdue: qflag(q, "overdue"), Likelihood: qint(q, "likelihood"), Impact: qint(q, "impact"), Residual: q.Get("basis") == "residual"}
	}, func(f *caio.RiskFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.RiskFilter) ([]*caio.Risk, int, error) { return a.FindRisks }),
	"controls": exportVia("Controls", app.ControlExport, func(q url.Values) caio.ControlFilter {
		b := func(n string) bool { f := qflag(q, n); return f != nil && *f }
		return caio.ControlFilter{Sort: qsort(q, "due"), Framework: qp(q, "framework"), Status: qp(q, "status"), SystemID: qp(q, "system"),
			Owner: qp(q, "owner"), Overdue: b("overdue"), All: b("all")}
	}, func(f *caio.ControlFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.ControlFilter) ([]*caio.Control, int, error) {
		return a.FindControls
	}),
	"incidents": exportVia("Incidents", app.IncidentExport, func(q url.Values) caio.IncidentFilter {
		return caio.IncidentFilter{Sort: qsort(q, "-aware"), Query: qp(q, "q"), Status: qp(q, "status"), Severity: qp(q, "severity"),
			System: qp(q, "system"), Serious: qflag(q, "serious"), Overdue: qflag(q, "overdue")}
	}, func(f *caio.IncidentFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.IncidentFilter) ([]*caio.Incident, int, error) {
		return a.FindIncidents
	}),
	"policies": exportVia("Policies", app.PolicyExport, func(q url.Values) caio.PolicyFilter {
		return caio.PolicyFilter{Sort: qsort(q, "title"), Query: qp(q, "q"), Status: qp(q, "status"), Kind: qp(q, "kind"), Review: qp(q, "review")}
	}, func(f *caio.PolicyFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.PolicyFilter) ([]*caio.Policy, int, error) {
		return a.FindPolicies
	}),
	"tasks": exportVia("Tasks", app.TaskExport, func(q url.Values) caio.TaskFilter {
		f := caio.TaskFilter{Sort: qsort(q, "due"), OwnerID: qp(q, "owner"), Overdue: qflag(q, "overdue"), Status: qp(q, "status")}
		if m := qflag(q, "mine"); m != nil {
			f.Mine = *m
		}
		return f
	}, func(f *caio.TaskFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.TaskFilter) ([]*caio.Task, int, error) { return a.FindTasks }),
	"objectives": exportVia("Objectives", app.ObjectiveExport, func(q url.Values) caio.ObjectiveFilter {
		return caio.ObjectiveFilter{Sort: qsort(q, "-created"), Query: qp(q, "q"), Owner: qp(q, "owner")}
	}, func(f *caio.ObjectiveFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.ObjectiveFilter) ([]*caio.Objective, int, error) {
		return a.FindObjectives
	}),
}

// exportIn takes the whole query: each list has its own filters.
type exportIn struct {
	Format string `query:"format" enum:"csv,xlsx" default:"csv" doc:"csv (UTF-8 with a byte-order mark; cells starting with = + - @ get a leading apostrophe) or xlsx."`
	query  url.Values
}

func (i *exportIn) Resolve(ctx huma.Context) []error {
	u := ctx.URL()
	i.query = u.Query()
	return nil
}

// ImportResultBody is what an import did.
type ImportResultBody struct {
	Body *caio.ImportResult
}

// ImportJSONBody is an import sent as JSON rather than multipart.
type ImportJSONBody struct {
	Name          string            `json:"name,omitempty" maxLength:"200" doc:"The file's name; .xlsx marks a workbook."`
	Content       string            `json:"content,omitempty" doc:"The CSV text."`
	ContentBase64 string            `json:"content_base64,omitempty" doc:"The file, base64-encoded (for XLSX)."`
	Mapping       map[string]string `json:"mapping,omitempty" doc:"caio field → the file's column header; left out, the organisation's saved mapping fitted to the file, else a guess from the headers."`
	Mode          string            `json:"mode,omitempty" enum:"all,per_row," doc:"all (default): every row or none; per_row: each valid row, the others reported."`
	DryRun        bool              `json:"dry_run,omitempty" doc:"Check every row and change nothing."`
}

type importIn struct {
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"multipart/form-data"`
}

// maxImportBody bounds an import request: the largest file, base64-encoded,
// and the rest.
const maxImportBody = tabular.MaxBytes*4/3 + 256<<10

func (api *API) registerTabular() {
	names := make([]string, 0, len(apiExports))
	for n := range apiExports {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, name := range names {
		ex := apiExports[name]
		o := op(http.MethodGet, "/exports/"+name, "export-"+name, "Export "+strings.ToLower(ex.title)+" as CSV or XLSX", tabularTag)
		o.Description = "Every row of the list under the same filters as `GET /" + name + "` (without paging), as a CSV or XLSX file. Audited as one event with the number of rows."
		o.Responses = map[string]*huma.Response{"200": {Description: "The file.", Content: map[string]*huma.MediaType{
			"text/csv":                        {Schema: &huma.Schema{Type: "string"}},
			tabular.ContentType(tabular.XLSX): {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}
		huma.Register(api, o, func(ctx context.Context, in *exportIn) (*huma.StreamResponse, error) {
			q := in.query
			for _, k := range []string{"format", "limit", "offset"} {
				q.Del(k)
			}
			// Read into memory first so a failure is a problem, not half a file.
			var buf bytes.Buffer
			tw, err := tabular.NewWriter(in.Format, &buf, ex.title, ex.columns)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			n, err := ex.fetch(ctx, api.app, q, tw.Write)
			if err == nil {
				err = tw.Close()
			}
			if err == nil {
				err = api.app.RecordExport(ctx, name, in.Format, q.Encode(), n)
			}
			if err != nil {
				return nil, api.filterProblem(ctx, err)
			}
			return &huma.StreamResponse{Body: func(hctx huma.Context) {
				hctx.SetHeader("Content-Type", tabular.ContentType(in.Format))
				hctx.SetHeader("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "caio-" + name + "." + in.Format}))
				hctx.SetHeader("Content-Length", strconv.Itoa(buf.Len()))
				hctx.SetHeader("X-Rows", strconv.Itoa(n))
				hctx.SetStatus(http.StatusOK)
				_, _ = io.Copy(hctx.BodyWriter(), &buf)
			}}, nil
		})
	}
	for _, kind := range caio.ImportKinds {
		api.registerImport(kind)
	}
}

func (api *API) registerImport(kind string) {
	title := strings.ToLower(app.ImportTitle(kind))
	fields, _ := app.ImportFields(kind)
	var keys []string
	for _, f := range fields {
		k := "`" + f.Key + "`"
		if f.Required {
			k += " (required)"
		}
		keys = append(keys, k)
	}
	o := op(http.MethodPost, "/imports/"+kind, "import-"+kind, "Import "+title+" from CSV or XLSX", tabularTag)
	o.Description = "Send multipart/form-data with the file in the part `file` and optionally `mapping` (JSON: caio field → column header), " +
		"`mode` (all or per_row) and `dry_run` (true); or JSON with the CSV in `content` or any file base64-encoded in `content_base64`. " +
		"Fields: " + strings.Join(keys, ", ") + ". mode=all (the default) imports every row or none: a file with a bad row answers 422 listing each problem " +
		"with its line and column (CSV) or cell (XLSX). mode=per_row imports the valid rows and lists the others. The mapping is saved for the organisation."
	o.MaxBodyBytes = maxImportBody
	o.SkipValidateBody = true
	jsonSchema := api.OpenAPI().Components.Schemas.Schema(reflectImportJSON, true, "ImportJSONBody")
	o.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"application/json": {Schema: jsonSchema},
		"multipart/form-data": {Schema: &huma.Schema{Type: "object", Required: []string{"file"}, Properties: map[string]*huma.Schema{
			"file":    {Type: "string", Format: "binary", Description: "The CSV or XLSX file, at most 10 MiB."},
			"mapping": {Type: "string", Description: "JSON object: caio field → the file's column header."},
			"mode":    {Type: "string", Enum: []any{"all", "per_row"}},
			"dry_run": {Type: "string", Enum: []any{"true", "false"}},
		}}},
	}}
	huma.Register(api, o, func(ctx context.Context, in *importIn) (*ImportResultBody, error) {
		var req ImportJSONBody
		var data []byte
		mt, params, _ := mime.ParseMediaType(in.ContentType)
		switch mt {
		case "multipart/form-data":
			var err error
			if data, err = readImportParts(in.RawBody, params["boundary"], &req); err != nil {
				return nil, api.problem(ctx, err)
			}
		case "application/json", "":
			if err := unmarshalJSON(in.RawBody, &req); err != nil {
				return nil, huma.NewError(http.StatusBadRequest, "Please fix: the body is not JSON: "+err.Error()+".")
			}
			switch {
			case req.ContentBase64 != "":
				b, err := base64.StdEncoding.DecodeString(req.ContentBase64)
				if err != nil {
					return nil, api.problem(ctx, caio.FieldError("content_base64", "is not base64"))
				}
				data = b
			default:
				data = []byte(req.Content)
			}
		default:
			return nil, huma.NewError(http.StatusUnsupportedMediaType, "Send the file as multipart/form-data, or as JSON.")
		}
		var m tabular.Mapping
		if req.Mapping != nil {
			m = tabular.Mapping(req.Mapping)
		}
		res, err := api.app.ImportFile(ctx, kind, req.Name, data, m, req.Mode, req.DryRun)
		if err != nil {
			if res != nil {
				details := make([]error, 0, len(res.Errors))
				for _, e := range res.Errors {
					details = append(details, &huma.ErrorDetail{Location: "file." + e.Where, Message: rowMessage(e), Value: e.Ref})
				}
				return nil, huma.NewError(http.StatusUnprocessableEntity, caio.ErrorMessage(err), details...)
			}
			return nil, api.problem(ctx, err)
		}
		return &ImportResultBody{res}, nil
	})
}

func rowMessage(e caio.ImportRowError) string {
	s := e.Message
	if e.Field != "" {
		s = e.Field + " " + s
	}
	if e.Column != "" {
		s = fmt.Sprintf("%s (column %q)", s, e.Column)
	}
	return s
}

// readImportParts reads the multipart body: file, mapping, mode, dry_run.
func readImportParts(body []byte, boundary string, req *ImportJSONBody) ([]byte, error) {
	if boundary == "" {
		return nil, caio.FieldError("file", "is missing: the multipart body has no boundary")
	}
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	var data []byte
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, caio.FieldError("file", "could not be read: the multipart body is malformed")
		}
		small := func() string {
			b, _ := io.ReadAll(io.LimitReader(p, 64<<10))
			return strings.TrimSpace(string(b))
		}
		switch p.FormName() {
		case "file":
			if data, err = io.ReadAll(p); err != nil {
				return nil, caio.FieldError("file", "could not be read: the multipart body is malformed")
			}
			req.Name = p.FileName()
		case "mapping":
			if s := small(); s != "" {
				if err := unmarshalJSON([]byte(s), &req.Mapping); err != nil {
					return nil, caio.FieldError("mapping", "must be a JSON object of caio field → column header")
				}
			}
		case "mode":
			req.Mode = small()
		case "dry_run":
			req.DryRun = small() == "true"
		}
	}
	if data == nil {
		return nil, caio.FieldError("file", "is required: send the file in the multipart part named file")
	}
	return data, nil
}

var reflectImportJSON = reflect.TypeOf(ImportJSONBody{})
