// Package llm is a small client for the OpenAI chat completions protocol,
// the one spoken by Ollama, vLLM, llama.cpp's server and the cloud APIs. It
// sends one request and reads one reply: no streaming, no tools. Every
// failure is an *Error that says what went wrong in words a person can act
// on: the endpoint that could not be reached, the provider's own error
// message, or an excerpt of a reply that was not what was asked for.
package llm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Defaults of a Config.
const (
	// DefaultTimeout leaves the page that asked time to say what went
	// wrong before caio's server gives up writing (120 seconds).
	DefaultTimeout = 90 * time.Second
	// DefaultMaxReplyBytes bounds a reply body: a chat reply of a few
	// thousand words is far below it, a runaway or hostile server is not.
	DefaultMaxReplyBytes = 4 << 20
)

// Config says where the model is and how to reach it.
type Config struct {
	// BaseURL is the API root, such as http://127.0.0.1:11434/v1 (Ollama)
	// or https://api.openai.com/v1; the client posts to
	// BaseURL/chat/completions.
	BaseURL string
	// Model names the model, such as llama3.1:8b.
	Model string
	// Key is sent as a bearer token when not empty.
	Key string
	// Timeout bounds one request from connection to the last byte.
	Timeout time.Duration
	// MaxReplyBytes bounds the size of a reply body.
	MaxReplyBytes int64
	// HTTPClient replaces the default client (tests).
	HTTPClient *http.Client
}

// Client sends chat completion requests to one endpoint and model.
type Client struct {
	endpoint string
	base     string
	model    string
	key      string
	max      int64
	http     *http.Client
}

// New checks cfg and returns a client. A base URL that is not http or
// https with a host, or an empty model, is a KindConfig error.
func New(cfg Config) (*Client, error) {
	base := strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &Error{Kind: KindConfig, URL: base, Message: "the model URL must be an http or https URL such as http://127.0.0.1:11434/v1"}
	}
	if u.User != nil {
		return nil, &Error{Kind: KindConfig, URL: redact(u), Message: "put the API key in a key file, not in the model URL"}
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, &Error{Kind: KindConfig, URL: base, Message: "the model URL must not have a query or fragment"}
	}
	model := strings.TrimSpace(cfg.Model)
	if model == "" {
		return nil, &Error{Kind: KindConfig, URL: base, Message: "name the model (such as llama3.1:8b)"}
	}
	key := strings.TrimSpace(cfg.Key) // key files end with a newline
	if strings.ContainsAny(key, "\r\n") {
		return nil, &Error{Kind: KindConfig, URL: base, Message: "the API key must be one line"}
	}
	timeout := cfg.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	max := cfg.MaxReplyBytes
	if max <= 0 {
		max = DefaultMaxReplyBytes
	}
	hc := cfg.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: timeout}
	} else if hc.Timeout == 0 {
		c := *hc
		c.Timeout = timeout
		hc = &c
	}
	return &Client{endpoint: base + "/chat/completions", base: base, model: model, key: key, max: max, http: hc}, nil
}

// BaseURL returns the API root the client talks to.
func (c *Client) BaseURL() string { return c.base }

// Model returns the model the client asks for.
func (c *Client) Model() string { return c.model }

// Message is one message of a chat.
type Message struct {
	Role    string `json:"role"` // system, user or assistant
	Content string `json:"content"`
}

// Request is one chat completion request.
type Request struct {
	Messages    []Message
	Temperature float64
	// JSON asks the model for a JSON object (response_format json_object).
	// Servers that ignore it are still checked: DecodeJSON reads the reply.
	JSON bool
	// MaxTokens bounds the reply's length when not zero.
	MaxTokens int
}

// Reply is the model's answer.
type Reply struct {
	// Content is the text of the first choice.
	Content string
	// Model is the model the server says answered.
	Model string
	// FinishReason is why the model stopped, such as stop or length.
	FinishReason string
}

type wireRequest struct {
	Model          string            `json:"model"`
	Messages       []Message         `json:"messages"`
	Temperature    float64           `json:"temperature"`
	MaxTokens      int               `json:"max_tokens,omitempty"`
	Stream         bool              `json:"stream"`
	ResponseFormat map[string]string `json:"response_format,omitempty"`
}

// Chat sends req and returns the first choice's reply.
func (c *Client) Chat(ctx context.Context, req Request) (*Reply, error) {
	w := wireRequest{Model: c.model, Messages: req.Messages, Temperature: req.Temperature, MaxTokens: req.MaxTokens}
	if req.JSON {
		w.ResponseFormat = map[string]string{"type": "json_object"}
	}
	body, err := json.Marshal(w)
	if err != nil {
		return nil, &Error{Kind: KindConfig, URL: c.endpoint, Message: "the request could not be encoded: " + err.Error()}
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return nil, &Error{Kind: KindConfig, URL: c.endpoint, Message: err.Error()}
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Accept", "application/json")
	if c.key != "" {
		hr.Header.Set("Authorization", "Bearer "+c.key)
	}
	res, err := c.http.Do(hr)
	if err != nil {
		return nil, c.transportError(ctx, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, c.max+1))
	if err != nil {
		return nil, c.transportError(ctx, err)
	}
	if int64(len(b)) > c.max {
		return nil, &Error{Kind: KindMalformed, URL: c.endpoint, Status: res.StatusCode, Message: fmt.Sprintf("the reply is larger than %d bytes", c.max)}
	}
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return nil, &Error{Kind: KindStatus, URL: c.endpoint, Status: res.StatusCode, Message: providerMessage(b)}
	}
	r, err := ParseReply(b)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			e.URL, e.Status = c.endpoint, res.StatusCode
		}
		return nil, err
	}
	return r, nil
}

// transportError says why no reply came: a timeout, a cancelled request,
// or an endpoint that could not be reached.
func (c *Client) transportError(ctx context.Context, err error) error {
	var ne net.Error
	switch {
	case errors.Is(ctx.Err(), context.Canceled):
		return &Error{Kind: KindUnreachable, URL: c.endpoint, Message: "the request was cancelled", err: err}
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return &Error{Kind: KindTimeout, URL: c.endpoint, Message: "no reply within the time limit", err: err}
	}
	msg := "could not connect"
	var op *net.OpError
	if errors.As(err, &op) && op.Err != nil {
		msg = "could not connect: " + op.Err.Error()
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		msg = "could not find the host " + dns.Name
	}
	return &Error{Kind: KindUnreachable, URL: c.endpoint, Message: msg, err: err}
}

// wireReply is the part of a chat completion reply the client reads.
type wireReply struct {
	Model   string `json:"model"`
	Choices []struct {
		Message *struct {
			Role string `json:"role"`
			// Content is a string, or a list of parts on some servers.
			Content json.RawMessage `json:"content"`
		} `json:"message"`
		FinishReason string `json:"finish_reason"`
	} `json:"choices"`
	Error json.RawMessage `json:"error"`
}

// ParseReply reads a chat completion reply body. A body that is not JSON,
// carries an error, has no choices or no message content is a KindMalformed
// or KindEmpty error quoting a short excerpt. The content is made valid
// UTF-8 without NUL characters, so it can be stored and shown as it is.
func ParseReply(body []byte) (*Reply, error) {
	var w wireReply
	if err := json.Unmarshal(body, &w); err != nil {
		msg := "the reply is not a chat completion (not JSON)"
		if json.Valid(body) {
			msg = "the reply is JSON but not a chat completion"
		}
		return nil, &Error{Kind: KindMalformed, Message: msg, Excerpt: Excerpt(string(body))}
	}
	if len(w.Error) > 0 && string(w.Error) != "null" {
		return nil, &Error{Kind: KindStatus, Message: providerMessage(body)}
	}
	if len(w.Choices) == 0 {
		return nil, &Error{Kind: KindEmpty, Message: "the reply has no choices", Excerpt: Excerpt(string(body))}
	}
	ch := w.Choices[0]
	text, ok := "", false
	if ch.Message != nil {
		text, ok = messageText(ch.Message.Content)
	}
	if !ok {
		return nil, &Error{Kind: KindMalformed, Message: "the reply's first choice has no message content", Excerpt: Excerpt(string(body))}
	}
	content := clean(text)
	if strings.TrimSpace(content) == "" {
		msg := "the model returned an empty answer"
		if ch.FinishReason != "" {
			msg += " (finish reason: " + clean(ch.FinishReason) + ")"
		}
		return nil, &Error{Kind: KindEmpty, Message: msg}
	}
	return &Reply{Content: content, Model: clean(w.Model), FinishReason: clean(ch.FinishReason)}, nil
}

// messageText reads a message's content: a string, or a list of parts
// whose text parts are joined; false when it is neither.
func messageText(raw json.RawMessage) (string, bool) {
	var s string
	if json.Unmarshal(raw, &s) == nil && string(raw) != "null" {
		return s, true
	}
	var parts []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &parts) != nil {
		return "", false
	}
	var b strings.Builder
	found := false
	for _, p := range parts {
		if p.Type == "text" || p.Type == "output_text" {
			b.WriteString(p.Text)
			found = true
		}
	}
	return b.String(), found
}

// providerMessage finds the provider's own words in an error body: OpenAI
// and vLLM send {"error": {"message": ...}}, Ollama {"error": "..."};
// anything else is quoted.
func providerMessage(body []byte) string {
	var v struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  string          `json:"detail"`
	}
	if json.Unmarshal(body, &v) == nil {
		var s string
		var obj struct {
			Message string `json:"message"`
		}
		switch {
		case json.Unmarshal(v.Error, &s) == nil && s != "":
			return Excerpt(s)
		case json.Unmarshal(v.Error, &obj) == nil && obj.Message != "":
			return Excerpt(obj.Message)
		case v.Message != "":
			return Excerpt(v.Message)
		case v.Detail != "":
			return Excerpt(v.Detail)
		}
	}
	if strings.TrimSpace(string(body)) == "" {
		return "no error message"
	}
	return Excerpt(string(body))
}

// DecodeJSON reads the JSON object a model was asked for into v. Models
// often wrap it in a Markdown fence or a sentence, so the first object in
// the text is read. Anything else is a KindMalformed error with an excerpt.
func DecodeJSON(content string, v any) error {
	s := strings.TrimSpace(content)
	if i := strings.IndexByte(s, '{'); i >= 0 {
		if j := strings.LastIndexByte(s, '}'); j > i {
			s = s[i : j+1]
		}
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		return &Error{Kind: KindMalformed, Message: "the model's answer is not the JSON object asked for", Excerpt: Excerpt(content)}
	}
	return nil
}

// Kind says what sort of failure an Error is.
type Kind string

// The kinds of failure.
const (
	KindConfig      Kind = "config"      // the client is misconfigured
	KindUnreachable Kind = "unreachable" // the endpoint could not be reached
	KindTimeout     Kind = "timeout"     // no reply in time
	KindStatus      Kind = "status"      // the provider answered with an error
	KindEmpty       Kind = "empty"       // the reply had no answer
	KindMalformed   Kind = "malformed"   // the reply was not what was asked for
)

// Error is a failure to get an answer from the model.
type Error struct {
	Kind Kind
	// URL is the endpoint called (never with a key: keys go in a header).
	URL string
	// Status is the HTTP status of the reply, when one came.
	Status int
	// Message says what went wrong; for KindStatus it is the provider's.
	Message string
	// Excerpt quotes the start of a reply that could not be read.
	Excerpt string
	err     error
}

// Error reads as one sentence a person can act on.
func (e *Error) Error() string {
	var b strings.Builder
	switch e.Kind {
	case KindConfig:
		b.WriteString("The assistant is misconfigured: " + e.Message)
	case KindUnreachable:
		b.WriteString("The model server at " + e.URL + " could not be reached (" + e.Message + ")")
	case KindTimeout:
		b.WriteString("The model server at " + e.URL + " gave no reply within the time limit")
	case KindStatus:
		fmt.Fprintf(&b, "The model server answered with an error")
		if e.Status != 0 {
			fmt.Fprintf(&b, " (HTTP %d)", e.Status)
		}
		b.WriteString(": " + e.Message)
	case KindEmpty:
		b.WriteString("The model gave no answer: " + e.Message)
	default:
		b.WriteString("The model's reply could not be used: " + e.Message)
	}
	if e.Excerpt != "" {
		b.WriteString(". It began: “" + e.Excerpt + "”")
	}
	b.WriteString(".")
	return b.String()
}

// Unwrap returns the transport error, if any.
func (e *Error) Unwrap() error { return e.err }

// excerptRunes is how much of a reply an error quotes.
const excerptRunes = 160

// Excerpt returns the start of s on one line, cleaned, at most 160
// characters.
func Excerpt(s string) string {
	s = strings.Join(strings.Fields(clean(s)), " ")
	if utf8.RuneCountInString(s) <= excerptRunes {
		return s
	}
	r := []rune(s)
	return string(r[:excerptRunes]) + "…"
}

// clean makes s valid UTF-8 without NUL characters.
func clean(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
}

// redact returns u without its user information.
func redact(u *url.URL) string {
	c := *u
	c.User = nil
	return c.String()
}
