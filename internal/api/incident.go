package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/danielgtaylor/huma/v2"
)

// AI incidents: incidents with their systems, Art 73 reporting clock and
// corrective actions, and the harm types an incident may record.

func init() { registrars = append(registrars, (*API).registerIncidents) }

const incidentTag = "Incidents"

// IncidentBody is what a client may set on an incident.
type IncidentBody struct {
	Title       string   `json:"title" minLength:"1" maxLength:"200"`
	Description string   `json:"description,omitempty" maxLength:"10000" doc:"What happened."`
	OccurredAt  string   `json:"occurred_at,omitempty" maxLength:"40" doc:"When it happened, if known: RFC 3339 (2026-11-20T14:30:00Z), 2026-11-20T14:30 (UTC) or a date."`
	AwareAt     string   `json:"aware_at" minLength:"1" maxLength:"40" doc:"When the organisation became aware of it; the Art 73 clock runs from here. Same forms as occurred_at."`
	Harms       []string `json:"harms,omitempty" maxItems:"20" doc:"Keys of the harm types (GET /incident-harm-types). health, critical_infrastructure, fundamental_rights and property_environment are the points (a) to (d) of Art 3(49) and make the incident serious."`
	Severity    string   `json:"severity" enum:"low,medium,high,critical"`
	Widespread  bool     `json:"widespread,omitempty" doc:"A widespread infringement (Art 3(61)): sets the two-day limit of Art 73(3)."`
	Death       bool     `json:"death,omitempty" doc:"A person died: sets the ten-day limit of Art 73(4) and counts as Art 3(49)(a)."`
	Status      string   `json:"status,omitempty" enum:"open,investigating,reported,resolved,closed" doc:"open when left out."`
	ReportedAt  string   `json:"reported_at,omitempty" maxLength:"40" doc:"When it was reported to the market surveillance authority; stops the clock."`
	ReportedTo  string   `json:"reported_to,omitempty" maxLength:"200" doc:"The authority it was reported to; required with reported_at."`
	Owner       string   `json:"owner,omitempty" maxLength:"200"`
	Lessons     string   `json:"lessons_learnt,omitempty" maxLength:"10000"`
	Systems     []string `json:"systems,omitempty" maxItems:"100" doc:"IDs of the AI systems involved (sys_...)."`
	Version     int      `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409."`
}

func (b IncidentBody) input() caio.IncidentInput {
	return caio.IncidentInput{Title: b.Title, Description: b.Description, OccurredAt: b.OccurredAt, AwareAt: b.AwareAt,
		Harms: b.Harms, Severity: b.Severity, Widespread: b.Widespread, Death: b.Death, Status: b.Status, ReportedAt: b.ReportedAt,
		ReportedTo: b.ReportedTo, Owner: b.Owner, LessonsLearnt: b.Lessons, Systems: b.Systems}
}

// CorrectiveBody is what a client may set on a corrective action.
type CorrectiveBody struct {
	Description string `json:"description" minLength:"1" maxLength:"2000" doc:"What will be done."`
	Owner       string `json:"owner,omitempty" maxLength:"200"`
	Due         string `json:"due,omitempty" maxLength:"10" doc:"YYYY-MM-DD."`
	Status      string `json:"status,omitempty" enum:"planned,in_progress,done,cancelled" doc:"planned when left out."`
}

func (b CorrectiveBody) input() caio.CorrectiveInput {
	return caio.CorrectiveInput{Description: b.Description, Owner: b.Owner, Due: b.Due, Status: b.Status}
}

// IncidentID names an incident in the path.
type IncidentID struct {
	ID string `path:"id" doc:"Incident id, inc_..."`
}

// CorrectivePath names a corrective action of an incident in the path.
type CorrectivePath struct {
	ID       string `path:"id" doc:"Incident id, inc_..."`
	ActionID string `path:"action_id" doc:"Corrective action id, cor_..."`
}

// HarmTypes lists the harm types an incident may record.
type HarmTypes struct {
	Items []caio.HarmType `json:"items"`
}

func (api *API) registerIncidents() {
	huma.Register(api, op(http.MethodGet, "/incidents", "list-incidents", "List incidents, each with its Art 73 reporting clock", incidentTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Q        string `query:"q" maxLength:"200" doc:"Search title, description and owner."`
			Status   string `query:"status" enum:"open,investigating,reported,resolved,closed"`
			Severity string `query:"severity" enum:"low,medium,high,critical"`
			System   string `query:"system" maxLength:"64" doc:"Incidents involving this AI system id."`
			Serious  string `query:"serious" enum:"0,1" doc:"1: only serious incidents (Art 3(49)); 0: only the others."`
			Overdue  string `query:"overdue" enum:"0,1" doc:"1: only incidents whose Art 73 deadline passed without a report."`
			Sort     string `query:"sort" enum:"-aware,aware,due,-severity,-created,created,title,-title,-updated,updated" default:"-aware"`
		}) (*listOut[*caio.Incident], error) {
			f := caio.IncidentFilter{Query: trimmed(&in.Q), Status: trimmed(&in.Status), Severity: trimmed(&in.Severity),
				System: trimmed(&in.System), Serious: flag(in.Serious), Overdue: flag(in.Overdue), Sort: in.Sort, Page: in.page()}
			items, total, err := api.app.FindIncidents(ctx, f)
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/incidents", "create-incident", "Record an incident", incidentTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body IncidentBody }) (*struct{ Body *caio.Incident }, error) {
		i, err := api.app.CreateIncident(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Incident }{i}, nil
	})

	huma.Register(api, op(http.MethodGet, "/incident-harm-types", "list-incident-harm-types", "List the harm types an incident may record, with their Art 3(49) points", incidentTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body HarmTypes }, error) {
			hs, err := api.app.IncidentHarmTypes(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body HarmTypes }{HarmTypes{Items: hs}}, nil
		})

	huma.Register(api, op(http.MethodGet, "/incidents/{id}", "get-incident", "Get an incident with its systems, reporting clock and corrective actions", incidentTag),
		func(ctx context.Context, in *IncidentID) (*struct{ Body *caio.Incident }, error) {
			i, err := api.app.FindIncident(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Incident }{i}, nil
		})

	huma.Register(api, op(http.MethodPut, "/incidents/{id}", "update-incident", "Replace an incident's fields and systems", incidentTag),
		func(ctx context.Context, in *struct {
			IncidentID
			Body IncidentBody
		}) (*struct{ Body *caio.Incident }, error) {
			i, err := api.app.UpdateIncident(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Incident }{i}, nil
		})

	del := op(http.MethodDelete, "/incidents/{id}", "delete-incident", "Delete an incident with its corrective actions", incidentTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *IncidentID) (*struct{}, error) {
		if err := api.app.DeleteIncident(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	add := op(http.MethodPost, "/incidents/{id}/actions", "add-corrective-action", "Add a corrective action to an incident", incidentTag)
	add.DefaultStatus = http.StatusCreated
	huma.Register(api, add, func(ctx context.Context, in *struct {
		IncidentID
		Body CorrectiveBody
	}) (*struct{ Body *caio.CorrectiveAction }, error) {
		x, err := api.app.AddCorrectiveAction(ctx, in.ID, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.CorrectiveAction }{x}, nil
	})

	huma.Register(api, op(http.MethodPut, "/incidents/{id}/actions/{action_id}", "update-corrective-action", "Replace a corrective action's fields", incidentTag),
		func(ctx context.Context, in *struct {
			CorrectivePath
			Body CorrectiveBody
		}) (*struct{ Body *caio.CorrectiveAction }, error) {
			x, err := api.app.UpdateCorrectiveAction(ctx, in.ID, in.ActionID, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.CorrectiveAction }{x}, nil
		})

	delA := op(http.MethodDelete, "/incidents/{id}/actions/{action_id}", "delete-corrective-action", "Delete a corrective action", incidentTag)
	delA.DefaultStatus = http.StatusNoContent
	huma.Register(api, delA, func(ctx context.Context, in *CorrectivePath) (*struct{}, error) {
		if err := api.app.DeleteCorrectiveAction(ctx, in.ID, in.ActionID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})
}
