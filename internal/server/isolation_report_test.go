package server_test

import (
	"testing"

	"github.com/caio-office/caio/internal/server/servertest"
)

// Reports prove their one route with an object in its path in
// TestTenantIsolation: the system card of another organisation's system is
// 404, the organisation's own renders; the reports page lists nothing of
// the other organisation.
func init() {
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			t.Helper()
			return map[string]string{"/reports/system/{id}": s.NewSystem(t, org, "Report system "+tag).ID}
		},
		apiLists: []string{"/api/v1/reports/euaiact?format=md", "/api/v1/reports/handover?format=md"},
		pages:    []string{"/reports", "/reports/euaiact", "/reports/board?format=md"},
	})
}
