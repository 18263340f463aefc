package server_test

import (
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
)

// Reminders have no route with a path parameter; their lists, through the
// API and the page, must show nothing of another organisation: not its
// controls' obligations (alpha's high-risk control is overdue), nor a risk
// review or a treatment made here.
func init() {
	isolationAreas = append(isolationAreas, isolationArea{
		objects: func(t *testing.T, s *servertest.Server, org *servertest.Org, tag string) map[string]string {
			t.Helper()
			if tag != "fixture" {
				return nil // only the intruder's targets need them
			}
			r, err := s.App.CreateRisk(org.Sys, caio.RiskInput{Title: "Reminder risk " + tag, Likelihood: 2, Impact: 2, Owner: "Nobody", ReviewDate: "2026-01-01"})
			if err != nil {
				t.Fatal(err)
			}
			tr, err := s.App.AddTreatment(org.Sys, r.ID, caio.TreatmentInput{Description: "Reminder treatment " + tag, Due: "2026-02-01"})
			if err != nil {
				t.Fatal(err)
			}
			return map[string]string{"reminder risk": r.ID, "reminder treatment": tr.ID}
		},
		apiLists: []string{"/api/v1/reminders?mine=0&within=730&limit=500", "/api/v1/reminders?limit=500", "/api/v1/reminders/preferences"},
		pages:    []string{"/reminders?mine=0&within=730&limit=500", "/reminders"},
	})
}
