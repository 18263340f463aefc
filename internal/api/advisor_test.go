package api_test

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// needAdvisor skips a test of a build without the advisor's CEL engine.
func needAdvisor(t *testing.T) {
	t.Helper()
	if !app.AdvisorAvailable() {
		t.Skip("built without the advisor's CEL engine")
	}
}

// adviceFor adds an AI system that was never classified and returns the
// API path of the action to classify it (without the verb).
func adviceFor(t *testing.T, e *roleEnv) string {
	needAdvisor(t)
	sys := e.s.NewSystem(t, e.org, fmt.Sprintf("Unclassified %d", e.seq()))
	return "/api/v1/advice/system-unclassified/" + sys.ID
}

// apiRule is a valid rule of the organisation's own.
var apiRule = map[string]any{"kind": "system", "title": "Name an owner for {name}", "statement": "Every production system has an owner.",
	"when": `system.stage == "production" && system.owner == ""`, "reason": "{name} has no owner.", "owner_role": "editor",
	"link": "/systems/{id}/edit", "references": []string{"ISO/IEC 42001 clause 5.3"}}

// The advisor's operations join the role matrix of roles_test.go.
func init() {
	task := func(t *testing.T, e *roleEnv, r caio.Role) *caio.Task {
		tk, err := e.s.App.CreateTask(e.org.Sys, caio.TaskInput{Title: fmt.Sprintf("Task %d", e.seq()), OwnerID: e.org.Members[r].UserID})
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	rule := func(t *testing.T, e *roleEnv) *caio.AdvisorRule {
		needAdvisor(t)
		in := caio.AdvisorRuleInput{Kind: "system", Title: "Owner", Statement: "Systems have owners.", When: `system.owner == ""`,
			Reason: "No owner.", OwnerRole: "editor", Link: "/systems/{id}"}
		rl, err := e.s.App.CreateAdvisorRule(e.org.Sys, in)
		if err != nil {
			t.Fatal(err)
		}
		return rl
	}
	until := time.Now().UTC().AddDate(0, 0, 14).Format(time.DateOnly)
	roleCases = append(roleCases,
		// App.Advise, FindTasks, FindTask, AdvisorRules, FindAdvisorRule: PermRead.
		roleCase{name: "list advice", op: "GET /advice", perm: caio.PermRead, req: fixed("/api/v1/advice?mine=true&include=snoozed,dismissed", nil), ok: 200},
		roleCase{name: "list tasks", op: "GET /tasks", perm: caio.PermRead, req: fixed("/api/v1/tasks?mine=true&overdue=1", nil), ok: 200},
		roleCase{name: "get task", op: "GET /tasks/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/tasks/" + task(t, e, caio.RoleOwner).ID, nil
		}},
		roleCase{name: "list built-in rules", op: "GET /advisor/builtins", perm: caio.PermRead, req: fixed("/api/v1/advisor/builtins", nil), ok: 200},
		roleCase{name: "list own rules", op: "GET /advisor/rules", perm: caio.PermRead, req: fixed("/api/v1/advisor/rules", nil), ok: 200},
		roleCase{name: "get own rule", op: "GET /advisor/rules/{id}", perm: caio.PermRead, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/advisor/rules/" + rule(t, e).ID, nil
		}},
		// App.AcceptAction, SnoozeAction, DismissAction, ReopenAction,
		// CreateTask, and UpdateTask and CompleteTask of one's own task: PermContribute.
		roleCase{name: "accept advice", op: "POST /advice/{rule}/{object}/accept", perm: caio.PermContribute, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return adviceFor(t, e) + "/accept", map[string]any{}
		}},
		roleCase{name: "snooze advice", op: "POST /advice/{rule}/{object}/snooze", perm: caio.PermContribute, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return adviceFor(t, e) + "/snooze", map[string]any{"until": until, "reason": "After the audit"}
		}},
		roleCase{name: "dismiss advice", op: "POST /advice/{rule}/{object}/dismiss", perm: caio.PermContribute, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return adviceFor(t, e) + "/dismiss", map[string]any{"reason": "Not AI"}
		}},
		roleCase{name: "reopen advice", op: "POST /advice/{rule}/{object}/reopen", perm: caio.PermContribute, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			p := adviceFor(t, e)
			key := strings.TrimPrefix(p, "/api/v1/advice/")
			if _, err := e.s.App.DismissAction(e.org.Sys, key, "Not AI"); err != nil {
				t.Fatal(err)
			}
			return p + "/reopen", nil
		}},
		roleCase{name: "create task", op: "POST /tasks", perm: caio.PermContribute, ok: 201, req: fixed("/api/v1/tasks", map[string]any{"title": "Write the AI policy", "due": "2027-01-31"})},
		roleCase{name: "update own task", op: "PUT /tasks/{id}", perm: caio.PermContribute, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			tk := task(t, e, r)
			return "/api/v1/tasks/" + tk.ID, map[string]any{"title": "Renamed", "owner_id": tk.OwnerID, "status": "open"}
		}},
		roleCase{name: "complete own task", op: "POST /tasks/{id}/complete", perm: caio.PermContribute, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/tasks/" + task(t, e, r).ID + "/complete", nil
		}},
		// App.DeleteTask, the rules and the built-in switches: PermEdit.
		roleCase{name: "delete task", op: "DELETE /tasks/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/tasks/" + task(t, e, r).ID, nil
		}},
		roleCase{name: "switch a built-in rule off", op: "POST /advisor/builtins/off", perm: caio.PermEdit, ok: 200,
			req: fixed("/api/v1/advisor/builtins/off", map[string]any{"rule_id": "vendor-unassessed", "reason": "We buy no AI."})},
		roleCase{name: "switch a built-in rule on", op: "POST /advisor/builtins/on", perm: caio.PermEdit, ok: 200,
			req: fixed("/api/v1/advisor/builtins/on", map[string]any{"rule_id": "vendor-unassessed"})},
		roleCase{name: "create own rule", op: "POST /advisor/rules", perm: caio.PermEdit, ok: 201, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			needAdvisor(t)
			return "/api/v1/advisor/rules", apiRule
		}},
		roleCase{name: "try a rule", op: "POST /advisor/rules/try", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			needAdvisor(t)
			return "/api/v1/advisor/rules/try", apiRule
		}},
		roleCase{name: "update own rule", op: "PUT /advisor/rules/{id}", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/advisor/rules/" + rule(t, e).ID, apiRule
		}},
		roleCase{name: "switch own rule off", op: "POST /advisor/rules/{id}/disable", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/advisor/rules/" + rule(t, e).ID + "/disable", nil
		}},
		roleCase{name: "switch own rule on", op: "POST /advisor/rules/{id}/enable", perm: caio.PermEdit, ok: 200, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/advisor/rules/" + rule(t, e).ID + "/enable", nil
		}},
		roleCase{name: "delete own rule", op: "DELETE /advisor/rules/{id}", perm: caio.PermEdit, ok: 204, req: func(t *testing.T, e *roleEnv, r caio.Role) (string, any) {
			return "/api/v1/advisor/rules/" + rule(t, e).ID, nil
		}},
	)
}

// TestAdvisorAPI checks what a client of the advisor sees: actions with
// their reasons, acting on them by the two parts of their key, problems
// named by field (with the line and column of a CEL problem), tasks, and
// nothing of another organisation.
func TestAdvisorAPI(t *testing.T) {
	needAdvisor(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		sys := s.NewSystem(t, org, "Claims triage")
		tok := org.Token(caio.RoleEditor)
		key := "system-unclassified/" + sys.ID

		var l caio.AdviceList
		s.Do(t, http.MethodGet, "/api/v1/advice?kind=system&mine=true", tok, nil).Want(t, 200).JSON(t, &l)
		i := slices.IndexFunc(l.Items, func(a *caio.Advice) bool { return a.Key == key })
		if i < 0 {
			t.Fatalf("no action %s in %+v", key, l)
		}
		if a := l.Items[i]; a.Reason == "" || len(a.References) == 0 || a.Link != "/systems/"+sys.ID+"/classify" || a.OwnerRole != "editor" || a.State != "open" {
			t.Errorf("action %+v", a)
		}
		p := s.Do(t, http.MethodGet, "/api/v1/advice?include=everything", tok, nil).Want(t, 422).Problem(t)
		if !slices.Contains(p.Locations(), "query.include") {
			t.Errorf("bad include: %v", p.Locations())
		}

		// Snoozing needs a date ahead and a reason, each named.
		p = s.Do(t, http.MethodPost, "/api/v1/advice/"+key+"/snooze", tok, map[string]any{"until": "yesterday", "reason": ""}).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.until", "body.reason"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("snooze problem locations %v lack %s", p.Locations(), loc)
			}
		}
		// Another organisation's action is not found, nor is an unknown one.
		s.Do(t, http.MethodPost, "/api/v1/advice/"+key+"/accept", other.Token(caio.RoleOwner), map[string]any{}).Want(t, 404).Problem(t)
		s.Do(t, http.MethodPost, "/api/v1/advice/no-such-rule/"+sys.ID+"/accept", tok, nil).Want(t, 404)

		// Accepted, without a body: a task for the caller.
		var tk caio.Task
		s.Do(t, http.MethodPost, "/api/v1/advice/"+key+"/accept", tok, nil).Want(t, 201).JSON(t, &tk)
		if tk.OwnerID != org.Members[caio.RoleEditor].UserID || tk.SourceKey != key || tk.Status != "open" {
			t.Fatalf("task %+v", tk)
		}
		s.Do(t, http.MethodPost, "/api/v1/advice/"+key+"/accept", tok, nil).Want(t, 409).Problem(t)
		var tasks struct {
			Total int         `json:"total"`
			Items []caio.Task `json:"items"`
		}
		s.Do(t, http.MethodGet, "/api/v1/tasks?mine=true", tok, nil).Want(t, 200).JSON(t, &tasks)
		if tasks.Total != 1 || tasks.Items[0].ID != tk.ID || tasks.Items[0].OwnerEmail != org.Members[caio.RoleEditor].Email {
			t.Errorf("my tasks %+v", tasks)
		}
		// A contributor may not change the editor's task.
		s.Do(t, http.MethodPost, "/api/v1/tasks/"+tk.ID+"/complete", org.Token(caio.RoleContributor), nil).Want(t, 403)
		s.Do(t, http.MethodGet, "/api/v1/tasks/"+tk.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)
		p = s.Do(t, http.MethodPost, "/api/v1/tasks", tok, map[string]any{"title": "Bad", "due": "tomorrow", "link": "https://evil.example/"}).Want(t, 422).Problem(t)
		for _, loc := range []string{"body.due", "body.link"} {
			if !slices.Contains(p.Locations(), loc) {
				t.Errorf("task problem locations %v lack %s", p.Locations(), loc)
			}
		}

		// A rule with a typo is refused with its position, before saving.
		bad := map[string]any{}
		for k, v := range apiRule {
			bad[k] = v
		}
		bad["when"] = `system.stage == "production" && sytem.owner == ""`
		for _, path := range []string{"/api/v1/advisor/rules", "/api/v1/advisor/rules/try"} {
			p = s.Do(t, http.MethodPost, path, tok, bad).Want(t, 422).Problem(t)
			if len(p.Errors) != 1 || p.Errors[0].Location != "body.when" || !strings.Contains(p.Errors[0].Message, "line 1, column 33") {
				t.Errorf("%s with a typo: %+v", path, p)
			}
		}
		var trial caio.RuleTrial
		s.Do(t, http.MethodPost, "/api/v1/advisor/rules/try", tok, map[string]any{"kind": "system", "title": "Owner for {name}",
			"statement": "Systems have owners.", "when": `system.owner != ""`, "reason": "{name} is owned by {owner}."}).Want(t, 200).JSON(t, &trial)
		if trial.Total != 1 || trial.Evaluated != 1 || trial.Matches[0].Reason != "Claims triage is owned by Claims lead." || trial.Matches[0].Link != "/systems/"+sys.ID {
			t.Errorf("trial %+v", trial)
		}
		var rl caio.AdvisorRule
		s.Do(t, http.MethodPost, "/api/v1/advisor/rules", tok, apiRule).Want(t, 201).JSON(t, &rl)
		s.Do(t, http.MethodGet, "/api/v1/advisor/rules/"+rl.ID, other.Token(caio.RoleOwner), nil).Want(t, 404)
		var builtins struct{ Items []caio.AdvisorRule }
		s.Do(t, http.MethodPost, "/api/v1/advisor/builtins/off", tok, map[string]any{"rule_id": "system-unclassified"}).Want(t, 422)
		s.Do(t, http.MethodPost, "/api/v1/advisor/builtins/off", tok, map[string]any{"rule_id": "system-unclassified", "reason": "Classified elsewhere."}).Want(t, 200)
		s.Do(t, http.MethodGet, "/api/v1/advisor/builtins", tok, nil).Want(t, 200).JSON(t, &builtins)
		j := slices.IndexFunc(builtins.Items, func(r caio.AdvisorRule) bool { return r.ID == "system-unclassified" })
		if j < 0 || builtins.Items[j].Enabled || builtins.Items[j].OffReason != "Classified elsewhere." {
			t.Errorf("built-ins %+v", builtins)
		}
		// The other organisation still has the rule on.
		s.Do(t, http.MethodGet, "/api/v1/advisor/builtins", other.Token(caio.RoleOwner), nil).Want(t, 200).JSON(t, &builtins)
		if j := slices.IndexFunc(builtins.Items, func(r caio.AdvisorRule) bool { return r.ID == "system-unclassified" }); !builtins.Items[j].Enabled {
			t.Error("switching a built-in off in one organisation switched it off in another")
		}
	})
}
