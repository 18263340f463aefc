package app

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/llm"
	"github.com/caio-office/caio/internal/sqldb"
)

// The assistant: an optional language model behind any OpenAI-compatible
// endpoint, which drafts and explains but never decides. It drafts a use
// case canvas the user reviews before saving, suggests classification
// answers each with the sentences that support it (the engine still
// classifies, the user ticks what to apply), summarises a system and
// answers questions over the organisation's data citing the objects used.
// Every request sent to the model is recorded in the audit trail with its
// prompt and the reply, so the trail is the record of what left the
// machine. When App.Assistant is nil nothing is ever sent.

// Assistant is the configured model client.
type Assistant struct {
	client *llm.Client
	// slots bounds the requests in flight: a model on one machine answers
	// one or two at a time, and a queue of page requests helps nobody.
	slots chan struct{}
}

// assistantSlots is how many requests may wait on the model at once;
// assistantQueueWait is how long another waits for a slot.
const (
	assistantSlots     = 4
	assistantQueueWait = 20 * time.Second
)

// NewAssistant returns an assistant over the endpoint of cfg. A
// misconfiguration is an EINVALID error saying what to fix.
func NewAssistant(cfg llm.Config) (*Assistant, error) {
	c, err := llm.New(cfg)
	if err != nil {
		return nil, caio.Errorf(caio.EINVALID, "%s", err.Error())
	}
	return &Assistant{client: c, slots: make(chan struct{}, assistantSlots)}, nil
}

// AssistantInfo says whether the assistant is on and which model it asks.
type AssistantInfo struct {
	Enabled bool   `json:"enabled"`
	URL     string `json:"url,omitempty"`
	Model   string `json:"model,omitempty"`
}

// AssistantStatus tells whether the assistant is configured. Needs PermRead.
func (app *App) AssistantStatus(ctx context.Context) (AssistantInfo, error) {
	if _, err := authorize(ctx, caio.PermRead); err != nil {
		return AssistantInfo{}, err
	}
	if app.Assistant == nil {
		return AssistantInfo{}, nil
	}
	return AssistantInfo{Enabled: true, URL: app.Assistant.client.BaseURL(), Model: app.Assistant.client.Model()}, nil
}

// AssistantOffMessage says how to turn the assistant on.
const AssistantOffMessage = "The assistant is not configured, so nothing was sent anywhere. An administrator turns it on by starting caio serve with --llm-url (such as http://127.0.0.1:11434/v1 for Ollama) and --llm-model; see the assistant guide."

// assistantOff is the error of every feature while the assistant is off.
func assistantOff() error { return caio.Errorf(caio.EUNAVAILABLE, "%s", AssistantOffMessage) }

// maxAssistantText bounds the text a person gives the assistant.
const maxAssistantText = 8000

// assistantText trims a person's text and checks it is there and not too long.
func assistantText(field, s string, max int) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", caio.FieldError(field, "is required")
	}
	if utf8.RuneCountInString(s) > max {
		return "", caio.FieldError(field, "must be at most "+strconv.Itoa(max)+" characters")
	}
	return s, nil
}

// assistantCall is one request to the model and what it is about, for the
// audit trail.
type assistantCall struct {
	action     string // assistant.draft_canvas and so on
	objectType string
	objectID   string
	messages   []llm.Message
	json       bool
	// parse checks the reply's content; its error is the caller's and is
	// audited with the reply.
	parse func(content string) error
}

// askModel sends call's messages, parses the reply and records one audit
// event with the prompt, the model, the reply and any error, whether the
// call worked or not: what was sent is on record either way. Provider
// failures become EUNAVAILABLE errors with the client's sentence.
func (app *App) askModel(ctx context.Context, a caio.Actor, call assistantCall) (*llm.Reply, error) {
	as := app.Assistant
	if as == nil {
		return nil, assistantOff()
	}
	if as.slots != nil {
		wait := time.NewTimer(assistantQueueWait)
		select {
		case as.slots <- struct{}{}:
			wait.Stop()
			defer func() { <-as.slots }()
		case <-wait.C:
			return nil, caio.Errorf(caio.EUNAVAILABLE, "The assistant is busy with %d other requests; nothing was sent. Try again in a moment.", assistantSlots)
		case <-ctx.Done():
			wait.Stop()
			return nil, caio.Errorf(caio.EUNAVAILABLE, "The request was cancelled before it was sent to the model.")
		}
	}
	reply, err := as.client.Chat(ctx, llm.Request{Messages: call.messages, JSON: call.json, Temperature: 0.1})
	if err == nil && call.parse != nil {
		err = call.parse(reply.Content)
	}
	// The prompt is kept as the text it was, message by message, so the
	// audit page shows what was sent as it was sent.
	var prompt strings.Builder
	for i, m := range call.messages {
		if i > 0 {
			prompt.WriteString("\n\n")
		}
		prompt.WriteString("[" + m.Role + "]\n" + m.Content)
	}
	fields := map[string]any{"endpoint": as.client.BaseURL(), "model": as.client.Model(), "prompt": prompt.String()}
	if reply != nil {
		fields["response"] = reply.Content
		fields["response_model"] = reply.Model
	}
	if err != nil {
		fields["error"] = err.Error()
	}
	if call.objectID == "" {
		// An exchange about no stored object is named on its own, so the
		// audit trail can link to it.
		call.objectType, call.objectID = "assistant", caio.NewID("ast")
	}
	// The audit write must not be lost with a request cancelled while the
	// model answered: what was sent is on record either way.
	wctx := context.WithoutCancel(ctx)
	werr := app.DB.Write(wctx, func(c *sqldb.Conn) error {
		return record(wctx, c, a, call.action, call.objectType, call.objectID, caio.Diff(nil, fields))
	})
	if err != nil {
		return nil, assistantError(err)
	}
	if werr != nil {
		return nil, werr
	}
	return reply, nil
}

// assistantError turns a client error into a caio error a page can show.
func assistantError(err error) error {
	var le *llm.Error
	if errors.As(err, &le) {
		return caio.Errorf(caio.EUNAVAILABLE, "%s", le.Error())
	}
	return err
}

// UseCaseDraft is a canvas the assistant drafted from a paragraph, for a
// person to review in the new use case form. It is not saved.
type UseCaseDraft struct {
	Canvas caio.UseCaseCanvas `json:"canvas"`
	// Notes say what was changed in the model's answer, such as an
	// approach that is not one of the allowed values.
	Notes []string `json:"notes"`
	Model string   `json:"model"`
}

// canvasLimits are the canvas fields' lengths (caio.UseCaseInput.Normalize).
var canvasLimits = map[string]int{"title": 200, "problem": 4000, "process": 2000, "users": 2000, "volume": 500,
	"data_needed": 4000, "data_available": 4000, "benefits": 4000, "costs": 4000, "risks": 4000, "dependencies": 2000,
	"owner": 200, "sponsor": 200}

const draftSystemPrompt = `You help people describe a proposed use of AI in an organisation. From the person's paragraph, fill in an intake canvas.
Reply with one JSON object and nothing else, with exactly these string keys:
title (a short name, at most 10 words), problem, process, users, volume, data_needed, data_available,
approach (one of: predictive, generative, agentic, optimisation, other; or "" if the paragraph does not say),
sourcing (one of: build, buy, partner; or ""), benefits, costs, risks, dependencies, owner, sponsor.
Use only what the paragraph says. Leave a key as "" when the paragraph does not say it. Do not invent numbers, names or facts.`

// DraftUseCase asks the model to draft a use case canvas from a paragraph.
// Nothing is saved: the person reviews the draft in the new use case form.
// Needs PermContribute. Returns EINVALID for a missing or long text and
// EUNAVAILABLE when the assistant is off or the model fails.
func (app *App) DraftUseCase(ctx context.Context, text string) (*UseCaseDraft, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	if text, err = assistantText("text", text, maxAssistantText); err != nil {
		return nil, err
	}
	if app.Assistant == nil {
		return nil, assistantOff()
	}
	var raw map[string]any
	reply, err := app.askModel(ctx, a, assistantCall{action: "assistant.draft_canvas",
		messages: []llm.Message{{Role: "system", Content: draftSystemPrompt}, {Role: "user", Content: text}}, json: true,
		parse: func(content string) error {
			if err := llm.DecodeJSON(content, &raw); err != nil {
				return err
			}
			for k := range canvasLimits {
				if s, ok := raw[k].(string); ok && strings.TrimSpace(s) != "" {
					return nil
				}
			}
			return &llm.Error{Kind: llm.KindMalformed, Message: "the answer has none of the canvas fields", Excerpt: llm.Excerpt(content)}
		}})
	if err != nil {
		return nil, err
	}
	d := &UseCaseDraft{Model: reply.Model, Notes: []string{}}
	if d.Model == "" {
		d.Model = app.Assistant.client.Model()
	}
	str := func(k string) string {
		s, ok := raw[k].(string)
		if !ok {
			if raw[k] != nil {
				d.Notes = append(d.Notes, "The model's "+k+" was not text and was left out.")
			}
			return ""
		}
		s = strings.TrimSpace(s)
		if max := canvasLimits[k]; max > 0 && utf8.RuneCountInString(s) > max {
			s = string([]rune(s)[:max])
			d.Notes = append(d.Notes, "The model's "+k+" was cut to "+strconv.Itoa(max)+" characters.")
		}
		return s
	}
	c := &d.Canvas
	c.Title, c.Problem, c.Process, c.Users, c.Volume = str("title"), str("problem"), str("process"), str("users"), str("volume")
	c.DataNeeded, c.DataAvailable, c.Benefits, c.Costs = str("data_needed"), str("data_available"), str("benefits"), str("costs")
	c.Risks, c.Dependencies, c.Owner, c.Sponsor = str("risks"), str("dependencies"), str("owner"), str("sponsor")
	choice := func(k string, allowed []string) string {
		s, _ := raw[k].(string)
		s = strings.ToLower(strings.TrimSpace(s))
		if s == "" || slices.Contains(allowed, s) {
			return s
		}
		d.Notes = append(d.Notes, "The model's "+k+" “"+llm.Excerpt(s)+"” is not one of "+strings.Join(allowed, ", ")+" and was left out.")
		return ""
	}
	c.Approach, c.Sourcing = choice("approach", caio.UseCaseApproaches), choice("sourcing", caio.UseCaseSourcing)
	return d, nil
}
