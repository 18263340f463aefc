package app

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/caio-office/caio/internal/sqldb"
)

// --- Portfolio settings ---

// DefaultSuccess is the chance that a use case in each stage reaches
// production, used to risk-adjust the roll-up until an organisation sets its
// own. The figures are placeholders from weakly sourced industry surveys
// (practice.md §2.5: most proofs of concept never reach production); each
// organisation should replace them with its own history.
var DefaultSuccess = map[string]float64{
	"idea": 0.10, "assessment": 0.15, "approved": 0.20, "poc": 0.16, "pilot": 0.40,
	"production": 1, "on_hold": 0.05, "retired": 0, "rejected": 0,
}

// DefaultPortfolioSettings returns the settings of an organisation that has
// not chosen its own.
func DefaultPortfolioSettings() caio.PortfolioSettings {
	w := portfolio.DefaultWeights()
	success := map[string]float64{}
	for k, v := range DefaultSuccess {
		success[k] = v
	}
	return caio.PortfolioSettings{Weights: toScoreWeights(w), Quorum: 1, Currency: "EUR", Success: success}
}

func toScoreWeights(w portfolio.Weights) caio.ScoreWeights {
	return caio.ScoreWeights{ObjectiveFit: w.ObjectiveFit, StrategicFit: w.StrategicFit, PeopleAffected: w.PeopleAffected,
		Urgency: w.Urgency, DataReadiness: w.DataReadiness, Complexity: w.Complexity, Skills: w.Skills,
		Integration: w.Integration, Value: w.Value, Feasibility: w.Feasibility, Risk: w.Risk, Method: w.Method}
}

func fromScoreWeights(w caio.ScoreWeights) portfolio.Weights {
	return portfolio.Weights{ObjectiveFit: w.ObjectiveFit, StrategicFit: w.StrategicFit, PeopleAffected: w.PeopleAffected,
		Urgency: w.Urgency, DataReadiness: w.DataReadiness, Complexity: w.Complexity, Skills: w.Skills,
		Integration: w.Integration, Value: w.Value, Feasibility: w.Feasibility, Risk: w.Risk, Method: w.Method}
}

// portfolioSettings reads the organisation's settings, filling defaults.
func portfolioSettings(ctx context.Context, c *sqldb.Conn, orgID string) (caio.PortfolioSettings, error) {
	s, err := c.PortfolioSettings(ctx, orgID)
	if err != nil || s == nil {
		return DefaultPortfolioSettings(), err
	}
	d := DefaultPortfolioSettings()
	for k, v := range d.Success {
		if _, ok := s.Success[k]; !ok {
			if s.Success == nil {
				s.Success = map[string]float64{}
			}
			s.Success[k] = v
		}
	}
	if s.Quorum < 1 {
		s.Quorum = 1
	}
	return *s, nil
}

func orgWeights(ctx context.Context, c *sqldb.Conn, orgID string) (portfolio.Weights, error) {
	s, err := portfolioSettings(ctx, c, orgID)
	return fromScoreWeights(s.Weights), err
}

// FindPortfolioSettings returns the organisation's portfolio settings.
// Needs PermRead.
func (app *App) FindPortfolioSettings(ctx context.Context) (caio.PortfolioSettings, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return caio.PortfolioSettings{}, err
	}
	var s caio.PortfolioSettings
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		s, err = portfolioSettings(ctx, c, a.OrgID)
		return err
	})
	return s, err
}

// UpdatePortfolioSettings replaces the scoring weights, quorum, self-approval
// rule, currency and stage success chances. Needs PermManageOrg; returns
// EINVALID naming each field (weights that do not add up to 100, a quorum
// below 1, a chance outside 0–1).
func (app *App) UpdatePortfolioSettings(ctx context.Context, version int, s caio.PortfolioSettings) (caio.PortfolioSettings, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return s, err
	}
	var v caio.Validation
	w := fromScoreWeights(s.Weights)
	if err := w.Normalize(); err != nil {
		for _, f := range caio.ErrorFields(err) {
			v.Add("weights."+f.Field, f.Message)
		}
	}
	s.Weights = toScoreWeights(w)
	if s.Quorum < 1 || s.Quorum > 20 {
		v.Add("quorum", "must be between 1 and 20 approvers")
	}
	s.Currency = strings.ToUpper(strings.TrimSpace(s.Currency))
	if s.Currency == "" {
		s.Currency = "EUR"
	} else if !caio.ValidCurrency(s.Currency) {
		v.Add("currency", "must be a three-letter ISO 4217 code such as EUR or USD")
	}
	for k, p := range s.Success {
		if !portfolio.ValidStage(k) {
			v.Add("success."+k, "is not a stage; stages are "+strings.Join(stageKeys(), ", "))
		} else if !(p >= 0 && p <= 1) {
			v.Add("success."+k, "must be a chance between 0 and 1 (0.4 for 40 %)")
		}
	}
	if err := v.Err(); err != nil {
		return s, err
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		old, err := portfolioSettings(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		if version != 0 && version != old.Version {
			return staleEdit("portfolio settings", old.Version, version)
		}
		for k, p := range DefaultSuccess {
			if _, ok := s.Success[k]; !ok {
				if s.Success == nil {
					s.Success = map[string]float64{}
				}
				s.Success[k] = p
			}
		}
		s.Version = old.Version
		if err := c.PutPortfolioSettings(ctx, a.OrgID, &s); err != nil {
			return err
		}
		return record(ctx, c, a, "portfolio.settings", "organization", a.OrgID, caio.Diff(settingsFields(old), settingsFields(s)))
	})
	return s, err
}

func settingsFields(s caio.PortfolioSettings) map[string]any {
	w, _ := json.Marshal(s.Weights)
	p, _ := json.Marshal(s.Success)
	return map[string]any{"weights": string(w), "quorum": s.Quorum, "self_approval": s.SelfApproval, "currency": s.Currency, "success": string(p)}
}

// --- Strategy ---

// FindStrategy returns the organisation's AI strategy (empty at version 0
// before anyone writes it). Needs PermRead.
func (app *App) FindStrategy(ctx context.Context) (*caio.Strategy, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var s *caio.Strategy
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		s, err = c.Strategy(ctx, a.OrgID)
		return err
	})
	return s, err
}

// UpdateStrategy replaces the strategy's content. When version differs from
// the stored one (0 for a first strategy), returns ECONFLICT. Needs
// PermEdit; returns EINVALID naming each field, also for objectives that do
// not exist.
func (app *App) UpdateStrategy(ctx context.Context, version int, in caio.StrategyContent) (*caio.Strategy, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var s *caio.Strategy
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if s, err = c.Strategy(ctx, a.OrgID); err != nil {
			return err
		}
		if version != s.Version {
			return staleEdit("strategy", s.Version, version)
		}
		var v caio.Validation
		for i, p := range in.Priorities {
			missing, err := c.MissingIDs(ctx, a.OrgID, "objectives", p.ObjectiveIDs)
			if err != nil {
				return err
			}
			for _, id := range missing {
				v.Add("priorities["+strconv.Itoa(i)+"].objective_ids", "has "+id+", which is not an objective of this organisation")
			}
		}
		if err := v.Err(); err != nil {
			return err
		}
		before := strategyFields(s.StrategyContent)
		if s.Version == 0 {
			before = nil
		}
		s.StrategyContent, s.UpdatedBy = in, a.Label()
		if err := c.PutStrategy(ctx, a.OrgID, s); err != nil {
			return err
		}
		return record(ctx, c, a, "strategy.update", "organization", a.OrgID, caio.Diff(before, strategyFields(in)))
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func strategyFields(s caio.StrategyContent) map[string]any {
	b, _ := json.Marshal(s)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	for k, v := range m {
		if _, scalar := v.(string); !scalar {
			if _, num := v.(float64); !num {
				enc, _ := json.Marshal(v)
				m[k] = string(enc)
			}
		}
	}
	return m
}

// --- Roadmap ---

// Roadmap is the use cases placed by quarter, the organisation's capacity
// and the engine's plan: load per quarter against capacity, and dependency
// conflicts.
type Roadmap struct {
	Items    []portfolio.Item  `json:"items"`
	Stages   map[string]string `json:"stages"`
	Capacity []caio.Capacity   `json:"capacity"`
	Plan     portfolio.Plan    `json:"plan"`
}

// FindRoadmap returns the roadmap of the organisation's accepted use cases
// that are not rejected or retired. Needs PermRead.
func (app *App) FindRoadmap(ctx context.Context) (*Roadmap, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	out := &Roadmap{Items: []portfolio.Item{}, Stages: map[string]string{}}
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		accepted := caio.IntakeAccepted
		rows, err := c.UseCaseRanks(ctx, a.OrgID, caio.UseCaseFilter{Intake: &accepted}, nil)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if r.Stage == "rejected" || r.Stage == "retired" {
				continue
			}
			out.Items = append(out.Items, portfolio.Item{ID: r.ID, Title: r.Title, Start: r.Start, End: r.End,
				People: r.People, Budget: r.Budget, DependsOn: r.DependsOn})
			out.Stages[r.ID] = r.Stage
		}
		if out.Capacity, err = c.Capacity(ctx, a.OrgID); err != nil {
			return err
		}
		caps := make([]portfolio.Capacity, len(out.Capacity))
		for i, q := range out.Capacity {
			caps[i] = portfolio.Capacity{Quarter: q.Quarter, People: q.People, Budget: q.Budget}
		}
		out.Plan, err = portfolio.BuildPlan(out.Items, caps)
		return err
	})
	return out, err
}

// SetCapacity replaces the organisation's capacity per quarter. Needs
// PermEdit; returns EINVALID naming each row to fix.
func (app *App) SetCapacity(ctx context.Context, qs []caio.Capacity) ([]caio.Capacity, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	var v caio.Validation
	seen := map[string]bool{}
	out := []caio.Capacity{}
	if len(qs) > 80 {
		v.Add("capacity", "must list at most 80 quarters")
	}
	for i, q := range qs {
		f := "capacity[" + strconv.Itoa(i) + "]"
		qq, err := portfolio.ParseQuarter(strings.TrimSpace(q.Quarter))
		if err != nil {
			v.Add(f+".quarter", "must be a quarter written 2027Q1")
			continue
		}
		q.Quarter = qq.String()
		if seen[q.Quarter] {
			v.Add(f+".quarter", "repeats "+q.Quarter)
		}
		seen[q.Quarter] = true
		if !(q.People >= 0 && q.People <= 10000) {
			v.Add(f+".people", "must be between 0 and 10,000 full-time equivalents")
		}
		if !(q.Budget >= 0 && q.Budget <= 1e13) {
			v.Add(f+".budget", "must be zero or more")
		}
		out = append(out, q)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		old, err := c.Capacity(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if err := c.ReplaceCapacity(ctx, a.OrgID, out); err != nil {
			return err
		}
		ob, _ := json.Marshal(old)
		nb, _ := json.Marshal(out)
		return record(ctx, c, a, "roadmap.capacity", "organization", a.OrgID, caio.Diff(map[string]any{"capacity": string(ob)}, map[string]any{"capacity": string(nb)}))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// --- Roll-up ---

// RollupRow is the portfolio's figures for one group of use cases.
type RollupRow struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Count int    `json:"count"`
	// WithCase counts the use cases that have a business case; the sums
	// below are over those.
	WithCase int     `json:"with_case"`
	Cost     float64 `json:"cost"`
	Benefit  float64 `json:"benefit"`
	// ExpectedNPV sums the simulated mean NPVs (means add up, percentiles
	// do not); RiskAdjusted weighs each by the chance that a use case in
	// its stage reaches production.
	ExpectedNPV  float64 `json:"expected_npv"`
	RiskAdjusted float64 `json:"risk_adjusted_npv"`
}

// Rollup is the portfolio roll-up: totals, by stage and by objective.
type Rollup struct {
	Currency    string      `json:"currency"`
	Total       RollupRow   `json:"total"`
	ByStage     []RollupRow `json:"by_stage"`
	ByObjective []RollupRow `json:"by_objective"`
	// Success are the chances used for the risk adjustment.
	Success map[string]float64 `json:"success"`
	// OtherCurrency counts the business cases left out of the sums because
	// they are in another currency than the portfolio's (it was changed
	// after they were saved).
	OtherCurrency int `json:"other_currency"`
}

// PortfolioRollup adds up the business cases of the accepted use cases:
// cost, benefit, expected NPV and risk-adjusted NPV, in total, by stage and
// by objective (a use case serving two objectives counts in both). Rejected
// and retired use cases are left out. Needs PermRead.
func (app *App) PortfolioRollup(ctx context.Context) (*Rollup, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	out := &Rollup{Total: RollupRow{Key: "total", Label: "Portfolio"}}
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		s, err := portfolioSettings(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		out.Currency, out.Success = s.Currency, s.Success
		rows, err := c.RollupRows(ctx, a.OrgID)
		if err != nil {
			return err
		}
		stages := map[string]*RollupRow{}
		for _, st := range portfolio.Stages() {
			key := string(st.Key)
			if key == "rejected" || key == "retired" {
				continue
			}
			r := &RollupRow{Key: key, Label: st.Label}
			stages[key] = r
			out.ByStage = append(out.ByStage, *r)
		}
		objectives := map[string]*RollupRow{}
		var objOrder []string
		for _, r := range rows {
			st := stages[r.Stage]
			if st == nil {
				continue
			}
			targets := []*RollupRow{&out.Total, st}
			for i, oid := range r.ObjectiveIDs {
				o := objectives[oid]
				if o == nil {
					o = &RollupRow{Key: oid, Label: r.ObjectiveTitles[i]}
					objectives[oid] = o
					objOrder = append(objOrder, oid)
				}
				targets = append(targets, o)
			}
			hasCase := r.HasCase
			if hasCase && r.Currency != s.Currency {
				hasCase = false
				out.OtherCurrency++
			}
			for _, t := range targets {
				t.Count++
				if hasCase {
					t.WithCase++
					t.Cost += r.Cost
					t.Benefit += r.Benefit
					t.ExpectedNPV += r.MeanNPV
					t.RiskAdjusted += r.MeanNPV * s.Success[r.Stage]
				}
			}
		}
		for i := range out.ByStage {
			out.ByStage[i] = *stages[out.ByStage[i].Key]
		}
		for _, id := range objOrder {
			out.ByObjective = append(out.ByObjective, *objectives[id])
		}
		if out.ByObjective == nil {
			out.ByObjective = []RollupRow{}
		}
		return nil
	})
	return out, err
}
