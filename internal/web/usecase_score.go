package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/portfolio"
)

// The ratings form: the team rates value and feasibility on 1–5 scales
// whose every step is described, so two people mean the same by a 4, and
// gives the inputs of RICE and WSJF (practice.md §2.2–2.4).

// ratingScale is one rated component with the meaning of each step.
type ratingScale struct {
	Name, Label, Hint string
	// Anchors describe the ratings 1 to 5.
	Anchors [5]string
}

// valueScales and feasibilityScales are the components of the score, in
// the order of the engine's components.
var (
	valueScales = []ratingScale{
		{"objective_fit", "Objective fit", "How directly it moves a business objective it is linked to. Without a linked objective it counts as 1.",
			[5]string{"Touches no stated objective", "Helps an objective indirectly", "Moves one objective measurably", "Moves a key objective substantially", "Essential to a top objective"}},
		{"strategic_fit", "Strategic fit", "How well it fits the priorities and principles of the AI strategy.",
			[5]string{"Outside the strategy", "At the edge of a priority", "Within a priority", "Central to a priority", "A flagship of the strategy"}},
		{"people_affected", "People affected", "How many people, staff or customers, it helps.",
			[5]string{"A handful of people", "One team", "A department or one customer segment", "Several departments or many customers", "The whole organisation or every customer"}},
		{"urgency", "Urgency", "What waiting would cost.",
			[5]string{"Nothing is lost by waiting a year", "Some value is lost by waiting", "Should start within two quarters", "A deadline or a competitor forces action this quarter", "A legal or business deadline is imminent"}},
	}
	feasibilityScales = []ratingScale{
		{"data_readiness", "Data readiness", "Whether the data exists, can be reached and may lawfully be used for this.",
			[5]string{"The data does not exist yet", "It exists but is scattered or poor", "It exists; cleaning or access still to agree", "Available and of good quality", "Ready, documented and cleared for this use"}},
		{"complexity", "Complexity", "How hard the work is. Here 5 is the most complex: it counts inverted, as simpler work is more feasible.",
			[5]string{"Configuring a tool we already have", "A small, well-understood build", "A project with some unknowns", "New work with several unknowns", "Research: unclear whether it can work"}},
		{"skills", "Skills", "Whether the people who can build and run it are available.",
			[5]string{"Nobody has the skills; we must hire", "Few skills; heavy outside help needed", "The skills exist but are stretched", "A capable team is available", "An experienced team has done this before"}},
		{"integration", "Integration", "How easily it fits the systems and processes around it.",
			[5]string{"Needs new core systems or a redesigned process", "Several hard integrations", "A few integrations through existing interfaces", "One simple integration", "Stands alone or plugs in as it is"}},
	}
)

// ratingGroup is a rating scale on the form, with the choice made.
type ratingGroup struct {
	ratingScale
	Choices []option
}

// ratingGroups puts the scales on the form with the ratings f holds.
func ratingGroups(f *form, scales []ratingScale) []ratingGroup {
	out := make([]ratingGroup, len(scales))
	for i, s := range scales {
		v := f.Get(s.Name)
		if v == "" {
			v = "0"
		}
		g := ratingGroup{ratingScale: s, Choices: []option{{Value: "0", Label: "Not rated yet", Selected: v == "0"}}}
		for n := 1; n <= 5; n++ {
			ns := strconv.Itoa(n)
			g.Choices = append(g.Choices, option{Value: ns, Label: ns + ": " + s.Anchors[n-1], Selected: v == ns})
		}
		out[i] = g
	}
	return out
}

// ucChoices lists values with labels as options, marking the selected value.
func ucChoices(selected string, pairs ...string) []option {
	var out []option
	for i := 0; i+1 < len(pairs); i += 2 {
		out = append(out, option{Value: pairs[i], Label: pairs[i+1], Selected: pairs[i] == selected})
	}
	return out
}

// wsjfChoices are the steps of the WSJF scale.
func wsjfChoices(selected string) []option {
	opts := []option{{Value: "", Label: "Not given", Selected: selected == "" || selected == "0"}}
	for _, n := range portfolio.WSJFScale {
		s := strconv.Itoa(n)
		opts = append(opts, option{Value: s, Label: s, Selected: s == selected})
	}
	return opts
}

// ratingValues fills the ratings form from the stored ratings.
func ratingValues(r caio.UseCaseRatings, version int) map[string]string {
	i := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	fl := func(x float64) string {
		if x == 0 {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return map[string]string{
		"objective_fit": i(r.ObjectiveFit), "strategic_fit": i(r.StrategicFit), "people_affected": i(r.PeopleAffected),
		"urgency": i(r.Urgency), "data_readiness": i(r.DataReadiness), "complexity": i(r.Complexity), "skills": i(r.Skills),
		"integration": i(r.Integration), "reach": fl(r.Reach), "impact": fl(r.Impact), "confidence": fl(math.Round(r.Confidence * 100)),
		"effort": fl(r.Effort), "business_value": i(r.BusinessValue), "time_criticality": i(r.TimeCriticality),
		"risk_reduction": i(r.RiskReduction), "job_size": i(r.JobSize), "version": strconv.Itoa(version),
	}
}

// ratingsInput reads the ratings form; numbers that cannot be read are
// recorded on f. Confidence is entered in percent.
func ratingsInput(f *form) caio.UseCaseRatings {
	whole := func(name string) int {
		s := strings.TrimSpace(f.Get(name))
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			f.Errors[name] = "must be a whole number from the scale"
		}
		return n
	}
	num := func(name string) float64 {
		if x := f.float(name); x != nil {
			return *x
		}
		return 0
	}
	return caio.UseCaseRatings{
		ObjectiveFit: whole("objective_fit"), StrategicFit: whole("strategic_fit"), PeopleAffected: whole("people_affected"),
		Urgency: whole("urgency"), DataReadiness: whole("data_readiness"), Complexity: whole("complexity"),
		Skills: whole("skills"), Integration: whole("integration"),
		Reach: num("reach"), Impact: num("impact"), Confidence: num("confidence") / 100, Effort: num("effort"),
		BusinessValue: whole("business_value"), TimeCriticality: whole("time_criticality"),
		RiskReduction: whole("risk_reduction"), JobSize: whole("job_size"),
	}
}

// renderScoreForm shows the ratings form of a use case.
func (w *Web) renderScoreForm(rw http.ResponseWriter, r *http.Request, status int, id string, f *form) {
	u, err := w.app.FindUseCase(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f == nil {
		f = &form{Values: ratingValues(u.Ratings, u.Version)}
	}
	settings, err := w.app.FindPortfolioSettings(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "usecase_score", &page{Title: "Rate " + u.Title, Nav: "portfolio", Form: f, Data: map[string]any{
		"UseCase": u.UseCase, "Score": u.Score, "Method": settings.Weights.Method,
		"Value": ratingGroups(f, valueScales), "Feasibility": ratingGroups(f, feasibilityScales),
		"Impacts":       ucChoices(f.Get("impact"), "", "Not given", "0.25", "Minimal (0.25)", "0.5", "Low (0.5)", "1", "Medium (1)", "2", "High (2)", "3", "Massive (3)"),
		"Confidences":   ucChoices(f.Get("confidence"), "", "Not given", "50", "Low (50%)", "80", "Medium (80%)", "100", "High (100%)"),
		"BusinessValue": wsjfChoices(f.Get("business_value")), "TimeCriticality": wsjfChoices(f.Get("time_criticality")),
		"RiskReduction": wsjfChoices(f.Get("risk_reduction")), "JobSize": wsjfChoices(f.Get("job_size")),
	}})
}

func (w *Web) useCaseScoreForm(rw http.ResponseWriter, r *http.Request) {
	w.renderScoreForm(rw, r, http.StatusOK, r.PathValue("id"), nil)
}

func (w *Web) useCaseScoreSave(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		in := ratingsInput(f)
		version, _ := strconv.Atoi(f.Get("version"))
		if len(f.Errors) > 0 {
			err = formProblems(f, nil)
		} else {
			scored, serr := w.app.RateUseCase(r.Context(), id, version, in)
			if err = serr; err == nil {
				msg := "Ratings saved."
				if scored.Score.Rated {
					msg += " Priority " + ucNum(scored.Score.Priority) + ", " + portfolio.QuadrantLabel(scored.Score.Quadrant) + "."
				}
				w.flash(rw, msg)
				redirect(rw, r, "/usecases/"+id+"#score")
				return
			}
		}
	}
	if code := caio.ErrorCode(err); code == caio.ENOTFOUND || code == caio.EINTERNAL {
		w.fail(rw, r, err)
		return
	}
	ucFail(f, err)
	w.renderScoreForm(rw, r, statusOf[caio.ErrorCode(err)], id, f)
}
