package main

import (
	"strconv"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/mail/mailtest"
)

// TestDigestCommand sends the digest as an operator would: a dry run, then
// through a local relay that wants a password, then again (nothing more),
// and refuses what it cannot use, saying why.
func TestDigestCommand(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	e.must("risk", "create", "--org", "acme-bank", "--title", "Prompt injection", "--likelihood", "3", "--impact", "3",
		"--owner", "Ada Lovelace", "--review-date", "2026-01-15")

	out := e.must("digest", "send", "--dry-run", "--base-url", "https://caio.example.com")
	for _, want := range []string{"acme-bank (Acme Bank): would send 1", "would send to ada@example.com: 1 deadlines, 1 overdue",
		"| Hello Ada Lovelace", "| Risk review (1)", "Review the risk “Prompt injection”", "|   Why this date: Review date set on the risk",
		"|   Where: https://caio.example.com/risks/rsk_"} {
		if !strings.Contains(out, want) {
			t.Errorf("dry run lacks %q:\n%s", want, out)
		}
	}

	_, _, err := e.run("digest", "send")
	wantCode(t, err, caio.EINVALID)
	if !strings.Contains(err.Error(), "--smtp-url") {
		t.Errorf("without a relay: %v", err)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--smtp-url", "smtp://caio:secret@mail.example.com", "--smtp-from", "caio@example.com"}, "must not hold the password"},
		{[]string{"--smtp-url", "smtp://mail.example.com"}, "--smtp-from is required"},
		{[]string{"--smtp-url", "smtp://mail.example.com", "--smtp-from", "nobody"}, "is not an email address"},
		{[]string{"--smtp-url", "smtp://mail.example.com", "--smtp-from", "caio@example.com", "--digest-days", "0"}, "--digest-days must be"},
	} {
		_, _, err := e.run(append([]string{"digest", "send"}, tc.args...)...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}

	srv := mailtest.Start(t, mailtest.Options{Username: "caio", Password: "s3cret"})
	relay := []string{"digest", "send", "--smtp-url", "smtp://caio@127.0.0.1:" + strconv.Itoa(srv.Port),
		"--smtp-password-file", writeFile(t, "s3cret\n"), "--smtp-from", "caio <caio@example.com>", "--base-url", "https://caio.example.com"}
	out = e.must(relay...)
	if !strings.Contains(out, "sent 1, failed 0") || !strings.Contains(out, "sent to ada@example.com") {
		t.Errorf("send:\n%s", out)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || msgs[0].To[0] != "ada@example.com" || !strings.Contains(msgs[0].Body(), "https://caio.example.com/risks/rsk_") {
		t.Fatalf("received %+v", msgs)
	}
	if out = e.must(relay...); !strings.Contains(out, "sent 0, failed 0") || !strings.Contains(out, "already sent today 1") || len(srv.Messages()) != 1 {
		t.Errorf("second run:\n%s", out)
	}

	// A wrong password is named, and the command fails; the digest of
	// another organisation's owner waits for the next run.
	e.must("user", "create", "--email", "bob@example.com", "--org", "Beta Insurance", "--password-file", writeFile(t, "correct-horse-battery\n"))
	e.must("risk", "create", "--org", "beta-insurance", "--title", "Second", "--likelihood", "1", "--impact", "1", "--review-date", "2026-01-01")
	bad := append([]string{}, relay...)
	bad[5] = writeFile(t, "wrong")
	out, _, err = e.run(append(bad, "--org", "beta-insurance")...)
	if err == nil || !strings.Contains(out, "FAILED to bob@example.com") || !strings.Contains(out, "refused the credentials of caio") {
		t.Errorf("wrong password: %v\n%s", err, out)
	}
	if out = e.must(append(relay, "--org", "beta-insurance")...); !strings.Contains(out, "sent to bob@example.com") || len(srv.Messages()) != 2 {
		t.Errorf("after the failure:\n%s", out)
	}
}
