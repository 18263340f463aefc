// Package bench holds caio's load runs and benchmarks. They measure the
// budgets of docs/performance.md; they never gate CI on a time.
//
// The load run needs CAIO_LOAD=1 (it generates 100,000 objectives first):
//
//	CAIO_LOAD=1 go test ./bench -run TestLoad -v -timeout 30m
//	CAIO_LOAD=1 CAIO_TEST_POSTGRES_URL=postgres://... go test ./bench -run TestLoad -v
package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// result is one measured load scenario.
type result struct {
	Name     string
	Requests int64
	Errors   int64
	RPS      float64
	P50, P99 time.Duration
	Tool     string
	// CPU time per request, in microseconds, of caio (this process, which
	// also runs the bare handler) and of all PostgreSQL processes.
	CaioCPU, PostgresCPU float64
}

func (r result) String() string {
	return fmt.Sprintf("%-44s %9.0f req/s  p50 %7.2f ms  p99 %7.2f ms  errors %d  CPU/request: caio %.0f µs, postgres %.0f µs  (%s, %d requests)",
		r.Name, r.RPS, ms(r.P50), ms(r.P99), r.Errors, r.CaioCPU, r.PostgresCPU, r.Tool, r.Requests)
}

// cpuTicks returns the CPU time (user and system) of this process and of
// every PostgreSQL process on the machine, in clock ticks (1/100 s).
func cpuTicks() (self, postgres int64) {
	read := func(pid string) int64 {
		b, err := os.ReadFile("/proc/" + pid + "/stat")
		if err != nil {
			return 0
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
		u, _ := strconv.ParseInt(f[11], 10, 64)
		k, _ := strconv.ParseInt(f[12], 10, 64)
		return u + k
	}
	self = read("self")
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		if b, err := os.ReadFile("/proc/" + e.Name() + "/comm"); err == nil && strings.HasPrefix(string(b), "postgres") {
			postgres += read(e.Name())
		}
	}
	return self, postgres
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

const (
	connections = 16
	duration    = 10 * time.Second
)

func TestLoad(t *testing.T) {
	if os.Getenv("CAIO_LOAD") != "1" {
		t.Skip("set CAIO_LOAD=1 to run the load scenarios (they take minutes)")
	}
	dialects := []sqldb.Dialect{sqldb.SQLite}
	if os.Getenv(sqldbtest.EnvPostgresURL) != "" {
		dialects = append(dialects, sqldb.Postgres)
	}
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) { loadRun(t, d) })
	}
}

func loadRun(t *testing.T, d sqldb.Dialect) {
	ctx := context.Background()
	conns := 16 // caio's default PostgreSQL pool
	if n, err := strconv.Atoi(os.Getenv("CAIO_LOAD_PG_CONNS")); err == nil && n > 0 {
		conns = n
	}
	db := sqldbtest.Open(t, d, sqldbtest.Options{MaxConns: conns})
	scale := 100000
	if s, err := strconv.Atoi(os.Getenv("CAIO_LOAD_SCALE")); err == nil && s > 0 {
		scale = s
	}
	st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: scale, PasswordHash: app.HashPassword("load-test-password")})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d objectives in %d organisations (%d rows) in %s", st.Objectives, st.Orgs, st.Rows, st.Elapsed.Round(time.Millisecond))

	if d == sqldb.Postgres {
		// Settle the freshly loaded tables as autovacuum soon would, so the
		// run measures requests rather than PostgreSQL's catch-up work.
		if err := db.ExecRaw(ctx, `VACUUM ANALYZE`); err != nil {
			t.Fatal(err)
		}
	}
	a := app.New(db, slog.New(slog.DiscardHandler))
	sys := caio.WithActor(ctx, caio.Actor{System: true, Via: "load"})
	actor, err := a.UserActor(sys, st.FirstSlug, sqldb.BenchOwnerEmail(st.FirstSlug))
	if err != nil {
		t.Fatal(err)
	}
	_, token, err := a.CreateToken(caio.WithActor(ctx, actor), "load")
	if err != nil {
		t.Fatal(err)
	}
	srv, err := server.New(a, slog.New(slog.DiscardHandler), server.Config{})
	if err != nil {
		t.Fatal(err)
	}
	server.ApplyRuntimeDefaults() // as caio serve does
	hs := httptest.NewServer(srv)
	defer hs.Close()

	body1k := bytes.Repeat([]byte("x"), 1024)
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(body1k)
	}))
	defer bare.Close()

	auth := "Bearer " + token
	list := hs.URL + "/api/v1/objectives?limit=50"
	// Check the page really has 50 rows before measuring it.
	req, _ := http.NewRequest("GET", list, nil)
	req.Header.Set("Authorization", auth)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || strings.Count(string(b), `"id":"obj_`) != 50 {
		t.Fatalf("list page: %d, %d objectives", resp.StatusCode, strings.Count(string(b), `"id":"obj_`))
	}
	t.Logf("one page of 50 objectives is %d bytes", len(b))

	if os.Getenv("CAIO_LOAD_ONLY") == "get" { // for profiling one scenario
		t.Log(load(t, "GET 50 objectives (token auth, "+string(d)+")", "GET", list, auth, ""))
		return
	}
	results := []result{
		load(t, "bare net/http, fixed 1 KB body", "GET", bare.URL+"/", "", ""),
		load(t, "GET 50 objectives (token auth, "+string(d)+")", "GET", list, auth, ""),
		load(t, "POST objective + audit event ("+string(d)+")", "POST", hs.URL+"/api/v1/objectives", auth, `{"title":"Load test objective","kpi":"requests","baseline":1,"target":2,"horizon":"2027-12-31"}`),
	}
	for _, r := range results {
		t.Log(r)
	}
	t.Logf("ratio GET 50 objectives / bare handler: %.1f%%", 100*results[1].RPS/results[0].RPS)
	v, err := a.VerifyAudit(caio.WithActor(ctx, actor))
	if err != nil || !v.Intact {
		t.Fatalf("audit chain after load: %+v %v", v, err)
	}
	t.Logf("audit chain of %s intact after the load: %d events", st.FirstSlug, v.Events)
	t.Logf("machine: %s/%s, %d CPUs, %s, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), time.Now().UTC().Format(time.DateOnly))
}

// load measures one scenario with wrk when it is installed (a separate
// process, as a real client would be), or with a Go closed-loop client.
func load(t *testing.T, name, method, url, auth, body string) result {
	self0, pg0 := cpuTicks()
	var r result
	if path, err := exec.LookPath("wrk"); err == nil {
		r = loadWrk(t, path, name, method, url, auth, body)
	} else {
		r = loadGo(t, name, method, url, auth, body)
	}
	self1, pg1 := cpuTicks()
	if r.Requests > 0 {
		r.CaioCPU = float64(self1-self0) * 10000 / float64(r.Requests)
		r.PostgresCPU = float64(pg1-pg0) * 10000 / float64(r.Requests)
	}
	return r
}

var (
	wrkRPS      = regexp.MustCompile(`Requests/sec:\s+([\d.]+)`)
	wrkTotal    = regexp.MustCompile(`(\d+) requests in`)
	wrkLatency  = regexp.MustCompile(`(?m)^\s+(50|99)%\s+([\d.]+)(us|ms|s)`)
	wrkNon2xx   = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	wrkSockErrs = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func loadWrk(t *testing.T, wrk, name, method, url, auth, body string) result {
	script := filepath.Join(t.TempDir(), "req.lua")
	lua := fmt.Sprintf("wrk.method = %q\n", method)
	if auth != "" {
		lua += fmt.Sprintf("wrk.headers[\"Authorization\"] = %q\n", auth)
	}
	if body != "" {
		lua += fmt.Sprintf("wrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = %q\n", body)
	}
	if err := os.WriteFile(script, []byte(lua), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(wrk, "-t2", fmt.Sprintf("-c%d", connections), fmt.Sprintf("-d%ds", int(duration.Seconds())), "--latency", "-s", script, url).CombinedOutput()
	if err != nil {
		t.Fatalf("wrk: %v\n%s", err, out)
	}
	s := string(out)
	r := result{Name: name, Tool: "wrk -t2 -c16 -d10s"}
	if m := wrkRPS.FindStringSubmatch(s); m != nil {
		r.RPS, _ = strconv.ParseFloat(m[1], 64)
	}
	if m := wrkTotal.FindStringSubmatch(s); m != nil {
		r.Requests, _ = strconv.ParseInt(m[1], 10, 64)
	}
	for _, m := range wrkLatency.FindAllStringSubmatch(s, -1) {
		v, _ := strconv.ParseFloat(m[2], 64)
		unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[3]]
		d := time.Duration(v * float64(unit))
		if m[1] == "50" {
			r.P50 = d
		} else {
			r.P99 = d
		}
	}
	if m := wrkNon2xx.FindStringSubmatch(s); m != nil {
		r.Errors, _ = strconv.ParseInt(m[1], 10, 64)
	}
	if m := wrkSockErrs.FindStringSubmatch(s); m != nil {
		for _, x := range m[1:] {
			n, _ := strconv.ParseInt(x, 10, 64)
			r.Errors += n
		}
	}
	return r
}

func loadGo(t *testing.T, name, method, url, auth, body string) result {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: connections, MaxConnsPerHost: connections}}
	var n, errs atomic.Int64
	lat := make([][]time.Duration, connections)
	deadline := time.Now().Add(duration)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range connections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				req, _ := http.NewRequest(method, url, strings.NewReader(body))
				if auth != "" {
					req.Header.Set("Authorization", auth)
				}
				if body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode >= 300 {
						errs.Add(1)
					}
				} else {
					errs.Add(1)
				}
				lat[i] = append(lat[i], time.Since(t0))
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	var all []time.Duration
	for _, l := range lat {
		all = append(all, l...)
	}
	sort.Slice(all, func(i, j int) bool { return all[i] < all[j] })
	pct := func(p float64) time.Duration { return all[int(float64(len(all)-1)*p)] }
	return result{Name: name, Requests: n.Load(), Errors: errs.Load(), RPS: float64(n.Load()) / elapsed.Seconds(), P50: pct(.5), P99: pct(.99), Tool: "Go client, 16 connections, 10 s"}
}
