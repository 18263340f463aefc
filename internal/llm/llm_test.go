package llm_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio/internal/llm"
)

func reply(content string) string {
	b, _ := json.Marshal(map[string]any{"model": "m1", "choices": []any{map[string]any{"message": map[string]any{"role": "assistant", "content": content}, "finish_reason": "stop"}}})
	return string(b)
}

func TestChatSendsTheProtocol(t *testing.T) {
	var got map[string]any
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
			t.Errorf("request %s %s", r.Method, r.URL.Path)
		}
		if h := r.Header.Get("Authorization"); h != "Bearer sekret" {
			t.Errorf("Authorization = %q", h)
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &got); err != nil {
			t.Error(err)
		}
		io.WriteString(w, reply("Hello"))
	}))
	defer srv.Close()
	c, err := llm.New(llm.Config{BaseURL: srv.URL + "/v1/", Model: "llama3.1:8b", Key: "sekret\n"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := c.Chat(context.Background(), llm.Request{Messages: []llm.Message{{Role: "user", Content: "Hi"}}, JSON: true, Temperature: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if r.Content != "Hello" || r.Model != "m1" || r.FinishReason != "stop" {
		t.Errorf("reply = %+v", r)
	}
	if got["model"] != "llama3.1:8b" || got["stream"] != false || got["temperature"] != 0.2 {
		t.Errorf("request = %v", got)
	}
	if rf, _ := got["response_format"].(map[string]any); rf["type"] != "json_object" {
		t.Errorf("response_format = %v", got["response_format"])
	}
}

func TestConfigErrors(t *testing.T) {
	for _, cfg := range []llm.Config{
		{BaseURL: "", Model: "m"},
		{BaseURL: "ftp://x/v1", Model: "m"},
		{BaseURL: "localhost:11434", Model: "m"},
		{BaseURL: "http://u:p@host/v1", Model: "m"},
		{BaseURL: "http://host/v1", Model: " "},
		{BaseURL: "http://host/v1?x=1", Model: "m"},
	} {
		_, err := llm.New(cfg)
		var e *llm.Error
		if !errors.As(err, &e) || e.Kind != llm.KindConfig {
			t.Errorf("%+v: err = %v, want a config error", cfg, err)
		}
		if err != nil && strings.Contains(err.Error(), "p@") {
			t.Errorf("error shows the password: %v", err)
		}
	}
}

func TestChatErrors(t *testing.T) {
	cases := []struct {
		name    string
		handler http.HandlerFunc
		kind    llm.Kind
		want    string
	}{
		{"openai error", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(500)
			io.WriteString(w, `{"error":{"message":"model overloaded","type":"server_error"}}`)
		}, llm.KindStatus, "HTTP 500): model overloaded"},
		{"ollama error", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(404)
			io.WriteString(w, `{"error":"model \"nope\" not found, try pulling it first"}`)
		}, llm.KindStatus, `model "nope" not found`},
		{"plain text error", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(502)
			io.WriteString(w, "Bad gateway\n")
		}, llm.KindStatus, "Bad gateway"},
		{"not json", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>hello</html>") }, llm.KindMalformed, "<html>hello</html>"},
		{"no choices", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"choices":[]}`) }, llm.KindEmpty, "no choices"},
		{"empty content", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, reply("  ")) }, llm.KindEmpty, "empty answer"},
		{"too large", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, reply(strings.Repeat("x", 2000))) }, llm.KindMalformed, "larger than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(tc.handler)
			defer srv.Close()
			c, err := llm.New(llm.Config{BaseURL: srv.URL, Model: "m", MaxReplyBytes: 1000})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.Chat(context.Background(), llm.Request{Messages: []llm.Message{{Role: "user", Content: "x"}}})
			var e *llm.Error
			if !errors.As(err, &e) || e.Kind != tc.kind {
				t.Fatalf("err = %v, want kind %s", err, tc.kind)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestUnreachableAndTimeout(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // a closed port
	c, _ := llm.New(llm.Config{BaseURL: "http://" + addr + "/v1", Model: "m"})
	_, err = c.Chat(context.Background(), llm.Request{})
	var e *llm.Error
	if !errors.As(err, &e) || e.Kind != llm.KindUnreachable || !strings.Contains(err.Error(), addr) {
		t.Errorf("closed port: err = %v", err)
	}

	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	c, _ = llm.New(llm.Config{BaseURL: srv.URL, Model: "m", Timeout: 50 * time.Millisecond})
	_, err = c.Chat(context.Background(), llm.Request{})
	if !errors.As(err, &e) || e.Kind != llm.KindTimeout {
		t.Errorf("slow server: err = %v", err)
	}
}

func TestDecodeJSON(t *testing.T) {
	var v struct{ A int }
	if err := llm.DecodeJSON("Here it is:\n```json\n{\"A\": 3}\n```", &v); err != nil || v.A != 3 {
		t.Errorf("fenced: %v %+v", err, v)
	}
	err := llm.DecodeJSON("I cannot help with that.", &v)
	if err == nil || !strings.Contains(err.Error(), "I cannot help with that.") {
		t.Errorf("prose: err = %v", err)
	}
}

func FuzzParseReply(f *testing.F) {
	f.Add([]byte(reply("hi")))
	f.Add([]byte(`{"choices":[{"message":{"content":null}}]}`))
	f.Add([]byte(`{"error":{"message":"x"}}`))
	f.Add([]byte(`{"choices":[{}]}`))
	f.Add([]byte("\x00\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := llm.ParseReply(b)
		if (r == nil) == (err == nil) {
			t.Fatalf("reply %v and error %v", r, err)
		}
		if err != nil {
			_ = err.Error()
			return
		}
		if strings.ContainsRune(r.Content, 0) || strings.TrimSpace(r.Content) == "" {
			t.Fatalf("content %q", r.Content)
		}
		var v map[string]any
		_ = llm.DecodeJSON(r.Content, &v)
	})
}
