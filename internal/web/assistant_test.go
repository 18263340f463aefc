package web_test

import (
	"encoding/json"
	"html"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/llm"
	"github.com/caio-office/caio/internal/llm/llmtest"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// assistantOn turns the server's assistant on against fake.
func assistantOn(t *testing.T, s *servertest.Server, fake *llmtest.Server) {
	t.Helper()
	as, err := app.NewAssistant(llm.Config{BaseURL: fake.BaseURL(), Model: "llama3.1:8b"})
	if err != nil {
		t.Fatal(err)
	}
	s.App.Assistant = as
}

type pageCase struct {
	name    string
	method  string
	path    string
	form    url.Values
	reply   func()
	status  int
	want    []string
	wantNot []string
}

func runPageCases(t *testing.T, b *servertest.Browser, cases []pageCase) {
	t.Helper()
	for _, tc := range cases {
		if tc.reply != nil {
			tc.reply()
		}
		var res *servertest.Response
		if tc.method == "GET" {
			res = b.Get(t, tc.path)
		} else {
			res = b.PostForm(t, tc.path, tc.form)
		}
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, res.StatusCode, tc.status, res)
			continue
		}
		body := html.UnescapeString(string(res.Body)) + res.Header.Get("Location")
		for _, w := range tc.want {
			if !strings.Contains(body, w) {
				t.Errorf("%s: missing %q", tc.name, w)
			}
		}
		for _, w := range tc.wantNot {
			if strings.Contains(body, w) {
				t.Errorf("%s: shows %q", tc.name, w)
			}
		}
	}
}

// TestAssistantPages walks through every assistant page with a fake model:
// success, a malformed reply, a provider error and an unreachable model,
// each keeping what the person typed.
func TestAssistantPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		fake := llmtest.New()
		defer fake.Close()
		assistantOn(t, s, fake)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		sys, err := s.App.CreateSystem(org.Sys, caio.AISystemInput{Name: "CV screening", Purpose: "Ranks job applications for recruiters.",
			Description: "It runs on our servers in Germany.", Roles: []string{"deployer"}})
		if err != nil {
			t.Fatal(err)
		}
		foreign := s.NewSystem(t, other, "Globex secret system")
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		paragraph := "Claims wait five days for a first look. We would buy a tool to sort them."
		suggestions := map[string]any{"suggestions": []any{
			map[string]any{"field": "annex_iii", "value": "4(a)", "quotes": []string{"Ranks job applications for recruiters."}},
			map[string]any{"field": "roles", "value": "provider", "quotes": []string{"We built it ourselves."}},
		}}

		runPageCases(t, b, []pageCase{
			{name: "assistant page", method: "GET", path: "/assistant", status: 200,
				want: []string{"Ask a question", "llama3.1:8b", fake.BaseURL(), "may take a while", `href="/assistant/draft"`}, wantNot: []string{"The assistant is off"}},
			{name: "ask", method: "POST", path: "/assistant", form: url.Values{"question": {"Which screening systems do we run?"}},
				reply: func() {
					fake.ReplyJSON(map[string]any{"answer": "You run CV screening [" + sys.ID + "], and [" + foreign.ID + "].", "citations": []string{sys.ID}})
				}, status: 200,
				want:    []string{`<a href="/systems/` + sys.ID + `"`, "Objects cited", "not to be trusted", foreign.ID, "Which screening systems do we run?", "Answered by fake-model"},
				wantNot: []string{`href="/systems/` + foreign.ID, "Globex secret"}},
			{name: "ask citing nothing", method: "POST", path: "/assistant", form: url.Values{"question": {"Which screening systems?"}},
				reply: func() { fake.ReplyJSON(map[string]any{"answer": "I cannot tell."}) }, status: 200,
				want: []string{"I cannot tell.", "The model cited none of your organisation’s objects"}},
			{name: "ask malformed", method: "POST", path: "/assistant", form: url.Values{"question": {"Which screening systems?"}},
				reply: func() { fake.Reply("Let me think about screening") }, status: 503,
				want: []string{"not the JSON object", "Let me think about screening", ">Which screening systems?</textarea>"}},
			{name: "ask provider error", method: "POST", path: "/assistant", form: url.Values{"question": {"Which screening systems?"}},
				reply: func() { fake.ReplyRaw(500, `{"error":{"message":"model is loading"}}`) }, status: 503,
				want: []string{"HTTP 500", "model is loading", ">Which screening systems?</textarea>"}},
			{name: "ask without a question", method: "POST", path: "/assistant", form: url.Values{"question": {" "}}, status: 422,
				want: []string{"Question is required"}},

			{name: "new use case links the draft", method: "GET", path: "/usecases/new", status: 200, want: []string{`href="/assistant/draft"`, "Draft with the assistant"}},
			{name: "draft form", method: "GET", path: "/assistant/draft", status: 200, want: []string{"Draft the canvas", "Nothing is saved"}},
			{name: "draft", method: "POST", path: "/assistant/draft", form: url.Values{"text": {paragraph}},
				reply: func() {
					fake.ReplyJSON(map[string]any{"title": "Triage incoming claims", "problem": "Claims wait five days.", "sourcing": "buy", "approach": "magic"})
				}, status: 200,
				want: []string{"Drafted by the assistant", `action="/usecases"`, `value="Triage incoming claims"`, ">Claims wait five days.</textarea>", `value="buy" selected`}},
			{name: "draft malformed", method: "POST", path: "/assistant/draft", form: url.Values{"text": {paragraph}},
				reply: func() { fake.Reply("{not json") }, status: 503,
				want: []string{"not the JSON object", "{not json", ">" + paragraph + "</textarea>"}},

			{name: "system page links", method: "GET", path: "/systems/" + sys.ID, status: 200,
				want: []string{"/systems/" + sys.ID + "/assistant/summary", "/systems/" + sys.ID + "/assistant/suggestions"}},
			{name: "suggestions form", method: "GET", path: "/systems/" + sys.ID + "/assistant/suggestions", status: 200,
				want: []string{"Suggest answers", "Ranks job applications for recruiters.\n\nIt runs on our servers in Germany."}},
			{name: "suggestions", method: "POST", path: "/systems/" + sys.ID + "/assistant/suggestions", form: url.Values{"text": {"Ranks job applications for recruiters."}},
				reply: func() { fake.ReplyJSON(suggestions) }, status: 200,
				want: []string{`value="annex_iii:=4(a)"`, "<blockquote>Ranks job applications for recruiters.</blockquote>", "1 suggestion dropped",
					"“We built it ourselves.” is not in the description", `name="payload"`}, wantNot: []string{`value="roles:=provider"`}},
			{name: "apply nothing", method: "POST", path: "/systems/" + sys.ID + "/assistant/apply",
				form: url.Values{"payload": {payload(t, sys.ID, "Ranks job applications for recruiters.")}}, status: 422,
				want: []string{"tick the ones to apply", `value="annex_iii:=4(a)"`}},
			{name: "apply", method: "POST", path: "/systems/" + sys.ID + "/assistant/apply", form: url.Values{"apply": {"annex_iii:=4(a)", "roles:=deployer"}}, status: 200,
				want: []string{"filled in below (2)", `name="annex_iii" value="4(a)" checked`, `name="roles" value="deployer" checked`, "Save classification"}},
			{name: "apply a forged answer", method: "POST", path: "/systems/" + sys.ID + "/assistant/apply", form: url.Values{"apply": {"roles:=emperor"}}, status: 422,
				want: []string{"not a role of the Act"}},

			{name: "summary page", method: "GET", path: "/systems/" + sys.ID + "/assistant/summary", status: 200, want: []string{"Write a summary"}},
			{name: "summary", method: "POST", path: "/systems/" + sys.ID + "/assistant/summary",
				reply: func() { fake.Reply("CV screening ranks applicants for recruiters.") }, status: 200,
				want: []string{">CV screening ranks applicants for recruiters.</textarea>", "AI system: CV screening", "Write it again"}},
			{name: "summary provider error", method: "POST", path: "/systems/" + sys.ID + "/assistant/summary",
				reply: func() { fake.ReplyRaw(404, `{"error":"model \"llama3.1:8b\" not found, try pulling it first"}`) }, status: 503,
				want: []string{"HTTP 404", "try pulling it first"}},

			{name: "another organisation's summary", method: "GET", path: "/systems/" + foreign.ID + "/assistant/summary", status: 404},
			{name: "another organisation's suggestions", method: "POST", path: "/systems/" + foreign.ID + "/assistant/suggestions", form: url.Values{"text": {"x y z"}}, status: 404},
		})
		// Nothing the drafts did was saved as a use case.
		if _, n, _ := s.App.FindUseCases(org.Sys, caio.UseCaseFilter{}); n != 0 {
			t.Errorf("%d use cases after drafting", n)
		}

		// An unreachable model: the page says where it tried.
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		as, _ := app.NewAssistant(llm.Config{BaseURL: "http://" + addr + "/v1", Model: "m"})
		s.App.Assistant = as
		runPageCases(t, b, []pageCase{{name: "unreachable", method: "POST", path: "/assistant/draft", form: url.Values{"text": {paragraph}}, status: 503,
			want: []string{"could not be reached", addr, ">" + paragraph + "</textarea>"}}})
	})
}

// payload is the suggestions page's hidden payload for one suggestion.
func payload(t *testing.T, systemID, text string) string {
	b, err := json.Marshal(app.ClassificationSuggestions{SystemID: systemID, Text: text, Suggestions: []app.ClassificationSuggestion{
		{Field: "annex_iii", Value: "4(a)", Question: "Uses listed in Annex III", Quotes: []string{text}, Token: "annex_iii:=4(a)"}}})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAssistantPagesOff checks that with no model configured every page
// says how to turn it on, and nothing is sent.
func TestAssistantPagesOff(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		fake := llmtest.New()
		defer fake.Close()
		org := s.NewOrg(t, "acme")
		sys := s.NewSystem(t, org, "CV screening")
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		off := []string{"The assistant is off", "--llm-url", "nothing was sent"}
		runPageCases(t, b, []pageCase{
			{name: "assistant", method: "GET", path: "/assistant", status: 200, want: append(off, "disabled")},
			{name: "ask", method: "POST", path: "/assistant", form: url.Values{"question": {"Which systems?"}}, status: 503, want: append(off, ">Which systems?</textarea>")},
			{name: "draft form", method: "GET", path: "/assistant/draft", status: 200, want: off},
			{name: "draft", method: "POST", path: "/assistant/draft", form: url.Values{"text": {"Claims wait."}}, status: 503, want: append(off, ">Claims wait.</textarea>")},
			{name: "suggestions", method: "POST", path: "/systems/" + sys.ID + "/assistant/suggestions", form: url.Values{"text": {"It ranks."}}, status: 503, want: off},
			{name: "summary page", method: "GET", path: "/systems/" + sys.ID + "/assistant/summary", status: 200, want: off},
			{name: "summary", method: "POST", path: "/systems/" + sys.ID + "/assistant/summary", status: 503, want: off},
		})
		if fake.Calls() != 0 {
			t.Errorf("the model got %d requests while the assistant was off", fake.Calls())
		}
	})
}

// TestAssistantPagesByRole checks that viewers may ask and summarise but
// not draft or apply, and contributors may draft.
func TestAssistantPagesByRole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		fake := llmtest.New()
		defer fake.Close()
		fake.ReplyJSON(map[string]any{"answer": "None.", "title": "Idea", "suggestions": []any{}})
		assistantOn(t, s, fake)
		org := s.NewOrg(t, "acme")
		sys := s.NewSystem(t, org, "CV screening")
		viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		runPageCases(t, viewer, []pageCase{
			{name: "viewer asks", method: "POST", path: "/assistant", form: url.Values{"question": {"Which?"}}, status: 200},
			{name: "viewer drafts", method: "POST", path: "/assistant/draft", form: url.Values{"text": {"An idea."}}, status: 403},
			{name: "viewer suggests", method: "POST", path: "/systems/" + sys.ID + "/assistant/suggestions", form: url.Values{"text": {"It ranks."}}, status: 403},
			{name: "viewer applies", method: "POST", path: "/systems/" + sys.ID + "/assistant/apply", form: url.Values{"apply": {"roles:=deployer"}}, status: 403},
			{name: "viewer system page", method: "GET", path: "/systems/" + sys.ID, status: 200, wantNot: []string{"/assistant/suggestions"}},
		})
		contributor := s.Login(t, org.Members[caio.RoleContributor].Email, servertest.Password)
		runPageCases(t, contributor, []pageCase{
			{name: "contributor drafts", method: "POST", path: "/assistant/draft", form: url.Values{"text": {"An idea."}}, status: 200, want: []string{"Submit idea for triage"}},
		})
		if fake.Calls() != 2 {
			t.Errorf("the model got %d requests, want 2 (the question and the draft)", fake.Calls())
		}
		_ = http.StatusOK
	})
}
