package main

import (
	"context"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
)

// TestAdviseCommands runs caio advise and caio task list as a script
// would: the actions with their rule, reason, due date, owner role and
// link, as a table and as JSON, for everyone and for one member.
func TestAdviseCommands(t *testing.T) {
	if !app.AdvisorAvailable() {
		t.Skip("built without the advisor's CEL engine")
	}
	e := newEnv(t)
	setupOrg(e)
	var s caio.AISystem
	invJSON(e, &s, "system", "create", "--org", "acme-bank", "--name", "Claims triage", "--role", "deployer", "--stage", "production")

	out := e.must("advise", "--org", "acme-bank")
	for _, want := range []string{"RULE", "REASON", "OWNER ROLE", "LINK", "system-unclassified", "Classify Claims triage", "editor",
		"/systems/" + s.ID + "/classify", "actions on "} {
		if !strings.Contains(out, want) {
			t.Errorf("advise: missing %q in %q", want, out)
		}
	}
	var l struct {
		Today   string         `json:"today"`
		Total   int            `json:"total"`
		Actions []*caio.Advice `json:"actions"`
	}
	invJSON(e, &l, "advise", "--org", "acme-bank", "--kind", "system")
	if l.Total < 1 || l.Today == "" {
		t.Fatalf("advise --format json: %+v", l)
	}
	var a *caio.Advice
	for _, x := range l.Actions {
		if x.Key == "system-unclassified/"+s.ID {
			a = x
		}
	}
	if a == nil || a.RuleID != "system-unclassified" || a.Title == "" || a.Reason == "" || a.OwnerRole != "editor" || a.Link == "" || a.State != "open" {
		t.Fatalf("action %+v", a)
	}

	// Ada owns the organisation: the system names no owner, so the
	// editor's action to classify it is hers too (her role may do it).
	_, _, err := e.run("advise", "--org", "acme-bank", "--mine")
	wantCode(t, err, caio.EINVALID)
	invJSON(e, &l, "advise", "--org", "acme-bank", "--as", "ada@example.com", "--mine", "--kind", "system")
	if l.Total != 1 || l.Actions[0].Key != "system-unclassified/"+s.ID || !l.Actions[0].Mine {
		t.Errorf("advise --mine as the owner does not show the unheld editor's action: %+v", l)
	}
	_, _, err = e.run("advise", "--org", "acme-bank", "--format", "yaml")
	wantCode(t, err, caio.EINVALID)
	_, _, err = e.run("advise", "--org", "nope")
	wantCode(t, err, caio.ENOTFOUND)

	// Accepted through the services, it is on the task list.
	ctx := context.Background()
	ap := e.openApp()
	actor, err := ap.UserActor(ctx, "acme-bank", "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ap.AcceptAction(caio.WithActor(ctx, actor), a.Key, caio.AcceptInput{Due: "2027-01-15"}); err != nil {
		t.Fatal(err)
	}
	if out := e.must("task", "list", "--org", "acme-bank", "--as", "ada@example.com", "--mine"); !strings.Contains(out, "Classify Claims triage") ||
		!strings.Contains(out, "2027-01-15") || !strings.Contains(out, "system-unclassified") || !strings.Contains(out, "1 of 1 tasks") {
		t.Fatalf("task list --mine: %q", out)
	}
	var tasks struct {
		Total int          `json:"total"`
		Tasks []*caio.Task `json:"tasks"`
	}
	invJSON(e, &tasks, "task", "list", "--org", "acme-bank", "--status", "all")
	if tasks.Total != 1 || tasks.Tasks[0].SourceKey != a.Key {
		t.Fatalf("task list: %+v", tasks)
	}
	if out := e.must("advise", "--org", "acme-bank", "--state", "accepted"); !strings.Contains(out, "accepted") || !strings.Contains(out, "Classify Claims triage") {
		t.Fatalf("advise --state accepted: %q", out)
	}
}

// TestAdvisorDemo checks the demo's advice: Northwind's own rule, and one
// action each accepted (a task for the product lead), snoozed and
// dismissed with a reason.
func TestAdvisorDemo(t *testing.T) {
	if !app.AdvisorAvailable() {
		t.Skip("built without the advisor's CEL engine")
	}
	e := newEnv(t)
	e.must("demo")
	var l struct {
		Counts  map[string]int `json:"counts"`
		Actions []*caio.Advice `json:"actions"`
	}
	invJSON(e, &l, "advise", "--org", app.DemoSlug, "--all", "--limit", "500")
	if l.Counts["accepted"] != 1 || l.Counts["snoozed"] != 1 || l.Counts["dismissed"] != 1 || l.Counts["open"] < 3 {
		t.Fatalf("demo advice counts %v", l.Counts)
	}
	for _, a := range l.Actions {
		switch a.State {
		case "accepted":
			if a.Task == nil || a.Task.OwnerEmail != "product@northwind.example" {
				t.Errorf("accepted demo action %+v", a)
			}
		case "snoozed", "dismissed":
			if a.StateReason == "" {
				t.Errorf("%s demo action without a reason: %+v", a.State, a)
			}
		}
	}
	ap := e.openApp()
	sa, err := ap.SystemActor(context.Background(), app.DemoSlug)
	if err != nil {
		t.Fatal(err)
	}
	_, own, err := ap.AdvisorRules(caio.WithActor(context.Background(), sa))
	if err != nil || len(own) != 1 || !strings.Contains(own[0].Statement, "named owner") {
		t.Fatalf("demo rules %v %v", own, err)
	}
	if out := e.must("task", "list", "--org", app.DemoSlug); !strings.Contains(out, "product@northwind.example") {
		t.Fatalf("demo tasks: %q", out)
	}
}
