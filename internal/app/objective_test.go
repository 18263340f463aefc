package app_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func TestObjectives(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := f.as(caio.RoleEditor)

		o, err := f.app.CreateObjective(ctx, caio.ObjectiveInput{Title: "  Faster claims ", KPI: " days ", Horizon: " 2027-12-31 ", Baseline: ptr(30.0), Target: ptr(0.0)})
		if err != nil {
			t.Fatal(err)
		}
		if o.Title != "Faster claims" || o.KPI != "days" || o.Horizon != "2027-12-31" || o.Version != 1 || o.OrgID != f.org.ID || !caio.ValidID("obj", o.ID) {
			t.Errorf("CreateObjective = %+v, want trimmed input at version 1", o)
		}
		got, err := f.app.FindObjective(f.as(caio.RoleViewer), o.ID)
		if err != nil || got.Title != o.Title || got.Target == nil || *got.Target != 0 {
			t.Errorf("FindObjective = %+v, %v", got, err)
		}

		_, err = f.app.CreateObjective(ctx, caio.ObjectiveInput{Title: "", Horizon: "next year", Owner: strings.Repeat("x", 201)})
		wantCode(t, err, caio.EINVALID)
		var fields []string
		for _, p := range caio.ErrorFields(err) {
			fields = append(fields, p.Field)
		}
		if want := []string{"title", "owner", "horizon"}; !slices.Equal(fields, want) {
			t.Errorf("invalid fields = %v, want %v", fields, want)
		}

		// Updates with an expected version conflict when it is stale;
		// version 0 means "whatever is there".
		u, err := f.app.UpdateObjective(ctx, o.ID, 1, caio.ObjectiveInput{Title: "v2"})
		if err != nil || u.Version != 2 || u.Baseline != nil {
			t.Fatalf("update at version 1 = %+v, %v", u, err)
		}
		_, err = f.app.UpdateObjective(ctx, o.ID, 1, caio.ObjectiveInput{Title: "stale"})
		wantCode(t, err, caio.ECONFLICT)
		if u, err := f.app.UpdateObjective(ctx, o.ID, 0, caio.ObjectiveInput{Title: "v3"}); err != nil || u.Version != 3 {
			t.Fatalf("update at version 0 = %+v, %v", u, err)
		}
		_, err = f.app.UpdateObjective(ctx, o.ID, 0, caio.ObjectiveInput{Title: " "})
		wantCode(t, err, caio.EINVALID)

		// Malformed and unknown IDs are not found.
		for _, id := range []string{"", "obj_", "nonsense", "usr_" + o.ID[4:], caio.NewID("obj")} {
			_, err := f.app.FindObjective(ctx, id)
			wantCode(t, err, caio.ENOTFOUND)
			_, err = f.app.UpdateObjective(ctx, id, 0, caio.ObjectiveInput{Title: "x"})
			wantCode(t, err, caio.ENOTFOUND)
			wantCode(t, f.app.DeleteObjective(ctx, id), caio.ENOTFOUND)
		}

		// Lists check their sort and page.
		_, _, err = f.app.FindObjectives(ctx, caio.ObjectiveFilter{Sort: "owner"})
		wantCode(t, err, caio.EINVALID)
		_, _, err = f.app.FindObjectives(ctx, caio.ObjectiveFilter{Page: caio.Page{Limit: 501}})
		wantCode(t, err, caio.EINVALID)
		_, _, err = f.app.FindObjectives(ctx, caio.ObjectiveFilter{Page: caio.Page{Offset: -1}})
		wantCode(t, err, caio.EINVALID)
		for _, s := range caio.ObjectiveSorts {
			if os, total, err := f.app.FindObjectives(ctx, caio.ObjectiveFilter{Sort: s}); err != nil || total != 1 || len(os) != 1 {
				t.Errorf("sort %s: %d rows, total %d, %v", s, len(os), total, err)
			}
		}
	})
}

// TestTenantIsolation checks that a member of one organisation can neither
// see nor change another organisation's objectives, even knowing their IDs.
func TestTenantIsolation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		secret := f.objective(t, "acme secret plan")
		_, beta := newOrg(t, f.app, "beta", "owner@beta.test")
		ms, _, err := f.app.FindMembers(beta, caio.Page{})
		if err != nil || len(ms) != 1 {
			t.Fatal(ms, err)
		}
		intruder := f.asMember(ms[0])
		before := auditTotal(t, f.app, f.sys)

		_, err = f.app.FindObjective(intruder, secret.ID)
		wantCode(t, err, caio.ENOTFOUND)
		_, err = f.app.UpdateObjective(intruder, secret.ID, 0, caio.ObjectiveInput{Title: "pwned"})
		wantCode(t, err, caio.ENOTFOUND)
		wantCode(t, f.app.DeleteObjective(intruder, secret.ID), caio.ENOTFOUND)
		if os, total, err := f.app.FindObjectives(intruder, caio.ObjectiveFilter{Query: ptr("secret")}); err != nil || total != 0 || len(os) != 0 {
			t.Errorf("the intruder finds %d objectives (%v)", total, err)
		}
		if ms, total, err := f.app.FindMembers(intruder, caio.Page{}); err != nil || total != 1 || ms[0].OrgID == f.org.ID {
			t.Errorf("the intruder lists %d members (%v)", total, err)
		}
		// Nor can the owner of beta touch acme's members or tokens.
		if _, err := f.app.ChangeRole(intruder, f.members[caio.RoleViewer].UserID, caio.RoleAdmin); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("changing another organisation's member = %v, want not found", err)
		}
		if err := f.app.RemoveMember(intruder, f.members[caio.RoleViewer].UserID); caio.ErrorCode(err) != caio.ENOTFOUND {
			t.Errorf("removing another organisation's member = %v, want not found", err)
		}
		tok, _, err := f.app.CreateToken(f.as(caio.RoleViewer), "acme token")
		if err != nil {
			t.Fatal(err)
		}
		before++
		wantCode(t, f.app.RevokeToken(intruder, tok.ID), caio.ENOTFOUND)
		if got, err := f.app.FindObjective(f.sys, secret.ID); err != nil || got.Title != "acme secret plan" || got.Version != 1 {
			t.Errorf("acme's objective after the intrusion = %+v, %v", got, err)
		}
		if after := auditTotal(t, f.app, f.sys); after != before {
			t.Errorf("acme's audit trail grew by %d", after-before)
		}
	})
}
