package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/euaiact"
)

func init() {
	funcs["classLabel"] = caio.ClassLabel
	funcs["classTone"] = classTone
	// words writes a key such as authorised_representative or
	// does_not_apply as words, for sentences.
	funcs["words"] = func(key string) string { return strings.ReplaceAll(key, "_", " ") }
	funcs["readValue"] = readValue
	funcs["has"] = func(list []string, s string) bool { return slices.Contains(list, s) }
	funcs["sameSet"] = func(a, b []string) bool {
		x, y := slices.Clone(a), slices.Clone(b)
		slices.Sort(x)
		slices.Sort(y)
		return slices.Equal(x, y)
	}
}

// classTone is the badge style of a class; the label carries the meaning,
// the colour only repeats it.
func classTone(class string) string {
	switch class {
	case euaiact.Prohibited:
		return "bad"
	case euaiact.HighRisk:
		return "warn"
	case euaiact.Minimal, euaiact.OutOfScope:
		return "ok"
	}
	return ""
}

func readValue(v any) string {
	switch x := v.(type) {
	case nil:
		return "unknown"
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		return strconv.FormatFloat(x, 'g', 4, 64)
	case string:
		return x
	}
	return "?"
}

// questionSection is one section of the guided questionnaire.
type questionSection struct {
	euaiact.Section
	Facts []questionFact
	// Field is a structured question shown at the top of the section:
	// "roles", "annex_i", "annex_iii" or "training_flop".
	Fields []string
	// Open is true while a question of the section is still unanswered and
	// could change the result; answered sections are folded away.
	Open bool
	// Answered counts the questions answered in the section, Missing those
	// still open that could change the result.
	Answered, Missing int
	// Expand shows the section unfolded: the first open sections are, so a
	// new profile starts with a few questions rather than all of them.
	Expand bool
}

// expandOpen is how many open sections the questionnaire unfolds at once.
const expandOpen = 2

// questionFact is one yes/no question with its current answer.
type questionFact struct {
	*euaiact.Fact
	Value  string // yes, no or unknown
	Effect string // what answering could change, when it is still missing
}

// questionnaire picks what to ask: every fact already answered, and every
// fact the engine lists as missing — the facts that could still change the
// answer. Facts that cannot change it are not asked.
func questionnaire(c *euaiact.Content, p *euaiact.Profile, res *euaiact.Result, typed map[string]string) []questionSection {
	missing := map[string]string{}
	if res != nil {
		for _, m := range res.Missing {
			missing[m.Fact] = m.Effect
		}
	}
	var out []questionSection
	for _, s := range c.Sections {
		qs := questionSection{Section: s}
		for i := range c.Facts {
			f := &c.Facts[i]
			if f.Section() != s.Key {
				continue
			}
			v, answered := p.Facts[f.Key]
			effect, miss := missing[f.Key]
			if !answered && !miss {
				continue
			}
			val := "unknown"
			if answered {
				val = map[bool]string{true: "yes", false: "no"}[v]
				qs.Answered++
			}
			qs.Open = qs.Open || miss
			if miss && !answered {
				qs.Missing++
			}
			qs.Facts = append(qs.Facts, questionFact{Fact: f, Value: val, Effect: effect})
		}
		for _, field := range []string{"roles", "annex_i", "annex_iii", "training_flop"} {
			if sectionOf(field) != s.Key {
				continue
			}
			_, miss := missing[field]
			answered := (field == "roles" && len(p.Roles) > 0) || (field == "annex_i" && p.AnnexI != "") ||
				(field == "annex_iii" && p.AnnexIII != nil) || (field == "training_flop" && (p.TrainingFLOP != nil || typed[field] != ""))
			if miss || answered {
				qs.Fields = append(qs.Fields, field)
			}
			if answered {
				qs.Answered++
			} else if miss {
				qs.Missing++
			}
			qs.Open = qs.Open || miss
		}
		if len(qs.Facts) > 0 || len(qs.Fields) > 0 {
			out = append(out, qs)
		}
	}
	open := 0
	for i := range out {
		if out[i].Open && open < expandOpen {
			out[i].Expand = true
			open++
		}
	}
	return out
}

func sectionOf(field string) string {
	if field == "training_flop" {
		return "gpai"
	}
	return field
}

// profileFromForm reads the questionnaire: fact.<key> radios (yes, no,
// unknown), roles and annex_iii checkboxes, annex_i, training_flop.
func profileFromForm(r *http.Request, f *form) *euaiact.Profile {
	p := &euaiact.Profile{Schema: euaiact.ProfileSchema, Facts: map[string]bool{}}
	for k, v := range f.Values {
		key, ok := strings.CutPrefix(k, "fact.")
		if !ok {
			continue
		}
		switch v {
		case "yes":
			p.Facts[key] = true
		case "no":
			p.Facts[key] = false
		}
	}
	p.Roles = r.PostForm["roles"]
	if f.Get("annex_iii_asked") != "" {
		p.AnnexIII = append([]string{}, r.PostForm["annex_iii"]...)
		if len(p.AnnexIII) == 0 {
			p.AnnexIII = nil
		}
	}
	p.AnnexI = f.Get("annex_i")
	if s := strings.TrimSpace(f.Get("training_flop")); s != "" {
		if v, err := strconv.ParseFloat(s, 64); err == nil {
			p.TrainingFLOP = &v
		} else {
			f.Errors["training_flop"] = "must be a number, such as 3e24"
		}
	}
	return p
}

func (w *Web) classifyForm(rw http.ResponseWriter, r *http.Request) {
	sc, err := w.app.FindClassification(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	res, err := w.app.PreviewClassification(r.Context(), sc.Profile)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderClassify(rw, r, http.StatusOK, sc, sc.Profile, res, nil)
}

func (w *Web) renderClassify(rw http.ResponseWriter, r *http.Request, status int, sc *app.SystemClassification, p *euaiact.Profile, res *euaiact.Result, f *form) {
	c := w.app.Content()
	var typed map[string]string
	if f != nil {
		typed = f.Values
	}
	sections := questionnaire(c, p, res, typed)
	w.render(rw, r, status, "classify", &page{Title: "Classify " + sc.System.Name, Nav: "inventory", Form: f, Data: map[string]any{
		"System": sc.System, "Profile": p, "Result": res, "Sections": sections, "Content": c,
		"Roles": euaiact.Roles, "Timeline": sc.Timeline, "Progress": progressOf(sections),
	}})
}

func (w *Web) classifySave(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	sc, err := w.app.FindClassification(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err != nil {
		f.fail(err)
		w.renderClassify(rw, r, http.StatusUnprocessableEntity, sc, sc.Profile, nil, f)
		return
	}
	p := profileFromForm(r, f)
	if len(f.Errors) > 0 {
		f.fail(formProblems(f, nil))
		w.renderClassify(rw, r, http.StatusUnprocessableEntity, sc, p, nil, f)
		return
	}
	if f.Get("action") == "save" {
		if _, err = w.app.ClassifySystem(r.Context(), id, p); err == nil {
			w.flash(rw, "Classification saved.")
			redirect(rw, r, "/systems/"+id+"/classification")
			return
		}
	} else {
		var res *euaiact.Result
		if res, err = w.app.PreviewClassification(r.Context(), p); err == nil {
			w.renderClassify(rw, r, http.StatusOK, sc, p, res, f)
			return
		}
	}
	f.fail(err)
	w.renderClassify(rw, r, statusOf[caio.ErrorCode(err)], sc, p, nil, f)
}

func (w *Web) classificationShow(rw http.ResponseWriter, r *http.Request) {
	w.renderClassification(rw, r, http.StatusOK, nil)
}

func (w *Web) renderClassification(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	id := r.PathValue("id")
	sc, err := w.app.FindClassification(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	recs, total, ovs, err := w.app.ClassificationHistory(r.Context(), id, caio.Page{Limit: 20})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "classification", &page{Title: "EU AI Act classification of " + sc.System.Name, Nav: "inventory", Form: f, Data: map[string]any{
		"C": sc, "History": recs, "HistoryTotal": total, "Overrides": ovs, "Classes": caio.SystemClasses,
	}})
}

func (w *Web) classificationOverride(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		in := caio.OverrideInput{Class: f.Get("class"), Reason: f.Get("reason"), Reference: f.Get("reference")}
		if _, err = w.app.OverrideClassification(r.Context(), id, in); err == nil {
			if in.Class == "" {
				w.flash(rw, "Override withdrawn: the engine's class is in effect again.")
			} else {
				w.flash(rw, "Override recorded.")
			}
			redirect(rw, r, "/systems/"+id+"/classification")
			return
		}
	}
	f.fail(err)
	w.renderClassification(rw, r, statusOf[caio.ErrorCode(err)], f)
}

// euAIActPage shows the content version, the timeline setting and what
// re-classifying every system would change.
func (w *Web) euAIActPage(rw http.ResponseWriter, r *http.Request) {
	w.renderEUAIAct(rw, r, http.StatusOK, nil, nil)
}

func (w *Web) renderEUAIAct(rw http.ResponseWriter, r *http.Request, status int, f *form, applied *app.ReclassifyReport) {
	// Checking what re-classification would change runs the engine on every
	// classified system: only on request, not on every view of the page.
	rep := applied
	timeline, err := w.app.OrgTimeline(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if rep == nil && r.URL.Query().Get("check") != "" {
		if rep, err = w.app.Reclassify(r.Context(), false); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	c := w.app.Content()
	var points []euaiact.AnnexIIIPoint
	points = append(points, c.AnnexIII...)
	w.render(rw, r, status, "euaiact", &page{Title: "EU AI Act", Nav: "compliance", Form: f, Data: map[string]any{
		"Report": rep, "Content": c, "Timelines": caio.Timelines, "Applied": applied != nil, "Points": points, "Timeline": timeline,
	}})
}

func (w *Web) euAIActTimeline(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		if err = w.app.SetOrgTimeline(r.Context(), f.Get("timeline")); err == nil {
			w.flash(rw, "Timeline saved. Re-classify the systems below to move their dates.")
			redirect(rw, r, "/compliance/eu-ai-act?check=1#h-re")
			return
		}
	}
	f.fail(err)
	w.renderEUAIAct(rw, r, statusOf[caio.ErrorCode(err)], f, nil)
}

func (w *Web) euAIActReclassify(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var rep *app.ReclassifyReport
		if rep, err = w.app.Reclassify(r.Context(), true); err == nil {
			w.renderEUAIAct(rw, r, http.StatusOK, f, rep)
			return
		}
	}
	f.fail(err)
	w.renderEUAIAct(rw, r, statusOf[caio.ErrorCode(err)], f, nil)
}

// questionProgress counts the questions asked so far and those answered.
type questionProgress struct{ Answered, Open, Asked int }

func progressOf(sections []questionSection) *questionProgress {
	var q questionProgress
	for _, s := range sections {
		q.Answered += s.Answered
		q.Open += s.Missing
	}
	q.Asked = q.Answered + q.Open
	if q.Asked == 0 {
		return nil
	}
	return &q
}
