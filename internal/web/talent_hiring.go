package web

import (
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/talent"
)

// The talent area's hiring pages: the comparison of the candidates for the
// permanent CAIO with its chart and the decision, the scorecard form, a
// candidate's page with the panel's ratings and the signed-in member's own
// rating form, and the candidate form.

func init() {
	funcs["hiringChart"] = hiringChart
}

// candidateLabels names the candidate statuses for people.
var candidateLabels = map[string]string{
	"applied": "Applied", "interviewing": "Interviewing", "offered": "Offered", "hired": "Hired",
	"declined": "Declined", "withdrawn": "Withdrawn",
}

func candidateOptions(selected string) []option {
	out := make([]option, len(caio.CandidateStatuses))
	for i, s := range caio.CandidateStatuses {
		out[i] = option{Value: s, Label: candidateLabels[s], Selected: s == selected}
	}
	return out
}

func (w *Web) talentHiring(rw http.ResponseWriter, r *http.Request) {
	w.renderHiring(rw, r, http.StatusOK, nil)
}

// renderHiring shows the comparison, with f the decision form when it failed.
func (w *Web) renderHiring(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	q := r.URL.Query()
	cmp, err := w.app.HiringComparison(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	filter := caio.CandidateFilter{Query: listParam(q, "q"), Status: listParam(q, "status"), Sort: q.Get("sort"), Page: pageFrom(q)}
	ks, total, err := w.app.FindCandidates(ctx, filter)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f == nil {
		f = &form{Values: map[string]string{}}
	}
	var choices []option
	for _, c := range cmp.Candidates {
		if c.Interviewers > 0 && c.Status != "declined" && c.Status != "withdrawn" && c.Status != "hired" {
			choices = append(choices, option{Value: c.CandidateID, Label: fmt.Sprintf("%s (score %.2f, rank %d)", c.Name, c.Score, c.Rank), Selected: f.Get("candidate_id") == c.CandidateID})
		}
	}
	w.render(rw, r, status, "talent_hiring", &page{Title: "Hiring the permanent CAIO", Nav: "talent", Form: f, Data: map[string]any{
		"Cmp": cmp, "Candidates": ks, "List": newListPage(filter.Page, total, q), "Statuses": candidateOptions(q.Get("status")),
		"Q": q.Get("q"), "Filtered": filter.Query != nil || filter.Status != nil, "Choices": choices,
		"Standing": cmp.Decision != nil && cmp.Decision.Standing,
	}})
}

func (w *Web) talentDecide(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var d *caio.HiringDecision
		if d, err = w.app.DecideHiring(r.Context(), caio.DecisionInput{CandidateID: f.Get("candidate_id"), Reason: f.Get("reason")}); err == nil {
			w.flash(rw, "Decision recorded: "+d.CandidateName+" is hired.")
			redirect(rw, r, "/talent/hiring#decision")
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	r.URL.RawQuery = ""
	w.renderHiring(rw, r, statusOf[caio.ErrorCode(err)], f)
}

// criterionRow is one row of the scorecard form; I is its index in the form.
type criterionRow struct {
	I                                      int
	Key, Name, Weight, Description, Reason string
}

// field names a field of the row as the service names its problems.
func (c criterionRow) Field(name string) string { return "criteria[" + strconv.Itoa(c.I) + "]." + name }

// blankCriteria is how many empty rows the form offers for new criteria.
const blankCriteria = 2

func (w *Web) talentScorecard(rw http.ResponseWriter, r *http.Request) {
	s, err := w.app.Scorecard(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f := &form{Values: map[string]string{"version": strconv.Itoa(s.Version)}}
	for i, c := range s.Criteria {
		row := criterionRow{I: i}
		f.Values[row.Field("key")], f.Values[row.Field("name")] = c.Key, c.Name
		f.Values[row.Field("weight")], f.Values[row.Field("description")], f.Values[row.Field("reason")] = strconv.Itoa(c.Weight), c.Description, c.Reason
	}
	w.renderScorecard(rw, r, http.StatusOK, s, f, len(s.Criteria))
}

// renderScorecard shows the scorecard form with rows criteria filled from f.
func (w *Web) renderScorecard(rw http.ResponseWriter, r *http.Request, status int, s *caio.Scorecard, f *form, rows int) {
	var list []criterionRow
	sum := 0
	for i := range rows + blankCriteria {
		c := criterionRow{I: i}
		c.Key, c.Name, c.Weight = f.Get(c.Field("key")), f.Get(c.Field("name")), f.Get(c.Field("weight"))
		c.Description, c.Reason = f.Get(c.Field("description")), f.Get(c.Field("reason"))
		n, _ := strconv.Atoi(strings.TrimSpace(c.Weight))
		if f.Get(c.Field("remove")) == "" {
			sum += n
		}
		list = append(list, c)
	}
	w.render(rw, r, status, "talent_scorecard", &page{Title: "CAIO hiring scorecard", Nav: "talent", Form: f, Data: map[string]any{
		"Scorecard": s, "Rows": list, "Sum": sum}})
}

func (w *Web) talentScorecardSave(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	rows := 0
	for k := range f.Values {
		if rest, ok := strings.CutPrefix(k, "criteria["); ok {
			if n, err := strconv.Atoi(rest[:max(0, strings.IndexByte(rest, ']'))]); err == nil && n < caio.MaxCriteria+blankCriteria+10 {
				rows = max(rows, n+1)
			}
		}
	}
	if err == nil {
		s := caio.Scorecard{}
		s.Version, _ = strconv.Atoi(f.Get("version"))
		var at []int // the form's row of each criterion
		var v caio.Validation
		for i := range rows {
			c := criterionRow{I: i}
			if f.Get(c.Field("remove")) != "" {
				continue
			}
			name, weight := strings.TrimSpace(f.Get(c.Field("name"))), strings.TrimSpace(f.Get(c.Field("weight")))
			if name == "" && weight == "" && strings.TrimSpace(f.Get(c.Field("key"))) == "" {
				continue // an empty row
			}
			n, perr := strconv.Atoi(weight)
			if perr != nil {
				v.Add(c.Field("weight"), "must be a whole percentage from 1 to 100")
			}
			s.Criteria = append(s.Criteria, caio.Criterion{Key: f.Get(c.Field("key")), Name: name, Weight: n,
				Description: f.Get(c.Field("description")), Reason: f.Get(c.Field("reason"))})
			at = append(at, i)
		}
		if err = v.Err(); err == nil {
			if _, err = w.app.SetScorecard(r.Context(), s); err == nil {
				w.flash(rw, "Scorecard saved.")
				redirect(rw, r, "/talent/hiring")
				return
			}
			err = rowErrors(err, at)
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	cur, serr := w.app.Scorecard(r.Context())
	if serr != nil {
		w.fail(rw, r, serr)
		return
	}
	w.renderScorecard(rw, r, statusOf[caio.ErrorCode(err)], cur, f, max(rows-blankCriteria, 0))
}

// rowErrors renames the service's criteria[j] problems to the form's row
// of the j-th criterion, which differs when rows were left empty or removed.
func rowErrors(err error, at []int) error {
	fs := caio.ErrorFields(err)
	if len(fs) == 0 {
		return err
	}
	e := &caio.Error{Code: caio.ErrorCode(err), Message: caio.ErrorMessage(err)}
	for _, p := range fs {
		if rest, ok := strings.CutPrefix(p.Field, "criteria["); ok {
			if end := strings.IndexByte(rest, ']'); end > 0 {
				if j, err := strconv.Atoi(rest[:end]); err == nil && j < len(at) {
					p.Field = "criteria[" + strconv.Itoa(at[j]) + "]" + rest[end+1:]
				}
			}
		}
		e.Fields = append(e.Fields, p)
	}
	return e
}

func candidateInputFrom(f *form) caio.CandidateInput {
	return caio.CandidateInput{Name: f.Get("name"), Source: f.Get("source"), Status: f.Get("status"), Notes: f.Get("notes")}
}

func (w *Web) renderCandidateForm(rw http.ResponseWriter, r *http.Request, status int, k *caio.Candidate, f *form) {
	title := "New candidate"
	if k != nil {
		title = "Edit " + k.Name
	}
	st := f.Get("status")
	if st == "" {
		st = "applied"
	}
	w.render(rw, r, status, "talent_candidate_form", &page{Title: title, Nav: "talent", Form: f, Data: map[string]any{
		"Candidate": k, "Statuses": candidateOptions(st)}})
}

func (w *Web) talentCandidateNew(rw http.ResponseWriter, r *http.Request) {
	w.renderCandidateForm(rw, r, http.StatusOK, nil, &form{Values: map[string]string{}})
}

func (w *Web) talentCandidateCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var k *caio.Candidate
		if k, err = w.app.CreateCandidate(r.Context(), candidateInputFrom(f)); err == nil {
			w.flash(rw, "Candidate added.")
			redirect(rw, r, "/talent/candidates/"+k.ID)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderCandidateForm(rw, r, statusOf[caio.ErrorCode(err)], nil, f)
}

func (w *Web) talentCandidateEdit(rw http.ResponseWriter, r *http.Request) {
	k, err := w.app.FindCandidate(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderCandidateForm(rw, r, http.StatusOK, k, &form{Values: map[string]string{"name": k.Name, "source": k.Source, "status": k.Status,
		"notes": k.Notes, "version": strconv.Itoa(k.Version)}})
}

func (w *Web) talentCandidateUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	k, err := w.app.FindCandidate(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateCandidate(r.Context(), id, version, candidateInputFrom(f)); err == nil {
			w.flash(rw, "Candidate saved.")
			redirect(rw, r, "/talent/candidates/"+id)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderCandidateForm(rw, r, statusOf[caio.ErrorCode(err)], k, f)
}

func (w *Web) talentCandidateDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeleteCandidate(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Candidate removed.")
	redirect(rw, r, "/talent/hiring")
}

// panelRow is one criterion of the signed-in member's rating form.
type panelRow struct {
	Criterion caio.Criterion
	Field     string
	Options   []option
}

func (w *Web) talentCandidateShow(rw http.ResponseWriter, r *http.Request) {
	w.renderCandidate(rw, r, http.StatusOK, nil)
}

// renderCandidate shows a candidate's page, with f the rating form when it failed.
func (w *Web) renderCandidate(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	k, err := w.app.FindCandidate(ctx, r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	s, err := w.app.Scorecard(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	a, _ := caio.ActorFrom(ctx)
	var mine *caio.PanelRating
	for i := range k.Panels {
		if k.Panels[i].InterviewerID == a.UserID {
			mine = &k.Panels[i]
		}
	}
	if f == nil {
		f = &form{Values: map[string]string{}}
		if mine != nil {
			f.Values["notes"] = mine.Notes
			for key, v := range mine.Ratings {
				f.Values["ratings."+key] = strconv.Itoa(v)
			}
		}
	}
	rows := make([]panelRow, len(s.Criteria))
	for i, c := range s.Criteria {
		field := "ratings." + c.Key
		chosen := f.Get(field)
		opts := []option{{Value: "0", Label: "Not rated", Selected: chosen == "" || chosen == "0"}}
		for l := 1; l <= caio.MaxSkillLevel; l++ {
			opts = append(opts, option{Value: strconv.Itoa(l), Label: strconv.Itoa(l) + " " + talentLevelName(l), Selected: chosen == strconv.Itoa(l)})
		}
		rows[i] = panelRow{Criterion: c, Field: field, Options: opts}
	}
	w.render(rw, r, status, "talent_candidate", &page{Title: k.Name, Nav: "talent", Form: f, Data: map[string]any{
		"Candidate": k, "Scorecard": s, "Rows": rows, "Mine": mine, "CanRate": a.UserID != "" && caio.Can(a.Role, caio.PermContribute),
		"Events": w.history(r, "candidate", k.ID)}})
}

func talentLevelName(l int) string { return talent.Default().LevelName(l) }

func (w *Web) talentCandidateRate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.RateCandidate(r.Context(), id, caio.PanelInput{Ratings: levelsFrom(f), Notes: f.Get("notes")}); err == nil {
			w.flash(rw, "Your ratings are saved.")
			redirect(rw, r, "/talent/candidates/"+id+"#panel")
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderCandidate(rw, r, statusOf[caio.ErrorCode(err)], f)
}

// hiringChart draws the candidates' weighted scores out of 5 as horizontal
// bars, best first. The bar of the chosen candidate is marked "chosen",
// an incomplete score "*", in words beside the bar, not by colour alone;
// the page's table holds the same figures.
func hiringChart(id string, cmp *caio.HiringComparison) template.HTML {
	const (
		width  = 640
		labelW = 180
		barX   = labelW + 10
		barW   = width - barX - 130
		rowH   = 24
		gap    = 12
		top    = 8
	)
	var rated []*caio.CandidateScore
	for _, c := range cmp.Candidates {
		if c.Interviewers > 0 {
			rated = append(rated, c)
		}
	}
	h := top + len(rated)*(rowH+gap) + 34
	var b strings.Builder
	desc := fmt.Sprintf("Weighted scores out of 5 of %d rated %s, highest first.", len(rated), plural(len(rated), "candidate", "candidates"))
	for _, c := range rated {
		desc += fmt.Sprintf(" %s: %.2f.", c.Name, c.Score)
	}
	svgOpen(&b, id, "hiring", width, h, width, "Weighted scores of the candidates", desc)
	chosen := ""
	if d := cmp.Decision; d != nil && d.Standing {
		chosen = d.CandidateID
	}
	for i, c := range rated {
		y := top + i*(rowH+gap)
		name := c.Name
		if len([]rune(name)) > 24 {
			name = string([]rune(name)[:23]) + "…"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" dominant-baseline="middle" font-size="13" fill="currentColor">%d. %s</text>`, labelW, y+rowH/2, c.Rank, svgEsc(name))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="none" stroke="currentColor" stroke-opacity="0.3"></rect>`, barX, y, barW, rowH)
		bw := int(chartClamp(c.Score/5, 0, 1) * float64(barW))
		class := "c-transparency_only"
		if c.CandidateID == chosen {
			class = "c-minimal"
		}
		label := fmt.Sprintf("%s: %.2f of 5", c.Name, c.Score)
		shape := fmt.Sprintf(`<rect class="seg %s" x="%d" y="%d" width="%d" height="%d"><title>%s</title></rect>`, class, barX, y, bw, rowH, svgEsc(label))
		b.WriteString(svgLink("/talent/candidates/"+c.CandidateID, shape))
		note := fmt.Sprintf("%.2f", c.Score)
		if !c.Complete {
			note += "*"
		}
		if c.CandidateID == chosen {
			note += " chosen"
		}
		fmt.Fprintf(&b, `<text x="%d" y="%d" dominant-baseline="middle" font-size="13" font-weight="700" fill="currentColor">%s</text>`, barX+barW+8, y+rowH/2, svgEsc(note))
	}
	// The scale, 0 to 5.
	axisY := top + len(rated)*(rowH+gap) + 4
	for v := 0; v <= 5; v++ {
		x := barX + v*barW/5
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle" font-size="12" fill="currentColor">%d</text>`, x, axisY+14, v)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
