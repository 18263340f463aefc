package app

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/advisor"
	"github.com/caio-office/caio/internal/sqldb"
)

// The advisor services: the next best actions of the organisation, what
// people did with them, the tasks accepted actions become, and the rules.
// The engine (internal/engine/advisor) evaluates rules over a snapshot of
// the organisation (sqldb.Conn.AdvisorFacts); these services remember the
// states, keep the compiled rules per organisation, check roles and audit.

var _ caio.AdvisorService = (*App)(nil)

func adviceNotFound() error {
	return caio.Errorf(caio.ENOTFOUND, "No current action has this key: it may have been done already.")
}
func advTaskNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Task not found.") }
func advRuleNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Rule not found.") }

// advMaxCached bounds the compiled rule sets kept in memory.
const advMaxCached = 1000

// advRuleSet is an organisation's compiled rules at one version of its rule
// set: the built-ins it did not switch off and its enabled own rules.
type advRuleSet struct {
	version int64
	prog    *advisor.Program
	// custom marks the organisation's own rules by ID.
	custom map[string]bool
	// problems are rules that no longer compile, left out of prog.
	problems []string
}

type advProgramKey struct {
	db  *sqldb.DB
	org string
}

// advPrograms caches each organisation's compiled rules, keyed by database and
// organisation, until the version of its rule set changes. Rules change
// rarely and compiling CEL costs far more than checking a version.
var advPrograms = struct {
	sync.Mutex
	m map[advProgramKey]*advRuleSet
}{m: map[advProgramKey]*advRuleSet{}}

// advCompilations counts rule-set compilations, for tests of the cache.
var advCompilations struct {
	sync.Mutex
	n int
}

// advBuiltins are the engine's built-in rules, by ID.
var advBuiltins = sync.OnceValue(func() map[string]advisor.Rule {
	m := map[string]advisor.Rule{}
	for _, r := range advisor.BuiltIns() {
		m[r.ID] = r
	}
	return m
})

// advEngineRule turns a stored rule of the organisation into the engine's.
func advEngineRule(r *caio.AdvisorRule) advisor.Rule {
	return advisor.Rule{ID: r.ID, Kind: r.Kind, Title: r.Title, Statement: r.Statement, When: r.When, Reason: r.Reason,
		Due: r.Due, DueSource: r.DueSource, References: r.References, OwnerRole: r.OwnerRole, Link: r.Link, Impact: r.Impact}
}

// advRuleView turns an engine rule into the domain's.
func advRuleView(r advisor.Rule) *caio.AdvisorRule {
	refs := r.References
	if refs == nil {
		refs = []string{}
	}
	return &caio.AdvisorRule{ID: r.ID, Kind: r.Kind, Title: r.Title, Statement: r.Statement, When: r.When, Reason: r.Reason,
		Due: r.Due, DueSource: r.DueSource, References: refs, OwnerRole: r.OwnerRole, Link: r.Link, Impact: r.Impact,
		BuiltIn: r.BuiltIn, Enabled: true}
}

// rules returns the organisation's compiled rules, compiling them only when
// the version of its rule set differs from the cached one.
func (app *App) rules(ctx context.Context, c *sqldb.Conn, orgID string) (*advRuleSet, error) {
	version, err := c.AdvisorRulesVersion(ctx, orgID)
	if err != nil {
		return nil, err
	}
	key := advProgramKey{app.DB, orgID}
	advPrograms.Lock()
	rs := advPrograms.m[key]
	advPrograms.Unlock()
	if rs != nil && rs.version == version {
		return rs, nil
	}
	off, err := c.BuiltinsOff(ctx, orgID)
	if err != nil {
		return nil, err
	}
	own, err := c.AdvisorRules(ctx, orgID)
	if err != nil {
		return nil, err
	}
	rs = &advRuleSet{version: version, custom: map[string]bool{}}
	var list []advisor.Rule
	for _, r := range advisor.BuiltIns() {
		if off[r.ID] == nil {
			list = append(list, r)
		}
	}
	for _, r := range own {
		if r.Enabled {
			list = append(list, advEngineRule(r))
			rs.custom[r.ID] = true
		}
	}
	prog, err := advisor.Compile(list)
	if err != nil {
		// A rule saved under an older engine may no longer compile: the
		// others still advise, and the page names the broken ones.
		errs := advisor.AsRuleErrors(err)
		if len(errs) == 0 || prog == nil {
			return nil, err
		}
		for _, e := range errs {
			rs.problems = append(rs.problems, e.Error())
		}
		app.Log.Warn("advisor rules that do not compile were left out", "org", orgID, "err", err)
	}
	rs.prog = prog
	advCompilations.Lock()
	advCompilations.n++
	advCompilations.Unlock()
	advPrograms.Lock()
	if len(advPrograms.m) >= advMaxCached {
		for k := range advPrograms.m { // drop one at random
			delete(advPrograms.m, k)
			break
		}
	}
	advPrograms.m[key] = rs
	advPrograms.Unlock()
	return rs, nil
}

// advEvaluation is one evaluation of an organisation's rules with what people
// did with the actions.
type advEvaluation struct {
	today   string
	rules   *advRuleSet
	actions []advisor.Action
	states  map[string]*caio.AdviceState
	tasks   map[string]*caio.Task
	me      *caio.Membership // nil for the system
	// named holds the members' names and emails, lower case, so that an
	// object whose owner names nobody of the organisation falls to the roles
	// that may do the work.
	named map[string]bool
	// problems are the rules that failed at run time, with the first
	// object each failed on.
	problems []string
}

// evaluate loads the organisation's facts, evaluates its rules (only the
// rule named by only, when not empty) and reads the states of the actions
// and the tasks they became.
func (app *App) evaluate(ctx context.Context, a caio.Actor, only string) (*advEvaluation, error) {
	var ev advEvaluation
	err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		ev.today = today(c)
		if ev.rules, err = app.rules(ctx, c, a.OrgID); err != nil {
			return err
		}
		facts, err := c.AdvisorFacts(ctx, a.OrgID, ev.today)
		if err != nil {
			return err
		}
		if only != "" {
			if _, ok := ev.rules.prog.Rule(only); !ok {
				ev.actions = nil // not a rule that runs here: no action
			} else {
				ev.actions, _, err = ev.rules.prog.Try(only, facts, 0)
			}
		} else {
			ev.actions, err = ev.rules.prog.Evaluate(facts)
		}
		if err != nil {
			// A rule that fails on some object gives no action for it; the
			// others still count, and the page names the failing rule.
			errs := advisor.AsRuleErrors(err)
			if len(errs) == 0 {
				return err
			}
			for _, e := range errs {
				ev.problems = append(ev.problems, e.Error())
			}
			app.Log.Warn("advisor rules failed on some objects", "org", a.OrgID, "err", err)
		}
		if ev.states, err = c.AdviceStates(ctx, a.OrgID); err != nil {
			return err
		}
		var ids []string
		for _, s := range ev.states {
			if s.TaskID != "" {
				ids = append(ids, s.TaskID)
			}
		}
		if ev.tasks, err = c.TasksByID(ctx, a.OrgID, ids); err != nil {
			return err
		}
		if a.UserID != "" {
			if ev.me, err = c.Membership(ctx, a.OrgID, a.UserID); caio.ErrorCode(err) == caio.ENOTFOUND {
				ev.me, err = nil, nil
			}
			if err != nil {
				return err
			}
			ms, err := c.AllMembers(ctx, a.OrgID, 10000)
			if err != nil {
				return err
			}
			ev.named = make(map[string]bool, 2*len(ms))
			for _, m := range ms {
				ev.named[strings.ToLower(m.Email)] = true
				if m.Name != "" {
					ev.named[strings.ToLower(strings.TrimSpace(m.Name))] = true
				}
			}
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &ev, nil
}

// advice turns an action into what a person sees, with its state: a snooze
// ends on its date by itself; an accepted action stays accepted while its
// task is open, and is open again when the task was closed or deleted but
// the rule still fires; a dismissed one stays dismissed until reopened.
func (ev *advEvaluation) advice(act advisor.Action, a caio.Actor) *caio.Advice {
	refs := act.References
	if refs == nil {
		refs = []string{}
	}
	ad := &caio.Advice{Key: act.Key, RuleID: act.RuleID, Rule: act.Rule, Custom: ev.rules.custom[act.RuleID], Title: act.Title,
		Reason: act.Reason, References: refs, Due: act.Due, DueSource: act.DueSource, OwnerRole: act.OwnerRole, Owner: act.Owner,
		Link: act.Link, ObjectKind: act.ObjectKind, ObjectID: act.ObjectID, ObjectName: act.ObjectName, Impact: act.Impact,
		Urgency: act.Urgency, Score: act.Score, State: caio.AdviceOpen}
	ad.Overdue = ad.Due != "" && ad.Due < ev.today
	if s := ev.states[act.Key]; s != nil {
		at := s.At
		switch s.State {
		case caio.AdviceSnoozed:
			if ev.today < s.Until {
				ad.State, ad.SnoozedUntil, ad.StateReason = caio.AdviceSnoozed, s.Until, s.Reason
				ad.DecidedBy, ad.DecidedAt = s.By, &at
			}
		case caio.AdviceDismissed:
			ad.State, ad.StateReason, ad.DecidedBy, ad.DecidedAt = caio.AdviceDismissed, s.Reason, s.By, &at
		case caio.AdviceAccepted:
			ad.TaskID, ad.Task = s.TaskID, ev.tasks[s.TaskID]
			if ad.Task != nil && ad.Task.Status == "open" {
				ad.State, ad.DecidedBy, ad.DecidedAt = caio.AdviceAccepted, s.By, &at
				ad.Task.Overdue = ad.Task.Due != "" && ad.Task.Due < ev.today
			}
		}
	}
	ad.Mine = ev.mine(ad, a)
	return ad
}

// mine reports whether an action is for the actor: its open task is
// theirs; or the object names them as owner (by email or name); or its
// owner role is the actor's role; or the object names no member as owner
// and the actor's role may do everything the owner role may (an owner or
// admin sees an editor's work that nobody holds), so nothing falls between
// chairs.
func (ev *advEvaluation) mine(ad *caio.Advice, a caio.Actor) bool {
	if ad.State == caio.AdviceAccepted && ad.Task != nil && a.UserID != "" {
		return ad.Task.OwnerID == a.UserID
	}
	owner := strings.ToLower(strings.TrimSpace(ad.Owner))
	if ev.me != nil && owner != "" && (owner == strings.ToLower(ev.me.Email) || (ev.me.Name != "" && owner == strings.ToLower(strings.TrimSpace(ev.me.Name)))) {
		return true
	}
	if ad.OwnerRole == "" {
		return false
	}
	if strings.EqualFold(ad.OwnerRole, string(a.Role)) {
		return true
	}
	if owner != "" && ev.named[owner] {
		return false // a member holds it
	}
	for _, p := range caio.Permissions {
		if caio.Can(caio.Role(ad.OwnerRole), p) && !caio.Can(a.Role, p) {
			return false
		}
	}
	return true
}

// Advise implements caio.AdvisorService.
func (app *App) Advise(ctx context.Context, f caio.AdviceFilter) (*caio.AdviceList, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if err := f.Normalize(); err != nil {
		return nil, err
	}
	ev, err := app.evaluate(ctx, a, "")
	if err != nil {
		return nil, err
	}
	out := &caio.AdviceList{Items: []*caio.Advice{}, Counts: map[string]int{}, Today: ev.today, Rules: len(ev.rules.prog.Rules()),
		Problems: append(slices.Clone(ev.rules.problems), ev.problems...)}
	for _, s := range caio.AdviceStates {
		out.Counts[s] = 0
	}
	var matched []*caio.Advice
	for _, act := range ev.actions {
		if f.Kind != nil && act.ObjectKind != *f.Kind || f.Rule != nil && act.RuleID != *f.Rule {
			continue
		}
		ad := ev.advice(act, a)
		if f.Mine && !ad.Mine {
			continue
		}
		out.Counts[ad.State]++
		switch {
		case f.State != nil:
			if ad.State != *f.State {
				continue
			}
		case ad.State == caio.AdviceSnoozed && !f.IncludeSnoozed, ad.State == caio.AdviceDismissed && !f.IncludeDismissed:
			continue
		}
		matched = append(matched, ad)
	}
	out.Total = len(matched)
	lo, hi := min(f.Offset, len(matched)), min(f.Offset+f.Limit, len(matched))
	out.Items = append(out.Items, matched[lo:hi]...)
	return out, nil
}

// currentAction evaluates the organisation's rules and returns the action
// with the key, or ENOTFOUND when no rule proposes it now.
func (app *App) currentAction(ctx context.Context, a caio.Actor, key string) (*caio.Advice, error) {
	rule, _, ok := caio.SplitAdviceKey(key)
	if !ok {
		return nil, adviceNotFound()
	}
	ev, err := app.evaluate(ctx, a, rule)
	if err != nil {
		return nil, err
	}
	for _, act := range ev.actions {
		if act.Key == key {
			return ev.advice(act, a), nil
		}
	}
	return nil, adviceNotFound()
}

// advCheckOwner returns an EINVALID error unless ownerID is empty or a member
// of the organisation; a role without PermEdit may name only itself.
func advCheckOwner(ctx context.Context, c *sqldb.Conn, a caio.Actor, ownerID string) error {
	if ownerID == "" {
		return nil
	}
	if !caio.ValidID("usr", ownerID) {
		return caio.FieldError("owner_id", "must be the id of a member, usr_…")
	}
	if !a.System && ownerID != a.UserID && !caio.Can(a.Role, caio.PermEdit) {
		return caio.Errorf(caio.EFORBIDDEN, "Your role (%s) may give tasks to yourself only.", a.Role)
	}
	if _, err := c.Membership(ctx, a.OrgID, ownerID); caio.ErrorCode(err) == caio.ENOTFOUND {
		return caio.FieldError("owner_id", "names "+ownerID+", who is not a member of this organisation")
	} else if err != nil {
		return err
	}
	return nil
}

// advTaskText describes an accepted action for its task: the reason, the
// rule and its references, and where the due date comes from.
func advTaskText(ad *caio.Advice) string {
	var b strings.Builder
	b.WriteString(ad.Reason)
	if ad.Rule != "" {
		b.WriteString("\n\nRule: " + ad.Rule)
	}
	if len(ad.References) > 0 {
		b.WriteString("\nReferences: " + strings.Join(ad.References, "; "))
	}
	if ad.Due != "" && ad.DueSource != "" {
		b.WriteString("\nDue " + ad.Due + ": " + ad.DueSource)
	}
	return b.String()
}

// AcceptAction implements caio.AdvisorService.
func (app *App) AcceptAction(ctx context.Context, key string, in caio.AcceptInput) (*caio.Task, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	ad, err := app.currentAction(ctx, a, key)
	if err != nil {
		return nil, err
	}
	in.OwnerID, in.Due = strings.TrimSpace(in.OwnerID), strings.TrimSpace(in.Due)
	if in.OwnerID == "" {
		in.OwnerID = a.UserID
	}
	if in.Due == "" {
		in.Due = ad.Due
	}
	ti := caio.TaskInput{Title: ad.Title, Description: advTaskText(ad), OwnerID: in.OwnerID, Due: in.Due, Link: ad.Link}
	if err := ti.Normalize(); err != nil {
		return nil, err
	}
	var t *caio.Task
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.LockOrg(ctx, a.OrgID); err != nil {
			return err
		}
		if s, err := c.AdviceState(ctx, a.OrgID, key); err == nil && s.State == caio.AdviceAccepted && s.TaskID != "" {
			if old, err := c.Task(ctx, a.OrgID, s.TaskID); err == nil && old.Status == "open" {
				return caio.Errorf(caio.ECONFLICT, "This action was accepted already: see task %q.", old.Title)
			}
		} else if err != nil && caio.ErrorCode(err) != caio.ENOTFOUND {
			return err
		}
		// A reopened action forgets its acceptance but keeps its task: while
		// that task is open, accepting again would only duplicate it.
		open := "open"
		if ts, _, err := c.Tasks(ctx, a.OrgID, caio.TaskFilter{SourceKey: &key, Status: &open, Page: caio.Page{Limit: 1}}, a.UserID, today(c)); err != nil {
			return err
		} else if len(ts) > 0 {
			return caio.Errorf(caio.ECONFLICT, "This action already has an open task: %q. Complete or cancel it first.", ts[0].Title)
		}
		if err := advCheckOwner(ctx, c, a, ti.OwnerID); err != nil {
			return err
		}
		rule, object, _ := caio.SplitAdviceKey(key)
		t = &caio.Task{ID: caio.NewID("tsk"), OrgID: a.OrgID, Title: ti.Title, Description: ti.Description, OwnerID: ti.OwnerID,
			Due: ti.Due, Status: "open", SourceKey: key, RuleID: rule, Link: ti.Link, CreatedBy: a.Label()}
		if err := c.CreateTask(ctx, t); err != nil {
			return err
		}
		s := &caio.AdviceState{OrgID: a.OrgID, Key: key, RuleID: rule, ObjectID: object, Title: ad.Title, State: caio.AdviceAccepted,
			TaskID: t.ID, ByID: a.UserID, By: a.Label()}
		if err := c.PutAdviceState(ctx, s); err != nil {
			return err
		}
		// One event: the task, whose source_key names the action accepted.
		return record(ctx, c, a, "advice.accept", "task", t.ID, caio.Diff(nil, t.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindTask(ctx, t.ID)
}

// setState stores a snooze or a dismissal of a current action.
func (app *App) setState(ctx context.Context, key, state, until, reason string) (*caio.AdviceState, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	ad, err := app.currentAction(ctx, a, key)
	if err != nil {
		return nil, err
	}
	if ad.State == caio.AdviceAccepted {
		return nil, caio.Errorf(caio.ECONFLICT, "This action was accepted: work on its task, or cancel the task first.")
	}
	rule, object, _ := caio.SplitAdviceKey(key)
	s := &caio.AdviceState{OrgID: a.OrgID, Key: key, RuleID: rule, ObjectID: object, Title: ad.Title, State: state, Until: until,
		Reason: reason, ByID: a.UserID, By: a.Label()}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		// As AcceptAction: an acceptance that committed since the action
		// was read is not overwritten, which would orphan its task.
		if err := c.LockOrg(ctx, a.OrgID); err != nil {
			return err
		}
		var before map[string]any
		if old, err := c.AdviceState(ctx, a.OrgID, key); err == nil {
			if old.State == caio.AdviceAccepted && old.TaskID != "" {
				if t, err := c.Task(ctx, a.OrgID, old.TaskID); err == nil && t.Status == "open" {
					return caio.Errorf(caio.ECONFLICT, "This action was accepted: work on its task, or cancel the task first.")
				} else if err != nil && caio.ErrorCode(err) != caio.ENOTFOUND {
					return err
				}
			}
			before = map[string]any{"state": old.State, "until": old.Until, "reason": old.Reason}
		} else if caio.ErrorCode(err) != caio.ENOTFOUND {
			return err
		}
		if err := c.PutAdviceState(ctx, s); err != nil {
			return err
		}
		after := map[string]any{"state": state, "until": until, "reason": reason}
		if before == nil {
			after["title"] = ad.Title
		}
		return record(ctx, c, a, "advice."+map[string]string{caio.AdviceSnoozed: "snooze", caio.AdviceDismissed: "dismiss"}[state], "advice", key, caio.Diff(before, after))
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// SnoozeAction implements caio.AdvisorService.
func (app *App) SnoozeAction(ctx context.Context, key string, in caio.SnoozeInput) (*caio.AdviceState, error) {
	if _, err := authorize(ctx, caio.PermContribute); err != nil {
		return nil, err
	}
	var day string
	if err := app.DB.Read(ctx, func(c *sqldb.Conn) error { day = today(c); return nil }); err != nil {
		return nil, err
	}
	if err := in.Normalize(day); err != nil {
		return nil, err
	}
	return app.setState(ctx, key, caio.AdviceSnoozed, in.Until, in.Reason)
}

// DismissAction implements caio.AdvisorService.
func (app *App) DismissAction(ctx context.Context, key, reason string) (*caio.AdviceState, error) {
	if _, err := authorize(ctx, caio.PermContribute); err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return nil, caio.FieldError("reason", "is required: say why this action does not apply")
	case len([]rune(reason)) > caio.MaxAdviceReason:
		return nil, caio.FieldError("reason", "must be at most "+strconv.Itoa(caio.MaxAdviceReason)+" characters")
	}
	return app.setState(ctx, key, caio.AdviceDismissed, "", reason)
}

// ReopenAction implements caio.AdvisorService.
func (app *App) ReopenAction(ctx context.Context, key string) error {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return err
	}
	if _, _, ok := caio.SplitAdviceKey(key); !ok {
		return adviceNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		s, err := c.AdviceState(ctx, a.OrgID, key)
		if err != nil {
			return err
		}
		if err := c.DeleteAdviceState(ctx, a.OrgID, key); err != nil {
			return err
		}
		return record(ctx, c, a, "advice.reopen", "advice", key, caio.Diff(map[string]any{"state": s.State, "until": s.Until, "reason": s.Reason},
			map[string]any{"state": caio.AdviceOpen}))
	})
}

// --- Tasks ---

// advFlagTasks marks the open tasks past their due date.
func advFlagTasks(day string, ts ...*caio.Task) {
	for _, t := range ts {
		t.Overdue = t.Status == "open" && t.Due != "" && t.Due < day
	}
}

// FindTasks implements caio.AdvisorService.
func (app *App) FindTasks(ctx context.Context, f caio.TaskFilter) ([]*caio.Task, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	var out []*caio.Task
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		day := today(c)
		if out, total, err = c.Tasks(ctx, a.OrgID, f, a.UserID, day); err == nil {
			advFlagTasks(day, out...)
		}
		return err
	})
	return out, total, err
}

// FindTask implements caio.AdvisorService.
func (app *App) FindTask(ctx context.Context, id string) (*caio.Task, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("tsk", id) {
		return nil, advTaskNotFound()
	}
	var t *caio.Task
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if t, err = c.Task(ctx, a.OrgID, id); err == nil {
			advFlagTasks(today(c), t)
		}
		return err
	})
	return t, err
}

// CreateTask implements caio.AdvisorService.
func (app *App) CreateTask(ctx context.Context, in caio.TaskInput) (*caio.Task, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	t := &caio.Task{ID: caio.NewID("tsk"), OrgID: a.OrgID, Title: in.Title, Description: in.Description, OwnerID: in.OwnerID,
		Due: in.Due, Status: in.Status, Link: in.Link, CreatedBy: a.Label()}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := advCheckOwner(ctx, c, a, in.OwnerID); err != nil {
			return err
		}
		if err := c.CreateTask(ctx, t); err != nil {
			return err
		}
		return record(ctx, c, a, "task.create", "task", t.ID, caio.Diff(nil, t.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindTask(ctx, t.ID)
}

// advMayWork returns EFORBIDDEN unless the actor may change the task: editors
// and above change any task, contributors their own.
func advMayWork(a caio.Actor, t *caio.Task) error {
	if a.System || caio.Can(a.Role, caio.PermEdit) || (t.OwnerID != "" && t.OwnerID == a.UserID) {
		return nil
	}
	return caio.Errorf(caio.EFORBIDDEN, "Your role (%s) may change only the tasks you own.", a.Role)
}

// UpdateTask implements caio.AdvisorService.
func (app *App) UpdateTask(ctx context.Context, id string, version int, in caio.TaskInput) (*caio.Task, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("tsk", id) {
		return nil, advTaskNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		t, err := c.Task(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := advMayWork(a, t); err != nil {
			return err
		}
		if version != 0 && version != t.Version {
			return caio.Errorf(caio.ECONFLICT, "This task was changed by someone else (version %d, you edited %d). Reload it and try again.", t.Version, version)
		}
		if in.OwnerID != t.OwnerID {
			if err := advCheckOwner(ctx, c, a, in.OwnerID); err != nil {
				return err
			}
		}
		before := t.Fields()
		t.Title, t.Description, t.OwnerID, t.Due, t.Status, t.Link = in.Title, in.Description, in.OwnerID, in.Due, in.Status, in.Link
		if err := c.UpdateTask(ctx, t); err != nil {
			return err
		}
		return record(ctx, c, a, "task.update", "task", t.ID, caio.Diff(before, t.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindTask(ctx, id)
}

// CompleteTask implements caio.AdvisorService.
func (app *App) CompleteTask(ctx context.Context, id string) (*caio.Task, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("tsk", id) {
		return nil, advTaskNotFound()
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		t, err := c.Task(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := advMayWork(a, t); err != nil {
			return err
		}
		if t.Status == "done" {
			return nil
		}
		before := t.Fields()
		t.Status = "done"
		if err := c.UpdateTask(ctx, t); err != nil {
			return err
		}
		return record(ctx, c, a, "task.complete", "task", t.ID, caio.Diff(before, t.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindTask(ctx, id)
}

// DeleteTask implements caio.AdvisorService.
func (app *App) DeleteTask(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("tsk", id) {
		return advTaskNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		t, err := c.Task(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := c.DeleteTask(ctx, t); err != nil {
			return err
		}
		return record(ctx, c, a, "task.delete", "task", t.ID, caio.Diff(t.Fields(), nil))
	})
}

// --- Rules ---

// AdvisorRuleKinds lists the kinds of object a rule can be about.
func AdvisorRuleKinds() []string { return slices.Clone(advisor.Kinds) }

// AdvisorRuleFields returns the fields a rule of the kind reads, for the
// rule editor.
func AdvisorRuleFields(kind string) []advisor.Field { return advisor.Fields(kind) }

// AdvisorRuleVariables returns the variables a rule of the kind reads.
func AdvisorRuleVariables(kind string) []string { return advisor.Variables(kind) }

// AdvisorRules implements caio.AdvisorService.
func (app *App) AdvisorRules(ctx context.Context) (builtins, own []*caio.AdvisorRule, err error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, nil, err
	}
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		off, err := c.BuiltinsOff(ctx, a.OrgID)
		if err != nil {
			return err
		}
		for _, r := range advisor.BuiltIns() {
			v := advRuleView(r)
			v.BuiltIn = true
			if o := off[r.ID]; o != nil {
				v.Enabled, v.OffReason, v.OffBy, v.OffAt = false, o.OffReason, o.OffBy, o.OffAt
			}
			builtins = append(builtins, v)
		}
		own, err = c.AdvisorRules(ctx, a.OrgID)
		return err
	})
	return builtins, own, err
}

// FindAdvisorRule implements caio.AdvisorService.
func (app *App) FindAdvisorRule(ctx context.Context, id string) (*caio.AdvisorRule, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("rul", id) {
		return nil, advRuleNotFound()
	}
	var r *caio.AdvisorRule
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		r, err = c.AdvisorRule(ctx, a.OrgID, id)
		return err
	})
	return r, err
}

// advCheckRule normalises a rule and has the engine check it, turning every
// problem into a field error with its position: "when has a problem at
// line 1, column 12: undeclared reference to 'sytem'".
func advCheckRule(id string, in *caio.AdvisorRuleInput) (advisor.Rule, error) {
	var v caio.Validation
	if err := in.Normalize(advisor.Kinds); err != nil {
		fs := caio.ErrorFields(err)
		if len(fs) == 0 {
			return advisor.Rule{}, err
		}
		for _, p := range fs {
			v.Add(p.Field, p.Message)
		}
		return advisor.Rule{}, v.Err()
	}
	if in.Link == "" {
		in.Link = advDefaultLinks[in.Kind]
	}
	if in.OwnerRole == "" {
		in.OwnerRole = string(caio.RoleEditor)
	}
	r := advEngineRule(&caio.AdvisorRule{ID: id, Kind: in.Kind, Title: in.Title, Statement: in.Statement, When: in.When, Reason: in.Reason,
		Due: in.Due, DueSource: in.DueSource, References: in.References, OwnerRole: in.OwnerRole, Link: in.Link, Impact: in.Impact})
	if err := advisor.CheckRule(r); err != nil {
		errs := advisor.AsRuleErrors(err)
		if len(errs) == 0 {
			return r, err
		}
		for _, e := range errs {
			v.Add(e.Field, advRuleProblem(e))
		}
		return r, v.Err()
	}
	return r, nil
}

// advRuleProblem words an engine problem for the field it is about.
func advRuleProblem(e *advisor.RuleError) string {
	if e.Line > 0 {
		return "has a problem at line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Column) + ": " + e.Message
	}
	return e.Message
}

// advDefaultLinks are the pages a rule of each kind links to when its
// author names none.
var advDefaultLinks = map[string]string{"org": "/", "system": "/systems/{id}", "control": "/controls/{id}", "use_case": "/usecases/{id}",
	"vendor": "/vendors/{id}", "risk": "/risks/{id}", "incident": "/incidents/{id}", "policy": "/policies/{id}", "assessment": "/assessments/{id}"}

// CreateAdvisorRule implements caio.AdvisorService.
func (app *App) CreateAdvisorRule(ctx context.Context, in caio.AdvisorRuleInput) (*caio.AdvisorRule, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	id := caio.NewID("rul")
	if _, err := advCheckRule(id, &in); err != nil {
		return nil, err
	}
	r := &caio.AdvisorRule{ID: id, Kind: in.Kind, Title: in.Title, Statement: in.Statement, When: in.When, Reason: in.Reason, Due: in.Due,
		DueSource: in.DueSource, References: in.References, OwnerRole: in.OwnerRole, Link: in.Link, Impact: in.Impact,
		Enabled: *in.Enabled, CreatedBy: a.Label()}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.CreateAdvisorRule(ctx, a.OrgID, r); err != nil {
			return err
		}
		if err := c.BumpAdvisorRules(ctx, a.OrgID); err != nil {
			return err
		}
		return record(ctx, c, a, "advisor_rule.create", "advisor_rule", r.ID, caio.Diff(nil, r.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// UpdateAdvisorRule implements caio.AdvisorService.
func (app *App) UpdateAdvisorRule(ctx context.Context, id string, version int, in caio.AdvisorRuleInput) (*caio.AdvisorRule, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("rul", id) {
		return nil, advRuleNotFound()
	}
	var r *caio.AdvisorRule
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		in := in
		if r, err = c.AdvisorRule(ctx, a.OrgID, id); err != nil {
			return err
		}
		if version != 0 && version != r.Version {
			return caio.Errorf(caio.ECONFLICT, "This rule was changed by someone else (version %d, you edited %d). Reload it and try again.", r.Version, version)
		}
		if _, err := advCheckRule(id, &in); err != nil {
			return err
		}
		before := r.Fields()
		r.Kind, r.Title, r.Statement, r.When, r.Reason, r.Due, r.DueSource = in.Kind, in.Title, in.Statement, in.When, in.Reason, in.Due, in.DueSource
		r.References, r.OwnerRole, r.Link, r.Impact, r.Enabled, r.UpdatedBy = in.References, in.OwnerRole, in.Link, in.Impact, *in.Enabled, a.Label()
		if err := c.UpdateAdvisorRule(ctx, a.OrgID, r); err != nil {
			return err
		}
		if err := c.BumpAdvisorRules(ctx, a.OrgID); err != nil {
			return err
		}
		return record(ctx, c, a, "advisor_rule.update", "advisor_rule", r.ID, caio.Diff(before, r.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// SetAdvisorRuleEnabled switches one of the organisation's rules on or off.
func (app *App) SetAdvisorRuleEnabled(ctx context.Context, id string, enabled bool) (*caio.AdvisorRule, error) {
	r, err := app.FindAdvisorRule(ctx, id)
	if err != nil {
		return nil, err
	}
	in := r.Input()
	in.Enabled = &enabled
	return app.UpdateAdvisorRule(ctx, id, 0, in)
}

// DeleteAdvisorRule implements caio.AdvisorService.
func (app *App) DeleteAdvisorRule(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("rul", id) {
		return advRuleNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		r, err := c.AdvisorRule(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := c.DeleteAdvisorRule(ctx, a.OrgID, r); err != nil {
			return err
		}
		if err := c.BumpAdvisorRules(ctx, a.OrgID); err != nil {
			return err
		}
		return record(ctx, c, a, "advisor_rule.delete", "advisor_rule", r.ID, caio.Diff(r.Fields(), nil))
	})
}

// advTrialMatches is how many matches TryRule shows.
const advTrialMatches = 20

// TryRule implements caio.AdvisorService.
func (app *App) TryRule(ctx context.Context, in caio.AdvisorRuleInput) (*caio.RuleTrial, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	r, err := advCheckRule("try", &in)
	if err != nil {
		return nil, err
	}
	prog, err := advisor.Compile([]advisor.Rule{r})
	if err != nil {
		return nil, err
	}
	out := &caio.RuleTrial{Matches: []*caio.Advice{}}
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		day := today(c)
		facts, err := c.AdvisorFacts(ctx, a.OrgID, day)
		if err != nil {
			return err
		}
		acts, evaluated, err := prog.Try(r.ID, facts, 0)
		if err != nil {
			errs := advisor.AsRuleErrors(err)
			if len(errs) == 0 {
				return err
			}
			var v caio.Validation
			for _, e := range errs {
				v.Add(e.Field, "fails on this organisation's data: "+e.Message)
			}
			return v.Err()
		}
		out.Total, out.Evaluated = len(acts), evaluated
		ev := &advEvaluation{today: day, rules: &advRuleSet{custom: map[string]bool{r.ID: true}}}
		for i, act := range acts {
			if i == advTrialMatches {
				break
			}
			out.Matches = append(out.Matches, ev.advice(act, a))
		}
		return nil
	})
	return out, err
}

// DisableBuiltin implements caio.AdvisorService.
func (app *App) DisableBuiltin(ctx context.Context, id, reason string) (*caio.AdvisorRule, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	r, ok := advBuiltins()[id]
	if !ok {
		return nil, advRuleNotFound()
	}
	reason = strings.TrimSpace(reason)
	switch {
	case reason == "":
		return nil, caio.FieldError("reason", "is required: say why this rule does not apply to the organisation")
	case len([]rune(reason)) > caio.MaxAdviceReason:
		return nil, caio.FieldError("reason", "must be at most "+strconv.Itoa(caio.MaxAdviceReason)+" characters")
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.PutBuiltinOff(ctx, a.OrgID, id, reason, a.UserID, a.Label()); err != nil {
			return err
		}
		if err := c.BumpAdvisorRules(ctx, a.OrgID); err != nil {
			return err
		}
		return record(ctx, c, a, "advisor_builtin.disable", "advisor_rule", id, caio.Diff(map[string]any{"enabled": true}, map[string]any{"enabled": false, "reason": reason}))
	})
	if err != nil {
		return nil, err
	}
	v := advRuleView(r)
	v.BuiltIn, v.Enabled, v.OffReason, v.OffBy = true, false, reason, a.Label()
	return v, nil
}

// EnableBuiltin implements caio.AdvisorService. Switching on a rule that
// is on changes nothing.
func (app *App) EnableBuiltin(ctx context.Context, id string) (*caio.AdvisorRule, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	r, ok := advBuiltins()[id]
	if !ok {
		return nil, advRuleNotFound()
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		was, err := c.DeleteBuiltinOff(ctx, a.OrgID, id)
		if err != nil || !was {
			return err
		}
		if err := c.BumpAdvisorRules(ctx, a.OrgID); err != nil {
			return err
		}
		return record(ctx, c, a, "advisor_builtin.enable", "advisor_rule", id, caio.Diff(map[string]any{"enabled": false}, map[string]any{"enabled": true}))
	})
	if err != nil {
		return nil, err
	}
	v := advRuleView(r)
	v.BuiltIn = true
	return v, nil
}

// --- Rules in engagement templates ---

func init() {
	templateParts = append(templateParts, templatePart{Name: "rules", Label: "Advisor rules (the organisation's own, and the built-ins it switched off)",
		Export: exportTemplateRules, Apply: applyTemplateRules})
}

// advTemplateRules is the rules part of an engagement template.
type advTemplateRules struct {
	Rules []advTemplateRule `json:"rules"`
	Off   []advTemplateOff  `json:"builtins_off"`
}

type advTemplateRule struct {
	Kind       string   `json:"kind"`
	Title      string   `json:"title"`
	Statement  string   `json:"statement"`
	When       string   `json:"when"`
	Reason     string   `json:"reason"`
	Due        string   `json:"due"`
	DueSource  string   `json:"due_source"`
	References []string `json:"references"`
	OwnerRole  string   `json:"owner_role"`
	Link       string   `json:"link"`
	Impact     int      `json:"impact"`
	Enabled    bool     `json:"enabled"`
}

type advTemplateOff struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

// maxTemplateRules bounds the rules a template may carry.
const maxTemplateRules = 1000

func exportTemplateRules(ctx context.Context, c *sqldb.Conn, orgID string) (json.RawMessage, error) {
	own, err := c.AdvisorRules(ctx, orgID)
	if err != nil {
		return nil, err
	}
	off, err := c.BuiltinsOff(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if len(own) == 0 && len(off) == 0 {
		return nil, nil
	}
	out := advTemplateRules{Rules: []advTemplateRule{}, Off: []advTemplateOff{}}
	for _, r := range own {
		out.Rules = append(out.Rules, advTemplateRule{Kind: r.Kind, Title: r.Title, Statement: r.Statement, When: r.When, Reason: r.Reason,
			Due: r.Due, DueSource: r.DueSource, References: r.References, OwnerRole: r.OwnerRole, Link: r.Link, Impact: r.Impact, Enabled: r.Enabled})
	}
	for _, r := range advisor.BuiltIns() { // in the rules' order
		if o := off[r.ID]; o != nil {
			out.Off = append(out.Off, advTemplateOff{ID: r.ID, Reason: o.OffReason})
		}
	}
	return json.Marshal(out)
}

// applyTemplateRules adds the template's rules to the organisation, each
// checked like one typed in (a rule the engine no longer accepts names its
// problem), skipping those it has already; and switches off the built-ins
// the template's organisation switched off, with their reasons.
func applyTemplateRules(ctx context.Context, c *sqldb.Conn, a caio.Actor, data json.RawMessage) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var part advTemplateRules
	if err := dec.Decode(&part); err != nil {
		return caio.FieldError("template", "has a rules part that cannot be read: "+err.Error())
	}
	if len(part.Rules) > maxTemplateRules || len(part.Off) > maxTemplateRules {
		return caio.FieldError("template", "carries more than "+strconv.Itoa(maxTemplateRules)+" rules")
	}
	own, err := c.AdvisorRules(ctx, a.OrgID)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, r := range own {
		have[r.Kind+"\x00"+r.When+"\x00"+r.Title] = true
	}
	changed := false
	for i, tr := range part.Rules {
		enabled := tr.Enabled
		in := caio.AdvisorRuleInput{Kind: tr.Kind, Title: tr.Title, Statement: tr.Statement, When: tr.When, Reason: tr.Reason, Due: tr.Due,
			DueSource: tr.DueSource, References: tr.References, OwnerRole: tr.OwnerRole, Link: tr.Link, Impact: tr.Impact, Enabled: &enabled}
		id := caio.NewID("rul")
		if _, err := advCheckRule(id, &in); err != nil {
			if caio.ErrorCode(err) != caio.EINVALID {
				return err
			}
			var why []string
			for _, p := range caio.ErrorFields(err) {
				why = append(why, p.Field+" "+p.Message)
			}
			if len(why) == 0 {
				why = append(why, caio.ErrorMessage(err))
			}
			return caio.FieldError("template", "rule "+strconv.Itoa(i+1)+" ("+truncate(tr.Title, 80)+"): "+strings.Join(why, "; "))
		}
		key := in.Kind + "\x00" + in.When + "\x00" + in.Title
		if have[key] {
			continue
		}
		have[key] = true
		r := &caio.AdvisorRule{ID: id, Kind: in.Kind, Title: in.Title, Statement: in.Statement, When: in.When, Reason: in.Reason, Due: in.Due,
			DueSource: in.DueSource, References: in.References, OwnerRole: in.OwnerRole, Link: in.Link, Impact: in.Impact,
			Enabled: *in.Enabled, CreatedBy: a.Label()}
		if err := c.CreateAdvisorRule(ctx, a.OrgID, r); err != nil {
			return err
		}
		after := r.Fields()
		after["from"] = "engagement template"
		if err := record(ctx, c, a, "advisor_rule.create", "advisor_rule", r.ID, caio.Diff(nil, after)); err != nil {
			return err
		}
		changed = true
	}
	off, err := c.BuiltinsOff(ctx, a.OrgID)
	if err != nil {
		return err
	}
	for i, o := range part.Off {
		reason := strings.TrimSpace(o.Reason)
		at := "switched-off built-in rule " + strconv.Itoa(i+1)
		switch _, known := advBuiltins()[o.ID]; {
		case !known:
			return caio.FieldError("template", at+" names "+strconv.Quote(truncate(o.ID, 80))+", which is not a built-in rule of caio")
		case reason == "" || len([]rune(reason)) > caio.MaxAdviceReason:
			return caio.FieldError("template", at+" ("+o.ID+") needs a reason of 1 to "+strconv.Itoa(caio.MaxAdviceReason)+" characters")
		case off[o.ID] != nil:
			continue // switched off here already, with this organisation's reason
		}
		if err := c.PutBuiltinOff(ctx, a.OrgID, o.ID, reason, a.UserID, a.Label()); err != nil {
			return err
		}
		off[o.ID] = &caio.AdvisorRule{ID: o.ID}
		if err := record(ctx, c, a, "advisor_builtin.disable", "advisor_rule", o.ID, caio.Diff(map[string]any{"enabled": true},
			map[string]any{"enabled": false, "reason": reason, "from": "engagement template"})); err != nil {
			return err
		}
		changed = true
	}
	if !changed {
		return nil
	}
	return c.BumpAdvisorRules(ctx, a.OrgID)
}
