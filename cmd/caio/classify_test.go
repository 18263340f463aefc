package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

func TestClassifyCommand(t *testing.T) {
	e := emptyEnv(t) // classify needs no database
	example := filepath.Join("..", "..", "docs", "examples", "cv-screening.yaml")

	out := e.must("classify", example)
	for _, want := range []string{"CV screening: HIGH RISK (annex_iii:4(a))", "Art 26", "2027-12-02", "not legal advice"} {
		if !strings.Contains(out, want) {
			t.Errorf("classify printed no %q:\n%s", want, out)
		}
	}

	var res euaiact.Result
	if err := json.Unmarshal([]byte(e.must("classify", "--format", "json", "--timeline", "enacted", example)), &res); err != nil {
		t.Fatal(err)
	}
	if res.Class != "high_risk" || res.Timeline != "enacted" || res.Provisional || len(res.Trace) == 0 {
		t.Errorf("json result: class %s timeline %s provisional %v trace %d", res.Class, res.Timeline, res.Provisional, len(res.Trace))
	}
	for _, o := range res.Obligations {
		if o.ID == "art26" && o.Dates.Applies != "2026-08-02" {
			t.Errorf("art26 applies %s under the enacted timeline, want 2026-08-02", o.Dates.Applies)
		}
	}

	var schema map[string]any
	if err := json.Unmarshal([]byte(e.must("classify", "--schema")), &schema); err != nil {
		t.Fatalf("--schema is not JSON: %v", err)
	}
	if schema["$schema"] != "https://json-schema.org/draft/2020-12/schema" {
		t.Errorf("schema header %v", schema["$schema"])
	}

	// A profile from standard input with a typo names the field and fails.
	_, _, err := e.runIn("facts:\n  definition.infer: true\n", "classify", "-")
	wantCode(t, err, caio.EINVALID)
	if !strings.Contains(caio.ErrorMessage(err)+caio.ErrorFields(err)[0].Field, "definition.infer") {
		t.Errorf("error %v does not name the field", err)
	}
	_, _, err = e.run("classify", filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

func TestReclassifyCommand(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	a := e.openApp()
	ctx, err := orgCtx(t.Context(), a, "acme-bank")
	if err != nil {
		t.Fatal(err)
	}
	s, err := a.CreateSystem(ctx, caio.AISystemInput{Name: "CV screening", Roles: []string{"deployer"}})
	if err != nil {
		t.Fatal(err)
	}
	example := filepath.Join("..", "..", "docs", "examples", "cv-screening.yaml")
	_, _, err = e.run("classify", "--org", "acme-bank", example)
	wantCode(t, err, caio.EINVALID)
	if out, errOut, err := e.run("classify", "--org", "acme-bank", "--system", s.ID, example); err != nil || !strings.Contains(out, "HIGH RISK") || !strings.Contains(errOut, "Stored as classification 1 of CV screening") {
		t.Fatalf("classify --system: %v\n%s\n%s", err, out, errOut)
	}
	if got, _ := a.FindSystem(ctx, s.ID); got.Class != "high_risk" {
		t.Errorf("stored class %q", got.Class)
	}
	if err := a.SetOrgTimeline(ctx, "enacted"); err != nil {
		t.Fatal(err)
	}
	out := e.must("reclassify", "--org", "acme-bank")
	if !strings.Contains(out, "1 classified system(s); 1 would change") {
		t.Errorf("reclassify printed %q", out)
	}
	var rep app.ReclassifyReport
	if err := json.Unmarshal([]byte(e.must("reclassify", "--org", "acme-bank", "--apply", "--format", "json")), &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.Applied || len(rep.Changes) != 1 || rep.Changes[0].SystemID != s.ID {
		t.Errorf("apply report %+v", rep)
	}
	if out := e.must("reclassify", "--org", "acme-bank"); !strings.Contains(out, "0 would change") {
		t.Errorf("after apply: %q", out)
	}
}

// TestProfileSchemaInDocs keeps the JSON Schema published in docs/ equal to
// what `caio classify --schema` prints.
func TestProfileSchemaInDocs(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "schemas", "euaiact-profile-v1.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	if got := emptyEnv(t).must("classify", "--schema"); got != string(b) {
		t.Error("docs/schemas/euaiact-profile-v1.schema.json is stale: run `go run ./cmd/caio classify --schema > docs/schemas/euaiact-profile-v1.schema.json`")
	}
}

// TestProfileSchemaValidates checks the published schema with an
// independent JSON Schema validator: the example profile passes, and a typo
// in a fact, an unknown Annex III point and a role that does not exist fail.
func TestProfileSchemaValidates(t *testing.T) {
	c := jsonschema.NewCompiler()
	schema, err := jsonschema.UnmarshalJSON(strings.NewReader(emptyEnv(t).must("classify", "--schema")))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.AddResource("profile.json", schema); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("profile.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	b, _ := os.ReadFile(filepath.Join("..", "..", "docs", "examples", "cv-screening.yaml"))
	p, err := euaiact.ParseProfile(b)
	if err != nil {
		t.Fatal(err)
	}
	asJSON := func(v any) any {
		j, _ := json.Marshal(v)
		x, err := jsonschema.UnmarshalJSON(strings.NewReader(string(j)))
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	if err := sch.Validate(asJSON(p)); err != nil {
		t.Errorf("the example profile does not validate: %v", err)
	}
	for name, bad := range map[string]map[string]any{
		"typo in a fact":     {"facts": map[string]bool{"definition.infer": true}},
		"unknown point":      {"annex_iii": []string{"9(z)"}},
		"unknown role":       {"roles": []string{"owner"}},
		"fact not a boolean": {"facts": map[string]any{"definition.infers": "yes"}},
	} {
		if err := sch.Validate(asJSON(bad)); err == nil {
			t.Errorf("%s: the schema accepts %v", name, bad)
		}
	}
}
