package app

import (
	"context"
	"fmt"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
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
	objectiveIDs := map[string]string{} // by title, for the inventory's links
	for _, o := range objectives {
		created, err := app.CreateObjective(in, o)
		if err != nil {
			return nil, err
		}
		objectiveIDs[created.Title] = created.ID
	}
	if slug == DemoSlug {
		if err := app.loadDemoInventory(in, objectiveIDs); err != nil {
			return nil, err
		}
		if err := app.loadDemoCompliance(in); err != nil {
			return nil, err
		}
		if err := app.loadDemoPortfolio(in, objectiveIDs); err != nil {
			return nil, err
		}
		if err := app.loadDemoAssessments(in); err != nil {
			return nil, err
		}
		for _, d := range demoAreas {
			if err := d.load(app, in); err != nil {
				return nil, fmt.Errorf("demo %s: %w", d.name, err)
			}
		}
	}
	return org, nil
}

// demoArea seeds one area of the demo organisation from the area's own file
// (demo_<area>.go), registered from an init function. Areas load in the
// order of their file names (the go command runs init functions in that
// order), after the inventory, compliance, portfolio and assessments they
// may refer to.
type demoArea struct {
	name string
	load func(app *App, ctx context.Context) error
}

// demoAreas are the registered areas.
var demoAreas []demoArea

// demoSystem is an AI system of the demo with what it links to, by name
// (objectives by title).
type demoSystem struct {
	caio.AISystemInput
	Models, Datasets, Vendors, Objectives []string
	// Profile, when set, classifies the system under the EU AI Act; its
	// facts are added to demoFacts.
	Profile *euaiact.Profile
}

// demoFacts are what every classified demo system shares: an AI system in
// the Union, no Art 2 exclusion, no prohibited practice, no Annex I product.
func demoFacts(extra map[string]bool) map[string]bool {
	f := map[string]bool{
		"definition.machine_based": true, "definition.autonomy": true, "definition.infers": true, "definition.outputs_influence": true,
		"scope.eu_nexus": true, "scope.military_defence": false, "scope.third_country_authority": false, "scope.research_only": false,
		"scope.pre_market_rd": false, "scope.personal_use": false, "scope.open_source": false, "gpai.provider": false,
		"art5.a.manipulative_technique": false, "art5.b.exploits_vulnerability": false, "art5.c.social_scoring": false,
		"art5.d.predicts_offending": false, "art5.e.untargeted_scraping": false, "art5.f.infers_emotions": false,
		"art5.g.biometric_categorisation": false, "art5.h.realtime_rbi": false, "art5.ncii.generates_intimate_content": false,
		"art50.interacts_with_people": false, "art50.generates_synthetic_content": false, "art50.emotion_or_biometric_categorisation": false,
		"art50.deep_fake": false, "art50.public_interest_text": false,
		"deployer.public_body": false, "deployer.public_service": false, "art111.legacy_public_authority": false,
		"art22.established_outside_eu": false,
	}
	for k, v := range extra {
		f[k] = v
	}
	return f
}

var (
	northwindVendors = []caio.VendorInput{
		{Name: "TalentLens", Website: "https://talentlens.example", Contact: "accounts@talentlens.example", Country: "NL",
			Description: "Recruitment software with AI ranking of job applicants, bought as a hosted service."},
		{Name: "Parlance AI", Website: "https://parlance.example", Contact: "Key account manager, Dublin office", Country: "IE",
			Description: "Conversational AI platform for customer service, built on a third-party general-purpose model."},
		{Name: "Meridian AI", Website: "https://meridian-ai.example", Country: "US",
			Description: "Provider of the general-purpose language model behind the customer chatbot and the document reader."},
	}
	northwindModels = []caio.AIModelInput{
		{Name: "Claims severity model", Provider: "Northwind Mutual (in-house)", ModelVersion: "2.3", Kind: "classical_ml", Licence: "Proprietary",
			Description: "Gradient-boosted trees that estimate the cost and complexity of a motor claim from the first notice of loss."},
		{Name: "Fraud network model", Provider: "Northwind Mutual (in-house)", ModelVersion: "1.4", Kind: "deep_learning", Licence: "Proprietary",
			Description: "A graph neural network over claims, parties, vehicles and repairers that scores links typical of organised fraud."},
		{Name: "Mortality and morbidity model", Provider: "Northwind Mutual (in-house)", ModelVersion: "2026.1", Kind: "classical_ml", Licence: "Proprietary",
			Description: "Generalised linear and boosted models used by actuaries to price term life and income protection cover."},
		{Name: "Meridian 3 Large", Provider: "Meridian AI", ModelVersion: "2026-02", Kind: "general_purpose", Licence: "Commercial API terms",
			Description: "General-purpose language model, used through the vendor's API with no training on Northwind data."},
		{Name: "TalentLens ranker", Provider: "TalentLens", ModelVersion: "5", Kind: "deep_learning", Licence: "Part of the TalentLens service",
			Description: "Ranks applications against a job profile; the vendor trains it, Northwind only configures the profile."},
	}
	northwindDatasets = []caio.DatasetInput{
		{Name: "Motor claims 2018-2025", Source: "Claims administration system (ClaimsCenter)", PersonalData: true, SpecialCategories: []string{"health"},
			Description: "Claims with their notices of loss, estimates and payments; injury claims hold health data."},
		{Name: "Confirmed fraud cases", Source: "Special Investigations Unit case files", PersonalData: true,
			Description: "Claims that investigators confirmed as fraudulent or cleared, with the reasons."},
		{Name: "Life underwriting applications", Source: "Life new business system", PersonalData: true, SpecialCategories: []string{"health"},
			Description: "Applications for term life cover with medical questionnaires and underwriting decisions."},
		{Name: "Customer service transcripts", Source: "Contact centre chat and email archive", PersonalData: true,
			Description: "Pseudonymised chat and email conversations, used to test the chatbot's answers."},
		{Name: "Job applications", Source: "Applicant tracking system", PersonalData: true,
			Description: "CVs and application forms of applicants for claims and customer service roles."},
	}
	northwindSystems = []demoSystem{
		{AISystemInput: caio.AISystemInput{Name: "Claims triage assistant",
			Purpose: "Scores each new motor claim for complexity and cost, and routes simple claims to straight-through processing while complex and injury claims go to a handler.",
			Owner:   "Head of Claims Operations", BusinessUnit: "Claims", Stage: "production", Countries: []string{"DE", "NL", "BE"},
			Users: "Claims handlers and team leaders", Affected: "Policy holders and third-party claimants",
			Autonomy: "human_in_the_loop", Oversight: "A handler reviews every claim the model would decline or pay above EUR 5,000; handlers can override the route.",
			Roles: []string{"provider", "deployer"}},
			Models: []string{"Claims severity model"}, Datasets: []string{"Motor claims 2018-2025"},
			Objectives: []string{"Settle simple motor claims in three days", "Lower the cost of handling a claim"},
			Profile:    &euaiact.Profile{Roles: []string{"provider", "deployer"}, AnnexI: "none", AnnexIII: []string{"none"}, Facts: demoFacts(nil)},
		},
		{AISystemInput: caio.AISystemInput{Name: "Life insurance pricing model",
			Purpose: "Assesses the risk of each applicant for term life cover and proposes the premium, within the tariff the pricing committee approved.",
			Owner:   "Chief Actuary", BusinessUnit: "Life and Health", Stage: "production", Countries: []string{"DE", "AT"},
			Users: "Underwriters and actuaries", Affected: "Applicants for life insurance",
			Autonomy: "human_on_the_loop", Oversight: "Underwriters see the factors behind each proposal and refer declined or loaded applications to a senior underwriter.",
			Roles: []string{"provider", "deployer"}},
			Models: []string{"Mortality and morbidity model"}, Datasets: []string{"Life underwriting applications"},
			Objectives: []string{"Be ready for the EU AI Act"},
			Profile:    &euaiact.Profile{Roles: []string{"provider", "deployer"}, AnnexI: "none", AnnexIII: []string{"5(c)"}, Facts: demoFacts(map[string]bool{"art6_3.profiling": true})},
		},
		{AISystemInput: caio.AISystemInput{Name: "Customer service chatbot",
			Purpose: "Answers customer questions on the website and drafts replies to emails, telling customers they are talking to an AI and handing over to an agent on request.",
			Owner:   "Director of Customer Service", BusinessUnit: "Customer Service", Stage: "testing", Countries: []string{"DE", "NL"},
			Users: "Customers on the website; service agents who check drafted emails", Affected: "Customers",
			Autonomy: "assistive", Oversight: "Agents approve every drafted email; the chat hands over to a person on request and on sensitive topics.",
			Roles: []string{"deployer"}},
			Models: []string{"Meridian 3 Large"}, Datasets: []string{"Customer service transcripts"}, Vendors: []string{"Parlance AI", "Meridian AI"},
			Objectives: []string{"Answer customers within four hours"},
			Profile: &euaiact.Profile{Roles: []string{"deployer"}, AnnexI: "none", AnnexIII: []string{"none"}, Facts: demoFacts(map[string]bool{
				"art50.interacts_with_people": true, "art50.obvious_ai": false, "art50.law_enforcement_authorised": false,
				"art50.generates_synthetic_content": true, "art50.assistive_editing_only": false, "art50.on_market_before_2026_08": false})},
		},
		{AISystemInput: caio.AISystemInput{Name: "CV screening",
			Purpose: "Ranks applications for claims and customer service roles against the job profile so recruiters read the best-matching ones first.",
			Owner:   "Chief People Officer", BusinessUnit: "People", Stage: "development", Countries: []string{"DE"},
			Users: "Recruiters", Affected: "Job applicants",
			Autonomy: "assistive", Oversight: "Recruiters read every application before a rejection; the ranking is never the only reason.",
			Roles: []string{"deployer"}},
			Models: []string{"TalentLens ranker"}, Datasets: []string{"Job applications"}, Vendors: []string{"TalentLens"},
			// Art 25 is not answered yet: the classification stays provisional
			// and says what the answers could change.
			Profile: &euaiact.Profile{Roles: []string{"deployer"}, AnnexI: "none", AnnexIII: []string{"4(a)"}, Facts: demoFacts(map[string]bool{"art6_3.profiling": true})},
		},
		{AISystemInput: caio.AISystemInput{Name: "Claims fraud detection",
			Purpose: "Flags incoming claims with signs of fraud so that investigators review them before payment.",
			Owner:   "Head of Special Investigations", BusinessUnit: "Claims", Stage: "production", Countries: []string{"DE", "NL", "BE"},
			Users: "Fraud investigators", Affected: "Policy holders and claimants",
			Autonomy: "human_in_the_loop", Oversight: "A flag only starts an investigation; no claim is declined on a score alone.",
			Roles: []string{"provider", "deployer"}},
			Models: []string{"Fraud network model"}, Datasets: []string{"Confirmed fraud cases", "Motor claims 2018-2025"},
			Objectives: []string{"Catch more fraud before we pay"},
			Profile:    &euaiact.Profile{Roles: []string{"provider", "deployer"}, AnnexI: "none", AnnexIII: []string{"none"}, Facts: demoFacts(nil)},
		},
		{AISystemInput: caio.AISystemInput{Name: "Broker submission reader",
			Purpose: "Extracts the insured values, locations and risk features from broker submissions and survey reports into the underwriting workbench.",
			Owner:   "Chief Underwriting Officer", BusinessUnit: "Commercial Lines", Stage: "planned", Countries: []string{"DE"},
			Users: "Commercial underwriters", Affected: "Commercial clients and their brokers",
			Autonomy: "assistive", Oversight: "Underwriters check every extracted field before quoting.",
			Roles: []string{"deployer"}},
			Models: []string{"Meridian 3 Large"}, Vendors: []string{"Meridian AI"},
			Objectives: []string{"Quote commercial property risks within one working day"}},
	}
)

// loadDemoInventory adds Northwind's AI systems, models, datasets and
// vendors, and links them to each other and to the objectives.
func (app *App) loadDemoInventory(ctx context.Context, objectiveIDs map[string]string) error {
	ids := map[string]string{} // kind:name → id
	for _, v := range northwindVendors {
		x, err := app.CreateVendor(ctx, v)
		if err != nil {
			return err
		}
		ids["vendor:"+x.Name] = x.ID
	}
	for _, m := range northwindModels {
		x, err := app.CreateModel(ctx, m)
		if err != nil {
			return err
		}
		ids["model:"+x.Name] = x.ID
	}
	for _, d := range northwindDatasets {
		x, err := app.CreateDataset(ctx, d)
		if err != nil {
			return err
		}
		ids["dataset:"+x.Name] = x.ID
	}
	for title, id := range objectiveIDs {
		ids["objective:"+title] = id
	}
	for _, s := range northwindSystems {
		x, err := app.CreateSystem(ctx, s.AISystemInput)
		if err != nil {
			return err
		}
		for _, l := range []struct {
			kind  string
			names []string
		}{{"model", s.Models}, {"dataset", s.Datasets}, {"vendor", s.Vendors}, {"objective", s.Objectives}} {
			for _, name := range l.names {
				if _, err := app.LinkSystem(ctx, x.ID, l.kind, ids[l.kind+":"+name]); err != nil {
					return fmt.Errorf("demo: link %s to %s %q: %w", x.Name, l.kind, name, err)
				}
			}
		}
		if s.Profile != nil {
			if _, err := app.ClassifySystem(ctx, x.ID, s.Profile); err != nil {
				return fmt.Errorf("demo: classify %s: %w", x.Name, err)
			}
		}
	}
	return nil
}
