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

// FuzzObjectiveForm posts arbitrary values in the objective form, to create
// and to edit. The page must answer with a redirect or a client error, never
// a server error; a created objective writes one objective and one audit
// event, a refused form nothing.
//
//	go test ./internal/web -run '^$' -fuzz FuzzObjectiveForm -fuzztime 30s
func FuzzObjectiveForm(f *testing.F) {
	seeds := [][8]string{
		{"Settle claims faster", "", "", "", "", "", "", ""},
		{"Cut costs", "Why & how <b>", "cost per claim", "120.5", "80", "EUR", "2027-12-31", "CFO"},
		{"x", "", "", "1,000,000", "1e308", "", "", ""},
		{"x", "", "", "NaN", "Inf", "", "", ""},
		{"x", "", "", "-0", "0x1p-2", "", "2027-02-30", ""},
		{"", "", "", "", "", "", "", ""},
		{"   ", "\x00", "\xff", "twelve", "", "", "31/12/2027", ""},
		{strings.Repeat("T", 201), strings.Repeat("d", 10001), "", "", "", "", "", strings.Repeat("o", 201)},
		{"<script>alert(1)</script>", "{{.}}", "%s", "", "", "", "", "\u202e"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7])
	}
	logs := &servertest.LogBuffer{}
	s := servertest.NewWith(f, sqldbtest.Open(f, sqldb.SQLite, sqldbtest.Options{}), servertest.Options{Log: logs})
	org := s.NewOrg(f, "acme")
	obj := s.NewObjective(f, org, "Settle claims faster")
	b := s.Login(f, org.Members[caio.RoleEditor].Email, servertest.Password)
	f.Fuzz(func(t *testing.T, title, description, kpi, baseline, target, unit, horizon, owner string) {
		form := url.Values{
			"title": {title}, "description": {description}, "kpi": {kpi}, "baseline": {baseline},
			"target": {target}, "unit": {unit}, "horizon": {horizon}, "owner": {owner},
		}
		for _, path := range []string{"/objectives", "/objectives/" + obj.ID} {
			logs.Take()
			before := s.Count(t, org)
			res := b.PostForm(t, path, form)
			after := s.Count(t, org)
			switch {
			case res.StatusCode == http.StatusSeeOther:
				want := before
				if path == "/objectives" {
					want.Objectives++
				}
				want.AuditEvents++
				if after != want {
					t.Errorf("POST %s: 303 changed counts from %+v to %+v, want %+v", path, before, after, want)
				}
			case res.StatusCode >= 400 && res.StatusCode < 500:
				if after != before {
					t.Errorf("POST %s: %d changed counts from %+v to %+v", path, res.StatusCode, before, after)
				}
			default:
				t.Errorf("form %q: %s\n%s", form, res, logs.Take())
			}
		}
	})
}
