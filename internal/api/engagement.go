package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/danielgtaylor/huma/v2"
)

// The interim engagement: the engagement with its plan, deliverables,
// progress and weekly status notes, and the consultant's own templates.

const engagementTag = "Engagement"

func init() { registrars = append(registrars, (*API).registerEngagement) }

// PhaseBody is a phase with its planned dates.
type PhaseBody struct {
	Key   string `json:"key" enum:"discover,assess,strategise,execute,handover"`
	Start string `json:"start" maxLength:"10" doc:"YYYY-MM-DD."`
	End   string `json:"end" maxLength:"10" doc:"YYYY-MM-DD."`
}

// EngagementBody is what a client sets on an engagement.
type EngagementBody struct {
	Title   string      `json:"title,omitempty" maxLength:"200" doc:"\"Interim CAIO engagement\" when left out."`
	Sponsor string      `json:"sponsor,omitempty" maxLength:"200" doc:"Required: the executive the engagement reports to."`
	Start   string      `json:"start,omitempty" maxLength:"10" doc:"Required: the first day, YYYY-MM-DD; plan dates count from it."`
	End     string      `json:"end,omitempty" maxLength:"10" doc:"Last day, YYYY-MM-DD; left out, it follows from the phases' lengths."`
	Goals   []string    `json:"goals,omitempty" maxItems:"30" doc:"Left out when starting: the template's goals."`
	Phases  []PhaseBody `json:"phases,omitempty" maxItems:"5" doc:"The five phases with their dates; left out, they are planned from the start and end."`
	Version int         `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409."`
}

func (b EngagementBody) input() caio.EngagementInput {
	in := caio.EngagementInput{Title: b.Title, Sponsor: b.Sponsor, Start: b.Start, End: b.End, Goals: b.Goals}
	for _, p := range b.Phases {
		in.Phases = append(in.Phases, caio.EngagementPhase{Key: p.Key, Start: p.Start, End: p.End})
	}
	return in
}

// PlanItemBody is what a client sets on a plan item.
type PlanItemBody struct {
	Title       string `json:"title" minLength:"1" maxLength:"200"`
	Description string `json:"description,omitempty" maxLength:"4000"`
	Phase       string `json:"phase,omitempty" enum:"discover,assess,strategise,execute,handover" doc:"discover when left out."`
	Window      string `json:"window,omitempty" enum:"0-30,31-60,61-90,later" doc:"Left out: the window of the due date, counted from the start."`
	Due         string `json:"due,omitempty" maxLength:"10" doc:"YYYY-MM-DD; left out: the last day of the window."`
	Owner       string `json:"owner,omitempty" maxLength:"200"`
	Status      string `json:"status,omitempty" enum:"todo,doing,done" doc:"todo when left out."`
	Link        string `json:"link,omitempty" maxLength:"300" doc:"The page of caio where the work is done, such as /systems."`
}

func (b PlanItemBody) input() caio.PlanItemInput {
	return caio.PlanItemInput{Title: b.Title, Description: b.Description, Phase: b.Phase, Window: b.Window, Due: b.Due,
		Owner: b.Owner, Status: b.Status, Link: b.Link}
}

// StatusNoteBody is a weekly status note.
type StatusNoteBody struct {
	Week         string `json:"week,omitempty" maxLength:"10" doc:"Required: any day of the week, YYYY-MM-DD; filed under its Monday."`
	RAG          string `json:"rag,omitempty" enum:"green,amber,red" doc:"Required. green: on track; amber: at risk; red: off track."`
	Summary      string `json:"summary,omitempty" maxLength:"4000" doc:"Required: the week in a sentence or two."`
	Achievements string `json:"achievements,omitempty" maxLength:"10000"`
	NextSteps    string `json:"next_steps,omitempty" maxLength:"10000"`
	Risks        string `json:"risks,omitempty" maxLength:"10000" doc:"Risks and issues."`
	Author       string `json:"author,omitempty" maxLength:"200" doc:"You, when left out."`
	Version      int    `json:"version,omitempty" minimum:"0"`
}

func (b StatusNoteBody) input() caio.StatusNoteInput {
	return caio.StatusNoteInput{Week: b.Week, RAG: b.RAG, Summary: b.Summary, Achievements: b.Achievements,
		NextSteps: b.NextSteps, Risks: b.Risks, Author: b.Author}
}

// EngagementID names an engagement in the path.
type EngagementID struct {
	ID string `path:"id" doc:"Engagement id, eng_..."`
}

// PlanItemID names a plan item in the path.
type PlanItemID struct {
	ID string `path:"id" doc:"Plan item id, epi_..."`
}

// NoteID names a weekly status note in the path.
type NoteID struct {
	ID string `path:"id" doc:"Status note id, wsn_..."`
}

// TemplateID names an engagement template in the path.
type TemplateID struct {
	ID string `path:"id" doc:"Template id, etp_..."`
}

// TemplateBody names a template being saved from an engagement.
type TemplateBody struct {
	EngagementID string `json:"engagement_id" maxLength:"64" doc:"The engagement to save, eng_..."`
	Name         string `json:"name" minLength:"1" maxLength:"200"`
	Description  string `json:"description,omitempty" maxLength:"4000"`
}

// DeliverableBody confirms a deliverable caio cannot detect.
type DeliverableBody struct {
	Done bool   `json:"done"`
	Note string `json:"note,omitempty" maxLength:"2000" doc:"Required when done: how you know."`
}

func (api *API) registerEngagement() {
	huma.Register(api, op(http.MethodGet, "/engagement", "get-active-engagement", "Get the active engagement with its plan, deliverables and progress", engagementTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body *app.EngagementView }, error) {
			v, err := api.app.FindEngagementView(ctx, "")
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *app.EngagementView }{v}, nil
		})

	huma.Register(api, op(http.MethodGet, "/engagements", "list-engagements", "List the organisation's engagements, newest first", engagementTag),
		func(ctx context.Context, in *struct{ PageQuery }) (*listOut[*caio.Engagement], error) {
			items, total, err := api.app.FindEngagements(ctx, in.page())
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	start := op(http.MethodPost, "/engagements", "start-engagement", "Start the organisation's engagement with the built-in 30/60/90-day plan", engagementTag)
	start.DefaultStatus = http.StatusCreated
	start.Errors = append(start.Errors, http.StatusConflict)
	huma.Register(api, start, func(ctx context.Context, in *struct{ Body EngagementBody }) (*struct{ Body *caio.Engagement }, error) {
		e, err := api.app.StartEngagement(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Engagement }{e}, nil
	})

	huma.Register(api, op(http.MethodGet, "/engagements/{id}", "get-engagement", "Get an engagement with its plan, deliverables and progress", engagementTag),
		func(ctx context.Context, in *EngagementID) (*struct{ Body *app.EngagementView }, error) {
			v, err := api.app.FindEngagementView(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *app.EngagementView }{v}, nil
		})

	huma.Register(api, op(http.MethodPut, "/engagements/{id}", "update-engagement", "Change an active engagement's sponsor, dates, goals or phases", engagementTag),
		func(ctx context.Context, in *struct {
			EngagementID
			Body EngagementBody
		}) (*struct{ Body *caio.Engagement }, error) {
			e, err := api.app.UpdateEngagement(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Engagement }{e}, nil
		})

	huma.Register(api, op(http.MethodPost, "/engagements/{id}/close", "close-engagement", "Close the active engagement, keeping its checklist as it stands", engagementTag),
		func(ctx context.Context, in *EngagementID) (*struct{ Body *caio.Engagement }, error) {
			e, err := api.app.CloseEngagement(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Engagement }{e}, nil
		})

	add := op(http.MethodPost, "/engagements/{id}/plan", "add-plan-item", "Add an item to the plan", engagementTag)
	add.DefaultStatus = http.StatusCreated
	huma.Register(api, add, func(ctx context.Context, in *struct {
		EngagementID
		Body PlanItemBody
	}) (*struct{ Body *caio.PlanItem }, error) {
		it, err := api.app.AddPlanItem(ctx, in.ID, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.PlanItem }{it}, nil
	})

	huma.Register(api, op(http.MethodPut, "/plan-items/{id}", "update-plan-item", "Edit, re-date or complete a plan item", engagementTag),
		func(ctx context.Context, in *struct {
			PlanItemID
			Body PlanItemBody
		}) (*struct{ Body *caio.PlanItem }, error) {
			it, err := api.app.UpdatePlanItem(ctx, in.ID, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.PlanItem }{it}, nil
		})

	huma.Register(api, op(http.MethodPost, "/plan-items/{id}/move", "move-plan-item", "Move a plan item up or down within its window", engagementTag),
		func(ctx context.Context, in *struct {
			PlanItemID
			Body struct {
				Direction string `json:"direction" enum:"up,down"`
			}
		}) (*struct{ Body *caio.PlanItem }, error) {
			it, err := api.app.MovePlanItem(ctx, in.ID, in.Body.Direction)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.PlanItem }{it}, nil
		})

	delItem := op(http.MethodDelete, "/plan-items/{id}", "delete-plan-item", "Delete a plan item", engagementTag)
	delItem.DefaultStatus = http.StatusNoContent
	huma.Register(api, delItem, func(ctx context.Context, in *PlanItemID) (*struct{}, error) {
		if err := api.app.DeletePlanItem(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, op(http.MethodPut, "/engagements/{id}/deliverables/{key}", "confirm-deliverable", "Confirm, with a note, a deliverable caio cannot detect", engagementTag),
		func(ctx context.Context, in *struct {
			EngagementID
			Key  string `path:"key" enum:"inventory_complete,readiness_baseline,strategy_approved,governance_board,policies_approved,portfolio_prioritised,pilot_use_cases,successor_hired"`
			Body DeliverableBody
		}) (*struct{ Body []caio.Deliverable }, error) {
			ds, err := api.app.ConfirmDeliverable(ctx, in.ID, in.Key, caio.DeliverableInput{Done: in.Body.Done, Note: in.Body.Note})
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body []caio.Deliverable }{ds}, nil
		})

	huma.Register(api, op(http.MethodGet, "/engagements/{id}/notes", "list-status-notes", "List the weekly status notes, newest week first", engagementTag),
		func(ctx context.Context, in *struct {
			EngagementID
			PageQuery
		}) (*listOut[*caio.StatusNote], error) {
			items, total, err := api.app.FindStatusNotes(ctx, in.ID, in.page())
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	addNote := op(http.MethodPost, "/engagements/{id}/notes", "add-status-note", "Write the weekly status note", engagementTag)
	addNote.DefaultStatus = http.StatusCreated
	addNote.Errors = append(addNote.Errors, http.StatusConflict)
	huma.Register(api, addNote, func(ctx context.Context, in *struct {
		EngagementID
		Body StatusNoteBody
	}) (*struct{ Body *caio.StatusNote }, error) {
		n, err := api.app.AddStatusNote(ctx, in.ID, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.StatusNote }{n}, nil
	})

	huma.Register(api, op(http.MethodPut, "/status-notes/{id}", "update-status-note", "Replace a weekly status note", engagementTag),
		func(ctx context.Context, in *struct {
			NoteID
			Body StatusNoteBody
		}) (*struct{ Body *caio.StatusNote }, error) {
			n, err := api.app.UpdateStatusNote(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.StatusNote }{n}, nil
		})

	delNote := op(http.MethodDelete, "/status-notes/{id}", "delete-status-note", "Delete a weekly status note", engagementTag)
	delNote.DefaultStatus = http.StatusNoContent
	huma.Register(api, delNote, func(ctx context.Context, in *NoteID) (*struct{}, error) {
		if err := api.app.DeleteStatusNote(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	// Templates belong to the signed-in user.
	huma.Register(api, op(http.MethodGet, "/engagement-templates", "list-engagement-templates", "List your own engagement templates", engagementTag),
		func(ctx context.Context, in *struct{ PageQuery }) (*listOut[*caio.EngagementTemplate], error) {
			items, total, err := api.app.FindEngagementTemplates(ctx, in.page())
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	save := op(http.MethodPost, "/engagement-templates", "save-engagement-template", "Save an engagement, with its questionnaires and other parts, as your template", engagementTag)
	save.DefaultStatus = http.StatusCreated
	huma.Register(api, save, func(ctx context.Context, in *struct{ Body TemplateBody }) (*struct{ Body *caio.EngagementTemplate }, error) {
		t, err := api.app.SaveEngagementTemplate(ctx, in.Body.EngagementID, caio.TemplateInput{Name: in.Body.Name, Description: in.Body.Description})
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.EngagementTemplate }{t}, nil
	})

	huma.Register(api, op(http.MethodGet, "/engagement-templates/{id}", "get-engagement-template", "Get one of your templates with its plan", engagementTag),
		func(ctx context.Context, in *TemplateID) (*struct{ Body *app.TemplateView }, error) {
			t, err := api.app.FindEngagementTemplate(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *app.TemplateView }{t}, nil
		})

	delT := op(http.MethodDelete, "/engagement-templates/{id}", "delete-engagement-template", "Delete one of your templates", engagementTag)
	delT.DefaultStatus = http.StatusNoContent
	huma.Register(api, delT, func(ctx context.Context, in *TemplateID) (*struct{}, error) {
		if err := api.app.DeleteEngagementTemplate(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	startT := op(http.MethodPost, "/engagement-templates/{id}/start", "start-engagement-from-template", "Start this organisation's engagement from one of your templates", engagementTag)
	startT.DefaultStatus = http.StatusCreated
	startT.Errors = append(startT.Errors, http.StatusConflict)
	huma.Register(api, startT, func(ctx context.Context, in *struct {
		TemplateID
		Body EngagementBody
	}) (*struct{ Body *caio.Engagement }, error) {
		e, err := api.app.StartFromTemplate(ctx, in.ID, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Engagement }{e}, nil
	})
}
