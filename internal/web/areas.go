package web

// navArea is one entry of the main navigation: a capability of caio.
type navArea struct {
	Key     string
	Title   string
	Href    string
	Summary string
}

// navAreas follows the capabilities in PRODUCT.md, in the order a new CAIO
// meets them.
var navAreas = []navArea{
	{Key: "home", Title: "Home", Href: "/"},
	{Key: "advisor", Title: "Advice and tasks", Href: "/advice", Summary: "The virtual CAIO: next best actions with their reasons, deadlines and links."},
	{Key: "reminders", Title: "Reminders", Href: "/reminders", Summary: "Every deadline that concerns you, and the daily digest by email."},
	{Key: "engagement", Title: "Engagement", Href: "/engagement", Summary: "The interim CAIO's engagement from day one to handover."},
	{Key: "objectives", Title: "Objectives", Href: "/objectives", Summary: "Business objectives and the KPIs that AI work should move."},
	{Key: "strategy", Title: "Strategy and roadmap", Href: "/strategy", Summary: "The AI strategy as structured content and a roadmap by quarter."},
	{Key: "portfolio", Title: "Use cases", Href: "/usecases", Summary: "The use-case portfolio from idea to production and value."},
	{Key: "inventory", Title: "AI inventory", Href: "/systems", Summary: "Every AI system, the models and datasets it uses, and its vendors."},
	{Key: "compliance", Title: "Compliance", Href: "/compliance", Summary: "EU AI Act classification with its reasons, obligations with dates, frameworks, controls and evidence."},
	{Key: "assessments", Title: "Assessments", Href: "/assessments", Summary: "Questionnaires with scoring: readiness, impact (FRIA), vendors, Canada's AIA."},
	{Key: "risks", Title: "Risks", Href: "/risks", Summary: "A risk register with libraries and a heat map."},
	{Key: "incidents", Title: "Incidents", Href: "/incidents", Summary: "AI incidents with the EU AI Act Art 73 reporting clocks."},
	{Key: "policies", Title: "Policies", Href: "/policies", Summary: "A policy library with versions, approvals and acknowledgements."},
	{Key: "talent", Title: "Talent", Href: "/talent", Summary: "The AI team's skills and hiring the permanent CAIO."},
	{Key: "reports", Title: "Reports", Href: "/reports", Summary: "Board report, strategy, portfolio, EU AI Act readiness, system cards and the handover pack, in HTML, Markdown and PDF."},
	{Key: "imports", Title: "Import and export", Href: "/imports/new", Summary: "Use cases, systems, vendors and risks from CSV or XLSX; every list downloads as CSV and XLSX; the US federal inventory, CycloneDX and governance as code from the command line."},
	{Key: "automation", Title: "Automation", Href: "/automation", Summary: "MCP server for AI agents, single sign-on, signed webhooks and an optional assistant."},
}
