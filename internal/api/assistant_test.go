package api_test

import (
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/llm"
	"github.com/caio-office/caio/internal/llm/llmtest"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

var (
	apiFakeOnce sync.Once
	apiFake     *llmtest.Server
)

// shapedReply answers each assistant feature with a reply of its shape.
func shapedReply(r llmtest.Request) (int, string) {
	sys := r.Messages[0].Content
	var v any
	switch {
	case strings.Contains(sys, "intake canvas"):
		v = map[string]string{"title": "Triage claims"}
	case strings.Contains(sys, "classify an AI system"):
		v = map[string]any{"suggestions": []any{}}
	case strings.Contains(sys, "governance data"):
		v = map[string]any{"answer": "Nothing relevant."}
	default:
		return http.StatusOK, llmtest.Completion("A short summary.")
	}
	b, _ := json.Marshal(v)
	return http.StatusOK, llmtest.Completion(string(b))
}

// assistantFor turns s's assistant on against the shared fake.
func assistantFor(t *testing.T, s *servertest.Server) {
	apiFakeOnce.Do(func() {
		apiFake = llmtest.New()
		apiFake.ReplyFunc(shapedReply)
	})
	as, err := app.NewAssistant(llm.Config{BaseURL: apiFake.BaseURL(), Model: "fake-model"})
	if err != nil {
		t.Fatal(err)
	}
	s.App.Assistant = as
}

// The assistant's operations join the role matrix of roles_test.go.
func init() {
	on := func(path string, body any) func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		return func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			assistantFor(t, e.s)
			return path, body
		}
	}
	roleCases = append(roleCases,
		// App.AssistantStatus, Ask, SummariseSystem: PermRead.
		roleCase{name: "assistant status", op: "GET /assistant", perm: caio.PermRead, req: fixed("/api/v1/assistant", nil), ok: 200},
		roleCase{name: "assistant ask", op: "POST /assistant/ask", perm: caio.PermRead, req: on("/api/v1/assistant/ask", map[string]any{"question": "Which systems?"}), ok: 200},
		roleCase{name: "assistant summary", op: "POST /assistant/systems/{id}/summary", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			assistantFor(t, e.s)
			return "/api/v1/assistant/systems/" + e.s.NewSystem(t, e.org, "Summarised "+string(r)).ID + "/summary", nil
		}},
		// App.DraftUseCase: PermContribute.
		roleCase{name: "assistant draft", op: "POST /assistant/draft-usecase", perm: caio.PermContribute, req: on("/api/v1/assistant/draft-usecase", map[string]any{"text": "Claims wait."}), ok: 200},
		// App.SuggestClassification: PermEdit.
		roleCase{name: "assistant suggestions", op: "POST /assistant/classification-suggestions", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			assistantFor(t, e.s)
			return "/api/v1/assistant/classification-suggestions", map[string]any{"system_id": e.s.NewSystem(t, e.org, "Suggested "+string(r)).ID, "text": "It ranks applicants."}
		}},
	)
}

// TestAssistantAPI calls each operation against a fake model: success, a
// provider error, an unreachable model, the assistant off, and another
// organisation's system.
func TestAssistantAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		fake := llmtest.New()
		defer fake.Close()
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		sys := s.NewSystem(t, org, "CV screening")
		foreign := s.NewSystem(t, other, "Globex system")
		tok := org.Token(caio.RoleEditor)

		// Off: 503 saying how to turn it on, and nothing sent.
		var info app.AssistantInfo
		s.Do(t, "GET", "/api/v1/assistant", tok, nil).Want(t, 200).JSON(t, &info)
		if info.Enabled {
			t.Error("enabled while off")
		}
		p := s.Do(t, "POST", "/api/v1/assistant/ask", tok, map[string]any{"question": "Which?"}).Want(t, 503).Problem(t)
		if !strings.Contains(p.Detail, "--llm-url") {
			t.Errorf("off: %+v", p)
		}

		as, _ := app.NewAssistant(llm.Config{BaseURL: fake.BaseURL(), Model: "llama3.1:8b", Key: "k"})
		s.App.Assistant = as
		s.Do(t, "GET", "/api/v1/assistant", tok, nil).Want(t, 200).JSON(t, &info)
		if !info.Enabled || info.Model != "llama3.1:8b" || info.URL != fake.BaseURL() {
			t.Errorf("info = %+v", info)
		}

		fake.ReplyJSON(map[string]any{"title": "Triage claims", "problem": "Slow."})
		var d app.UseCaseDraft
		s.Do(t, "POST", "/api/v1/assistant/draft-usecase", tok, map[string]any{"text": "Claims are slow."}).Want(t, 200).JSON(t, &d)
		if d.Canvas.Title != "Triage claims" || d.Canvas.Problem != "Slow." {
			t.Errorf("draft = %+v", d)
		}

		fake.ReplyJSON(map[string]any{"suggestions": []any{map[string]any{"field": "roles", "value": "deployer", "quotes": []string{"We use it to rank applicants."}}}})
		var sg app.ClassificationSuggestions
		s.Do(t, "POST", "/api/v1/assistant/classification-suggestions", tok, map[string]any{"system_id": sys.ID, "text": "We use it to rank applicants."}).Want(t, 200).JSON(t, &sg)
		if len(sg.Suggestions) != 1 || sg.Suggestions[0].Token != "roles:=deployer" {
			t.Errorf("suggestions = %+v", sg)
		}

		fake.Reply("It ranks applicants.")
		var sum app.SystemSummary
		s.Do(t, "POST", "/api/v1/assistant/systems/"+sys.ID+"/summary", tok, nil).Want(t, 200).JSON(t, &sum)
		if sum.Summary != "It ranks applicants." || !strings.Contains(sum.Facts, "CV screening") {
			t.Errorf("summary = %+v", sum)
		}

		fake.ReplyJSON(map[string]any{"answer": "CV screening [" + sys.ID + "]", "citations": []string{sys.ID, foreign.ID}})
		var ans app.AssistantAnswer
		s.Do(t, "POST", "/api/v1/assistant/ask", tok, map[string]any{"question": "Which screening systems?"}).Want(t, 200).JSON(t, &ans)
		if len(ans.Cited) != 1 || ans.Cited[0].ID != sys.ID || len(ans.Unknown) != 1 || ans.Unknown[0] != foreign.ID {
			t.Errorf("answer = %+v", ans)
		}
		for _, src := range ans.Sources {
			if src.ID == foreign.ID {
				t.Error("another organisation's system was a source")
			}
		}

		// Another organisation's system: 404, nothing sent.
		calls := fake.Calls()
		s.Do(t, "POST", "/api/v1/assistant/systems/"+foreign.ID+"/summary", tok, nil).Want(t, 404)
		s.Do(t, "POST", "/api/v1/assistant/classification-suggestions", tok, map[string]any{"system_id": foreign.ID, "text": "x"}).Want(t, 404)
		if fake.Calls() != calls {
			t.Error("a request went to the model for another organisation's system")
		}

		// The provider's error and an unreachable model are 503 with the reason.
		fake.ReplyRaw(500, `{"error":{"message":"out of memory"}}`)
		p = s.Do(t, "POST", "/api/v1/assistant/ask", tok, map[string]any{"question": "Which?"}).Want(t, 503).Problem(t)
		if !strings.Contains(p.Detail, "out of memory") {
			t.Errorf("500: %+v", p)
		}
		fake.Reply("not json")
		p = s.Do(t, "POST", "/api/v1/assistant/draft-usecase", tok, map[string]any{"text": "Claims."}).Want(t, 503).Problem(t)
		if !strings.Contains(p.Detail, "not json") {
			t.Errorf("malformed: %+v", p)
		}
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		as, _ = app.NewAssistant(llm.Config{BaseURL: "http://" + addr + "/v1", Model: "m"})
		s.App.Assistant = as
		p = s.Do(t, "POST", "/api/v1/assistant/ask", tok, map[string]any{"question": "Which?"}).Want(t, 503).Problem(t)
		if !strings.Contains(p.Detail, addr) {
			t.Errorf("unreachable: %+v", p)
		}
		// Bad input names the field.
		s.Do(t, "POST", "/api/v1/assistant/ask", tok, map[string]any{"question": ""}).Want(t, 422)
	})
}
