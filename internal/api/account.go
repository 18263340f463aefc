package api

import (
	"context"
	"net/http"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/danielgtaylor/huma/v2"
)

// Me is who the caller is and where.
type Me struct {
	UserID        string             `json:"user_id"`
	Email         string             `json:"email"`
	Organization  *caio.Organization `json:"organization"`
	Role          caio.Role          `json:"role"`
	Permissions   []caio.Permission  `json:"permissions"`
	Organizations []*caio.Membership `json:"organizations" doc:"Every organisation the user belongs to."`
}

func (api *API) registerMe() {
	huma.Register(api, op(http.MethodGet, "/me", "get-me", "Who am I, in which organisation, with which permissions", "Account"),
		func(ctx context.Context, _ *struct{}) (*struct{ Body Me }, error) {
			a, _ := caio.ActorFrom(ctx)
			org, err := api.app.CurrentOrg(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			ms, err := api.app.MyMemberships(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			me := Me{UserID: a.UserID, Email: a.Email, Organization: org, Role: a.Role, Organizations: ms, Permissions: []caio.Permission{}}
			for _, p := range caio.Permissions {
				if caio.Can(a.Role, p) {
					me.Permissions = append(me.Permissions, p)
				}
			}
			return &struct{ Body Me }{me}, nil
		})

	huma.Register(api, op(http.MethodPut, "/organization", "rename-organization", "Rename the current organisation", "Account"),
		func(ctx context.Context, in *struct {
			Body struct {
				Name string `json:"name" minLength:"1" maxLength:"120"`
			}
		}) (*struct{ Body *caio.Organization }, error) {
			o, err := api.app.RenameOrg(ctx, in.Body.Name)
			if err != nil {
				return nil, api.problem(ctx, renameField(err, "org_name", "name"))
			}
			return &struct{ Body *caio.Organization }{o}, nil
		})
}

// MemberID names a member in the path. It is exported because huma reads
// parameters only from exported fields, and an embedded struct of an
// unexported type is an unexported field: the id would silently stay empty.
type MemberID struct {
	UserID string `path:"user_id" doc:"User id, usr_..."`
}

func (api *API) registerMembers() {
	huma.Register(api, op(http.MethodGet, "/members", "list-members", "List the organisation's members and roles", "Members"),
		func(ctx context.Context, in *PageQuery) (*listOut[*caio.Membership], error) {
			ms, total, err := api.app.FindMembers(ctx, in.page())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return list(ms, total, *in), nil
		})

	add := op(http.MethodPost, "/members", "add-member", "Add a person to the organisation with a role", "Members")
	add.DefaultStatus = http.StatusCreated
	huma.Register(api, add, func(ctx context.Context, in *struct {
		Body struct {
			Email    string    `json:"email" maxLength:"254"`
			Name     string    `json:"name,omitempty" maxLength:"200"`
			Role     caio.Role `json:"role" enum:"owner,admin,editor,contributor,approver,viewer"`
			Password string    `json:"password,omitempty" maxLength:"1024" doc:"First password, needed only when no user has this email yet."`
		}
	}) (*struct{ Body *caio.Membership }, error) {
		m, err := api.app.AddMember(ctx, app.MemberInput{Email: in.Body.Email, Name: in.Body.Name, Role: in.Body.Role, Password: in.Body.Password})
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Membership }{m}, nil
	})

	huma.Register(api, op(http.MethodPut, "/members/{user_id}", "change-member-role", "Change a member's role", "Members"),
		func(ctx context.Context, in *struct {
			MemberID
			Body struct {
				Role caio.Role `json:"role" enum:"owner,admin,editor,contributor,approver,viewer"`
			}
		}) (*struct{ Body *caio.Membership }, error) {
			m, err := api.app.ChangeRole(ctx, in.UserID, in.Body.Role)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Membership }{m}, nil
		})

	del := op(http.MethodDelete, "/members/{user_id}", "remove-member", "Remove a member from the organisation", "Members")
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *MemberID) (*struct{}, error) {
		if err := api.app.RemoveMember(ctx, in.UserID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})
}

// CreatedToken is a new token with its secret, shown this once.
type CreatedToken struct {
	*caio.APIToken
	Token string `json:"token" doc:"The secret. It is not stored and cannot be shown again."`
}

func (api *API) registerTokens() {
	huma.Register(api, op(http.MethodGet, "/tokens", "list-tokens", "List your API tokens in this organisation", "Tokens"),
		func(ctx context.Context, in *PageQuery) (*listOut[*caio.APIToken], error) {
			ts, total, err := api.app.FindTokens(ctx, in.page())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return list(ts, total, *in), nil
		})

	create := op(http.MethodPost, "/tokens", "create-token", "Create an API token", "Tokens")
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct {
		Body struct {
			Name string `json:"name" minLength:"1" maxLength:"100"`
		}
	}) (*struct{ Body CreatedToken }, error) {
		t, secret, err := api.app.CreateToken(ctx, in.Body.Name)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body CreatedToken }{CreatedToken{t, secret}}, nil
	})

	del := op(http.MethodDelete, "/tokens/{id}", "revoke-token", "Revoke an API token", "Tokens")
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *struct {
		ID string `path:"id" doc:"Token id, tok_..."`
	}) (*struct{}, error) {
		if err := api.app.RevokeToken(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})
}

func (api *API) registerAudit() {
	huma.Register(api, op(http.MethodGet, "/audit", "list-audit-events", "List audit events, newest first", "Audit"),
		func(ctx context.Context, in *struct {
			PageQuery
			ObjectType string    `query:"object_type" maxLength:"64"`
			ObjectID   string    `query:"object_id" maxLength:"64"`
			Action     string    `query:"action" maxLength:"64"`
			ActorID    string    `query:"actor_id" maxLength:"64"`
			Since      time.Time `query:"since" doc:"Only events at or after this time (RFC 3339)."`
			Until      time.Time `query:"until" doc:"Only events before this time (RFC 3339)."`
		}) (*listOut[caio.AuditEvent], error) {
			f := caio.AuditFilter{ObjectType: trimmed(&in.ObjectType), ObjectID: trimmed(&in.ObjectID), Action: trimmed(&in.Action), ActorID: trimmed(&in.ActorID), Page: in.page()}
			if !in.Since.IsZero() {
				f.Since = &in.Since
			}
			if !in.Until.IsZero() {
				f.Until = &in.Until
			}
			es, total, err := api.app.FindAuditEvents(ctx, f)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return list(es, total, in.PageQuery), nil
		})

	huma.Register(api, op(http.MethodGet, "/audit/verify", "verify-audit-chain", "Verify the organisation's audit chain", "Audit"),
		func(ctx context.Context, _ *struct{}) (*struct{ Body *app.AuditVerification }, error) {
			v, err := api.app.VerifyAudit(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *app.AuditVerification }{v}, nil
		})
}
