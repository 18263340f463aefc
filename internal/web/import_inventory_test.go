package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// uploadFile posts a multipart form with one file to path.
func uploadFile(t *testing.T, s *servertest.Server, b *servertest.Browser, path, name string, data []byte) *servertest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := http.NewRequest("POST", s.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Do(t, req)
}

// TestImportInventoryPage imports the published federal COTS inventory and
// a CycloneDX BOM from the page, as an editor would: the counts are shown,
// a second import of the same file changes nothing, a file of the wrong
// kind or over the limit is refused with a clear error, a viewer may not
// import, and the use cases download in the federal schema.
func TestImportInventoryPage(t *testing.T) {
	src := filepath.Join("..", "..", "..", "shared", "data", "us-federal-ai-inventory-2025", "2025_consolidated_COTS_AI_use_cases.csv")
	cots, err := os.ReadFile(src)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the federal inventory is missing: %v", err)
		}
		t.Skipf("the federal inventory is not at %s; skipping", src)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		b := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		body := func(r *servertest.Response) string { return string(r.Body) }

		if !strings.Contains(body(b.Get(t, "/imports/new").Want(t, 200)), `href="/imports/inventory"`) {
			t.Error("the import page does not link to the inventory files")
		}
		res := b.Get(t, "/imports/inventory").Want(t, 200)
		for _, w := range []string{`action="/imports/fedinventory"`, `action="/imports/cyclonedx"`, `for="f-fed-file"`, `for="f-bom-file"`, "16 MiB"} {
			if !strings.Contains(body(res), w) {
				t.Errorf("inventory page lacks %q", w)
			}
		}
		res = uploadFile(t, s, b, "/imports/fedinventory", "cots.csv", cots).Want(t, 200)
		if !strings.Contains(body(res), "Imported cots.csv") || !strings.Contains(body(res), "Use cases updated: 0") || strings.Contains(body(res), "Use cases created: 0<") {
			t.Fatalf("federal import: %s", res)
		}
		res = uploadFile(t, s, b, "/imports/fedinventory", "cots.csv", cots).Want(t, 200)
		if !strings.Contains(body(res), "Use cases created: 0") || !strings.Contains(body(res), "Use cases updated: 0") {
			t.Errorf("re-import changed something: %s", res)
		}
		res = uploadFile(t, s, b, "/imports/fedinventory", "x.csv", []byte("agency,nope\n")).Want(t, 422)
		if !strings.Contains(body(res), "line 1, column") || !strings.Contains(body(res), `aria-invalid="true"`) {
			t.Errorf("wrong file: %s", res)
		}
		big := bytes.Repeat([]byte("a,b\n"), 17<<20/4+1)
		res = uploadFile(t, s, b, "/imports/cyclonedx", "big.json", big).Want(t, 413)
		if !strings.Contains(body(res), "too large: the limit is 16 MiB") {
			t.Errorf("too large: %s", res)
		}
		bom := []byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[
			{"type":"machine-learning-model","name":"fraud-scorer","version":"2.1","supplier":{"name":"Acme Models"}},
			{"type":"data","name":"Claims 2025"},{"type":"library","name":"left-pad"}]}`)
		res = uploadFile(t, s, b, "/imports/cyclonedx", "bom.json", bom).Want(t, 200)
		for _, w := range []string{"Models created: 1", "Datasets created: 1", "Components skipped (not a model or a dataset): 1"} {
			if !strings.Contains(body(res), w) {
				t.Errorf("BOM import lacks %q: %s", w, res)
			}
		}
		res = uploadFile(t, s, b, "/imports/cyclonedx", "bom.json", bom).Want(t, 200)
		if !strings.Contains(body(res), "Models created: 0; already in the inventory: 1") {
			t.Errorf("BOM re-import: %s", res)
		}
		res = uploadFile(t, s, b, "/imports/cyclonedx", "bad.json", []byte("{\n \"bomFormat\": \"CycloneDX\",\n \"components\": [}\n")).Want(t, 422)
		if !strings.Contains(body(res), "line 3, column") {
			t.Errorf("bad BOM: %s", res)
		}
		// The use cases in the federal schema, linked from their list.
		if !strings.Contains(body(b.Get(t, "/usecases").Want(t, 200)), `href="/export/fedinventory.csv"`) {
			t.Error("the use cases page does not link to the federal export")
		}
		res = b.Get(t, "/export/fedinventory.csv?kind=cots").Want(t, 200)
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Errorf("export headers: %q %q", ct, res.Header.Get("Content-Disposition"))
		}
		if !bytes.Equal(res.Body, cots) {
			t.Errorf("the COTS export differs from the file imported (%d vs %d bytes)", len(res.Body), len(cots))
		}
		b.Get(t, "/export/fedinventory.csv?kind=other").Want(t, 422)
		// A viewer sees nothing to change: the imports are refused.
		vb := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		uploadFile(t, s, vb, "/imports/cyclonedx", "bom.json", bom).Want(t, 403)
		uploadFile(t, s, vb, "/imports/fedinventory", "cots.csv", cots).Want(t, 403)
	})
}
