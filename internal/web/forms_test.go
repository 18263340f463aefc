package web_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestObjectiveFormKeepsInput posts objective forms with one bad field and
// checks that the page comes back with 422, says what is wrong with that
// field, still holds everything else the person typed, and wrote nothing.
func TestObjectiveFormKeepsInput(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")
		b := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)

		good := func() url.Values {
			return url.Values{
				"title": {"Answer calls within a minute"}, "description": {"Customers & agents <both> wait too long."},
				"kpi": {"median wait"}, "baseline": {"4.5"}, "target": {"1"}, "unit": {"minutes"},
				"horizon": {"2027-06-30"}, "owner": {"Head of service"},
			}
		}
		tests := []struct {
			name  string
			field string // the bad field
			value string
			// want is what the page says about the field.
			want string
		}{
			{"baseline not a number", "baseline", "twelve", "must be a number"},
			{"target not a number", "target", "1O0", "must be a number"},
			{"horizon not a date", "horizon", "31/12/2027", "YYYY-MM-DD"},
			{"horizon impossible", "horizon", "2027-02-30", "YYYY-MM-DD"},
			{"title missing", "title", "   ", "is required"},
			{"title too long", "title", strings.Repeat("T", 201), "at most 200"},
			{"owner too long", "owner", strings.Repeat("O", 201), "at most 200"},
			{"NUL in kpi", "kpi", "wait\x00time", "NUL"},
			{"invalid UTF-8 in unit", "unit", "min\xffutes", "UTF-8"},
		}
		for _, path := range []string{"/objectives", "/objectives/" + obj.ID} {
			for _, tc := range tests {
				t.Run(path+"/"+tc.name, func(t *testing.T) {
					form := good()
					form.Set(tc.field, tc.value)
					if path != "/objectives" {
						form.Set("version", "1")
					}
					before := s.Count(t, org)
					res := b.PostForm(t, path, form).Want(t, http.StatusUnprocessableEntity)
					body := string(res.Body)
					if !strings.Contains(body, `aria-invalid="true"`) || !strings.Contains(body, tc.want) {
						t.Errorf("page does not flag %s with %q: %s", tc.field, tc.want, res)
					}
					for name := range form {
						if name == tc.field || name == "version" {
							continue
						}
						v := html.EscapeString(form.Get(name))
						typed := `value="` + v + `"`
						if name == "description" {
							typed = ">" + v + "</textarea>"
						}
						if !strings.Contains(body, typed) {
							t.Errorf("page lost what was typed in %s: want %s in the page", name, typed)
						}
					}
					if after := s.Count(t, org); after != before {
						t.Errorf("counts changed from %+v to %+v", before, after)
					}
				})
			}
		}
	})
}
