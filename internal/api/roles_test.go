package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
	"github.com/danielgtaylor/huma/v2"
)

// roleCase is one API operation and the permission its service needs.
type roleCase struct {
	name string
	// op is the operation, as its method and path in the OpenAPI document.
	op string
	// perm is what the service asks authorize() for; see the comment on
	// each case for the service method.
	perm caio.Permission
	// req builds the path and body for one attempt by a member of role r.
	// Cases that consume an object (delete, remove) make a fresh one.
	req func(t *testing.T, e *roleEnv, r caio.Role) (path string, body any)
	// ok is the status of success.
	ok int
	// denied is the status of refusal: 403, except where the service hides
	// the object from a role that may not act on it.
	denied int
}

type roleEnv struct {
	s   *servertest.Server
	org *servertest.Org
	obj *caio.Objective
	// bystander is a member whose tokens others may or may not revoke.
	bystander *servertest.Member
	n         int
}

func (e *roleEnv) seq() int { e.n++; return e.n }

func fixed(path string, body any) func(*testing.T, *roleEnv, caio.Role) (string, any) {
	return func(*testing.T, *roleEnv, caio.Role) (string, any) { return path, body }
}

var roleCases = []roleCase{
	// App.FindObjectives, FindObjective: PermRead.
	{name: "list objectives", op: "GET /objectives", perm: caio.PermRead, req: fixed("/api/v1/objectives", nil), ok: 200},
	{name: "get objective", op: "GET /objectives/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		return "/api/v1/objectives/" + e.obj.ID, nil
	}},
	// App.CreateObjective, UpdateObjective, DeleteObjective: PermEdit.
	{name: "create objective", op: "POST /objectives", perm: caio.PermEdit, req: fixed("/api/v1/objectives", map[string]any{"title": "Cut claim costs"}), ok: 201},
	{name: "update objective", op: "PUT /objectives/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		return "/api/v1/objectives/" + e.obj.ID, map[string]any{"title": "Settle claims in " + string(r) + " time"}
	}},
	{name: "delete objective", op: "DELETE /objectives/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		return "/api/v1/objectives/" + e.s.NewObjective(t, e.org, "Doomed").ID, nil
	}},
	// App.FindMembers: PermRead.
	{name: "list members", op: "GET /members", perm: caio.PermRead, req: fixed("/api/v1/members", nil), ok: 200},
	// App.AddMember: PermManageMembers, and PermManageOwners to add an owner.
	{name: "add member", op: "POST /members", perm: caio.PermManageMembers, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		return "/api/v1/members", map[string]any{"email": fmt.Sprintf("new-%d@acme.test", e.seq()), "role": "viewer", "password": servertest.Password}
	}},
	{name: "add owner", op: "POST /members", perm: caio.PermManageOwners, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		return "/api/v1/members", map[string]any{"email": fmt.Sprintf("new-owner-%d@acme.test", e.seq()), "role": "owner", "password": servertest.Password}
	}},
	// App.ChangeRole: PermManageMembers; PermManageOwners to make an owner.
	{name: "change role", op: "PUT /members/{user_id}", perm: caio.PermManageMembers, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		m := e.s.AddMember(t, e.org, fmt.Sprintf("promoted-%d@acme.test", e.seq()), caio.RoleViewer)
		return "/api/v1/members/" + m.UserID, map[string]any{"role": "editor"}
	}},
	{name: "make owner", op: "PUT /members/{user_id}", perm: caio.PermManageOwners, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		m := e.s.AddMember(t, e.org, fmt.Sprintf("crowned-%d@acme.test", e.seq()), caio.RoleViewer)
		return "/api/v1/members/" + m.UserID, map[string]any{"role": "owner"}
	}},
	// App.RemoveMember: PermManageMembers.
	{name: "remove member", op: "DELETE /members/{user_id}", perm: caio.PermManageMembers, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		m := e.s.AddMember(t, e.org, fmt.Sprintf("leaving-%d@acme.test", e.seq()), caio.RoleViewer)
		return "/api/v1/members/" + m.UserID, nil
	}},
	// App.FindTokens, CreateToken, RevokeToken of one's own: PermRead.
	{name: "list tokens", op: "GET /tokens", perm: caio.PermRead, req: fixed("/api/v1/tokens", nil), ok: 200},
	{name: "create token", op: "POST /tokens", perm: caio.PermRead, req: fixed("/api/v1/tokens", map[string]any{"name": "ci"}), ok: 201},
	{name: "revoke own token", op: "DELETE /tokens/{id}", perm: caio.PermRead, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		id, _ := e.s.NewToken(t, e.org, e.org.Members[r], fmt.Sprintf("own-%d", e.seq()))
		return "/api/v1/tokens/" + id, nil
	}},
	// App.RevokeToken of someone else's: PermManageMembers. Without it the
	// token is reported as not found, so tokens of others stay invisible.
	{name: "revoke another's token", op: "DELETE /tokens/{id}", perm: caio.PermManageMembers, ok: 204, denied: 404, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		id, _ := e.s.NewToken(t, e.org, e.bystander, fmt.Sprintf("other-%d", e.seq()))
		return "/api/v1/tokens/" + id, nil
	}},
	// App.FindAuditEvents, VerifyAudit: PermReadAudit.
	{name: "list audit events", op: "GET /audit", perm: caio.PermReadAudit, req: fixed("/api/v1/audit", nil), ok: 200},
	{name: "verify audit chain", op: "GET /audit/verify", perm: caio.PermReadAudit, req: fixed("/api/v1/audit/verify", nil), ok: 200},
	// App.RenameOrg: PermManageOrg.
	{name: "rename organisation", op: "PUT /organization", perm: caio.PermManageOrg, req: fixed("/api/v1/organization", map[string]any{"name": "Acme Insurance"}), ok: 200},
	// App.CurrentOrg (for /me): PermRead.
	{name: "me", op: "GET /me", perm: caio.PermRead, req: fixed("/api/v1/me", nil), ok: 200},
}

// TestRoleMatrix calls every API operation as a member of each role and
// checks that it succeeds exactly when caio.Can grants the permission its
// service needs, and is refused with 403 problem+json, writing nothing,
// otherwise.
func TestRoleMatrix(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		e := &roleEnv{s: s, org: org, obj: s.NewObjective(t, org, "Settle claims faster")}
		e.bystander = s.AddMember(t, org, "bystander@acme.test", caio.RoleViewer)

		for _, r := range caio.Roles {
			for _, tc := range roleCases {
				allowed := caio.Can(r, tc.perm)
				method, _, _ := strings.Cut(tc.op, " ")
				t.Run(string(r)+"/"+tc.name, func(t *testing.T) {
					path, body := tc.req(t, e, r)
					before := s.Count(t, org)
					res := s.Do(t, method, path, org.Token(r), body)
					if allowed {
						res.Want(t, tc.ok)
						return
					}
					denied := tc.denied
					if denied == 0 {
						denied = http.StatusForbidden
					}
					res.Want(t, denied)
					res.Problem(t)
					if after := s.Count(t, org); after != before {
						t.Errorf("refused, yet counts changed from %+v to %+v", before, after)
					}
				})
			}
		}

		// Every operation of the API is in the matrix, so a new one cannot
		// escape it.
		inMatrix := map[string]bool{}
		for _, tc := range roleCases {
			inMatrix[tc.op] = true
		}
		for _, item := range s.Handler.API.OpenAPI().Paths {
			for _, op := range []*huma.Operation{item.Get, item.Put, item.Post, item.Delete, item.Patch} {
				if op != nil && !inMatrix[op.Method+" "+op.Path] {
					t.Errorf("operation %s %s is not in roleCases: add it with the permission its service needs", op.Method, op.Path)
				}
			}
		}
	})
}
