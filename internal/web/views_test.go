package web_test

import (
	"flag"
	"fmt"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
)

// Every view must be rendered by some test of this package, so a broken
// template cannot hide behind an untested page. Each page test records the
// views its server rendered; TestMain checks the union after a full run.
var views struct {
	sync.Mutex
	all, used map[string]bool
}

// recordViews adds the views s rendered to the package's tally.
func recordViews(s *servertest.Server) {
	views.Lock()
	defer views.Unlock()
	if views.all == nil {
		views.all, views.used = map[string]bool{}, map[string]bool{}
	}
	for _, v := range s.Handler.Web.Views() {
		views.all[v] = true
	}
	for v := range s.Handler.Web.UsedViews() {
		views.used[v] = true
	}
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if code == 0 && flag.Lookup("test.run").Value.String() == "" && views.all != nil {
		var missing []string
		for v := range views.all {
			if !views.used[v] {
				missing = append(missing, v)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			fmt.Fprintf(os.Stderr, "views never rendered by any test: %v; add a step that renders each\n", missing)
			code = 1
		}
		if len(views.used) < 10 {
			fmt.Fprintf(os.Stderr, "only %d views used; is UsedViews broken?\n", len(views.used))
			code = 1
		}
	}
	os.Exit(code)
}

// onDay pins the database clock, so next deadlines do not move with the calendar.
func onDay(db *sqldb.DB, day string) {
	d, _ := time.Parse(time.DateOnly, day)
	db.Now = func() time.Time { return d.Add(9 * time.Hour) }
}
