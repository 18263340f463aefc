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

// The OMB M-25-21 determination on the system form and page: the form
// offers the three answers, keeps a bad one with its error, and the page
// shows the answer with why the practices apply.
func TestSystemFormOMBImpact(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		sys := s.NewSystem(t, org, "Benefit screening")
		b := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		form := b.Get(t, "/systems/"+sys.ID+"/edit").Want(t, http.StatusOK)
		for _, w := range []string{`name="omb_impact"`, `value="high_impact"`, `value="presumed_not_high_impact"`, `value="not_high_impact"`, "OMB M-25-21 high-impact"} {
			if !strings.Contains(string(form.Body), w) {
				t.Errorf("form lacks %q", w)
			}
		}
		values := url.Values{"name": {"Benefit screening"}, "roles": {"deployer"}, "stage": {"production"}, "version": {"1"}, "omb_impact": {"sometimes"}}
		bad := b.PostForm(t, "/systems/"+sys.ID, values).Want(t, http.StatusUnprocessableEntity)
		if body := string(bad.Body); !strings.Contains(body, "must be empty or one of high_impact") || !strings.Contains(body, `aria-invalid="true"`) {
			t.Errorf("bad value not flagged: %s", bad)
		}
		values.Set("omb_impact", "high_impact")
		b.PostForm(t, "/systems/"+sys.ID, values).Want(t, http.StatusSeeOther)
		got, err := s.App.FindSystem(org.Sys, sys.ID)
		if err != nil || got.OMBImpact != caio.OMBHighImpact {
			t.Fatalf("stored %+v, %v", got, err)
		}
		page := string(b.Get(t, "/systems/"+sys.ID).Want(t, http.StatusOK).Body)
		for _, w := range []string{"OMB M-25-21 high-impact", "High-impact", "M-25-21 appendix §5"} {
			if !strings.Contains(page, w) {
				t.Errorf("page lacks %q", w)
			}
		}
		edit := string(b.Get(t, "/systems/"+sys.ID+"/edit").Want(t, http.StatusOK).Body)
		if !strings.Contains(edit, `value="high_impact" selected`) {
			t.Error("the edit form does not show the stored answer")
		}
	})
}
