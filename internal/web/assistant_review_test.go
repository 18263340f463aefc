package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/llm/llmtest"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// A model's reply is text, never markup: HTML in an answer, a citation, a
// dropped suggestion, a draft or a summary is shown escaped.
func TestReviewAssistantEscapesModelOutput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		fake := llmtest.New()
		defer fake.Close()
		assistantOn(t, s, fake)
		org := s.NewOrg(t, "acme")
		sys, err := s.App.CreateSystem(org.Sys, caio.AISystemInput{Name: "CV screening", Purpose: "Ranks job applications for recruiters.",
			Roles: []string{"deployer"}})
		if err != nil {
			t.Fatal(err)
		}
		b := s.Login(t, org.Members[caio.RoleOwner].Email, servertest.Password)
		const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>`
		check := func(name string, res *servertest.Response) {
			t.Helper()
			body := string(res.Body)
			for _, w := range []string{"<script>alert", "<img src=x", "</textarea><script"} {
				if strings.Contains(body, w) {
					t.Errorf("%s: the model's markup %q reached the page unescaped", name, w)
				}
			}
		}

		fake.ReplyJSON(map[string]any{"answer": "Screening " + evil + " [" + sys.ID + "] and [zzz_" + "ABCDEFGH]", "citations": []string{sys.ID, evil}})
		res := b.PostForm(t, "/assistant", url.Values{"question": {"Which screening systems?"}}).Want(t, 200)
		check("ask", res)
		if !strings.Contains(string(res.Body), `href="/systems/`+sys.ID+`"`) || !strings.Contains(string(res.Body), "&lt;script&gt;") {
			t.Errorf("ask: the answer is not shown as text with its citation linked: %s", res)
		}

		fake.Reply("Not JSON " + evil)
		check("ask malformed", b.PostForm(t, "/assistant", url.Values{"question": {"Which screening systems?"}}).Want(t, 503))

		fake.ReplyJSON(map[string]any{"title": "Triage " + evil, "problem": "</textarea><script>alert(3)</script>", "approach": evil})
		check("draft", b.PostForm(t, "/assistant/draft", url.Values{"text": {"Claims wait five days."}}).Want(t, 200))

		fake.ReplyJSON(map[string]any{"suggestions": []any{
			map[string]any{"field": evil, "key": evil, "value": evil, "quotes": []string{"Ranks job applications for recruiters."}},
			map[string]any{"field": "annex_iii", "value": "4(a)", "quotes": []string{"Ranks job applications for recruiters."}},
		}})
		res = b.PostForm(t, "/systems/"+sys.ID+"/assistant/suggestions", url.Values{"text": {"Ranks job applications for recruiters. " + evil}}).Want(t, 200)
		check("suggestions", res)
		if !strings.Contains(string(res.Body), "1 suggestion dropped") {
			t.Errorf("suggestions: the bad one is not listed as dropped: %s", res)
		}

		fake.Reply("A summary </textarea><script>alert(4)</script>")
		check("summary", b.PostForm(t, "/systems/"+sys.ID+"/assistant/summary", url.Values{}).Want(t, 200))

		fake.ReplyRaw(500, `{"error":{"message":"`+strings.ReplaceAll(evil, `"`, `\"`)+`"}}`)
		check("provider error", b.PostForm(t, "/systems/"+sys.ID+"/assistant/summary", url.Values{}).Want(t, 503))
	})
}
