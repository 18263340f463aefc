package app

import (
	"context"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// The incident services. They follow the risk register's: authorize,
// validate, then change the store and record one audit event in one
// transaction. Every incident read carries its Art 73 reporting clock at
// the transaction's time; links are checked against the organisation's
// own AI systems.

var _ caio.IncidentService = (*App)(nil)

func incidentNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Incident not found.") }

func correctiveNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Corrective action not found.") }

// IncidentHarmTypes returns the harm types an incident may record. It
// needs PermRead only so that anonymous callers learn nothing.
func (app *App) IncidentHarmTypes(ctx context.Context) ([]caio.HarmType, error) {
	if _, err := authorize(ctx, caio.PermRead); err != nil {
		return nil, err
	}
	return caio.HarmTypes, nil
}

// FindIncident implements caio.IncidentService.
func (app *App) FindIncident(ctx context.Context, id string) (*caio.Incident, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("inc", id) {
		return nil, incidentNotFound()
	}
	var i *caio.Incident
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if i, err = c.Incident(ctx, a.OrgID, id); err != nil {
			return err
		}
		if err = c.IncidentSystems(ctx, i); err != nil {
			return err
		}
		if i.Actions, err = c.CorrectiveActions(ctx, a.OrgID, id); err != nil {
			return err
		}
		day := today(c)
		for _, x := range i.Actions {
			x.Overdue = x.ActionOverdue(day)
		}
		i.Derive(c.Now())
		return nil
	})
	return i, err
}

// FindIncidents implements caio.IncidentService.
func (app *App) FindIncidents(ctx context.Context, f caio.IncidentFilter) ([]*caio.Incident, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	var out []*caio.Incident
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if out, total, err = c.Incidents(ctx, a.OrgID, f, c.Now()); err != nil {
			return err
		}
		for _, i := range out {
			i.Derive(c.Now())
		}
		return nil
	})
	return out, total, err
}

// incidentInput validates in against the organisation's systems, naming
// every field to fix, and returns the linked systems.
func incidentInput(ctx context.Context, c *sqldb.Conn, orgID string, in *caio.IncidentInput) ([]caio.IncidentSystem, error) {
	// The systems are checked even when a field is wrong, so one answer
	// names every problem.
	var v caio.Validation
	if err := in.Normalize(c.Now()); err != nil {
		fs := caio.ErrorFields(err)
		if len(fs) == 0 {
			return nil, err
		}
		for _, p := range fs {
			v.Add(p.Field, p.Message)
		}
	}
	found, err := c.IncidentSystemTargets(ctx, orgID, in.Systems)
	if err != nil {
		return nil, err
	}
	systems := []caio.IncidentSystem{}
	for _, id := range in.Systems {
		s, ok := found[id]
		if !ok {
			v.Add("systems", "names "+id+", which is not an AI system of this organisation")
			continue
		}
		systems = append(systems, s)
	}
	return systems, v.Err()
}

// setIncident copies a normalised input onto i and derives the rest at now.
func setIncident(i *caio.Incident, in caio.IncidentInput, systems []caio.IncidentSystem, now time.Time) {
	i.Title, i.Description, i.Severity, i.Status = in.Title, in.Description, in.Severity, in.Status
	i.OccurredAt, i.AwareAt, i.ReportedAt = in.Occurred, in.Aware, in.Reported
	i.Harms, i.Widespread, i.Death = in.Harms, in.Widespread, in.Death
	i.ReportedTo, i.Owner, i.LessonsLearnt = in.ReportedTo, in.Owner, in.LessonsLearnt
	i.Systems = systems
	i.Derive(now)
}

// CreateIncident implements caio.IncidentService.
func (app *App) CreateIncident(ctx context.Context, in caio.IncidentInput) (*caio.Incident, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	var i *caio.Incident
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		in := in // the transaction may run again
		in.Harms, in.Systems = append([]string(nil), in.Harms...), append([]string(nil), in.Systems...)
		systems, err := incidentInput(ctx, c, a.OrgID, &in)
		if err != nil {
			return err
		}
		i = &caio.Incident{ID: caio.NewID("inc"), OrgID: a.OrgID}
		setIncident(i, in, systems, c.Now())
		if err := c.CreateIncident(ctx, i); err != nil {
			return err
		}
		return record(ctx, c, a, "incident.create", "incident", i.ID, caio.Diff(nil, i.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindIncident(ctx, i.ID)
}

// UpdateIncident implements caio.IncidentService.
func (app *App) UpdateIncident(ctx context.Context, id string, version int, in caio.IncidentInput) (*caio.Incident, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("inc", id) {
		return nil, incidentNotFound()
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		in := in
		in.Harms, in.Systems = append([]string(nil), in.Harms...), append([]string(nil), in.Systems...)
		i, err := c.Incident(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if version != 0 && version != i.Version {
			return staleEdit("incident", i.Version, version)
		}
		if err := c.IncidentSystems(ctx, i); err != nil {
			return err
		}
		systems, err := incidentInput(ctx, c, a.OrgID, &in)
		if err != nil {
			return err
		}
		i.Derive(c.Now())
		before := i.Fields()
		setIncident(i, in, systems, c.Now())
		if err := c.UpdateIncident(ctx, i); err != nil {
			return err
		}
		return record(ctx, c, a, "incident.update", "incident", i.ID, caio.Diff(before, i.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return app.FindIncident(ctx, id)
}

// DeleteIncident implements caio.IncidentService.
func (app *App) DeleteIncident(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("inc", id) {
		return incidentNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		i, err := c.Incident(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := c.IncidentSystems(ctx, i); err != nil {
			return err
		}
		i.Derive(c.Now())
		// The corrective actions go with the incident, so the trail counts them.
		before := i.Fields()
		n, err := c.CountCorrectiveActions(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		before["corrective_actions"] = n
		if err := c.DeleteIncident(ctx, i); err != nil {
			return err
		}
		return record(ctx, c, a, "incident.delete", "incident", i.ID, caio.Diff(before, nil))
	})
}

// actionFields names a corrective action's fields in the incident's audit diff.
func actionFields(x *caio.CorrectiveAction) map[string]any {
	out := map[string]any{"action": x.ID}
	for k, v := range x.Fields() {
		out["action."+k] = v
	}
	return out
}

// AddCorrectiveAction implements caio.IncidentService. The incident's
// version moves on, so an edit of the incident read before it is told.
func (app *App) AddCorrectiveAction(ctx context.Context, incidentID string, in caio.CorrectiveInput) (*caio.CorrectiveAction, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("inc", incidentID) {
		return nil, incidentNotFound()
	}
	var x *caio.CorrectiveAction
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		in := in
		i, err := c.Incident(ctx, a.OrgID, incidentID)
		if err != nil {
			return err
		}
		if err := in.Normalize(); err != nil {
			return err
		}
		n, err := c.CountCorrectiveActions(ctx, a.OrgID, incidentID)
		if err != nil {
			return err
		}
		if n >= caio.MaxCorrectiveActions {
			return caio.Errorf(caio.ECONFLICT, "An incident has at most %d corrective actions: delete one first.", caio.MaxCorrectiveActions)
		}
		x = &caio.CorrectiveAction{ID: caio.NewID("cor"), IncidentID: incidentID, Description: in.Description, Owner: in.Owner, Due: in.Due, Status: in.Status}
		if err := c.CreateCorrectiveAction(ctx, a.OrgID, x); err != nil {
			return err
		}
		if err := c.TouchIncident(ctx, i); err != nil {
			return err
		}
		x.Overdue = x.ActionOverdue(today(c))
		return record(ctx, c, a, "incident.action.create", "incident", incidentID, caio.Diff(nil, actionFields(x)))
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// UpdateCorrectiveAction implements caio.IncidentService.
func (app *App) UpdateCorrectiveAction(ctx context.Context, incidentID, actionID string, in caio.CorrectiveInput) (*caio.CorrectiveAction, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("inc", incidentID) {
		return nil, incidentNotFound()
	}
	if !caio.ValidID("cor", actionID) {
		return nil, correctiveNotFound()
	}
	var x *caio.CorrectiveAction
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		in := in
		i, err := c.Incident(ctx, a.OrgID, incidentID)
		if err != nil {
			return err
		}
		if x, err = c.CorrectiveAction(ctx, a.OrgID, incidentID, actionID); err != nil {
			return err
		}
		if err := in.Normalize(); err != nil {
			return err
		}
		before := actionFields(x)
		x.Description, x.Owner, x.Due, x.Status = in.Description, in.Owner, in.Due, in.Status
		if err := c.UpdateCorrectiveAction(ctx, a.OrgID, x); err != nil {
			return err
		}
		if err := c.TouchIncident(ctx, i); err != nil {
			return err
		}
		x.Overdue = x.ActionOverdue(today(c))
		return record(ctx, c, a, "incident.action.update", "incident", incidentID, caio.Diff(before, actionFields(x)))
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// DeleteCorrectiveAction implements caio.IncidentService.
func (app *App) DeleteCorrectiveAction(ctx context.Context, incidentID, actionID string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("inc", incidentID) {
		return incidentNotFound()
	}
	if !caio.ValidID("cor", actionID) {
		return correctiveNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		i, err := c.Incident(ctx, a.OrgID, incidentID)
		if err != nil {
			return err
		}
		x, err := c.CorrectiveAction(ctx, a.OrgID, incidentID, actionID)
		if err != nil {
			return err
		}
		if err := c.DeleteCorrectiveAction(ctx, a.OrgID, x); err != nil {
			return err
		}
		if err := c.TouchIncident(ctx, i); err != nil {
			return err
		}
		return record(ctx, c, a, "incident.action.delete", "incident", incidentID, caio.Diff(actionFields(x), nil))
	})
}
