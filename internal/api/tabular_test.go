package api_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/tabular"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The CSV and XLSX operations join the role matrix: App.RecordExport and
// the Find services need PermRead; App.ImportFile needs PermEdit.
func init() {
	for _, list := range []string{"systems", "models", "datasets", "vendors", "usecases", "risks", "controls", "incidents", "policies", "tasks", "objectives"} {
		roleCases = append(roleCases, roleCase{name: "export " + list, op: "GET /exports/" + list, perm: caio.PermRead,
			req: fixed("/api/v1/exports/"+list+"?format=xlsx", nil), ok: 200})
	}
	imports := map[string]map[string]any{
		"systems":  {"content": "Name,Stage\nImported bot,production\n"},
		"usecases": {"content": "Title,Problem\nImported idea,Slow claims\n"},
		"risks":    {"content": "Title,Likelihood,Impact\nImported risk,3,4\n"},
		"vendors":  {"content": "Name\nImported vendor\n", "dry_run": true},
	}
	for kind, body := range imports {
		roleCases = append(roleCases, roleCase{name: "import " + kind, op: "POST /imports/" + kind, perm: caio.PermEdit,
			req: fixed("/api/v1/imports/"+kind, body), ok: 200})
	}
}

func multipartImport(t *testing.T, s *servertest.Server, token, kind, name string, data []byte, fields map[string]string) *servertest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := http.NewRequest("POST", s.URL+"/api/v1/imports/"+kind, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	return servertest.Request(t, http.DefaultClient, req)
}

// TestTabularAPI imports and exports through the API on both databases.
func TestTabularAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		s.NewSystem(t, other, "Globex secret")
		tok := org.Token(caio.RoleEditor)

		// A dry run checks every row and writes nothing.
		csv := "System,Stage,Countries\nClaims bot,production,DE;FR\nBad stage,someday,\n"
		var res caio.ImportResult
		s.Do(t, "POST", "/api/v1/imports/systems", tok, map[string]any{"content": csv, "dry_run": true}).Want(t, 200).JSON(t, &res)
		if res.Rows != 2 || res.Created != 1 || res.Rejected != 1 || res.Errors[0].Field != "stage" || res.Errors[0].Where != "line 3, column 2" {
			t.Fatalf("dry run %+v", res)
		}
		// All or nothing: 422 naming the row; nothing written.
		p := s.Do(t, "POST", "/api/v1/imports/systems", tok, map[string]any{"content": csv}).Want(t, 422).Problem(t)
		if !strings.Contains(fmt.Sprint(p), "line 3, column 2") {
			t.Fatalf("problem %+v", p)
		}
		if _, n, _ := s.App.FindSystems(org.Sys, caio.AISystemFilter{Page: caio.Page{Limit: 10}}); n != 0 {
			t.Fatalf("all-or-nothing wrote %d systems", n)
		}
		// Per row, multipart, with an explicit mapping.
		r := multipartImport(t, s, tok, "systems", "systems.csv", []byte(csv), map[string]string{"mode": "per_row", "mapping": `{"name":"System","stage":"Stage","countries":"Countries"}`})
		r.Want(t, 200).JSON(t, &res)
		if res.Created != 1 || res.Rejected != 1 || len(res.IDs) != 1 {
			t.Fatalf("per row %+v", res)
		}
		sys, err := s.App.FindSystem(org.Sys, res.IDs[0])
		if err != nil || sys.Name != "Claims bot" || strings.Join(sys.Countries, ",") != "DE,FR" || sys.Roles[0] != "deployer" {
			t.Fatalf("imported %+v %v", sys, err)
		}
		// A wrong mapping names the field.
		p = s.Do(t, "POST", "/api/v1/imports/systems", tok, map[string]any{"content": csv, "mapping": map[string]string{"name": "Nope"}}).Want(t, 422).Problem(t)
		if !strings.Contains(fmt.Sprint(p), "mapping.name") {
			t.Fatalf("mapping problem %+v", p)
		}
		// An XLSX workbook of risks, base64 in JSON.
		var xb bytes.Buffer
		w, _ := tabular.NewWriter(tabular.XLSX, &xb, "Risks", []tabular.Column{{Name: "Title"}, {Name: "Likelihood", Numeric: true}, {Name: "Impact", Numeric: true}})
		_ = w.Write([]string{"Prompt injection", "4", "5"})
		_ = w.Close()
		s.Do(t, "POST", "/api/v1/imports/risks", tok, map[string]any{"name": "r.xlsx", "content_base64": base64.StdEncoding.EncodeToString(xb.Bytes())}).Want(t, 200).JSON(t, &res)
		if res.Created != 1 {
			t.Fatalf("xlsx %+v", res)
		}
		// A broken file: line and column.
		p = s.Do(t, "POST", "/api/v1/imports/vendors", tok, map[string]any{"content": "Name\n\"open\n"}).Want(t, 422).Problem(t)
		if !strings.Contains(fmt.Sprint(p), "line 2, column") {
			t.Fatalf("broken file %+v", p)
		}
		// Exports: filters, formats, another organisation's rows absent.
		v := s.Do(t, "GET", "/api/v1/exports/systems?format=csv&stage=production", org.Token(caio.RoleViewer), nil).Want(t, 200)
		body := string(v.Body)
		if !strings.HasPrefix(body, "\uFEFFid,name,") || !strings.Contains(body, "Claims bot") || strings.Contains(body, "Globex") || v.Header.Get("X-Rows") != "1" {
			t.Fatalf("csv export %s", body)
		}
		v = s.Do(t, "GET", "/api/v1/exports/systems?stage=retired", org.Token(caio.RoleViewer), nil).Want(t, 200)
		if strings.Contains(string(v.Body), "Claims bot") {
			t.Fatalf("filter ignored: %s", v.Body)
		}
		x := s.Do(t, "GET", "/api/v1/exports/risks?format=xlsx", org.Token(caio.RoleViewer), nil).Want(t, 200)
		tab, err := tabular.Read("r.xlsx", x.Body)
		if err != nil || len(tab.Rows) != 1 || tab.Rows[0].Cells[1] != "Prompt injection" {
			t.Fatalf("xlsx export %v %+v", err, tab)
		}
		s.Do(t, "GET", "/api/v1/exports/risks?format=pdf", tok, nil).Want(t, 422)
		s.Do(t, "GET", "/api/v1/exports/risks?status=nope", tok, nil).Want(t, 422)
		// The saved mapping is reused when a file comes without one.
		s.Do(t, "POST", "/api/v1/imports/systems", tok, map[string]any{"content": "Countries,System\nIT,Second bot\n"}).Want(t, 200).JSON(t, &res)
		if res.Created != 1 {
			t.Fatalf("saved mapping %+v", res)
		}
	})
}
