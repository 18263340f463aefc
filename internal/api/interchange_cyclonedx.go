package api

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/cyclonedx"
	"github.com/danielgtaylor/huma/v2"
)

// The inventory as a CycloneDX 1.6 ML-BOM: download and import.

const interchangeTag = "Interchange"

func init() { registrars = append(registrars, (*API).registerCycloneDX) }

// cycloneDXMediaType is CycloneDX's registered JSON media type.
const cycloneDXMediaType = "application/vnd.cyclonedx+json"

type cycloneDXImportIn struct {
	RawBody []byte `contentType:"application/json"`
}

func (api *API) registerCycloneDX() {
	get := op(http.MethodGet, "/exports/cyclonedx", "export-cyclonedx", "Download the AI inventory as a CycloneDX 1.6 ML-BOM", interchangeTag)
	get.Description = "A CycloneDX 1.6 JSON BOM: a component per AI system (application) and per model (machine-learning-model, " +
		"with a model card), datasets as data components, vendors as suppliers, links as dependencies, and each system's " +
		"EU AI Act class, basis and obligations as caio:eu_ai_act:* properties. Needs the read permission; the export is audited. " +
		"With system=ID only that system and what it links to; an unknown system is 404."
	get.Responses = map[string]*huma.Response{"200": {Description: "The BOM, as an attachment.", Content: map[string]*huma.MediaType{
		cycloneDXMediaType: {Schema: &huma.Schema{Type: "object"}}}}}
	huma.Register(api, get, func(ctx context.Context, in *struct {
		System string `query:"system" maxLength:"64" doc:"Export only this AI system (sys_...)."`
	}) (*huma.StreamResponse, error) {
		ex, err := api.app.ExportCycloneDX(ctx, in.System)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		name := "caio-inventory.cdx.json"
		if in.System != "" {
			name = in.System + ".cdx.json"
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			hctx.SetHeader("Content-Type", cycloneDXMediaType)
			hctx.SetHeader("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
			hctx.SetHeader("Content-Length", strconv.Itoa(len(ex.BOM)))
			hctx.SetHeader("Cache-Control", "private, no-store")
			hctx.SetStatus(http.StatusOK)
			_, _ = io.Copy(hctx.BodyWriter(), bytes.NewReader(ex.BOM))
		}}, nil
	})

	post := op(http.MethodPost, "/imports/cyclonedx", "import-cyclonedx", "Add the models, datasets and suppliers of a CycloneDX BOM", interchangeTag)
	post.Description = "Send a CycloneDX 1.x JSON BOM as the body (application/json or " + cycloneDXMediaType + ", at most 64 MiB). " +
		"Its machine-learning-model components become models, its data components datasets, their suppliers vendors; " +
		"what exists already (same name, and version for a model) is kept. All or nothing; needs the edit permission; audited. " +
		"A malformed file is 422 naming the line and column."
	post.MaxBodyBytes = cyclonedx.MaxBOMBytes
	post.SkipValidateBody = true
	post.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"application/json": {Schema: &huma.Schema{Type: "object"}},
		cycloneDXMediaType: {Schema: &huma.Schema{Type: "object"}},
	}}
	huma.Register(api, post, func(ctx context.Context, in *cycloneDXImportIn) (*struct{ Body *app.CycloneDXImport }, error) {
		res, err := api.app.ImportCycloneDX(ctx, in.RawBody)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *app.CycloneDXImport }{res}, nil
	})
}
