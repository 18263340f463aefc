package servertest

import (
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/finance"
)

// NewUseCase creates an accepted use case at the idea stage in org, as the
// system, with an owner, a sponsor and a problem, linked to the objectives
// and AI systems given by ID.
func (s *Server) NewUseCase(tb testing.TB, org *Org, title string, objectiveIDs, systemIDs []string) *caio.UseCase {
	tb.Helper()
	u, err := s.App.CreateUseCase(org.Sys, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{
		Title: title, Problem: "Problem of " + title, Process: "Claims handling", Owner: "Claims lead", Sponsor: "COO",
		DataNeeded: "Claims history", Approach: "predictive", Sourcing: "build",
	}, ObjectiveIDs: objectiveIDs, SystemIDs: systemIDs})
	if err != nil {
		tb.Fatalf("servertest: create use case %q: %v", title, err)
	}
	return u
}

// RatedUseCase are ratings that make a use case a quick win.
var RatedUseCase = caio.UseCaseRatings{ObjectiveFit: 4, StrategicFit: 4, PeopleAffected: 3, Urgency: 4,
	DataReadiness: 4, Complexity: 2, Skills: 4, Integration: 3,
	Reach: 2000, Impact: 2, Confidence: 0.8, Effort: 6, BusinessValue: 8, TimeCriticality: 5, RiskReduction: 3, JobSize: 5}

// ExampleCase is a small business case that pays back: 120k one-off, 30k a
// year to run, 90k a year of benefits ramping up over three years.
func ExampleCase() finance.Case {
	return finance.Case{Currency: "EUR", HorizonYears: 5, DiscountRate: 0.08, Trials: 2000, Seed: 7,
		OneOff:   []finance.Line{{Label: "Build", Range: finance.Range{Low: 100000, Likely: 120000, High: 160000}}},
		Running:  []finance.Line{{Label: "Run", Range: finance.Range{Low: 20000, Likely: 30000, High: 40000}}},
		Benefits: []finance.Line{{Label: "Hours saved", Range: finance.Range{Low: 60000, Likely: 90000, High: 130000}}},
		Adoption: []float64{0.4, 0.8, 1}}
}

// NewBusinessCase stores ExampleCase as the use case's business case.
func (s *Server) NewBusinessCase(tb testing.TB, org *Org, useCaseID string) {
	tb.Helper()
	if _, err := s.App.SaveBusinessCase(org.Sys, useCaseID, 0, ExampleCase()); err != nil {
		tb.Fatalf("servertest: business case of %s: %v", useCaseID, err)
	}
}
