package api

import (
	"context"
	"net/http"
	"reflect"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/finance"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/danielgtaylor/huma/v2"
)

// The use-case portfolio: use cases with their scores, triage, ratings,
// roadmap placement, ranking, business cases and stage gates.

const useCaseTag = "Use cases"

// UseCaseID names a use case in the path.
type UseCaseID struct {
	ID string `path:"id" doc:"Use case id, uc_..."`
}

// UseCaseBody is what a client may set on a use case: the intake canvas and
// the objectives and AI systems it is linked to. Every field but the title
// may be left out; an update replaces them all.
type UseCaseBody struct {
	Title         string   `json:"title" minLength:"1" maxLength:"200" doc:"Short name of the use case."`
	Problem       string   `json:"problem,omitempty" maxLength:"4000" doc:"The problem it solves, for whom."`
	Process       string   `json:"process,omitempty" maxLength:"2000" doc:"The business process it changes."`
	Users         string   `json:"users,omitempty" maxLength:"2000" doc:"Who would use it."`
	Volume        string   `json:"volume,omitempty" maxLength:"500" doc:"How often the process runs, such as 40,000 claims a year."`
	DataNeeded    string   `json:"data_needed,omitempty" maxLength:"4000" doc:"The data it needs."`
	DataAvailable string   `json:"data_available,omitempty" maxLength:"4000" doc:"Which of that data exists today, and where."`
	Approach      string   `json:"approach,omitempty" enum:"predictive,generative,agentic,optimisation,other," doc:"The kind of AI; empty when not known yet."`
	Sourcing      string   `json:"sourcing,omitempty" enum:"build,buy,partner," doc:"How the capability would be obtained; empty when not known yet."`
	Benefits      string   `json:"benefits,omitempty" maxLength:"4000" doc:"The benefits expected, in words (the business case holds the figures)."`
	Costs         string   `json:"costs,omitempty" maxLength:"4000"`
	Risks         string   `json:"risks,omitempty" maxLength:"4000"`
	Dependencies  string   `json:"dependencies,omitempty" maxLength:"2000"`
	Owner         string   `json:"owner,omitempty" maxLength:"200" doc:"The accountable owner."`
	Sponsor       string   `json:"sponsor,omitempty" maxLength:"200" doc:"The business sponsor."`
	ObjectiveIDs  []string `json:"objective_ids,omitempty" maxItems:"100" doc:"Business objectives it serves, obj_..."`
	SystemIDs     []string `json:"system_ids,omitempty" maxItems:"100" doc:"AI systems of the inventory it uses, sys_..."`
	Version       int      `json:"version,omitempty" minimum:"0" doc:"On update: the version you edited; a different stored version gives 409. Leave out to overwrite."`
}

func (b UseCaseBody) input() caio.UseCaseInput {
	return caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{
		Title: b.Title, Problem: b.Problem, Process: b.Process, Users: b.Users, Volume: b.Volume,
		DataNeeded: b.DataNeeded, DataAvailable: b.DataAvailable, Approach: b.Approach, Sourcing: b.Sourcing,
		Benefits: b.Benefits, Costs: b.Costs, Risks: b.Risks, Dependencies: b.Dependencies, Owner: b.Owner, Sponsor: b.Sponsor,
	}, ObjectiveIDs: b.ObjectiveIDs, SystemIDs: b.SystemIDs}
}

// RatingsBody holds the team's ratings of a use case. Every rating may be
// left out or 0, which means not rated (or, for RICE and WSJF, not given).
type RatingsBody struct {
	ObjectiveFit   int `json:"objective_fit,omitempty" minimum:"0" maximum:"5" doc:"Value: fit with the linked business objectives, 1-5."`
	StrategicFit   int `json:"strategic_fit,omitempty" minimum:"0" maximum:"5" doc:"Value: fit with the AI strategy, 1-5."`
	PeopleAffected int `json:"people_affected,omitempty" minimum:"0" maximum:"5" doc:"Value: how many people benefit, 1-5."`
	Urgency        int `json:"urgency,omitempty" minimum:"0" maximum:"5" doc:"Value: how soon it matters, 1-5."`
	DataReadiness  int `json:"data_readiness,omitempty" minimum:"0" maximum:"5" doc:"Feasibility: how ready the data is, 1-5."`
	Complexity     int `json:"complexity,omitempty" minimum:"0" maximum:"5" doc:"Feasibility: how complex it is, 1-5 (5 is the most complex)."`
	Skills         int `json:"skills,omitempty" minimum:"0" maximum:"5" doc:"Feasibility: whether the skills are at hand, 1-5."`
	Integration    int `json:"integration,omitempty" minimum:"0" maximum:"5" doc:"Feasibility: how easily it fits existing systems, 1-5."`

	Reach      float64 `json:"reach,omitempty" doc:"RICE: people or events reached per quarter."`
	Impact     float64 `json:"impact,omitempty" doc:"RICE: 0.25, 0.5, 1, 2 or 3 (minimal to massive)."`
	Confidence float64 `json:"confidence,omitempty" doc:"RICE: 0.5, 0.8 or 1."`
	Effort     float64 `json:"effort,omitempty" doc:"RICE: person-months."`

	BusinessValue   int `json:"business_value,omitempty" doc:"WSJF: 1, 2, 3, 5, 8, 13 or 20."`
	TimeCriticality int `json:"time_criticality,omitempty" doc:"WSJF: 1, 2, 3, 5, 8, 13 or 20."`
	RiskReduction   int `json:"risk_reduction,omitempty" doc:"WSJF: 1, 2, 3, 5, 8, 13 or 20."`
	JobSize         int `json:"job_size,omitempty" doc:"WSJF: 1, 2, 3, 5, 8, 13 or 20."`

	Version int `json:"version,omitempty" minimum:"0" doc:"The use case's version you rated; a different stored version gives 409. Leave out to overwrite."`
}

func (b RatingsBody) ratings() caio.UseCaseRatings {
	return caio.UseCaseRatings{ObjectiveFit: b.ObjectiveFit, StrategicFit: b.StrategicFit, PeopleAffected: b.PeopleAffected,
		Urgency: b.Urgency, DataReadiness: b.DataReadiness, Complexity: b.Complexity, Skills: b.Skills, Integration: b.Integration,
		Reach: b.Reach, Impact: b.Impact, Confidence: b.Confidence, Effort: b.Effort,
		BusinessValue: b.BusinessValue, TimeCriticality: b.TimeCriticality, RiskReduction: b.RiskReduction, JobSize: b.JobSize}
}

// RoadmapBody places a use case on the roadmap.
type RoadmapBody struct {
	Start     string   `json:"start,omitempty" maxLength:"7" doc:"First quarter it is active in, such as 2027Q1; leave start and end out to unschedule it."`
	End       string   `json:"end,omitempty" maxLength:"7" doc:"Last quarter it is active in, inclusive."`
	People    float64  `json:"people,omitempty" doc:"Full-time equivalents it needs in each quarter."`
	Budget    float64  `json:"budget,omitempty" doc:"Budget it needs in each quarter."`
	DependsOn []string `json:"depends_on,omitempty" maxItems:"100" doc:"Use cases that must end before this one starts, uc_..."`
	Version   int      `json:"version,omitempty" minimum:"0" doc:"The use case's version you edited; a different stored version gives 409."`
}

// TriageBody is an editor's decision on an idea in the triage queue.
type TriageBody struct {
	Decision  string `json:"decision" enum:"accept,merge,reject" doc:"accept puts the idea in the portfolio; merge closes a duplicate into merge_into; reject closes it."`
	Reason    string `json:"reason,omitempty" maxLength:"2000" doc:"Required to reject: the person who proposed it reads it."`
	MergeInto string `json:"merge_into,omitempty" maxLength:"64" doc:"With merge: the use case this idea duplicates, uc_..."`
}

// StageBody asks to move a use case to another stage.
type StageBody struct {
	To     string `json:"to" enum:"idea,assessment,approved,poc,pilot,production,retired,rejected,on_hold" doc:"The stage to move to."`
	Reason string `json:"reason,omitempty" maxLength:"2000" doc:"Why; required to reject, put on hold or move back."`
}

// LineBody is one cost or benefit of a business case, as a range.
type LineBody struct {
	Label  string  `json:"label" maxLength:"200" doc:"What the amount is for."`
	Low    float64 `json:"low" doc:"The lowest plausible amount, 0 or more."`
	Likely float64 `json:"likely" doc:"The most likely amount, between low and high."`
	High   float64 `json:"high" doc:"The highest plausible amount."`
}

// CaseBody is a business case as the finance engine reads it
// (finance.Case): costs and benefits as ranges, the horizon, the discount
// rate and the settings of the simulation.
type CaseBody struct {
	Currency     string     `json:"currency,omitempty" maxLength:"3" doc:"ISO 4217 code of every amount; EUR when left out."`
	HorizonYears int        `json:"horizon_years,omitempty" doc:"Years of running costs and benefits that count, 1 to 30."`
	DiscountRate float64    `json:"discount_rate,omitempty" doc:"Annual discount rate as a fraction, 0 to 0.5 (0.08 is 8 %)."`
	OneOff       []LineBody `json:"one_off,omitempty" maxItems:"50" doc:"Costs paid once, in year 0."`
	Running      []LineBody `json:"running,omitempty" maxItems:"50" doc:"Costs paid every year of the horizon."`
	Benefits     []LineBody `json:"benefits,omitempty" maxItems:"50" doc:"Yearly benefits at full adoption; at least one."`
	Adoption     []float64  `json:"adoption,omitempty" maxItems:"30" doc:"Share of the benefits realised in year 1, 2, ...; later years repeat the last. Empty: full adoption from year 1."`
	Distribution string     `json:"distribution,omitempty" maxLength:"20" doc:"triangular (the default) or pert."`
	Trials       int        `json:"trials,omitempty" doc:"Simulated trials, 100 to 200,000; 10,000 when left out."`
	Seed         uint64     `json:"seed,omitempty" doc:"Fixes the random stream: the same case and seed give the same result. Left out: a seed of the use case's own (1 for a preview)."`
}

// BusinessCaseBody is a business case to store, with the version edited.
type BusinessCaseBody struct {
	CaseBody
	Version int `json:"version,omitempty" minimum:"0" doc:"The business case's version you edited; a different stored version gives 409. Leave out to overwrite."`
}

func lines(ls []LineBody) []finance.Line {
	out := make([]finance.Line, len(ls))
	for i, l := range ls {
		out[i] = finance.Line{Label: l.Label, Range: finance.Range{Low: l.Low, Likely: l.Likely, High: l.High}}
	}
	return out
}

// toCase converts the body to the finance engine's case.
func (b CaseBody) toCase() finance.Case {
	return finance.Case{Currency: b.Currency, HorizonYears: b.HorizonYears, DiscountRate: b.DiscountRate,
		OneOff: lines(b.OneOff), Running: lines(b.Running), Benefits: lines(b.Benefits), Adoption: b.Adoption,
		Distribution: b.Distribution, Trials: b.Trials, Seed: b.Seed}
}

// SimulationResult is the finance engine's result (finance.Result) under a
// name of its own: the API's schemas are named after their Go types, and
// the EU AI Act has a Result too.
type SimulationResult finance.Result

// BusinessCaseOut is a use case's stored business case: what people
// entered, normalised, and what the simulation gave for it.
type BusinessCaseOut struct {
	UseCaseID string           `json:"use_case_id"`
	Input     finance.Case     `json:"input"`
	Result    SimulationResult `json:"result"`
	Version   int              `json:"version" doc:"Send it back to refuse (409) a stale edit."`
	UpdatedAt string           `json:"updated_at"`
	UpdatedBy string           `json:"updated_by"`
}

func businessCaseOut(b *app.BusinessCase) *BusinessCaseOut {
	return &BusinessCaseOut{UseCaseID: b.UseCaseID, Input: b.Input, Result: SimulationResult(b.Result), Version: b.Version, UpdatedAt: b.UpdatedAt, UpdatedBy: b.UpdatedBy}
}

// UseCaseScore is a use case's score under the organisation's weights and
// its place in the ranking.
type UseCaseScore struct {
	portfolio.Score
	Rank int `json:"rank" doc:"Place in the ranking (1 is first) when the list is sorted by priority; 0 otherwise."`
}

// UseCaseOut is a use case with its score.
type UseCaseOut struct {
	*caio.UseCase
	Score UseCaseScore `json:"score"`
}

func useCaseOut(s *app.ScoredUseCase) UseCaseOut {
	return UseCaseOut{UseCase: s.UseCase, Score: UseCaseScore{Score: s.Score, Rank: s.Rank}}
}

// RankedOut is one use case of the portfolio's ranking.
type RankedOut struct {
	ID     string          `json:"id"`
	Title  string          `json:"title"`
	Stage  string          `json:"stage"`
	Rank   int             `json:"rank" doc:"1 is first."`
	Score  portfolio.Score `json:"score"`
	Cost   *float64        `json:"cost" doc:"The business case's total cost at its likely values; null without a business case."`
	NPVP50 *float64        `json:"npv_p50" doc:"The business case's simulated median NPV; null without a business case."`
}

// StageChangeOut is one entry of a use case's stage history.
type StageChangeOut struct {
	caio.StageChange
	Days int `json:"days" doc:"Whole days spent in the stage, up to now for the current one."`
}

// StageHistory is a use case's stages, oldest first.
type StageHistory struct {
	Items []StageChangeOut `json:"items"`
}

// UseCaseQuery filters the use-case list and the ranking.
type UseCaseQuery struct {
	Q           string `query:"q" maxLength:"200" doc:"Search title, problem and owner."`
	Stage       string `query:"stage" enum:"idea,assessment,approved,poc,pilot,production,retired,rejected,on_hold," doc:"Only use cases at this stage."`
	Intake      string `query:"intake" enum:"submitted,accepted,merged,rejected," doc:"Only use cases in this triage state; the ranking shows accepted ones unless asked."`
	Approach    string `query:"approach" enum:"predictive,generative,agentic,optimisation,other," doc:"Only use cases with this approach."`
	Owner       string `query:"owner" maxLength:"200" doc:"Exactly this owner."`
	ObjectiveID string `query:"objective_id" maxLength:"64" doc:"Only use cases linked to this objective, obj_..."`
	SystemID    string `query:"system_id" maxLength:"64" doc:"Only use cases linked to this AI system, sys_..."`
}

func (q UseCaseQuery) filter() caio.UseCaseFilter {
	return caio.UseCaseFilter{Query: trimmed(&q.Q), Stage: trimmed(&q.Stage), Intake: trimmed(&q.Intake), Approach: trimmed(&q.Approach),
		Owner: trimmed(&q.Owner), ObjectiveID: trimmed(&q.ObjectiveID), SystemID: trimmed(&q.SystemID)}
}

// problemAt is problem with some fields located elsewhere than the body,
// such as a path parameter ("path.year") or a body field the service names
// differently ("body.to" for the service's "stage").
func (api *API) problemAt(ctx context.Context, err error, where map[string]string) error {
	fs := caio.ErrorFields(err)
	if len(fs) == 0 {
		return api.problem(ctx, err)
	}
	details := make([]error, len(fs))
	for i, f := range fs {
		loc, ok := where[f.Field]
		if !ok {
			loc = "body." + f.Field
		}
		details[i] = &huma.ErrorDetail{Message: f.Message, Location: loc}
	}
	return huma.NewError(statusOf[caio.ErrorCode(err)], caio.ErrorMessage(err), details...)
}

func (api *API) registerUseCases() {
	huma.Register(api, op(http.MethodGet, "/usecases", "list-use-cases", "List use cases with their scores", useCaseTag),
		func(ctx context.Context, in *struct {
			PageQuery
			UseCaseQuery
			Sort string `query:"sort" enum:"priority,-created,created,title,-title,stage,-updated,updated" default:"priority" doc:"priority ranks by the organisation's scoring method (accepted use cases only) and fills each score's rank."`
		}) (*listOut[UseCaseOut], error) {
			f := in.filter()
			f.Sort, f.Page = in.Sort, in.page()
			items, total, err := api.app.FindUseCases(ctx, f)
			if err != nil {
				return nil, api.filterProblem(ctx, err)
			}
			out := make([]UseCaseOut, len(items))
			for i := range items {
				out[i] = useCaseOut(&items[i])
			}
			return list(out, total, in.PageQuery), nil
		})

	create := op(http.MethodPost, "/usecases", "create-use-case", "Propose a use case", useCaseTag)
	create.Description = "An editor's use case is accepted at once; a contributor's idea waits in the triage queue (intake submitted). Both start at the idea stage."
	create.DefaultStatus = http.StatusCreated
	huma.Register(api, create, func(ctx context.Context, in *struct{ Body UseCaseBody }) (*struct{ Body *caio.UseCase }, error) {
		u, err := api.app.CreateUseCase(ctx, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.UseCase }{u}, nil
	})

	huma.Register(api, op(http.MethodGet, "/usecases/ranking", "rank-use-cases", "Rank the portfolio's use cases, a page at a time", useCaseTag),
		func(ctx context.Context, in *struct {
			UseCaseQuery
			PageQuery
		}) (*listOut[RankedOut], error) {
			if _, err := in.page().Normalize(); err != nil {
				return nil, api.filterProblem(ctx, err)
			}
			ranked, err := api.app.RankUseCases(ctx, in.filter())
			if err != nil {
				return nil, api.filterProblem(ctx, err)
			}
			page := ranked[min(in.Offset, len(ranked)):min(in.Offset+in.Limit, len(ranked))]
			items := make([]RankedOut, len(page))
			for i, r := range page {
				items[i] = RankedOut{ID: r.ID, Title: r.Title, Stage: r.Stage, Rank: r.Rank, Score: r.Score, Cost: r.Cost, NPVP50: r.NPVP50}
			}
			return list(items, len(ranked), in.PageQuery), nil
		})

	huma.Register(api, op(http.MethodGet, "/usecases/{id}", "get-use-case", "Get a use case with its score", useCaseTag),
		func(ctx context.Context, in *UseCaseID) (*struct{ Body UseCaseOut }, error) {
			u, err := api.app.FindUseCase(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body UseCaseOut }{useCaseOut(u)}, nil
		})

	update := op(http.MethodPut, "/usecases/{id}", "update-use-case", "Replace a use case's canvas and links", useCaseTag)
	update.Errors = append(update.Errors, http.StatusConflict)
	huma.Register(api, update, func(ctx context.Context, in *struct {
		UseCaseID
		Body UseCaseBody
	}) (*struct{ Body *caio.UseCase }, error) {
		u, err := api.app.UpdateUseCase(ctx, in.ID, in.Body.Version, in.Body.input())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.UseCase }{u}, nil
	})

	del := op(http.MethodDelete, "/usecases/{id}", "delete-use-case", "Delete a use case with its business case, KPIs and history", useCaseTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *UseCaseID) (*struct{}, error) {
		if err := api.app.DeleteUseCase(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	huma.Register(api, op(http.MethodPost, "/usecases/{id}/triage", "triage-use-case", "Accept, merge or reject an idea waiting in the triage queue", useCaseTag),
		func(ctx context.Context, in *struct {
			UseCaseID
			Body TriageBody
		}) (*struct{ Body *caio.UseCase }, error) {
			u, err := api.app.TriageUseCase(ctx, in.ID, app.TriageInput{Decision: in.Body.Decision, Reason: in.Body.Reason, MergeInto: in.Body.MergeInto})
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.UseCase }{u}, nil
		})

	rate := op(http.MethodPut, "/usecases/{id}/ratings", "rate-use-case", "Set the team's ratings of a use case", useCaseTag)
	rate.Description = "Replaces every rating; the answer is the use case with its new score."
	rate.Errors = append(rate.Errors, http.StatusConflict)
	huma.Register(api, rate, func(ctx context.Context, in *struct {
		UseCaseID
		Body RatingsBody
	}) (*struct{ Body UseCaseOut }, error) {
		u, err := api.app.RateUseCase(ctx, in.ID, in.Body.Version, in.Body.ratings())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body UseCaseOut }{useCaseOut(u)}, nil
	})

	plan := op(http.MethodPut, "/usecases/{id}/roadmap", "plan-use-case", "Place a use case on the roadmap", useCaseTag)
	plan.Errors = append(plan.Errors, http.StatusConflict)
	huma.Register(api, plan, func(ctx context.Context, in *struct {
		UseCaseID
		Body RoadmapBody
	}) (*struct{ Body *caio.UseCase }, error) {
		b := in.Body
		u, err := api.app.PlanUseCase(ctx, in.ID, b.Version, caio.RoadmapInput{
			RoadmapPlacement: caio.RoadmapPlacement{Start: b.Start, End: b.End, People: b.People, Budget: b.Budget}, DependsOn: b.DependsOn})
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *caio.UseCase }{u}, nil
	})

	api.registerBusinessCases()
	api.registerStages()
}

func (api *API) registerBusinessCases() {
	huma.Register(api, op(http.MethodGet, "/usecases/{id}/business-case", "get-business-case", "Get a use case's business case and its simulated result", useCaseTag),
		func(ctx context.Context, in *UseCaseID) (*struct{ Body *BusinessCaseOut }, error) {
			b, err := api.app.FindBusinessCase(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *BusinessCaseOut }{businessCaseOut(b)}, nil
		})

	put := op(http.MethodPut, "/usecases/{id}/business-case", "put-business-case", "Store a use case's business case", useCaseTag)
	put.Description = "Validates the case, simulates it and stores both in one step. Each problem names its field with its path, such as `benefits[0].low`."
	put.Errors = append(put.Errors, http.StatusConflict)
	huma.Register(api, put, func(ctx context.Context, in *struct {
		UseCaseID
		Body BusinessCaseBody
	}) (*struct{ Body *BusinessCaseOut }, error) {
		b, err := api.app.SaveBusinessCase(ctx, in.ID, in.Body.Version, in.Body.toCase())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *BusinessCaseOut }{businessCaseOut(b)}, nil
	})

	del := op(http.MethodDelete, "/usecases/{id}/business-case", "delete-business-case", "Delete a use case's business case", useCaseTag)
	del.DefaultStatus = http.StatusNoContent
	huma.Register(api, del, func(ctx context.Context, in *UseCaseID) (*struct{}, error) {
		if err := api.app.DeleteBusinessCase(ctx, in.ID); err != nil {
			return nil, api.problem(ctx, err)
		}
		return nil, nil
	})

	sim := op(http.MethodPost, "/business-cases/simulate", "simulate-business-case", "Simulate a business case without storing it", useCaseTag)
	sim.Description = "A preview: the deterministic NPV, ROI and payback, their P10/P50/P90 over the trials, the chance of a loss and the NPV histogram. Nothing is stored."
	huma.Register(api, sim, func(ctx context.Context, in *struct{ Body CaseBody }) (*struct{ Body *SimulationResult }, error) {
		r, err := api.app.SimulateBusinessCase(ctx, in.Body.toCase())
		if err != nil {
			return nil, api.problem(ctx, err)
		}
		return &struct{ Body *SimulationResult }{(*SimulationResult)(r)}, nil
	})
}

// stageOut answers a stage request: 200 when the use case moved, 202 when
// an approval was opened.
type stageOut struct {
	Status int
	Body   *app.StageOutcome
}

func (api *API) registerStages() {
	huma.Register(api, op(http.MethodGet, "/usecases/{id}/stage-check", "check-stage", "Check the gate to another stage without moving", useCaseTag),
		func(ctx context.Context, in *struct {
			UseCaseID
			To string `query:"to" maxLength:"20" doc:"The stage to check; left out, the next stage forward (or, for a use case on hold, the stage it was paused at)."`
		}) (*struct{ Body *portfolio.Check }, error) {
			to := in.To
			if to != "" && !portfolio.ValidStage(to) {
				return nil, api.filterProblem(ctx, caio.FieldError("to", "must be a stage: idea, assessment, approved, poc, pilot, production, retired, rejected or on_hold"))
			}
			if to == "" {
				u, err := api.app.FindUseCase(ctx, in.ID)
				if err != nil {
					return nil, api.problem(ctx, err)
				}
				to = nextStage(u.UseCase)
			}
			c, err := api.app.CheckStage(ctx, in.ID, to)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *portfolio.Check }{c}, nil
		})

	move := op(http.MethodPost, "/usecases/{id}/stage", "request-stage", "Move a use case to another stage, or ask for approval to", useCaseTag)
	move.Description = "200: the gate passed and the use case moved. 202: the gate needs approval, and an approval request was opened (`approval`); " +
		"the use case moves when approvers reach the quorum. 422: the gate is not passed, nothing changed, and each unmet criterion is an error at `body.criteria.<id>`. " +
		"409: a stage change of this use case already waits for approval."
	move.Errors = append(move.Errors, http.StatusConflict)
	outcome := api.OpenAPI().Components.Schemas.Schema(reflect.TypeOf(app.StageOutcome{}), true, "StageOutcome")
	move.Responses = map[string]*huma.Response{"202": {Description: "An approval request was opened.",
		Content: map[string]*huma.MediaType{"application/json": {Schema: outcome}}}}
	huma.Register(api, move, func(ctx context.Context, in *struct {
		UseCaseID
		Body StageBody
	}) (*stageOut, error) {
		o, err := api.app.RequestStage(ctx, in.ID, in.Body.To, in.Body.Reason)
		if err != nil {
			return nil, api.problemAt(ctx, err, map[string]string{"stage": "body.to"})
		}
		status := http.StatusOK
		if o.Approval != nil {
			status = http.StatusAccepted
		}
		return &stageOut{Status: status, Body: o}, nil
	})

	huma.Register(api, op(http.MethodGet, "/usecases/{id}/history", "use-case-history", "List a use case's stages with dates", useCaseTag),
		func(ctx context.Context, in *UseCaseID) (*struct{ Body StageHistory }, error) {
			h, err := api.app.StageHistory(ctx, in.ID)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			now := time.Now()
			out := StageHistory{Items: make([]StageChangeOut, len(h))}
			for i, s := range h {
				out.Items[i] = StageChangeOut{StageChange: s, Days: s.Days(now)}
			}
			return &struct{ Body StageHistory }{out}, nil
		})
}

// nextStage is the stage a stage check looks at when none is named: the
// first stage after the current one that the lifecycle allows a move to
// (idea to assessment, production to retired), the stage a use case on hold
// was paused at, or the current stage of a final one, whose check then says
// it cannot move.
func nextStage(u *caio.UseCase) string {
	if u.Stage == portfolio.StageOnHold {
		if u.HeldFrom != "" {
			return u.HeldFrom
		}
		return portfolio.StageIdea
	}
	order := map[string]int{}
	for _, s := range portfolio.Stages() {
		order[s.Key] = s.Order
	}
	for _, to := range portfolio.NextStages(u.Stage) {
		if order[to] > order[u.Stage] {
			return to
		}
	}
	return u.Stage
}
