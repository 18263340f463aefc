package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/llm"
	"github.com/caio-office/caio/internal/llm/llmtest"
	"github.com/caio-office/caio/internal/server/servertest"
)

var (
	isoFakeOnce sync.Once
	isoFake     *llmtest.Server
)

// The assistant proves its routes in TestTenantIsolation: a summary or
// suggestions for another organisation's system answer 404 before anything
// is sent to the model. The assistant is on (against a fake model) so the
// control requests of the organisation's own owner succeed.
func init() {
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			t.Helper()
			isoFakeOnce.Do(func() {
				isoFake = llmtest.New()
				isoFake.ReplyFunc(func(r llmtest.Request) (int, string) {
					if strings.Contains(r.Messages[0].Content, "classify an AI system") {
						b, _ := json.Marshal(map[string]any{"suggestions": []any{}})
						return http.StatusOK, llmtest.Completion(string(b))
					}
					return http.StatusOK, llmtest.Completion("A short summary.")
				})
			})
			as, err := app.NewAssistant(llm.Config{BaseURL: isoFake.BaseURL(), Model: "fake-model"})
			if err != nil {
				t.Fatal(err)
			}
			s.App.Assistant = as
			return map[string]string{"/assistant/systems/{id}": s.NewSystem(t, org, "Assistant system "+tag).ID}
		},
		forms: map[string]url.Values{
			"POST /systems/{id}/assistant/suggestions": {"text": {"It ranks job applications."}},
			"POST /systems/{id}/assistant/apply":       {"apply": {"roles:=deployer"}},
			"POST /systems/{id}/assistant/summary":     {},
		},
	})
}
