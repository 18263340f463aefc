package app

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/questionnaire"
)

// loadDemoAssessments gives Northwind two readiness assessments a year
// apart (the trend), a vendor assessment of its chatbot's vendor, and a
// risk register with a few risks of the libraries, one above appetite.
// The impact assessment of the life pricing model was proposed by its
// classification already and stays a draft, as the demo's open work.
func (app *App) loadDemoAssessments(ctx context.Context) error {
	def, ok := questionnaire.Builtin("readiness")
	if !ok {
		return fmt.Errorf("demo: no readiness questionnaire")
	}
	// pick answers the option at the given rank (0 worst … last best) of
	// every scored question, so the two submissions show progress.
	pick := func(d *questionnaire.Definition, rank func(q questionnaire.Question) int) map[string][]string {
		out := map[string][]string{}
		for _, s := range d.Sections {
			for _, q := range s.Questions {
				switch {
				case len(q.Options) > 0:
					// Options by score, worst first, so a rank reads the same
					// on every question.
					opts := slices.Clone(q.Options)
					slices.SortStableFunc(opts, func(a, b questionnaire.Option) int { return cmp.Compare(a.Score, b.Score) })
					out[q.ID] = []string{opts[min(max(rank(q), 0), len(opts)-1)].Value}
				case q.Type == "date":
					out[q.ID] = []string{"2026-10-01"}
				case q.Type == "number" && q.Min != nil:
					out[q.ID] = []string{fmt.Sprint(*q.Min)}
				case q.Type == "text":
					out[q.ID] = []string{"Described in the working session with the AI board."}
				}
			}
		}
		return out
	}
	for i, level := range []int{1, 2} {
		x, err := app.CreateAssessment(ctx, caio.AssessmentInput{Definition: "readiness", Title: []string{"AI readiness, first baseline", "AI readiness, six months on"}[i]})
		if err != nil {
			return fmt.Errorf("demo: readiness: %w", err)
		}
		answers := pick(def, func(q questionnaire.Question) int {
			// Data and governance move first; culture trails.
			bonus := 0
			if q.Dimension == "data" || q.Dimension == "governance" {
				bonus = 1
			}
			return level + bonus
		})
		if _, err := app.SaveAnswers(ctx, x.ID, 0, answers); err != nil {
			return fmt.Errorf("demo: readiness answers: %w", err)
		}
		if _, err := app.SubmitAssessment(ctx, x.ID); err != nil {
			return fmt.Errorf("demo: submit readiness: %w", err)
		}
	}
	vendors, _, err := app.FindVendors(ctx, caio.InventoryFilter{Page: caio.Page{Limit: 50}})
	if err != nil {
		return err
	}
	vdef, _ := questionnaire.Builtin("vendor")
	vendorIDs := map[string]string{}
	for _, v := range vendors {
		vendorIDs[v.Name] = v.ID
	}
	if id := vendorIDs["Parlance AI"]; id != "" && vdef != nil {
		x, err := app.CreateAssessment(ctx, caio.AssessmentInput{Definition: "vendor", SubjectID: id})
		if err != nil {
			return fmt.Errorf("demo: vendor assessment: %w", err)
		}
		if _, err := app.SaveAnswers(ctx, x.ID, 0, pick(vdef, func(questionnaire.Question) int { return 2 })); err != nil {
			return fmt.Errorf("demo: vendor answers: %w", err)
		}
		if _, err := app.SubmitAssessment(ctx, x.ID); err != nil {
			return fmt.Errorf("demo: submit vendor assessment: %w", err)
		}
	}
	systems, _, err := app.FindSystems(ctx, caio.AISystemFilter{Page: caio.Page{Limit: 50}})
	if err != nil {
		return err
	}
	systemIDs := map[string]string{}
	for _, s := range systems {
		systemIDs[s.Name] = s.ID
	}
	useCases, err := app.UseCaseNames(ctx)
	if err != nil {
		return err
	}
	useCaseIDs := map[string]string{}
	for _, u := range useCases {
		useCaseIDs[u.Name] = u.ID
	}
	for _, r := range []caio.RiskInput{
		{Title: "Prompt injection through customer emails", Category: "owasp-llm:LLM01", Likelihood: 4, Impact: 4, ResidualLikelihood: 3, ResidualImpact: 4,
			Description: "A customer's email carries instructions that make the drafting assistant disclose or promise what it must not.",
			Owner:       "Director of Customer Service", Status: "treating", ReviewDate: "2027-01-31", Systems: []string{systemIDs["Customer service chatbot"]},
			Vendors: []string{vendorIDs["Parlance AI"]}, UseCases: []string{useCaseIDs["Drafted replies to customer emails"]}},
		{Title: "Unfair pricing of applicants with health conditions", Category: "mit:1.1", Likelihood: 3, Impact: 5, ResidualLikelihood: 2, ResidualImpact: 4,
			Description: "The pricing model loads premiums for groups in ways the actuarial evidence does not support.",
			Owner:       "Chief Actuary", Status: "treating", ReviewDate: "2026-12-15", Systems: []string{systemIDs["Life insurance pricing model"]}},
		{Title: "Fraud flags that investigators follow without checking", Category: "mit:5.1", Likelihood: 3, Impact: 3, ResidualLikelihood: 2, ResidualImpact: 2,
			Description: "Investigators treat a high score as proof and decline honest claims.",
			Owner:       "Head of Special Investigations", Status: "open", ReviewDate: "2027-03-31", Systems: []string{systemIDs["Claims fraud detection"]}},
	} {
		r.Systems = nonEmpty(r.Systems)
		r.Vendors = nonEmpty(r.Vendors)
		r.UseCases = nonEmpty(r.UseCases)
		if _, err := app.CreateRisk(ctx, r); err != nil {
			return fmt.Errorf("demo: risk %q: %w", r.Title, err)
		}
	}
	return nil
}

func nonEmpty(ids []string) []string {
	var out []string
	for _, id := range ids {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}
