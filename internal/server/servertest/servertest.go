// Package servertest runs caio's whole HTTP handler in tests: the services
// over a test database, the middleware, the JSON API and the pages, behind a
// real httptest.Server. It also builds organisations with one member of each
// role, each with an API token, and signs people in with a browser-like
// client that keeps cookies.
//
// A typical test:
//
//	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
//		s := servertest.New(t, db)
//		acme := s.NewOrg(t, "acme")
//		res := s.Do(t, "GET", "/api/v1/objectives", acme.Token(caio.RoleViewer), nil)
//		res.Want(t, http.StatusOK)
//	})
package servertest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/server"
	"github.com/caio-office/caio/internal/sqldb"
)

// Password is the password of every user the harness creates.
const Password = "correct horse battery staple"

// Server is caio's handler behind a running httptest.Server.
type Server struct {
	*httptest.Server
	DB  *sqldb.DB
	App *app.App
	// Handler is the server as cmd/caio builds it, with its API and Web.
	Handler *server.Server
}

// New builds the application and the server over db and starts serving.
// Everything stops when tb ends. Error logs go to the test log, so a 500 in
// a test shows its cause.
func New(tb testing.TB, db *sqldb.DB) *Server {
	tb.Helper()
	return NewWith(tb, db, Options{})
}

// Options change how NewWith builds the server.
type Options struct {
	// Config is the server configuration, such as SecureCookies.
	Config server.Config
	// Log receives the error logs; nil sends them to the test log. Fuzz
	// targets must set it: a *testing.F may not log while it fuzzes.
	Log io.Writer
}

// NewWith is New with options.
func NewWith(tb testing.TB, db *sqldb.DB, o Options) *Server {
	tb.Helper()
	var w io.Writer = tbWriter{tb}
	if o.Log != nil {
		w = o.Log
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelError}))
	a := app.New(db, log)
	h, err := server.New(a, log, o.Config)
	if err != nil {
		tb.Fatalf("servertest: server.New: %v", err)
	}
	ts := httptest.NewServer(h)
	tb.Cleanup(ts.Close)
	return &Server{Server: ts, DB: db, App: a, Handler: h}
}

// LogBuffer collects log lines safely from the server's goroutines, for
// fuzz targets that report them with a failure.
type LogBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

// Write implements io.Writer.
func (b *LogBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// Take returns what was logged since the last call and forgets it.
func (b *LogBuffer) Take() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	s := b.buf.String()
	b.buf.Reset()
	return s
}

// tbWriter sends log lines to the test log.
type tbWriter struct{ tb testing.TB }

func (w tbWriter) Write(p []byte) (int, error) {
	w.tb.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

// Member is a person with a role in an organisation, and an API token of
// theirs there.
type Member struct {
	UserID   string
	Email    string
	Role     caio.Role
	Token    string // the secret, for Authorization: Bearer
	TokenID  string
	Password string
}

// Actor is the member acting in org, as the services see them.
func (m *Member) Actor(org *Org) caio.Actor {
	return caio.Actor{UserID: m.UserID, Email: m.Email, OrgID: org.ID, OrgSlug: org.Slug, Role: m.Role, Via: "test"}
}

// Org is an organisation with one member of each role.
type Org struct {
	*caio.Organization
	// Sys is a context acting as the system (a local command) in the organisation.
	Sys context.Context
	// Members holds the member of each role.
	Members map[caio.Role]*Member
}

// Token returns the API token secret of the member with the role.
func (o *Org) Token(r caio.Role) string { return o.Members[r].Token }

// NewOrg creates the organisation slug with one member of each role, emails
// <role>@<slug>.test, each with an API token.
func (s *Server) NewOrg(tb testing.TB, slug string) *Org {
	tb.Helper()
	ctx := context.Background()
	sys := caio.WithActor(ctx, caio.Actor{System: true, Via: "test"})
	org, err := s.App.CreateOrg(sys, app.SignupInput{
		OrgName: "Org " + slug, OrgSlug: slug, Email: "owner@" + slug + ".test", Name: "Owner of " + slug, Password: Password,
	})
	if err != nil {
		tb.Fatalf("servertest: create org %s: %v", slug, err)
	}
	sa, err := s.App.SystemActor(ctx, slug)
	if err != nil {
		tb.Fatalf("servertest: system actor of %s: %v", slug, err)
	}
	o := &Org{Organization: org, Sys: caio.WithActor(ctx, sa), Members: map[caio.Role]*Member{}}
	ms, _, err := s.App.FindMembers(o.Sys, caio.Page{})
	if err != nil || len(ms) != 1 {
		tb.Fatalf("servertest: members of new org %s: %v %v", slug, ms, err)
	}
	o.Members[caio.RoleOwner] = &Member{UserID: ms[0].UserID, Email: ms[0].Email, Role: caio.RoleOwner, Password: Password}
	for _, r := range caio.Roles {
		if r == caio.RoleOwner {
			continue
		}
		o.Members[r] = s.AddMember(tb, o, string(r)+"@"+slug+".test", r)
	}
	for _, m := range o.Members {
		m.TokenID, m.Token = s.NewToken(tb, o, m, "test-"+string(m.Role))
	}
	return o
}

// AddMember adds a new user with the role to org, without a token.
func (s *Server) AddMember(tb testing.TB, org *Org, email string, r caio.Role) *Member {
	tb.Helper()
	m, err := s.App.AddMember(org.Sys, app.MemberInput{Email: email, Name: "User " + email, Role: r, Password: Password})
	if err != nil {
		tb.Fatalf("servertest: add %s as %s: %v", email, r, err)
	}
	return &Member{UserID: m.UserID, Email: m.Email, Role: m.Role, Password: Password}
}

// NewToken creates an API token of m in org and returns its id and secret.
func (s *Server) NewToken(tb testing.TB, org *Org, m *Member, name string) (id, secret string) {
	tb.Helper()
	t, secret, err := s.App.CreateToken(caio.WithActor(context.Background(), m.Actor(org)), name)
	if err != nil {
		tb.Fatalf("servertest: token for %s: %v", m.Email, err)
	}
	return t.ID, secret
}

// NewObjective creates an objective in org as the system and returns it.
func (s *Server) NewObjective(tb testing.TB, org *Org, title string) *caio.Objective {
	tb.Helper()
	o, err := s.App.CreateObjective(org.Sys, caio.ObjectiveInput{Title: title, KPI: "days to settle", Owner: "Claims lead", Horizon: "2027-12-31"})
	if err != nil {
		tb.Fatalf("servertest: create objective %q: %v", title, err)
	}
	return o
}

// NewSystem creates an AI system in org as the system and returns it.
func (s *Server) NewSystem(tb testing.TB, org *Org, name string) *caio.AISystem {
	tb.Helper()
	x, err := s.App.CreateSystem(org.Sys, caio.AISystemInput{Name: name, Purpose: "Purpose of " + name, Owner: "Claims lead", Roles: []string{"deployer"}})
	if err != nil {
		tb.Fatalf("servertest: create system %q: %v", name, err)
	}
	return x
}

// NewModel creates an AI model in org as the system and returns it.
func (s *Server) NewModel(tb testing.TB, org *Org, name string) *caio.AIModel {
	tb.Helper()
	m, err := s.App.CreateModel(org.Sys, caio.AIModelInput{Name: name, Provider: "In-house", Kind: "classical_ml"})
	if err != nil {
		tb.Fatalf("servertest: create model %q: %v", name, err)
	}
	return m
}

// NewDataset creates a dataset in org as the system and returns it.
func (s *Server) NewDataset(tb testing.TB, org *Org, name string) *caio.Dataset {
	tb.Helper()
	d, err := s.App.CreateDataset(org.Sys, caio.DatasetInput{Name: name, Source: "Claims system", PersonalData: true})
	if err != nil {
		tb.Fatalf("servertest: create dataset %q: %v", name, err)
	}
	return d
}

// NewVendor creates a vendor in org as the system and returns it. Vendor
// names are unique in an organisation.
func (s *Server) NewVendor(tb testing.TB, org *Org, name string) *caio.Vendor {
	tb.Helper()
	v, err := s.App.CreateVendor(org.Sys, caio.VendorInput{Name: name, Country: "DE"})
	if err != nil {
		tb.Fatalf("servertest: create vendor %q: %v", name, err)
	}
	return v
}

// Link links an AI system of org to a model, dataset, vendor or objective, as the system.
func (s *Server) Link(tb testing.TB, org *Org, systemID, kind, targetID string) {
	tb.Helper()
	if _, err := s.App.LinkSystem(org.Sys, systemID, kind, targetID); err != nil {
		tb.Fatalf("servertest: link %s to %s %s: %v", systemID, kind, targetID, err)
	}
}

// HighRiskProfile is the EU AI Act profile of a deployer's CV-screening
// system: high-risk under Annex III point 4(a), so many requirements apply.
func HighRiskProfile() *euaiact.Profile {
	return &euaiact.Profile{Roles: []string{"deployer"}, AnnexI: "none", AnnexIII: []string{"4(a)"}, Facts: map[string]bool{
		"definition.machine_based": true, "definition.autonomy": true, "definition.infers": true, "definition.outputs_influence": true,
		"scope.eu_nexus": true, "scope.military_defence": false, "scope.third_country_authority": false, "scope.research_only": false,
		"scope.pre_market_rd": false, "scope.personal_use": false, "gpai.provider": false, "art6_3.profiling": true,
		"art50.interacts_with_people": false, "art50.generates_synthetic_content": false,
		"deployer.public_body": false, "deployer.public_service": false,
	}}
}

// NewControl creates a high-risk AI system in org, classifies it, and
// returns its control of the EU AI Act's AI literacy duty (Art 4).
func (s *Server) NewControl(tb testing.TB, org *Org, systemName string) *caio.Control {
	tb.Helper()
	x := s.NewSystem(tb, org, systemName)
	if _, err := s.App.ClassifySystem(org.Sys, x.ID, HighRiskProfile()); err != nil {
		tb.Fatalf("servertest: classify %q: %v", systemName, err)
	}
	fw := "eu-ai-act"
	ks, _, err := s.App.FindControls(org.Sys, caio.ControlFilter{SystemID: &x.ID, Framework: &fw, Page: caio.Page{Limit: 500}})
	if err != nil {
		tb.Fatalf("servertest: controls of %q: %v", systemName, err)
	}
	for _, k := range ks {
		if k.ItemID == "art4" {
			return k
		}
	}
	tb.Fatalf("servertest: %q has no Art 4 control among %d", systemName, len(ks))
	return nil
}

// NewEvidence uploads a small text file, name, as evidence of a control of
// org, as the system.
func (s *Server) NewEvidence(tb testing.TB, org *Org, controlID, name string) *caio.Evidence {
	tb.Helper()
	e, err := s.App.AddEvidenceFile(org.Sys, controlID, caio.EvidenceFileInput{Name: name, ContentType: "text/plain", Size: -1, Data: strings.NewReader("Evidence: " + name)})
	if err != nil {
		tb.Fatalf("servertest: evidence %q: %v", name, err)
	}
	return e
}

// Counts are how many objectives and audit events an organisation has, to
// show that a refused request wrote nothing.
type Counts struct{ Objectives, AuditEvents int }

// Count returns org's counts, read through the services as the system.
func (s *Server) Count(tb testing.TB, org *Org) Counts {
	tb.Helper()
	var c Counts
	var err error
	if _, c.Objectives, err = s.App.FindObjectives(org.Sys, caio.ObjectiveFilter{Page: caio.Page{Limit: 1}}); err != nil {
		tb.Fatalf("servertest: count objectives: %v", err)
	}
	if _, c.AuditEvents, err = s.App.FindAuditEvents(org.Sys, caio.AuditFilter{Page: caio.Page{Limit: 1}}); err != nil {
		tb.Fatalf("servertest: count audit events: %v", err)
	}
	return c
}

// Response is a finished response with its body read.
type Response struct {
	*http.Response
	Body []byte
}

// String returns a short description for failure messages.
func (r *Response) String() string {
	b := r.Body
	if len(b) > 600 {
		b = b[:600]
	}
	return r.Request.Method + " " + r.Request.URL.RequestURI() + " → " + r.Status + ": " + string(b)
}

// Want fails tb unless the status is one of want.
func (r *Response) Want(tb testing.TB, want ...int) *Response {
	tb.Helper()
	for _, w := range want {
		if r.StatusCode == w {
			return r
		}
	}
	tb.Errorf("status %d, want %v: %s", r.StatusCode, want, r)
	return r
}

// JSON decodes the body into v, failing tb when it is not JSON.
func (r *Response) JSON(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %s: %v", r, err)
	}
}

// Problem is an RFC 9457 problem as huma writes it.
type Problem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Message  string `json:"message"`
		Location string `json:"location"`
		Value    any    `json:"value"`
	} `json:"errors"`
}

// Problem checks that the response is problem+json and decodes it.
func (r *Response) Problem(tb testing.TB) *Problem {
	tb.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		tb.Errorf("Content-Type %q, want application/problem+json: %s", ct, r)
	}
	var p Problem
	if err := json.Unmarshal(r.Body, &p); err != nil {
		tb.Errorf("problem body is not JSON: %v: %s", err, r)
	}
	return &p
}

// Locations lists the locations the problem's errors name.
func (p *Problem) Locations() []string {
	var out []string
	for _, e := range p.Errors {
		out = append(out, e.Location)
	}
	return out
}

// Request sends req with the client and reads the whole response.
func Request(tb testing.TB, c *http.Client, req *http.Request) *Response {
	tb.Helper()
	res, err := c.Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	return &Response{Response: res, Body: b}
}

// NewRequest builds a request to path on the server. body may be nil,
// a []byte or string (sent as is, as JSON), url.Values (sent as a form) or
// anything else (encoded as JSON). token, when not empty, is sent as a bearer token.
func (s *Server) NewRequest(tb testing.TB, method, path, token string, body any) *http.Request {
	tb.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case []byte:
		rd, ct = bytes.NewReader(b), "application/json"
	case string:
		rd, ct = strings.NewReader(b), "application/json"
	case url.Values:
		rd, ct = strings.NewReader(b.Encode()), "application/x-www-form-urlencoded"
	default:
		j, err := json.Marshal(b)
		if err != nil {
			tb.Fatalf("servertest: encode body: %v", err)
		}
		rd, ct = bytes.NewReader(j), "application/json"
	}
	req, err := http.NewRequest(method, s.URL+path, rd)
	if err != nil {
		tb.Fatalf("servertest: %s %s: %v", method, path, err)
	}
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return req
}

// Do sends one request, as NewRequest builds it, without following redirects.
func (s *Server) Do(tb testing.TB, method, path, token string, body any) *Response {
	tb.Helper()
	return Request(tb, noRedirects(&http.Client{}), s.NewRequest(tb, method, path, token, body))
}

func noRedirects(c *http.Client) *http.Client {
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

// Browser is a client that keeps cookies, as a person's browser does. It
// does not follow redirects, so tests see each 303.
type Browser struct {
	s      *Server
	Client *http.Client
}

// NewBrowser returns a browser without a session.
func (s *Server) NewBrowser(tb testing.TB) *Browser {
	tb.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		tb.Fatal(err)
	}
	return &Browser{s: s, Client: noRedirects(&http.Client{Jar: jar})}
}

// Login signs in through the sign-in form and returns the signed-in browser.
// It fails tb unless the form answers with a redirect and a session cookie.
func (s *Server) Login(tb testing.TB, email, password string) *Browser {
	tb.Helper()
	b := s.NewBrowser(tb)
	res := b.PostForm(tb, "/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther || b.Cookie(SessionCookie) == nil {
		tb.Fatalf("servertest: login %s: %s", email, res)
	}
	return b
}

// SessionCookie is the name of caio's session cookie.
const SessionCookie = "caio_session"

// Cookie returns the browser's cookie with the name for the server, or nil.
func (b *Browser) Cookie(name string) *http.Cookie {
	u, _ := url.Parse(b.s.URL)
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Get requests a page.
func (b *Browser) Get(tb testing.TB, path string) *Response {
	tb.Helper()
	return b.Do(tb, b.s.NewRequest(tb, http.MethodGet, path, "", nil))
}

// PostForm submits a form to path.
func (b *Browser) PostForm(tb testing.TB, path string, form url.Values) *Response {
	tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	return b.Do(tb, b.s.NewRequest(tb, http.MethodPost, path, "", form))
}

// Do sends a request with the browser's cookies.
func (b *Browser) Do(tb testing.TB, req *http.Request) *Response {
	tb.Helper()
	return Request(tb, b.Client, req)
}
