package web

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/caio-office/caio"
)

// form keeps what the user typed and the problems found, so a failed form is
// shown again with their input intact and each problem beside its field.
type form struct {
	Values map[string]string
	Errors map[string]string
	// Message is the summary shown above the form.
	Message string
}

// maxFormBytes bounds a form body.
const maxFormBytes = 256 << 10

// readForm parses a posted form into a form value. An oversized or malformed
// body is an EINVALID error.
func readForm(rw http.ResponseWriter, r *http.Request) (*form, error) {
	r.Body = http.MaxBytesReader(rw, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return &form{}, caio.Errorf(caio.EINVALID, "The form could not be read (too large or malformed).")
	}
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	var v caio.Validation
	for k, vs := range r.PostForm {
		if len(vs) == 0 {
			continue
		}
		// No caio text means anything with invalid UTF-8 or NUL, and
		// PostgreSQL cannot store either: refuse it here, naming the field,
		// and keep a cleaned copy to show in the form again.
		val := vs[0]
		if !utf8.ValidString(val) || strings.ContainsRune(val, 0) {
			v.Add(strings.ToValidUTF8(k, "?"), "must be text without the NUL character or invalid UTF-8")
			val = strings.ToValidUTF8(strings.ReplaceAll(val, "\x00", ""), "\uFFFD")
		}
		f.Values[k] = val
	}
	return f, v.Err()
}

// Get returns what the user typed in a field.
func (f *form) Get(name string) string { return f.Values[name] }

// Err returns the problem with a field, if any.
func (f *form) Err(name string) string { return f.Errors[name] }

// fail records a service error on the form: each field problem beside its
// field, and a summary.
func (f *form) fail(err error) {
	if f.Errors == nil {
		f.Errors = map[string]string{}
	}
	for _, p := range caio.ErrorFields(err) {
		f.Errors[p.Field] = p.Message
	}
	f.Message = caio.ErrorMessage(err)
}

// float reads an optional number; an unreadable one is recorded as a field error.
func (f *form) float(name string) *float64 {
	s := strings.TrimSpace(f.Values[name])
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(strings.ReplaceAll(s, ",", ""), 64)
	if err != nil {
		f.Errors[name] = "must be a number, such as 12.5"
		return nil
	}
	return &v
}

func encodeFlash(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func decodeFlash(s string) string {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 500 {
		return ""
	}
	return string(b)
}
