package app_test

import (
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestOwnerRules checks that only owners make or unmake owners, and that an
// organisation always keeps at least one owner.
func TestOwnerRules(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		owner, admin, editor := f.members[caio.RoleOwner], f.members[caio.RoleAdmin], f.members[caio.RoleEditor]
		asOwner, asAdmin := f.as(caio.RoleOwner), f.as(caio.RoleAdmin)

		// An admin manages members, but not owners.
		_, err := f.app.AddMember(asAdmin, app.MemberInput{Email: "boss@acme.test", Role: caio.RoleOwner, Password: password})
		wantCode(t, err, caio.EFORBIDDEN)
		_, err = f.app.ChangeRole(asAdmin, editor.UserID, caio.RoleOwner)
		wantCode(t, err, caio.EFORBIDDEN)
		_, err = f.app.ChangeRole(asAdmin, admin.UserID, caio.RoleOwner)
		wantCode(t, err, caio.EFORBIDDEN)
		_, err = f.app.ChangeRole(asAdmin, owner.UserID, caio.RoleAdmin)
		wantCode(t, err, caio.EFORBIDDEN)
		wantCode(t, f.app.RemoveMember(asAdmin, owner.UserID), caio.EFORBIDDEN)
		if m, err := f.app.ChangeRole(asAdmin, editor.UserID, caio.RoleViewer); err != nil || m.Role != caio.RoleViewer {
			t.Fatalf("admin changing an editor to viewer = %+v, %v", m, err)
		}
		if err := f.app.RemoveMember(asAdmin, f.members[caio.RoleContributor].UserID); err != nil {
			t.Fatalf("admin removing a contributor: %v", err)
		}

		// The last owner can be neither demoted nor removed, by anyone.
		_, err = f.app.ChangeRole(asOwner, owner.UserID, caio.RoleAdmin)
		wantCode(t, err, caio.ECONFLICT)
		wantCode(t, f.app.RemoveMember(asOwner, owner.UserID), caio.ECONFLICT)
		_, err = f.app.ChangeRole(f.sys, owner.UserID, caio.RoleViewer)
		wantCode(t, err, caio.ECONFLICT)
		wantCode(t, f.app.RemoveMember(f.sys, owner.UserID), caio.ECONFLICT)
		// Re-stating the owner role is no demotion.
		if _, err := f.app.ChangeRole(asOwner, owner.UserID, caio.RoleOwner); err != nil {
			t.Errorf("owner keeping the owner role: %v", err)
		}

		// With a second owner, the first may step down; then the second is last.
		if _, err := f.app.ChangeRole(asOwner, admin.UserID, caio.RoleOwner); err != nil {
			t.Fatalf("owner promoting admin: %v", err)
		}
		if _, err := f.app.ChangeRole(asOwner, owner.UserID, caio.RoleAdmin); err != nil {
			t.Fatalf("owner stepping down beside another owner: %v", err)
		}
		newOwner := caio.WithActor(t.Context(), caio.Actor{UserID: admin.UserID, Email: admin.Email, OrgID: f.org.ID, OrgSlug: f.org.Slug, Role: caio.RoleOwner})
		_, err = f.app.ChangeRole(newOwner, admin.UserID, caio.RoleEditor)
		wantCode(t, err, caio.ECONFLICT)
		wantCode(t, f.app.RemoveMember(newOwner, admin.UserID), caio.ECONFLICT)
		// An owner may add another owner directly.
		if m, err := f.app.AddMember(newOwner, app.MemberInput{Email: "boss@acme.test", Role: caio.RoleOwner, Password: password}); err != nil || m.Role != caio.RoleOwner {
			t.Fatalf("owner adding an owner = %+v, %v", m, err)
		}
		if err := f.app.RemoveMember(newOwner, admin.UserID); err != nil {
			t.Errorf("owner leaving beside another owner: %v", err)
		}
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Errorf("audit chain: %+v", v.Break)
		}
	})
}

// TestMemberErrors checks the answers to wrong member requests.
func TestMemberErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ctx := f.as(caio.RoleAdmin)
		stranger := caio.NewID("usr")
		_, err := f.app.ChangeRole(ctx, stranger, caio.RoleViewer)
		wantCode(t, err, caio.ENOTFOUND)
		wantCode(t, f.app.RemoveMember(ctx, stranger), caio.ENOTFOUND)
		_, err = f.app.ChangeRole(ctx, f.members[caio.RoleViewer].UserID, "root")
		wantCode(t, err, caio.EINVALID)

		for _, tc := range []struct {
			name  string
			in    app.MemberInput
			field string
		}{
			{"bad email", app.MemberInput{Email: "not an email", Role: caio.RoleViewer, Password: password}, "email"},
			{"bad role", app.MemberInput{Email: "x@acme.test", Role: "boss", Password: password}, "role"},
			{"short password", app.MemberInput{Email: "x@acme.test", Role: caio.RoleViewer, Password: "short"}, "password"},
			{"new user without password", app.MemberInput{Email: "x@acme.test", Role: caio.RoleViewer}, "password"},
			{"already a member", app.MemberInput{Email: f.members[caio.RoleViewer].Email, Role: caio.RoleEditor}, "email"},
		} {
			_, err := f.app.AddMember(ctx, tc.in)
			if caio.ErrorCode(err) != caio.EINVALID || len(caio.ErrorFields(err)) == 0 || caio.ErrorFields(err)[0].Field != tc.field {
				t.Errorf("%s: %v, want invalid %s", tc.name, err, tc.field)
			}
		}

		// A user of another organisation joins without a new password.
		_, _ = newOrg(t, f.app, "beta", "grace@beta.test")
		m, err := f.app.AddMember(ctx, app.MemberInput{Email: "GRACE@beta.test", Role: caio.RoleEditor})
		if err != nil || m.Email != "grace@beta.test" || m.Role != caio.RoleEditor || m.OrgID != f.org.ID {
			t.Fatalf("adding an existing user = %+v, %v", m, err)
		}
		ms, total, err := f.app.FindMembers(ctx, caio.Page{Limit: 2})
		if err != nil || len(ms) != 2 || total != len(caio.Roles)+1 {
			t.Errorf("FindMembers = %d rows, total %d, %v; want 2 of %d", len(ms), total, err, len(caio.Roles)+1)
		}
		_, _, err = f.app.FindMembers(ctx, caio.Page{Limit: 501})
		wantCode(t, err, caio.EINVALID)
	})
}
