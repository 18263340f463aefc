package sqldb

import (
	"testing"
	"time"
)

// FuzzParseStoredTime checks the fast path against time.Parse: whatever it
// accepts, time.Parse reads the same way; it never panics.
func FuzzParseStoredTime(f *testing.F) {
	for _, s := range []string{"2026-11-27T05:15:18.123456Z", "2024-02-29T23:59:59.999999Z", "2026-04-31T00:00:00.000000Z", "2026-13-01T00:00:00.000000Z", "", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseStoredTime(s)
		if !ok {
			return
		}
		want, err := time.Parse(TimeFormat, s)
		if err != nil {
			t.Fatalf("%q: fast path accepted what time.Parse refuses: %v", s, err)
		}
		if !got.Equal(want) || got.Location() != time.UTC {
			t.Fatalf("%q: fast path %v, time.Parse %v", s, got, want)
		}
	})
}

func TestStoredTimeRoundTrip(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Microsecond)
	got, ok := parseStoredTime(ts(now))
	if !ok || !got.Equal(now) {
		t.Fatalf("round trip of %v gave %v, %v", now, got, ok)
	}
}
