package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/caio-office/caio"
	"github.com/danielgtaylor/huma/v2"
)

// The advisor: the next best actions of the organisation and what people do
// with them, the tasks accepted actions become, the organisation's own
// rules and the built-in rules it switched off.

func init() {
	registrars = append(registrars, (*API).registerAdvisor)
}

const advisorTag = "Advisor"

// AdviceKey names an action in the path by its two parts: the rule and the
// object of its key ("rule/object").
type AdviceKey struct {
	Rule   string `path:"rule" maxLength:"64" doc:"The rule of the action's key, such as a built-in rule's id or rul_..."`
	Object string `path:"object" maxLength:"64" doc:"The object of the action's key, such as sys_..."`
}

func (k AdviceKey) key() string { return k.Rule + "/" + k.Object }

// AcceptBody says who does an accepted action and by when.
type AcceptBody struct {
	OwnerID string `json:"owner_id,omitempty" maxLength:"64" doc:"The member who will do it (usr_...); you when left out. Contributors may name only themselves."`
	Due     string `json:"due,omitempty" maxLength:"10" doc:"YYYY-MM-DD; the action's due date when left out."`
}

// SnoozeBody puts an action aside until a date.
type SnoozeBody struct {
	Until  string `json:"until" maxLength:"10" doc:"The day the action comes back, YYYY-MM-DD, after today and at most 366 days ahead."`
	Reason string `json:"reason" maxLength:"2000" doc:"Why it can wait."`
}

// DismissBody dismisses an action for good.
type DismissBody struct {
	Reason string `json:"reason" maxLength:"2000" doc:"Why the action does not apply."`
}

// TaskBody is what a client may set on a task.
type TaskBody struct {
	Title       string `json:"title" maxLength:"200"`
	Description string `json:"description,omitempty" maxLength:"10000"`
	OwnerID     string `json:"owner_id,omitempty" maxLength:"64" doc:"The member who does it (usr_...). Contributors may name only themselves."`
	Due         string `json:"due,omitempty" maxLength:"10" doc:"YYYY-MM-DD."`
	Status      string `json:"status,omitempty" enum:"open,done,cancelled" doc:"open when left out."`
	Link        string `json:"link,omitempty" maxLength:"500" doc:"The page of caio where the work is done, such as /systems/sys_..."`
	Version     int    `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409."`
}

func (b TaskBody) input() caio.TaskInput {
	return caio.TaskInput{Title: b.Title, Description: b.Description, OwnerID: b.OwnerID, Due: b.Due, Status: b.Status, Link: b.Link}
}

// TaskID names a task in the path.
type TaskID struct {
	ID string `path:"id" maxLength:"64" doc:"Task id, tsk_..."`
}

// RuleBody is an organisation's own rule. See docs/advisor-rules.md.
type RuleBody struct {
	Kind       string   `json:"kind" maxLength:"20" doc:"What the rule is evaluated on: org, system, control, use_case, vendor, risk, incident, policy or assessment."`
	Title      string   `json:"title" maxLength:"200" doc:"What to do; may name the object with placeholders, such as \"Name an owner for {name}\"."`
	Statement  string   `json:"statement,omitempty" maxLength:"2000" doc:"The rule in one sentence, shown with the reason."`
	When       string   `json:"when" maxLength:"2000" doc:"A CEL condition, true when the object needs the action, such as system.stage == \"production\" && system.owner == \"\"."`
	Reason     string   `json:"reason" maxLength:"2000" doc:"Why, from the facts; may hold placeholders."`
	Due        string   `json:"due,omitempty" maxLength:"2000" doc:"A CEL expression giving the due date, YYYY-MM-DD, or empty."`
	DueSource  string   `json:"due_source,omitempty" maxLength:"200" doc:"Where the due date comes from."`
	References []string `json:"references,omitempty" maxItems:"10" doc:"Legal or framework references, such as \"EU AI Act Art 26\"."`
	OwnerRole  string   `json:"owner_role,omitempty" maxLength:"20" doc:"The caio role that should act: owner, admin, editor, contributor, approver or viewer."`
	Link       string   `json:"link,omitempty" maxLength:"500" doc:"The page where it is done, a path template such as /systems/{id}/edit."`
	Impact     int      `json:"impact,omitempty" minimum:"0" maximum:"5" doc:"1 (small) to 5 (severe); 3 when left out."`
	Enabled    *bool    `json:"enabled,omitempty" doc:"true when left out."`
	Version    int      `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409."`
}

func (b RuleBody) input() caio.AdvisorRuleInput {
	return caio.AdvisorRuleInput{Kind: b.Kind, Title: b.Title, Statement: b.Statement, When: b.When, Reason: b.Reason, Due: b.Due,
		DueSource: b.DueSource, References: b.References, OwnerRole: b.OwnerRole, Link: b.Link, Impact: b.Impact, Enabled: b.Enabled}
}

// RuleID names one of the organisation's rules in the path.
type RuleID struct {
	ID string `path:"id" maxLength:"64" doc:"Rule id, rul_..."`
}

// AdvisorRules lists the organisation's own rules.
type AdvisorRules struct {
	Items []*caio.AdvisorRule `json:"items"`
}

// BuiltinBody names a built-in rule to switch off or on.
type BuiltinBody struct {
	RuleID string `json:"rule_id" maxLength:"64" doc:"The built-in rule's id; see GET /advisor/builtins."`
	Reason string `json:"reason,omitempty" maxLength:"2000" doc:"Why the rule does not apply (required to switch it off)."`
}

func (api *API) registerAdvisor() {
	huma.Register(api, op(http.MethodGet, "/advice", "list-advice", "List the next best actions, ranked by urgency and impact", advisorTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Mine    bool   `query:"mine" doc:"Only actions for you: your role, you named as the object's owner, or your task."`
			Kind    string `query:"kind" maxLength:"20" doc:"Only actions about this kind of object, such as system."`
			Rule    string `query:"rule" maxLength:"64" doc:"Only actions of this rule."`
			State   string `query:"state" enum:"open,accepted,snoozed,dismissed," doc:"Only actions in this state; by default open and accepted ones."`
			Include string `query:"include" maxLength:"40" doc:"Add snoozed and/or dismissed actions to the default list: snoozed, dismissed or snoozed,dismissed."`
		}) (*struct{ Body *caio.AdviceList }, error) {
			f := caio.AdviceFilter{Mine: in.Mine, Kind: trimmed(&in.Kind), Rule: trimmed(&in.Rule), State: trimmed(&in.State), Page: in.page()}
			for _, s := range strings.Split(in.Include, ",") {
				switch strings.TrimSpace(s) {
				case "snoozed":
					f.IncludeSnoozed = true
				case "dismissed":
					f.IncludeDismissed = true
				case "":
				default:
					return nil, api.queryProblem(ctx, caio.FieldError("include", "must list snoozed and/or dismissed, separated by a comma"))
				}
			}
			l, err := api.app.Advise(ctx, f)
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return &struct{ Body *caio.AdviceList }{l}, nil
		})

	accept := op(http.MethodPost, "/advice/{rule}/{object}/accept", "accept-advice", "Accept an action: it becomes a task with an owner and a due date", advisorTag)
	accept.DefaultStatus = http.StatusCreated
	accept.Errors = append(accept.Errors, http.StatusConflict)
	huma.Register(api, accept, func(ctx context.Context, in *struct {
		AdviceKey
		Body *AcceptBody `required:"false"`
	}) (*struct{ Body *caio.Task }, error) {
		var b AcceptBody
		if in.Body != nil {
			b = *in.Body
		}
		t, err := api.app.AcceptAction(ctx, in.key(), caio.AcceptInput{OwnerID: b.OwnerID, Due: b.Due})
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Task }{t}, nil
	})

	snooze := op(http.MethodPost, "/advice/{rule}/{object}/snooze", "snooze-advice", "Put an action aside until a date, with a reason", advisorTag)
	snooze.Errors = append(snooze.Errors, http.StatusConflict)
	huma.Register(api, snooze, func(ctx context.Context, in *struct {
		AdviceKey
		Body SnoozeBody
	}) (*struct{ Body *caio.AdviceState }, error) {
		s, err := api.app.SnoozeAction(ctx, in.key(), caio.SnoozeInput{Until: in.Body.Until, Reason: in.Body.Reason})
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.AdviceState }{s}, nil
	})

	dismiss := op(http.MethodPost, "/advice/{rule}/{object}/dismiss", "dismiss-advice", "Dismiss an action for good, with a reason", advisorTag)
	dismiss.Errors = append(dismiss.Errors, http.StatusConflict)
	huma.Register(api, dismiss, func(ctx context.Context, in *struct {
		AdviceKey
		Body DismissBody
	}) (*struct{ Body *caio.AdviceState }, error) {
		s, err := api.app.DismissAction(ctx, in.key(), in.Body.Reason)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.AdviceState }{s}, nil
	})

	reopen := op(http.MethodPost, "/advice/{rule}/{object}/reopen", "reopen-advice", "Forget a snooze, dismissal or acceptance of an action (its task stays)", advisorTag)
	reopen.DefaultStatus = http.StatusNoContent
	huma.Register(api, reopen, func(ctx context.Context, in *AdviceKey) (*struct{}, error) {
		if err := api.app.ReopenAction(ctx, in.key()); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	api.registerTasks()
	api.registerAdvisorRules()
}

func (api *API) registerTasks() {
	huma.Register(api, op(http.MethodGet, "/tasks", "list-tasks", "List tasks, overdue and soonest due first", advisorTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Mine    bool   `query:"mine" doc:"Only your tasks."`
			Owner   string `query:"owner" maxLength:"64" doc:"Only the tasks of this member (usr_...)."`
			Status  string `query:"status" enum:"open,done,cancelled,"`
			Overdue string `query:"overdue" enum:"0,1," doc:"1: only open tasks past their due date."`
			Sort    string `query:"sort" enum:"due,-due,-created,created,title,-updated" default:"due"`
		}) (*listOut[*caio.Task], error) {
			f := caio.TaskFilter{Mine: in.Mine, OwnerID: trimmed(&in.Owner), Status: trimmed(&in.Status), Overdue: flag(in.Overdue), Sort: in.Sort, Page: in.page()}
			items, total, err := api.app.FindTasks(ctx, f)
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/tasks", "create-task", "Add a task by hand", advisorTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body TaskBody }) (*struct{ Body *caio.Task }, error) {
		t, err := api.app.CreateTask(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Task }{t}, nil
	})

	huma.Register(api, op(http.MethodGet, "/tasks/{id}", "get-task", "Get a task", advisorTag),
		func(ctx context.Context, in *TaskID) (*struct{ Body *caio.Task }, error) {
			t, err := api.app.FindTask(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Task }{t}, nil
		})

	update := op(http.MethodPut, "/tasks/{id}", "update-task", "Replace a task's fields (contributors: their own tasks)", advisorTag)
	update.Errors = append(update.Errors, http.StatusConflict)
	huma.Register(api, update, func(ctx context.Context, in *struct {
		TaskID
		Body TaskBody
	}) (*struct{ Body *caio.Task }, error) {
		t, err := api.app.UpdateTask(ctx, in.ID, in.Body.Version, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Task }{t}, nil
	})

	huma.Register(api, op(http.MethodPost, "/tasks/{id}/complete", "complete-task", "Mark a task done (contributors: their own tasks)", advisorTag),
		func(ctx context.Context, in *TaskID) (*struct{ Body *caio.Task }, error) {
			t, err := api.app.CompleteTask(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Task }{t}, nil
		})

	del := op(http.MethodDelete, "/tasks/{id}", "delete-task", "Delete a task", advisorTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *TaskID) (*struct{}, error) {
		if err := api.app.DeleteTask(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})
}

func (api *API) registerAdvisorRules() {
	huma.Register(api, op(http.MethodGet, "/advisor/builtins", "list-advisor-builtins", "List the built-in rules, each on or switched off with its reason", advisorTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body AdvisorRules }, error) {
			b, _, err := api.app.AdvisorRules(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body AdvisorRules }{AdvisorRules{Items: b}}, nil
		})

	huma.Register(api, op(http.MethodPost, "/advisor/builtins/off", "disable-advisor-builtin", "Switch a built-in rule off for the organisation, with a reason", advisorTag),
		func(ctx context.Context, in *struct{ Body BuiltinBody }) (*struct{ Body *caio.AdvisorRule }, error) {
			r, err := api.app.DisableBuiltin(ctx, in.Body.RuleID, in.Body.Reason)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.AdvisorRule }{r}, nil
		})

	huma.Register(api, op(http.MethodPost, "/advisor/builtins/on", "enable-advisor-builtin", "Switch a built-in rule on again", advisorTag),
		func(ctx context.Context, in *struct{ Body BuiltinBody }) (*struct{ Body *caio.AdvisorRule }, error) {
			r, err := api.app.EnableBuiltin(ctx, in.Body.RuleID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.AdvisorRule }{r}, nil
		})

	huma.Register(api, op(http.MethodGet, "/advisor/rules", "list-advisor-rules", "List the organisation's own rules", advisorTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body AdvisorRules }, error) {
			_, own, err := api.app.AdvisorRules(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body AdvisorRules }{AdvisorRules{Items: own}}, nil
		})

	create := op(http.MethodPost, "/advisor/rules", "create-advisor-rule", "Add a rule of the organisation's own, checked before it is saved", advisorTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body RuleBody }) (*struct{ Body *caio.AdvisorRule }, error) {
		r, err := api.app.CreateAdvisorRule(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.AdvisorRule }{r}, nil
	})

	huma.Register(api, op(http.MethodPost, "/advisor/rules/try", "try-advisor-rule", "Check a rule and evaluate it on the organisation's current data, without saving it", advisorTag),
		func(ctx context.Context, in *struct{ Body RuleBody }) (*struct{ Body *caio.RuleTrial }, error) {
			tr, err := api.app.TryRule(ctx, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.RuleTrial }{tr}, nil
		})

	huma.Register(api, op(http.MethodGet, "/advisor/rules/{id}", "get-advisor-rule", "Get one of the organisation's rules", advisorTag),
		func(ctx context.Context, in *RuleID) (*struct{ Body *caio.AdvisorRule }, error) {
			r, err := api.app.FindAdvisorRule(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.AdvisorRule }{r}, nil
		})

	update := op(http.MethodPut, "/advisor/rules/{id}", "update-advisor-rule", "Replace one of the organisation's rules, checked before it is saved", advisorTag)
	update.Errors = append(update.Errors, http.StatusConflict)
	huma.Register(api, update, func(ctx context.Context, in *struct {
		RuleID
		Body RuleBody
	}) (*struct{ Body *caio.AdvisorRule }, error) {
		r, err := api.app.UpdateAdvisorRule(ctx, in.ID, in.Body.Version, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.AdvisorRule }{r}, nil
	})

	for _, on := range []bool{true, false} {
		verb, summary := "enable", "Switch one of the organisation's rules on"
		if !on {
			verb, summary = "disable", "Switch one of the organisation's rules off"
		}
		huma.Register(api, op(http.MethodPost, "/advisor/rules/{id}/"+verb, verb+"-advisor-rule", summary, advisorTag),
			func(ctx context.Context, in *RuleID) (*struct{ Body *caio.AdvisorRule }, error) {
				r, err := api.app.SetAdvisorRuleEnabled(ctx, in.ID, on)
				if err != nil {
					return nil, api.problem(ctx, err)
				}
				return &struct{ Body *caio.AdvisorRule }{r}, nil
			})
	}

	del := op(http.MethodDelete, "/advisor/rules/{id}", "delete-advisor-rule", "Delete one of the organisation's rules", advisorTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *RuleID) (*struct{}, error) {
		if err := api.app.DeleteAdvisorRule(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})
}
