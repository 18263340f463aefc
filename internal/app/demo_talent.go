package app

import (
	"context"
	"fmt"

	"github.com/caio-office/caio"
)

// The demo's talent: Northwind Mutual's AI team of six, rated by the
// interim CAIO against the skill framework, and three candidates for the
// permanent CAIO, each rated by two members of the panel: the interim CAIO
// and the product lead. No decision is recorded yet. Every name is
// invented.

func init() { demoAreas = append(demoAreas, demoArea{"talent", loadDemoTalent}) }

// demoPerson is a person of the demo team with their levels.
type demoPerson struct {
	caio.PersonInput
	Email  string // the member the person is, if any
	Levels map[string]int
}

var northwindTeam = []demoPerson{
	{PersonInput: caio.PersonInput{Name: "Sofia Brandt", Role: "ml-engineer", Notes: "Built the fraud-ring detection model; wants to grow into MLOps."},
		Levels: map[string]int{"machine-learning": 4, "technical-proficiency": 4, "dev-methodologies": 3, "model-evaluation": 3, "mlops": 2,
			"data-engineering": 3, "product-architecture": 2, "communication": 3, "responsible-ai": 2}},
	{PersonInput: caio.PersonInput{Name: "Daniel Okoro", Role: "data-scientist", Notes: "Pricing analytics; leads the retention model's experiments."},
		Levels: map[string]int{"statistics": 5, "machine-learning": 4, "model-evaluation": 3, "communication": 3, "data-governance": 2,
			"use-case-discovery": 3, "value-measurement": 4, "responsible-ai": 2}},
	{PersonInput: caio.PersonInput{Name: "Tomás Ferreira", Role: "ai-product-manager", Notes: "Product lead for Claims Digital."}, Email: "product@northwind.example",
		Levels: map[string]int{"use-case-discovery": 4, "product-team-management": 4, "value-measurement": 3, "business-acumen": 4,
			"communication": 4, "product-architecture": 3, "dev-methodologies": 3, "ai-regulation": 2, "responsible-ai": 2, "model-evaluation": 1}},
	{PersonInput: caio.PersonInput{Name: "Ingrid Vos", Role: "ai-governance-lead", Notes: "Head of AI Governance and Compliance."}, Email: "governance@northwind.example",
		Levels: map[string]int{"ai-regulation": 5, "ai-risk-management": 4, "data-governance": 4, "responsible-ai": 3, "communication": 4,
			"model-evaluation": 2, "vendor-management": 3, "change-enablement": 2}},
	{PersonInput: caio.PersonInput{Name: "Lena Hartmann", Role: "data-engineer", Notes: "Owns the claims and policy data pipelines."},
		Levels: map[string]int{"data-engineering": 4, "data-governance": 3, "dev-methodologies": 4, "technical-proficiency": 4, "mlops": 2, "product-architecture": 3}},
	{PersonInput: caio.PersonInput{Name: "Marco Bianchi", Role: "mlops-engineer", Notes: "Joined in September from the platform team."},
		Levels: map[string]int{"mlops": 3, "dev-methodologies": 4, "technical-proficiency": 3, "data-engineering": 3, "product-architecture": 2}},
}

// demoCandidate is a CAIO candidate with the two panel members' ratings,
// by criterion key of the default scorecard.
type demoCandidate struct {
	caio.CandidateInput
	Alex, Tomas map[string]int
	AlexNote    string
	TomasNote   string
}

var northwindCandidates = []demoCandidate{
	{CandidateInput: caio.CandidateInput{Name: "Hannah Weiss", Source: "Executive search", Status: "interviewing",
		Notes: "Head of AI at a mid-size reinsurer; built its model risk function."},
		Alex: map[string]int{"business-acumen": 4, "ai-leadership": 5, "product-team-management": 4, "communication": 4, "tech-adoption": 4,
			"technical-proficiency": 5, "mentoring": 4, "market-awareness": 4, "product-architecture": 4, "dev-methodologies": 3},
		Tomas: map[string]int{"business-acumen": 3, "ai-leadership": 5, "product-team-management": 4, "communication": 3, "tech-adoption": 4,
			"technical-proficiency": 5, "mentoring": 4, "market-awareness": 4, "product-architecture": 4, "dev-methodologies": 4},
		AlexNote:  "Deep on AI and model risk; her first-90-day plan started with the inventory and the board.",
		TomasNote: "Strong technically; less convincing on how AI pays for itself in claims."},
	{CandidateInput: caio.CandidateInput{Name: "Samuel Adeyemi", Source: "Internal: Head of Data", Status: "interviewing",
		Notes: "Knows Northwind's data and people; has not led an AI programme of this size."},
		Alex: map[string]int{"business-acumen": 4, "ai-leadership": 3, "product-team-management": 4, "communication": 5, "tech-adoption": 4,
			"technical-proficiency": 3, "mentoring": 5, "market-awareness": 3, "product-architecture": 3, "dev-methodologies": 3},
		Tomas: map[string]int{"business-acumen": 5, "ai-leadership": 3, "product-team-management": 5, "communication": 5, "tech-adoption": 3,
			"technical-proficiency": 3, "mentoring": 5, "market-awareness": 2, "product-architecture": 3, "dev-methodologies": 4},
		AlexNote:  "Trusted across the business; would need support on AI depth and the vendor market.",
		TomasNote: "Best at tying AI to our claims and retention targets."},
	{CandidateInput: caio.CandidateInput{Name: "Claire Dubois", Source: "Referral", Status: "interviewing",
		Notes: "Former consultant; led AI strategy engagements for three insurers."},
		Alex: map[string]int{"business-acumen": 5, "ai-leadership": 4, "product-team-management": 3, "communication": 5, "tech-adoption": 5,
			"technical-proficiency": 3, "mentoring": 3, "market-awareness": 5, "product-architecture": 3, "dev-methodologies": 2},
		Tomas: map[string]int{"business-acumen": 4, "ai-leadership": 4, "product-team-management": 2, "communication": 5, "tech-adoption": 4,
			"technical-proficiency": 2, "mentoring": 3, "market-awareness": 5, "product-architecture": 2, "dev-methodologies": 2},
		AlexNote:  "Excellent with the board and the market; has advised on delivery more than run it.",
		TomasNote: "Unsure she has taken use cases from pilot to production herself."},
}

// loadDemoTalent creates the demo team with its ratings and the candidates
// with the panel's ratings, through the talent services.
func loadDemoTalent(app *App, ctx context.Context) error {
	members, _, err := app.FindMembers(ctx, caio.Page{Limit: 50})
	if err != nil {
		return err
	}
	a, _ := caio.ActorFrom(ctx)
	as := func(email string) (context.Context, string) {
		for _, m := range members {
			if m.Email == email {
				return caio.WithActor(ctx, caio.Actor{UserID: m.UserID, Email: m.Email, OrgID: a.OrgID, OrgSlug: a.OrgSlug, Role: m.Role, Via: "demo"}), m.UserID
			}
		}
		return ctx, ""
	}
	alex, _ := as(DemoEmail)
	tomas, _ := as("product@northwind.example")
	for _, p := range northwindTeam {
		in := p.PersonInput
		if p.Email != "" {
			_, in.UserID = as(p.Email)
		}
		created, err := app.CreatePerson(ctx, in)
		if err != nil {
			return fmt.Errorf("person %s: %w", p.Name, err)
		}
		// The interim CAIO rates the team.
		if _, err := app.RateSkills(alex, created.ID, p.Levels); err != nil {
			return fmt.Errorf("ratings of %s: %w", p.Name, err)
		}
	}
	for _, c := range northwindCandidates {
		k, err := app.CreateCandidate(ctx, c.CandidateInput)
		if err != nil {
			return fmt.Errorf("candidate %s: %w", c.Name, err)
		}
		if _, err := app.RateCandidate(alex, k.ID, caio.PanelInput{Ratings: c.Alex, Notes: c.AlexNote}); err != nil {
			return fmt.Errorf("panel of %s: %w", c.Name, err)
		}
		if _, err := app.RateCandidate(tomas, k.ID, caio.PanelInput{Ratings: c.Tomas, Notes: c.TomasNote}); err != nil {
			return fmt.Errorf("panel of %s: %w", c.Name, err)
		}
	}
	return nil
}
