package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	qn "github.com/caio-office/caio/internal/engine/questionnaire"
)

// assessmentRoutes lists the pages of assessments: the list with the form
// that starts one, and an assessment's questionnaire, result and trend.
func (w *Web) assessmentRoutes() []Route {
	return []Route{
		{"GET /assessments", Member, w.assessmentList},
		{"POST /assessments", Member, w.assessmentCreate},
		{"GET /assessments/{id}", Member, w.assessmentShow},
		{"POST /assessments/{id}/answers", Member, w.assessmentAnswers},
		{"POST /assessments/{id}/submit", Member, w.assessmentSubmit},
		{"POST /assessments/{id}/delete", Member, w.assessmentDelete},
		{"POST /assessments/{id}/import", Member, w.assessmentImport},
		{"POST /surveys", Member, w.surveyUpload},
	}
}

func (w *Web) assessmentList(rw http.ResponseWriter, r *http.Request) {
	w.renderAssessments(rw, r, http.StatusOK, &form{Values: map[string]string{}, Errors: map[string]string{}})
}

func (w *Web) renderAssessments(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	q := r.URL.Query()
	filter := caio.AssessmentFilter{Page: pageQuery(r)}
	if d := strings.TrimSpace(q.Get("definition")); d != "" {
		filter.Definition = &d
	}
	if s := strings.TrimSpace(q.Get("status")); s != "" {
		filter.Status = &s
	}
	items, total, err := w.app.FindAssessments(ctx, filter)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	systems, _, err := w.app.FindSystems(ctx, caio.AISystemFilter{Sort: "name", Page: caio.Page{Limit: caio.MaxPageLimit}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	vendors, _, err := w.app.FindVendors(ctx, caio.InventoryFilter{Sort: "name", Page: caio.Page{Limit: caio.MaxPageLimit}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var subjects []option
	for _, s := range systems {
		subjects = append(subjects, option{Value: s.ID, Label: "AI system: " + s.Name, Selected: f.Get("subject_id") == s.ID})
	}
	for _, v := range vendors {
		subjects = append(subjects, option{Value: v.ID, Label: "Vendor: " + v.Name, Selected: f.Get("subject_id") == v.ID})
	}
	surveys, err := w.app.FindSurveys(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var defs []option
	for _, d := range qn.Builtins() {
		defs = append(defs, option{Value: d.ID, Label: d.Title + " (about " + assessmentSubjectLabel(d.Subject) + ")", Selected: f.Get("definition") == d.ID})
	}
	w.render(rw, r, status, "assessments", &page{Title: "Assessments", Nav: "assessments", Form: f, Data: map[string]any{
		"Items": items, "List": newListPage(filter.Page, total, q), "Subjects": subjects, "Definitions": defs,
		"Definition": q.Get("definition"), "Status": q.Get("status"), "Surveys": surveys,
	}})
}

func assessmentSubjectLabel(kind string) string {
	return map[string]string{"organization": "the organisation", "system": "an AI system", "vendor": "a vendor"}[kind]
}

func (w *Web) assessmentCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		in := caio.AssessmentInput{Definition: f.Get("definition"), SubjectID: f.Get("subject_id"), Title: f.Get("title"), SurveyID: f.Get("survey_id")}
		if def, ok := qn.Builtin(in.Definition); ok && def.Subject == "organization" {
			in.SubjectID = "" // the subject list is for the questionnaires about a system or a vendor
		}
		var x *caio.Assessment
		if x, err = w.app.CreateAssessment(r.Context(), in); err == nil {
			w.flash(rw, "Assessment started. Answers are saved as you go; submit it when every required question is answered.")
			redirect(rw, r, "/assessments/"+x.ID)
			return
		}
	}
	f.fail(err)
	w.renderAssessments(rw, r, statusOf[caio.ErrorCode(err)], f)
}

// questionView is one question on the page with what was answered.
type questionView struct {
	qn.Question
	Values []string
	// Display is the answer as people read it: an option's label.
	Display []string
	By, At  string
	Err     string
	Options []choiceView
}

// choiceView is one option of a choice question.
type choiceView struct {
	Value, Label string
	Checked      bool
}

// sectionView is a section with its visible questions.
type sectionView struct {
	qn.Section
	Items []questionView
}

func (w *Web) assessmentShow(rw http.ResponseWriter, r *http.Request) {
	w.renderAssessment(rw, r, r.PathValue("id"), http.StatusOK, nil, nil)
}

// renderAssessment shows an assessment; typed holds what a failed save
// posted, so it is shown again with each problem beside its question.
func (w *Web) renderAssessment(rw http.ResponseWriter, r *http.Request, id string, status int, typed map[string][]string, f *form) {
	ctx := r.Context()
	v, err := w.app.FindAssessment(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if v.Survey != nil {
		lang := r.URL.Query().Get("lang")
		if lang != "fr" {
			lang = "en"
		}
		if f == nil {
			f = &form{Values: map[string]string{}, Errors: map[string]string{}}
		}
		w.render(rw, r, status, "assessment_survey", &page{Title: v.Title, Nav: "assessments", Form: f, Data: map[string]any{
			"A": v, "Pages": surveyPages(v, lang, typed, f), "Lang": lang, "Result": v.Result, "AIA": v.AIA,
			"Draft": v.Status == caio.AssessmentDraft, "Percent": int(v.Result.Progress*100 + 0.5),
		}})
		return
	}
	answers := map[string]caio.AnswerRecord{}
	for _, a := range v.Answers {
		answers[a.Question] = a
	}
	hidden := map[string]bool{}
	for _, q := range v.Result.Hidden {
		hidden[q] = true
	}
	var sections []sectionView
	for _, s := range v.Questionnaire.Sections {
		sv := sectionView{Section: s}
		for _, q := range s.Questions {
			if hidden[q.ID] {
				continue
			}
			qv := questionView{Question: q}
			if rec, ok := answers[q.ID]; ok {
				qv.Values, qv.By, qv.At = rec.Values, rec.ByName, rec.At.Format("2006-01-02")
			}
			if typed != nil {
				if vals, ok := typed[q.ID]; ok {
					qv.Values = vals
				}
			}
			if f != nil {
				qv.Err = f.Errors["answers."+q.ID]
				if qv.Err == "" {
					qv.Err = f.Errors[q.ID]
				}
			}
			labels := map[string]string{}
			for _, o := range q.Options {
				qv.Options = append(qv.Options, choiceView{Value: o.Value, Label: o.Label, Checked: slices.Contains(qv.Values, o.Value)})
				labels[o.Value] = o.Label
			}
			for _, val := range qv.Values {
				if l, ok := labels[val]; ok {
					val = l
				}
				qv.Display = append(qv.Display, val)
			}
			if q.Type == "scale" && len(q.Options) == 0 && q.Min != nil && q.Max != nil {
				for n := int(*q.Min); n <= int(*q.Max); n++ {
					s := strconv.Itoa(n)
					qv.Options = append(qv.Options, choiceView{Value: s, Label: s, Checked: slices.Contains(qv.Values, s)})
				}
			}
			sv.Items = append(sv.Items, qv)
		}
		if len(sv.Items) > 0 {
			sections = append(sections, sv)
		}
	}
	dims := map[string]string{}
	for _, d := range v.Questionnaire.Dimensions {
		dims[d.ID] = d.Title
	}
	data := map[string]any{"A": v, "Sections": sections, "Result": v.Result, "Draft": v.Status == caio.AssessmentDraft, "DimTitles": dims,
		"Percent": int(v.Result.Progress*100 + 0.5)}
	if v.Definition == "readiness" {
		// The level the organisation aims for, from its AI strategy.
		st, err := w.app.FindStrategy(ctx)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		if t := st.TargetMaturity; t > 0 {
			data["Target"] = t
			for _, l := range v.Questionnaire.Levels {
				if l.Level == t {
					data["TargetLabel"] = l.Label
				}
			}
		}
	}
	if len(v.Result.Dimensions) > 0 {
		data["Radar"] = radarChart("chart-radar", v.Result.Dimensions, len(v.Questionnaire.Levels))
		trend, err := w.app.AssessmentTrend(ctx, v.Definition, v.SubjectID)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		data["Trend"] = trend
	}
	if f == nil {
		f = &form{Values: map[string]string{}, Errors: map[string]string{}}
	}
	w.render(rw, r, status, "assessment", &page{Title: v.Title, Nav: "assessments", Form: f, Data: data})
}

// postedAnswers reads the answers of a posted questionnaire form: each
// question's field is named q.<id> (several values for a multiple choice).
// Questions shown on the page are listed in "shown", so a cleared answer
// (no box ticked, an emptied field) clears it.
func postedAnswers(r *http.Request) map[string][]string {
	out := map[string][]string{}
	for _, id := range r.PostForm["shown"] {
		out[id] = nil
	}
	for k, vals := range r.PostForm {
		id, ok := strings.CutPrefix(k, "q.")
		if !ok {
			continue
		}
		var keep []string
		for _, v := range vals {
			if v = strings.TrimSpace(v); v != "" {
				keep = append(keep, v)
			}
		}
		out[id] = keep
	}
	return out
}

func (w *Web) assessmentAnswers(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	answers := postedAnswers(r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		var v *app.AssessmentView
		if v, err = w.app.SaveAnswers(r.Context(), id, version, answers); err == nil {
			// caio.js saves as people answer and wants no page back, only
			// the version its next save must name.
			if r.Header.Get("X-Autosave") == "1" {
				rw.Header().Set("X-Version", strconv.Itoa(v.Version))
				rw.WriteHeader(http.StatusNoContent)
				return
			}
			w.flash(rw, "Answers saved.")
			redirect(rw, r, "/assessments/"+id+"#questions")
			return
		}
	}
	if r.Header.Get("X-Autosave") == "1" {
		http.Error(rw, caio.ErrorMessage(err), statusOf[caio.ErrorCode(err)])
		return
	}
	f.fail(err)
	w.renderAssessment(rw, r, id, statusOf[caio.ErrorCode(err)], answers, f)
}

func (w *Web) assessmentSubmit(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.SubmitAssessment(r.Context(), id); err == nil {
			w.flash(rw, "Assessment submitted. Its answers and result are frozen.")
			redirect(rw, r, "/assessments/"+id)
			return
		}
	}
	f.fail(err)
	w.renderAssessment(rw, r, id, statusOf[caio.ErrorCode(err)], nil, f)
}

func (w *Web) assessmentDelete(rw http.ResponseWriter, r *http.Request) {
	_, err := readForm(rw, r)
	if err == nil {
		err = w.app.DeleteAssessment(r.Context(), r.PathValue("id"))
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Assessment deleted.")
	redirect(rw, r, "/assessments")
}
