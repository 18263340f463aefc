package main

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

// TestIncidentCommands lists and shows the demo's incidents as a script would.
func TestIncidentCommands(t *testing.T) {
	e := newEnv(t)
	e.must("demo")
	var page struct {
		Total     int              `json:"total"`
		Incidents []*caio.Incident `json:"incidents"`
	}
	invJSON(e, &page, "incident", "list", "--org", "demo", "--serious")
	if page.Total != 1 || len(page.Incidents) != 1 {
		t.Fatalf("serious incidents %+v", page)
	}
	i := page.Incidents[0]
	if !i.HighRisk || i.Clock == nil || i.Clock.State != "running" || i.Clock.Article != "Art 73(2)" || i.Clock.DaysLeft != 11 {
		t.Errorf("demo's serious incident %+v, clock %+v", i, i.Clock)
	}
	out := e.must("incident", "list", "--org", "demo")
	for _, want := range []string{"Pricing model loaded premiums", "running, due", "no report required", "2 of 2 incidents"} {
		if !strings.Contains(out, want) {
			t.Errorf("list lacks %q: %s", want, out)
		}
	}
	out = e.must("incident", "show", "--org", "demo", i.ID)
	for _, want := range []string{"Art 3(49)(c)", "report due", "Art 73(2), 15 days", "Life insurance pricing model", "Switch off the postcode", "Life insurance pricing model, high_risk"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q: %s", want, out)
		}
	}
	_, _, err := e.run("incident", "show", "--org", "demo", "inc_nope")
	wantCode(t, err, caio.ENOTFOUND)
	_, _, err = e.run("incident", "list", "--org", "demo", "--severity", "dire")
	wantCode(t, err, caio.EINVALID)
}
