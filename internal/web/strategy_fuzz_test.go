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

// FuzzStrategyForms posts arbitrary values, under arbitrary row numbers, in
// the strategy form, the capacity form, the portfolio settings form and an
// approval's decide form. Each must answer with a redirect or a client
// error, never a server error.
//
//	go test ./internal/web -run '^$' -fuzz FuzzStrategyForms -fuzztime 30s
func FuzzStrategyForms(f *testing.F) {
	seeds := [][6]string{
		{"0", "Faster claims", "1200000", "3", "2027Q1", "40"},
		{"1", "", "", "", "", ""},
		{"39", "x", "NaN", "9", "2027-q4", "NaN"},
		{"40", "x", "Inf", "-1", "20277Q1", "1e400"},
		{"-1", "\x00", "1e308", "3.5", "Q1 2027", "-0"},
		{"99999999999999999999", "\xff", "1,000,000", "x", "1899Q4", "55%"},
		{"1]", strings.Repeat("T", 201), "-5", "", "3000Q1", "100.0001"},
		{"0].title[1", "<script>alert(1)</script>", "0x10", "5", " 2027Q2 ", "  7 "},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2], s[3], s[4], s[5])
	}
	logs := &servertest.LogBuffer{}
	s := servertest.NewWith(f, sqldbtest.Open(f, sqldb.SQLite, sqldbtest.Options{}), servertest.Options{Log: logs})
	org := s.NewOrg(f, "acme")
	obj := s.NewObjective(f, org, "Settle claims faster")
	owner := s.Login(f, org.Members[caio.RoleOwner].Email, servertest.Password)
	_, apID := awaitApproval(f, s, org, org.Members[caio.RoleEditor], "Claims triage")
	f.Fuzz(func(t *testing.T, row, text, number, level, quarter, percent string) {
		forms := map[string]url.Values{
			"/strategy": {
				"vision": {text}, "principles": {text + "\n" + text}, "owners": {text},
				"priorities[" + row + "].title": {text}, "priorities[" + row + "].description": {text},
				"priorities[" + row + "].objective_ids": {obj.ID, text},
				"target_maturity":                       {level}, "budget": {number}, "currency": {text}, "horizon": {quarter},
			},
			"/roadmap/capacity": {
				"capacity[" + row + "].quarter": {quarter}, "capacity[" + row + "].people": {number},
				"capacity[" + row + "].budget": {percent},
			},
			"/portfolio/settings": {
				"weights.objective_fit": {level}, "weights.value": {number}, "weights.method": {text},
				"quorum": {level}, "currency": {text}, "success." + text: {percent}, "success.pilot": {percent},
			},
			"/approvals/" + apID + "/decide": {"decision": {text}, "comment": {text}},
		}
		for path, form := range forms {
			logs.Take()
			res := owner.PostForm(t, path, form)
			if res.StatusCode != http.StatusSeeOther && (res.StatusCode < 400 || res.StatusCode >= 500) {
				t.Errorf("POST %s %q: %s\n%s", path, form, res, logs.Take())
			}
		}
	})
}
