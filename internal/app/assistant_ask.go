package app

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/llm"
)

// Asking over the organisation's data, and summarising a system. Both read
// through the services (so tenancy and roles hold as everywhere), send
// what they read to the model, and record the prompt and the reply.

// AssistantSource is one object given to the model as context.
type AssistantSource struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"` // system, usecase, risk, policy, incident
	Title string `json:"title"`
	// Text is what the model was given about it.
	Text string `json:"text"`
	// Path is the object's page, such as /systems/sys_...
	Path string `json:"path"`
	// score ranks sources by the words of the question they hold.
	score int
}

// AnswerPart is a piece of an answer: text, or a citation of a source.
type AnswerPart struct {
	Text   string           `json:"text"`
	Source *AssistantSource `json:"source,omitempty"`
}

// AssistantAnswer is the model's answer to a question with the objects it
// cites, checked against those it was given.
type AssistantAnswer struct {
	Question string `json:"question"`
	// Text is the answer as the model wrote it; Parts is the same text cut
	// at each valid citation, for pages that link them.
	Text  string       `json:"answer"`
	Parts []AnswerPart `json:"-"`
	// Cited are the sources the answer cites, each once, in order.
	Cited []AssistantSource `json:"cited"`
	// Unknown are IDs the model cited that it was not given: they are not
	// links and not to be trusted.
	Unknown []string `json:"unknown_citations"`
	// Sources are every object the model was given.
	Sources []AssistantSource `json:"sources"`
	// Overview is true when no object matched the question's words and the
	// model was given a few of each kind instead.
	Overview bool   `json:"overview"`
	Model    string `json:"model"`
}

// MaxAskSources bounds the objects one question sends to the model.
const MaxAskSources = 16

// sourceTextRunes bounds what one object contributes to a prompt.
const sourceTextRunes = 600

// stopWords are the common words of questions that find nothing useful.
var stopWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and for are but not you all any can had her was one our out has have how its may new now see
	two way who did get let say she too use what when where which while with whom whose why will would could should there their them
	they this that these those than then from into onto about above after again also been being both does doing each few more most
	other some such only own same very just over under until were your yours does which list show tell give many much please ai our us
	do is in on of to a an it be by or as at if no so we me my`) {
		stopWords[w] = true
	}
}

// classWords are words of a question that name an EU AI Act class.
var classWords = map[string]string{"high-risk": "high_risk", "prohibited": "prohibited", "minimal": "minimal",
	"transparency": "transparency_only", "unclassified": caio.Unclassified}

// keywords returns up to six distinct words of q worth searching for,
// longest first.
func keywords(q string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' }) {
		w = strings.Trim(w, "-_")
		if utf8.RuneCountInString(w) < 3 || stopWords[w] || slices.Contains(out, w) {
			continue
		}
		out = append(out, w)
	}
	slices.SortStableFunc(out, func(a, b string) int { return utf8.RuneCountInString(b) - utf8.RuneCountInString(a) })
	if len(out) > 6 {
		out = out[:6]
	}
	return out
}

func shorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// systemSource describes an AI system for a prompt.
func systemSource(s *caio.AISystem) AssistantSource {
	return AssistantSource{ID: s.ID, Kind: "system", Title: s.Name, Path: "/systems/" + s.ID,
		Text: fmt.Sprintf("AI system. Purpose: %s. %s Owner: %s. Stage: %s. EU AI Act class: %s.", s.Purpose, s.Description, s.Owner, s.Stage, caio.ClassLabel(s.Class))}
}

// retrieve finds the organisation's objects that hold the words of q:
// systems, use cases, risks, policies and incidents, through the services'
// own search, ranked by how many of the words each holds.
func (app *App) retrieve(ctx context.Context, q string) ([]AssistantSource, bool, error) {
	words := keywords(q)
	found := map[string]*AssistantSource{}
	var order []string
	add := func(s AssistantSource) {
		if _, ok := found[s.ID]; ok {
			return
		}
		s.Text = shorten(s.Text, sourceTextRunes)
		hay := strings.ToLower(s.Title + " " + s.Text)
		for _, w := range words {
			if strings.Contains(hay, w) {
				s.score++
			}
		}
		found[s.ID] = &s
		order = append(order, s.ID)
	}
	search := func(query *string, limit int) error {
		page := caio.Page{Limit: limit}
		systems, _, err := app.FindSystems(ctx, caio.AISystemFilter{Query: query, Page: page})
		if err != nil {
			return err
		}
		for _, s := range systems {
			add(systemSource(s))
		}
		ucs, _, err := app.FindUseCases(ctx, caio.UseCaseFilter{Query: query, Page: page})
		if err != nil {
			return err
		}
		for _, u := range ucs {
			add(AssistantSource{ID: u.ID, Kind: "usecase", Title: u.Title, Path: "/usecases/" + u.ID,
				Text: fmt.Sprintf("Use case. Stage: %s. Problem: %s Owner: %s. Benefits: %s Risks: %s", u.Stage, u.Problem, u.Owner, u.Benefits, u.Risks)})
		}
		risks, _, err := app.FindRisks(ctx, caio.RiskFilter{Query: query, Page: page})
		if err != nil {
			return err
		}
		for _, r := range risks {
			add(AssistantSource{ID: r.ID, Kind: "risk", Title: r.Title, Path: "/risks/" + r.ID,
				Text: fmt.Sprintf("Risk. Status: %s. Likelihood %d, impact %d. Owner: %s. %s", r.Status, r.Likelihood, r.Impact, r.Owner, r.Description)})
		}
		pols, _, err := app.FindPolicies(ctx, caio.PolicyFilter{Query: query, Page: page})
		if err != nil {
			return err
		}
		for _, p := range pols {
			add(AssistantSource{ID: p.ID, Kind: "policy", Title: p.Title, Path: "/policies/" + p.ID,
				Text: fmt.Sprintf("Policy. Kind: %s. Status: %s. Owner: %s. Next review: %s.", p.Kind, p.Status, p.Owner, p.NextReview)})
		}
		incs, _, err := app.FindIncidents(ctx, caio.IncidentFilter{Query: query, Page: page})
		if err != nil {
			return err
		}
		for _, i := range incs {
			add(AssistantSource{ID: i.ID, Kind: "incident", Title: i.Title, Path: "/incidents/" + i.ID,
				Text: fmt.Sprintf("Incident. Severity: %s. Status: %s. %s", i.Severity, i.Status, i.Description)})
		}
		return nil
	}
	for _, w := range words {
		if err := search(&w, 8); err != nil {
			return nil, false, err
		}
		// A class named in the question finds the systems of that class,
		// which their names rarely say.
		if class, ok := classWords[w]; ok {
			systems, _, err := app.FindSystems(ctx, caio.AISystemFilter{Class: &class, Page: caio.Page{Limit: 8}})
			if err != nil {
				return nil, false, err
			}
			for _, s := range systems {
				add(systemSource(s))
			}
		}
	}
	overview := len(found) == 0
	if overview {
		// Nothing holds the question's words: a few of each kind let the
		// model answer general questions, and it is told so.
		if err := search(nil, 3); err != nil {
			return nil, false, err
		}
	}
	out := make([]AssistantSource, 0, len(order))
	for _, id := range order {
		out = append(out, *found[id])
	}
	slices.SortStableFunc(out, func(a, b AssistantSource) int { return b.score - a.score })
	if len(out) > MaxAskSources {
		out = out[:MaxAskSources]
	}
	return out, overview, nil
}

const askSystemPrompt = `You answer questions about an organisation's AI governance data, using only the objects given below.
Each object starts with its ID in square brackets. Cite every object you use by writing its ID in square brackets right after the statement it supports, such as [sys_01ABC]. Cite only IDs from the list.
If the objects do not answer the question, say so plainly and cite nothing. Do not invent objects, numbers or facts.
Reply with one JSON object and nothing else: {"answer": "your answer with citations", "citations": ["ID", ...]}.`

// citeRef finds a citation such as [sys_01ABC] in an answer.
var citeRef = regexp.MustCompile(`\[([a-z]{1,8}_[0-9A-Za-z]{4,40})\]`)

// Ask answers a question over the organisation's data: it finds the
// objects that hold the question's words, sends them with their IDs, and
// checks the answer's citations against them. Needs PermRead. Returns
// EINVALID for a missing or long question and EUNAVAILABLE when the
// assistant is off or the model fails.
func (app *App) Ask(ctx context.Context, question string) (*AssistantAnswer, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if question, err = assistantText("question", question, 2000); err != nil {
		return nil, err
	}
	if app.Assistant == nil {
		return nil, assistantOff()
	}
	sources, overview, err := app.retrieve(ctx, question)
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	if len(sources) == 0 {
		b.WriteString("The organisation has no systems, use cases, risks, policies or incidents yet.\n")
	}
	for _, s := range sources {
		fmt.Fprintf(&b, "[%s] %s “%s”: %s\n", s.ID, s.Kind, s.Title, s.Text)
	}
	var raw struct {
		Answer    any `json:"answer"`
		Citations any `json:"citations"`
	}
	reply, err := app.askModel(ctx, a, assistantCall{action: "assistant.ask",
		messages: []llm.Message{{Role: "system", Content: askSystemPrompt + "\n\nObjects:\n" + b.String()}, {Role: "user", Content: question}}, json: true,
		parse: func(s string) error {
			if err := llm.DecodeJSON(s, &raw); err != nil {
				return err
			}
			if ans, ok := raw.Answer.(string); !ok || strings.TrimSpace(ans) == "" {
				return &llm.Error{Kind: llm.KindMalformed, Message: "the answer is missing from the reply", Excerpt: llm.Excerpt(s)}
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	ans := &AssistantAnswer{Question: question, Text: strings.TrimSpace(raw.Answer.(string)), Sources: sources, Overview: overview,
		Cited: []AssistantSource{}, Unknown: []string{}, Model: reply.Model}
	if ans.Model == "" {
		ans.Model = app.Assistant.client.Model()
	}
	byID := map[string]*AssistantSource{}
	for i := range sources {
		byID[sources[i].ID] = &sources[i]
	}
	cite := func(id string) {
		id = strings.Trim(strings.TrimSpace(id), "[]")
		if id == "" {
			return
		}
		if s, ok := byID[id]; ok {
			if !slices.ContainsFunc(ans.Cited, func(c AssistantSource) bool { return c.ID == id }) {
				ans.Cited = append(ans.Cited, *s)
			}
		} else if !slices.Contains(ans.Unknown, id) && len(ans.Unknown) < 20 {
			ans.Unknown = append(ans.Unknown, llm.Excerpt(id))
		}
	}
	// The answer's text is cut at each citation it makes, so the page
	// links exactly the objects given; the citations list adds the rest.
	last := 0
	for _, m := range citeRef.FindAllStringSubmatchIndex(ans.Text, -1) {
		id := ans.Text[m[2]:m[3]]
		cite(id)
		s, ok := byID[id]
		if !ok {
			continue
		}
		if m[0] > last {
			ans.Parts = append(ans.Parts, AnswerPart{Text: ans.Text[last:m[0]]})
		}
		ans.Parts = append(ans.Parts, AnswerPart{Source: s})
		last = m[1]
	}
	if last < len(ans.Text) {
		ans.Parts = append(ans.Parts, AnswerPart{Text: ans.Text[last:]})
	}
	for _, id := range citationList(raw.Citations) {
		cite(id)
	}
	return ans, nil
}

// citationList reads the citations list: up to 50 strings.
func citationList(v any) []string {
	var out []string
	if xs, ok := v.([]any); ok {
		for _, x := range xs {
			if s, ok := x.(string); ok && len(out) < 50 {
				out = append(out, s)
			}
		}
	}
	return out
}

// SystemSummary is the model's summary of an AI system and what it was
// given to write it.
type SystemSummary struct {
	SystemID string `json:"system_id"`
	Name     string `json:"name"`
	Summary  string `json:"summary"`
	// Facts is the record of the system the model was given.
	Facts string `json:"facts"`
	Model string `json:"model"`
}

const summarySystemPrompt = `You write short summaries of AI systems for a governance report, for readers who are not specialists.
Use only the record given. In at most 150 words of plain prose (no headings, no lists, no Markdown) say what the system does and for whom,
what it is built from, its EU AI Act classification and why, and where its controls stand. If something is not recorded, say it is not recorded; never guess.`

// SummariseSystem asks the model for a short summary of a system from its
// stored record: the system, its models, datasets and vendors, its
// classification with reasons, and its controls. Needs PermRead. Returns
// ENOTFOUND if the system does not exist or belongs to another
// organisation, EUNAVAILABLE when the assistant is off or the model fails.
func (app *App) SummariseSystem(ctx context.Context, systemID string) (*SystemSummary, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	sc, err := app.FindClassification(ctx, systemID)
	if err != nil {
		return nil, err
	}
	if app.Assistant == nil {
		return nil, assistantOff()
	}
	facts, err := app.systemRecord(ctx, sc)
	if err != nil {
		return nil, err
	}
	reply, err := app.askModel(ctx, a, assistantCall{action: "assistant.summarise_system", objectType: "system", objectID: sc.System.ID,
		messages: []llm.Message{{Role: "system", Content: summarySystemPrompt}, {Role: "user", Content: facts}}})
	if err != nil {
		return nil, err
	}
	out := &SystemSummary{SystemID: sc.System.ID, Name: sc.System.Name, Summary: strings.TrimSpace(reply.Content), Facts: facts, Model: reply.Model}
	if out.Model == "" {
		out.Model = app.Assistant.client.Model()
	}
	return out, nil
}

// systemRecord writes what caio stores about a system as plain text.
func (app *App) systemRecord(ctx context.Context, sc *SystemClassification) (string, error) {
	s := sc.System
	links, err := app.FindSystemLinks(ctx, s.ID)
	if err != nil {
		return "", err
	}
	controls, err := app.FindSystemControls(ctx, s.ID)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	line := func(label, v string) {
		if v = strings.TrimSpace(v); v == "" {
			v = "not recorded"
		}
		fmt.Fprintf(&b, "%s: %s\n", label, shorten(v, 1500))
	}
	line("AI system", s.Name)
	line("Intended purpose", s.Purpose)
	line("Description", s.Description)
	line("Owner", s.Owner)
	line("Business unit", s.BusinessUnit)
	line("Lifecycle stage", s.Stage)
	line("Countries", strings.Join(s.Countries, ", "))
	line("Operated by", s.Users)
	line("Persons affected", s.Affected)
	line("Autonomy", strings.ReplaceAll(s.Autonomy, "_", " "))
	line("Human oversight", s.Oversight)
	line("Organisation's roles", strings.ReplaceAll(strings.Join(s.Roles, ", "), "_", " "))
	kinds := map[string][]string{}
	for _, l := range links {
		kinds[l.Kind] = append(kinds[l.Kind], l.TargetName)
	}
	line("Models", strings.Join(kinds["model"], "; "))
	line("Datasets", strings.Join(kinds["dataset"], "; "))
	line("Vendors", strings.Join(kinds["vendor"], "; "))
	line("Business objectives", strings.Join(kinds["objective"], "; "))
	if sc.Current == nil || sc.Result == nil {
		line("EU AI Act classification", "not classified yet")
	} else {
		cls := caio.ClassLabel(sc.Class)
		if sc.Override != nil {
			cls += " (set by a recorded override of the engine's " + caio.ClassLabel(sc.Result.Class) + ")"
		}
		line("EU AI Act classification", cls)
		var reasons []string
		for _, r := range sc.Result.Reasons {
			reasons = append(reasons, r.Text+" ("+r.Ref+")")
		}
		line("Reasons", strings.Join(reasons, " "))
	}
	n := controls.Counts
	if n.Total == 0 {
		line("Controls", "none recorded")
	} else {
		line("Controls", fmt.Sprintf("%d in total: %d implemented, %d in progress, %d not started, %d not applicable, %d overdue",
			n.Total, n.Implemented, n.InProgress, n.NotStarted, n.NotApplicable, n.Overdue))
	}
	return b.String(), nil
}
