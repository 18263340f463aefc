package api_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestBadInput sends malformed requests and checks that each is refused
// with a problem+json error that names the offending field, and that
// nothing was written.
func TestBadInput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")
		token := org.Token(caio.RoleOwner)
		objPath := "/api/v1/objectives/" + obj.ID

		tests := []struct {
			name   string
			method string
			path   string
			body   string // sent as is
			// contentType replaces application/json; "-" sends none.
			contentType  string
			wantStatus   int
			wantLocation string // the error that must be listed; "" when the problem is not about one field
		}{
			{"unknown field", "POST", "/api/v1/objectives", `{"title":"x","colour":"red"}`, "", 422, "body.colour"},
			{"title of the wrong type", "POST", "/api/v1/objectives", `{"title":123}`, "", 422, "body.title"},
			{"number of the wrong type", "POST", "/api/v1/objectives", `{"title":"x","target":"high"}`, "", 422, "body.target"},
			{"empty title", "POST", "/api/v1/objectives", `{"title":""}`, "", 422, "body.title"},
			{"blank title", "POST", "/api/v1/objectives", `{"title":"   "}`, "", 422, "body.title"},
			{"missing title", "POST", "/api/v1/objectives", `{"kpi":"days"}`, "", 422, "body.title"},
			{"title too long", "POST", "/api/v1/objectives", `{"title":"` + strings.Repeat("x", 201) + `"}`, "", 422, "body.title"},
			{"description too long", "POST", "/api/v1/objectives", `{"title":"x","description":"` + strings.Repeat("é", 10001) + `"}`, "", 422, "body.description"},
			{"bad horizon date", "POST", "/api/v1/objectives", `{"title":"x","horizon":"2027-13-45"}`, "", 422, "body.horizon"},
			{"horizon not ISO", "PUT", objPath, `{"title":"x","horizon":"31/12/2027"}`, "", 422, "body.horizon"},
			{"negative version", "PUT", objPath, `{"title":"x","version":-1}`, "", 422, "body.version"},
			{"stale version", "PUT", objPath, `{"title":"x","version":99}`, "", 409, ""},
			{"body is an array", "POST", "/api/v1/objectives", `[]`, "", 422, "body"},
			{"invalid JSON", "POST", "/api/v1/objectives", `{"title":`, "", 400, "body"},
			{"empty body", "POST", "/api/v1/objectives", ``, "", 400, ""},
			{"oversized body", "POST", "/api/v1/objectives", `{"title":"x","description":"` + strings.Repeat("x", 65<<10) + `"}`, "", 413, ""},
			{"text/plain body", "POST", "/api/v1/objectives", `{"title":"x"}`, "text/plain", 415, "body"},
			{"form body", "POST", "/api/v1/objectives", `title=x`, "application/x-www-form-urlencoded", 415, "body"},
			{"NUL in title", "POST", "/api/v1/objectives", `{"title":"a\u0000b"}`, "", 400, "body"},
			{"NUL in token name", "POST", "/api/v1/tokens", `{"name":"ci\u0000"}`, "", 400, "body"},
			{"limit=0", "GET", "/api/v1/objectives?limit=0", "", "", 422, "query.limit"},
			{"limit=501", "GET", "/api/v1/objectives?limit=501", "", "", 422, "query.limit"},
			{"limit not a number", "GET", "/api/v1/objectives?limit=ten", "", "", 422, "query.limit"},
			{"offset=-1", "GET", "/api/v1/objectives?offset=-1", "", "", 422, "query.offset"},
			{"invalid sort", "GET", "/api/v1/objectives?sort=colour", "", "", 422, "query.sort"},
			{"NUL in search", "GET", "/api/v1/objectives?q=%00", "", "", 400, "query.q"},
			{"invalid UTF-8 in owner", "GET", "/api/v1/objectives?owner=%ff", "", "", 400, "query.owner"},
			{"audit limit=501", "GET", "/api/v1/audit?limit=501", "", "", 422, "query.limit"},
			{"audit bad since", "GET", "/api/v1/audit?since=yesterday", "", "", 422, "query.since"},
			{"NUL in audit action", "GET", "/api/v1/audit?action=%00", "", "", 400, "query.action"},
			{"members offset=-1", "GET", "/api/v1/members?offset=-1", "", "", 422, "query.offset"},
			{"tokens limit=0", "GET", "/api/v1/tokens?limit=0", "", "", 422, "query.limit"},
			{"member with a bad email", "POST", "/api/v1/members", `{"email":"not-an-email","role":"viewer","password":"long enough password"}`, "", 422, "body.email"},
			{"member with an unknown role", "POST", "/api/v1/members", `{"email":"new@acme.test","role":"king"}`, "", 422, "body.role"},
			{"new member without password", "POST", "/api/v1/members", `{"email":"new@acme.test","role":"viewer"}`, "", 422, "body.password"},
			{"member short password", "POST", "/api/v1/members", `{"email":"new@acme.test","role":"viewer","password":"short"}`, "", 422, "body.password"},
			{"role change to unknown role", "PUT", "/api/v1/members/" + org.Members[caio.RoleViewer].UserID, `{"role":"king"}`, "", 422, "body.role"},
			{"NUL in member id", "DELETE", "/api/v1/members/%00", "", "", 400, "path"},
			{"empty token name", "POST", "/api/v1/tokens", `{"name":""}`, "", 422, "body.name"},
			{"blank organisation name", "PUT", "/api/v1/organization", `{"name":"  "}`, "", 422, "body.name"},
			{"organisation name too long", "PUT", "/api/v1/organization", `{"name":"` + strings.Repeat("x", 121) + `"}`, "", 422, "body.name"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := s.Count(t, org)
				var body any
				if tc.body != "" {
					body = tc.body
				}
				req := s.NewRequest(t, tc.method, tc.path, token, body)
				switch tc.contentType {
				case "":
				case "-":
					req.Header.Del("Content-Type")
				default:
					req.Header.Set("Content-Type", tc.contentType)
				}
				res := servertest.Request(t, http.DefaultClient, req)
				res.Want(t, tc.wantStatus)
				p := res.Problem(t)
				if p.Status != tc.wantStatus {
					t.Errorf("problem status %d, want %d", p.Status, tc.wantStatus)
				}
				if p.Detail == "" {
					t.Errorf("problem has no detail: %s", res)
				}
				if tc.wantLocation != "" && !slices.Contains(p.Locations(), tc.wantLocation) {
					t.Errorf("problem names %v, want %s: %s", p.Locations(), tc.wantLocation, res)
				}
				if after := s.Count(t, org); after != before {
					t.Errorf("counts changed from %+v to %+v", before, after)
				}
			})
		}
	})
}

// TestAuthentication checks that the API refuses a missing, malformed,
// unknown or revoked credential with 401 problem+json.
func TestAuthentication(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		owner := org.Members[caio.RoleOwner]
		revokedID, revoked := s.NewToken(t, org, owner, "soon revoked")
		s.Do(t, "GET", "/api/v1/me", revoked, nil).Want(t, http.StatusOK)
		s.Do(t, "DELETE", "/api/v1/tokens/"+revokedID, owner.Token, nil).Want(t, http.StatusNoContent)

		tests := []struct {
			name, method, path, authorization string
		}{
			{"no credential", "GET", "/api/v1/me", ""},
			{"no credential, list", "GET", "/api/v1/objectives", ""},
			{"no credential, create", "POST", "/api/v1/objectives", ""},
			{"unknown bearer token", "GET", "/api/v1/objectives", "Bearer caio_thisisnotatoken"},
			{"empty bearer token", "GET", "/api/v1/objectives", "Bearer "},
			{"basic instead of bearer", "GET", "/api/v1/objectives", "Basic b3duZXI6cGFzc3dvcmQ="},
			{"revoked token", "GET", "/api/v1/objectives", "Bearer " + revoked},
			{"revoked token, create", "POST", "/api/v1/objectives", "Bearer " + revoked},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				before := s.Count(t, org)
				var body any
				if tc.method == "POST" {
					body = `{"title":"Sneaked in"}`
				}
				req := s.NewRequest(t, tc.method, tc.path, "", body)
				if tc.authorization != "" {
					req.Header.Set("Authorization", tc.authorization)
				}
				res := servertest.Request(t, http.DefaultClient, req).Want(t, http.StatusUnauthorized)
				if p := res.Problem(t); p.Status != http.StatusUnauthorized || p.Detail == "" {
					t.Errorf("problem %+v, want status 401 and a detail", p)
				}
				if after := s.Count(t, org); after != before {
					t.Errorf("counts changed from %+v to %+v", before, after)
				}
			})
		}
	})
}
