package web_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	qn "github.com/caio-office/caio/internal/engine/questionnaire"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// asmAnswer gives a valid answer to a question for a form: the option with
// the highest score, a bound of a scale or number, a date, or some text.
func asmAnswer(q qn.Question) []string {
	switch q.Type {
	case "single", "scale", "multiple":
		if len(q.Options) > 0 {
			best := q.Options[0]
			for _, o := range q.Options {
				if o.Score > best.Score {
					best = o
				}
			}
			return []string{best.Value}
		}
		if q.Max != nil {
			return []string{strconv.Itoa(int(*q.Max))}
		}
	case "number":
		if q.Min != nil {
			return []string{strconv.FormatFloat(*q.Min, 'f', -1, 64)}
		}
		return []string{"1"}
	case "date":
		return []string{"2027-01-31"}
	}
	return []string{"Written by the team."}
}

func TestAssessmentPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		editor := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)

		res := editor.Get(t, "/assessments").Want(t, http.StatusOK)
		if !strings.Contains(string(res.Body), "Start an assessment") {
			t.Fatalf("the list offers no start form:\n%s", res)
		}
		if strings.Contains(string(viewer.Get(t, "/assessments").Want(t, http.StatusOK).Body), "Start an assessment") {
			t.Error("a viewer is offered the start form")
		}
		// A bad questionnaire keeps the form and names the field.
		res = editor.PostForm(t, "/assessments", url.Values{"definition": {"nonsense"}}).Want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(string(res.Body), "Questionnaire must be one of") {
			t.Errorf("bad questionnaire:\n%s", res)
		}
		res = editor.PostForm(t, "/assessments", url.Values{"definition": {"readiness"}}).Want(t, http.StatusSeeOther)
		loc := res.Header.Get("Location")
		if !strings.HasPrefix(loc, "/assessments/asm_") {
			t.Fatalf("created at %q", loc)
		}
		id := strings.TrimPrefix(loc, "/assessments/")
		page := string(editor.Get(t, loc).Want(t, http.StatusOK).Body)
		def, _ := qn.Builtin("readiness")
		first := def.Sections[0].Questions[0]
		for _, want := range []string{"Save answers", `name="q.` + first.ID + `"`, "0 % of the required questions answered"} {
			if !strings.Contains(page, want) {
				t.Errorf("the questionnaire lacks %q", want)
			}
		}
		// A bad answer comes back beside its question with the page's input.
		res = editor.PostForm(t, loc+"/answers", url.Values{"shown": {first.ID}, "q." + first.ID: {"not-an-option"}}).Want(t, http.StatusUnprocessableEntity)
		if !strings.Contains(string(res.Body), `class="field q invalid" id="q-`+first.ID+`"`) {
			t.Errorf("the bad answer is not marked:\n%s", res)
		}
		// Submitting too early lists what is missing; answering everything
		// and submitting freezes it with a radar.
		editor.PostForm(t, loc+"/submit", nil).Want(t, http.StatusUnprocessableEntity)
		form := url.Values{}
		for _, sec := range def.Sections {
			for _, q := range sec.Questions {
				form["q."+q.ID] = asmAnswer(q)
				form.Add("shown", q.ID)
			}
		}
		editor.PostForm(t, loc+"/answers", form).Want(t, http.StatusSeeOther)
		// The autosave call answers 204 with the new version.
		req := s.NewRequest(t, http.MethodPost, loc+"/answers", "", url.Values{"shown": {first.ID}, "q." + first.ID: asmAnswer(first)})
		req.Header.Set("X-Autosave", "1")
		if res := editor.Do(t, req); res.StatusCode != http.StatusNoContent || res.Header.Get("X-Version") == "" {
			t.Errorf("autosave: %d, version %q", res.StatusCode, res.Header.Get("X-Version"))
		}
		editor.PostForm(t, loc+"/submit", nil).Want(t, http.StatusSeeOther)
		page = string(viewer.Get(t, loc).Want(t, http.StatusOK).Body)
		for _, want := range []string{"Submitted", `<svg class="chart radar"`, "Scores by dimension", "frozen", "Set the level you aim for", "Foundations index"} {
			if !strings.Contains(page, want) {
				t.Errorf("the submitted assessment lacks %q", want)
			}
		}
		if strings.Contains(page, "Save answers") {
			t.Error("a submitted assessment still offers its form")
		}
		// The list shows its score as a number.
		list := string(viewer.Get(t, "/assessments").Want(t, http.StatusOK).Body)
		if strings.Contains(list, "%!") || !regexp.MustCompile(`<td class="num">\d+(\.\d)?</td>`).MatchString(list) {
			t.Errorf("the list does not show the score as a number:\n%s", list)
		}
		// A viewer may not answer; another organisation cannot see it.
		viewer.PostForm(t, loc+"/answers", url.Values{"q." + first.ID: asmAnswer(first)}).Want(t, http.StatusForbidden)
		other := s.NewOrg(t, "globex")
		stranger := s.Login(t, other.Members[caio.RoleOwner].Email, servertest.Password)
		stranger.Get(t, "/assessments/"+id).Want(t, http.StatusNotFound)
		editor.PostForm(t, loc+"/delete", nil).Want(t, http.StatusSeeOther)
		editor.Get(t, loc).Want(t, http.StatusNotFound)
		recordViews(s)
	})
}

// postFile posts a multipart form with one file part named "file".
func postFile(t *testing.T, s *servertest.Server, b *servertest.Browser, path, filename string, data []byte) *servertest.Response {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", filename)
	if err != nil {
		t.Fatal(err)
	}
	part.Write(data)
	w.Close()
	req := s.NewRequest(t, http.MethodPost, path, "", nil)
	req.Body, req.ContentLength = readCloser{bytes.NewReader(body.Bytes())}, int64(body.Len())
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.Do(t, req)
}

// sharedFile reads a file under ../shared/data, skipping the test when it
// is absent (a user's clone) and failing it under CI.
func sharedFile(t *testing.T, rel string) []byte {
	t.Helper()
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if parent := filepath.Dir(dir); parent != dir {
			dir = parent
			continue
		}
		t.Fatal("no go.mod above the test")
	}
	b, err := os.ReadFile(filepath.Join(dir, "..", "shared", "data", rel))
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared data %s is missing, and CI needs it: %v", rel, err)
		}
		t.Skipf("shared data %s is not here: %v", rel, err)
	}
	return b
}

// TestSurveyPages runs Canada's AIA on the pages: upload, start, read it in
// English and French, import the original tool's saved answers and see its
// score.
func TestSurveyPages(t *testing.T) {
	survey := sharedFile(t, "canada-aia/survey-enfr.json")
	sample := sharedFile(t, "canada-aia/samples/01_upstream_unit_test.json")
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	s := servertest.New(t, db)
	org := s.NewOrg(t, "acme")
	editor := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)

	res := postFile(t, s, editor, "/surveys", "broken.json", []byte(`{"pages": [`)).Want(t, http.StatusUnprocessableEntity)
	if !strings.Contains(page(res), "File is not a SurveyJS questionnaire caio can run") {
		t.Errorf("a broken upload:\n%s", res)
	}
	postFile(t, s, editor, "/surveys", "survey-enfr.json", survey).Want(t, http.StatusSeeOther)
	files, err := s.App.FindSurveys(org.Sys)
	if err != nil || len(files) != 1 {
		t.Fatalf("uploaded: %v, %v", files, err)
	}
	res = editor.PostForm(t, "/assessments", url.Values{"definition": {"survey"}, "survey_id": {files[0].ID}}).Want(t, http.StatusSeeOther)
	loc := res.Header.Get("Location")
	en := page(editor.Get(t, loc).Want(t, http.StatusOK))
	fr := page(editor.Get(t, loc+"?lang=fr").Want(t, http.StatusOK))
	if !strings.Contains(en, `name="q.projectDetailsPhase"`) || en == fr || !strings.Contains(fr, `lang="fr"`) {
		t.Errorf("the questionnaire is not shown in both languages")
	}
	postFile(t, s, editor, loc+"/import", "answers.json", sample).Want(t, http.StatusSeeOther)
	got := page(editor.Get(t, loc).Want(t, http.StatusOK))
	for _, want := range []string{"Impact level 1", "Raw impact score", ">3 of 167<", "0 of 154"} {
		if !strings.Contains(got, want) {
			t.Errorf("after the import the page lacks %q", want)
		}
	}
	postFile(t, s, editor, loc+"/import", "answers.json", []byte("{\n\"a\": 1,\n}")).Want(t, http.StatusUnprocessableEntity)
	recordViews(s)
}

// TestSystemShowsRisks: a system's card lists the register's risks linked
// to it, marking those above the appetite.
func TestSystemShowsRisks(t *testing.T) {
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	s := servertest.New(t, db)
	org := s.NewOrg(t, "acme")
	sys := s.NewSystem(t, org, "Claims chatbot")
	viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)
	if body := page(viewer.Get(t, "/systems/"+sys.ID).Want(t, http.StatusOK)); !strings.Contains(body, "No risk of the register is linked") {
		t.Error("the card does not say it has no risk")
	}
	if _, err := s.App.CreateRisk(org.Sys, caio.RiskInput{Title: "Prompt injection", Category: "owasp-llm:LLM01", Likelihood: 5, Impact: 5, Systems: []string{sys.ID}}); err != nil {
		t.Fatal(err)
	}
	body := page(viewer.Get(t, "/systems/"+sys.ID).Want(t, http.StatusOK))
	for _, want := range []string{"Prompt injection", "Above appetite", "/risks?system=" + sys.ID} {
		if !strings.Contains(body, want) {
			t.Errorf("the card lacks %q", want)
		}
	}
	recordViews(s)
}

// TestSubjectPagesShowAssessments: a system's card and a vendor's page list
// their assessments and offer to start one; the vendor's page lists its risks.
func TestSubjectPagesShowAssessments(t *testing.T) {
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	s := servertest.New(t, db)
	org := s.NewOrg(t, "acme")
	sys := s.NewSystem(t, org, "Benefits scoring")
	v := s.NewVendor(t, org, "Acme Models")
	if _, err := s.App.CreateAssessment(org.Sys, caio.AssessmentInput{Definition: "impact", SubjectID: sys.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.CreateAssessment(org.Sys, caio.AssessmentInput{Definition: "vendor", SubjectID: v.ID}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.App.CreateRisk(org.Sys, caio.RiskInput{Title: "Training data reuse", Category: "mit:2.1", Likelihood: 2, Impact: 3, Vendors: []string{v.ID}}); err != nil {
		t.Fatal(err)
	}
	editor := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
	card := page(editor.Get(t, "/systems/"+sys.ID).Want(t, http.StatusOK))
	for _, want := range []string{"Fundamental rights impact assessment", "draft, started", "Start another impact assessment"} {
		if !strings.Contains(card, want) {
			t.Errorf("the system card lacks %q", want)
		}
	}
	vp := page(editor.Get(t, "/vendors/"+v.ID).Want(t, http.StatusOK))
	for _, want := range []string{"Start another vendor assessment", "Training data reuse", "/risks?vendor=" + v.ID} {
		if !strings.Contains(vp, want) {
			t.Errorf("the vendor page lacks %q", want)
		}
	}
	recordViews(s)
}
