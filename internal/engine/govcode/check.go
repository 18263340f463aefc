package govcode

import (
	"fmt"
	"path"
	"slices"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/advisor"
	"github.com/caio-office/caio/internal/engine/euaiact"
)

// DefaultMinImpact is the impact from which an advisor action fails a
// check: 4 (high) and 5 (severe) are the rules whose neglect the EU AI Act
// sanctions or that block a system (classify it, stop a prohibited
// practice, put high-risk controls in place). An action whose due date has
// passed fails whatever its impact.
const DefaultMinImpact = 4

// CheckKinds are the kinds of advisor rule a check evaluates: those about
// objects the files describe. Rules about the organisation as a whole,
// risks, incidents and assessments need data that lives only in caio.
var CheckKinds = []string{"system", "control", "use_case", "vendor", "policy"}

// Options tune a check.
type Options struct {
	// Today is the date rules are evaluated on, YYYY-MM-DD.
	Today string
	// Timeline is the EU AI Act timeline (amended, the default, or enacted).
	Timeline string
	// MinImpact is the lowest impact of an advisor action that fails the
	// check; 0 means DefaultMinImpact.
	MinImpact int
	// Content is the EU AI Act content; nil means the built-in content.
	Content *euaiact.Content
}

// Check validates every object of the register, resolves its references,
// classifies each system's profile and runs the built-in advisor rules and
// the organisation's own (those of the register) over the facts the files
// give. It returns one problem per violation, sorted by file and line.
// The register is normalised in place.
func Check(r *Registry, opt Options) []Problem {
	if opt.MinImpact == 0 {
		opt.MinImpact = DefaultMinImpact
	}
	content := opt.Content
	if content == nil {
		content = euaiact.MustContent()
	}
	ps := Normalize(r)
	ps = append(ps, duplicateIDs(r)...)

	// References.
	vendors, models, datasets, systems := index(r.Vendors, func(v Vendor) (string, string) { return v.ID, v.Name }),
		index(r.Models, func(v Model) (string, string) { return v.ID, v.Name }),
		index(r.Datasets, func(v Dataset) (string, string) { return v.ID, v.Name }),
		index(r.Systems, func(v System) (string, string) { return v.ID, v.Name })
	ref := func(file string, line int, what string, idx map[string]string, refs []string) []string {
		var ids []string
		for _, x := range refs {
			id, ok := idx[x]
			if !ok {
				ps = append(ps, Problem{File: file, Line: line, Message: fmt.Sprintf("%s %q is not in the register: name one by its id or name", what, x)})
				continue
			}
			ids = append(ids, id)
		}
		return ids
	}
	facts := &advisor.Facts{Org: advisor.Org{Today: opt.Today}}
	sysIndex := map[string]int{}
	where := map[string]Problem{} // object kind/ID → its place
	for _, it := range r.Systems {
		s := it.Value
		id := objectID("sys", it.File, s.ID)
		fs := advisor.System{ID: id, Name: s.Name, Owner: s.Owner, Stage: s.Stage, Roles: nonNil(s.Roles), Basis: []string{},
			UseCases: []string{}, Controls: map[string]advisor.Control{}}
		fs.Vendors = nonNil(ref(it.File, it.Line("vendors"), "vendor", vendors, s.Vendors))
		ref(it.File, it.Line("models"), "model", models, s.Models)
		ref(it.File, it.Line("datasets"), "dataset", datasets, s.Datasets)
		if s.Profile != nil {
			p := s.Profile.Clone()
			p.Name = s.Name
			res, err := content.Classify(p, euaiact.Options{Timeline: opt.Timeline})
			line := it.Line("profile")
			switch {
			case err != nil:
				for _, f := range caio.ErrorFields(err) {
					ps = append(ps, Problem{File: it.File, Line: line, Message: "profile cannot be classified: " + f.Field + " " + f.Message})
				}
				if len(caio.ErrorFields(err)) == 0 {
					ps = append(ps, Problem{File: it.File, Line: line, Message: "profile cannot be classified: " + caio.ErrorMessage(err)})
				}
			default:
				fs.Class, fs.Basis, fs.Classified = res.Class, nonNil(res.Basis), opt.Today
				if ds := res.Dates(); len(ds) > 0 {
					for _, d := range ds {
						if d >= opt.Today {
							fs.NextDue = d
							break
						}
					}
				}
				if res.Class == euaiact.Prohibited && s.Stage != "retired" {
					ps = append(ps, Problem{File: it.File, Line: line, Message: "prohibited AI practice (" + strings.Join(res.Basis, ", ") + "): " + reasons(res)})
				}
			}
		}
		sysIndex[id] = len(facts.Systems)
		facts.Systems = append(facts.Systems, fs)
		where["system/"+id] = Problem{File: it.File, Line: it.Line("")}
	}
	for _, it := range r.UseCases {
		u := it.Value
		id := objectID("uc", it.File, u.ID)
		ids := ref(it.File, it.Line("systems"), "system", systems, u.Systems)
		facts.UseCases = append(facts.UseCases, advisor.UseCase{ID: id, Title: u.Title, Owner: u.Owner, Systems: nonNil(ids), BelowP10: []int{}})
		for _, sid := range ids {
			if i, ok := sysIndex[sid]; ok {
				facts.Systems[i].UseCases = append(facts.Systems[i].UseCases, id)
			}
		}
		where["use_case/"+id] = Problem{File: it.File, Line: it.Line("")}
	}
	for _, it := range r.Vendors {
		id := objectID("vnd", it.File, it.Value.ID)
		n := 0
		for _, s := range facts.Systems {
			if slices.Contains(s.Vendors, id) {
				n++
			}
		}
		facts.Vendors = append(facts.Vendors, advisor.Vendor{ID: id, Name: it.Value.Name, Systems: n})
		where["vendor/"+id] = Problem{File: it.File, Line: it.Line("")}
	}
	for _, it := range r.Controls {
		k := it.Value
		sid, ok := systems[k.System]
		if !ok {
			ps = append(ps, Problem{File: it.File, Line: it.Line("system"), Message: fmt.Sprintf("system %q is not in the register", k.System)})
			continue
		}
		id := objectID("ctl", it.File, k.ID)
		due := k.DueDate
		if due == "" {
			due = k.Deadline
		}
		if i, ok := sysIndex[sid]; ok && k.Status != caio.StatusNotApplicable {
			facts.Systems[i].Controls[k.Framework+"/"+k.Item] = advisor.Control{ID: id, Title: k.Framework + " " + k.Item, Framework: k.Framework,
				Item: k.Item, Status: k.Status, Deadline: k.Deadline, Due: due, ReviewDate: k.ReviewDate, Owner: k.Owner, Evidence: k.Evidence}
		}
		where["control/"+id] = Problem{File: it.File, Line: it.Line("status")}
	}
	for _, it := range r.Policies {
		p := it.Value
		id := objectID("pol", it.File, p.ID)
		inForce := p.Status == "approved"
		facts.Policies = append(facts.Policies, advisor.Policy{ID: id, Title: p.Title, Kind: p.Kind, Status: p.Status, InForce: inForce,
			Owner: p.Owner, ReviewDate: p.NextReview})
		if inForce {
			facts.Org.ApprovedPolicies++
			if advisor.GeneralAIPolicy(p.Kind) {
				facts.Org.AIPolicy = true
			}
		}
		where["policy/"+id] = Problem{File: it.File, Line: it.Line("")}
	}

	// Rules: the built-in ones and the register's own, about objects the
	// files describe.
	var rules []advisor.Rule
	for _, b := range advisor.BuiltIns() {
		if slices.Contains(CheckKinds, b.Kind) {
			rules = append(rules, b)
		}
	}
	own, rps := OwnRules(r)
	ps = append(ps, rps...)
	for _, rule := range own {
		if slices.Contains(CheckKinds, rule.Kind) {
			rules = append(rules, rule)
		}
	}
	prog, err := advisor.Compile(rules)
	if prog != nil {
		actions, _ := prog.Evaluate(facts)
		for _, a := range actions {
			overdue := a.Due != "" && a.Due < opt.Today
			if (a.Impact < opt.MinImpact && !overdue) || a.RuleID == "prohibited-in-use" {
				continue // a prohibited system is reported with its classification
			}
			p, ok := where[a.ObjectKind+"/"+a.ObjectID]
			if !ok {
				continue
			}
			msg := fmt.Sprintf("%s (rule %s, impact %d", a.Title, a.RuleID, a.Impact)
			if a.Due != "" {
				msg += ", due " + a.Due
				if overdue {
					msg += ", overdue"
				}
			}
			msg += "): " + a.Reason
			if len(a.References) > 0 {
				msg += " [" + strings.Join(a.References, "; ") + "]"
			}
			ps = append(ps, Problem{File: p.File, Line: p.Line, Message: msg})
		}
	} else if err != nil {
		ps = append(ps, Problem{File: "rules", Line: 1, Message: err.Error()})
	}
	SortProblems(ps)
	return ps
}

// DefaultLinks are the pages a rule of each kind links to when its author
// names none, as in caio's rule editor.
var DefaultLinks = map[string]string{"org": "/", "system": "/systems/{id}", "control": "/controls/{id}", "use_case": "/usecases/{id}",
	"vendor": "/vendors/{id}", "risk": "/risks/{id}", "incident": "/incidents/{id}", "policy": "/policies/{id}", "assessment": "/assessments/{id}"}

// reasons gives the reasons of a prohibited class: those under Art 5, or
// all when none cites it.
// OwnRules turns the register's enabled rules into advisor rules and
// checks each (fields, CEL, placeholders), returning the rules that pass
// and a problem per fault at the line of its field.
func OwnRules(r *Registry) ([]advisor.Rule, []Problem) {
	var out []advisor.Rule
	var ps []Problem
	for _, it := range r.Rules {
		x := it.Value
		if x.Enabled != nil && !*x.Enabled {
			continue
		}
		id := objectID("rul", it.File, x.ID)
		if x.Link == "" {
			x.Link = DefaultLinks[x.Kind]
		}
		rule := advisor.Rule{ID: id, Kind: x.Kind, Title: x.Title, Statement: x.Statement, When: x.When, Reason: x.Reason, Due: x.Due,
			DueSource: x.DueSource, References: x.References, OwnerRole: x.OwnerRole, Link: x.Link, Impact: x.Impact}
		if err := advisor.CheckRule(rule); err != nil {
			for _, e := range advisor.AsRuleErrors(err) {
				line := it.Line(e.Field)
				if e.Line > 0 {
					line += e.Line - 1
				}
				ps = append(ps, Problem{File: it.File, Line: line, Message: "rule " + e.Field + ": " + e.Message})
			}
			continue
		}
		out = append(out, rule)
	}
	return out, ps
}

func reasons(res *euaiact.Result) string {
	var out []string
	list := res.Reasons
	var art5 []euaiact.Reason
	for _, r := range list {
		if strings.Contains(r.Ref, "Art 5(") {
			art5 = append(art5, r)
		}
	}
	if len(art5) > 0 {
		list = art5
	}
	for _, r := range list {
		s := r.Text
		if r.Ref != "" {
			s += " (" + r.Ref + ")"
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

// objectID is the object's ID, or for a new object one made from its file
// name, so that rules and messages can tell objects apart.
func objectID(prefix, file, id string) string {
	if id != "" {
		return id
	}
	return prefix + "." + slug(strings.TrimSuffix(path.Base(file), path.Ext(file)))
}

// index maps both the ID (or the file-made ID) and the name of each
// object to its ID.
func index[T any](items []*Item[T], key func(T) (string, string)) map[string]string {
	m := map[string]string{}
	for _, it := range items {
		id, name := key(it.Value)
		if id == "" {
			id = objectID(prefixOf(any(it.Value)), it.File, "")
		}
		m[id] = id
		if name != "" {
			if _, taken := m[name]; !taken {
				m[name] = id
			}
		}
	}
	return m
}

func prefixOf(v any) string {
	switch v.(type) {
	case Vendor:
		return "vnd"
	case Model:
		return "mdl"
	case Dataset:
		return "ds"
	case System:
		return "sys"
	}
	return "obj"
}

func duplicateIDs(r *Registry) []Problem {
	var ps []Problem
	seen := map[string]string{}
	note := func(file string, line int, id string) {
		if id == "" {
			return
		}
		if other, dup := seen[id]; dup {
			ps = append(ps, Problem{File: file, Line: line, Message: "id " + id + " is also used by " + other})
			return
		}
		seen[id] = file
	}
	for _, it := range r.Vendors {
		note(it.File, it.Line("id"), it.Value.ID)
	}
	for _, it := range r.Models {
		note(it.File, it.Line("id"), it.Value.ID)
	}
	for _, it := range r.Datasets {
		note(it.File, it.Line("id"), it.Value.ID)
	}
	for _, it := range r.Systems {
		note(it.File, it.Line("id"), it.Value.ID)
	}
	for _, it := range r.UseCases {
		note(it.File, it.Line("id"), it.Value.ID)
	}
	for _, it := range r.Controls {
		note(it.File, it.Line("id"), it.Value.ID)
	}
	for _, it := range r.Policies {
		note(it.File, it.Line("id"), it.Value.ID)
	}
	for _, it := range r.Rules {
		note(it.File, it.Line("id"), it.Value.ID)
	}
	return ps
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
