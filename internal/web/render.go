package web

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/caio-office/caio"
)

//go:embed templates static
var assets embed.FS

// page is what every view receives.
type page struct {
	Title  string
	Actor  caio.Actor
	Orgs   []*caio.Membership
	Nav    string // the key of the active navigation entry
	Flash  string
	Data   any
	Form   *form
	Static func(name string) string
}

// Can reports whether the viewer's role grants a permission, so views show
// only the actions that will work. The services still decide.
func (p *page) Can(perm string) bool { return caio.Can(p.Actor.Role, caio.Permission(perm)) }

// OrgName is the name of the viewer's current organisation.
func (p *page) OrgName() string {
	for _, m := range p.Orgs {
		if m.OrgID == p.Actor.OrgID {
			return m.OrgName
		}
	}
	return ""
}

// views holds every template, parsed once at start-up.
type views struct {
	t map[string]*template.Template
	// used records which views ran, for the test that every view is exercised.
	mu   sync.Mutex
	used map[string]bool
}

var funcs = template.FuncMap{
	"date": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02")
	},
	"datetime": func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") },
	"isotime":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"num": func(f *float64) string {
		if f == nil {
			return ""
		}
		return strings.TrimRight(strings.TrimRight(fmt.Sprintf("%.4f", *f), "0"), ".")
	},
	"add":   func(a, b int) int { return a + b },
	"sub":   func(a, b int) int { return a - b },
	"roles": func() []caio.Role { return caio.Roles },
	"can":   func(r caio.Role, p caio.Permission) bool { return caio.Can(r, p) },
	"deref": func(t *time.Time) time.Time {
		if t == nil {
			return time.Time{}
		}
		return *t
	},
	"navAreas": func() []navArea { return navAreas },
	"today":    func() time.Time { return now().UTC() },
	"longdate": func(t time.Time) string { return t.UTC().Format("Monday 2 January 2006") },
	"horizon":  horizonOf,
	"changes":  changesOf,
	"problems": problemsOf,
	"dict": func(kv ...any) (map[string]any, error) {
		if len(kv)%2 != 0 {
			return nil, fmt.Errorf("dict: odd number of arguments")
		}
		m := make(map[string]any, len(kv)/2)
		for i := 0; i < len(kv); i += 2 {
			k, ok := kv[i].(string)
			if !ok {
				return nil, fmt.Errorf("dict: key %v is not a string", kv[i])
			}
			m[k] = kv[i+1]
		}
		return m, nil
	},
}

func parseViews() (*views, error) {
	v := &views{t: map[string]*template.Template{}, used: map[string]bool{}}
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(assets, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(assets, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, path := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(path, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(assets, path)
		if err != nil {
			return nil, fmt.Errorf("view %s: %w", name, err)
		}
		v.t[name] = t
	}
	return v, nil
}

// Views lists the names of every view, for tests.
func (w *Web) Views() []string {
	var out []string
	for n := range w.views.t {
		out = append(out, n)
	}
	return out
}

// UsedViews lists the views rendered so far, for tests.
func (w *Web) UsedViews() map[string]bool {
	w.views.mu.Lock()
	defer w.views.mu.Unlock()
	out := map[string]bool{}
	for k := range w.views.used {
		out[k] = true
	}
	return out
}

// render writes a view inside the layout, with the viewer's organisations for
// the switcher. It renders into a buffer first, so a template error gives a
// clean 500 instead of half a page.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	t, ok := w.views.t[name]
	if !ok {
		panic("web: no view " + name) // a programming error, caught by the tests
	}
	w.views.mu.Lock()
	w.views.used[name] = true
	w.views.mu.Unlock()
	p.Actor, _ = caio.ActorFrom(r.Context())
	if p.Actor.UserID != "" && p.Orgs == nil {
		p.Orgs, _ = w.app.MyMemberships(r.Context())
	}
	if p.Form == nil {
		p.Form = &form{}
	}
	if p.Flash == "" {
		p.Flash = readFlash(rw, r)
	}
	p.Static = w.static.path
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout.html", p); err != nil {
		w.app.Log.Error("render", "view", name, "err", err)
		http.Error(rw, "Internal error.", http.StatusInternalServerError)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
	buf.WriteTo(rw)
}

const flashCookie = "caio_flash"

// flash leaves a one-line message for the next page (after a redirect).
func (w *Web) flash(rw http.ResponseWriter, msg string) {
	http.SetCookie(rw, &http.Cookie{Name: flashCookie, Value: encodeFlash(msg), Path: "/", HttpOnly: true, Secure: w.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

func readFlash(rw http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(rw, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	return decodeFlash(c.Value)
}

// redirect answers a form post with 303 See Other.
func redirect(rw http.ResponseWriter, r *http.Request, to string) {
	http.Redirect(rw, r, to, http.StatusSeeOther)
}

// now is the clock of the views, for horizons relative to today.
var now = time.Now

// horizonInfo says how far a horizon (a YYYY-MM-DD date) is from today, so
// views can make near and past ones stand out.
type horizonInfo struct {
	Set   bool   // the horizon is a readable date
	Days  int    // days from today (UTC) to the horizon; negative when past
	State string // "none", "past", "soon" (today up to 90 days ahead) or "later"
	Text  string // such as "in 12 days", "today", "about 3 months overdue"
	Span  string // the distance alone, such as "12 days" or "about 3 months"
}

// horizonSoonDays is how close a horizon is before it needs attention.
const horizonSoonDays = 90

func horizonOf(date string) horizonInfo {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return horizonInfo{State: "none"}
	}
	n := now().UTC()
	today := time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, time.UTC)
	days := int(math.Round(t.Sub(today).Hours() / 24))
	h := horizonInfo{Set: true, Days: days, State: "later"}
	switch {
	case days < 0:
		h.State = "past"
	case days <= horizonSoonDays:
		h.State = "soon"
	}
	span := func(d int) string {
		switch {
		case d == 1:
			return "1 day"
		case d <= 45:
			return strconv.Itoa(d) + " days"
		case d < 730:
			m := int(math.Round(float64(d) / 30.44))
			return "about " + strconv.Itoa(m) + " months"
		default:
			return "about " + strconv.Itoa(int(math.Round(float64(d)/365.25))) + " years"
		}
	}
	h.Span = span(max(days, -days))
	switch {
	case days == 0:
		h.Text = "today"
	case days == 1:
		h.Text = "tomorrow"
	case days > 0:
		h.Text = "in " + h.Span
	default:
		h.Text = h.Span + " overdue"
	}
	return h
}

// change is one field of an audit event's diff, for display.
type change struct {
	Field         string
	Before, After string
	// HadBefore and HasAfter are false where the field did not exist (a
	// create or a delete) or was empty.
	HadBefore, HasAfter bool
}

// changesOf decodes the diff of an audit event ({"field": [before, after]})
// into its fields in name order, leaving out fields empty on both sides (a
// create lists every field). Values are plain strings, which the template
// escapes. A diff in another shape comes back whole as one change without a
// field name, so nothing is hidden.
func changesOf(diff json.RawMessage) []change {
	if len(bytes.TrimSpace(diff)) == 0 {
		return nil
	}
	var d map[string][2]json.RawMessage
	if err := json.Unmarshal(diff, &d); err != nil {
		return []change{{After: string(diff), HasAfter: true}}
	}
	out := make([]change, 0, len(d))
	for k, v := range d {
		c := change{Field: k}
		c.Before, c.HadBefore = diffValue(v[0])
		c.After, c.HasAfter = diffValue(v[1])
		if c.HadBefore || c.HasAfter {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// diffValue renders one JSON value of a diff; ok is false for null and "".
func diffValue(raw json.RawMessage) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if len(raw) == 0 || dec.Decode(&v) != nil {
		return string(raw), len(raw) > 0
	}
	switch x := v.(type) {
	case nil:
		return "", false
	case string:
		return x, x != ""
	case bool:
		if x {
			return "yes", true
		}
		return "no", true
	case json.Number:
		if f, err := x.Float64(); err == nil && math.Abs(f) < 1e15 {
			return strconv.FormatFloat(f, 'f', -1, 64), true
		}
		return x.String(), true
	default:
		b, _ := json.Marshal(x)
		return string(b), true
	}
}

// formProblem is one entry of the summary above a failed form.
type formProblem struct {
	ID      string // the id of the field to link to; empty when the form has no such field
	Label   string
	Message string
}

// problemsOf lists the field problems of a form for its summary: first the
// fields named in pairs (name, label, name, label, ...) in that order, each
// linking to its field, then any others, unlinked, so none is lost. A
// problem under a longer name of a listed field with the same message (such
// as org_name for the field name) is not repeated.
func problemsOf(f *form, pairs ...string) []formProblem {
	if f == nil || len(f.Errors) == 0 {
		return nil
	}
	var out []formProblem
	listed := map[string]bool{}
	for i := 0; i+1 < len(pairs); i += 2 {
		name, label := pairs[i], pairs[i+1]
		listed[name] = true
		if msg, ok := f.Errors[name]; ok {
			out = append(out, formProblem{ID: "f-" + name, Label: label, Message: msg})
		}
	}
	repeats := func(name string) bool {
		for l := range listed {
			if msg, ok := f.Errors[l]; ok && strings.HasSuffix(name, "_"+l) && f.Errors[name] == msg {
				return true
			}
		}
		return false
	}
	var rest []string
	for name := range f.Errors {
		if !listed[name] && !repeats(name) {
			rest = append(rest, name)
		}
	}
	sort.Strings(rest)
	for _, name := range rest {
		out = append(out, formProblem{Label: name, Message: f.Errors[name]})
	}
	return out
}
