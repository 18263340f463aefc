package server

import (
	"net/http"
	"strconv"
	"time"

	"github.com/caio-office/caio/internal/sqldb"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the Prometheus figures of one server, in a registry of its own
// (no global state, so tests can build many servers).
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewMetrics registers request, latency, database pool and Go runtime metrics.
func NewMetrics(db *sqldb.DB) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "caio_http_requests_total", Help: "HTTP requests by route pattern, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "caio_http_request_duration_seconds",
		Help:    "HTTP request latency by route pattern.",
		Buckets: []float64{.001, .0025, .005, .01, .02, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route"})
	m.reg.MustRegister(m.requests, m.latency,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	for _, which := range []string{"read", "write"} {
		w := which
		stats := func() (s struct{ open, inUse, idle, waitCount float64 }) {
			r, wr := db.Stats()
			st := r
			if w == "write" {
				st = wr
			}
			s.open, s.inUse, s.idle, s.waitCount = float64(st.OpenConnections), float64(st.InUse), float64(st.Idle), float64(st.WaitCount)
			return s
		}
		labels := prometheus.Labels{"pool": w, "dialect": string(db.Dialect)}
		m.reg.MustRegister(
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "caio_db_open_connections", Help: "Open database connections.", ConstLabels: labels}, func() float64 { return stats().open }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "caio_db_in_use_connections", Help: "Database connections in use.", ConstLabels: labels}, func() float64 { return stats().inUse }),
			prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "caio_db_idle_connections", Help: "Idle database connections.", ConstLabels: labels}, func() float64 { return stats().idle }),
			prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "caio_db_wait_count_total", Help: "Times a request waited for a database connection.", ConstLabels: labels}, func() float64 { return stats().waitCount }),
		)
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// observe counts each request under its route pattern (never the raw path,
// so object ids do not explode the label set).
// The pattern is looked up in mux before the request goes on, because
// middleware below may replace the request the mux finally sees.
func (m *Metrics) observe(mux *http.ServeMux, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		_, route := mux.Handler(r)
		sw := &statusWriter{ResponseWriter: w}
		next.ServeHTTP(sw, r)
		if route == "" {
			route = "unmatched"
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		m.requests.WithLabelValues(route, r.Method, strconv.Itoa(sw.status)).Inc()
		m.latency.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}
