package app_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// password is the password of every user the fixtures create.
const password = "correct horse battery staple"

// fixture is one organisation, "acme", with one member in each role, on a
// fresh database.
type fixture struct {
	app *app.App
	db  *sqldb.DB
	org *caio.Organization
	// sys acts as the system (a local command) in the organisation.
	sys context.Context
	// members holds the member of each role.
	members map[caio.Role]*caio.Membership
}

// newFixture builds the fixture on db. Setting it up writes
// fixtureEvents audit events.
func newFixture(t *testing.T, db *sqldb.DB) *fixture {
	t.Helper()
	f := &fixture{app: app.New(db, nil), db: db, members: map[caio.Role]*caio.Membership{}}
	f.org, f.sys = newOrg(t, f.app, "acme", "owner@acme.test")
	for _, r := range caio.Roles[1:] {
		f.members[r] = f.addMember(t, r)
	}
	ms, _, err := f.app.FindMembers(f.sys, caio.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range ms {
		if m.Role == caio.RoleOwner {
			f.members[caio.RoleOwner] = m
		}
	}
	if len(f.members) != len(caio.Roles) {
		t.Fatalf("fixture has members %v, want one per role", f.members)
	}
	return f
}

// fixtureEvents is how many audit events newFixture writes: the
// organisation, its owner, and one member per other role.
var fixtureEvents = 2 + len(caio.Roles) - 1

// newOrg creates an organisation owned by the user with the email (created
// with password when new) and returns it with a system context in it.
func newOrg(t *testing.T, a *app.App, slug, ownerEmail string) (*caio.Organization, context.Context) {
	t.Helper()
	ctx := caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})
	o, err := a.CreateOrg(ctx, app.SignupInput{OrgName: strings.ToUpper(slug[:1]) + slug[1:] + " Ltd", OrgSlug: slug, Email: ownerEmail, Name: "Owner of " + slug, Password: password})
	if err != nil {
		t.Fatalf("CreateOrg %s: %v", slug, err)
	}
	sys, err := a.SystemActor(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	return o, caio.WithActor(t.Context(), sys)
}

// addMember adds a new user with the role, through the system actor.
func (f *fixture) addMember(t *testing.T, r caio.Role) *caio.Membership {
	t.Helper()
	m, err := f.app.AddMember(f.sys, app.MemberInput{Email: string(r) + "-" + randomHex() + "@acme.test", Name: "A " + string(r), Role: r, Password: password})
	if err != nil {
		t.Fatalf("AddMember %s: %v", r, err)
	}
	return m
}

// as returns a context acting as the fixture's member with the role.
func (f *fixture) as(r caio.Role) context.Context { return f.asMember(f.members[r]) }

// asMember returns a context acting as the member, with their current role.
func (f *fixture) asMember(m *caio.Membership) context.Context {
	return caio.WithActor(context.Background(), memberActor(m))
}

func memberActor(m *caio.Membership) caio.Actor {
	return caio.Actor{UserID: m.UserID, Email: m.Email, OrgID: m.OrgID, OrgSlug: m.OrgSlug, Role: m.Role, Via: "test"}
}

// objective creates an objective through the system actor.
func (f *fixture) objective(t *testing.T, title string) *caio.Objective {
	t.Helper()
	o, err := f.app.CreateObjective(f.sys, caio.ObjectiveInput{Title: title, KPI: "kpi of " + title})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// auditTotal returns how many audit events the organisation of ctx has.
func auditTotal(t *testing.T, a *app.App, sys context.Context) int {
	t.Helper()
	_, total, err := a.FindAuditEvents(sys, caio.AuditFilter{Page: caio.Page{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// lastEvent returns the newest audit event of the organisation of ctx.
func lastEvent(t *testing.T, a *app.App, sys context.Context) caio.AuditEvent {
	t.Helper()
	es, _, err := a.FindAuditEvents(sys, caio.AuditFilter{Page: caio.Page{Limit: 1}})
	if err != nil || len(es) != 1 {
		t.Fatalf("last audit event: %v, %v", es, err)
	}
	return es[0]
}

// verify checks the audit chain of the organisation of ctx.
func verify(t *testing.T, a *app.App, sys context.Context) *app.AuditVerification {
	t.Helper()
	v, err := a.VerifyAudit(sys)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// wantCode fails the test unless err carries the caio error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := caio.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (err %v), want %q", got, err, code)
	}
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// action is one service call of the role matrix. prepare does what the call
// needs through the system actor and returns the call itself.
type action struct {
	name   string
	perm   caio.Permission
	writes bool // an allowed call writes one audit event
	// prepare returns the call; actor is who will make it.
	prepare func(t *testing.T, f *fixture, actor *caio.Membership) func(ctx context.Context) error
}

var actions = []action{
	{"FindObjectives", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		return func(ctx context.Context) error {
			_, _, err := f.app.FindObjectives(ctx, caio.ObjectiveFilter{})
			return err
		}
	}},
	{"FindObjective", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		o := f.objective(t, "to find")
		return func(ctx context.Context) error {
			_, err := f.app.FindObjective(ctx, o.ID)
			return err
		}
	}},
	{"CreateObjective", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := f.app.CreateObjective(ctx, caio.ObjectiveInput{Title: "new"})
			return err
		}
	}},
	{"UpdateObjective", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		o := f.objective(t, "to update")
		return func(ctx context.Context) error {
			_, err := f.app.UpdateObjective(ctx, o.ID, o.Version, caio.ObjectiveInput{Title: "updated"})
			return err
		}
	}},
	{"DeleteObjective", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		o := f.objective(t, "to delete")
		return func(ctx context.Context) error { return f.app.DeleteObjective(ctx, o.ID) }
	}},
	{"FindMembers", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		return func(ctx context.Context) error {
			_, _, err := f.app.FindMembers(ctx, caio.Page{})
			return err
		}
	}},
	{"AddMember", caio.PermManageMembers, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := f.app.AddMember(ctx, app.MemberInput{Email: "new-" + randomHex() + "@acme.test", Role: caio.RoleViewer, Password: password})
			return err
		}
	}},
	{"ChangeRole", caio.PermManageMembers, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		m := f.addMember(t, caio.RoleViewer)
		return func(ctx context.Context) error {
			_, err := f.app.ChangeRole(ctx, m.UserID, caio.RoleContributor)
			return err
		}
	}},
	{"RemoveMember", caio.PermManageMembers, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		m := f.addMember(t, caio.RoleViewer)
		return func(ctx context.Context) error { return f.app.RemoveMember(ctx, m.UserID) }
	}},
	{"CreateToken", caio.PermRead, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		return func(ctx context.Context) error {
			_, _, err := f.app.CreateToken(ctx, "ci")
			return err
		}
	}},
	{"FindTokens", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		return func(ctx context.Context) error {
			_, _, err := f.app.FindTokens(ctx, caio.Page{})
			return err
		}
	}},
	{"RevokeToken", caio.PermRead, true, func(t *testing.T, f *fixture, actor *caio.Membership) func(context.Context) error {
		// The actor's own token, made straight in the store so that the
		// setup does not depend on the call under test.
		tok := &caio.APIToken{ID: caio.NewID("tok"), OrgID: f.org.ID, UserID: actor.UserID, Name: "own", Prefix: "caio_xxxx"}
		if err := f.db.Write(t.Context(), func(c *sqldb.Conn) error { return c.CreateToken(t.Context(), tok, "hash-"+randomHex()) }); err != nil {
			t.Fatal(err)
		}
		return func(ctx context.Context) error { return f.app.RevokeToken(ctx, tok.ID) }
	}},
	{"FindAuditEvents", caio.PermReadAudit, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		return func(ctx context.Context) error {
			_, _, err := f.app.FindAuditEvents(ctx, caio.AuditFilter{})
			return err
		}
	}},
	{"VerifyAudit", caio.PermReadAudit, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := f.app.VerifyAudit(ctx)
			return err
		}
	}},
	{"CurrentOrg", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := f.app.CurrentOrg(ctx)
			return err
		}
	}},
	{"RenameOrg", caio.PermManageOrg, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
		return func(ctx context.Context) error {
			_, err := f.app.RenameOrg(ctx, "Acme Renamed "+randomHex())
			return err
		}
	}},
}

// TestRoleMatrix calls every service as every role and checks that exactly
// the roles that caio.Can grants the action's permission get through, and
// that a refused call writes nothing to the audit trail.
func TestRoleMatrix(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for _, r := range caio.Roles {
			for _, a := range actions {
				t.Run(string(r)+"/"+a.name, func(t *testing.T) {
					call := a.prepare(t, f, f.members[r])
					before := auditTotal(t, f.app, f.sys)
					err := call(f.as(r))
					after := auditTotal(t, f.app, f.sys)
					if caio.Can(r, a.perm) {
						if err != nil {
							t.Fatalf("%s may %s (%s) but got %v", r, a.name, a.perm, err)
						}
						if want := map[bool]int{true: 1, false: 0}[a.writes]; after-before != want {
							t.Errorf("%s wrote %d audit events, want %d", a.name, after-before, want)
						}
					} else {
						wantCode(t, err, caio.EFORBIDDEN)
						if after != before {
							t.Errorf("a refused %s wrote %d audit events", a.name, after-before)
						}
					}
				})
			}
		}

		// Without an actor every service asks to sign in; an actor without
		// an organisation must choose one first.
		for _, a := range actions {
			call := a.prepare(t, f, f.members[caio.RoleOwner])
			if err := call(context.Background()); caio.ErrorCode(err) != caio.EUNAUTHORIZED {
				t.Errorf("%s without an actor = %v, want unauthorized", a.name, err)
			}
			noOrg := memberActor(f.members[caio.RoleOwner])
			noOrg.OrgID, noOrg.OrgSlug, noOrg.Role = "", "", ""
			if err := call(caio.WithActor(context.Background(), noOrg)); caio.ErrorCode(err) != caio.EFORBIDDEN {
				t.Errorf("%s without an organisation = %v, want forbidden", a.name, err)
			}
		}
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Errorf("audit chain broken after the matrix: %+v", v.Break)
		}
	})
}

// TestSecurityDocMatchesCan checks that the permission table in
// docs/security.md says exactly what caio.Can decides.
func TestSecurityDocMatchesCan(t *testing.T) {
	const path = "../../docs/security.md"
	file, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s does not exist yet; skipping the check of its permission table", path)
	} else if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	for _, p := range permissionTableProblems(file) {
		t.Errorf("%s: %s", path, p)
	}
}

// TestPermissionTableChecker shows that the check above notices a table
// that disagrees with caio.Can.
func TestPermissionTableChecker(t *testing.T) {
	var b strings.Builder
	b.WriteString("# Security\n\n| permission | owner | admin | editor | contributor | approver | viewer |\n|---|---|---|---|---|---|---|\n")
	for _, p := range caio.Permissions {
		b.WriteString("| `" + string(p) + "` |")
		for _, r := range caio.Roles {
			b.WriteString(map[bool]string{true: " yes |", false: " no |"}[caio.Can(r, p)])
		}
		b.WriteString("\n")
	}
	good := b.String() + "\nAfter the table.\n"
	if ps := permissionTableProblems(strings.NewReader(good)); len(ps) != 0 {
		t.Fatalf("a correct table has problems: %q", ps)
	}
	for name, bad := range map[string]string{
		"viewer may edit": strings.Replace(good, "| `edit` | yes | yes | yes | no | no | no |", "| `edit` | yes | yes | yes | no | no | yes |", 1),
		"row missing":     strings.Replace(good, "| `approve` |", "| `approved` |", 1),
		"unknown cell":    strings.Replace(good, "| `read` | yes |", "| `read` | maybe |", 1),
		"no table":        "# Security\n",
		"column missing":  strings.ReplaceAll(strings.ReplaceAll(good, " viewer |", ""), " |\n", "|\n"),
		"duplicate row":   strings.Replace(good, "\nAfter", "| `read` | yes | yes | yes | yes | yes | yes |\nAfter", 1),
	} {
		if ps := permissionTableProblems(strings.NewReader(bad)); len(ps) == 0 {
			t.Errorf("%s: no problem found", name)
		}
	}
}

// permissionTableProblems reads a markdown document whose permission table
// has the header | permission | owner | admin | ... |, one row per
// permission (in backticks) and yes or no in each cell, and returns every
// way in which it differs from caio.Can.
func permissionTableProblems(r io.Reader) []string {
	var problems []string
	fail := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	cells := func(line string) []string {
		line = strings.TrimPrefix(strings.TrimSuffix(line, "|"), "|")
		parts := strings.Split(line, "|")
		for i := range parts {
			parts[i] = strings.TrimSpace(parts[i])
		}
		return parts
	}
	var header []string
	got := map[caio.Permission]map[caio.Role]bool{}
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if header == nil {
			if c := cells(line); strings.HasPrefix(line, "|") && len(c) > 1 && strings.EqualFold(c[0], "permission") {
				header = c
			}
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break // the end of the table
		}
		c := cells(line)
		if strings.Trim(strings.Join(c, ""), "-: ") == "" {
			continue // the separator row
		}
		if len(c) != len(header) {
			fail("row %q has %d cells, the header %d", line, len(c), len(header))
			continue
		}
		p := caio.Permission(strings.Trim(c[0], "`"))
		if _, dup := got[p]; dup {
			fail("permission %q appears twice", p)
		}
		got[p] = map[caio.Role]bool{}
		for i, h := range header[1:] {
			switch strings.ToLower(c[i+1]) {
			case "yes":
				got[p][caio.Role(strings.ToLower(h))] = true
			case "no":
				got[p][caio.Role(strings.ToLower(h))] = false
			default:
				fail("permission %s, role %s: cell %q is neither yes nor no", p, h, c[i+1])
			}
		}
	}
	if err := sc.Err(); err != nil {
		return append(problems, err.Error())
	}
	if header == nil {
		return append(problems, "no table with the header | permission | owner | admin | ...")
	}
	for _, r := range caio.Roles {
		if !slices.ContainsFunc(header[1:], func(h string) bool { return caio.Role(strings.ToLower(h)) == r }) {
			fail("the table has no column for role %s", r)
		}
	}
	for _, p := range caio.Permissions {
		row, ok := got[p]
		if !ok {
			fail("the table has no row for permission %s", p)
			continue
		}
		for _, r := range caio.Roles {
			if yes, ok := row[r]; ok && yes != caio.Can(r, p) {
				fail("the table says %s %s %s, but caio.Can says otherwise", r, map[bool]string{true: "may", false: "may not"}[yes], p)
			}
		}
		delete(got, p)
	}
	for p := range got {
		fail("the table lists %q, which is not a permission", p)
	}
	return problems
}
