package web_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/report"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestReportPages walks the reports page and gets each kind as a member
// would: HTML shown in the browser with a policy that allows its own style,
// Markdown and PDF as downloads, another organisation's system not found.
func TestReportPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		bot := s.NewSystem(t, org, "Customer chatbot")
		foreign := s.NewSystem(t, other, "Globex secret system")
		b := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)

		res := b.Get(t, "/reports")
		if res.StatusCode != 200 {
			t.Fatalf("reports page: %s", res)
		}
		for _, w := range []string{"Board report", "EU AI Act readiness", "Handover pack", `action="/reports/board"`, `name="format" value="pdf"`,
			`<option value="` + bot.ID + `">Customer chatbot`, "<legend>Format</legend>", "not legal advice"} {
			if !strings.Contains(string(res.Body), w) {
				t.Errorf("reports page lacks %q", w)
			}
		}
		if strings.Contains(string(res.Body), "Globex") {
			t.Error("reports page shows another organisation's system")
		}
		res = b.Get(t, "/reports/board")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(res.Body), "Readiness and compliance posture") ||
			res.Header.Get("Content-Security-Policy") != report.ContentSecurityPolicy || res.Header.Get("Content-Disposition") != "" {
			t.Errorf("board html: %s %v", res, res.Header)
		}
		res = b.Get(t, "/reports/euaiact?format=md")
		if res.StatusCode != 200 || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/markdown") || !strings.Contains(res.Header.Get("Content-Disposition"), `attachment; filename=caio-euaiact-acme.md`) ||
			!bytes.HasPrefix(res.Body, []byte("# EU AI Act readiness")) {
			t.Errorf("euaiact md: %s %v", res, res.Header)
		}
		for _, p := range []string{"/reports/system?system=" + bot.ID, "/reports/system/" + bot.ID + "?format=html"} {
			if res = b.Get(t, p); res.StatusCode != 200 || !strings.Contains(string(res.Body), "System card: Customer chatbot") {
				t.Errorf("system card %s: %s", p, res)
			}
		}
		for _, tc := range []struct {
			path   string
			status int
			want   string
		}{
			{"/reports/system?system=" + foreign.ID, 404, "not found"},
			{"/reports/system", 422, "System is required"},
			{"/reports/weekly", 404, ""},
			{"/reports/system/" + foreign.ID, 404, "not found"},
			{"/reports/board?format=docx", 422, "Format must be one of html, pdf, md"},
		} {
			res := b.Get(t, tc.path)
			if res.StatusCode != tc.status || !strings.Contains(strings.ToLower(string(res.Body)), strings.ToLower(tc.want)) {
				t.Errorf("%s: %d, want %d with %q: %.300s", tc.path, res.StatusCode, tc.status, tc.want, res.Body)
			}
		}
		if _, err := report.FindChromium(""); err == nil {
			res = b.Get(t, "/reports/board?format=pdf")
			if res.StatusCode != 200 || !bytes.HasPrefix(res.Body, []byte("%PDF")) || res.Header.Get("Content-Type") != "application/pdf" ||
				!strings.Contains(res.Header.Get("Content-Disposition"), "caio-board-acme.pdf") {
				t.Errorf("board pdf: %d %v", res.StatusCode, res.Header)
			}
		}
	})
}
