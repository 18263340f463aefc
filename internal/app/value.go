package app

import (
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/finance"
	"github.com/caio-office/caio/internal/sqldb"
)

// Value realised: KPIs with baseline, target and actuals, and the benefit
// realised each year against the business case's simulated range.

func kpiNotFound() error { return caio.Errorf(caio.ENOTFOUND, "KPI not found.") }

// CreateKPI adds a KPI to a use case. Needs PermEdit.
func (app *App) CreateKPI(ctx context.Context, useCaseID string, in caio.KPIInput) (*caio.KPI, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", useCaseID) {
		return nil, useCaseNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	k := &caio.KPI{ID: caio.NewID("kpi"), OrgID: a.OrgID, UseCaseID: useCaseID, Actuals: []caio.KPIActual{}}
	setKPI(k, in)
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if _, err := c.UseCase(ctx, a.OrgID, useCaseID); err != nil {
			return err
		}
		if err := c.CreateKPI(ctx, k); err != nil {
			return err
		}
		return record(ctx, c, a, "kpi.create", "use_case", useCaseID, caio.Diff(nil, kpiFields(k)))
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

func setKPI(k *caio.KPI, in caio.KPIInput) {
	k.Name, k.Unit, k.Direction, k.Baseline, k.Target = in.Name, in.Unit, in.Direction, in.Baseline, in.Target
}

func kpiFields(k *caio.KPI) map[string]any {
	return map[string]any{"kpi": k.ID, "name": k.Name, "unit": k.Unit, "direction": k.Direction, "baseline": k.Baseline, "target": k.Target}
}

// UpdateKPI changes a KPI's definition. Needs PermEdit.
func (app *App) UpdateKPI(ctx context.Context, id string, in caio.KPIInput) (*caio.KPI, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("kpi", id) {
		return nil, kpiNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var k *caio.KPI
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if k, err = c.KPI(ctx, a.OrgID, id); err != nil {
			return err
		}
		before := kpiFields(k)
		setKPI(k, in)
		if err := c.UpdateKPI(ctx, k); err != nil {
			return err
		}
		return record(ctx, c, a, "kpi.update", "use_case", k.UseCaseID, caio.Diff(before, kpiFields(k)))
	})
	if err != nil {
		return nil, err
	}
	return k, nil
}

// DeleteKPI removes a KPI and its actuals. Needs PermEdit.
func (app *App) DeleteKPI(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("kpi", id) {
		return kpiNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		k, err := c.KPI(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := c.DeleteKPI(ctx, a.OrgID, id); err != nil {
			return err
		}
		return record(ctx, c, a, "kpi.delete", "use_case", k.UseCaseID, caio.Diff(kpiFields(k), nil))
	})
}

// RecordKPIActual records a measured value of a KPI. Needs PermContribute:
// the people who run a use case report its numbers.
func (app *App) RecordKPIActual(ctx context.Context, kpiID string, in caio.KPIActualInput) (*caio.KPIActual, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("kpi", kpiID) {
		return nil, kpiNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	act := &caio.KPIActual{ID: caio.NewID("kpa"), On: in.On, Value: in.Value, Note: in.Note}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		k, err := c.KPI(ctx, a.OrgID, kpiID)
		if err != nil {
			return err
		}
		if err := c.AddKPIActual(ctx, a.OrgID, kpiID, a.UserID, act); err != nil {
			return err
		}
		return record(ctx, c, a, "kpi.actual", "use_case", k.UseCaseID, caio.Diff(nil, map[string]any{"kpi": k.ID, "name": k.Name, "on": act.On, "value": act.Value, "note": act.Note}))
	})
	if err != nil {
		return nil, err
	}
	return act, nil
}

// DeleteKPIActual removes a measured value. Needs PermEdit.
func (app *App) DeleteKPIActual(ctx context.Context, kpiID, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("kpi", kpiID) || !caio.ValidID("kpa", id) {
		return kpiNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		k, err := c.KPI(ctx, a.OrgID, kpiID)
		if err != nil {
			return err
		}
		if err := c.DeleteKPIActual(ctx, a.OrgID, kpiID, id); err != nil {
			return err
		}
		return record(ctx, c, a, "kpi.actual_delete", "use_case", k.UseCaseID, caio.Diff(map[string]any{"kpi": k.ID, "actual": id}, nil))
	})
}

// RecordBenefit records the benefit realised in one year of the business
// case (replacing an earlier figure for that year). Needs PermContribute;
// returns EINVALID for a year outside the business case's horizon.
func (app *App) RecordBenefit(ctx context.Context, useCaseID string, b caio.BenefitActual) error {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return err
	}
	if !caio.ValidID("uc", useCaseID) {
		return useCaseNotFound()
	}
	b.Note = strings.TrimSpace(b.Note)
	var v caio.Validation
	if math.IsNaN(b.Amount) || math.IsInf(b.Amount, 0) || math.Abs(b.Amount) > 1e13 {
		v.Add("amount", "must be a finite amount")
	}
	if len(b.Note) > 1000 {
		v.Add("note", "must be at most 1,000 characters")
	}
	if err := v.Err(); err != nil {
		return err
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		row, err := c.BusinessCase(ctx, a.OrgID, useCaseID)
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			if _, err := c.UseCase(ctx, a.OrgID, useCaseID); err != nil {
				return err
			}
			return caio.FieldError("year", "needs a business case first: realised benefits are compared with its years")
		} else if err != nil {
			return err
		}
		var bc finance.Case
		if err := json.Unmarshal(row.Input, &bc); err != nil {
			return err
		}
		if b.Year < 1 || b.Year > bc.HorizonYears {
			return caio.FieldError("year", "must be a year of the business case, 1 to "+strconv.Itoa(bc.HorizonYears))
		}
		if err := c.PutBenefitActual(ctx, a.OrgID, useCaseID, b); err != nil {
			return err
		}
		return record(ctx, c, a, "benefit.record", "use_case", useCaseID, caio.Diff(nil, map[string]any{"year": b.Year, "amount": b.Amount, "note": b.Note}))
	})
}

// YearValue compares one year's realised benefit with the business case's
// simulated range for that year.
type YearValue struct {
	Year int `json:"year"`
	finance.Percentiles
	Actual *float64 `json:"actual"`
	Note   string   `json:"note"`
	// Standing is below_p10, p10_p50, p50_p90, above_p90, or "" when no
	// actual is recorded.
	Standing string `json:"standing"`
}

// ValueReport is a use case's value realised: its KPIs with their actuals,
// and its benefits against the business case.
type ValueReport struct {
	KPIs     []*caio.KPI `json:"kpis"`
	Currency string      `json:"currency"`
	Years    []YearValue `json:"years"`
	// Below lists the years whose realised benefit fell under the P10.
	Below []int `json:"below"`
}

// FindValue returns a use case's value report. Needs PermRead.
func (app *App) FindValue(ctx context.Context, useCaseID string) (*ValueReport, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", useCaseID) {
		return nil, useCaseNotFound()
	}
	out := &ValueReport{Years: []YearValue{}, Below: []int{}}
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		if _, err := c.UseCase(ctx, a.OrgID, useCaseID); err != nil {
			return err
		}
		var err error
		if out.KPIs, err = c.KPIs(ctx, a.OrgID, useCaseID); err != nil {
			return err
		}
		row, err := c.BusinessCase(ctx, a.OrgID, useCaseID)
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			return nil
		} else if err != nil {
			return err
		}
		var res finance.Result
		if err := json.Unmarshal(row.Result, &res); err != nil {
			return err
		}
		actuals, err := c.BenefitActuals(ctx, a.OrgID, useCaseID)
		if err != nil {
			return err
		}
		out.Currency = row.Currency
		for i, p := range res.BenefitByYear {
			y := YearValue{Year: i + 1, Percentiles: p}
			for _, b := range actuals {
				if b.Year == y.Year {
					amt := b.Amount
					y.Actual, y.Note = &amt, b.Note
					y.Standing = standing(amt, p)
				}
			}
			if y.Standing == "below_p10" {
				out.Below = append(out.Below, y.Year)
			}
			out.Years = append(out.Years, y)
		}
		return nil
	})
	return out, err
}

func standing(x float64, p finance.Percentiles) string {
	switch {
	case x < p.P10:
		return "below_p10"
	case x < p.P50:
		return "p10_p50"
	case x <= p.P90:
		return "p50_p90"
	}
	return "above_p90"
}
