package mcp

import (
	"context"
	"fmt"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/google/jsonschema-go/jsonschema"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// The read-only tools: search and get for AI systems, use cases, risks,
// obligations (controls) and incidents, and the advisor's actions. Each needs
// the read permission, which every role has.

// IDIn names one object.
type IDIn struct {
	ID string `json:"id" jsonschema:"The object's id, as a search returned it."`
}

// --- AI systems ---

// SystemsIn asks for a page of AI systems.
type SystemsIn struct {
	Query          string `json:"query,omitempty" jsonschema:"Words to find in the name, intended purpose or owner."`
	Class          string `json:"class,omitempty" jsonschema:"Only systems of this EU AI Act class; unclassified for those without one."`
	Stage          string `json:"stage,omitempty" jsonschema:"Only systems at this lifecycle stage."`
	Owner          string `json:"owner,omitempty" jsonschema:"Only systems with exactly this owner."`
	DeadlineBefore string `json:"deadline_before,omitempty" jsonschema:"Only systems whose next EU AI Act deadline is on or before this date, YYYY-MM-DD."`
	Sort           string `json:"sort,omitempty" jsonschema:"Order of the results; newest first when left out."`
	PageIn
}

// SystemSummary is an AI system in a list.
type SystemSummary struct {
	ID           string `json:"id"`
	Name         string `json:"name"`
	Purpose      string `json:"purpose" jsonschema:"The intended purpose."`
	Owner        string `json:"owner"`
	Stage        string `json:"stage"`
	Class        string `json:"class" jsonschema:"EU AI Act class; empty when not classified."`
	NextDeadline string `json:"next_deadline" jsonschema:"The next date an obligation applies from, YYYY-MM-DD, or empty."`
}

// SystemsOut is a page of AI systems.
type SystemsOut struct {
	PageOut
	Items []SystemSummary `json:"items"`
}

// SystemOut is one AI system with its classification and the state of its
// obligations.
type SystemOut struct {
	System *caio.AISystem `json:"system"`
	// Classification is nil before the system is first classified.
	Classification *ClassificationSummary `json:"classification" jsonschema:"The EU AI Act classification in effect; null before the first."`
	Obligations    caio.StatusCounts      `json:"obligations" jsonschema:"How many of the system's applicable controls (obligations and framework requirements) stand in each status; search_obligations lists them."`
}

// ClassificationSummary is what an agent needs of a stored classification.
type ClassificationSummary struct {
	Class          string           `json:"class" jsonschema:"The class in effect: a reviewed override's, else the engine's."`
	EngineClass    string           `json:"engine_class"`
	Basis          []string         `json:"basis" jsonschema:"Legal basis of the engine's class, such as annex_iii:4(a)."`
	Provisional    bool             `json:"provisional" jsonschema:"True while unknown facts could change the class."`
	Timeline       string           `json:"timeline"`
	Reasons        []euaiact.Reason `json:"reasons"`
	Missing        int              `json:"missing_facts" jsonschema:"How many unknown facts could change the result."`
	Override       string           `json:"override,omitempty" jsonschema:"The reviewed override's reason, when one is in effect."`
	ClassifiedAt   *time.Time       `json:"classified_at"`
	ContentVersion string           `json:"content_version"`
}

// --- use cases ---

// UseCasesIn asks for a page of use cases.
type UseCasesIn struct {
	Query    string `json:"query,omitempty" jsonschema:"Words to find in the title, problem or owner."`
	Stage    string `json:"stage,omitempty" jsonschema:"Only use cases at this stage."`
	Intake   string `json:"intake,omitempty" jsonschema:"Only use cases in this triage state (submitted ideas wait for an editor)."`
	Approach string `json:"approach,omitempty"`
	Owner    string `json:"owner,omitempty" jsonschema:"Only use cases with exactly this owner."`
	SystemID string `json:"system_id,omitempty" jsonschema:"Only use cases linked to this AI system, sys_..."`
	Sort     string `json:"sort,omitempty" jsonschema:"priority (the default) ranks by the organisation's scoring."`
	PageIn
}

// UseCaseSummary is a use case in a list.
type UseCaseSummary struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Problem  string  `json:"problem"`
	Stage    string  `json:"stage"`
	Intake   string  `json:"intake"`
	Owner    string  `json:"owner"`
	Priority float64 `json:"priority" jsonschema:"20 to 100, 0 when not rated."`
	Quadrant string  `json:"quadrant"`
	Rank     int     `json:"rank" jsonschema:"Place in the ranking when sorted by priority (1 is first), else 0."`
	Blocked  bool    `json:"blocked" jsonschema:"A linked AI system is prohibited under the EU AI Act."`
}

// UseCasesOut is a page of use cases.
type UseCasesOut struct {
	PageOut
	Items []UseCaseSummary `json:"items"`
}

// UseCaseOut is one use case with its score and the reasons for it.
type UseCaseOut struct {
	UseCase *caio.UseCase   `json:"use_case"`
	Score   portfolio.Score `json:"score"`
}

// --- risks ---

// RisksIn asks for a page of risks.
type RisksIn struct {
	Query     string `json:"query,omitempty" jsonschema:"Words to find in the title, description or owner."`
	Status    string `json:"status,omitempty"`
	Library   string `json:"library,omitempty" jsonschema:"Only risks categorised in this library, such as owasp-llm, mit, atlas or nist-600-1."`
	Owner     string `json:"owner,omitempty" jsonschema:"Only risks with exactly this owner."`
	SystemID  string `json:"system_id,omitempty" jsonschema:"Only risks linked to this AI system, sys_..."`
	UseCaseID string `json:"use_case_id,omitempty" jsonschema:"Only risks linked to this use case, uc_..."`
	Breach    *bool  `json:"breach,omitempty" jsonschema:"true: only risks above the organisation's appetite; false: only those within it."`
	Overdue   *bool  `json:"overdue,omitempty" jsonschema:"true: only open risks whose review date has passed."`
	Sort      string `json:"sort,omitempty" jsonschema:"Highest score first when left out."`
	PageIn
}

// RiskSummary is a risk in a list.
type RiskSummary struct {
	ID         string `json:"id"`
	Title      string `json:"title"`
	Category   string `json:"category" jsonschema:"library:item, such as owasp-llm:LLM01, or empty."`
	Status     string `json:"status"`
	Owner      string `json:"owner"`
	Score      int    `json:"score" jsonschema:"Residual when assessed, else inherent: likelihood times impact."`
	Breach     bool   `json:"breach" jsonschema:"Above the organisation's risk appetite."`
	Overdue    bool   `json:"overdue"`
	ReviewDate string `json:"review_date"`
}

// RisksOut is a page of risks.
type RisksOut struct {
	PageOut
	Items []RiskSummary `json:"items"`
}

// --- obligations ---

// ObligationsIn asks for a page of controls: the EU AI Act obligations and
// framework requirements that apply to AI systems.
type ObligationsIn struct {
	SystemID  string `json:"system_id,omitempty" jsonschema:"Only the controls of this AI system, sys_..."`
	Framework string `json:"framework,omitempty" jsonschema:"Only controls of this framework, such as eu-ai-act, nist-ai-rmf or iso-42001."`
	Status    string `json:"status,omitempty"`
	Owner     string `json:"owner,omitempty" jsonschema:"Only controls with exactly this owner."`
	Overdue   bool   `json:"overdue,omitempty" jsonschema:"Only open controls whose due date or legal deadline has passed."`
	All       bool   `json:"include_inapplicable,omitempty" jsonschema:"Also controls that no longer apply."`
	Sort      string `json:"sort,omitempty" jsonschema:"due (the default) puts the earliest date first."`
	PageIn
}

// ObligationSummary is a control in a list.
type ObligationSummary struct {
	ID         string `json:"id"`
	SystemID   string `json:"system_id"`
	SystemName string `json:"system_name"`
	Framework  string `json:"framework"`
	Item       string `json:"item" jsonschema:"The requirement's label, such as Art 9."`
	Title      string `json:"title"`
	Applicable bool   `json:"applicable"`
	Status     string `json:"status"`
	Owner      string `json:"owner"`
	Deadline   string `json:"deadline" jsonschema:"The date it applies from in law, YYYY-MM-DD, or empty."`
	Due        string `json:"due" jsonschema:"The date that counts: the organisation's due date, else the legal deadline."`
	Overdue    bool   `json:"overdue"`
	Evidence   int    `json:"evidence" jsonschema:"How many evidence items it has."`
}

// ObligationsOut is a page of controls.
type ObligationsOut struct {
	PageOut
	Today string              `json:"today"`
	Items []ObligationSummary `json:"items"`
}

// --- incidents ---

// IncidentsIn asks for a page of incidents.
type IncidentsIn struct {
	Query    string `json:"query,omitempty" jsonschema:"Words to find in the title, description or owner."`
	Status   string `json:"status,omitempty"`
	Severity string `json:"severity,omitempty"`
	SystemID string `json:"system_id,omitempty" jsonschema:"Only incidents involving this AI system, sys_..."`
	Serious  *bool  `json:"serious,omitempty" jsonschema:"true: only serious incidents under Art 3(49)."`
	Overdue  *bool  `json:"overdue,omitempty" jsonschema:"true: only incidents whose Art 73 report is overdue."`
	Sort     string `json:"sort,omitempty" jsonschema:"Latest awareness first when left out; due sorts by reporting deadline."`
	PageIn
}

// IncidentSummary is an incident in a list.
type IncidentSummary struct {
	ID        string     `json:"id"`
	Title     string     `json:"title"`
	Severity  string     `json:"severity"`
	Status    string     `json:"status"`
	Serious   bool       `json:"serious"`
	AwareAt   time.Time  `json:"aware_at"`
	ReportDue *time.Time `json:"report_due" jsonschema:"The Art 73 reporting deadline, or null when no clock runs."`
	Clock     string     `json:"clock" jsonschema:"Where the reporting clock stands."`
	Systems   []string   `json:"systems" jsonschema:"Names of the AI systems involved."`
}

// IncidentsOut is a page of incidents.
type IncidentsOut struct {
	PageOut
	Items []IncidentSummary `json:"items"`
}

// --- advice ---

// AdviceIn asks for a page of the advisor's actions.
type AdviceIn struct {
	Mine             bool   `json:"mine,omitempty" jsonschema:"Only the actions for you: your role's, or naming you."`
	Kind             string `json:"kind,omitempty" jsonschema:"Only actions about this kind of object, such as system, use_case, risk, vendor, incident, policy."`
	State            string `json:"state,omitempty" jsonschema:"Only actions in this state; open and accepted ones when left out."`
	IncludeSnoozed   bool   `json:"include_snoozed,omitempty"`
	IncludeDismissed bool   `json:"include_dismissed,omitempty"`
	PageIn
}

// AdviceOut is a page of actions, most urgent and important first.
type AdviceOut struct {
	PageOut
	Today    string         `json:"today"`
	Counts   map[string]int `json:"counts" jsonschema:"Actions in each state."`
	Items    []*caio.Advice `json:"items"`
	Problems []string       `json:"problems,omitempty" jsonschema:"Rules that could not be evaluated; the others still advise."`
}

func (t *tools) addReadTools(s *sdk.Server) {
	addTool(t, s, &sdk.Tool{Name: "search_systems", Annotations: readOnly("Search AI systems"),
		Description: "Search the organisation's inventory of AI systems by words, EU AI Act class, stage, owner or next deadline. Returns a page of short entries and the total; read one in full with get_system.",
		InputSchema: schemaFor[SystemsIn](func(p map[string]*jsonschema.Schema) {
			pageProps(p)
			p["class"].Enum = enum(append([]string{caio.Unclassified}, caio.SystemClasses...)...)
			p["stage"].Enum = enum(caio.SystemStages...)
			p["sort"].Enum = enum(caio.SystemSorts...)
		})}, t.searchSystems)
	addTool(t, s, &sdk.Tool{Name: "get_system", Annotations: readOnly("Get an AI system"),
		Description: "Read one AI system: purpose, owner, stage, roles, its EU AI Act classification in effect with the reasons, and how many of its obligations are done. ids start with sys_."}, t.getSystem)

	addTool(t, s, &sdk.Tool{Name: "search_use_cases", Annotations: readOnly("Search use cases"),
		Description: "Search the AI use-case portfolio by words, stage, triage state, approach, owner or linked system; ranked by priority unless another sort is asked for. Returns a page and the total; read one with get_use_case.",
		InputSchema: schemaFor[UseCasesIn](func(p map[string]*jsonschema.Schema) {
			pageProps(p)
			p["stage"].Enum = enum(stageKeys()...)
			p["intake"].Enum = enum(caio.IntakeSubmitted, caio.IntakeAccepted, caio.IntakeMerged, caio.IntakeRejected)
			p["approach"].Enum = enum(caio.UseCaseApproaches...)
			p["sort"].Enum = enum(caio.UseCaseSorts...)
		})}, t.searchUseCases)
	addTool(t, s, &sdk.Tool{Name: "get_use_case", Annotations: readOnly("Get a use case"),
		Description: "Read one use case: its canvas (problem, users, data, benefits, costs, risks), stage, links, ratings and the priority score with each component and reason. ids start with uc_."}, t.getUseCase)

	addTool(t, s, &sdk.Tool{Name: "search_risks", Annotations: readOnly("Search risks"),
		Description: "Search the risk register by words, status, library, owner, linked system or use case, appetite breach or overdue review. Highest score first. Returns a page and the total; read one with get_risk.",
		InputSchema: schemaFor[RisksIn](func(p map[string]*jsonschema.Schema) {
			pageProps(p)
			p["status"].Enum = enum(caio.RiskStatuses...)
			p["sort"].Enum = enum(caio.RiskSorts...)
		})}, t.searchRisks)
	addTool(t, s, &sdk.Tool{Name: "get_risk", Annotations: readOnly("Get a risk"),
		Description: "Read one risk with its assessment (inherent and residual), links to systems, use cases, vendors and controls, and its treatments. ids start with rsk_."}, t.getRisk)

	addTool(t, s, &sdk.Tool{Name: "search_obligations", Annotations: readOnly("Search obligations"),
		Description: "List the controls that follow from classifications and the frameworks the organisation follows: EU AI Act obligations (with their legal deadlines) and the linked requirements of other frameworks, per AI system. Filter by system, framework, status, owner or overdue; earliest due first.",
		InputSchema: schemaFor[ObligationsIn](func(p map[string]*jsonschema.Schema) {
			pageProps(p)
			p["status"].Enum = enum(caio.ControlStatuses...)
			p["sort"].Enum = enum(caio.ControlSorts...)
		})}, t.searchObligations)

	addTool(t, s, &sdk.Tool{Name: "search_incidents", Annotations: readOnly("Search incidents"),
		Description: "Search AI incidents by words, status, severity, system, seriousness under Art 3(49) or overdue Art 73 report. Returns a page and the total; read one with get_incident.",
		InputSchema: schemaFor[IncidentsIn](func(p map[string]*jsonschema.Schema) {
			pageProps(p)
			p["status"].Enum = enum(caio.IncidentStatuses...)
			p["severity"].Enum = enum(caio.IncidentSeverities...)
			p["sort"].Enum = enum(caio.IncidentSorts...)
		})}, t.searchIncidents)
	addTool(t, s, &sdk.Tool{Name: "get_incident", Annotations: readOnly("Get an incident"),
		Description: "Read one incident with its systems, harms, Art 73 reporting clock and corrective actions. ids start with inc_."}, t.getIncident)

	addTool(t, s, &sdk.Tool{Name: "list_advice", Annotations: readOnly("List next best actions"),
		Description: "The virtual CAIO's next best actions for the organisation, ranked by urgency and impact: each with why (from the facts), the legal or framework references, a due date, who should do it and the object it is about. Use mine for the caller's own.",
		InputSchema: schemaFor[AdviceIn](func(p map[string]*jsonschema.Schema) {
			pageProps(p)
			p["state"].Enum = enum(caio.AdviceStates...)
		})}, t.listAdvice)
}

func stageKeys() []string {
	var out []string
	for _, s := range portfolio.Stages() {
		out = append(out, string(s.Key))
	}
	return out
}

func (t *tools) searchSystems(ctx context.Context, in SystemsIn) (SystemsOut, string, error) {
	f := caio.AISystemFilter{Query: opt(in.Query), Class: opt(in.Class), Stage: opt(in.Stage), Owner: opt(in.Owner),
		DeadlineBefore: opt(in.DeadlineBefore), Sort: in.Sort, Page: in.page()}
	items, total, err := t.app.FindSystems(ctx, f)
	if err != nil {
		return SystemsOut{}, "", err
	}
	out := SystemsOut{PageOut: pageOut(total, f.Page), Items: make([]SystemSummary, len(items))}
	for i, s := range items {
		out.Items[i] = SystemSummary{ID: s.ID, Name: s.Name, Purpose: s.Purpose, Owner: s.Owner, Stage: s.Stage, Class: s.Class, NextDeadline: s.NextDeadline}
	}
	return out, pageSummary("AI systems", total, f.Page, len(items)), nil
}

func (t *tools) getSystem(ctx context.Context, in IDIn) (SystemOut, string, error) {
	sc, err := t.app.FindClassification(ctx, in.ID)
	if err != nil {
		return SystemOut{}, "", err
	}
	ks, err := t.app.FindSystemControls(ctx, in.ID)
	if err != nil {
		return SystemOut{}, "", err
	}
	out := SystemOut{System: sc.System, Obligations: ks.Counts}
	summary := fmt.Sprintf("AI system %s (%s), %s, not classified yet.", sc.System.Name, sc.System.ID, sc.System.Stage)
	if sc.Current != nil && sc.Result != nil {
		c := &ClassificationSummary{Class: sc.Class, EngineClass: sc.Result.Class, Basis: sc.Result.Basis, Provisional: sc.Result.Provisional,
			Timeline: sc.Timeline, Reasons: sc.Result.Reasons, Missing: len(sc.Result.Missing), ContentVersion: sc.Result.ContentVersion,
			ClassifiedAt: sc.System.ClassifiedAt}
		if sc.Override != nil {
			c.Override = sc.Override.Reason
		}
		out.Classification = c
		summary = fmt.Sprintf("AI system %s (%s), %s, EU AI Act class %s; %d of %d applicable controls implemented.",
			sc.System.Name, sc.System.ID, sc.System.Stage, sc.Class, ks.Counts.Implemented, ks.Counts.Total-ks.Counts.NotApplicable)
	}
	return out, summary, nil
}

func (t *tools) searchUseCases(ctx context.Context, in UseCasesIn) (UseCasesOut, string, error) {
	f := caio.UseCaseFilter{Query: opt(in.Query), Stage: opt(in.Stage), Intake: opt(in.Intake), Approach: opt(in.Approach),
		Owner: opt(in.Owner), SystemID: opt(in.SystemID), Sort: in.Sort, Page: in.page()}
	items, total, err := t.app.FindUseCases(ctx, f)
	if err != nil {
		return UseCasesOut{}, "", err
	}
	out := UseCasesOut{PageOut: pageOut(total, f.Page), Items: make([]UseCaseSummary, len(items))}
	for i, u := range items {
		out.Items[i] = UseCaseSummary{ID: u.ID, Title: u.Title, Problem: u.Problem, Stage: u.Stage, Intake: u.Intake, Owner: u.Owner,
			Priority: u.Score.Priority, Quadrant: u.Score.Quadrant, Rank: u.Rank, Blocked: u.Score.Blocked}
	}
	return out, pageSummary("use cases", total, f.Page, len(items)), nil
}

func (t *tools) getUseCase(ctx context.Context, in IDIn) (UseCaseOut, string, error) {
	u, err := t.app.FindUseCase(ctx, in.ID)
	if err != nil {
		return UseCaseOut{}, "", err
	}
	summary := fmt.Sprintf("Use case %s (%s) at the %s stage", u.Title, u.ID, u.Stage)
	if u.Score.Rated {
		summary += fmt.Sprintf(", priority %.0f (%s).", u.Score.Priority, u.Score.Quadrant)
	} else {
		summary += ", not rated yet."
	}
	return UseCaseOut{UseCase: u.UseCase, Score: u.Score}, summary, nil
}

func (t *tools) searchRisks(ctx context.Context, in RisksIn) (RisksOut, string, error) {
	f := caio.RiskFilter{Query: opt(in.Query), Status: opt(in.Status), Library: opt(in.Library), Owner: opt(in.Owner),
		System: opt(in.SystemID), UseCase: opt(in.UseCaseID), Breach: in.Breach, Overdue: in.Overdue, Sort: in.Sort, Page: in.page()}
	items, total, err := t.app.FindRisks(ctx, f)
	if err != nil {
		return RisksOut{}, "", err
	}
	out := RisksOut{PageOut: pageOut(total, f.Page), Items: make([]RiskSummary, len(items))}
	for i, r := range items {
		out.Items[i] = RiskSummary{ID: r.ID, Title: r.Title, Category: r.Category, Status: r.Status, Owner: r.Owner, Score: r.Score,
			Breach: r.Breach, Overdue: r.Overdue, ReviewDate: r.ReviewDate}
	}
	return out, pageSummary("risks", total, f.Page, len(items)), nil
}

func (t *tools) getRisk(ctx context.Context, in IDIn) (*caio.Risk, string, error) {
	r, err := t.app.FindRisk(ctx, in.ID)
	if err != nil {
		return nil, "", err
	}
	summary := fmt.Sprintf("Risk %s (%s), %s, score %d", r.Title, r.ID, r.Status, r.Score)
	if r.Breach {
		summary += ", above the appetite"
	}
	return r, summary + ".", nil
}

func (t *tools) searchObligations(ctx context.Context, in ObligationsIn) (ObligationsOut, string, error) {
	f := caio.ControlFilter{SystemID: opt(in.SystemID), Framework: opt(in.Framework), Status: opt(in.Status), Owner: opt(in.Owner),
		Overdue: in.Overdue, All: in.All, Sort: in.Sort, Page: in.page()}
	items, total, err := t.app.FindControls(ctx, f)
	if err != nil {
		return ObligationsOut{}, "", err
	}
	today := t.app.DB.Now().UTC().Format(time.DateOnly)
	out := ObligationsOut{PageOut: pageOut(total, f.Page), Today: today, Items: make([]ObligationSummary, len(items))}
	for i, k := range items {
		out.Items[i] = ObligationSummary{ID: k.ID, SystemID: k.SystemID, SystemName: k.SystemName, Framework: k.Framework,
			Item: k.ItemLabel, Title: k.ItemTitle, Applicable: k.Applicable, Status: k.Status, Owner: k.Owner,
			Deadline: k.Deadline, Due: k.Due, Overdue: k.Overdue(today), Evidence: k.Evidence}
	}
	return out, pageSummary("controls", total, f.Page, len(items)), nil
}

func (t *tools) searchIncidents(ctx context.Context, in IncidentsIn) (IncidentsOut, string, error) {
	f := caio.IncidentFilter{Query: opt(in.Query), Status: opt(in.Status), Severity: opt(in.Severity), System: opt(in.SystemID),
		Serious: in.Serious, Overdue: in.Overdue, Sort: in.Sort, Page: in.page()}
	items, total, err := t.app.FindIncidents(ctx, f)
	if err != nil {
		return IncidentsOut{}, "", err
	}
	out := IncidentsOut{PageOut: pageOut(total, f.Page), Items: make([]IncidentSummary, len(items))}
	for i, x := range items {
		is := IncidentSummary{ID: x.ID, Title: x.Title, Severity: x.Severity, Status: x.Status, Serious: x.Serious,
			AwareAt: x.AwareAt, ReportDue: x.ReportDue, Systems: []string{}}
		if x.Clock != nil {
			is.Clock = x.Clock.State
		}
		for _, s := range x.Systems {
			is.Systems = append(is.Systems, s.Name)
		}
		out.Items[i] = is
	}
	return out, pageSummary("incidents", total, f.Page, len(items)), nil
}

func (t *tools) getIncident(ctx context.Context, in IDIn) (*caio.Incident, string, error) {
	x, err := t.app.FindIncident(ctx, in.ID)
	if err != nil {
		return nil, "", err
	}
	summary := fmt.Sprintf("Incident %s (%s), %s severity, %s", x.Title, x.ID, x.Severity, x.Status)
	if x.ReportDue != nil {
		summary += ", Art 73 report due " + x.ReportDue.UTC().Format("2006-01-02 15:04 UTC")
	}
	return x, summary + ".", nil
}

func (t *tools) listAdvice(ctx context.Context, in AdviceIn) (AdviceOut, string, error) {
	f := caio.AdviceFilter{Mine: in.Mine, Kind: opt(in.Kind), State: opt(in.State), IncludeSnoozed: in.IncludeSnoozed,
		IncludeDismissed: in.IncludeDismissed, Page: in.page()}
	l, err := t.app.Advise(ctx, f)
	if err != nil {
		return AdviceOut{}, "", err
	}
	out := AdviceOut{PageOut: pageOut(l.Total, f.Page), Today: l.Today, Counts: l.Counts, Items: l.Items, Problems: l.Problems}
	return out, pageSummary("actions", l.Total, f.Page, len(l.Items)), nil
}
