package app

import (
	"context"
	"slices"
	"strconv"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// The AI inventory services: systems and their links, models, datasets and
// vendors. They follow the objective services: authorize, validate, then
// change the store and record the audit event in one transaction.

var (
	_ caio.SystemService  = (*App)(nil)
	_ caio.ModelService   = (*App)(nil)
	_ caio.DatasetService = (*App)(nil)
	_ caio.VendorService  = (*App)(nil)
)

func systemNotFound() error { return caio.Errorf(caio.ENOTFOUND, "AI system not found.") }

// FindSystem implements caio.SystemService.
func (app *App) FindSystem(ctx context.Context, id string) (*caio.AISystem, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("sys", id) {
		return nil, systemNotFound()
	}
	var s *caio.AISystem
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		s, err = c.System(ctx, a.OrgID, id)
		return err
	})
	return s, err
}

// FindSystems implements caio.SystemService.
func (app *App) FindSystems(ctx context.Context, f caio.AISystemFilter) ([]*caio.AISystem, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	var out []*caio.AISystem
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		out, total, err = c.Systems(ctx, a.OrgID, f)
		return err
	})
	return out, total, err
}

func setSystem(s *caio.AISystem, in caio.AISystemInput) {
	s.Name, s.Purpose, s.Description, s.Owner, s.BusinessUnit = in.Name, in.Purpose, in.Description, in.Owner, in.BusinessUnit
	s.Stage, s.Countries, s.Users, s.Affected = in.Stage, in.Countries, in.Users, in.Affected
	s.Autonomy, s.Oversight, s.Roles, s.OMBImpact = in.Autonomy, in.Oversight, in.Roles, in.OMBImpact
}

// CreateSystem implements caio.SystemService.
func (app *App) CreateSystem(ctx context.Context, in caio.AISystemInput) (*caio.AISystem, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	s := &caio.AISystem{ID: caio.NewID("sys"), OrgID: a.OrgID}
	setSystem(s, in)
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.CreateSystem(ctx, s); err != nil {
			return err
		}
		return record(ctx, c, a, "system.create", "system", s.ID, caio.Diff(nil, s.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// UpdateSystem implements caio.SystemService.
func (app *App) UpdateSystem(ctx context.Context, id string, version int, in caio.AISystemInput) (*caio.AISystem, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("sys", id) {
		return nil, systemNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var s *caio.AISystem
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if s, err = c.System(ctx, a.OrgID, id); err != nil {
			return err
		}
		if version != 0 && version != s.Version {
			return staleEdit("AI system", s.Version, version)
		}
		before := s.Fields()
		setSystem(s, in)
		if err := c.UpdateSystem(ctx, s); err != nil {
			return err
		}
		return record(ctx, c, a, "system.update", "system", s.ID, caio.Diff(before, s.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// DeleteSystem implements caio.SystemService.
func (app *App) DeleteSystem(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("sys", id) {
		return systemNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error { return deleteSystem(ctx, c, a, id) })
}

// deleteSystem deletes a system of a's organisation with what goes with it,
// inside the caller's transaction (the page, the API and governance as code
// share it). The audit event names what went with it (by foreign key), so
// the trail says what a deletion took away.
func deleteSystem(ctx context.Context, c *sqldb.Conn, a caio.Actor, id string) error {
	s, err := c.System(ctx, a.OrgID, id)
	if err != nil {
		return err
	}
	before := s.Fields()
	deps, err := c.SystemDependents(ctx, a.OrgID, s.ID)
	if err != nil {
		return err
	}
	for k, n := range deps {
		before[k] = n
	}
	if err := unlinkUseCases(ctx, c, a, "system", s.ID); err != nil {
		return err
	}
	if err := c.DeleteSystem(ctx, s); err != nil {
		return err
	}
	return record(ctx, c, a, "system.delete", "system", s.ID, caio.Diff(before, nil))
}

// BulkUpdateSystems implements caio.SystemService.
func (app *App) BulkUpdateSystems(ctx context.Context, ids []string, set caio.SystemBulkSet) (int, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return 0, err
	}
	var unique []string
	for _, id := range ids {
		if !slices.Contains(unique, id) {
			unique = append(unique, id)
		}
	}
	switch {
	case len(unique) == 0:
		return 0, caio.FieldError("ids", "must name at least one AI system")
	case len(unique) > caio.MaxBulkIDs:
		return 0, caio.FieldError("ids", "must name at most "+strconv.Itoa(caio.MaxBulkIDs)+" AI systems at once")
	}
	if err := set.Normalize(); err != nil {
		return 0, err
	}
	missing := func(id string) error {
		return &caio.Error{Code: caio.ENOTFOUND, Message: "AI system " + id + " not found: nothing was changed.",
			Fields: []caio.FieldProblem{{Field: "ids", Message: "names " + id + ", which is not an AI system of this organisation"}}}
	}
	for _, id := range unique {
		if !caio.ValidID("sys", id) {
			return 0, missing(id)
		}
	}
	changed := 0
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		changed = 0 // the transaction may run again
		for _, id := range unique {
			s, err := c.System(ctx, a.OrgID, id)
			if caio.ErrorCode(err) == caio.ENOTFOUND {
				return missing(id)
			} else if err != nil {
				return err
			}
			before := s.Fields()
			if set.Stage != nil {
				s.Stage = *set.Stage
			}
			if set.Owner != nil {
				s.Owner = *set.Owner
			}
			if set.BusinessUnit != nil {
				s.BusinessUnit = *set.BusinessUnit
			}
			diff := caio.Diff(before, s.Fields())
			if string(diff) == "{}" {
				continue // already so: nothing to record
			}
			if err := c.UpdateSystem(ctx, s); err != nil {
				return err
			}
			if err := record(ctx, c, a, "system.update", "system", s.ID, diff); err != nil {
				return err
			}
			changed++
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return changed, nil
}

// FindSystemLinks implements caio.SystemService.
func (app *App) FindSystemLinks(ctx context.Context, systemID string) ([]*caio.SystemLink, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("sys", systemID) {
		return nil, systemNotFound()
	}
	var links []*caio.SystemLink
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		if _, err := c.System(ctx, a.OrgID, systemID); err != nil {
			return err
		}
		links, err = c.SystemLinks(ctx, a.OrgID, systemID)
		return err
	})
	return links, err
}

// linkLabels names each kind of link target for messages.
var linkLabels = map[string]string{"model": "Model", "dataset": "Dataset", "vendor": "Vendor", "objective": "Objective"}

// checkLink checks the kind and the IDs of a link before any query.
func checkLink(systemID, kind, targetID string) error {
	prefix := caio.LinkPrefix(kind)
	switch {
	case prefix == "":
		return caio.FieldError("kind", "must be one of model, dataset, vendor, objective")
	case !caio.ValidID("sys", systemID):
		return systemNotFound()
	case !caio.ValidID(prefix, targetID):
		return caio.Errorf(caio.ENOTFOUND, "%s not found.", linkLabels[kind])
	}
	return nil
}

// linkFields describes a link in an audit diff.
func linkFields(kind, targetID, name string) map[string]any {
	return map[string]any{"kind": kind, "target_id": targetID, "target": name}
}

// LinkSystem implements caio.SystemService.
func (app *App) LinkSystem(ctx context.Context, systemID, kind, targetID string) (*caio.SystemLink, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := checkLink(systemID, kind, targetID); err != nil {
		return nil, err
	}
	l := &caio.SystemLink{SystemID: systemID, Kind: kind, TargetID: targetID}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if _, err := c.System(ctx, a.OrgID, systemID); err != nil {
			return err
		}
		name, err := c.LinkTargetName(ctx, a.OrgID, kind, targetID)
		if err != nil {
			return err
		}
		l.TargetName = name
		n, err := c.CountSystemLinks(ctx, a.OrgID, systemID)
		if err != nil {
			return err
		}
		if n >= caio.MaxSystemLinks {
			return caio.FieldError("target_id", "cannot be linked: the system has "+strconv.Itoa(n)+" links, the most it may have")
		}
		if err := c.CreateSystemLink(ctx, a.OrgID, l); err != nil {
			return err
		}
		return record(ctx, c, a, "system.link", "system", systemID, caio.Diff(nil, linkFields(kind, targetID, name)))
	})
	if err != nil {
		return nil, err
	}
	return l, nil
}

// UnlinkSystem implements caio.SystemService.
func (app *App) UnlinkSystem(ctx context.Context, systemID, kind, targetID string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if err := checkLink(systemID, kind, targetID); err != nil {
		if caio.ErrorCode(err) == caio.ENOTFOUND {
			return caio.Errorf(caio.ENOTFOUND, "Link not found.")
		}
		return err
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if _, err := c.System(ctx, a.OrgID, systemID); err != nil {
			return err
		}
		// The target may be gone from a store restored by hand; the link
		// still goes, recorded without a name.
		name, err := c.LinkTargetName(ctx, a.OrgID, kind, targetID)
		if err != nil && caio.ErrorCode(err) != caio.ENOTFOUND {
			return err
		}
		if err := c.DeleteSystemLink(ctx, a.OrgID, systemID, kind, targetID); err != nil {
			return err
		}
		return record(ctx, c, a, "system.unlink", "system", systemID, caio.Diff(linkFields(kind, targetID, name), nil))
	})
}

// unlinkTarget removes every link to a target that is being deleted, in the
// same transaction, and records a system.unlink event for each system that
// was linked to it, so each system's history says where the link went.
func unlinkTarget(ctx context.Context, c *sqldb.Conn, a caio.Actor, kind, targetID, name string) error {
	ids, err := c.DeleteLinksTo(ctx, a.OrgID, kind, targetID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := record(ctx, c, a, "system.unlink", "system", id, caio.Diff(linkFields(kind, targetID, name), nil)); err != nil {
			return err
		}
	}
	return nil
}

// --- Models ---

func modelNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Model not found.") }

// checkInventoryFilter normalizes the filter of a model, dataset or vendor list.
func checkInventoryFilter(f *caio.InventoryFilter) error { return f.Normalize() }

// FindModel implements caio.ModelService.
func (app *App) FindModel(ctx context.Context, id string) (*caio.AIModel, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("mdl", id) {
		return nil, modelNotFound()
	}
	var m *caio.AIModel
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		m, err = c.Model(ctx, a.OrgID, id)
		return err
	})
	return m, err
}

// FindModels implements caio.ModelService.
func (app *App) FindModels(ctx context.Context, f caio.InventoryFilter) ([]*caio.AIModel, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := checkInventoryFilter(&f); err != nil {
		return nil, 0, err
	}
	var out []*caio.AIModel
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		out, total, err = c.Models(ctx, a.OrgID, f)
		return err
	})
	return out, total, err
}

func setModel(m *caio.AIModel, in caio.AIModelInput) {
	m.Name, m.Provider, m.ModelVersion, m.Kind, m.Licence, m.Description = in.Name, in.Provider, in.ModelVersion, in.Kind, in.Licence, in.Description
}

// CreateModel implements caio.ModelService.
func (app *App) CreateModel(ctx context.Context, in caio.AIModelInput) (*caio.AIModel, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	m := &caio.AIModel{ID: caio.NewID("mdl"), OrgID: a.OrgID}
	setModel(m, in)
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.CreateModel(ctx, m); err != nil {
			return err
		}
		return record(ctx, c, a, "model.create", "model", m.ID, caio.Diff(nil, m.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// UpdateModel implements caio.ModelService.
func (app *App) UpdateModel(ctx context.Context, id string, version int, in caio.AIModelInput) (*caio.AIModel, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("mdl", id) {
		return nil, modelNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var m *caio.AIModel
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if m, err = c.Model(ctx, a.OrgID, id); err != nil {
			return err
		}
		if version != 0 && version != m.Version {
			return staleEdit("model", m.Version, version)
		}
		before := m.Fields()
		setModel(m, in)
		if err := c.UpdateModel(ctx, m); err != nil {
			return err
		}
		return record(ctx, c, a, "model.update", "model", m.ID, caio.Diff(before, m.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// staleEdit is the conflict of an edit made to an older version.
func staleEdit(what string, now, edited int) error {
	return caio.Errorf(caio.ECONFLICT, "Someone else changed this %s (now version %d, you edited version %d). Reload it and apply your change again.", what, now, edited)
}

// DeleteModel implements caio.ModelService.
func (app *App) DeleteModel(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("mdl", id) {
		return modelNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		m, err := c.Model(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := unlinkTarget(ctx, c, a, "model", m.ID, m.Name); err != nil {
			return err
		}
		if err := c.DeleteModel(ctx, m); err != nil {
			return err
		}
		return record(ctx, c, a, "model.delete", "model", m.ID, caio.Diff(m.Fields(), nil))
	})
}

// --- Datasets ---

func datasetNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Dataset not found.") }

// FindDataset implements caio.DatasetService.
func (app *App) FindDataset(ctx context.Context, id string) (*caio.Dataset, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("ds", id) {
		return nil, datasetNotFound()
	}
	var d *caio.Dataset
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		d, err = c.Dataset(ctx, a.OrgID, id)
		return err
	})
	return d, err
}

// FindDatasets implements caio.DatasetService.
func (app *App) FindDatasets(ctx context.Context, f caio.InventoryFilter) ([]*caio.Dataset, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := checkInventoryFilter(&f); err != nil {
		return nil, 0, err
	}
	var out []*caio.Dataset
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		out, total, err = c.Datasets(ctx, a.OrgID, f)
		return err
	})
	return out, total, err
}

func setDataset(d *caio.Dataset, in caio.DatasetInput) {
	d.Name, d.Source, d.Description, d.PersonalData, d.SpecialCategories = in.Name, in.Source, in.Description, in.PersonalData, in.SpecialCategories
}

// CreateDataset implements caio.DatasetService.
func (app *App) CreateDataset(ctx context.Context, in caio.DatasetInput) (*caio.Dataset, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	d := &caio.Dataset{ID: caio.NewID("ds"), OrgID: a.OrgID}
	setDataset(d, in)
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.CreateDataset(ctx, d); err != nil {
			return err
		}
		return record(ctx, c, a, "dataset.create", "dataset", d.ID, caio.Diff(nil, d.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// UpdateDataset implements caio.DatasetService.
func (app *App) UpdateDataset(ctx context.Context, id string, version int, in caio.DatasetInput) (*caio.Dataset, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("ds", id) {
		return nil, datasetNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var d *caio.Dataset
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if d, err = c.Dataset(ctx, a.OrgID, id); err != nil {
			return err
		}
		if version != 0 && version != d.Version {
			return staleEdit("dataset", d.Version, version)
		}
		before := d.Fields()
		setDataset(d, in)
		if err := c.UpdateDataset(ctx, d); err != nil {
			return err
		}
		return record(ctx, c, a, "dataset.update", "dataset", d.ID, caio.Diff(before, d.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// DeleteDataset implements caio.DatasetService.
func (app *App) DeleteDataset(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("ds", id) {
		return datasetNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		d, err := c.Dataset(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := unlinkTarget(ctx, c, a, "dataset", d.ID, d.Name); err != nil {
			return err
		}
		if err := c.DeleteDataset(ctx, d); err != nil {
			return err
		}
		return record(ctx, c, a, "dataset.delete", "dataset", d.ID, caio.Diff(d.Fields(), nil))
	})
}

// --- Vendors ---

func vendorNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Vendor not found.") }

// FindVendor implements caio.VendorService.
func (app *App) FindVendor(ctx context.Context, id string) (*caio.Vendor, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("vnd", id) {
		return nil, vendorNotFound()
	}
	var v *caio.Vendor
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		v, err = c.Vendor(ctx, a.OrgID, id)
		return err
	})
	return v, err
}

// FindVendors implements caio.VendorService.
func (app *App) FindVendors(ctx context.Context, f caio.InventoryFilter) ([]*caio.Vendor, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := checkInventoryFilter(&f); err != nil {
		return nil, 0, err
	}
	var out []*caio.Vendor
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		out, total, err = c.Vendors(ctx, a.OrgID, f)
		return err
	})
	return out, total, err
}

func setVendor(v *caio.Vendor, in caio.VendorInput) {
	v.Name, v.Website, v.Contact, v.Country, v.Description = in.Name, in.Website, in.Contact, in.Country, in.Description
}

// CreateVendor implements caio.VendorService.
func (app *App) CreateVendor(ctx context.Context, in caio.VendorInput) (*caio.Vendor, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	v := &caio.Vendor{ID: caio.NewID("vnd"), OrgID: a.OrgID}
	setVendor(v, in)
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.CreateVendor(ctx, v); err != nil {
			return err
		}
		return record(ctx, c, a, "vendor.create", "vendor", v.ID, caio.Diff(nil, v.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// UpdateVendor implements caio.VendorService.
func (app *App) UpdateVendor(ctx context.Context, id string, version int, in caio.VendorInput) (*caio.Vendor, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("vnd", id) {
		return nil, vendorNotFound()
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var v *caio.Vendor
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if v, err = c.Vendor(ctx, a.OrgID, id); err != nil {
			return err
		}
		if version != 0 && version != v.Version {
			return staleEdit("vendor", v.Version, version)
		}
		before := v.Fields()
		setVendor(v, in)
		if err := c.UpdateVendor(ctx, v); err != nil {
			return err
		}
		return record(ctx, c, a, "vendor.update", "vendor", v.ID, caio.Diff(before, v.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// DeleteVendor implements caio.VendorService.
func (app *App) DeleteVendor(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("vnd", id) {
		return vendorNotFound()
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		v, err := c.Vendor(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := unlinkTarget(ctx, c, a, "vendor", v.ID, v.Name); err != nil {
			return err
		}
		if err := c.DeleteVendor(ctx, v); err != nil {
			return err
		}
		return record(ctx, c, a, "vendor.delete", "vendor", v.ID, caio.Diff(v.Fields(), nil))
	})
}
