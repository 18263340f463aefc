package server_test

import (
	"net/url"
	"testing"

	"github.com/caio-office/caio/internal/server/servertest"
)

// CSV and XLSX prove their routes in TestTenantIsolation: an upload kept
// for its preview answers 404 to another organisation's owner, and every
// export of bravo holds nothing of alpha. Exports and imports of the API
// have fixed paths per list and kind, so they are among the lists.
func init() {
	lists := []string{"systems", "models", "datasets", "vendors", "usecases", "risks", "controls", "incidents", "policies", "tasks", "objectives"}
	var apiLists, pages []string
	for _, l := range lists {
		apiLists = append(apiLists, "/api/v1/exports/"+l+"?format=csv")
		pages = append(pages, "/export/"+l+".csv")
	}
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			t.Helper()
			u, err := s.App.UploadImport(org.Sys, "vendors", "vendors.csv", []byte("Name\nImported vendor "+tag+"\n"))
			if err != nil {
				t.Fatal(err)
			}
			return map[string]string{"/imports/{id}": u.ID}
		},
		forms: map[string]url.Values{
			"POST /imports/{id}": {"map.name": {"Name"}, "action": {"import"}, "mode": {"all"}},
		},
		apiLists: apiLists,
		pages:    pages,
	})
}
