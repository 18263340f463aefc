// Package web serves caio's HTML pages: server-rendered with html/template,
// no third-party script or style, working without JavaScript. Every handler
// calls the application services, which check tenancy and roles.
package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
)

// SessionCookie names the session cookie.
const SessionCookie = "caio_session"

// ClientAddrHeader carries the client address that the server middleware
// worked out, for login rate limiting.
const ClientAddrHeader = "X-Caio-Client-Addr"

// Options change how pages behave.
type Options struct {
	// SecureCookies marks the session cookie Secure (behind TLS).
	SecureCookies bool
}

// Web is the set of page handlers.
type Web struct {
	app    *app.App
	opts   Options
	views  *views
	static *staticFiles
}

// New parses the templates and registers every page on mux.
func New(mux *http.ServeMux, a *app.App, opts Options) (*Web, error) {
	v, err := parseViews()
	if err != nil {
		return nil, err
	}
	w := &Web{app: a, opts: opts, views: v, static: newStaticFiles()}
	for _, r := range w.Routes() {
		mux.Handle(r.Pattern, w.guard(r))
	}
	return w, nil
}

// guard sends anonymous visitors of member pages to the sign-in page, and
// signed-in users without an organisation to the page that creates one.
func (w *Web) guard(r Route) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, req *http.Request) {
		if r.Access != Public {
			a, ok := caio.ActorFrom(req.Context())
			if !ok {
				http.Redirect(rw, req, "/login?next="+url.QueryEscape(req.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			if r.Access == Member && a.OrgID == "" {
				http.Redirect(rw, req, "/orgs/new", http.StatusSeeOther)
				return
			}
		}
		r.Handler(rw, req)
	})
}

// statusOf maps caio error codes to HTTP statuses for pages.
var statusOf = map[string]int{
	caio.EINVALID:      http.StatusUnprocessableEntity,
	caio.ENOTFOUND:     http.StatusNotFound,
	caio.ECONFLICT:     http.StatusConflict,
	caio.EUNAUTHORIZED: http.StatusUnauthorized,
	caio.EFORBIDDEN:    http.StatusForbidden,
	caio.ETOOMANY:      http.StatusTooManyRequests,
	caio.EUNAVAILABLE:  http.StatusServiceUnavailable,
	caio.EINTERNAL:     http.StatusInternalServerError,
}

// fail renders an error page for an error that has no form to return to.
func (w *Web) fail(rw http.ResponseWriter, r *http.Request, err error) {
	code := caio.ErrorCode(err)
	if code == caio.EINTERNAL {
		if errors.Is(err, http.ErrAbortHandler) {
			panic(err)
		}
		w.app.Log.Error("page error", "err", err, "path", r.URL.Path, "request_id", r.Header.Get("X-Request-Id"))
	}
	status := statusOf[code]
	w.render(rw, r, status, "error", &page{Title: http.StatusText(status), Data: map[string]any{"Status": status, "Message": caio.ErrorMessage(err)}})
}

// pageQuery reads offset and limit from the query string.
func pageQuery(r *http.Request) caio.Page {
	off, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	lim, _ := strconv.Atoi(r.URL.Query().Get("limit"))
	if lim <= 0 {
		lim = caio.DefaultPageLimit
	}
	if off < 0 {
		off = 0
	}
	return caio.Page{Offset: off, Limit: min(lim, caio.MaxPageLimit)}
}

// safeNext returns a local path to go to after sign-in, never another site.
func safeNext(next string) string {
	if u, err := url.Parse(next); err == nil && next != "" && u.Scheme == "" && u.Host == "" && len(next) > 0 && next[0] == '/' && (len(next) == 1 || next[1] != '/' && next[1] != '\\') {
		return next
	}
	return "/"
}
