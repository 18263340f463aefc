package app

import (
	"context"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// FindObjective implements caio.ObjectiveService.
func (app *App) FindObjective(ctx context.Context, id string) (*caio.Objective, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("obj", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Objective not found.")
	}
	var o *caio.Objective
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		o, err = c.Objective(ctx, a.OrgID, id)
		return err
	})
	return o, err
}

// FindObjectives implements caio.ObjectiveService.
func (app *App) FindObjectives(ctx context.Context, f caio.ObjectiveFilter) ([]*caio.Objective, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if f.Page, err = f.Page.Normalize(); err != nil {
		return nil, 0, err
	}
	if f.Sort != "" && !oneOf(f.Sort, caio.ObjectiveSorts) {
		return nil, 0, caio.FieldError("sort", "must be one of -created, created, title, -title, horizon, -horizon, updated, -updated")
	}
	var os []*caio.Objective
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		os, total, err = c.Objectives(ctx, a.OrgID, f)
		return err
	})
	return os, total, err
}

// CreateObjective implements caio.ObjectiveService.
func (app *App) CreateObjective(ctx context.Context, in caio.ObjectiveInput) (*caio.Objective, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	o := &caio.Objective{ID: caio.NewID("obj"), OrgID: a.OrgID}
	setObjective(o, in)
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.CreateObjective(ctx, o); err != nil {
			return err
		}
		return record(ctx, c, a, "objective.create", "objective", o.ID, caio.Diff(nil, o.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// UpdateObjective implements caio.ObjectiveService.
func (app *App) UpdateObjective(ctx context.Context, id string, version int, in caio.ObjectiveInput) (*caio.Objective, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("obj", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Objective not found.")
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var o *caio.Objective
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if o, err = c.Objective(ctx, a.OrgID, id); err != nil {
			return err
		}
		if version != 0 && version != o.Version {
			return caio.Errorf(caio.ECONFLICT, "Someone else changed this objective (now version %d, you edited version %d). Reload it and apply your change again.", o.Version, version)
		}
		before := o.Fields()
		setObjective(o, in)
		if err := c.UpdateObjective(ctx, o); err != nil {
			return err
		}
		return record(ctx, c, a, "objective.update", "objective", o.ID, caio.Diff(before, o.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// DeleteObjective implements caio.ObjectiveService.
func (app *App) DeleteObjective(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("obj", id) {
		return caio.Errorf(caio.ENOTFOUND, "Objective not found.")
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		o, err := c.Objective(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := unlinkTarget(ctx, c, a, "objective", o.ID, o.Title); err != nil { // links from AI systems (inventory.go)
			return err
		}
		if err := unlinkUseCases(ctx, c, a, "objective", o.ID); err != nil {
			return err
		}
		if err := c.DeleteObjective(ctx, o); err != nil {
			return err
		}
		return record(ctx, c, a, "objective.delete", "objective", o.ID, caio.Diff(o.Fields(), nil))
	})
}

func setObjective(o *caio.Objective, in caio.ObjectiveInput) {
	o.Title, o.Description, o.KPI = in.Title, in.Description, in.KPI
	o.Baseline, o.Target, o.Unit = in.Baseline, in.Target, in.Unit
	o.Horizon, o.Owner = in.Horizon, in.Owner
}

func oneOf(s string, list []string) bool {
	for _, x := range list {
		if s == x {
			return true
		}
	}
	return false
}
