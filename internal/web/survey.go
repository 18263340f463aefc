package web

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/surveyjs"
)

// SurveyJS questionnaires people bring (such as Canada's AIA): uploaded on
// the assessments page, run on an assessment's page in English or French
// with their conditions, scored as the original tool scores them, and able
// to take the original tool's saved answer files.

// readUpload reads the one file of a multipart form, at most limit bytes.
func readUpload(rw http.ResponseWriter, r *http.Request, limit int64) (name string, data []byte, err error) {
	r.Body = http.MaxBytesReader(rw, r.Body, limit+64<<10)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		return "", nil, caio.FieldError("file", "could not be read: choose a file of at most "+humanBytes(limit))
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		return "", nil, caio.FieldError("file", "is required: choose a file")
	}
	defer file.Close()
	data, err = io.ReadAll(io.LimitReader(file, limit+1))
	if err != nil {
		return "", nil, caio.FieldError("file", "could not be read")
	}
	if int64(len(data)) > limit {
		return "", nil, caio.FieldError("file", "must be at most "+humanBytes(limit))
	}
	return header.Filename, data, nil
}

func humanBytes(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d KB", n>>10)
}

func (w *Web) surveyUpload(rw http.ResponseWriter, r *http.Request) {
	name, data, err := readUpload(rw, r, app.MaxSurveyBytes)
	if err == nil {
		var f *caio.SurveyFile
		if f, err = w.app.UploadSurvey(r.Context(), name, data); err == nil {
			w.flash(rw, "Questionnaire "+f.Title+" uploaded. Start an assessment with it below.")
			redirect(rw, r, "/assessments#surveys")
			return
		}
	}
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	f.fail(err)
	w.renderAssessments(rw, r, statusOf[caio.ErrorCode(err)], f)
}

func (w *Web) assessmentImport(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	var data []byte
	var err error
	// A file, or the answers pasted as JSON text (field "answers").
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "multipart/form-data" {
		_, data, err = readUpload(rw, r, 4<<20)
	} else {
		var f *form
		if f, err = readForm(rw, r); err == nil {
			if data = []byte(f.Get("answers")); len(data) == 0 {
				err = caio.FieldError("file", "is required: choose the answer file, or paste its text")
			}
		}
	}
	if err == nil {
		var skipped []string
		if _, skipped, err = w.app.ImportAnswers(r.Context(), id, data); err == nil {
			msg := "Answers imported."
			if n := len(skipped); n > 0 {
				// The flash lives in a cookie: name a few, count the rest.
				shown := skipped[:min(n, 8)]
				msg += " Left out, as this questionnaire has no such question or choice: " + strings.Join(shown, "; ")
				if n > len(shown) {
					msg += fmt.Sprintf(" and %d more", n-len(shown))
				}
				msg += "."
				if len(msg) > 450 {
					msg = fmt.Sprintf("Answers imported. %d answers were left out, as this questionnaire has no such question or choice.", n)
				}
			}
			w.flash(rw, msg)
			redirect(rw, r, "/assessments/"+id)
			return
		}
	}
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	f.fail(err)
	w.renderAssessment(rw, r, id, statusOf[caio.ErrorCode(err)], nil, f)
}

// surveyQuestionView is one visible question of an uploaded questionnaire.
type surveyQuestionView struct {
	*surveyjs.Question
	Title, Description string
	Values             []string
	Choices            []choiceView
	Err                string
	Points, Max        int
	Scored             bool
}

// surveyPageView is one visible page.
type surveyPageView struct {
	Title, Description string
	Items              []surveyQuestionView
}

// surveyPages lays out the visible pages of an uploaded questionnaire in
// the language asked for, with what was answered and, per scored question,
// its points.
func surveyPages(v *app.AssessmentView, lang string, typed map[string][]string, f *form) []surveyPageView {
	answers := v.AnswerMap()
	points := map[string]surveyjs.ScoreLine{}
	if v.AIA != nil {
		for _, l := range v.AIA.Lines {
			points[l.Name] = l
		}
	}
	var out []surveyPageView
	for _, p := range v.Survey.Pages {
		if !v.VisiblePages[p.Name] {
			continue
		}
		pv := surveyPageView{Title: p.Title.In(lang), Description: p.Description.In(lang)}
		for _, q := range p.Questions {
			if !v.VisibleQuestions[q.Name] {
				continue
			}
			qv := surveyQuestionView{Question: q, Title: q.Title.In(lang), Description: q.Description.In(lang), Values: answers[q.Name],
				Scored: q.Score != surveyjs.NotScored, Max: q.Max()}
			if qv.Title == "" {
				qv.Title = q.Name
			}
			if vals, ok := typed[q.Name]; ok {
				qv.Values = vals
			}
			if l, ok := points[q.Name]; ok {
				qv.Points = l.Points
			}
			if f != nil {
				qv.Err = f.Errors[q.Name]
			}
			for _, c := range q.Choices {
				qv.Choices = append(qv.Choices, choiceView{Value: c.Value, Label: c.Text.In(lang), Checked: slices.Contains(qv.Values, c.Value)})
			}
			pv.Items = append(pv.Items, qv)
		}
		if len(pv.Items) > 0 {
			out = append(out, pv)
		}
	}
	return out
}
