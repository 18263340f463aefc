package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func TestLogin(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		owner := f.members[caio.RoleOwner]

		secret, err := f.app.Login(ctx, "  OWNER@acme.test ", password, "192.0.2.1")
		if err != nil {
			t.Fatalf("Login: %v", err)
		}
		if !strings.HasPrefix(secret, "s_") {
			t.Errorf("session secret %q, want the s_ prefix", secret)
		}
		a, err := f.app.SessionActor(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		want := caio.Actor{UserID: owner.UserID, Email: owner.Email, OrgID: f.org.ID, OrgSlug: "acme", Role: caio.RoleOwner, Via: "session"}
		if a != want {
			t.Errorf("SessionActor = %+v, want %+v", a, want)
		}

		_, err = f.app.Login(ctx, owner.Email, "wrong password!", "192.0.2.1")
		wantCode(t, err, caio.EUNAUTHORIZED)
		_, err2 := f.app.Login(ctx, "nobody@acme.test", password, "192.0.2.1")
		wantCode(t, err2, caio.EUNAUTHORIZED)
		if caio.ErrorMessage(err) != caio.ErrorMessage(err2) {
			t.Errorf("a wrong password (%q) and an unknown email (%q) read differently", caio.ErrorMessage(err), caio.ErrorMessage(err2))
		}

		// The stored password is an argon2id hash, not the password.
		err = db.Read(ctx, func(c *sqldb.Conn) error {
			_, hash, err := c.UserByEmail(ctx, owner.Email)
			if err == nil && (!strings.HasPrefix(hash, "$argon2id$") || strings.Contains(hash, password)) {
				t.Errorf("stored password hash %q, want an argon2id hash", hash)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}

		if err := f.app.Logout(ctx, secret); err != nil {
			t.Fatal(err)
		}
		_, err = f.app.SessionActor(ctx, secret)
		wantCode(t, err, caio.EUNAUTHORIZED)
		_, err = f.app.SessionActor(ctx, "s_made-up")
		wantCode(t, err, caio.EUNAUTHORIZED)
	})
}

func TestLoginRateLimit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		email := f.members[caio.RoleEditor].Email
		for i := range 10 {
			_, err := f.app.Login(ctx, email, "wrong password "+string(rune('a'+i)), "198.51.100.7")
			wantCode(t, err, caio.EUNAUTHORIZED)
		}
		// The eleventh try is refused before the password is even checked.
		_, err := f.app.Login(ctx, email, password, "198.51.100.7")
		wantCode(t, err, caio.ETOOMANY)
		// The email is limited from any address, and the address for any email.
		_, err = f.app.Login(ctx, email, password, "203.0.113.9")
		wantCode(t, err, caio.ETOOMANY)
		_, err = f.app.Login(ctx, f.members[caio.RoleViewer].Email, password, "198.51.100.7")
		wantCode(t, err, caio.ETOOMANY)
		// Others are not affected.
		if _, err := f.app.Login(ctx, f.members[caio.RoleViewer].Email, password, "203.0.113.9"); err != nil {
			t.Errorf("another user from another address: %v", err)
		}
	})
}

func TestRateLimiterWindow(t *testing.T) {
	l := app.NewRateLimiter(3, 60)
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	for i := range 3 {
		if ok, _ := l.Allowed("k", now); !ok {
			t.Fatalf("refused after %d failures", i)
		}
		l.Fail("k", now.Add(time.Duration(i)*time.Second))
	}
	ok, wait := l.Allowed("k", now.Add(10*time.Second))
	if ok || wait != 50*time.Second {
		t.Errorf("after 3 failures: allowed %v, wait %v; want refused for 50s", ok, wait)
	}
	if ok, _ := l.Allowed("k", now.Add(60*time.Second)); !ok {
		t.Error("still refused once the first failure left the window")
	}
	if ok, _ := l.Allowed("other", now); !ok {
		t.Error("another key is refused")
	}
	l.Reset("k")
	if ok, _ := l.Allowed("k", now.Add(10*time.Second)); !ok {
		t.Error("refused after Reset")
	}
}

func TestPasswordHash(t *testing.T) {
	h := app.HashPassword(password)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash %q, want the argon2id PHC format with OWASP parameters", h)
	}
	if h2 := app.HashPassword(password); h2 == h {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	if !app.CheckPassword(h, password) {
		t.Error("CheckPassword refuses the right password")
	}
	for _, tc := range []struct{ hash, pw string }{
		{h, password + " "},
		{h, ""},
		{"", password},
		{"$2a$10$abcdefghijklmnopqrstuv", password},                // bcrypt
		{strings.Replace(h, "argon2id", "argon2i", 1), password},   // another variant
		{strings.Replace(h, "m=19456", "m=99999999", 1), password}, // absurd cost
		{strings.Replace(h, "p=1", "p=0", 1), password},
		{h[:strings.LastIndex(h, "$")] + "$", password}, // no key
		{h[:strings.LastIndex(h, "$")] + "$!!!", password},
	} {
		if app.CheckPassword(tc.hash, tc.pw) {
			t.Errorf("CheckPassword(%q, %q) = true", tc.hash, tc.pw)
		}
	}
	s1, h1 := app.NewSecret("caio_")
	s2, _ := app.NewSecret("caio_")
	if !strings.HasPrefix(s1, "caio_") || s1 == s2 || h1 != app.HashSecret(s1) || len(h1) != 64 {
		t.Errorf("NewSecret = %q, %q", s1, h1)
	}
}

func TestTokens(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		editor := f.members[caio.RoleEditor]
		tok, secret, err := f.app.CreateToken(f.as(caio.RoleEditor), "  ci pipeline ")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, "caio_") || tok.Prefix != secret[:9] || tok.Name != "ci pipeline" || tok.UserID != editor.UserID || tok.OrgID != f.org.ID {
			t.Errorf("CreateToken = %+v, %q", tok, secret)
		}
		a, err := f.app.TokenActor(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		if a.UserID != editor.UserID || a.OrgID != f.org.ID || a.Role != caio.RoleEditor || a.Via != "token" {
			t.Errorf("TokenActor = %+v", a)
		}
		_, err = f.app.TokenActor(ctx, "caio_made-up")
		wantCode(t, err, caio.EUNAUTHORIZED)

		ts, total, err := f.app.FindTokens(f.as(caio.RoleEditor), caio.Page{})
		if err != nil || total != 1 || len(ts) != 1 || ts[0].ID != tok.ID || ts[0].LastUsedAt == nil {
			t.Errorf("FindTokens = %+v, %d, %v; want the token, marked used", ts, total, err)
		}
		if _, total, _ := f.app.FindTokens(f.as(caio.RoleViewer), caio.Page{}); total != 0 {
			t.Errorf("another member sees %d tokens", total)
		}

		// Another member cannot revoke it, or even see that it exists.
		wantCode(t, f.app.RevokeToken(f.as(caio.RoleViewer), tok.ID), caio.ENOTFOUND)
		wantCode(t, f.app.RevokeToken(f.as(caio.RoleEditor), "tok_nonsense"), caio.ENOTFOUND)
		wantCode(t, f.app.RevokeToken(f.as(caio.RoleEditor), caio.NewID("tok")), caio.ENOTFOUND)
		// An admin may revoke anyone's.
		if err := f.app.RevokeToken(f.as(caio.RoleAdmin), tok.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.app.TokenActor(ctx, secret)
		wantCode(t, err, caio.EUNAUTHORIZED)

		// A token dies with its holder's membership.
		_, secret, err = f.app.CreateToken(f.as(caio.RoleEditor), "second")
		if err != nil {
			t.Fatal(err)
		}
		if err := f.app.RemoveMember(f.sys, editor.UserID); err != nil {
			t.Fatal(err)
		}
		_, err = f.app.TokenActor(ctx, secret)
		wantCode(t, err, caio.EUNAUTHORIZED)

		// A system actor has no user to hold a token.
		_, _, err = f.app.CreateToken(f.sys, "cli")
		wantCode(t, err, caio.EINVALID)
	})
}

func TestSessionsAndOrganisations(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		owner := f.members[caio.RoleOwner]
		asOwner := f.as(caio.RoleOwner)

		// The owner starts a second organisation and becomes its owner.
		beta, err := f.app.CreateOrg(asOwner, app.SignupInput{OrgName: "Beta Bank"})
		if err != nil || beta.Slug != "beta-bank" {
			t.Fatalf("CreateOrg = %+v, %v", beta, err)
		}
		_, err = f.app.CreateOrg(asOwner, app.SignupInput{OrgName: "Beta Bank"})
		if caio.ErrorCode(err) != caio.EINVALID || caio.ErrorFields(err)[0].Field != "org_slug" {
			t.Errorf("a taken slug = %v, want invalid org_slug", err)
		}
		_, err = f.app.CreateOrg(context.Background(), app.SignupInput{OrgName: "Nobody's"})
		wantCode(t, err, caio.EUNAUTHORIZED)
		ms, err := f.app.MyMemberships(asOwner)
		if err != nil || len(ms) != 2 {
			t.Fatalf("MyMemberships = %v, %v", ms, err)
		}

		secret, err := f.app.Login(ctx, owner.Email, password, "192.0.2.2")
		if err != nil {
			t.Fatal(err)
		}
		a, _ := f.app.SessionActor(ctx, secret)
		if err := f.app.SwitchOrg(caio.WithActor(ctx, a), secret, "beta-bank"); err != nil {
			t.Fatal(err)
		}
		a, err = f.app.SessionActor(ctx, secret)
		if err != nil || a.OrgID != beta.ID || a.Role != caio.RoleOwner {
			t.Errorf("after switching: %+v, %v", a, err)
		}
		o, err := f.app.CurrentOrg(caio.WithActor(ctx, a))
		if err != nil || o.ID != beta.ID {
			t.Errorf("CurrentOrg = %+v, %v", o, err)
		}

		// A member cannot switch into an organisation they do not belong to.
		vsecret, err := f.app.Login(ctx, f.members[caio.RoleViewer].Email, password, "192.0.2.2")
		if err != nil {
			t.Fatal(err)
		}
		va, _ := f.app.SessionActor(ctx, vsecret)
		wantCode(t, f.app.SwitchOrg(caio.WithActor(ctx, va), vsecret, "beta-bank"), caio.ENOTFOUND)
		wantCode(t, f.app.SwitchOrg(caio.WithActor(ctx, va), vsecret, "no-such-org"), caio.ENOTFOUND)

		// Removed from the organisation, the session stays but has no organisation.
		if err := f.app.RemoveMember(f.sys, va.UserID); err != nil {
			t.Fatal(err)
		}
		va, err = f.app.SessionActor(ctx, vsecret)
		if err != nil || va.OrgID != "" || va.Role != "" {
			t.Fatalf("session of a removed member = %+v, %v; want no organisation", va, err)
		}
		_, _, err = f.app.FindObjectives(caio.WithActor(ctx, va), caio.ObjectiveFilter{})
		wantCode(t, err, caio.EFORBIDDEN)
	})
}

func TestFirstRunSetup(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		a := app.New(db, nil)
		if need, err := a.NeedsSetup(ctx); err != nil || !need {
			t.Fatalf("NeedsSetup on an empty database = %v, %v", need, err)
		}
		secret, err := a.CreateSetupToken(ctx)
		if err != nil {
			t.Fatal(err)
		}
		spare, _ := a.CreateSetupToken(ctx)
		if !a.ValidSetupToken(ctx, secret) || a.ValidSetupToken(ctx, "setup_made-up") {
			t.Fatal("ValidSetupToken: want the new secret valid and a made-up one not")
		}

		in := app.SignupInput{OrgName: "Acme Bank", Email: "Ada@Example.com", Name: "Ada", Password: password}
		bad := in
		bad.Password = "short"
		_, err = a.CompleteSetup(ctx, secret, bad)
		wantCode(t, err, caio.EINVALID)
		if !a.ValidSetupToken(ctx, secret) {
			t.Fatal("an invalid form used up the setup link")
		}
		_, err = a.CompleteSetup(ctx, "setup_made-up", in)
		wantCode(t, err, caio.ENOTFOUND)

		session, err := a.CompleteSetup(ctx, secret, in)
		if err != nil {
			t.Fatal(err)
		}
		actor, err := a.SessionActor(ctx, session)
		if err != nil || actor.Email != "ada@example.com" || actor.OrgSlug != "acme-bank" || actor.Role != caio.RoleOwner {
			t.Fatalf("the first owner = %+v, %v", actor, err)
		}
		if need, _ := a.NeedsSetup(ctx); need {
			t.Error("NeedsSetup after setup")
		}
		if a.ValidSetupToken(ctx, secret) {
			t.Error("the setup link works twice")
		}
		in.OrgName, in.Email = "Second", "eve@example.com"
		_, err = a.CompleteSetup(ctx, spare, in)
		wantCode(t, err, caio.ECONFLICT)

		v, err := a.VerifyAudit(caio.WithActor(ctx, actor))
		if err != nil || !v.Intact || v.Events != 2 {
			t.Errorf("audit after setup = %+v, %v; want 2 intact events", v, err)
		}
	})
}

// A session unused past its lifetime signs nobody in, and the hourly purge
// removes it while leaving live sessions alone.
func TestPurgeExpiredSessions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		f := newFixture(t, db)
		old, err := f.app.Login(ctx, f.members[caio.RoleOwner].Email, password, "192.0.2.3")
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		db.Now = func() time.Time { return start.Add(app.SessionTTL + time.Minute) }
		defer func() { db.Now = time.Now }()
		fresh, err := f.app.Login(ctx, f.members[caio.RoleViewer].Email, password, "192.0.2.3")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.SessionActor(ctx, old); caio.ErrorCode(err) != caio.EUNAUTHORIZED {
			t.Fatalf("expired session: %v, want unauthorized", err)
		}
		n, err := f.app.PurgeExpiredSessions(ctx)
		if err != nil || n != 1 {
			t.Fatalf("purge removed %d, %v; want 1", n, err)
		}
		if _, err := f.app.SessionActor(ctx, fresh); err != nil {
			t.Fatalf("live session after purge: %v", err)
		}
	})
}
