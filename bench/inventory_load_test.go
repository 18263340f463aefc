package bench

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestLoadInventory measures the inventory list of an organisation with
// 10,000 AI systems (budget: p99 ≤ 20 ms at 16 connections):
//
//	CAIO_LOAD=1 go test ./bench -run TestLoadInventory -v
func TestLoadInventory(t *testing.T) {
	if os.Getenv("CAIO_LOAD") != "1" {
		t.Skip("set CAIO_LOAD=1 to run the load scenarios (they take minutes)")
	}
	dialects := []sqldb.Dialect{sqldb.SQLite}
	if os.Getenv(sqldbtest.EnvPostgresURL) != "" {
		dialects = append(dialects, sqldb.Postgres)
	}
	for _, d := range dialects {
		t.Run(string(d), func(t *testing.T) { inventoryRun(t, d) })
	}
}

func inventoryRun(t *testing.T, d sqldb.Dialect) {
	ctx := context.Background()
	db := sqldbtest.Open(t, d, sqldbtest.Options{MaxConns: connections})
	st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: 1000, Systems: 10000, PasswordHash: app.HashPassword("load-test-password")})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d systems in %d organisation(s) in %s", st.Systems, st.Orgs, st.Elapsed.Round(time.Millisecond))
	if d == sqldb.Postgres {
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
	server.ApplyRuntimeDefaults()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	auth := "Bearer " + token

	scenarios := []struct{ name, path string }{
		{"GET 50 of 10,000 systems, newest first", "/api/v1/systems?limit=50"},
		{"GET 50 of 10,000 systems by name", "/api/v1/systems?limit=50&sort=name"},
		{"GET 50 of 10,000 systems by next deadline", "/api/v1/systems?limit=50&sort=next_deadline"},
		{"GET 50 systems filtered by stage, page 20", "/api/v1/systems?limit=50&stage=production&offset=950"},
		{"GET systems searched by name", "/api/v1/systems?limit=50&q=claims"},
	}
	for _, sc := range scenarios {
		req, _ := http.NewRequest("GET", hs.URL+sc.path, nil)
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(b), `"total":`) {
			t.Fatalf("%s: %d %.200s", sc.path, resp.StatusCode, b)
		}
		t.Logf("%s: %d systems on the page, %d bytes", sc.path, strings.Count(string(b), `"id":"sys_`), len(b))
		// Warm the connection pools and statement caches first, so the run
		// measures requests rather than the first connections.
		var wg sync.WaitGroup
		for range connections {
			wg.Go(func() {
				for range 20 {
					if resp, err := http.DefaultClient.Do(req.Clone(ctx)); err == nil {
						io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
					}
				}
			})
		}
		wg.Wait()
		t.Log(load(t, sc.name+" ("+string(d)+")", "GET", hs.URL+sc.path, auth, ""))
	}
	t.Logf("machine: %s/%s, %d CPUs, %s, %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.Version(), time.Now().UTC().Format(time.DateOnly))
}
