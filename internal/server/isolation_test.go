package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/api"
	"github.com/caio-office/caio/internal/engine/euaiact"
	qn "github.com/caio-office/caio/internal/engine/questionnaire"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
	"github.com/danielgtaylor/huma/v2"
)

// pathParam matches a path parameter such as {id} or {name...}, but not {$}.
var pathParam = regexp.MustCompile(`\{([A-Za-z_][A-Za-z0-9_]*)(\.\.\.)?\}`)

// endpoint is one operation or page, by method and path pattern.
type endpoint struct {
	method, path string
	// body is true when the operation takes a request body.
	body bool
	// page is true for a web page, reached with a session cookie.
	page bool
}

// endpoints walks the route tables of the API and the pages, so that a new
// route is tested the day it is added.
func endpoints(t *testing.T, s *servertest.Server) []endpoint {
	var out []endpoint
	for _, item := range s.Handler.API.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Patch, item.Head, item.Options, item.Trace} {
			if op != nil {
				out = append(out, endpoint{method: op.Method, path: api.Prefix + op.Path, body: op.RequestBody != nil})
			}
		}
	}
	for _, r := range s.Handler.Web.Routes() {
		method, path, ok := strings.Cut(r.Pattern, " ")
		if !ok {
			t.Fatalf("page route %q has no method", r.Pattern)
		}
		out = append(out, endpoint{method: method, path: path, page: true})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].method+out[i].path < out[j].method+out[j].path })
	if len(out) < 20 {
		t.Fatalf("found only %d routes; is the walk broken?", len(out))
	}
	return out
}

// TestTenantIsolation proves that the owner of one organisation cannot see,
// change or even detect another organisation's objects through any route
// that names an object: every such route answers 404, the other
// organisation's data is unchanged, and no list leaks its ids.
func TestTenantIsolation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		alpha := s.NewOrg(t, "alpha")
		bravo := s.NewOrg(t, "bravo")

		secret := "Alpha secret objective"
		obj := s.NewObjective(t, alpha, secret)
		victim := alpha.Members[caio.RoleEditor]
		tokID, _ := s.NewToken(t, alpha, alpha.Members[caio.RoleOwner], "alpha-fixture")
		sys := s.NewSystem(t, alpha, "Alpha system")
		model := s.NewModel(t, alpha, "Alpha model")
		dataset := s.NewDataset(t, alpha, "Alpha dataset")
		vendor := s.NewVendor(t, alpha, "Alpha vendor")
		s.Link(t, alpha, sys.ID, "model", model.ID)
		linkTarget := s.NewModel(t, alpha, "Alpha model to link")
		ctl := s.NewControl(t, alpha, "Alpha CV screening")
		evd := s.NewEvidence(t, alpha, ctl.ID, "alpha-evidence.txt")
		// The portfolio: a use case with a business case and a KPI, and
		// another waiting for approval.
		portfolio := func(tag string) map[string]string {
			u := s.NewUseCase(t, alpha, "Alpha use case "+tag, nil, nil)
			s.NewBusinessCase(t, alpha, u.ID)
			k, actual := s.NewKPI(t, alpha, u.ID, "Alpha KPI "+tag)
			_, ap := s.NewPendingApproval(t, alpha, "Alpha gated use case "+tag)
			return map[string]string{
				"/assessments/{id}":              s.NewAssessment(t, alpha, false).ID,
				"/usecases/{id}":                 u.ID,
				"/usecases/{id}/benefits/{year}": "1",
				"/kpis/{id}":                     k.ID,
				"/kpis/{id}/actuals/{actual_id}": actual,
				"/approvals/{id}":                ap.ID,
			}
		}
		alphaPortfolio := portfolio("fixture")
		// risks makes a risk of alpha linked to sys with one treatment on ctl.
		risks := func(tag string, systemID, controlID string) map[string]string {
			k, err := s.App.CreateRisk(alpha.Sys, caio.RiskInput{Title: "Alpha risk " + tag, Likelihood: 3, Impact: 3, Systems: []string{systemID}})
			if err != nil {
				t.Fatal(err)
			}
			tr, err := s.App.AddTreatment(alpha.Sys, k.ID, caio.TreatmentInput{Description: "Alpha treatment " + tag, ControlID: controlID})
			if err != nil {
				t.Fatal(err)
			}
			return map[string]string{"/risks/{id}": k.ID, "/risks/{id}/treatments/{treatment_id}": tr.ID}
		}
		alphaRisks := risks("fixture", sys.ID, ctl.ID)
		readinessDef, _ := qn.Builtin("readiness")
		readinessFirst := readinessDef.Sections[0].Questions[0]

		// fixtures names an object of alpha for each path parameter, keyed by
		// the path (without the API prefix) up to and including the parameter.
		// A route with a parameter missing here fails the test: add it, here
		// and in freshFixtures.
		fixtures := map[string]string{
			"/objectives/{id}":                       obj.ID,
			"/members/{user_id}":                     victim.UserID,
			"/tokens/{id}":                           tokID,
			"/systems/{id}":                          sys.ID,
			"/systems/{id}/links/{kind}":             "model",
			"/systems/{id}/links/{kind}/{target_id}": model.ID,
			"/models/{id}":                           model.ID,
			"/datasets/{id}":                         dataset.ID,
			"/vendors/{id}":                          vendor.ID,
			"/controls/{id}":                         ctl.ID,
			"/evidence/{id}":                         evd.ID,
		}
		for k, v := range alphaPortfolio {
			fixtures[k] = v
		}
		for k, v := range alphaRisks {
			fixtures[k] = v
		}
		var areaIDs []string
		areaKeys := make([]map[string]bool, len(isolationAreas)) // the fixture keys each area makes
		for i, area := range isolationAreas {
			areaKeys[i] = map[string]bool{}
			for k, v := range area.objects(t, s, alpha, "fixture") {
				fixtures[k] = v
				areaKeys[i][k] = true
				if len(v) > 8 {
					areaIDs = append(areaIDs, v)
				}
			}
		}
		// freshFixtures makes new objects of alpha for the control request
		// on path of alpha's own owner, which may delete what they name. Of
		// the areas' objects it makes only those of areas that name one of
		// path's parameters: making every area's objects for every route
		// grew the organisation, and the walk, quadratically.
		n := 0
		freshFixtures := func(path string) map[string]string {
			n++
			m := s.AddMember(t, alpha, fmt.Sprintf("control-%d@alpha.test", n), caio.RoleViewer)
			id, _ := s.NewToken(t, alpha, alpha.Members[caio.RoleOwner], fmt.Sprintf("control-%d", n))
			fs, fm := s.NewSystem(t, alpha, fmt.Sprintf("Control AI system %d", n)), s.NewModel(t, alpha, fmt.Sprintf("Control model %d", n))
			s.Link(t, alpha, fs.ID, "model", fm.ID)
			// Classified, so that an override of its class can be recorded.
			if _, err := s.App.ClassifySystem(alpha.Sys, fs.ID, &euaiact.Profile{Roles: []string{"deployer"}}); err != nil {
				t.Fatal(err)
			}
			k := s.NewControl(t, alpha, fmt.Sprintf("Control system %d", n))
			fresh := portfolio(fmt.Sprintf("control %d", n))
			fresh["/controls/{id}"] = k.ID
			for key, v := range risks(fmt.Sprintf("control %d", n), fs.ID, k.ID) {
				fresh[key] = v
			}
			need := paramKeys(path)
			for i, area := range isolationAreas {
				if !slices.ContainsFunc(need, func(k string) bool { return areaKeys[i][k] }) {
					continue
				}
				for key, v := range area.objects(t, s, alpha, fmt.Sprintf("control %d", n)) {
					fresh[key] = v
				}
			}
			for key, v := range map[string]string{
				"/controls/{id}":                         k.ID,
				"/evidence/{id}":                         s.NewEvidence(t, alpha, k.ID, fmt.Sprintf("control-%d.txt", n)).ID,
				"/objectives/{id}":                       s.NewObjective(t, alpha, fmt.Sprintf("Control %d", n)).ID,
				"/members/{user_id}":                     m.UserID,
				"/tokens/{id}":                           id,
				"/systems/{id}":                          fs.ID,
				"/systems/{id}/links/{kind}":             "model",
				"/systems/{id}/links/{kind}/{target_id}": fm.ID,
				"/models/{id}":                           s.NewModel(t, alpha, fmt.Sprintf("Control model %d b", n)).ID,
				"/datasets/{id}":                         s.NewDataset(t, alpha, fmt.Sprintf("Control dataset %d", n)).ID,
				"/vendors/{id}":                          s.NewVendor(t, alpha, fmt.Sprintf("Control vendor %d", n)).ID,
			} {
				fresh[key] = v
			}
			return fresh
		}
		// routeFixtures replace fresh fixtures for the routes that need an
		// object in a particular state: triage decides an idea that waits in
		// the queue, which no other route of a use case accepts.
		routeFixtures := map[string]func(map[string]string){
			"POST /api/v1/usecases/{id}/triage": func(m map[string]string) {
				m["/usecases/{id}"] = s.NewSubmittedIdea(t, alpha, fmt.Sprintf("Control idea %d", n)).ID
			},
			"POST /api/v1/assessments/{id}/submit": func(m map[string]string) {
				m["/assessments/{id}"] = s.NewAssessment(t, alpha, true).ID
			},
			"POST /assessments/{id}/submit": func(m map[string]string) {
				m["/assessments/{id}"] = s.NewAssessment(t, alpha, true).ID
			},
			"POST /usecases/{id}/triage": func(m map[string]string) {
				m["/usecases/{id}"] = s.NewSubmittedIdea(t, alpha, fmt.Sprintf("Control idea %d", n)).ID
			},
		}
		for _, area := range isolationAreas {
			for route, fix := range area.routeObjects {
				routeFixtures[route] = func(m map[string]string) { fix(t, s, alpha, m) }
			}
		}
		// skip lists parameterised routes that name no object of an organisation.
		skip := map[string]string{
			"/static/{hash}/{name}": "public, content-hashed assets shared by every organisation",
			"/frameworks/{id}":      "the framework catalogue, the same for everyone",
		}
		// bodies are valid requests, so an operation reaches its lookup
		// instead of stopping at input validation. The most harmful change
		// is asked for: a title rewrite, and promotion to owner.
		bodies := map[string]any{
			"PUT /api/v1/objectives/{id}":                       map[string]any{"title": "Hijacked"},
			"PUT /api/v1/members/{user_id}":                     map[string]any{"role": "owner"},
			"PUT /api/v1/systems/{id}":                          map[string]any{"name": "Hijacked", "roles": []string{"provider"}},
			"POST /api/v1/systems/{id}/links":                   map[string]any{"kind": "model", "target_id": linkTarget.ID},
			"PUT /api/v1/models/{id}":                           map[string]any{"name": "Hijacked", "kind": "llm"},
			"PUT /api/v1/datasets/{id}":                         map[string]any{"name": "Hijacked"},
			"PUT /api/v1/vendors/{id}":                          map[string]any{"name": "Hijacked API vendor"},
			"PUT /api/v1/controls/{id}":                         map[string]any{"status": "not_applicable", "reason": "Hijacked"},
			"POST /api/v1/controls/{id}/evidence":               map[string]any{"url": "https://evil.example/"},
			"PUT /api/v1/systems/{id}/classification":           map[string]any{"roles": []string{"provider"}, "annex_iii": []string{"4(a)"}},
			"POST /api/v1/systems/{id}/classification/override": map[string]any{"class": "minimal", "reason": "Hijacked", "reference": "none"},
			"PUT /api/v1/usecases/{id}":                         map[string]any{"title": "Hijacked"},
			"POST /api/v1/usecases/{id}/triage":                 map[string]any{"decision": "accept"},
			"PUT /api/v1/usecases/{id}/ratings":                 map[string]any{"urgency": 1},
			"PUT /api/v1/usecases/{id}/roadmap":                 map[string]any{"start": "2027Q1", "end": "2027Q2", "people": 9},
			"PUT /api/v1/usecases/{id}/business-case":           servertest.ExampleCase(),
			"POST /api/v1/usecases/{id}/stage":                  map[string]any{"to": "on_hold", "reason": "Hijacked"},
			"POST /api/v1/usecases/{id}/kpis":                   map[string]any{"name": "Hijacked"},
			"PUT /api/v1/usecases/{id}/benefits/{year}":         map[string]any{"amount": 1},
			"PUT /api/v1/kpis/{id}":                             map[string]any{"name": "Hijacked"},
			"POST /api/v1/kpis/{id}/actuals":                    map[string]any{"on": "2027-02-28", "value": 1},
			"POST /api/v1/approvals/{id}/decision":              map[string]any{"decision": "reject", "comment": "Hijacked"},
			"PUT /api/v1/risks/{id}":                            map[string]any{"title": "Hijacked", "likelihood": 5, "impact": 5},
			"POST /api/v1/risks/{id}/treatments":                map[string]any{"description": "Hijacked"},
			"PUT /api/v1/risks/{id}/treatments/{treatment_id}":  map[string]any{"description": "Hijacked", "status": "cancelled"},
			"PUT /api/v1/assessments/{id}/answers":              map[string]any{"answers": map[string][]string{readinessFirst.ID: {readinessFirst.Options[0].Value}}},
		}
		forms := map[string]url.Values{
			"POST /objectives/{id}":                      {"title": {"Hijacked"}},
			"POST /members/{user_id}/role":               {"role": {"owner"}},
			"POST /objectives/{id}/delete":               {},
			"POST /members/{user_id}/remove":             {},
			"POST /tokens/{id}/revoke":                   {},
			"POST /systems/{id}":                         {"name": {"Hijacked"}, "roles": {"provider"}},
			"POST /systems/{id}/links":                   {"kind": {"model"}, "target_id": {linkTarget.ID}},
			"POST /models/{id}":                          {"name": {"Hijacked"}, "kind": {"llm"}},
			"POST /datasets/{id}":                        {"name": {"Hijacked"}},
			"POST /vendors/{id}":                         {"name": {"Hijacked page vendor"}},
			"POST /controls/{id}":                        {"status": {"not_applicable"}, "reason": {"Hijacked"}},
			"POST /controls/{id}/evidence":               {"url": {"https://evil.example/"}},
			"POST /evidence/{id}/delete":                 {},
			"POST /systems/{id}/classify":                {"action": {"save"}, "annex_iii_asked": {"1"}, "roles": {"provider"}, "annex_iii": {"4(a)"}},
			"POST /systems/{id}/classification/override": {"class": {"minimal"}, "reason": {"Hijacked"}, "reference": {"none"}},
			"POST /usecases/{id}":                        {"title": {"Hijacked"}},
			"POST /usecases/{id}/triage":                 {"decision": {"accept"}},
			"POST /usecases/{id}/stage":                  {"to": {"on_hold"}, "reason": {"Hijacked"}},
			"POST /usecases/{id}/plan":                   {"start": {"2027Q1"}, "end": {"2027Q2"}, "people": {"9"}},
			"POST /usecases/{id}/score":                  {"urgency": {"1"}},
			"POST /usecases/{id}/business-case": {"currency": {"EUR"}, "horizon_years": {"3"}, "discount_rate": {"8"},
				"benefits[0].label": {"Hijacked"}, "benefits[0].low": {"1"}, "benefits[0].likely": {"2"}, "benefits[0].high": {"3"},
				"one_off[0].label": {"Build"}, "one_off[0].low": {"1"}, "one_off[0].likely": {"2"}, "one_off[0].high": {"3"}},
			"POST /usecases/{id}/kpis":                          {"name": {"Hijacked"}},
			"POST /usecases/{id}/benefits":                      {"year": {"1"}, "amount": {"1"}},
			"POST /kpis/{id}/actuals":                           {"on": {"2027-02-28"}, "value": {"1"}},
			"POST /kpis/{id}":                                   {"name": {"Hijacked"}},
			"POST /approvals/{id}/decide":                       {"decision": {"reject"}, "comment": {"Hijacked"}},
			"POST /risks/{id}":                                  {"title": {"Hijacked"}, "likelihood": {"5"}, "impact": {"5"}},
			"POST /risks/{id}/delete":                           {},
			"POST /risks/{id}/treatments":                       {"description": {"Hijacked"}},
			"POST /risks/{id}/treatments/{treatment_id}":        {"description": {"Hijacked"}, "status": {"cancelled"}},
			"POST /risks/{id}/treatments/{treatment_id}/delete": {},
			"POST /assessments/{id}/answers":                    {"shown": {readinessFirst.ID}, "q." + readinessFirst.ID: {readinessFirst.Options[0].Value}},
			"POST /assessments/{id}/import":                     {"answers": {"{}"}},
		}

		for _, area := range isolationAreas {
			maps.Copy(bodies, area.bodies)
			maps.Copy(forms, area.forms)
		}

		alphaIDs := []string{alpha.ID, obj.ID, tokID, ctl.ID, ctl.SystemID, evd.ID}
		alphaIDs = append(alphaIDs, sys.ID, model.ID, dataset.ID, vendor.ID, linkTarget.ID)
		alphaIDs = append(alphaIDs, alphaPortfolio["/usecases/{id}"], alphaPortfolio["/kpis/{id}"], alphaPortfolio["/approvals/{id}"], alphaPortfolio["/assessments/{id}"], alphaRisks["/risks/{id}"])
		alphaIDs = append(alphaIDs, areaIDs...)
		for _, m := range alpha.Members {
			alphaIDs = append(alphaIDs, m.UserID, m.TokenID)
		}
		before := snapshot(t, s, alpha)
		intruder := bravo.Token(caio.RoleOwner)
		browser := s.Login(t, bravo.Members[caio.RoleOwner].Email, servertest.Password)
		// send makes the request of e on path: a page with the browser, an
		// operation with the token.
		send := func(e endpoint, path string, as *servertest.Browser, token string) *servertest.Response {
			name := e.method + " " + e.path
			if !e.page {
				return s.Do(t, e.method, path, token, bodies[name])
			}
			if e.method == http.MethodGet {
				return as.Get(t, path)
			}
			return as.Do(t, s.NewRequest(t, e.method, path, "", forms[name]))
		}

		var tried []endpoint
		for _, e := range endpoints(t, s) {
			params := pathParam.FindAllStringSubmatchIndex(e.path, -1)
			if len(params) == 0 {
				continue // covered by the list checks below
			}
			rel := strings.TrimPrefix(e.path, api.Prefix)
			if why, ok := skip[rel]; ok {
				t.Logf("skip %s %s: %s", e.method, e.path, why)
				continue
			}
			path, err := fill(e.path, fixtures)
			if err != nil {
				t.Errorf("%s %s: %v: add an object of the other organisation to fixtures", e.method, e.path, err)
				continue
			}
			name := e.method + " " + e.path
			if !e.page && e.body {
				if _, ok := bodies[name]; !ok {
					t.Errorf("%s: takes a body but has none in bodies: add a valid one", name)
					continue
				}
			}
			res := send(e, path, browser, intruder)
			tried = append(tried, e)
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s with the other organisation's id: status %d, want 404: %s", name, res.StatusCode, res)
			}
			for _, leak := range []string{secret, victim.Email} {
				if bytes.Contains(res.Body, []byte(leak)) {
					t.Errorf("%s: the response shows %q of the other organisation", name, leak)
				}
			}
		}
		if len(tried) < 10 {
			t.Errorf("tried only %d routes with parameters; is the walk broken?", len(tried))
		}

		if after := snapshot(t, s, alpha); !equalSnapshots(t, before, after) {
			t.Error("alpha's data changed after bravo's attempts")
		}

		if got, err := s.App.FindSystem(alpha.Sys, sys.ID); err != nil || got.Version != 1 || got.Name != "Alpha system" {
			t.Errorf("alpha's AI system after bravo's attempts: %+v, %v", got, err)
		}
		if links, err := s.App.FindSystemLinks(alpha.Sys, sys.ID); err != nil || len(links) != 1 {
			t.Errorf("alpha's AI system's links after bravo's attempts: %+v, %v", links, err)
		}

		// Control: the same requests by alpha's own owner, on fresh objects of
		// alpha, succeed. So the 404s above come from the tenant check, not
		// from a route that finds nothing for anyone.
		owner := s.Login(t, alpha.Members[caio.RoleOwner].Email, servertest.Password)
		for _, e := range tried {
			fresh := freshFixtures(e.path)
			if fix := routeFixtures[e.method+" "+e.path]; fix != nil {
				fix(fresh)
			}
			path, err := fill(e.path, fresh)
			if err != nil {
				t.Fatal(err)
			}
			if res := send(e, path, owner, alpha.Token(caio.RoleOwner)); res.StatusCode >= 400 {
				t.Errorf("control: %s %s by the organisation's own owner: %s", e.method, e.path, res)
			}
		}

		// The inventory lists of bravo show nothing of alpha's inventory.
		for _, p := range []string{"/api/v1/systems?limit=500", "/api/v1/systems?vendor=" + vendor.ID, "/api/v1/models?limit=500", "/api/v1/datasets?limit=500", "/api/v1/vendors?limit=500"} {
			noneOf(t, s.Do(t, http.MethodGet, p, intruder, nil).Want(t, http.StatusOK), alphaIDs)
		}
		for _, p := range []string{"/systems", "/models", "/datasets", "/vendors"} {
			noneOf(t, browser.Get(t, p).Want(t, http.StatusOK), alphaIDs)
		}

		// Lists of bravo, through the API and the pages, show nothing of alpha.
		apiLists := []string{"/api/v1/objectives?limit=500", "/api/v1/members?limit=500", "/api/v1/tokens?limit=500", "/api/v1/audit?limit=500", "/api/v1/me",
			"/api/v1/controls?limit=500&all=true", "/api/v1/compliance/posture",
			"/api/v1/usecases?limit=500", "/api/v1/usecases?limit=500&sort=created", "/api/v1/usecases/ranking", "/api/v1/approvals?limit=500",
			"/api/v1/roadmap", "/api/v1/portfolio/rollup", "/api/v1/strategy", "/api/v1/assessments?limit=500", "/api/v1/risks?limit=500"}
		pages := []string{"/", "/objectives", "/members", "/tokens", "/audit", "/settings", "/compliance", "/compliance/controls?all=1",
			"/usecases", "/usecases/triage", "/approvals?status=all", "/roadmap", "/portfolio", "/strategy", "/assessments", "/risks"}
		for _, area := range isolationAreas {
			apiLists = append(apiLists, area.apiLists...)
			pages = append(pages, area.pages...)
		}
		for _, p := range apiLists {
			res := s.Do(t, http.MethodGet, p, intruder, nil).Want(t, http.StatusOK)
			noneOf(t, res, alphaIDs)
		}
		for _, p := range pages {
			res := browser.Get(t, p).Want(t, http.StatusOK)
			noneOf(t, res, alphaIDs)
			if bytes.Contains(res.Body, []byte(secret)) {
				t.Errorf("GET %s as bravo shows alpha's objective", p)
			}
		}
	})
}

// fill replaces each parameter of path with its fixture, keyed by the path
// (without the API prefix) up to and including the parameter.
// paramKeys returns the fixture keys of path's parameters, as fill looks them up.
func paramKeys(path string) []string {
	var keys []string
	for _, p := range pathParam.FindAllStringSubmatchIndex(path, -1) {
		keys = append(keys, strings.TrimPrefix(path[:p[1]], api.Prefix))
	}
	return keys
}

func fill(path string, fixtures map[string]string) (string, error) {
	params := pathParam.FindAllStringSubmatchIndex(path, -1)
	out := path
	for i := len(params) - 1; i >= 0; i-- {
		p := params[i]
		key := strings.TrimPrefix(path[:p[1]], api.Prefix)
		id, ok := fixtures[key]
		if !ok {
			return "", fmt.Errorf("no fixture for parameter %s (key %q)", path[p[2]:p[3]], key)
		}
		out = out[:p[0]] + url.PathEscape(id) + out[p[1]:]
	}
	return out, nil
}

// snapshot reads what alpha's owner sees of alpha through the API.
func snapshot(t *testing.T, s *servertest.Server, org *servertest.Org) map[string]any {
	t.Helper()
	out := map[string]any{}
	for _, p := range []string{"/api/v1/objectives?limit=500", "/api/v1/members?limit=500", "/api/v1/tokens?limit=500", "/api/v1/audit?limit=500", "/api/v1/audit/verify", "/api/v1/me",
		"/api/v1/controls?limit=500&all=true", "/api/v1/compliance/posture"} {
		res := s.Do(t, http.MethodGet, p, org.Token(caio.RoleOwner), nil).Want(t, http.StatusOK)
		var v any
		res.JSON(t, &v)
		out[p] = dropKey(v, "last_used_at") // the snapshot's own token use may set it
	}
	return out
}

func dropKey(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		delete(x, key)
		for k := range x {
			x[k] = dropKey(x[k], key)
		}
	case []any:
		for i := range x {
			x[i] = dropKey(x[i], key)
		}
	}
	return v
}

func equalSnapshots(t *testing.T, before, after map[string]any) bool {
	t.Helper()
	same := true
	for k, b := range before {
		x, _ := json.Marshal(b)
		y, _ := json.Marshal(after[k])
		if !bytes.Equal(x, y) {
			t.Errorf("%s changed:\nbefore %s\nafter  %s", k, x, y)
			same = false
		}
	}
	return same
}

func noneOf(t *testing.T, res *servertest.Response, ids []string) {
	t.Helper()
	for _, id := range ids {
		if id != "" && bytes.Contains(res.Body, []byte(id)) {
			t.Errorf("%s %s shows the other organisation's id %s", res.Request.Method, res.Request.URL.Path, id)
		}
	}
}
