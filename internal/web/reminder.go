package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
)

// The reminders page: the viewer's deadlines (or the organisation's), overdue
// first, with why each date and where the work is done, and the viewer's
// daily digest setting.

func init() {
	funcs["deadlineKind"] = caio.DeadlineKindLabel
	funcs["deadlineWhen"] = deadlineWhen
}

// deadlineWhen says how far a deadline is, in words, so the page never
// relies on colour.
func deadlineWhen(d *caio.Deadline) string {
	switch {
	case d.DaysLeft < -1:
		return "Overdue by " + strconv.Itoa(-d.DaysLeft) + " days"
	case d.DaysLeft == -1:
		return "Overdue by 1 day"
	case d.DaysLeft == 0:
		return "Due today"
	case d.DaysLeft == 1:
		return "Due tomorrow"
	}
	return "In " + strconv.Itoa(d.DaysLeft) + " days"
}

// reminderWindows are the choices of how far ahead to look.
var reminderWindows = []int{7, 14, 30, 90, 365, 730}

// reminderKinds are the kinds the filter offers: those caio knows, and any
// kind asked for.
func reminderKinds(selected string) []option {
	keys := []string{caio.DeadlineObligation, caio.DeadlineControlReview, caio.DeadlineRiskReview, caio.DeadlineRiskTreatment}
	var more []string
	for k := range caio.DeadlineKindLabels {
		if !slices.Contains(keys, k) {
			more = append(more, k)
		}
	}
	if selected != "" && !slices.Contains(keys, selected) && !slices.Contains(more, selected) {
		more = append(more, selected)
	}
	slices.Sort(more)
	keys = append(keys, more...)
	out := []option{}
	for _, k := range keys {
		out = append(out, option{Value: k, Label: caio.DeadlineKindLabel(k), Selected: k == selected})
	}
	return out
}

// reminderFilterFrom reads the page's filter: mine unless mine=0, 30 days
// ahead unless told.
func reminderFilterFrom(q url.Values) caio.DeadlineFilter {
	f := caio.DeadlineFilter{Mine: q.Get("mine") != "0", Kind: listParam(q, "kind"), Page: pageFrom(q)}
	if s := strings.TrimSpace(q.Get("within")); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			n = -1 // refused by the filter's Normalize, naming the field
		}
		f.Within = &n
	}
	return f
}

func (w *Web) reminderList(rw http.ResponseWriter, r *http.Request) {
	w.renderReminders(rw, r, http.StatusOK, nil)
}

// renderReminders shows the page, with f the digest form when it failed.
func (w *Web) renderReminders(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	q := r.URL.Query()
	filter := reminderFilterFrom(q)
	items, total, err := w.app.Deadlines(ctx, filter)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	a, _ := caio.ActorFrom(ctx)
	var prefs *caio.ReminderPreferences
	if a.UserID != "" {
		if prefs, err = w.app.ReminderPreferences(ctx); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	windows := []option{}
	for _, n := range reminderWindows {
		label := "The next " + strconv.Itoa(n) + " days"
		if n == 730 {
			label = "The next two years"
		}
		windows = append(windows, option{Value: strconv.Itoa(n), Label: label, Selected: n == filter.Days()})
	}
	overdue := 0
	for _, d := range items {
		if d.Overdue {
			overdue++
		}
	}
	kind := ""
	if filter.Kind != nil {
		kind = *filter.Kind
	}
	w.render(rw, r, status, "reminders", &page{Title: "Reminders", Nav: "reminders", Form: f, Data: map[string]any{
		"Items": items, "List": newListPage(filter.Page, total, q), "Mine": filter.Mine, "Days": filter.Days(),
		"Kinds": reminderKinds(kind), "Windows": windows, "Prefs": prefs, "Overdue": overdue,
		"Filtered": filter.Kind != nil || !filter.Mine || filter.Within != nil,
	}})
}

// reminderPreferencesSave turns the viewer's digest on or off.
func (w *Web) reminderPreferencesSave(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		on := f.Get("digest") == "on" || f.Get("digest") == "1"
		if _, err = w.app.SetReminderPreferences(r.Context(), caio.ReminderPreferences{Digest: on}); err == nil {
			if on {
				w.flash(rw, "The daily digest is on.")
			} else {
				w.flash(rw, "The daily digest is off: you will get no reminder emails from this organisation.")
			}
			redirect(rw, r, "/reminders#digest")
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	r.URL.RawQuery = ""
	w.renderReminders(rw, r, statusOf[caio.ErrorCode(err)], f)
}
