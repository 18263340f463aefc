package app_test

import (
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// concurrencyDuration is how long TestConcurrentWrites writes on each
// database: CAIO_TEST_CONCURRENCY_SECONDS, 3 by default.
func concurrencyDuration(t *testing.T) time.Duration {
	s := os.Getenv("CAIO_TEST_CONCURRENCY_SECONDS")
	if s == "" {
		return 3 * time.Second
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n <= 0 {
		t.Fatalf("CAIO_TEST_CONCURRENCY_SECONDS=%q: want a positive number of seconds", s)
	}
	return time.Duration(n * float64(time.Second))
}

// TestConcurrentWrites has 16 writers create objectives and update a few
// shared ones (without an expected version, so no change may be refused) in
// one organisation at once. Every write must succeed, thanks to the store's
// retries, and every acknowledged write must have exactly one audit event in
// one linear, verifiable chain; no update may be lost.
//
// It writes for 3 seconds per database (the two run side by side). For the
// longer soak run, set the duration, for example:
//
//	CAIO_TEST_CONCURRENCY_SECONDS=30 \
//	CAIO_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
//	go test -run TestConcurrentWrites -timeout 10m -v ./internal/app/
func TestConcurrentWrites(t *testing.T) {
	const writers, shared = 16, 4
	d := concurrencyDuration(t)
	// Enough PostgreSQL connections for every writer plus the readers.
	sqldbtest.EachWith(t, sqldbtest.Options{MaxConns: 2 * writers}, func(t *testing.T, db *sqldb.DB) {
		t.Parallel()
		f := newFixture(t, db)
		ctx := f.as(caio.RoleEditor)
		var targets []*caio.Objective
		for i := range shared {
			targets = append(targets, f.objective(t, fmt.Sprintf("shared %d", i)))
		}
		setup := auditTotal(t, f.app, f.sys)

		var creates, updates, failures atomic.Int64
		deadline := time.Now().Add(d)
		var wg sync.WaitGroup
		for w := range writers {
			wg.Go(func() {
				for i := 0; time.Now().Before(deadline); i++ {
					var err error
					if i%4 == 0 {
						_, err = f.app.CreateObjective(ctx, caio.ObjectiveInput{Title: fmt.Sprintf("writer %d item %d", w, i)})
						if err == nil {
							creates.Add(1)
						}
					} else {
						o := targets[(w+i)%shared]
						_, err = f.app.UpdateObjective(ctx, o.ID, 0, caio.ObjectiveInput{Title: fmt.Sprintf("shared, by writer %d at %d", w, i), Target: ptr(float64(i))})
						if err == nil {
							updates.Add(1)
						}
					}
					if err != nil {
						failures.Add(1)
						t.Errorf("writer %d, write %d: %v", w, i, err)
						return
					}
				}
			})
		}
		wg.Wait()
		acked := int(creates.Load() + updates.Load())
		t.Logf("%s: %d creates and %d updates in %v (%.0f writes/s), %d failures",
			db.Dialect, creates.Load(), updates.Load(), d, float64(acked)/d.Seconds(), failures.Load())
		if acked == 0 {
			t.Fatal("no write succeeded")
		}

		if got := auditTotal(t, f.app, f.sys); got != setup+acked {
			t.Errorf("%d audit events, want %d (setup) + %d (acknowledged writes)", got, setup, acked)
		}
		v := verify(t, f.app, f.sys)
		if !v.Intact || v.Events != int64(setup+acked) {
			t.Errorf("VerifyAudit = %+v (break %+v), want %d intact events", v, v.Break, setup+acked)
		}

		// Every object is there, and every update bumped a version once.
		var all []*caio.Objective
		for off := 0; ; off += caio.MaxPageLimit {
			os, total, err := f.app.FindObjectives(ctx, caio.ObjectiveFilter{Page: caio.Page{Offset: off, Limit: caio.MaxPageLimit}})
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, os...)
			if len(all) >= total || len(os) == 0 {
				break
			}
		}
		if len(all) != shared+int(creates.Load()) {
			t.Errorf("%d objectives, want %d shared + %d created", len(all), shared, creates.Load())
		}
		bumps := 0
		for _, o := range all {
			bumps += o.Version - 1
		}
		if bumps != int(updates.Load()) {
			t.Errorf("versions were bumped %d times, want %d (one per acknowledged update): updates were lost", bumps, updates.Load())
		}
	})
}
