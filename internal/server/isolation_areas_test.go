package server_test

import (
	"net/url"
	"testing"

	"github.com/caio-office/caio/internal/server/servertest"
)

// isolationArea lets an area prove its own routes in TestTenantIsolation
// from a file of its own (isolation_<area>_test.go), registered from an init
// function: the walk over every route then finds the area's objects,
// request bodies and forms there.
type isolationArea struct {
	// objects makes objects of org named with tag and returns them keyed by
	// the route path (without the API prefix) up to and including the
	// parameter, such as "/incidents/{id}". It is called once for the
	// intruder's targets and once per control request, whose owner may
	// delete what it names.
	objects func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string
	// routeObjects replace objects for the control requests of routes that
	// need an object in a particular state, keyed by "METHOD /path".
	routeObjects map[string]func(t *testing.T, s *servertest.Server, org *servertest.Org, m map[string]string)
	// bodies are valid JSON bodies of the operations that take one, keyed
	// by "METHOD /api/v1/path"; forms are valid forms of the pages' POST
	// routes, keyed by "POST /path".
	bodies map[string]any
	forms  map[string]url.Values
	// apiLists and pages are lists that must show nothing of the other
	// organisation, such as "/api/v1/incidents?limit=500" and "/incidents".
	apiLists []string
	pages    []string
}

// isolationAreas are the areas registered by their own files.
var isolationAreas []isolationArea
