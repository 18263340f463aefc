package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/tabular"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// readExport reads an exported file back as a spreadsheet would.
func readExport(t *testing.T, res *servertest.Response, format string) *tabular.Table {
	t.Helper()
	res.Want(t, 200)
	if ct := res.Header.Get("Content-Type"); ct != tabular.ContentType(format) {
		t.Fatalf("%s: content type %q", res, ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment") || !strings.Contains(cd, "."+format) {
		t.Fatalf("%s: disposition %q", res, cd)
	}
	if format == tabular.CSV && !bytes.HasPrefix(res.Body, []byte("\uFEFF")) {
		t.Fatalf("%s: CSV without a byte-order mark", res)
	}
	tab, err := tabular.Read("export."+format, res.Body)
	if err != nil {
		t.Fatalf("%s: %v", res.Request.URL, err)
	}
	return tab
}

// cells joins every cell of a table, for "shows" checks.
func cells(tab *tabular.Table) string {
	var b strings.Builder
	for _, r := range tab.Rows {
		b.WriteString(strings.Join(r.Cells, "|"))
		b.WriteString("\n")
	}
	return b.String()
}

// TestListExports exports every list in both formats as a member would from
// the list's link: the header row, the rows, the page's filters, and
// nothing of another organisation.
func TestListExports(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		ctx := org.Sys
		must := func(_ any, err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		s.NewSystem(t, org, "Acme chatbot")
		s.NewSystem(t, org, "=HYPERLINK(\"http://evil.example\")")
		s.NewModel(t, org, "Acme LLM")
		s.NewModel(t, org, "Acme forest")
		s.NewDataset(t, org, "Acme claims")
		s.NewVendor(t, org, "Acme Supplies")
		s.NewVendor(t, org, "Beta Vendor")
		s.NewUseCase(t, org, "Acme triage", nil, nil)
		s.NewUseCase(t, org, "Acme fraud", nil, nil)
		must(s.App.CreateRisk(ctx, caio.RiskInput{Title: "Acme injection", Likelihood: 4, Impact: 5}))
		must(s.App.CreateRisk(ctx, caio.RiskInput{Title: "Acme drift", Likelihood: 1, Impact: 1, Status: "closed"}))
		ctl := s.NewControl(t, org, "Acme CV screening")
		must(s.App.CreateIncident(ctx, caio.IncidentInput{Title: "Acme outage", AwareAt: "2026-11-01T10:00", Severity: "high"}))
		must(s.App.CreateIncident(ctx, caio.IncidentInput{Title: "Acme typo", AwareAt: "2026-11-02T10:00", Severity: "low"}))
		must(s.App.CreatePolicy(ctx, caio.PolicyInput{Title: "Acme AI use", Kind: "acceptable_use", Body: "Use AI well."}))
		must(s.App.CreateTask(ctx, caio.TaskInput{Title: "Acme inventory review", Due: "2026-12-01"}))
		s.NewObjective(t, org, "Acme efficiency")
		// The other organisation has one of everything that could leak.
		s.NewSystem(t, other, "Globex secret")
		s.NewVendor(t, other, "Globex vendor")
		s.NewUseCase(t, other, "Globex plan", nil, nil)
		s.NewControl(t, other, "Globex screening")
		must(s.App.CreateRisk(other.Sys, caio.RiskInput{Title: "Globex risk", Likelihood: 2, Impact: 2}))
		must(s.App.CreateIncident(other.Sys, caio.IncidentInput{Title: "Globex incident", AwareAt: "2026-11-01T10:00", Severity: "low"}))
		s.NewObjective(t, other, "Globex objective")

		b := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		for _, c := range []struct {
			list, page, header string
			want               []string
			filter, absent     string
		}{
			{"systems", "/systems", "id|name|purpose", []string{"Acme chatbot"}, "q=chatbot", "HYPERLINK"},
			{"models", "/models", "id|name|provider", []string{"Acme LLM", "Acme forest"}, "q=forest", "Acme LLM"},
			{"datasets", "/datasets", "id|name|source", []string{"Acme claims"}, "q=nothing", "Acme claims"},
			{"vendors", "/vendors", "id|name|website", []string{"Acme Supplies", "Beta Vendor"}, "q=beta", "Acme Supplies"},
			{"usecases", "/usecases", "id|title|problem", []string{"Acme triage", "Acme fraud"}, "q=fraud", "Acme triage"},
			{"risks", "/risks", "id|title|description", []string{"Acme injection"}, "status=closed", "Acme injection"},
			{"controls", "/compliance/controls", "id|system_id|system_name", []string{"Acme CV screening", "art4"}, "system=" + ctl.SystemID + "&status=implemented", "art4"},
			{"incidents", "/incidents", "id|title|description", []string{"Acme outage", "Acme typo"}, "severity=low", "Acme outage"},
			{"policies", "/policies", "id|title|kind", []string{"Acme AI use"}, "status=approved", "Acme AI use"},
			{"tasks", "/tasks", "id|title|description", []string{"Acme inventory review"}, "status=done", "Acme inventory review"},
			{"objectives", "/objectives", "id|title|description", []string{"Acme efficiency"}, "q=nothing", "Acme efficiency"},
		} {
			page := b.Get(t, c.page).Want(t, 200)
			if !strings.Contains(string(page.Body), `href="/export/`+c.list+`.csv`) || !strings.Contains(string(page.Body), `href="/export/`+c.list+`.xlsx`) {
				t.Errorf("%s: no download link", c.page)
			}
			for _, format := range []string{tabular.CSV, tabular.XLSX} {
				tab := readExport(t, b.Get(t, "/export/"+c.list+"."+format), format)
				if got := strings.Join(tab.Headers, "|"); !strings.HasPrefix(got, c.header) {
					t.Errorf("%s %s: headers %s", c.list, format, got)
				}
				all := cells(tab)
				for _, w := range c.want {
					if !strings.Contains(all, w) {
						t.Errorf("%s %s: no %q in\n%s", c.list, format, w, all)
					}
				}
				if strings.Contains(all, "Globex") {
					t.Errorf("%s %s: another organisation's rows:\n%s", c.list, format, all)
				}
				filtered := cells(readExport(t, b.Get(t, "/export/"+c.list+"."+format+"?"+c.filter), format))
				if strings.Contains(filtered, c.absent) {
					t.Errorf("%s %s?%s: filter not respected:\n%s", c.list, format, c.filter, filtered)
				}
			}
		}
		// ?format= works as the suffix does; a bad format is refused.
		if tab := readExport(t, b.Get(t, "/export/vendors?format=xlsx&q=beta"), tabular.XLSX); len(tab.Rows) != 1 {
			t.Errorf("format parameter: %d rows", len(tab.Rows))
		}
		b.Get(t, "/export/vendors?format=pdf").Want(t, 422)
		// Formula injection is neutralised in CSV: the cell keeps a leading apostrophe.
		raw := string(b.Get(t, "/export/systems.csv").Want(t, 200).Body)
		if !strings.Contains(raw, `"'=HYPERLINK(""http://evil.example"")"`) {
			t.Errorf("formula not neutralised:\n%s", raw)
		}
		// Each export is audited once with its row count.
		fw := "export"
		events, _, err := s.App.FindAuditEvents(ctx, caio.AuditFilter{ObjectType: &fw, Page: caio.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		if len(events) < 22 || !strings.Contains(string(events[0].Diff), `"rows"`) {
			t.Errorf("%d export events, last %s", len(events), events[0].Diff)
		}
	})
}

// upload posts the import form as a browser does.
func upload(t *testing.T, s *servertest.Server, b *servertest.Browser, kind, name string, data []byte) *servertest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("kind", kind)
	fw, _ := mw.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = mw.Close()
	req, err := http.NewRequest("POST", s.URL+"/imports", &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.Do(t, req)
}

// TestImportPages uploads, previews, maps and imports as an editor would:
// a bad file is refused with its line and column, a file with a bad row
// imports nothing in the default mode and its valid rows in per-row mode,
// and the mapping is offered again next time.
func TestImportPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		s.NewVendor(t, org, "Existing Vendor")
		b := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)

		body := func(r *servertest.Response) string { return string(r.Body) }
		res := b.Get(t, "/imports/new?kind=vendors").Want(t, 200)
		if !strings.Contains(body(res), `value="vendors" selected`) || !strings.Contains(body(res), `enctype="multipart/form-data"`) {
			t.Fatalf("new import page: %s", res)
		}
		// A file in the wrong format: the line and column.
		res = upload(t, s, b, "vendors", "bad.csv", []byte("Company,Site\nAcme,\"http://a\"x\n")).Want(t, 400, 422)
		if !strings.Contains(body(res), "line 2, column") {
			t.Fatalf("bad file: %s", res)
		}
		res = upload(t, s, b, "vendors", "v.xlsx", []byte("not a workbook")).Want(t, 422)
		if !strings.Contains(body(res), "not an XLSX workbook") {
			t.Fatalf("bad workbook: %s", res)
		}
		// A file with one bad row: the preview guesses the mapping from the headers.
		csv := "Company;Site;Country;Notes\nNew Co;https://new.example;DE;ok\nexisting vendor;https://dup.example;FR;dup\nBad Co;ftp://bad;XX;bad\n"
		res = upload(t, s, b, "vendors", "vendors.csv", []byte(csv)).Want(t, 303)
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, "/imports/imp_") {
			t.Fatalf("upload: %s", res)
		}
		res = b.Get(t, loc).Want(t, 200)
		for _, w := range []string{"vendors.csv", "3 data rows", "New Co", `<option value="Company" selected>`, `<option value="Country" selected>`,
			"1 to create, 1 to update, 0 unchanged, 1 with a problem", "Update <span", "country", "line 4, column 3", "Country"} {
			if !strings.Contains(body(res), w) {
				t.Errorf("preview lacks %q: %s", w, body(res))
			}
		}
		// Map Site to website and check again.
		mapping := url.Values{"map.name": {"Company"}, "map.website": {"Site"}, "map.country": {"Country"}, "map.description": {"Notes"}}
		mapping.Set("action", "preview")
		res = b.PostForm(t, loc, mapping).Want(t, 200)
		if !strings.Contains(body(res), `<option value="Site" selected>`) {
			t.Errorf("mapping not kept: %s", res)
		}
		// All or nothing: refused, nothing imported, every problem listed.
		mapping.Set("action", "import")
		mapping.Set("mode", "all")
		res = b.PostForm(t, loc, mapping).Want(t, 422)
		if !strings.Contains(body(res), "Nothing was imported: 1 row of 3 has") || !strings.Contains(body(res), "Country") {
			t.Errorf("all or nothing: %s", res)
		}
		if vs, n, _ := s.App.FindVendors(org.Sys, caio.InventoryFilter{Page: caio.Page{Limit: 50}}); n != 1 {
			t.Fatalf("all-or-nothing import changed the store: %d vendors %v", n, vs)
		}
		// Per row: the valid row goes in, the others are listed.
		mapping.Set("mode", "per_row")
		res = b.PostForm(t, loc, mapping).Want(t, 200)
		if !strings.Contains(body(res), "3 rows read: 1 created, 1 updated, 0 unchanged, 1 with a problem") || !strings.Contains(body(res), "line 4") {
			t.Errorf("per row: %s", res)
		}
		if _, n, _ := s.App.FindVendors(org.Sys, caio.InventoryFilter{Page: caio.Page{Limit: 50}}); n != 2 {
			t.Fatalf("per-row import: %d vendors", n)
		}
		b.Get(t, loc).Want(t, 404) // the upload is gone once imported
		// The saved mapping is offered with the next file of the kind.
		res = upload(t, s, b, "vendors", "more.csv", []byte("Site,Company\nhttps://x.example,Next Co\n")).Want(t, 303)
		loc = res.Header.Get("Location")
		res = b.Get(t, loc).Want(t, 200)
		if !strings.Contains(body(res), "saved mapping") || !strings.Contains(body(res), `<option value="Site" selected>`) {
			t.Errorf("saved mapping not offered: %s", res)
		}
		res = b.PostForm(t, loc, url.Values{"map.name": {"Company"}, "map.website": {"Site"}, "action": {"import"}, "mode": {"all"}}).Want(t, 303)
		if res.Header.Get("Location") != "/vendors" {
			t.Errorf("after import: %s", res)
		}
		if v := body(b.Get(t, "/vendors")); !strings.Contains(v, "Imported more.csv into vendors: 1 created, 0 updated") || !strings.Contains(v, "Next Co") {
			t.Errorf("no flash: %s", v)
		}
		// An XLSX file of risks.
		var xb bytes.Buffer
		w, _ := tabular.NewWriter(tabular.XLSX, &xb, "Risks", []tabular.Column{{Name: "Risk"}, {Name: "Likelihood", Numeric: true}, {Name: "Impact", Numeric: true}})
		_ = w.Write([]string{"Prompt injection", "4", "5"})
		_ = w.Write([]string{"Too likely", "9", "1"})
		_ = w.Close()
		res = upload(t, s, b, "risks", "risks.xlsx", xb.Bytes()).Want(t, 303)
		loc = res.Header.Get("Location")
		res = b.Get(t, loc).Want(t, 200)
		if !strings.Contains(body(res), "Risks!B3") || !strings.Contains(body(res), "1 to create, 0 to update, 0 unchanged, 1 with a problem") {
			t.Errorf("xlsx preview: %s", res)
		}
		// Another organisation's owner cannot see the upload; a viewer cannot import.
		ob := s.Login(t, other.Members[caio.RoleOwner].Email, servertest.Password)
		ob.Get(t, loc).Want(t, 404)
		vb := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		vb.Get(t, loc).Want(t, 403)
		upload(t, s, vb, "vendors", "v.csv", []byte("Name\nX\n")).Want(t, 403)
	})
}
