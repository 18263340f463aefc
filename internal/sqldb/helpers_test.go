package sqldb_test

import (
	"sync"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// clock is a settable time source for DB.Now, so tests can step past an
// expiry or give each write its own time.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

// useClock makes db take its time from a new clock that starts at t.
func useClock(db *sqldb.DB, t time.Time) *clock {
	c := &clock{t: t}
	db.Now = c.Now
	return c
}

// Now returns the clock's time.
func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock on by d and returns the new time.
func (c *clock) Advance(d time.Duration) time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	return c.t
}

// t0 is a fixed start time for clocks: stored times are UTC, microseconds.
var t0 = time.Date(2026, 3, 4, 5, 6, 7, 123456000, time.UTC)

// mustWrite runs fn in a write transaction and fails the test on error.
func mustWrite(t testing.TB, db *sqldb.DB, fn func(c *sqldb.Conn) error) {
	t.Helper()
	if err := db.Write(t.Context(), fn); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// mustRead runs fn on the reader pool and fails the test on error.
func mustRead(t testing.TB, db *sqldb.DB, fn func(c *sqldb.Conn) error) {
	t.Helper()
	if err := db.Read(t.Context(), fn); err != nil {
		t.Fatalf("read: %v", err)
	}
}

// wantCode fails the test unless err carries the caio error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := caio.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (err %v), want %q", got, err, code)
	}
}

// seedOrg stores an organisation with the slug, named after it.
func seedOrg(t testing.TB, db *sqldb.DB, slug, name string) *caio.Organization {
	t.Helper()
	o := &caio.Organization{ID: caio.NewID("org"), Slug: slug, Name: name}
	mustWrite(t, db, func(c *sqldb.Conn) error { return c.CreateOrg(t.Context(), o) })
	return o
}

// seedUser stores a user with the email.
func seedUser(t testing.TB, db *sqldb.DB, email string) *caio.User {
	t.Helper()
	u := &caio.User{ID: caio.NewID("usr"), Email: email, Name: "Name of " + email}
	mustWrite(t, db, func(c *sqldb.Conn) error { return c.CreateUser(t.Context(), u, "hash-of-"+email) })
	return u
}

// seedMember stores a user with the email and gives them the role in org.
func seedMember(t testing.TB, db *sqldb.DB, org *caio.Organization, email string, role caio.Role) *caio.User {
	t.Helper()
	u := seedUser(t, db, email)
	mustWrite(t, db, func(c *sqldb.Conn) error { return c.PutMembership(t.Context(), org.ID, u.ID, role) })
	return u
}

// seedObjective stores an objective in the organisation.
func seedObjective(t testing.TB, db *sqldb.DB, orgID string, o caio.Objective) *caio.Objective {
	t.Helper()
	o.ID, o.OrgID = caio.NewID("obj"), orgID
	mustWrite(t, db, func(c *sqldb.Conn) error { return c.CreateObjective(t.Context(), &o) })
	return &o
}

// getObjective reads an objective back.
func getObjective(t testing.TB, db *sqldb.DB, orgID, id string) *caio.Objective {
	t.Helper()
	var o *caio.Objective
	mustRead(t, db, func(c *sqldb.Conn) (err error) {
		o, err = c.Objective(t.Context(), orgID, id)
		return err
	})
	return o
}

// findObjectives lists objectives with the filter.
func findObjectives(t testing.TB, db *sqldb.DB, orgID string, f caio.ObjectiveFilter) ([]*caio.Objective, int) {
	t.Helper()
	if f.Limit == 0 {
		f.Limit = caio.DefaultPageLimit
	}
	var os []*caio.Objective
	var total int
	mustRead(t, db, func(c *sqldb.Conn) (err error) {
		os, total, err = c.Objectives(t.Context(), orgID, f)
		return err
	})
	return os, total
}

// titles returns the titles of objectives, in order.
func titles(os []*caio.Objective) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.Title
	}
	return out
}

func ptr[T any](v T) *T { return &v }
