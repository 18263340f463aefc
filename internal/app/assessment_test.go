package app_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/questionnaire"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

func init() {
	actions = append(actions,
		action{"CreateAssessment", caio.PermEdit, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, err := f.app.CreateAssessment(ctx, caio.AssessmentInput{Definition: "readiness"})
				return err
			}
		}},
		action{"SaveAnswers", caio.PermContribute, true, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			x, err := f.app.CreateAssessment(f.sys, caio.AssessmentInput{Definition: "readiness"})
			if err != nil {
				t.Fatal(err)
			}
			def, _ := questionnaire.Builtin("readiness")
			q := def.Sections[0].Questions[0]
			return func(ctx context.Context) error {
				_, err := f.app.SaveAnswers(ctx, x.ID, 0, map[string][]string{q.ID: answerFor(q, false)})
				return err
			}
		}},
		action{"FindAssessments", caio.PermRead, false, func(t *testing.T, f *fixture, _ *caio.Membership) func(context.Context) error {
			return func(ctx context.Context) error {
				_, _, err := f.app.FindAssessments(ctx, caio.AssessmentFilter{})
				return err
			}
		}},
	)
}

// answerFor gives a valid answer to a question: its best option when best,
// else its worst; a number or scale at its bound; some text; a date.
func answerFor(q questionnaire.Question, best bool) []string {
	switch q.Type {
	case "single", "scale":
		if len(q.Options) > 0 {
			o := q.Options[0]
			for _, x := range q.Options {
				if (best && x.Score > o.Score) || (!best && x.Score < o.Score) {
					o = x
				}
			}
			return []string{o.Value}
		}
		if q.Min != nil && q.Max != nil {
			if best {
				return []string{strconv.Itoa(int(*q.Max))}
			}
			return []string{strconv.Itoa(int(*q.Min))}
		}
		return []string{"1"}
	case "multiple":
		var out []string
		for _, o := range q.Options {
			if (best && o.Score > 0) || (!best && o.Score <= 0) {
				out = append(out, o.Value)
			}
		}
		if len(out) == 0 && len(q.Options) > 0 {
			out = []string{q.Options[0].Value}
		}
		return out
	case "number":
		if q.Min != nil {
			return []string{strconv.FormatFloat(*q.Min, 'f', -1, 64)}
		}
		return []string{"1"}
	case "date":
		return []string{"2027-01-31"}
	}
	return []string{"Described in the team's words."}
}

// answerAll answers every question of the definition, best or worst.
func answerAll(def *questionnaire.Definition, best bool) map[string][]string {
	out := map[string][]string{}
	for _, s := range def.Sections {
		for _, q := range s.Questions {
			out[q.ID] = answerFor(q, best)
		}
	}
	return out
}

func TestReadinessAssessment(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		def, ok := questionnaire.Builtin("readiness")
		if !ok {
			t.Fatal("no readiness questionnaire")
		}
		_, err := f.app.CreateAssessment(f.sys, caio.AssessmentInput{Definition: "nonsense"})
		if got := fieldNames(err); !slices.Equal(got, []string{"definition"}) {
			t.Fatalf("unknown questionnaire: %v", err)
		}
		_, err = f.app.CreateAssessment(f.sys, caio.AssessmentInput{Definition: "readiness", SubjectID: f.system(t, "Bot").ID})
		if got := fieldNames(err); !slices.Equal(got, []string{"subject_id"}) {
			t.Fatalf("readiness about a system: %v", err)
		}
		x, err := f.app.CreateAssessment(f.as(caio.RoleEditor), caio.AssessmentInput{Definition: "readiness"})
		if err != nil {
			t.Fatal(err)
		}
		// A contributor answers part of it; a bad answer names its question
		// and stores nothing.
		first := def.Sections[0].Questions[0]
		_, err = f.app.SaveAnswers(f.as(caio.RoleContributor), x.ID, 0, map[string][]string{first.ID: {"not-an-option"}})
		if got := fieldNames(err); len(got) != 1 || !strings.Contains(got[0], first.ID) {
			t.Fatalf("bad answer: %v", err)
		}
		v, err := f.app.SaveAnswers(f.as(caio.RoleContributor), x.ID, 0, map[string][]string{first.ID: answerFor(first, true)})
		if err != nil || v.Result.Complete || v.Result.Answered != 1 || len(v.Answers) != 1 || v.Answers[0].By == "" {
			t.Fatalf("partial answers: %+v, %v", v, err)
		}
		// Submitting an incomplete one lists what is missing.
		_, err = f.app.SubmitAssessment(f.as(caio.RoleEditor), x.ID)
		if got := fieldNames(err); len(got) == 0 || !strings.HasPrefix(got[0], "answers.") {
			t.Fatalf("incomplete submit: %v", err)
		}
		if _, err := f.app.SaveAnswers(f.as(caio.RoleContributor), x.ID, 0, answerAll(def, false)); err != nil {
			t.Fatal(err)
		}
		low, err := f.app.SubmitAssessment(f.as(caio.RoleEditor), x.ID)
		if err != nil || low.Status != caio.AssessmentSubmitted || low.Level != 1 || low.Score == nil || len(low.Result.Dimensions) != 6 {
			t.Fatalf("submitted: %+v, %v", low, err)
		}
		_, err = f.app.SaveAnswers(f.as(caio.RoleContributor), x.ID, 0, map[string][]string{first.ID: answerFor(first, true)})
		wantCode(t, err, caio.ECONFLICT)

		// A second assessment, all best answers, makes a trend.
		y, err := f.app.CreateAssessment(f.as(caio.RoleEditor), caio.AssessmentInput{Definition: "readiness"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.SaveAnswers(f.as(caio.RoleEditor), y.ID, 0, answerAll(def, true)); err != nil {
			t.Fatal(err)
		}
		high, err := f.app.SubmitAssessment(f.as(caio.RoleEditor), y.ID)
		if err != nil || high.Level != len(def.Levels) {
			t.Fatalf("best answers: level %d, %v", high.Level, err)
		}
		trend, err := f.app.AssessmentTrend(f.sys, "readiness", "")
		if err != nil || len(trend) != 2 || trend[0].Score >= trend[1].Score || len(trend[1].Dimensions) != 6 {
			t.Fatalf("trend: %+v, %v", trend, err)
		}
		if v := verify(t, f.app, f.sys); !v.Intact {
			t.Fatalf("audit chain broken: %+v", v)
		}
	})
}

func TestImpactAssessmentFeedsTheArt27Control(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		s := f.system(t, "Benefit eligibility scoring")
		p := cvScreening()
		p.Facts["deployer.public_body"] = true // a public body deploying a high-risk system owes a FRIA
		if _, err := f.app.ClassifySystem(f.sys, s.ID, p); err != nil {
			t.Fatal(err)
		}
		impact := "impact"
		xs, n, err := f.app.FindAssessments(f.sys, caio.AssessmentFilter{Definition: &impact, SubjectID: &s.ID})
		if err != nil || n != 1 || xs[0].Status != caio.AssessmentDraft || xs[0].SubjectName != s.Name {
			t.Fatalf("proposed impact assessments: %d %+v, %v", n, xs, err)
		}
		// Classifying again proposes nothing more.
		if _, err := f.app.ClassifySystem(f.sys, s.ID, p); err != nil {
			t.Fatal(err)
		}
		if _, n, _ = f.app.FindAssessments(f.sys, caio.AssessmentFilter{Definition: &impact, SubjectID: &s.ID}); n != 1 {
			t.Fatalf("a second classification proposed another: %d", n)
		}
		def, _ := questionnaire.Builtin("impact")
		if _, err := f.app.SaveAnswers(f.as(caio.RoleEditor), xs[0].ID, 0, answerAll(def, true)); err != nil {
			t.Fatal(err)
		}
		if _, err := f.app.SubmitAssessment(f.as(caio.RoleEditor), xs[0].ID); err != nil {
			t.Fatal(err)
		}
		fw := "eu-ai-act"
		ks, _, err := f.app.FindControls(f.sys, caio.ControlFilter{SystemID: &s.ID, Framework: &fw, Page: caio.Page{Limit: 500}})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, k := range ks {
			if k.ItemID == "art27" {
				found = true
				if k.Status != caio.StatusImplemented || !strings.Contains(k.Notes, xs[0].ID) {
					t.Fatalf("Art 27 control after the assessment: %+v", k)
				}
			}
		}
		if !found {
			t.Fatal("no Art 27 control")
		}
	})
}

// sharedData returns the path of a file under ../shared/data, skipping the
// test when it is absent (a user's clone) and failing it under CI.
func sharedData(t *testing.T, rel string) string {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "data", rel)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing, and CI needs it: %v", p, err)
		}
		t.Skipf("%s is not here (the shared data is not in a user's clone): %v", p, err)
	}
	return p
}

func TestSurveyAssessment(t *testing.T) {
	survey, err := os.ReadFile(sharedData(t, "canada-aia/survey-enfr.json"))
	if err != nil {
		t.Fatal(err)
	}
	sample, err := os.ReadFile(sharedData(t, "canada-aia/samples/01_upstream_unit_test.json"))
	if err != nil {
		t.Fatal(err)
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		f := newFixture(t, db)
		_, err := f.app.UploadSurvey(f.as(caio.RoleEditor), "broken.json", []byte(`{"pages": [`))
		if got := fieldNames(err); !slices.Equal(got, []string{"file"}) {
			t.Fatalf("a broken file: %v", err)
		}
		_, err = f.app.UploadSurvey(f.as(caio.RoleContributor), "aia.json", survey)
		wantCode(t, err, caio.EFORBIDDEN)
		file, err := f.app.UploadSurvey(f.as(caio.RoleEditor), "aia.json", survey)
		if err != nil || file.Size != int64(len(survey)) || len(file.SHA256) != 64 {
			t.Fatalf("upload: %+v, %v", file, err)
		}
		x, err := f.app.CreateAssessment(f.as(caio.RoleEditor), caio.AssessmentInput{Definition: "survey", SurveyID: file.ID})
		if err != nil || x.DefinitionVersion != file.SHA256 {
			t.Fatalf("create: %+v, %v", x, err)
		}
		// The original tool's saved answers score as it scored them.
		v, skipped, err := f.app.ImportAnswers(f.as(caio.RoleContributor), x.ID, sample)
		if err != nil {
			t.Fatal(err)
		}
		if v.AIA == nil || v.AIA.Raw != 3 || v.AIA.Mitigation != 0 || v.AIA.Total != 3 || v.AIA.Level != 1 {
			t.Fatalf("imported sample scores %+v (skipped %v)", v.AIA, skipped)
		}
		// A choice the question does not have is refused by name.
		_, err = f.app.SaveAnswers(f.as(caio.RoleContributor), x.ID, 0, map[string][]string{"projectDetailsPhase": {"item9"}})
		if got := fieldNames(err); !slices.Equal(got, []string{"projectDetailsPhase"}) {
			t.Fatalf("a bad choice: %v", err)
		}
		// A file that does not parse names its line.
		_, _, err = f.app.ImportAnswers(f.as(caio.RoleContributor), x.ID, []byte("{\n\"a\": 1,\n}"))
		if got := fieldNames(err); !slices.Equal(got, []string{"file"}) || !strings.Contains(err.Error(), "line") {
			t.Fatalf("a broken answer file: %v", err)
		}
		// Another organisation cannot start one with this file.
		_, otherSys := newOrg(t, f.app, "globex", "owner@globex.test")
		_, err = f.app.CreateAssessment(otherSys, caio.AssessmentInput{Definition: "survey", SurveyID: file.ID})
		if got := fieldNames(err); !slices.Equal(got, []string{"survey_id"}) {
			t.Fatalf("another organisation's file: %v", err)
		}
	})
}
