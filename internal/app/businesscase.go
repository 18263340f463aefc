package app

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"math"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/finance"
	"github.com/caio-office/caio/internal/sqldb"
)

// BusinessCase is a use case's stored business case: what people entered
// and what the simulation gave for it.
type BusinessCase struct {
	UseCaseID string         `json:"use_case_id"`
	Input     finance.Case   `json:"input"`
	Result    finance.Result `json:"result"`
	Version   int            `json:"version"`
	UpdatedAt string         `json:"updated_at"`
	UpdatedBy string         `json:"updated_by"`
}

func businessCaseOf(row *sqldb.BusinessCaseRow) (*BusinessCase, error) {
	b := &BusinessCase{UseCaseID: row.UseCaseID, Version: row.Version, UpdatedAt: row.UpdatedAt.Format("2006-01-02 15:04 UTC"), UpdatedBy: row.UpdatedBy}
	if err := json.Unmarshal(row.Input, &b.Input); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(row.Result, &b.Result); err != nil {
		return nil, err
	}
	return b, nil
}

// FindBusinessCase returns a use case's business case. Needs PermRead;
// returns ENOTFOUND when the use case has none.
func (app *App) FindBusinessCase(ctx context.Context, useCaseID string) (*BusinessCase, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", useCaseID) {
		return nil, useCaseNotFound()
	}
	var out *BusinessCase
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		if _, err := c.UseCase(ctx, a.OrgID, useCaseID); err != nil {
			return err
		}
		row, err := c.BusinessCase(ctx, a.OrgID, useCaseID)
		if err != nil {
			return err
		}
		out, err = businessCaseOf(row)
		return err
	})
	return out, err
}

// seedFor gives a use case a simulation seed of its own, so a business case
// saved without a seed still reproduces its result.
func seedFor(id string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()
}

// SimulateBusinessCase runs a business case without storing it, for a
// preview. Needs PermRead; returns EINVALID naming each field to fix.
func (app *App) SimulateBusinessCase(ctx context.Context, bc finance.Case) (*finance.Result, error) {
	if _, err := authorize(ctx, caio.PermRead); err != nil {
		return nil, err
	}
	if bc.Seed == 0 {
		bc.Seed = 1
	}
	r, err := finance.Simulate(bc)
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// SaveBusinessCase validates, simulates and stores a use case's business
// case in one transaction. A case without a seed gets the use case's own.
// When version is not zero and differs from the stored one, returns
// ECONFLICT. Needs PermEdit; returns EINVALID naming each field to fix.
func (app *App) SaveBusinessCase(ctx context.Context, useCaseID string, version int, bc finance.Case) (*BusinessCase, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("uc", useCaseID) {
		return nil, useCaseNotFound()
	}
	if bc.Seed == 0 {
		bc.Seed = seedFor(useCaseID)
	}
	// Business cases are in the organisation's currency, so the roll-up
	// adds like to like; a case that names none takes it.
	var currency string
	if err := app.DB.Read(ctx, func(c *sqldb.Conn) error {
		s, err := portfolioSettings(ctx, c, a.OrgID)
		currency = s.Currency
		return err
	}); err != nil {
		return nil, err
	}
	if strings.TrimSpace(bc.Currency) == "" {
		bc.Currency = currency
	}
	if err := bc.Normalize(); err != nil {
		return nil, err
	}
	if bc.Currency != currency {
		return nil, caio.FieldError("currency", "must be "+currency+", the currency of the organisation's portfolio (Use cases → Settings), so the roll-up adds like to like")
	}
	res, err := finance.Simulate(bc)
	if err != nil {
		return nil, err
	}
	var out *BusinessCase
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if _, err := c.UseCase(ctx, a.OrgID, useCaseID); err != nil {
			return err
		}
		row := &sqldb.BusinessCaseRow{UseCaseID: useCaseID, OrgID: a.OrgID, UpdatedBy: a.Label()}
		old, err := c.BusinessCase(ctx, a.OrgID, useCaseID)
		before := map[string]any{}
		switch {
		case err == nil:
			if version != 0 && version != old.Version {
				return staleEdit("business case", old.Version, version)
			}
			row.Version = old.Version
			before = businessCaseFields(old.NPV, old.NPVP50, old.TotalCost, string(old.Input))
		case caio.ErrorCode(err) != caio.ENOTFOUND:
			return err
		case version != 0:
			return caio.Errorf(caio.ECONFLICT, "This business case was deleted since you opened it (you edited version %d). Reload the page and save it again.", version)
		}
		row.Input, _ = json.Marshal(bc)
		row.Result, _ = json.Marshal(res)
		row.Currency, row.NPV, row.TotalCost, row.TotalBenefit = bc.Currency, res.Deterministic.NPV, res.Deterministic.TotalCost, res.Deterministic.TotalBenefit
		row.NPVP10, row.NPVP50, row.NPVP90 = res.NPV.P10, res.NPV.P50, res.NPV.P90
		row.NPVMean, row.ProbLoss = res.MeanNPV, res.ProbLoss
		if err := c.PutBusinessCase(ctx, row); err != nil {
			return err
		}
		out = &BusinessCase{UseCaseID: useCaseID, Input: bc, Result: res, Version: row.Version,
			UpdatedAt: row.UpdatedAt.Format("2006-01-02 15:04 UTC"), UpdatedBy: row.UpdatedBy}
		return record(ctx, c, a, "business_case.save", "use_case", useCaseID,
			caio.Diff(before, businessCaseFields(row.NPV, row.NPVP50, row.TotalCost, string(row.Input))))
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// businessCaseFields are what the audit trail shows of a business case: the
// input whole, and the figures it gave.
func businessCaseFields(npv, p50, cost float64, input string) map[string]any {
	round := func(x float64) float64 { return math.Round(x*100) / 100 }
	return map[string]any{"input": input, "npv": round(npv), "npv_p50": round(p50), "total_cost": round(cost)}
}

// DeleteBusinessCase removes a use case's business case. Needs PermEdit.
func (app *App) DeleteBusinessCase(ctx context.Context, useCaseID string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("uc", useCaseID) {
		return useCaseNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		old, err := c.BusinessCase(ctx, a.OrgID, useCaseID)
		if err != nil {
			return err
		}
		if err := c.DeleteBusinessCase(ctx, a.OrgID, useCaseID); err != nil {
			return err
		}
		return record(ctx, c, a, "business_case.delete", "use_case", useCaseID, caio.Diff(businessCaseFields(old.NPV, old.NPVP50, old.TotalCost, string(old.Input)), nil))
	})
}

// ResimulateBusinessCases runs every business case of the organisation
// again, on all cores, and stores the results in one transaction, with one
// audit event that counts them. It serves when the simulation changes (a
// new version of caio) and measures the portfolio budget. A case whose
// input no longer validates is left as it was and reported; one saved anew
// meanwhile keeps the result of that save. Needs PermEdit.
func (app *App) ResimulateBusinessCases(ctx context.Context) (done int, failed []string, err error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return 0, nil, err
	}
	var rows []*sqldb.BusinessCaseRow
	if err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		rows, err = c.BusinessCases(ctx, a.OrgID)
		return err
	}); err != nil {
		return 0, nil, err
	}
	cases := make([]finance.Case, len(rows))
	for i, r := range rows {
		if err := json.Unmarshal(r.Input, &cases[i]); err != nil {
			return 0, nil, err
		}
	}
	results, errs := finance.Portfolio(cases)
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		done, failed = 0, nil
		for i, r := range rows {
			if errs[i] != nil {
				failed = append(failed, r.UseCaseID)
				continue
			}
			res := results[i]
			r.Result, _ = json.Marshal(res)
			r.Currency, r.NPV, r.TotalCost, r.TotalBenefit = cases[i].Currency, res.Deterministic.NPV, res.Deterministic.TotalCost, res.Deterministic.TotalBenefit
			r.NPVP10, r.NPVP50, r.NPVP90, r.NPVMean, r.ProbLoss = res.NPV.P10, res.NPV.P50, res.NPV.P90, res.MeanNPV, res.ProbLoss
			ok, err := c.UpdateBusinessCaseResult(ctx, r)
			if err != nil {
				return err
			}
			if !ok { // saved anew since it was read: that save simulated it
				continue
			}
			done++
		}
		return record(ctx, c, a, "business_case.resimulate", "organization", a.OrgID, caio.Diff(nil, map[string]any{"simulated": done, "failed": len(failed)}))
	})
	if err != nil {
		return 0, nil, err
	}
	return done, failed, nil
}
