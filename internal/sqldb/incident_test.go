package sqldb_test

import (
	"slices"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestAdvisorIncidents checks the facts the advisor reads of incidents: a
// high-risk system first, dates as YYYY-MM-DD and the Art 73 deadline.
func TestAdvisorIncidents(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		db.Now = func() time.Time { return time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC) }
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		plain := s.NewSystem(t, org, "A chatbot")
		high := s.NewSystem(t, org, "Z scoring")
		if _, err := s.App.ClassifySystem(org.Sys, high.ID, servertest.HighRiskProfile()); err != nil {
			t.Fatal(err)
		}
		serious, err := s.App.CreateIncident(org.Sys, caio.IncidentInput{Title: "Death", AwareAt: "2026-11-20T10:00", Death: true,
			Severity: "critical", Owner: "CRO", Systems: []string{plain.ID, high.ID}})
		if err != nil {
			t.Fatal(err)
		}
		minor, err := s.App.CreateIncident(org.Sys, caio.IncidentInput{Title: "Typo", AwareAt: "2026-11-01", Severity: "low",
			ReportedAt: "2026-11-02T08:00", ReportedTo: "Nobody"})
		if err != nil {
			t.Fatal(err)
		}
		other := s.NewOrg(t, "globex")
		if _, err := s.App.CreateIncident(other.Sys, caio.IncidentInput{Title: "Globex", AwareAt: "2026-11-01", Severity: "low"}); err != nil {
			t.Fatal(err)
		}
		err = db.Read(t.Context(), func(c *sqldb.Conn) error {
			fs, err := c.AdvisorIncidents(t.Context(), org.ID, "2026-11-27")
			if err != nil {
				return err
			}
			if len(fs) != 2 {
				t.Fatalf("facts %+v", fs)
			}
			m, d := fs[0], fs[1]
			if m.ID != minor.ID || m.Serious || m.ReportDue != "" || m.Reported != "2026-11-02" || m.Aware != "2026-11-01" || m.SystemID != "" {
				t.Errorf("minor %+v", m)
			}
			if d.ID != serious.ID || !d.Serious || d.SystemID != high.ID || d.ReportDue != "2026-11-30" || d.Aware != "2026-11-20" ||
				d.Reported != "" || d.Owner != "CRO" || d.Severity != "critical" || d.Status != "open" {
				t.Errorf("serious %+v", d)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(sqldb.BackupTables(), "corrective_actions") {
			t.Error("corrective actions are not backed up")
		}
	})
}
