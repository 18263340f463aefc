package api_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// newPolicy writes a draft policy of the organisation through the services.
func newPolicy(t *testing.T, s *servertest.Server, org *servertest.Org, title string) *caio.Policy {
	t.Helper()
	p, err := s.App.CreatePolicy(org.Sys, caio.PolicyInput{Title: title, Kind: "acceptable_use", Body: "# " + title + "\n\nCheck AI output."})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// approvedPolicy writes a policy and has the system approve version 1.
func approvedPolicy(t *testing.T, s *servertest.Server, org *servertest.Org, title string) *caio.Policy {
	t.Helper()
	p := newPolicy(t, s, org, title)
	ap, err := s.App.SubmitPolicy(org.Sys, p.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	// Approvers vote until the organisation's quorum (which a role case may
	// have raised) is reached.
	for _, r := range []caio.Role{caio.RoleApprover, caio.RoleOwner, caio.RoleAdmin} {
		ctx := caio.WithActor(context.Background(), org.Members[r].Actor(org))
		if ap, err = s.App.DecideApproval(ctx, ap.ID, "approve", ""); err != nil {
			t.Fatal(err)
		}
		if ap.Status == "approved" {
			return p
		}
	}
	t.Fatalf("policy %s not approved: %+v", p.ID, ap)
	return p
}

// The policy library's operations join the role matrix of roles_test.go.
func init() {
	fresh := func(approved bool, suffix string) func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
		return func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			title := fmt.Sprintf("Policy %d", e.seq())
			if approved {
				return "/api/v1/policies/" + approvedPolicy(t, e.s, e.org, title).ID + suffix, nil
			}
			return "/api/v1/policies/" + newPolicy(t, e.s, e.org, title).ID + suffix, nil
		}
	}
	withBody := func(f func(*testing.T, *roleEnv, caio.Role) (string, any), body any) func(*testing.T, *roleEnv, caio.Role) (string, any) {
		return func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			path, _ := f(t, e, r)
			return path, body
		}
	}
	roleCases = append(roleCases,
		// App.FindPolicies, PolicyStarters, PendingAcknowledgements, FindPolicy,
		// PolicyVersions, PolicyVersion, DiffPolicy, PolicyAcknowledgements: PermRead.
		roleCase{name: "list policies", op: "GET /policies", perm: caio.PermRead, req: fixed("/api/v1/policies?status=draft&review=soon", nil), ok: 200},
		roleCase{name: "list policy starters", op: "GET /policy-starters", perm: caio.PermRead, req: fixed("/api/v1/policy-starters", nil), ok: 200},
		roleCase{name: "my pending acknowledgements", op: "GET /policy-acknowledgements", perm: caio.PermRead, req: fixed("/api/v1/policy-acknowledgements", nil), ok: 200},
		roleCase{name: "get policy", op: "GET /policies/{id}", perm: caio.PermRead, ok: 200, req: fresh(false, "")},
		roleCase{name: "list policy versions", op: "GET /policies/{id}/versions", perm: caio.PermRead, ok: 200, req: fresh(false, "/versions")},
		roleCase{name: "get policy version", op: "GET /policies/{id}/versions/{number}", perm: caio.PermRead, ok: 200, req: fresh(false, "/versions/1")},
		roleCase{name: "diff policy", op: "GET /policies/{id}/diff", perm: caio.PermRead, ok: 200, req: fresh(false, "/diff?from=1&to=1")},
		roleCase{name: "policy acknowledgements", op: "GET /policies/{id}/acknowledgements", perm: caio.PermRead, ok: 200, req: fresh(true, "/acknowledgements")},
		// App.AcknowledgePolicy: PermRead (every member acknowledges).
		roleCase{name: "acknowledge policy", op: "POST /policies/{id}/acknowledge", perm: caio.PermRead, ok: 201, req: withBody(fresh(true, "/acknowledge"), map[string]any{"version": 1})},
		// App.CreatePolicy, AdoptStarter, UpdatePolicy, DeletePolicy, SubmitPolicy, RetirePolicy: PermEdit.
		roleCase{name: "create policy", op: "POST /policies", perm: caio.PermEdit, ok: 201,
			req: fixed("/api/v1/policies", map[string]any{"title": "AI acceptable use", "kind": "acceptable_use", "body": "# Rules"})},
		roleCase{name: "adopt policy starter", op: "POST /policies/from-starter", perm: caio.PermEdit, ok: 201,
			req: fixed("/api/v1/policies/from-starter", map[string]any{"starter": "literacy"})},
		roleCase{name: "update policy", op: "PUT /policies/{id}", perm: caio.PermEdit, ok: 200,
			req: withBody(fresh(false, ""), map[string]any{"title": "Renamed", "body": "# New text"})},
		roleCase{name: "delete policy", op: "DELETE /policies/{id}", perm: caio.PermEdit, ok: 204, req: fresh(false, "")},
		roleCase{name: "submit policy", op: "POST /policies/{id}/submit", perm: caio.PermEdit, ok: 201,
			req: withBody(fresh(false, "/submit"), map[string]any{"reason": "Ready"})},
		roleCase{name: "retire policy", op: "POST /policies/{id}/retire", perm: caio.PermEdit, ok: 200,
			req: withBody(fresh(false, "/retire"), map[string]any{"reason": "Replaced"})},
	)
}

// TestPolicyAPI follows a policy through the API as a client would: field
// errors by name, approval through the approvals operations, the refused
// acknowledgement of a version not in force, the diff and the starters.
func TestPolicyAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		editor, approver, viewer := org.Token(caio.RoleEditor), org.Token(caio.RoleApprover), org.Token(caio.RoleViewer)

		p := s.Do(t, http.MethodPost, "/api/v1/policies", editor, map[string]any{"title": "X", "body": " ", "review_months": 99}).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.review_months"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("problem locations %v lack %s", p.Locations(), loc)
			}
		}
		p = s.Do(t, http.MethodPost, "/api/v1/policies", editor, map[string]any{"title": "X", "body": " \n "}).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "body.body") {
			t.Errorf("blank body: %v", p.Locations())
		}

		var pol caio.Policy
		s.Do(t, http.MethodPost, "/api/v1/policies/from-starter", editor, map[string]any{"starter": "acceptable-use"}).Want(t, 201).JSON(t, &pol)
		if pol.Status != "draft" || pol.Latest == nil || !strings.Contains(pol.Latest.Body, "Org acme") {
			t.Fatalf("adopted %+v", pol)
		}
		var ap caio.Approval
		s.Do(t, http.MethodPost, "/api/v1/policies/"+pol.ID+"/submit", editor, map[string]any{"reason": "Ready"}).Want(t, 201).JSON(t, &ap)
		s.Do(t, http.MethodPost, "/api/v1/policies/"+pol.ID+"/submit", editor, nil).Want(t, 409)
		s.Do(t, http.MethodPost, "/api/v1/policies/"+pol.ID+"/acknowledge", viewer, map[string]any{"version": 1}).Want(t, 422)
		s.Do(t, http.MethodPost, "/api/v1/approvals/"+ap.ID+"/decision", approver, map[string]any{"decision": "approve"}).Want(t, 200)

		s.Do(t, http.MethodGet, "/api/v1/policies/"+pol.ID, viewer, nil).Want(t, 200).JSON(t, &pol)
		if pol.Status != "approved" || pol.CurrentVersion != 1 || pol.AckDue == "" || pol.NextReview == "" {
			t.Fatalf("approved %+v", pol)
		}
		var pending struct{ Items []caio.PendingAck }
		s.Do(t, http.MethodGet, "/api/v1/policy-acknowledgements", viewer, nil).Want(t, 200).JSON(t, &pending)
		if len(pending.Items) != 1 || pending.Items[0].PolicyID != pol.ID {
			t.Fatalf("pending %+v", pending)
		}
		prob := s.Do(t, http.MethodPost, "/api/v1/policies/"+pol.ID+"/acknowledge", viewer, map[string]any{"version": 2}).Want(t, 422).Problem(t)
		if !slices.Contains(prob.Locations(), "body.version") {
			t.Errorf("acknowledging version 2: %v", prob.Locations())
		}
		s.Do(t, http.MethodPost, "/api/v1/policies/"+pol.ID+"/acknowledge", viewer, map[string]any{"version": 1}).Want(t, 201)
		s.Do(t, http.MethodPost, "/api/v1/policies/"+pol.ID+"/acknowledge", viewer, map[string]any{"version": 1}).Want(t, 409)
		var acks caio.PolicyAcks
		s.Do(t, http.MethodGet, "/api/v1/policies/"+pol.ID+"/acknowledgements", editor, nil).Want(t, 200).JSON(t, &acks)
		if len(acks.Acknowledged) != 1 || len(acks.Pending) != acks.Members-1 {
			t.Errorf("acks %+v", acks)
		}

		body := map[string]any{"title": pol.Title, "kind": pol.Kind, "body": pol.Current.Body + "\n\nA new closing line.", "note": "Closing line"}
		s.Do(t, http.MethodPut, "/api/v1/policies/"+pol.ID, editor, body).Want(t, 200).JSON(t, &pol)
		if pol.LatestVersion != 2 || pol.CurrentVersion != 1 {
			t.Fatalf("second version %+v", pol)
		}
		var d caio.PolicyDiff
		s.Do(t, http.MethodGet, "/api/v1/policies/"+pol.ID+"/diff?from=1&to=2", viewer, nil).Want(t, 200).JSON(t, &d)
		if d.Added != 2 || d.Removed != 0 {
			t.Errorf("diff %+v", d)
		}
		s.Do(t, http.MethodGet, "/api/v1/policies/"+pol.ID+"/diff?from=1&to=9", viewer, nil).Want(t, 422)
		var v struct {
			Number int
			HTML   string
		}
		s.Do(t, http.MethodGet, "/api/v1/policies/"+pol.ID+"/versions/1", viewer, nil).Want(t, 200).JSON(t, &v)
		if v.Number != 1 || !strings.Contains(v.HTML, "<h1") {
			t.Errorf("version %+v", v.Number)
		}
		s.Do(t, http.MethodGet, "/api/v1/policies/"+pol.ID+"/versions/9", viewer, nil).Want(t, 404)
		s.Do(t, http.MethodDelete, "/api/v1/policies/"+pol.ID, editor, nil).Want(t, 409)
		s.Do(t, http.MethodGet, "/api/v1/policies?review=later", viewer, nil).Want(t, 422)
		var page struct {
			Total int
			Items []caio.Policy
		}
		s.Do(t, http.MethodGet, "/api/v1/policies?status=approved", viewer, nil).Want(t, 200).JSON(t, &page)
		if page.Total != 1 || page.Items[0].ID != pol.ID {
			t.Errorf("approved list %+v", page)
		}
	})
}
