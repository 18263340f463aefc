package web

import (
	"net/http"

	"github.com/caio-office/caio"
)

// The consultant's engagement templates: the list of their own, saving an
// engagement as one, and starting this organisation's engagement from one.

func (w *Web) templateList(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := pageFrom(q)
	items, total, err := w.app.FindEngagementTemplates(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "engagement_templates", &page{Title: "My engagement templates", Nav: "engagement", Data: map[string]any{
		"Items": items, "List": newListPage(p, total, q)}})
}

func (w *Web) renderTemplateSave(rw http.ResponseWriter, r *http.Request, status int, e *caio.Engagement, f *form) {
	w.render(rw, r, status, "engagement_template_save", &page{Title: "Save as template", Nav: "engagement", Form: f, Data: map[string]any{"E": e}})
}

func (w *Web) templateSaveForm(rw http.ResponseWriter, r *http.Request) {
	e, err := w.app.FindEngagement(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if !caio.Can(actorRole(r), caio.PermEdit) {
		w.fail(rw, r, caio.Errorf(caio.EFORBIDDEN, "Your role (%s) does not allow this (%s).", actorRole(r), caio.PermEdit))
		return
	}
	w.renderTemplateSave(rw, r, http.StatusOK, e, &form{Values: map[string]string{"name": e.Title}})
}

func (w *Web) templateSave(rw http.ResponseWriter, r *http.Request) {
	e, err := w.app.FindEngagement(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		var t *caio.EngagementTemplate
		if t, err = w.app.SaveEngagementTemplate(r.Context(), e.ID, caio.TemplateInput{Name: f.Get("name"), Description: f.Get("description")}); err == nil {
			w.flash(rw, "Template saved. Start your next client from it on their Engagement page.")
			redirect(rw, r, "/engagement-templates/"+t.ID)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderTemplateSave(rw, r, statusOf[caio.ErrorCode(err)], e, f)
}

func (w *Web) renderTemplate(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	t, err := w.app.FindEngagementTemplate(ctx, r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	active, err := w.app.ActiveEngagement(ctx)
	if err != nil && caio.ErrorCode(err) != caio.ENOTFOUND {
		w.fail(rw, r, err)
		return
	}
	if f == nil {
		f = &form{Values: map[string]string{"start": todayUTC()}}
	}
	w.render(rw, r, status, "engagement_template", &page{Title: t.Name, Nav: "engagement", Form: f, Data: map[string]any{
		"T": t, "Windows": templateWindows(t.Plan.Items), "Active": active}})
}

// templateWindow is one window of a template's plan.
type templateWindow struct {
	Key   string
	Items []templateItem
}

type templateItem struct {
	Title, Phase, Owner, Link string
	Day                       int
}

func templateWindows(items []engagementItemSpec) []templateWindow {
	var out []templateWindow
	for _, k := range []string{"0-30", "31-60", "61-90", "later"} {
		tw := templateWindow{Key: k}
		for _, it := range items {
			if it.WindowOfItem() == k {
				tw.Items = append(tw.Items, templateItem{Title: it.Title, Phase: it.Phase, Owner: it.Owner, Link: it.Link, Day: it.Day})
			}
		}
		out = append(out, tw)
	}
	return out
}

func (w *Web) templateShow(rw http.ResponseWriter, r *http.Request) {
	w.renderTemplate(rw, r, http.StatusOK, nil)
}

func (w *Web) templateStart(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var e *caio.Engagement
		if e, err = w.app.StartFromTemplate(r.Context(), r.PathValue("id"), engagementInputFrom(f)); err == nil {
			w.flash(rw, "Engagement started from your template.")
			redirect(rw, r, "/engagements/"+e.ID)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderTemplate(rw, r, statusOf[caio.ErrorCode(err)], f)
}

func (w *Web) templateDelete(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.DeleteEngagementTemplate(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Template deleted.")
	redirect(rw, r, "/engagement-templates")
}
