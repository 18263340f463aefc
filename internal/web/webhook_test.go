package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestWebhookPages walks through the webhook pages as an administrator
// would: the form with its errors, the secret shown once, the delivery log
// after the worker ran, a delivery's payload, redelivery, a ping, rotation,
// switching off and deletion.
func TestWebhookPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		foreign, _, err := s.App.CreateWebhook(other.Sys, caio.WebhookInput{URL: "https://globex.example.com/secret", Events: []string{"*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		receiver := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { rw.WriteHeader(http.StatusTeapot) }))
		defer receiver.Close()
		b := s.Login(t, org.Members[caio.RoleAdmin].Email, servertest.Password)

		whHas(t, b.Get(t, "/webhooks").Want(t, 200), "No webhooks yet", `href="/webhooks/new"`)
		whLacks(t, b.Get(t, "/webhooks").Want(t, 200), "globex")
		whHas(t, b.Get(t, "/webhooks/new").Want(t, 200), `value="*"`, `name="active" value="1" checked`, "--webhooks-allow-private")
		bad := b.PostForm(t, "/webhooks", url.Values{"url": {"ftp://files.example.com"}, "events": {"incident"}, "description": {"Keep me"}}).Want(t, 422)
		whHas(t, bad, "Address must start with https://", "Events has", `value="ftp://files.example.com"`, `value="Keep me"`, `href="#f-url"`)

		created := b.PostForm(t, "/webhooks", url.Values{"url": {receiver.URL + "/hook"}, "events": {"objective.* incident.create"}, "description": {"Planning board"}, "active": {"1"}}).Want(t, 201)
		whHas(t, created, "Copy the signing secret now", "whsec_", "Webhook created.")
		secret := regexp.MustCompile(`whsec_[0-9a-f]{64}`).FindString(string(created.Body))
		ws, _, err := s.App.FindWebhooks(org.Sys, caio.Page{})
		if err != nil || len(ws) != 1 {
			t.Fatalf("webhooks %v, %v", ws, err)
		}
		w := ws[0]
		page := b.Get(t, "/webhooks/"+w.ID).Want(t, 200)
		whHas(t, page, "Planning board", "<code>objective.*</code>", "Nothing sent yet", "Send a test ping", "Rotate secret", "Delete webhook", "webhook.create")
		whLacks(t, page, secret)
		whHas(t, b.Get(t, "/webhooks").Want(t, 200), receiver.URL+"/hook", "Active")

		// A change queues a delivery; the worker sends it and the
		// receiver's 418 shows in the log.
		s.NewObjective(t, org, "Settle claims faster")
		sys := caio.WithActor(t.Context(), caio.Actor{System: true, Via: "test"})
		if _, err := s.App.DeliverWebhooks(sys, &app.WebhookSender{AllowPrivate: true}); err != nil {
			t.Fatal(err)
		}
		log := b.Get(t, "/webhooks/"+w.ID).Want(t, 200)
		whHas(t, log, "<code>objective.create</code>", "Pending", "HTTP 418", "Next attempt")
		ds, _, err := s.App.FindDeliveries(org.Sys, w.ID, caio.DeliveryFilter{})
		if err != nil || len(ds) != 1 {
			t.Fatalf("deliveries %v, %v", ds, err)
		}
		d := ds[0]
		whHas(t, b.Get(t, "/webhooks/"+w.ID+"?status=delivered").Want(t, 200), "No deliveries in this state")
		whHas(t, b.Get(t, "/webhooks/"+w.ID+"/deliveries/"+d.ID).Want(t, 200), "Settle claims faster", `&#34;organization&#34;: &#34;acme&#34;`, "HTTP 418", "Redeliver", d.ID)
		b.PostForm(t, "/webhooks/"+w.ID+"/deliveries/"+d.ID+"/redeliver", nil).Want(t, 303)
		whHas(t, b.Get(t, "/webhooks/"+w.ID+"/deliveries/"+d.ID).Want(t, 200), "Delivery queued again")
		b.PostForm(t, "/webhooks/"+w.ID+"/ping", nil).Want(t, 303)
		whHas(t, b.Get(t, "/webhooks/"+w.ID).Want(t, 200), "Ping queued", "<code>ping</code>")

		rotated := b.PostForm(t, "/webhooks/"+w.ID+"/rotate", nil).Want(t, 200)
		whHas(t, rotated, "The secret was replaced", "Copy the signing secret now")
		whLacks(t, rotated, secret)

		whHas(t, b.Get(t, "/webhooks/"+w.ID+"/edit").Want(t, 200), `value="objective.* incident.create"`, `name="version" value="2"`)
		whHas(t, b.PostForm(t, "/webhooks/"+w.ID, url.Values{"url": {receiver.URL}, "events": {"*"}, "version": {"9"}}).Want(t, 409), "Someone else changed this webhook")
		b.PostForm(t, "/webhooks/"+w.ID, url.Values{"url": {receiver.URL}, "events": {"*"}, "version": {"2"}}).Want(t, 303)
		whHas(t, b.Get(t, "/webhooks/"+w.ID).Want(t, 200), "Switched off", "Webhook saved")
		whLacks(t, b.Get(t, "/webhooks/"+w.ID).Want(t, 200), "Send a test ping")

		// Another organisation's webhook and deliveries are not found.
		b.Get(t, "/webhooks/"+foreign.ID).Want(t, 404)
		b.Get(t, "/webhooks/"+w.ID+"/deliveries/"+caio.NewID("whd")).Want(t, 404)
		b.Get(t, "/webhooks/nope").Want(t, 404)

		b.PostForm(t, "/webhooks/"+w.ID+"/delete", nil).Want(t, 303)
		b.Get(t, "/webhooks/"+w.ID).Want(t, 404)
	})
}

// TestWebhookPagesByRole: only roles with org.manage reach the pages; a
// form posted anyway is refused and changes nothing.
func TestWebhookPagesByRole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		w, _, err := s.App.CreateWebhook(org.Sys, caio.WebhookInput{URL: "https://hooks.example.com/", Events: []string{"*"}, Active: true})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range caio.Roles {
			b := s.Login(t, org.Members[r].Email, servertest.Password)
			want := http.StatusForbidden
			if caio.Can(r, caio.PermManageOrg) {
				want = http.StatusOK
			}
			for _, p := range []string{"/webhooks", "/webhooks/new", "/webhooks/" + w.ID, "/webhooks/" + w.ID + "/edit"} {
				if res := b.Get(t, p); res.StatusCode != want {
					t.Errorf("%s GET %s = %d, want %d", r, p, res.StatusCode, want)
				}
			}
			if want == http.StatusOK {
				continue
			}
			before := s.Count(t, org)
			b.PostForm(t, "/webhooks", url.Values{"url": {"https://evil.example.com"}, "events": {"*"}}).Want(t, http.StatusForbidden)
			b.PostForm(t, "/webhooks/"+w.ID+"/rotate", nil).Want(t, http.StatusForbidden)
			b.PostForm(t, "/webhooks/"+w.ID+"/delete", nil).Want(t, http.StatusForbidden)
			if after := s.Count(t, org); after != before {
				t.Errorf("%s: refused, yet counts changed from %+v to %+v", r, before, after)
			}
		}
	})
}

// whHas fails the test for each text the page lacks.
func whHas(t *testing.T, res *servertest.Response, texts ...string) {
	t.Helper()
	for _, w := range texts {
		if !strings.Contains(string(res.Body), w) {
			t.Errorf("%s %s: missing %q", res.Request.Method, res.Request.URL.Path, w)
		}
	}
}

// whLacks fails the test for each text the page shows.
func whLacks(t *testing.T, res *servertest.Response, texts ...string) {
	t.Helper()
	for _, w := range texts {
		if strings.Contains(string(res.Body), w) {
			t.Errorf("%s %s: shows %q", res.Request.Method, res.Request.URL.Path, w)
		}
	}
}
