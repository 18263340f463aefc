package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

// invJSON runs an inventory command with --format json and decodes the result into v.
func invJSON(e *caioEnv, v any, args ...string) {
	e.t.Helper()
	if err := json.Unmarshal([]byte(e.must(append(args, "--format", "json")...)), v); err != nil {
		e.t.Fatal(err)
	}
}

func TestInventoryCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	var s caio.AISystem
	invJSON(e, &s, "system", "create", "--org", "acme-bank", "--name", "Claims triage", "--purpose", "Route incoming motor claims",
		"--owner", "Head of Claims", "--stage", "production", "--country", "de,FR", "--country", "NL", "--role", "deployer,provider",
		"--autonomy", "human_in_the_loop")
	if s.ID == "" || s.Stage != "production" || strings.Join(s.Countries, ",") != "DE,FR,NL" || strings.Join(s.Roles, ",") != "provider,deployer" || s.Version != 1 {
		t.Fatalf("created %+v", s)
	}
	var v caio.Vendor
	invJSON(e, &v, "vendor", "create", "--org", "acme-bank", "--name", "TalentSoft", "--country", "nl", "--website", "https://talentsoft.example")
	var m caio.AIModel
	invJSON(e, &m, "model", "create", "--org", "acme-bank", "--name", "Severity model", "--kind", "classical_ml", "--model-version", "3")
	var d caio.Dataset
	invJSON(e, &d, "dataset", "create", "--org", "acme-bank", "--name", "Motor claims", "--personal-data", "--special-category", "health")
	if v.Country != "NL" || m.ModelVersion != "3" || !d.PersonalData || len(d.SpecialCategories) != 1 {
		t.Fatalf("created %+v, %+v, %+v", v, m, d)
	}
	for _, l := range [][2]string{{"vendor", v.ID}, {"model", m.ID}, {"dataset", d.ID}} {
		if out := e.must("system", "link", "--org", "acme-bank", s.ID, l[0], l[1]); !strings.Contains(out, "Linked "+s.ID+" to "+l[0]) {
			t.Fatalf("link: %q", out)
		}
	}
	_, _, err := e.run("system", "link", "--org", "acme-bank", s.ID, "vendor", v.ID)
	wantCode(t, err, caio.ECONFLICT)
	if out := e.must("system", "show", "--org", "acme-bank", s.ID); !strings.Contains(out, "TalentSoft") || !strings.Contains(out, "Not classified") || !strings.Contains(out, "Route incoming motor claims") {
		t.Fatalf("show: %q", out)
	}
	var list struct {
		Total   int             `json:"total"`
		Systems []caio.AISystem `json:"systems"`
	}
	invJSON(e, &list, "system", "list", "--org", "acme-bank", "--vendor", v.ID, "--class", "unclassified")
	if list.Total != 1 || list.Systems[0].ID != s.ID {
		t.Fatalf("list by vendor: %+v", list)
	}
	if out := e.must("system", "list", "--org", "acme-bank", "--sort", "name"); !strings.Contains(out, "Claims triage") || !strings.Contains(out, "1 of 1 AI systems") {
		t.Fatalf("list table: %q", out)
	}

	var u caio.AISystem
	invJSON(e, &u, "system", "update", "--org", "acme-bank", s.ID, "--stage", "retired", "--role", "deployer")
	if u.Version != 2 || u.Stage != "retired" || strings.Join(u.Roles, ",") != "deployer" || u.Owner != "Head of Claims" || len(u.Countries) != 3 {
		t.Fatalf("updated %+v", u)
	}
	_, _, err = e.run("system", "update", "--org", "acme-bank", s.ID, "--version", "1", "--name", "Stale edit")
	wantCode(t, err, caio.ECONFLICT)

	// Bad input names the field.
	_, _, err = e.run("system", "create", "--org", "acme-bank", "--name", "x", "--country", "UK")
	wantCode(t, err, caio.EINVALID)
	if msg := userMessage(err); !strings.Contains(msg, "countries") || !strings.Contains(msg, "roles") {
		t.Fatalf("bad input message: %q", msg)
	}
	_, _, err = e.run("dataset", "create", "--org", "acme-bank", "--name", "x", "--special-category", "health")
	if msg := userMessage(err); !strings.Contains(msg, "personal_data") || !strings.Contains(msg, "special_categories") {
		t.Fatalf("contradiction message: %q", msg)
	}
	_, _, err = e.run("vendor", "create", "--org", "acme-bank", "--name", "TALENTSOFT")
	wantCode(t, err, caio.ECONFLICT)
	_, _, err = e.run("system", "list", "--org", "acme-bank", "--format", "yaml")
	wantCode(t, err, caio.EINVALID)

	for _, kind := range []string{"model", "dataset", "vendor"} {
		out := e.must(kind, "list", "--org", "acme-bank")
		if !strings.Contains(out, "1 of 1") {
			t.Errorf("%s list: %q", kind, out)
		}
	}
	if out := e.must("model", "show", "--org", "acme-bank", m.ID); !strings.Contains(out, "Severity model") {
		t.Errorf("model show: %q", out)
	}
	if out := e.must("system", "unlink", "--org", "acme-bank", s.ID, "model", m.ID); !strings.Contains(out, "Unlinked") {
		t.Errorf("unlink: %q", out)
	}
	e.must("vendor", "delete", "--org", "acme-bank", v.ID)
	invJSON(e, &list, "system", "list", "--org", "acme-bank", "--vendor", v.ID)
	if list.Total != 0 {
		t.Errorf("systems of a deleted vendor: %d", list.Total)
	}
	e.must("system", "delete", "--org", "acme-bank", s.ID)
	_, _, err = e.run("system", "show", "--org", "acme-bank", s.ID)
	wantCode(t, err, caio.ENOTFOUND)
	if out := e.must("audit", "verify", "--org", "acme-bank"); !strings.Contains(out, "intact") {
		t.Fatalf("audit verify: %q", out)
	}
}

// TestInventoryUpdateCommands changes only the fields given, for models,
// datasets and vendors.
func TestInventoryUpdateCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	id := func(out string) string {
		f := strings.Fields(out)
		return strings.TrimSuffix(f[2], ":")
	}
	m := id(e.must("model", "create", "--org", "acme-bank", "--name", "Ranker", "--kind", "llm", "--provider", "Acme"))
	if out := e.must("model", "update", "--org", "acme-bank", m, "--licence", "Apache-2.0"); !strings.Contains(out, "now version 2") {
		t.Errorf("model update printed %q", out)
	}
	if out := e.must("model", "show", "--org", "acme-bank", m); !strings.Contains(out, "Apache-2.0") || !strings.Contains(out, "Acme") || !strings.Contains(out, "llm") {
		t.Errorf("after update the model lost a field:\n%s", out)
	}
	d := id(e.must("dataset", "create", "--org", "acme-bank", "--name", "Claims", "--personal-data"))
	e.must("dataset", "update", "--org", "acme-bank", d, "--special-category", "health")
	if out := e.must("dataset", "show", "--org", "acme-bank", d); !strings.Contains(out, "health") || !strings.Contains(out, "yes") {
		t.Errorf("dataset after update:\n%s", out)
	}
	_, _, err := e.run("dataset", "update", "--org", "acme-bank", d, "--personal-data=false")
	wantCode(t, err, caio.EINVALID)
	v := id(e.must("vendor", "create", "--org", "acme-bank", "--name", "TalentSoft"))
	e.must("vendor", "update", "--org", "acme-bank", v, "--country", "NL")
	if out := e.must("vendor", "show", "--org", "acme-bank", v); !strings.Contains(out, "NL") || !strings.Contains(out, "TalentSoft") {
		t.Errorf("vendor after update:\n%s", out)
	}
}
