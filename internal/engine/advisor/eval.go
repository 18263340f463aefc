package advisor

import (
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"
	"cel.dev/cel-go/common/types/traits"
	"cel.dev/cel-go/interpreter"
)

// ErrUnknownRule is returned by Try for a rule ID the program does not hold.
var ErrUnknownRule = errors.New("advisor: no compiled rule with this ID")

// Evaluate runs every rule over the facts and returns the actions, ranked:
// highest Score (Urgency × Impact) first, then the earliest due date (dated
// before undated), then the higher impact, then the rules' order, then the
// objects' order in the facts. Objects are spread over all cores.
//
// A rule that fails at run time on an object (it exceeds MaxCost, its due
// is not a date, it reads a map key that is absent) gives no action for
// that object; Evaluate still returns every other action, and err is a
// RuleErrors naming each failing rule once with the first object it failed on.
func (p *Program) Evaluate(f *Facts) ([]Action, error) {
	return p.run(f, p.rules, 0)
}

// Try runs one rule of the program over the facts, for the "try it before
// saving" page: matches holds its first limit actions (all if limit <= 0)
// in rank order, evaluated the number of objects it was run on, and err a
// RuleErrors of run-time problems, or ErrUnknownRule.
func (p *Program) Try(ruleID string, f *Facts, limit int) (matches []Action, evaluated int, err error) {
	c, ok := p.byID[ruleID]
	if !ok {
		return nil, 0, ErrUnknownRule
	}
	evaluated = countObjects(f, c.rule.Kind)
	matches, err = p.run(f, []*compiled{c}, limit)
	return matches, evaluated, err
}

// object is one thing rules are evaluated on, converted for CEL once.
type object struct {
	id, name, owner string
	val, sys        ref.Val
}

// ranked is an action with its sort keys.
type ranked struct {
	Action
	rule, obj int
}

func countObjects(f *Facts, kind string) int {
	switch kind {
	case "org":
		return 1
	case "system":
		return len(f.Systems)
	case "control":
		n := 0
		for i := range f.Systems {
			n += len(f.Systems[i].Controls)
		}
		return n
	case "use_case":
		return len(f.UseCases)
	case "vendor":
		return len(f.Vendors)
	case "risk":
		return len(f.Risks)
	case "incident":
		return len(f.Incidents)
	case "policy":
		return len(f.Policies)
	case "assessment":
		return len(f.Assessments)
	}
	return 0
}

// objects lists the objects of a kind, converted for CEL.
func objects(f *Facts, kind string, adapt func(any) ref.Val) []object {
	switch kind {
	case "org":
		return []object{{id: f.Org.ID, name: f.Org.Name, val: adapt(&f.Org)}}
	case "system":
		out := make([]object, len(f.Systems))
		for i := range f.Systems {
			s := &f.Systems[i]
			out[i] = object{id: s.ID, name: s.Name, owner: s.Owner, val: adapt(s)}
		}
		return out
	case "control":
		out := make([]object, 0, countObjects(f, kind))
		keys := make([]string, 0, 64)
		for i := range f.Systems {
			s := &f.Systems[i]
			if len(s.Controls) == 0 {
				continue
			}
			sv := adapt(s)
			keys = keys[:0]
			for k := range s.Controls {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			for _, k := range keys {
				c := s.Controls[k]
				owner := c.Owner
				if owner == "" {
					owner = s.Owner
				}
				label := c.Title
				if label == "" {
					label = k
				}
				id := c.ID
				if id == "" {
					id = s.ID + ":" + k
				}
				out = append(out, object{id: id, name: s.Name + ": " + label, owner: owner, val: adapt(&c), sys: sv})
			}
		}
		return out
	case "use_case":
		out := make([]object, len(f.UseCases))
		for i := range f.UseCases {
			u := &f.UseCases[i]
			out[i] = object{id: u.ID, name: u.Title, owner: u.Owner, val: adapt(u)}
		}
		return out
	case "vendor":
		out := make([]object, len(f.Vendors))
		for i := range f.Vendors {
			v := &f.Vendors[i]
			out[i] = object{id: v.ID, name: v.Name, val: adapt(v)}
		}
		return out
	case "risk":
		out := make([]object, len(f.Risks))
		for i := range f.Risks {
			r := &f.Risks[i]
			out[i] = object{id: r.ID, name: r.Title, owner: r.Owner, val: adapt(r)}
		}
		return out
	case "incident":
		out := make([]object, len(f.Incidents))
		for i := range f.Incidents {
			r := &f.Incidents[i]
			out[i] = object{id: r.ID, name: r.Title, owner: r.Owner, val: adapt(r)}
		}
		return out
	case "policy":
		out := make([]object, len(f.Policies))
		for i := range f.Policies {
			r := &f.Policies[i]
			out[i] = object{id: r.ID, name: r.Title, owner: r.Owner, val: adapt(r)}
		}
		return out
	case "assessment":
		out := make([]object, len(f.Assessments))
		for i := range f.Assessments {
			r := &f.Assessments[i]
			name := r.Kind + " assessment"
			if r.Subject != "" {
				name += " of " + r.Subject
			}
			out[i] = object{id: r.ID, name: name, val: adapt(r)}
		}
		return out
	}
	return nil
}

// activation binds the variables of one evaluation.
type activation struct {
	kind      string
	obj, sys  ref.Val
	org       ref.Val
	today     ref.Val
	due       ref.Val
	hasObject bool
}

func (a *activation) ResolveName(name string) (any, bool) {
	switch name {
	case "org":
		return a.org, true
	case "today":
		return a.today, true
	case "due":
		return a.due, a.due != nil
	case "system":
		if a.kind == "control" {
			return a.sys, true
		}
	}
	if a.hasObject && name == a.kind {
		return a.obj, true
	}
	return nil, false
}

func (a *activation) Parent() interpreter.Activation { return nil }

// run evaluates rules over the facts, in parallel over objects.
func (p *Program) run(f *Facts, rules []*compiled, limit int) ([]Action, error) {
	if f == nil {
		return nil, errors.New("advisor: no facts")
	}
	byKind := make(map[string][]*compiled)
	for _, c := range rules {
		byKind[c.rule.Kind] = append(byKind[c.rule.Kind], c)
	}
	env, err := kindEnvs("org")
	if err != nil {
		return nil, err
	}
	adapter := env.when.CELTypeAdapter()
	adapt := func(v any) ref.Val { return adapter.NativeToValue(v) }
	org := adapt(&f.Org)
	today := types.String(f.Org.Today)

	type job struct {
		kind  string
		rules []*compiled
		objs  []object
		from  int
		to    int
	}
	var jobs []job
	workers := runtime.GOMAXPROCS(0)
	for _, k := range Kinds {
		rs := byKind[k]
		if len(rs) == 0 {
			continue
		}
		objs := objects(f, k, adapt)
		chunk := max(64, (len(objs)+workers*4-1)/(workers*4))
		for from := 0; from < len(objs); from += chunk {
			jobs = append(jobs, job{kind: k, rules: rs, objs: objs, from: from, to: min(from+chunk, len(objs))})
		}
	}
	results := make([][]ranked, len(jobs))
	failures := make([]RuleErrors, len(jobs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(workers, max(1, len(jobs))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range next {
				jb := jobs[j]
				act := &activation{kind: jb.kind, org: org, today: today, hasObject: jb.kind != "org"}
				failed := map[string]bool{}
				for oi := jb.from; oi < jb.to; oi++ {
					o := &jb.objs[oi]
					act.obj, act.sys = o.val, o.sys
					for _, c := range jb.rules {
						a, ok, rerr := c.eval(act, o, f.Org.Today)
						if rerr != nil {
							if !failed[c.rule.ID] {
								failed[c.rule.ID] = true
								failures[j] = append(failures[j], rerr)
							}
						}
						if ok {
							results[j] = append(results[j], ranked{Action: a, rule: c.index, obj: oi})
						}
					}
				}
			}
		}()
	}
	for j := range jobs {
		next <- j
	}
	close(next)
	wg.Wait()

	n := 0
	for _, r := range results {
		n += len(r)
	}
	all := make([]ranked, 0, n)
	for _, r := range results {
		all = append(all, r...)
	}
	slices.SortFunc(all, compareRanked)
	if limit > 0 && len(all) > limit {
		all = all[:limit]
	}
	out := make([]Action, len(all))
	for i := range all {
		out[i] = all[i].Action
	}
	var errs RuleErrors
	seen := map[string]bool{}
	for _, fs := range failures {
		for _, e := range fs {
			if !seen[e.RuleID] {
				seen[e.RuleID] = true
				errs = append(errs, e)
			}
		}
	}
	if len(errs) > 0 {
		return out, errs
	}
	return out, nil
}

func compareRanked(a, b ranked) int {
	switch {
	case a.Score != b.Score:
		if a.Score > b.Score {
			return -1
		}
		return 1
	case a.Due != b.Due:
		if a.Due == "" {
			return 1
		}
		if b.Due == "" {
			return -1
		}
		return strings.Compare(a.Due, b.Due)
	case a.Impact != b.Impact:
		return b.Impact - a.Impact
	case a.rule != b.rule:
		return a.rule - b.rule
	case a.ObjectKind != b.ObjectKind:
		return slices.Index(Kinds, a.ObjectKind) - slices.Index(Kinds, b.ObjectKind)
	}
	return a.obj - b.obj
}

// eval runs one rule on one object: ok is true when it fires.
func (c *compiled) eval(act *activation, o *object, today string) (Action, bool, *RuleError) {
	act.due = nil
	v, _, err := c.when.Eval(act)
	if err != nil {
		return Action{}, false, c.runtimeError("when", o, err)
	}
	if b, isBool := v.(types.Bool); !isBool || !bool(b) {
		return Action{}, false, nil
	}
	r := &c.rule
	a := Action{
		Key: r.ID + "/" + o.id, RuleID: r.ID, Rule: r.Statement, References: r.References,
		DueSource: r.DueSource, OwnerRole: r.OwnerRole, Owner: o.owner,
		ObjectKind: r.Kind, ObjectID: o.id, ObjectName: o.name, Impact: r.Impact,
	}
	var rerr *RuleError
	if c.due != nil {
		dv, _, err := c.due.Eval(act)
		switch {
		case err != nil:
			rerr = c.runtimeError("due", o, err)
		default:
			s, _ := dv.Value().(string)
			if _, ok := parseDate(s); s != "" && !ok {
				rerr = &RuleError{RuleID: r.ID, Field: "due", Message: fmt.Sprintf("gave %q for %s, which is not a date YYYY-MM-DD", s, o.id)}
			} else {
				a.Due = s
			}
		}
	}
	if a.Due == "" {
		a.DueSource = ""
	}
	act.due = types.String(a.Due)
	a.Title = render(c.title, act, false)
	a.Reason = render(c.reason, act, false)
	a.Link = render(c.link, act, true)
	a.Urgency = Urgency(a.Due, today)
	a.Score = float64(a.Urgency * a.Impact)
	return a, true, rerr
}

func (c *compiled) runtimeError(field string, o *object, err error) *RuleError {
	msg := err.Error()
	if strings.Contains(msg, "cost limit exceeded") {
		msg = fmt.Sprintf("stopped on %s: it took more than %d steps", o.id, MaxCost)
	} else {
		msg = fmt.Sprintf("failed on %s: %s", o.id, msg)
	}
	return &RuleError{RuleID: c.rule.ID, Field: field, Message: msg}
}

// render prints a compiled template; a placeholder that fails prints "?".
func render(parts []part, act *activation, escape bool) string {
	var b strings.Builder
	for _, p := range parts {
		if p.prg == nil {
			b.WriteString(p.text)
			continue
		}
		v, _, err := p.prg.Eval(act)
		s := "?"
		if err == nil {
			s = format(v)
		}
		if escape {
			s = url.PathEscape(s)
		}
		b.WriteString(s)
	}
	return b.String()
}

// format prints a CEL value for people.
func format(v ref.Val) string {
	switch x := v.(type) {
	case types.String:
		return string(x)
	case types.Bool:
		if x {
			return "yes"
		}
		return "no"
	case types.Int:
		return strconv.FormatInt(int64(x), 10)
	case types.Double:
		return strconv.FormatFloat(float64(x), 'f', -1, 64)
	case types.Null:
		return ""
	}
	if l, ok := v.(traits.Lister); ok {
		n, _ := l.Size().(types.Int)
		if n == 0 {
			return "none"
		}
		parts := make([]string, 0, int(n))
		it := l.Iterator()
		for it.HasNext() == types.True {
			parts = append(parts, format(it.Next()))
		}
		return strings.Join(parts, ", ")
	}
	if m, ok := v.(traits.Mapper); ok {
		var keys []string
		it := m.Iterator()
		for it.HasNext() == types.True {
			keys = append(keys, format(it.Next()))
		}
		slices.Sort(keys)
		if len(keys) == 0 {
			return "none"
		}
		return strings.Join(keys, ", ")
	}
	return fmt.Sprint(v.Value())
}
