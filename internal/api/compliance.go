package api

import (
	"bytes"
	"context"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/danielgtaylor/huma/v2"
)

// Compliance: the frameworks of the catalogue and of the organisation, the
// controls of its AI systems, their evidence, and the posture.

const complianceTag = "Compliance"

// ControlBody is what a client may set on a control.
type ControlBody struct {
	Status     string `json:"status" enum:"not_started,in_progress,implemented,not_applicable" doc:"Where the work stands. not_applicable needs a reason."`
	Reason     string `json:"reason,omitempty" maxLength:"5000" doc:"Why the requirement does not apply to this system; required with not_applicable."`
	Owner      string `json:"owner,omitempty" maxLength:"200" doc:"Who is accountable for the control."`
	DueDate    string `json:"due_date,omitempty" doc:"The organisation's own target date, YYYY-MM-DD; it replaces the legal deadline for overdue and next deadlines."`
	ReviewDate string `json:"review_date,omitempty" doc:"When to review the control again, YYYY-MM-DD."`
	Notes      string `json:"notes,omitempty" maxLength:"10000"`
	Version    int    `json:"version,omitempty" minimum:"0" doc:"The version you edited; a different stored version gives 409. Leave out to overwrite."`
}

func (b ControlBody) input() caio.ControlInput {
	return caio.ControlInput{Status: b.Status, Reason: b.Reason, Owner: b.Owner, DueDate: b.DueDate, ReviewDate: b.ReviewDate, Notes: b.Notes}
}

// ControlID names a control in the path.
type ControlID struct {
	ID string `path:"id" doc:"Control id, ctl_..."`
}

// EvidenceID names an evidence item in the path.
type EvidenceID struct {
	ID string `path:"id" doc:"Evidence id, evd_..."`
}

// FrameworkID names a framework of the catalogue in the path.
type FrameworkID struct {
	ID string `path:"id" maxLength:"100" doc:"Framework id, such as eu-ai-act, nist-ai-rmf, nist-ai-600-1, iso-42001 or omb-m-25-21."`
}

// EvidenceLinkBody is a link kept as evidence.
type EvidenceLinkBody struct {
	Name   string `json:"name,omitempty" maxLength:"200" doc:"What the document is; the URL when left out."`
	URL    string `json:"url" maxLength:"2000" doc:"Where the document is kept, https:// or http://."`
	SHA256 string `json:"sha256,omitempty" doc:"The SHA-256 of the document, 64 hexadecimal characters, to fix its content."`
}

// FrameworksBody chooses the organisation's frameworks.
type FrameworksBody struct {
	Frameworks []string `json:"frameworks" maxItems:"20" doc:"Framework ids; eu-ai-act is always added."`
}

// FrameworkSummary describes a framework of the catalogue.
type FrameworkSummary struct {
	ID        string             `json:"id"`
	Name      string             `json:"name"`
	Version   string             `json:"version"`
	Published string             `json:"published"`
	Publisher string             `json:"publisher"`
	URL       string             `json:"url,omitempty"`
	Licence   string             `json:"licence"`
	Note      string             `json:"note,omitempty"`
	Dates     []catalog.KeyDate  `json:"dates,omitempty"`
	Items     int                `json:"items" doc:"How many items (functions, controls, requirements ...) it has."`
	Enabled   bool               `json:"enabled" doc:"Whether the organisation follows it."`
	AlwaysOn  bool               `json:"always_on"`
	Detail    []FrameworkItemOut `json:"item_list,omitempty"`
}

// FrameworkItemOut is an item of a framework with its crosswalk links.
type FrameworkItemOut struct {
	catalog.Item
	Crosswalk []catalog.Ref `json:"crosswalk"`
}

type frameworkOut struct {
	Body struct {
		FrameworkSummary
		CatalogVersion string `json:"catalog_version"`
		CrosswalkNote  string `json:"crosswalk_note"`
		Notice         string `json:"notice"`
	}
}

// Notice says whose words the catalogue is in.
const Notice = "Titles and summaries are caio's own words, except identifiers and official short titles; the published texts are authoritative. The crosswalk is our own mapping, not an official one."

func (api *API) registerCompliance() {
	huma.Register(api, op(http.MethodGet, "/compliance/posture", "get-posture", "Get the compliance posture", complianceTag),
		func(ctx context.Context, in *struct {
			System string `query:"system" maxLength:"40" doc:"An AI system id, sys_...: its posture instead of the organisation's."`
		}) (*struct{ Body *caio.Posture }, error) {
			p, err := api.app.Posture(ctx, strings.TrimSpace(in.System))
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Posture }{p}, nil
		})

	huma.Register(api, op(http.MethodGet, "/controls", "list-controls", "List controls", complianceTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Framework string `query:"framework" maxLength:"100" doc:"Only controls of this framework."`
			Status    string `query:"status" enum:"not_started,in_progress,implemented,not_applicable," doc:"Only controls with this status."`
			System    string `query:"system" maxLength:"40" doc:"Only controls of this AI system, sys_..."`
			Owner     string `query:"owner" maxLength:"200" doc:"Only controls with exactly this owner."`
			Overdue   bool   `query:"overdue" doc:"Only open controls whose due date (or legal deadline) has passed."`
			All       bool   `query:"all" doc:"Include controls that no longer apply."`
			Sort      string `query:"sort" enum:"due,framework,system,-updated" default:"due"`
		}) (*listOut[*caio.Control], error) {
			f := caio.ControlFilter{Framework: trimmed(&in.Framework), Status: trimmed(&in.Status), SystemID: trimmed(&in.System),
				Owner: trimmed(&in.Owner), Overdue: in.Overdue, All: in.All, Sort: in.Sort, Page: in.page()}
			items, total, err := api.app.FindControls(ctx, f)
			if err != nil {
				return nil, api.filterProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	huma.Register(api, op(http.MethodGet, "/controls/{id}", "get-control", "Get a control", complianceTag),
		func(ctx context.Context, in *ControlID) (*struct{ Body *caio.Control }, error) {
			k, err := api.app.FindControl(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Control }{k}, nil
		})

	huma.Register(api, op(http.MethodPut, "/controls/{id}", "update-control", "Replace a control's status, owner, dates and notes", complianceTag),
		func(ctx context.Context, in *struct {
			ControlID
			Body ControlBody
		}) (*struct{ Body *caio.Control }, error) {
			k, err := api.app.UpdateControl(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Control }{k}, nil
		})

	huma.Register(api, op(http.MethodGet, "/controls/{id}/evidence", "list-control-evidence", "List a control's evidence", complianceTag),
		func(ctx context.Context, in *ControlID) (*struct{ Body []*caio.Evidence }, error) {
			es, err := api.app.ControlEvidence(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body []*caio.Evidence }{es}, nil
		})

	api.registerEvidenceUpload()

	huma.Register(api, op(http.MethodGet, "/evidence/{id}", "get-evidence", "Get an evidence item", complianceTag),
		func(ctx context.Context, in *EvidenceID) (*struct{ Body *caio.Evidence }, error) {
			e, err := api.app.FindEvidence(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Evidence }{e}, nil
		})

	download := op(http.MethodGet, "/evidence/{id}/download", "download-evidence", "Download an evidence file", complianceTag)
	download.Description = "The file as uploaded, with its stored content type, as an attachment. Links have no file: 404."
	download.Responses = map[string]*huma.Response{"200": {Description: "The file.", Content: map[string]*huma.MediaType{
		"application/octet-stream": {Schema: &huma.Schema{Type: "string", Format: "binary"}}}}}
	huma.Register(api, download, func(ctx context.Context, in *EvidenceID) (*huma.StreamResponse, error) {
		e, data, err := api.app.EvidenceContent(ctx, in.ID)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &huma.StreamResponse{Body: func(hctx huma.Context) {
			hctx.SetHeader("Content-Type", caio.ServedContentType(e.ContentType))
			for k, v := range caio.EvidenceHeaders {
				hctx.SetHeader(k, v)
			}
			hctx.SetHeader("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.Name}))
			hctx.SetHeader("Content-Length", strconv.Itoa(len(data)))
			hctx.SetHeader("Cache-Control", "private, no-store")
			hctx.SetHeader("X-Evidence-Sha256", e.SHA256)
			hctx.SetStatus(http.StatusOK)
			_, _ = io.Copy(hctx.BodyWriter(), bytes.NewReader(data))
		}}, nil
	})

	del := op(http.MethodDelete, "/evidence/{id}", "delete-evidence", "Delete an evidence item", complianceTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *EvidenceID) (*struct{}, error) {
		if err := api.app.DeleteEvidence(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, op(http.MethodGet, "/frameworks", "list-frameworks", "List the frameworks of the catalogue", complianceTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body []FrameworkSummary }, error) {
			infos, err := api.app.OrgFrameworks(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			out := []FrameworkSummary{}
			for _, info := range infos {
				out = append(out, summarize(api.app.Catalog().Framework(info.ID), info))
			}
			return &struct{ Body []FrameworkSummary }{out}, nil
		})

	huma.Register(api, op(http.MethodGet, "/frameworks/{id}", "get-framework", "Get a framework with its items and crosswalk", complianceTag),
		func(ctx context.Context, in *FrameworkID) (*frameworkOut, error) {
			infos, err := api.app.OrgFrameworks(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			cat := api.app.Catalog()
			f := cat.Framework(in.ID)
			if f == nil {
				return nil, api.problem(ctx, caio.Errorf(caio.ENOTFOUND, "There is no framework %q in the catalogue.", in.ID))
			}
			var info caio.FrameworkInfo
			for _, i := range infos {
				if i.ID == f.ID {
					info = i
				}
			}
			out := &frameworkOut{}
			out.Body.FrameworkSummary = summarize(f, info)
			out.Body.CatalogVersion, out.Body.CrosswalkNote, out.Body.Notice = cat.Version(), cat.CrosswalkNote(), Notice
			out.Body.Detail = make([]FrameworkItemOut, len(f.Items))
			for i, it := range f.Items {
				refs := cat.Crosswalk(f.ID, it.ID)
				if refs == nil {
					refs = []catalog.Ref{}
				}
				out.Body.Detail[i] = FrameworkItemOut{Item: it, Crosswalk: refs}
			}
			return out, nil
		})

	huma.Register(api, op(http.MethodGet, "/compliance/frameworks", "get-org-frameworks", "List the frameworks the organisation follows", complianceTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body []caio.FrameworkInfo }, error) {
			fs, err := api.app.OrgFrameworks(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body []caio.FrameworkInfo }{fs}, nil
		})

	set := op(http.MethodPut, "/compliance/frameworks", "set-org-frameworks", "Choose the frameworks the organisation follows", complianceTag)
	set.Description = "eu-ai-act is always on. The controls of every classified system follow the new choice at once: items of a framework dropped stop applying (their work and evidence are kept), items of a framework added start to apply."
	huma.Register(api, set, func(ctx context.Context, in *struct{ Body FrameworksBody }) (*struct{ Body []caio.FrameworkInfo }, error) {
		fs, err := api.app.SetOrgFrameworks(ctx, in.Body.Frameworks)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body []caio.FrameworkInfo }{fs}, nil
	})
}

func summarize(f *catalog.Framework, info caio.FrameworkInfo) FrameworkSummary {
	return FrameworkSummary{ID: f.ID, Name: f.Name, Version: f.Version, Published: f.Published, Publisher: f.Publisher, URL: f.URL,
		Licence: f.Licence, Note: f.Note, Dates: f.Dates, Items: len(f.Items), Enabled: info.Enabled, AlwaysOn: info.AlwaysOn}
}

// maxUploadBody bounds an evidence upload request: the largest file and
// room for the multipart framing and a name.
const maxUploadBody = caio.MaxEvidenceBytes + 64<<10

type evidenceUploadIn struct {
	ControlID
	ContentType string `header:"Content-Type"`
	RawBody     []byte `contentType:"multipart/form-data"`
}

// registerEvidenceUpload registers POST /controls/{id}/evidence, which takes
// either a multipart upload (a file) or JSON (a link).
func (api *API) registerEvidenceUpload() {
	add := op(http.MethodPost, "/controls/{id}/evidence", "add-evidence", "Add evidence to a control: upload a file or keep a link", complianceTag)
	add.Description = "Send multipart/form-data with the file in the part `file` (and optionally `name`) to upload a file of at most 10 MiB; " +
		"caio keeps its SHA-256. Send JSON to keep a link. A larger file is refused with 413 and nothing is stored."
	add.DefaultStatus = http.StatusCreated
	add.MaxBodyBytes = maxUploadBody
	add.SkipValidateBody = true // two media types: the handler reads each
	add.Errors = append(add.Errors, http.StatusRequestEntityTooLarge)
	linkSchema := api.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(EvidenceLinkBody{}), true, "EvidenceLinkBody")
	add.RequestBody = &huma.RequestBody{Required: true, Content: map[string]*huma.MediaType{
		"application/json": {Schema: linkSchema},
		"multipart/form-data": {Schema: &huma.Schema{Type: "object", Required: []string{"file"}, Properties: map[string]*huma.Schema{
			"file": {Type: "string", Format: "binary", Description: "The evidence file, at most 10 MiB."},
			"name": {Type: "string", MaxLength: ptrInt(200), Description: "The name to keep; the file's own name when left out."},
		}}},
	}}
	// A body announced larger than the limit is refused before it is read,
	// with a message that names its size.
	add.Middlewares = huma.Middlewares{func(ctx huma.Context, next func(huma.Context)) {
		if n, err := strconv.ParseInt(ctx.Header("Content-Length"), 10, 64); err == nil && n > maxUploadBody {
			_ = huma.WriteErr(api, ctx, http.StatusRequestEntityTooLarge, caio.ErrorMessage(caio.TooLarge(n)),
				&huma.ErrorDetail{Location: "body.file", Message: caio.ErrorFields(caio.TooLarge(n))[0].Message})
			return
		}
		next(ctx)
	}}
	huma.Register(api, add, func(ctx context.Context, in *evidenceUploadIn) (*struct{ Body *caio.Evidence }, error) {
		mt, params, _ := mime.ParseMediaType(in.ContentType)
		var e *caio.Evidence
		var err error
		switch mt {
		case "multipart/form-data":
			var file caio.EvidenceFileInput
			if file, err = readUpload(in.RawBody, params["boundary"]); err == nil {
				if file.Size > caio.MaxEvidenceBytes {
					tooBig := caio.TooLarge(file.Size)
					return nil, huma.NewError(http.StatusRequestEntityTooLarge, caio.ErrorMessage(tooBig),
						&huma.ErrorDetail{Location: "body.file", Message: caio.ErrorFields(tooBig)[0].Message})
				}
				e, err = api.app.AddEvidenceFile(ctx, in.ID, file)
			}
		case "application/json", "":
			var body EvidenceLinkBody
			if jerr := unmarshalJSON(in.RawBody, &body); jerr != nil {
				return nil, huma.NewError(http.StatusBadRequest, "Please fix: the body is not a JSON link: "+jerr.Error()+".")
			}
			e, err = api.app.AddEvidenceLink(ctx, in.ID, caio.EvidenceLinkInput{Name: body.Name, URL: body.URL, SHA256: body.SHA256})
		default:
			return nil, huma.NewError(http.StatusUnsupportedMediaType, "Send a file as multipart/form-data, or a link as application/json.")
		}
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Evidence }{e}, nil
	})
}

// readUpload finds the part "file" (and "name") of a multipart body.
func readUpload(body []byte, boundary string) (caio.EvidenceFileInput, error) {
	in := caio.EvidenceFileInput{Size: -1}
	if boundary == "" {
		return in, caio.FieldError("file", "is missing: the multipart body has no boundary")
	}
	r := multipart.NewReader(bytes.NewReader(body), boundary)
	var name string
	for {
		p, err := r.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return in, caio.FieldError("file", "could not be read: the multipart body is malformed")
		}
		switch p.FormName() {
		case "file":
			if in.Data != nil {
				return in, caio.FieldError("file", "appears twice: send one file per request")
			}
			data, err := io.ReadAll(p)
			if err != nil {
				return in, caio.FieldError("file", "could not be read: the multipart body is malformed")
			}
			in.Data, in.Size = bytes.NewReader(data), int64(len(data))
			in.Name, in.ContentType = p.FileName(), p.Header.Get("Content-Type")
		case "name":
			b, _ := io.ReadAll(io.LimitReader(p, 4096))
			name = strings.TrimSpace(string(b))
		}
	}
	if in.Data == nil {
		return in, caio.FieldError("file", "is required: send the file in the multipart part named file")
	}
	if name != "" {
		in.Name = name
	}
	return in, nil
}

func ptrInt(n int) *int { return &n }

// filterProblem is problem for errors about query parameters: each field
// problem is located in the query.
func (api *API) filterProblem(ctx context.Context, err error) error {
	fs := caio.ErrorFields(err)
	if len(fs) == 0 {
		return api.problem(ctx, err)
	}
	details := make([]error, len(fs))
	for i, f := range fs {
		details[i] = &huma.ErrorDetail{Message: f.Message, Location: "query." + f.Field}
	}
	return huma.NewError(statusOf[caio.ErrorCode(err)], caio.ErrorMessage(err), details...)
}
