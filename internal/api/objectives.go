package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/danielgtaylor/huma/v2"
)

// ObjectiveBody is what a client may set on an objective.
type ObjectiveBody struct {
	Title       string   `json:"title" minLength:"1" maxLength:"200" doc:"Short name of the objective."`
	Description string   `json:"description,omitempty" maxLength:"10000"`
	KPI         string   `json:"kpi,omitempty" maxLength:"200" doc:"The indicator that measures progress."`
	Baseline    *float64 `json:"baseline,omitempty" doc:"KPI value today."`
	Target      *float64 `json:"target,omitempty" doc:"KPI value to reach by the horizon."`
	Unit        string   `json:"unit,omitempty" maxLength:"200"`
	Horizon     string   `json:"horizon,omitempty" doc:"Date by which to reach the target, YYYY-MM-DD."`
	Owner       string   `json:"owner,omitempty" maxLength:"200"`
	Version     int      `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409. Leave out to overwrite."`
}

func (b ObjectiveBody) input() caio.ObjectiveInput {
	return caio.ObjectiveInput{Title: b.Title, Description: b.Description, KPI: b.KPI, Baseline: b.Baseline,
		Target: b.Target, Unit: b.Unit, Horizon: b.Horizon, Owner: b.Owner}
}

type objectiveOut struct{ Body *caio.Objective }

// ObjectiveID names an objective in the path. Exported, like MemberID, so
// huma fills it when it is embedded in a larger input.
type ObjectiveID struct {
	ID string `path:"id" doc:"Objective id, obj_..."`
}

func (api *API) registerObjectives() {
	huma.Register(api, op(http.MethodGet, "/objectives", "list-objectives", "List business objectives", "Objectives"),
		func(ctx context.Context, in *struct {
			PageQuery
			Q     string `query:"q" maxLength:"200" doc:"Search title, KPI and owner."`
			Owner string `query:"owner" maxLength:"200"`
			Sort  string `query:"sort" enum:"-created,created,title,-title,horizon,-horizon,updated,-updated" default:"-created"`
		}) (*listOut[*caio.Objective], error) {
			f := caio.ObjectiveFilter{Query: trimmed(&in.Q), Owner: trimmed(&in.Owner), Sort: in.Sort, Page: in.page()}
			items, total, err := api.app.FindObjectives(ctx, f)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/objectives", "create-objective", "Create a business objective", "Objectives")
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body ObjectiveBody }) (*objectiveOut, error) {
		o, err := api.app.CreateObjective(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &objectiveOut{o}, nil
	})

	huma.Register(api, op(http.MethodGet, "/objectives/{id}", "get-objective", "Get a business objective", "Objectives"),
		func(ctx context.Context, in *ObjectiveID) (*objectiveOut, error) {
			o, err := api.app.FindObjective(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &objectiveOut{o}, nil
		})

	huma.Register(api, op(http.MethodPut, "/objectives/{id}", "update-objective", "Replace a business objective's fields", "Objectives"),
		func(ctx context.Context, in *struct {
			ObjectiveID
			Body ObjectiveBody
		}) (*objectiveOut, error) {
			o, err := api.app.UpdateObjective(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &objectiveOut{o}, nil
		})

	del := op(http.MethodDelete, "/objectives/{id}", "delete-objective", "Delete a business objective", "Objectives")
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *ObjectiveID) (*struct{}, error) {
		if err := api.app.DeleteObjective(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})
}
