package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/questionnaire"
	"github.com/caio-office/caio/internal/engine/surveyjs"
	"github.com/caio-office/caio/internal/sqldb"
)

// Assessments: the built-in questionnaires (readiness, impact, vendor) run
// against the organisation, an AI system or a vendor. Answers are saved as
// people give them; submitting freezes the result with the definition
// version. The impact assessment of a system whose deployer must assess
// fundamental-rights impact (EU AI Act Art 27) is proposed when the
// classification says so, and submitting it implements that control.

func assessmentNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Assessment not found.") }

// AssessmentView is an assessment with its questionnaire and its result:
// computed from the answers while it is a draft, as frozen once submitted.
type AssessmentView struct {
	*caio.Assessment
	Questionnaire *questionnaire.Definition `json:"-"`
	Result        questionnaire.Result      `json:"result"`
	// Outdated is true when the questionnaire has changed since the
	// assessment was answered: its answers are not rescored silently.
	Outdated bool `json:"outdated"`
	// For an assessment made with an uploaded SurveyJS questionnaire: the
	// questionnaire, what shows for the answers, and the AIA score.
	Survey           *surveyjs.Survey   `json:"-"`
	SurveyFile       *caio.SurveyFile   `json:"survey_file,omitempty"`
	VisiblePages     map[string]bool    `json:"-"`
	VisibleQuestions map[string]bool    `json:"-"`
	AIA              *surveyjs.AIAScore `json:"aia,omitempty"`
}

// subjectKinds maps a questionnaire's subject to the ID prefix it takes.
var subjectKinds = map[string]string{"organization": "", "system": "sys", "vendor": "vnd"}

// CreateAssessment starts a draft of a built-in questionnaire about its
// kind of subject. Needs PermEdit; returns EINVALID for an unknown
// questionnaire or a subject of the wrong kind or another organisation.
func (app *App) CreateAssessment(ctx context.Context, in caio.AssessmentInput) (*caio.Assessment, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	if in.Definition == "survey" {
		return app.createSurveyAssessment(ctx, a, in)
	}
	def, ok := questionnaire.Builtin(in.Definition)
	if !ok {
		return nil, caio.FieldError("definition", "must be one of "+strings.Join(builtinIDs(), ", ")+", or survey with an uploaded questionnaire")
	}
	prefix := subjectKinds[def.Subject]
	switch {
	case prefix == "" && in.SubjectID != "":
		return nil, caio.FieldError("subject_id", "must be empty: "+def.Title+" is about the organisation")
	case prefix != "" && !caio.ValidID(prefix, in.SubjectID):
		return nil, caio.FieldError("subject_id", "must name the "+subjectLabel(def.Subject)+" that "+def.Title+" is about")
	}
	x := &caio.Assessment{ID: caio.NewID("asm"), OrgID: a.OrgID, Definition: def.ID, DefinitionVersion: def.Version,
		Title: in.Title, SubjectKind: def.Subject, SubjectID: in.SubjectID, CreatedBy: a.Label()}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		return createAssessment(ctx, c, a, x, def.Title)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// createSurveyAssessment starts a draft with an uploaded SurveyJS
// questionnaire, about the organisation or one AI system.
func (app *App) createSurveyAssessment(ctx context.Context, a caio.Actor, in caio.AssessmentInput) (*caio.Assessment, error) {
	if !caio.ValidID("svy", in.SurveyID) {
		return nil, caio.FieldError("survey_id", "must name an uploaded questionnaire (svy_…)")
	}
	x := &caio.Assessment{ID: caio.NewID("asm"), OrgID: a.OrgID, Definition: "survey", SubjectKind: "organization",
		SubjectID: in.SubjectID, SurveyID: in.SurveyID, Title: in.Title, CreatedBy: a.Label()}
	if in.SubjectID != "" {
		if !caio.ValidID("sys", in.SubjectID) {
			return nil, caio.FieldError("subject_id", "must be an AI system (sys_…) or empty for the organisation")
		}
		x.SubjectKind = "system"
	}
	err := app.DB.Write(ctx, func(c *sqldb.Conn) error {
		f, _, err := surveyOf(ctx, c, a.OrgID, in.SurveyID)
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			return caio.FieldError("survey_id", "names no uploaded questionnaire of this organisation")
		} else if err != nil {
			return err
		}
		x.DefinitionVersion = f.SHA256
		return createAssessment(ctx, c, a, x, f.Title)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

func createAssessment(ctx context.Context, c *sqldb.Conn, a caio.Actor, x *caio.Assessment, defTitle string) error {
	if x.SubjectID != "" {
		name, err := c.SubjectName(ctx, a.OrgID, x.SubjectKind, x.SubjectID)
		if err != nil {
			return err
		}
		x.SubjectName = name
	}
	if x.Title == "" {
		x.Title = defTitle
		if x.SubjectName != "" {
			x.Title += ": " + x.SubjectName
		}
	}
	if err := c.CreateAssessment(ctx, x); err != nil {
		return err
	}
	return record(ctx, c, a, "assessment.create", "assessment", x.ID, caio.Diff(nil, map[string]any{
		"definition": x.Definition, "version": x.DefinitionVersion, "subject": x.SubjectID, "title": x.Title}))
}

func subjectLabel(kind string) string {
	return map[string]string{"system": "AI system", "vendor": "vendor", "organization": "organisation"}[kind]
}

func builtinIDs() []string {
	var ids []string
	for _, d := range questionnaire.Builtins() {
		ids = append(ids, d.ID)
	}
	return ids
}

// FindAssessments returns a page of assessments, newest first. Needs PermRead.
func (app *App) FindAssessments(ctx context.Context, f caio.AssessmentFilter) ([]*caio.Assessment, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Page, err = f.Page.Normalize(); err != nil {
		return nil, 0, err
	}
	if f.Status != nil && *f.Status != caio.AssessmentDraft && *f.Status != caio.AssessmentSubmitted {
		return nil, 0, caio.FieldError("status", "must be draft or submitted")
	}
	var out []*caio.Assessment
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		out, total, err = c.Assessments(ctx, a.OrgID, f)
		return err
	})
	return out, total, err
}

// FindAssessment returns an assessment with its answers, its questionnaire
// and its result. Needs PermRead.
func (app *App) FindAssessment(ctx context.Context, id string) (*AssessmentView, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("asm", id) {
		return nil, assessmentNotFound()
	}
	var v *AssessmentView
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		x, err := c.Assessment(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		v, err = loadView(ctx, c, x)
		return err
	})
	return v, err
}

// loadView is viewOf for either kind of questionnaire: a built-in one, or
// an uploaded SurveyJS one read from the store.
func loadView(ctx context.Context, c *sqldb.Conn, x *caio.Assessment) (*AssessmentView, error) {
	if x.Definition != "survey" {
		return viewOf(x)
	}
	f, s, err := surveyOf(ctx, c, x.OrgID, x.SurveyID)
	if err != nil {
		return nil, err
	}
	v := &AssessmentView{Assessment: x}
	return v, surveyView(v, f, s)
}

// viewOf evaluates a draft, or reads a submitted assessment's frozen result.
func viewOf(x *caio.Assessment) (*AssessmentView, error) {
	def, ok := questionnaire.Builtin(x.Definition)
	if !ok {
		return nil, caio.Errorf(caio.EINTERNAL, "assessment %s: questionnaire %q is not known to this build", x.ID, x.Definition)
	}
	v := &AssessmentView{Assessment: x, Questionnaire: def, Outdated: def.Version != x.DefinitionVersion}
	if x.Status == caio.AssessmentSubmitted && len(x.Result) > 0 {
		if err := json.Unmarshal(x.Result, &v.Result); err != nil {
			return nil, err
		}
		return v, nil
	}
	v.Result = questionnaire.Evaluate(def, x.AnswerMap())
	return v, nil
}

// SaveAnswers records answers to a draft: each question named gets the
// values given (an empty list clears it); others are left as they are. Who
// answered and when is kept per question. Needs PermContribute; returns
// EINVALID naming each bad answer by its question, ECONFLICT for a
// submitted assessment or a stale version (when version is not zero).
func (app *App) SaveAnswers(ctx context.Context, id string, version int, answers map[string][]string) (*AssessmentView, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("asm", id) {
		return nil, assessmentNotFound()
	}
	var x *caio.Assessment
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if x, err = c.Assessment(ctx, a.OrgID, id); err != nil {
			return err
		}
		if x.Status != caio.AssessmentDraft {
			return caio.Errorf(caio.ECONFLICT, "This assessment was submitted and is frozen. Start a new one to assess again.")
		}
		if version != 0 && version != x.Version {
			return staleEdit("assessment", x.Version, version)
		}
		var checkAnswers func(map[string][]string) error
		if x.Definition == "survey" {
			_, survey, err := surveyOf(ctx, c, a.OrgID, x.SurveyID)
			if err != nil {
				return err
			}
			checkAnswers = func(m map[string][]string) error { return checkSurveyAnswers(survey, m) }
		} else {
			def, ok := questionnaire.Builtin(x.Definition)
			if !ok {
				return caio.Errorf(caio.EINTERNAL, "questionnaire %q is not known to this build", x.Definition)
			}
			if def.Version != x.DefinitionVersion {
				return caio.Errorf(caio.ECONFLICT, "This assessment was answered against version %s of the questionnaire, which has changed (now %s). Start a new assessment; the old answers are kept as they were.", x.DefinitionVersion, def.Version)
			}
			checkAnswers = func(m map[string][]string) error { return def.Check(m) }
		}
		current := x.AnswerMap()
		changed := map[string][]string{}
		for q, vals := range answers {
			trimmed := make([]string, 0, len(vals))
			for _, x := range vals {
				if x = strings.TrimSpace(x); x != "" {
					trimmed = append(trimmed, x)
				}
			}
			vals = trimmed
			if !slices.Equal(vals, current[q]) {
				changed[q] = vals
			}
		}
		check := map[string][]string{}
		for q, vals := range changed {
			if len(vals) > 0 {
				check[q] = vals
			}
		}
		if err := checkAnswers(check); err != nil {
			return err
		}
		if len(changed) == 0 {
			return nil
		}
		if err := c.PutAnswers(ctx, x, a.UserID, changed); err != nil {
			return err
		}
		before, after := map[string]any{}, map[string]any{}
		for q, vals := range changed {
			before[q] = strings.Join(current[q], ", ")
			after[q] = strings.Join(vals, ", ")
		}
		return record(ctx, c, a, "assessment.answer", "assessment", x.ID, caio.Diff(before, after))
	})
	if err != nil {
		return nil, err
	}
	return app.FindAssessment(ctx, id)
}

// SubmitAssessment freezes a complete draft with its result. Submitting an
// impact assessment of an AI system marks the system's EU AI Act Art 27
// control implemented, in the same transaction. Needs PermEdit; returns
// EINVALID listing the required questions still unanswered.
func (app *App) SubmitAssessment(ctx context.Context, id string) (*AssessmentView, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("asm", id) {
		return nil, assessmentNotFound()
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		x, err := c.Assessment(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if x.Status != caio.AssessmentDraft {
			return caio.Errorf(caio.ECONFLICT, "This assessment is already submitted.")
		}
		v, err := loadView(ctx, c, x)
		if err != nil {
			return err
		}
		if v.Outdated {
			return caio.Errorf(caio.ECONFLICT, "The questionnaire changed since this assessment was answered (it was answered against version %s): start a new one.", x.DefinitionVersion)
		}
		if !v.Result.Complete {
			var val caio.Validation
			for _, q := range v.Result.Missing {
				val.Add("answers."+q, "is required before submitting")
			}
			return val.Err()
		}
		x.Result, _ = json.Marshal(v.Result)
		if len(v.Result.Dimensions) > 0 {
			score := v.Result.Score
			x.Score, x.Level = &score, v.Result.Level
		}
		if v.AIA != nil { // an uploaded questionnaire keeps its AIA score
			x.Result, _ = json.Marshal(v.AIA)
			total := float64(v.AIA.Total)
			x.Score, x.Level = &total, v.AIA.Level
		}
		x.SubmittedBy = a.Label()
		if err := c.SubmitAssessment(ctx, x); err != nil {
			return err
		}
		if err := record(ctx, c, a, "assessment.submit", "assessment", x.ID, caio.Diff(map[string]any{"status": "draft"},
			map[string]any{"status": "submitted", "score": x.Score, "level": x.Level, "version": x.DefinitionVersion})); err != nil {
			return err
		}
		if x.Definition == "impact" && x.SubjectKind == "system" {
			return implementFRIAControl(ctx, c, a, x)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return app.FindAssessment(ctx, id)
}

// implementFRIAControl marks the system's Art 27 control implemented with a
// note naming the assessment, when the system has one.
func implementFRIAControl(ctx context.Context, c *sqldb.Conn, a caio.Actor, x *caio.Assessment) error {
	ks, err := c.SystemControls(ctx, a.OrgID, x.SubjectID)
	if err != nil {
		return err
	}
	for _, k := range ks {
		if k.Framework != "eu-ai-act" || k.ItemID != "art27" || !k.Applicable {
			continue
		}
		before := k.Fields()
		k.Status = caio.StatusImplemented
		note := "Fundamental rights impact assessment " + x.ID + " submitted on " + c.Now().Format("2006-01-02") + "."
		if k.Notes == "" {
			k.Notes = note
		} else if !strings.Contains(k.Notes, x.ID) {
			k.Notes += "\n" + note
		}
		if err := c.UpdateControl(ctx, k); err != nil {
			return err
		}
		return record(ctx, c, a, "control.update", "control", k.ID, caio.Diff(before, k.Fields()))
	}
	return nil
}

// proposeImpactAssessment starts a draft impact assessment for a system
// whose classification gives its deployer the Art 27 duty, unless it has
// one; it runs in the classification's transaction.
func proposeImpactAssessment(ctx context.Context, c *sqldb.Conn, a caio.Actor, systemID string) error {
	fria, err := c.ControlStatuses(ctx, a.OrgID, "eu-ai-act", "art27", []string{systemID})
	if err != nil {
		return err
	}
	if _, required := fria[systemID]; !required {
		return nil
	}
	has, err := c.HasAssessment(ctx, a.OrgID, "impact", systemID)
	if err != nil || has {
		return err
	}
	def, ok := questionnaire.Builtin("impact")
	if !ok {
		return nil
	}
	x := &caio.Assessment{ID: caio.NewID("asm"), OrgID: a.OrgID, Definition: def.ID, DefinitionVersion: def.Version,
		SubjectKind: "system", SubjectID: systemID, CreatedBy: "caio (proposed by the EU AI Act classification, Art 27)"}
	return createAssessment(ctx, c, a, x, def.Title)
}

// DeleteAssessment removes a draft or submitted assessment. Needs PermEdit.
func (app *App) DeleteAssessment(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("asm", id) {
		return assessmentNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		x, err := c.Assessment(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := c.DeleteAssessment(ctx, a.OrgID, id); err != nil {
			return err
		}
		return record(ctx, c, a, "assessment.delete", "assessment", id, caio.Diff(map[string]any{"title": x.Title, "status": x.Status}, nil))
	})
}

// TrendPoint is one submitted assessment in a trend.
type TrendPoint struct {
	ID          string             `json:"id"`
	SubmittedAt string             `json:"submitted_at"`
	Score       float64            `json:"score"`
	Level       int                `json:"level"`
	Dimensions  map[string]float64 `json:"dimensions"`
}

// AssessmentTrend returns the submitted assessments of a questionnaire about
// a subject (empty for the organisation), oldest first, at most 20, with
// their scores per dimension. Needs PermRead.
func (app *App) AssessmentTrend(ctx context.Context, definition, subjectID string) ([]TrendPoint, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var xs []*caio.Assessment
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		xs, err = c.SubmittedAssessments(ctx, a.OrgID, definition, subjectID, 20)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := []TrendPoint{}
	for _, x := range xs {
		p := TrendPoint{ID: x.ID, Level: x.Level, Dimensions: map[string]float64{}}
		if x.Score != nil {
			p.Score = *x.Score
		}
		var r questionnaire.Result
		if x.Definition != "survey" { // an uploaded questionnaire's result is its AIA score
			if err := json.Unmarshal(x.Result, &r); err != nil {
				return nil, err
			}
		}
		if x.SubmittedAt != nil {
			p.SubmittedAt = x.SubmittedAt.Format("2006-01-02")
		}
		for _, d := range r.Dimensions {
			p.Dimensions[d.ID] = d.Score
		}
		out = append(out, p)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].SubmittedAt < out[j].SubmittedAt })
	return out, nil
}

// Questionnaires lists the built-in questionnaires. Needs PermRead.
func (app *App) Questionnaires(ctx context.Context) ([]*questionnaire.Definition, error) {
	if _, err := authorize(ctx, caio.PermRead); err != nil {
		return nil, err
	}
	return questionnaire.Builtins(), nil
}

// --- SurveyJS questionnaires people bring ---

// MaxSurveyBytes bounds an uploaded questionnaire (the AIA is ~400 KB).
const MaxSurveyBytes = 4 << 20

// UploadSurvey stores a SurveyJS questionnaire after checking that it loads;
// a file that does not is refused with the place of the problem. Needs PermEdit.
func (app *App) UploadSurvey(ctx context.Context, name string, data []byte) (*caio.SurveyFile, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		name = "questionnaire.json"
	}
	if len(data) == 0 {
		return nil, caio.FieldError("file", "is required: choose a SurveyJS questionnaire (a .json file)")
	}
	if len(data) > MaxSurveyBytes {
		return nil, caio.FieldError("file", "must be at most 4 MB")
	}
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, caio.FieldError("file", "must be UTF-8 text without the NUL character (save the questionnaire as UTF-8)")
	}
	s, err := surveyjs.Load(data)
	if err != nil {
		return nil, caio.FieldError("file", "is not a SurveyJS questionnaire caio can run: "+err.Error())
	}
	clean := func(t string) string { return strings.ReplaceAll(strings.ToValidUTF8(t, "\uFFFD"), "\x00", "") }
	name = clean(name)
	sum := sha256.Sum256(data)
	f := &caio.SurveyFile{ID: caio.NewID("svy"), OrgID: a.OrgID, Name: truncate(name, 200), Title: truncate(clean(s.Title.In("en")), 200),
		SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data)), CreatedBy: a.Label(), Data: data}
	if f.Title == "" {
		f.Title = f.Name
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.CreateSurveyFile(ctx, f); err != nil {
			return err
		}
		return record(ctx, c, a, "survey.upload", "survey", f.ID, caio.Diff(nil, map[string]any{"name": f.Name, "title": f.Title, "sha256": f.SHA256, "size": f.Size}))
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}

// FindSurveys lists the uploaded questionnaires. Needs PermRead.
func (app *App) FindSurveys(ctx context.Context) ([]*caio.SurveyFile, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var out []*caio.SurveyFile
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		out, err = c.SurveyFiles(ctx, a.OrgID)
		return err
	})
	return out, err
}

// surveyOf loads the questionnaire of a survey-based assessment.
func surveyOf(ctx context.Context, c *sqldb.Conn, orgID, id string) (*caio.SurveyFile, *surveyjs.Survey, error) {
	f, err := c.SurveyFile(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	s, err := surveyjs.Load(f.Data)
	if err != nil {
		return nil, nil, caio.Errorf(caio.EINTERNAL, "questionnaire %s no longer loads: %v", id, err)
	}
	return f, s, nil
}

// surveyView fills a view of a survey-based assessment: which pages and
// questions show, how much of what is required is answered, and the AIA
// score (frozen once submitted).
func surveyView(v *AssessmentView, f *caio.SurveyFile, s *surveyjs.Survey) error {
	v.Survey, v.SurveyFile = s, f
	v.Outdated = f.SHA256 != v.DefinitionVersion
	answers := surveyAnswers(s, v.AnswerMap())
	v.VisiblePages, v.VisibleQuestions = s.Visible(answers)
	got := v.AnswerMap()
	r := questionnaire.Result{}
	for _, q := range s.Questions {
		if q.Type == "html" || !v.VisibleQuestions[q.Name] {
			continue
		}
		r.Visible++
		answered := len(got[q.Name]) > 0
		if answered {
			r.Answered++
		}
		if q.IsRequired {
			r.Required++
			if !answered {
				r.Missing = append(r.Missing, q.Name)
			}
		}
	}
	r.Complete = len(r.Missing) == 0
	if r.Required > 0 {
		r.Progress = float64(r.Required-len(r.Missing)) / float64(r.Required)
	} else {
		r.Progress = 1
	}
	v.Result = r
	if v.Status == caio.AssessmentSubmitted && len(v.Assessment.Result) > 0 {
		var score surveyjs.AIAScore
		if err := json.Unmarshal(v.Assessment.Result, &score); err != nil {
			return err
		}
		v.AIA = &score
		return nil
	}
	score := s.ScoreAIA(answers)
	v.AIA = &score
	return nil
}

// surveyAnswers turns stored answers into what the SurveyJS engine reads: a
// checkbox's list, any other question's single value.
func surveyAnswers(s *surveyjs.Survey, m map[string][]string) surveyjs.Answers {
	out := surveyjs.Answers{}
	for k, vals := range m {
		// A checkbox's answer is a list even with one box ticked: SurveyJS
		// conditions read "contains" on a list as membership.
		if q := s.Question(k); len(vals) == 1 && (q == nil || q.Type != "checkbox") {
			out[k] = vals[0]
		} else {
			list := make([]any, len(vals))
			for i, v := range vals {
				list[i] = v
			}
			out[k] = list
		}
	}
	return out
}

// checkSurveyAnswers names each answer that does not fit its question.
func checkSurveyAnswers(s *surveyjs.Survey, answers map[string][]string) error {
	var v caio.Validation
	for name, vals := range answers {
		q := s.Question(name)
		if q == nil || q.Type == "html" {
			v.Add(name, "is not a question of this questionnaire")
			continue
		}
		switch q.Type {
		case "radiogroup", "dropdown", "checkbox":
			if q.Type != "checkbox" && len(vals) > 1 {
				v.Add(name, "takes one choice")
			}
			for _, x := range vals {
				if _, ok := q.Choice(x); !ok {
					v.Add(name, "has "+strconvQuote(x)+", which is not one of its choices")
				}
			}
		default:
			for _, x := range vals {
				if len([]rune(x)) > 10000 {
					v.Add(name, "must be at most 10,000 characters")
				}
			}
		}
	}
	return v.Err()
}

func strconvQuote(s string) string {
	if r := []rune(s); len(r) > 40 {
		s = string(r[:40]) + "…"
	}
	return `"` + s + `"`
}

// ImportAnswers reads an answer file into a draft: for an uploaded SurveyJS
// questionnaire the file its original tool saves (or a plain object of
// answers), for a built-in one an object of answers by question id.
// Answers to questions the questionnaire lacks are left out and listed.
// Needs PermContribute; a file that does not parse names its line.
func (app *App) ImportAnswers(ctx context.Context, id string, data []byte) (*AssessmentView, []string, error) {
	if _, err := authorize(ctx, caio.PermContribute); err != nil {
		return nil, nil, err
	}
	v, err := app.FindAssessment(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	parsed, err := surveyjs.ParseAnswers(data)
	if err != nil {
		return nil, nil, caio.FieldError("file", "could not be read: "+err.Error())
	}
	answers := map[string][]string{}
	var skipped []string
	for name, val := range parsed {
		if v.Survey == nil { // a built-in questionnaire: an object of answers by question id
			if v.Questionnaire.Question(name) == nil {
				skipped = append(skipped, name)
				continue
			}
			switch x := val.(type) {
			case string:
				answers[name] = []string{x}
			case []any:
				for _, e := range x {
					answers[name] = append(answers[name], fmt.Sprint(e))
				}
			case nil:
			default:
				answers[name] = []string{scalarText(x)}
			}
			continue
		}
		q := v.Survey.Question(name)
		if q == nil || q.Type == "html" {
			skipped = append(skipped, name)
			continue
		}
		var vals []string
		switch x := val.(type) {
		case string:
			vals = []string{x}
		case []any:
			for _, e := range x {
				vals = append(vals, scalarText(e))
			}
		case nil:
		default:
			vals = []string{scalarText(x)}
		}
		// A choice the questionnaire no longer has is left out, not
		// guessed at: the list says so.
		if q.Type == "radiogroup" || q.Type == "dropdown" || q.Type == "checkbox" {
			vals = slices.DeleteFunc(vals, func(v string) bool {
				_, ok := q.Choice(v)
				if !ok {
					skipped = append(skipped, name+" = "+v)
				}
				return !ok
			})
			if q.Type != "checkbox" && len(vals) > 1 {
				vals = vals[:1]
			}
		}
		if len(vals) > 0 {
			answers[name] = vals
		}
	}
	sort.Strings(skipped)
	out, err := app.SaveAnswers(ctx, id, 0, answers)
	return out, skipped, err
}

// scalarText writes an imported JSON value as a person would: numbers as
// written (1500000, not 1.5e+06), true and false, text as it is.
func scalarText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	}
	return fmt.Sprint(v)
}
