package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
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
