package euaiact_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
)

// Bad input is an EINVALID error naming each field at fault.
func TestBadProfiles(t *testing.T) {
	for _, tc := range []struct {
		name     string
		p        *euaiact.Profile
		timeline string
		fields   []string
		message  string
	}{
		{name: "unknown fact", p: known(T("art5.a.manipulative")), fields: []string{"facts.art5.a.manipulative"}, message: "--schema"},
		{name: "two unknown facts", p: known(T("zzz", "aaa")), fields: []string{"facts.aaa", "facts.zzz"}},
		{name: "contradiction", p: known(T("definition.human_rules_only")), fields: []string{"facts.definition.infers", "facts.definition.human_rules_only"}, message: "contradicts facts.definition.human_rules_only"},
		{name: "negated contradiction", p: known(T("art5.d.solely_profiling")), fields: []string{"facts.art5.d.solely_profiling", "facts.art6_3.profiling"}, message: "profiling"},
		{name: "designated without provider", p: known(T("gpai.designated")), fields: []string{"facts.gpai.designated", "facts.gpai.provider"}},
		{name: "none with points", p: known(annexIII("none", "4(a)")), fields: []string{"annex_iii"}, message: "none"},
		{name: "unknown Annex III point", p: known(annexIII("4(c)")), fields: []string{"annex_iii"}, message: "4(c)"},
		{name: "Annex III point twice", p: known(annexIII("4(a)", "4(a)")), fields: []string{"annex_iii"}, message: "twice"},
		{name: "unknown Annex I entry", p: known(annexI("A.13")), fields: []string{"annex_i"}, message: "A.13"},
		{name: "Annex I none with a product", p: known(T("annex_i.third_party_conformity")), fields: []string{"annex_i", "facts.annex_i.third_party_conformity"}},
		{name: "unknown role", p: known(roles("operator")), fields: []string{"roles"}, message: "operator"},
		{name: "role twice", p: known(roles("deployer", "deployer")), fields: []string{"roles"}, message: "twice"},
		{name: "bad schema", p: known(func(p *euaiact.Profile) { p.Schema = "caio/euaiact-profile/v2" }), fields: []string{"schema"}, message: euaiact.ProfileSchema},
		{name: "negative compute", p: known(flop(-1)), fields: []string{"training_flop"}},
		{name: "long name", p: known(func(p *euaiact.Profile) { p.Name = strings.Repeat("x", 201) }), fields: []string{"name"}},
		{name: "bad timeline", p: known(), timeline: "proposed", fields: []string{"timeline"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := euaiact.MustContent().Classify(tc.p, euaiact.Options{Timeline: tc.timeline})
			if err == nil {
				t.Fatalf("Classify = %s, want an error", r.Class)
			}
			if caio.ErrorCode(err) != caio.EINVALID {
				t.Fatalf("error %v, want EINVALID", err)
			}
			var fields []string
			for _, f := range caio.ErrorFields(err) {
				if !slices.Contains(fields, f.Field) {
					fields = append(fields, f.Field)
				}
			}
			slices.Sort(fields)
			want := slices.Sorted(slices.Values(tc.fields))
			if !slices.Equal(fields, want) {
				t.Errorf("fields %v, want %v (%v)", fields, want, err)
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Errorf("error %q does not mention %q", err, tc.message)
			}
		})
	}
}

func TestParseProfile(t *testing.T) {
	yamlProfile := `schema: caio/euaiact-profile/v1
name: CV screening
roles: [deployer]
annex_i: none
annex_iii: ["4(a)"]
training_flop: 1.5e23
facts:
  definition.infers: true
  art6_3.profiling: true
`
	jsonProfile := `{"schema":"caio/euaiact-profile/v1","name":"CV screening","roles":["deployer"],"annex_i":"none","annex_iii":["4(a)"],"training_flop":1.5e23,"facts":{"definition.infers":true,"art6_3.profiling":true}}`
	for name, src := range map[string]string{"yaml": yamlProfile, "json": jsonProfile, "json with spaces": "\n  " + jsonProfile + "\n"} {
		p, err := euaiact.ParseProfile([]byte(src))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if p.Name != "CV screening" || !slices.Equal(p.Roles, []string{"deployer"}) || p.AnnexI != "none" || !slices.Equal(p.AnnexIII, []string{"4(a)"}) ||
			p.TrainingFLOP == nil || *p.TrainingFLOP != 1.5e23 || !p.Facts["art6_3.profiling"] || len(p.Facts) != 2 {
			t.Errorf("%s: parsed %+v", name, p)
		}
		if _, err := euaiact.MustContent().Classify(p, euaiact.Options{}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	for _, tc := range []struct{ name, src, part string }{
		{"yaml unknown field", "name: x\nannex_3: [\"4(a)\"]\n", "annex_3"},
		{"yaml typo in facts block", "fact:\n  definition.infers: true\n", "fact"},
		{"yaml not a bool", "facts:\n  definition.infers: maybe\n", "YAML"},
		{"yaml duplicate key", "name: a\nname: b\n", "YAML"},
		{"yaml alias", "x: &r [provider]\nroles: *r\n", "aliases"},
		{"yaml that crashed the decoder", "roles:\nannex_iii: !00000000\n000", "cannot be read"},
		{"json unknown field", `{"name":"x","annex_3":["4(a)"]}`, "annex_3"},
		{"json not a bool", `{"facts":{"definition.infers":"yes"}}`, "JSON"},
		{"json trailing data", `{"name":"x"} {"name":"y"}`, "JSON"},
		{"json broken", `{"name":`, "JSON"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := euaiact.ParseProfile([]byte(tc.src))
			if err == nil {
				t.Fatalf("parsed %+v, want an error", p)
			}
			if caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(err.Error(), tc.part) {
				t.Errorf("error %v, want EINVALID mentioning %q", err, tc.part)
			}
		})
	}
	// Nested aliases would expand to billions of nodes: refused at once.
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := range 9 {
		n := "b" + itoa(i)
		bomb += n + ": &" + n + " [" + strings.Repeat("*"+prev+", ", 8) + "*" + prev + "]\n"
		prev = n
	}
	start := time.Now()
	if _, err := euaiact.ParseProfile([]byte(bomb + "roles: *" + prev + "\n")); err == nil || time.Since(start) > time.Second {
		t.Errorf("alias bomb: error %v after %v, want a quick refusal", err, time.Since(start))
	}
	// An unknown fact parses (facts are a map) and is named by Classify.
	p, err := euaiact.ParseProfile([]byte("facts:\n  art5.z: true\n"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := euaiact.MustContent().Classify(p, euaiact.Options{}); err == nil || caio.ErrorFields(err)[0].Field != "facts.art5.z" {
		t.Errorf("Classify error %v, want one naming facts.art5.z", err)
	}
	// An empty profile is valid: every fact unknown.
	p, err = euaiact.ParseProfile(nil)
	if err != nil {
		t.Fatal(err)
	}
	r := classify(t, p, "")
	wantClass(t, r, euaiact.Minimal)
	for _, f := range []string{"roles", "annex_i", "annex_iii", "definition.infers", "gpai.provider", "art5.a.manipulative_technique"} {
		wantMissing(t, r, f, "")
	}
}

// The content parses, every fact has a question, an article and a section,
// and the JSON Schema lists every fact, role and annex key.
func TestContent(t *testing.T) {
	c, err := euaiact.DefaultContent()
	if err != nil {
		t.Fatal(err)
	}
	if c.Version == "" || c.Disclaimer == "" || len(c.AnnexI) != 21 || len(c.Prohibitions) != 9 || len(c.Transparency) != 5 {
		t.Errorf("content %s: %d Annex I entries, %d prohibitions, %d duties", c.Version, len(c.AnnexI), len(c.Prohibitions), len(c.Transparency))
	}
	for _, f := range c.Facts {
		if f.Question == "" || f.Ref == "" || !strings.HasSuffix(f.Question, "?") {
			t.Errorf("fact %s: question %q, ref %q", f.Key, f.Question, f.Ref)
		}
	}
	for _, o := range c.Obligations {
		if o.Title == "" || o.Summary == "" || o.Ref == "" {
			t.Errorf("obligation %s lacks a title, summary or ref", o.ID)
		}
	}
	for _, m := range c.Milestones {
		if m.Amended != "" && m.AmendedSource == "" || m.Enacted != "" && m.EnactedSource == "" {
			t.Errorf("milestone %s has a date without a source", m.Key)
		}
	}
	var schema struct {
		Properties struct {
			Roles    struct{ Items struct{ Enum []string } }
			AnnexI   struct{ Enum []string }                 `json:"annex_i"`
			AnnexIII struct{ Items struct{ Enum []string } } `json:"annex_iii"`
			Facts    struct {
				Properties map[string]struct{ Type, Description string }
			}
		}
	}
	b := c.JSONSchema()
	if err := json.Unmarshal(b, &schema); err != nil {
		t.Fatal(err)
	}
	p := schema.Properties
	if len(p.Facts.Properties) != len(c.Facts) || !slices.Equal(p.Roles.Items.Enum, euaiact.Roles) ||
		len(p.AnnexI.Enum) != 22 || len(p.AnnexIII.Items.Enum) != 26 || !slices.Contains(p.AnnexIII.Items.Enum, "2") {
		t.Errorf("schema: %d facts, roles %v, annex I %v, annex III %v", len(p.Facts.Properties), p.Roles.Items.Enum, p.AnnexI.Enum, p.AnnexIII.Items.Enum)
	}
	if d := p.Facts.Properties["art5.f.medical_or_safety"]; d.Type != "boolean" || !strings.Contains(d.Description, "Art 5(1)(f)") {
		t.Errorf("schema of art5.f.medical_or_safety = %+v", d)
	}
	// A broken content file is refused with the reason.
	if _, err := euaiact.ParseContent([]byte("version: x\nfacts: [{key: scope.a, ref: r, question: q}]\nprohibitions: [{key: p, ref: r, title: t, milestone: m, when: scope.b}]\n")); err == nil ||
		!strings.Contains(err.Error(), `unknown fact "scope.b"`) || !strings.Contains(err.Error(), `unknown milestone "m"`) {
		t.Errorf("ParseContent error = %v", err)
	}
}

func TestDates(t *testing.T) {
	r := classify(t, known(annexIII("4(a)"), T("art50.interacts_with_people")), "")
	if got, want := r.Dates(), []string{"2025-02-02", "2026-08-02", "2027-12-02"}; !slices.Equal(got, want) {
		t.Errorf("Dates() = %v, want %v", got, want)
	}
	// An obligation that only may apply brings no deadline.
	r = classify(t, known(annexIII("5(b)"), roles("deployer"), T("art6_3.profiling"), U("deployer.public_body")), "")
	if o := obligation(r, "art49_3"); o == nil || o.Status != "may_apply" {
		t.Fatalf("art49_3 = %+v, want may_apply", o)
	}
	if got := r.Dates(); !slices.Equal(got, []string{"2025-02-02", "2027-12-02"}) {
		t.Errorf("Dates() with a may-apply obligation = %v", got)
	}
}
