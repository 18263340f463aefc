package app_test

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/llm"
	"github.com/caio-office/caio/internal/llm/llmtest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// fakeReply answers each feature's request with a reply of the shape it
// asks for, so the role matrix can call every feature against one fake.
func fakeReply(r llmtest.Request) (int, string) {
	sys := ""
	if len(r.Messages) > 0 {
		sys = r.Messages[0].Content
	}
	var v any
	switch {
	case strings.Contains(sys, "intake canvas"):
		v = map[string]string{"title": "Triage claims", "problem": "Claims wait days."}
	case strings.Contains(sys, "classify an AI system"):
		v = map[string]any{"suggestions": []any{}}
	case strings.Contains(sys, "governance data"):
		v = map[string]any{"answer": "Nothing relevant.", "citations": []string{}}
	default:
		return http.StatusOK, llmtest.Completion("A short summary.")
	}
	b, _ := json.Marshal(v)
	return http.StatusOK, llmtest.Completion(string(b))
}

var (
	roleFakeOnce sync.Once
	roleFake     *llmtest.Server
)

// withAssistant turns f's assistant on against the shared fake of the
// role matrix.
func withAssistant(t *testing.T, f *fixture) {
	roleFakeOnce.Do(func() {
		roleFake = llmtest.New()
		roleFake.ReplyFunc(fakeReply)
	})
	as, err := app.NewAssistant(llm.Config{BaseURL: roleFake.BaseURL(), Model: "fake-model"})
	if err != nil {
		t.Fatal(err)
	}
	f.app.Assistant = as
}

// The assistant's services join the role matrix of app_test.go: each call
// to the model writes one audit event, even a read.
func init() {
	actions = append(actions,
		action{"AssistantStatus", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			withAssistant(t, f)
			return func(ctx context.Context) error { _, err := f.app.AssistantStatus(ctx); return err }
		}},
		action{"DraftUseCase", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			withAssistant(t, f)
			return func(ctx context.Context) error {
				_, err := f.app.DraftUseCase(ctx, "We want to triage claims.")
				return err
			}
		}},
		action{"SuggestClassification", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			withAssistant(t, f)
			s := f.system(t, "suggest "+randomHex())
			return func(ctx context.Context) error {
				_, err := f.app.SuggestClassification(ctx, s.ID, "It screens job applications.")
				return err
			}
		}},
		action{"SummariseSystem", caio.PermRead, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			withAssistant(t, f)
			s := f.system(t, "summary "+randomHex())
			return func(ctx context.Context) error { _, err := f.app.SummariseSystem(ctx, s.ID); return err }
		}},
		action{"Ask", caio.PermRead, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			withAssistant(t, f)
			return func(ctx context.Context) error { _, err := f.app.Ask(ctx, "Which systems are high-risk?"); return err }
		}},
	)
}

// assistantFixture is a fixture whose assistant asks a fresh fake with a key.
func assistantFixture(t *testing.T, db *sqldb.DB) (*fixture, *llmtest.Server) {
	f := newFixture(t, db)
	fake := llmtest.New()
	t.Cleanup(fake.Close)
	as, err := app.NewAssistant(llm.Config{BaseURL: fake.BaseURL(), Model: "llama3.1:8b", Key: "test-key"})
	if err != nil {
		t.Fatal(err)
	}
	f.app.Assistant = as
	return f, fake
}

// auditDiff returns the fields of the newest audit event, which must be
// of the action.
func auditDiff(t *testing.T, f *fixture, action string) map[string]any {
	t.Helper()
	e := lastEvent(t, f.app, f.sys)
	if e.Action != action {
		t.Fatalf("newest audit event is %s, want %s", e.Action, action)
	}
	var d map[string][2]any
	if err := json.Unmarshal(e.Diff, &d); err != nil {
		t.Fatal(err)
	}
	out := map[string]any{}
	for k, v := range d {
		out[k] = v[1]
	}
	return out
}

func TestAssistantDraftUseCase(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f, fake := assistantFixture(t, db)
		fake.ReplyJSON(map[string]any{"title": "Triage incoming claims", "problem": "Claims wait five days for a first look.",
			"approach": "deep magic", "sourcing": "Buy", "owner": "Head of Claims", "volume": 4000})
		paragraph := "Our claims team waits five days before anyone looks at a claim. We would buy a tool to sort them."
		before := auditTotal(t, f.app, f.sys)
		d, err := f.app.DraftUseCase(f.as(caio.RoleContributor), paragraph)
		if err != nil {
			t.Fatal(err)
		}
		if d.Canvas.Title != "Triage incoming claims" || d.Canvas.Owner != "Head of Claims" || d.Canvas.Sourcing != "buy" || d.Canvas.Approach != "" {
			t.Errorf("canvas = %+v", d.Canvas)
		}
		if len(d.Notes) != 2 || !strings.Contains(strings.Join(d.Notes, " "), "deep magic") {
			t.Errorf("notes = %q, want the approach and the volume named", d.Notes)
		}
		req := fake.Last()
		if req.Model != "llama3.1:8b" || req.Auth != "Bearer test-key" || !req.JSON || !strings.Contains(req.Text(), paragraph) {
			t.Errorf("request = %+v", req)
		}
		// Nothing is saved but the audit event of what was sent.
		if _, n, _ := f.app.FindUseCases(f.sys, caio.UseCaseFilter{}); n != 0 {
			t.Errorf("%d use cases saved by a draft", n)
		}
		if after := auditTotal(t, f.app, f.sys); after != before+1 {
			t.Errorf("audit events %d → %d, want one more", before, after)
		}
		diff := auditDiff(t, f, "assistant.draft_canvas")
		if !strings.Contains(toJSON(diff["prompt"]), "five days") || !strings.Contains(toJSON(diff["response"]), "Triage incoming claims") || diff["model"] != "llama3.1:8b" {
			t.Errorf("audit diff = %v", diff)
		}
		if strings.Contains(toJSON(diff), "test-key") {
			t.Error("the audit trail holds the API key")
		}

		_, err = f.app.DraftUseCase(f.as(caio.RoleContributor), "  ")
		wantCode(t, err, caio.EINVALID)
		if got := caio.ErrorFields(err); len(got) != 1 || got[0].Field != "text" {
			t.Errorf("fields = %v", got)
		}
	})
}

func TestAssistantFailures(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f, fake := assistantFixture(t, db)
		ctx := f.as(caio.RoleEditor)

		// A reply that is not the JSON asked for: a clear error quoting it,
		// and the exchange still on record.
		fake.Reply("Sure! Here is your canvas: title = Claims")
		_, err := f.app.DraftUseCase(ctx, "Claims take too long.")
		wantCode(t, err, caio.EUNAVAILABLE)
		if msg := caio.ErrorMessage(err); !strings.Contains(msg, "not the JSON object") || !strings.Contains(msg, "Sure! Here is your canvas") {
			t.Errorf("malformed: %q", msg)
		}
		if d := auditDiff(t, f, "assistant.draft_canvas"); !strings.Contains(toJSON(d["error"]), "not the JSON object") || d["response"] == nil {
			t.Errorf("audit of a malformed reply = %v", d)
		}

		// JSON without any canvas field is not an empty draft.
		fake.ReplyJSON(map[string]string{"note": "no"})
		_, err = f.app.DraftUseCase(ctx, "Claims take too long.")
		if !strings.Contains(caio.ErrorMessage(err), "none of the canvas fields") {
			t.Errorf("empty draft: %v", err)
		}

		// The provider's error message is shown.
		fake.ReplyRaw(http.StatusInternalServerError, `{"error":{"message":"CUDA out of memory"}}`)
		_, err = f.app.Ask(ctx, "Which systems?")
		wantCode(t, err, caio.EUNAVAILABLE)
		if msg := caio.ErrorMessage(err); !strings.Contains(msg, "HTTP 500") || !strings.Contains(msg, "CUDA out of memory") {
			t.Errorf("500: %q", msg)
		}

		// A request cancelled while the model works is still on record.
		fake.ReplyFunc(func(llmtest.Request) (int, string) {
			time.Sleep(time.Second)
			return http.StatusOK, llmtest.Completion("late")
		})
		// The system is made before the clock starts, and the limit leaves
		// the reads before the request time on a loaded machine.
		slow := f.system(t, "Slow system")
		before := auditTotal(t, f.app, f.sys)
		short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
		_, err = f.app.SummariseSystem(short, slow.ID)
		cancel()
		wantCode(t, err, caio.EUNAVAILABLE)
		if after := auditTotal(t, f.app, f.sys); after != before+1 { // the exchange
			t.Errorf("audit events %d → %d after a cancelled request, want the exchange on record", before, after)
		}
		if d := auditDiff(t, f, "assistant.summarise_system"); d["error"] == nil {
			t.Errorf("audit of a cancelled request = %v", d)
		}

		// An unreachable endpoint names the URL.
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		as, _ := app.NewAssistant(llm.Config{BaseURL: "http://" + addr + "/v1", Model: "m"})
		f.app.Assistant = as
		_, err = f.app.Ask(ctx, "Which systems?")
		wantCode(t, err, caio.EUNAVAILABLE)
		if msg := caio.ErrorMessage(err); !strings.Contains(msg, addr) || !strings.Contains(msg, "could not be reached") {
			t.Errorf("unreachable: %q", msg)
		}

		// Off: every feature says so and nothing is sent.
		f.app.Assistant = nil
		calls := fake.Calls()
		s := f.system(t, "Off system")
		for name, call := range map[string]func() error{
			"draft":   func() error { _, err := f.app.DraftUseCase(ctx, "x y z"); return err },
			"suggest": func() error { _, err := f.app.SuggestClassification(ctx, s.ID, "x y z"); return err },
			"summary": func() error { _, err := f.app.SummariseSystem(ctx, s.ID); return err },
			"ask":     func() error { _, err := f.app.Ask(ctx, "x y z"); return err },
		} {
			err := call()
			wantCode(t, err, caio.EUNAVAILABLE)
			if !strings.Contains(caio.ErrorMessage(err), "--llm-url") {
				t.Errorf("%s while off: %v", name, err)
			}
		}
		if fake.Calls() != calls {
			t.Errorf("the fake got %d requests while the assistant was off", fake.Calls()-calls)
		}
		if info, _ := f.app.AssistantStatus(ctx); info.Enabled {
			t.Error("status says enabled while off")
		}
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Errorf("audit chain broken: %+v", v.Break)
		}
	})
}

func TestAssistantSuggestClassification(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f, fake := assistantFixture(t, db)
		s := f.system(t, "CV screening")
		text := "The tool ranks job applications for our recruiters.  It runs in our offices in Germany.\nWe bought it from a vendor and use it ourselves."
		fake.ReplyJSON(map[string]any{"suggestions": []any{
			map[string]any{"field": "annex_iii", "value": "4(a)", "quotes": []string{"The tool ranks job applications for our recruiters."}},
			map[string]any{"field": "roles", "value": "deployer", "quotes": "we bought it from a vendor and use it ourselves"},
			map[string]any{"field": "fact", "key": "definition.machine_based", "value": true, "quotes": []string{"It runs in our offices in Germany."}},
			// Dropped: a quote the text does not hold, a value not allowed,
			// an unknown question, no quote, and a contradiction.
			map[string]any{"field": "fact", "key": "scope.eu_nexus", "value": "yes", "quotes": []string{"It is used across the European Union."}},
			map[string]any{"field": "roles", "value": "owner", "quotes": []string{"We bought it from a vendor and use it ourselves."}},
			map[string]any{"field": "fact", "key": "no.such.fact", "value": "yes", "quotes": []string{"We bought it from a vendor and use it ourselves."}},
			map[string]any{"field": "annex_i", "value": "none"},
			map[string]any{"field": "fact", "key": "definition.machine_based", "value": "no", "quotes": []string{"It runs in our offices in Germany."}},
		}})
		res, err := f.app.SuggestClassification(f.as(caio.RoleEditor), s.ID, text)
		if err != nil {
			t.Fatal(err)
		}
		var tokens []string
		for _, g := range res.Suggestions {
			tokens = append(tokens, g.Token)
		}
		if strings.Join(tokens, " ") != "annex_iii:=4(a) roles:=deployer fact:definition.machine_based=yes" {
			t.Errorf("kept = %v", tokens)
		}
		if len(res.Dropped) != 5 {
			t.Fatalf("dropped = %+v, want 5", res.Dropped)
		}
		for i, want := range []string{"not in the description", "not a role", "no question", "quotes nothing", "contradicts"} {
			if !strings.Contains(res.Dropped[i].Reason, want) {
				t.Errorf("dropped[%d] = %+v, want %q", i, res.Dropped[i], want)
			}
		}
		req := fake.Last()
		if !strings.Contains(req.Text(), "definition.machine_based") || !strings.Contains(req.Text(), "ranks job applications") {
			t.Errorf("the prompt lacks the questionnaire or the text")
		}
		if d := auditDiff(t, f, "assistant.suggest_classification"); !strings.Contains(toJSON(d["prompt"]), "ranks job applications") {
			t.Errorf("audit = %v", d)
		}
		e := lastEvent(t, f.app, f.sys)
		if e.ObjectType != "system" || e.ObjectID != s.ID {
			t.Errorf("audit object = %s %s", e.ObjectType, e.ObjectID)
		}

		// Applying goes through the normal classification: the engine decides.
		sc, _ := f.app.FindClassification(f.sys, s.ID)
		p, err := app.ApplySuggestions(f.app.Content(), sc.Profile, tokens)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.AnnexIII) != 1 || p.AnnexIII[0] != "4(a)" || !p.Facts["definition.machine_based"] {
			t.Errorf("profile = %+v", p)
		}
		if _, err := f.app.ClassifySystem(f.as(caio.RoleEditor), s.ID, p); err != nil {
			t.Fatal(err)
		}
		for _, bad := range [][]string{nil, {"roles:=owner"}, {"nonsense"}, {"fact:definition.machine_based=maybe"}, {"training_flop:=NaN"}} {
			_, err := app.ApplySuggestions(f.app.Content(), sc.Profile, bad)
			wantCode(t, err, caio.EINVALID)
		}

		// Another organisation's system is not found, and nothing is sent.
		_, other := newOrg(t, f.app, "other", "owner@other.test")
		calls := fake.Calls()
		_, err = f.app.SuggestClassification(other, s.ID, text)
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.SummariseSystem(other, s.ID)
		wantCode(t, err, caio.ENOTFOUND)
		if fake.Calls() != calls {
			t.Error("a request was sent for another organisation's system")
		}
	})
}

func TestAssistantSummariseSystem(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f, fake := assistantFixture(t, db)
		s := f.classified(t, "CV screening")
		m, err := f.app.CreateModel(f.sys, caio.AIModelInput{Name: "RankNet", Kind: "deep_learning"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.LinkSystem(f.sys, s.ID, "model", m.ID); err != nil {
			t.Fatal(err)
		}
		fake.Reply("  CV screening ranks applicants. It is high-risk.  ")
		sum, err := f.app.SummariseSystem(f.as(caio.RoleViewer), s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Summary != "CV screening ranks applicants. It is high-risk." {
			t.Errorf("summary = %q", sum.Summary)
		}
		for _, want := range []string{"AI system: CV screening", "Models: RankNet", "EU AI Act classification: High-risk", "Reasons: ", "Controls: "} {
			if !strings.Contains(sum.Facts, want) || !strings.Contains(fake.Last().Text(), want) {
				t.Errorf("record lacks %q:\n%s", want, sum.Facts)
			}
		}
		if fake.Last().JSON {
			t.Error("a summary asked for JSON")
		}
		auditDiff(t, f, "assistant.summarise_system")
	})
}

func TestAssistantAskCitesOnlyItsOwnObjects(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f, fake := assistantFixture(t, db)
		mine := f.system(t, "Claims triage")
		risk, err := f.app.CreateRisk(f.sys, caio.RiskInput{Title: "Claims triage bias", Likelihood: 3, Impact: 4})
		if err != nil {
			t.Fatal(err)
		}
		f.system(t, "Payroll forecaster")
		// Another organisation with a system of the same words.
		_, other := newOrg(t, f.app, "rival", "owner@rival.test")
		theirs, err := f.app.CreateSystem(other, caio.AISystemInput{Name: "Rival claims triage", Purpose: "claims", Roles: []string{"deployer"}})
		if err != nil {
			t.Fatal(err)
		}
		fake.ReplyJSON(map[string]any{
			"answer":    "Claims triage [" + mine.ID + "] carries a bias risk [" + risk.ID + "]; see also [" + theirs.ID + "] and [sys_01INVENTED0000000000000000].",
			"citations": []string{mine.ID, theirs.ID},
		})
		ans, err := f.app.Ask(f.as(caio.RoleViewer), "What risks does claims triage carry?")
		if err != nil {
			t.Fatal(err)
		}
		sent := fake.Last().Text()
		if strings.Contains(sent, theirs.ID) || strings.Contains(sent, "Rival") {
			t.Error("another organisation's system was sent to the model")
		}
		if !strings.Contains(sent, mine.ID) || !strings.Contains(sent, risk.ID) || strings.Contains(sent, "Payroll") {
			t.Errorf("retrieval sent:\n%s", sent)
		}
		var cited []string
		for _, c := range ans.Cited {
			cited = append(cited, c.ID)
		}
		if strings.Join(cited, " ") != mine.ID+" "+risk.ID {
			t.Errorf("cited = %v", cited)
		}
		if strings.Join(ans.Unknown, " ") != theirs.ID+" sys_01INVENTED0000000000000000" {
			t.Errorf("unknown = %v", ans.Unknown)
		}
		links := 0
		for _, p := range ans.Parts {
			if p.Source != nil {
				links++
				if p.Source.Path != "/systems/"+mine.ID && p.Source.Path != "/risks/"+risk.ID {
					t.Errorf("link to %s", p.Source.Path)
				}
			}
		}
		if links != 2 {
			t.Errorf("answer links %d objects, want 2: %+v", links, ans.Parts)
		}
		if ans.Overview {
			t.Error("overview with matching objects")
		}
		auditDiff(t, f, "assistant.ask")

		// An answer citing nothing is an answer, and says so.
		fake.ReplyJSON(map[string]any{"answer": "I do not know."})
		ans, err = f.app.Ask(f.as(caio.RoleViewer), "Who won the cup in 1966?")
		if err != nil {
			t.Fatal(err)
		}
		if len(ans.Cited) != 0 || !ans.Overview || len(ans.Sources) == 0 {
			t.Errorf("uncited answer = %+v", ans)
		}
		// A class named in the question finds the systems of that class.
		hr := f.classified(t, "Applicant ranking")
		fake.ReplyJSON(map[string]any{"answer": "Applicant ranking [" + hr.ID + "]."})
		ans, err = f.app.Ask(f.as(caio.RoleViewer), "Which systems are high-risk?")
		if err != nil || len(ans.Cited) != 1 || ans.Cited[0].ID != hr.ID || !strings.Contains(ans.Cited[0].Text, "High-risk") {
			t.Errorf("high-risk question: %+v, %v", ans, err)
		}
		// A reply without an answer is an error, not an empty answer.
		fake.ReplyJSON(map[string]any{"answer": ""})
		_, err = f.app.Ask(f.as(caio.RoleViewer), "Which claims?")
		if !strings.Contains(caio.ErrorMessage(err), "answer is missing") {
			t.Errorf("empty answer: %v", err)
		}
	})
}

func toJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}
