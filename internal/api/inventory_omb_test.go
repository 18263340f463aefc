package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// The OMB M-25-21 determination through the API: set on create and
// update, returned, checked, and a high-impact system gets the M-25-21
// practices as controls once the organisation follows the memo.
func TestSystemOMBImpactAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		editor, owner := org.Token(caio.RoleEditor), org.Token(caio.RoleOwner)
		var sys caio.AISystem
		s.Do(t, "POST", "/api/v1/systems", editor, map[string]any{"name": "Benefit screening", "roles": []string{"deployer"}, "omb_impact": "high_impact"}).
			Want(t, http.StatusCreated).JSON(t, &sys)
		if sys.OMBImpact != caio.OMBHighImpact {
			t.Fatalf("created %+v", sys)
		}
		s.Do(t, "PUT", "/api/v1/compliance/frameworks", owner, map[string]any{"frameworks": []string{"eu-ai-act", "omb-m-25-21"}}).Want(t, http.StatusOK)
		controls := func() int {
			var l struct{ Total int }
			s.Do(t, "GET", "/api/v1/controls?framework=omb-m-25-21&system="+sys.ID, editor, nil).Want(t, http.StatusOK).JSON(t, &l)
			return l.Total
		}
		if n := controls(); n != 7 {
			t.Errorf("%d M-25-21 controls, want 7", n)
		}
		// Updating without the field clears it, as for every optional field of a PUT.
		s.Do(t, "PUT", "/api/v1/systems/"+sys.ID, editor, map[string]any{"name": "Benefit screening", "roles": []string{"deployer"}, "omb_impact": "not_high_impact"}).
			Want(t, http.StatusOK).JSON(t, &sys)
		if sys.OMBImpact != caio.OMBNotHighImpact || controls() != 0 {
			t.Errorf("after not high-impact: %+v, %d controls", sys, controls())
		}
		var got caio.AISystem
		s.Do(t, "GET", "/api/v1/systems/"+sys.ID, org.Token(caio.RoleViewer), nil).Want(t, http.StatusOK).JSON(t, &got)
		if got.OMBImpact != caio.OMBNotHighImpact {
			t.Errorf("read back %q", got.OMBImpact)
		}
		p := s.Do(t, "PUT", "/api/v1/systems/"+sys.ID, editor, map[string]any{"name": "x", "roles": []string{"deployer"}, "omb_impact": "medium"}).
			Want(t, http.StatusUnprocessableEntity).Problem(t)
		if !slices.Contains(p.Locations(), "body.omb_impact") {
			t.Errorf("problem %+v", p)
		}
	})
}
