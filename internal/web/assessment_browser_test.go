package web_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/caio-office/caio"
	qn "github.com/caio-office/caio/internal/engine/questionnaire"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestAssessmentAutosave answers a readiness question in headless Chromium
// by keyboard and checks that caio.js saved it without the Save button: the
// status line says so, the answer is stored, and a second answer (with the
// version the first save returned) is stored too.
func TestAssessmentAutosave(t *testing.T) {
	chromium := ucChromium(t)
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	s := servertest.New(t, db)
	org := s.NewOrg(t, "acme")
	x := s.NewAssessment(t, org, false)
	def, _ := qn.Builtin("readiness")
	q1, q2 := def.Sections[0].Questions[0], def.Sections[0].Questions[1]
	b := newUCBrowser(t, chromium, s.URL)
	me := org.Members[caio.RoleContributor]

	b.open("/login")
	b.tabTo("#f-email")
	b.typeText(me.Email)
	b.tabTo("#f-password")
	b.typeText(servertest.Password)
	b.press("sign in with Enter", kb.Enter, 200)
	b.open("/assessments/" + x.ID)

	answer := func(q qn.Question) {
		t.Helper()
		sel := `input[name="q.` + q.ID + `"][value="` + q.Options[0].Value + `"]`
		b.tabTo(sel)
		b.do("choose with Space", chromedp.KeyEvent(" "))
		if !ucEval[bool](b, `document.querySelector('`+sel+`').checked`) {
			t.Fatalf("Space did not choose %s", sel)
		}
	}
	waitSaved := func(q qn.Question) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			v, err := s.App.FindAssessment(org.Sys, x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if vals := v.AnswerMap()[q.ID]; len(vals) == 1 && vals[0] == q.Options[0].Value {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s was not saved; the status line says %q", q.ID,
					ucEval[string](b, `document.querySelector("[data-autosave-status]").textContent`))
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	answer(q1)
	waitSaved(q1)
	for range 50 { // the status line follows the response
		if got := ucEval[string](b, `document.querySelector("[data-autosave-status]").textContent`); len(got) > 8 && got[:8] == "Saved at" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := ucEval[string](b, `document.querySelector("[data-autosave-status]").textContent`); len(got) < 8 || got[:8] != "Saved at" {
		t.Errorf("the status line says %q, want Saved at …", got)
	}
	answer(q2) // the second save sends the version the first returned
	waitSaved(q2)
	if got := ucEval[string](b, `document.querySelector("[data-autosave-status]").textContent`); len(got) > 9 && got[:9] == "Not saved" {
		t.Errorf("the second save failed: %q", got)
	}
}
