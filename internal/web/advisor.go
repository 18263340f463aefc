package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
)

// The advisor's pages. Every form works without JavaScript: acting on an
// action posts to its own address and comes back to the list it was on; a
// failed form is shown again on that list, beside its action, with what
// was typed.

func init() {
	funcs["adviceLabel"] = adviceLabel
	funcs["advicePath"] = func(key string) string {
		rule, object, _ := caio.SplitAdviceKey(key)
		return "/advice/" + url.PathEscape(rule) + "/" + url.PathEscape(object)
	}
	funcs["taskStatus"] = func(s string) string { return adviceLabel("task-" + s) }
}

// adviceLabels names the advisor's keys for people.
var adviceLabels = map[string]string{
	"open": "Open", "accepted": "Accepted", "snoozed": "Snoozed", "dismissed": "Dismissed",
	"task-open": "Open", "task-done": "Done", "task-cancelled": "Cancelled",
	"org": "The organisation", "system": "AI system", "control": "Control", "use_case": "Use case", "vendor": "Vendor",
	"risk": "Risk", "incident": "Incident", "policy": "Policy", "assessment": "Assessment",
	"owner": "Owners", "admin": "Administrators", "editor": "Editors", "contributor": "Contributors", "approver": "Approvers", "viewer": "Viewers",
	"due": "Due date, soonest first (overdue first)", "-due": "Due date, latest first", "-created": "Newest first", "created": "Oldest first",
	"title": "Title, A to Z", "-updated": "Recently updated first",
}

// adviceLabel names a key of the advisor; an unknown key is shown as it is.
func adviceLabel(key string) string {
	if l, ok := adviceLabels[key]; ok {
		return l
	}
	return key
}

// adviceFilterFrom reads the list's filter from a query. show is "" (open
// and accepted), one of caio.AdviceStates, or "all".
func adviceFilterFrom(q url.Values) caio.AdviceFilter {
	mine := flagParam(q.Get("mine"))
	f := caio.AdviceFilter{Mine: mine != nil && *mine, Kind: listParam(q, "kind"), Rule: listParam(q, "rule"), Page: pageFrom(q)}
	switch s := strings.TrimSpace(q.Get("show")); s {
	case "":
	case "all":
		f.IncludeSnoozed, f.IncludeDismissed = true, true
	default:
		f.State = &s
	}
	return f
}

func (w *Web) adviceList(rw http.ResponseWriter, r *http.Request) {
	w.renderAdvice(rw, r, http.StatusOK, "", nil)
}

// renderAdvice shows the actions; when a form of one action failed, key
// names it and f holds what was typed and the problems.
func (w *Web) renderAdvice(rw http.ResponseWriter, r *http.Request, status int, key string, f *form) {
	ctx := r.Context()
	q := r.URL.Query()
	filter := adviceFilterFrom(q)
	l, err := w.app.Advise(ctx, filter)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	builtins, own, err := w.app.AdvisorRules(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	members, err := w.adviceMembers(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	rules := []option{}
	for _, rl := range append(builtins, own...) {
		if rl.Enabled {
			rules = append(rules, option{Value: rl.ID, Label: rl.Title, Selected: q.Get("rule") == rl.ID})
		}
	}
	kinds := []option{}
	for _, k := range app.AdvisorRuleKinds() {
		kinds = append(kinds, option{Value: k, Label: adviceLabel(k), Selected: q.Get("kind") == k})
	}
	values := map[string]string{}
	filtered := false
	for _, n := range []string{"mine", "kind", "rule", "show"} {
		values[n] = q.Get(n)
		filtered = filtered || strings.TrimSpace(q.Get(n)) != ""
	}
	if f == nil {
		f = &form{}
	}
	w.render(rw, r, status, "advice", &page{Title: "Next best actions", Nav: "advisor", Form: f, Data: map[string]any{
		"List": l, "Items": l.Items, "Pager": newListPage(filter.Page, l.Total, q), "F": values, "Filtered": filtered,
		"Rules": rules, "Kinds": kinds, "Members": members, "FailedKey": key, "Back": r.URL.RequestURI(), "States": caio.AdviceStates,
	}})
}

// adviceMembers lists the organisation's members for the owner selects.
func (w *Web) adviceMembers(r *http.Request) ([]option, error) {
	ms, _, err := w.app.FindMembers(r.Context(), caio.Page{Limit: caio.MaxPageLimit})
	if err != nil {
		return nil, err
	}
	a, _ := caio.ActorFrom(r.Context())
	out := make([]option, 0, len(ms))
	for _, m := range ms {
		label := m.Name
		if label == "" {
			label = m.Email
		}
		if m.UserID == a.UserID {
			label += " (you)"
		}
		out = append(out, option{Value: m.UserID, Label: label + ", " + string(m.Role)})
	}
	return out, nil
}

// adviceBack is where an action's form returns: the list it came from.
func adviceBack(f *form) string {
	if b := safeNext(f.Get("back")); strings.HasPrefix(b, "/advice") || b == "/" || strings.HasPrefix(b, "/?") {
		return b
	}
	return "/advice"
}

// adviceFailed shows the list the form came from again, with the form's
// problems beside its action, or an error page when the action is gone or
// not the caller's to change.
func (w *Web) adviceFailed(rw http.ResponseWriter, r *http.Request, key string, f *form, err error) {
	if refused(err) || caio.ErrorCode(err) == caio.EINTERNAL {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	f.Values["action"] = r.URL.Path[strings.LastIndex(r.URL.Path, "/")+1:]
	// The list is shown as it was, and its forms return where this one would have.
	back, _ := url.Parse(adviceBack(f))
	r.URL.Path, r.URL.RawQuery = back.Path, back.RawQuery
	w.renderAdvice(rw, r, statusOf[caio.ErrorCode(err)], key, f)
}

// adviceKey is the key of the action a form posts to.
func adviceKey(r *http.Request) string { return r.PathValue("rule") + "/" + r.PathValue("object") }

func (w *Web) adviceAccept(rw http.ResponseWriter, r *http.Request) {
	key := adviceKey(r)
	f, err := readForm(rw, r)
	if err == nil {
		var t *caio.Task
		if t, err = w.app.AcceptAction(r.Context(), key, caio.AcceptInput{OwnerID: f.Get("owner_id"), Due: f.Get("due")}); err == nil {
			w.flash(rw, "Accepted: the task “"+t.Title+"” is on the task list.")
			redirect(rw, r, adviceBack(f))
			return
		}
	}
	w.adviceFailed(rw, r, key, f, err)
}

func (w *Web) adviceSnooze(rw http.ResponseWriter, r *http.Request) {
	key := adviceKey(r)
	f, err := readForm(rw, r)
	if err == nil {
		var s *caio.AdviceState
		if s, err = w.app.SnoozeAction(r.Context(), key, caio.SnoozeInput{Until: f.Get("until"), Reason: f.Get("reason")}); err == nil {
			w.flash(rw, "Snoozed until "+s.Until+".")
			redirect(rw, r, adviceBack(f))
			return
		}
	}
	w.adviceFailed(rw, r, key, f, err)
}

func (w *Web) adviceDismiss(rw http.ResponseWriter, r *http.Request) {
	key := adviceKey(r)
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.DismissAction(r.Context(), key, f.Get("reason")); err == nil {
			w.flash(rw, "Dismissed. It stays dismissed until someone reopens it.")
			redirect(rw, r, adviceBack(f))
			return
		}
	}
	w.adviceFailed(rw, r, key, f, err)
}

func (w *Web) adviceReopen(rw http.ResponseWriter, r *http.Request) {
	key := adviceKey(r)
	f, err := readForm(rw, r)
	if err == nil {
		if err = w.app.ReopenAction(r.Context(), key); err == nil {
			w.flash(rw, "Reopened.")
			redirect(rw, r, adviceBack(f))
			return
		}
	}
	w.adviceFailed(rw, r, key, f, err)
}

// --- Tasks ---

// taskFilterFrom reads the task list's filter from a query. The default
// shows open tasks; status=all shows every status.
func taskFilterFrom(q url.Values) caio.TaskFilter {
	f := caio.TaskFilter{Sort: q.Get("sort"), Page: pageFrom(q), OwnerID: listParam(q, "owner"), Overdue: flagParam(q.Get("overdue"))}
	if m := flagParam(q.Get("mine")); m != nil {
		f.Mine = *m
	}
	switch s := strings.TrimSpace(q.Get("status")); s {
	case "":
		open := "open"
		f.Status = &open
	case "all":
	default:
		f.Status = &s
	}
	if f.Sort == "" {
		f.Sort = "due"
	}
	return f
}

func (w *Web) taskList(rw http.ResponseWriter, r *http.Request) {
	w.renderTasks(rw, r, http.StatusOK, nil)
}

// renderTasks shows the task list, with f the new-task form when it failed.
func (w *Web) renderTasks(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	q := r.URL.Query()
	filter := taskFilterFrom(q)
	items, total, err := w.app.FindTasks(ctx, filter)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	members, err := w.adviceMembers(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f == nil {
		a, _ := caio.ActorFrom(ctx)
		f = &form{Values: map[string]string{"owner_id": a.UserID}}
	}
	for i := range members {
		members[i].Selected = members[i].Value == f.Get("owner_id")
	}
	owners := make([]option, len(members))
	for i, m := range members {
		owners[i] = option{Value: m.Value, Label: m.Label, Selected: q.Get("owner") == m.Value}
	}
	values := map[string]string{}
	filtered := false
	for _, n := range []string{"mine", "owner", "status", "overdue", "sort"} {
		values[n] = q.Get(n)
		filtered = filtered || (n != "sort" && strings.TrimSpace(q.Get(n)) != "")
	}
	sorts := make([]option, len(caio.TaskSorts))
	for i, s := range caio.TaskSorts {
		sorts[i] = option{Value: s, Label: adviceLabel(s), Selected: s == filter.Sort}
	}
	w.render(rw, r, status, "tasks", &page{Title: "Tasks", Nav: "advisor", Form: f, Data: map[string]any{
		"Items": items, "List": newListPage(filter.Page, total, q), "F": values, "Filtered": filtered,
		"Members": members, "Owners": owners, "Sorts": sorts, "Back": r.URL.RequestURI(),
	}})
}

func taskInputFrom(f *form) caio.TaskInput {
	return caio.TaskInput{Title: f.Get("title"), Description: f.Get("description"), OwnerID: f.Get("owner_id"), Due: f.Get("due"),
		Status: f.Get("status"), Link: f.Get("link")}
}

func (w *Web) taskCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var t *caio.Task
		if t, err = w.app.CreateTask(r.Context(), taskInputFrom(f)); err == nil {
			w.flash(rw, "Task added.")
			redirect(rw, r, "/tasks/"+t.ID)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	r.URL.RawQuery = ""
	w.renderTasks(rw, r, statusOf[caio.ErrorCode(err)], f)
}

func (w *Web) taskShow(rw http.ResponseWriter, r *http.Request) {
	w.renderTask(rw, r, http.StatusOK, nil)
}

// renderTask shows a task with its edit form; f holds a failed edit.
func (w *Web) renderTask(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	t, err := w.app.FindTask(ctx, r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	members, err := w.adviceMembers(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f == nil {
		f = &form{Values: map[string]string{"title": t.Title, "description": t.Description, "owner_id": t.OwnerID, "due": t.Due,
			"status": t.Status, "link": t.Link, "version": strconv.Itoa(t.Version)}}
	}
	for i := range members {
		members[i].Selected = members[i].Value == f.Get("owner_id")
	}
	statuses := make([]option, len(caio.TaskStatuses))
	for i, s := range caio.TaskStatuses {
		statuses[i] = option{Value: s, Label: adviceLabel("task-" + s), Selected: f.Get("status") == s}
	}
	a, _ := caio.ActorFrom(ctx)
	mayWork := a.System || caio.Can(a.Role, caio.PermEdit) || (caio.Can(a.Role, caio.PermContribute) && t.OwnerID == a.UserID)
	w.render(rw, r, status, "task", &page{Title: t.Title, Nav: "advisor", Form: f, Data: map[string]any{
		"Task": t, "Members": members, "Statuses": statuses, "MayWork": mayWork, "Mine": t.OwnerID != "" && t.OwnerID == a.UserID,
	}})
}

func (w *Web) taskUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		if _, err = w.app.UpdateTask(r.Context(), id, version, taskInputFrom(f)); err == nil {
			w.flash(rw, "Task saved.")
			redirect(rw, r, "/tasks/"+id)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderTask(rw, r, statusOf[caio.ErrorCode(err)], f)
}

func (w *Web) taskComplete(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var t *caio.Task
		if t, err = w.app.CompleteTask(r.Context(), r.PathValue("id")); err == nil {
			w.flash(rw, "Done: “"+t.Title+"”.")
			back := safeNext(f.Get("back"))
			if !strings.HasPrefix(back, "/tasks") && back != "/" {
				back = "/tasks/" + t.ID
			}
			redirect(rw, r, back)
			return
		}
	}
	w.fail(rw, r, err)
}

func (w *Web) taskDelete(rw http.ResponseWriter, r *http.Request) {
	_, err := readForm(rw, r)
	if err == nil {
		if err = w.app.DeleteTask(r.Context(), r.PathValue("id")); err == nil {
			w.flash(rw, "Task deleted.")
			redirect(rw, r, "/tasks")
			return
		}
	}
	w.fail(rw, r, err)
}

// --- Rules ---

// ruleFormFields are the fields of the rule editor, in order, with labels.
var ruleFormFields = []string{"kind", "Applies to", "title", "Title", "statement", "Rule in one sentence", "when", "Condition (when)",
	"reason", "Reason", "due", "Due date (CEL)", "due_source", "Source of the due date", "references", "References",
	"owner_role", "Who should act", "link", "Link", "impact", "Impact"}

// ruleInputFrom reads the rule editor.
func ruleInputFrom(f *form) caio.AdvisorRuleInput {
	impact, _ := strconv.Atoi(strings.TrimSpace(f.Get("impact")))
	var refs []string
	for _, line := range strings.Split(f.Get("references"), "\n") {
		if s := strings.TrimSpace(line); s != "" {
			refs = append(refs, s)
		}
	}
	enabled := f.Get("enabled") != "0"
	return caio.AdvisorRuleInput{Kind: f.Get("kind"), Title: f.Get("title"), Statement: f.Get("statement"), When: f.Get("when"),
		Reason: f.Get("reason"), Due: f.Get("due"), DueSource: f.Get("due_source"), References: refs, OwnerRole: f.Get("owner_role"),
		Link: f.Get("link"), Impact: impact, Enabled: &enabled}
}

func ruleValues(rl *caio.AdvisorRule) map[string]string {
	enabled := "1"
	if !rl.Enabled {
		enabled = "0"
	}
	return map[string]string{"kind": rl.Kind, "title": rl.Title, "statement": rl.Statement, "when": rl.When, "reason": rl.Reason,
		"due": rl.Due, "due_source": rl.DueSource, "references": strings.Join(rl.References, "\n"), "owner_role": rl.OwnerRole,
		"link": rl.Link, "impact": strconv.Itoa(rl.Impact), "enabled": enabled, "version": strconv.Itoa(rl.Version)}
}

func (w *Web) adviceRules(rw http.ResponseWriter, r *http.Request) {
	f := &form{Values: map[string]string{"kind": "system", "impact": "3", "owner_role": "editor", "enabled": "1"}}
	w.renderRules(rw, r, http.StatusOK, nil, f, nil, "")
}

// renderRules shows the built-in rules with their switches, the
// organisation's rules and the rule editor: for a new rule (rl nil) or for
// rl. trial is what "Try it" found; failedBuiltin names the built-in rule
// whose switch-off form failed (its problem is on f then).
func (w *Web) renderRules(rw http.ResponseWriter, r *http.Request, status int, rl *caio.AdvisorRule, f *form, trial *caio.RuleTrial, failedBuiltin string) {
	builtins, own, err := w.app.AdvisorRules(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	kind := f.Get("kind")
	kinds := []option{}
	for _, k := range app.AdvisorRuleKinds() {
		kinds = append(kinds, option{Value: k, Label: adviceLabel(k) + " (" + k + ")", Selected: kind == k})
	}
	roles := []option{}
	for _, ro := range caio.Roles {
		roles = append(roles, option{Value: string(ro), Label: adviceLabel(string(ro)), Selected: f.Get("owner_role") == string(ro)})
	}
	impacts := options([]string{"1", "2", "3", "4", "5"}, f.Get("impact"))
	// The fields of every kind, for the editor's reference list.
	type kindFields struct {
		Kind      string
		Label     string
		Variables []string
		Fields    []string
		Open      bool
	}
	var ref []kindFields
	for _, k := range app.AdvisorRuleKinds() {
		kf := kindFields{Kind: k, Label: adviceLabel(k), Variables: app.AdvisorRuleVariables(k), Open: k == kind}
		for _, fd := range app.AdvisorRuleFields(k) {
			kf.Fields = append(kf.Fields, fd.Name+" ("+fd.Type+")")
		}
		ref = append(ref, kf)
	}
	title := "Advisor rules"
	if rl != nil {
		title = "Edit rule: " + rl.Title
	}
	view := "advice_rules"
	if rl != nil {
		view = "advice_rule"
	}
	w.render(rw, r, status, view, &page{Title: title, Nav: "advisor", Form: f, Data: map[string]any{
		"Builtins": builtins, "Own": own, "Rule": rl, "Kinds": kinds, "Roles": roles, "Impacts": impacts, "Reference": ref,
		"Trial": trial, "FailedBuiltin": failedBuiltin, "Fields": ruleFormFields,
	}})
}

// ruleSave saves or tries the rule editor: action=try evaluates the rule
// on the organisation's data and shows the editor again with what it found
// (or the problem and its position), keeping what was typed.
func (w *Web) ruleSave(rw http.ResponseWriter, r *http.Request, rl *caio.AdvisorRule) {
	ctx := r.Context()
	f, err := readForm(rw, r)
	in := ruleInputFrom(f)
	if err == nil && f.Get("action") == "try" {
		var trial *caio.RuleTrial
		if trial, err = w.app.TryRule(ctx, in); err == nil {
			w.renderRules(rw, r, http.StatusOK, rl, f, trial, "")
			return
		}
	} else if err == nil {
		var saved *caio.AdvisorRule
		if rl == nil {
			saved, err = w.app.CreateAdvisorRule(ctx, in)
		} else {
			version, _ := strconv.Atoi(f.Get("version"))
			saved, err = w.app.UpdateAdvisorRule(ctx, rl.ID, version, in)
		}
		if err == nil {
			w.flash(rw, "Rule “"+saved.Title+"” saved. Its actions are on the advice page.")
			redirect(rw, r, "/advice/rules#rule-"+saved.ID)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderRules(rw, r, statusOf[caio.ErrorCode(err)], rl, f, nil, "")
}

func (w *Web) adviceRuleCreate(rw http.ResponseWriter, r *http.Request) { w.ruleSave(rw, r, nil) }

func (w *Web) adviceRuleEdit(rw http.ResponseWriter, r *http.Request) {
	rl, err := w.app.FindAdvisorRule(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderRules(rw, r, http.StatusOK, rl, &form{Values: ruleValues(rl)}, nil, "")
}

func (w *Web) adviceRuleUpdate(rw http.ResponseWriter, r *http.Request) {
	rl, err := w.app.FindAdvisorRule(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.ruleSave(rw, r, rl)
}

func (w *Web) adviceRuleSwitch(rw http.ResponseWriter, r *http.Request, on bool) {
	_, err := readForm(rw, r)
	if err == nil {
		var rl *caio.AdvisorRule
		if rl, err = w.app.SetAdvisorRuleEnabled(r.Context(), r.PathValue("id"), on); err == nil {
			w.flash(rw, map[bool]string{true: "Switched on: ", false: "Switched off: "}[on]+"“"+rl.Title+"”.")
			redirect(rw, r, "/advice/rules#rule-"+rl.ID)
			return
		}
	}
	w.fail(rw, r, err)
}

func (w *Web) adviceRuleEnable(rw http.ResponseWriter, r *http.Request) {
	w.adviceRuleSwitch(rw, r, true)
}
func (w *Web) adviceRuleDisable(rw http.ResponseWriter, r *http.Request) {
	w.adviceRuleSwitch(rw, r, false)
}

func (w *Web) adviceRuleDelete(rw http.ResponseWriter, r *http.Request) {
	_, err := readForm(rw, r)
	if err == nil {
		if err = w.app.DeleteAdvisorRule(r.Context(), r.PathValue("id")); err == nil {
			w.flash(rw, "Rule deleted.")
			redirect(rw, r, "/advice/rules")
			return
		}
	}
	w.fail(rw, r, err)
}

func (w *Web) adviceBuiltinOff(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	id := f.Get("rule_id")
	if err == nil {
		var rl *caio.AdvisorRule
		if rl, err = w.app.DisableBuiltin(r.Context(), id, f.Get("reason")); err == nil {
			w.flash(rw, "Switched off: “"+rl.Title+"”. Its actions no longer appear.")
			redirect(rw, r, "/advice/rules#builtin-"+rl.ID)
			return
		}
	}
	if refused(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	// Keep the editor's defaults; the switch form shows its own problem.
	for k, v := range map[string]string{"kind": "system", "impact": "3", "owner_role": "editor", "enabled": "1"} {
		if _, ok := f.Values[k]; !ok {
			f.Values[k] = v
		}
	}
	w.renderRules(rw, r, statusOf[caio.ErrorCode(err)], nil, f, nil, id)
}

func (w *Web) adviceBuiltinOn(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var rl *caio.AdvisorRule
		if rl, err = w.app.EnableBuiltin(r.Context(), f.Get("rule_id")); err == nil {
			w.flash(rw, "Switched on again: “"+rl.Title+"”.")
			redirect(rw, r, "/advice/rules#builtin-"+rl.ID)
			return
		}
	}
	w.fail(rw, r, err)
}

// homeAdvice gathers what the home page shows the signed-in member: their
// open tasks (overdue first) and the top actions for them. Failures of
// the advisor do not take the home page down: they leave these empty.
func (w *Web) homeAdvice(r *http.Request) map[string]any {
	ctx := r.Context()
	out := map[string]any{}
	mine, open := true, "open"
	if tasks, total, err := w.app.FindTasks(ctx, caio.TaskFilter{Mine: true, Status: &open, Sort: "due", Page: caio.Page{Limit: 5}}); err == nil {
		out["MyTasks"], out["MyTaskTotal"] = tasks, total
		overdue := true
		if _, n, err := w.app.FindTasks(ctx, caio.TaskFilter{Mine: true, Overdue: &overdue, Page: caio.Page{Limit: 1}}); err == nil {
			out["MyOverdue"] = n
		}
	} else {
		w.app.Log.Error("home: tasks", "err", err)
	}
	state := caio.AdviceOpen
	if l, err := w.app.Advise(ctx, caio.AdviceFilter{Mine: mine, State: &state, Page: caio.Page{Limit: 5}}); err == nil {
		out["MyAdvice"], out["MyAdviceTotal"] = l.Items, l.Total
	} else {
		w.app.Log.Error("home: advice", "err", err)
	}
	return out
}
