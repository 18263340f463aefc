package api_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/api"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
	"github.com/danielgtaylor/huma/v2"
)

// sharedKPIs and sharedApprovals hold one KPI of the shared use case and one
// approval per role-matrix environment, for the cases that read or change them.
var sharedKPIs, sharedApprovals sync.Map // *roleEnv → *caio.KPI, *caio.Approval

func (e *roleEnv) kpi(t *testing.T) *caio.KPI {
	if k, ok := sharedKPIs.Load(e); ok {
		return k.(*caio.KPI)
	}
	k := e.newKPI(t)
	sharedKPIs.Store(e, k)
	return k
}

func (e *roleEnv) newKPI(t *testing.T) *caio.KPI {
	base := 12.0
	k, err := e.s.App.CreateKPI(e.org.Sys, e.useCase(t).ID, caio.KPIInput{Name: fmt.Sprintf("Handling time %d", e.seq()), Unit: "minutes", Direction: "decrease", Baseline: &base})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func (e *roleEnv) approval(t *testing.T) *caio.Approval {
	if ap, ok := sharedApprovals.Load(e); ok {
		return ap.(*caio.Approval)
	}
	ap := e.freshApproval(t)
	sharedApprovals.Store(e, ap)
	return ap
}

// freshApproval opens a pending approval, asked by the system, so that no
// member is its requester.
func (e *roleEnv) freshApproval(t *testing.T) *caio.Approval {
	_, ap := pendingApproval(t, e.s, e.org, e.org.Sys, e.obj.ID, fmt.Sprintf("Gated %d", e.seq()))
	return ap
}

func init() {
	roleCases = append(roleCases,
		// App.FindApprovals, FindApproval, FindValue (KPIs and value),
		// FindStrategy, FindPortfolioSettings, FindRoadmap, PortfolioRollup: PermRead.
		roleCase{name: "list approvals", op: "GET /approvals", perm: caio.PermRead, req: fixed("/api/v1/approvals?status=pending", nil), ok: 200},
		roleCase{name: "get approval", op: "GET /approvals/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/approvals/" + e.approval(t).ID, nil
		}},
		roleCase{name: "list kpis", op: "GET /usecases/{id}/kpis", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/usecases/" + e.useCase(t).ID + "/kpis", nil
		}},
		roleCase{name: "get value", op: "GET /usecases/{id}/value", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/usecases/" + e.useCase(t).ID + "/value", nil
		}},
		roleCase{name: "get strategy", op: "GET /strategy", perm: caio.PermRead, req: fixed("/api/v1/strategy", nil), ok: 200},
		roleCase{name: "get portfolio settings", op: "GET /portfolio/settings", perm: caio.PermRead, req: fixed("/api/v1/portfolio/settings", nil), ok: 200},
		roleCase{name: "get roadmap", op: "GET /roadmap", perm: caio.PermRead, req: fixed("/api/v1/roadmap", nil), ok: 200},
		roleCase{name: "portfolio rollup", op: "GET /portfolio/rollup", perm: caio.PermRead, req: fixed("/api/v1/portfolio/rollup", nil), ok: 200},
		// App.ResimulateBusinessCases: PermEdit.
		roleCase{name: "re-simulate the portfolio", op: "POST /portfolio/simulate", perm: caio.PermEdit, req: fixed("/api/v1/portfolio/simulate", nil), ok: 200},
		// App.DecideApproval: PermApprove.
		roleCase{name: "decide approval", op: "POST /approvals/{id}/decision", perm: caio.PermApprove, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/approvals/" + e.freshApproval(t).ID + "/decision", map[string]any{"decision": "reject", "comment": "Not this quarter"}
		}},
		// App.WithdrawApproval of a request someone else made: PermEdit.
		roleCase{name: "withdraw another's approval", op: "POST /approvals/{id}/withdraw", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/approvals/" + e.freshApproval(t).ID + "/withdraw", nil
		}},
		// App.RecordKPIActual, RecordBenefit: PermContribute.
		roleCase{name: "record kpi actual", op: "POST /kpis/{id}/actuals", perm: caio.PermContribute, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/kpis/" + e.kpi(t).ID + "/actuals", map[string]any{"on": "2027-03-31", "value": 9.5}
		}},
		roleCase{name: "record benefit", op: "PUT /usecases/{id}/benefits/{year}", perm: caio.PermContribute, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/usecases/" + e.useCase(t).ID + "/benefits/1", map[string]any{"amount": 30000, "note": "From the " + string(r)}
		}},
		// App.CreateKPI, UpdateKPI, DeleteKPI, DeleteKPIActual, UpdateStrategy, SetCapacity: PermEdit.
		roleCase{name: "create kpi", op: "POST /usecases/{id}/kpis", perm: caio.PermEdit, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/usecases/" + e.useCase(t).ID + "/kpis", map[string]any{"name": "Claims per day", "unit": "claims"}
		}},
		roleCase{name: "update kpi", op: "PUT /kpis/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/kpis/" + e.kpi(t).ID, map[string]any{"name": "Handling time", "unit": "minutes", "direction": "decrease", "baseline": 12, "target": 7}
		}},
		roleCase{name: "delete kpi", op: "DELETE /kpis/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/kpis/" + e.newKPI(t).ID, nil
		}},
		roleCase{name: "delete kpi actual", op: "DELETE /kpis/{id}/actuals/{actual_id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			k := e.kpi(t)
			act, err := e.s.App.RecordKPIActual(e.org.Sys, k.ID, caio.KPIActualInput{On: "2027-01-31", Value: 11})
			if err != nil {
				t.Fatal(err)
			}
			return "/api/v1/kpis/" + k.ID + "/actuals/" + act.ID, nil
		}},
		roleCase{name: "update strategy", op: "PUT /strategy", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			st, err := e.s.App.FindStrategy(e.org.Sys)
			if err != nil {
				t.Fatal(err)
			}
			return "/api/v1/strategy", map[string]any{"vision": "AI that the " + string(r) + " trusts", "version": st.Version}
		}},
		roleCase{name: "set capacity", op: "PUT /roadmap/capacity", perm: caio.PermEdit, req: fixed("/api/v1/roadmap/capacity", map[string]any{"capacity": []map[string]any{{"quarter": "2027Q1", "people": 4, "budget": 100000}}}), ok: 200},
		// App.UpdatePortfolioSettings: PermManageOrg.
		roleCase{name: "update portfolio settings", op: "PUT /portfolio/settings", perm: caio.PermManageOrg, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/portfolio/settings", settingsBody(app.DefaultPortfolioSettings(), 2)
		}},
	)
}

// settingsBody is the portfolio settings as a client sends them.
func settingsBody(s caio.PortfolioSettings, quorum int) map[string]any {
	return map[string]any{"weights": s.Weights, "quorum": quorum, "currency": s.Currency, "success": s.Success}
}

func TestValueAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		u := s.NewUseCase(t, org, "Claims assistant", nil, nil)
		editor, contributor, viewer := org.Token(caio.RoleEditor), org.Token(caio.RoleContributor), org.Token(caio.RoleViewer)
		ucPath := "/api/v1/usecases/" + u.ID

		var k caio.KPI
		s.Do(t, "POST", ucPath+"/kpis", editor, map[string]any{"name": "Handling time", "unit": "minutes", "direction": "decrease", "baseline": 12}).Want(t, 201).JSON(t, &k)
		if k.ID == "" || k.Direction != "decrease" || k.Baseline == nil || *k.Baseline != 12 || k.Target != nil {
			t.Fatalf("created %+v", k)
		}
		for body, loc := range map[string]string{`{"name":""}`: "body.name", `{"name":"x","direction":"up"}`: "body.direction", `{"unit":"x"}`: "body.name"} {
			p := s.Do(t, "POST", ucPath+"/kpis", editor, body).Want(t, 422).Problem(t)
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("%s: problem names %v, want %s", body, p.Locations(), loc)
			}
		}
		s.Do(t, "PUT", "/api/v1/kpis/"+k.ID, editor, map[string]any{"name": "Handling time", "unit": "minutes", "direction": "decrease", "baseline": 12, "target": 7}).Want(t, 200).JSON(t, &k)
		if k.Target == nil || *k.Target != 7 {
			t.Errorf("updated %+v", k)
		}

		// A contributor reports a measurement; a bad date names "on".
		var act caio.KPIActual
		s.Do(t, "POST", "/api/v1/kpis/"+k.ID+"/actuals", contributor, map[string]any{"on": "2027-03-31", "value": 9.5, "note": "Q1"}).Want(t, 201).JSON(t, &act)
		p := s.Do(t, "POST", "/api/v1/kpis/"+k.ID+"/actuals", contributor, map[string]any{"on": "31/03/2027", "value": 9}).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.on") {
			t.Errorf("bad date: %v", p.Locations())
		}
		var kpis struct {
			Items []caio.KPI `json:"items"`
		}
		s.Do(t, "GET", ucPath+"/kpis", viewer, nil).Want(t, 200).JSON(t, &kpis)
		if len(kpis.Items) != 1 || len(kpis.Items[0].Actuals) != 1 || kpis.Items[0].Actuals[0].Value != 9.5 {
			t.Errorf("kpis %+v", kpis.Items)
		}

		// Benefits need a business case, and a year within its horizon.
		p = s.Do(t, "PUT", ucPath+"/benefits/1", contributor, map[string]any{"amount": 10000}).Want(t, 422).Problem(t)
		if !slices.Equal(p.Locations(), []string{"path.year"}) {
			t.Errorf("benefit without a business case: %v", p.Locations())
		}
		s.NewBusinessCase(t, org, u.ID)
		p = s.Do(t, "PUT", ucPath+"/benefits/6", contributor, map[string]any{"amount": 10000}).Want(t, 422).Problem(t)
		if !slices.Equal(p.Locations(), []string{"path.year"}) {
			t.Errorf("benefit beyond the horizon: %v", p.Locations())
		}
		var report app.ValueReport
		s.Do(t, "PUT", ucPath+"/benefits/1", contributor, map[string]any{"amount": 1, "note": "Slow start"}).Want(t, 200).JSON(t, &report)
		if len(report.Years) != 5 || report.Years[0].Actual == nil || report.Years[0].Standing != "below_p10" || !slices.Equal(report.Below, []int{1}) || report.Currency != "EUR" {
			t.Errorf("value report %+v", report)
		}
		s.Do(t, "PUT", ucPath+"/benefits/1", contributor, map[string]any{"amount": 1e9}).Want(t, 200).JSON(t, &report)
		if report.Years[0].Standing != "above_p90" || len(report.Below) != 0 {
			t.Errorf("a replaced figure: %+v", report.Years[0])
		}
		s.Do(t, "GET", ucPath+"/value", viewer, nil).Want(t, 200).JSON(t, &report)
		if len(report.KPIs) != 1 || report.Years[1].Actual != nil || report.Years[1].P50 <= 0 {
			t.Errorf("value %+v", report)
		}

		// Deleting a measurement and a KPI.
		s.Do(t, "DELETE", "/api/v1/kpis/"+k.ID+"/actuals/"+act.ID, contributor, nil).Want(t, 403)
		s.Do(t, "DELETE", "/api/v1/kpis/"+k.ID+"/actuals/"+act.ID, editor, nil).Want(t, 204)
		s.Do(t, "DELETE", "/api/v1/kpis/"+k.ID, editor, nil).Want(t, 204)
		s.Do(t, "PUT", "/api/v1/kpis/"+k.ID, editor, map[string]any{"name": "Gone"}).Want(t, 404).Problem(t)
		s.Do(t, "GET", ucPath+"/kpis", viewer, nil).Want(t, 200).JSON(t, &kpis)
		if len(kpis.Items) != 0 {
			t.Errorf("kpis after delete %+v", kpis.Items)
		}
	})
}

func TestStrategyAndSettingsAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")
		editor, admin, viewer := org.Token(caio.RoleEditor), org.Token(caio.RoleAdmin), org.Token(caio.RoleViewer)

		var st caio.Strategy
		s.Do(t, "GET", "/api/v1/strategy", viewer, nil).Want(t, 200).JSON(t, &st)
		if st.Version != 0 {
			t.Errorf("strategy before anyone wrote it: %+v", st)
		}
		body := map[string]any{"vision": "Claims settled in a day", "principles": []string{"People decide", " "}, "target_maturity": 3,
			"budget": 500000, "currency": "eur", "horizon": "2028-12-31", "version": 0,
			"priorities": []map[string]any{{"title": "Faster claims", "objective_ids": []string{obj.ID}}}}
		s.Do(t, "PUT", "/api/v1/strategy", editor, body).Want(t, 200).JSON(t, &st)
		if st.Version != 1 || st.Currency != "EUR" || !slices.Equal(st.Principles, []string{"People decide"}) || len(st.Priorities) != 1 {
			t.Errorf("strategy %+v", st)
		}
		s.Do(t, "PUT", "/api/v1/strategy", editor, body).Want(t, 409).Problem(t)
		p := s.Do(t, "PUT", "/api/v1/strategy", editor, map[string]any{"vision": "x"}).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.version") {
			t.Errorf("strategy without a version: %v", p.Locations())
		}
		for _, c := range []struct {
			edit func(map[string]any)
			loc  string
		}{
			{func(b map[string]any) { b["priorities"] = []map[string]any{{"title": ""}} }, "body.priorities[0].title"},
			{func(b map[string]any) {
				b["priorities"] = []map[string]any{{"title": "x", "objective_ids": []string{"obj_0000000000000000000000000"}}}
			}, "body.priorities[0].objective_ids"},
			{func(b map[string]any) { b["target_maturity"] = 6 }, "body.target_maturity"},
			{func(b map[string]any) { b["horizon"] = "next year" }, "body.horizon"},
		} {
			b := map[string]any{"version": 1}
			c.edit(b)
			p := s.Do(t, "PUT", "/api/v1/strategy", editor, b).Want(t, 422).Problem(t)
			if !slices.Contains(p.Locations(), c.loc) {
				t.Errorf("%v: problem names %v, want %s", b, p.Locations(), c.loc)
			}
		}

		var set caio.PortfolioSettings
		s.Do(t, "GET", "/api/v1/portfolio/settings", viewer, nil).Want(t, 200).JSON(t, &set)
		if set.Quorum != 1 || set.Weights.Method == "" || set.Success["pilot"] == 0 {
			t.Errorf("default settings %+v", set)
		}
		s.Do(t, "PUT", "/api/v1/portfolio/settings", editor, settingsBody(set, 2)).Want(t, 403).Problem(t)
		b := settingsBody(set, 2)
		b["success"] = map[string]float64{"pilot": 0.5}
		s.Do(t, "PUT", "/api/v1/portfolio/settings", admin, b).Want(t, 200).JSON(t, &set)
		if set.Quorum != 2 || set.Success["pilot"] != 0.5 || set.Success["idea"] == 0 {
			t.Errorf("settings %+v", set)
		}
		w := set.Weights
		w.ObjectiveFit += 10
		b = settingsBody(set, 0)
		b["weights"] = w
		b["success"] = map[string]float64{"launched": 0.5, "pilot": 2}
		p = s.Do(t, "PUT", "/api/v1/portfolio/settings", admin, b).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.quorum", "body.success.launched", "body.success.pilot"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("problem names %v, want %s", p.Locations(), loc)
			}
		}
		if !slices.ContainsFunc(p.Locations(), func(l string) bool { return strings.HasPrefix(l, "body.weights.") }) {
			t.Errorf("weights that do not add up are not named: %v", p.Locations())
		}
	})
}

func TestRoadmapAndRollup(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")
		editor, viewer := org.Token(caio.RoleEditor), org.Token(caio.RoleViewer)
		a := s.NewUseCase(t, org, "Claims assistant", []string{obj.ID}, nil)
		b := s.NewUseCase(t, org, "Fraud screening", nil, nil)
		s.NewBusinessCase(t, org, a.ID)
		s.Do(t, "PUT", "/api/v1/usecases/"+a.ID+"/roadmap", editor, map[string]any{"start": "2027Q1", "end": "2027Q2", "people": 3, "budget": 40000}).Want(t, 200)
		s.Do(t, "PUT", "/api/v1/usecases/"+b.ID+"/roadmap", editor, map[string]any{"start": "2027Q1", "end": "2027Q1", "people": 2, "depends_on": []string{a.ID}}).Want(t, 200)

		var caps struct {
			Capacity []caio.Capacity `json:"capacity"`
		}
		s.Do(t, "PUT", "/api/v1/roadmap/capacity", editor, map[string]any{"capacity": []map[string]any{{"quarter": "2027q1", "people": 4}, {"quarter": "2027Q2", "people": 4}}}).Want(t, 200).JSON(t, &caps)
		if len(caps.Capacity) != 2 || caps.Capacity[0].Quarter != "2027Q1" {
			t.Errorf("capacity %+v", caps)
		}
		before := s.Count(t, org)
		p := s.Do(t, "PUT", "/api/v1/roadmap/capacity", editor, map[string]any{"capacity": []map[string]any{{"quarter": "2027Q1"}, {"quarter": "soon"}, {"quarter": "2027Q1", "people": -1}}}).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.capacity[1].quarter", "body.capacity[2].quarter", "body.capacity[2].people"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("problem names %v, want %s", p.Locations(), loc)
			}
		}
		if after := s.Count(t, org); after != before {
			t.Errorf("refused capacity changed counts from %+v to %+v", before, after)
		}

		var rm app.Roadmap
		s.Do(t, "GET", "/api/v1/roadmap", viewer, nil).Want(t, 200).JSON(t, &rm)
		if len(rm.Items) != 2 || len(rm.Plan.Quarters) != 2 || rm.Stages[a.ID] != "idea" {
			t.Fatalf("roadmap %+v", rm)
		}
		if q := rm.Plan.Quarters[0]; q.Quarter != "2027Q1" || q.People != 5 || !q.OverPeople || !q.HasCapacity {
			t.Errorf("2027Q1 load %+v", q)
		}
		if len(rm.Plan.Conflicts) != 1 || rm.Plan.Conflicts[0].ItemID != b.ID || rm.Plan.Conflicts[0].DependsOnID != a.ID {
			t.Errorf("conflicts %+v", rm.Plan.Conflicts)
		}

		var r app.Rollup
		s.Do(t, "GET", "/api/v1/portfolio/rollup", viewer, nil).Want(t, 200).JSON(t, &r)
		if r.Total.Count != 2 || r.Total.WithCase != 1 || r.Total.Cost <= 0 || r.Currency != "EUR" {
			t.Errorf("rollup total %+v", r.Total)
		}
		if len(r.ByObjective) != 1 || r.ByObjective[0].Key != obj.ID || r.ByObjective[0].Count != 1 {
			t.Errorf("rollup by objective %+v", r.ByObjective)
		}
		idea := r.ByStage[slices.IndexFunc(r.ByStage, func(x app.RollupRow) bool { return x.Key == "idea" })]
		if idea.Count != 2 || idea.RiskAdjusted >= idea.ExpectedNPV || idea.RiskAdjusted == 0 {
			t.Errorf("idea stage %+v", idea)
		}
	})
}

// portfolioParam matches a path parameter of the operations under test.
var portfolioParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// TestPortfolioTenantIsolation sends every use-case, approval, KPI and
// value operation that names an object with another organisation's ids:
// each answers 404, changes nothing, and the lists show none of its ids.
// The server's TestTenantIsolation walks the same routes once its fixtures
// name these objects; this test keeps the promise meanwhile.
func TestPortfolioTenantIsolation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		alpha, bravo := s.NewOrg(t, "alpha"), s.NewOrg(t, "bravo")
		obj := s.NewObjective(t, alpha, "Alpha objective")
		secret := "Alpha secret use case"
		u := s.NewUseCase(t, alpha, secret, []string{obj.ID}, nil)
		s.NewBusinessCase(t, alpha, u.ID)
		k, err := s.App.CreateKPI(alpha.Sys, u.ID, caio.KPIInput{Name: "Alpha KPI"})
		if err != nil {
			t.Fatal(err)
		}
		act, err := s.App.RecordKPIActual(alpha.Sys, k.ID, caio.KPIActualInput{On: "2027-01-31", Value: 1})
		if err != nil {
			t.Fatal(err)
		}
		_, ap := pendingApproval(t, s, alpha, alpha.Sys, obj.ID, "Alpha gated")
		fixtures := map[string]string{"/usecases/{id}": u.ID, "/approvals/{id}": ap.ID, "/kpis/{id}": k.ID,
			"/kpis/{id}/actuals/{actual_id}": act.ID, "/usecases/{id}/benefits/{year}": "1"}
		bodies := map[string]any{
			"PUT /usecases/{id}":                 map[string]any{"title": "Hijacked"},
			"POST /usecases/{id}/triage":         map[string]any{"decision": "accept"},
			"PUT /usecases/{id}/ratings":         map[string]any{"urgency": 1},
			"PUT /usecases/{id}/roadmap":         map[string]any{"start": "2027Q1", "end": "2027Q1"},
			"PUT /usecases/{id}/business-case":   caseJSON(t, nil),
			"POST /usecases/{id}/stage":          map[string]any{"to": "on_hold", "reason": "Hijacked"},
			"POST /approvals/{id}/decision":      map[string]any{"decision": "reject", "comment": "Hijacked"},
			"POST /usecases/{id}/kpis":           map[string]any{"name": "Hijacked"},
			"PUT /kpis/{id}":                     map[string]any{"name": "Hijacked"},
			"POST /kpis/{id}/actuals":            map[string]any{"on": "2027-01-31", "value": 1},
			"PUT /usecases/{id}/benefits/{year}": map[string]any{"amount": 1},
		}
		snapshot := func() string {
			var b strings.Builder
			for _, p := range []string{"/usecases?limit=500&sort=created", "/usecases/" + u.ID, "/usecases/" + u.ID + "/business-case",
				"/usecases/" + u.ID + "/value", "/usecases/" + u.ID + "/history", "/approvals?limit=500", "/approvals/" + ap.ID, "/audit?limit=500"} {
				b.Write(s.Do(t, "GET", "/api/v1"+p, alpha.Token(caio.RoleOwner), nil).Want(t, 200).Body)
			}
			return b.String()
		}
		before := snapshot()
		intruder := bravo.Token(caio.RoleOwner)
		tried := 0
		for path, item := range s.Handler.API.OpenAPI().Paths {
			if !portfolioParam.MatchString(path) || !(strings.HasPrefix(path, "/usecases") || strings.HasPrefix(path, "/approvals") || strings.HasPrefix(path, "/kpis")) {
				continue
			}
			for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Patch} {
				if op == nil {
					continue
				}
				filled := path
				for _, m := range portfolioParam.FindAllStringIndex(path, -1) {
					key := path[:m[1]]
					id, ok := fixtures[key]
					if !ok {
						t.Fatalf("%s %s: no fixture for %s", op.Method, path, key)
					}
					filled = strings.Replace(filled, path[m[0]:m[1]], url.PathEscape(id), 1)
				}
				name := op.Method + " " + path
				body, hasBody := bodies[name]
				if op.RequestBody != nil && !hasBody {
					t.Errorf("%s takes a body but has none in bodies", name)
					continue
				}
				tried++
				res := s.Do(t, op.Method, api.Prefix+filled, intruder, body)
				if res.StatusCode != http.StatusNotFound {
					t.Errorf("%s with the other organisation's id: %s", name, res)
				}
				if bytes.Contains(res.Body, []byte(secret)) {
					t.Errorf("%s shows the other organisation's use case", name)
				}
			}
		}
		if tried < 20 {
			t.Errorf("tried only %d operations; is the walk broken?", tried)
		}
		if after := snapshot(); after != before {
			t.Error("alpha's portfolio changed after bravo's attempts")
		}
		for _, p := range []string{"/usecases?limit=500", "/usecases?limit=500&sort=created", "/usecases/ranking", "/approvals?limit=500", "/roadmap", "/portfolio/rollup", "/strategy"} {
			res := s.Do(t, "GET", "/api/v1"+p, intruder, nil).Want(t, 200)
			for _, id := range []string{u.ID, ap.ID, k.ID, obj.ID} {
				if bytes.Contains(res.Body, []byte(id)) {
					t.Errorf("GET %s as bravo shows alpha's id %s", p, id)
				}
			}
		}
	})
}
