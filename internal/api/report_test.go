package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// Reports join the role matrix: App.Report needs PermRead.
func init() {
	roleCases = append(roleCases,
		roleCase{name: "board report", op: "GET /reports/board", perm: caio.PermRead, req: fixed("/api/v1/reports/board?format=md", nil), ok: 200},
		roleCase{name: "strategy report", op: "GET /reports/strategy", perm: caio.PermRead, req: fixed("/api/v1/reports/strategy?format=md", nil), ok: 200},
		roleCase{name: "portfolio report", op: "GET /reports/portfolio", perm: caio.PermRead, req: fixed("/api/v1/reports/portfolio?format=md", nil), ok: 200},
		roleCase{name: "euaiact report", op: "GET /reports/euaiact", perm: caio.PermRead, req: fixed("/api/v1/reports/euaiact?format=md", nil), ok: 200},
		roleCase{name: "handover report", op: "GET /reports/handover", perm: caio.PermRead, req: fixed("/api/v1/reports/handover?format=md", nil), ok: 200},
		roleCase{name: "system card by query", op: "GET /reports/system", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/reports/system?format=md&system=" + e.s.NewSystem(t, e.org, fmt.Sprintf("Card %d", e.seq())).ID, nil
		}},
		roleCase{name: "system card", op: "GET /reports/system/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/reports/system/" + e.s.NewSystem(t, e.org, fmt.Sprintf("Card %d", e.seq())).ID + "?format=md", nil
		}},
	)
}

// TestReportAPI gets reports in each text format and checks the errors a
// client would meet.
func TestReportAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		sys := s.NewSystem(t, org, "Claims triage")
		foreign := s.NewSystem(t, other, "Globex model")
		_, token := s.NewToken(t, org, org.Members[caio.RoleViewer], "reports")

		res := s.Do(t, http.MethodGet, "/api/v1/reports/portfolio?format=md", token, nil)
		if res.StatusCode != 200 || !bytes.HasPrefix(res.Body, []byte("# Portfolio report")) || !strings.Contains(res.Header.Get("Content-Disposition"), "caio-portfolio-acme.md") {
			t.Errorf("portfolio md: %s", res)
		}
		res = s.Do(t, http.MethodGet, "/api/v1/reports/system?system="+sys.ID, token, nil)
		if res.StatusCode != 200 || !strings.Contains(string(res.Body), "System card: Claims triage") || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			t.Errorf("system card: %s", res)
		}
		for _, tc := range []struct {
			path   string
			status int
			want   string
		}{
			{"/api/v1/reports/system?system=" + foreign.ID, 404, "not found"},
			{"/api/v1/reports/system", 422, "system"},
			{"/api/v1/reports/system/" + foreign.ID, 404, "not found"},
			{"/api/v1/reports/weekly", 404, ""},
			{"/api/v1/reports/board?format=docx", 422, "format"},
		} {
			res := s.Do(t, http.MethodGet, tc.path, token, nil)
			if res.StatusCode != tc.status || !strings.Contains(strings.ToLower(string(res.Body)), tc.want) {
				t.Errorf("%s: %s, want %d with %q", tc.path, res, tc.status, tc.want)
			}
		}
	})
}
