// Package mail sends plain-text email through an SMTP relay: the
// organisation's mail server or a service such as a transactional mail
// provider. It speaks SMTP with net/smtp, upgrades the connection with
// STARTTLS when the server offers it (and refuses to go on without it when
// told to), or uses TLS from the start (smtps, port 465). Messages carry the
// headers mail clients and spam filters expect, encoded so that no value can
// add a header of its own.
package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// TLS modes: how a connection is protected.
const (
	// TLSOpportunistic upgrades with STARTTLS when the server offers it
	// and otherwise goes on in clear text (without sending a password,
	// unless the server is this machine). The default of smtp:// URLs.
	TLSOpportunistic = "opportunistic"
	// TLSRequired demands STARTTLS: a server that does not offer it is an error.
	TLSRequired = "required"
	// TLSImplicit speaks TLS from the first byte (smtps://, port 465).
	TLSImplicit = "implicit"
	// TLSNone never uses TLS: only for a relay on this machine or a test.
	TLSNone = "none"
)

// TLSModes lists the TLS modes.
var TLSModes = []string{TLSOpportunistic, TLSRequired, TLSImplicit, TLSNone}

// Config says how to reach the relay and who mail comes from.
type Config struct {
	// Host and Port of the SMTP server.
	Host string
	Port int
	// Username and Password, when the server wants them (AUTH PLAIN,
	// LOGIN or CRAM-MD5, whichever it offers first in that order).
	Username string
	Password string
	// From is the sender, an address with an optional name: "caio <caio@example.com>".
	From string
	// TLS is one of TLSModes; "" means TLSOpportunistic.
	TLS string
	// TLSConfig, when set, is used for STARTTLS and implicit TLS (tests set
	// RootCAs); otherwise the system's roots verify the server's name.
	TLSConfig *tls.Config
	// Helo is the name caio gives in EHLO; "" uses "localhost".
	Helo string
	// Timeout bounds one message's whole conversation (default 30 s).
	Timeout time.Duration
}

// ParseURL reads a relay URL: smtp://[user@]host[:port][?tls=required|none]
// or smtps://[user@]host[:port]. A password in the URL is refused: pass it
// apart (from a file), so it stays out of process listings and logs.
func ParseURL(s string) (Config, error) {
	var c Config
	u, err := url.Parse(strings.TrimSpace(s))
	if err != nil || u.Host == "" || u.Opaque != "" {
		return c, fmt.Errorf("SMTP URL must look like smtp://user@mail.example.com:587 or smtps://user@mail.example.com")
	}
	switch u.Scheme {
	case "smtp":
		c.TLS, c.Port = TLSOpportunistic, 587
	case "smtps":
		c.TLS, c.Port = TLSImplicit, 465
	default:
		return c, fmt.Errorf("SMTP URL must start with smtp:// or smtps://, not %q", u.Scheme+"://")
	}
	if u.User != nil {
		if _, set := u.User.Password(); set {
			return c, fmt.Errorf("SMTP URL must not hold the password: give it with --smtp-password-file or CAIO_SMTP_PASSWORD")
		}
		c.Username = u.User.Username()
	}
	c.Host = u.Hostname()
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return c, fmt.Errorf("SMTP URL port must be a number from 1 to 65535, not %q", p)
		}
		c.Port = n
	}
	if u.Path != "" && u.Path != "/" {
		return c, fmt.Errorf("SMTP URL must not have a path (%q)", u.Path)
	}
	for k, vs := range u.Query() {
		switch {
		case k == "tls" && len(vs) == 1 && (vs[0] == TLSRequired || vs[0] == TLSNone || vs[0] == TLSOpportunistic) && c.TLS != TLSImplicit:
			c.TLS = vs[0]
		case k == "tls":
			return c, fmt.Errorf("SMTP URL tls= must be required, opportunistic or none (smtps:// always uses TLS)")
		default:
			return c, fmt.Errorf("SMTP URL has an unknown parameter %q; only tls= is understood", k)
		}
	}
	return c, nil
}

// Validate names what is wrong with the configuration.
func (c *Config) Validate() error {
	var problems []string
	if c.Host == "" {
		problems = append(problems, "the SMTP host is missing")
	}
	if c.Port < 1 || c.Port > 65535 {
		problems = append(problems, "the SMTP port must be from 1 to 65535")
	}
	if _, err := mail.ParseAddress(c.From); err != nil || strings.ContainsAny(c.From, "\r\n") {
		problems = append(problems, fmt.Sprintf("the sender (--smtp-from) %q is not an email address such as \"caio <caio@example.com>\"", c.From))
	}
	switch c.TLS {
	case "", TLSOpportunistic, TLSRequired, TLSImplicit, TLSNone:
	default:
		problems = append(problems, "the TLS mode must be one of "+strings.Join(TLSModes, ", "))
	}
	if c.Password != "" && c.Username == "" {
		problems = append(problems, "a password is set but no user name: write it in the URL, smtp://user@host")
	}
	if len(problems) > 0 {
		return errors.New("mail: " + strings.Join(problems, "; "))
	}
	return nil
}

// addr is host:port.
func (c *Config) addr() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// String describes the relay without secrets, for logs.
func (c *Config) String() string {
	user := ""
	if c.Username != "" {
		user = c.Username + "@"
	}
	mode := c.TLS
	if mode == "" {
		mode = TLSOpportunistic
	}
	return "smtp://" + user + c.addr() + " (TLS " + mode + ")"
}

func (c *Config) tlsConfig() *tls.Config {
	t := &tls.Config{MinVersion: tls.VersionTLS12}
	if c.TLSConfig != nil {
		t = c.TLSConfig.Clone()
	}
	if t.ServerName == "" {
		t.ServerName = c.Host
	}
	return t
}

// Send delivers msg through the relay. Errors say what went wrong in words
// an operator can act on: the server cannot be reached, it refused the
// credentials or a recipient, or TLS was required but not offered.
func (c *Config) Send(ctx context.Context, msg Message) error {
	if err := c.Validate(); err != nil {
		return &RelayError{err}
	}
	data, err := c.Build(msg, time.Now())
	if err != nil {
		return err
	}
	from, _ := mail.ParseAddress(c.From)
	to := make([]string, len(msg.To))
	for i, r := range msg.To {
		a, _ := mail.ParseAddress(r) // Build checked them
		to[i] = a.Address
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return c.deliver(ctx, from.Address, to, data)
}

func (c *Config) deliver(ctx context.Context, from string, to []string, data []byte) (err error) {
	where := c.addr()
	d := net.Dialer{}
	conn, err := d.DialContext(ctx, "tcp", where)
	if err != nil {
		return relayErr("mail: cannot reach the SMTP server %s: %w", where, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if c.TLS == TLSImplicit {
		tc := tls.Client(conn, c.tlsConfig())
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			return relayErr("mail: TLS with the SMTP server %s failed: %w", where, err)
		}
		conn = tc
	}
	cl, err := smtp.NewClient(conn, c.Host)
	if err != nil {
		conn.Close()
		return relayErr("mail: the SMTP server %s did not greet: %w", where, err)
	}
	defer cl.Close()
	helo := c.Helo
	if helo == "" {
		helo = "localhost"
	}
	if err := cl.Hello(helo); err != nil {
		return relayErr("mail: the SMTP server %s refused EHLO: %w", where, err)
	}
	if c.TLS != TLSImplicit && c.TLS != TLSNone {
		if ok, _ := cl.Extension("STARTTLS"); ok {
			if err := cl.StartTLS(c.tlsConfig()); err != nil {
				return relayErr("mail: STARTTLS with the SMTP server %s failed: %w", where, err)
			}
		} else if c.TLS == TLSRequired {
			return relayErr("mail: the SMTP server %s does not offer STARTTLS, and TLS is required (tls=required): use a server that does, or smtps:// for TLS from the start", where)
		}
	}
	if c.Username != "" {
		if err := c.auth(cl, where); err != nil {
			return err
		}
	}
	if err := cl.Mail(from); err != nil {
		return relayErr("mail: the SMTP server %s refused the sender %s: %w", where, from, err)
	}
	for _, r := range to {
		if err := cl.Rcpt(r); err != nil {
			return fmt.Errorf("mail: the SMTP server %s refused the recipient %s: %w", where, r, err)
		}
	}
	w, err := cl.Data()
	if err != nil {
		return fmt.Errorf("mail: the SMTP server %s refused the message: %w", where, err)
	}
	if _, err := w.Write(data); err != nil {
		return fmt.Errorf("mail: sending the message to %s failed: %w", where, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("mail: the SMTP server %s did not accept the message: %w", where, err)
	}
	if err := cl.Quit(); err != nil && ctx.Err() != nil {
		return fmt.Errorf("mail: %s: %w", where, ctx.Err())
	}
	return nil
}

// auth signs in with the first mechanism the server offers among PLAIN,
// LOGIN and CRAM-MD5. Passwords are only sent over TLS, or to this machine.
func (c *Config) auth(cl *smtp.Client, where string) error {
	ok, mechs := cl.Extension("AUTH")
	if !ok {
		return relayErr("mail: the SMTP server %s offers no sign-in (AUTH), but a user name is configured: remove the user from the URL or enable AUTH on the server", where)
	}
	_, secure := cl.TLSConnectionState()
	if !secure && !isLocal(c.Host) {
		return relayErr("mail: refusing to send the password for %s to %s over a connection without TLS: the server did not offer STARTTLS; use smtps:// or enable STARTTLS on the server", c.Username, where)
	}
	offered := strings.Fields(strings.ToUpper(mechs))
	has := func(m string) bool {
		for _, o := range offered {
			if o == m {
				return true
			}
		}
		return false
	}
	var a smtp.Auth
	switch {
	case has("PLAIN"):
		a = plainAuth{user: c.Username, pass: c.Password}
	case has("LOGIN"):
		a = &loginAuth{user: c.Username, pass: c.Password}
	case has("CRAM-MD5"):
		a = smtp.CRAMMD5Auth(c.Username, c.Password)
	default:
		return relayErr("mail: the SMTP server %s offers only the sign-in methods %s; caio speaks PLAIN, LOGIN and CRAM-MD5", where, mechs)
	}
	if err := cl.Auth(a); err != nil {
		return relayErr("mail: the SMTP server %s refused the credentials of %s: %w", where, c.Username, err)
	}
	return nil
}

// RelayError is a failure of the relay as a whole — it cannot be reached,
// TLS or the sign-in failed, it refuses the sender — as opposed to the
// refusal of one recipient or message. Sending more messages is pointless
// until the configuration or the relay is fixed.
type RelayError struct{ err error }

func (e *RelayError) Error() string { return e.err.Error() }
func (e *RelayError) Unwrap() error { return e.err }

func relayErr(format string, args ...any) error {
	return &RelayError{fmt.Errorf(format, args...)}
}

// IsRelayError reports whether err is a failure of the relay as a whole.
func IsRelayError(err error) bool {
	var r *RelayError
	return errors.As(err, &r)
}

func isLocal(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// plainAuth is AUTH PLAIN (RFC 4616). net/smtp's PlainAuth checks TLS by
// itself against the name it was given; auth checks it once for every
// mechanism instead.
type plainAuth struct{ user, pass string }

func (a plainAuth) Start(*smtp.ServerInfo) (string, []byte, error) {
	return "PLAIN", []byte("\x00" + a.user + "\x00" + a.pass), nil
}

func (a plainAuth) Next(_ []byte, more bool) ([]byte, error) {
	if more {
		return nil, errors.New("unexpected challenge after AUTH PLAIN")
	}
	return nil, nil
}

// loginAuth is AUTH LOGIN, which some relays offer alone: the server asks
// for the user name, then the password.
type loginAuth struct {
	user, pass string
	step       int
}

func (a *loginAuth) Start(*smtp.ServerInfo) (string, []byte, error) { return "LOGIN", nil, nil }

func (a *loginAuth) Next(_ []byte, more bool) ([]byte, error) {
	if !more {
		return nil, nil
	}
	a.step++
	switch a.step {
	case 1:
		return []byte(a.user), nil
	case 2:
		return []byte(a.pass), nil
	}
	return nil, errors.New("unexpected challenge after AUTH LOGIN")
}
