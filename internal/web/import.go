package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/tabular"
)

// Imports: upload a CSV or XLSX file for a kind, preview its first rows
// with the column mapping (the organisation's saved one, else a guess from
// the headers) and what an import would do row by row (create, update,
// unchanged or a problem), then import all or nothing, or each valid row.
// The upload is kept a day between the steps.

// importLists is where each kind's list is.
var importLists = map[string]string{"usecases": "/usecases", "systems": "/systems", "vendors": "/vendors", "risks": "/risks"}

// maxImportBody bounds an upload: the largest file and the form around it.
const maxImportBody = tabular.MaxBytes + 64<<10

func importKindOptions(selected string) []option {
	out := make([]option, len(caio.ImportKinds))
	for i, k := range caio.ImportKinds {
		out[i] = option{Value: k, Label: app.ImportTitle(k), Selected: k == selected}
	}
	return out
}

func (w *Web) renderImportNew(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	if f == nil {
		f = &form{Values: map[string]string{"kind": r.URL.Query().Get("kind")}}
	}
	w.render(rw, r, status, "import_new", &page{Title: "Import from CSV or XLSX", Nav: "imports", Form: f, Data: map[string]any{
		"Kinds": importKindOptions(f.Get("kind")), "MaxRows": tabular.MaxRows,
	}})
}

func (w *Web) importNew(rw http.ResponseWriter, r *http.Request) {
	w.renderImportNew(rw, r, http.StatusOK, nil)
}

// importUpload reads the multipart form (kind, file) and keeps the file.
func (w *Web) importUpload(rw http.ResponseWriter, r *http.Request) {
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	fail := func(err error, status int) {
		if !showable(err) {
			w.fail(rw, r, err)
			return
		}
		f.fail(err)
		w.renderImportNew(rw, r, status, f)
	}
	if r.ContentLength > maxImportBody {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
		fail(caio.FieldError("file", "is too large: the limit is 10 MiB"), http.StatusRequestEntityTooLarge)
		return
	}
	r.Body = http.MaxBytesReader(rw, r.Body, maxImportBody)
	mr, err := r.MultipartReader()
	if err != nil {
		fail(caio.FieldError("file", "could not be read: send the form as an upload"), http.StatusBadRequest)
		return
	}
	var name string
	var data []byte
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				fail(caio.FieldError("file", "is too large: the limit is 10 MiB"), http.StatusRequestEntityTooLarge)
				return
			}
			fail(caio.FieldError("file", "could not be read: the upload is malformed"), http.StatusBadRequest)
			return
		}
		switch p.FormName() {
		case "kind":
			b, _ := io.ReadAll(io.LimitReader(p, 100))
			f.Values["kind"] = strings.TrimSpace(string(b))
		case "file":
			name = p.FileName()
			if data, err = io.ReadAll(p); err != nil {
				fail(caio.FieldError("file", "is too large: the limit is 10 MiB"), http.StatusRequestEntityTooLarge)
				return
			}
		}
	}
	u, err := w.app.UploadImport(r.Context(), f.Get("kind"), name, data)
	if err != nil {
		fail(err, failStatus(err))
		return
	}
	redirect(rw, r, "/imports/"+u.ID)
}

// mappingFrom reads the mapping form: a select "map.<field>" per field.
func mappingFrom(f *form, fields []tabular.Field) tabular.Mapping {
	m := tabular.Mapping{}
	for _, fl := range fields {
		if h := f.Get("map." + fl.Key); h != "" {
			m[fl.Key] = h
		}
	}
	return m
}

// importField is a row of the mapping form.
type importField struct {
	tabular.Field
	Options []option // the file's columns, the mapped one selected
	Error   string
}

func (w *Web) renderImport(rw http.ResponseWriter, r *http.Request, status int, p *app.ImportPreview, f *form, result *caio.ImportResult) {
	if f == nil {
		f = &form{Values: map[string]string{"mode": caio.ImportAll}, Errors: map[string]string{}}
	}
	if p.MappingErr != nil && f.Message == "" {
		f.fail(p.MappingErr)
	}
	fields := make([]importField, len(p.Fields))
	for i, fl := range p.Fields {
		opts := make([]option, len(p.Table.Headers))
		for j, h := range p.Table.Headers {
			opts[j] = option{Value: h, Label: h, Selected: p.Mapping[fl.Key] == h}
		}
		fields[i] = importField{Field: fl, Options: opts, Error: f.Errors["mapping."+fl.Key]}
	}
	if result == nil {
		result = p.Result
	}
	shown := result
	var more int
	if shown != nil && len(shown.Errors) > 200 {
		cp := *shown
		more, cp.Errors = len(cp.Errors)-200, cp.Errors[:200]
		shown = &cp
	}
	// What each row of the sample does: create, update, unchanged, reject.
	actions := map[int]*caio.ImportAction{}
	if result != nil {
		for i := range result.Actions {
			actions[result.Actions[i].Ref] = &result.Actions[i]
		}
	}
	w.render(rw, r, status, "import", &page{Title: "Import " + strings.ToLower(p.Title), Nav: "imports", Form: f, Data: map[string]any{
		"P": p, "Fields": fields, "Result": shown, "More": more, "Mode": f.Get("mode"), "List": importLists[p.Upload.Kind],
		"Ran": result != nil && !result.DryRun, "Noun": strings.ToLower(p.Title), "Actions": actions,
	}})
}

func (w *Web) importShow(rw http.ResponseWriter, r *http.Request) {
	p, err := w.app.PreviewImport(r.Context(), r.PathValue("id"), nil)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderImport(rw, r, http.StatusOK, p, nil, nil)
}

// importRun checks the mapping again (action=preview) or imports.
func (w *Web) importRun(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	// An empty mapping reads the upload's fields without a dry run.
	p, err := w.app.PreviewImport(ctx, id, tabular.Mapping{})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	m := mappingFrom(f, p.Fields)
	if p, err = w.app.PreviewImport(ctx, id, m); err != nil {
		w.fail(rw, r, err)
		return
	}
	if f.Get("action") != "import" {
		w.renderImport(rw, r, http.StatusOK, p, f, nil)
		return
	}
	mode := f.Get("mode")
	res, err := w.app.RunImport(ctx, id, m, mode)
	if err != nil {
		if !showable(err) {
			w.fail(rw, r, err)
			return
		}
		f.fail(err)
		w.renderImport(rw, r, failStatus(err), p, f, res)
		return
	}
	if mode != caio.ImportPerRow || res.Rejected == 0 {
		w.flash(rw, "Imported "+p.Upload.Name+" into "+strings.ToLower(p.Title)+": "+strconv.Itoa(res.Created)+" created, "+
			strconv.Itoa(res.Updated)+" updated, "+strconv.Itoa(res.Unchanged)+" unchanged.")
		redirect(rw, r, importLists[p.Upload.Kind])
		return
	}
	w.renderImport(rw, r, http.StatusOK, p, f, res)
}
