package web_test

import (
	"html"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// inventoryViews are the views of the AI inventory; TestInventoryPages
// renders each of them.
var inventoryViews = []string{"systems", "system", "system_form", "models", "model", "model_form",
	"datasets", "dataset", "dataset_form", "vendors", "vendor", "vendor_form"}

// TestInventoryPages walks through the inventory pages as an editor would,
// in one sequence on one server.
func TestInventoryPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		triage := s.NewSystem(t, org, "Claims triage")
		bot := s.NewSystem(t, org, "Customer chatbot")
		foreign := s.NewSystem(t, other, "Globex secret system")
		model := s.NewModel(t, org, "Severity model")
		data := s.NewDataset(t, org, "Motor claims 2019-2024")
		vendor := s.NewVendor(t, org, "TalentSoft")
		obj := s.NewObjective(t, org, "Settle claims faster")
		// Classified as life and health insurance pricing: high-risk, with
		// the deployer's duties applying from 2 December 2027.
		onDay(db, "2026-11-27")
		if _, err := s.App.ClassifySystem(org.Sys, triage.ID, &euaiact.Profile{Roles: []string{"deployer"}, AnnexIII: []string{"5(c)"},
			Facts: map[string]bool{"art6_3.profiling": true}}); err != nil {
			t.Fatal(err)
		}
		// The owner may edit and read the audit trail, so pages show both.
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		newSystem := url.Values{"name": {"CV screening"}, "purpose": {"Rank applicants"}, "stage": {"testing"}, "countries": {"de, fr"},
			"roles": {"deployer", "importer"}, "autonomy": {"human_in_the_loop"}, "owner": {"Chief People Officer"}}

		tests := []struct {
			name    string
			method  string
			path    string
			form    url.Values
			status  int
			want    []string // in the body, or the Location of a redirect
			wantNot []string
		}{
			{name: "inventory in the navigation", method: "GET", path: "/", status: 200, want: []string{`href="/systems"`}},
			{name: "systems", method: "GET", path: "/systems", status: 200, want: []string{"Claims triage", "Customer chatbot", "High-risk", "Not classified", "2027-12-02", "New AI system", `form="bulk"`, `aria-current="page">AI systems`}, wantNot: []string{"Globex"}},
			{name: "systems search", method: "GET", path: "/systems?q=chat&sort=name", status: 200, want: []string{"Customer chatbot", "filtered"}, wantNot: []string{"Claims triage"}},
			{name: "systems by class", method: "GET", path: "/systems?class=high_risk", status: 200, want: []string{"Claims triage"}, wantNot: []string{"Customer chatbot"}},
			{name: "systems not classified", method: "GET", path: "/systems?class=unclassified&sort=-next_deadline", status: 200, want: []string{"Customer chatbot"}, wantNot: []string{"Claims triage"}},
			{name: "systems by deadline", method: "GET", path: "/systems?deadline_before=2027-12-31", status: 200, want: []string{"Claims triage"}, wantNot: []string{"Customer chatbot"}},
			{name: "systems bad filter", method: "GET", path: "/systems?class=scary", status: 422},
			{name: "new system form", method: "GET", path: "/systems/new", status: 200, want: []string{"New AI system", `action="/systems"`, `value="planned" selected`, `name="roles"`}},
			{name: "create system", method: "POST", path: "/systems", form: newSystem, status: 303, want: []string{"/systems/sys_"}},
			{name: "flash after create", method: "GET", path: "/systems?sort=name", status: 200, want: []string{"AI system added", "CV screening"}},
			{name: "system card", method: "GET", path: "/systems/" + triage.ID, status: 200, want: []string{"Claims triage", `id="classification"`, "High-risk", "annex_iii:5(c)", "History", "system.create", "Delete AI system", "Link a model", "Severity model", "/systems/" + triage.ID + "/classification"}},
			{name: "unclassified card offers to classify", method: "GET", path: "/systems/" + bot.ID, status: 200, want: []string{"Not classified", "/systems/" + bot.ID + "/classify"}},
			{name: "link model", method: "POST", path: "/systems/" + triage.ID + "/links", form: url.Values{"kind": {"model"}, "target_id": {model.ID}}, status: 303, want: []string{"/systems/" + triage.ID + "#links"}},
			{name: "link dataset", method: "POST", path: "/systems/" + triage.ID + "/links", form: url.Values{"kind": {"dataset"}, "target_id": {data.ID}}, status: 303},
			{name: "link vendor", method: "POST", path: "/systems/" + triage.ID + "/links", form: url.Values{"kind": {"vendor"}, "target_id": {vendor.ID}}, status: 303},
			{name: "link objective", method: "POST", path: "/systems/" + triage.ID + "/links", form: url.Values{"kind": {"objective"}, "target_id": {obj.ID}}, status: 303},
			{name: "link twice", method: "POST", path: "/systems/" + triage.ID + "/links", form: url.Values{"kind": {"model"}, "target_id": {model.ID}}, status: 409, want: []string{"linked to this model already"}},
			{name: "link nothing chosen", method: "POST", path: "/systems/" + bot.ID + "/links", form: url.Values{"kind": {"vendor"}, "target_id": {""}}, status: 422, want: []string{"choose the vendor"}},
			{name: "linked card", method: "GET", path: "/systems/" + triage.ID, status: 200, want: []string{`href="/models/` + model.ID, `href="/datasets/` + data.ID, `href="/vendors/` + vendor.ID, `href="/objectives/` + obj.ID, "system.link"}},
			{name: "systems by vendor", method: "GET", path: "/systems?vendor=" + vendor.ID, status: 200, want: []string{"Claims triage"}, wantNot: []string{"Customer chatbot"}},
			{name: "objective lists the systems serving it", method: "GET", path: "/objectives/" + obj.ID, status: 200, want: []string{"AI systems serving this objective", `href="/systems/` + triage.ID}},
			{name: "unlink", method: "POST", path: "/systems/" + triage.ID + "/links/objective/" + obj.ID + "/delete", status: 303, want: []string{"#links"}},
			{name: "unlink again", method: "POST", path: "/systems/" + triage.ID + "/links/objective/" + obj.ID + "/delete", status: 404},
			{name: "edit system", method: "GET", path: "/systems/" + bot.ID + "/edit", status: 200, want: []string{`value="Customer chatbot"`, `name="version" value="1"`, `value="deployer" checked`}},
			{name: "save system", method: "POST", path: "/systems/" + bot.ID, form: url.Values{"name": {"Customer assistant"}, "roles": {"provider", "deployer"}, "countries": {"NL"}, "version": {"1"}}, status: 303, want: []string{"/systems/" + bot.ID}},
			{name: "stale save", method: "POST", path: "/systems/" + bot.ID, form: url.Values{"name": {"Lost update"}, "roles": {"provider"}, "version": {"1"}}, status: 409, want: []string{"Someone else changed this AI system", `value="Lost update"`, `value="provider" checked`}},
			{name: "bulk edit", method: "POST", path: "/systems/bulk", form: url.Values{"ids": {triage.ID, bot.ID}, "bulk_stage": {"production"}, "bulk_owner": {"Head of Claims"}, "return": {"sort=name"}}, status: 303, want: []string{"/systems?sort=name"}},
			{name: "after bulk edit", method: "GET", path: "/systems?stage=production&owner=Head+of+Claims", status: 200, want: []string{"Updated 2 AI systems.", "Claims triage", "Customer assistant"}},
			{name: "bulk edit of nothing", method: "POST", path: "/systems/bulk", form: url.Values{"bulk_stage": {"retired"}, "return": {"q=claims"}}, status: 422, want: []string{"must name at least one", "Claims triage"}},
			{name: "bulk edit without a change", method: "POST", path: "/systems/bulk", form: url.Values{"ids": {triage.ID}}, status: 422, want: []string{"nothing to change", `value="` + triage.ID + `" checked`}},
			{name: "bulk edit of another organisation's system", method: "POST", path: "/systems/bulk", form: url.Values{"ids": {triage.ID, foreign.ID}, "bulk_stage": {"retired"}}, status: 404, want: []string{foreign.ID}},
			{name: "another organisation's system", method: "GET", path: "/systems/" + foreign.ID, status: 404, wantNot: []string{"Globex secret"}},
			{name: "models", method: "GET", path: "/models", status: 200, want: []string{"Severity model", "Classical machine learning", `aria-current="page">Models`}},
			{name: "new model form", method: "GET", path: "/models/new", status: 200, want: []string{`action="/models"`}},
			{name: "create model", method: "POST", path: "/models", form: url.Values{"name": {"GPT-4.1"}, "kind": {"llm"}, "provider": {"OpenAI"}}, status: 303, want: []string{"/models/mdl_"}},
			{name: "model without kind", method: "POST", path: "/models", form: url.Values{"name": {"Mystery"}, "provider": {"Nobody"}}, status: 422, want: []string{"Kind must be one of", `value="Mystery"`, `value="Nobody"`}},
			{name: "model page", method: "GET", path: "/models/" + model.ID, status: 200, want: []string{"Severity model", "AI systems using this model", "Claims triage", "model.create"}},
			{name: "edit model", method: "GET", path: "/models/" + model.ID + "/edit", status: 200, want: []string{`value="Severity model"`, `value="classical_ml" selected`}},
			{name: "save model", method: "POST", path: "/models/" + model.ID, form: url.Values{"name": {"Severity model v2"}, "kind": {"deep_learning"}, "version": {"1"}}, status: 303},
			{name: "datasets", method: "GET", path: "/datasets?personal_data=yes", status: 200, want: []string{"Motor claims 2019-2024"}},
			{name: "new dataset form", method: "GET", path: "/datasets/new", status: 200, want: []string{`name="special_categories"`, "Health data"}},
			{name: "dataset contradiction", method: "POST", path: "/datasets", form: url.Values{"name": {"Medical reports"}, "special_categories": {"health"}}, status: 422, want: []string{"Personal data must be true", "Special categories contradicts", `value="health" checked`, `value="Medical reports"`}},
			{name: "create dataset", method: "POST", path: "/datasets", form: url.Values{"name": {"Medical reports"}, "personal_data": {"yes"}, "special_categories": {"health"}}, status: 303, want: []string{"/datasets/ds_"}},
			{name: "dataset page", method: "GET", path: "/datasets/" + data.ID, status: 200, want: []string{"Motor claims", "Claims triage"}},
			{name: "edit dataset", method: "GET", path: "/datasets/" + data.ID + "/edit", status: 200, want: []string{`name="personal_data" value="yes" checked`}},
			{name: "save dataset", method: "POST", path: "/datasets/" + data.ID, form: url.Values{"name": {"Motor claims"}, "personal_data": {"yes"}, "version": {"1"}}, status: 303},
			{name: "vendors", method: "GET", path: "/vendors", status: 200, want: []string{"TalentSoft"}},
			{name: "new vendor form", method: "GET", path: "/vendors/new", status: 200, want: []string{`action="/vendors"`}},
			{name: "vendor name taken", method: "POST", path: "/vendors", form: url.Values{"name": {"talentsoft"}, "country": {"NL"}}, status: 409, want: []string{"is taken", `value="talentsoft"`, `value="NL"`}},
			{name: "vendor bad country", method: "POST", path: "/vendors", form: url.Values{"name": {"Acme AI"}, "country": {"UK"}}, status: 422, want: []string{"United Kingdom is GB", `value="UK"`}},
			{name: "create vendor", method: "POST", path: "/vendors", form: url.Values{"name": {"Acme AI"}, "website": {"https://acme-ai.example"}}, status: 303, want: []string{"/vendors/vnd_"}},
			{name: "vendor page", method: "GET", path: "/vendors/" + vendor.ID, status: 200, want: []string{"TalentSoft", "Claims triage"}},
			{name: "edit vendor", method: "GET", path: "/vendors/" + vendor.ID + "/edit", status: 200, want: []string{`value="TalentSoft"`}},
			{name: "save vendor", method: "POST", path: "/vendors/" + vendor.ID, form: url.Values{"name": {"TalentSoft GmbH"}, "country": {"de"}, "version": {"1"}}, status: 303},
			{name: "delete vendor", method: "POST", path: "/vendors/" + vendor.ID + "/delete", status: 303, want: []string{"/vendors"}},
			{name: "delete dataset", method: "POST", path: "/datasets/" + data.ID + "/delete", status: 303, want: []string{"/datasets"}},
			{name: "delete model", method: "POST", path: "/models/" + model.ID + "/delete", status: 303, want: []string{"/models"}},
			{name: "links gone with their targets", method: "GET", path: "/systems/" + triage.ID, status: 200, want: []string{"Not linked to anything yet", "system.unlink"}},
			{name: "delete system", method: "POST", path: "/systems/" + triage.ID + "/delete", status: 303, want: []string{"/systems"}},
			{name: "deleted system is gone", method: "GET", path: "/systems/" + triage.ID, status: 404, want: []string{"AI system not found"}},
			{name: "malformed system id", method: "GET", path: "/systems/nope", status: 404},
		}
		for _, tc := range tests {
			ok := t.Run(tc.name, func(t *testing.T) {
				var res *servertest.Response
				if tc.method == http.MethodGet {
					res = b.Get(t, tc.path)
				} else {
					res = b.PostForm(t, tc.path, tc.form)
				}
				res.Want(t, tc.status)
				text := string(res.Body)
				if loc := res.Header.Get("Location"); loc != "" {
					text = loc
				}
				for _, w := range tc.want {
					if !strings.Contains(text, w) {
						t.Errorf("response lacks %q: %s", w, res)
					}
				}
				for _, w := range tc.wantNot {
					if strings.Contains(text, w) {
						t.Errorf("response has %q: %s", w, res)
					}
				}
				if res.StatusCode >= 500 {
					t.Errorf("server error: %s", res)
				}
			})
			if !ok {
				t.Fatalf("stopped after %q failed", tc.name)
			}
		}
		recordViews(s)
		used := s.Handler.Web.UsedViews()
		for _, v := range inventoryViews {
			if !used[v] {
				t.Errorf("view %s never rendered", v)
			}
			if !slices.Contains(s.Handler.Web.Views(), v) {
				t.Errorf("no view %s", v)
			}
		}
	})
}

// TestSystemFormKeepsInput posts system forms with one bad field and checks
// that the page comes back with 422, says what is wrong with that field,
// still holds everything else typed or ticked, and wrote nothing.
func TestSystemFormKeepsInput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		sys := s.NewSystem(t, org, "Claims triage")
		b := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		good := func() url.Values {
			return url.Values{
				"name": {"Claims triage"}, "purpose": {"Route claims <fast> & fairly"}, "description": {"Scores new claims."},
				"owner": {"Head of Claims"}, "business_unit": {"Claims"}, "stage": {"production"}, "countries": {"DE, FR"},
				"users": {"Claims handlers"}, "affected": {"Policy holders"}, "autonomy": {"human_on_the_loop"},
				"oversight": {"Handlers review every decline"}, "roles": {"provider", "deployer"},
			}
		}
		textareas := map[string]bool{"purpose": true, "description": true, "users": true, "affected": true, "oversight": true}
		tests := []struct {
			name, field, value, want string
		}{
			{"name missing", "name", "  ", "is required"},
			{"name too long", "name", strings.Repeat("N", 201), "at most 200"},
			{"bad country", "countries", "DE, XX", "not an ISO 3166-1"},
			{"bad stage", "stage", "live", "must be one of"},
			{"bad autonomy", "autonomy", "total", "must be empty or one of"},
			{"no role", "roles", "", "at least one role"},
			{"NUL in owner", "owner", "Head\x00", "NUL"},
		}
		for _, path := range []string{"/systems", "/systems/" + sys.ID} {
			for _, tc := range tests {
				t.Run(path+"/"+tc.name, func(t *testing.T) {
					form := good()
					if tc.value == "" {
						form.Del(tc.field)
					} else {
						form.Set(tc.field, tc.value)
					}
					if path != "/systems" {
						form.Set("version", "1")
					}
					before := s.Count(t, org)
					res := b.PostForm(t, path, form).Want(t, http.StatusUnprocessableEntity)
					body := string(res.Body)
					if !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, tc.want) {
						t.Errorf("page does not flag %s with %q: %s", tc.field, tc.want, res)
					}
					for name := range form {
						if name == tc.field || name == "version" {
							continue
						}
						var typed []string
						switch {
						case name == "roles":
							typed = []string{`value="provider" checked`, `value="deployer" checked`}
						case name == "stage" || name == "autonomy":
							typed = []string{`value="` + form.Get(name) + `" selected`}
						case textareas[name]:
							typed = []string{">" + html.EscapeString(form.Get(name)) + "</textarea>"}
						default:
							typed = []string{`value="` + html.EscapeString(form.Get(name)) + `"`}
						}
						for _, w := range typed {
							if !strings.Contains(body, w) {
								t.Errorf("page lost what was typed in %s: want %s in the page", name, w)
							}
						}
					}
					if after := s.Count(t, org); after != before {
						t.Errorf("counts changed from %+v to %+v", before, after)
					}
				})
			}
		}
	})
}

// TestInventoryPagesByRole checks that the inventory pages offer changes only
// to roles that may make them, and refuse a change posted anyway.
func TestInventoryPagesByRole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		sys := s.NewSystem(t, org, "Claims triage")
		model := s.NewModel(t, org, "Severity model")
		shows := []struct{ path, marker string }{
			{"/systems", `href="/systems/new"`},
			{"/systems", `action="/systems/bulk"`},
			{"/systems/" + sys.ID, `href="/systems/` + sys.ID + `/edit"`},
			{"/systems/" + sys.ID, "Link a model"},
			{"/systems/" + sys.ID, "Delete AI system"},
			{"/models", `href="/models/new"`},
			{"/models/" + model.ID, "Delete model"},
			{"/datasets", `href="/datasets/new"`},
			{"/vendors", `href="/vendors/new"`},
		}
		for _, r := range caio.Roles {
			t.Run(string(r), func(t *testing.T) {
				b := s.Login(t, org.Members[r].Email, servertest.Password)
				for _, sh := range shows {
					res := b.Get(t, sh.path).Want(t, http.StatusOK)
					if got, want := strings.Contains(string(res.Body), sh.marker), caio.Can(r, caio.PermEdit); got != want {
						t.Errorf("GET %s as %s: shows %q = %v, want %v", sh.path, r, sh.marker, got, want)
					}
				}
				if caio.Can(r, caio.PermEdit) {
					return
				}
				before := s.Count(t, org)
				for path, form := range map[string]url.Values{
					"/systems":                       {"name": {"Made by " + string(r)}, "roles": {"deployer"}},
					"/systems/bulk":                  {"ids": {sys.ID}, "bulk_stage": {"retired"}},
					"/systems/" + sys.ID + "/links":  {"kind": {"model"}, "target_id": {model.ID}},
					"/systems/" + sys.ID + "/delete": {},
					"/models/" + model.ID:            {"name": {"x"}, "kind": {"llm"}},
					"/vendors":                       {"name": {"Vendor of " + string(r)}},
					"/datasets":                      {"name": {"Data of " + string(r)}},
					"/systems/" + sys.ID + "/links/model/" + model.ID + "/delete": {},
				} {
					res := b.PostForm(t, path, form).Want(t, http.StatusForbidden)
					if !strings.Contains(string(res.Body), "does not allow") {
						t.Errorf("POST %s as %s: the refusal does not say why: %s", path, r, res)
					}
				}
				if after := s.Count(t, org); after != before {
					t.Errorf("refused posts changed counts from %+v to %+v", before, after)
				}
			})
		}
	})
}
