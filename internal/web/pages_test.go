package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestPages walks through every page as a person would, in one sequence on
// one server, and then checks that every template was executed at least
// once, so a broken view cannot hide behind an untested page.
func TestPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		owner := org.Members[caio.RoleOwner]
		// The owner of acme also belongs to globex, so the switcher has a choice.
		if _, err := s.App.AddMember(other.Sys, app.MemberInput{Email: owner.Email, Role: caio.RoleViewer}); err != nil {
			t.Fatal(err)
		}
		obj := s.NewObjective(t, org, "Settle claims faster")
		doomed := s.NewObjective(t, org, "Retire the fax line")
		member := s.AddMember(t, org, "ada@acme.test", caio.RoleViewer)
		leaver := s.AddMember(t, org, "bob@acme.test", caio.RoleViewer)
		tokID, _ := s.NewToken(t, org, owner, "old laptop")
		ctl := s.NewControl(t, org, "CV screening")
		setup, err := s.App.CreateSetupToken(context.Background())
		if err != nil {
			t.Fatal(err)
		}

		anon := s.NewBrowser(t)
		b := s.Login(t, owner.Email, servertest.Password)
		tests := []struct {
			name    string
			anon    bool
			method  string
			path    string
			form    url.Values
			status  int
			want    []string // in the body, or the Location of a redirect
			wantNot []string
		}{
			{name: "sign-in page", anon: true, method: "GET", path: "/login", status: 200, want: []string{"Sign in to caio", `name="email"`}},
			{name: "wrong password", anon: true, method: "POST", path: "/login", form: url.Values{"email": {owner.Email}, "password": {"not the password"}}, status: 401, want: []string{"not right", `value="` + owner.Email + `"`}, wantNot: []string{"not the password"}},
			{name: "member page sends strangers to sign in", anon: true, method: "GET", path: "/objectives", status: 303, want: []string{"/login?next=%2Fobjectives"}},
			{name: "setup page", anon: true, method: "GET", path: "/setup?token=" + setup, status: 200, want: []string{"Set up caio"}},
			{name: "setup when already set up", anon: true, method: "POST", path: "/setup", form: url.Values{"token": {setup}, "org_name": {"Initech"}, "email": {"peter@initech.test"}, "password": {servertest.Password}}, status: 409, want: []string{"already set up"}},
			{name: "bad setup link", anon: true, method: "GET", path: "/setup?token=nope", status: 404, want: []string{"not valid any more"}},
			{name: "home", method: "GET", path: "/", status: 200, want: []string{"Org acme", "Settle claims faster", "Add an objective", "Org globex"}},
			{name: "objectives", method: "GET", path: "/objectives", status: 200, want: []string{"Business objectives", "/objectives/" + obj.ID, "New objective"}},
			{name: "objectives search", method: "GET", path: "/objectives?q=fax&sort=title", status: 200, want: []string{"Retire the fax line"}, wantNot: []string{"Settle claims faster"}},
			{name: "new objective form", method: "GET", path: "/objectives/new", status: 200, want: []string{"New objective", `action="/objectives"`}},
			{name: "create objective", method: "POST", path: "/objectives", form: url.Values{"title": {"Answer calls in a minute"}, "baseline": {"4.5"}, "target": {"1"}, "unit": {"minutes"}, "horizon": {"2027-06-30"}}, status: 303, want: []string{"/objectives/obj_"}},
			{name: "flash after create", method: "GET", path: "/objectives", status: 200, want: []string{"Objective created.", "Answer calls in a minute"}},
			{name: "objective", method: "GET", path: "/objectives/" + obj.ID, status: 200, want: []string{"Settle claims faster", "AI systems serving this objective", "History", "objective.create", "Delete objective"}},
			{name: "edit form", method: "GET", path: "/objectives/" + obj.ID + "/edit", status: 200, want: []string{`value="Settle claims faster"`, `name="version" value="1"`}},
			{name: "save objective", method: "POST", path: "/objectives/" + obj.ID, form: url.Values{"title": {"Settle claims in two days"}, "version": {"1"}}, status: 303, want: []string{"/objectives/" + obj.ID}},
			{name: "stale save", method: "POST", path: "/objectives/" + obj.ID, form: url.Values{"title": {"Lost update"}, "version": {"1"}}, status: 409, want: []string{"Someone else changed this objective", `value="Lost update"`}},
			{name: "delete objective", method: "POST", path: "/objectives/" + doomed.ID + "/delete", status: 303, want: []string{"/objectives"}},
			{name: "deleted objective is gone", method: "GET", path: "/objectives/" + doomed.ID, status: 404, want: []string{"Objective not found"}},
			{name: "malformed objective id", method: "GET", path: "/objectives/nope", status: 404},
			{name: "unknown page", method: "GET", path: "/areas/nowhere", status: 404},
			{name: "members", method: "GET", path: "/members", status: 200, want: []string{"ada@acme.test", "Actions"}},
			{name: "add member", method: "POST", path: "/members", form: url.Values{"email": {"cy@acme.test"}, "role": {"editor"}, "password": {servertest.Password}}, status: 303, want: []string{"/members"}},
			{name: "add member twice", method: "POST", path: "/members", form: url.Values{"email": {"cy@acme.test"}, "role": {"editor"}}, status: 422, want: []string{"already belongs", `value="cy@acme.test"`}},
			{name: "change role", method: "POST", path: "/members/" + member.UserID + "/role", form: url.Values{"role": {"contributor"}}, status: 303, want: []string{"/members"}},
			{name: "remove member", method: "POST", path: "/members/" + leaver.UserID + "/remove", status: 303, want: []string{"/members"}},
			{name: "members after changes", method: "GET", path: "/members", status: 200, want: []string{"cy@acme.test", "Member removed"}, wantNot: []string{"bob@acme.test"}},
			{name: "tokens", method: "GET", path: "/tokens", status: 200, want: []string{"old laptop"}},
			{name: "create token shows the secret once", method: "POST", path: "/tokens", form: url.Values{"name": {"ci pipeline"}}, status: 201, want: []string{"ci pipeline", "caio_"}},
			{name: "revoke token", method: "POST", path: "/tokens/" + tokID + "/revoke", status: 303, want: []string{"/tokens"}},
			{name: "audit log", method: "GET", path: "/audit?action=objective.update", status: 200, want: []string{"objective.update"}},
			{name: "audit log verified", method: "GET", path: "/audit?verify=1", status: 200, want: []string{"objective.delete"}},
			{name: "audit log bad date", method: "GET", path: "/audit?since=yesterday", status: 422, want: []string{"YYYY-MM-DD"}},
			{name: "settings", method: "GET", path: "/settings", status: 200, want: []string{`value="Org acme"`}},
			{name: "rename", method: "POST", path: "/settings", form: url.Values{"name": {"Acme Insurance"}}, status: 303, want: []string{"/settings"}},
			{name: "rename to nothing", method: "POST", path: "/settings", form: url.Values{"name": {" "}}, status: 422, want: []string{"is required"}},
			{name: "automation", method: "GET", path: "/automation", status: 200, want: []string{"MCP server for AI agents", "/mcp", "Single sign-on settings", "No webhooks yet.", "Status: <strong>off</strong>"}},
			{name: "compliance posture", method: "GET", path: "/compliance", status: 200, want: []string{"Compliance posture", `role="img"`, "Next deadlines", "High-risk"}},
			{name: "controls", method: "GET", path: "/compliance/controls?framework=eu-ai-act", status: 200, want: []string{"/controls/" + ctl.ID, "CV screening"}},
			{name: "control", method: "GET", path: "/controls/" + ctl.ID, status: 200, want: []string{"Art 4", "Upload a file", "Add a link"}},
			{name: "frameworks", method: "GET", path: "/frameworks", status: 200, want: []string{"Framework catalogue", "/frameworks/iso-42001"}},
			{name: "framework", method: "GET", path: "/frameworks/nist-ai-rmf", status: 200, want: []string{"GV-1.1", "In our own words"}},
			{name: "frameworks that apply", method: "GET", path: "/compliance/settings", status: 200, want: []string{`name="frameworks"`, "Save frameworks"}},
			{name: "new organisation form", method: "GET", path: "/orgs/new", status: 200, want: []string{`name="org_name"`}},
			{name: "create organisation", method: "POST", path: "/orgs", form: url.Values{"org_name": {"Initech"}}, status: 303, want: []string{"/"}},
			{name: "new organisation is current", method: "GET", path: "/", status: 200, want: []string{"Created Initech", "Initech"}},
			{name: "taken slug", method: "POST", path: "/orgs", form: url.Values{"org_name": {"Acme again"}, "org_slug": {"acme"}}, status: 422, want: []string{"is taken", `value="Acme again"`}},
			{name: "switch back", method: "POST", path: "/orgs/switch", form: url.Values{"org": {"acme"}}, status: 303, want: []string{"/"}},
			{name: "switched", method: "GET", path: "/settings", status: 200, want: []string{"Acme Insurance"}},
			{name: "switch to a stranger's organisation", method: "POST", path: "/orgs/switch", form: url.Values{"org": {"nowhere"}}, status: 404},
			{name: "signed in users skip the sign-in page", method: "GET", path: "/login?next=/members", status: 303, want: []string{"/members"}},
			{name: "sign out", method: "POST", path: "/logout", status: 303, want: []string{"/login"}},
			{name: "signed out", method: "GET", path: "/", status: 303, want: []string{"/login"}},
		}
		for _, tc := range tests {
			ok := t.Run(tc.name, func(t *testing.T) {
				who := b
				if tc.anon {
					who = anon
				}
				var res *servertest.Response
				if tc.method == http.MethodGet {
					res = who.Get(t, tc.path)
				} else {
					res = who.PostForm(t, tc.path, tc.form)
				}
				res.Want(t, tc.status)
				text := string(res.Body)
				if loc := res.Header.Get("Location"); loc != "" {
					text = loc
				}
				for _, w := range tc.want {
					if !strings.Contains(text, w) {
						t.Errorf("response lacks %q: %s", w, res)
					}
				}
				for _, w := range tc.wantNot {
					if strings.Contains(text, w) {
						t.Errorf("response has %q: %s", w, res)
					}
				}
				if res.StatusCode >= 500 {
					t.Errorf("server error: %s", res)
				}
			})
			if !ok {
				// Later steps build on earlier ones.
				t.Fatalf("stopped after %q failed", tc.name)
			}
		}

		recordViews(s)
	})
}
