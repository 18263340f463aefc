package caio_test

import (
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
)

func TestEventMatches(t *testing.T) {
	for _, tc := range []struct {
		filters []string
		action  string
		want    bool
	}{
		{[]string{"*"}, "incident.create", true},
		{[]string{"incident.*"}, "incident.create", true},
		{[]string{"incident.*"}, "incident.action.create", true},
		{[]string{"incident.*"}, "incidents.create", false},
		{[]string{"incident.create"}, "incident.create", true},
		{[]string{"incident.create"}, "incident.update", false},
		{[]string{"policy.approve", "use_case.*"}, "use_case.stage", true},
		{nil, "incident.create", false},
	} {
		if got := caio.EventMatches(tc.filters, tc.action); got != tc.want {
			t.Errorf("EventMatches(%v, %s) = %v, want %v", tc.filters, tc.action, got, tc.want)
		}
	}
}

func TestWebhookInputNormalize(t *testing.T) {
	in := caio.WebhookInput{URL: " https://hooks.example.com/x ", Events: []string{"Incident.*, policy.approve\npolicy.approve"}}
	if err := in.Normalize(); err != nil {
		t.Fatal(err)
	}
	if in.URL != "https://hooks.example.com/x" || strings.Join(in.Events, " ") != "incident.* policy.approve" {
		t.Errorf("normalised = %+v", in)
	}
	for _, bad := range []string{"incident", "incident.", "*.create", "incident.**", "a b!", "inci dent"} {
		in := caio.WebhookInput{URL: "https://x.example.com", Events: []string{bad}}
		err := in.Normalize()
		if fs := caio.ErrorFields(err); len(fs) == 0 || fs[0].Field != "events" {
			t.Errorf("events %q = %v, want an events error", bad, err)
		}
	}
}

func TestWebhookSignature(t *testing.T) {
	// A fixed vector, computed with: printf '%s' '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
	got := caio.WebhookSignature("whsec_test", 1700000000, []byte(`{"a":1}`))
	if got != "sha256=38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789" {
		t.Fatalf("signature %q differs from what openssl computes", got)
	}
	now := time.Unix(1700000000, 0)
	if !caio.VerifyWebhookSignature("whsec_test", got, "1700000000", []byte(`{"a":1}`), now.Add(time.Minute), 5*time.Minute) {
		t.Error("a good signature is refused")
	}
	for name, ok := range map[string]bool{
		"old":        caio.VerifyWebhookSignature("whsec_test", got, "1700000000", []byte(`{"a":1}`), now.Add(6*time.Minute), 5*time.Minute),
		"other key":  caio.VerifyWebhookSignature("whsec_other", got, "1700000000", []byte(`{"a":1}`), now, 5*time.Minute),
		"other time": caio.VerifyWebhookSignature("whsec_test", got, "1700000001", []byte(`{"a":1}`), now, 5*time.Minute),
		"bad time":   caio.VerifyWebhookSignature("whsec_test", got, "soon", []byte(`{"a":1}`), now, 5*time.Minute),
	} {
		if ok {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestWebhookBackoffGrows(t *testing.T) {
	prev := time.Duration(0)
	for n := 1; n < caio.MaxWebhookAttempts; n++ {
		d := caio.WebhookBackoff(n)
		if d < prev {
			t.Errorf("backoff %d = %v, less than %v", n, d, prev)
		}
		prev = d
	}
	if caio.WebhookBackoff(1) != 30*time.Second {
		t.Errorf("first wait %v", caio.WebhookBackoff(1))
	}
}

// FuzzWebhookInput feeds outside input to the webhook form's parsing:
// it never panics, and what it accepts matches itself.
func FuzzWebhookInput(f *testing.F) {
	f.Add("https://hooks.example.com/caio", "incident.* policy.approve")
	f.Add("http://[::1]:8080/x?y=1", "*")
	f.Add("https://user@host/", "a.b,c.*")
	f.Add("%zz", "\x00")
	f.Fuzz(func(t *testing.T, u, events string) {
		in := caio.WebhookInput{URL: u, Events: []string{events}}
		if in.Normalize() != nil {
			return
		}
		for _, e := range in.Events {
			if e == "*" {
				continue
			}
			action := strings.TrimSuffix(e, "*") + "x"
			if !strings.HasSuffix(e, "*") {
				action = e
			}
			if !caio.EventMatches(in.Events, action) {
				t.Errorf("filters %v do not match %q", in.Events, action)
			}
		}
		if caio.CheckWebhookURL(in.URL) != nil {
			t.Errorf("accepted URL %q fails its own check", in.URL)
		}
	})
}
