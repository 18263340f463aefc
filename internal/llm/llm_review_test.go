package llm_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/llm"
)

// Some OpenAI-compatible servers send a message's content as a list of
// parts; that is an answer, not a reply that "is not JSON". JSON of the
// wrong shape is said to be so, not to be something other than JSON.
func TestReviewParseReplyShapes(t *testing.T) {
	r, err := llm.ParseReply([]byte(`{"choices":[{"message":{"role":"assistant","content":[{"type":"text","text":"Hello "},{"type":"text","text":"there"}]},"finish_reason":"stop"}]}`))
	if err != nil || r.Content != "Hello there" {
		t.Errorf("content parts: %+v %v", r, err)
	}
	for _, body := range []string{`[]`, `{"choices":{"a":1}}`, `{"choices":[{"message":{"content":42}}]}`} {
		_, err := llm.ParseReply([]byte(body))
		if err == nil || strings.Contains(err.Error(), "not JSON") {
			t.Errorf("%s: %v, want an error that does not call JSON not JSON", body, err)
		}
	}
	if _, err := llm.ParseReply([]byte(`<html>Bad gateway</html>`)); err == nil || !strings.Contains(err.Error(), "not JSON") {
		t.Errorf("HTML: %v", err)
	}
	if _, err := llm.ParseReply([]byte(`{"choices":[{"message":{"content":[{"type":"image_url","image_url":{"url":"x"}}]}}]}`)); err == nil {
		t.Error("content without text parts was taken as an answer")
	}
}
