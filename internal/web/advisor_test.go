package web_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// TestAdvisorPages walks through the advisor as its people would, in one
// sequence on one server: the home page of what needs them now, the
// actions with their reasons, acting on them without JavaScript (a
// failed form comes back beside its action with what was typed), tasks,
// switching a built-in rule off, and the rule editor's "Try it".
func TestAdvisorPages(t *testing.T) {
	if !app.AdvisorAvailable() {
		t.Skip("built without the advisor's CEL engine")
	}
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		onDay(db, "2026-11-27")
		s := servertest.New(t, db)
		defer recordViews(s)
		org := s.NewOrg(t, "acme")
		other := s.NewOrg(t, "globex")
		sys := s.NewSystem(t, org, "Claims triage")
		s.NewSystem(t, other, "Globex secret system")
		act := "/advice/system-unclassified/" + sys.ID
		ed := s.Login(t, org.Members[caio.RoleEditor].Email, servertest.Password)
		contributor := s.Login(t, org.Members[caio.RoleContributor].Email, servertest.Password)
		viewer := s.Login(t, org.Members[caio.RoleViewer].Email, servertest.Password)

		type step struct {
			name    string
			b       *servertest.Browser
			method  string
			path    string
			form    url.Values
			status  int
			want    []string
			wantNot []string
		}
		run := func(steps []step) {
			t.Helper()
			for _, tc := range steps {
				b := tc.b
				if b == nil {
					b = ed
				}
				var res *servertest.Response
				if tc.method == "GET" {
					res = b.Get(t, tc.path)
				} else {
					res = b.PostForm(t, tc.path, tc.form)
				}
				if res.StatusCode != tc.status {
					t.Errorf("%s: status %d, want %d: %s", tc.name, res.StatusCode, tc.status, res)
					continue
				}
				body := page(res) + res.Header.Get("Location")
				for _, w := range tc.want {
					if !strings.Contains(body, w) {
						t.Errorf("%s: missing %q", tc.name, w)
					}
				}
				for _, w := range tc.wantNot {
					if strings.Contains(body, w) {
						t.Errorf("%s: shows %q", tc.name, w)
					}
				}
			}
		}
		run([]step{
			{name: "home: what needs me now", method: "GET", path: "/", status: 200, want: []string{"What needs you now", "Your tasks", "No open tasks of yours",
				"Next best actions for you", "Classify Claims triage under the EU AI Act", "has never been classified", `href="/systems/` + sys.ID + `/classify"`,
				"open actions for you", "approval requests waiting for a decision"}},
			{name: "viewer's home has no editor's actions", b: viewer, method: "GET", path: "/", status: 200, want: []string{"Nothing for you right now"}, wantNot: []string{"Classify Claims triage"}},
			{name: "actions", method: "GET", path: "/advice", status: 200, want: []string{"Next best actions", "Classify Claims triage under the EU AI Act",
				"Why", "has never been classified", "built-in rule", "system-unclassified", "EU AI Act Art 6", "No due date", "Editors",
				"AI system: Claims triage", "Go to where it is done", `action="` + act + `/accept"`, `action="` + act + `/snooze"`, `action="` + act + `/dismiss"`,
				"urgency 1 of 5 × impact 4 of 5", "For you"},
				wantNot: []string{"Globex"}},
			{name: "viewer sees no forms", b: viewer, method: "GET", path: "/advice", status: 200, want: []string{"Classify Claims triage"}, wantNot: []string{`/accept"`}},
			{name: "filter by kind", method: "GET", path: "/advice?kind=vendor", status: 200, want: []string{"filtered"}, wantNot: []string{"Classify Claims triage"}},
			{name: "snooze without a reason", method: "POST", path: act + "/snooze", form: url.Values{"until": {"2026-12-24"}, "reason": {""}, "back": {"/advice?kind=system"}},
				status: 422, want: []string{"There is a problem with this form", "Reason is required", `value="2026-12-24"`, `name="back" value="/advice?kind=system"`}},
			{name: "snooze in the past", method: "POST", path: act + "/snooze", form: url.Values{"until": {"2026-11-01"}, "reason": {"Busy"}},
				status: 422, want: []string{"Until must be after today (2026-11-27)", "Busy"}},
			{name: "snooze", method: "POST", path: act + "/snooze", form: url.Values{"until": {"2026-12-24"}, "reason": {"After the audit."}, "back": {"/advice?kind=system"}},
				status: 303, want: []string{"/advice?kind=system"}},
			{name: "snoozed is hidden", method: "GET", path: "/advice", status: 200, want: []string{"Snoozed until 2026-12-24."}, wantNot: []string{"Classify Claims triage"}},
			{name: "snoozed list", method: "GET", path: "/advice?show=snoozed", status: 200, want: []string{"Classify Claims triage", "Snoozed by", "2026-12-24</time>: After the audit.", "Reopen"}},
			{name: "reopen", method: "POST", path: act + "/reopen", form: url.Values{"back": {"/advice?show=snoozed"}}, status: 303, want: []string{"/advice?show=snoozed"}},
			{name: "dismiss without a reason", method: "POST", path: act + "/dismiss", form: url.Values{}, status: 422, want: []string{"Reason is required"}},
			{name: "dismiss", method: "POST", path: act + "/dismiss", form: url.Values{"reason": {"A spreadsheet, not AI."}}, status: 303},
			{name: "dismissed list", method: "GET", path: "/advice?show=all", status: 200, want: []string{"Dismissed by " + org.Members[caio.RoleEditor].Email, "A spreadsheet, not AI."}},
			{name: "reopen again", method: "POST", path: act + "/reopen", form: url.Values{}, status: 303},
			{name: "viewer may not accept", b: viewer, method: "POST", path: act + "/accept", form: url.Values{}, status: 403},
			{name: "another organisation's action", method: "POST", path: "/advice/system-unclassified/" + caio.NewID("sys") + "/accept", form: url.Values{}, status: 404},
			{name: "accept with a bad date", method: "POST", path: act + "/accept", form: url.Values{"due": {"soon"}}, status: 422, want: []string{"Due must be a date", `value="soon"`}},
			{name: "accept for the contributor", method: "POST", path: act + "/accept", form: url.Values{"due": {"2027-01-15"}, "owner_id": {org.Members[caio.RoleContributor].UserID}, "back": {"/"}},
				status: 303},
			{name: "accepted shows its task", method: "GET", path: "/advice", status: 200, want: []string{"Accepted by " + org.Members[caio.RoleEditor].Email, "owned by User contributor@acme.test", "2027-01-15"}},
			{name: "contributor's home", b: contributor, method: "GET", path: "/", status: 200, want: []string{"Your tasks", "Classify Claims triage under the EU AI Act", "1</span>"}},
			{name: "tasks", method: "GET", path: "/tasks", status: 200, want: []string{"Classify Claims triage under the EU AI Act", "User contributor@acme.test", "2027-01-15", "Advisor", "Add a task"}},
			{name: "add a task without a title", method: "POST", path: "/tasks", form: url.Values{"due": {"2027-02-30"}, "description": {"Kept"}}, status: 422,
				want: []string{"Title is required", "Due must be a date", "Kept"}},
			{name: "add a task", method: "POST", path: "/tasks", form: url.Values{"title": {"Draft the AI policy"}, "due": {"2026-11-01"}}, status: 303, want: []string{"/tasks/tsk_"}},
			{name: "overdue task", method: "GET", path: "/tasks?overdue=1", status: 200, want: []string{"Draft the AI policy", "Overdue"}, wantNot: []string{"Classify Claims triage"}},
			{name: "built-in rules", method: "GET", path: "/advice/rules", status: 200, want: []string{"Built-in rules", "Classify {name} under the EU AI Act", "Switch off",
				"The organisation's own rules", "New rule", "Try it", "What a rule can read", "next_due"}},
			{name: "viewer sees no switches", b: viewer, method: "GET", path: "/advice/rules", status: 200, wantNot: []string{"Switch off", "Try it"}},
			{name: "switch off without a reason", method: "POST", path: "/advice/builtins/off", form: url.Values{"rule_id": {"vendor-unassessed"}}, status: 422,
				want: []string{"Reason is required"}},
			{name: "switch off", method: "POST", path: "/advice/builtins/off", form: url.Values{"rule_id": {"vendor-unassessed"}, "reason": {"We buy no AI from vendors."}}, status: 303},
			{name: "switched off", method: "GET", path: "/advice/rules", status: 200, want: []string{"Switched off", "We buy no AI from vendors.", "Switch on"}},
			{name: "switch on", method: "POST", path: "/advice/builtins/on", form: url.Values{"rule_id": {"vendor-unassessed"}}, status: 303},
			{name: "try a rule with a typo", method: "POST", path: "/advice/rules", form: url.Values{"action": {"try"}, "kind": {"system"}, "title": {"Name an owner for {name}"},
				"statement": {"Every system has an owner."}, "when": {`sytem.owner == ""`}, "reason": {"{name} has no owner."}, "impact": {"3"}}, status: 422,
				want: []string{"Condition (when) has a problem at line 1, column 1", `"sytem" is not known`, `sytem.owner == ""`, "Name an owner for {name}"}},
			{name: "try a rule", method: "POST", path: "/advice/rules", form: url.Values{"action": {"try"}, "kind": {"system"}, "title": {"Name a backup owner for {name}"},
				"statement": {"Every system has a backup."}, "when": {`system.owner != ""`}, "reason": {"{name} is owned by {owner} alone."}, "impact": {"2"}}, status: 200,
				want: []string{"What the rule finds now", "1 match among 1 object evaluated", "Claims triage is owned by Claims lead alone.", "Name a backup owner for {name}"}},
			{name: "save a rule", method: "POST", path: "/advice/rules", form: url.Values{"action": {"save"}, "kind": {"system"}, "title": {"Name a backup owner for {name}"},
				"statement": {"Every system has a backup."}, "when": {`system.owner != ""`}, "reason": {"{name} is owned by {owner} alone."}, "impact": {"2"}, "owner_role": {"contributor"}},
				status: 303, want: []string{"/advice/rules#rule-rul_"}},
			{name: "the rule advises", b: contributor, method: "GET", path: "/advice?mine=1", status: 200, want: []string{"Name a backup owner for Claims triage", "the organisation's own rule"}},
		})

		tasks, _, err := s.App.FindTasks(org.Sys, caio.TaskFilter{})
		if err != nil || len(tasks) != 2 {
			t.Fatalf("tasks %v %v", tasks, err)
		}
		var accepted *caio.Task
		for _, tk := range tasks {
			if tk.SourceKey != "" {
				accepted = tk
			}
		}
		_, own, err := s.App.AdvisorRules(org.Sys)
		if err != nil || len(own) != 1 {
			t.Fatalf("own rules %v %v", own, err)
		}
		rl := own[0]
		run([]step{
			{name: "task page", b: contributor, method: "GET", path: "/tasks/" + accepted.ID, status: 200, want: []string{"Classify Claims triage", "(you)", "Mark done",
				"The advisor's rule", "system-unclassified", "Why", "has never been classified", "Change the task"}},
			{name: "viewer's task page", b: viewer, method: "GET", path: "/tasks/" + accepted.ID, status: 200, wantNot: []string{"Mark done", "Change the task"}},
			{name: "edit with a bad date", b: contributor, method: "POST", path: "/tasks/" + accepted.ID, form: url.Values{"title": {"Classify it"}, "due": {"31/01/2027"},
				"owner_id": {accepted.OwnerID}, "status": {"open"}, "version": {"1"}}, status: 422, want: []string{"Due must be a date", `value="Classify it"`}},
			{name: "edit", b: contributor, method: "POST", path: "/tasks/" + accepted.ID, form: url.Values{"title": {"Classify it"}, "due": {"2027-01-31"},
				"owner_id": {accepted.OwnerID}, "status": {"open"}, "version": {"1"}}, status: 303},
			{name: "stale edit", b: contributor, method: "POST", path: "/tasks/" + accepted.ID, form: url.Values{"title": {"Lost"}, "owner_id": {accepted.OwnerID}, "version": {"1"}},
				status: 409, want: []string{"changed by someone else", `value="Lost"`}},
			{name: "done", b: contributor, method: "POST", path: "/tasks/" + accepted.ID + "/complete", form: url.Values{"back": {"/tasks"}}, status: 303, want: []string{"/tasks"}},
			{name: "done task", b: contributor, method: "GET", path: "/tasks/" + accepted.ID, status: 200, want: []string{"Done"}, wantNot: []string{"Mark done"}},
			{name: "edit rule", method: "GET", path: "/advice/rules/" + rl.ID, status: 200, want: []string{"Edit rule", `value="Name a backup owner for {name}"`, `name="version" value="1"`}},
			{name: "save rule with a bad due", method: "POST", path: "/advice/rules/" + rl.ID, form: url.Values{"action": {"save"}, "kind": {"system"}, "title": {rl.Title},
				"statement": {rl.Statement}, "when": {rl.When}, "reason": {rl.Reason}, "due": {"system.next_due +"}, "due_source": {"next obligation"}, "version": {"1"}}, status: 422,
				want: []string{"Due date (CEL) has a problem at line 1", "system.next_due +"}},
			{name: "switch the rule off", method: "POST", path: "/advice/rules/" + rl.ID + "/disable", form: url.Values{}, status: 303},
			{name: "rule off", method: "GET", path: "/advice/rules", status: 200, want: []string{"Switched off: “Name a backup owner for {name}”"}},
			{name: "switch the rule on", method: "POST", path: "/advice/rules/" + rl.ID + "/enable", form: url.Values{}, status: 303},
			{name: "another organisation's rule", method: "GET", path: "/advice/rules/" + caio.NewID("rul"), status: 404},
			{name: "delete the rule", method: "POST", path: "/advice/rules/" + rl.ID + "/delete", form: url.Values{}, status: 303},
			{name: "delete a task", method: "POST", path: "/tasks/" + accepted.ID + "/delete", form: url.Values{}, status: 303},
			{name: "deleted task", method: "GET", path: "/tasks/" + accepted.ID, status: 404},
		})
	})
}
