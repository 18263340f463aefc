package mail

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Message is one plain-text email.
type Message struct {
	// To are the recipients, each an address with an optional name.
	To []string
	// Subject is one line; control characters become spaces.
	Subject string
	// Body is the text, lines separated by \n; it is sent as UTF-8 in
	// quoted-printable, so long lines and any character arrive intact.
	Body string
	// Auto marks the message as sent by a program (Auto-Submitted:
	// auto-generated, RFC 3834), so auto-replies are not sent back.
	Auto bool
	// ID is the Message-ID, <…@domain>; "" makes a new one at the sender's domain.
	ID string
}

// MaxSubject bounds the subject, in characters.
const MaxSubject = 250

// Build returns the message as it goes on the wire: headers (Date,
// Message-ID, From, To, Subject, MIME) and the quoted-printable body, with
// CRLF line ends. Addresses are parsed and written again, and the subject
// is cleaned and encoded, so no input can end a header and start another.
func (c *Config) Build(msg Message, now time.Time) ([]byte, error) {
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("mail: the sender %q is not an email address", c.From)
	}
	if len(msg.To) == 0 {
		return nil, fmt.Errorf("mail: a message needs a recipient")
	}
	to := make([]string, len(msg.To))
	for i, r := range msg.To {
		a, err := mail.ParseAddress(r)
		if err != nil || strings.ContainsAny(a.Address, "\r\n") {
			return nil, fmt.Errorf("mail: the recipient %q is not an email address", r)
		}
		to[i] = a.String()
	}
	if !utf8.ValidString(msg.Body) {
		return nil, fmt.Errorf("mail: the body is not valid UTF-8")
	}
	var b bytes.Buffer
	header := func(name, value string) {
		b.WriteString(fold(name + ": " + value))
		b.WriteString("\r\n")
	}
	header("Date", now.Format(time.RFC1123Z))
	id := msg.ID
	if id == "" || strings.ContainsAny(id, "\r\n") {
		id = NewMessageID(from.Address)
	}
	header("Message-ID", id)
	header("From", from.String())
	header("To", strings.Join(to, ", "))
	header("Subject", mime.QEncoding.Encode("utf-8", cleanSubject(msg.Subject)))
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=utf-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	if msg.Auto {
		header("Auto-Submitted", "auto-generated")
	}
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	body := strings.ReplaceAll(msg.Body, "\r\n", "\n")
	body = strings.ReplaceAll(body, "\r", "\n")
	if _, err := qp.Write([]byte(body)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes(), nil
}

// cleanSubject turns control characters (line breaks included) into
// spaces, collapses runs of space and bounds the length.
func cleanSubject(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) > MaxSubject {
		s = string([]rune(s)[:MaxSubject-1]) + "…"
	}
	return s
}

// fold breaks a header line longer than 78 characters at spaces, as RFC
// 5322 §2.2.3 allows; the continuation lines start with a space, so they
// stay part of the header.
func fold(line string) string {
	if len(line) <= 78 {
		return line
	}
	var b strings.Builder
	n := 0
	for i, word := range strings.Split(line, " ") {
		if i > 0 {
			if n+1+len(word) > 78 {
				b.WriteString("\r\n ")
				n = 1
			} else {
				b.WriteByte(' ')
				n++
			}
		}
		b.WriteString(word)
		n += len(word)
	}
	return b.String()
}

// NewMessageID returns a unique Message-ID at the domain of the address from.
func NewMessageID(from string) string {
	domain := "caio.invalid"
	if at := strings.LastIndexByte(from, '@'); at >= 0 && at+1 < len(from) {
		domain = from[at+1:]
	}
	var r [16]byte
	rand.Read(r[:])
	return "<" + hex.EncodeToString(r[:]) + "@" + domain + ">"
}
