package api

import (
	"bytes"
	"context"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/report"
)

const reportTag = "Reports"

func init() { registrars = append(registrars, (*API).registerReports) }

// ReportQuery is a report's format and, for the system card, its system.
type ReportQuery struct {
	Format string `query:"format" enum:"html,md,pdf" doc:"html (default), md (Markdown) or pdf (printed by headless Chromium; 503 when it is not installed)."`
	System string `query:"system" doc:"The AI system's ID, for the system card."`
}

// ReportSystem names the system of a system card in the path.
type ReportSystem struct {
	ID     string `path:"id" doc:"The AI system's ID."`
	Format string `query:"format" enum:"html,md,pdf" doc:"html (default), md or pdf."`
}

func (api *API) registerReports() {
	for _, k := range report.Kinds {
		get := op(http.MethodGet, "/reports/"+string(k.Kind), "get-report-"+string(k.Kind), "Get the "+k.Title+" as HTML, Markdown or PDF", reportTag)
		api.describeReport(&get, k)
		huma.Register(api, get, func(ctx context.Context, in *ReportQuery) (*huma.StreamResponse, error) {
			return api.report(ctx, k.Kind, in.Format, in.System)
		})
	}
	card, _ := report.Info(report.System)
	get := op(http.MethodGet, "/reports/system/{id}", "get-system-card", "Get the system card of one AI system", reportTag)
	api.describeReport(&get, card)
	huma.Register(api, get, func(ctx context.Context, in *ReportSystem) (*huma.StreamResponse, error) {
		return api.report(ctx, report.System, in.Format, in.ID)
	})
}

func (api *API) describeReport(o *huma.Operation, k report.KindInfo) {
	o.Description = k.Description + " Gathered from the organisation's records now. HTML is one self-contained document; Markdown and PDF come as attachments. " +
		"Every figure names its source, listed in the appendix \"Where the figures come from\". Needs the read permission."
	if k.NeedsSystem {
		o.Description += " A system the caller cannot see is 404."
	}
	o.Errors = append(o.Errors, 503)
	o.Responses = map[string]*huma.Response{"200": {Description: "The report.", Content: map[string]*huma.MediaType{
		"text/html":       {Schema: &huma.Schema{Type: "string"}},
		"text/markdown":   {Schema: &huma.Schema{Type: "string"}},
		"application/pdf": {Schema: &huma.Schema{Type: "string", Format: "binary"}},
	}}}
}

// report renders a report and streams it with its type.
func (api *API) report(ctx context.Context, kind report.Kind, format, system string) (*huma.StreamResponse, error) {
	f, err := report.ParseFormat(format)
	if err != nil {
		return nil, api.problem(ctx, err)
	}
	data, rep, err := api.app.RenderReport(ctx, app.ReportOptions{Kind: kind, Format: f, SystemID: system})
	if err != nil {
		return nil, api.problem(ctx, err)
	}
	return &huma.StreamResponse{Body: func(hctx huma.Context) {
		hctx.SetHeader("Content-Type", f.ContentType())
		hctx.SetHeader("Content-Length", strconv.Itoa(len(data)))
		hctx.SetHeader("Cache-Control", "private, no-store")
		if f == report.HTML {
			hctx.SetHeader("Content-Security-Policy", report.ContentSecurityPolicy)
		} else {
			hctx.SetHeader("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": rep.Filename(f)}))
		}
		hctx.SetStatus(http.StatusOK)
		_, _ = io.Copy(hctx.BodyWriter(), bytes.NewReader(data))
	}}, nil
}
