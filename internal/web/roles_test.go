package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestPagesByRole checks that pages offer only the actions a role may take,
// and that a form posted anyway is refused with a 403 page and no change.
func TestPagesByRole(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")
		ctl := s.NewControl(t, org, "CV screening")

		// shows lists what a page offers only with a permission.
		shows := []struct {
			path, marker string
			perm         caio.Permission
		}{
			{"/objectives", "New objective", caio.PermEdit},
			{"/objectives", `href="/objectives/new"`, caio.PermEdit},
			{"/", "Add an objective", caio.PermEdit},
			{"/objectives/" + obj.ID, `href="/objectives/` + obj.ID + `/edit"`, caio.PermEdit},
			{"/objectives/" + obj.ID, "Delete objective", caio.PermEdit},
			{"/objectives/" + obj.ID, "History", caio.PermReadAudit},
			{"/members", `action="/members"`, caio.PermManageMembers},
			{"/", `href="/audit"`, caio.PermReadAudit},
			{"/controls/" + ctl.ID, "Save control", caio.PermEdit},
			{"/controls/" + ctl.ID, "Upload a file", caio.PermContribute},
			{"/controls/" + ctl.ID, "History", caio.PermReadAudit},
			{"/compliance/settings", "Save frameworks", caio.PermManageOrg},
		}
		for _, r := range caio.Roles {
			t.Run(string(r), func(t *testing.T) {
				b := s.Login(t, org.Members[r].Email, servertest.Password)
				for _, sh := range shows {
					res := b.Get(t, sh.path).Want(t, http.StatusOK)
					if got, want := strings.Contains(string(res.Body), sh.marker), caio.Can(r, sh.perm); got != want {
						t.Errorf("GET %s as %s: shows %q = %v, want %v", sh.path, r, sh.marker, got, want)
					}
				}

				before := s.Count(t, org)
				res := b.PostForm(t, "/objectives", url.Values{"title": {"Made by " + string(r)}})
				if caio.Can(r, caio.PermEdit) {
					res.Want(t, http.StatusSeeOther)
					return
				}
				res.Want(t, http.StatusForbidden)
				if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
					t.Errorf("refusal is %q, want an HTML page", ct)
				}
				if !strings.Contains(string(res.Body), "does not allow") {
					t.Errorf("refusal page does not say why: %s", res)
				}
				if after := s.Count(t, org); after != before {
					t.Errorf("refused, yet counts changed from %+v to %+v", before, after)
				}
				// Editing and deleting are refused the same way.
				b.PostForm(t, "/objectives/"+obj.ID, url.Values{"title": {"Changed by " + string(r)}}).Want(t, http.StatusForbidden)
				b.PostForm(t, "/objectives/"+obj.ID+"/delete", nil).Want(t, http.StatusForbidden)
				if after := s.Count(t, org); after != before {
					t.Errorf("refused, yet counts changed from %+v to %+v", before, after)
				}
			})
		}
	})
}
