package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/llm/llmtest"
)

// TestAskCommand asks the demo organisation a question against a fake
// model, with a key from a file, and checks the answer, the citations and
// the audit event.
func TestAskCommand(t *testing.T) {
	e := newEnv(t)
	e.must("demo")
	fake := llmtest.New()
	defer fake.Close()
	fake.ReplyFunc(func(r llmtest.Request) (int, string) {
		// Cite the first object given, and one that was not.
		sys := r.Messages[0].Content
		i := strings.Index(sys, "\n[")
		id := sys[i+2 : i+2+strings.Index(sys[i+2:], "]")]
		b, _ := json.Marshal(map[string]any{"answer": "See [" + id + "] and [sys_01INVENTED00000000000000].", "citations": []string{id}})
		return http.StatusOK, llmtest.Completion(string(b))
	})
	key := writeFile(t, "sk-test\n")
	out := e.must("ask", "--org", "demo", "--llm-url", fake.BaseURL(), "--llm-model", "tiny", "--llm-key-file", key, "Which pricing models do we run?")
	for _, want := range []string{"See [", "Cited:", "not given to the model", "sys_01INVENTED00000000000000"} {
		if !strings.Contains(out, want) {
			t.Errorf("ask printed %q, missing %q", out, want)
		}
	}
	if r := fake.Last(); r.Auth != "Bearer sk-test" || r.Model != "tiny" || !strings.Contains(r.Text(), "pricing") {
		t.Errorf("request %+v", r)
	}
	a := e.openApp()
	ctx, err := orgCtx(t.Context(), a, "demo")
	if err != nil {
		t.Fatal(err)
	}
	es, _, err := a.FindAuditEvents(ctx, caio.AuditFilter{Page: caio.Page{Limit: 1}})
	if err != nil || len(es) != 1 || es[0].Action != "assistant.ask" || !strings.Contains(string(es[0].Diff), "pricing models") {
		t.Errorf("newest audit event %+v, %v", es, err)
	}

	calls := fake.Calls()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"ask", "--org", "demo", "Which?"}, "--llm-url is required"},
		{[]string{"ask", "--org", "demo", "--llm-url", fake.BaseURL(), "Which?"}, "--llm-model"},
		{[]string{"ask", "--org", "demo", "--llm-url", "localhost:11434", "--llm-model", "m", "Which?"}, "http or https URL"},
		{[]string{"ask", "--org", "demo", "--llm-url", fake.BaseURL(), "--llm-model", "m", "--llm-key-file", "/nonexistent/key", "Which?"}, "--llm-key-file"},
	} {
		_, _, err := e.run(tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: err = %v, want %q", tc.args, err, tc.want)
		}
	}
	if fake.Calls() != calls {
		t.Error("a misconfigured ask sent a request")
	}
}

// TestServeLLMFlags checks the serve flags' checks without starting a server.
func TestServeLLMFlags(t *testing.T) {
	if as, err := (&llmFlags{}).assistant(); as != nil || err != nil {
		t.Errorf("no URL: %v, %v; want off", as, err)
	}
	as, err := (&llmFlags{URL: "http://127.0.0.1:11434/v1", Model: "llama3.1:8b", Timeout: time.Minute}).assistant()
	if as == nil || err != nil {
		t.Errorf("ollama: %v, %v", as, err)
	}
	if _, err := (&llmFlags{URL: "http://127.0.0.1:11434/v1", Model: "m"}).assistant(); err == nil || !strings.Contains(err.Error(), "--llm-timeout") {
		t.Errorf("zero timeout: %v", err)
	}
	if _, err := (&llmFlags{URL: "http://user:pw@host/v1", Model: "m", Timeout: time.Minute}).assistant(); err == nil || strings.Contains(err.Error(), "pw") {
		t.Errorf("credentials in the URL: %v", err)
	}
}

// The model's text reaches a terminal: escape sequences must not.
func TestTerminalSafe(t *testing.T) {
	got := terminalSafe("ok\x1b]0;pwned\x07 line\r\nnext\tcol\u009b2J")
	if want := "ok]0;pwned line\nnext\tcol2J"; got != want {
		t.Errorf("terminalSafe = %q, want %q", got, want)
	}
}
