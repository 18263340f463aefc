// Package e2e tests the real caio binary from the outside: it builds
// ./cmd/caio once, starts `caio serve` on a free loopback port against a
// fresh database, and talks to it over HTTP and through a headless browser.
//
// Every test runs on the embedded SQLite database, and on PostgreSQL when
// CAIO_TEST_POSTGRES_URL names a database, for example
//
//	CAIO_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' go test ./e2e/ -v -count=1
//
// Each PostgreSQL run gets a schema of its own (e2e_<random>), dropped at
// the end. Under CI (CI=true) a missing CAIO_TEST_POSTGRES_URL or a missing
// browser fails the tests instead of skipping them.
package e2e

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// envPostgresURL names the PostgreSQL database the tests may create schemas in.
const envPostgresURL = "CAIO_TEST_POSTGRES_URL"

// binary is the caio binary that TestMain built.
var binary string

func TestMain(m *testing.M) {
	os.Exit(buildAndRun(m))
}

func buildAndRun(m *testing.M) int {
	root, err := moduleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "caio-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "caio")
	moduleDir = root
	build := exec.Command("go", "build", "-o", binary, "./cmd/caio")
	build.Dir = root
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	start := time.Now()
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: go build ./cmd/caio:", err)
		return 1
	}
	fmt.Fprintf(os.Stderr, "e2e: built %s in %s\n", binary, time.Since(start).Round(time.Millisecond))
	return m.Run()
}

var (
	moduleDir string
	statOnce  sync.Once
)

// statSources looks at every file the binary is built from. The go command
// caches a passing test until the files the test itself opened or looked at
// change; the binary is built by a child process whose reads it cannot see,
// so without this a change to the product would not rerun these tests.
func statSources(root string) {
	filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (strings.HasPrefix(name, ".") || name == "e2e" || name == "caio-data") {
				return filepath.SkipDir
			}
			return nil
		}
		switch filepath.Ext(path) {
		case ".go", ".html", ".css", ".js", ".svg", ".sql", ".mod", ".sum":
			os.Stat(path)
		}
		return nil
	})
}

// moduleRoot finds the directory of go.mod, asking the go command first and
// falling back to the parent of this package's directory.
func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if gomod := strings.TrimSpace(string(out)); err == nil && gomod != "" && gomod != os.DevNull {
		return filepath.Dir(gomod), nil
	}
	abs, err := filepath.Abs("..")
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(abs, "go.mod")); err != nil {
		return "", fmt.Errorf("cannot find the module root (no go.mod in %s)", abs)
	}
	return abs, nil
}

// underCI reports whether the tests run in CI, where missing dependencies
// fail instead of skipping.
func underCI() bool { return os.Getenv("CI") == "true" }

// database is where a caio process keeps its data: the flags that point
// `caio serve` at it. The same database can be served by several processes
// one after the other.
type database struct {
	Name string
	Args []string
}

// sqliteDatabase returns a fresh embedded database in a temporary directory.
func sqliteDatabase(t *testing.T) database {
	t.Helper()
	return database{Name: "sqlite", Args: []string{"--data", t.TempDir()}}
}

// postgresDatabase returns a fresh PostgreSQL schema, dropped when t ends.
// It skips t when CAIO_TEST_POSTGRES_URL is unset, and fails t under CI.
func postgresDatabase(t *testing.T) database {
	t.Helper()
	base := os.Getenv(envPostgresURL)
	if base == "" {
		if underCI() {
			t.Fatalf("%s is not set; under CI the PostgreSQL end-to-end tests must run", envPostgresURL)
		}
		t.Skipf("%s is not set; skipping PostgreSQL", envPostgresURL)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", envPostgresURL, err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	schema := "e2e_" + hex.EncodeToString(b[:])
	run := func(sql string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, base)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, sql)
		return err
	}
	if err := run("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("create schema %s: %v", schema, err)
	}
	// Registered before any server starts, so it runs after every server
	// of the test has stopped.
	t.Cleanup(func() {
		if err := run("DROP SCHEMA " + schema + " CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	// pgx passes unknown URL parameters to the server as run-time
	// parameters, so every connection of caio's pool starts in the schema.
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return database{Name: "postgres", Args: []string{"--database-url", u.String()}}
}

// eachDatabase runs fn as the subtests "sqlite" and "postgres", each on a
// fresh database.
func eachDatabase(t *testing.T, fn func(t *testing.T, db database)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, sqliteDatabase(t)) })
	t.Run("postgres", func(t *testing.T) { fn(t, postgresDatabase(t)) })
}

// syncBuffer collects a process's output; safe for concurrent use.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// server is one running `caio serve` process.
type server struct {
	t      *testing.T
	DB     database
	Base   string // http://127.0.0.1:PORT
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan struct{}
	err    error // the exit error, once exited is closed
	// Started is when the process was started; Healthy when /healthz first
	// answered 200.
	Started, Healthy time.Time
	stopped          bool
}

// freePort asks the kernel for a free loopback port. Another process could
// take it before caio binds it; that shows as a failed start, not a wrong
// result.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("find a free port: %v", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// caioEnv is the environment of the test without CAIO_* variables, so a
// developer's settings cannot change what the tests start.
func caioEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CAIO_") {
			env = append(env, kv)
		}
	}
	return env
}

// startServer starts `caio serve` on db and waits until /healthz answers 200.
// The process is stopped with SIGTERM when t ends (and must exit cleanly);
// its log is shown if t failed.
func startServer(t *testing.T, db database) *server {
	// The go command logs file lookups only once tests run, not in TestMain.
	statOnce.Do(func() { statSources(moduleDir) })
	t.Helper()
	addr := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	args := append([]string{"serve", "--addr", addr}, db.Args...)
	s := &server{t: t, DB: db, Base: "http://" + addr, stderr: &syncBuffer{}, exited: make(chan struct{})}
	s.cmd = exec.Command(binary, args...)
	s.cmd.Env = caioEnv()
	s.cmd.Stdout = s.stderr
	s.cmd.Stderr = s.stderr
	// Should the test binary die, the kernel kills the server too.
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	s.Started = time.Now()
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start caio: %v", err)
	}
	go func() {
		s.err = s.cmd.Wait()
		close(s.exited)
	}()
	t.Cleanup(func() {
		s.Stop()
		if t.Failed() {
			t.Logf("caio serve %s (%s) log:\n%s", addr, db.Name, tail(s.stderr.String(), 8000))
		}
	})
	s.waitHealthy(20 * time.Second)
	return s
}

// tail returns the last n bytes of s.
func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:]
}

// waitHealthy polls /healthz until it answers 200, the process exits or the
// deadline passes.
func (s *server) waitHealthy(within time.Duration) {
	s.t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(within)
	for {
		resp, err := client.Get(s.Base + "/healthz")
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				s.Healthy = time.Now()
				return
			}
		}
		select {
		case <-s.exited:
			s.t.Fatalf("caio serve exited before it was healthy: %v (its log follows)", s.err)
		default:
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("caio serve not healthy within %s (last error %v; its log follows)", within, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// PID is the process id of the server.
func (s *server) PID() int { return s.cmd.Process.Pid }

// Log is what the server wrote so far.
func (s *server) Log() string { return s.stderr.String() }

var setupLinkRE = regexp.MustCompile(`(http://\S+/setup\?token=setup_\S+)`)

// SetupLink returns the one-time setup link the server printed.
func (s *server) SetupLink() string {
	s.t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		if m := setupLinkRE.FindStringSubmatch(s.Log()); m != nil {
			return m[1]
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("caio serve printed no setup link; log:\n%s", s.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Stop sends SIGTERM and waits for a graceful exit, which must be clean.
// A server that does not stop within 20 s is killed. Stop is idempotent.
func (s *server) Stop() {
	s.t.Helper()
	if s.stopped {
		return
	}
	s.stopped = true
	select {
	case <-s.exited:
		return // killed, or died on its own (reported elsewhere)
	default:
	}
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-s.exited:
		if s.err != nil {
			s.t.Errorf("caio serve did not exit cleanly on SIGTERM: %v", s.err)
		}
	case <-time.After(20 * time.Second):
		_ = s.cmd.Process.Kill()
		<-s.exited
		s.t.Errorf("caio serve did not stop within 20 s of SIGTERM; killed it")
	}
}

// Kill ends the server with SIGKILL, as a crash or an OOM kill would, and
// waits until it is gone.
func (s *server) Kill() {
	s.t.Helper()
	s.stopped = true
	if err := s.cmd.Process.Kill(); err != nil && !errors.Is(err, os.ErrProcessDone) {
		s.t.Fatalf("kill caio: %v", err)
	}
	<-s.exited
}

// account is the first user of a test organisation.
type account struct {
	OrgName  string
	Name     string
	Email    string
	Password string
}

// session is a cookie-jar HTTP client signed in to a server, as a browser
// without JavaScript would be.
type session struct {
	t      *testing.T
	s      *server
	client *http.Client
}

func newSession(t *testing.T, s *server) *session {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &session{t: t, s: s, client: &http.Client{Jar: jar, Timeout: 30 * time.Second}}
}

// get fetches a page and returns its status and body.
func (se *session) get(path string) (int, string) {
	se.t.Helper()
	u := path
	if strings.HasPrefix(path, "/") {
		u = se.s.Base + path
	}
	resp, err := se.client.Get(u)
	if err != nil {
		se.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post submits a form, following the redirect that answers it, and returns
// the final status and body.
func (se *session) post(path string, form url.Values) (int, string) {
	se.t.Helper()
	resp, err := se.client.PostForm(se.s.Base+path, form)
	if err != nil {
		se.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var (
	h1RE       = regexp.MustCompile(`<h1>([^<]*)</h1>`)
	newTokenRE = regexp.MustCompile(`<code id="new-token">(caio_[^<\s]+)</code>`)
)

// completeSetup opens the setup link and submits the setup form.
func completeSetup(t *testing.T, s *server, a account) *session {
	t.Helper()
	se := newSession(t, s)
	link := s.SetupLink()
	status, body := se.get(link)
	if status != http.StatusOK || !strings.Contains(body, `action="/setup"`) {
		t.Fatalf("GET setup link: status %d, no setup form:\n%s", status, tail(body, 2000))
	}
	token := ""
	if u, err := url.Parse(link); err == nil {
		token = u.Query().Get("token")
	}
	status, body = se.post("/setup", url.Values{
		"token": {token}, "org_name": {a.OrgName}, "org_slug": {""},
		"name": {a.Name}, "email": {a.Email}, "password": {a.Password},
	})
	if m := h1RE.FindStringSubmatch(body); status != http.StatusOK || m == nil || m[1] != a.OrgName {
		t.Fatalf("POST /setup: status %d, want the home page of %q:\n%s", status, a.OrgName, tail(body, 2000))
	}
	return se
}

// createToken creates an API token on the tokens page and returns its secret.
func (se *session) createToken(name string) string {
	se.t.Helper()
	status, body := se.post("/tokens", url.Values{"name": {name}})
	m := newTokenRE.FindStringSubmatch(body)
	if status != http.StatusCreated || m == nil {
		se.t.Fatalf("POST /tokens: status %d, no new token shown:\n%s", status, tail(body, 2000))
	}
	return m[1]
}

// apiClient calls the JSON API with a bearer token.
type apiClient struct {
	t      *testing.T
	base   string
	token  string
	client *http.Client
}

func newAPIClient(t *testing.T, s *server, token string) *apiClient {
	return &apiClient{t: t, base: s.Base + "/api/v1", token: token, client: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 16},
	}}
}

// do sends a request with an optional JSON body and decodes a JSON answer
// into out when the status is 2xx. It returns the status and the raw body.
func (c *apiClient) do(ctx context.Context, method, path string, in, out any) (int, []byte, error) {
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return 0, nil, err
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, body)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, raw, err
	}
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(raw, out); err != nil {
			return resp.StatusCode, raw, fmt.Errorf("decode %s %s: %w", method, path, err)
		}
	}
	return resp.StatusCode, raw, nil
}

// mustGet GETs an API path, which must answer 200, into out.
func (c *apiClient) mustGet(path string, out any) {
	c.t.Helper()
	status, raw, err := c.do(context.Background(), http.MethodGet, path, nil, out)
	if err != nil || status != http.StatusOK {
		c.t.Fatalf("GET %s: status %d, err %v: %s", path, status, err, raw)
	}
}

// verification is the answer of GET /api/v1/audit/verify.
type verification struct {
	Events int64 `json:"events"`
	Intact bool  `json:"intact"`
	Break  *struct {
		Seq    int64  `json:"seq"`
		Reason string `json:"reason"`
	} `json:"break"`
}

func (c *apiClient) verifyAudit() verification {
	c.t.Helper()
	var v verification
	c.mustGet("/audit/verify", &v)
	return v
}

// objectiveIDs pages through every objective of the organisation.
func (c *apiClient) objectiveIDs() map[string]bool {
	c.t.Helper()
	ids := map[string]bool{}
	total := 0
	for offset := 0; ; {
		var page struct {
			Total int `json:"total"`
			Items []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		c.mustGet(fmt.Sprintf("/objectives?limit=500&offset=%d&sort=created", offset), &page)
		for _, it := range page.Items {
			if ids[it.ID] {
				c.t.Errorf("objective %s listed twice while paging", it.ID)
			}
			ids[it.ID] = true
		}
		if offset == 0 {
			total = page.Total
		}
		offset += len(page.Items)
		if len(page.Items) == 0 || offset >= page.Total {
			break
		}
	}
	if len(ids) != total {
		c.t.Errorf("paging found %d objectives, the first page said total %d", len(ids), total)
	}
	return ids
}
