package app

import (
	"context"
	"fmt"
	"time"

	"github.com/caio-office/caio"
)

func init() { demoAreas = append(demoAreas, demoArea{"incidents", loadDemoIncidents}) }

// loadDemoIncidents gives Northwind two incidents: a serious one of its
// high-risk life pricing model, three days into its 15-day Art 73 clock,
// and a resolved one of its chatbot with the lessons learnt. Times are
// relative to now, so the clock is always running when the demo is new.
func loadDemoIncidents(app *App, ctx context.Context) error {
	sysID := func(name string) (string, error) {
		ss, _, err := app.FindSystems(ctx, caio.AISystemFilter{Query: &name, Page: caio.Page{Limit: 5}})
		if err != nil {
			return "", err
		}
		for _, s := range ss {
			if s.Name == name {
				return s.ID, nil
			}
		}
		return "", fmt.Errorf("no demo system %q", name)
	}
	pricing, err := sysID("Life insurance pricing model")
	if err != nil {
		return err
	}
	chatbot, err := sysID("Customer service chatbot")
	if err != nil {
		return err
	}
	now := app.DB.Now().UTC().Truncate(time.Hour)
	at := func(d time.Duration) string { return now.Add(-d).Format(time.RFC3339) }
	day := func(d time.Duration) string { return now.Add(d).Format(time.DateOnly) }
	const dayLen = 24 * time.Hour

	serious, err := app.CreateIncident(ctx, caio.IncidentInput{
		Title: "Pricing model loaded premiums by country of birth",
		Description: "A complaints review found that applicants born outside the EU were quoted premiums about 18% higher than comparable applicants. " +
			"The model had learnt country of birth as a proxy through the postcode and language features added in release 2026.1. " +
			"About 240 applications since the release are affected.",
		OccurredAt: at(75 * dayLen), AwareAt: at(3*dayLen + 5*time.Hour),
		Harms: []string{"fundamental_rights", "financial"}, Severity: "high", Status: "investigating",
		Owner: "Chief Actuary", Systems: []string{pricing},
	})
	if err != nil {
		return err
	}
	for _, a := range []caio.CorrectiveInput{
		{Description: "Switch off the postcode and language features and fall back to the 2025.4 tariff.", Owner: "Chief Actuary", Due: day(-2 * dayLen), Status: "done"},
		{Description: "Re-price the affected applications and write to each applicant.", Owner: "Head of Life Operations", Due: day(10 * dayLen), Status: "in_progress"},
		{Description: "Add a bias test on protected characteristics to every model release.", Owner: "Model Risk Manager", Due: day(45 * dayLen), Status: "planned"},
	} {
		if _, err := app.AddCorrectiveAction(ctx, serious.ID, a); err != nil {
			return err
		}
	}

	resolved, err := app.CreateIncident(ctx, caio.IncidentInput{
		Title:       "Chatbot quoted wrong deductibles to customers",
		Description: "For two days the chatbot quoted the 2025 motor deductibles after a document index was rebuilt from an old export. 31 customers were given a wrong amount; agents caught most drafted emails.",
		OccurredAt:  at(62 * dayLen), AwareAt: at(60 * dayLen),
		Harms: []string{"financial", "reputational"}, Severity: "medium", Status: "resolved",
		Owner: "Director of Customer Service", Systems: []string{chatbot},
		LessonsLearnt: "The index rebuild had no check against the current tariff documents. We now compare a sample of answers with the tariff after every rebuild, " +
			"and the chatbot states the document date with every amount it quotes.",
	})
	if err != nil {
		return err
	}
	_, err = app.AddCorrectiveAction(ctx, resolved.ID, caio.CorrectiveInput{Description: "Check a sample of answers against the current tariff after every index rebuild.",
		Owner: "Director of Customer Service", Due: day(-45 * dayLen), Status: "done"})
	return err
}
