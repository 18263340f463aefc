package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/portfolio"
)

// Portfolio pages: the roll-up of the business cases, and the settings
// that score, approve and risk-adjust the portfolio.

// chanceRow is one stage's chance of reaching production.
type chanceRow struct {
	Stage, Label string
	Chance       float64
}

// successRows lists the chances used for the risk adjustment, in lifecycle
// order, leaving out the stages the roll-up leaves out.
func successRows(success map[string]float64) []chanceRow {
	var keys []string
	for k := range success {
		if rolledUp(k) {
			keys = append(keys, k)
		}
	}
	var out []chanceRow
	for _, k := range sortedStages(keys) {
		out = append(out, chanceRow{Stage: k, Label: portfolio.StageLabel(k), Chance: success[k]})
	}
	return out
}

// rolledUp reports whether the roll-up counts use cases in a stage:
// rejected and retired ones no longer carry value or cost.
func rolledUp(stage string) bool {
	return portfolio.ValidStage(stage) && stage != portfolio.StageRejected && stage != portfolio.StageRetired
}

func (w *Web) portfolioShow(rw http.ResponseWriter, r *http.Request) {
	ru, err := w.app.PortfolioRollup(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var bars []npvRow
	for _, s := range ru.ByStage {
		bars = append(bars, npvRow{Label: s.Label, Href: "/usecases?stage=" + url.QueryEscape(s.Key), Expected: s.ExpectedNPV, Adjust: s.RiskAdjusted,
			ExpectedText: rollupMoney(s.ExpectedNPV, ru.Currency), AdjustText: rollupMoney(s.RiskAdjusted, ru.Currency)})
	}
	data := map[string]any{"Rollup": ru, "Success": successRows(ru.Success)}
	if ru.Total.Count > 0 {
		data["Chart"] = npvBars("chart-stages", "Expected and risk-adjusted NPV by stage, in "+ru.Currency, bars)
	}
	w.render(rw, r, http.StatusOK, "portfolio", &page{Title: "Portfolio roll-up", Nav: "portfolio", Data: data})
}

// weightField is one scoring weight of the settings form.
type weightField struct {
	Key, Label, Hint string
}

// weightGroup is a group of weights that must add up to 100.
type weightGroup struct {
	Key, Legend, Hint string
	Fields            []weightField
	// Sum is the group's total as the form shows it; Readable is false when
	// a weight in it is not a whole number.
	Sum      int
	Readable bool
}

// weightGroups are the settings form's weights, with the names of the
// engine's groups (portfolio.Weights.Normalize).
var weightGroups = []weightGroup{
	{Key: "value_weights", Legend: "Value", Hint: "What makes a use case worth doing.", Fields: []weightField{
		{"objective_fit", "Fit with business objectives", ""}, {"strategic_fit", "Fit with the strategy", ""},
		{"people_affected", "People affected", ""}, {"urgency", "Urgency", ""}}},
	{Key: "feasibility_weights", Legend: "Feasibility", Hint: "What makes a use case doable.", Fields: []weightField{
		{"data_readiness", "Data readiness", ""}, {"complexity", "Complexity", "Rated 5 for the most complex; it lowers feasibility."},
		{"skills", "Skills available", ""}, {"integration", "Integration", ""}}},
	{Key: "priority_weights", Legend: "Priority", Hint: "How value, feasibility and risk combine into the priority; risk counts against it.", Fields: []weightField{
		{"value", "Value", ""}, {"feasibility", "Feasibility", ""}, {"risk", "Risk", ""}}},
}

// weightPtrs maps each weight's key to its place in a ScoreWeights.
func weightPtrs(w *caio.ScoreWeights) map[string]*int {
	return map[string]*int{
		"objective_fit": &w.ObjectiveFit, "strategic_fit": &w.StrategicFit, "people_affected": &w.PeopleAffected, "urgency": &w.Urgency,
		"data_readiness": &w.DataReadiness, "complexity": &w.Complexity, "skills": &w.Skills, "integration": &w.Integration,
		"value": &w.Value, "feasibility": &w.Feasibility, "risk": &w.Risk,
	}
}

// settingsValues fills the settings form from the stored settings.
func settingsValues(s caio.PortfolioSettings) map[string]string {
	v := map[string]string{"weights.method": s.Weights.Method, "quorum": strconv.Itoa(s.Quorum), "currency": s.Currency,
		"version": strconv.Itoa(s.Version)}
	for k, p := range weightPtrs(&s.Weights) {
		v["weights."+k] = strconv.Itoa(*p)
	}
	if s.SelfApproval {
		v["self_approval"] = "1"
	}
	for k, p := range s.Success {
		v["success."+k] = percentValue(p)
	}
	return v
}

// settingsInput reads the settings form over the stored settings (which
// keep the chances of the stages the form does not show). Unreadable
// numbers are recorded on f.
func settingsInput(f *form, stored caio.PortfolioSettings) caio.PortfolioSettings {
	s := caio.PortfolioSettings{Weights: caio.ScoreWeights{Method: f.Get("weights.method")}, Currency: f.Get("currency"),
		SelfApproval: f.Get("self_approval") != "", Success: map[string]float64{}}
	for k, p := range weightPtrs(&s.Weights) {
		name := "weights." + k
		n, err := strconv.Atoi(strings.TrimSpace(f.Get(name)))
		if err != nil {
			f.Errors[name] = "must be a whole number from 0 to 100"
		}
		*p = n
	}
	q, err := strconv.Atoi(strings.TrimSpace(f.Get("quorum")))
	if err != nil {
		f.Errors["quorum"] = "must be a whole number of approvers, from 1 to 20"
	}
	s.Quorum = q
	for k, p := range stored.Success {
		s.Success[k] = p
		if !rolledUp(k) {
			continue
		}
		name := "success." + k
		text := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(f.Get(name)), "%"))
		pct, err := strconv.ParseFloat(text, 64)
		if err != nil || !(pct >= 0 && pct <= 100) {
			f.Errors[name] = "must be a percentage from 0 to 100"
			continue
		}
		s.Success[k] = pct / 100
	}
	return s
}

// settingsForm is what the settings form needs besides the form: the
// groups with their sums as typed, the methods and the stages.
func settingsForm(f *form, success map[string]float64) map[string]any {
	groups := make([]weightGroup, len(weightGroups))
	pairs := []string{}
	for i, g := range weightGroups {
		g.Sum, g.Readable = 0, true
		for _, fl := range g.Fields {
			n, err := strconv.Atoi(strings.TrimSpace(f.Get("weights." + fl.Key)))
			if err != nil {
				g.Readable = false
			}
			g.Sum += n
			pairs = append(pairs, "weights."+fl.Key, g.Legend+" weight: "+fl.Label)
		}
		pairs = append(pairs, "weights."+g.Key, g.Legend+" weights")
		groups[i] = g
	}
	var methods []option
	for _, m := range portfolio.Methods {
		methods = append(methods, option{Value: m, Label: portfolio.MethodLabel(m), Selected: f.Get("weights.method") == m})
	}
	stages := successRows(success)
	pairs = append(pairs, "weights.method", "Ranking method", "quorum", "Approvers needed", "self_approval", "Self-approval", "currency", "Currency")
	for _, s := range stages {
		pairs = append(pairs, "success."+s.Stage, "Chance of success, "+s.Label)
	}
	return map[string]any{"Groups": groups, "Methods": methods, "Stages": stages, "Problems": problemsOf(f, pairs...)}
}

func (w *Web) portfolioSettings(rw http.ResponseWriter, r *http.Request) {
	s, err := w.app.FindPortfolioSettings(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f := &form{Values: settingsValues(s)}
	w.render(rw, r, http.StatusOK, "portfolio_settings", &page{Title: "Portfolio settings", Nav: "portfolio", Form: f, Data: settingsForm(f, s.Success)})
}

func (w *Web) portfolioSettingsSave(rw http.ResponseWriter, r *http.Request) {
	stored, err := w.app.FindPortfolioSettings(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		s := settingsInput(f, stored)
		version, _ := strconv.Atoi(f.Get("version"))
		if len(f.Errors) > 0 {
			// Check the groups that could be read too, so every problem shows at once.
			err = formProblems(f, weightProblems(s.Weights, f.Errors))
		} else if _, err = w.app.UpdatePortfolioSettings(r.Context(), version, s); err == nil {
			w.flash(rw, "Portfolio settings saved.")
			redirect(rw, r, "/portfolio/settings")
			return
		}
	}
	if !showable(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.render(rw, r, failStatus(err), "portfolio_settings", &page{Title: "Portfolio settings", Nav: "portfolio", Form: f, Data: settingsForm(f, stored.Success)})
}

// weightProblems checks the weights as the service would, naming the
// fields of the form. A group with a weight that could not be read is not
// summed: its total would mislead.
func weightProblems(sw caio.ScoreWeights, unreadable map[string]string) error {
	w := portfolio.Weights{ObjectiveFit: sw.ObjectiveFit, StrategicFit: sw.StrategicFit, PeopleAffected: sw.PeopleAffected, Urgency: sw.Urgency,
		DataReadiness: sw.DataReadiness, Complexity: sw.Complexity, Skills: sw.Skills, Integration: sw.Integration,
		Value: sw.Value, Feasibility: sw.Feasibility, Risk: sw.Risk, Method: sw.Method}
	err := w.Normalize()
	var v caio.Validation
	skip := map[string]bool{}
	for _, g := range weightGroups {
		for _, fl := range g.Fields {
			if _, bad := unreadable["weights."+fl.Key]; bad {
				skip[g.Key] = true
			}
		}
	}
	for _, p := range caio.ErrorFields(err) {
		if !skip[p.Field] {
			v.Add("weights."+p.Field, p.Message)
		}
	}
	return v.Err()
}
