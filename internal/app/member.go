package app

import (
	"context"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// MemberInput adds a person to the organisation. Password is needed only
// when the email belongs to no user yet.
type MemberInput struct {
	Email    string
	Name     string
	Role     caio.Role
	Password string
}

// FindMembers lists a page of the organisation's members. Needs PermRead.
func (app *App) FindMembers(ctx context.Context, p caio.Page) ([]*caio.Membership, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if p, err = p.Normalize(); err != nil {
		return nil, 0, err
	}
	var ms []*caio.Membership
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		ms, total, err = c.OrgMembers(ctx, a.OrgID, p)
		return err
	})
	return ms, total, err
}

// AddMember gives a person a role in the organisation, creating the user when
// the email is new. Needs PermManageMembers, and PermManageOwners to add an owner.
func (app *App) AddMember(ctx context.Context, in MemberInput) (*caio.Membership, error) {
	a, err := authorize(ctx, caio.PermManageMembers)
	if err != nil {
		return nil, err
	}
	in.Email = strings.ToLower(strings.TrimSpace(in.Email))
	in.Name = strings.TrimSpace(in.Name)
	var v caio.Validation
	validateEmail(&v, in.Email)
	if !in.Role.Valid() {
		v.Add("role", "must be one of owner, admin, editor, contributor, approver, viewer")
	}
	if in.Password != "" {
		validatePassword(&v, in.Password)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if in.Role == caio.RoleOwner && !a.System && !caio.Can(a.Role, caio.PermManageOwners) {
		return nil, caio.Errorf(caio.EFORBIDDEN, "Only an owner can make someone an owner.")
	}
	var m *caio.Membership
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		u, _, err := c.UserByEmail(ctx, in.Email)
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			if in.Password == "" {
				return caio.FieldError("password", "is required: no user has this email yet, so give them a first password of at least 12 characters")
			}
			u = &caio.User{ID: caio.NewID("usr"), Email: in.Email, Name: in.Name}
			err = c.CreateUser(ctx, u, HashPassword(in.Password))
		}
		if err != nil {
			return err
		}
		if _, err := c.Membership(ctx, a.OrgID, u.ID); err == nil {
			return caio.FieldError("email", "already belongs to a member; change their role instead")
		}
		if err := c.PutMembership(ctx, a.OrgID, u.ID, in.Role); err != nil {
			return err
		}
		if m, err = c.Membership(ctx, a.OrgID, u.ID); err != nil {
			return err
		}
		return record(ctx, c, a, "member.add", "user", u.ID, caio.Diff(nil, map[string]any{"email": u.Email, "role": in.Role}))
	})
	return m, err
}

// ChangeRole sets a member's role. Needs PermManageMembers; changing an
// owner's role, or making an owner, needs PermManageOwners. The last owner
// cannot be demoted. Returns ENOTFOUND when the user is not a member.
func (app *App) ChangeRole(ctx context.Context, userID string, role caio.Role) (*caio.Membership, error) {
	a, err := authorize(ctx, caio.PermManageMembers)
	if err != nil {
		return nil, err
	}
	if !role.Valid() {
		return nil, caio.FieldError("role", "must be one of owner, admin, editor, contributor, approver, viewer")
	}
	var m *caio.Membership
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if m, err = c.Membership(ctx, a.OrgID, userID); err != nil {
			return caio.Errorf(caio.ENOTFOUND, "Member not found.")
		}
		if err := ownerGuard(ctx, c, a, m, role); err != nil {
			return err
		}
		before := m.Role
		if err := c.PutMembership(ctx, a.OrgID, userID, role); err != nil {
			return err
		}
		m.Role = role
		return record(ctx, c, a, "member.role", "user", userID, caio.Diff(map[string]any{"role": before}, map[string]any{"role": role}))
	})
	return m, err
}

// RemoveMember takes a person out of the organisation and revokes their
// tokens there. The same owner rules as ChangeRole apply.
func (app *App) RemoveMember(ctx context.Context, userID string) error {
	a, err := authorize(ctx, caio.PermManageMembers)
	if err != nil {
		return err
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		m, err := c.Membership(ctx, a.OrgID, userID)
		if err != nil {
			return caio.Errorf(caio.ENOTFOUND, "Member not found.")
		}
		if err := ownerGuard(ctx, c, a, m, ""); err != nil {
			return err
		}
		if err := c.DeleteMembership(ctx, a.OrgID, userID); err != nil {
			return err
		}
		return record(ctx, c, a, "member.remove", "user", userID, caio.Diff(map[string]any{"email": m.Email, "role": m.Role}, nil))
	})
}

// ownerGuard enforces the owner rules for changing m to role ("" for removal).
func ownerGuard(ctx context.Context, c *sqldb.Conn, a caio.Actor, m *caio.Membership, role caio.Role) error {
	touchesOwner := m.Role == caio.RoleOwner || role == caio.RoleOwner
	if touchesOwner && !a.System && !caio.Can(a.Role, caio.PermManageOwners) {
		return caio.Errorf(caio.EFORBIDDEN, "Only an owner can change or remove an owner.")
	}
	if m.Role == caio.RoleOwner && role != caio.RoleOwner {
		n, err := c.CountOwners(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if n <= 1 {
			return caio.Errorf(caio.ECONFLICT, "An organisation needs at least one owner: make someone else an owner first.")
		}
	}
	return nil
}
