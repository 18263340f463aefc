package server_test

import (
	"testing"

	"github.com/caio-office/caio/internal/server/servertest"
)

// The CycloneDX export of the other organisation must hold none of the
// first organisation's objects (its systems, models, datasets and vendors
// are among the walk's fixtures). The area has no routes with a path
// parameter, so it adds no objects.
func init() {
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			return map[string]string{}
		},
		apiLists: []string{"/api/v1/exports/cyclonedx"},
	})
}
