package e2e

import (
	"bufio"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestStartup measures, for the performance docs, how long caio takes from
// exec to its first healthy answer on an empty database, and how much memory
// it holds when idle after a few requests. It logs the figures and asserts
// only generous sanity bounds: timing on a shared machine is no test.
func TestStartup(t *testing.T) {
	if fi, err := os.Stat(binary); err == nil {
		t.Logf("binary size: %.1f MB", float64(fi.Size())/(1<<20))
	}
	eachDatabase(t, func(t *testing.T, db database) {
		const runs = 3
		var starts []time.Duration
		var s *server
		for i := range runs {
			if i > 0 {
				// Each measured start is on an empty database.
				if db.Name == "sqlite" {
					db = sqliteDatabase(t)
				} else {
					db = postgresDatabase(t)
				}
			}
			s = startServer(t, db)
			starts = append(starts, s.Healthy.Sub(s.Started))
			if i < runs-1 {
				s.Stop()
			}
		}
		slices.Sort(starts)
		median := starts[len(starts)/2]
		t.Logf("%s: start to first /healthz 200 on an empty database (migrations included): median %s of %d (min %s, max %s)",
			db.Name, ms(median), runs, ms(starts[0]), ms(starts[len(starts)-1]))
		if median > 5*time.Second {
			t.Errorf("%s: caio took %s to become healthy, want well under 5 s", db.Name, median)
		}

		// A few requests of every kind, then let it settle.
		se := completeSetup(t, s, account{OrgName: "Startup Ltd", Name: "Sam Start", Email: "sam@example.com", Password: "a long enough passphrase"})
		for _, p := range []string{"/", "/objectives", "/objectives/new", "/audit", "/tokens", "/members", "/settings", "/healthz", "/readyz", "/metrics", "/api/v1/openapi.json"} {
			if status, body := se.get(p); status != http.StatusOK {
				t.Errorf("GET %s: status %d: %.300s", p, status, body)
			}
		}
		api := newAPIClient(t, s, se.createToken("startup"))
		for i := range 20 {
			status, raw, err := api.do(t.Context(), http.MethodPost, "/objectives", map[string]any{"title": fmt.Sprintf("Objective %d", i)}, nil)
			if err != nil || status != http.StatusCreated {
				t.Fatalf("POST /api/v1/objectives: status %d, err %v: %s", status, err, raw)
			}
		}
		api.objectiveIDs()
		time.Sleep(time.Second)
		rss, hwm := memory(t, s.PID())
		t.Logf("%s: idle memory after setup and ~35 requests: VmRSS %.1f MB (peak VmHWM %.1f MB)", db.Name, mb(rss), mb(hwm))
		if rss > 200<<20 {
			t.Errorf("%s: idle RSS %.1f MB, want under 200 MB", db.Name, mb(rss))
		}

		// A restart on a database that has data and needs no migration.
		s.Stop()
		s = startServer(t, db)
		t.Logf("%s: restart on the same database to first /healthz 200: %s", db.Name, ms(s.Healthy.Sub(s.Started)))
	})
}

func ms(d time.Duration) string { return fmt.Sprintf("%.0f ms", float64(d.Microseconds())/1000) }

func mb(b int64) float64 { return float64(b) / (1 << 20) }

// memory reads VmRSS and VmHWM of a process, in bytes.
func memory(t *testing.T, pid int) (rss, hwm int64) {
	t.Helper()
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatalf("read the memory of caio: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, rest, ok := strings.Cut(sc.Text(), ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		fields := strings.Fields(rest) // "12345 kB"
		if len(fields) != 2 || fields[1] != "kB" {
			t.Fatalf("unexpected /proc status line %q", sc.Text())
		}
		kb, err := strconv.ParseInt(fields[0], 10, 64)
		if err != nil {
			t.Fatalf("unexpected /proc status line %q", sc.Text())
		}
		if name == "VmRSS" {
			rss = kb << 10
		} else {
			hwm = kb << 10
		}
	}
	if rss == 0 {
		t.Fatalf("no VmRSS in /proc/%d/status", pid)
	}
	return rss, hwm
}
