package fedinv_test

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/caio-office/caio/internal/engine/fedinv"
)

// Every hi_* column maps to a practice of the catalogue's OMB M-25-21, with a reason.
func TestPracticesMapTheNineColumns(t *testing.T) {
	var cols []string
	f := catalog.Default().Framework(catalog.OMBM2521)
	if f == nil {
		t.Fatal("the catalogue has no OMB M-25-21")
	}
	covered := map[string]bool{}
	for _, p := range fedinv.Practices {
		cols = append(cols, p.Column)
		if catalog.Default().Item(catalog.OMBM2521, p.Control) == nil {
			t.Errorf("%s maps to %s, which the catalogue does not have", p.Column, p.Control)
		}
		if !strings.Contains(p.Reason, "M-25-21 appendix §4(b)") {
			t.Errorf("%s: the reason does not cite the memo: %q", p.Column, p.Reason)
		}
		covered[p.Control] = true
		if got, ok := fedinv.PracticeOf(p.Column); !ok || got != p {
			t.Errorf("PracticeOf(%s) = %+v, %v", p.Column, got, ok)
		}
	}
	if !slices.Equal(cols, fedinv.PracticeColumns) {
		t.Errorf("columns %v, want %v", cols, fedinv.PracticeColumns)
	}
	for _, it := range f.Items {
		if !covered[it.ID] {
			t.Errorf("no column reports on %s", it.ID)
		}
	}
	if _, ok := fedinv.PracticeOf("benefits"); ok {
		t.Error("benefits is not a practice column")
	}
}

func TestSourceAndAnswer(t *testing.T) {
	row := func(key string, kv ...string) fedinv.Row {
		r := fedinv.Row{Key: key, Values: map[string]string{}}
		for i := 0; i+1 < len(kv); i += 2 {
			r.Values[kv[i]] = kv[i+1]
		}
		return r
	}
	for _, c := range []struct {
		r    fedinv.Row
		want string
	}{
		{row("DHS|DHS-2389", "agency", "DHS", "id", "DHS-2389"), "US federal inventory 2025, row DHS-2389, field hi_testing_conducted"},
		{row("DOJ|DOJ-0160|2", "agency", "DOJ", "id", "DOJ-0160"), "US federal inventory 2025, row DOJ-0160 (occurrence 2), field hi_testing_conducted"},
		{row("VA|7|2", "agency", "VA", "id", "7"), "US federal inventory 2025, row 7 (occurrence 2), field hi_testing_conducted"},
		{row("VA|12", "agency", "VA", "id", "12"), "US federal inventory 2025, row 12, field hi_testing_conducted"},
		{row("DOE|name:Grid model", "agency", "DOE", "use_case_name", "Grid model"), "US federal inventory 2025, row DOE “Grid model”, field hi_testing_conducted"},
	} {
		if got := fedinv.Source(c.r, "hi_testing_conducted"); got != c.want {
			t.Errorf("Source(%s) = %q, want %q", c.r.Key, got, c.want)
		}
	}
	long := row("DOE|name:"+strings.Repeat("x", 300), "agency", "DOE", "use_case_name", strings.Repeat("x", 300))
	if s := fedinv.Source(long, "hi_public_consultation"); utf8.RuneCountInString(s) != 200 || !strings.HasSuffix(s, "…”, field hi_public_consultation") && !strings.HasSuffix(s, "…, field hi_public_consultation") {
		t.Errorf("long source %d runes: %q", utf8.RuneCountInString(s), s)
	}
	r := row("A|1", "hi_public_consultation", "['Usability Testing', 'Other']", "hi_testing_conducted", "  Yes ", "hi_appeal_process", "[]")
	if a := fedinv.Answer(r, "hi_public_consultation"); a != "Usability Testing\nOther" {
		t.Errorf("list answer %q", a)
	}
	if a := fedinv.Answer(r, "hi_testing_conducted"); a != "Yes" {
		t.Errorf("answer %q", a)
	}
	if a := fedinv.Answer(r, "hi_failsafe_presence"); a != "" {
		t.Errorf("empty answer %q", a)
	}
	if a := fedinv.Answer(row("A|1", "hi_public_consultation", "[]"), "hi_public_consultation"); a != "" {
		t.Errorf("empty list answer %q", a)
	}
	if a := fedinv.Answer(row("A|1", "hi_public_consultation", "not a list"), "hi_public_consultation"); a != "not a list" {
		t.Errorf("text answer %q", a)
	}
}
