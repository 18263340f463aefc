package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/google/jsonschema-go/jsonschema"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// The EU AI Act tools (classify a profile without saving it, list the
// facts the engine reads) and the two drafting tools, which save.

// ClassifyIn is a classification profile, as the API's POST /classify
// reads it, and whether to return the engine's full trace.
type ClassifyIn struct {
	euaiact.Profile
	IncludeTrace bool `json:"include_trace,omitempty"`
}

// QuestionsOut lists what a profile may say.
type QuestionsOut struct {
	ContentVersion string          `json:"content_version"`
	Roles          []string        `json:"roles" jsonschema:"The roles an organisation may hold towards a system."`
	Sections       []QuestionGroup `json:"sections"`
	AnnexI         []AnnexIOption  `json:"annex_i" jsonschema:"Annex I acts: the value of annex_i, or none."`
	AnnexIII       []AnnexIIIEntry `json:"annex_iii" jsonschema:"Annex III points: values of annex_iii, or [\"none\"]."`
}

// QuestionGroup is one section of facts.
type QuestionGroup struct {
	Key   string         `json:"key"`
	Title string         `json:"title"`
	Facts []euaiact.Fact `json:"facts"`
}

// AnnexIOption is an Annex I act.
type AnnexIOption struct {
	Key     string `json:"key"`
	Subject string `json:"subject"`
}

// AnnexIIIEntry is an Annex III point.
type AnnexIIIEntry struct {
	Key   string `json:"key"`
	Area  string `json:"area"`
	Title string `json:"title"`
}

// DraftUseCaseIn is the intake canvas of a proposed use case.
type DraftUseCaseIn struct {
	Title         string   `json:"title" jsonschema:"A short name for the idea (required)."`
	Problem       string   `json:"problem,omitempty" jsonschema:"The problem it solves and for whom."`
	Process       string   `json:"process,omitempty" jsonschema:"The business process it changes."`
	Users         string   `json:"users,omitempty" jsonschema:"Who would use it."`
	Volume        string   `json:"volume,omitempty" jsonschema:"How often or how much, such as 2,000 claims a month."`
	DataNeeded    string   `json:"data_needed,omitempty"`
	DataAvailable string   `json:"data_available,omitempty" jsonschema:"What data exists today and where."`
	Approach      string   `json:"approach,omitempty"`
	Sourcing      string   `json:"sourcing,omitempty"`
	Benefits      string   `json:"benefits,omitempty"`
	Costs         string   `json:"costs,omitempty"`
	Risks         string   `json:"risks,omitempty"`
	Dependencies  string   `json:"dependencies,omitempty"`
	Owner         string   `json:"owner,omitempty" jsonschema:"Who would own it in the business."`
	Sponsor       string   `json:"sponsor,omitempty"`
	ObjectiveIDs  []string `json:"objective_ids,omitempty" jsonschema:"Ids of the organisation's objectives it serves, obj_..."`
	SystemIDs     []string `json:"system_ids,omitempty" jsonschema:"Ids of AI systems it would use, sys_..."`
}

// DraftIncidentIn is what is known of an incident when it is first recorded.
type DraftIncidentIn struct {
	Title       string   `json:"title" jsonschema:"What happened, in a few words (required)."`
	Description string   `json:"description,omitempty"`
	OccurredAt  string   `json:"occurred_at,omitempty" jsonschema:"When it happened, if known: RFC 3339, 2026-11-20T14:30 (UTC) or a date."`
	AwareAt     string   `json:"aware_at" jsonschema:"When the organisation became aware of it (required); the Art 73 reporting clock runs from here. Same forms as occurred_at."`
	Harms       []string `json:"harms,omitempty" jsonschema:"Harm types: health, critical_infrastructure, fundamental_rights and property_environment make it serious under Art 3(49); other keys are listed by the API's GET /incident-harm-types."`
	Severity    string   `json:"severity" jsonschema:"How bad it is (required)."`
	Widespread  bool     `json:"widespread,omitempty" jsonschema:"A widespread infringement (Art 3(61)): two days to report."`
	Death       bool     `json:"death,omitempty" jsonschema:"A person died: ten days to report."`
	Owner       string   `json:"owner,omitempty"`
	Systems     []string `json:"systems,omitempty" jsonschema:"Ids of the AI systems involved, sys_..."`
}

// DraftOut is the object a draft created, with where to continue.
type DraftOut struct {
	ID   string `json:"id"`
	Link string `json:"link" jsonschema:"The page where people review and complete it."`
}

// DraftUseCaseOut is the use case a draft created.
type DraftUseCaseOut struct {
	DraftOut
	UseCase *caio.UseCase `json:"use_case"`
}

// DraftIncidentOut is the incident a draft created.
type DraftIncidentOut struct {
	DraftOut
	Incident *caio.Incident `json:"incident"`
}

func (t *tools) addWriteTools(s *sdk.Server) {
	addTool(t, s, &sdk.Tool{Name: "classify_profile", Annotations: readOnly("Classify under the EU AI Act"),
		Description: "Classify a described AI system under the EU AI Act with caio's engine, under the organisation's timeline, without saving anything. " +
			"Give the organisation's roles, the Annex I act or Annex III points, and yes/no facts by key (euaiact_questions lists them with their questions); leave out what is not known. " +
			"Returns the class, its legal basis and reasons, Art 50 duties, the obligations with their dates, and the unknown facts that could change the result (provisional). Not legal advice.",
		InputSchema: classifySchema()}, t.classify)
	addTool(t, s, &sdk.Tool{Name: "euaiact_questions", Annotations: readOnly("EU AI Act questions"),
		Description: "List the facts classify_profile reads, by section, each with its key, question and article, and the Annex I acts and Annex III points a profile may name."}, t.questions)

	addTool(t, s, &sdk.Tool{Name: "draft_use_case", Annotations: &sdk.ToolAnnotations{Title: "Draft a use case", DestructiveHint: ptr(false), OpenWorldHint: ptr(false)},
		Description: "Propose a new AI use case at the idea stage, from its intake canvas. It is saved and audited under your name: a contributor's idea waits in the triage queue for an editor; an editor's is accepted at once. Needs the contributor role or above. Only title is required; fill what the person told you, never invent figures.",
		InputSchema: schemaFor[DraftUseCaseIn](func(p map[string]*jsonschema.Schema) {
			p["approach"].Enum = enum(caio.UseCaseApproaches...)
			p["sourcing"].Enum = enum(caio.UseCaseSourcing...)
		})}, t.draftUseCase)
	addTool(t, s, &sdk.Tool{Name: "draft_incident", Annotations: &sdk.ToolAnnotations{Title: "Draft an incident", DestructiveHint: ptr(false), OpenWorldHint: ptr(false)},
		Description: "Record a new AI incident, status open, so that its EU AI Act Art 73 reporting clock starts from the time of awareness. It is saved and audited under your name; people complete it on its page. Needs the editor role or above.",
		InputSchema: schemaFor[DraftIncidentIn](func(p map[string]*jsonschema.Schema) {
			p["severity"].Enum = enum(caio.IncidentSeverities...)
		})}, t.draftIncident)
}

// classifySchema is the engine's own profile schema (roles, the Annex I
// and III keys), plus include_trace. Its facts are one object of booleans:
// the engine's schema lists all ninety with their questions, which would
// cost every conversation some six thousand tokens of tool list whether it
// classifies or not; euaiact_questions gives them when needed, and the
// engine names any key it does not know.
func classifySchema() *jsonschema.Schema {
	var s jsonschema.Schema
	if err := json.Unmarshal(euaiact.MustContent().JSONSchema(), &s); err != nil {
		panic("mcp: the EU AI Act profile schema does not read: " + err.Error())
	}
	// The SDK resolves the schema on its own; a foreign $id or $schema
	// would send it looking for them.
	s.ID, s.Schema = "", ""
	if s.Properties == nil {
		s.Properties = map[string]*jsonschema.Schema{}
	}
	s.Properties["facts"] = &jsonschema.Schema{Type: "object", AdditionalProperties: &jsonschema.Schema{Type: "boolean"},
		Description: `Yes/no facts by key, such as {"art5.f.infers_emotions": true}; euaiact_questions lists every key with its question and article. Leave out what is not known.`}
	s.Properties["include_trace"] = &jsonschema.Schema{Type: "boolean", Description: "Also return the trace of every rule the engine evaluated with the facts it read (long)."}
	return &s
}

func (t *tools) classify(ctx context.Context, in ClassifyIn) (*euaiact.Result, string, error) {
	p := in.Profile
	res, err := t.app.PreviewClassification(ctx, &p)
	if err != nil {
		return nil, "", err
	}
	if !in.IncludeTrace {
		res.Trace = nil
	}
	summary := "Class: " + res.Class
	if len(res.Basis) > 0 {
		summary += " (" + strings.Join(res.Basis, ", ") + ")"
	}
	summary += fmt.Sprintf("; %d obligations", len(res.Obligations))
	if res.Provisional {
		summary += fmt.Sprintf("; provisional: %d unknown facts could change it", len(res.Missing))
	}
	return res, summary + ". Nothing was saved.", nil
}

func (t *tools) questions(ctx context.Context, _ struct{}) (QuestionsOut, string, error) {
	if _, err := t.app.OrgTimeline(ctx); err != nil { // signed in, in an organisation, as the API asks
		return QuestionsOut{}, "", err
	}
	c := t.app.Content()
	out := QuestionsOut{ContentVersion: c.Version, Roles: euaiact.Roles}
	at := map[string]int{}
	for _, s := range c.Sections {
		at[s.Key] = len(out.Sections)
		out.Sections = append(out.Sections, QuestionGroup{Key: s.Key, Title: s.Title, Facts: []euaiact.Fact{}})
	}
	for _, f := range c.Facts {
		i, ok := at[f.Section()]
		if !ok {
			at[f.Section()] = len(out.Sections)
			i = len(out.Sections)
			out.Sections = append(out.Sections, QuestionGroup{Key: f.Section(), Title: f.Section(), Facts: []euaiact.Fact{}})
		}
		out.Sections[i].Facts = append(out.Sections[i].Facts, f)
	}
	for _, e := range c.AnnexI {
		out.AnnexI = append(out.AnnexI, AnnexIOption{Key: e.Key, Subject: e.Subject})
	}
	for _, p := range c.AnnexIII {
		out.AnnexIII = append(out.AnnexIII, AnnexIIIEntry{Key: p.Key, Area: p.AreaTitle, Title: p.Title})
	}
	return out, fmt.Sprintf("%d facts in %d sections (EU AI Act content %s).", len(c.Facts), len(out.Sections), c.Version), nil
}

func (t *tools) draftUseCase(ctx context.Context, in DraftUseCaseIn) (DraftUseCaseOut, string, error) {
	u, err := t.app.CreateUseCase(ctx, caio.UseCaseInput{
		UseCaseCanvas: caio.UseCaseCanvas{Title: in.Title, Problem: in.Problem, Process: in.Process, Users: in.Users, Volume: in.Volume,
			DataNeeded: in.DataNeeded, DataAvailable: in.DataAvailable, Approach: in.Approach, Sourcing: in.Sourcing,
			Benefits: in.Benefits, Costs: in.Costs, Risks: in.Risks, Dependencies: in.Dependencies, Owner: in.Owner, Sponsor: in.Sponsor},
		ObjectiveIDs: in.ObjectiveIDs, SystemIDs: in.SystemIDs})
	if err != nil {
		return DraftUseCaseOut{}, "", err
	}
	summary := fmt.Sprintf("Proposed use case %s (%s) at the idea stage", u.Title, u.ID)
	if u.Intake == caio.IntakeSubmitted {
		summary += "; it waits in the triage queue for an editor."
	} else {
		summary += "; accepted into the portfolio."
	}
	return DraftUseCaseOut{DraftOut: DraftOut{ID: u.ID, Link: "/usecases/" + u.ID}, UseCase: u}, summary, nil
}

func (t *tools) draftIncident(ctx context.Context, in DraftIncidentIn) (DraftIncidentOut, string, error) {
	x, err := t.app.CreateIncident(ctx, caio.IncidentInput{Title: in.Title, Description: in.Description, OccurredAt: in.OccurredAt,
		AwareAt: in.AwareAt, Harms: in.Harms, Severity: in.Severity, Widespread: in.Widespread, Death: in.Death, Status: "open",
		Owner: in.Owner, Systems: in.Systems})
	if err != nil {
		return DraftIncidentOut{}, "", err
	}
	summary := fmt.Sprintf("Recorded incident %s (%s), status open.", x.Title, x.ID)
	if x.ReportDue != nil {
		summary += " Art 73 report due by " + x.ReportDue.UTC().Format("2006-01-02 15:04 UTC") + "."
	}
	return DraftIncidentOut{DraftOut: DraftOut{ID: x.ID, Link: "/incidents/" + x.ID}, Incident: x}, summary, nil
}
