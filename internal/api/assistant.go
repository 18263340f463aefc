package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio/internal/app"
	"github.com/danielgtaylor/huma/v2"
)

// The assistant: an optional language model that drafts, suggests,
// summarises and answers, and never decides. Every operation answers 503
// with a sentence saying how to turn it on while it is off, and 503 with
// the provider's problem (an unreachable endpoint, an error status, a
// reply that could not be read) when the model fails. Each call is in the
// audit trail with its prompt and reply.

func init() { registrars = append(registrars, (*API).registerAssistant) }

const assistantTag = "Assistant"

// AssistantTextBody carries a person's text for the assistant.
type AssistantTextBody struct {
	Text string `json:"text" minLength:"1" maxLength:"32000" doc:"The paragraph or description to work from (at most 8,000 characters)."`
}

// AssistantSuggestBody asks for classification suggestions for a system.
type AssistantSuggestBody struct {
	SystemID string `json:"system_id" minLength:"1" maxLength:"64" doc:"The AI system, sys_..."`
	Text     string `json:"text" minLength:"1" maxLength:"32000" doc:"A description of the system; every suggestion quotes it."`
}

// AssistantAskBody is a question over the organisation's data.
type AssistantAskBody struct {
	Question string `json:"question" minLength:"1" maxLength:"8000" doc:"The question, at most 2,000 characters."`
}

func (api *API) registerAssistant() {
	huma.Register(api, op(http.MethodGet, "/assistant", "get-assistant", "Tell whether the assistant is configured, and which model it asks", assistantTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body app.AssistantInfo }, error) {
			info, err := api.app.AssistantStatus(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body app.AssistantInfo }{info}, nil
		})

	draft := assistantOp(http.MethodPost, "/assistant/draft-usecase", "assistant-draft-usecase", "Draft a use case canvas from a paragraph (nothing is saved)")
	huma.Register(api, draft, func(ctx context.Context, in *struct{ Body AssistantTextBody }) (*struct{ Body *app.UseCaseDraft }, error) {
		d, err := api.app.DraftUseCase(ctx, in.Body.Text)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *app.UseCaseDraft }{d}, nil
	})

	suggest := assistantOp(http.MethodPost, "/assistant/classification-suggestions", "assistant-classification-suggestions",
		"Suggest EU AI Act questionnaire answers for a system, each quoting the description (nothing is applied)")
	huma.Register(api, suggest, func(ctx context.Context, in *struct{ Body AssistantSuggestBody }) (*struct {
		Body *app.ClassificationSuggestions
	}, error) {
		s, err := api.app.SuggestClassification(ctx, in.Body.SystemID, in.Body.Text)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct {
			Body *app.ClassificationSuggestions
		}{s}, nil
	})

	summary := assistantOp(http.MethodPost, "/assistant/systems/{id}/summary", "assistant-summarise-system", "Summarise an AI system from its stored record")
	huma.Register(api, summary, func(ctx context.Context, in *struct {
		ID string `path:"id" doc:"AI system id, sys_..."`
	}) (*struct{ Body *app.SystemSummary }, error) {
		s, err := api.app.SummariseSystem(ctx, in.ID)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *app.SystemSummary }{s}, nil
	})

	ask := assistantOp(http.MethodPost, "/assistant/ask", "assistant-ask", "Answer a question over the organisation's data, citing the objects used")
	huma.Register(api, ask, func(ctx context.Context, in *struct{ Body AssistantAskBody }) (*struct{ Body *app.AssistantAnswer }, error) {
		a, err := api.app.Ask(ctx, in.Body.Question)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *app.AssistantAnswer }{a}, nil
	})
}

// assistantOp is an assistant operation: it may answer 503 when the
// assistant is off or the model fails.
func assistantOp(method, path, id, summary string) huma.Operation {
	o := op(method, path, id, summary, assistantTag)
	o.Errors = append(o.Errors, http.StatusServiceUnavailable)
	return o
}
