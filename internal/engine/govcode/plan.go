package govcode

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// Operations of a plan.
const (
	Create = "create"
	Change = "change"
	Delete = "delete"
)

// Step is one thing an import would do to one object.
type Step struct {
	Kind string `json:"kind"` // one of Kinds
	Op   string `json:"op"`   // create, change or delete
	// ID is the stored object's ID (empty for a create); Name its name.
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	File string `json:"file,omitempty"`
	// Fields are the keys that change, for a change.
	Fields []string `json:"fields,omitempty"`
	// Index is the object's position in the desired register's list of
	// its kind (-1 for a delete).
	Index int `json:"-"`
}

// String writes the step for people: "change systems/sys_1.yaml (Chatbot): owner, stage".
func (s Step) String() string {
	where := s.File
	if where == "" {
		where = s.Kind + "/" + s.ID
	}
	out := fmt.Sprintf("%-6s %s (%s)", s.Op, where, s.Name)
	if len(s.Fields) > 0 {
		out += ": " + strings.Join(s.Fields, ", ")
	}
	return out
}

// readOnly are the keys an export writes for reading and checking that
// an import ignores.
var readOnly = map[string][]string{"controls": {"deadline", "system", "framework", "item", "evidence"}, "policies": {"status", "next_review"}}

// Plan compares the desired register (read from files and normalised)
// with the current one (exported from the database) and returns the
// steps, kind by kind in the order of Kinds. Objects are matched by ID
// when the file carries one, else by name (a use case's or policy's or
// rule's title; a control's system, framework and item). Only the kinds
// whose directory is present are planned; controls are never created or
// deleted, and policies are never deleted (retire them in caio, where
// approvals and acknowledgements are kept). Problems are files that match nothing they could (an unknown
// ID) or that match the same object twice.
func Plan(desired, current *Registry) ([]Step, []Problem) {
	var steps []Step
	var probs []Problem
	ResolveRefs(desired, current)
	add := func(s []Step, p []Problem) { steps, probs = append(steps, s...), append(probs, p...) }
	if desired.Present["vendors"] {
		add(planKind("vendors", desired.Vendors, current.Vendors, func(v Vendor) (string, string) { return v.ID, strings.ToLower(v.Name) }, func(v Vendor) string { return v.Name }))
	}
	if desired.Present["models"] {
		add(planKind("models", desired.Models, current.Models, func(v Model) (string, string) { return v.ID, v.Name }, func(v Model) string { return v.Name }))
	}
	if desired.Present["datasets"] {
		add(planKind("datasets", desired.Datasets, current.Datasets, func(v Dataset) (string, string) { return v.ID, v.Name }, func(v Dataset) string { return v.Name }))
	}
	if desired.Present["systems"] {
		add(planKind("systems", desired.Systems, current.Systems, func(v System) (string, string) { return v.ID, v.Name }, func(v System) string { return v.Name }))
	}
	if desired.Present["use_cases"] {
		add(planKind("use_cases", desired.UseCases, current.UseCases, func(v UseCase) (string, string) { return v.ID, v.Title }, func(v UseCase) string { return v.Title }))
	}
	if desired.Present["controls"] {
		s, p := planKind("controls", desired.Controls, current.Controls, func(v Control) (string, string) { return v.ID, v.System + "/" + v.Framework + "/" + v.Item },
			func(v Control) string { return v.System + " " + v.Framework + "/" + v.Item })
		for _, st := range s {
			switch st.Op {
			case Create:
				it := desired.Controls[st.Index]
				probs = append(probs, Problem{File: it.File, Line: it.Line(""), Message: "no control matches: controls come from classifying a system and cannot be created by an import"})
			case Change:
				steps = append(steps, st)
			}
		}
		probs = append(probs, p...)
	}
	if desired.Present["policies"] {
		add(planKind("policies", desired.Policies, current.Policies, func(v Policy) (string, string) { return v.ID, v.Title }, func(v Policy) string { return v.Title }))
	}
	if desired.Present["rules"] {
		add(planKind("rules", desired.Rules, current.Rules, func(v Rule) (string, string) { return v.ID, v.Title }, func(v Rule) string { return v.Title }))
	}
	probs = append(probs, checkPlanRefs(desired, current, steps)...)
	SortProblems(probs)
	return steps, probs
}

// checkPlanRefs reports references that would name nothing after the
// import: an object that is neither in the files nor, for a kind whose
// directory is absent, kept in the organisation.
func checkPlanRefs(desired, current *Registry, steps []Step) []Problem {
	deleted := map[string]bool{}
	for _, s := range steps {
		if s.Op == Delete {
			deleted[s.ID] = true
		}
	}
	vendors := targets(desired.Present["vendors"], desired.Vendors, current.Vendors, deleted, func(v Vendor) (string, string) { return v.ID, v.Name })
	models := targets(desired.Present["models"], desired.Models, current.Models, deleted, func(v Model) (string, string) { return v.ID, v.Name })
	datasets := targets(desired.Present["datasets"], desired.Datasets, current.Datasets, deleted, func(v Dataset) (string, string) { return v.ID, v.Name })
	systems := targets(desired.Present["systems"], desired.Systems, current.Systems, deleted, func(v System) (string, string) { return v.ID, v.Name })
	var ps []Problem
	refs := func(file string, line int, what string, ok map[string]bool, list []string) {
		for _, r := range list {
			if !ok[r] {
				ps = append(ps, Problem{File: file, Line: line, Message: fmt.Sprintf("%s %q would name nothing: it is neither in the files nor kept in the organisation", what, r)})
			}
		}
	}
	if desired.Present["systems"] {
		for _, it := range desired.Systems {
			refs(it.File, it.Line("vendors"), "vendor", vendors, it.Value.Vendors)
			refs(it.File, it.Line("models"), "model", models, it.Value.Models)
			refs(it.File, it.Line("datasets"), "dataset", datasets, it.Value.Datasets)
		}
	}
	if desired.Present["use_cases"] {
		for _, it := range desired.UseCases {
			refs(it.File, it.Line("systems"), "system", systems, it.Value.Systems)
		}
	}
	return ps
}

// targets returns the IDs and names a reference may use after the
// import: the IDs of the organisation's objects that are kept, and when
// the kind's directory is present the IDs and names of its files.
func targets[T any](present bool, want, have []*Item[T], deleted map[string]bool, key func(T) (string, string)) map[string]bool {
	m := map[string]bool{}
	for _, it := range have {
		if id, _ := key(it.Value); !deleted[id] {
			m[id] = true
		}
	}
	if present {
		for _, it := range want {
			id, name := key(it.Value)
			if id != "" {
				m[id] = true
			}
			m[name] = true
		}
	}
	return m
}

func planKind[T any](kind string, want, have []*Item[T], key func(T) (id, name string), label func(T) string) ([]Step, []Problem) {
	var steps []Step
	var probs []Problem
	byID, byName := map[string]int{}, map[string][]int{}
	for i, it := range have {
		id, name := key(it.Value)
		byID[id] = i
		byName[name] = append(byName[name], i)
	}
	matched := map[int]string{}
	for wi, it := range want {
		id, name := key(it.Value)
		hi := -1
		switch {
		case id != "":
			i, ok := byID[id]
			if !ok {
				probs = append(probs, Problem{File: it.File, Line: it.Line("id"), Message: fmt.Sprintf("id %s is not one of the organisation's %s: remove the id to create a new one", id, strings.ReplaceAll(kind, "_", " "))})
				continue
			}
			hi = i
		case len(byName[name]) == 1:
			hi = byName[name][0]
		case len(byName[name]) > 1:
			probs = append(probs, Problem{File: it.File, Line: it.Line(""), Message: fmt.Sprintf("%d %s are named %q: add the id of the one you mean", len(byName[name]), strings.ReplaceAll(kind, "_", " "), label(it.Value))})
			continue
		}
		if hi < 0 {
			steps = append(steps, Step{Kind: kind, Op: Create, Name: label(it.Value), File: it.File, Index: wi})
			continue
		}
		if other, dup := matched[hi]; dup {
			probs = append(probs, Problem{File: it.File, Line: it.Line(""), Message: "describes the same object as " + other})
			continue
		}
		matched[hi] = it.File
		hid, _ := key(have[hi].Value)
		if fs := changedFields(kind, it.Value, have[hi].Value); len(fs) > 0 {
			steps = append(steps, Step{Kind: kind, Op: Change, ID: hid, Name: label(it.Value), File: it.File, Fields: fs, Index: wi})
		}
	}
	if kind != "controls" && kind != "policies" {
		for hi, it := range have {
			if _, ok := matched[hi]; !ok {
				hid, _ := key(it.Value)
				steps = append(steps, Step{Kind: kind, Op: Delete, ID: hid, Name: label(it.Value), Index: -1})
			}
		}
	}
	return steps, probs
}

// changedFields lists the keys whose values differ, in file order.
func changedFields(kind string, want, have any) []string {
	w, h := asMap(want), asMap(have)
	var keys []string
	for _, k := range orderedKeys(want) {
		if k == "id" || slices.Contains(readOnly[kind], k) {
			continue
		}
		if kind == "systems" && k == "profile" && w[k] == nil {
			continue // a system without a profile in its file keeps its classification
		}
		if !reflect.DeepEqual(w[k], h[k]) {
			keys = append(keys, k)
		}
	}
	return keys
}

func asMap(v any) map[string]any {
	b, err := yaml.Marshal(v)
	if err != nil {
		return nil
	}
	m := map[string]any{}
	_ = yaml.Unmarshal(b, &m)
	return m
}

// orderedKeys returns the yaml keys of a struct in declaration order.
func orderedKeys(v any) []string {
	t := reflect.TypeOf(v)
	var out []string
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			out = append(out, name)
		}
	}
	return out
}

// ResolveRefs replaces references by name (a system's models, datasets and
// vendors, a use case's systems, a control's system) with the IDs of the
// objects they name in the current register, when exactly one has that
// name. References that stay names must name an object created by the
// same import.
func ResolveRefs(desired, current *Registry) {
	ids := func(names map[string][]string, refs []string) []string {
		out := make([]string, 0, len(refs))
		for _, r := range refs {
			if l := names[r]; len(l) == 1 {
				r = l[0]
			}
			if !slices.Contains(out, r) {
				out = append(out, r)
			}
		}
		slices.Sort(out)
		return nilIfEmpty(out)
	}
	vn, mn, dn, sn := map[string][]string{}, map[string][]string{}, map[string][]string{}, map[string][]string{}
	for _, it := range current.Vendors {
		vn[it.Value.Name] = append(vn[it.Value.Name], it.Value.ID)
	}
	for _, it := range current.Models {
		mn[it.Value.Name] = append(mn[it.Value.Name], it.Value.ID)
	}
	for _, it := range current.Datasets {
		dn[it.Value.Name] = append(dn[it.Value.Name], it.Value.ID)
	}
	for _, it := range current.Systems {
		sn[it.Value.Name] = append(sn[it.Value.Name], it.Value.ID)
	}
	for _, it := range desired.Systems {
		it.Value.Vendors = ids(vn, it.Value.Vendors)
		it.Value.Models = ids(mn, it.Value.Models)
		it.Value.Datasets = ids(dn, it.Value.Datasets)
	}
	for _, it := range desired.UseCases {
		it.Value.Systems = ids(sn, it.Value.Systems)
	}
	for _, it := range desired.Controls {
		if l := sn[it.Value.System]; len(l) == 1 {
			it.Value.System = l[0]
		}
	}
}
