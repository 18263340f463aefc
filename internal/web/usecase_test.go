package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// useCaseViews are the views of the use-case pages; TestUseCasePages
// renders each of them.
var useCaseViews = []string{"usecases", "usecase", "usecase_form", "usecase_triage", "usecase_score", "usecase_business_case"}

// ucDo sends one request as b and checks the status and that the page (or
// the Location of a redirect) holds every want, unescaped.
func ucDo(t *testing.T, b *servertest.Browser, method, path string, form url.Values, status int, want ...string) *servertest.Response {
	t.Helper()
	var res *servertest.Response
	if method == http.MethodGet {
		res = b.Get(t, path)
	} else {
		res = b.PostForm(t, path, form)
	}
	res.Want(t, status)
	text := page(res)
	if loc := res.Header.Get("Location"); loc != "" {
		text = loc
	}
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s %s lacks %q: %s", method, path, w, res)
		}
	}
	if res.StatusCode >= 500 {
		t.Errorf("server error: %s", res)
	}
	return res
}

// ucLacks fails t when the page holds any of the texts.
func ucLacks(t *testing.T, res *servertest.Response, texts ...string) {
	t.Helper()
	body := page(res)
	for _, s := range texts {
		if strings.Contains(body, s) {
			t.Errorf("page has %q: %s", s, res)
		}
	}
}

// ucUniqueIDs fails t when an id is used twice on the page, which would
// break its labels, descriptions and the error summary's links.
func ucUniqueIDs(t *testing.T, res *servertest.Response) {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(` id="([^"]+)"`).FindAllStringSubmatch(string(res.Body), -1) {
		if seen[m[1]] {
			t.Errorf("id %q is used twice on %s", m[1], res.Request.URL.Path)
		}
		seen[m[1]] = true
	}
}

// ucCreated is the ID of the use case a redirect leads to.
func ucCreated(t *testing.T, res *servertest.Response) string {
	t.Helper()
	id := regexp.MustCompile(`uc_[A-Za-z0-9]+`).FindString(res.Header.Get("Location"))
	if id == "" {
		t.Fatalf("no use case in the redirect: %s", res)
	}
	return id
}

// ucValid is a business case form that passes: one line of each list, in
// the first of its rows.
func ucValid() url.Values {
	return url.Values{
		"currency": {"EUR"}, "horizon_years": {"5"}, "discount_rate": {"8"}, "distribution": {"pert"}, "trials": {"2000"}, "seed": {"42"},
		"adoption":         {"40, 80, 100"},
		"one_off[0].label": {"Build"}, "one_off[0].low": {"100,000"}, "one_off[0].likely": {"120000"}, "one_off[0].high": {"160000"},
		"running[0].label": {"Run"}, "running[0].low": {"20000"}, "running[0].likely": {"30000"}, "running[0].high": {"40000"},
		"benefits[0].label": {"Hours saved"}, "benefits[0].low": {"60000"}, "benefits[0].likely": {"90000"}, "benefits[0].high": {"130000"},
	}
}

// TestUseCasePages walks through the use-case pages in order: the ranked
// list and its matrix, intake by a contributor and triage by an editor,
// ratings, the business case, gates with and without approval, KPIs and
// benefits, the roadmap placement, editing and deleting.
func TestUseCasePages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")
		sys := s.NewSystem(t, org, "Claims model")
		quick := s.NewUseCase(t, org, "Claims triage", []string{obj.ID}, nil)
		if _, err := s.App.RateUseCase(org.Sys, quick.ID, 0, servertest.RatedUseCase); err != nil {
			t.Fatal(err)
		}
		s.NewBusinessCase(t, org, quick.ID)
		plain := s.NewUseCase(t, org, "Fraud hints", nil, []string{sys.ID})
		bare, err := s.App.CreateUseCase(org.Sys, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: "Bare idea"}})
		if err != nil {
			t.Fatal(err)
		}
		editor := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		owner := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		contributor := s.Login(t, org.Members[caio.RoleContributor].Email, servertest.Password)

		t.Run("list and matrix", func(t *testing.T) {
			ucUniqueIDs(t, ucDo(t, editor, "GET", "/usecases/new", nil, 200))
			ucUniqueIDs(t, ucDo(t, editor, "GET", "/usecases/"+quick.ID+"/score", nil, 200))
			ucUniqueIDs(t, ucDo(t, editor, "GET", "/usecases/"+quick.ID+"/business-case", nil, 200))
			res := ucDo(t, editor, "GET", "/usecases", nil, 200, "Claims triage", "Fraud hints", "Bare idea",
				`<svg class="chart bars matrix" role="img"`, `<title id="chart-matrix-t">Value × feasibility matrix</title>`, "<desc id=\"chart-matrix-d\">",
				"Quick win", "Deprioritise", `href="/usecases/new"`, "Propose a use case", `href="/usecases/triage"`, `href="/roadmap"`,
				"The matrix as a table", "EUR", "No business case", "2 use cases are not rated yet")
			ucUniqueIDs(t, res)
			body := page(res)
			// The ranked list puts the rated use case first and numbers it 1.
			list := body[strings.Index(body, `id="cap-usecases"`):]
			if a, b := strings.Index(list, "Claims triage"), strings.Index(list, "Fraud hints"); a < 0 || b < 0 || a > b {
				t.Errorf("Claims triage (rated) should come before Fraud hints (not rated) in the ranked list")
			}
			if !regexp.MustCompile(`<td class="num">1</td>\s*<td class="title-cell"><a href="/usecases/` + quick.ID).MatchString(list) {
				t.Errorf("Claims triage is not ranked 1")
			}
			if !strings.Contains(body, `<a href="/usecases/`+quick.ID+`" tabindex="-1">`) {
				t.Errorf("the bubble of Claims triage is not a link out of the tab order")
			}
			ucDo(t, editor, "GET", "/usecases?q=fraud&sort=title", nil, 200, "Fraud hints", "filtered")
			res = ucDo(t, editor, "GET", "/usecases?system="+sys.ID, nil, 200, "Fraud hints")
			ucLacks(t, res, "Claims triage")
			ucDo(t, editor, "GET", "/usecases?stage=launched", nil, 422)
		})

		var idea, dup, bad string
		t.Run("intake and triage", func(t *testing.T) {
			ucDo(t, contributor, "GET", "/usecases/new", nil, 200, "Problem and process", "Users and volume", "Approach and sourcing",
				`name="objective_ids"`, "Settle claims faster", `name="system_ids"`, "Claims model (Not classified)", "Submit idea for triage", "triage queue")
			// A missing title comes back with the problem and what was typed.
			res := ucDo(t, contributor, "POST", "/usecases", url.Values{"problem": {"Agents <retype> call notes"}, "objective_ids": {obj.ID}}, 422,
				"Title is required", "Agents <retype> call notes", `value="`+obj.ID+`" checked`, `aria-invalid="true"`)
			ucLacks(t, res, "Use case added")
			idea = ucCreated(t, ucDo(t, contributor, "POST", "/usecases", url.Values{"title": {"Summarise calls"}, "problem": {"Agents retype call notes"},
				"owner": {"Head of Service"}, "objective_ids": {obj.ID}}, 303, "/usecases/uc_"))
			ucDo(t, contributor, "GET", "/usecases/"+idea, nil, 200, "in the triage queue", "Waiting in the triage queue", `href="/usecases/`+idea+`/edit"`)
			dup = ucCreated(t, ucDo(t, contributor, "POST", "/usecases", url.Values{"title": {"Call summaries"}, "system_ids": {sys.ID}}, 303))
			bad = ucCreated(t, ucDo(t, contributor, "POST", "/usecases", url.Values{"title": {"Replace the call centre"}}, 303))

			// Ideas in triage are not in the portfolio's list yet.
			res = ucDo(t, editor, "GET", "/usecases", nil, 200, "3 ideas wait in the triage queue")
			ucLacks(t, res, "Summarise calls")
			res = ucDo(t, contributor, "GET", "/usecases/triage", nil, 200, "Summarise calls", "Call summaries", "Agents retype call notes")
			ucLacks(t, res, `action="/usecases/`+idea+`/triage"`)
			ucUniqueIDs(t, ucDo(t, editor, "GET", "/usecases/triage", nil, 200, `action="/usecases/`+idea+`/triage"`, `name="decision"`, "Merge into", "Claims triage"))

			// A rejection without a reason keeps the choice and says why.
			ucDo(t, editor, "POST", "/usecases/"+bad+"/triage", url.Values{"decision": {"reject"}}, 422, "Reason is required to reject",
				`id="f-t-`+bad+`-decision-reject" name="decision" value="reject" checked`, `aria-describedby="h-t-`+bad+`-reason e-t-`+bad+`-reason"`)
			ucDo(t, editor, "POST", "/usecases/"+bad+"/triage", url.Values{"decision": {"reject"}, "reason": {"Out of scope for this year."}}, 303, "/usecases/triage")
			ucDo(t, editor, "POST", "/usecases/"+idea+"/triage", url.Values{"decision": {"accept"}}, 303, "/usecases/triage")
			ucDo(t, editor, "POST", "/usecases/"+dup+"/triage", url.Values{"decision": {"merge"}, "merge_into": {idea}}, 303)
			ucDo(t, editor, "GET", "/usecases/triage", nil, 200, "Merged:", "queue is empty")
			ucDo(t, editor, "POST", "/usecases/"+idea+"/triage", url.Values{"decision": {"accept"}}, 422, "can only be taken on an idea waiting")
			ucDo(t, editor, "GET", "/usecases", nil, 200, "Summarise calls")
			ucDo(t, editor, "GET", "/usecases/"+dup, nil, 200, "Merged into", `href="/usecases/`+idea+`"`)
			ucDo(t, editor, "GET", "/usecases/"+bad, nil, 200, "Rejected at triage: Out of scope for this year.")
			// The merged idea's AI system went to the use case it duplicated.
			if u, err := s.App.FindUseCase(org.Sys, idea); err != nil || !slices.Contains(u.SystemIDs, sys.ID) {
				t.Errorf("merge did not carry the link: %v %v", u, err)
			}
		})

		t.Run("editor's use case joins the portfolio at once", func(t *testing.T) {
			ucDo(t, editor, "GET", "/usecases/new", nil, 200, "Add use case")
			id := ucCreated(t, ucDo(t, editor, "POST", "/usecases", url.Values{"title": {"Route emails"}, "approach": {"generative"}, "sourcing": {"buy"}}, 303))
			ucDo(t, editor, "GET", "/usecases/"+id, nil, 200, "added to the portfolio at the Idea stage", "Generative: write, summarise or create", "Buy a product")
		})

		t.Run("ratings", func(t *testing.T) {
			ucDo(t, editor, "GET", "/usecases/"+plain.ID+"/score", nil, 200, "Not rated yet", "1: Touches no stated objective",
				"5: Stands alone or plugs in as it is", `name="impact"`, "Massive (3)", "High (100%)", `name="job_size"`)
			form := url.Values{"objective_fit": {"7"}, "strategic_fit": {"4"}, "reach": {"lots"}, "confidence": {"80"}, "version": {"1"}}
			ucDo(t, editor, "POST", "/usecases/"+plain.ID+"/score", form, 422, "Reach must be a number", `value="4" checked`, `value="80" selected`)
			form.Set("reach", "1200")
			ucDo(t, editor, "POST", "/usecases/"+plain.ID+"/score", form, 422, "Objective fit must be 1-5", `value="1200"`)
			rated := url.Values{"version": {"1"}, "reach": {"1200"}, "impact": {"1"}, "confidence": {"80"}, "effort": {"4"},
				"business_value": {"5"}, "time_criticality": {"3"}, "risk_reduction": {"2"}, "job_size": {"3"}}
			for _, k := range []string{"objective_fit", "strategic_fit", "people_affected", "urgency", "data_readiness", "complexity", "skills", "integration"} {
				rated.Set(k, "2")
			}
			ucDo(t, editor, "POST", "/usecases/"+plain.ID+"/score", rated, 303, "/usecases/"+plain.ID+"#score")
			ucDo(t, editor, "GET", "/usecases/"+plain.ID, nil, 200, "Ratings saved. Priority", "Deprioritise", "How the priority is made up",
				"Objective fit counts as 1", "RICE", "240", "WSJF", "3.33", "Complexity", "counts as 6 - 2 = 4")
			ucDo(t, editor, "POST", "/usecases/"+plain.ID+"/score", rated, 409, "Someone else changed this use case")
		})

		t.Run("business case", func(t *testing.T) {
			ucDo(t, editor, "GET", "/usecases/"+plain.ID+"/business-case", nil, 200, `name="benefits[4].high"`, `name="one_off[0].label"`,
				`value="8"`, "Adoption ramp (%)", "Save and simulate")
			// Low above high on the second benefit: the problem sits on that
			// field, the summary links to it, and every typed value stays,
			// including a line beyond the fifth.
			form := ucValid()
			form.Set("benefits[1].label", "Fewer errors")
			form.Set("benefits[1].low", "50000")
			form.Set("benefits[1].likely", "30000")
			form.Set("benefits[1].high", "20000")
			form.Set("benefits[6].label", "Extra line")
			form.Set("benefits[6].low", "1")
			form.Set("benefits[6].likely", "2")
			form.Set("benefits[6].high", "3")
			res := ucDo(t, editor, "POST", "/usecases/"+plain.ID+"/business-case", form, 422,
				`<p class="error" id="e-benefits-1-low"><span class="visually-hidden">Error: </span>Low must not be above high (50,000 > 20,000)</p>`,
				`id="f-benefits-1-low" name="benefits[1].low" type="text" value="50000"`, `aria-describedby="e-benefits-1-low" aria-invalid="true"`,
				`href="#f-benefits-1-low"`, "Benefit 2, low", `value="Fewer errors"`, `name="benefits[6].label" type="text" value="Extra line"`,
				`value="40, 80, 100"`, `value="100,000"`, `value="pert" checked`)
			if n := strings.Count(page(res), `<p class="error"`); n != 1 {
				t.Errorf("%d field errors shown, want 1", n)
			}
			// Percentages are read as percentages.
			form = ucValid()
			form.Set("discount_rate", "80")
			form.Set("adoption", "40, 180")
			form.Set("running[2].label", "Licences")
			ucDo(t, editor, "POST", "/usecases/"+plain.ID+"/business-case", form, 422, "Discount rate (%) must be between 0 and 50 per cent",
				"Adoption ramp (%) share 2 must be between 0 and 100 per cent", "Likely is required: write 0 for nothing", `value="Licences"`)
			ucDo(t, editor, "POST", "/usecases/"+plain.ID+"/business-case", url.Values{"action": {"rows"}, "currency": {"USD"}}, 200, `name="benefits[9].high"`, `value="USD"`)
			if _, err := s.App.FindBusinessCase(org.Sys, plain.ID); caio.ErrorCode(err) != caio.ENOTFOUND {
				t.Errorf("a failed form saved a business case: %v", err)
			}
			ucDo(t, editor, "GET", "/usecases/"+plain.ID, nil, 200, "No business case yet", "Write the business case")
			ucDo(t, editor, "POST", "/usecases/"+plain.ID+"/business-case", ucValid(), 303, "/usecases/"+plain.ID+"#business-case")
			res = ucDo(t, editor, "GET", "/usecases/"+plain.ID, nil, 200, "Business case saved: median NPV EUR", "At the most likely amounts",
				"Percentiles over 2,000 trials", "<th scope=\"row\">NPV</th>", "P10", "P50", "P90", "Chance of a loss", "Mean NPV", "<code>42</code>",
				"PERT", `<svg class="chart bars histogram" role="img"`, "Distribution of the net present value", "The histogram as a table")
			if n := strings.Count(page(res), `class="seg s-`); n < 5 {
				t.Errorf("the histogram has %d bars", n)
			}
			ucDo(t, editor, "GET", "/usecases/"+plain.ID+"/business-case", nil, 200, `value="Hours saved"`, `value="42"`, `value="40, 80, 100"`, `name="version" value="1"`)
			ucDo(t, editor, "GET", "/usecases", nil, 200, "EUR ") // the P50 NPV column
		})

		t.Run("a gate with unmet criteria changes nothing", func(t *testing.T) {
			before := s.Count(t, org)
			res := ucDo(t, editor, "POST", "/usecases/"+bare.ID+"/stage", url.Values{"to": {"assessment"}}, 422,
				"Nothing changed. 4 things stand in the way of the move to Assessment",
				"No accountable owner is named.", "No business sponsor is named.", "The problem the use case solves is not described.", "No business objective is linked.",
				`href="#crit-stage-assessment-owner_named"`, `id="crit-stage-assessment-owner_named"`, `id="form-error"`)
			if n := strings.Count(page(res), "Not met"); n < 4 {
				t.Errorf("%d criteria marked not met, want at least 4", n)
			}
			if after := s.Count(t, org); after != before {
				t.Errorf("a refused move changed counts from %+v to %+v", before, after)
			}
			if u, _ := s.App.FindUseCase(org.Sys, bare.ID); u.Stage != "idea" {
				t.Errorf("stage %s, want idea", u.Stage)
			}
			// A move the lifecycle does not have is refused with its reason.
			ucDo(t, editor, "POST", "/usecases/"+bare.ID+"/stage", url.Values{"to": {"production"}}, 422, "cannot move to Production")
			// Putting on hold needs a reason, kept beside its field.
			ucDo(t, editor, "POST", "/usecases/"+bare.ID+"/stage", url.Values{"to": {"on_hold"}}, 422, "Reason is required for a move to On hold",
				`id="e-stage-on_hold-reason"`, "<details class=\"q-fold\" open>")
		})

		t.Run("a gate that needs approval opens one", func(t *testing.T) {
			ucDo(t, editor, "GET", "/usecases/"+quick.ID, nil, 200, "Move to Assessment", "An accountable owner is named", "Met", "Stage path", `aria-current`)
			ucDo(t, editor, "POST", "/usecases/"+quick.ID+"/stage", url.Values{"to": {"assessment"}}, 303, "#stage")
			ucDo(t, editor, "GET", "/usecases/"+quick.ID, nil, 200, "Moved to Assessment.", "Request approval to move to Approved",
				"Value and feasibility are rated</strong>.", "A business case is recorded</strong>.")
			ucDo(t, editor, "POST", "/usecases/"+quick.ID+"/stage", url.Values{"to": {"approved"}, "reason": {"Costed and rated."}}, 303)
			res := ucDo(t, editor, "GET", "/usecases/"+quick.ID, nil, 200, "Approval requested: Move from Assessment to Approved. It needs 1 approval",
				"Waiting for approval:", "0 of 1 approval given", `href="/approvals/apr_`, "Costed and rated.")
			_ = res
			pending := "pending"
			aps, _, err := s.App.FindApprovals(org.Sys, caio.ApprovalFilter{SubjectID: &quick.ID, Status: &pending})
			if err != nil || len(aps) != 1 {
				t.Fatalf("approvals %v %v, want one pending", aps, err)
			}
			if u, _ := s.App.FindUseCase(org.Sys, quick.ID); u.Stage != "assessment" {
				t.Errorf("stage %s before the decision, want assessment", u.Stage)
			}
			ucDo(t, editor, "POST", "/usecases/"+quick.ID+"/stage", url.Values{"to": {"approved"}}, 409, "already waiting for approval")
			// The history shows both stages with their days.
			ucDo(t, owner, "GET", "/usecases/"+quick.ID, nil, 200, "Stages of this use case, oldest first", "Days in stage", "Proposed", "use_case.stage")
		})

		t.Run("KPIs and benefits", func(t *testing.T) {
			ucDo(t, editor, "POST", "/usecases/"+quick.ID+"/kpis", url.Values{"unit": {"days"}, "baseline": {"nine"}}, 422,
				"Name is required", "Baseline must be a number", `id="f-kpi-unit" name="unit" type="text" value="days"`)
			ucDo(t, editor, "POST", "/usecases/"+quick.ID+"/kpis", url.Values{"name": {"Days to settle"}, "unit": {"days"}, "direction": {"decrease"},
				"baseline": {"9"}, "target": {"2"}}, 303, "#value")
			v, err := s.App.FindValue(org.Sys, quick.ID)
			if err != nil || len(v.KPIs) != 1 {
				t.Fatalf("KPIs %v %v", v, err)
			}
			kpi := v.KPIs[0].ID
			ucDo(t, editor, "GET", "/usecases/"+quick.ID, nil, 200, "KPI added.", "Days to settle", "Lower is better", "No actual value recorded yet", `action="/kpis/`+kpi+`/actuals"`)
			actual := url.Values{"use_case": {quick.ID}, "on": {"2027-01-31"}, "value": {"abc"}}
			ucDo(t, contributor, "POST", "/kpis/"+kpi+"/actuals", actual, 422, "Value must be a number", `id="f-act-`+kpi+`-on" name="on" type="date" value="2027-01-31"`)
			actual.Set("value", "7")
			ucDo(t, contributor, "POST", "/kpis/"+kpi+"/actuals", actual, 303, "#kpi-"+kpi)
			actual.Set("on", "2027-03-31")
			actual.Set("value", "5.5")
			ucDo(t, contributor, "POST", "/kpis/"+kpi+"/actuals", actual, 303)
			ucDo(t, editor, "GET", "/usecases/"+quick.ID, nil, 200, `<svg class="chart bars kpi" role="img"`, "2 actual values of Days to settle from 2027-01-31 to 2027-03-31",
				"Baseline 9 days", "Target 2 days", "<td class=\"num\">5.5</td>")

			ucDo(t, contributor, "POST", "/usecases/"+quick.ID+"/benefits", url.Values{"year": {"9"}, "amount": {"1000"}}, 422, "must be a year of the business case, 1 to 5")
			ucDo(t, contributor, "POST", "/usecases/"+quick.ID+"/benefits", url.Values{"year": {"1"}, "amount": {"2,000"}, "note": {"Slow start"}}, 303, "#value")
			ucDo(t, contributor, "GET", "/usecases/"+quick.ID, nil, 200, "Benefit for year 1 recorded.", `<svg class="chart bars benefits" role="img"`,
				"fell below the P10 of the business case in year 1", "Below P10", "Slow start", "EUR 2,000")
			ucDo(t, contributor, "POST", "/usecases/"+bare.ID+"/benefits", url.Values{"year": {"1"}, "amount": {"5"}}, 422, "needs a business case first")

			// An editor changes the KPI's definition (a bad baseline keeps the
			// form open with what was typed) and deletes one measured value.
			change := url.Values{"use_case": {quick.ID}, "name": {"Days to settle a claim"}, "unit": {"days"}, "direction": {"decrease"}, "baseline": {"nine"}, "target": {"2"}}
			ucDo(t, editor, "POST", "/kpis/"+kpi, change, 422, "Baseline must be a number", `<details open>`, `value="Days to settle a claim"`)
			change.Set("baseline", "8")
			ucDo(t, editor, "POST", "/kpis/"+kpi, change, 303, "#kpi-"+kpi)
			v, _ = s.App.FindValue(org.Sys, quick.ID)
			if k := v.KPIs[0]; k.Name != "Days to settle a claim" || *k.Baseline != 8 || len(k.Actuals) != 2 {
				t.Fatalf("KPI after the change: %+v", k)
			}
			ucDo(t, contributor, "POST", "/kpis/"+kpi+"/actuals/"+v.KPIs[0].Actuals[0].ID+"/delete", url.Values{"use_case": {quick.ID}}, 403)
			ucDo(t, editor, "POST", "/kpis/"+kpi+"/actuals/"+v.KPIs[0].Actuals[0].ID+"/delete", url.Values{"use_case": {quick.ID}}, 303, "#kpi-"+kpi)
			if v, _ = s.App.FindValue(org.Sys, quick.ID); len(v.KPIs[0].Actuals) != 1 || v.KPIs[0].Actuals[0].Value != 5.5 {
				t.Fatalf("actuals after deleting the first: %+v", v.KPIs[0].Actuals)
			}

			ucUniqueIDs(t, ucDo(t, editor, "GET", "/usecases/"+quick.ID, nil, 200))
			ucDo(t, editor, "POST", "/kpis/"+kpi+"/delete", url.Values{"use_case": {quick.ID}}, 303, "/usecases/"+quick.ID+"#value")
			ucDo(t, editor, "GET", "/usecases/"+quick.ID, nil, 200, "KPI deleted", "No KPI is defined yet")
		})

		t.Run("roadmap placement", func(t *testing.T) {
			ucDo(t, editor, "POST", "/usecases/"+plain.ID+"/plan", url.Values{"start": {"2027Q2"}, "end": {"2027Q1"}, "people": {"2"}, "version": {"0"}}, 422,
				"End quarter must not be before the start (2027Q2)", `value="2027Q2"`)
			ucDo(t, editor, "POST", "/usecases/"+plain.ID+"/plan", url.Values{"start": {"2027q1"}, "end": {"2027Q3"}, "people": {"2.5"}, "budget": {"40,000"},
				"depends_on": {quick.ID}}, 303, "#roadmap")
			ucDo(t, editor, "GET", "/usecases/"+plain.ID, nil, 200, "Roadmap placement saved.", "Planned from <strong>2027Q1</strong> to <strong>2027Q3</strong>",
				"Depends on: <a href=\"/usecases/"+quick.ID+"\">Claims triage</a>")
			ucDo(t, editor, "POST", "/usecases/"+quick.ID+"/plan", url.Values{"depends_on": {plain.ID}}, 422, "would make a cycle", `value="`+plain.ID+`" selected`)
		})

		t.Run("edit and delete", func(t *testing.T) {
			ucDo(t, editor, "GET", "/usecases/"+bare.ID+"/edit", nil, 200, `value="Bare idea"`, `name="version" value="1"`, "Save use case")
			ucDo(t, editor, "POST", "/usecases/"+bare.ID, url.Values{"title": {"Bare idea, described"}, "owner": {"Ops lead"}, "version": {"1"}}, 303, "/usecases/"+bare.ID)
			ucDo(t, editor, "POST", "/usecases/"+bare.ID, url.Values{"title": {"Lost update"}, "version": {"1"}}, 409, "Someone else changed this use case", `value="Lost update"`)
			ucDo(t, editor, "POST", "/usecases/"+bare.ID+"/delete", nil, 303, "/usecases")
			ucDo(t, editor, "GET", "/usecases/"+bare.ID, nil, 404, "Use case not found")
			ucDo(t, editor, "GET", "/usecases/nope", nil, 404)
		})

		recordViews(s)
		used := s.Handler.Web.UsedViews()
		for _, v := range useCaseViews {
			if !used[v] {
				t.Errorf("view %s never rendered", v)
			}
		}
	})
}

// TestUseCasePagesByRole checks that the use-case pages offer only what a
// role may do, that forms posted anyway are refused with 403 and change
// nothing, and that another organisation's use case is not found.
func TestUseCasePagesByRole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		obj := s.NewObjective(t, org, "Settle claims faster")
		u := s.NewUseCase(t, org, "Claims triage", []string{obj.ID}, nil)
		s.NewBusinessCase(t, org, u.ID)
		kpi, err := s.App.CreateKPI(org.Sys, u.ID, caio.KPIInput{Name: "Days to settle"})
		if err != nil {
			t.Fatal(err)
		}
		foreign := s.NewUseCase(t, other, "Globex secret plan", nil, nil)

		shows := []struct {
			path, marker string
			perm         caio.Permission
		}{
			{"/usecases", `href="/usecases/new"`, caio.PermContribute},
			{"/usecases/" + u.ID, `href="/usecases/` + u.ID + `/edit"`, caio.PermEdit},
			{"/usecases/" + u.ID, `href="/usecases/` + u.ID + `/score"`, caio.PermEdit},
			{"/usecases/" + u.ID, `href="/usecases/` + u.ID + `/business-case"`, caio.PermEdit},
			{"/usecases/" + u.ID, `action="/usecases/` + u.ID + `/stage"`, caio.PermEdit},
			{"/usecases/" + u.ID, `action="/usecases/` + u.ID + `/kpis"`, caio.PermEdit},
			{"/usecases/" + u.ID, `action="/usecases/` + u.ID + `/plan"`, caio.PermEdit},
			{"/usecases/" + u.ID, "Delete use case", caio.PermEdit},
			{"/usecases/" + u.ID, `action="/kpis/` + kpi.ID + `/actuals"`, caio.PermContribute},
			{"/usecases/" + u.ID, `action="/usecases/` + u.ID + `/benefits"`, caio.PermContribute},
			{"/usecases/" + u.ID, "use_case.create", caio.PermReadAudit},
		}
		posts := []struct {
			path string
			form url.Values
			perm caio.Permission
		}{
			{"/usecases", url.Values{"title": {"Made anyway"}}, caio.PermContribute},
			{"/usecases/" + u.ID, url.Values{"title": {"Changed anyway"}}, caio.PermEdit},
			{"/usecases/" + u.ID + "/stage", url.Values{"to": {"assessment"}}, caio.PermEdit},
			{"/usecases/" + u.ID + "/score", url.Values{"urgency": {"5"}}, caio.PermEdit},
			{"/usecases/" + u.ID + "/business-case", ucValid(), caio.PermEdit},
			{"/usecases/" + u.ID + "/kpis", url.Values{"name": {"More"}}, caio.PermEdit},
			{"/usecases/" + u.ID + "/plan", url.Values{"start": {"2027Q1"}, "end": {"2027Q2"}}, caio.PermEdit},
			{"/kpis/" + kpi.ID + "/actuals", url.Values{"use_case": {u.ID}, "on": {"2027-01-01"}, "value": {"3"}}, caio.PermContribute},
			{"/usecases/" + u.ID + "/benefits", url.Values{"year": {"1"}, "amount": {"3"}}, caio.PermContribute},
			{"/kpis/" + kpi.ID, url.Values{"use_case": {u.ID}, "name": {"Renamed anyway"}}, caio.PermEdit},
			{"/kpis/" + kpi.ID + "/delete", url.Values{"use_case": {u.ID}}, caio.PermEdit},
			{"/usecases/" + u.ID + "/delete", nil, caio.PermEdit},
		}
		for _, r := range []caio.Role{caio.RoleViewer, caio.RoleApprover, caio.RoleContributor} {
			t.Run(string(r), func(t *testing.T) {
				b := s.Login(t, org.Members[r].Email, servertest.Password)
				for _, sh := range shows {
					res := b.Get(t, sh.path).Want(t, http.StatusOK)
					if got, want := strings.Contains(string(res.Body), sh.marker), caio.Can(r, sh.perm); got != want {
						t.Errorf("GET %s as %s: shows %q = %v, want %v", sh.path, r, sh.marker, got, want)
					}
				}
				for _, p := range posts {
					if caio.Can(r, p.perm) {
						continue
					}
					before := s.Count(t, org)
					res := b.PostForm(t, p.path, p.form).Want(t, http.StatusForbidden)
					if !strings.Contains(string(res.Body), "does not allow") {
						t.Errorf("POST %s as %s: the refusal does not say why: %s", p.path, r, res)
					}
					if after := s.Count(t, org); after != before {
						t.Errorf("POST %s as %s refused, yet counts changed from %+v to %+v", p.path, r, before, after)
					}
				}
			})
		}

		// Another organisation's use case is not found, whatever is asked of it.
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		for _, path := range []string{"/usecases/" + foreign.ID, "/usecases/" + foreign.ID + "/edit", "/usecases/" + foreign.ID + "/score", "/usecases/" + foreign.ID + "/business-case"} {
			res := b.Get(t, path).Want(t, http.StatusNotFound)
			if strings.Contains(string(res.Body), "Globex secret") {
				t.Errorf("GET %s shows the other organisation's use case", path)
			}
		}
		before := s.Count(t, org)
		for _, p := range []string{"/usecases/" + foreign.ID, "/usecases/" + foreign.ID + "/stage", "/usecases/" + foreign.ID + "/score",
			"/usecases/" + foreign.ID + "/business-case", "/usecases/" + foreign.ID + "/kpis", "/usecases/" + foreign.ID + "/delete",
			"/usecases/" + foreign.ID + "/triage", "/usecases/" + foreign.ID + "/plan"} {
			b.PostForm(t, p, url.Values{"title": {"x"}, "to": {"assessment"}, "name": {"x"}, "decision": {"accept"}}).Want(t, http.StatusNotFound)
		}
		if after := s.Count(t, org); after != before {
			t.Errorf("posts to another organisation's use case changed counts from %+v to %+v", before, after)
		}
		res := b.Get(t, "/usecases").Want(t, http.StatusOK)
		if strings.Contains(string(res.Body), "Globex secret") {
			t.Errorf("the list shows another organisation's use case")
		}
		recordViews(s)
	})
}

// TestUseCaseMatrixCap shows that the matrix draws the best ranked use cases
// only and says so, while the list pages through all of them.
func TestUseCaseMatrixCap(t *testing.T) {
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	s := servertest.New(t, db)
	org := s.NewOrg(t, "acme")
	if err := db.GenerateUseCases(org.Sys, org.ID, 320, nil, nil); err != nil {
		t.Fatal(err)
	}
	editor := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
	res := ucDo(t, editor, "GET", "/usecases", nil, 200, "The grid shows the 300 best ranked of 320 rated use cases", "Showing 1–50 of 320")
	// Each bubble is drawn with two circles (its fill and its outline).
	if n := strings.Count(string(res.Body), `<circle`); n != 600 {
		t.Errorf("the matrix draws %d circles, want 600 for 300 bubbles", n)
	}
	recordViews(s)
}
