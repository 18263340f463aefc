package cyclonedx_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/cyclonedx"
)

func sample() *cyclonedx.Inventory {
	at := time.Date(2026, 11, 27, 9, 0, 0, 0, time.UTC)
	return &cyclonedx.Inventory{
		OrgID: "org_1", OrgName: "Northwind Mutual", OrgSlug: "demo", At: at,
		Systems: []*caio.AISystem{
			{ID: "sys_b", Name: "Claims triage", Purpose: "Route claims", Stage: "production", Roles: []string{"deployer"},
				Countries: []string{"DE", "FR"}, Users: "Claims handlers", Class: "high_risk", Basis: "annex_iii:5(c)", NextDeadline: "2027-12-02"},
			{ID: "sys_a", Name: "Chat assistant", Purpose: "Answer customers", Stage: "development", Roles: []string{"provider"}},
		},
		Models: []*caio.AIModel{
			{ID: "mdl_1", Name: "GPT-4.1", Provider: "OpenAI", ModelVersion: "2025-04-14", Kind: "llm", Licence: "proprietary"},
			{ID: "mdl_2", Name: "Fraud scorer", Provider: "In-house", Kind: "classical_ml", Licence: "Apache-2.0"},
		},
		Datasets: []*caio.Dataset{
			{ID: "ds_1", Name: "Claims 2020–2025", Source: "https://data.example/claims", PersonalData: true, SpecialCategories: []string{"health"}},
			{ID: "ds_2", Name: "FAQ", Source: "intranet"},
		},
		Vendors: []*caio.Vendor{{ID: "vnd_1", Name: "OpenAI", Website: "https://openai.com", Contact: "sales@openai.com"}},
		Links: []*caio.SystemLink{
			{SystemID: "sys_a", Kind: "model", TargetID: "mdl_1"},
			{SystemID: "sys_a", Kind: "vendor", TargetID: "vnd_1"},
			{SystemID: "sys_a", Kind: "dataset", TargetID: "ds_2"},
			{SystemID: "sys_b", Kind: "model", TargetID: "mdl_2"},
			{SystemID: "sys_b", Kind: "dataset", TargetID: "ds_1"},
		},
		Obligations: map[string][]cyclonedx.Obligation{
			"sys_b": {{ID: "art26", Ref: "Art 26", Title: "Obligations of deployers", Status: "applies", Applies: "2027-12-02"}},
		},
	}
}

func TestBuildDeterministic(t *testing.T) {
	a, err := cyclonedx.Marshal(cyclonedx.Build(sample()))
	if err != nil {
		t.Fatal(err)
	}
	inv := sample()
	// The same inventory in another order gives the same bytes.
	inv.Systems[0], inv.Systems[1] = inv.Systems[1], inv.Systems[0]
	inv.Links[0], inv.Links[4] = inv.Links[4], inv.Links[0]
	b, _ := cyclonedx.Marshal(cyclonedx.Build(inv))
	if !bytes.Equal(a, b) {
		t.Errorf("output depends on input order")
	}
	inv.At = inv.At.Add(time.Second)
	c, _ := cyclonedx.Marshal(cyclonedx.Build(inv))
	var x, y cyclonedx.BOM
	json.Unmarshal(a, &x)
	json.Unmarshal(c, &y)
	if x.SerialNumber == y.SerialNumber {
		t.Errorf("two export times share serial %s", x.SerialNumber)
	}
	s := string(a)
	for _, want := range []string{`"type": "machine-learning-model"`, `"type": "data"`, `"caio:eu_ai_act:class"`, `"high_risk"`,
		`"caio:eu_ai_act:obligation:art26"`, `Art 26 Obligations of deployers; applies from 2027-12-02`, `"approach"`, `"self-supervised"`,
		`"sensitiveData"`, `"health"`, `"https://openai.com"`, `"dependsOn"`} {
		if !strings.Contains(s, want) {
			t.Errorf("BOM lacks %s", want)
		}
	}
	// Systems come first, by name.
	if strings.Index(s, "Chat assistant") > strings.Index(s, "Claims triage") {
		t.Errorf("systems are not sorted by name")
	}
}

// schemaDir is where the official CycloneDX schemas are kept.
var schemaDir = filepath.Join("..", "..", "..", "..", "shared", "data", "cyclonedx-schema")

func compileSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	if _, err := os.Stat(filepath.Join(schemaDir, "bom-1.6.SNAPSHOT.schema.json")); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the CycloneDX schemas are missing from %s: %v", schemaDir, err)
		}
		t.Skipf("the CycloneDX schemas are not in %s; skipping schema validation", schemaDir)
	}
	c := jsonschema.NewCompiler()
	for file, id := range map[string]string{
		"bom-1.6.SNAPSHOT.schema.json":  "http://cyclonedx.org/schema/bom-1.6.schema.json",
		"spdx.SNAPSHOT.schema.json":     "http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json",
		"jsf-0.82.SNAPSHOT.schema.json": "http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json",
	} {
		f, err := os.Open(filepath.Join(schemaDir, file))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := c.AddResource(id, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	if err != nil {
		t.Fatalf("the CycloneDX schema does not compile: %v", err)
	}
	return sch
}

// ValidateBOM checks a BOM against the official CycloneDX 1.6 schema.
func validate(t *testing.T, sch *jsonschema.Schema, b []byte) {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(doc); err != nil {
		t.Errorf("the BOM is not valid CycloneDX 1.6: %v", err)
	}
}

func TestBuildValidAgainstSchema(t *testing.T) {
	sch := compileSchema(t)
	b, _ := cyclonedx.Marshal(cyclonedx.Build(sample()))
	validate(t, sch, b)
	// An empty inventory and a one-system export are valid too.
	empty := &cyclonedx.Inventory{OrgID: "org_1", OrgName: "Empty", At: time.Unix(0, 0)}
	b, _ = cyclonedx.Marshal(cyclonedx.Build(empty))
	validate(t, sch, b)
	// And a BOM that is not.
	validBad := []byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"robot","name":"x"}]}`)
	doc, _ := jsonschema.UnmarshalJSON(bytes.NewReader(validBad))
	if sch.Validate(doc) == nil {
		t.Errorf("the schema accepts a component of type robot: the check proves nothing")
	}
}

func TestParseRoundTrip(t *testing.T) {
	b, _ := cyclonedx.Marshal(cyclonedx.Build(sample()))
	p, err := cyclonedx.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Models) != 2 || len(p.Datasets) != 2 || p.Skipped != 2 {
		t.Fatalf("parsed %d models, %d datasets, %d skipped; want 2, 2, 2", len(p.Models), len(p.Datasets), p.Skipped)
	}
	gpt := p.Models[1]
	if gpt.Name != "GPT-4.1" || gpt.Provider != "OpenAI" || gpt.ModelVersion != "2025-04-14" || gpt.Kind != "llm" || gpt.Licence != "proprietary" || gpt.KindGuessed {
		t.Errorf("model: %+v", gpt)
	}
	claims := p.Datasets[0]
	if claims.Name != "Claims 2020–2025" || !claims.PersonalData || len(claims.SpecialCategories) != 1 || claims.Source != "https://data.example/claims" {
		t.Errorf("dataset: %+v", claims)
	}
	if len(p.Vendors) != 2 || p.Vendors[0].Name != "In-house" || p.Vendors[1].Website != "https://openai.com" || p.Vendors[1].Contact != "sales@openai.com" {
		t.Errorf("vendors: %+v", p.Vendors)
	}
	for _, m := range p.Models {
		if err := m.AIModelInput.Normalize(); err != nil {
			t.Errorf("model %s does not validate: %v", m.Name, err)
		}
	}
}

func TestParseForeignBOM(t *testing.T) {
	// A BOM from another tool: nested components, inline model card data, no caio properties.
	src := `{"bomFormat":"CycloneDX","specVersion":"1.5","components":[
	  {"type":"library","name":"numpy"},
	  {"type":"application","name":"App","components":[
	    {"type":"machine-learning-model","name":"bert-base","manufacturer":{"name":"Google"},
	     "licenses":[{"license":{"id":"Apache-2.0"}}],
	     "modelCard":{"modelParameters":{"task":"fill-mask","architectureFamily":"transformer",
	       "datasets":[{"type":"dataset","name":"BookCorpus"},{"ref":"wiki"}]}}}]},
	  {"type":"data","bom-ref":"wiki","name":"Wikipedia","data":[{"type":"dataset","classification":"public"}]}]}`
	p, err := cyclonedx.Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Models) != 1 || p.Models[0].Provider != "Google" || p.Models[0].Kind != "llm" || !p.Models[0].KindGuessed || p.Models[0].Licence != "Apache-2.0" {
		t.Errorf("models: %+v", p.Models)
	}
	if len(p.Datasets) != 2 || p.Datasets[0].Name != "BookCorpus" || p.Datasets[1].Name != "Wikipedia" || p.Datasets[1].PersonalData {
		t.Errorf("datasets: %+v", p.Datasets)
	}
	if len(p.Warnings) != 1 || p.Skipped != 2 {
		t.Errorf("warnings %v skipped %d", p.Warnings, p.Skipped)
	}
}

func TestParseErrorsNameLineAndColumn(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"{\n  \"bomFormat\": \"CycloneDX\",\n  \"specVersion\": 1.6\n}", "line 3, column"},
		{"{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [ {\"name\": \"x\",, } ]\n}", "line 3, column 32"},
		{"{\"bomFormat\": \"CycloneDX\"", "line 1, column 26"},
		{"", "line 1, column 1: the file is empty"},
		{`{"bomFormat":"SPDX","specVersion":"1.6"}`, "not a CycloneDX BOM"},
		{`{"bomFormat":"CycloneDX","specVersion":"2.0"}`, "specVersion"},
		{`{"bomFormat":"CycloneDX","specVersion":"1.6"} {}`, "line 1, column 47: unexpected text"},
		{"name,kind\nx,llm\n", "line 1, column 2"},
	} {
		_, err := cyclonedx.Parse([]byte(c.in))
		if caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(caio.ErrorMessage(err), c.want) {
			t.Errorf("Parse(%q) = %v; want EINVALID with %q", c.in, err, c.want)
		}
	}
}

func FuzzParse(f *testing.F) {
	b, _ := cyclonedx.Marshal(cyclonedx.Build(sample()))
	f.Add(b)
	f.Add([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"data","name":"x","data":[{"sensitiveData":["health"]}]}]}`))
	f.Add([]byte(`{"bomFormat":"CycloneDX","specVersion":"1.6","components":[{"type":"machine-learning-model","name":"m","modelCard":{"modelParameters":{"datasets":[{"name":"d"}]}}}]}`))
	f.Add([]byte("\xef\xbb\xbf{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := cyclonedx.Parse(data)
		if err != nil {
			if caio.ErrorCode(err) != caio.EINVALID {
				t.Fatalf("error %v is not EINVALID", err)
			}
			return
		}
		for _, m := range p.Models {
			if m.Name == "" || !contains(caio.ModelKinds, m.Kind) {
				t.Fatalf("model %+v", m)
			}
		}
		for _, d := range p.Datasets {
			if d.Name == "" {
				t.Fatalf("dataset without a name")
			}
		}
	})
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
