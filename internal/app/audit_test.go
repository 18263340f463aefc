package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestAuditTamperDetected changes stored audit events behind the
// application's back, as someone with database access might, and checks
// that VerifyAudit names the first broken event every time.
func TestAuditTamperDetected(t *testing.T) {
	type tamper struct {
		name string
		// do changes the chain of org (6 events, seq 1 to 6).
		do       func(t *testing.T, db *sqldb.DB, a *app.App, sys context.Context, org string)
		wantSeq  int64
		wantText string // part of the reason
	}
	exec := func(t *testing.T, db *sqldb.DB, query string, args ...any) {
		t.Helper()
		if err := db.ExecRaw(t.Context(), query, args...); err != nil {
			t.Fatalf("%s: %v", query, err)
		}
	}
	// rehash rewrites an event's diff and stores a matching hash, as a
	// forger who knows the hash function would.
	rehash := func(t *testing.T, db *sqldb.DB, a *app.App, sys context.Context, org string, seq int64) {
		t.Helper()
		es, _, err := a.FindAuditEvents(sys, caio.AuditFilter{Page: caio.Page{Offset: int(6 - seq), Limit: 1}})
		if err != nil || len(es) != 1 || es[0].Seq != seq {
			t.Fatalf("event %d: %v, %v", seq, es, err)
		}
		e := es[0]
		e.Diff = json.RawMessage(`{"title":[null,"forged"]}`)
		e.Hash = e.ComputeHash()
		exec(t, db, `UPDATE audit_events SET diff = $1, hash = $2 WHERE org_id = $3 AND seq = $4`, string(e.Diff), e.Hash, org, seq)
	}
	tampers := []tamper{
		{"alter a diff", func(t *testing.T, db *sqldb.DB, _ *app.App, _ context.Context, org string) {
			exec(t, db, `UPDATE audit_events SET diff = $1 WHERE org_id = $2 AND seq = 4`, `{"title":[null,"forged"]}`, org)
		}, 4, "altered"},
		{"alter an actor", func(t *testing.T, db *sqldb.DB, _ *app.App, _ context.Context, org string) {
			exec(t, db, `UPDATE audit_events SET actor = 'mallory@example.com', actor_id = 'usr_mallory' WHERE org_id = $1 AND seq = 3`, org)
		}, 3, "altered"},
		{"alter a time", func(t *testing.T, db *sqldb.DB, _ *app.App, _ context.Context, org string) {
			exec(t, db, `UPDATE audit_events SET at = '2001-01-01T00:00:00.000000Z' WHERE org_id = $1 AND seq = 5`, org)
		}, 5, "altered"},
		{"delete a middle event", func(t *testing.T, db *sqldb.DB, _ *app.App, _ context.Context, org string) {
			exec(t, db, `DELETE FROM audit_events WHERE org_id = $1 AND seq = 4`, org)
		}, 4, "missing"},
		{"delete the last event", func(t *testing.T, db *sqldb.DB, _ *app.App, _ context.Context, org string) {
			exec(t, db, `DELETE FROM audit_events WHERE org_id = $1 AND seq = 6`, org)
		}, 6, "removed"},
		{"delete every event", func(t *testing.T, db *sqldb.DB, _ *app.App, _ context.Context, org string) {
			exec(t, db, `DELETE FROM audit_events WHERE org_id = $1`, org)
		}, 1, "removed"},
		{"swap two events", func(t *testing.T, db *sqldb.DB, _ *app.App, _ context.Context, org string) {
			exec(t, db, `UPDATE audit_events SET seq = -1 WHERE org_id = $1 AND seq = 3`, org)
			exec(t, db, `UPDATE audit_events SET seq = 3 WHERE org_id = $1 AND seq = 5`, org)
			exec(t, db, `UPDATE audit_events SET seq = 5 WHERE org_id = $1 AND seq = -1`, org)
		}, 3, "previous-hash"},
		{"forge a middle event with its hash", func(t *testing.T, db *sqldb.DB, a *app.App, sys context.Context, org string) {
			rehash(t, db, a, sys, org, 4)
		}, 5, "previous-hash"},
		{"forge the last event with its hash", func(t *testing.T, db *sqldb.DB, a *app.App, sys context.Context, org string) {
			rehash(t, db, a, sys, org, 6)
		}, 6, "head hash"},
		{"rewind the head", func(t *testing.T, db *sqldb.DB, _ *app.App, _ context.Context, org string) {
			exec(t, db, `UPDATE audit_heads SET seq = 5 WHERE org_id = $1`, org)
		}, 6, "added"},
		{"append a forged event", func(t *testing.T, db *sqldb.DB, a *app.App, sys context.Context, org string) {
			last := lastEvent(t, a, sys)
			e := caio.AuditEvent{OrgID: org, Seq: 7, At: last.At, Actor: "system", Action: "objective.delete", ObjectType: "objective", ObjectID: "obj_x", Diff: json.RawMessage(`{}`), PrevHash: last.Hash}
			e.Hash = e.ComputeHash()
			exec(t, db, `INSERT INTO audit_events (org_id, seq, at, actor_id, actor, action, object_type, object_id, diff, request_id, prev_hash, hash)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
				e.OrgID, e.Seq, e.At.UTC().Format(sqldb.TimeFormat), e.ActorID, e.Actor, e.Action, e.ObjectType, e.ObjectID, string(e.Diff), e.RequestID, e.PrevHash, e.Hash)
		}, 7, "added"},
	}

	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		a := app.New(db, nil)
		// A bystander organisation whose chain must stay intact throughout.
		_, bystander := newOrg(t, a, "bystander", "owner@bystander.test")
		if _, err := a.CreateObjective(bystander, caio.ObjectiveInput{Title: "untouched"}); err != nil {
			t.Fatal(err)
		}
		for i, tc := range tampers {
			t.Run(tc.name, func(t *testing.T) {
				org, sys := newOrg(t, a, fmt.Sprintf("org-%d", i), "owner@acme.test")
				for _, title := range []string{"one", "two", "three", "four"} {
					if _, err := a.CreateObjective(sys, caio.ObjectiveInput{Title: title}); err != nil {
						t.Fatal(err)
					}
				}
				if v := verify(t, a, sys); !v.Intact || v.Events != 6 || v.Break != nil {
					t.Fatalf("before tampering: %+v, want 6 intact events", v)
				}
				tc.do(t, db, a, sys, org.ID)
				v := verify(t, a, sys)
				if v.Intact || v.Break == nil {
					t.Fatalf("tampering went unnoticed: %+v", v)
				}
				if v.Break.Seq != tc.wantSeq || !strings.Contains(v.Break.Reason, tc.wantText) {
					t.Errorf("break = %+v, want seq %d and a reason mentioning %q", *v.Break, tc.wantSeq, tc.wantText)
				}
				if v := verify(t, a, bystander); !v.Intact {
					t.Errorf("the bystander's chain broke too: %+v", v.Break)
				}
			})
		}
	})
}

// TestEveryChangeWritesOneAuditEvent checks that each change writes exactly
// one audit event, with the right action, object and diff, and that a
// refused or failed change writes none.
func TestEveryChangeWritesOneAuditEvent(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		if n := auditTotal(t, f.app, f.sys); n != fixtureEvents {
			t.Fatalf("setup wrote %d events, want %d", n, fixtureEvents)
		}
		owner := f.members[caio.RoleOwner]
		ownerActor := memberActor(owner)
		ownerActor.RequestID = "req-42"
		ctx := caio.WithActor(context.Background(), ownerActor)

		// step runs fn and checks that it wrote want events; when want is
		// 1 it checks the event and returns its diff.
		step := func(name string, want int, action, objectType, objectID string, fn func() error) map[string][2]any {
			t.Helper()
			before := auditTotal(t, f.app, f.sys)
			err := fn()
			if after := auditTotal(t, f.app, f.sys); after-before != want {
				t.Fatalf("%s (err %v) wrote %d audit events, want %d", name, err, after-before, want)
			}
			if want == 0 {
				return nil
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			e := lastEvent(t, f.app, f.sys)
			if e.Action != action || e.ObjectType != objectType || (objectID != "" && e.ObjectID != objectID) ||
				e.ActorID != owner.UserID || e.Actor != owner.Email || e.RequestID != "req-42" || e.OrgID != f.org.ID {
				t.Errorf("%s wrote %+v, want %s of %s %s by %s", name, e, action, objectType, objectID, owner.Email)
			}
			var d map[string][2]any
			if err := json.Unmarshal(e.Diff, &d); err != nil {
				t.Fatalf("%s: diff %s: %v", name, e.Diff, err)
			}
			return d
		}
		keys := func(d map[string][2]any) []string { return slices.Sorted(maps.Keys(d)) }

		var o *caio.Objective
		var err error
		step("invalid create", 0, "", "", "", func() error {
			_, err := f.app.CreateObjective(ctx, caio.ObjectiveInput{Title: "  ", Horizon: "soon"})
			wantCode(t, err, caio.EINVALID)
			return err
		})
		step("refused create", 0, "", "", "", func() error {
			_, err := f.app.CreateObjective(f.as(caio.RoleViewer), caio.ObjectiveInput{Title: "x"})
			wantCode(t, err, caio.EFORBIDDEN)
			return err
		})
		d := step("create", 1, "objective.create", "objective", "", func() error {
			o, err = f.app.CreateObjective(ctx, caio.ObjectiveInput{Title: "Faster claims", KPI: "days", Target: ptr(7.0)})
			return err
		})
		if d["title"] != [2]any{nil, "Faster claims"} || d["target"] != [2]any{nil, 7.0} || len(d) != 8 {
			t.Errorf("create diff = %v, want every field from null", d)
		}
		if e := lastEvent(t, f.app, f.sys); e.ObjectID != o.ID {
			t.Errorf("create event names %s, want %s", e.ObjectID, o.ID)
		}
		d = step("update", 1, "objective.update", "objective", o.ID, func() error {
			_, err := f.app.UpdateObjective(ctx, o.ID, 1, caio.ObjectiveInput{Title: "Much faster claims", KPI: "days", Target: ptr(7.0)})
			return err
		})
		if !slices.Equal(keys(d), []string{"title"}) || d["title"] != [2]any{"Faster claims", "Much faster claims"} {
			t.Errorf("update diff = %v, want only the title", d)
		}
		step("stale update", 0, "", "", "", func() error {
			_, err := f.app.UpdateObjective(ctx, o.ID, 1, caio.ObjectiveInput{Title: "lost"})
			wantCode(t, err, caio.ECONFLICT)
			return err
		})
		step("update of a missing objective", 0, "", "", "", func() error {
			_, err := f.app.UpdateObjective(ctx, caio.NewID("obj"), 0, caio.ObjectiveInput{Title: "x"})
			wantCode(t, err, caio.ENOTFOUND)
			return err
		})
		d = step("delete", 1, "objective.delete", "objective", o.ID, func() error { return f.app.DeleteObjective(ctx, o.ID) })
		if d["title"] != [2]any{"Much faster claims", nil} {
			t.Errorf("delete diff = %v, want every field to null", d)
		}
		step("second delete", 0, "", "", "", func() error {
			err := f.app.DeleteObjective(ctx, o.ID)
			wantCode(t, err, caio.ENOTFOUND)
			return err
		})

		var m *caio.Membership
		d = step("add member", 1, "member.add", "user", "", func() error {
			m, err = f.app.AddMember(ctx, app.MemberInput{Email: "New@Acme.test", Role: caio.RoleViewer, Password: password})
			return err
		})
		if d["email"] != [2]any{nil, "new@acme.test"} || d["role"] != [2]any{nil, "viewer"} {
			t.Errorf("add member diff = %v", d)
		}
		step("add the same member again", 0, "", "", "", func() error {
			_, err := f.app.AddMember(ctx, app.MemberInput{Email: "new@acme.test", Role: caio.RoleEditor})
			wantCode(t, err, caio.EINVALID)
			return err
		})
		d = step("change role", 1, "member.role", "user", m.UserID, func() error {
			_, err := f.app.ChangeRole(ctx, m.UserID, caio.RoleEditor)
			return err
		})
		if d["role"] != [2]any{"viewer", "editor"} {
			t.Errorf("change role diff = %v", d)
		}
		step("change to no role", 0, "", "", "", func() error {
			_, err := f.app.ChangeRole(ctx, m.UserID, "superuser")
			wantCode(t, err, caio.EINVALID)
			return err
		})

		var tok *caio.APIToken
		step("create token", 1, "token.create", "token", "", func() error {
			tok, _, err = f.app.CreateToken(ctx, "ci")
			return err
		})
		step("token without a name", 0, "", "", "", func() error {
			_, _, err := f.app.CreateToken(ctx, " ")
			wantCode(t, err, caio.EINVALID)
			return err
		})
		step("revoke token", 1, "token.revoke", "token", tok.ID, func() error { return f.app.RevokeToken(ctx, tok.ID) })
		step("revoke it again", 0, "", "", "", func() error { return f.app.RevokeToken(ctx, tok.ID) })
		step("remove member", 1, "member.remove", "user", m.UserID, func() error { return f.app.RemoveMember(ctx, m.UserID) })
		d = step("rename organisation", 1, "organization.update", "organization", f.org.ID, func() error {
			_, err := f.app.RenameOrg(ctx, "Acme Bank plc")
			return err
		})
		if d["name"] != [2]any{"Acme Ltd", "Acme Bank plc"} {
			t.Errorf("rename diff = %v", d)
		}
		step("rename to nothing", 0, "", "", "", func() error {
			_, err := f.app.RenameOrg(ctx, "  ")
			wantCode(t, err, caio.EINVALID)
			return err
		})
		if v := verify(t, f.app, f.sys); !v.Intact || v.Events != int64(auditTotal(t, f.app, f.sys)) {
			t.Errorf("after the changes: %+v", v)
		}

		// The audit event is part of the change's transaction: when it
		// cannot be written, the change does not happen either.
		if err := db.ExecRaw(t.Context(), `DELETE FROM audit_heads WHERE org_id = $1`, f.org.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.CreateObjective(ctx, caio.ObjectiveInput{Title: "unaudited"}); err == nil {
			t.Fatal("a change was stored although its audit event could not be written")
		}
		if os, total, err := f.app.FindObjectives(ctx, caio.ObjectiveFilter{Query: ptr("unaudited")}); err != nil || total != 0 || len(os) != 0 {
			t.Errorf("the unaudited objective exists: %d (%v)", total, err)
		}
	})
}

func ptr[T any](v T) *T { return &v }
