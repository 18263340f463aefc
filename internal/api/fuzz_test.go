package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// fuzzServer is a server on a fresh SQLite database with the organisation
// acme, logging to a buffer (a *testing.F may not log while it fuzzes).
func fuzzServer(f *testing.F) (*servertest.Server, *servertest.Org, *servertest.LogBuffer) {
	f.Helper()
	logs := &servertest.LogBuffer{}
	s := servertest.NewWith(f, sqldbtest.Open(f, sqldb.SQLite, sqldbtest.Options{}), servertest.Options{Log: logs})
	return s, s.NewOrg(f, "acme"), logs
}

// FuzzCreateObjectiveBody posts arbitrary bytes as the JSON body of a new
// objective. The API must answer 201 or a client error, never a server
// error; a 201 must have written exactly one objective and one audit event,
// and a refusal nothing.
//
//	go test ./internal/api -run '^$' -fuzz FuzzCreateObjectiveBody -fuzztime 30s
func FuzzCreateObjectiveBody(f *testing.F) {
	for _, seed := range []string{
		`{"title":"Settle claims faster"}`,
		`{"title":"Cut costs","description":"d","kpi":"cost per claim","baseline":120.5,"target":80,"unit":"EUR","horizon":"2027-12-31","owner":"CFO"}`,
		`{"title":"x","baseline":1e308,"target":-1e308}`,
		`{"title":"x","horizon":"2027-02-30"}`,
		`{"title":"x","version":3}`,
		`{"title":"a\u0000b"}`,
		`{"title":"\ud800"}`,
		`{"title":"` + strings.Repeat("é", 200) + `"}`,
		`{"title":"x","title":"y"}`,
		`{"Title":"case"}`,
		`{"title":null}`,
		`{"title":"x","baseline":null}`,
		`{"title":"x"} trailing`,
		`{}`, `[]`, `null`, `"title"`, `{`, ``, "\xff\xfe",
	} {
		f.Add([]byte(seed))
	}
	s, org, logs := fuzzServer(f)
	token := org.Token(caio.RoleEditor)
	f.Fuzz(func(t *testing.T, body []byte) {
		logs.Take()
		before := s.Count(t, org)
		req := s.NewRequest(t, "POST", "/api/v1/objectives", token, body)
		res := servertest.Request(t, http.DefaultClient, req)
		after := s.Count(t, org)
		switch {
		case res.StatusCode == http.StatusCreated:
			if after.Objectives != before.Objectives+1 || after.AuditEvents != before.AuditEvents+1 {
				t.Errorf("201 changed counts from %+v to %+v, want one more objective and one more audit event", before, after)
			}
		case res.StatusCode >= 400 && res.StatusCode < 500:
			if after != before {
				t.Errorf("%d changed counts from %+v to %+v", res.StatusCode, before, after)
			}
			res.Problem(t)
		default:
			t.Errorf("body %q: %s\n%s", body, res, logs.Take())
		}
	})
}

// FuzzListQuery sends arbitrary query strings to the lists of objectives
// and audit events: the answer is a page or a client error, never a server
// error.
//
//	go test ./internal/api -run '^$' -fuzz FuzzListQuery -fuzztime 30s
func FuzzListQuery(f *testing.F) {
	for _, seed := range []string{
		"", "limit=1", "limit=500&offset=499", "offset=1000000", "limit=0", "limit=-1", "limit=1e3",
		"limit=99999999999999999999", "offset=-1", "sort=title", "sort=-horizon", "sort=colour",
		"q=claims", "q=%25", "q=_", "q=%5C", "q=%27%20OR%201=1--", "owner=CFO&q=x", "q=%00", "q=%ff",
		"since=2026-01-01T00:00:00Z", "until=9999-12-31T23:59:59Z", "since=yesterday", "since=0001-01-01T00:00:00Z",
		"object_type=objective&object_id=obj_1", "action=objective.create", "actor_id=%e2%80%8b",
		"limit=1&limit=2", "%zz=1", "q=%", "&&&", "==", "q=" + strings.Repeat("x", 300),
	} {
		f.Add(seed)
	}
	s, org, logs := fuzzServer(f)
	s.NewObjective(f, org, "Settle claims faster")
	token := org.Token(caio.RoleAdmin)
	f.Fuzz(func(t *testing.T, query string) {
		for _, path := range []string{"/api/v1/objectives", "/api/v1/audit"} {
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

// queryEscape percent-encodes the bytes that cannot appear in a request
// line, and leaves the rest, malformed escapes included, for the server to judge.
func queryEscape(q string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(q); i++ {
		c := q[i]
		if c <= ' ' || c >= 0x7f || c == '#' {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}
