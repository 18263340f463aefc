package web

// The advisor's pages: the next best actions with the forms that act on
// them, the tasks, and the rules (built-in switches and the organisation's
// own, with the rule editor and its "Try it").

func init() {
	areaRoutes = append(areaRoutes, (*Web).advisorRoutes)
}

// advisorRoutes lists the advisor's pages.
func (w *Web) advisorRoutes() []Route {
	return []Route{
		{"GET /advice", Member, w.adviceList},
		{"POST /advice/{rule}/{object}/accept", Member, w.adviceAccept},
		{"POST /advice/{rule}/{object}/snooze", Member, w.adviceSnooze},
		{"POST /advice/{rule}/{object}/dismiss", Member, w.adviceDismiss},
		{"POST /advice/{rule}/{object}/reopen", Member, w.adviceReopen},

		{"GET /tasks", Member, w.taskList},
		{"POST /tasks", Member, w.taskCreate},
		{"GET /tasks/{id}", Member, w.taskShow},
		{"POST /tasks/{id}", Member, w.taskUpdate},
		{"POST /tasks/{id}/complete", Member, w.taskComplete},
		{"POST /tasks/{id}/delete", Member, w.taskDelete},

		{"GET /advice/rules", Member, w.adviceRules},
		{"POST /advice/rules", Member, w.adviceRuleCreate},
		{"GET /advice/rules/{id}", Member, w.adviceRuleEdit},
		{"POST /advice/rules/{id}", Member, w.adviceRuleUpdate},
		{"POST /advice/rules/{id}/enable", Member, w.adviceRuleEnable},
		{"POST /advice/rules/{id}/disable", Member, w.adviceRuleDisable},
		{"POST /advice/rules/{id}/delete", Member, w.adviceRuleDelete},
		{"POST /advice/builtins/off", Member, w.adviceBuiltinOff},
		{"POST /advice/builtins/on", Member, w.adviceBuiltinOn},
	}
}
