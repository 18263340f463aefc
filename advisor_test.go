package caio_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/caio-office/caio"
)

// FuzzSplitAdviceKey checks that an action's key splits into a rule and an
// object that join back into it, and that anything else is refused.
//
//	go test . -run '^$' -fuzz FuzzSplitAdviceKey -fuzztime 30s
func FuzzSplitAdviceKey(f *testing.F) {
	for _, s := range []string{"system-unclassified/sys_06h1", "a/b", "/b", "a/", "a/b/c", "", "/", "rul_x/org_y", strings.Repeat("a", 300) + "/b", "a\x00/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		rule, object, ok := caio.SplitAdviceKey(key)
		if !ok {
			return
		}
		if rule == "" || object == "" || rule+"/"+object != key || strings.Contains(object, "/") || len(key) > 200 {
			t.Errorf("%q split into %q and %q", key, rule, object)
		}
	})
}

// FuzzTaskInput checks that validating a task never panics and that what
// it accepts is what the store may keep: trimmed, bounded, a known status,
// a date, and a link that stays on caio.
//
//	go test . -run '^$' -fuzz FuzzTaskInput -fuzztime 30s
func FuzzTaskInput(f *testing.F) {
	f.Add("Classify the chatbot", "", "", "2027-01-31", "open", "/systems")
	f.Add(" ", "d", "usr_nope", "31/01/2027", "DONE", "//evil.example")
	f.Add("x", "", "", "2027-02-30", "maybe", "/a b")
	f.Add("x", "", "", "", "", "javascript:alert(1)")
	f.Fuzz(func(t *testing.T, title, desc, owner, due, status, link string) {
		in := caio.TaskInput{Title: title, Description: desc, OwnerID: owner, Due: due, Status: status, Link: link}
		if err := in.Normalize(); err != nil {
			if caio.ErrorCode(err) != caio.EINVALID || len(caio.ErrorFields(err)) == 0 {
				t.Errorf("refusal without fields: %v", err)
			}
			return
		}
		if in.Title == "" || utf8.RuneCountInString(in.Title) > 200 || strings.TrimSpace(in.Title) != in.Title {
			t.Errorf("accepted title %q", in.Title)
		}
		if in.Status != "open" && in.Status != "done" && in.Status != "cancelled" {
			t.Errorf("accepted status %q", in.Status)
		}
		if in.Due != "" && len(in.Due) != 10 {
			t.Errorf("accepted due %q", in.Due)
		}
		if in.Link != "" && (!strings.HasPrefix(in.Link, "/") || strings.HasPrefix(in.Link, "//") || strings.Contains(in.Link, ":") && !strings.HasPrefix(in.Link, "/")) {
			t.Errorf("accepted link %q", in.Link)
		}
	})
}

// FuzzSnoozeInput checks that a snooze accepted is a date after today and
// within MaxSnoozeDays, with a reason.
func FuzzSnoozeInput(f *testing.F) {
	f.Add("2026-12-24", "After the audit", "2026-11-27")
	f.Add("2026-11-27", "today", "2026-11-27")
	f.Add("2028-01-01", "far", "2026-11-27")
	f.Add("24/12/2026", "", "2026-11-27")
	f.Fuzz(func(t *testing.T, until, reason, today string) {
		if len(today) != 10 {
			today = "2026-11-27"
		}
		in := caio.SnoozeInput{Until: until, Reason: reason}
		if err := in.Normalize(today); err != nil {
			return
		}
		if in.Reason == "" || len(in.Until) != 10 || in.Until <= today {
			t.Errorf("accepted %+v on %s", in, today)
		}
	})
}
