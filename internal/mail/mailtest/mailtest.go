// Package mailtest runs a local SMTP server for tests (github.com/emersion/go-smtp)
// on 127.0.0.1 with a free port, optionally offering STARTTLS with a
// self-signed certificate made for the test and asking for a password, and
// keeps every message it receives.
package mailtest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	caiomail "github.com/caio-office/caio/internal/mail"
)

// Options change the server.
type Options struct {
	// StartTLS offers STARTTLS with a certificate for 127.0.0.1.
	StartTLS bool
	// Username and Password, when set, are required (AUTH PLAIN).
	Username, Password string
	// RefuseRcpt refuses recipients that contain it.
	RefuseRcpt string
}

// Received is one message the server accepted.
type Received struct {
	From string
	To   []string
	Data string
	// TLS says the message came over an encrypted connection.
	TLS bool
}

// Header returns a header of the message, decoded (RFC 2047).
func (r Received) Header(name string) string {
	m, err := mail.ReadMessage(strings.NewReader(r.Data))
	if err != nil {
		return ""
	}
	v := m.Header.Get(name)
	if d, err := new(mime.WordDecoder).DecodeHeader(v); err == nil {
		return d
	}
	return v
}

// Body returns the message's text, decoded from quoted-printable.
func (r Received) Body() string {
	m, err := mail.ReadMessage(strings.NewReader(r.Data))
	if err != nil {
		return ""
	}
	b, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		return ""
	}
	return strings.ReplaceAll(string(b), "\r\n", "\n")
}

// Server is a running test SMTP server.
type Server struct {
	Addr string
	Host string
	Port int
	// Roots trusts the server's certificate, for the client's TLS config.
	Roots *x509.CertPool
	opts  Options
	mu    sync.Mutex
	msgs  []Received
}

// Start runs a server until the test ends.
func Start(tb testing.TB, o Options) *Server {
	tb.Helper()
	s := &Server{opts: o}
	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{s: s, conn: c}, nil
	}))
	srv.Domain = "127.0.0.1"
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.AllowInsecureAuth = true
	srv.ErrorLog = discard{}
	if o.StartTLS {
		cert, roots := selfSigned(tb)
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
		s.Roots = roots
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	s.Addr = ln.Addr().String()
	host, port, _ := net.SplitHostPort(s.Addr)
	s.Host = host
	s.Port, _ = strconv.Atoi(port)
	go srv.Serve(ln)
	tb.Cleanup(func() { srv.Close() })
	return s
}

// Config returns a client configuration that reaches the server, sending
// from from, with the server's credentials and TLS roots.
func (s *Server) Config(from string) caiomail.Config {
	c := caiomail.Config{Host: s.Host, Port: s.Port, From: from, Username: s.opts.Username, Password: s.opts.Password,
		TLS: caiomail.TLSOpportunistic, Timeout: 10 * time.Second}
	if s.Roots != nil {
		c.TLS = caiomail.TLSRequired
		c.TLSConfig = &tls.Config{RootCAs: s.Roots, MinVersion: tls.VersionTLS12}
	}
	return c
}

// Messages returns what the server received so far.
func (s *Server) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.msgs...)
}

type session struct {
	s    *Server
	conn *smtp.Conn
	auth bool
	cur  Received
}

func (x *session) AuthMechanisms() []string {
	if x.s.opts.Username == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (x *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != x.s.opts.Username || password != x.s.opts.Password {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Authentication credentials invalid"}
		}
		x.auth = true
		return nil
	}), nil
}

func (x *session) Mail(from string, _ *smtp.MailOptions) error {
	if x.s.opts.Username != "" && !x.auth {
		return smtp.ErrAuthRequired
	}
	x.cur = Received{From: from}
	return nil
}

func (x *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if x.s.opts.RefuseRcpt != "" && strings.Contains(to, x.s.opts.RefuseRcpt) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user"}
	}
	x.cur.To = append(x.cur.To, to)
	return nil
}

func (x *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	x.cur.Data = string(b)
	_, x.cur.TLS = x.conn.TLSConnectionState()
	x.s.mu.Lock()
	x.s.msgs = append(x.s.msgs, x.cur)
	x.s.mu.Unlock()
	return nil
}

func (x *session) Reset()        { x.cur = Received{} }
func (x *session) Logout() error { return nil }

type discard struct{}

func (discard) Printf(string, ...interface{}) {}
func (discard) Println(...interface{})        {}

// selfSigned makes a certificate for 127.0.0.1 and a pool that trusts it.
func selfSigned(tb testing.TB) (tls.Certificate, *x509.CertPool) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "mailtest"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true, IsCA: true, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatal(err)
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, pool
}
