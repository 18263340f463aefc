package advisor

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/cost"
	"cel.dev/cel-go/common/types"
)

// Program is a set of compiled rules, ready to evaluate. It is safe for
// concurrent use.
type Program struct {
	rules []*compiled
	byID  map[string]*compiled
}

// compiled is one rule ready to run.
type compiled struct {
	rule                Rule
	index               int
	when, due           cel.Program
	title, reason, link []part
}

// part is a piece of a compiled template: text, or a program whose value
// is printed.
type part struct {
	text string
	prg  cel.Program
}

var ruleIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9_.-]{0,63}$`)

// Compile compiles rules into a Program. It reports every problem of every
// rule at once, as a RuleErrors; the Program it returns then holds the rules
// that compiled, so that a caller may keep advising while it shows the
// errors. Two rules with the same ID are an error of the second.
func Compile(rules []Rule) (*Program, error) {
	p := &Program{byID: make(map[string]*compiled, len(rules))}
	var errs RuleErrors
	for i, r := range rules {
		if _, dup := p.byID[r.ID]; dup {
			errs = append(errs, &RuleError{RuleID: r.ID, Field: "id", Message: "another rule already has this ID: give each rule its own"})
			continue
		}
		c, es := compileRule(r)
		if len(es) > 0 {
			errs = append(errs, es...)
			continue
		}
		c.index = i
		p.rules = append(p.rules, c)
		p.byID[r.ID] = c
	}
	if len(errs) > 0 {
		return p, errs
	}
	return p, nil
}

// CheckRule reports every problem of one rule before it is saved: missing
// or malformed fields, CEL that does not compile, reads a field that does
// not exist, returns the wrong type or may cost more than MaxCost, and
// template placeholders that do not compile. It returns nil or a
// RuleErrors.
func CheckRule(r Rule) error {
	_, es := compileRule(r)
	if len(es) > 0 {
		return es
	}
	return nil
}

// Rules returns the compiled rules in the order they were given.
func (p *Program) Rules() []Rule {
	out := make([]Rule, len(p.rules))
	for i, c := range p.rules {
		out[i] = c.rule
	}
	return out
}

// Rule returns the compiled rule with the ID, if there is one.
func (p *Program) Rule(id string) (Rule, bool) {
	c, ok := p.byID[id]
	if !ok {
		return Rule{}, false
	}
	return c.rule, true
}

func compileRule(r Rule) (*compiled, RuleErrors) {
	var errs RuleErrors
	bad := func(field, msg string) {
		errs = append(errs, &RuleError{RuleID: r.ID, Field: field, Message: msg})
	}
	if !ruleIDPattern.MatchString(r.ID) {
		bad("id", "must be 1 to 64 lower-case letters, digits, '-', '_' or '.', starting with a letter or digit")
	}
	kindOK := slices.Contains(Kinds, r.Kind)
	if !kindOK {
		bad("kind", "must be one of "+strings.Join(Kinds, ", "))
	}
	text := func(field, s string, required bool, max int) bool {
		switch {
		case required && strings.TrimSpace(s) == "":
			bad(field, "is required")
		case utf8.RuneCountInString(s) > max:
			bad(field, fmt.Sprintf("must be at most %d characters", max))
		case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
			bad(field, "must be text without control characters")
		default:
			return true
		}
		return false
	}
	titleOK := text("title", r.Title, true, MaxText)
	text("statement", r.Statement, true, MaxText)
	whenOK := text("when", r.When, true, MaxExpression)
	reasonOK := text("reason", r.Reason, true, MaxText)
	dueOK := text("due", r.Due, false, MaxExpression)
	text("due_source", r.DueSource, false, 200)
	linkOK := text("link", r.Link, true, MaxText)
	if linkOK && (!strings.HasPrefix(r.Link, "/") || strings.HasPrefix(r.Link, "//") || strings.ContainsAny(r.Link, " \t\r\n\\")) {
		bad("link", "must be a path of caio starting with /, such as /systems/{id}, without spaces")
		linkOK = false
	}
	if strings.TrimSpace(r.Due) != "" && strings.TrimSpace(r.DueSource) == "" {
		bad("due_source", "is required with a due date: say where the date comes from, such as \"review date\"")
	}
	if len(r.References) > MaxReferences {
		bad("references", fmt.Sprintf("must be at most %d", MaxReferences))
	}
	for _, ref := range r.References {
		if strings.TrimSpace(ref) == "" || utf8.RuneCountInString(ref) > MaxReferenceLen || !utf8.ValidString(ref) {
			bad("references", fmt.Sprintf("each reference must be 1 to %d characters", MaxReferenceLen))
			break
		}
	}
	if !slices.Contains(OwnerRoles, r.OwnerRole) {
		bad("owner_role", "must be one of "+strings.Join(OwnerRoles, ", "))
	}
	if r.Impact < 1 || r.Impact > 5 {
		bad("impact", "must be from 1 (small) to 5 (severe)")
	}
	if !kindOK {
		return nil, errs
	}
	e, err := kindEnvs(r.Kind)
	if err != nil {
		bad("kind", err.Error())
		return nil, errs
	}
	c := &compiled{rule: r}
	if whenOK {
		c.when = compileExpr(e.when, r, "when", r.When, cel.BoolType, &errs)
	}
	if dueOK && strings.TrimSpace(r.Due) != "" {
		c.due = compileExpr(e.when, r, "due", r.Due, cel.StringType, &errs)
	}
	if titleOK {
		c.title = compileTemplate(e.tmpl, r, "title", r.Title, false, &errs)
	}
	if reasonOK {
		c.reason = compileTemplate(e.tmpl, r, "reason", r.Reason, false, &errs)
	}
	if linkOK {
		c.link = compileTemplate(e.tmpl, r, "link", r.Link, true, &errs)
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return c, nil
}

// compileExpr compiles one CEL expression of a rule, checks its type and
// its estimated cost, and plans it with the run-time cost limit. want nil
// accepts any type. Positions are offset by line and col (both from 1) of
// where the expression starts in its field.
func compileExpr(env *cel.Env, r Rule, field, src string, want *cel.Type, errs *RuleErrors) cel.Program {
	return compileExprAt(env, r, field, src, want, 1, 1, errs)
}

func compileExprAt(env *cel.Env, r Rule, field, src string, want *cel.Type, line, col int, errs *RuleErrors) cel.Program {
	at := func(l, c int) (int, int) { // l, c from 1 within src
		if l <= 1 {
			return line, col + c - 1
		}
		return line + l - 1, c
	}
	ast, iss := env.Compile(src)
	if iss != nil && iss.Err() != nil {
		for _, e := range iss.Errors() {
			l, c := at(e.Location.Line(), e.Location.Column()+1)
			*errs = append(*errs, &RuleError{RuleID: r.ID, Field: field, Line: l, Column: c, Message: friendly(r.Kind, e.Message, src, e.Location.Line(), e.Location.Column())})
		}
		return nil
	}
	if want != nil && !ast.OutputType().IsExactType(want) && ast.OutputType() != types.DynType {
		what := "true or false (a bool)"
		if want == cel.StringType {
			what = "a date as text, such as '2026-08-02', or '' for none (a string)"
		}
		l, c := at(1, 1)
		*errs = append(*errs, &RuleError{RuleID: r.ID, Field: field, Line: l, Column: c,
			Message: fmt.Sprintf("must give %s, but gives %s", what, typeName(ast.OutputType()))})
		return nil
	}
	est, err := env.EstimateCost(ast, sizeEstimator{})
	if err != nil {
		l, c := at(1, 1)
		*errs = append(*errs, &RuleError{RuleID: r.ID, Field: field, Line: l, Column: c, Message: "its cost cannot be estimated: " + err.Error()})
		return nil
	}
	if est.Max > MaxCost {
		l, c := at(1, 1)
		*errs = append(*errs, &RuleError{RuleID: r.ID, Field: field, Line: l, Column: c,
			Message: fmt.Sprintf("may take up to %s steps on large data, more than the limit of %d: avoid loops inside loops and long lists", costString(est.Max), MaxCost)})
		return nil
	}
	prg, err := env.Program(ast, cel.CostLimit(MaxCost), cel.EvalOptions(cel.OptOptimize))
	if err != nil {
		l, c := at(1, 1)
		*errs = append(*errs, &RuleError{RuleID: r.ID, Field: field, Line: l, Column: c, Message: err.Error()})
		return nil
	}
	return prg
}

// compileTemplate compiles the placeholders of a template. A bare
// identifier naming a field of the rule's object stands for that field.
func compileTemplate(env *cel.Env, r Rule, field, src string, link bool, errs *RuleErrors) []part {
	segs, terr := parseTemplate(src)
	if terr != nil {
		*errs = append(*errs, &RuleError{RuleID: r.ID, Field: field, Line: terr.line, Column: terr.col, Message: terr.msg})
		return nil
	}
	vars := Variables(r.Kind)
	out := make([]part, 0, len(segs))
	n := len(*errs)
	for _, s := range segs {
		if !s.isExpr {
			out = append(out, part{text: s.text})
			continue
		}
		expr := strings.TrimSpace(s.expr)
		lead := len(s.expr) - len(strings.TrimLeft(s.expr, " \t"))
		if isIdent(expr) && !slices.Contains(vars, expr) && expr != "due" {
			if r.Kind == "org" || !hasField(r.Kind, expr) {
				obj := r.Kind
				if obj == "org" || obj == "" {
					obj = "org"
				}
				*errs = append(*errs, &RuleError{RuleID: r.ID, Field: field, Line: s.line, Column: s.col + lead,
					Message: fmt.Sprintf("{%s} is not a field of %s; its fields are %s (or write an expression such as {org.name})", expr, obj, strings.Join(fieldNames(obj), ", "))})
				continue
			}
			expr = r.Kind + "." + expr
		}
		prg := compileExprAt(env, r, field, expr, nil, s.line, s.col+lead, errs)
		out = append(out, part{prg: prg})
	}
	if len(*errs) > n {
		return nil
	}
	return out
}

// friendly rewrites CEL's messages for people who do not program.
func friendly(kind, msg, src string, line, col int) string {
	switch {
	case strings.HasPrefix(msg, "undefined field '"):
		name := strings.TrimSuffix(strings.TrimPrefix(msg, "undefined field '"), "'")
		obj := objectBefore(src, line, col)
		if obj != "" {
			return fmt.Sprintf("%s has no field %q; its fields are %s", obj, name, strings.Join(fieldNames(objKind(obj)), ", "))
		}
		return fmt.Sprintf("there is no field %q here; docs/advisor-rules.md lists the fields of each object", name)
	case strings.HasPrefix(msg, "undeclared reference to '"):
		name, _, _ := strings.Cut(strings.TrimPrefix(msg, "undeclared reference to '"), "'")
		return fmt.Sprintf("%q is not known: a rule about %s can read %s", name, kindWord(kind), strings.Join(Variables(kind), ", "))
	case strings.HasPrefix(msg, "found no matching overload"):
		return msg + " (the values do not fit: compare text with text in quotes, numbers with numbers, and dates as 'YYYY-MM-DD' text)"
	case strings.HasPrefix(msg, "Syntax error:"):
		return "the expression cannot be read: " + strings.TrimPrefix(msg, "Syntax error: ")
	}
	return msg
}

// objectBefore returns the variable read just before the position of an
// undefined field, such as system in "system.nme", or "".
func objectBefore(src string, line, col int) string {
	lines := strings.Split(src, "\n")
	if line < 1 || line > len(lines) {
		return ""
	}
	l := []rune(lines[line-1])
	if col > len(l) {
		col = len(l)
	}
	i := col - 1
	for i >= 0 && (l[i] == '.' || l[i] == ' ') {
		i--
	}
	end := i + 1
	for i >= 0 && (l[i] == '_' || (l[i] >= 'a' && l[i] <= 'z') || (l[i] >= '0' && l[i] <= '9')) {
		i--
	}
	if i >= 0 && l[i] == '.' { // a field of a field: unknown object
		return ""
	}
	name := string(l[i+1 : end])
	if objKind(name) == "" {
		return ""
	}
	return name
}

// objKind maps a variable name to its kind, or "".
func objKind(name string) string {
	if _, ok := kindStruct[name]; ok {
		return name
	}
	return ""
}

func kindWord(kind string) string {
	if kind == "org" {
		return "the organisation"
	}
	return "each " + strings.ReplaceAll(kind, "_", " ")
}

func typeName(t *cel.Type) string {
	switch {
	case t.IsExactType(cel.BoolType):
		return "true or false (a bool)"
	case t.IsExactType(cel.StringType):
		return "text (a string)"
	case t.IsExactType(cel.IntType):
		return "a number (an int)"
	}
	return "a " + t.String()
}

func costString(n uint64) string {
	if n > 1e12 {
		return "unlimited"
	}
	return fmt.Sprintf("%d", n)
}

// sizeEstimator bounds the data rules read, for the cost estimate: lists
// and maps of the facts hold at most 200 entries and text at most 1,000
// characters.
type sizeEstimator struct{}

func (sizeEstimator) EstimateSize(n cost.AstNode) *cost.SizeEstimate {
	if len(n.Path()) == 0 {
		return nil
	}
	switch n.Type().Kind() {
	case types.ListKind, types.MapKind:
		return &cost.SizeEstimate{Min: 0, Max: 200}
	case types.StringKind:
		return &cost.SizeEstimate{Min: 0, Max: 1000}
	}
	return nil
}

func (sizeEstimator) EstimateCallCost(function, overloadID string, target *cost.AstNode, args []cost.AstNode) *cost.CallEstimate {
	return nil
}
