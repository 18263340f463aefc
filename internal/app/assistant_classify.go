package app

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/llm"
)

// Classification suggestions: the model reads a description of a system
// and proposes answers to the EU AI Act questionnaire, each with the
// sentences of the description that support it. A suggestion is kept only
// when its value is one the questionnaire allows and every quote is found
// in the description; the rest are listed as dropped, with why. Nothing is
// applied here: the person ticks the suggestions to apply, and the normal
// classification (ClassifySystem) decides the class.

// ClassificationSuggestion is one proposed answer.
type ClassificationSuggestion struct {
	// Field is fact, roles, annex_i, annex_iii or training_flop; Key is
	// the fact's key for a fact.
	Field string `json:"field"`
	Key   string `json:"key,omitempty"`
	// Value is yes or no for a fact, a role, an Annex I or III key (or
	// none), or a number of operations.
	Value string `json:"value"`
	// Question is what the suggestion answers, for people.
	Question string `json:"question"`
	// Current is the answer stored now, "" when none.
	Current string `json:"current"`
	// Quotes are the sentences of the description that support it.
	Quotes []string `json:"quotes"`
	// Token names the suggestion for ApplySuggestions.
	Token string `json:"token"`
}

// DroppedSuggestion is a suggestion of the model that was not kept.
type DroppedSuggestion struct {
	Field  string `json:"field"`
	Key    string `json:"key,omitempty"`
	Value  string `json:"value"`
	Reason string `json:"reason"`
}

// ClassificationSuggestions are the kept and dropped suggestions for a system.
type ClassificationSuggestions struct {
	SystemID    string                     `json:"system_id"`
	Text        string                     `json:"text"`
	Suggestions []ClassificationSuggestion `json:"suggestions"`
	Dropped     []DroppedSuggestion        `json:"dropped"`
	Model       string                     `json:"model"`
}

// maxSuggestions bounds how many suggestions of one reply are read.
const maxSuggestions = 60

// classifyPrompt lists the questions the model may answer and their
// allowed values.
func classifyPrompt(c *euaiact.Content) string {
	var b strings.Builder
	b.WriteString(`You help classify an AI system under the EU AI Act. You do not decide the class: you only suggest answers to questionnaire items that the description clearly supports.
Reply with one JSON object and nothing else: {"suggestions": [{"field": ..., "key": ..., "value": ..., "quotes": [...]}]}.
Each quote must be copied exactly, word for word, from the description: one or more whole sentences that support the answer.
Suggest nothing the description does not clearly support. Fields and their allowed values:
- field "roles": value one of `)
	b.WriteString(strings.Join(euaiact.Roles, ", "))
	b.WriteString(` (the organisation's role towards the system; one suggestion per role).
- field "annex_i": value "none" or one of these Union harmonisation acts covering the product:`)
	for _, e := range c.AnnexI {
		fmt.Fprintf(&b, " %s (%s);", e.Key, e.Subject)
	}
	b.WriteString("\n- field \"annex_iii\": value \"none\" or one of these high-risk uses (one suggestion per point):")
	for _, p := range c.AnnexIII {
		fmt.Fprintf(&b, " %s (%s: %s);", p.Key, p.AreaTitle, p.Title)
	}
	b.WriteString("\n- field \"training_flop\": value a number such as 3e24 (compute used to train a general-purpose model).\n")
	b.WriteString("- field \"fact\": key one of the questions below, value \"yes\" or \"no\":\n")
	for _, f := range c.Facts {
		fmt.Fprintf(&b, "  %s: %s\n", f.Key, f.Question)
	}
	return b.String()
}

// SuggestClassification asks the model for classification answers about
// a system from text, its description. Needs PermEdit (only an editor can
// apply them). Returns ENOTFOUND if the system does not exist or belongs
// to another organisation, EINVALID for a missing or long text, and
// EUNAVAILABLE when the assistant is off or the model fails.
func (app *App) SuggestClassification(ctx context.Context, systemID, text string) (*ClassificationSuggestions, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	sc, err := app.FindClassification(ctx, systemID)
	if err != nil {
		return nil, err
	}
	if text, err = assistantText("text", text, maxAssistantText); err != nil {
		return nil, err
	}
	if app.Assistant == nil {
		return nil, assistantOff()
	}
	content := app.Content()
	var raw struct {
		Suggestions []struct {
			Field  string `json:"field"`
			Key    string `json:"key"`
			Value  any    `json:"value"`
			Quotes any    `json:"quotes"`
		} `json:"suggestions"`
	}
	user := "AI system: " + sc.System.Name + "\n\nDescription:\n" + text
	reply, err := app.askModel(ctx, a, assistantCall{action: "assistant.suggest_classification", objectType: "system", objectID: sc.System.ID,
		messages: []llm.Message{{Role: "system", Content: classifyPrompt(content)}, {Role: "user", Content: user}}, json: true,
		parse: func(s string) error {
			if err := llm.DecodeJSON(s, &raw); err != nil {
				return err
			}
			if raw.Suggestions == nil {
				return &llm.Error{Kind: llm.KindMalformed, Message: "the answer has no suggestions list", Excerpt: llm.Excerpt(s)}
			}
			return nil
		}})
	if err != nil {
		return nil, err
	}
	out := &ClassificationSuggestions{SystemID: sc.System.ID, Text: text, Suggestions: []ClassificationSuggestion{}, Dropped: []DroppedSuggestion{}, Model: reply.Model}
	if out.Model == "" {
		out.Model = app.Assistant.client.Model()
	}
	seen := map[string]string{} // field/key → value kept
	for i, r := range raw.Suggestions {
		value := strings.TrimSpace(anyString(r.Value))
		field, key := strings.TrimSpace(r.Field), strings.TrimSpace(r.Key)
		drop := func(reason string) {
			out.Dropped = append(out.Dropped, DroppedSuggestion{Field: llm.Excerpt(field), Key: llm.Excerpt(key), Value: llm.Excerpt(value), Reason: reason})
		}
		if i >= maxSuggestions {
			drop("more than " + strconv.Itoa(maxSuggestions) + " suggestions")
			continue
		}
		s, reason := checkSuggestion(content, sc.Profile, field, key, value)
		if reason != "" {
			drop(reason)
			continue
		}
		quotes := anyStrings(r.Quotes)
		if len(quotes) == 0 {
			drop("it quotes nothing from the description")
			continue
		}
		missing := ""
		for _, q := range quotes {
			if !quoteFound(text, q) {
				missing = q
				break
			}
		}
		if missing != "" {
			drop("its quote “" + llm.Excerpt(missing) + "” is not in the description")
			continue
		}
		slot := s.Field + "/" + s.Key
		if s.Field == "roles" || s.Field == "annex_iii" {
			slot += "/" + s.Value
		}
		if prev, ok := seen[slot]; ok {
			if prev != s.Value {
				drop("it contradicts an earlier suggestion (" + prev + ")")
			} else {
				drop("it repeats an earlier suggestion")
			}
			continue
		}
		seen[slot] = s.Value
		s.Quotes = quotes
		out.Suggestions = append(out.Suggestions, s)
	}
	return out, nil
}

// anyString reads a JSON value a model may send as a string, a boolean or
// a number.
func anyString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return ""
}

// anyStrings reads quotes sent as a list of strings or as one string.
func anyStrings(v any) []string {
	var out []string
	add := func(s string) {
		if s = strings.TrimSpace(s); s != "" && len(out) < 5 {
			out = append(out, s)
		}
	}
	switch x := v.(type) {
	case string:
		add(x)
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				add(s)
			}
		}
	}
	return out
}

// checkSuggestion checks a suggestion's field and value against the
// questionnaire and returns it with its question and token, or why it is
// dropped.
func checkSuggestion(c *euaiact.Content, p *euaiact.Profile, field, key, value string) (ClassificationSuggestion, string) {
	s := ClassificationSuggestion{Field: field, Value: value}
	switch field {
	case "fact":
		f := c.FactDef(key)
		if f == nil {
			return s, "it answers no question of the questionnaire"
		}
		value = strings.ToLower(value)
		if value == "true" {
			value = "yes"
		} else if value == "false" {
			value = "no"
		}
		if value != "yes" && value != "no" {
			return s, "its value is not yes or no"
		}
		s.Key, s.Value, s.Question = key, value, f.Question
		if p != nil {
			if v, ok := p.Facts[key]; ok {
				s.Current = map[bool]string{true: "yes", false: "no"}[v]
			}
		}
	case "roles":
		if !slices.Contains(euaiact.Roles, value) {
			return s, "its value is not a role of the Act"
		}
		s.Question = "Your organisation’s roles towards this system (Art 3(3)–(8))"
		if p != nil {
			s.Current = strings.Join(p.Roles, ", ")
		}
	case "annex_i":
		if value != "none" && c.AnnexIEntryDef(value) == nil {
			return s, "its value is not an Annex I act"
		}
		s.Question = "Union harmonisation legislation covering the product (Art 6(1), Annex I)"
		if p != nil {
			s.Current = p.AnnexI
		}
	case "annex_iii":
		if value != "none" && c.AnnexIIIPointDef(value) == nil {
			return s, "its value is not an Annex III point"
		}
		s.Question = "Uses listed in Annex III (Art 6(2))"
		if d := c.AnnexIIIPointDef(value); d != nil {
			s.Question += ": " + d.Key + " " + d.Title
		}
		if p != nil {
			s.Current = strings.Join(p.AnnexIII, ", ")
		}
	case "training_flop":
		v, err := strconv.ParseFloat(value, 64)
		if err != nil || math.IsNaN(v) || v <= 0 || v > 1e40 {
			return s, "its value is not a positive number of operations"
		}
		s.Value = strconv.FormatFloat(v, 'g', -1, 64)
		s.Question = "Compute used to train the model (Art 51(2))"
		if p != nil && p.TrainingFLOP != nil {
			s.Current = strconv.FormatFloat(*p.TrainingFLOP, 'g', -1, 64)
		}
	default:
		return s, "its field is not part of the questionnaire"
	}
	s.Token = s.Field + ":" + s.Key + "=" + s.Value
	return s, ""
}

// quoteFound reports whether quote appears in text, ignoring case,
// spacing, typographic quotes and a quote's ending punctuation: what a
// model changes when it copies a sentence, not what it means.
func quoteFound(text, quote string) bool {
	q := strings.TrimRightFunc(normQuote(quote), func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	q = strings.TrimLeftFunc(q, func(r rune) bool { return unicode.IsPunct(r) || unicode.IsSpace(r) })
	if len([]rune(q)) < 8 {
		return false // too short to show anything
	}
	return strings.Contains(normQuote(text), q)
}

var quoteFolds = strings.NewReplacer("’", "'", "‘", "'", "“", `"`, "”", `"`, "–", "-", "—", "-")

func normQuote(s string) string {
	return strings.Join(strings.Fields(strings.ToLower(quoteFolds.Replace(s))), " ")
}

// ApplySuggestions returns a copy of p with the suggestions named by
// tokens (ClassificationSuggestion.Token) applied: a fact set, a role or
// Annex III point added, an Annex I act or the training compute set. Each
// token is checked again, since it comes back from a form; a bad one is an
// EINVALID error naming the field "apply".
func ApplySuggestions(c *euaiact.Content, p *euaiact.Profile, tokens []string) (*euaiact.Profile, error) {
	out := &euaiact.Profile{Schema: euaiact.ProfileSchema, Facts: map[string]bool{}}
	if p != nil {
		out = p.Clone()
		if out.Facts == nil {
			out.Facts = map[string]bool{}
		}
	}
	if len(tokens) == 0 {
		return nil, caio.FieldError("apply", "must name at least one suggestion: tick the ones to apply")
	}
	for _, t := range tokens {
		fk, value, ok := strings.Cut(t, "=")
		field, key, ok2 := strings.Cut(fk, ":")
		if !ok || !ok2 {
			return nil, caio.FieldError("apply", "has “"+llm.Excerpt(t)+"”, which is not a suggestion")
		}
		s, reason := checkSuggestion(c, nil, field, key, value)
		if reason != "" {
			return nil, caio.FieldError("apply", "has “"+llm.Excerpt(t)+"”, which is not allowed: "+reason)
		}
		switch s.Field {
		case "fact":
			out.Facts[s.Key] = s.Value == "yes"
		case "roles":
			if !slices.Contains(out.Roles, s.Value) {
				out.Roles = append(out.Roles, s.Value)
			}
		case "annex_i":
			out.AnnexI = s.Value
		case "annex_iii":
			if s.Value == "none" {
				if len(out.AnnexIII) == 0 {
					out.AnnexIII = []string{"none"}
				}
				continue
			}
			out.AnnexIII = slices.DeleteFunc(out.AnnexIII, func(x string) bool { return x == "none" })
			if !slices.Contains(out.AnnexIII, s.Value) {
				out.AnnexIII = append(out.AnnexIII, s.Value)
			}
		case "training_flop":
			v, _ := strconv.ParseFloat(s.Value, 64)
			out.TrainingFLOP = &v
		}
	}
	return out, nil
}

// Recheck keeps only the suggestions that are still allowed and whose
// quotes are in s.Text: for suggestions that came back from a form.
func (s *ClassificationSuggestions) Recheck(c *euaiact.Content) {
	kept := s.Suggestions[:0]
	for _, g := range s.Suggestions {
		checked, reason := checkSuggestion(c, nil, g.Field, g.Key, g.Value)
		ok := reason == "" && checked.Token == g.Token && len(g.Quotes) > 0
		for _, q := range g.Quotes {
			ok = ok && quoteFound(s.Text, q)
		}
		if ok {
			kept = append(kept, g)
		}
	}
	s.Suggestions = kept
}
