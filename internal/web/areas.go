package web

import (
	"net/http"

	"github.com/caio-office/caio"
)

// navArea is one entry of the main navigation: a capability of caio. Areas
// that are not built yet have a page saying what will live there.
type navArea struct {
	Key     string
	Title   string
	Href    string
	Built   bool
	Summary string
	Coming  []string
}

// navAreas follows the capabilities in PRODUCT.md, in the order a new CAIO
// meets them.
var navAreas = []navArea{
	{Key: "home", Title: "Home", Href: "/", Built: true},
	{Key: "advisor", Title: "Advice and tasks", Href: "/advice", Built: true, Summary: "The virtual CAIO: next best actions with their reasons, deadlines and links."},
	{Key: "reminders", Title: "Reminders", Href: "/reminders", Built: true, Summary: "Every deadline that concerns you, and the daily digest by email."},
	{Key: "engagement", Title: "Engagement", Href: "/engagement", Built: true, Summary: "The interim CAIO's engagement from day one to handover."},
	{Key: "objectives", Title: "Objectives", Href: "/objectives", Built: true, Summary: "Business objectives and the KPIs that AI work should move."},
	{Key: "strategy", Title: "Strategy and roadmap", Href: "/strategy", Built: true, Summary: "The AI strategy as structured content and a roadmap by quarter.",
		Coming: []string{"Vision, principles, priorities and target maturity", "Budget and owners", "Roadmap by quarter, linked to use cases and objectives"}},
	{Key: "portfolio", Title: "Use cases", Href: "/usecases", Built: true, Summary: "The use-case portfolio from idea to production and value.",
		Coming: []string{"Intake as a canvas and a triage queue", "Scoring (value, feasibility, risk; RICE and WSJF) with weights per organisation", "Business cases with a Monte Carlo simulation (P10/P50/P90)", "Stage gates with criteria and approvals", "Value realised against the business case"}},
	{Key: "inventory", Title: "AI inventory", Href: "/systems", Built: true, Summary: "Every AI system, the models and datasets it uses, and its vendors.",
		Coming: []string{"AI systems with owner, lifecycle, role and deployment", "Models, datasets and vendors, linked to systems", "A system card per system"}},
	{Key: "compliance", Title: "Compliance", Href: "/compliance", Built: true, Summary: "EU AI Act classification with its reasons, obligations with dates, frameworks, controls and evidence.",
		Coming: []string{"EU AI Act classification citing article, paragraph and point", "Obligations per role with application dates, as enacted and as amended by the Digital Omnibus", "NIST AI RMF, ISO/IEC 42001 and OMB M-25-21 controls with a crosswalk", "Evidence and a compliance posture per system, framework and organisation"}},
	{Key: "assessments", Title: "Assessments", Href: "/assessments", Built: true, Summary: "Questionnaires with scoring: readiness, impact (FRIA), vendors, Canada's AIA.",
		Coming: []string{"AI readiness and maturity with a radar chart and trend", "AI impact assessment covering EU AI Act Art 27", "Vendor AI assessment", "External SurveyJS questionnaires scored like the original tool"}},
	{Key: "risks", Title: "Risks", Href: "/risks", Built: true, Summary: "A risk register with libraries and a heat map."},
	{Key: "incidents", Title: "Incidents", Href: "/incidents", Built: true, Summary: "AI incidents with the EU AI Act Art 73 reporting clocks."},
	{Key: "policies", Title: "Policies", Href: "/policies", Built: true, Summary: "A policy library with versions, approvals and acknowledgements."},
	{Key: "talent", Title: "Talent", Href: "/talent", Built: true, Summary: "The AI team's skills and hiring the permanent CAIO."},
	{Key: "reports", Title: "Reports", Href: "/reports", Built: true, Summary: "Board report, strategy, portfolio, EU AI Act readiness, system cards and the handover pack, in HTML, Markdown and PDF."},
	{Key: "imports", Title: "Import and export", Href: "/imports/new", Built: true, Summary: "Use cases, systems, vendors and risks from CSV or XLSX; every list downloads as CSV and XLSX; the US federal inventory, CycloneDX and governance as code from the command line."},
	{Key: "automation", Title: "Automation", Href: "/areas/automation", Summary: "MCP server for AI agents, single sign-on, webhooks and an optional assistant.",
		Coming: []string{"MCP server over the same permissions", "OIDC single sign-on per organisation", "Signed webhooks with a delivery log", "An optional assistant through any OpenAI-compatible endpoint"}},
}

func (w *Web) area(rw http.ResponseWriter, r *http.Request) {
	key := r.PathValue("area")
	for _, a := range navAreas {
		if a.Key == key && !a.Built {
			w.render(rw, r, http.StatusOK, "area", &page{Title: a.Title, Nav: a.Key, Data: a})
			return
		}
	}
	w.fail(rw, r, caio.Errorf(caio.ENOTFOUND, "There is no such area."))
}
