// Package server assembles caio's HTTP handler: the JSON API, the web pages,
// health and metrics, behind one chain of middleware that every request
// passes (recovery, request id, logging and metrics, secure headers, CSRF
// protection, refusal of malformed text in the address, authentication).
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/caio-office/caio/internal/api"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/web"
)

// Config holds what the server needs beyond the application.
type Config struct {
	// SecureCookies marks cookies Secure. Set it when caio is reached over
	// TLS, directly or through a proxy.
	SecureCookies bool
	// TrustProxy takes the client address from X-Forwarded-For (for login
	// rate limiting and logs) — only behind a proxy that sets it.
	TrustProxy bool
}

// Server is caio's HTTP handler and its metrics.
type Server struct {
	App     *app.App
	Log     *slog.Logger
	Metrics *Metrics
	handler http.Handler
	API     *api.API
	Web     *web.Web
}

// mounts lets other handlers (the MCP endpoint, for one) register routes on
// the mux from their own files, behind the same middleware as the API.
var mounts []func(mux *http.ServeMux, s *Server)

// New builds the handler over a.
func New(a *app.App, log *slog.Logger, cfg Config) (*Server, error) {
	s := &Server{App: a, Log: log, Metrics: NewMetrics(a.DB)}
	mux := http.NewServeMux()
	s.API = api.New(mux, a)
	w, err := web.New(mux, a, web.Options{SecureCookies: cfg.SecureCookies})
	if err != nil {
		return nil, err
	}
	s.Web = w
	for _, mount := range mounts {
		mount(mux, s)
	}
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("ok\n"))
	})
	mux.HandleFunc("GET /readyz", s.ready)
	mux.Handle("GET /metrics", s.Metrics.Handler())

	var h http.Handler = mux
	h = authenticate(a, h)
	h = plainText(h)
	h = csrf(h)
	h = secureHeaders(cfg.SecureCookies, h)
	h = s.Metrics.observe(mux, h)
	h = s.logRequests(cfg.TrustProxy, h)
	h = recoverPanics(log, h)
	s.handler = h
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

func (s *Server) ready(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.App.DB.Ping(ctx); err != nil {
		http.Error(w, "database unavailable\n", http.StatusServiceUnavailable)
		return
	}
	if err := s.App.DB.CheckSchema(ctx); err != nil {
		http.Error(w, "database schema not current\n", http.StatusServiceUnavailable)
		return
	}
	w.Write([]byte("ready\n"))
}

// ListenAndServe serves on ln until ctx ends, then shuts down gracefully,
// letting requests in flight finish for up to grace.
func (s *Server) Serve(ctx context.Context, ln net.Listener, grace time.Duration) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      120 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.Log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	s.Log.Info("shutting down", "grace", grace)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
