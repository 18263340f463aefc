package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/talent"
)

// The talent area's team pages: the people of the AI team with the heat
// map of their levels and the skills where the team is weakest, a person's
// page with their gaps and the rating form, the person form, and the skill
// framework itself.

func init() {
	funcs["talentLevel"] = func(l int) string { return talent.Default().LevelName(l) }
	funcs["talentSkill"] = func(id string) string { return talent.Default().SkillName(id) }
	funcs["talentGroup"] = func(id string) string {
		if g := talent.Default().Group(id); g != nil {
			return g.Name
		}
		return id
	}
	funcs["talentStatus"] = func(s string) string { return candidateLabels[s] }
	funcs["score2"] = func(f float64) string { return strconv.FormatFloat(f, 'f', 2, 64) }
}

// heatGroup is a group of skills as the heat map's header spans it.
type heatGroup struct {
	Name string
	Span int
}

func heatGroups(h *caio.TalentHeatMap) []heatGroup {
	var out []heatGroup
	for _, s := range h.Skills {
		if n := len(out); n > 0 && out[n-1].Name == s.GroupName {
			out[n-1].Span++
			continue
		}
		out = append(out, heatGroup{Name: s.GroupName, Span: 1})
	}
	return out
}

// roleOptions lists the framework's roles, marking selected.
func roleOptions(selected string) []option {
	fw := talent.Default()
	out := make([]option, len(fw.Roles))
	for i, r := range fw.Roles {
		out[i] = option{Value: r.ID, Label: r.Name, Selected: r.ID == selected}
	}
	return out
}

func (w *Web) talentTeam(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	q := r.URL.Query()
	f := caio.PersonFilter{Query: listParam(q, "q"), Role: listParam(q, "role"), Sort: q.Get("sort"), Page: pageFrom(q)}
	people, total, err := w.app.FindPeople(ctx, f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	heat, err := w.app.TalentHeatMap(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	gaps, err := w.app.TalentGaps(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	weakest := []caio.TeamSkillGap{}
	for _, g := range gaps {
		if (g.Below > 0 || g.Unrated > 0) && len(weakest) < 10 {
			weakest = append(weakest, g)
		}
	}
	w.render(rw, r, http.StatusOK, "talent", &page{Title: "AI team skills", Nav: "talent", Data: map[string]any{
		"People": people, "List": newListPage(f.Page, total, q), "Q": q.Get("q"), "Roles": roleOptions(q.Get("role")),
		"Filtered": f.Query != nil || f.Role != nil, "Heat": heat, "Groups": heatGroups(heat), "Gaps": weakest, "AllGaps": len(gaps),
	}})
}

func (w *Web) talentFramework(rw http.ResponseWriter, r *http.Request) {
	fw, err := w.app.TalentFramework(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "talent_framework", &page{Title: "Skill framework", Nav: "talent", Data: fw})
}

// personInputFrom reads the person form.
func personInputFrom(f *form) caio.PersonInput {
	return caio.PersonInput{Name: f.Get("name"), Role: f.Get("role"), UserID: f.Get("user_id"), Notes: f.Get("notes")}
}

// renderPersonForm shows the new (p nil) or edit form of a person.
func (w *Web) renderPersonForm(rw http.ResponseWriter, r *http.Request, status int, p *caio.Person, f *form) {
	members, _, err := w.app.FindMembers(r.Context(), caio.Page{Limit: caio.MaxPageLimit})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	users := make([]option, len(members))
	for i, m := range members {
		users[i] = option{Value: m.UserID, Label: m.Name + " (" + m.Email + ")", Selected: f.Get("user_id") == m.UserID}
	}
	title := "New person"
	if p != nil {
		title = "Edit " + p.Name
	}
	w.render(rw, r, status, "talent_person_form", &page{Title: title, Nav: "talent", Form: f, Data: map[string]any{
		"Person": p, "Roles": roleOptions(f.Get("role")), "Users": users}})
}

func (w *Web) talentPersonNew(rw http.ResponseWriter, r *http.Request) {
	w.renderPersonForm(rw, r, http.StatusOK, nil, &form{Values: map[string]string{"role": r.URL.Query().Get("role")}})
}

func (w *Web) talentPersonCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var p *caio.Person
		if p, err = w.app.CreatePerson(r.Context(), personInputFrom(f)); err == nil {
			w.flash(rw, "Person added to the team. Rate their skills below.")
			redirect(rw, r, "/talent/people/"+p.ID)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderPersonForm(rw, r, statusOf[caio.ErrorCode(err)], nil, f)
}

func (w *Web) talentPersonShow(rw http.ResponseWriter, r *http.Request) {
	w.renderPerson(rw, r, http.StatusOK, nil)
}

// ratingRow is one skill of the rating form.
type ratingRow struct {
	Skill   *talent.Skill
	Field   string // the form field, ratings.<skill>
	Target  int
	Level   int
	Options []option
	Rater   string
	RatedAt string
}

// renderPerson shows a person's page, with f the rating form when it failed.
func (w *Web) renderPerson(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	p, err := w.app.FindPerson(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	fw := talent.Default()
	role := fw.Role(p.Role)
	rated := map[string]caio.SkillRating{}
	for _, rt := range p.Ratings {
		rated[rt.Skill] = rt
	}
	var targeted, others []ratingRow
	for i := range fw.Skills {
		s := &fw.Skills[i]
		row := ratingRow{Skill: s, Field: "ratings." + s.ID, Level: rated[s.ID].Level}
		if role != nil {
			row.Target = role.Target(s.ID)
		}
		if rt, ok := rated[s.ID]; ok {
			row.Rater, row.RatedAt = rt.RatedByLabel, rt.RatedAt.UTC().Format("2006-01-02")
		}
		chosen := strconv.Itoa(row.Level)
		if f != nil {
			chosen = f.Get(row.Field)
		}
		row.Options = []option{{Value: "0", Label: "Not rated", Selected: chosen == "0" || chosen == ""}}
		for l := 1; l <= caio.MaxSkillLevel; l++ {
			_, anchor := s.Anchor(l)
			label := strconv.Itoa(l) + " " + fw.LevelName(l)
			if anchor != "" && s.Levels[l] != "" {
				label += ": " + anchor
			}
			row.Options = append(row.Options, option{Value: strconv.Itoa(l), Label: label, Selected: chosen == strconv.Itoa(l)})
		}
		if row.Target > 0 {
			targeted = append(targeted, row)
		} else {
			others = append(others, row)
		}
	}
	if f == nil {
		f = &form{}
	}
	othersRated := 0
	for _, o := range others {
		if o.Level > 0 {
			othersRated++
		}
	}
	w.render(rw, r, status, "talent_person", &page{Title: p.Name, Nav: "talent", Form: f, Data: map[string]any{
		"Person": p, "Role": role, "Targeted": targeted, "Others": others, "OthersRated": othersRated,
		"Events": w.history(r, "person", p.ID)}})
}

func (w *Web) talentPersonEdit(rw http.ResponseWriter, r *http.Request) {
	p, err := w.app.FindPerson(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderPersonForm(rw, r, http.StatusOK, p, &form{Values: map[string]string{"name": p.Name, "role": p.Role, "user_id": p.UserID,
		"notes": p.Notes, "version": strconv.Itoa(p.Version)}})
}

func (w *Web) talentPersonUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	p, err := w.app.FindPerson(r.Context(), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdatePerson(r.Context(), id, version, personInputFrom(f)); err == nil {
			w.flash(rw, "Person saved.")
			redirect(rw, r, "/talent/people/"+id)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderPersonForm(rw, r, statusOf[caio.ErrorCode(err)], p, f)
}

func (w *Web) talentPersonDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeletePerson(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Person removed from the team.")
	redirect(rw, r, "/talent")
}

// levelsFrom reads the ratings.<skill> fields of a form; an unreadable
// level is passed on as -1, which the service names.
func levelsFrom(f *form) map[string]int {
	out := map[string]int{}
	for k, v := range f.Values {
		skill, ok := strings.CutPrefix(k, "ratings.")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			n = -1
		}
		out[skill] = n
	}
	return out
}

func (w *Web) talentPersonRate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.RateSkills(r.Context(), id, levelsFrom(f)); err == nil {
			w.flash(rw, "Ratings saved.")
			redirect(rw, r, "/talent/people/"+id+"#gaps")
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderPerson(rw, r, statusOf[caio.ErrorCode(err)], f)
}
