// Package llmtest is a fake OpenAI-compatible server for tests: it checks
// and records each chat completion request and answers with canned replies.
package llmtest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/caio-office/caio/internal/llm"
)

// Request is one chat completion request the fake received.
type Request struct {
	Model    string
	Messages []llm.Message
	// Auth is the Authorization header.
	Auth string
	// JSON is true when the request asked for a JSON object.
	JSON bool
}

// Text returns every message's content, joined.
func (r Request) Text() string {
	var b strings.Builder
	for _, m := range r.Messages {
		b.WriteString(m.Content)
		b.WriteString("\n")
	}
	return b.String()
}

// Server is the fake. Its zero reply answers "ok".
type Server struct {
	*httptest.Server
	mu       sync.Mutex
	requests []Request
	reply    func(Request) (status int, body string)
}

// New starts a fake server; Close stops it.
func New() *Server {
	s := &Server{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// BaseURL is the API root to configure, ending in /v1 like Ollama's.
func (s *Server) BaseURL() string { return s.Server.URL + "/v1" }

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.Error(w, `{"error":{"message":"unknown route `+r.Method+" "+r.URL.Path+`"}}`, http.StatusNotFound)
		return
	}
	var body struct {
		Model          string            `json:"model"`
		Messages       []llm.Message     `json:"messages"`
		ResponseFormat map[string]string `json:"response_format"`
	}
	b, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(b, &body); err != nil {
		http.Error(w, `{"error":{"message":"bad request body"}}`, http.StatusBadRequest)
		return
	}
	req := Request{Model: body.Model, Messages: body.Messages, Auth: r.Header.Get("Authorization"), JSON: body.ResponseFormat["type"] == "json_object"}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	reply := s.reply
	s.mu.Unlock()
	status, out := http.StatusOK, Completion("ok")
	if reply != nil {
		status, out = reply(req)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, out)
}

// Reply makes every request answer with content as the model's message.
func (s *Server) Reply(content string) {
	s.ReplyFunc(func(Request) (int, string) { return http.StatusOK, Completion(content) })
}

// ReplyJSON makes every request answer with v, encoded, as the message.
func (s *Server) ReplyJSON(v any) {
	b, _ := json.Marshal(v)
	s.Reply(string(b))
}

// ReplyRaw makes every request answer with status and body as they are.
func (s *Server) ReplyRaw(status int, body string) {
	s.ReplyFunc(func(Request) (int, string) { return status, body })
}

// ReplyFunc makes every request answer with what f returns.
func (s *Server) ReplyFunc(f func(Request) (status int, body string)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reply = f
}

// Calls returns how many requests arrived.
func (s *Server) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.requests)
}

// Last returns the newest request; the zero Request when none came.
func (s *Server) Last() Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.requests) == 0 {
		return Request{}
	}
	return s.requests[len(s.requests)-1]
}

// Completion returns a chat completion body whose first choice says content.
func Completion(content string) string {
	b, _ := json.Marshal(map[string]any{
		"id": "chatcmpl-test", "object": "chat.completion", "model": "fake-model",
		"choices": []any{map[string]any{"index": 0, "message": map[string]any{"role": "assistant", "content": content}, "finish_reason": "stop"}},
	})
	return string(b)
}
