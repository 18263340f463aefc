package mail_test

import (
	"context"
	"net"
	"net/mail"
	"strings"
	"testing"
	"time"

	caiomail "github.com/caio-office/caio/internal/mail"
	"github.com/caio-office/caio/internal/mail/mailtest"
)

func send(t *testing.T, c caiomail.Config, msg caiomail.Message) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return c.Send(ctx, msg)
}

var digest = caiomail.Message{To: []string{"Ada Lovelace <ada@example.com>"}, Subject: "Deadlines: Art 26 — overdue", Auto: true,
	Body: "Überfällig: EU AI Act Art 26, due 2026-08-02\nhttps://caio.example.com/controls/ctl_1\n" + strings.Repeat("long line ", 20)}

// TestSendPlainAndStartTLS delivers one message through a local server,
// first in clear text, then with STARTTLS and a password, and checks what
// arrived.
func TestSendPlainAndStartTLS(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts mailtest.Options
	}{
		{"plain", mailtest.Options{}},
		{"starttls with password", mailtest.Options{StartTLS: true, Username: "caio", Password: "s3cret"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := mailtest.Start(t, tc.opts)
			c := srv.Config("caio <caio@example.com>")
			if err := send(t, c, digest); err != nil {
				t.Fatal(err)
			}
			got := srv.Messages()
			if len(got) != 1 {
				t.Fatalf("received %d messages", len(got))
			}
			m := got[0]
			if m.From != "caio@example.com" || len(m.To) != 1 || m.To[0] != "ada@example.com" {
				t.Errorf("envelope from %q to %v", m.From, m.To)
			}
			if m.TLS != tc.opts.StartTLS {
				t.Errorf("TLS = %v, want %v", m.TLS, tc.opts.StartTLS)
			}
			if s := m.Header("Subject"); s != digest.Subject {
				t.Errorf("subject %q", s)
			}
			for _, h := range []string{"Date", "Message-ID", "MIME-Version", "Content-Type", "Content-Transfer-Encoding", "Auto-Submitted"} {
				if m.Header(h) == "" {
					t.Errorf("no %s header in\n%s", h, m.Data)
				}
			}
			if !strings.Contains(m.Header("Content-Type"), "charset=utf-8") {
				t.Errorf("content type %q", m.Header("Content-Type"))
			}
			if b := m.Body(); !strings.Contains(b, "Überfällig: EU AI Act Art 26") || !strings.Contains(b, "https://caio.example.com/controls/ctl_1") {
				t.Errorf("body:\n%s", b)
			}
			for _, line := range strings.Split(m.Data, "\r\n") {
				if len(line) > 78 {
					t.Errorf("line longer than 78: %q", line)
				}
			}
		})
	}
}

// TestSendErrors checks that each failure names its cause.
func TestSendErrors(t *testing.T) {
	// A port nothing listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := ln.Addr().(*net.TCPAddr).Port
	ln.Close()

	plain := mailtest.Start(t, mailtest.Options{})
	secure := mailtest.Start(t, mailtest.Options{StartTLS: true, Username: "caio", Password: "right"})
	refusing := mailtest.Start(t, mailtest.Options{RefuseRcpt: "ada"})

	required := plain.Config("caio@example.com")
	required.TLS = caiomail.TLSRequired
	wrongPass := secure.Config("caio@example.com")
	wrongPass.Password = "wrong"
	untrusted := secure.Config("caio@example.com")
	untrusted.TLSConfig = nil
	noAuth := plain.Config("caio@example.com")
	noAuth.Username, noAuth.Password = "caio", "x"

	for _, tc := range []struct {
		name string
		c    caiomail.Config
		want string
	}{
		{"unreachable", caiomail.Config{Host: "127.0.0.1", Port: closed, From: "caio@example.com"}, "cannot reach the SMTP server 127.0.0.1:"},
		{"TLS required but not offered", required, "does not offer STARTTLS, and TLS is required"},
		{"password refused", wrongPass, "refused the credentials of caio"},
		{"certificate not trusted", untrusted, "STARTTLS with the SMTP server"},
		{"no AUTH offered", noAuth, "offers no sign-in (AUTH)"},
		{"recipient refused", refusing.Config("caio@example.com"), "refused the recipient ada@example.com"},
		{"bad sender", caiomail.Config{Host: "127.0.0.1", Port: 25, From: "not an address"}, "the sender (--smtp-from)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := send(t, tc.c, digest)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestParseURL reads relay URLs and refuses the ones it cannot use, saying why.
func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want caiomail.Config
		err  string
	}{
		{in: "smtp://caio@mail.example.com", want: caiomail.Config{Host: "mail.example.com", Port: 587, Username: "caio", TLS: caiomail.TLSOpportunistic}},
		{in: "smtp://mail.example.com:25?tls=required", want: caiomail.Config{Host: "mail.example.com", Port: 25, TLS: caiomail.TLSRequired}},
		{in: "smtps://caio%40example.com@smtp.example.com", want: caiomail.Config{Host: "smtp.example.com", Port: 465, Username: "caio@example.com", TLS: caiomail.TLSImplicit}},
		{in: "smtp://[::1]:2525?tls=none", want: caiomail.Config{Host: "::1", Port: 2525, TLS: caiomail.TLSNone}},
		{in: "smtp://caio:secret@mail.example.com", err: "must not hold the password"},
		{in: "http://mail.example.com", err: "must start with smtp://"},
		{in: "smtp://mail.example.com:99999", err: "port must be a number"},
		{in: "smtp://mail.example.com?tls=maybe", err: "tls= must be"},
		{in: "smtp://mail.example.com?user=x", err: "unknown parameter"},
		{in: "mail.example.com", err: "must look like"},
	} {
		got, err := caiomail.ParseURL(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || got.Host != tc.want.Host || got.Port != tc.want.Port || got.Username != tc.want.Username || got.TLS != tc.want.TLS {
			t.Errorf("%s: %+v %v, want %+v", tc.in, got, err, tc.want)
		}
	}
}

// FuzzBuild feeds any subject, names and body to the message builder: what
// comes out is always one message whose headers are exactly the expected
// ones, so no input can add or end a header.
func FuzzBuild(f *testing.F) {
	f.Add("Deadlines", "Ada", "ada@example.com", "body")
	f.Add("x\r\nBcc: evil@example.com", "Eve\r\nBcc: x@y", "eve@example.com", "\r\n.\r\nMAIL FROM:<x>")
	f.Add("Überfällig\u2028next", "Zoë \"Z\" O'Neil", "zoe@example.com", strings.Repeat("é", 300))
	f.Add("=?utf-8?q?Bcc:_x?=", "a\nb", "a@b.c\r\nBcc: d@e.f", "")
	f.Fuzz(func(t *testing.T, subject, name, addr, body string) {
		c := caiomail.Config{From: "caio <caio@example.com>"}
		to := (&mail.Address{Name: name, Address: addr}).String()
		b, err := c.Build(caiomail.Message{To: []string{to}, Subject: subject, Body: body, Auto: true}, time.Unix(1800000000, 0))
		if err != nil {
			return // refused input is fine; accepted input must be safe
		}
		m, err := mail.ReadMessage(strings.NewReader(string(b)))
		if err != nil {
			t.Fatalf("built message does not parse: %v\n%q", err, b)
		}
		want := map[string]bool{"Date": true, "Message-Id": true, "From": true, "To": true, "Subject": true, "Mime-Version": true,
			"Content-Type": true, "Content-Transfer-Encoding": true, "Auto-Submitted": true}
		for k, vs := range m.Header {
			if !want[k] || len(vs) != 1 {
				t.Fatalf("unexpected header %q = %q in\n%q", k, vs, b)
			}
		}
		if len(m.Header) != len(want) {
			t.Fatalf("headers %v", m.Header)
		}
		rcpts, err := m.Header.AddressList("To")
		if err != nil || len(rcpts) != 1 {
			t.Fatalf("To %q: %v %v", m.Header.Get("To"), rcpts, err)
		}
		for _, line := range strings.Split(string(b), "\r\n") {
			if strings.ContainsAny(line, "\r\n") {
				t.Fatalf("bare line break in %q", line)
			}
			if len(line) > 998 {
				t.Fatalf("line of %d bytes", len(line))
			}
		}
	})
}

// FuzzParseURL reads any relay URL without panicking; what it accepts has a
// host, a port in range, a known TLS mode and never a password.
func FuzzParseURL(f *testing.F) {
	for _, s := range []string{"smtp://caio@mail.example.com:587", "smtps://a%40b@h", "smtp://h?tls=required", "smtp://u:p@h", "smtp://[::1]:25?tls=none", "smtp://h:0", "smtp:h", "smtp://h/path"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := caiomail.ParseURL(s)
		if err != nil {
			return
		}
		if c.Host == "" || c.Port < 1 || c.Port > 65535 || c.Password != "" {
			t.Fatalf("%q gave %+v", s, c)
		}
		switch c.TLS {
		case caiomail.TLSOpportunistic, caiomail.TLSRequired, caiomail.TLSImplicit, caiomail.TLSNone:
		default:
			t.Fatalf("%q gave TLS mode %q", s, c.TLS)
		}
	})
}
