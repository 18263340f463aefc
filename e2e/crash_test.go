package e2e

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestCrashSafety kills caio with SIGKILL while eight clients write through
// the API, restarts it on the same database, and checks that nothing
// acknowledged was lost and that the audit chain is whole: one audit event
// per objective, and the chain verifies. It does this three times on the
// same database.
func TestCrashSafety(t *testing.T) {
	eachDatabase(t, testCrashSafety)
}

const (
	crashRounds  = 3
	crashWriters = 8
)

func testCrashSafety(t *testing.T, db database) {
	s := startServer(t, db)
	se := completeSetup(t, s, account{OrgName: "Crash Test Ltd", Name: "Casey Crash", Email: "casey@example.com", Password: "correct horse battery"})
	token := se.createToken("crash")
	api := newAPIClient(t, s, token)
	setup := api.verifyAudit()
	if !setup.Intact || setup.Events == 0 {
		t.Fatalf("after setup the audit chain is %+v, want intact with the setup events", setup)
	}
	t.Logf("%s: setup left %d audit events", db.Name, setup.Events)

	acked := map[string]bool{}
	for round := 1; round <= crashRounds; round++ {
		ids := writeUntilKilled(t, s, token, round)
		if len(ids) == 0 {
			t.Fatalf("round %d: no write was acknowledged before the kill", round)
		}
		for _, id := range ids {
			acked[id] = true
		}

		restart := time.Now()
		s = startServer(t, db)
		api = newAPIClient(t, s, token)
		v := api.verifyAudit()
		found := api.objectiveIDs()
		var missing []string
		for id := range acked {
			if !found[id] {
				missing = append(missing, id)
			}
		}
		sort.Strings(missing)
		t.Logf("%s round %d: %d writes acknowledged before kill -9 (%d in all); restart healthy in %s; %d objectives and %d audit events found, chain intact=%v",
			db.Name, round, len(ids), len(acked), s.Healthy.Sub(restart).Round(time.Millisecond), len(found), v.Events, v.Intact)
		if len(missing) > 0 {
			t.Errorf("round %d: %d acknowledged objectives lost after kill -9, such as %v", round, len(missing), missing[:min(5, len(missing))])
		}
		if !v.Intact {
			t.Errorf("round %d: audit chain broken after kill -9: %+v", round, v.Break)
		}
		if want := setup.Events + int64(len(found)); v.Events != want {
			t.Errorf("round %d: %d audit events, want %d (%d from setup + one per objective found, %d)", round, v.Events, want, setup.Events, len(found))
		}
		if t.Failed() {
			return
		}
	}
}

// writeUntilKilled runs crashWriters clients that create objectives through
// the API for about two seconds, kills the server with SIGKILL while they
// write, and returns the id of every objective the server acknowledged with
// 201 Created. Any other answer before the kill fails the test.
func writeUntilKilled(t *testing.T, s *server, token string, round int) []string {
	t.Helper()
	api := newAPIClient(t, s, token)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var (
		killed     atomic.Bool
		mu         sync.Mutex
		ids        []string
		unexpected []string
		wg         sync.WaitGroup
	)
	for w := range crashWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ctx.Err() == nil; i++ {
				in := map[string]any{
					"title":   fmt.Sprintf("Crash round %d writer %d objective %d", round, w, i),
					"kpi":     "objectives that survive a crash",
					"target":  100,
					"unit":    "%",
					"horizon": "2027-12-31",
					"owner":   "Casey Crash",
				}
				var out struct {
					ID string `json:"id"`
				}
				status, raw, err := api.do(ctx, http.MethodPost, "/objectives", in, &out)
				switch {
				case err == nil && status == http.StatusCreated && out.ID != "":
					mu.Lock()
					ids = append(ids, out.ID)
					mu.Unlock()
				case killed.Load():
					return // the server is gone; this write may or may not have committed
				default:
					mu.Lock()
					unexpected = append(unexpected, fmt.Sprintf("writer %d: status %d, err %v: %.300s", w, status, err, raw))
					mu.Unlock()
					return
				}
			}
		}()
	}
	// Kill mid-stream, somewhere between 1.5 s and 2 s into the writes.
	time.Sleep(1500*time.Millisecond + rand.N(500*time.Millisecond))
	killed.Store(true)
	s.Kill()
	cancel()
	wg.Wait()
	for i, u := range unexpected {
		if i == 5 {
			t.Errorf("… and %d more unexpected answers", len(unexpected)-i)
			break
		}
		t.Errorf("round %d: unexpected answer before the kill: %s", round, u)
	}
	return ids
}
