package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func TestPortfolioRollupPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		stWant(t, viewer.Get(t, "/portfolio").Want(t, 200), "No accepted use cases yet")

		claims := s.NewObjective(t, org, "Settle claims faster")
		a := s.NewUseCase(t, org, "Claims triage", []string{claims.ID}, nil)
		b := s.NewUseCase(t, org, "Letter drafting", nil, nil)
		s.NewUseCase(t, org, "No case yet", nil, nil)
		s.NewBusinessCase(t, org, a.ID)
		s.NewBusinessCase(t, org, b.ID)
		// Triage passes the first gate, which needs no approval.
		if _, err := s.App.RequestStage(org.Sys, a.ID, "assessment", ""); err != nil {
			t.Fatal(err)
		}

		var cost, benefit, npv, adjusted float64
		success := map[string]float64{"assessment": 0.15, "idea": 0.10}
		for id, stage := range map[string]string{a.ID: "assessment", b.ID: "idea"} {
			bc, err := s.App.FindBusinessCase(org.Sys, id)
			if err != nil {
				t.Fatal(err)
			}
			d := bc.Result.Deterministic
			cost, benefit, npv = cost+d.TotalCost, benefit+d.TotalBenefit, npv+bc.Result.MeanNPV
			adjusted += bc.Result.MeanNPV * success[stage]
		}
		res := viewer.Get(t, "/portfolio").Want(t, 200)
		stWant(t, res,
			`<dt>Use cases</dt><dd class="figure">3</dd>`, `<dt>With a business case</dt><dd class="figure">2</dd>`,
			`id="total-cost">EUR `+stAmount(cost)+`<`, `id="total-benefit">EUR `+stAmount(benefit)+`<`,
			`id="total-npv">EUR `+stAmount(npv)+`<`, `id="total-risk-adjusted">EUR `+stAmount(adjusted)+`<`,
			"1 of 3 use cases have no business case yet",
			`<svg class="chart bars npv" role="img"`, "<desc id=\"chart-stages-d\">", `href="/usecases?stage=assessment"`,
			`<a href="/objectives/`+claims.ID+`">Settle claims faster</a>`, "How risk adjustment works", "Proof of concept", "16 %",
			`href="/portfolio/settings"`)
		recordViews(s)
	})
}

func TestPortfolioSettingsPage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		admin := s.Login(t, org.Members[caio.RoleAdmin].Email, servertest.Password)
		editor := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)

		// The defaults, with each group's sum; only owners and admins may save.
		stWant(t, admin.Get(t, "/portfolio/settings").Want(t, 200), `name="weights.objective_fit" type="text" value="40"`, "Sum: 100 of 100",
			`name="quorum" type="text" value="1"`, `name="success.pilot" type="text" value="40"`, `value="weighted" selected`, "Save settings")
		res := editor.Get(t, "/portfolio/settings").Want(t, 200)
		stWant(t, res, "Only the organisation's owners and admins", "<fieldset disabled>")
		if strings.Contains(page(res), "Save settings") {
			t.Errorf("an editor is offered to save the settings")
		}

		form := url.Values{"version": {"0"},
			"weights.objective_fit": {"40"}, "weights.strategic_fit": {"25"}, "weights.people_affected": {"15"}, "weights.urgency": {"15"},
			"weights.data_readiness": {"35"}, "weights.complexity": {"25"}, "weights.skills": {"20"}, "weights.integration": {"20"},
			"weights.value": {"50"}, "weights.feasibility": {"30"}, "weights.risk": {"20"}, "weights.method": {"wsjf"},
			"quorum": {"2"}, "self_approval": {"1"}, "currency": {"usd"},
			"success.idea": {"10"}, "success.assessment": {"15"}, "success.approved": {"20"}, "success.poc": {"16"},
			"success.pilot": {"55%"}, "success.production": {"100"}, "success.on_hold": {"5"},
		}
		// Value adds up to 95: the group is named, and what was typed stays.
		res = admin.PostForm(t, "/portfolio/settings", form).Want(t, http.StatusUnprocessableEntity)
		stWant(t, res, "Value weights must add up to 100 (now 95)", `href="#f-weights.value_weights"`, "Sum: 95 of 100", "Must add up to 100",
			`name="weights.urgency" type="text" value="15"`, `name="success.pilot" type="text" value="55%"`, `value="wsjf" selected`, `name="self_approval" value="1" checked`)
		// Unreadable numbers are named too, without a misleading sum.
		form.Set("weights.urgency", "twenty")
		form.Set("success.poc", "150")
		res = admin.PostForm(t, "/portfolio/settings", form).Want(t, http.StatusUnprocessableEntity)
		stWant(t, res, "Urgency must be a whole number from 0 to 100", "Proof of concept must be a percentage from 0 to 100",
			"cannot be added up")
		if strings.Contains(page(res), "(now 80)") {
			t.Errorf("a group with an unreadable weight is summed")
		}

		form.Set("weights.urgency", "20")
		form.Set("success.poc", "16")
		admin.PostForm(t, "/portfolio/settings", form).Want(t, http.StatusSeeOther)
		got, err := s.App.FindPortfolioSettings(org.Sys)
		if err != nil || got.Weights.Method != "wsjf" || got.Quorum != 2 || !got.SelfApproval || got.Currency != "USD" || got.Success["pilot"] != 0.55 || got.Weights.Urgency != 20 {
			t.Fatalf("settings after saving: %+v, %v", got, err)
		}
		stWant(t, admin.Get(t, "/portfolio/settings").Want(t, 200), "Portfolio settings saved.", `name="success.pilot" type="text" value="55"`, `name="version" value="1"`)

		// A stale version and an editor's post are both refused.
		form.Set("version", "7")
		stWant(t, admin.PostForm(t, "/portfolio/settings", form).Want(t, http.StatusConflict), "Someone else changed", `value="wsjf" selected`)
		editor.PostForm(t, "/portfolio/settings", form).Want(t, http.StatusForbidden)
		recordViews(s)
	})
}

// TestPortfolioOtherCurrency: after the portfolio's currency changes, the
// roll-up page says which business cases it leaves out and why.
func TestPortfolioOtherCurrency(t *testing.T) {
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	s := servertest.New(t, db)
	org := s.NewOrg(t, "acme")
	u := s.NewUseCase(t, org, "Claims triage", nil, nil)
	s.NewBusinessCase(t, org, u.ID)
	set := app.DefaultPortfolioSettings()
	set.Currency = "USD"
	if _, err := s.App.UpdatePortfolioSettings(org.Sys, 0, set); err != nil {
		t.Fatal(err)
	}
	b := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
	res := b.Get(t, "/portfolio").Want(t, 200)
	if !strings.Contains(string(res.Body), "1 business case is in another currency than USD") {
		t.Errorf("the roll-up does not say it left a EUR case out:\n%s", res)
	}
	recordViews(s)
}
