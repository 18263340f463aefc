package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// classificationViews are the views of the classification pages.
var classificationViews = []string{"classify", "classification", "euaiact"}

// TestClassificationPages walks the guided questionnaire as a person would:
// it asks only what matters, keeps the answers on every round, saves, shows
// the reasons and obligations, takes an override and re-classifies.
func TestClassificationPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		sys, err := s.App.CreateSystem(org.Sys, caio.AISystemInput{Name: "CV screening", Purpose: "Rank job applicants", Roles: []string{"deployer"}, Countries: []string{"DE"}})
		if err != nil {
			t.Fatal(err)
		}
		editor := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
		approver := s.Login(t, org.Members[caio.RoleApprover].Email, servertest.Password)
		admin := s.Login(t, org.Members[caio.RoleAdmin].Email, servertest.Password)
		base := "/systems/" + sys.ID

		// The first round starts from the inventory and asks the definition.
		res := editor.Get(t, base+"/classify").Want(t, 200)
		page := string(res.Body)
		for _, w := range []string{"Classify CV screening", "Result so far", "Does it infer from its inputs", "(Art 3(1)", `value="deployer" checked`, "Save classification", "Why it is asked"} {
			if !strings.Contains(page, w) {
				t.Errorf("first round lacks %q", w)
			}
		}
		if !strings.Contains(page, `name="fact.scope.eu_nexus" value="yes" checked`) {
			t.Errorf("the EU nexus is not taken from the inventory's DE")
		}

		// A round that makes the system out of scope stops asking about the rest.
		form := url.Values{"action": {"preview"}, "annex_iii_asked": {"1"}, "roles": {"deployer"}, "fact.scope.military_defence": {"yes"}}
		page = string(editor.PostForm(t, base+"/classify", form).Want(t, 200).Body)
		if !strings.Contains(page, "Out of scope") || strings.Contains(page, "Does it infer emotions") {
			t.Errorf("out-of-scope round still asks about prohibitions, or lacks the class")
		}
		if !strings.Contains(page, `name="fact.scope.military_defence" value="yes" checked`) {
			t.Errorf("the answer was not kept")
		}

		// A round with Annex III point 4(a) asks the Art 6(3) filter.
		form = url.Values{"action": {"preview"}, "annex_iii_asked": {"1"}, "roles": {"deployer"}, "annex_iii": {"4(a)"}, "annex_i": {"none"},
			"fact.definition.machine_based": {"yes"}, "fact.definition.autonomy": {"yes"}, "fact.definition.infers": {"yes"}, "fact.definition.outputs_influence": {"yes"},
			"fact.scope.eu_nexus": {"yes"}}
		page = string(editor.PostForm(t, base+"/classify", form).Want(t, 200).Body)
		for _, w := range []string{"High-risk", "annex_iii:4(a)", "Does the system perform profiling", "provisional"} {
			if !strings.Contains(page, w) {
				t.Errorf("4(a) round lacks %q", w)
			}
		}
		// A bad compute figure keeps the answers and names the field.
		bad := url.Values{"action": {"preview"}, "annex_iii_asked": {"1"}, "roles": {"deployer"}, "fact.gpai.provider": {"yes"}, "training_flop": {"lots"}}
		page = string(editor.PostForm(t, base+"/classify", bad).Want(t, 422).Body)
		if !strings.Contains(page, "must be a number") || !strings.Contains(page, `value="lots"`) {
			t.Errorf("bad training_flop: page does not name it or lost the input")
		}

		// A viewer can look but not save.
		vpage := string(viewer.Get(t, base+"/classify").Want(t, 200).Body)
		if strings.Contains(vpage, "Save classification") {
			t.Errorf("a viewer is offered to save")
		}
		form.Set("action", "save")
		viewer.PostForm(t, base+"/classify", form).Want(t, 403)

		// Saving stores the classification and shows the full page.
		form.Set("fact.art6_3.profiling", "yes")
		res = editor.PostForm(t, base+"/classify", form).Want(t, 303)
		if loc := res.Header.Get("Location"); loc != base+"/classification" {
			t.Fatalf("save redirected to %q", loc)
		}
		page = string(editor.Get(t, base+"/classification").Want(t, 200).Body)
		for _, w := range []string{"High-risk", "Deployer duties", "2027-12-02", "2026-08-02", "Trace", "art6_3", "not legal advice", "Facts still missing"} {
			if !strings.Contains(page, w) {
				t.Errorf("classification page lacks %q", w)
			}
		}
		if strings.Contains(page, "Record a reviewed override") {
			t.Errorf("an editor is offered the override form")
		}

		// An approver records an override; a missing reason keeps the input.
		res = approver.PostForm(t, base+"/classification/override", url.Values{"class": {"minimal"}, "reference": {"LEG-9"}}).Want(t, 422)
		if p := string(res.Body); !strings.Contains(p, "Reason is required") || !strings.Contains(p, `value="LEG-9"`) {
			t.Errorf("override without a reason: %s", res)
		}
		approver.PostForm(t, base+"/classification/override", url.Values{"class": {"minimal"}, "reason": {"Counsel found it only sorts by date."}, "reference": {"LEG-9"}}).Want(t, 303)
		page = string(approver.Get(t, base+"/classification").Want(t, 200).Body)
		if !strings.Contains(page, "Reviewed override: Minimal risk") || !strings.Contains(page, "the engine said High-risk") {
			t.Errorf("override not shown beside the engine's answer")
		}

		// The EU AI Act page: the timeline and re-classification.
		page = string(viewer.Get(t, "/compliance/eu-ai-act").Want(t, 200).Body)
		if !strings.Contains(page, "Check what re-classification would change") || strings.Contains(page, "Save timeline") {
			t.Errorf("EU AI Act page for a viewer: no check button, or offers the timeline form")
		}
		page = string(viewer.Get(t, "/compliance/eu-ai-act?check=1").Want(t, 200).Body)
		if !strings.Contains(page, "Every classification is current") {
			t.Errorf("EU AI Act page for a viewer: wrong state or offers the timeline form")
		}
		admin.PostForm(t, "/compliance/eu-ai-act/timeline", url.Values{"timeline": {"enacted"}}).Want(t, 303)
		page = string(admin.Get(t, "/compliance/eu-ai-act?check=1").Want(t, 200).Body)
		if !strings.Contains(page, "1 would change") || !strings.Contains(page, "art26") {
			t.Errorf("after the timeline change the page shows no change")
		}
		admin.PostForm(t, "/compliance/eu-ai-act/timeline", url.Values{"timeline": {"sometime"}}).Want(t, 422)
		page = string(editor.PostForm(t, "/compliance/eu-ai-act/reclassify", url.Values{}).Want(t, 200).Body)
		if !strings.Contains(page, "Re-classified") {
			t.Errorf("re-classify did not report")
		}

		// Once the inventory's roles differ from what the classification
		// read, the card says so and points to the profile.
		in := sys.Input()
		in.Roles = []string{"deployer", "provider"}
		if _, err := s.App.UpdateSystem(org.Sys, sys.ID, 0, in); err != nil {
			t.Fatal(err)
		}
		card := string(editor.Get(t, base).Want(t, 200).Body)
		if !strings.Contains(card, "The inventory now gives your roles as provider, deployer, but the classification read deployer") || !strings.Contains(card, base+"/classify") {
			i := strings.Index(card, "EU AI Act classification")
			t.Errorf("the card does not flag the changed roles: %s", card[i:min(len(card), i+1500)])
		}

		// Another organisation cannot reach the pages.
		other := s.NewOrg(t, "globex")
		stranger := s.Login(t, other.Members[caio.RoleOwner].Email, servertest.Password)
		stranger.Get(t, base+"/classify").Want(t, 404)
		stranger.Get(t, base+"/classification").Want(t, 404)

		recordViews(s)
		used := s.Handler.Web.UsedViews()
		for _, v := range classificationViews {
			if !used[v] {
				t.Errorf("view %s never rendered", v)
			}
		}
	})
}
