package api

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/caio-office/caio/internal/engine/fedinv"
	"github.com/danielgtaylor/huma/v2"
)

// GET /exports/fedinventory: the organisation's use cases as a US federal
// AI use case inventory (OMB's 2025 CSV schema), see docs/interchange.md.

func init() { registrars = append(registrars, (*API).registerFedInventory) }

type fedExportIn struct {
	Kind string `query:"kind" enum:"individual,cots" default:"individual" doc:"individual (the individually reported use cases, 36 columns) or cots (the consolidated commercial off-the-shelf file, 5 columns)."`
}

func (api *API) registerFedInventory() {
	o := op(http.MethodGet, "/exports/fedinventory", "export-fedinventory", "Export use cases as a US federal AI use case inventory", tabularTag)
	o.Description = "Every use case of the organisation in OMB's 2025 inventory schema (UTF-8 with a byte-order mark, header in the published order). " +
		"Imported use cases are written as the row they came from, with the fields changed in caio since; the organisation's own use cases follow. Audited as one event with the number of rows."
	o.Responses = map[string]*huma.Response{"200": {Description: "The CSV file.", Content: map[string]*huma.MediaType{
		"text/csv": {Schema: &huma.Schema{Type: "string"}}}}}
	huma.Register(api, o, func(ctx context.Context, in *fedExportIn) (*huma.StreamResponse, error) {
		var buf bytes.Buffer
		n, err := api.app.ExportFedInventory(ctx, &buf, fedinv.Kind(in.Kind))
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			hctx.SetHeader("Content-Type", "text/csv; charset=utf-8")
			hctx.SetHeader("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": "caio-fedinventory-" + in.Kind + ".csv"}))
			hctx.SetHeader("Content-Length", strconv.Itoa(buf.Len()))
			hctx.SetHeader("X-Rows", strconv.Itoa(n))
			hctx.SetStatus(http.StatusOK)
			_, _ = io.Copy(hctx.BodyWriter(), &buf)
		}}, nil
	})
}
