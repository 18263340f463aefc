package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/risklib"
	"github.com/danielgtaylor/huma/v2"
)

// The risk register: risks with their links and treatments, the heat map,
// the organisation's appetite and the risk libraries.

const riskTag = "Risks"

// RiskBody is what a client may set on a risk.
type RiskBody struct {
	Title              string   `json:"title" minLength:"1" maxLength:"200"`
	Description        string   `json:"description,omitempty" maxLength:"10000"`
	Category           string   `json:"category,omitempty" maxLength:"100" doc:"A risk library item, library:id, such as owasp-llm:LLM01, mit:2.1, nist-600-1:GAI-2 or atlas:AML.TA0001; see GET /risk-libraries."`
	Likelihood         int      `json:"likelihood" doc:"Inherent likelihood, 1 to the organisation's scale (5 unless changed)."`
	Impact             int      `json:"impact" doc:"Inherent impact, 1 to the scale."`
	ResidualLikelihood int      `json:"residual_likelihood,omitempty" doc:"Likelihood after treatment; leave both residual values out when not assessed."`
	ResidualImpact     int      `json:"residual_impact,omitempty" doc:"Impact after treatment."`
	Owner              string   `json:"owner,omitempty" maxLength:"200"`
	Status             string   `json:"status,omitempty" enum:"open,treating,accepted,closed" doc:"open when left out."`
	ReviewDate         string   `json:"review_date,omitempty" maxLength:"10" doc:"Next review, YYYY-MM-DD."`
	Systems            []string `json:"systems,omitempty" maxItems:"100" doc:"IDs of the AI systems it concerns (sys_...)."`
	UseCases           []string `json:"use_cases,omitempty" maxItems:"100" doc:"IDs of the use cases it concerns (uc_...)."`
	Vendors            []string `json:"vendors,omitempty" maxItems:"100" doc:"IDs of the vendors it concerns (vnd_...)."`
	Version            int      `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409."`
}

func (b RiskBody) input() caio.RiskInput {
	return caio.RiskInput{Title: b.Title, Description: b.Description, Category: b.Category, Likelihood: b.Likelihood,
		Impact: b.Impact, ResidualLikelihood: b.ResidualLikelihood, ResidualImpact: b.ResidualImpact, Owner: b.Owner,
		Status: b.Status, ReviewDate: b.ReviewDate, Systems: b.Systems, UseCases: b.UseCases, Vendors: b.Vendors}
}

// TreatmentBody is what a client may set on a treatment.
type TreatmentBody struct {
	Description string `json:"description" minLength:"1" maxLength:"2000" doc:"What will be done."`
	ControlID   string `json:"control_id,omitempty" maxLength:"64" doc:"The control of the compliance module that implements it (ctl_...)."`
	Status      string `json:"status,omitempty" enum:"planned,in_progress,done,cancelled" doc:"planned when left out."`
	Owner       string `json:"owner,omitempty" maxLength:"200"`
	Due         string `json:"due,omitempty" maxLength:"10" doc:"YYYY-MM-DD."`
}

func (b TreatmentBody) input() caio.TreatmentInput {
	return caio.TreatmentInput{ControlID: b.ControlID, Description: b.Description, Status: b.Status, Owner: b.Owner, Due: b.Due}
}

// RiskID names a risk in the path.
type RiskID struct {
	ID string `path:"id" doc:"Risk id, rsk_..."`
}

// TreatmentPath names a treatment of a risk in the path.
type TreatmentPath struct {
	ID          string `path:"id" doc:"Risk id, rsk_..."`
	TreatmentID string `path:"treatment_id" doc:"Treatment id, rtr_..."`
}

// RiskLibraries lists the risk libraries with their attribution.
type RiskLibraries struct {
	Items []RiskLibrary `json:"items"`
}

// RiskLibrary is one risk library: its items are what a risk's category
// names, as library:id.
type RiskLibrary struct {
	ID        string            `json:"id"`
	Name      string            `json:"name"`
	Version   string            `json:"version"`
	Publisher string            `json:"publisher"`
	URL       string            `json:"url"`
	Licence   string            `json:"licence" doc:"The attribution and terms under which caio ships these IDs and names."`
	Items     []RiskLibraryItem `json:"items"`
}

// RiskLibraryItem is one risk, domain or tactic of a library.
type RiskLibraryItem struct {
	ID       string `json:"id"`
	Category string `json:"category" doc:"What a risk's category field holds for this item."`
	Parent   string `json:"parent,omitempty"`
	Name     string `json:"name"`
}

func riskLibraries(set *risklib.Set) RiskLibraries {
	out := RiskLibraries{Items: []RiskLibrary{}}
	for _, l := range set.Libraries() {
		rl := RiskLibrary{ID: l.ID, Name: l.Name, Version: l.Version, Publisher: l.Publisher, URL: l.URL, Licence: l.Licence}
		for _, it := range l.Items {
			rl.Items = append(rl.Items, RiskLibraryItem{ID: it.ID, Category: risklib.Category(l.ID, it.ID), Parent: it.Parent, Name: it.Name})
		}
		out.Items = append(out.Items, rl)
	}
	return out
}

// AppetiteBody sets the organisation's scale and appetite.
type AppetiteBody struct {
	Scale    int `json:"scale" minimum:"3" maximum:"10" doc:"Likelihood and impact run from 1 to this."`
	Appetite int `json:"appetite" minimum:"1" maximum:"100" doc:"The highest acceptable score (likelihood × impact)."`
	Version  int `json:"version,omitempty" minimum:"0" doc:"The version you edited; a different stored version gives 409."`
}

func (api *API) registerRisks() {
	huma.Register(api, op(http.MethodGet, "/risks", "list-risks", "List risks of the register", riskTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Q        string `query:"q" maxLength:"200" doc:"Search title, description and owner."`
			Status   string `query:"status" enum:"open,treating,accepted,closed"`
			Library  string `query:"library" maxLength:"40" doc:"Risks categorised in this library, such as owasp-llm."`
			Category string `query:"category" maxLength:"100" doc:"Exactly this category, such as mit:2.1."`
			Owner    string `query:"owner" maxLength:"200" doc:"Exactly this owner."`
			System   string `query:"system" maxLength:"64" doc:"Risks linked to this AI system id."`
			UseCase  string `query:"use_case" maxLength:"64" doc:"Risks linked to this use case id."`
			Vendor   string `query:"vendor" maxLength:"64" doc:"Risks linked to this vendor id."`
			Breach   string `query:"breach" enum:"0,1" doc:"1: only risks above the appetite; 0: only those within it."`
			Overdue  string `query:"overdue" enum:"0,1" doc:"1: only risks whose review is overdue."`
			Sort     string `query:"sort" enum:"-score,score,-created,created,title,-title,-updated,updated,review,-review" default:"-score"`
			// One cell of a heat map, as the pages link to it.
			Likelihood int    `query:"likelihood" minimum:"0" maximum:"10" doc:"With impact: the risks of one cell of the heat map."`
			Impact     int    `query:"impact" minimum:"0" maximum:"10"`
			Basis      string `query:"basis" enum:"inherent,residual," doc:"Which heat map the cell is of (inherent by default)."`
		}) (*listOut[*caio.Risk], error) {
			f := caio.RiskFilter{Query: trimmed(&in.Q), Status: trimmed(&in.Status), Library: trimmed(&in.Library), Category: trimmed(&in.Category),
				Owner: trimmed(&in.Owner), System: trimmed(&in.System), UseCase: trimmed(&in.UseCase), Vendor: trimmed(&in.Vendor),
				Breach: flag(in.Breach), Overdue: flag(in.Overdue), Sort: in.Sort, Page: in.page(), Residual: in.Basis == "residual"}
			if in.Likelihood > 0 {
				f.Likelihood = &in.Likelihood
			}
			if in.Impact > 0 {
				f.Impact = &in.Impact
			}
			items, total, err := api.app.FindRisks(ctx, f)
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/risks", "create-risk", "Add a risk to the register", riskTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body RiskBody }) (*struct{ Body *caio.Risk }, error) {
		r, err := api.app.CreateRisk(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Risk }{r}, nil
	})

	huma.Register(api, op(http.MethodGet, "/risks/heatmap", "risk-heatmap", "Count the risks that are not closed by likelihood and impact, before and after treatment", riskTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body *caio.RiskHeatMap }, error) {
			h, err := api.app.RiskHeatMap(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.RiskHeatMap }{h}, nil
		})

	huma.Register(api, op(http.MethodGet, "/risks/{id}", "get-risk", "Get a risk with its links and treatments", riskTag),
		func(ctx context.Context, in *RiskID) (*struct{ Body *caio.Risk }, error) {
			r, err := api.app.FindRisk(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Risk }{r}, nil
		})

	huma.Register(api, op(http.MethodPut, "/risks/{id}", "update-risk", "Replace a risk's fields and links", riskTag),
		func(ctx context.Context, in *struct {
			RiskID
			Body RiskBody
		}) (*struct{ Body *caio.Risk }, error) {
			r, err := api.app.UpdateRisk(ctx, in.ID, in.Body.Version, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Risk }{r}, nil
		})

	del := op(http.MethodDelete, "/risks/{id}", "delete-risk", "Delete a risk with its links and treatments", riskTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *RiskID) (*struct{}, error) {
		if err := api.app.DeleteRisk(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	add := op(http.MethodPost, "/risks/{id}/treatments", "add-risk-treatment", "Add a treatment to a risk", riskTag)
	add.DefaultStatus = http.StatusCreated
	huma.Register(api, add, func(ctx context.Context, in *struct {
		RiskID
		Body TreatmentBody
	}) (*struct{ Body *caio.RiskTreatment }, error) {
		t, err := api.app.AddTreatment(ctx, in.ID, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.RiskTreatment }{t}, nil
	})

	huma.Register(api, op(http.MethodPut, "/risks/{id}/treatments/{treatment_id}", "update-risk-treatment", "Replace a treatment's fields", riskTag),
		func(ctx context.Context, in *struct {
			TreatmentPath
			Body TreatmentBody
		}) (*struct{ Body *caio.RiskTreatment }, error) {
			t, err := api.app.UpdateTreatment(ctx, in.ID, in.TreatmentID, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.RiskTreatment }{t}, nil
		})

	delT := op(http.MethodDelete, "/risks/{id}/treatments/{treatment_id}", "delete-risk-treatment", "Delete a treatment", riskTag)
	delT.DefaultStatus = http.StatusNoContent
	huma.Register(api, delT, func(ctx context.Context, in *TreatmentPath) (*struct{}, error) {
		if err := api.app.DeleteTreatment(ctx, in.ID, in.TreatmentID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, op(http.MethodGet, "/risk-appetite", "get-risk-appetite", "Get the organisation's risk scale and appetite", riskTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body *caio.RiskAppetite }, error) {
			s, err := api.app.RiskAppetite(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.RiskAppetite }{s}, nil
		})

	set := op(http.MethodPut, "/risk-appetite", "set-risk-appetite", "Set the organisation's risk scale and appetite (owners and admins)", riskTag)
	set.Errors = append(set.Errors, http.StatusConflict)
	huma.Register(api, set, func(ctx context.Context, in *struct{ Body AppetiteBody }) (*struct{ Body *caio.RiskAppetite }, error) {
		s, err := api.app.SetRiskAppetite(ctx, caio.RiskAppetite{Scale: in.Body.Scale, Appetite: in.Body.Appetite, Version: in.Body.Version})
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.RiskAppetite }{s}, nil
	})

	huma.Register(api, op(http.MethodGet, "/risk-libraries", "list-risk-libraries", "List the risk libraries a risk's category comes from, with their attribution", riskTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body RiskLibraries }, error) {
			set, err := api.app.RiskLibraries(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body RiskLibraries }{riskLibraries(set)}, nil
		})
}

// flag reads a 0 or 1 query parameter; empty is nil.
func flag(s string) *bool {
	switch s {
	case "1":
		t := true
		return &t
	case "0":
		f := false
		return &f
	}
	return nil
}
