package servertest

import (
	"context"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/finance"
	qn "github.com/caio-office/caio/internal/engine/questionnaire"
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

// NewPendingApproval makes a use case of org ready for approval (linked to
// a new objective, at the assessment stage, rated, with a business case)
// and has org's editor ask to move it to approved. It returns the use case
// and the pending approval, which the owner or the approver may decide.
func (s *Server) NewPendingApproval(tb testing.TB, org *Org, title string) (*caio.UseCase, *caio.Approval) {
	tb.Helper()
	obj := s.NewObjective(tb, org, "Objective of "+title)
	u := s.NewUseCase(tb, org, title, []string{obj.ID}, nil)
	if _, err := s.App.RequestStage(org.Sys, u.ID, "assessment", ""); err != nil {
		tb.Fatalf("servertest: %q to assessment: %v", title, err)
	}
	if _, err := s.App.RateUseCase(org.Sys, u.ID, 0, RatedUseCase); err != nil {
		tb.Fatalf("servertest: rate %q: %v", title, err)
	}
	s.NewBusinessCase(tb, org, u.ID)
	editor := caio.WithActor(context.Background(), org.Members[caio.RoleEditor].Actor(org))
	out, err := s.App.RequestStage(editor, u.ID, "approved", "Scored and costed")
	if err != nil || out.Approval == nil {
		tb.Fatalf("servertest: ask to approve %q: %+v, %v", title, out, err)
	}
	return u, out.Approval
}

// NewSubmittedIdea has org's contributor propose a use case, which waits in
// the triage queue.
func (s *Server) NewSubmittedIdea(tb testing.TB, org *Org, title string) *caio.UseCase {
	tb.Helper()
	contributor := caio.WithActor(context.Background(), org.Members[caio.RoleContributor].Actor(org))
	u, err := s.App.CreateUseCase(contributor, caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: title, Problem: "Problem of " + title}})
	if err != nil {
		tb.Fatalf("servertest: submit %q: %v", title, err)
	}
	return u
}

// NewKPI adds a KPI with a baseline and one measured value to a use case of
// org, and returns the KPI and the measurement's id.
func (s *Server) NewKPI(tb testing.TB, org *Org, useCaseID, name string) (*caio.KPI, string) {
	tb.Helper()
	base, target := 10.0, 5.0
	k, err := s.App.CreateKPI(org.Sys, useCaseID, caio.KPIInput{Name: name, Unit: "days", Direction: "decrease", Baseline: &base, Target: &target})
	if err != nil {
		tb.Fatalf("servertest: KPI %q: %v", name, err)
	}
	a, err := s.App.RecordKPIActual(org.Sys, k.ID, caio.KPIActualInput{On: "2027-01-31", Value: 8})
	if err != nil {
		tb.Fatalf("servertest: KPI %q actual: %v", name, err)
	}
	return k, a.ID
}

// NewAssessment starts a readiness assessment of org, as the system; when
// complete, every question is answered so it can be submitted.
func (s *Server) NewAssessment(tb testing.TB, org *Org, complete bool) *caio.Assessment {
	tb.Helper()
	x, err := s.App.CreateAssessment(org.Sys, caio.AssessmentInput{Definition: "readiness"})
	if err != nil {
		tb.Fatalf("servertest: assessment: %v", err)
	}
	if complete {
		def, _ := qn.Builtin("readiness")
		answers := map[string][]string{}
		for _, sec := range def.Sections {
			for _, q := range sec.Questions {
				answers[q.ID] = []string{q.Options[0].Value}
			}
		}
		if _, err := s.App.SaveAnswers(org.Sys, x.ID, 0, answers); err != nil {
			tb.Fatalf("servertest: answer the assessment: %v", err)
		}
	}
	return x
}
