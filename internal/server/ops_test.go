package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestOperations checks what operators and their tools rely on: health and
// readiness, and metrics labelled by route pattern rather than raw path, so
// object ids do not multiply the series.
func TestOperations(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")

		if res := s.Do(t, "GET", "/healthz", "", nil).Want(t, http.StatusOK); strings.TrimSpace(string(res.Body)) != "ok" {
			t.Errorf("healthz: %s", res)
		}
		if res := s.Do(t, "GET", "/readyz", "", nil).Want(t, http.StatusOK); strings.TrimSpace(string(res.Body)) != "ready" {
			t.Errorf("readyz: %s", res)
		}

		s.Do(t, "GET", "/api/v1/objectives/"+obj.ID, org.Token(caio.RoleViewer), nil).Want(t, http.StatusOK)
		s.Do(t, "GET", "/api/v1/objectives/obj_06h1q0k08pq9pngpeqqy37hj2c", org.Token(caio.RoleViewer), nil).Want(t, http.StatusNotFound)
		s.Do(t, "GET", "/no/such/"+obj.ID, "", nil).Want(t, http.StatusNotFound)

		res := s.Do(t, "GET", "/metrics", "", nil).Want(t, http.StatusOK)
		m := string(res.Body)
		for _, want := range []*regexp.Regexp{
			regexp.MustCompile(`(?m)^caio_http_requests_total\{[^}]*route="GET /api/v1/objectives/\{id\}"[^}]*status="200"[^}]*\} 1$`),
			regexp.MustCompile(`(?m)^caio_http_requests_total\{[^}]*route="GET /api/v1/objectives/\{id\}"[^}]*status="404"[^}]*\} 1$`),
			regexp.MustCompile(`(?m)^caio_http_requests_total\{[^}]*route="GET /healthz"[^}]*\} 1$`),
			regexp.MustCompile(`(?m)^caio_http_request_duration_seconds_bucket\{[^}]*route="GET /api/v1/objectives/\{id\}"`),
			regexp.MustCompile(`(?m)^caio_db_open_connections\{[^}]*dialect="` + string(db.Dialect) + `"[^}]*\} \d+`),
			regexp.MustCompile(`(?m)^caio_db_wait_count_total\{`),
			regexp.MustCompile(`(?m)^go_goroutines `),
		} {
			if !want.MatchString(m) {
				t.Errorf("metrics lack %s", want)
			}
		}
		if strings.Contains(m, obj.ID) {
			t.Error("metrics contain a raw object id: routes must be labelled by pattern")
		}
	})
}
