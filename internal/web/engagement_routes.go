package web

func init() { areaRoutes = append(areaRoutes, (*Web).engagementRoutes) }

// engagementRoutes lists the pages of the interim engagement and the
// consultant's templates.
func (w *Web) engagementRoutes() []Route {
	return []Route{
		{"GET /engagement", Member, w.engagementHome},
		{"POST /engagements", Member, w.engagementStart},
		{"GET /engagements/{id}", Member, w.engagementShow},
		{"GET /engagements/{id}/edit", Member, w.engagementEdit},
		{"POST /engagements/{id}", Member, w.engagementUpdate},
		{"POST /engagements/{id}/close", Member, w.engagementClose},
		{"POST /engagements/{id}/plan", Member, w.planItemAdd},
		{"GET /plan-items/{id}/edit", Member, w.planItemEdit},
		{"POST /plan-items/{id}", Member, w.planItemUpdate},
		{"POST /plan-items/{id}/status", Member, w.planItemStatus},
		{"POST /plan-items/{id}/move", Member, w.planItemMove},
		{"POST /plan-items/{id}/delete", Member, w.planItemDelete},
		{"POST /engagements/{id}/deliverables/{key}", Member, w.deliverableConfirm},
		{"POST /engagements/{id}/notes", Member, w.noteAdd},
		{"GET /status-notes/{id}/edit", Member, w.noteEdit},
		{"POST /status-notes/{id}", Member, w.noteUpdate},
		{"POST /status-notes/{id}/delete", Member, w.noteDelete},
		{"GET /engagement-templates", Member, w.templateList},
		{"GET /engagements/{id}/save-template", Member, w.templateSaveForm},
		{"POST /engagements/{id}/save-template", Member, w.templateSave},
		{"GET /engagement-templates/{id}", Member, w.templateShow},
		{"POST /engagement-templates/{id}/start", Member, w.templateStart},
		{"POST /engagement-templates/{id}/delete", Member, w.templateDelete},
	}
}
