package web_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"html"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// uploadForm posts the evidence upload form of a control: a multipart body
// with the file part and, when set, a name.
func uploadForm(t *testing.T, s *servertest.Server, b *servertest.Browser, controlID, filename string, data []byte, name string) *servertest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("file_name", name) // the form has the name before the file
	part, err := w.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	req := s.NewRequest(t, http.MethodPost, "/controls/"+controlID+"/evidence", "", nil)
	req.Body, req.ContentLength = readCloser{bytes.NewReader(body.Bytes())}, int64(body.Len())
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.Do(t, req)
}

type readCloser struct{ *bytes.Reader }

func (readCloser) Close() error { return nil }

func page(res *servertest.Response) string { return html.UnescapeString(string(res.Body)) }

func TestCompliancePages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		k := s.NewControl(t, org, "CV screening")
		editor := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		owner := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password) // sees the history

		// The dashboard: charts with their tables, each figure a link to the drill-down.
		res := editor.Get(t, "/compliance").Want(t, 200)
		body := page(res)
		for _, want := range []string{`<svg class="chart bars" role="img"`, `<svg class="chart donut" role="img"`, "<title id=\"chart-frameworks-t\">",
			"/compliance/controls?framework=eu-ai-act&status=not_started", "/compliance/controls?status=implemented", "/systems?class=high_risk",
			"/compliance/controls?overdue=1", "<caption id=\"cap-fw\">", "Next deadlines", "/controls/"} {
			if !strings.Contains(body, want) {
				t.Errorf("dashboard lacks %q", want)
			}
		}

		// The list filters, and names a bad filter.
		res = editor.Get(t, "/compliance/controls?system="+k.SystemID+"&framework=eu-ai-act&status=not_started").Want(t, 200)
		if body := page(res); !strings.Contains(body, "/controls/"+k.ID) || !strings.Contains(body, "Only the controls of") {
			t.Errorf("filtered list: %s", res)
		}
		editor.Get(t, "/compliance/controls?status=done").Want(t, 422)

		// Editing: a not-applicable status without a reason comes back with
		// what was typed and the problem beside the field.
		form := url.Values{"status": {"not_applicable"}, "owner": {"Head of <HR>"}, "due_date": {"2026-09-30"}, "version": {"1"}}
		res = editor.PostForm(t, "/controls/"+k.ID, form).Want(t, 422)
		body = page(res)
		if !strings.Contains(body, "Reason is required when the status is not applicable") || !strings.Contains(body, `value="Head of <HR>"`) || !strings.Contains(body, `value="not_applicable" selected`) {
			t.Errorf("failed edit does not keep the input or say why: %s", res)
		}
		form.Set("reason", "Only HR staff use it; they were trained under the group programme.")
		editor.PostForm(t, "/controls/"+k.ID, form).Want(t, 303)
		res = owner.Get(t, "/controls/"+k.ID).Want(t, 200)
		if body := page(res); !strings.Contains(body, "History") || !strings.Contains(body, "group programme") || !strings.Contains(body, "control.update") {
			t.Errorf("after saving: %s", res)
		}
		editor.PostForm(t, "/controls/"+k.ID, form).Want(t, 409) // version 1 is stale now

		// A file upload keeps the file and its SHA-256, and downloads as an attachment.
		data := []byte("Attendance of the AI literacy course, 2026.\n")
		sum := sha256.Sum256(data)
		uploadForm(t, s, editor, k.ID, "attendance.txt", data, "").Want(t, 303)
		res = owner.Get(t, "/controls/"+k.ID).Want(t, 200)
		body = page(res)
		if !strings.Contains(body, "attendance.txt") || !strings.Contains(body, hex.EncodeToString(sum[:])) || !strings.Contains(body, "evidence.add") {
			t.Errorf("after upload: %s", res)
		}
		es, err := s.App.ControlEvidence(org.Sys, k.ID)
		if err != nil || len(es) != 1 {
			t.Fatalf("evidence %v, %v", es, err)
		}
		res = editor.Get(t, "/evidence/"+es[0].ID+"/download").Want(t, 200)
		if !bytes.Equal(res.Body, data) || !strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
			t.Errorf("download %q %v", res.Body, res.Header)
		}

		// Too large: 413, the limit and the size on the page, nothing stored.
		big := bytes.Repeat([]byte{0}, caio.MaxEvidenceBytes+1)
		res = uploadForm(t, s, editor, k.ID, "scan.tif", big, "Scan").Want(t, 413)
		body = page(res)
		if !strings.Contains(body, "larger than the limit of 10.0 MiB") || !strings.Contains(body, `value="Scan"`) {
			t.Errorf("too large upload: %s", res)
		}
		res = uploadForm(t, s, editor, k.ID, "video.mp4", bytes.Repeat([]byte{1}, 13<<20), "").Want(t, 413)
		if body := page(res); !strings.Contains(body, "13.0 MiB") || !strings.Contains(body, "10.0 MiB") {
			t.Errorf("far too large upload: %s", res)
		}
		uploadForm(t, s, editor, k.ID, "empty.txt", nil, "").Want(t, 422)
		if es, _ := s.App.ControlEvidence(org.Sys, k.ID); len(es) != 1 {
			t.Errorf("%d evidence items after refused uploads, want 1", len(es))
		}

		// Links: a bad address keeps the typed name; a good one is added.
		res = editor.PostForm(t, "/controls/"+k.ID+"/evidence", url.Values{"url": {"intranet/policy"}, "link_name": {"AI policy"}}).Want(t, 422)
		if body := page(res); !strings.Contains(body, "Web address must be a web address") || !strings.Contains(body, `value="AI policy"`) {
			t.Errorf("bad link: %s", res)
		}
		editor.PostForm(t, "/controls/"+k.ID+"/evidence", url.Values{"url": {"https://intranet.example/ai-policy"}, "link_name": {"AI policy"}}).Want(t, 303)

		// Deleting evidence.
		editor.PostForm(t, "/evidence/"+es[0].ID+"/delete", nil).Want(t, 303)
		res = owner.Get(t, "/controls/"+k.ID).Want(t, 200)
		if body := page(res); strings.Contains(body, "attendance.txt\n") || !strings.Contains(body, "evidence.delete") || !strings.Contains(body, "AI policy") {
			t.Errorf("after delete: %s", res)
		}

		// The catalogue pages.
		res = editor.Get(t, "/frameworks/eu-ai-act").Want(t, 200)
		if body := page(res); !strings.Contains(body, `id="i-art9"`) || !strings.Contains(body, "/frameworks/nist-ai-rmf#i-") || !strings.Contains(body, "In our own words") {
			t.Errorf("framework page: %s", res)
		}
		editor.Get(t, "/frameworks/cobit").Want(t, 404)

		// Frameworks that apply: only owners and admins choose.
		editor.PostForm(t, "/compliance/settings", url.Values{"frameworks": {"omb-m-25-21"}}).Want(t, 403)
		res = owner.PostForm(t, "/compliance/settings", url.Values{"frameworks": {"nist-ai-rmf", "cobit"}}).Want(t, 422)
		if body := page(res); !strings.Contains(body, "cobit") || !strings.Contains(body, `value="nist-ai-rmf" checked`) {
			t.Errorf("bad settings: %s", res)
		}
		owner.PostForm(t, "/compliance/settings", url.Values{"frameworks": {"nist-ai-rmf", "omb-m-25-21"}}).Want(t, 303)
		res = owner.Get(t, "/compliance").Want(t, 200)
		if body := page(res); !strings.Contains(body, "OMB M-25-21") || strings.Contains(body, ">ISO/IEC 42001<") {
			t.Errorf("dashboard after choosing NIST and OMB: %s", res)
		}

		// A viewer reads but is offered no forms.
		viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		res = viewer.Get(t, "/controls/"+k.ID).Want(t, 200)
		for _, no := range []string{"Save control", "Upload a file", "Add a link", "/delete"} {
			if strings.Contains(string(res.Body), no) {
				t.Errorf("viewer is offered %q", no)
			}
		}
		viewer.PostForm(t, "/controls/"+k.ID, form).Want(t, 403)
		viewer.PostForm(t, "/controls/"+k.ID+"/evidence", url.Values{"url": {"https://x.example"}}).Want(t, 403)
	})
}
