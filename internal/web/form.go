package web

import (
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"

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
	for k, v := range r.PostForm {
		if len(v) > 0 {
			f.Values[k] = v[0]
		}
	}
	return f, nil
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
