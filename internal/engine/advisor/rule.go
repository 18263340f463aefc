package advisor

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Kinds lists the kinds of object a rule can be about, in the order the
// advisor evaluates them. A rule of kind K reads the variable named K (see
// KindVariable); every rule also reads org and today.
//
//   - org: the organisation once (variable org only)
//   - system: each AI system (system)
//   - control: each control of each system (control, and its system)
//   - use_case: each use case (use_case)
//   - vendor: each vendor (vendor)
//   - risk: each risk (risk)
//   - incident: each incident (incident)
//   - policy: each policy (policy)
//   - assessment: each submitted assessment (assessment)
var Kinds = []string{"org", "system", "control", "use_case", "vendor", "risk", "incident", "policy", "assessment"}

// OwnerRoles lists the role names a rule may give as OwnerRole: the roles
// of caio (role.go).
var OwnerRoles = []string{"owner", "admin", "editor", "contributor", "approver", "viewer"}

// Limits of a rule, checked by CheckRule and Compile. MaxCost is both the
// highest estimated cost of an expression accepted before saving and the
// cost at which an evaluation is stopped at run time; the cost counts the
// steps CEL takes (roughly one per comparison, field read or list element).
const (
	MaxCost         = 10000
	MaxExpression   = 2000 // characters in when and due
	MaxText         = 2000 // characters in title, reason and link
	MaxReferences   = 10
	MaxReferenceLen = 200
)

// Rule is one advice rule: built-in (content/rules.yaml) or an
// organisation's own. It says when an object needs something done, what,
// why, by when and by whom.
//
// Title, Reason and Link are templates: text with placeholders in braces.
// A placeholder is either a field of the object ({name}, {stage}) or any CEL
// expression over the same variables as When ({system.controls['eu-ai-act/art9'].status},
// {org.name}, {today}), plus due, the date the rule's Due gave. Lists print
// as their items separated by commas, booleans as yes or no. Write {{ and }}
// for literal braces. In Link every placeholder value is path-escaped.
type Rule struct {
	// ID is unique among the rules of one organisation: lower-case letters,
	// digits, '-', '_' and '.', at most 64 characters.
	ID string `json:"id" yaml:"id"`
	// Kind is one of Kinds: the objects the rule is evaluated on.
	Kind string `json:"kind" yaml:"kind"`
	// Title says what to do and may name the object: "Classify {name}".
	Title string `json:"title" yaml:"title"`
	// Statement is the rule in one plain sentence, shown as part of the
	// reason: "Every AI system in use is classified under the EU AI Act."
	Statement string `json:"statement" yaml:"statement"`
	// When is a CEL expression returning bool: true when the object needs
	// the action.
	When string `json:"when" yaml:"when"`
	// Reason is a template giving the facts that make the rule fire.
	Reason string `json:"reason" yaml:"reason"`
	// Due is an optional CEL expression returning a YYYY-MM-DD string, or ""
	// for no due date. Empty Due means no due date.
	Due string `json:"due,omitempty" yaml:"due,omitempty"`
	// DueSource says where the date comes from: "EU AI Act Art 113:
	// high-risk obligations apply", "review date", "Art 73 reporting clock".
	DueSource string `json:"due_source,omitempty" yaml:"due_source,omitempty"`
	// References are legal or framework references, such as "EU AI Act Art 9".
	References []string `json:"references,omitempty" yaml:"references,omitempty"`
	// OwnerRole is the caio role (one of OwnerRoles) that should act.
	OwnerRole string `json:"owner_role" yaml:"owner_role"`
	// Link is a path template of the page where the action is done, such
	// as "/systems/{id}/classify".
	Link string `json:"link" yaml:"link"`
	// Impact is 1 (small) to 5 (severe): what is at stake if nothing is done.
	Impact int `json:"impact" yaml:"impact"`
	// BuiltIn is true for the rules shipped with caio (BuiltIns).
	BuiltIn bool `json:"built_in" yaml:"-"`
}

// Action is one next best action: a rule that fired on one object.
type Action struct {
	// Key is stable across evaluations: the rule ID, "/", and the object ID.
	// It is what the application remembers when an action is accepted,
	// snoozed or dismissed.
	Key    string `json:"key"`
	RuleID string `json:"rule_id"`
	// Title says what to do; Reason gives the facts; Rule is the rule's
	// Statement; References its references.
	Title      string   `json:"title"`
	Reason     string   `json:"reason"`
	Rule       string   `json:"rule"`
	References []string `json:"references"`
	// Due is YYYY-MM-DD or "" for no due date; DueSource says where it
	// comes from.
	Due       string `json:"due"`
	DueSource string `json:"due_source"`
	// OwnerRole is the role that should act; Owner is the object's owner
	// as recorded on it (a name or e-mail address) or "".
	OwnerRole string `json:"owner_role"`
	Owner     string `json:"owner"`
	// Link is the path of the page where the action is done.
	Link string `json:"link"`
	// ObjectKind is the rule's Kind; ObjectID and ObjectName identify the
	// object (for a control: the control's ID and "system name: item").
	ObjectKind string `json:"object_kind"`
	ObjectID   string `json:"object_id"`
	ObjectName string `json:"object_name"`
	// Impact is the rule's; Urgency follows from Due and today (see
	// Urgency); Score is Urgency × Impact, the ranking key.
	Impact  int     `json:"impact"`
	Urgency int     `json:"urgency"`
	Score   float64 `json:"score"`
}

// Urgency grades a due date against today: 5 when overdue (due before
// today), 4 when due within 30 days, 3 within 90 days, 2 within a year, and
// 1 later or without a due date. Dates are YYYY-MM-DD.
func Urgency(due, today string) int {
	if due == "" {
		return 1
	}
	d, ok1 := parseDate(due)
	t, ok2 := parseDate(today)
	if !ok1 || !ok2 {
		return 1
	}
	days := int(d.Sub(t).Hours() / 24)
	switch {
	case days < 0:
		return 5
	case days <= 30:
		return 4
	case days <= 90:
		return 3
	case days <= 365:
		return 2
	}
	return 1
}

// RuleError is one problem with one rule, precise enough for its author
// to fix it. Field is the rule's JSON field name ("when", "due", "title",
// "reason", "link", "kind", ...); Line and Column (both from 1) locate the
// problem in that field's text when it has a position, else they are 0.
type RuleError struct {
	RuleID  string `json:"rule_id"`
	Field   string `json:"field"`
	Line    int    `json:"line,omitempty"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

// Error returns "rule ID, field F, line L, column C: message".
func (e *RuleError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "rule %q, %s", e.RuleID, e.Field)
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d, column %d", e.Line, e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	return b.String()
}

// RuleErrors is every problem found in a set of rules. Compile and
// CheckRule return it; errors.As finds each *RuleError in it.
type RuleErrors []*RuleError

// Error joins the messages, one per line.
func (es RuleErrors) Error() string {
	s := make([]string, len(es))
	for i, e := range es {
		s[i] = e.Error()
	}
	return strings.Join(s, "\n")
}

// Unwrap returns each *RuleError, so errors.As and errors.Is see them.
func (es RuleErrors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// AsRuleErrors returns the rule errors inside err (a RuleErrors, a single
// *RuleError, or either wrapped), or nil if there are none.
func AsRuleErrors(err error) []*RuleError {
	var es RuleErrors
	if errors.As(err, &es) {
		return es
	}
	var e *RuleError
	if errors.As(err, &e) {
		return []*RuleError{e}
	}
	return nil
}

// parseDate reads a YYYY-MM-DD date.
func parseDate(s string) (time.Time, bool) {
	if len(s) != 10 {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	return t, err == nil
}
