package app

import (
	"context"
	"fmt"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/finance"
)

// demoUseCase is a use case of the demo with its links by name, ratings,
// business case, KPIs, roadmap placement and the stages it goes through.
type demoUseCase struct {
	caio.UseCaseCanvas
	Objectives []string // titles
	Systems    []string // names
	Ratings    caio.UseCaseRatings
	Case       *finance.Case
	KPIs       []demoKPI
	Plan       caio.RoadmapPlacement
	DependsOn  []string // titles of earlier demo use cases
	// Stages are reached in order through the gates, each approved by the
	// demo's system actor where approval is needed. Hold, when set, puts
	// the use case on hold with that reason afterwards.
	Stages []string
	Hold   string
	// Benefit is a benefit realised in year 1, when set.
	Benefit *float64
}

type demoKPI struct {
	caio.KPIInput
	Actuals []caio.KPIActualInput
}

func line(label string, low, likely, high float64) finance.Line {
	return finance.Line{Label: label, Range: finance.Range{Low: low, Likely: likely, High: high}}
}

var northwindUseCases = []demoUseCase{
	{UseCaseCanvas: caio.UseCaseCanvas{Title: "Straight-through simple motor claims",
		Problem: "Simple motor claims wait nine days on average for a handler to check cover and approve the estimate, although most are paid as claimed.",
		Process: "Motor claims, from first notice of loss to payment", Users: "Claims handlers; policy holders", Volume: "About 140,000 simple motor claims a year",
		DataNeeded: "Claim details, policy cover, garage estimates", DataAvailable: "Seven years of motor claims in the claims system",
		Approach: "predictive", Sourcing: "build", Benefits: "Faster payment, fewer handler hours on simple claims",
		Costs: "Model build, integration with the claims system, monitoring", Risks: "Wrong routing of complex claims; unfair treatment of some groups",
		Owner: "Head of Claims Operations", Sponsor: "Chief Operating Officer"},
		Objectives: []string{"Settle simple motor claims in three days", "Lower the cost of handling a claim"},
		Systems:    []string{"Claims triage assistant"},
		Ratings: caio.UseCaseRatings{ObjectiveFit: 5, StrategicFit: 4, PeopleAffected: 5, Urgency: 4, DataReadiness: 4, Complexity: 3, Skills: 4, Integration: 3,
			Reach: 35000, Impact: 2, Confidence: 0.8, Effort: 18, BusinessValue: 13, TimeCriticality: 8, RiskReduction: 3, JobSize: 8},
		Case: &finance.Case{Currency: "EUR", HorizonYears: 5, DiscountRate: 0.08, Distribution: "pert",
			OneOff:   []finance.Line{line("Model and integration build", 380000, 450000, 600000), line("Change and training", 60000, 80000, 120000)},
			Running:  []finance.Line{line("Hosting and monitoring", 50000, 70000, 90000), line("Model maintenance team", 120000, 150000, 190000)},
			Benefits: []finance.Line{line("Handler hours saved", 420000, 560000, 700000), line("Lower rental car costs from faster payment", 80000, 140000, 220000)},
			Adoption: []float64{0.5, 0.85, 1}},
		KPIs: []demoKPI{
			{caio.KPIInput{Name: "Median days to payment, simple motor claims", Unit: "days", Direction: "decrease", Baseline: num(9), Target: num(3)},
				[]caio.KPIActualInput{{On: "2026-03-31", Value: 8.1}, {On: "2026-06-30", Value: 6.4}, {On: "2026-09-30", Value: 4.9}}},
			{caio.KPIInput{Name: "Share of simple claims paid without a handler", Unit: "%", Direction: "increase", Baseline: num(0), Target: num(60)},
				[]caio.KPIActualInput{{On: "2026-03-31", Value: 18}, {On: "2026-06-30", Value: 34}, {On: "2026-09-30", Value: 47}}},
		},
		Plan:    caio.RoadmapPlacement{Start: "2026Q1", End: "2027Q2", People: 4, Budget: 90000},
		Stages:  []string{"assessment", "approved", "poc", "pilot", "production"},
		Benefit: num(310000),
	},
	{UseCaseCanvas: caio.UseCaseCanvas{Title: "Fraud ring detection",
		Problem: "Investigators find organised fraud late because links between claims, garages and claimants are spread over several systems.",
		Process: "Special investigations", Users: "Fraud investigators", Volume: "All motor and property claims, about 260,000 a year",
		DataNeeded: "Claims, parties, garages, payments and confirmed fraud cases", DataAvailable: "Confirmed fraud cases since 2016; party data needs matching",
		Approach: "predictive", Sourcing: "build", Benefits: "Fraud stopped before payment", Costs: "Graph model, entity matching, investigator tooling",
		Risks: "False suspicion of honest claimants", Owner: "Head of Special Investigations", Sponsor: "Chief Financial Officer"},
		Objectives: []string{"Catch more fraud before we pay"},
		Systems:    []string{"Claims fraud detection"},
		Ratings: caio.UseCaseRatings{ObjectiveFit: 5, StrategicFit: 4, PeopleAffected: 3, Urgency: 4, DataReadiness: 3, Complexity: 4, Skills: 3, Integration: 3,
			Reach: 5000, Impact: 3, Confidence: 0.8, Effort: 14, BusinessValue: 13, TimeCriticality: 5, RiskReduction: 8, JobSize: 8},
		Case: &finance.Case{Currency: "EUR", HorizonYears: 5, DiscountRate: 0.08, Distribution: "triangular",
			OneOff:   []finance.Line{line("Graph model and entity matching", 300000, 380000, 520000)},
			Running:  []finance.Line{line("Hosting, licences and tuning", 90000, 110000, 140000)},
			Benefits: []finance.Line{line("Fraud losses avoided", 250000, 600000, 1100000)},
			Adoption: []float64{0.4, 0.8, 1}},
		KPIs: []demoKPI{{caio.KPIInput{Name: "Confirmed fraud detected before payment", Unit: "%", Direction: "increase", Baseline: num(38), Target: num(60)},
			[]caio.KPIActualInput{{On: "2026-09-30", Value: 44}}}},
		Plan:   caio.RoadmapPlacement{Start: "2026Q3", End: "2027Q3", People: 3, Budget: 70000},
		Stages: []string{"assessment", "approved", "poc", "pilot"},
	},
	{UseCaseCanvas: caio.UseCaseCanvas{Title: "Drafted replies to customer emails",
		Problem: "Customer emails wait two days for an answer; most ask the same twenty questions.",
		Process: "Customer service, email channel", Users: "Service agents", Volume: "About 400,000 emails a year",
		DataNeeded: "Past emails and answers, product documentation", DataAvailable: "Pseudonymised transcripts; documentation is scattered",
		Approach: "generative", Sourcing: "buy", Benefits: "Faster answers, agents focus on hard cases", Costs: "Licences per agent, prompt and retrieval work",
		Risks: "Wrong answers about cover; disclosure that customers deal with AI", Owner: "Director of Customer Service", Sponsor: "Chief Customer Officer"},
		Objectives: []string{"Answer customers within four hours"},
		Systems:    []string{"Customer service chatbot"},
		Ratings: caio.UseCaseRatings{ObjectiveFit: 4, StrategicFit: 3, PeopleAffected: 4, Urgency: 3, DataReadiness: 3, Complexity: 2, Skills: 3, Integration: 4,
			Reach: 100000, Impact: 1, Confidence: 0.8, Effort: 6, BusinessValue: 8, TimeCriticality: 3, RiskReduction: 2, JobSize: 3},
		Case: &finance.Case{Currency: "EUR", HorizonYears: 4, DiscountRate: 0.08, Distribution: "pert",
			OneOff:   []finance.Line{line("Set-up and retrieval", 60000, 90000, 150000)},
			Running:  []finance.Line{line("Licences", 110000, 130000, 160000)},
			Benefits: []finance.Line{line("Agent time saved", 120000, 220000, 320000)},
			Adoption: []float64{0.6, 1}},
		KPIs:   []demoKPI{{caio.KPIInput{Name: "Median hours to answer an email", Unit: "hours", Direction: "decrease", Baseline: num(46), Target: num(4)}, nil}},
		Plan:   caio.RoadmapPlacement{Start: "2027Q1", End: "2027Q2", People: 2, Budget: 40000},
		Stages: []string{"assessment", "approved", "poc"},
	},
	{UseCaseCanvas: caio.UseCaseCanvas{Title: "Life underwriting assistant",
		Problem: "Underwriters spend an hour on each life application with a medical questionnaire.",
		Process: "Life new business underwriting", Users: "Underwriters", Volume: "About 30,000 applications a year",
		DataNeeded: "Applications, medical questionnaires, underwriting decisions", DataAvailable: "Ten years of decisions; health data needs a legal basis check",
		Approach: "predictive", Sourcing: "build", Benefits: "Faster decisions, consistent loadings", Costs: "Model, actuarial review, fundamental-rights assessment",
		Risks: "High-risk under the EU AI Act (Annex III 5(c)); discrimination", Owner: "Chief Actuary", Sponsor: "Chief Executive Officer"},
		Objectives: []string{"Be ready for the EU AI Act"},
		Systems:    []string{"Life insurance pricing model"},
		Ratings: caio.UseCaseRatings{ObjectiveFit: 3, StrategicFit: 4, PeopleAffected: 3, Urgency: 2, DataReadiness: 3, Complexity: 4, Skills: 3, Integration: 2,
			Reach: 7500, Impact: 1, Confidence: 0.5, Effort: 12, BusinessValue: 5, TimeCriticality: 2, RiskReduction: 5, JobSize: 8},
		Case: &finance.Case{Currency: "EUR", HorizonYears: 5, DiscountRate: 0.08, Distribution: "pert",
			OneOff:   []finance.Line{line("Model and controls", 250000, 320000, 450000), line("Conformity work", 80000, 120000, 200000)},
			Running:  []finance.Line{line("Monitoring and review", 60000, 80000, 110000)},
			Benefits: []finance.Line{line("Underwriter time", 90000, 160000, 230000)},
			Adoption: []float64{0.3, 0.7, 1}},
		KPIs:   []demoKPI{{caio.KPIInput{Name: "Minutes per application", Unit: "min", Direction: "decrease", Baseline: num(60), Target: num(25)}, nil}},
		Plan:   caio.RoadmapPlacement{Start: "2027Q2", End: "2028Q1", People: 3, Budget: 80000},
		Stages: []string{"assessment", "approved"},
	},
	{UseCaseCanvas: caio.UseCaseCanvas{Title: "Broker submission extraction",
		Problem: "Underwriters retype insured values and locations from broker PDFs before they can quote.",
		Process: "Commercial property quoting", Users: "Commercial underwriters", Volume: "About 9,000 submissions a year",
		Approach: "generative", Sourcing: "partner", Owner: "Chief Underwriting Officer", Sponsor: "Chief Underwriting Officer"},
		Objectives: []string{"Quote commercial property risks within one working day"},
		Systems:    []string{"Broker submission reader"},
		Ratings:    caio.UseCaseRatings{ObjectiveFit: 4, StrategicFit: 3, PeopleAffected: 2, Urgency: 3, DataReadiness: 2, Complexity: 3, Skills: 2, Integration: 2},
		Plan:       caio.RoadmapPlacement{Start: "2027Q2", End: "2027Q4", People: 2, Budget: 50000},
		DependsOn:  []string{"Drafted replies to customer emails"},
		Stages:     []string{"assessment"},
	},
	{UseCaseCanvas: caio.UseCaseCanvas{Title: "CV shortlisting for claims roles",
		Problem: "Recruiters read 300 applications per opening.", Process: "Recruitment", Users: "Recruiters",
		Approach: "predictive", Sourcing: "buy", Risks: "High-risk under Annex III 4(a); the works council must agree",
		Owner: "Chief People Officer", Sponsor: "Chief People Officer"},
		Systems: []string{"CV screening"},
		Ratings: caio.UseCaseRatings{ObjectiveFit: 2, StrategicFit: 2, PeopleAffected: 3, Urgency: 2, DataReadiness: 3, Complexity: 2, Skills: 2, Integration: 3},
		Hold:    "Waiting for the works council's opinion and a fundamental-rights impact assessment",
	},
}

// loadDemoPortfolio adds Northwind's strategy, capacity, use cases (each
// taken through its stage gates by the demo), one idea waiting in the
// triage queue and one gate waiting for the demo user's approval.
func (app *App) loadDemoPortfolio(ctx context.Context, objectiveIDs map[string]string) error {
	systems, _, err := app.FindSystems(ctx, caio.AISystemFilter{Page: caio.Page{Limit: 500}})
	if err != nil {
		return err
	}
	systemIDs := map[string]string{}
	for _, s := range systems {
		systemIDs[s.Name] = s.ID
	}
	if _, err := app.UpdateStrategy(ctx, 0, caio.StrategyContent{
		Vision: "By 2028 AI takes the waiting out of insurance at Northwind: claims paid in days, questions answered in hours, and every AI decision explainable to the customer it affects.",
		Principles: []string{"People decide on every decline and every high-value payment.", "We measure value against a baseline before we scale.",
			"We use AI only where we can explain it to a customer and a supervisor.", "Governance from day one: every AI system is in the inventory before it is piloted."},
		Priorities: []caio.StrategyPriority{
			{Title: "Faster claims", Description: "Straight-through processing of simple claims and earlier fraud detection.",
				ObjectiveIDs: []string{objectiveIDs["Settle simple motor claims in three days"], objectiveIDs["Catch more fraud before we pay"]}},
			{Title: "Service in hours, not days", ObjectiveIDs: []string{objectiveIDs["Answer customers within four hours"]}},
			{Title: "Ready for the EU AI Act", Description: "High-risk systems meet their obligations before 2 August 2026.",
				ObjectiveIDs: []string{objectiveIDs["Be ready for the EU AI Act"]}},
		},
		TargetMaturity: 3, Budget: 2400000, Currency: "EUR", BudgetPeriod: "2026–2027",
		Owners: []string{"Interim Chief AI Officer", "Chief Operating Officer"}, Horizon: "2028-12-31",
	}); err != nil {
		return fmt.Errorf("demo: strategy: %w", err)
	}
	if _, err := app.SetCapacity(ctx, []caio.Capacity{
		{Quarter: "2026Q1", People: 5, Budget: 120000}, {Quarter: "2026Q2", People: 5, Budget: 120000},
		{Quarter: "2026Q3", People: 7, Budget: 170000}, {Quarter: "2026Q4", People: 7, Budget: 170000},
		{Quarter: "2027Q1", People: 8, Budget: 200000}, {Quarter: "2027Q2", People: 8, Budget: 200000},
		{Quarter: "2027Q3", People: 9, Budget: 220000}, {Quarter: "2027Q4", People: 9, Budget: 220000},
	}); err != nil {
		return fmt.Errorf("demo: capacity: %w", err)
	}
	useCaseIDs := map[string]string{}
	for _, d := range northwindUseCases {
		in := caio.UseCaseInput{UseCaseCanvas: d.UseCaseCanvas}
		for _, t := range d.Objectives {
			in.ObjectiveIDs = append(in.ObjectiveIDs, objectiveIDs[t])
		}
		for _, n := range d.Systems {
			in.SystemIDs = append(in.SystemIDs, systemIDs[n])
		}
		u, err := app.CreateUseCase(ctx, in)
		if err != nil {
			return fmt.Errorf("demo: use case %s: %w", d.Title, err)
		}
		useCaseIDs[d.Title] = u.ID
		if _, err := app.RateUseCase(ctx, u.ID, 0, d.Ratings); err != nil {
			return fmt.Errorf("demo: rate %s: %w", d.Title, err)
		}
		if d.Case != nil {
			if _, err := app.SaveBusinessCase(ctx, u.ID, 0, *d.Case); err != nil {
				return fmt.Errorf("demo: business case of %s: %w", d.Title, err)
			}
		}
		for _, k := range d.KPIs {
			kpi, err := app.CreateKPI(ctx, u.ID, k.KPIInput)
			if err != nil {
				return fmt.Errorf("demo: KPI of %s: %w", d.Title, err)
			}
			for _, a := range k.Actuals {
				if _, err := app.RecordKPIActual(ctx, kpi.ID, a); err != nil {
					return err
				}
			}
		}
		plan := caio.RoadmapInput{RoadmapPlacement: d.Plan}
		for _, t := range d.DependsOn {
			plan.DependsOn = append(plan.DependsOn, useCaseIDs[t])
		}
		if _, err := app.PlanUseCase(ctx, u.ID, 0, plan); err != nil {
			return fmt.Errorf("demo: plan %s: %w", d.Title, err)
		}
		for _, to := range d.Stages {
			out, err := app.RequestStage(ctx, u.ID, to, "Demo: the AI board reviewed the gate")
			if err != nil {
				return fmt.Errorf("demo: %s to %s: %w", d.Title, to, err)
			}
			if out.Approval != nil {
				if _, err := app.DecideApproval(ctx, out.Approval.ID, "approve", "Approved at the AI board"); err != nil {
					return fmt.Errorf("demo: approve %s to %s: %w", d.Title, to, err)
				}
			}
		}
		if d.Hold != "" {
			if _, err := app.RequestStage(ctx, u.ID, "on_hold", d.Hold); err != nil {
				return fmt.Errorf("demo: hold %s: %w", d.Title, err)
			}
		}
		if d.Benefit != nil {
			if err := app.RecordBenefit(ctx, u.ID, caio.BenefitActual{Year: 1, Amount: *d.Benefit, Note: "Finance's first-year review"}); err != nil {
				return err
			}
		}
	}
	// People act in their own names for the last two steps: an analyst's
	// idea waits for triage, and the product lead's request to take fraud
	// detection to production waits for the demo user's approval.
	members, _, err := app.FindMembers(ctx, caio.Page{Limit: 50})
	if err != nil {
		return err
	}
	as := func(email string) context.Context {
		for _, m := range members {
			if m.Email == email {
				a, _ := caio.ActorFrom(ctx)
				return caio.WithActor(ctx, caio.Actor{UserID: m.UserID, Email: m.Email, OrgID: a.OrgID, OrgSlug: a.OrgSlug, Role: m.Role, Via: "demo"})
			}
		}
		return ctx
	}
	if _, err := app.CreateUseCase(as("analyst@northwind.example"), caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{
		Title:   "Damage estimates from photos",
		Problem: "Customers wait for an assessor to visit before we can estimate minor car damage; photos taken in the app would do for most claims.",
		Process: "Motor claims, damage assessment", Users: "Policy holders; claims handlers", Volume: "About 60,000 claims a year with minor damage",
		Approach: "predictive", Sourcing: "partner", Owner: "Senior Claims Analyst"},
		ObjectiveIDs: []string{objectiveIDs["Settle simple motor claims in three days"]}}); err != nil {
		return fmt.Errorf("demo: submitted idea: %w", err)
	}
	fraud := useCaseIDs["Fraud ring detection"]
	if _, err := app.RequestStage(as("product@northwind.example"), fraud, "production", "The pilot met its detection target in two regions."); err != nil {
		return fmt.Errorf("demo: fraud detection to production: %w", err)
	}
	return nil
}
