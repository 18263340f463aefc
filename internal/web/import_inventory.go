package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/fedinv"
)

// Inventory files: upload a US federal AI use case inventory (OMB's CSV,
// the individual or the COTS file) or a CycloneDX BOM (its models,
// datasets and suppliers), each in one step with the counts shown after;
// and download the organisation's use cases as a federal inventory.

// maxInventoryFile bounds an inventory upload. The published federal
// inventory of 2025 is 3 MiB; a BOM of a large estate is smaller.
const maxInventoryFile = 16 << 20

// inventoryTooLarge is the error of a file over the limit.
var inventoryTooLarge = caio.FieldError("file", "is too large: the limit is 16 MiB")

// readOneFile reads a multipart form holding one file field "file" (and
// the CSRF field, which the middleware checked), refusing a body over the
// limit with a field error.
func readOneFile(rw http.ResponseWriter, r *http.Request) (string, []byte, error) {
	if r.ContentLength > maxInventoryFile+64<<10 {
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
		return "", nil, inventoryTooLarge
	}
	r.Body = http.MaxBytesReader(rw, r.Body, maxInventoryFile+64<<10)
	mr, err := r.MultipartReader()
	if err != nil {
		return "", nil, caio.FieldError("file", "could not be read: send the form as an upload")
	}
	var name string
	var data []byte
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return "", nil, inventoryTooLarge
		}
		if err != nil {
			return "", nil, caio.FieldError("file", "could not be read: the upload is malformed")
		}
		if p.FormName() != "file" {
			continue
		}
		name = p.FileName()
		if data, err = io.ReadAll(io.LimitReader(p, maxInventoryFile+1)); err != nil {
			if errors.As(err, &tooBig) {
				return "", nil, inventoryTooLarge
			}
			return "", nil, caio.FieldError("file", "could not be read: the upload is malformed")
		}
		if len(data) > maxInventoryFile {
			return "", nil, inventoryTooLarge
		}
	}
	if len(data) == 0 {
		return "", nil, caio.FieldError("file", "is required: choose a file")
	}
	return name, data, nil
}

func (w *Web) renderImportInventory(rw http.ResponseWriter, r *http.Request, status int, which string, f *form, data map[string]any) {
	if f == nil {
		f = &form{Values: map[string]string{}, Errors: map[string]string{}}
	}
	if data == nil {
		data = map[string]any{}
	}
	data["Which"] = which
	// Each form shows its own errors: the other gets an empty form.
	empty := &form{Values: map[string]string{}, Errors: map[string]string{}}
	data["FedForm"], data["BOMForm"] = empty, empty
	if which == "cyclonedx" {
		data["BOMForm"] = f
	} else {
		data["FedForm"] = f
	}
	w.render(rw, r, status, "import_inventory", &page{Title: "Import an inventory file", Nav: "imports", Form: f, Data: data})
}

func (w *Web) importInventory(rw http.ResponseWriter, r *http.Request) {
	w.renderImportInventory(rw, r, http.StatusOK, "", nil, nil)
}

// importFedInventory imports OMB's federal inventory file in one step.
func (w *Web) importFedInventory(rw http.ResponseWriter, r *http.Request) {
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	name, data, err := readOneFile(rw, r)
	var res *app.FedImportResult
	if err == nil {
		res, err = w.app.ImportFedInventory(r.Context(), bytes.NewReader(data), nil)
	}
	if err != nil {
		if !showable(err) {
			w.fail(rw, r, err)
			return
		}
		f.fail(asFileError(err))
		w.renderImportInventory(rw, r, inventoryStatus(err), "fedinventory", f, nil)
		return
	}
	w.renderImportInventory(rw, r, http.StatusOK, "fedinventory", f, map[string]any{"Fed": res, "FileName": name})
}

// importCycloneDX imports the models, datasets and suppliers of a BOM.
func (w *Web) importCycloneDX(rw http.ResponseWriter, r *http.Request) {
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	name, data, err := readOneFile(rw, r)
	var res *app.CycloneDXImport
	if err == nil {
		res, err = w.app.ImportCycloneDX(r.Context(), data)
	}
	if err != nil {
		if !showable(err) {
			w.fail(rw, r, err)
			return
		}
		f.fail(asFileError(err))
		w.renderImportInventory(rw, r, inventoryStatus(err), "cyclonedx", f, nil)
		return
	}
	w.renderImportInventory(rw, r, http.StatusOK, "cyclonedx", f, map[string]any{"BOM": res, "FileName": name})
}

// asFileError makes any problem of an imported file a problem of the one
// field of the form, the file, keeping what it says (the line and column,
// or the component and its field).
func asFileError(err error) error {
	fs := caio.ErrorFields(err)
	if len(fs) == 1 && fs[0].Field == "file" {
		return err
	}
	if len(fs) == 0 {
		return caio.FieldError("file", "could not be imported: "+caio.ErrorMessage(err))
	}
	parts := make([]string, 0, min(len(fs), 20))
	for _, p := range fs[:min(len(fs), 20)] {
		parts = append(parts, p.Field+" "+p.Message)
	}
	if len(fs) > 20 {
		parts = append(parts, fmt.Sprintf("and %d more problems", len(fs)-20))
	}
	return caio.FieldError("file", "could not be imported: "+strings.Join(parts, "; "))
}

func inventoryStatus(err error) int {
	if errors.Is(err, inventoryTooLarge) {
		return http.StatusRequestEntityTooLarge
	}
	return failStatus(err)
}

// exportFedInventory downloads the organisation's use cases in OMB's
// inventory schema (?kind=cots: the imported COTS rows).
func (w *Web) exportFedInventory(rw http.ResponseWriter, r *http.Request) {
	kind, name := fedinv.Individual, "individual"
	switch r.URL.Query().Get("kind") {
	case "", "individual":
	case "cots":
		kind, name = fedinv.COTS, "cots"
	default:
		w.fail(rw, r, caio.FieldError("kind", "must be individual or cots"))
		return
	}
	var buf bytes.Buffer
	if _, err := w.app.ExportFedInventory(r.Context(), &buf, kind); err != nil {
		w.fail(rw, r, err)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="caio-fedinventory-`+name+`-`+todayUTC()+`.csv"`)
	h.Set("Cache-Control", "private, no-store")
	_, _ = rw.Write(buf.Bytes())
}
