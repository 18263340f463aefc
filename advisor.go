package caio

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The advisor, caio's virtual Chief AI Officer: it reads the organisation's
// state and proposes the next best actions, each with what to do, why (the
// rule, its reason and references), by when (and what sets that date), who
// should do it and where it is done. People act on an action: they accept
// it (it becomes a Task with an owner and a due date), snooze it until a
// date, or dismiss it with a reason; the advisor remembers. Rules are data:
// built-in ones ship with caio and may be switched off with a reason, and an
// organisation adds its own in CEL.

// The states of an action as people left it. An action nobody acted on is
// open; a snooze ends by itself on its date.
const (
	AdviceOpen      = "open"
	AdviceAccepted  = "accepted"
	AdviceSnoozed   = "snoozed"
	AdviceDismissed = "dismissed"
)

// AdviceStates lists the states of an action in display order.
var AdviceStates = []string{AdviceOpen, AdviceAccepted, AdviceSnoozed, AdviceDismissed}

// TaskStatuses are the states of a task, in order.
var TaskStatuses = []string{"open", "done", "cancelled"}

// TaskSorts lists the accepted values of TaskFilter.Sort. "due" puts
// overdue tasks first and tasks without a due date last.
var TaskSorts = []string{"due", "-due", "-created", "created", "title", "-updated"}

// Limits of the advisor's text fields and lists.
const (
	MaxAdviceReason = 2000
	MaxRuleExpr     = 2000
	MaxRuleRefs     = 10
	// MaxSnoozeDays bounds how far ahead an action may be snoozed.
	MaxSnoozeDays = 366
)

// Advice is one next best action as a person sees it: what the engine
// proposes with the state people left it in.
type Advice struct {
	// Key names the action stably across evaluations: the rule and the
	// object it is about, "rule/object".
	Key    string `json:"key"`
	RuleID string `json:"rule_id"`
	// Rule is the rule that proposes the action, in one sentence; Custom is
	// true for the organisation's own rules.
	Rule   string `json:"rule"`
	Custom bool   `json:"custom"`
	Title  string `json:"title"`
	// Reason says why, from the facts of the object; References name the
	// legal or framework sources, such as "EU AI Act Art 9".
	Reason     string   `json:"reason"`
	References []string `json:"references"`
	// Due is the date it should be done by (YYYY-MM-DD, or ""); DueSource
	// says where that date comes from, such as an obligation's application
	// date or a review date.
	Due       string `json:"due"`
	DueSource string `json:"due_source"`
	// OwnerRole is who should do it by role; Owner the person named on the
	// object, when it names one.
	OwnerRole string `json:"owner_role"`
	Owner     string `json:"owner"`
	// Link is the page where it is done, such as /systems/sys_…/classify.
	Link       string `json:"link"`
	ObjectKind string `json:"object_kind"`
	ObjectID   string `json:"object_id"`
	ObjectName string `json:"object_name"`
	// Impact and Urgency are the two parts of Score, which ranks actions.
	Impact  int     `json:"impact"`
	Urgency int     `json:"urgency"`
	Score   float64 `json:"score"`
	// Overdue says the due date has passed.
	Overdue bool `json:"overdue"`
	// State is one of AdviceStates. StateReason is the reason of a snooze
	// or a dismissal; SnoozedUntil the date a snooze ends; TaskID and Task
	// the task an accepted action became.
	State        string     `json:"state"`
	StateReason  string     `json:"state_reason,omitempty"`
	SnoozedUntil string     `json:"snoozed_until,omitempty"`
	TaskID       string     `json:"task_id,omitempty"`
	Task         *Task      `json:"task,omitempty"`
	DecidedBy    string     `json:"decided_by,omitempty"`
	DecidedAt    *time.Time `json:"decided_at,omitempty"`
	// Mine says the action is for the person asking: its role is theirs,
	// the object names them, or its task is theirs.
	Mine bool `json:"mine"`
}

// AdviceState is what people did with one action, as stored.
type AdviceState struct {
	OrgID     string    `json:"org_id"`
	Key       string    `json:"key"`
	RuleID    string    `json:"rule_id"`
	ObjectID  string    `json:"object_id"`
	Title     string    `json:"title"`
	State     string    `json:"state"` // accepted, snoozed or dismissed
	TaskID    string    `json:"task_id,omitempty"`
	Until     string    `json:"until,omitempty"` // the day a snoozed action comes back
	Reason    string    `json:"reason,omitempty"`
	ByID      string    `json:"by_id,omitempty"`
	By        string    `json:"by"`
	At        time.Time `json:"at"`
	CreatedAt time.Time `json:"created_at"`
}

// SplitAdviceKey returns the rule and the object of an action's key.
func SplitAdviceKey(key string) (rule, object string, ok bool) {
	rule, object, ok = strings.Cut(key, "/")
	if !ok || rule == "" || object == "" || len(key) > 200 || strings.Contains(object, "/") {
		return "", "", false
	}
	return rule, object, true
}

// AdviceFilter selects actions. By default the list holds open and
// accepted actions; snoozed and dismissed ones are asked for.
type AdviceFilter struct {
	// Mine keeps the actions for the person asking (see Advice.Mine).
	Mine bool
	// Kind keeps actions about one kind of object, such as system; Rule
	// those of one rule.
	Kind *string
	Rule *string
	// State keeps actions of one state; when nil, IncludeSnoozed and
	// IncludeDismissed add those states to the open and accepted ones.
	State            *string
	IncludeSnoozed   bool
	IncludeDismissed bool
	Page
}

// Normalize checks the filter's values, naming the field of each problem.
func (f *AdviceFilter) Normalize() error {
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		return err
	}
	if f.State != nil && !slices.Contains(AdviceStates, *f.State) {
		return FieldError("state", "must be one of "+strings.Join(AdviceStates, ", "))
	}
	return nil
}

// AdviceList is one page of actions with what a home page counts.
type AdviceList struct {
	Items []*Advice `json:"items"`
	// Total is the number of actions that match, over all pages.
	Total int `json:"total"`
	// Counts are the actions of each state before the state and
	// pagination filters (after Mine, Kind and Rule).
	Counts map[string]int `json:"counts"`
	// Today is the date the rules were evaluated on.
	Today string `json:"today"`
	// Rules counts the rules evaluated. Problems name the rules that could
	// not be compiled or failed on some object: the others still advise.
	Rules    int      `json:"rules"`
	Problems []string `json:"problems,omitempty"`
}

// AcceptInput says who does an accepted action and by when.
type AcceptInput struct {
	// OwnerID is the member who will do it; empty means the person accepting.
	OwnerID string `json:"owner_id"`
	// Due is the task's due date; empty takes the action's.
	Due string `json:"due"`
}

// SnoozeInput puts an action aside until a date.
type SnoozeInput struct {
	Until  string `json:"until"`
	Reason string `json:"reason"`
}

// Normalize checks the date (after today, at most MaxSnoozeDays ahead) and
// the reason. today is YYYY-MM-DD.
func (in *SnoozeInput) Normalize(today string) error {
	var v Validation
	checkText(&v, textRule{"until", &in.Until, 10}, textRule{"reason", &in.Reason, MaxAdviceReason})
	switch {
	case in.Until == "" && !v.has("until"):
		v.Add("until", "is required: the date the action comes back, YYYY-MM-DD")
	case !v.has("until"):
		checkDate(&v, "until", in.Until)
		if !v.has("until") {
			t, _ := time.Parse(time.DateOnly, in.Until)
			d, _ := time.Parse(time.DateOnly, today)
			if !t.After(d) {
				v.Add("until", "must be after today ("+today+")")
			} else if t.Sub(d) > MaxSnoozeDays*24*time.Hour {
				v.Add("until", "must be at most "+strconv.Itoa(MaxSnoozeDays)+" days ahead; dismiss the action instead")
			}
		}
	}
	if in.Reason == "" && !v.has("reason") {
		v.Add("reason", "is required: say why it can wait")
	}
	return v.Err()
}

// Task is a piece of work with an owner and a due date, usually an
// accepted action.
type Task struct {
	ID          string `json:"id"`
	OrgID       string `json:"org_id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// OwnerID is the member who does it, or "" when nobody does yet;
	// OwnerName and OwnerEmail are filled when read.
	OwnerID    string `json:"owner_id"`
	OwnerName  string `json:"owner_name"`
	OwnerEmail string `json:"owner_email"`
	Due        string `json:"due"`    // YYYY-MM-DD, or ""
	Status     string `json:"status"` // one of TaskStatuses
	// SourceKey and RuleID name the action it was accepted from, "" for a
	// task made by hand; Link is where the work is done.
	SourceKey   string     `json:"source_key"`
	RuleID      string     `json:"rule_id"`
	Link        string     `json:"link"`
	CreatedBy   string     `json:"created_by"`
	Version     int        `json:"version"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
	CompletedAt *time.Time `json:"completed_at,omitempty"`
	// Overdue says the task is open and its due date has passed; filled
	// when read.
	Overdue bool `json:"overdue"`
}

// Fields returns the task's editable fields, for audit diffs.
func (t *Task) Fields() map[string]any {
	return map[string]any{"title": t.Title, "description": t.Description, "owner_id": t.OwnerID, "due": t.Due,
		"status": t.Status, "link": t.Link, "source_key": t.SourceKey}
}

// Input returns the task's editable fields as an input.
func (t *Task) Input() TaskInput {
	return TaskInput{Title: t.Title, Description: t.Description, OwnerID: t.OwnerID, Due: t.Due, Status: t.Status, Link: t.Link}
}

// TaskInput is what a person may set on a task.
type TaskInput struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	OwnerID     string `json:"owner_id"`
	Due         string `json:"due"`
	Status      string `json:"status"`
	Link        string `json:"link"`
}

// Normalize trims the input, fills the default status and returns an
// EINVALID error naming every field to fix.
func (in *TaskInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"title", &in.Title, 200}, textRule{"description", &in.Description, 10000},
		textRule{"owner_id", &in.OwnerID, 64}, textRule{"due", &in.Due, 10}, textRule{"link", &in.Link, 500})
	if in.Title == "" && !v.has("title") {
		v.Add("title", "is required")
	}
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	if in.Status == "" {
		in.Status = "open"
	} else if !slices.Contains(TaskStatuses, in.Status) {
		v.Add("status", "must be one of "+strings.Join(TaskStatuses, ", "))
	}
	if in.OwnerID != "" && !v.has("owner_id") && !ValidID("usr", in.OwnerID) {
		v.Add("owner_id", "must be empty or the id of a member, usr_…")
	}
	checkDate(&v, "due", in.Due)
	if in.Link != "" && !v.has("link") && !LocalLink(in.Link) {
		v.Add("link", "must be a page of caio, starting with /, such as /systems")
	}
	return v.Err()
}

// LocalLink reports whether s is a path of caio's own pages: it starts
// with one slash and holds no scheme, so a link cannot lead elsewhere.
func LocalLink(s string) bool {
	return strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//") && !strings.ContainsAny(s, "\\ \t\r\n\"'<>")
}

// TaskFilter selects tasks. Nil fields do not filter.
type TaskFilter struct {
	// Mine keeps the tasks owned by the person asking; OwnerID those of
	// one member.
	Mine    bool
	OwnerID *string
	// Status keeps tasks of one of TaskStatuses; Overdue those open and
	// past their due date.
	Status  *string
	Overdue *bool
	// SourceKey keeps the tasks accepted from one action.
	SourceKey *string
	Sort      string
	Page
}

// Normalize checks the filter's values, naming the field of each problem.
func (f *TaskFilter) Normalize() error {
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		return err
	}
	var v Validation
	if f.Sort != "" && !slices.Contains(TaskSorts, f.Sort) {
		v.Add("sort", "must be one of "+strings.Join(TaskSorts, ", "))
	}
	if f.Status != nil && !slices.Contains(TaskStatuses, *f.Status) {
		v.Add("status", "must be one of "+strings.Join(TaskStatuses, ", "))
	}
	return v.Err()
}

// AdvisorRule is a rule of the advisor: a built-in one or one of the
// organisation's own, written in CEL. When is the condition over one object
// of Kind; Title, Reason and Link may hold {expr} placeholders; Due is an
// expression for the due date. See docs/advisor-rules.md.
type AdvisorRule struct {
	ID         string   `json:"id"`
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
	BuiltIn    bool     `json:"built_in"`
	// Enabled says the rule runs: an organisation's rule may be saved
	// disabled; a built-in one is switched off with OffReason.
	Enabled   bool       `json:"enabled"`
	OffReason string     `json:"off_reason,omitempty"`
	OffBy     string     `json:"off_by,omitempty"`
	OffAt     *time.Time `json:"off_at,omitempty"`
	Version   int        `json:"version,omitempty"`
	CreatedBy string     `json:"created_by,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	CreatedAt *time.Time `json:"created_at,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// Fields returns the rule's editable fields, for audit diffs.
func (r *AdvisorRule) Fields() map[string]any {
	return map[string]any{"kind": r.Kind, "title": r.Title, "statement": r.Statement, "when": r.When, "reason": r.Reason, "due": r.Due,
		"due_source": r.DueSource, "references": strings.Join(r.References, "\n"), "owner_role": r.OwnerRole,
		"link": r.Link, "impact": r.Impact, "enabled": r.Enabled}
}

// Input returns the rule's editable fields as an input.
func (r *AdvisorRule) Input() AdvisorRuleInput {
	on := r.Enabled
	return AdvisorRuleInput{Kind: r.Kind, Title: r.Title, Statement: r.Statement, When: r.When, Reason: r.Reason, Due: r.Due, DueSource: r.DueSource,
		References: slices.Clone(r.References), OwnerRole: r.OwnerRole, Link: r.Link, Impact: r.Impact, Enabled: &on}
}

// AdvisorRuleInput is what a person may set on a rule of their own.
type AdvisorRuleInput struct {
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
	// Enabled defaults to true.
	Enabled *bool `json:"enabled"`
}

// Normalize trims the input and checks lengths, required fields and the
// impact, naming every field to fix. kinds are the kinds of object a rule
// may be about. The CEL itself is checked by the engine.
func (in *AdvisorRuleInput) Normalize(kinds []string) error {
	var v Validation
	checkText(&v, textRule{"title", &in.Title, 200}, textRule{"statement", &in.Statement, MaxAdviceReason}, textRule{"when", &in.When, MaxRuleExpr},
		textRule{"reason", &in.Reason, MaxAdviceReason}, textRule{"due", &in.Due, MaxRuleExpr},
		textRule{"due_source", &in.DueSource, 200}, textRule{"owner_role", &in.OwnerRole, 100},
		textRule{"link", &in.Link, 500})
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	if !slices.Contains(kinds, in.Kind) {
		v.Add("kind", "must be one of "+strings.Join(kinds, ", "))
	}
	if in.Title == "" && !v.has("title") {
		v.Add("title", "is required: say what to do, such as \"Name an owner for this system\"")
	}
	if in.Statement == "" && !v.has("statement") {
		v.Add("statement", "is required: the rule in one sentence, such as \"Every AI system in production has a named owner.\"")
	}
	if in.When == "" && !v.has("when") {
		v.Add("when", "is required: a CEL condition, such as system.owner == \"\"")
	}
	if in.Reason == "" && !v.has("reason") {
		v.Add("reason", "is required: say why it matters")
	}
	if in.Impact == 0 {
		in.Impact = 3
	}
	if in.Impact < 1 || in.Impact > 5 {
		v.Add("impact", "must be a whole number from 1 (low) to 5 (severe)")
	}
	var refs []string
	for _, r := range in.References {
		r = strings.TrimSpace(r)
		if r == "" || slices.Contains(refs, r) {
			continue
		}
		if len(r) > 200 {
			v.Add("references", "must each be at most 200 characters")
			break
		}
		refs = append(refs, r)
	}
	if len(refs) > MaxRuleRefs {
		v.Add("references", "must be at most "+strconv.Itoa(MaxRuleRefs))
	}
	in.References = refs
	if in.Link != "" && !v.has("link") && (!strings.HasPrefix(in.Link, "/") || strings.HasPrefix(in.Link, "//")) {
		v.Add("link", "must be a page of caio, starting with /, such as /systems/{id}")
	}
	if in.Enabled == nil {
		t := true
		in.Enabled = &t
	}
	return v.Err()
}

// RuleTrial is what trying a rule on the organisation's current data
// found, before it is saved.
type RuleTrial struct {
	// Matches are the first actions the rule proposes; Total how many it
	// proposes in all; Evaluated how many objects it was evaluated on.
	Matches   []*Advice `json:"matches"`
	Total     int       `json:"total"`
	Evaluated int       `json:"evaluated"`
}

// AdvisorService gives each member the next best actions of their
// organisation and remembers what they did with them. Reading advice and
// tasks needs PermRead; accepting, snoozing, dismissing and reopening an
// action, creating tasks and working one's own tasks need PermContribute;
// changing anyone's task, rules and built-in switches need PermEdit. Every
// change is one event in the audit trail. Keys and IDs of another
// organisation are reported as not found.
type AdvisorService interface {
	// Advise evaluates the enabled rules on the organisation's current
	// state and returns a page of actions, ranked by score, with their
	// states. EINVALID names a bad filter value.
	Advise(ctx context.Context, f AdviceFilter) (*AdviceList, error)
	// AcceptAction turns a current action into an open task owned by a
	// member (by default the caller) due on the action's date unless told
	// otherwise. ENOTFOUND when no current action has the key; ECONFLICT
	// when it is already accepted.
	AcceptAction(ctx context.Context, key string, in AcceptInput) (*Task, error)
	// SnoozeAction hides a current action until a date, with a reason.
	SnoozeAction(ctx context.Context, key string, in SnoozeInput) (*AdviceState, error)
	// DismissAction hides a current action for good, with a reason.
	DismissAction(ctx context.Context, key, reason string) (*AdviceState, error)
	// ReopenAction forgets what was done with an action (its task stays).
	// ENOTFOUND when nothing was done with it.
	ReopenAction(ctx context.Context, key string) error
	// FindTasks returns a page of tasks and the total that match.
	FindTasks(ctx context.Context, f TaskFilter) ([]*Task, int, error)
	// FindTask returns one task, or ENOTFOUND.
	FindTask(ctx context.Context, id string) (*Task, error)
	// CreateTask adds a task by hand.
	CreateTask(ctx context.Context, in TaskInput) (*Task, error)
	// UpdateTask replaces a task's fields. A contributor may change only
	// tasks they own and may not give them away. A version other than 0
	// that differs from the stored one is ECONFLICT.
	UpdateTask(ctx context.Context, id string, version int, in TaskInput) (*Task, error)
	// CompleteTask marks a task done.
	CompleteTask(ctx context.Context, id string) (*Task, error)
	// DeleteTask removes a task (PermEdit).
	DeleteTask(ctx context.Context, id string) error
	// AdvisorRules returns the built-in rules with their switches and the
	// organisation's own rules.
	AdvisorRules(ctx context.Context) (builtins, own []*AdvisorRule, err error)
	// FindAdvisorRule returns one of the organisation's rules, or ENOTFOUND.
	FindAdvisorRule(ctx context.Context, id string) (*AdvisorRule, error)
	// CreateAdvisorRule checks and stores a rule; EINVALID names each
	// field, with the line and column of a CEL problem.
	CreateAdvisorRule(ctx context.Context, in AdvisorRuleInput) (*AdvisorRule, error)
	// UpdateAdvisorRule checks and replaces a rule.
	UpdateAdvisorRule(ctx context.Context, id string, version int, in AdvisorRuleInput) (*AdvisorRule, error)
	// DeleteAdvisorRule removes a rule; what people did with its actions is forgotten.
	DeleteAdvisorRule(ctx context.Context, id string) error
	// TryRule checks a rule and evaluates it on the organisation's current
	// data without saving it.
	TryRule(ctx context.Context, in AdvisorRuleInput) (*RuleTrial, error)
	// DisableBuiltin switches a built-in rule off for the organisation,
	// with a reason; EnableBuiltin switches it on again.
	DisableBuiltin(ctx context.Context, id, reason string) (*AdvisorRule, error)
	EnableBuiltin(ctx context.Context, id string) (*AdvisorRule, error)
}
