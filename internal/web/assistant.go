package web

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/euaiact"
)

// The assistant's pages: ask a question over the organisation's data,
// draft a use case canvas from a paragraph (shown in the new use case
// form, not saved), suggest classification answers for a system with
// their quotes (ticked ones are applied to the classification form, which
// the person saves), and summarise a system. Every form keeps what the
// person typed when the model fails, and says why.

func init() { areaRoutes = append(areaRoutes, (*Web).assistantRoutes) }

// assistantRoutes lists the assistant's pages.
func (w *Web) assistantRoutes() []Route {
	return []Route{
		{"GET /assistant", Member, w.assistantPage},
		{"POST /assistant", Member, w.assistantAsk},
		{"GET /assistant/draft", Member, w.assistantDraftForm},
		{"POST /assistant/draft", Member, w.assistantDraft},
		{"GET /systems/{id}/assistant/suggestions", Member, w.assistantSuggestForm},
		{"POST /systems/{id}/assistant/suggestions", Member, w.assistantSuggest},
		{"POST /systems/{id}/assistant/apply", Member, w.assistantApply},
		{"GET /systems/{id}/assistant/summary", Member, w.assistantSummaryPage},
		{"POST /systems/{id}/assistant/summary", Member, w.assistantSummarise},
	}
}

// assistantInfo says whether the assistant is on, for every page.
func (w *Web) assistantInfo(rw http.ResponseWriter, r *http.Request) (app.AssistantInfo, bool) {
	info, err := w.app.AssistantStatus(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return info, false
	}
	return info, true
}

// assistantFail records err on f; the page shows the form again with it.
func assistantFail(f *form, err error) int {
	f.fail(err)
	return statusOf[caio.ErrorCode(err)]
}

func (w *Web) assistantPage(rw http.ResponseWriter, r *http.Request) {
	w.renderAssistant(rw, r, http.StatusOK, &form{Values: map[string]string{}}, nil)
}

func (w *Web) renderAssistant(rw http.ResponseWriter, r *http.Request, status int, f *form, ans *app.AssistantAnswer) {
	info, ok := w.assistantInfo(rw, r)
	if !ok {
		return
	}
	w.render(rw, r, status, "assistant", &page{Title: "Assistant", Form: f, Data: map[string]any{"Info": info, "Answer": ans, "OffMessage": app.AssistantOffMessage}})
}

func (w *Web) assistantAsk(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var ans *app.AssistantAnswer
		if ans, err = w.app.Ask(r.Context(), f.Get("question")); err == nil {
			w.renderAssistant(rw, r, http.StatusOK, f, ans)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	w.renderAssistant(rw, r, assistantFail(f, err), f, nil)
}

func (w *Web) assistantDraftForm(rw http.ResponseWriter, r *http.Request) {
	w.renderAssistantDraft(rw, r, http.StatusOK, &form{Values: map[string]string{}})
}

func (w *Web) renderAssistantDraft(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	info, ok := w.assistantInfo(rw, r)
	if !ok {
		return
	}
	w.render(rw, r, status, "assistant_draft", &page{Title: "Draft a use case with the assistant", Nav: "portfolio", Form: f,
		Data: map[string]any{"Info": info, "OffMessage": app.AssistantOffMessage}})
}

// assistantDraft asks for a canvas and shows it in the new use case form,
// which posts to the normal create: the person reviews every field first.
func (w *Web) assistantDraft(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var d *app.UseCaseDraft
		if d, err = w.app.DraftUseCase(r.Context(), f.Get("text")); err == nil {
			values := useCaseValues(&caio.UseCase{UseCaseCanvas: d.Canvas})
			delete(values, "version")
			values["assistant_draft"] = "1"
			w.renderUseCaseForm(rw, r, http.StatusOK, nil, &form{Values: values, Errors: map[string]string{}})
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	w.renderAssistantDraft(rw, r, assistantFail(f, err), f)
}

// assistantSuggestPage is what the suggestions page shows.
type assistantSuggestPage struct {
	System *caio.AISystem
	Info   app.AssistantInfo
	// Result holds the suggestions once asked; Payload is it as JSON, sent
	// back with the ticks so a failed apply can show them again.
	Result  *app.ClassificationSuggestions
	Payload string
	Ticked  map[string]bool
}

func (w *Web) assistantSuggestForm(rw http.ResponseWriter, r *http.Request) {
	s, err := w.app.FindSystem(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	text := strings.TrimSpace(s.Purpose + "\n\n" + s.Description)
	w.renderAssistantSuggest(rw, r, http.StatusOK, s, &form{Values: map[string]string{"text": text}}, nil)
}

func (w *Web) renderAssistantSuggest(rw http.ResponseWriter, r *http.Request, status int, s *caio.AISystem, f *form, res *app.ClassificationSuggestions) {
	info, ok := w.assistantInfo(rw, r)
	if !ok {
		return
	}
	d := &assistantSuggestPage{System: s, Info: info, Result: res, Ticked: map[string]bool{}}
	if res != nil {
		b, _ := json.Marshal(res)
		d.Payload = string(b)
		for _, t := range r.PostForm["apply"] {
			d.Ticked[t] = true
		}
	}
	w.render(rw, r, status, "assistant_suggestions", &page{Title: "Suggested classification answers for " + s.Name, Nav: "inventory", Form: f,
		Data: map[string]any{"D": d, "OffMessage": app.AssistantOffMessage}})
}

func (w *Web) assistantSuggest(rw http.ResponseWriter, r *http.Request) {
	s, err := w.app.FindSystem(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		var res *app.ClassificationSuggestions
		if res, err = w.app.SuggestClassification(r.Context(), s.ID, f.Get("text")); err == nil {
			w.renderAssistantSuggest(rw, r, http.StatusOK, s, f, res)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	w.renderAssistantSuggest(rw, r, assistantFail(f, err), s, f, nil)
}

// assistantApply applies the ticked suggestions to the system's current
// answers and shows the classification form with the result they give.
// Nothing is saved until the person saves that form, and the engine
// decides the class.
func (w *Web) assistantApply(rw http.ResponseWriter, r *http.Request) {
	sc, err := w.app.FindClassification(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	var p *euaiact.Profile
	if err == nil {
		// Only editors may save a classification: say so before the
		// person reviews answers they cannot save.
		if !caio.Can(actorRole(r), caio.PermEdit) {
			w.fail(rw, r, caio.Errorf(caio.EFORBIDDEN, "Your role (%s) does not allow this (%s).", actorRole(r), caio.PermEdit))
			return
		}
		if p, err = app.ApplySuggestions(w.app.Content(), sc.Profile, r.PostForm["apply"]); err == nil {
			var res *euaiact.Result
			if res, err = w.app.PreviewClassification(r.Context(), p); err == nil {
				c := w.app.Content()
				sections := questionnaire(c, p, res, nil)
				n := len(r.PostForm["apply"])
				msg := "The assistant's answers you ticked are filled in below (" + strconv.Itoa(n) + "). Check them, then save the classification: the engine decides the class."
				w.render(rw, r, http.StatusOK, "classify", &page{Title: "Classify " + sc.System.Name, Nav: "inventory", Flash: msg, Data: map[string]any{
					"System": sc.System, "Profile": p, "Result": res, "Sections": sections, "Content": c,
					"Roles": euaiact.Roles, "Timeline": sc.Timeline, "Progress": progressOf(sections),
				}})
				return
			}
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	// Show the suggestions again from what the form sent back, with the
	// problem; the quotes are checked again against the text.
	if f.Values == nil {
		f.Values = map[string]string{}
	}
	var res *app.ClassificationSuggestions
	if payload := f.Get("payload"); payload != "" {
		var back app.ClassificationSuggestions
		if json.Unmarshal([]byte(payload), &back) == nil && back.SystemID == sc.System.ID {
			back.Recheck(w.app.Content())
			res = &back
			f.Values["text"] = back.Text
		}
	}
	w.renderAssistantSuggest(rw, r, assistantFail(f, err), sc.System, f, res)
}

func (w *Web) assistantSummaryPage(rw http.ResponseWriter, r *http.Request) {
	s, err := w.app.FindSystem(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderAssistantSummary(rw, r, http.StatusOK, s, &form{Values: map[string]string{}}, nil)
}

func (w *Web) renderAssistantSummary(rw http.ResponseWriter, r *http.Request, status int, s *caio.AISystem, f *form, sum *app.SystemSummary) {
	info, ok := w.assistantInfo(rw, r)
	if !ok {
		return
	}
	w.render(rw, r, status, "assistant_summary", &page{Title: "Summary of " + s.Name, Nav: "inventory", Form: f,
		Data: map[string]any{"System": s, "Info": info, "Summary": sum, "OffMessage": app.AssistantOffMessage}})
}

func (w *Web) assistantSummarise(rw http.ResponseWriter, r *http.Request) {
	s, err := w.app.FindSystem(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		var sum *app.SystemSummary
		if sum, err = w.app.SummariseSystem(r.Context(), s.ID); err == nil {
			w.renderAssistantSummary(rw, r, http.StatusOK, s, f, sum)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	w.renderAssistantSummary(rw, r, assistantFail(f, err), s, f, nil)
}

func init() {
	funcs["assistantKind"] = func(kind string) string {
		switch kind {
		case "system":
			return "AI system"
		case "usecase":
			return "use case"
		}
		return kind
	}
}
