package app_test

import (
	"context"
	"slices"
	"sync"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/questionnaire"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// Review of issue 5 (assessments and the risk register): each test shows
// one bug found in review and fails until it is fixed.

// reviewSurvey is a small SurveyJS questionnaire: a checkbox whose choices
// are "a" and "ab", a text question shown only when "a" is ticked, and a
// scored radiogroup.
const reviewSurvey = `{"title": "Review", "pages": [{"name": "p1", "elements": [
	{"type": "checkbox", "name": "c", "choices": ["a", "ab"]},
	{"type": "text", "name": "t", "isRequired": true, "visibleIf": "{c} contains 'a'"},
	{"type": "radiogroup", "name": "q-RS", "choices": ["item1-0", "item2-3"]}
]}]}`

// A checkbox with one ticked box is still a list in SurveyJS, so
// "{c} contains 'a'" asks whether "a" is ticked. caio hands the engine a
// single ticked value as text, and "contains" on text is a substring test:
// ticking only "ab" shows (and requires) the question that "a" opens.
func TestReview5CheckboxWithOneValueIsAList(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ed := f.as(caio.RoleEditor)
		file, err := f.app.UploadSurvey(ed, "review.json", []byte(reviewSurvey))
		if err != nil {
			t.Fatal(err)
		}
		x, err := f.app.CreateAssessment(ed, caio.AssessmentInput{Definition: "survey", SurveyID: file.ID})
		if err != nil {
			t.Fatal(err)
		}
		v, err := f.app.SaveAnswers(ed, x.ID, 0, map[string][]string{"c": {"ab"}, "q-RS": {"item2-3"}})
		if err != nil {
			t.Fatal(err)
		}
		if v.VisibleQuestions["t"] {
			t.Errorf("ticking only \"ab\" shows the question of \"{c} contains 'a'\"; missing %v", v.Result.Missing)
		}
		if _, err := f.app.SubmitAssessment(ed, x.ID); err != nil {
			t.Errorf("submit with the hidden question unanswered: %v", err)
		}
	})
}

// A number in an imported answer file is stored as Go prints a float64:
// 1500000 becomes "1.5e+06" on the page and in the audit trail.
func TestReview5ImportKeepsNumbersAsWritten(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		s := f.system(t, "Eligibility")
		x, err := f.app.CreateAssessment(f.sys, caio.AssessmentInput{Definition: "impact", SubjectID: s.ID})
		if err != nil {
			t.Fatal(err)
		}
		v, _, err := f.app.ImportAnswers(f.as(caio.RoleContributor), x.ID, []byte(`{"b_volume": 1500000}`))
		if err != nil {
			t.Fatal(err)
		}
		if got := v.AnswerMap()["b_volume"]; !slices.Equal(got, []string{"1500000"}) {
			t.Errorf("imported 1500000 is stored as %q", got)
		}
	})
}

// The built-in questionnaires check answers trimmed but store them as
// sent, so an API client's " yes" is accepted and stored with its spaces:
// the page then shows no option chosen and the raw value instead of its
// label, and sending "yes" later counts as a change.
func TestReview5AnswersAreStoredTrimmed(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		def, _ := questionnaire.Builtin("readiness")
		q := def.Sections[0].Questions[0]
		x, err := f.app.CreateAssessment(f.sys, caio.AssessmentInput{Definition: "readiness"})
		if err != nil {
			t.Fatal(err)
		}
		want := answerFor(q, true)
		v, err := f.app.SaveAnswers(f.as(caio.RoleContributor), x.ID, 0, map[string][]string{q.ID: {"  " + want[0] + " "}})
		if err != nil {
			t.Fatal(err)
		}
		if got := v.AnswerMap()[q.ID]; !slices.Equal(got, want) {
			t.Errorf("stored %q, want %q", got, want)
		}
	})
}

// A SurveyJS file whose text is not UTF-8 (a French questionnaire saved as
// Latin-1) loads, is stored on SQLite, and fails on PostgreSQL with a
// message that names no field; a NUL in its title likewise. Both engines
// must do the same: accept it, or refuse it naming "file".
func TestReview5SurveyUploadSameOnBothEngines(t *testing.T) {
	cases := map[string]string{
		"latin-1": "{\"title\": \"R\xe9vision\", \"pages\": [{\"name\": \"p\", \"elements\": [{\"type\": \"text\", \"name\": \"t\"}]}]}",
		"NUL":     `{"title": "A\u0000B", "pages": [{"name": "p", "elements": [{"type": "text", "name": "t"}]}]}`,
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		for name, data := range cases {
			_, err := f.app.UploadSurvey(f.as(caio.RoleEditor), "q.json", []byte(data))
			if err != nil && !slices.Equal(fieldNames(err), []string{"file"}) {
				t.Errorf("%s: %v (code %s), want success or a problem naming file", name, err, caio.ErrorCode(err))
			}
		}
	})
}

// The scale and the appetite have no row until first set, and a missing
// row cannot be locked: on PostgreSQL a risk rated 5 and a change of the
// scale to 3 both pass their checks and both commit, leaving a risk above
// the scale (which the heat map then does not draw).
func TestReview5AppetiteRaceWithoutSettingsRow(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		if db.Dialect != sqldb.Postgres {
			t.Skip("SQLite runs one write at a time")
		}
		f := newFixture(t, db)
		ctx := context.Background()
		owner, ed := f.as(caio.RoleOwner), f.as(caio.RoleEditor)
		reset := func() {
			for _, q := range []string{`DELETE FROM risk_settings WHERE org_id = $1`, `DELETE FROM risks WHERE org_id = $1`} {
				if err := db.ExecRaw(ctx, q, f.org.ID); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i := range 40 {
			reset()
			var wg sync.WaitGroup
			start := make(chan struct{})
			var setErr, riskErr error
			wg.Go(func() {
				<-start
				_, setErr = f.app.SetRiskAppetite(owner, caio.RiskAppetite{Scale: 3, Appetite: 4})
			})
			wg.Go(func() {
				<-start
				_, riskErr = f.app.CreateRisk(ed, caio.RiskInput{Title: "rated 5", Likelihood: 5, Impact: 5})
			})
			close(start)
			wg.Wait()
			if setErr == nil && riskErr == nil {
				t.Fatalf("attempt %d: the scale became 3 while a risk rated 5 was saved", i)
			}
		}
	})
}

// Two first settings of the appetite at once: both find no row, both
// insert, and the loser gets 409 "That already exists." where a retry
// (which would find the row) succeeds.
func TestReview5AppetiteFirstSetRace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		if db.Dialect != sqldb.Postgres {
			t.Skip("SQLite runs one write at a time")
		}
		f := newFixture(t, db)
		owner := f.as(caio.RoleOwner)
		for i := range 40 {
			if err := db.ExecRaw(context.Background(), `DELETE FROM risk_settings WHERE org_id = $1`, f.org.ID); err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			start := make(chan struct{})
			errs := make([]error, 2)
			for k := range errs {
				wg.Go(func() {
					<-start
					_, errs[k] = f.app.SetRiskAppetite(owner, caio.RiskAppetite{Scale: 5, Appetite: 6 + k})
				})
			}
			close(start)
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatalf("attempt %d: two first settings at once: %v", i, err)
				}
			}
		}
	})
}

// The trend reads every submitted result as a built-in questionnaire's,
// so an assessment made with an uploaded questionnaire shows a score of 0
// whatever its AIA total.
func TestReview5SurveyTrendScore(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		ed := f.as(caio.RoleEditor)
		file, err := f.app.UploadSurvey(ed, "review.json", []byte(reviewSurvey))
		if err != nil {
			t.Fatal(err)
		}
		x, err := f.app.CreateAssessment(ed, caio.AssessmentInput{Definition: "survey", SurveyID: file.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.SaveAnswers(ed, x.ID, 0, map[string][]string{"c": {"a"}, "t": {"why"}, "q-RS": {"item2-3"}}); err != nil {
			t.Fatal(err)
		}
		v, err := f.app.SubmitAssessment(ed, x.ID)
		if err != nil || v.Score == nil || *v.Score != 3 {
			t.Fatalf("submitted: %+v, %v", v, err)
		}
		trend, err := f.app.AssessmentTrend(f.sys, "survey", "")
		if err != nil || len(trend) != 1 {
			t.Fatalf("trend %+v, %v", trend, err)
		}
		if trend[0].Score != 3 {
			t.Errorf("trend score %v, want the AIA total 3", trend[0].Score)
		}
	})
}
