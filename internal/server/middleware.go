package server

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/web"
)

// statusWriter remembers the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

// WriteHeader passes on the first status only. A second call happens when a
// handler tries to report an error after its response began (huma does so
// when the client hangs up mid-body); the status is already on the wire.
func (w *statusWriter) WriteHeader(code int) {
	if w.status != 0 {
		return
	}
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// recoverPanics turns a panic into a 500 with a plain message and logs the
// stack, so no panic reaches a user.
func recoverPanics(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				log.Error("panic", "err", v, "path", r.URL.Path, "request_id", r.Header.Get("X-Request-Id"), "stack", string(debug.Stack()))
				http.Error(w, "Internal error.", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// logRequests gives each request an id (kept from X-Request-Id when it is
// short and plain), echoes it in the response, and logs the request.
func (s *Server) logRequests(trustProxy bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get("X-Request-Id")
		if !plainID(id) {
			var b [8]byte
			rand.Read(b[:])
			id = hex.EncodeToString(b[:])
			r.Header.Set("X-Request-Id", id)
		}
		if addr := clientAddr(r, trustProxy); addr != "" {
			r.Header.Set(web.ClientAddrHeader, addr)
		}
		w.Header().Set("X-Request-Id", id)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		level := slog.LevelDebug
		if sw.status >= 500 {
			level = slog.LevelError
		} else if r.URL.Path != "/healthz" && r.URL.Path != "/metrics" && r.URL.Path != "/readyz" {
			level = slog.LevelInfo
		}
		s.Log.Log(r.Context(), level, "request", "method", r.Method, "path", r.URL.Path, "status", sw.status,
			"bytes", sw.bytes, "duration_ms", float64(time.Since(start).Microseconds())/1000, "request_id", id)
	})
}

func plainID(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range s {
		if !(c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

// clientAddr is the address used for rate limiting: the first hop of
// X-Forwarded-For behind a trusted proxy, else the peer address.
func clientAddr(r *http.Request, trustProxy bool) string {
	if trustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			return strings.TrimSpace(first)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// contentSecurityPolicy allows only our own scripts, styles and images: no
// inline script, no framing, no plugins.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func secureHeaders(tls bool, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
		if tls {
			h.Set("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
		}
		next.ServeHTTP(w, r)
	})
}

// csrf refuses cross-origin unsafe requests from browsers (Go's
// CrossOriginProtection checks Sec-Fetch-Site and Origin). Requests with a
// bearer token carry no ambient credential and are not browser forms, so
// they pass; requests from tools without those headers pass too.
func csrf(next http.Handler) http.Handler {
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "Cross-origin request refused: submit the form from caio's own pages.", http.StatusForbidden)
	}))
	return cop.Handler(next)
}

// authenticate puts the actor of a bearer token or session cookie in the
// request context. It never refuses a request itself: the API and the pages
// decide what an anonymous caller gets, and the services check roles.
func authenticate(a *app.App, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var actor caio.Actor
		var err error
		authed := false
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok {
				writeUnauthorized(w, "The Authorization header must be: Bearer <token>.")
				return
			}
			if actor, err = a.TokenActor(ctx, strings.TrimSpace(token)); err != nil {
				writeUnauthorized(w, caio.ErrorMessage(err))
				return
			}
			authed = true
		} else if c, cerr := r.Cookie(web.SessionCookie); cerr == nil && c.Value != "" {
			if actor, err = a.SessionActor(ctx, c.Value); err == nil {
				authed = true
			}
		}
		if authed {
			actor.RequestID = r.Header.Get("X-Request-Id")
			r = r.WithContext(caio.WithActor(ctx, actor))
		}
		next.ServeHTTP(w, r)
	})
}

// plainText refuses a request whose path or query string, once decoded, is
// not valid UTF-8 or holds the NUL character. No caio text means anything
// with either, and PostgreSQL refuses to compare them, so they would
// otherwise surface as internal errors. Form and JSON bodies are checked
// where they are read, in internal/web and internal/api.
func plainText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		where := ""
		if !cleanText(r.URL.Path) {
			where = "path"
		} else if r.URL.RawQuery != "" {
			for k, vs := range r.URL.Query() {
				ok := cleanText(k)
				for _, v := range vs {
					ok = ok && cleanText(v)
				}
				if !ok {
					where = "query." + strings.ToValidUTF8(strings.ReplaceAll(k, "\x00", ""), "?")
					break
				}
			}
		}
		if where == "" {
			next.ServeHTTP(w, r)
			return
		}
		msg := "must be UTF-8 text without the NUL character"
		if strings.HasPrefix(r.URL.Path, "/api/") {
			writeProblem(w, http.StatusBadRequest, "Bad Request", "Please fix: "+strings.TrimPrefix(where, "query.")+" "+msg+".", where, msg)
			return
		}
		http.Error(w, "Bad request: the address "+msg+".", http.StatusBadRequest)
	})
}

func cleanText(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// writeProblem writes an RFC 9457 problem, as the API does, for a request
// refused before it reaches the API.
func writeProblem(w http.ResponseWriter, status int, title, detail, location, message string) {
	p := map[string]any{"title": title, "status": status, "detail": detail}
	if location != "" {
		p["errors"] = []map[string]string{{"location": location, "message": message}}
	}
	b, _ := json.Marshal(p)
	w.Header().Set("Content-Type", "application/problem+json")
	w.WriteHeader(status)
	w.Write(b)
}

func writeUnauthorized(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/problem+json")
	w.Header().Set("WWW-Authenticate", `Bearer realm="caio"`)
	w.WriteHeader(http.StatusUnauthorized)
	w.Write([]byte(`{"title":"Unauthorized","status":401,"detail":` + jsonString(msg) + `}`))
}

func jsonString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < 0x20:
			b.WriteString(" ")
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}
