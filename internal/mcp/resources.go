package mcp

import (
	"context"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/report"
	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// Reports as resources: each report kind at caio://reports/<kind>, and the
// system card of one AI system at caio://reports/system-card/<id>, rendered
// in Markdown by the same code as GET /api/v1/reports/... ?format=md.

const (
	reportURI     = "caio://reports/"
	systemCardURI = reportURI + "system-card/"
	markdown      = "text/markdown"
)

func (t *tools) addResources(s *sdk.Server) {
	for _, k := range report.Kinds {
		if k.NeedsSystem {
			continue
		}
		s.AddResource(&sdk.Resource{URI: reportURI + string(k.Kind), Name: "report-" + string(k.Kind), Title: k.Title,
			Description: k.Description + " Generated from the organisation's data when read.", MIMEType: markdown},
			t.reportHandler(k.Kind))
	}
	info, _ := report.Info(report.System)
	s.AddResourceTemplate(&sdk.ResourceTemplate{URITemplate: systemCardURI + "{id}", Name: "report-system-card", Title: info.Title,
		Description: info.Description + " The id is the AI system's, sys_...", MIMEType: markdown},
		t.reportHandler(report.System))
}

// reportHandler renders one kind of report as Markdown for the reader.
func (t *tools) reportHandler(kind report.Kind) sdk.ResourceHandler {
	return func(ctx context.Context, req *sdk.ReadResourceRequest) (*sdk.ReadResourceResult, error) {
		uri := req.Params.URI
		o := app.ReportOptions{Kind: kind, Format: report.Markdown}
		if kind == report.System {
			o.SystemID = strings.TrimPrefix(uri, systemCardURI)
			if o.SystemID == "" || strings.ContainsAny(o.SystemID, "/?#") {
				return nil, sdk.ResourceNotFoundError(uri)
			}
		}
		md, _, err := t.app.RenderReport(ctx, o)
		if err != nil {
			return nil, t.resourceError(ctx, uri, err)
		}
		return &sdk.ReadResourceResult{Contents: []*sdk.ResourceContents{{URI: uri, MIMEType: markdown, Text: string(md)}}}, nil
	}
}

// resourceError reports a failed read as a JSON-RPC error: not found as
// the protocol's own code, other refusals with the service's message.
func (t *tools) resourceError(ctx context.Context, uri string, err error) error {
	switch caio.ErrorCode(err) {
	case caio.ENOTFOUND:
		return sdk.ResourceNotFoundError(uri)
	case caio.EINVALID:
		return &jsonrpc.Error{Code: jsonrpc.CodeInvalidParams, Message: t.failure(ctx, "resources/read", err).Error()}
	}
	return &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: t.failure(ctx, "resources/read", err).Error()}
}
