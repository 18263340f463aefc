package api_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// sharedControls holds one control per role-matrix environment, for the
// cases that only read it.
var sharedControls sync.Map // *roleEnv → *caio.Control

func (e *roleEnv) control(t *testing.T) *caio.Control {
	if k, ok := sharedControls.Load(e); ok {
		return k.(*caio.Control)
	}
	k := e.s.NewControl(t, e.org, "Shared CV screening")
	sharedControls.Store(e, k)
	return k
}

func init() {
	roleCases = append(roleCases,
		// App.Posture, FindControls, FindControl, ControlEvidence, FindEvidence,
		// EvidenceContent, OrgFrameworks: PermRead.
		roleCase{name: "posture", op: "GET /compliance/posture", perm: caio.PermRead, req: fixed("/api/v1/compliance/posture", nil), ok: 200},
		roleCase{name: "list controls", op: "GET /controls", perm: caio.PermRead, req: fixed("/api/v1/controls", nil), ok: 200},
		roleCase{name: "get control", op: "GET /controls/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/controls/" + e.control(t).ID, nil
		}},
		roleCase{name: "list evidence", op: "GET /controls/{id}/evidence", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/controls/" + e.control(t).ID + "/evidence", nil
		}},
		roleCase{name: "get evidence", op: "GET /evidence/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/evidence/" + e.s.NewEvidence(t, e.org, e.control(t).ID, fmt.Sprintf("read-%d.txt", e.seq())).ID, nil
		}},
		roleCase{name: "download evidence", op: "GET /evidence/{id}/download", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/evidence/" + e.s.NewEvidence(t, e.org, e.control(t).ID, fmt.Sprintf("down-%d.txt", e.seq())).ID + "/download", nil
		}},
		roleCase{name: "list frameworks", op: "GET /frameworks", perm: caio.PermRead, req: fixed("/api/v1/frameworks", nil), ok: 200},
		roleCase{name: "get framework", op: "GET /frameworks/{id}", perm: caio.PermRead, req: fixed("/api/v1/frameworks/iso-42001", nil), ok: 200},
		roleCase{name: "org frameworks", op: "GET /compliance/frameworks", perm: caio.PermRead, req: fixed("/api/v1/compliance/frameworks", nil), ok: 200},
		// App.UpdateControl, AddEvidenceLink, AddEvidenceFile, DeleteEvidence: PermEdit.
		roleCase{name: "update control", op: "PUT /controls/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/controls/" + e.control(t).ID, map[string]any{"status": "in_progress", "owner": "Owner " + string(r)}
		}},
		roleCase{name: "add evidence", op: "POST /controls/{id}/evidence", perm: caio.PermContribute, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/controls/" + e.control(t).ID + "/evidence", map[string]any{"url": "https://docs.example/" + string(r)}
		}},
		roleCase{name: "delete evidence", op: "DELETE /evidence/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/evidence/" + e.s.NewEvidence(t, e.org, e.control(t).ID, fmt.Sprintf("doomed-%d.txt", e.seq())).ID, nil
		}},
		// App.SetOrgFrameworks: PermManageOrg.
		roleCase{name: "set org frameworks", op: "PUT /compliance/frameworks", perm: caio.PermManageOrg, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			if _, err := e.s.App.SetOrgFrameworks(e.org.Sys, []string{"nist-ai-rmf"}); err != nil {
				t.Fatal(err)
			}
			return "/api/v1/compliance/frameworks", map[string]any{"frameworks": []string{"iso-42001"}}
		}},
	)
}

// upload posts a multipart body with a file part to path.
func upload(t *testing.T, s *servertest.Server, path, token, filename, contentType string, data []byte) *servertest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	h := make(map[string][]string)
	h["Content-Disposition"] = []string{mime.FormatMediaType("form-data", map[string]string{"name": "file", "filename": filename})}
	if contentType != "" {
		h["Content-Type"] = []string{contentType}
	}
	part, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	req := s.NewRequest(t, http.MethodPost, path, token, nil)
	req.Body, req.ContentLength = nopCloser{bytes.NewReader(body.Bytes())}, int64(body.Len())
	req.Header.Set("Content-Type", w.FormDataContentType())
	return servertest.Request(t, http.DefaultClient, req)
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func TestComplianceAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		k := s.NewControl(t, org, "CV screening")
		editor, viewer, admin := org.Token(caio.RoleEditor), org.Token(caio.RoleViewer), org.Token(caio.RoleAdmin)

		// Lists with filters; bad filters name the query parameter.
		var page struct {
			Total int             `json:"total"`
			Items []*caio.Control `json:"items"`
		}
		s.Do(t, "GET", "/api/v1/controls?system="+k.SystemID+"&framework=eu-ai-act&limit=500", viewer, nil).Want(t, 200).JSON(t, &page)
		if page.Total < 3 || !slices.ContainsFunc(page.Items, func(c *caio.Control) bool { return c.ID == k.ID && c.ItemTitle != "" }) {
			t.Errorf("controls of the system: %d, %+v", page.Total, page.Items)
		}
		for q, loc := range map[string]string{"framework=cobit": "query.framework", "status=done": "query.status", "system=nope": "query.system", "sort=owner": "query.sort"} {
			p := s.Do(t, "GET", "/api/v1/controls?"+q, viewer, nil).Want(t, 422).Problem(t)
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("%s: locations %v, want %s", q, p.Locations(), loc)
			}
		}

		// Updates name the field to fix.
		p := s.Do(t, "PUT", "/api/v1/controls/"+k.ID, editor, map[string]any{"status": "not_applicable"}).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.reason") {
			t.Errorf("n/a without a reason: %v", p.Locations())
		}
		var got caio.Control
		s.Do(t, "PUT", "/api/v1/controls/"+k.ID, editor, map[string]any{"status": "in_progress", "owner": "HR", "due_date": "2026-06-30", "version": 1}).Want(t, 200).JSON(t, &got)
		if got.Version != 2 || got.Status != "in_progress" || got.Due != "2026-06-30" {
			t.Errorf("updated %+v", got)
		}
		s.Do(t, "PUT", "/api/v1/controls/"+k.ID, editor, map[string]any{"status": "implemented", "version": 1}).Want(t, 409)

		// A link as JSON.
		var link caio.Evidence
		s.Do(t, "POST", "/api/v1/controls/"+k.ID+"/evidence", editor, map[string]any{"name": "Training records", "url": "https://lms.example/ai"}).Want(t, 201).JSON(t, &link)
		if link.Kind != "link" || link.URL != "https://lms.example/ai" {
			t.Errorf("link %+v", link)
		}
		p = s.Do(t, "POST", "/api/v1/controls/"+k.ID+"/evidence", editor, map[string]any{"url": "ftp://x", "sha256": "no"}).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.url") || !slices.Contains(p.Locations(), "body.sha256") {
			t.Errorf("bad link: %v", p.Locations())
		}

		// A file as multipart: its SHA-256 is kept, and it downloads as an attachment.
		data := []byte("Training attendance, 2026\nAda, Bob\n")
		sum := sha256.Sum256(data)
		var file caio.Evidence
		upload(t, s, "/api/v1/controls/"+k.ID+"/evidence", editor, "attendance.csv", "text/csv", data).Want(t, 201).JSON(t, &file)
		if file.Kind != "file" || file.SHA256 != hex.EncodeToString(sum[:]) || file.Size != int64(len(data)) || file.ContentType != "text/csv" || file.Name != "attendance.csv" {
			t.Errorf("file %+v", file)
		}
		res := s.Do(t, "GET", "/api/v1/evidence/"+file.ID+"/download", viewer, nil).Want(t, 200)
		if !bytes.Equal(res.Body, data) || res.Header.Get("Content-Type") != "text/csv" || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("download: %q %v", res.Body, res.Header)
		}
		if _, params, _ := mime.ParseMediaType(res.Header.Get("Content-Disposition")); !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || params["filename"] != "attendance.csv" {
			t.Errorf("Content-Disposition %q", res.Header.Get("Content-Disposition"))
		}
		s.Do(t, "GET", "/api/v1/evidence/"+link.ID+"/download", viewer, nil).Want(t, 404)

		// Too large: refused with 413, the limit and the size, nothing stored.
		before := s.Count(t, org)
		big := bytes.Repeat([]byte("x"), caio.MaxEvidenceBytes+1)
		p = upload(t, s, "/api/v1/controls/"+k.ID+"/evidence", editor, "scan.tif", "image/tiff", big).Want(t, 413).Problem(t)
		if !strings.Contains(p.Detail, "10.0 MiB") || !slices.Contains(p.Locations(), "body.file") {
			t.Errorf("too large: %+v", p)
		}
		huge := bytes.Repeat([]byte("x"), 12<<20)
		p = upload(t, s, "/api/v1/controls/"+k.ID+"/evidence", editor, "video.mp4", "video/mp4", huge).Want(t, 413).Problem(t)
		if !strings.Contains(p.Detail, "12.0 MiB") || !strings.Contains(p.Detail, "10.0 MiB") {
			t.Errorf("far too large: %+v", p)
		}
		var es []*caio.Evidence
		s.Do(t, "GET", "/api/v1/controls/"+k.ID+"/evidence", viewer, nil).Want(t, 200).JSON(t, &es)
		if len(es) != 2 {
			t.Errorf("%d evidence items after refused uploads, want 2", len(es))
		}
		if after := s.Count(t, org); after != before {
			t.Errorf("refused uploads changed counts from %+v to %+v", before, after)
		}
		p = upload(t, s, "/api/v1/controls/"+k.ID+"/evidence", editor, "empty.txt", "text/plain", nil).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.file") {
			t.Errorf("empty file: %v", p.Locations())
		}
		req := s.NewRequest(t, "POST", "/api/v1/controls/"+k.ID+"/evidence", editor, "x")
		req.Header.Set("Content-Type", "text/plain")
		servertest.Request(t, http.DefaultClient, req).Want(t, 415)

		// Deleting.
		s.Do(t, "DELETE", "/api/v1/evidence/"+file.ID, editor, nil).Want(t, 204)
		s.Do(t, "GET", "/api/v1/evidence/"+file.ID, viewer, nil).Want(t, 404)

		// Posture of the organisation and of one system.
		var posture caio.Posture
		s.Do(t, "GET", "/api/v1/compliance/posture", viewer, nil).Want(t, 200).JSON(t, &posture)
		if len(posture.Frameworks) != 3 || posture.Total.InProgress != 1 || posture.Systems != 1 || posture.Classes[0].Class != "high_risk" {
			t.Errorf("posture %+v", posture)
		}
		s.Do(t, "GET", "/api/v1/compliance/posture?system="+k.SystemID, viewer, nil).Want(t, 200).JSON(t, &posture)
		if posture.SystemID != k.SystemID {
			t.Errorf("system posture %+v", posture)
		}
		s.Do(t, "GET", "/api/v1/compliance/posture?system=sys_nope", viewer, nil).Want(t, 404)

		// The catalogue and the organisation's choice.
		var fws []map[string]any
		s.Do(t, "GET", "/api/v1/frameworks", viewer, nil).Want(t, 200).JSON(t, &fws)
		if len(fws) != 5 || fws[0]["id"] != "eu-ai-act" || fws[0]["enabled"] != true {
			t.Errorf("frameworks %v", fws)
		}
		var fw struct {
			ID       string `json:"id"`
			Notice   string `json:"notice"`
			ItemList []struct {
				ID        string `json:"id"`
				Crosswalk []struct {
					Framework string `json:"framework"`
				} `json:"crosswalk"`
			} `json:"item_list"`
		}
		s.Do(t, "GET", "/api/v1/frameworks/eu-ai-act", viewer, nil).Want(t, 200).JSON(t, &fw)
		if fw.ID != "eu-ai-act" || fw.Notice == "" || len(fw.ItemList) < 30 || len(fw.ItemList[0].Crosswalk) == 0 {
			t.Errorf("framework %+v", fw)
		}
		s.Do(t, "GET", "/api/v1/frameworks/cobit", viewer, nil).Want(t, 404)
		s.Do(t, "PUT", "/api/v1/compliance/frameworks", editor, map[string]any{"frameworks": []string{"omb-m-25-21"}}).Want(t, 403)
		p = s.Do(t, "PUT", "/api/v1/compliance/frameworks", admin, map[string]any{"frameworks": []string{"cobit"}}).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.frameworks") {
			t.Errorf("unknown framework: %v", p.Locations())
		}
		var infos []caio.FrameworkInfo
		s.Do(t, "PUT", "/api/v1/compliance/frameworks", admin, map[string]any{"frameworks": []string{"omb-m-25-21"}}).Want(t, 200).JSON(t, &infos)
		var on []string
		for _, i := range infos {
			if i.Enabled {
				on = append(on, i.ID)
			}
		}
		if !slices.Equal(on, []string{"eu-ai-act", "omb-m-25-21"}) {
			t.Errorf("enabled %v", on)
		}
		s.Do(t, "GET", "/api/v1/controls?framework=omb-m-25-21&system="+k.SystemID, viewer, nil).Want(t, 200).JSON(t, &page)
		if page.Total == 0 {
			t.Error("no OMB M-25-21 controls for a high-risk system once OMB is enabled")
		}

		// The OpenAPI document describes both ways to add evidence.
		res = s.Do(t, "GET", "/api/v1/openapi.json", "", nil).Want(t, 200)
		for _, want := range []string{`"multipart/form-data"`, `"/controls/{id}/evidence"`, `"Compliance"`, `"/evidence/{id}/download"`} {
			if !bytes.Contains(res.Body, []byte(want)) {
				t.Errorf("OpenAPI lacks %s", want)
			}
		}
	})
}
