package app

import (
	"context"
	"strconv"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/risklib"
	"github.com/caio-office/caio/internal/sqldb"
)

// The risk register services. They follow the inventory's: authorize,
// validate, then change the store and record one audit event in one
// transaction. Categories are checked against the risk libraries, links and
// treatment controls against the organisation's own objects.

var _ caio.RiskService = (*App)(nil)

func riskNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Risk not found.") }

// RiskLibraries returns the risk libraries a risk may be categorised by.
// It needs PermRead only so that anonymous callers learn nothing.
func (app *App) RiskLibraries(ctx context.Context) (*risklib.Set, error) {
	if _, err := authorize(ctx, caio.PermRead); err != nil {
		return nil, err
	}
	return risklib.Default(), nil
}

// FindRisk implements caio.RiskService.
func (app *App) FindRisk(ctx context.Context, id string) (*caio.Risk, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("rsk", id) {
		return nil, riskNotFound()
	}
	var r *caio.Risk
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if r, err = c.Risk(ctx, a.OrgID, id); err != nil {
			return err
		}
		if r.Links, err = c.RiskLinks(ctx, a.OrgID, id); err != nil {
			return err
		}
		if r.Treatments, err = c.RiskTreatments(ctx, a.OrgID, id); err != nil {
			return err
		}
		return flagRisks(ctx, c, a.OrgID, r)
	})
	return r, err
}

// riskToday is the date, in UTC, that review dates are counted against.
func riskToday(c *sqldb.Conn) string { return today(c) }

// flagRisks marks the risks that breach the organisation's appetite and
// those whose review is overdue.
func flagRisks(ctx context.Context, c *sqldb.Conn, orgID string, rs ...*caio.Risk) error {
	s, err := c.RiskAppetite(ctx, orgID)
	if err != nil {
		return err
	}
	day := riskToday(c)
	for _, r := range rs {
		r.Breach, r.Overdue = r.Breaches(s.Appetite), r.ReviewOverdue(day)
	}
	return nil
}

// FindRisks implements caio.RiskService.
func (app *App) FindRisks(ctx context.Context, f caio.RiskFilter) ([]*caio.Risk, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	var out []*caio.Risk
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		s, err := c.RiskAppetite(ctx, a.OrgID)
		if err != nil {
			return err
		}
		day := riskToday(c)
		if out, total, err = c.Risks(ctx, a.OrgID, f, s.Appetite, day); err != nil {
			return err
		}
		for _, r := range out {
			r.Breach, r.Overdue = r.Breaches(s.Appetite), r.ReviewOverdue(day)
		}
		return nil
	})
	return out, total, err
}

// riskInput validates in against the organisation's scale, the libraries
// and its own systems, use cases and vendors, naming every field to fix.
func riskInput(ctx context.Context, c *sqldb.Conn, orgID string, in *caio.RiskInput) ([]caio.RiskLink, error) {
	// On PostgreSQL a risk's write and a change of the scale queue on the
	// organisation's row: the settings row may not exist yet to lock.
	if err := c.LockOrg(ctx, orgID); err != nil {
		return nil, err
	}
	s, err := c.RiskAppetite(ctx, orgID)
	if err != nil {
		return nil, err
	}
	// The links are checked even when a field is wrong, so one answer names
	// every problem.
	var v caio.Validation
	if err := in.Normalize(s.Scale, risklib.Default().Known); err != nil {
		fs := caio.ErrorFields(err)
		if len(fs) == 0 {
			return nil, err
		}
		for _, p := range fs {
			v.Add(p.Field, p.Message)
		}
	}
	var links []caio.RiskLink
	for _, k := range []struct {
		kind, field, label string
		ids                []string
	}{{"system", "systems", "AI system", in.Systems}, {"use_case", "use_cases", "use case", in.UseCases}, {"vendor", "vendors", "vendor", in.Vendors}} {
		found, err := c.RiskLinkTargets(ctx, orgID, k.kind, k.ids)
		if err != nil {
			return nil, err
		}
		for _, id := range k.ids {
			if !found[id] {
				v.Add(k.field, "names "+id+", which is not "+article(k.label)+" "+k.label+" of this organisation")
				continue
			}
			links = append(links, caio.RiskLink{Kind: k.kind, TargetID: id})
		}
	}
	return links, v.Err()
}

func article(s string) string {
	switch s[0] {
	case 'a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U':
		if s[:2] != "us" {
			return "an"
		}
	}
	return "a"
}

func setRisk(r *caio.Risk, in caio.RiskInput, links []caio.RiskLink) {
	r.Title, r.Description, r.Category, r.Owner, r.Status, r.ReviewDate = in.Title, in.Description, in.Category, in.Owner, in.Status, in.ReviewDate
	r.Likelihood, r.Impact, r.ResidualLikelihood, r.ResidualImpact = in.Likelihood, in.Impact, in.ResidualLikelihood, in.ResidualImpact
	r.Links = links
	r.Scores()
}

// CreateRisk implements caio.RiskService.
func (app *App) CreateRisk(ctx context.Context, in caio.RiskInput) (*caio.Risk, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	var r *caio.Risk
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		in := in // the transaction may run again
		links, err := riskInput(ctx, c, a.OrgID, &in)
		if err != nil {
			return err
		}
		r = &caio.Risk{ID: caio.NewID("rsk"), OrgID: a.OrgID}
		setRisk(r, in, links)
		if err := c.CreateRisk(ctx, r); err != nil {
			return err
		}
		return record(ctx, c, a, "risk.create", "risk", r.ID, caio.Diff(nil, r.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindRisk(ctx, r.ID)
}

// UpdateRisk implements caio.RiskService.
func (app *App) UpdateRisk(ctx context.Context, id string, version int, in caio.RiskInput) (*caio.Risk, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("rsk", id) {
		return nil, riskNotFound()
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		in := in
		r, err := c.Risk(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if version != 0 && version != r.Version {
			return staleEdit("risk", r.Version, version)
		}
		if r.Links, err = c.RiskLinks(ctx, a.OrgID, id); err != nil {
			return err
		}
		links, err := riskInput(ctx, c, a.OrgID, &in)
		if err != nil {
			return err
		}
		before := r.Fields()
		setRisk(r, in, links)
		if err := c.UpdateRisk(ctx, r); err != nil {
			return err
		}
		return record(ctx, c, a, "risk.update", "risk", r.ID, caio.Diff(before, r.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindRisk(ctx, id)
}

// DeleteRisk implements caio.RiskService.
func (app *App) DeleteRisk(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("rsk", id) {
		return riskNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		r, err := c.Risk(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if r.Links, err = c.RiskLinks(ctx, a.OrgID, id); err != nil {
			return err
		}
		// The treatments go with the risk, so the trail counts them.
		before := r.Fields()
		n, err := c.CountRiskTreatments(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		before["treatments"] = n
		if err := c.DeleteRisk(ctx, r); err != nil {
			return err
		}
		return record(ctx, c, a, "risk.delete", "risk", r.ID, caio.Diff(before, nil))
	})
}

// treatment validates a treatment's input and its control.
func treatment(ctx context.Context, c *sqldb.Conn, orgID string, in *caio.TreatmentInput) error {
	if err := in.Normalize(); err != nil {
		return err
	}
	if in.ControlID == "" {
		return nil
	}
	ok, err := c.ControlInOrg(ctx, orgID, in.ControlID)
	if err != nil {
		return err
	}
	if !ok {
		return caio.FieldError("control_id", "names "+in.ControlID+", which is not a control of this organisation")
	}
	return nil
}

// AddTreatment implements caio.RiskService. The risk's version moves on,
// so an edit of the risk read before it is told.
func (app *App) AddTreatment(ctx context.Context, riskID string, in caio.TreatmentInput) (*caio.RiskTreatment, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("rsk", riskID) {
		return nil, riskNotFound()
	}
	var t *caio.RiskTreatment
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		in := in
		r, err := c.Risk(ctx, a.OrgID, riskID)
		if err != nil {
			return err
		}
		if err := treatment(ctx, c, a.OrgID, &in); err != nil {
			return err
		}
		n, err := c.CountRiskTreatments(ctx, a.OrgID, riskID)
		if err != nil {
			return err
		}
		if n >= caio.MaxRiskTreatments {
			return caio.Errorf(caio.ECONFLICT, "A risk has at most %d treatments: close or delete one first.", caio.MaxRiskTreatments)
		}
		t = &caio.RiskTreatment{ID: caio.NewID("rtr"), RiskID: riskID, ControlID: in.ControlID, Description: in.Description,
			Status: in.Status, Owner: in.Owner, Due: in.Due}
		if err := c.CreateRiskTreatment(ctx, a.OrgID, t); err != nil {
			return err
		}
		if err := c.TouchRisk(ctx, r); err != nil {
			return err
		}
		diff := map[string]any{"treatment": t.ID}
		for k, v := range t.Fields() {
			diff["treatment."+k] = v
		}
		return record(ctx, c, a, "risk.treatment.create", "risk", riskID, caio.Diff(nil, diff))
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// UpdateTreatment implements caio.RiskService.
func (app *App) UpdateTreatment(ctx context.Context, riskID, treatmentID string, in caio.TreatmentInput) (*caio.RiskTreatment, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("rsk", riskID) {
		return nil, riskNotFound()
	}
	if !caio.ValidID("rtr", treatmentID) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Treatment not found.")
	}
	var t *caio.RiskTreatment
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		in := in
		r, err := c.Risk(ctx, a.OrgID, riskID)
		if err != nil {
			return err
		}
		if t, err = c.RiskTreatment(ctx, a.OrgID, riskID, treatmentID); err != nil {
			return err
		}
		if err := treatment(ctx, c, a.OrgID, &in); err != nil {
			return err
		}
		before := prefixed(t.ID, t.Fields())
		t.ControlID, t.Description, t.Status, t.Owner, t.Due = in.ControlID, in.Description, in.Status, in.Owner, in.Due
		if err := c.UpdateRiskTreatment(ctx, a.OrgID, t); err != nil {
			return err
		}
		if err := c.TouchRisk(ctx, r); err != nil {
			return err
		}
		return record(ctx, c, a, "risk.treatment.update", "risk", riskID, caio.Diff(before, prefixed(t.ID, t.Fields())))
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// prefixed names a treatment's fields in the risk's audit diff.
func prefixed(id string, m map[string]any) map[string]any {
	out := map[string]any{"treatment": id}
	for k, v := range m {
		out["treatment."+k] = v
	}
	return out
}

// DeleteTreatment implements caio.RiskService.
func (app *App) DeleteTreatment(ctx context.Context, riskID, treatmentID string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("rsk", riskID) {
		return riskNotFound()
	}
	if !caio.ValidID("rtr", treatmentID) {
		return caio.Errorf(caio.ENOTFOUND, "Treatment not found.")
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		r, err := c.Risk(ctx, a.OrgID, riskID)
		if err != nil {
			return err
		}
		t, err := c.RiskTreatment(ctx, a.OrgID, riskID, treatmentID)
		if err != nil {
			return err
		}
		if err := c.DeleteRiskTreatment(ctx, a.OrgID, t); err != nil {
			return err
		}
		if err := c.TouchRisk(ctx, r); err != nil {
			return err
		}
		return record(ctx, c, a, "risk.treatment.delete", "risk", riskID, caio.Diff(prefixed(t.ID, t.Fields()), nil))
	})
}

// RiskHeatMap implements caio.RiskService.
func (app *App) RiskHeatMap(ctx context.Context) (*caio.RiskHeatMap, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var h *caio.RiskHeatMap
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		s, err := c.RiskAppetite(ctx, a.OrgID)
		if err != nil {
			return err
		}
		h = caio.NewHeatMap(s.Scale, s.Appetite)
		return c.RiskHeatMap(ctx, a.OrgID, h)
	})
	return h, err
}

// RiskAppetite implements caio.RiskService.
func (app *App) RiskAppetite(ctx context.Context) (*caio.RiskAppetite, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var s *caio.RiskAppetite
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		s, err = c.RiskAppetite(ctx, a.OrgID)
		return err
	})
	return s, err
}

// SetRiskAppetite implements caio.RiskService. When in.Version is not zero
// and differs from the stored version, returns ECONFLICT.
func (app *App) SetRiskAppetite(ctx context.Context, in caio.RiskAppetite) (*caio.RiskAppetite, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var s *caio.RiskAppetite
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if err := c.LockOrg(ctx, a.OrgID); err != nil { // see riskInput
			return err
		}
		if s, err = c.RiskAppetite(ctx, a.OrgID); err != nil {
			return err
		}
		if in.Version != 0 && in.Version != s.Version {
			return staleEdit("risk appetite", s.Version, in.Version)
		}
		if in.Scale < s.Scale {
			top, err := c.MaxRiskValue(ctx, a.OrgID)
			if err != nil {
				return err
			}
			if top > in.Scale {
				return &caio.Error{Code: caio.ECONFLICT, Message: "Some risks are rated above the new scale.",
					Fields: []caio.FieldProblem{{Field: "scale", Message: "must be at least " + strconv.Itoa(top) + ", the highest likelihood or impact in use; re-rate those risks first"}}}
			}
		}
		before := map[string]any{"scale": s.Scale, "appetite": s.Appetite}
		s.Scale, s.Appetite = in.Scale, in.Appetite
		if err := c.PutRiskAppetite(ctx, a.OrgID, s); err != nil {
			return err
		}
		return record(ctx, c, a, "risk.appetite", "organization", a.OrgID, caio.Diff(before, map[string]any{"scale": s.Scale, "appetite": s.Appetite}))
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}
