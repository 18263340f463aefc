package sqldb_test

import (
	"context"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The total of an unfiltered list comes from a kept count; it must always
// equal the rows there are, after creates, deletes and a recount.
func TestObjectiveCountKept(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		a := seedOrg(t, db, "count-a", "A")
		b := seedOrg(t, db, "count-b", "B")
		var objs []*caio.Objective
		for range 7 {
			objs = append(objs, seedObjective(t, db, a.ID, caio.Objective{Title: "a"}))
		}
		seedObjective(t, db, b.ID, caio.Objective{Title: "b"})
		mustWrite(t, db, func(c *sqldb.Conn) error {
			for _, o := range objs[:3] {
				if err := c.DeleteObjective(ctx, o); err != nil {
					return err
				}
			}
			return nil
		})
		check := func(when string) {
			t.Helper()
			mustRead(t, db, func(c *sqldb.Conn) error {
				for org, want := range map[string]int{a.ID: 4, b.ID: 1} {
					_, total, err := c.Objectives(ctx, org, caio.ObjectiveFilter{Page: caio.Page{Limit: 2}})
					if err != nil {
						return err
					}
					if total != want {
						t.Errorf("%s: total %d, want %d", when, total, want)
					}
					// A page past the end still reports the total.
					_, total, err = c.Objectives(ctx, org, caio.ObjectiveFilter{Page: caio.Page{Limit: 2, Offset: 50}})
					if err != nil {
						return err
					}
					if total != want {
						t.Errorf("%s, past the end: total %d, want %d", when, total, want)
					}
				}
				return nil
			})
		}
		check("after creates and deletes")
		if err := db.ExecRaw(ctx, `DELETE FROM org_counters`); err != nil {
			t.Fatal(err)
		}
		mustWrite(t, db, func(c *sqldb.Conn) error { return c.Recount(ctx) })
		check("after a recount")
	})
}
