package sqldb_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The store contract suite. Every test runs on SQLite and, when
// CAIO_TEST_POSTGRES_URL is set, on PostgreSQL (see package sqldbtest).

func TestMigrate(t *testing.T) {
	sqldbtest.EachWith(t, sqldbtest.Options{NoMigrate: true}, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		if err := db.CheckSchema(ctx); err == nil {
			t.Fatal("CheckSchema passed on an empty database")
		}
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(applied) == 0 || !strings.HasPrefix(applied[0], "0001_") {
			t.Fatalf("first Migrate applied %v, want 0001_... first", applied)
		}
		again, err := db.Migrate(ctx)
		if err != nil {
			t.Fatalf("second Migrate: %v", err)
		}
		if len(again) != 0 {
			t.Fatalf("second Migrate applied %v, want nothing", again)
		}
		if err := db.CheckSchema(ctx); err != nil {
			t.Fatalf("CheckSchema after Migrate: %v", err)
		}
		a, k, err := db.SchemaVersion(ctx)
		if err != nil || a != k || k < 1 {
			t.Fatalf("SchemaVersion = %d, %d, %v; want applied == known >= 1", a, k, err)
		}
		if err := db.Ping(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWriteRollsBackOnError(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		boom := errors.New("boom")
		err := db.Write(ctx, func(c *sqldb.Conn) error {
			if err := c.CreateOrg(ctx, &caio.Organization{ID: caio.NewID("org"), Slug: "gone", Name: "Gone"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Write = %v, want the error of fn", err)
		}
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.OrgBySlug(ctx, "gone")
			wantCode(t, err, caio.ENOTFOUND)
			return nil
		})
	})
}

func TestOrgs(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		clk := useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme Bank")
		if !acme.CreatedAt.Equal(t0) || !acme.UpdatedAt.Equal(t0) {
			t.Fatalf("created %v/%v, want the transaction time %v", acme.CreatedAt, acme.UpdatedAt, t0)
		}
		err := db.Write(ctx, func(c *sqldb.Conn) error {
			return c.CreateOrg(ctx, &caio.Organization{ID: caio.NewID("org"), Slug: "acme", Name: "Another"})
		})
		wantCode(t, err, caio.ECONFLICT)
		// The same ID twice is a conflict too.
		err = db.Write(ctx, func(c *sqldb.Conn) error {
			return c.CreateOrg(ctx, &caio.Organization{ID: acme.ID, Slug: "other", Name: "Other"})
		})
		wantCode(t, err, caio.ECONFLICT)

		seedOrg(t, db, "zulu", "Zulu")
		seedOrg(t, db, "beta", "Beta")

		later := clk.Advance(time.Hour)
		mustWrite(t, db, func(c *sqldb.Conn) error {
			acme.Name = "Acme Bank plc"
			return c.UpdateOrg(ctx, acme)
		})
		mustRead(t, db, func(c *sqldb.Conn) error {
			got, err := c.OrgBySlug(ctx, "ACME")
			if err != nil {
				return err
			}
			if got.ID != acme.ID || got.Name != "Acme Bank plc" || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(later) {
				t.Errorf("OrgBySlug = %+v, want renamed acme updated at %v", got, later)
			}
			if got, err := c.OrgByID(ctx, acme.ID); err != nil || got.Slug != "acme" {
				t.Errorf("OrgByID = %+v, %v", got, err)
			}
			_, err = c.OrgByID(ctx, caio.NewID("org"))
			wantCode(t, err, caio.ENOTFOUND)
			_, err = c.OrgBySlug(ctx, "nope")
			wantCode(t, err, caio.ENOTFOUND)

			orgs, err := c.Orgs(ctx)
			if err != nil {
				return err
			}
			var slugs []string
			for _, o := range orgs {
				slugs = append(slugs, o.Slug)
			}
			if want := []string{"acme", "beta", "zulu"}; !slices.Equal(slugs, want) {
				t.Errorf("Orgs = %v, want %v", slugs, want)
			}
			if n, err := c.CountOrgs(ctx); err != nil || n != 3 {
				t.Errorf("CountOrgs = %d, %v; want 3", n, err)
			}
			// A new organisation starts an empty audit chain.
			seq, hash, err := c.AuditChain(ctx, acme.ID, func(caio.AuditEvent) error { return nil })
			if err != nil || seq != 0 || hash != "" {
				t.Errorf("AuditChain of a new org = %d, %q, %v; want 0, \"\"", seq, hash, err)
			}
			return nil
		})
	})
}

func TestUsers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		useClock(db, t0)
		ada := seedUser(t, db, "ada@example.com")
		err := db.Write(ctx, func(c *sqldb.Conn) error {
			return c.CreateUser(ctx, &caio.User{ID: caio.NewID("usr"), Email: "ada@example.com"}, "x")
		})
		wantCode(t, err, caio.ECONFLICT)
		seedUser(t, db, "grace@example.com")
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.SetPassword(ctx, ada.ID, "new-hash") })
		mustRead(t, db, func(c *sqldb.Conn) error {
			u, hash, err := c.UserByEmail(ctx, "  ADA@Example.com ")
			if err != nil {
				return err
			}
			if u.ID != ada.ID || u.Name != ada.Name || hash != "new-hash" || !u.CreatedAt.Equal(t0) {
				t.Errorf("UserByEmail = %+v, %q", u, hash)
			}
			if u, err := c.UserByID(ctx, ada.ID); err != nil || u.Email != "ada@example.com" {
				t.Errorf("UserByID = %+v, %v", u, err)
			}
			_, _, err = c.UserByEmail(ctx, "nobody@example.com")
			wantCode(t, err, caio.ENOTFOUND)
			_, err = c.UserByID(ctx, caio.NewID("usr"))
			wantCode(t, err, caio.ENOTFOUND)
			if n, err := c.CountUsers(ctx); err != nil || n != 2 {
				t.Errorf("CountUsers = %d, %v; want 2", n, err)
			}
			return nil
		})
	})
}

func TestMemberships(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		zeta := seedOrg(t, db, "zeta", "Zeta Ltd")
		alpha := seedOrg(t, db, "alpha", "Alpha Ltd")
		ada := seedMember(t, db, zeta, "ada@example.com", caio.RoleViewer)

		// PutMembership replaces the role instead of adding a second row.
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.PutMembership(ctx, zeta.ID, ada.ID, caio.RoleEditor) })
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.PutMembership(ctx, alpha.ID, ada.ID, caio.RoleOwner) })
		mustRead(t, db, func(c *sqldb.Conn) error {
			m, err := c.Membership(ctx, zeta.ID, ada.ID)
			if err != nil {
				return err
			}
			if m.Role != caio.RoleEditor || m.OrgSlug != "zeta" || m.OrgName != "Zeta Ltd" || m.Email != "ada@example.com" || m.Name != ada.Name {
				t.Errorf("Membership = %+v", m)
			}
			ms, total, err := c.OrgMembers(ctx, zeta.ID, caio.Page{Limit: 10})
			if err != nil || total != 1 || len(ms) != 1 {
				t.Errorf("OrgMembers after upsert = %d rows, total %d, %v; want 1, 1", len(ms), total, err)
			}
			// A user's organisations come by name.
			ms, err = c.UserMemberships(ctx, ada.ID)
			if err != nil {
				return err
			}
			if len(ms) != 2 || ms[0].OrgSlug != "alpha" || ms[0].Role != caio.RoleOwner || ms[1].OrgSlug != "zeta" {
				t.Errorf("UserMemberships = %+v, want alpha (owner) then zeta", ms)
			}
			if ms, err := c.UserMemberships(ctx, caio.NewID("usr")); err != nil || ms == nil || len(ms) != 0 {
				t.Errorf("UserMemberships of a stranger = %v, %v; want an empty, non-nil list", ms, err)
			}
			if n, err := c.CountOwners(ctx, alpha.ID); err != nil || n != 1 {
				t.Errorf("CountOwners(alpha) = %d, %v; want 1", n, err)
			}
			if n, err := c.CountOwners(ctx, zeta.ID); err != nil || n != 0 {
				t.Errorf("CountOwners(zeta) = %d, %v; want 0", n, err)
			}
			return nil
		})

		// Paging by email, with the total on every page.
		for _, e := range []string{"e@example.com", "b@example.com", "d@example.com", "c@example.com", "f@example.com"} {
			seedMember(t, db, zeta, e, caio.RoleViewer)
		}
		want := []string{"ada@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com", "f@example.com"}
		for _, tc := range []struct {
			offset, limit int
			want          []string
		}{
			{0, 2, want[0:2]}, {2, 2, want[2:4]}, {4, 2, want[4:6]}, {5, 10, want[5:]}, {6, 2, nil}, {100, 2, nil},
		} {
			mustRead(t, db, func(c *sqldb.Conn) error {
				ms, total, err := c.OrgMembers(ctx, zeta.ID, caio.Page{Offset: tc.offset, Limit: tc.limit})
				if err != nil {
					return err
				}
				var got []string
				for _, m := range ms {
					got = append(got, m.Email)
				}
				if !slices.Equal(got, tc.want) || total != 6 {
					t.Errorf("OrgMembers(offset %d, limit %d) = %v, total %d; want %v, total 6", tc.offset, tc.limit, got, total, tc.want)
				}
				return nil
			})
		}

		// Removing a member ends their tokens in that organisation only.
		mustWrite(t, db, func(c *sqldb.Conn) error {
			if err := c.CreateToken(ctx, &caio.APIToken{ID: caio.NewID("tok"), OrgID: zeta.ID, UserID: ada.ID, Name: "z", Prefix: "caio_zzzz"}, "hash-z"); err != nil {
				return err
			}
			return c.CreateToken(ctx, &caio.APIToken{ID: caio.NewID("tok"), OrgID: alpha.ID, UserID: ada.ID, Name: "a", Prefix: "caio_aaaa"}, "hash-a")
		})
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.DeleteMembership(ctx, zeta.ID, ada.ID) })
		err := db.Write(ctx, func(c *sqldb.Conn) error { return c.DeleteMembership(ctx, zeta.ID, ada.ID) })
		wantCode(t, err, caio.ENOTFOUND)
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.Membership(ctx, zeta.ID, ada.ID)
			wantCode(t, err, caio.ENOTFOUND)
			_, err = c.TokenPrincipal(ctx, "hash-z")
			wantCode(t, err, caio.ENOTFOUND)
			if p, err := c.TokenPrincipal(ctx, "hash-a"); err != nil || p.OrgID != alpha.ID {
				t.Errorf("token in the other organisation = %+v, %v; want it to live on", p, err)
			}
			return nil
		})
	})
}

func TestSessions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		clk := useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "other", "Other")
		ada := seedMember(t, db, acme, "ada@example.com", caio.RoleAdmin)

		mustWrite(t, db, func(c *sqldb.Conn) error {
			for _, s := range []*sqldb.Session{
				{ID: "in-org", UserID: ada.ID, OrgID: acme.ID, ExpiresAt: t0.Add(time.Hour)},
				{ID: "no-org", UserID: ada.ID, ExpiresAt: t0.Add(time.Hour)},
				{ID: "not-member", UserID: ada.ID, OrgID: other.ID, ExpiresAt: t0.Add(time.Hour)},
				{ID: "long", UserID: ada.ID, OrgID: acme.ID, ExpiresAt: t0.Add(48 * time.Hour)},
			} {
				if err := c.CreateSession(ctx, s); err != nil {
					return err
				}
				if !s.CreatedAt.Equal(t0) || !s.LastSeenAt.Equal(t0) {
					t.Errorf("CreateSession set times %v/%v, want %v", s.CreatedAt, s.LastSeenAt, t0)
				}
			}
			return nil
		})
		err := db.Write(ctx, func(c *sqldb.Conn) error {
			return c.CreateSession(ctx, &sqldb.Session{ID: "in-org", UserID: ada.ID, ExpiresAt: t0.Add(time.Hour)})
		})
		wantCode(t, err, caio.ECONFLICT)

		mustRead(t, db, func(c *sqldb.Conn) error {
			p, err := c.SessionPrincipal(ctx, "in-org")
			if err != nil {
				return err
			}
			if !p.Expires.Equal(t0.Add(time.Hour)) {
				t.Errorf("SessionPrincipal expires %v, want %v", p.Expires, t0.Add(time.Hour))
			}
			p.Expires = time.Time{}
			want := sqldb.Principal{UserID: ada.ID, Email: ada.Email, Name: ada.Name, OrgID: acme.ID, OrgSlug: "acme", OrgName: "Acme", Role: caio.RoleAdmin}
			if *p != want {
				t.Errorf("SessionPrincipal = %+v, want %+v", *p, want)
			}
			for _, id := range []string{"no-org", "not-member"} {
				p, err := c.SessionPrincipal(ctx, id)
				if err != nil || p.UserID != ada.ID || p.OrgID != "" || p.Role != "" {
					t.Errorf("SessionPrincipal(%s) = %+v, %v; want the user without an organisation", id, p, err)
				}
			}
			s, err := c.SessionByID(ctx, "not-member")
			if err != nil || s.OrgID != other.ID || !s.ExpiresAt.Equal(t0.Add(time.Hour)) {
				t.Errorf("SessionByID = %+v, %v", s, err)
			}
			_, err = c.SessionPrincipal(ctx, "unknown")
			wantCode(t, err, caio.ENOTFOUND)
			return nil
		})

		// Touch one session half-way, then step past the first expiry.
		touched := clk.Advance(30 * time.Minute)
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.TouchSession(ctx, "no-org", touched.Add(2*time.Hour)) })
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.SetSessionOrg(ctx, "not-member", acme.ID) })
		clk.Advance(30 * time.Minute) // exactly at the expiry: no longer valid
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.SessionPrincipal(ctx, "in-org")
			wantCode(t, err, caio.ENOTFOUND)
			_, err = c.SessionByID(ctx, "in-org")
			wantCode(t, err, caio.ENOTFOUND)
			_, err = c.SessionPrincipal(ctx, "not-member")
			wantCode(t, err, caio.ENOTFOUND)
			s, err := c.SessionByID(ctx, "no-org")
			if err != nil || !s.LastSeenAt.Equal(touched) || !s.ExpiresAt.Equal(touched.Add(2*time.Hour)) {
				t.Errorf("touched session = %+v, %v; want last seen %v", s, err, touched)
			}
			return nil
		})
		var n int64
		mustWrite(t, db, func(c *sqldb.Conn) (err error) {
			n, err = c.DeleteExpiredSessions(ctx)
			return err
		})
		if n != 2 {
			t.Errorf("DeleteExpiredSessions removed %d, want 2", n)
		}
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.DeleteSession(ctx, "long") })
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.SessionByID(ctx, "long")
			wantCode(t, err, caio.ENOTFOUND)
			if _, err := c.SessionByID(ctx, "no-org"); err != nil {
				t.Errorf("the touched session is gone: %v", err)
			}
			return nil
		})
	})
}

func TestTokens(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		clk := useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "other", "Other")
		ada := seedMember(t, db, acme, "ada@example.com", caio.RoleEditor)

		var ids []string // newest first
		for i := range 5 {
			clk.Advance(time.Second)
			tok := &caio.APIToken{ID: caio.NewID("tok"), OrgID: acme.ID, UserID: ada.ID, Name: fmt.Sprintf("t%d", i), Prefix: "caio_abcd"}
			mustWrite(t, db, func(c *sqldb.Conn) error { return c.CreateToken(ctx, tok, fmt.Sprintf("hash-%d", i)) })
			ids = append([]string{tok.ID}, ids...)
		}
		// A token in another organisation, where ada is not a member.
		stray := &caio.APIToken{ID: caio.NewID("tok"), OrgID: other.ID, UserID: ada.ID, Name: "stray", Prefix: "caio_abcd"}
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.CreateToken(ctx, stray, "hash-stray") })
		err := db.Write(ctx, func(c *sqldb.Conn) error {
			return c.CreateToken(ctx, &caio.APIToken{ID: caio.NewID("tok"), OrgID: acme.ID, UserID: ada.ID, Name: "dup", Prefix: "caio_abcd"}, "hash-0")
		})
		wantCode(t, err, caio.ECONFLICT)

		mustRead(t, db, func(c *sqldb.Conn) error {
			p, err := c.TokenPrincipal(ctx, "hash-2")
			if err != nil {
				return err
			}
			if p.UserID != ada.ID || p.Email != ada.Email || p.OrgID != acme.ID || p.OrgSlug != "acme" || p.OrgName != "Acme" || p.Role != caio.RoleEditor || p.TokenID != ids[2] || p.LastUsed != nil {
				t.Errorf("TokenPrincipal = %+v", p)
			}
			if p, err := c.TokenPrincipal(ctx, "hash-stray"); err != nil || p.Role != "" || p.OrgID != other.ID {
				t.Errorf("TokenPrincipal of a non-member = %+v, %v; want no role", p, err)
			}
			_, err = c.TokenPrincipal(ctx, "hash-unknown")
			wantCode(t, err, caio.ENOTFOUND)
			_, err = c.TokenByID(ctx, other.ID, ids[0])
			wantCode(t, err, caio.ENOTFOUND)
			return nil
		})

		used := clk.Advance(time.Minute)
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.TouchToken(ctx, ids[2]) })
		revoked := clk.Advance(time.Minute)
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.RevokeToken(ctx, ids[2]) })
		clk.Advance(time.Minute)
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.RevokeToken(ctx, ids[2]) }) // again: keeps the first time
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.TokenPrincipal(ctx, "hash-2")
			wantCode(t, err, caio.ENOTFOUND)
			_, err = c.TokenByHash(ctx, "hash-2")
			wantCode(t, err, caio.ENOTFOUND)
			tok, err := c.TokenByID(ctx, acme.ID, ids[2])
			if err != nil {
				return err
			}
			if tok.RevokedAt == nil || !tok.RevokedAt.Equal(revoked) || tok.LastUsedAt == nil || !tok.LastUsedAt.Equal(used) {
				t.Errorf("revoked token = %+v; want revoked at %v, last used %v", tok, revoked, used)
			}
			if tok, err := c.TokenByHash(ctx, "hash-1"); err != nil || tok.ID != ids[3] {
				t.Errorf("TokenByHash = %+v, %v", tok, err)
			}
			return nil
		})

		for _, tc := range []struct {
			offset, limit int
			want          []string
		}{
			{0, 2, ids[0:2]}, {2, 2, ids[2:4]}, {4, 2, ids[4:]}, {0, 50, ids}, {5, 2, nil}, {50, 2, nil},
		} {
			mustRead(t, db, func(c *sqldb.Conn) error {
				ts, total, err := c.Tokens(ctx, acme.ID, ada.ID, caio.Page{Offset: tc.offset, Limit: tc.limit})
				if err != nil {
					return err
				}
				var got []string
				for _, tok := range ts {
					got = append(got, tok.ID)
				}
				if !slices.Equal(got, tc.want) || total != 5 {
					t.Errorf("Tokens(offset %d, limit %d) = %v, total %d; want %v, total 5", tc.offset, tc.limit, got, total, tc.want)
				}
				return nil
			})
		}
	})
}

func TestSetupTokens(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		clk := useClock(db, t0)
		valid := func(hash string) bool {
			var ok bool
			mustRead(t, db, func(c *sqldb.Conn) (err error) {
				ok, err = c.ValidSetupToken(ctx, hash)
				return err
			})
			return ok
		}
		use := func(hash string) error {
			return db.Write(ctx, func(c *sqldb.Conn) error { return c.UseSetupToken(ctx, hash) })
		}
		mustWrite(t, db, func(c *sqldb.Conn) error {
			if err := c.CreateSetupToken(ctx, "once", t0.Add(time.Hour)); err != nil {
				return err
			}
			return c.CreateSetupToken(ctx, "late", t0.Add(time.Hour))
		})
		if !valid("once") || valid("unknown") {
			t.Fatal("ValidSetupToken: want once valid, unknown not")
		}
		if err := use("once"); err != nil {
			t.Fatalf("first use: %v", err)
		}
		wantCode(t, use("once"), caio.ENOTFOUND)
		if valid("once") {
			t.Error("a used setup token is still valid")
		}
		wantCode(t, use("unknown"), caio.ENOTFOUND)

		clk.Advance(time.Hour) // at the expiry: no longer valid
		if valid("late") {
			t.Error("an expired setup token is valid")
		}
		wantCode(t, use("late"), caio.ENOTFOUND)
	})
}

func TestObjectiveCreateAndGet(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "other", "Other")
		in := caio.Objective{Title: "Cut claims time", Description: "Faster claims.", KPI: "days to settle", Baseline: ptr(30.0), Target: ptr(7.5), Unit: "days", Horizon: "2027-12-31", Owner: "Ada"}
		o := seedObjective(t, db, acme.ID, in)
		if o.Version != 1 || !o.CreatedAt.Equal(t0) || !o.UpdatedAt.Equal(t0) {
			t.Fatalf("created %+v, want version 1 at %v", o, t0)
		}
		got := getObjective(t, db, acme.ID, o.ID)
		if !equalObjective(got, o) {
			t.Errorf("Objective = %+v, want %+v", got, o)
		}
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.Objective(ctx, other.ID, o.ID)
			wantCode(t, err, caio.ENOTFOUND)
			_, err = c.Objective(ctx, acme.ID, caio.NewID("obj"))
			wantCode(t, err, caio.ENOTFOUND)
			return nil
		})
		if os, total := findObjectives(t, db, other.ID, caio.ObjectiveFilter{}); len(os) != 0 || total != 0 {
			t.Errorf("the other organisation sees %d objectives (total %d)", len(os), total)
		}
		err := db.Write(ctx, func(c *sqldb.Conn) error {
			dup := *o
			return c.CreateObjective(ctx, &dup)
		})
		wantCode(t, err, caio.ECONFLICT)
	})
}

func TestObjectiveSearch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		acme := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "other", "Other")
		for _, o := range []caio.Objective{
			{Title: "Cut costs 50% by 2027"},
			{Title: "Cut costs 5000 euros"},
			{Title: "snake_case names"},
			{Title: "snakeXcase names"},
			{Title: `path\to\thing`},
			{Title: "pathXtoXthing"},
			{Title: "Revenue", KPI: "NPS Score"},
			{Title: "Other", Owner: "Grace Hopper"},
		} {
			seedObjective(t, db, acme.ID, o)
		}
		seedObjective(t, db, other.ID, caio.Objective{Title: "Cut costs 50% elsewhere"})
		for _, tc := range []struct {
			query string
			want  []string
		}{
			{"%", []string{"Cut costs 50% by 2027"}},
			{"50%", []string{"Cut costs 50% by 2027"}},
			{"_", []string{"snake_case names"}},
			{"e_c", []string{"snake_case names"}},
			{`\`, []string{`path\to\thing`}},
			{`h\t`, []string{`path\to\thing`}},
			{"CUT COSTS", []string{"Cut costs 5000 euros", "Cut costs 50% by 2027"}},
			{"nps score", []string{"Revenue"}},    // matches the KPI
			{"grace", []string{"Other"}},          // matches the owner
			{"nothing like it", nil},              // no match
			{"", nil /* all; checked below */},    // an empty query does not filter
			{"'; DROP TABLE objectives; --", nil}, // just text
			{"Ünïcode", nil},                      // no match, no error
			{"snake", []string{"snakeXcase names", "snake_case names"}},
		} {
			os, total := findObjectives(t, db, acme.ID, caio.ObjectiveFilter{Query: ptr(tc.query), Sort: "-title"})
			got := titles(os)
			if tc.query == "" {
				if total != 8 || len(got) != 8 {
					t.Errorf("empty query: %d rows, total %d; want all 8", len(got), total)
				}
				continue
			}
			if !slices.Equal(got, tc.want) || total != len(tc.want) {
				t.Errorf("query %q = %q (total %d), want %q", tc.query, got, total, tc.want)
			}
		}
		for _, tc := range []struct {
			owner string
			want  int
		}{{"Grace Hopper", 1}, {"Grace", 0}, {"grace hopper", 0}, {"", 7}} {
			if os, total := findObjectives(t, db, acme.ID, caio.ObjectiveFilter{Owner: ptr(tc.owner)}); len(os) != tc.want || total != tc.want {
				t.Errorf("owner %q: %d rows, total %d; want %d", tc.owner, len(os), total, tc.want)
			}
		}
		os, total := findObjectives(t, db, acme.ID, caio.ObjectiveFilter{Query: ptr("cut"), Owner: ptr("")})
		if len(os) != 2 || total != 2 {
			t.Errorf("query and owner together: %d rows, total %d; want 2", len(os), total)
		}
	})
}

func TestObjectiveSorts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		clk := useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme")
		var all []*caio.Objective
		for i, o := range []caio.Objective{
			{Title: "delta", Horizon: "2027-06-30"},
			{Title: "Alpha", Horizon: ""},
			{Title: "charlie", Horizon: "2026-12-31"},
			{Title: "Bravo", Horizon: "2028-01-01"},
			{Title: "alpha", Horizon: "2026-12-31"}, // ties with "Alpha" on title, with "charlie" on horizon
			{Title: "echo", Horizon: "2027-01-15"},
		} {
			// Uneven steps, some below a second, so that text order of the
			// stored times must match time order.
			clk.Advance(time.Duration(i*i*377+1) * time.Millisecond)
			all = append(all, seedObjective(t, db, acme.ID, o))
		}
		// Update in another order, so updated differs from created.
		for _, i := range []int{3, 0, 5, 1, 4, 2} {
			clk.Advance(time.Duration(i*97+3) * time.Millisecond)
			o := all[i]
			mustWrite(t, db, func(c *sqldb.Conn) error { return c.UpdateObjective(t.Context(), o) })
		}
		asc := map[string]func(a, b *caio.Objective) int{
			"created": func(a, b *caio.Objective) int { return a.CreatedAt.Compare(b.CreatedAt) },
			"updated": func(a, b *caio.Objective) int { return a.UpdatedAt.Compare(b.UpdatedAt) },
			"title": func(a, b *caio.Objective) int {
				return strings.Compare(strings.ToLower(a.Title), strings.ToLower(b.Title))
			},
			"horizon": func(a, b *caio.Objective) int { return strings.Compare(a.Horizon, b.Horizon) },
		}
		for _, sort := range append([]string{""}, caio.ObjectiveSorts...) {
			key, desc := strings.CutPrefix(sort, "-")
			if sort == "" {
				key, desc = "created", true // the default
			}
			cmp, ok := asc[key]
			if !ok {
				t.Fatalf("no expectation for sort %q; add one to this test", sort)
			}
			want := slices.Clone(all)
			slices.SortFunc(want, func(a, b *caio.Objective) int {
				c := cmp(a, b)
				if c == 0 {
					c = strings.Compare(a.ID, b.ID)
				}
				if desc {
					c = -c
				}
				return c
			})
			got, total := findObjectives(t, db, acme.ID, caio.ObjectiveFilter{Sort: sort})
			if total != len(all) || !slices.EqualFunc(got, want, func(a, b *caio.Objective) bool { return a.ID == b.ID }) {
				t.Errorf("sort %q = %q, want %q", sort, titles(got), titles(want))
			}
		}
	})
}

func TestObjectivePaging(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		clk := useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme")
		for i := range 7 {
			clk.Advance(time.Second)
			seedObjective(t, db, acme.ID, caio.Objective{Title: fmt.Sprintf("objective %d", i), Owner: []string{"ada", "grace"}[i%2]})
		}
		full, total := findObjectives(t, db, acme.ID, caio.ObjectiveFilter{Sort: "created"})
		if len(full) != 7 || total != 7 {
			t.Fatalf("all: %d rows, total %d", len(full), total)
		}
		var pages []*caio.Objective
		for off := 0; off < 7; off += 3 {
			os, total := findObjectives(t, db, acme.ID, caio.ObjectiveFilter{Sort: "created", Page: caio.Page{Offset: off, Limit: 3}})
			if total != 7 || len(os) != min(3, 7-off) {
				t.Errorf("offset %d: %d rows, total %d; want %d rows, total 7", off, len(os), total, min(3, 7-off))
			}
			pages = append(pages, os...)
		}
		if !slices.EqualFunc(pages, full, func(a, b *caio.Objective) bool { return a.ID == b.ID }) {
			t.Errorf("pages = %q, want %q", titles(pages), titles(full))
		}
		for _, tc := range []struct {
			f    caio.ObjectiveFilter
			want int
		}{
			{caio.ObjectiveFilter{Page: caio.Page{Offset: 7, Limit: 3}}, 7},
			{caio.ObjectiveFilter{Page: caio.Page{Offset: 1000, Limit: 3}}, 7},
			{caio.ObjectiveFilter{Query: ptr("objective"), Page: caio.Page{Offset: 50, Limit: 3}}, 7},
			{caio.ObjectiveFilter{Owner: ptr("ada"), Page: caio.Page{Offset: 4, Limit: 3}}, 4},
			{caio.ObjectiveFilter{Owner: ptr("grace"), Page: caio.Page{Offset: 3, Limit: 3}}, 3},
			{caio.ObjectiveFilter{Query: ptr("nothing"), Page: caio.Page{Offset: 3, Limit: 3}}, 0},
		} {
			os, total := findObjectives(t, db, acme.ID, tc.f)
			if len(os) != 0 || total != tc.want {
				t.Errorf("page past the end (%+v): %d rows, total %d; want none, total %d", tc.f, len(os), total, tc.want)
			}
		}
	})
}

func TestObjectiveUpdateAndDelete(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		t.Parallel() // the exhausted-retry case below waits on backoff
		ctx := t.Context()
		clk := useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme")
		o := seedObjective(t, db, acme.ID, caio.Objective{Title: "before", Baseline: ptr(1.0)})

		later := clk.Advance(time.Minute)
		mustWrite(t, db, func(c *sqldb.Conn) error {
			o.Title, o.Baseline = "after", nil
			return c.UpdateObjective(ctx, o)
		})
		if o.Version != 2 || !o.UpdatedAt.Equal(later) {
			t.Errorf("after update: version %d, updated %v; want 2, %v", o.Version, o.UpdatedAt, later)
		}
		got := getObjective(t, db, acme.ID, o.ID)
		if got.Version != 2 || got.Title != "after" || got.Baseline != nil || !got.CreatedAt.Equal(t0) || !got.UpdatedAt.Equal(later) {
			t.Errorf("stored after update: %+v", got)
		}

		// A stale version (another writer got in between reading and
		// writing) makes the transaction run again, which then succeeds.
		attempts := 0
		mustWrite(t, db, func(c *sqldb.Conn) error {
			attempts++
			cur, err := c.Objective(ctx, acme.ID, o.ID)
			if err != nil {
				return err
			}
			if attempts == 1 {
				cur.Version-- // as if read before the last update
			}
			cur.Title = "retried"
			return c.UpdateObjective(ctx, cur)
		})
		if attempts != 2 {
			t.Errorf("stale update ran %d times, want 2", attempts)
		}
		if got := getObjective(t, db, acme.ID, o.ID); got.Version != 3 || got.Title != "retried" {
			t.Errorf("after retried update: version %d, title %q; want 3, retried", got.Version, got.Title)
		}

		// A version that stays stale is retried a bounded number of times,
		// then fails without changing the row.
		attempts = 0
		err := db.Write(ctx, func(c *sqldb.Conn) error {
			attempts++
			stale := *o
			stale.Version = 1
			stale.Title = "never"
			return c.UpdateObjective(ctx, &stale)
		})
		if err == nil || attempts < 2 || attempts > 50 {
			t.Errorf("always-stale update: err %v after %d attempts; want an error after a few", err, attempts)
		}
		if got := getObjective(t, db, acme.ID, o.ID); got.Version != 3 || got.Title != "retried" {
			t.Errorf("always-stale update changed the row: %+v", got)
		}

		// Delete is guarded by the version the same way.
		attempts = 0
		mustWrite(t, db, func(c *sqldb.Conn) error {
			attempts++
			cur, err := c.Objective(ctx, acme.ID, o.ID)
			if err != nil {
				return err
			}
			if attempts == 1 {
				cur.Version--
			}
			return c.DeleteObjective(ctx, cur)
		})
		if attempts != 2 {
			t.Errorf("stale delete ran %d times, want 2", attempts)
		}
		mustRead(t, db, func(c *sqldb.Conn) error {
			_, err := c.Objective(ctx, acme.ID, o.ID)
			wantCode(t, err, caio.ENOTFOUND)
			return nil
		})
	})
}

func TestObjectiveNullableNumbers(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		acme := seedOrg(t, db, "acme", "Acme")
		for _, tc := range []struct{ baseline, target *float64 }{
			{nil, nil},
			{ptr(0.0), ptr(0.0)}, // zero is a value, not NULL
			{ptr(1.5), nil},
			{nil, ptr(-2.25)},
			{ptr(1e12), ptr(0.1)},
			{ptr(-0.000123), ptr(99.99)},
		} {
			o := seedObjective(t, db, acme.ID, caio.Objective{Title: "n", Baseline: tc.baseline, Target: tc.target})
			got := getObjective(t, db, acme.ID, o.ID)
			if !equalFloat(got.Baseline, tc.baseline) || !equalFloat(got.Target, tc.target) {
				t.Errorf("round trip of %v/%v = %v/%v", show(tc.baseline), show(tc.target), show(got.Baseline), show(got.Target))
			}
			// And back to NULL through an update.
			mustWrite(t, db, func(c *sqldb.Conn) error {
				got.Baseline, got.Target = nil, nil
				return c.UpdateObjective(ctx, got)
			})
			if got := getObjective(t, db, acme.ID, o.ID); got.Baseline != nil || got.Target != nil {
				t.Errorf("update to NULL = %v/%v", show(got.Baseline), show(got.Target))
			}
		}
	})
}

func TestTimesRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		// A local time with nanoseconds: stored as UTC at microseconds.
		at := time.Date(2026, 7, 8, 23, 59, 58, 987654321, time.FixedZone("UTC+2", 2*3600))
		want := at.UTC().Truncate(time.Microsecond)
		useClock(db, at)
		acme := seedOrg(t, db, "acme", "Acme")
		ada := seedMember(t, db, acme, "ada@example.com", caio.RoleOwner)
		o := seedObjective(t, db, acme.ID, caio.Objective{Title: "t"})
		expires := time.Date(2030, 1, 2, 3, 4, 5, 600700800, time.FixedZone("UTC-5", -5*3600))
		mustWrite(t, db, func(c *sqldb.Conn) error {
			if err := c.CreateSession(ctx, &sqldb.Session{ID: "s", UserID: ada.ID, OrgID: acme.ID, ExpiresAt: expires}); err != nil {
				return err
			}
			if err := c.CreateToken(ctx, &caio.APIToken{ID: caio.NewID("tok"), OrgID: acme.ID, UserID: ada.ID, Name: "t", Prefix: "p"}, "h"); err != nil {
				return err
			}
			return c.AppendAudit(ctx, &caio.AuditEvent{OrgID: acme.ID, Action: "test", ObjectType: "test", ObjectID: "x"})
		})
		var got []time.Time
		mustRead(t, db, func(c *sqldb.Conn) error {
			org, err := c.OrgByID(ctx, acme.ID)
			if err != nil {
				return err
			}
			u, err := c.UserByID(ctx, ada.ID)
			if err != nil {
				return err
			}
			m, err := c.Membership(ctx, acme.ID, ada.ID)
			if err != nil {
				return err
			}
			ob, err := c.Objective(ctx, acme.ID, o.ID)
			if err != nil {
				return err
			}
			s, err := c.SessionByID(ctx, "s")
			if err != nil {
				return err
			}
			tok, err := c.TokenByHash(ctx, "h")
			if err != nil {
				return err
			}
			es, _, err := c.AuditEvents(ctx, acme.ID, caio.AuditFilter{Page: caio.Page{Limit: 1}})
			if err != nil || len(es) != 1 {
				return fmt.Errorf("audit events: %v, %v", es, err)
			}
			got = []time.Time{org.CreatedAt, org.UpdatedAt, u.CreatedAt, m.CreatedAt, ob.CreatedAt, ob.UpdatedAt, s.CreatedAt, s.LastSeenAt, tok.CreatedAt, es[0].At}
			if w := expires.UTC().Truncate(time.Microsecond); !s.ExpiresAt.Equal(w) || s.ExpiresAt.Location() != time.UTC {
				t.Errorf("session expiry = %v, want %v in UTC", s.ExpiresAt, w)
			}
			return nil
		})
		for i, g := range got {
			if !g.Equal(want) || g.Location() != time.UTC || g.Nanosecond()%1000 != 0 {
				t.Errorf("time %d = %v (%v), want %v in UTC", i, g, g.Location(), want)
			}
		}
		if !o.CreatedAt.Equal(want) || o.CreatedAt.Location() != time.UTC {
			t.Errorf("CreateObjective set %v, want %v in UTC, the same as it stores", o.CreatedAt, want)
		}
	})
}

func TestAudit(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		clk := useClock(db, t0)
		acme := seedOrg(t, db, "acme", "Acme")
		other := seedOrg(t, db, "other", "Other")

		// Audit events are written only inside a write transaction.
		err := db.Read(ctx, func(c *sqldb.Conn) error {
			return c.AppendAudit(ctx, &caio.AuditEvent{OrgID: acme.ID, Action: "x"})
		})
		wantCode(t, err, caio.EINTERNAL)

		type ev struct{ actor, action, typ, id string }
		evs := []ev{
			{"usr_a", "objective.create", "objective", "obj_1"},
			{"usr_b", "objective.update", "objective", "obj_1"},
			{"usr_a", "member.add", "user", "usr_c"},
			{"", "objective.create", "objective", "obj_2"}, // the system
			{"usr_b", "objective.delete", "objective", "obj_1"},
			{"usr_a", "token.create", "token", "tok_1"},
		}
		var appended []caio.AuditEvent
		for i, e := range evs {
			clk.Advance(time.Second)
			a := caio.AuditEvent{OrgID: acme.ID, ActorID: e.actor, Actor: e.actor + "@example.com", Action: e.action, ObjectType: e.typ, ObjectID: e.id, RequestID: fmt.Sprintf("req-%d", i)}
			if i != 3 {
				a.Diff = caio.Diff(nil, map[string]any{"n": i})
			}
			mustWrite(t, db, func(c *sqldb.Conn) error { return c.AppendAudit(ctx, &a) })
			appended = append(appended, a)
		}
		mustWrite(t, db, func(c *sqldb.Conn) error {
			return c.AppendAudit(ctx, &caio.AuditEvent{OrgID: other.ID, Action: "elsewhere", ObjectType: "x", ObjectID: "y"})
		})
		err = db.Write(ctx, func(c *sqldb.Conn) error {
			return c.AppendAudit(ctx, &caio.AuditEvent{OrgID: caio.NewID("org"), Action: "nowhere"})
		})
		wantCode(t, err, caio.ENOTFOUND)

		// The chain is linear: 1, 2, 3, ... each linked to the one before.
		prev := ""
		for i, e := range appended {
			if e.Seq != int64(i+1) || e.PrevHash != prev || e.Hash != e.ComputeHash() || !e.At.Equal(t0.Add(time.Duration(i+1)*time.Second)) {
				t.Errorf("event %d = seq %d, prev %.8s, at %v; want seq %d linked to %.8s", i, e.Seq, e.PrevHash, e.At, i+1, prev)
			}
			prev = e.Hash
		}
		if string(appended[3].Diff) != "{}" {
			t.Errorf("an empty diff is stored as %q, want {}", appended[3].Diff)
		}

		// The stored chain reads back exactly as written, and verifies.
		var chain []caio.AuditEvent
		var headSeq int64
		var headHash string
		err = db.Snapshot(ctx, func(c *sqldb.Conn) (err error) {
			headSeq, headHash, err = c.AuditChain(ctx, acme.ID, func(e caio.AuditEvent) error {
				chain = append(chain, e)
				return nil
			})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		if headSeq != 6 || headHash != appended[5].Hash || len(chain) != 6 {
			t.Fatalf("AuditChain: %d events, head %d %.8s; want 6 and the last hash", len(chain), headSeq, headHash)
		}
		for i := range chain {
			if !equalEvent(chain[i], appended[i]) {
				t.Errorf("stored event %d = %+v, want %+v", i, chain[i], appended[i])
			}
		}
		if brk := caio.VerifyChain(chain, headSeq, headHash); brk != nil {
			t.Errorf("VerifyChain: %+v", brk)
		}
		mustRead(t, db, func(c *sqldb.Conn) error {
			seq, _, err := c.AuditChain(ctx, other.ID, func(e caio.AuditEvent) error {
				if e.Seq != 1 || e.PrevHash != "" {
					t.Errorf("other organisation's first event: seq %d, prev %q", e.Seq, e.PrevHash)
				}
				return nil
			})
			if err != nil || seq != 1 {
				t.Errorf("other organisation's chain: head %d, %v; want its own chain of 1", seq, err)
			}
			return nil
		})

		at := func(n int) *time.Time { return ptr(t0.Add(time.Duration(n) * time.Second)) }
		for _, tc := range []struct {
			name  string
			f     caio.AuditFilter
			want  []int64 // sequence numbers, newest first
			total int
		}{
			{"all", caio.AuditFilter{}, []int64{6, 5, 4, 3, 2, 1}, 6},
			{"object type", caio.AuditFilter{ObjectType: ptr("objective")}, []int64{5, 4, 2, 1}, 4},
			{"object", caio.AuditFilter{ObjectType: ptr("objective"), ObjectID: ptr("obj_1")}, []int64{5, 2, 1}, 3},
			{"action", caio.AuditFilter{Action: ptr("objective.create")}, []int64{4, 1}, 2},
			{"actor", caio.AuditFilter{ActorID: ptr("usr_b")}, []int64{5, 2}, 2},
			{"system actor", caio.AuditFilter{ActorID: ptr("")}, []int64{4}, 1},
			{"since", caio.AuditFilter{Since: at(3)}, []int64{6, 5, 4, 3}, 4},
			{"until", caio.AuditFilter{Until: at(3)}, []int64{2, 1}, 2},
			{"between", caio.AuditFilter{Since: at(2), Until: at(5)}, []int64{4, 3, 2}, 3},
			{"nothing", caio.AuditFilter{Action: ptr("nope")}, nil, 0},
			{"page", caio.AuditFilter{Page: caio.Page{Offset: 2, Limit: 2}}, []int64{4, 3}, 6},
			{"last page", caio.AuditFilter{Page: caio.Page{Offset: 4, Limit: 5}}, []int64{2, 1}, 6},
			{"past the end", caio.AuditFilter{Page: caio.Page{Offset: 6, Limit: 5}}, nil, 6},
			{"filtered past the end", caio.AuditFilter{ActorID: ptr("usr_a"), Page: caio.Page{Offset: 9, Limit: 5}}, nil, 3},
		} {
			if tc.f.Limit == 0 {
				tc.f.Limit = 50
			}
			mustRead(t, db, func(c *sqldb.Conn) error {
				es, total, err := c.AuditEvents(ctx, acme.ID, tc.f)
				if err != nil {
					return err
				}
				var got []int64
				for _, e := range es {
					got = append(got, e.Seq)
				}
				if !slices.Equal(got, tc.want) || total != tc.total {
					t.Errorf("%s: seqs %v, total %d; want %v, total %d", tc.name, got, total, tc.want, tc.total)
				}
				return nil
			})
		}
	})
}

func equalObjective(a, b *caio.Objective) bool {
	return a.ID == b.ID && a.OrgID == b.OrgID && a.Title == b.Title && a.Description == b.Description &&
		a.KPI == b.KPI && equalFloat(a.Baseline, b.Baseline) && equalFloat(a.Target, b.Target) && a.Unit == b.Unit &&
		a.Horizon == b.Horizon && a.Owner == b.Owner && a.Version == b.Version &&
		a.CreatedAt.Equal(b.CreatedAt) && a.UpdatedAt.Equal(b.UpdatedAt)
}

func equalEvent(a, b caio.AuditEvent) bool {
	return a.OrgID == b.OrgID && a.Seq == b.Seq && a.At.Equal(b.At) && a.ActorID == b.ActorID && a.Actor == b.Actor &&
		a.Action == b.Action && a.ObjectType == b.ObjectType && a.ObjectID == b.ObjectID && string(a.Diff) == string(b.Diff) &&
		a.RequestID == b.RequestID && a.PrevHash == b.PrevHash && a.Hash == b.Hash
}

func equalFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return *a == *b
}

func show(f *float64) string {
	if f == nil {
		return "NULL"
	}
	return fmt.Sprint(*f)
}
