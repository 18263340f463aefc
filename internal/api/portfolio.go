package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/danielgtaylor/huma/v2"
)

// Approvals, value realised (KPIs and benefits), the AI strategy, the
// portfolio settings, the roadmap and the roll-up.

const (
	approvalTag  = "Approvals"
	valueTag     = "Value"
	portfolioTag = "Strategy and portfolio"
)

// ApprovalID names an approval request in the path.
type ApprovalID struct {
	ID string `path:"id" doc:"Approval id, apr_..."`
}

// KPIID names a KPI in the path.
type KPIID struct {
	ID string `path:"id" doc:"KPI id, kpi_..."`
}

// DecisionBody is an approver's vote.
type DecisionBody struct {
	Decision string `json:"decision" enum:"approve,reject" doc:"One rejection rejects the request; the approval that reaches the quorum applies the change."`
	Comment  string `json:"comment,omitempty" maxLength:"2000" doc:"Required to reject: say what would change your mind."`
}

// KPIBody is what a client may set on a KPI.
type KPIBody struct {
	Name      string   `json:"name" minLength:"1" maxLength:"200" doc:"What is measured."`
	Unit      string   `json:"unit,omitempty" maxLength:"50" doc:"Such as minutes, EUR or %."`
	Direction string   `json:"direction,omitempty" enum:"increase,decrease," doc:"Which way is better; increase when left out."`
	Baseline  *float64 `json:"baseline,omitempty" doc:"The value measured before the use case."`
	Target    *float64 `json:"target,omitempty" doc:"The value production should reach."`
}

func (b KPIBody) input() caio.KPIInput {
	return caio.KPIInput{Name: b.Name, Unit: b.Unit, Direction: b.Direction, Baseline: b.Baseline, Target: b.Target}
}

// KPIActualBody is one measured value of a KPI.
type KPIActualBody struct {
	On    string  `json:"on" maxLength:"10" doc:"The date measured, YYYY-MM-DD."`
	Value float64 `json:"value"`
	Note  string  `json:"note,omitempty" maxLength:"1000"`
}

// BenefitBody is the benefit realised in one year of the business case.
type BenefitBody struct {
	Amount float64 `json:"amount" doc:"In the business case's currency."`
	Note   string  `json:"note,omitempty" maxLength:"1000" doc:"Where the figure comes from."`
}

// KPIList is a use case's KPIs with their actuals.
type KPIList struct {
	Items []*caio.KPI `json:"items"`
}

// StrategyPriorityBody is one strategic priority.
type StrategyPriorityBody struct {
	Title        string   `json:"title" maxLength:"200"`
	Description  string   `json:"description,omitempty" maxLength:"2000"`
	ObjectiveIDs []string `json:"objective_ids,omitempty" maxItems:"100" doc:"Business objectives it serves, obj_..."`
}

// StrategyBody is the AI strategy's content, with the version edited.
type StrategyBody struct {
	Vision         string                 `json:"vision,omitempty" maxLength:"4000"`
	Principles     []string               `json:"principles,omitempty" maxItems:"30"`
	Priorities     []StrategyPriorityBody `json:"priorities,omitempty" maxItems:"20"`
	TargetMaturity int                    `json:"target_maturity,omitempty" doc:"The maturity level aimed for, 1-5; 0 when not set."`
	Budget         float64                `json:"budget,omitempty" doc:"The AI budget for the period."`
	Currency       string                 `json:"currency,omitempty" maxLength:"3" doc:"ISO 4217 code of the budget."`
	BudgetPeriod   string                 `json:"budget_period,omitempty" maxLength:"100" doc:"Such as FY2027."`
	Owners         []string               `json:"owners,omitempty" maxItems:"20" doc:"Who owns the strategy."`
	Horizon        string                 `json:"horizon,omitempty" maxLength:"10" doc:"The date the strategy runs to, YYYY-MM-DD."`
	Version        int                    `json:"version" minimum:"0" doc:"The version you edited, 0 for the first strategy; a different stored version gives 409."`
}

func (b StrategyBody) content() caio.StrategyContent {
	ps := make([]caio.StrategyPriority, len(b.Priorities))
	for i, p := range b.Priorities {
		ps[i] = caio.StrategyPriority{Title: p.Title, Description: p.Description, ObjectiveIDs: p.ObjectiveIDs}
	}
	return caio.StrategyContent{Vision: b.Vision, Principles: b.Principles, Priorities: ps, TargetMaturity: b.TargetMaturity,
		Budget: b.Budget, Currency: b.Currency, BudgetPeriod: b.BudgetPeriod, Owners: b.Owners, Horizon: b.Horizon}
}

// WeightsBody are the scoring weights in whole percent. The four value
// weights add up to 100, the four feasibility weights too, and value,
// feasibility and risk together.
type WeightsBody struct {
	ObjectiveFit   int    `json:"objective_fit"`
	StrategicFit   int    `json:"strategic_fit"`
	PeopleAffected int    `json:"people_affected"`
	Urgency        int    `json:"urgency"`
	DataReadiness  int    `json:"data_readiness"`
	Complexity     int    `json:"complexity"`
	Skills         int    `json:"skills"`
	Integration    int    `json:"integration"`
	Value          int    `json:"value"`
	Feasibility    int    `json:"feasibility"`
	Risk           int    `json:"risk"`
	Method         string `json:"method" enum:"weighted,rice,wsjf" doc:"The method that ranks the portfolio."`
}

// SettingsBody are the portfolio settings.
type SettingsBody struct {
	Weights      WeightsBody        `json:"weights"`
	Quorum       int                `json:"quorum" doc:"Approvals a gate needs, 1 to 20."`
	SelfApproval bool               `json:"self_approval,omitempty" doc:"Whether a requester may approve their own request."`
	Currency     string             `json:"currency,omitempty" maxLength:"3" doc:"ISO 4217 code of the roll-up; EUR when left out."`
	Success      map[string]float64 `json:"success,omitempty" doc:"Chance, 0 to 1, that a use case in each stage reaches production; stages left out keep the defaults."`
	Version      int                `json:"version,omitempty" minimum:"0" doc:"The version you edited; a different stored version gives 409. Leave out to overwrite."`
}

func (b SettingsBody) settings() caio.PortfolioSettings {
	w := b.Weights
	return caio.PortfolioSettings{Weights: caio.ScoreWeights{ObjectiveFit: w.ObjectiveFit, StrategicFit: w.StrategicFit,
		PeopleAffected: w.PeopleAffected, Urgency: w.Urgency, DataReadiness: w.DataReadiness, Complexity: w.Complexity,
		Skills: w.Skills, Integration: w.Integration, Value: w.Value, Feasibility: w.Feasibility, Risk: w.Risk, Method: w.Method},
		Quorum: b.Quorum, SelfApproval: b.SelfApproval, Currency: b.Currency, Success: b.Success}
}

// CapacityBody is what the organisation can give AI work in one quarter.
type CapacityBody struct {
	Quarter string  `json:"quarter" maxLength:"7" doc:"Such as 2027Q1."`
	People  float64 `json:"people,omitempty" doc:"Full-time equivalents."`
	Budget  float64 `json:"budget,omitempty"`
}

// CapacityList is the organisation's capacity by quarter.
type CapacityList struct {
	Capacity []caio.Capacity `json:"capacity"`
}

func (api *API) registerPortfolio() {
	api.registerApprovals()
	api.registerResimulate()
	api.registerValue()

	huma.Register(api, op(http.MethodGet, "/strategy", "get-strategy", "Get the AI strategy", portfolioTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body *caio.Strategy }, error) {
			s, err := api.app.FindStrategy(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Strategy }{s}, nil
		})

	putStrategy := op(http.MethodPut, "/strategy", "update-strategy", "Replace the AI strategy", portfolioTag)
	putStrategy.Errors = append(putStrategy.Errors, http.StatusConflict)
	huma.Register(api, putStrategy, func(ctx context.Context, in *struct{ Body StrategyBody }) (*struct{ Body *caio.Strategy }, error) {
		s, err := api.app.UpdateStrategy(ctx, in.Body.Version, in.Body.content())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Strategy }{s}, nil
	})

	huma.Register(api, op(http.MethodGet, "/portfolio/settings", "get-portfolio-settings", "Get the portfolio settings", portfolioTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body caio.PortfolioSettings }, error) {
			s, err := api.app.FindPortfolioSettings(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body caio.PortfolioSettings }{s}, nil
		})

	putSettings := op(http.MethodPut, "/portfolio/settings", "update-portfolio-settings", "Replace the portfolio settings", portfolioTag)
	putSettings.Description = "The scoring weights and method, the quorum of approvers a gate needs, whether requesters may approve their own requests, the currency of the roll-up, and the chance that a use case in each stage reaches production."
	putSettings.Errors = append(putSettings.Errors, http.StatusConflict)
	huma.Register(api, putSettings, func(ctx context.Context, in *struct{ Body SettingsBody }) (*struct{ Body caio.PortfolioSettings }, error) {
		s, err := api.app.UpdatePortfolioSettings(ctx, in.Body.Version, in.Body.settings())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body caio.PortfolioSettings }{s}, nil
	})

	huma.Register(api, op(http.MethodGet, "/roadmap", "get-roadmap", "Get the roadmap: use cases by quarter against capacity", portfolioTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body *app.Roadmap }, error) {
			r, err := api.app.FindRoadmap(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *app.Roadmap }{r}, nil
		})

	huma.Register(api, op(http.MethodPut, "/roadmap/capacity", "set-capacity", "Replace the capacity per quarter", portfolioTag),
		func(ctx context.Context, in *struct {
			Body struct {
				Capacity []CapacityBody `json:"capacity" maxItems:"80" doc:"One row per quarter; quarters left out have no capacity planned."`
			}
		}) (*struct{ Body CapacityList }, error) {
			qs := make([]caio.Capacity, len(in.Body.Capacity))
			for i, q := range in.Body.Capacity {
				qs[i] = caio.Capacity{Quarter: q.Quarter, People: q.People, Budget: q.Budget}
			}
			out, err := api.app.SetCapacity(ctx, qs)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body CapacityList }{CapacityList{Capacity: out}}, nil
		})

	huma.Register(api, op(http.MethodGet, "/portfolio/rollup", "portfolio-rollup", "Add up the portfolio's business cases", portfolioTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body *app.Rollup }, error) {
			r, err := api.app.PortfolioRollup(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *app.Rollup }{r}, nil
		})
}

// Resimulation is what re-running every business case did.
type Resimulation struct {
	Simulated int      `json:"simulated" doc:"Business cases simulated and stored."`
	Failed    []string `json:"failed" doc:"Use cases whose business case no longer validates; they keep their old result."`
}

func (api *API) registerResimulate() {
	huma.Register(api, op(http.MethodPost, "/portfolio/simulate", "portfolio-simulate", "Run every business case again, on all cores, and store the results", portfolioTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body Resimulation }, error) {
			n, failed, err := api.app.ResimulateBusinessCases(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			if failed == nil {
				failed = []string{}
			}
			return &struct{ Body Resimulation }{Resimulation{n, failed}}, nil
		})
}

func (api *API) registerApprovals() {
	huma.Register(api, op(http.MethodGet, "/approvals", "list-approvals", "List approval requests, newest first", approvalTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Status    string `query:"status" enum:"pending,approved,rejected,withdrawn," doc:"Only requests with this status."`
			SubjectID string `query:"subject_id" maxLength:"64" doc:"Only requests about this object, such as a use case uc_..."`
		}) (*listOut[*caio.Approval], error) {
			items, total, err := api.app.FindApprovals(ctx, caio.ApprovalFilter{Status: trimmed(&in.Status), SubjectID: trimmed(&in.SubjectID), Page: in.page()})
			if err != nil {
				return nil, api.filterProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	huma.Register(api, op(http.MethodGet, "/approvals/{id}", "get-approval", "Get an approval request with its votes", approvalTag),
		func(ctx context.Context, in *ApprovalID) (*struct{ Body *caio.Approval }, error) {
			ap, err := api.app.FindApproval(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.Approval }{ap}, nil
		})

	decide := op(http.MethodPost, "/approvals/{id}/decision", "decide-approval", "Approve or reject a request", approvalTag)
	decide.Description = "One vote per approver. The vote that reaches the quorum approves the request and applies the change in the same step (for a stage gate, after checking its criteria again). " +
		"409: the request is decided already, or you voted. 403: you asked for the change and the organisation does not allow self-approval."
	decide.Errors = append(decide.Errors, http.StatusConflict)
	huma.Register(api, decide, func(ctx context.Context, in *struct {
		ApprovalID
		Body DecisionBody
	}) (*struct{ Body *caio.Approval }, error) {
		ap, err := api.app.DecideApproval(ctx, in.ID, in.Body.Decision, in.Body.Comment)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Approval }{ap}, nil
	})

	withdraw := op(http.MethodPost, "/approvals/{id}/withdraw", "withdraw-approval", "Withdraw a pending request", approvalTag)
	withdraw.Description = "The requester, or an editor, may withdraw a request that is still pending; 409 once it is decided."
	withdraw.Errors = append(withdraw.Errors, http.StatusConflict)
	huma.Register(api, withdraw, func(ctx context.Context, in *ApprovalID) (*struct{ Body *caio.Approval }, error) {
		ap, err := api.app.WithdrawApproval(ctx, in.ID)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.Approval }{ap}, nil
	})
}

func (api *API) registerValue() {
	huma.Register(api, op(http.MethodGet, "/usecases/{id}/kpis", "list-kpis", "List a use case's KPIs with their actuals", valueTag),
		func(ctx context.Context, in *UseCaseID) (*struct{ Body KPIList }, error) {
			v, err := api.app.FindValue(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			items := v.KPIs
			if items == nil {
				items = []*caio.KPI{}
			}
			return &struct{ Body KPIList }{KPIList{Items: items}}, nil
		})

	create := op(http.MethodPost, "/usecases/{id}/kpis", "create-kpi", "Add a KPI to a use case", valueTag)
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct {
		UseCaseID
		Body KPIBody
	}) (*struct{ Body *caio.KPI }, error) {
		k, err := api.app.CreateKPI(ctx, in.ID, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.KPI }{k}, nil
	})

	huma.Register(api, op(http.MethodPut, "/kpis/{id}", "update-kpi", "Replace a KPI's definition", valueTag),
		func(ctx context.Context, in *struct {
			KPIID
			Body KPIBody
		}) (*struct{ Body *caio.KPI }, error) {
			k, err := api.app.UpdateKPI(ctx, in.ID, in.Body.input())
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.KPI }{k}, nil
		})

	del := op(http.MethodDelete, "/kpis/{id}", "delete-kpi", "Delete a KPI and its actuals", valueTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *KPIID) (*struct{}, error) {
		if err := api.app.DeleteKPI(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	record := op(http.MethodPost, "/kpis/{id}/actuals", "record-kpi-actual", "Record a measured value of a KPI", valueTag)
	record.DefaultStatus = http.StatusCreated
	huma.Register(api, record, func(ctx context.Context, in *struct {
		KPIID
		Body KPIActualBody
	}) (*struct{ Body *caio.KPIActual }, error) {
		act, err := api.app.RecordKPIActual(ctx, in.ID, caio.KPIActualInput{On: in.Body.On, Value: in.Body.Value, Note: in.Body.Note})
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.KPIActual }{act}, nil
	})

	delActual := op(http.MethodDelete, "/kpis/{id}/actuals/{actual_id}", "delete-kpi-actual", "Delete a measured value", valueTag)
	delActual.DefaultStatus = http.StatusNoContent
	huma.Register(api, delActual, func(ctx context.Context, in *struct {
		KPIID
		ActualID string `path:"actual_id" doc:"Measured value id, kpa_..."`
	}) (*struct{}, error) {
		if err := api.app.DeleteKPIActual(ctx, in.ID, in.ActualID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	benefit := op(http.MethodPut, "/usecases/{id}/benefits/{year}", "record-benefit", "Record the benefit realised in one year of the business case", valueTag)
	benefit.Description = "Replaces an earlier figure for the year. The answer is the value report, which places the figure against the simulated P10–P90 band of that year. 422 at `path.year` without a business case or for a year outside its horizon."
	huma.Register(api, benefit, func(ctx context.Context, in *struct {
		UseCaseID
		Year int `path:"year" doc:"Year of the business case, 1 to its horizon (year 1 follows the one-off spend)."`
		Body BenefitBody
	}) (*struct{ Body *app.ValueReport }, error) {
		if err := api.app.RecordBenefit(ctx, in.ID, caio.BenefitActual{Year: in.Year, Amount: in.Body.Amount, Note: in.Body.Note}); err != nil {
			return nil, api.problemAt(ctx, err, map[string]string{"year": "path.year"})
		}
		v, err := api.app.FindValue(ctx, in.ID)
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *app.ValueReport }{v}, nil
	})

	huma.Register(api, op(http.MethodGet, "/usecases/{id}/value", "get-value", "Get a use case's value realised: KPIs and benefits against the business case", valueTag),
		func(ctx context.Context, in *UseCaseID) (*struct{ Body *app.ValueReport }, error) {
			v, err := api.app.FindValue(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *app.ValueReport }{v}, nil
		})
}
