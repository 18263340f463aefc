package euaiact_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/euaiact"
)

// mod changes a profile.
type mod func(*euaiact.Profile)

// T sets facts true, F sets them false, U removes them (unknown).
func T(keys ...string) mod {
	return func(p *euaiact.Profile) {
		for _, k := range keys {
			p.Facts[k] = true
		}
	}
}

func F(keys ...string) mod {
	return func(p *euaiact.Profile) {
		for _, k := range keys {
			p.Facts[k] = false
		}
	}
}

func U(keys ...string) mod {
	return func(p *euaiact.Profile) {
		for _, k := range keys {
			delete(p.Facts, k)
		}
	}
}

func roles(r ...string) mod { return func(p *euaiact.Profile) { p.Roles = r } }
func annexI(k string) mod   { return func(p *euaiact.Profile) { p.AnnexI = k } }
func annexIII(k ...string) mod {
	return func(p *euaiact.Profile) { p.AnnexIII = k }
}
func flop(v float64) mod { return func(p *euaiact.Profile) { p.TrainingFLOP = &v } }

// known is a profile of an AI system in scope with every fact answered and
// nothing triggered: the organisation is its provider. It classifies as
// minimal with nothing missing.
func known(mods ...mod) *euaiact.Profile {
	c := euaiact.MustContent()
	p := &euaiact.Profile{Schema: euaiact.ProfileSchema, Roles: []string{"provider"}, AnnexI: "none", AnnexIII: []string{"none"}, Facts: map[string]bool{}}
	for _, f := range c.Facts {
		p.Facts[f.Key] = false
	}
	for _, k := range []string{"definition.machine_based", "definition.autonomy", "definition.infers", "definition.outputs_influence", "scope.eu_nexus"} {
		p.Facts[k] = true
	}
	for _, m := range mods {
		m(p)
	}
	return p
}

// classify classifies under a timeline ("" is amended) and checks the
// invariants every result keeps: the same profile gives byte-identical
// JSON, Provisional says whether facts are missing, the disclaimer is there.
func classify(t *testing.T, p *euaiact.Profile, timeline string) *euaiact.Result {
	t.Helper()
	c := euaiact.MustContent()
	before := p.Clone()
	r, err := c.Classify(p, euaiact.Options{Timeline: timeline})
	if err != nil {
		t.Fatalf("Classify: %v", err)
	}
	again, err := c.Classify(p.Clone(), euaiact.Options{Timeline: timeline})
	if err != nil {
		t.Fatalf("Classify again: %v", err)
	}
	a, b := mustJSON(t, r), mustJSON(t, again)
	if !bytes.Equal(a, b) {
		t.Fatalf("the same profile gave two different results:\n%s\n%s", a, b)
	}
	if !bytes.Equal(mustJSON(t, before), mustJSON(t, p)) {
		t.Fatalf("Classify changed its input profile")
	}
	if r.Provisional != (len(r.Missing) > 0) {
		t.Errorf("provisional = %v with %d missing facts", r.Provisional, len(r.Missing))
	}
	if r.Disclaimer == "" || !strings.Contains(r.Disclaimer, "not legal advice") {
		t.Errorf("disclaimer = %q, want one saying it is not legal advice", r.Disclaimer)
	}
	if !slices.Contains(euaiact.Classes, r.Class) {
		t.Errorf("class %q is not one of %v", r.Class, euaiact.Classes)
	}
	return r
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func wantClass(t *testing.T, r *euaiact.Result, class string, basis ...string) {
	t.Helper()
	if r.Class != class || !slices.Equal(r.Basis, basis) {
		t.Errorf("class %s %v, want %s %v\nreasons: %v", r.Class, r.Basis, class, basis, r.Reasons)
	}
}

func obligation(r *euaiact.Result, id string) *euaiact.Obligation {
	for i := range r.Obligations {
		if r.Obligations[i].ID == id {
			return &r.Obligations[i]
		}
	}
	return nil
}

func obligationIDs(r *euaiact.Result) []string {
	var ids []string
	for _, o := range r.Obligations {
		ids = append(ids, o.ID)
	}
	return ids
}

// wantObligations checks that each id applies (status "applies").
func wantObligations(t *testing.T, r *euaiact.Result, ids ...string) {
	t.Helper()
	for _, id := range ids {
		o := obligation(r, id)
		switch {
		case o == nil:
			t.Errorf("obligation %s is missing; have %v", id, obligationIDs(r))
		case o.Status != "applies":
			t.Errorf("obligation %s is %s because %v, want applies", id, o.Status, o.Because)
		}
	}
}

func noObligations(t *testing.T, r *euaiact.Result, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if o := obligation(r, id); o != nil {
			t.Errorf("obligation %s (%s) is listed, want it absent", id, o.Status)
		}
	}
}

// wantDate checks the date an obligation applies from and its source.
func wantDate(t *testing.T, r *euaiact.Result, id, applies, sourcePart string) {
	t.Helper()
	o := obligation(r, id)
	if o == nil {
		t.Errorf("obligation %s is missing; have %v", id, obligationIDs(r))
		return
	}
	if o.Dates.Applies != applies || !strings.Contains(o.Dates.Source, sourcePart) {
		t.Errorf("obligation %s applies from %s (%s), want %s (%s)", id, o.Dates.Applies, o.Dates.Source, applies, sourcePart)
	}
}

func missing(r *euaiact.Result, fact string) *euaiact.Missing {
	for i := range r.Missing {
		if r.Missing[i].Fact == fact {
			return &r.Missing[i]
		}
	}
	return nil
}

// wantMissing checks that a fact is listed as missing, with an effect that
// mentions effectPart and a question to ask.
func wantMissing(t *testing.T, r *euaiact.Result, fact, effectPart string) {
	t.Helper()
	m := missing(r, fact)
	switch {
	case m == nil:
		var facts []string
		for _, m := range r.Missing {
			facts = append(facts, m.Fact)
		}
		t.Errorf("fact %s is not listed as missing; missing: %v", fact, facts)
	case !strings.Contains(m.Effect, effectPart):
		t.Errorf("missing %s has effect %q, want it to mention %q", fact, m.Effect, effectPart)
	case m.Question == "" || m.Ref == "" || m.Section == "":
		t.Errorf("missing %s has no question, ref or section: %+v", fact, m)
	}
}

func noMissing(t *testing.T, r *euaiact.Result) {
	t.Helper()
	if len(r.Missing) > 0 {
		t.Errorf("missing = %+v, want none", r.Missing)
	}
}

func duty(r *euaiact.Result, key string) *euaiact.TransparencyDuty {
	for i := range r.Transparency {
		if r.Transparency[i].Key == key {
			return &r.Transparency[i]
		}
	}
	return nil
}

func step(r *euaiact.Result, rule string) *euaiact.Step {
	for i := range r.Trace {
		if r.Trace[i].Rule == rule {
			return &r.Trace[i]
		}
	}
	return nil
}

func wantStep(t *testing.T, r *euaiact.Result, rule, outcome string) {
	t.Helper()
	s := step(r, rule)
	switch {
	case s == nil:
		t.Errorf("no trace step %s", rule)
	case s.Outcome != outcome:
		t.Errorf("trace step %s: %s (%s), want %s", rule, s.Outcome, s.Note, outcome)
	}
}

func hasReason(r *euaiact.Result, part string) bool {
	for _, x := range r.Reasons {
		if strings.Contains(x.Text, part) || strings.Contains(x.Ref, part) {
			return true
		}
	}
	return false
}
