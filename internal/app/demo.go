package app

import (
	"context"

	"github.com/caio-office/caio"
)

// The demo shows caio with believable content: Northwind Mutual, a fictional
// mid-size European insurer with an interim Chief AI Officer, and Harbour
// Advisory, a fictional consultancy, so the organisation switcher has two
// entries. Every name, person and figure is invented.
const (
	DemoSlug           = "demo"
	DemoConsultingSlug = "demo-consulting"
	DemoEmail          = "demo@caio.example"
	// DemoPassword signs in every demo user. It is public: never load the
	// demo into a database that real people use.
	DemoPassword = "demo-password-123"
)

// DemoUser is a person the demo creates.
type DemoUser struct {
	Email string
	Name  string
	Title string
	Role  caio.Role
	Org   string // slug
}

// DemoUsers lists the demo's people, the demo owner first.
var DemoUsers = []DemoUser{
	{DemoEmail, "Alex Morgan", "Interim Chief AI Officer", caio.RoleOwner, DemoSlug},
	{"governance@northwind.example", "Ingrid Vos", "Head of AI Governance and Compliance", caio.RoleApprover, DemoSlug},
	{"product@northwind.example", "Tomás Ferreira", "Product Lead, Claims Digital", caio.RoleEditor, DemoSlug},
	{"analyst@northwind.example", "Priya Raman", "Senior Claims Analyst", caio.RoleContributor, DemoSlug},
	{"board@northwind.example", "Margaret Lindqvist", "Non-executive Director, Risk Committee", caio.RoleViewer, DemoSlug},
	{"partner@harbour.example", "Elena Marsh", "Managing Partner, Harbour Advisory", caio.RoleOwner, DemoConsultingSlug},
	{DemoEmail, "Alex Morgan", "Associate at Harbour Advisory", caio.RoleEditor, DemoConsultingSlug},
}

func num(f float64) *float64 { return &f }

var northwindObjectives = []caio.ObjectiveInput{
	{
		Title: "Settle simple motor claims in three days",
		Description: "Straight-through processing for low-value motor claims: damage estimates from photos, automatic cover checks and payment. " +
			"A claims handler reviews every decline, and injury or complex claims stay with people.",
		KPI: "Median days from first notice of loss to payment, simple motor claims", Baseline: num(9), Target: num(3), Unit: "days",
		Horizon: "2027-12-31", Owner: "Head of Claims Operations",
	},
	{
		Title: "Catch more fraud before we pay",
		Description: "Score every incoming claim for fraud signals so the investigators review the right cases first. " +
			"The model only flags: people decide, and no claim is declined on a score alone.",
		KPI: "Share of confirmed fraud detected before payment", Baseline: num(38), Target: num(60), Unit: "%",
		Horizon: "2028-06-30", Owner: "Head of Special Investigations",
	},
	{
		Title: "Answer customers within four hours",
		Description: "An assistant drafts replies to email and chat enquiries for service agents to check and send, " +
			"and sends urgent cases, such as bereavement or a customer in a vulnerable situation, straight to a person.",
		KPI: "Average first response time on digital channels", Baseline: num(26), Target: num(4), Unit: "hours",
		Horizon: "2027-06-30", Owner: "Director of Customer Service",
	},
	{
		Title: "Quote commercial property risks within one working day",
		Description: "Read broker submissions and survey reports automatically so underwriters spend their time on judgement, not on re-keying. " +
			"Underwriters keep the authority over every quote.",
		KPI: "Median working days from broker submission to quote", Baseline: num(6), Target: num(1), Unit: "days",
		Horizon: "2028-03-31", Owner: "Chief Underwriting Officer",
	},
	{
		Title: "Be ready for the EU AI Act",
		Description: "List every AI system we build or buy, classify each under the AI Act, and put the controls, documentation and human oversight it needs in place. " +
			"Our life and health pricing models are likely high-risk under Annex III point 5(c), which also calls for a fundamental rights impact assessment before use.",
		KPI: "Share of AI systems classified, with obligations mapped and controls in place", Baseline: num(15), Target: num(100), Unit: "%",
		Horizon: "2027-06-30", Owner: "Head of AI Governance and Compliance",
	},
	{
		Title: "AI literacy for everyone who works with AI",
		Description: "Role-based training so that staff who build, buy or use AI systems know what the tools can and cannot do, as Article 4 of the AI Act expects. " +
			"Board members take a short module of their own.",
		KPI: "Staff in AI-using roles who completed role-based training", Baseline: num(12), Target: num(95), Unit: "%",
		Horizon: "2027-03-31", Owner: "Chief People Officer",
	},
	{
		Title: "Keep more home insurance customers at renewal",
		Description: "Spot customers likely to leave and suggest a next step to the service agent. " +
			"No automated price changes: pricing stays with the pricing committee.",
		KPI: "Home policy retention rate at renewal", Baseline: num(81), Target: num(85), Unit: "%",
		Horizon: "2028-12-31", Owner: "Chief Customer Officer",
	},
	{
		Title:       "Lower the cost of handling a claim",
		Description: "The combined effect of claims automation, document intake and better triage on the expense side of the claims ratio.",
		KPI:         "Average handling cost per claim", Baseline: num(142), Target: num(110), Unit: "EUR",
		Horizon: "2028-12-31", Owner: "Chief Financial Officer",
	},
}

var harbourObjectives = []caio.ObjectiveInput{
	{
		Title:       "Give each new client a governance baseline in ten working days",
		Description: "Inventory, first classification and a readiness score for every new client, delivered as one short report.",
		KPI:         "Working days from engagement start to baseline report", Baseline: num(25), Target: num(10), Unit: "days",
		Horizon: "2027-09-30", Owner: "Managing Partner",
	},
	{
		Title:       "Hand over every engagement with a complete pack",
		Description: "Each interim mandate ends with a handover pack the client's permanent team has signed off.",
		KPI:         "Engagements closed with a signed-off handover pack", Baseline: num(60), Target: num(100), Unit: "%",
		Horizon: "2027-12-31", Owner: "Delivery Lead",
	},
}

// LoadDemo creates the demo organisations, their people and objectives,
// through the same services as everything else, so every change is in the
// audit trail. It is idempotent: when the "demo" organisation exists it
// changes nothing and returns it. Every demo user signs in with DemoPassword.
func (app *App) LoadDemo(ctx context.Context) (*caio.Organization, error) {
	if a, err := app.SystemActor(ctx, DemoSlug); err == nil {
		return app.CurrentOrg(caio.WithActor(ctx, a))
	}
	org, err := app.loadDemoOrg(ctx, "Northwind Mutual", DemoSlug, northwindObjectives)
	if err != nil {
		return nil, err
	}
	if _, err := app.SystemActor(ctx, DemoConsultingSlug); err != nil {
		if _, err := app.loadDemoOrg(ctx, "Harbour Advisory", DemoConsultingSlug, harbourObjectives); err != nil {
			return nil, err
		}
	}
	return org, nil
}

// loadDemoOrg creates one demo organisation with its owner, the other
// members listed for it in DemoUsers, and its objectives.
func (app *App) loadDemoOrg(ctx context.Context, name, slug string, objectives []caio.ObjectiveInput) (*caio.Organization, error) {
	var owner DemoUser
	for _, u := range DemoUsers {
		if u.Org == slug && u.Role == caio.RoleOwner {
			owner = u
			break
		}
	}
	sys := caio.WithActor(ctx, caio.Actor{System: true, Via: "demo"})
	org, err := app.CreateOrg(sys, SignupInput{OrgName: name, OrgSlug: slug, Email: owner.Email, Name: owner.Name, Password: DemoPassword})
	if err != nil {
		return nil, err
	}
	in := caio.WithActor(ctx, caio.Actor{System: true, Via: "demo", OrgID: org.ID, OrgSlug: org.Slug, Role: caio.RoleOwner})
	for _, u := range DemoUsers {
		if u.Org != slug || u.Email == owner.Email {
			continue
		}
		if _, err := app.AddMember(in, MemberInput{Email: u.Email, Name: u.Name, Role: u.Role, Password: DemoPassword}); err != nil {
			return nil, err
		}
	}
	for _, o := range objectives {
		if _, err := app.CreateObjective(in, o); err != nil {
			return nil, err
		}
	}
	return org, nil
}
