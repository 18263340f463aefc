package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/sqldb"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to make a test schema
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	_ "modernc.org/sqlite" // the "sqlite" driver, to tamper with a database
)

func TestMain(m *testing.M) {
	// The commands read CAIO_* variables as flag defaults: keep the
	// environment of whoever runs the tests out of them.
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "CAIO_") && !strings.HasPrefix(k, "CAIO_TEST_") {
			os.Unsetenv(k)
		}
	}
	os.Exit(m.Run())
}

// caioEnv runs commands against one database: a data directory, or a
// PostgreSQL URL when url is set.
type caioEnv struct {
	t    *testing.T
	data string
	url  string
}

// emptyEnv returns a new data directory with no database in it yet.
func emptyEnv(t *testing.T) *caioEnv {
	return &caioEnv{t: t, data: t.TempDir()}
}

// newEnv returns a migrated SQLite database in a new data directory.
func newEnv(t *testing.T) *caioEnv {
	t.Helper()
	e := &caioEnv{t: t, data: t.TempDir()}
	e.must("migrate")
	return e
}

// run runs caio with args and returns what it printed.
func (e *caioEnv) run(args ...string) (stdout, stderr string, err error) {
	return e.runIn("", args...)
}

// runIn runs caio with stdin as its standard input.
func (e *caioEnv) runIn(stdin string, args ...string) (stdout, stderr string, err error) {
	e.t.Helper()
	cmd := newRootCmd()
	var out, errOut bytes.Buffer
	cmd.SetOut(&out)
	cmd.SetErr(&errOut)
	cmd.SetIn(strings.NewReader(stdin))
	base := []string{"--data", e.data, "--log-level", "warn"}
	if e.url != "" {
		base = append(base, "--database-url", e.url)
	}
	cmd.SetArgs(append(base, args...))
	err = cmd.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

// must runs caio and fails the test on an error.
func (e *caioEnv) must(args ...string) string {
	e.t.Helper()
	out, errOut, err := e.run(args...)
	if err != nil {
		e.t.Fatalf("caio %s: %v\nstdout: %s\nstderr: %s", strings.Join(args, " "), err, out, errOut)
	}
	return out
}

// openApp opens the services over the env's database, as a server would.
func (e *caioEnv) openApp() *app.App {
	e.t.Helper()
	db, err := sqldb.Open(context.Background(), sqldb.Config{DataDir: e.data, URL: e.url})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { db.Close() })
	return app.New(db, nil)
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret.txt")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// setupOrg creates the organisation acme-bank with ada@example.com as owner.
func setupOrg(e *caioEnv) {
	e.t.Helper()
	out := e.must("user", "create", "--email", "ada@example.com", "--org", "Acme Bank", "--name", "Ada Lovelace",
		"--password-file", writeFile(e.t, "correct-horse-battery\n"))
	if !strings.Contains(out, "Created organisation Acme Bank (acme-bank)") {
		e.t.Fatalf("user create printed %q", out)
	}
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if caio.ErrorCode(err) != code {
		t.Fatalf("got error %v (%s), want code %s", err, caio.ErrorCode(err), code)
	}
}

func TestUserCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	ctx := context.Background()
	a := e.openApp()
	if _, err := a.Login(ctx, "ada@example.com", "correct-horse-battery", "test"); err != nil {
		t.Fatalf("the owner cannot sign in with the password from the file: %v", err)
	}

	// A second member; the password comes on standard input, as from a pipe.
	out, _, err := e.runIn("bob-password-1234\n", "user", "create", "--email", "Bob@Example.com", "--org", "acme-bank", "--role", "editor")
	if err != nil || !strings.Contains(out, "Added bob@example.com to acme-bank as editor") {
		t.Fatalf("user create: %q, %v", out, err)
	}
	if _, err := a.Login(ctx, "bob@example.com", "bob-password-1234", "test"); err != nil {
		t.Fatalf("bob cannot sign in: %v", err)
	}

	// An existing user joins a new organisation as its owner, without a password.
	out = e.must("user", "create", "--email", "bob@example.com", "--org", "Bob's Consultancy")
	if !strings.Contains(out, "bob-s-consultancy") {
		t.Fatalf("user create for an existing user: %q", out)
	}

	var ms []caio.Membership
	if err := json.Unmarshal([]byte(e.must("user", "list", "--org", "acme-bank", "--format", "json")), &ms); err != nil {
		t.Fatal(err)
	}
	if len(ms) != 2 || ms[0].Email != "ada@example.com" || ms[0].Role != caio.RoleOwner || ms[1].Role != caio.RoleEditor {
		t.Fatalf("members: %+v", ms)
	}
	if out := e.must("user", "list", "--org", "acme-bank"); !strings.Contains(out, "Ada Lovelace") || !strings.Contains(out, "ROLE") {
		t.Fatalf("user list: %q", out)
	}

	// Refusals that say what to do.
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"role missing for an existing organisation", "", []string{"user", "create", "--email", "cy@example.com", "--org", "acme-bank"}, "--role"},
		{"new organisation needs an owner", "", []string{"user", "create", "--email", "cy@example.com", "--org", "Nowhere Ltd", "--role", "viewer"}, "owner"},
		{"short password", "short\n", []string{"user", "create", "--email", "cy@example.com", "--org", "acme-bank", "--role", "viewer"}, "12 characters"},
		{"no password", "", []string{"user", "create", "--email", "cy@example.com", "--org", "acme-bank", "--role", "viewer"}, "No password"},
		{"bad role", "", []string{"user", "create", "--email", "cy@example.com", "--org", "acme-bank", "--role", "king"}, "role"},
		{"unknown organisation", "", []string{"user", "list", "--org", "nope"}, "nope"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.runIn(tc.stdin, tc.args...)
			if err == nil || !strings.Contains(userMessage(err), tc.want) {
				t.Fatalf("got %v, want an error mentioning %q", err, tc.want)
			}
		})
	}

	// A password reset signs the user out.
	session, err := a.Login(ctx, "ada@example.com", "correct-horse-battery", "test")
	if err != nil {
		t.Fatal(err)
	}
	out, _, err = e.runIn("a-brand-new-password\n", "user", "set-password", "--email", "ada@example.com")
	if err != nil || !strings.Contains(out, "Changed the password") {
		t.Fatalf("set-password: %q, %v", out, err)
	}
	if _, err := a.SessionActor(ctx, session); caio.ErrorCode(err) != caio.EUNAUTHORIZED {
		t.Fatalf("the session survived a password reset: %v", err)
	}
	if _, err := a.Login(ctx, "ada@example.com", "a-brand-new-password", "test2"); err != nil {
		t.Fatalf("the new password does not work: %v", err)
	}
	_, _, err = e.runIn("whatever-password\n", "user", "set-password", "--email", "nobody@example.com")
	wantCode(t, err, caio.ENOTFOUND)
}

func TestOrgCommands(t *testing.T) {
	e := newEnv(t)
	if out := e.must("org", "list"); !strings.Contains(out, "No organisations yet") {
		t.Fatalf("org list on an empty database: %q", out)
	}
	out := e.must("org", "create", "--name", "Acme Bank plc", "--owner-email", "ada@example.com", "--password-file", writeFile(t, "correct-horse-battery"))
	if !strings.Contains(out, "(acme-bank-plc)") {
		t.Fatalf("org create: %q", out)
	}
	e.must("org", "create", "--slug", "globex", "--name", "Globex", "--owner-email", "ada@example.com")
	_, _, err := e.run("org", "create", "--slug", "globex", "--name", "Globex again", "--owner-email", "ada@example.com")
	wantCode(t, err, caio.EINVALID) // the slug is taken
	var orgs []caio.Organization
	if err := json.Unmarshal([]byte(e.must("org", "list", "--format", "json")), &orgs); err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 2 || orgs[0].Slug != "acme-bank-plc" || orgs[1].Slug != "globex" {
		t.Fatalf("org list: %+v", orgs)
	}
}

func TestTokenCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	out, errOut, err := e.run("token", "create", "--email", "ada@example.com", "--org", "acme-bank", "--name", "ci-pipeline")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, "caio_") {
		t.Fatalf("stdout must be the token alone on one line, got %q", out)
	}
	if !strings.Contains(errOut, "tok_") {
		t.Fatalf("stderr must name the token id, got %q", errOut)
	}
	token := strings.TrimSpace(out)
	a := e.openApp()
	actor, err := a.TokenActor(context.Background(), token)
	if err != nil || actor.Email != "ada@example.com" || actor.OrgSlug != "acme-bank" || actor.Role != caio.RoleOwner {
		t.Fatalf("TokenActor: %+v, %v", actor, err)
	}

	var ts []caio.APIToken
	if err := json.Unmarshal([]byte(e.must("token", "list", "--email", "ada@example.com", "--org", "acme-bank", "--format", "json")), &ts); err != nil {
		t.Fatal(err)
	}
	if len(ts) != 1 || ts[0].Name != "ci-pipeline" || !strings.HasPrefix(token, ts[0].Prefix) || ts[0].RevokedAt != nil {
		t.Fatalf("token list: %+v", ts)
	}
	if out := e.must("token", "list", "--email", "ada@example.com", "--org", "acme-bank"); !strings.Contains(out, ts[0].ID) {
		t.Fatalf("token list: %q", out)
	}
	e.must("token", "revoke", "--org", "acme-bank", ts[0].ID)
	if _, err := a.TokenActor(context.Background(), token); caio.ErrorCode(err) != caio.EUNAUTHORIZED {
		t.Fatalf("a revoked token still works: %v", err)
	}

	// Clear refusals for people outside the organisation.
	e.must("org", "create", "--slug", "globex", "--name", "Globex", "--owner-email", "eve@example.com", "--password-file", writeFile(t, "eve-password-123"))
	_, _, err = e.run("token", "create", "--email", "eve@example.com", "--org", "acme-bank", "--name", "x")
	wantCode(t, err, caio.EFORBIDDEN)
	_, _, err = e.run("token", "create", "--email", "nobody@example.com", "--org", "acme-bank", "--name", "x")
	wantCode(t, err, caio.ENOTFOUND)
}

func TestAuditVerifyFindsTampering(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	e.must("objective", "create", "--org", "acme-bank", "--title", "Settle claims faster")
	out := e.must("audit", "verify", "--org", "acme-bank")
	if out != "audit chain of acme-bank intact: 3 events\n" {
		t.Fatalf("audit verify: %q", out)
	}
	var list struct {
		Total  int               `json:"total"`
		Events []caio.AuditEvent `json:"events"`
	}
	if err := json.Unmarshal([]byte(e.must("audit", "list", "--org", "acme-bank", "--object-type", "objective", "--format", "json")), &list); err != nil {
		t.Fatal(err)
	}
	if list.Total != 1 || list.Events[0].Action != "objective.create" {
		t.Fatalf("audit list: %+v", list)
	}
	if out := e.must("audit", "list", "--org", "acme-bank"); !strings.Contains(out, "organization.create") || !strings.Contains(out, "3 of 3 events") {
		t.Fatalf("audit list: %q", out)
	}

	// Someone with access to the file rewrites history.
	raw, err := sql.Open("sqlite", filepath.Join(e.data, "caio.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit_events SET actor = 'mallory' WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	raw.Close()

	out, _, err = e.run("audit", "verify", "--org", "acme-bank")
	var code exitCode
	if !errors.As(err, &code) || code != 1 {
		t.Fatalf("audit verify of a tampered chain returned %v, want exit code 1", err)
	}
	if !strings.Contains(out, "audit chain of acme-bank BROKEN at event 2") || !strings.Contains(out, "altered") {
		t.Fatalf("audit verify: %q", out)
	}
	if _, _, err := e.run("audit", "verify", "--all"); !errors.As(err, &code) || code != 1 {
		t.Fatalf("audit verify --all: %v, want exit code 1", err)
	}
	_, _, err = e.run("audit", "verify")
	wantCode(t, err, caio.EINVALID)
}

// objectiveJSON runs an objective command with --format json and decodes the result.
func objectiveJSON(e *caioEnv, args ...string) caio.Objective {
	e.t.Helper()
	var o caio.Objective
	if err := json.Unmarshal([]byte(e.must(append(args, "--format", "json")...)), &o); err != nil {
		e.t.Fatal(err)
	}
	return o
}

type objectiveList struct {
	Total      int              `json:"total"`
	Objectives []caio.Objective `json:"objectives"`
}

func listObjectives(e *caioEnv, org string) objectiveList {
	e.t.Helper()
	var l objectiveList
	if err := json.Unmarshal([]byte(e.must("objective", "list", "--org", org, "--sort", "title", "--limit", "500", "--format", "json")), &l); err != nil {
		e.t.Fatal(err)
	}
	return l
}

func TestObjectiveCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	o := objectiveJSON(e, "objective", "create", "--org", "acme-bank", "--title", "Settle simple claims faster",
		"--description", "Straight-through processing for simple claims.", "--kpi", "median days to settle",
		"--baseline", "9", "--target", "2.5", "--unit", "days", "--horizon", "2027-12-31", "--owner", "Head of Claims")
	if o.ID == "" || o.Title != "Settle simple claims faster" || *o.Baseline != 9 || *o.Target != 2.5 || o.Version != 1 || o.Horizon != "2027-12-31" {
		t.Fatalf("created %+v", o)
	}
	l := listObjectives(e, "acme-bank")
	if l.Total != 1 || l.Objectives[0].ID != o.ID {
		t.Fatalf("list: %+v", l)
	}
	if out := e.must("objective", "list", "--org", "acme-bank"); !strings.Contains(out, "9 → 2.5 days") || !strings.Contains(out, "1 of 1 objectives") {
		t.Fatalf("list text: %q", out)
	}

	u := objectiveJSON(e, "objective", "update", "--org", "acme-bank", o.ID, "--target", "3", "--baseline", "")
	if u.Version != 2 || u.Baseline != nil || *u.Target != 3 || u.Title != o.Title || u.Owner != "Head of Claims" {
		t.Fatalf("updated %+v", u)
	}
	_, _, err := e.run("objective", "update", "--org", "acme-bank", o.ID, "--version", "1", "--title", "Stale edit")
	wantCode(t, err, caio.ECONFLICT)
	if out := e.must("objective", "show", "--org", "acme-bank", o.ID); !strings.Contains(out, "Settle simple claims faster") {
		t.Fatalf("show: %q", out)
	}

	_, _, err = e.run("objective", "create", "--org", "acme-bank", "--title", "x", "--horizon", "next year", "--baseline", "lots")
	wantCode(t, err, caio.EINVALID)
	_, _, err = e.run("objective", "create", "--org", "acme-bank", "--title", "x", "--horizon", "next year")
	if !strings.Contains(userMessage(err), "YYYY-MM-DD") {
		t.Fatalf("a bad horizon gave %v", err)
	}

	e.must("objective", "delete", "--org", "acme-bank", o.ID)
	if l := listObjectives(e, "acme-bank"); l.Total != 0 {
		t.Fatalf("after delete: %+v", l)
	}
	_, _, err = e.run("objective", "delete", "--org", "acme-bank", o.ID)
	wantCode(t, err, caio.ENOTFOUND)
	if out := e.must("audit", "verify", "--org", "acme-bank"); !strings.Contains(out, "intact: 5 events") {
		t.Fatalf("audit verify: %q", out)
	}
}

// snapshot is what a restore must bring back: objectives, members and orgs.
func snapshot(e *caioEnv) string {
	e.t.Helper()
	var b strings.Builder
	orgs := e.must("org", "list", "--format", "json")
	b.WriteString(orgs)
	var os []caio.Organization
	if err := json.Unmarshal([]byte(orgs), &os); err != nil {
		e.t.Fatal(err)
	}
	for _, o := range os {
		b.WriteString(e.must("user", "list", "--org", o.Slug, "--format", "json"))
		b.WriteString(e.must("objective", "list", "--org", o.Slug, "--sort", "title", "--limit", "500", "--format", "json"))
		b.WriteString(e.must("audit", "list", "--org", o.Slug, "--limit", "500", "--format", "json"))
	}
	return b.String()
}

// demoEvents counts the audit events of the demo organisation.
func demoEvents(e *caioEnv) int {
	e.t.Helper()
	a := e.openApp()
	ctx, err := orgCtx(context.Background(), a, "demo")
	if err != nil {
		e.t.Fatal(err)
	}
	v, err := a.VerifyAudit(ctx)
	if err != nil {
		e.t.Fatal(err)
	}
	return int(v.Events)
}

// seedForBackup loads the demo and a second organisation with awkward numbers.
func seedForBackup(e *caioEnv) {
	e.t.Helper()
	e.must("demo")
	setupOrg(e)
	e.must("objective", "create", "--org", "acme-bank", "--title", "Exact numbers <&> \"quoted\" — ünïcode",
		"--baseline", "0.1", "--target", "123456789.123456789", "--unit", "%")
	e.must("objective", "create", "--org", "acme-bank", "--title", "Tiny and huge", "--baseline", "-0.000001", "--target", "1e300")
	e.must("token", "create", "--email", "ada@example.com", "--org", "acme-bank", "--name", "backup-test")
}

func TestBackupRestoreSQLiteCopy(t *testing.T) {
	src := newEnv(t)
	seedForBackup(src)
	file := filepath.Join(t.TempDir(), "caio.db")
	if out := src.must("backup", "--out", file); !strings.Contains(out, "SQLite copy") {
		t.Fatalf("backup: %q", out)
	}
	if b, _ := os.ReadFile(file); !bytes.HasPrefix(b, []byte("SQLite format 3\x00")) {
		t.Fatal("the backup is not a SQLite file")
	}
	if _, _, err := src.run("backup", "--out", file); caio.ErrorCode(err) != caio.ECONFLICT {
		t.Fatalf("a backup overwrote a file: %v", err)
	}
	if _, _, err := emptyEnv(t).run("backup", "--out", file+".2"); caio.ErrorCode(err) != caio.ENOTFOUND {
		t.Fatalf("a backup of a missing database: %v", err)
	}

	dst := emptyEnv(t)
	out := dst.must("restore", file)
	for _, want := range []string{"Restored the SQLite copy", fmt.Sprintf("audit chain of demo intact: %d events", demoEvents(src)), "audit chain of acme-bank intact: 5 events"} {
		if !strings.Contains(out, want) {
			t.Fatalf("restore printed %q, want %q", out, want)
		}
	}
	if got, want := snapshot(dst), snapshot(src); got != want {
		t.Fatalf("the restored database differs:\n%s\nwant:\n%s", got, want)
	}
	_, _, err := dst.run("restore", file)
	wantCode(t, err, caio.ECONFLICT)
	dst.must("objective", "create", "--org", "acme-bank", "--title", "Made after the backup")
	dst.must("restore", "--force", file)
	if got, want := snapshot(dst), snapshot(src); got != want {
		t.Fatal("restore --force did not bring the backup back")
	}
}

func TestBackupRestoreJSON(t *testing.T) {
	src := newEnv(t)
	seedForBackup(src)
	file := filepath.Join(t.TempDir(), "caio.json.gz")
	if out := src.must("backup", "--format", "json", "--out", file); !strings.Contains(out, fmt.Sprintf("%d tables", len(sqldb.BackupTables()))) {
		t.Fatalf("backup: %q", out)
	}
	if b, _ := os.ReadFile(file); !bytes.HasPrefix(b, []byte{0x1f, 0x8b}) {
		t.Fatal("the backup is not gzip'd")
	}

	dst := emptyEnv(t)
	out := dst.must("restore", file)
	if !strings.Contains(out, "audit chain of acme-bank intact: 5 events") || !strings.Contains(out, "a sqlite export") {
		t.Fatalf("restore: %q", out)
	}
	if got, want := snapshot(dst), snapshot(src); got != want {
		t.Fatalf("the restored database differs:\n%s\nwant:\n%s", got, want)
	}
	if _, err := dst.openApp().Login(context.Background(), "ada@example.com", "correct-horse-battery", "t"); err != nil {
		t.Fatalf("a restored user cannot sign in: %v", err)
	}
	// JSON restores only into an empty database, even with --force.
	_, _, err := dst.run("restore", "--force", file)
	wantCode(t, err, caio.ECONFLICT)
	// Anything else is refused before a change.
	_, _, err = dst.run("restore", writeFile(t, "not a backup"))
	wantCode(t, err, caio.EINVALID)
}

// postgresURL returns the URL of a fresh, empty schema in the test PostgreSQL
// database, dropped when the test ends. Without CAIO_TEST_POSTGRES_URL the
// test is skipped, except under CI, where it fails.
func postgresURL(t *testing.T) string {
	t.Helper()
	base := os.Getenv("CAIO_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CAIO_TEST_POSTGRES_URL is not set: PostgreSQL tests must run under CI")
		}
		t.Skip("CAIO_TEST_POSTGRES_URL is not set")
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "caio_cli_" + hex.EncodeToString(b[:])
	db, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err == nil {
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func TestJSONBackupMovesBetweenEngines(t *testing.T) {
	pg := &caioEnv{t: t, data: t.TempDir(), url: postgresURL(t)}
	src := newEnv(t)
	seedForBackup(src)
	file := filepath.Join(t.TempDir(), "from-sqlite.json.gz")
	src.must("backup", "--out", file, "--format", "json")

	// SQLite to PostgreSQL.
	out := pg.must("restore", file)
	if !strings.Contains(out, "audit chain of demo intact") || !strings.Contains(out, "audit chain of acme-bank intact: 5 events") {
		t.Fatalf("restore into PostgreSQL: %q", out)
	}
	if got, want := snapshot(pg), snapshot(src); got != want {
		t.Fatalf("PostgreSQL holds different data:\n%s\nwant:\n%s", got, want)
	}
	if _, _, err := pg.run("backup", "--format", "sqlite", "--out", filepath.Join(t.TempDir(), "x.db")); caio.ErrorCode(err) != caio.EINVALID {
		t.Fatalf("a SQLite copy of PostgreSQL: %v", err)
	}

	// And back: PostgreSQL to SQLite (auto is JSON on PostgreSQL).
	back := filepath.Join(t.TempDir(), "from-postgres.json.gz")
	if out := pg.must("backup", "--out", back); !strings.Contains(out, "JSON export") {
		t.Fatalf("backup of PostgreSQL: %q", out)
	}
	dst := emptyEnv(t)
	if out := dst.must("restore", back); !strings.Contains(out, "a postgres export") {
		t.Fatalf("restore: %q", out)
	}
	if got, want := snapshot(dst), snapshot(src); got != want {
		t.Fatal("the round trip through PostgreSQL changed the data")
	}

	// The benchmark generator on PostgreSQL, with a chain that verifies.
	if out := pg.must("demo", "--scale", "1500"); !strings.Contains(out, "1500 objectives") {
		t.Fatalf("demo --scale: %q", out)
	}
	out = pg.must("audit", "verify", "--all")
	if !strings.Contains(out, "audit chain of bench-001 intact: 1502 events") || strings.Contains(out, "BROKEN") {
		t.Fatalf("audit verify --all: %q", out)
	}
}

func TestDemoIsIdempotent(t *testing.T) {
	e := newEnv(t)
	out := e.must("demo")
	if !strings.Contains(out, app.DemoEmail) || !strings.Contains(out, app.DemoPassword) {
		t.Fatalf("demo must say how to sign in: %q", out)
	}
	before := snapshot(e)
	e.must("demo")
	if after := snapshot(e); after != before {
		t.Fatal("loading the demo twice changed the data")
	}
	if l := listObjectives(e, "demo"); l.Total != 8 {
		t.Fatalf("the demo has %d objectives", l.Total)
	}
	a := e.openApp()
	ctx := context.Background()
	for _, u := range app.DemoUsers {
		if _, err := a.Login(ctx, u.Email, app.DemoPassword, "t"); err != nil {
			t.Fatalf("%s cannot sign in: %v", u.Email, err)
		}
	}
	actor, err := a.UserActor(ctx, app.DemoConsultingSlug, app.DemoEmail)
	if err != nil || actor.Role != caio.RoleEditor {
		t.Fatalf("the demo user in the second organisation: %+v, %v", actor, err)
	}
	if out := e.must("audit", "verify", "--all"); strings.Count(out, "intact") != 2 {
		t.Fatalf("audit verify --all: %q", out)
	}
}

func TestDemoScale(t *testing.T) {
	e := newEnv(t)
	out := e.must("demo", "--scale", "2000")
	if !strings.Contains(out, "Generated 2 organisations (bench-001 to bench-002)") || !strings.Contains(out, "2000 objectives") {
		t.Fatalf("demo --scale: %q", out)
	}
	out = e.must("audit", "verify", "--all")
	if out != "audit chain of bench-001 intact: 1002 events\naudit chain of bench-002 intact: 1002 events\n" {
		t.Fatalf("audit verify --all: %q", out)
	}
	// Numbering goes on after existing benchmark organisations.
	if out := e.must("demo", "--scale", "10"); !strings.Contains(out, "bench-003") {
		t.Fatalf("a second run: %q", out)
	}
	if l := listObjectives(e, "bench-002"); l.Total != 1000 {
		t.Fatalf("bench-002 has %d objectives", l.Total)
	}
	a := e.openApp()
	if _, err := a.Login(context.Background(), sqldb.BenchOwnerEmail("bench-001"), benchPassword, "t"); err != nil {
		t.Fatalf("the benchmark owner cannot sign in: %v", err)
	}
	_, _, err := e.run("demo", "--scale", "0")
	wantCode(t, err, caio.EINVALID)
}

// TestHelp checks that every command documents itself.
func TestHelp(t *testing.T) {
	e := newEnv(t)
	out := e.must("--help")
	for _, name := range []string{"audit", "backup", "demo", "objective", "org", "restore", "token", "user"} {
		if !strings.Contains(out, "\n  "+name+" ") {
			t.Errorf("caio --help does not list %s", name)
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Short == "" {
			t.Errorf("%q has no short help", c.CommandPath())
		}
		c.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if f.Usage == "" {
				t.Errorf("%s --%s has no help", c.CommandPath(), f.Name)
			}
		})
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(newRootCmd())
}
