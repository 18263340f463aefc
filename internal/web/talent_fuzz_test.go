package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// FuzzTalentForms posts arbitrary field names and values to the scorecard,
// the skill rating and the panel rating forms, whose field names carry
// indexes and keys. Each must answer with a redirect or a client error,
// never a server error, and a saved scorecard's weights add up to 100.
//
//	go test ./internal/web -run '^$' -fuzz FuzzTalentForms -fuzztime 30s
func FuzzTalentForms(f *testing.F) {
	f.Add("criteria[0].name", "Strategy", "criteria[0].weight", "100")
	f.Add("criteria[0].name", "A", "criteria[1].weight", "100")
	f.Add("criteria[99999999999].name", "x", "criteria[-1].weight", "1e3")
	f.Add("criteria[", "]", "criteria[3]", "\x00")
	f.Add("ratings.mlops", "3", "ratings.", "9")
	f.Add("ratings.ai-leadership", "5", "ratings.<b>", "-1")
	logs := &servertest.LogBuffer{}
	s := servertest.NewWith(f, sqldbtest.Open(f, sqldb.SQLite, sqldbtest.Options{}), servertest.Options{Log: logs})
	org := s.NewOrg(f, "acme")
	p, err := s.App.CreatePerson(org.Sys, caio.PersonInput{Name: "Ana", Role: "mlops-engineer"})
	if err != nil {
		f.Fatal(err)
	}
	k, err := s.App.CreateCandidate(org.Sys, caio.CandidateInput{Name: "Avery"})
	if err != nil {
		f.Fatal(err)
	}
	b := s.Login(f, org.Members[caio.RoleOwner].Email, servertest.Password)
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2 string) {
		form := url.Values{k1: {v1}, k2: {v2}}
		for _, path := range []string{"/talent/hiring/scorecard", "/talent/people/" + p.ID + "/ratings", "/talent/candidates/" + k.ID + "/panel"} {
			res := b.PostForm(t, path, form)
			if res.StatusCode >= 500 || (res.StatusCode != http.StatusSeeOther && res.StatusCode >= 200 && res.StatusCode < 400) {
				t.Fatalf("POST %s %q: status %d: %s\n%s", path, form, res.StatusCode, res, logs.Take())
			}
		}
		sc, err := s.App.Scorecard(org.Sys)
		if err != nil || sc.Weights() != 100 {
			t.Fatalf("scorecard %+v %v", sc, err)
		}
		for _, c := range sc.Criteria {
			if strings.TrimSpace(c.Name) == "" || c.Key == "" {
				t.Fatalf("saved a criterion without a name or key: %+v", c)
			}
		}
	})
}
