package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	qn "github.com/caio-office/caio/internal/engine/questionnaire"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// newAssessment starts a readiness assessment in the environment's organisation.
func newAssessment(t *testing.T, e *roleEnv) string {
	x, err := e.s.App.CreateAssessment(e.org.Sys, caio.AssessmentInput{Definition: "readiness", Title: fmt.Sprintf("Readiness %d", e.seq())})
	if err != nil {
		t.Fatal(err)
	}
	return x.ID
}

// anyAnswer gives a valid answer to a question.
func anyAnswer(q qn.Question) []string {
	switch {
	case len(q.Options) > 0:
		return []string{q.Options[0].Value}
	case q.Type == "date":
		return []string{"2027-01-31"}
	case q.Min != nil:
		return []string{fmt.Sprint(*q.Min)}
	}
	return []string{"Written by the team."}
}

func firstQuestion() qn.Question {
	def, _ := qn.Builtin("readiness")
	return def.Sections[0].Questions[0]
}

func init() {
	roleCases = append(roleCases,
		// App.Questionnaires, FindAssessments, FindAssessment, AssessmentTrend: PermRead.
		roleCase{name: "list questionnaires", op: "GET /questionnaires", perm: caio.PermRead, req: fixed("/api/v1/questionnaires", nil), ok: 200},
		roleCase{name: "list assessments", op: "GET /assessments", perm: caio.PermRead, req: fixed("/api/v1/assessments", nil), ok: 200},
		roleCase{name: "get assessment", op: "GET /assessments/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/assessments/" + newAssessment(t, e), nil
		}},
		roleCase{name: "assessment trend", op: "GET /assessments-trend", perm: caio.PermRead, req: fixed("/api/v1/assessments-trend?definition=readiness", nil), ok: 200},
		// App.CreateAssessment, SubmitAssessment, DeleteAssessment: PermEdit.
		roleCase{name: "create assessment", op: "POST /assessments", perm: caio.PermEdit, req: fixed("/api/v1/assessments", map[string]any{"definition": "readiness"}), ok: 201},
		roleCase{name: "delete assessment", op: "DELETE /assessments/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/assessments/" + newAssessment(t, e), nil
		}},
		roleCase{name: "submit assessment", op: "POST /assessments/{id}/submit", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			id := newAssessment(t, e)
			def, _ := qn.Builtin("readiness")
			answers := map[string][]string{}
			for _, s := range def.Sections {
				for _, q := range s.Questions {
					answers[q.ID] = anyAnswer(q)
				}
			}
			if _, err := e.s.App.SaveAnswers(e.org.Sys, id, 0, answers); err != nil {
				t.Fatal(err)
			}
			return "/api/v1/assessments/" + id + "/submit", nil
		}},
		// App.SaveAnswers: PermContribute.
		roleCase{name: "answer assessment", op: "PUT /assessments/{id}/answers", perm: caio.PermContribute, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			q := firstQuestion()
			return "/api/v1/assessments/" + newAssessment(t, e) + "/answers", map[string]any{"answers": map[string][]string{q.ID: {q.Options[0].Value}}}
		}},
	)
}

func TestAssessmentAPI(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		editor := org.Token(caio.RoleEditor)
		var x struct {
			ID      string `json:"id"`
			Version int    `json:"version"`
		}
		s.Do(t, "POST", "/api/v1/assessments", editor, map[string]any{"definition": "readiness"}).Want(t, 201).JSON(t, &x)
		q := firstQuestion()
		// A bad answer names its question; nothing is stored.
		p := s.Do(t, "PUT", "/api/v1/assessments/"+x.ID+"/answers", editor, map[string]any{"answers": map[string][]string{q.ID: {"nope"}}}).Want(t, 422).Problem(t)
		if locs := strings.Join(p.Locations(), ","); !strings.Contains(locs, q.ID) {
			t.Errorf("bad answer located at %q", locs)
		}
		// A stale version is a conflict.
		s.Do(t, "PUT", "/api/v1/assessments/"+x.ID+"/answers", editor, map[string]any{"version": 9, "answers": map[string][]string{q.ID: {q.Options[0].Value}}}).Want(t, http.StatusConflict)
		var v struct {
			Result struct {
				Answered int  `json:"answered"`
				Complete bool `json:"complete"`
			} `json:"result"`
		}
		s.Do(t, "PUT", "/api/v1/assessments/"+x.ID+"/answers", editor, map[string]any{"version": x.Version, "answers": map[string][]string{q.ID: {q.Options[0].Value}}}).Want(t, 200).JSON(t, &v)
		if v.Result.Answered != 1 || v.Result.Complete {
			t.Errorf("after one answer: %+v", v.Result)
		}
		// Submitting too early names the missing answers.
		p = s.Do(t, "POST", "/api/v1/assessments/"+x.ID+"/submit", editor, nil).Want(t, 422).Problem(t)
		if len(p.Locations()) == 0 {
			t.Error("an early submit names no missing answer")
		}
		// A survey assessment names its uploaded file; an unknown one is refused by name.
		res := s.Do(t, "POST", "/api/v1/assessments", editor, map[string]any{"definition": "survey", "survey_id": caio.NewID("svy")}).Want(t, 422)
		if !strings.Contains(res.String(), "names no uploaded questionnaire") {
			t.Errorf("an unknown survey file: %s", res)
		}
		// Another organisation sees none of it.
		other := s.NewOrg(t, "globex")
		s.Do(t, "GET", "/api/v1/assessments/"+x.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)
	})
}
