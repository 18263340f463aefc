package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sso"
	"golang.org/x/oauth2"
)

// Single sign-on: each organisation may let its members sign in through
// its own OpenID Connect provider (authorization code with PKCE). The
// provider's groups decide the member's role on every sign-in; members
// can be created at their first sign-in (just in time); and local
// (password) login can be switched off for the organisation.

// SSOAttemptTTL is how long a person has at the provider before the
// sign-in must start again.
const SSOAttemptTTL = 10 * time.Minute

// SSOInput is what an admin sets. ClientSecret nil keeps the stored secret.
type SSOInput struct {
	Enabled      bool
	Issuer       string
	ClientID     string
	ClientSecret *string
	Scopes       []string
	GroupsClaim  string
	GroupRoles   []caio.GroupRole
	DefaultRole  caio.Role
	JIT          bool
	Domains      []string
	LocalLogin   bool
}

// defaultSSO is the configuration of an organisation that has none:
// switched off, local login on, members created at first sign-in.
func defaultSSO(orgID string) *caio.SSOConfig {
	return &caio.SSOConfig{OrgID: orgID, Scopes: slices.Clone(caio.DefaultSSOScopes), GroupsClaim: "groups",
		GroupRoles: []caio.GroupRole{}, JIT: true, LocalLogin: true, Domains: []string{}}
}

func loadSSO(ctx context.Context, c *sqldb.Conn, orgID string) (*caio.SSOConfig, string, error) {
	cfg, tested, err := c.SSOConfig(ctx, orgID)
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return defaultSSO(orgID), "", nil
	}
	return cfg, tested, err
}

// withoutSecret returns the configuration as it may be shown.
func withoutSecret(cfg *caio.SSOConfig) *caio.SSOConfig {
	out := *cfg
	out.ClientSecret = ""
	out.SecretSet = cfg.ClientSecret != ""
	return &out
}

// SSOSettings returns the organisation's single sign-on settings without
// the client secret. Needs PermManageOrg.
func (app *App) SSOSettings(ctx context.Context) (*caio.SSOConfig, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	var cfg *caio.SSOConfig
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		cfg, _, err = loadSSO(ctx, c, a.OrgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return withoutSecret(cfg), nil
}

// SetSSOSettings replaces the organisation's single sign-on settings.
// Needs PermManageOrg. Local login may be switched off only while single
// sign-on is on and discovery of its issuer has worked (TestSSO), so
// owners cannot lock themselves out with a typo; switching it off ends the
// organisation's password sessions there. Returns EINVALID naming each bad
// field.
func (app *App) SetSSOSettings(ctx context.Context, in SSOInput) (*caio.SSOConfig, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	var out *caio.SSOConfig
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		before, tested, err := loadSSO(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		cfg := &caio.SSOConfig{OrgID: a.OrgID, Enabled: in.Enabled, Issuer: in.Issuer, ClientID: in.ClientID, ClientSecret: before.ClientSecret,
			Scopes: in.Scopes, GroupsClaim: in.GroupsClaim, GroupRoles: in.GroupRoles, DefaultRole: in.DefaultRole, JIT: in.JIT,
			Domains: in.Domains, LocalLogin: in.LocalLogin, TestedAt: before.TestedAt}
		if cfg.GroupRoles == nil {
			cfg.GroupRoles = []caio.GroupRole{}
		}
		if in.ClientSecret != nil {
			cfg.ClientSecret = strings.TrimSpace(*in.ClientSecret)
		}
		var v caio.Validation
		domains, derr := caio.ParseDomains(strings.Join(in.Domains, " "))
		if derr != nil {
			for _, p := range caio.ErrorFields(derr) {
				v.Add(p.Field, p.Message)
			}
		}
		cfg.Domains = domains
		if err := cfg.Normalize(); err != nil {
			for _, p := range caio.ErrorFields(err) {
				v.Add(p.Field, p.Message)
			}
		}
		if cfg.Issuer != tested || cfg.ClientID != before.ClientID {
			cfg.TestedAt = nil // a new provider must be tested again
		}
		if !cfg.LocalLogin && cfg.Enabled && cfg.TestedAt == nil {
			v.Add("local_login", "can be switched off only after “Test discovery” has worked for this issuer: save with local login on, test, then switch it off")
		}
		if err := v.Err(); err != nil {
			return err
		}
		// The provider vouches for anyone's email, owners' included, and
		// owner lines make owners: whoever chooses them chooses the owners,
		// which only owners may (PermManageOwners). Admins keep the rest.
		if !a.System && !caio.Can(a.Role, caio.PermManageOwners) && vouchingChanged(before, cfg) {
			return caio.Errorf(caio.EFORBIDDEN, "Only an owner may change the provider (issuer, client ID, client secret, groups claim) or the lines that map a group to owner: the provider decides who signs in, owners included.")
		}
		if err := c.PutSSOConfig(ctx, cfg, tested, a.Label()); err != nil {
			return err
		}
		if !cfg.LocalLogin && before.LocalLogin {
			if err := c.DropPasswordSessions(ctx, a.OrgID); err != nil {
				return err
			}
		}
		out = withoutSecret(cfg)
		after := ssoAudit(cfg)
		if before.ClientSecret != "" && cfg.ClientSecret != "" && before.ClientSecret != cfg.ClientSecret {
			after["client_secret"] = "replaced"
		}
		return record(ctx, c, a, "sso.update", "organization", a.OrgID, caio.Diff(ssoAudit(before), after))
	})
	return out, err
}

// vouchingChanged reports whether the change touches what decides who can
// come in as whom: the provider, its secret, the groups claim, or a line
// that maps a group to owner.
func vouchingChanged(before, after *caio.SSOConfig) bool {
	owners := func(c *caio.SSOConfig) string {
		var b strings.Builder
		for _, g := range c.GroupRoles {
			if g.Role == caio.RoleOwner {
				b.WriteString(g.Group + "\n")
			}
		}
		return b.String()
	}
	return before.Issuer != after.Issuer || before.ClientID != after.ClientID || before.ClientSecret != after.ClientSecret ||
		before.GroupsClaim != after.GroupsClaim || owners(before) != owners(after)
}

// ssoAudit is what the audit trail keeps of a configuration: everything
// but the secret, of which only whether it is set (SetSSOSettings notes a
// replaced one). No digest of it: a weak secret could be guessed from one.
func ssoAudit(c *caio.SSOConfig) map[string]any {
	secret := "not set"
	if c.ClientSecret != "" {
		secret = "set"
	}
	return map[string]any{"enabled": c.Enabled, "issuer": c.Issuer, "client_id": c.ClientID, "client_secret": secret,
		"scopes": strings.Join(c.Scopes, " "), "groups_claim": c.GroupsClaim, "group_roles": caio.FormatGroupRoles(c.GroupRoles),
		"default_role": c.DefaultRole, "jit": c.JIT, "allowed_domains": strings.Join(c.Domains, " "), "local_login": c.LocalLogin}
}

// TestSSO fetches the discovery document of the saved issuer and records
// that it worked. Needs PermManageOrg. Returns EINVALID when no issuer is
// saved and EUNAVAILABLE, with the reason, when discovery fails.
func (app *App) TestSSO(ctx context.Context) (*caio.SSOConfig, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	var cfg *caio.SSOConfig
	if err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		cfg, _, err = loadSSO(ctx, c, a.OrgID)
		return err
	}); err != nil {
		return nil, err
	}
	if cfg.Issuer == "" {
		return nil, caio.FieldError("issuer", "is needed before discovery can be tested: save the provider's issuer URL first")
	}
	if _, err := sso.Discover(ctx, sso.HTTPClient(), cfg, ""); err != nil {
		return nil, err
	}
	var out *caio.SSOConfig
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		cur, _, err := loadSSO(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		if cur.Issuer != cfg.Issuer {
			return caio.Errorf(caio.ECONFLICT, "The issuer changed while it was tested: test again.")
		}
		now := c.Now()
		cur.TestedAt = &now
		if err := c.PutSSOConfig(ctx, cur, cur.Issuer, a.Label()); err != nil {
			return err
		}
		out = withoutSecret(cur)
		return record(ctx, c, a, "sso.test", "organization", a.OrgID, caio.Diff(nil, map[string]any{"issuer": cur.Issuer, "discovery": "worked"}))
	})
	return out, err
}

// SetLocalLogin switches local login on or off for the organisation
// without any other check: the break-glass of `caio sso set --local-login`
// for owners locked out by a broken provider. Needs a system actor.
func (app *App) SetLocalLogin(ctx context.Context, on bool) (*caio.SSOConfig, error) {
	if err := requireSystem(ctx); err != nil {
		return nil, err
	}
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	var out *caio.SSOConfig
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		cfg, tested, err := loadSSO(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		if !on && !cfg.Enabled {
			return caio.FieldError("local_login", "can be switched off only while single sign-on is on, or nobody could sign in")
		}
		before := cfg.LocalLogin
		cfg.LocalLogin = on
		if err := c.PutSSOConfig(ctx, cfg, tested, a.Label()); err != nil {
			return err
		}
		if !on && before {
			if err := c.DropPasswordSessions(ctx, a.OrgID); err != nil {
				return err
			}
		}
		out = withoutSecret(cfg)
		return record(ctx, c, a, "sso.local_login", "organization", a.OrgID, caio.Diff(map[string]any{"local_login": before}, map[string]any{"local_login": on}))
	})
	return out, err
}

// SSOOrgFor finds the organisation a person means on the sign-in page: its
// slug, or an email whose domain one organisation's single sign-on
// accepts. Anyone may ask. Returns ENOTFOUND when nothing matches and
// ECONFLICT when several organisations accept the domain.
func (app *App) SSOOrgFor(ctx context.Context, text string) (string, error) {
	text = strings.ToLower(strings.TrimSpace(text))
	if text == "" {
		return "", caio.FieldError("org", "is required: type your organisation's short name or your work email")
	}
	var slug string
	err := app.DB.Read(ctx, func(c *sqldb.Conn) error {
		if !strings.Contains(text, "@") {
			if !caio.ValidSlug(text) {
				return caio.FieldError("org", "must be an organisation's short name (such as acme) or an email address")
			}
			o, err := c.OrgBySlug(ctx, text)
			if err == nil {
				cfg, _, err := loadSSO(ctx, c, o.ID)
				if err != nil {
					return err
				}
				if cfg.Enabled {
					slug = o.Slug
					return nil
				}
			} else if caio.ErrorCode(err) != caio.ENOTFOUND {
				return err
			}
			return caio.FieldError("org", "names no organisation with single sign-on: check the short name with your admin, or sign in with your password")
		}
		slugs, err := c.SSOOrgsForDomain(ctx, caio.EmailDomain(text), 2)
		if err != nil {
			return err
		}
		switch len(slugs) {
		case 0:
			return caio.FieldError("org", "has a domain no organisation's single sign-on accepts: type the organisation's short name instead")
		case 1:
			slug = slugs[0]
			return nil
		}
		return caio.FieldError("org", "has a domain that several organisations accept: type the organisation's short name instead")
	})
	return slug, err
}

// SSOStart is where to send the browser to sign in, and the secret of the
// cookie that ties the sign-in to this browser.
type SSOStart struct {
	AuthURL string
	Browser string
}

// StartSSO begins a sign-in at the organisation's provider: it discovers
// the provider, makes the state, nonce and PKCE verifier, and keeps them
// for ten minutes. redirectURI is caio's callback as the browser reaches
// it; next is where to go afterwards (a local path). Anyone may start.
// Returns ENOTFOUND when the organisation has no single sign-on and
// EUNAVAILABLE when its provider cannot be reached.
func (app *App) StartSSO(ctx context.Context, slug, redirectURI, next string) (*SSOStart, error) {
	var cfg *caio.SSOConfig
	err := app.DB.Read(ctx, func(c *sqldb.Conn) error {
		o, err := c.OrgBySlug(ctx, slug)
		if err != nil {
			return caio.Errorf(caio.ENOTFOUND, "No organisation with single sign-on has the short name %q.", slug)
		}
		if cfg, _, err = loadSSO(ctx, c, o.ID); err != nil {
			return err
		}
		if !cfg.Enabled {
			return caio.Errorf(caio.ENOTFOUND, "No organisation with single sign-on has the short name %q.", slug)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p, err := sso.Discover(ctx, sso.HTTPClient(), cfg, redirectURI)
	if err != nil {
		return nil, err
	}
	state, stateHash := NewSecret("")
	nonce, _ := NewSecret("")
	browser, browserHash := NewSecret("")
	verifier := oauth2.GenerateVerifier()
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		return c.CreateSSOAttempt(ctx, &sqldb.SSOAttempt{StateHash: stateHash, OrgID: cfg.OrgID, BrowserHash: browserHash, Nonce: nonce,
			Verifier: verifier, RedirectURI: redirectURI, Next: next, ExpiresAt: c.Now().Add(SSOAttemptTTL)})
	})
	if err != nil {
		return nil, err
	}
	return &SSOStart{AuthURL: p.AuthCodeURL(state, nonce, verifier), Browser: browser}, nil
}

// SSOCallback is what the provider sent back through the browser.
type SSOCallback struct {
	State            string
	Code             string
	Error            string
	ErrorDescription string
	// Browser is the secret of the cookie StartSSO set.
	Browser string
}

// SSOResult is a finished sign-in: the session's cookie secret, the
// organisation and where to go.
type SSOResult struct {
	Session string
	OrgSlug string
	Next    string
}

// FinishSSO completes a sign-in: the state must be one StartSSO made in
// this browser, unused and unexpired; the code is redeemed with the PKCE
// verifier; the ID token is verified (signature, issuer, audience, expiry,
// nonce). The person needs an email (verified, when the provider says),
// in an allowed domain. Their groups give their role (the most powerful
// match; owner only through a mapping); a new person becomes a member when
// JIT is on; an existing member's role follows their groups on every
// sign-in (the last owner stays owner). Everything is audited, and a
// session bound to the organisation starts. Errors are EUNAUTHORIZED or
// EFORBIDDEN with a message saying what to do, EUNAVAILABLE when the
// provider cannot be reached.
func (app *App) FinishSSO(ctx context.Context, in SSOCallback) (*SSOResult, error) {
	if in.State == "" {
		return nil, caio.Errorf(caio.EUNAUTHORIZED, "The identity provider sent the browser back without the sign-in's state. Start again from the sign-in page.")
	}
	var at *sqldb.SSOAttempt
	err := app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		at, err = c.TakeSSOAttempt(ctx, HashSecret(in.State))
		return err
	})
	if caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, caio.Errorf(caio.EUNAUTHORIZED, "This sign-in has expired or was already used. Start again from the sign-in page.")
	} else if err != nil {
		return nil, err
	}
	if in.Browser == "" || HashSecret(in.Browser) != at.BrowserHash {
		return nil, caio.Errorf(caio.EUNAUTHORIZED, "This sign-in was started in another browser, or its cookie was lost. Start again from the sign-in page.")
	}
	if in.Error != "" {
		msg := cutText(in.Error, 80)
		if in.ErrorDescription != "" {
			msg += ": " + cutText(in.ErrorDescription, 200)
		}
		return nil, caio.Errorf(caio.EUNAUTHORIZED, "The identity provider did not sign you in (%s).", msg)
	}
	if in.Code == "" {
		return nil, caio.Errorf(caio.EUNAUTHORIZED, "The identity provider sent the browser back without a code. Start again from the sign-in page.")
	}
	var cfg *caio.SSOConfig
	var org *caio.Organization
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if org, err = c.OrgByID(ctx, at.OrgID); err != nil {
			return err
		}
		cfg, _, err = loadSSO(ctx, c, at.OrgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	if !cfg.Enabled {
		return nil, caio.Errorf(caio.EFORBIDDEN, "Single sign-on was switched off for %s while you were signing in.", org.Name)
	}
	p, err := sso.Discover(ctx, sso.HTTPClient(), cfg, at.RedirectURI)
	if err != nil {
		return nil, err
	}
	id, err := p.Exchange(ctx, in.Code, at.Verifier, at.Nonce, cfg.GroupsClaim, nil)
	if err != nil {
		return nil, err
	}
	if id.Email == "" || !strings.Contains(id.Email, "@") {
		return nil, caio.Errorf(caio.EFORBIDDEN, "The identity provider did not send your email address: ask your admin to release the email claim (scope email) to caio.")
	}
	if id.EmailVerified != nil && !*id.EmailVerified {
		return nil, caio.Errorf(caio.EFORBIDDEN, "The identity provider says your email address %s is not verified. Verify it there, then sign in again.", id.Email)
	}
	if len(cfg.Domains) > 0 && !slices.Contains(cfg.Domains, caio.EmailDomain(id.Email)) {
		return nil, caio.Errorf(caio.EFORBIDDEN, "%s accepts single sign-on only for email addresses at %s, not %s.", org.Name, strings.Join(cfg.Domains, ", "), id.Email)
	}
	mapped, matched := caio.RoleForGroups(cfg.GroupRoles, id.Groups)
	var userID string
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		u, _, err := c.UserByEmail(ctx, id.Email)
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			if !cfg.JIT {
				return caio.Errorf(caio.EFORBIDDEN, "You (%s) are not a member of %s, and it does not add members at their first sign-in: ask one of its admins to add you.", id.Email, org.Name)
			}
			name := strings.TrimSpace(id.Name)
			if len(name) > 200 {
				name = name[:200]
			}
			u = &caio.User{ID: caio.NewID("usr"), Email: id.Email, Name: name}
			// No password: this person signs in through their provider.
			err = c.CreateUser(ctx, u, "")
		}
		if err != nil {
			return err
		}
		userID = u.ID
		actor := caio.Actor{UserID: u.ID, Email: u.Email, OrgID: org.ID, OrgSlug: org.Slug, Via: "sso"}
		m, err := c.Membership(ctx, org.ID, u.ID)
		switch {
		case caio.ErrorCode(err) == caio.ENOTFOUND:
			role := mapped
			if !matched {
				role = cfg.DefaultRole
			}
			if !cfg.JIT {
				return caio.Errorf(caio.EFORBIDDEN, "You (%s) are not a member of %s, and it does not add members at their first sign-in: ask one of its admins to add you.", id.Email, org.Name)
			}
			if role == "" {
				return noMappedGroup(org, id.Email)
			}
			if err := c.PutMembership(ctx, org.ID, u.ID, role); err != nil {
				return err
			}
			actor.Role = role
			if err := record(ctx, c, actor, "member.add", "user", u.ID, caio.Diff(nil, map[string]any{"email": u.Email, "role": role, "via": "sso_jit"})); err != nil {
				return err
			}
		case err != nil:
			return err
		default:
			actor.Role = m.Role
			if !matched && cfg.DefaultRole == "" {
				return noMappedGroup(org, id.Email)
			}
			// Groups decide the role of existing members too, so removing
			// someone from a group at the provider takes effect at their
			// next sign-in. With no group matching, the default role is for
			// new members only and an existing member keeps theirs.
			if matched && mapped != m.Role {
				keep := false
				if m.Role == caio.RoleOwner {
					n, err := c.CountOwners(ctx, org.ID)
					if err != nil {
						return err
					}
					// An organisation keeps at least one owner; and only an
					// owner line, which only owners may set, takes the owner
					// role away: admins may edit the other lines.
					keep = n <= 1 || !slices.ContainsFunc(cfg.GroupRoles, func(g caio.GroupRole) bool { return g.Role == caio.RoleOwner })
				}
				if !keep {
					if err := c.PutMembership(ctx, org.ID, u.ID, mapped); err != nil {
						return err
					}
					actor.Role = mapped
					if err := record(ctx, c, actor, "member.role", "user", u.ID, caio.Diff(map[string]any{"role": m.Role}, map[string]any{"role": mapped, "via": "sso_groups"})); err != nil {
						return err
					}
				}
			}
		}
		return record(ctx, c, actor, "sso.login", "user", u.ID, caio.Diff(nil, map[string]any{"email": u.Email, "subject": cutText(id.Subject, 200), "role": actor.Role, "groups": len(id.Groups)}))
	})
	if err != nil {
		return nil, err
	}
	secret, err := app.startSSOSession(ctx, userID, org.ID)
	if err != nil {
		return nil, err
	}
	return &SSOResult{Session: secret, OrgSlug: org.Slug, Next: at.Next}, nil
}

func noMappedGroup(org *caio.Organization, email string) error {
	return caio.Errorf(caio.EFORBIDDEN, "You (%s) are in none of the groups that %s gives a role, so caio cannot let you in: ask your admin to add you to one of them at the identity provider.", email, org.Name)
}

func cutText(s string, n int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "")
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
