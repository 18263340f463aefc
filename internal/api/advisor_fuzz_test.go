package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
)

// FuzzAdviceQuery sends arbitrary query strings to the advisor's lists:
// the answer is a page or a client error, never a server error.
//
//	go test ./internal/api -run '^$' -fuzz FuzzAdviceQuery -fuzztime 30s
func FuzzAdviceQuery(f *testing.F) {
	for _, seed := range []string{"", "mine=true", "kind=system&rule=system-unclassified", "state=snoozed", "state=never",
		"include=snoozed,dismissed", "include=,,", "include=everything", "limit=500&offset=99999", "mine=maybe",
		"status=done&overdue=1&sort=-due", "owner=usr_x", "overdue=2", "sort=colour", "kind=%00", "rule=" + strings.Repeat("r", 100)} {
		f.Add(seed)
	}
	s, org, logs := fuzzServer(f)
	s.NewSystem(f, org, "Claims triage")
	token := org.Token(caio.RoleEditor)
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/api/v1/advice", "/api/v1/tasks"} {
			logs.Take()
			req := s.NewRequest(t, "GET", path, token, nil)
			req.URL.RawQuery = queryEscape(query)
			res := servertest.Request(t, http.DefaultClient, req)
			if res.StatusCode >= 500 || res.StatusCode < 200 || (res.StatusCode >= 300 && res.StatusCode < 400) {
				t.Errorf("query %q: %s\n%s", query, res, logs.Take())
			}
			if res.StatusCode >= 400 {
				res.Problem(t)
			}
		}
	})
}

// FuzzRuleBody posts arbitrary JSON as a rule to try: the answer is what
// the rule finds or a client error naming the field, never a server error.
//
//	go test ./internal/api -run '^$' -fuzz FuzzRuleBody -fuzztime 30s
func FuzzRuleBody(f *testing.F) {
	for _, seed := range []string{
		`{"kind":"system","title":"Owner for {name}","statement":"s","when":"system.owner == ''","reason":"{name}"}`,
		`{"kind":"system","title":"t","statement":"s","when":"sytem.owner == ''","reason":"r"}`,
		`{"kind":"org","title":"t","statement":"s","when":"true","reason":"{org.name}","due":"today","due_source":"now"}`,
		`{"kind":"system","title":"{","statement":"s","when":"[1,2,3].all(x, [1,2,3].all(y, [1,2,3].all(z, x < y)))","reason":"}"}`,
		`{"kind":"control","title":"t","statement":"s","when":"control.due < today","reason":"r","link":"//evil"}`,
		`{"kind":"galaxy"}`, `{}`, `[]`, `{"kind":"system","when":"\u0000"}`,
		`{"kind":"system","title":"t","statement":"s","when":"system.name.matches('(a+)+$')","reason":"r","impact":9}`,
	} {
		f.Add(seed)
	}
	s, org, logs := fuzzServer(f)
	s.NewSystem(f, org, "Claims triage")
	token := org.Token(caio.RoleEditor)
	f.Fuzz(func(t *testing.T, body string) {
		logs.Take()
		req := s.NewRequest(t, "POST", "/api/v1/advisor/rules/try", token, []byte(body))
		res := servertest.Request(t, http.DefaultClient, req)
		if res.StatusCode >= 500 || (res.StatusCode != 200 && res.StatusCode < 400) {
			t.Errorf("body %q: %s\n%s", body, res, logs.Take())
		}
		if res.StatusCode >= 400 {
			res.Problem(t)
		}
	})
}
