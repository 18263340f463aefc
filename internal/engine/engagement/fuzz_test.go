package engagement_test

import (
	"encoding/json"
	"testing"

	"github.com/caio-office/caio/internal/engine/engagement"
)

// FuzzParse feeds the template parser anything: it must not panic, and what
// it accepts must validate and lay out phases in order.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"name":"x","phases":[{"key":"discover","days":1},{"key":"assess","days":1},{"key":"strategise","days":1},{"key":"execute","days":1},{"key":"handover","days":1}],"items":[{"title":"t","phase":"assess","day":3}]}`))
	f.Add([]byte("name: a\nphases: []\nitems: [{title: b, phase: x, day: 99999}]\n"))
	f.Add([]byte("items: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tpl, err := engagement.Parse(b)
		if err != nil {
			return
		}
		if err := tpl.Validate(); err != nil {
			t.Fatalf("accepted, then invalid: %v", err)
		}
		ps, end := engagement.PlanPhases("2027-01-01", "", tpl.Lengths())
		if len(ps) != len(engagement.Phases) || ps[len(ps)-1].End != end {
			t.Fatalf("phases %+v end %s", ps, end)
		}
		for _, it := range tpl.Items {
			if engagement.AddDays("2027-01-01", it.Day) == "" {
				t.Fatalf("item day %d gives no date", it.Day)
			}
		}
	})
}

// FuzzParseJSON does the same for a template stored as JSON, and checks
// that what it accepts survives a round trip.
func FuzzParseJSON(f *testing.F) {
	b, _ := json.Marshal(engagement.Builtin())
	f.Add(b)
	f.Add([]byte(`{"name":"x","phases":[],"items":[{"title":"a","phase":"assess","day":-4}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		tpl, err := engagement.ParseJSON(b)
		if err != nil {
			return
		}
		again, _ := json.Marshal(tpl)
		if _, err := engagement.ParseJSON(again); err != nil {
			t.Fatalf("round trip refused: %v", err)
		}
	})
}
