package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/engine/govcode"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/caio-office/caio/internal/sqldb"
)

// Governance as code: the organisation's register as YAML files (see
// internal/engine/govcode and docs/governance-as-code.md). Export reads the
// store; Plan compares files with it; Apply writes the plan in one
// transaction with an audit event per object and one for the run.

// GovPlan is what an import of a register would do.
type GovPlan struct {
	Steps []govcode.Step `json:"steps"`
	// Problems are files that cannot be imported as they are; an import
	// with problems changes nothing.
	Problems []govcode.Problem `json:"problems"`
	// Counts are the steps by operation (create, change, delete).
	Counts map[string]int `json:"counts"`
}

func (p *GovPlan) count() {
	p.Counts = map[string]int{govcode.Create: 0, govcode.Change: 0, govcode.Delete: 0}
	for _, s := range p.Steps {
		p.Counts[s.Op]++
	}
}

// ExportGovCode returns the organisation's register in the files' form
// and records one govcode.export event with its counts. Needs PermRead.
func (app *App) ExportGovCode(ctx context.Context) (*govcode.Registry, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var r *govcode.Registry
	if err := app.DB.Snapshot(ctx, func(c *sqldb.Conn) (err error) {
		r, err = loadGovRegistry(ctx, c, a.OrgID)
		return err
	}); err != nil {
		return nil, err
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		return record(ctx, c, a, "govcode.export", "organization", a.OrgID, caio.Diff(nil, govCounts(r)))
	})
	return r, err
}

func govCounts(r *govcode.Registry) map[string]any {
	return map[string]any{"vendors": len(r.Vendors), "models": len(r.Models), "datasets": len(r.Datasets), "systems": len(r.Systems),
		"use_cases": len(r.UseCases), "controls": len(r.Controls), "policies": len(r.Policies), "rules": len(r.Rules)}
}

// PlanGovCode validates the register read from files and compares it with
// the organisation's. Needs PermRead. The register is normalised in place.
func (app *App) PlanGovCode(ctx context.Context, desired *govcode.Registry) (*GovPlan, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var plan *GovPlan
	err = app.DB.Snapshot(ctx, func(c *sqldb.Conn) (err error) {
		plan, err = govPlan(ctx, c, a.OrgID, desired)
		return err
	})
	return plan, err
}

func govPlan(ctx context.Context, c *sqldb.Conn, orgID string, desired *govcode.Registry) (*GovPlan, error) {
	current, err := loadGovRegistry(ctx, c, orgID)
	if err != nil {
		return nil, err
	}
	probs := govcode.Normalize(desired)
	// The store's values are compared in the same normal form (data
	// written before a validation rule, or generated, may differ in order).
	govcode.Normalize(current)
	for _, it := range desired.Systems {
		if p := it.Value.Profile; p != nil && p.Schema == euaiact.ProfileSchema {
			p.Schema = ""
		}
		if it.Value.Profile != nil {
			it.Value.Profile.Name = ""
		}
	}
	steps, more := govcode.Plan(desired, current)
	probs = append(probs, more...)
	if desired.Present["rules"] {
		_, rps := govcode.OwnRules(desired)
		probs = append(probs, rps...)
	}
	plan := &GovPlan{Steps: steps, Problems: probs}
	sort.SliceStable(plan.Problems, func(i, j int) bool {
		if plan.Problems[i].File != plan.Problems[j].File {
			return plan.Problems[i].File < plan.Problems[j].File
		}
		return plan.Problems[i].Line < plan.Problems[j].Line
	})
	plan.count()
	return plan, nil
}

// ApplyGovCode plans the import and carries it out in one transaction:
// every object changes, each with its own audit event, and one
// govcode.import event records the counts; or, on any problem, nothing
// changes and the problems are returned as an EINVALID error and in the
// plan. Needs PermEdit.
func (app *App) ApplyGovCode(ctx context.Context, desired *govcode.Registry) (*GovPlan, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	var plan *GovPlan
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if err := c.LockOrg(ctx, a.OrgID); err != nil {
			return err
		}
		// A retried transaction starts again from the files as read.
		d := cloneRegistry(desired)
		if plan, err = govPlan(ctx, c, a.OrgID, d); err != nil {
			return err
		}
		if len(plan.Problems) > 0 {
			return govProblemsError(plan.Problems)
		}
		if err := app.applyGovPlan(ctx, c, a, d, plan.Steps); err != nil {
			return err
		}
		return record(ctx, c, a, "govcode.import", "organization", a.OrgID, caio.Diff(nil, map[string]any{
			"created": plan.Counts[govcode.Create], "changed": plan.Counts[govcode.Change], "deleted": plan.Counts[govcode.Delete]}))
	})
	if err != nil {
		return plan, err
	}
	return plan, nil
}

func govProblemsError(ps []govcode.Problem) error {
	lines := make([]string, 0, len(ps))
	for _, p := range ps {
		lines = append(lines, p.String())
	}
	return caio.Errorf(caio.EINVALID, "The files cannot be imported; nothing was changed:\n%s", strings.Join(lines, "\n"))
}

func cloneRegistry(r *govcode.Registry) *govcode.Registry {
	b, _ := json.Marshal(r)
	var out govcode.Registry
	_ = json.Unmarshal(b, &out)
	return &out
}

// loadGovRegistry reads the organisation's register, each kind sorted by
// ID so that an export is the same from run to run.
func loadGovRegistry(ctx context.Context, c *sqldb.Conn, orgID string) (*govcode.Registry, error) {
	r := &govcode.Registry{Present: map[string]bool{}}
	for _, k := range govcode.Kinds {
		r.Present[k] = true
	}
	page := caio.Page{Limit: caio.MaxPageLimit}
	for off := 0; ; off += page.Limit {
		page.Offset = off
		vs, total, err := c.Vendors(ctx, orgID, caio.InventoryFilter{Sort: "created", Page: page})
		if err != nil {
			return nil, err
		}
		for _, v := range vs {
			r.Vendors = append(r.Vendors, &govcode.Item[govcode.Vendor]{Value: govcode.Vendor{ID: v.ID, Name: v.Name, Website: v.Website, Contact: v.Contact, Country: v.Country, Description: v.Description}})
		}
		if off+page.Limit >= total {
			break
		}
	}
	for off := 0; ; off += page.Limit {
		page.Offset = off
		ms, total, err := c.Models(ctx, orgID, caio.InventoryFilter{Sort: "created", Page: page})
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			r.Models = append(r.Models, &govcode.Item[govcode.Model]{Value: govcode.Model{ID: m.ID, Name: m.Name, Provider: m.Provider, ModelVersion: m.ModelVersion, Kind: m.Kind, Licence: m.Licence, Description: m.Description}})
		}
		if off+page.Limit >= total {
			break
		}
	}
	for off := 0; ; off += page.Limit {
		page.Offset = off
		ds, total, err := c.Datasets(ctx, orgID, caio.InventoryFilter{Sort: "created", Page: page})
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			sc := d.SpecialCategories
			if len(sc) == 0 {
				sc = nil
			}
			r.Datasets = append(r.Datasets, &govcode.Item[govcode.Dataset]{Value: govcode.Dataset{ID: d.ID, Name: d.Name, Source: d.Source, Description: d.Description, PersonalData: d.PersonalData, SpecialCategories: sc}})
		}
		if off+page.Limit >= total {
			break
		}
	}
	var systems []*caio.AISystem
	for off := 0; ; off += page.Limit {
		page.Offset = off
		ss, total, err := c.Systems(ctx, orgID, caio.AISystemFilter{Sort: "created", Page: page})
		if err != nil {
			return nil, err
		}
		systems = append(systems, ss...)
		if off+page.Limit >= total {
			break
		}
	}
	// Every system's links and current profile in two queries, not two per system.
	links, err := c.AllSystemLinks(ctx, orgID)
	if err != nil {
		return nil, err
	}
	profiles, err := c.CurrentProfiles(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, s := range systems {
		gs := govcode.SystemFrom(s)
		for _, l := range links[s.ID] {
			switch l.Kind {
			case "model":
				gs.Models = append(gs.Models, l.TargetID)
			case "dataset":
				gs.Datasets = append(gs.Datasets, l.TargetID)
			case "vendor":
				gs.Vendors = append(gs.Vendors, l.TargetID)
			case "objective":
				gs.Objectives = append(gs.Objectives, l.TargetID)
			}
		}
		slices.Sort(gs.Models)
		slices.Sort(gs.Datasets)
		slices.Sort(gs.Vendors)
		slices.Sort(gs.Objectives)
		if raw, ok := profiles[s.ID]; ok {
			p, err := euaiact.ParseProfile(raw)
			if err != nil {
				return nil, caio.Errorf(caio.EINTERNAL, "stored profile of %s: %v", s.ID, err)
			}
			p.Schema, p.Name = "", ""
			gs.Profile = p
		}
		r.Systems = append(r.Systems, &govcode.Item[govcode.System]{Value: gs})
	}
	for off := 0; ; off += page.Limit {
		page.Offset = off
		us, total, err := c.UseCases(ctx, orgID, caio.UseCaseFilter{Sort: "created", Page: page})
		if err != nil {
			return nil, err
		}
		for _, u := range us {
			gu := govcode.UseCaseFrom(u)
			slices.Sort(gu.Objectives)
			slices.Sort(gu.Systems)
			r.UseCases = append(r.UseCases, &govcode.Item[govcode.UseCase]{Value: gu})
		}
		if off+page.Limit >= total {
			break
		}
	}
	day := today(c)
	for off := 0; ; off += page.Limit {
		page.Offset = off
		ks, total, err := c.Controls(ctx, orgID, caio.ControlFilter{Sort: "system", Page: page}, day)
		if err != nil {
			return nil, err
		}
		for _, k := range ks {
			r.Controls = append(r.Controls, &govcode.Item[govcode.Control]{Value: govcode.Control{ID: k.ID, System: k.SystemID, Framework: k.Framework,
				Item: k.ItemID, Deadline: k.Deadline, Status: k.Status, Reason: k.Reason, Owner: k.Owner, DueDate: k.DueDate, ReviewDate: k.ReviewDate, Notes: k.Notes, Evidence: k.Evidence}})
		}
		if off+page.Limit >= total {
			break
		}
	}
	var policyIDs []string
	for off := 0; ; off += page.Limit {
		page.Offset = off
		ps, total, err := c.Policies(ctx, orgID, caio.PolicyFilter{Page: page}, day, day)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			policyIDs = append(policyIDs, p.ID)
		}
		if off+page.Limit >= total {
			break
		}
	}
	for _, id := range policyIDs {
		p, err := readPolicy(ctx, c, orgID, id)
		if err != nil {
			return nil, err
		}
		gp := govcode.Policy{ID: p.ID, Title: p.Title, Kind: p.Kind, Owner: p.Owner, ReviewMonths: p.ReviewMonths, AckDays: p.AckDays,
			Status: p.Status, NextReview: p.NextReview}
		if p.Latest != nil {
			gp.Body = p.Latest.Body
		}
		r.Policies = append(r.Policies, &govcode.Item[govcode.Policy]{Value: gp})
	}
	rules, err := c.AdvisorRules(ctx, orgID)
	if err != nil {
		return nil, err
	}
	for _, x := range rules {
		on := x.Enabled
		refs := x.References
		if len(refs) == 0 {
			refs = nil
		}
		r.Rules = append(r.Rules, &govcode.Item[govcode.Rule]{Value: govcode.Rule{ID: x.ID, Kind: x.Kind, Title: x.Title, Statement: x.Statement,
			When: x.When, Reason: x.Reason, Due: x.Due, DueSource: x.DueSource, References: refs, OwnerRole: x.OwnerRole, Link: x.Link,
			Impact: x.Impact, Enabled: &on}})
	}
	sortItems(r.Vendors, func(v govcode.Vendor) string { return v.ID })
	sortItems(r.Models, func(v govcode.Model) string { return v.ID })
	sortItems(r.Datasets, func(v govcode.Dataset) string { return v.ID })
	sortItems(r.Systems, func(v govcode.System) string { return v.ID })
	sortItems(r.UseCases, func(v govcode.UseCase) string { return v.ID })
	sortItems(r.Controls, func(v govcode.Control) string { return v.ID })
	sortItems(r.Policies, func(v govcode.Policy) string { return v.ID })
	sortItems(r.Rules, func(v govcode.Rule) string { return v.ID })
	// Current objects carry their future file names, so a plan can name them.
	setFiles(r)
	return r, nil
}

func sortItems[T any](items []*govcode.Item[T], id func(T) string) {
	sort.Slice(items, func(i, j int) bool { return id(items[i].Value) < id(items[j].Value) })
}

func setFiles(r *govcode.Registry) {
	for _, it := range r.Vendors {
		it.File = govcode.FileName("vendors", it.Value.ID, "")
	}
	for _, it := range r.Models {
		it.File = govcode.FileName("models", it.Value.ID, "")
	}
	for _, it := range r.Datasets {
		it.File = govcode.FileName("datasets", it.Value.ID, "")
	}
	for _, it := range r.Systems {
		it.File = govcode.FileName("systems", it.Value.ID, "")
	}
	for _, it := range r.UseCases {
		it.File = govcode.FileName("use_cases", it.Value.ID, "")
	}
	for _, it := range r.Controls {
		it.File = govcode.FileName("controls", it.Value.ID, "")
	}
	for _, it := range r.Policies {
		it.File = govcode.FileName("policies", it.Value.ID, "")
	}
	for _, it := range r.Rules {
		it.File = govcode.FileName("rules", it.Value.ID, "")
	}
}

// applyGovPlan carries out the steps in the order of govcode.Kinds, with
// the audit events of the services that make the same changes.
func (app *App) applyGovPlan(ctx context.Context, c *sqldb.Conn, a caio.Actor, d *govcode.Registry, steps []govcode.Step) error {
	// New objects can be named by name in the same import.
	newIDs := map[string]map[string]string{"vendor": {}, "model": {}, "dataset": {}, "system": {}}
	fail := func(s govcode.Step, err error) error {
		msg := caio.ErrorMessage(err)
		if fs := caio.ErrorFields(err); len(fs) > 0 {
			var parts []string
			for _, f := range fs {
				parts = append(parts, f.Field+" "+f.Message)
			}
			msg = strings.Join(parts, "; ")
		}
		where := s.File
		if where == "" {
			where = s.Kind + "/" + s.ID
		}
		return caio.Errorf(caio.ErrorCode(err), "%s: %s; nothing was changed", where, msg)
	}
	for _, s := range steps {
		var err error
		switch s.Kind {
		case "vendors":
			err = applyVendor(ctx, c, a, d, s, newIDs)
		case "models":
			err = applyModel(ctx, c, a, d, s, newIDs)
		case "datasets":
			err = applyDataset(ctx, c, a, d, s, newIDs)
		case "systems":
			err = app.applySystem(ctx, c, a, d, s, newIDs)
		case "use_cases":
			err = applyUseCase(ctx, c, a, d, s, newIDs)
		case "controls":
			err = applyControl(ctx, c, a, d, s)
		case "policies":
			err = applyPolicy(ctx, c, a, d, s)
		case "rules":
			err = applyRule(ctx, c, a, d, s)
		}
		if err != nil {
			return fail(s, err)
		}
	}
	return nil
}

func applyVendor(ctx context.Context, c *sqldb.Conn, a caio.Actor, d *govcode.Registry, s govcode.Step, ids map[string]map[string]string) error {
	if s.Op == govcode.Delete {
		v, err := c.Vendor(ctx, a.OrgID, s.ID)
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
	}
	in := d.Vendors[s.Index].Value.Input()
	if err := in.Normalize(); err != nil {
		return err
	}
	if s.Op == govcode.Create {
		v := &caio.Vendor{ID: caio.NewID("vnd"), OrgID: a.OrgID}
		setVendor(v, in)
		if err := c.CreateVendor(ctx, v); err != nil {
			return err
		}
		ids["vendor"][v.Name] = v.ID
		return record(ctx, c, a, "vendor.create", "vendor", v.ID, caio.Diff(nil, v.Fields()))
	}
	v, err := c.Vendor(ctx, a.OrgID, s.ID)
	if err != nil {
		return err
	}
	before := v.Fields()
	setVendor(v, in)
	if err := c.UpdateVendor(ctx, v); err != nil {
		return err
	}
	return record(ctx, c, a, "vendor.update", "vendor", v.ID, caio.Diff(before, v.Fields()))
}

func applyModel(ctx context.Context, c *sqldb.Conn, a caio.Actor, d *govcode.Registry, s govcode.Step, ids map[string]map[string]string) error {
	if s.Op == govcode.Delete {
		m, err := c.Model(ctx, a.OrgID, s.ID)
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
	}
	in := d.Models[s.Index].Value.Input()
	if err := in.Normalize(); err != nil {
		return err
	}
	if s.Op == govcode.Create {
		m := &caio.AIModel{ID: caio.NewID("mdl"), OrgID: a.OrgID}
		setModel(m, in)
		if err := c.CreateModel(ctx, m); err != nil {
			return err
		}
		ids["model"][m.Name] = m.ID
		return record(ctx, c, a, "model.create", "model", m.ID, caio.Diff(nil, m.Fields()))
	}
	m, err := c.Model(ctx, a.OrgID, s.ID)
	if err != nil {
		return err
	}
	before := m.Fields()
	setModel(m, in)
	if err := c.UpdateModel(ctx, m); err != nil {
		return err
	}
	return record(ctx, c, a, "model.update", "model", m.ID, caio.Diff(before, m.Fields()))
}

func applyDataset(ctx context.Context, c *sqldb.Conn, a caio.Actor, d *govcode.Registry, s govcode.Step, ids map[string]map[string]string) error {
	if s.Op == govcode.Delete {
		x, err := c.Dataset(ctx, a.OrgID, s.ID)
		if err != nil {
			return err
		}
		if err := unlinkTarget(ctx, c, a, "dataset", x.ID, x.Name); err != nil {
			return err
		}
		if err := c.DeleteDataset(ctx, x); err != nil {
			return err
		}
		return record(ctx, c, a, "dataset.delete", "dataset", x.ID, caio.Diff(x.Fields(), nil))
	}
	in := d.Datasets[s.Index].Value.Input()
	if err := in.Normalize(); err != nil {
		return err
	}
	if s.Op == govcode.Create {
		x := &caio.Dataset{ID: caio.NewID("ds"), OrgID: a.OrgID}
		setDataset(x, in)
		if err := c.CreateDataset(ctx, x); err != nil {
			return err
		}
		ids["dataset"][x.Name] = x.ID
		return record(ctx, c, a, "dataset.create", "dataset", x.ID, caio.Diff(nil, x.Fields()))
	}
	x, err := c.Dataset(ctx, a.OrgID, s.ID)
	if err != nil {
		return err
	}
	before := x.Fields()
	setDataset(x, in)
	if err := c.UpdateDataset(ctx, x); err != nil {
		return err
	}
	return record(ctx, c, a, "dataset.update", "dataset", x.ID, caio.Diff(before, x.Fields()))
}

// resolve turns a reference into an ID: an object created by this import
// by name, else the reference as written (an ID, checked by the store).
func resolve(ids map[string]string, prefix, ref string) (string, error) {
	if id, ok := ids[ref]; ok {
		return id, nil
	}
	if !caio.ValidID(prefix, ref) {
		return "", caio.Errorf(caio.ENOTFOUND, "%q names no object of the organisation or of the files", ref)
	}
	return ref, nil
}

func (app *App) applySystem(ctx context.Context, c *sqldb.Conn, a caio.Actor, d *govcode.Registry, s govcode.Step, ids map[string]map[string]string) error {
	if s.Op == govcode.Delete {
		return deleteSystem(ctx, c, a, s.ID)
	}
	want := d.Systems[s.Index].Value
	in := want.Input()
	if err := in.Normalize(); err != nil {
		return err
	}
	var sys *caio.AISystem
	if s.Op == govcode.Create {
		sys = &caio.AISystem{ID: caio.NewID("sys"), OrgID: a.OrgID}
		setSystem(sys, in)
		if err := c.CreateSystem(ctx, sys); err != nil {
			return err
		}
		ids["system"][sys.Name] = sys.ID
		if err := record(ctx, c, a, "system.create", "system", sys.ID, caio.Diff(nil, sys.Fields())); err != nil {
			return err
		}
	} else {
		var err error
		if sys, err = c.System(ctx, a.OrgID, s.ID); err != nil {
			return err
		}
		before := sys.Fields()
		setSystem(sys, in)
		if !slices.Equal(fieldsJSON(before), fieldsJSON(sys.Fields())) {
			if err := c.UpdateSystem(ctx, sys); err != nil {
				return err
			}
			if err := record(ctx, c, a, "system.update", "system", sys.ID, caio.Diff(before, sys.Fields())); err != nil {
				return err
			}
		}
	}
	// Links: add the missing ones, remove the others.
	links, err := c.SystemLinks(ctx, a.OrgID, sys.ID)
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, l := range links {
		have[l.Kind+"/"+l.TargetID] = true
	}
	wantLinks := map[string]bool{}
	for _, g := range []struct {
		kind, prefix string
		refs         []string
	}{{"model", "mdl", want.Models}, {"dataset", "ds", want.Datasets}, {"vendor", "vnd", want.Vendors}, {"objective", "obj", want.Objectives}} {
		for _, ref := range g.refs {
			id, err := resolve(ids[g.kind], g.prefix, ref)
			if err != nil {
				return caio.FieldError(g.kind+"s", caio.ErrorMessage(err))
			}
			wantLinks[g.kind+"/"+id] = true
			if have[g.kind+"/"+id] {
				continue
			}
			name, err := c.LinkTargetName(ctx, a.OrgID, g.kind, id)
			if err != nil {
				return caio.FieldError(g.kind+"s", fmt.Sprintf("has %s, which is not one of the organisation's %ss", id, g.kind))
			}
			if err := c.CreateSystemLink(ctx, a.OrgID, &caio.SystemLink{SystemID: sys.ID, Kind: g.kind, TargetID: id, TargetName: name}); err != nil {
				return err
			}
			if err := record(ctx, c, a, "system.link", "system", sys.ID, caio.Diff(nil, linkFields(g.kind, id, name))); err != nil {
				return err
			}
		}
	}
	for _, l := range links {
		if wantLinks[l.Kind+"/"+l.TargetID] {
			continue
		}
		if err := c.DeleteSystemLink(ctx, a.OrgID, sys.ID, l.Kind, l.TargetID); err != nil {
			return err
		}
		if err := record(ctx, c, a, "system.unlink", "system", sys.ID, caio.Diff(linkFields(l.Kind, l.TargetID, l.TargetName), nil)); err != nil {
			return err
		}
	}
	// Profile: classify when it is new or changed.
	if want.Profile == nil || (s.Op == govcode.Change && !slices.Contains(s.Fields, "profile")) {
		return nil
	}
	p := want.Profile.Clone()
	p.Schema, p.Name = euaiact.ProfileSchema, sys.Name
	timeline, err := c.OrgTimeline(ctx, a.OrgID)
	if err != nil {
		return err
	}
	res, err := app.Content().Classify(p, euaiact.Options{Timeline: timeline})
	if err != nil {
		return err
	}
	return app.storeClassification(ctx, c, a, sys, p, res, "imported from governance-as-code files")
}

func fieldsJSON(m map[string]any) []string {
	var out []string
	for k, v := range m {
		b, _ := json.Marshal(v)
		out = append(out, k+"="+string(b))
	}
	sort.Strings(out)
	return out
}

func applyUseCase(ctx context.Context, c *sqldb.Conn, a caio.Actor, d *govcode.Registry, s govcode.Step, ids map[string]map[string]string) error {
	if s.Op == govcode.Delete {
		u, err := c.UseCase(ctx, a.OrgID, s.ID)
		if err != nil {
			return err
		}
		withdrawn, err := c.WithdrawApprovalsOf(ctx, a.OrgID, u.ID)
		if err != nil {
			return err
		}
		for _, ap := range withdrawn {
			if err := record(ctx, c, a, "approval.withdraw", "approval", ap, caio.Diff(map[string]any{"status": "pending"}, map[string]any{"status": "withdrawn", "reason": "use case deleted"})); err != nil {
				return err
			}
		}
		dependents, err := c.DeleteUseCase(ctx, u)
		if err != nil {
			return err
		}
		if err := record(ctx, c, a, "use_case.delete", "use_case", u.ID, caio.Diff(u.Fields(), nil)); err != nil {
			return err
		}
		for _, id := range dependents {
			if err := record(ctx, c, a, "use_case.unlink", "use_case", id, caio.Diff(map[string]any{"depends_on": u.ID}, nil)); err != nil {
				return err
			}
		}
		return nil
	}
	want := d.UseCases[s.Index].Value
	var sysIDs []string
	for _, ref := range want.Systems {
		id, err := resolve(ids["system"], "sys", ref)
		if err != nil {
			return caio.FieldError("systems", caio.ErrorMessage(err))
		}
		sysIDs = append(sysIDs, id)
	}
	want.Systems = sysIDs
	in := want.Input()
	if err := in.Normalize(); err != nil {
		return err
	}
	if err := checkLinks(ctx, c, a.OrgID, in); err != nil {
		return err
	}
	if s.Op == govcode.Create {
		u := &caio.UseCase{ID: caio.NewID("uc"), OrgID: a.OrgID, Stage: string(portfolio.StageIdea), Intake: caio.IntakeAccepted,
			SubmittedBy: a.UserID, DependsOn: []string{}}
		setUseCase(u, in)
		if err := c.CreateUseCase(ctx, u); err != nil {
			return err
		}
		if err := c.AddStageChange(ctx, a.OrgID, u.ID, caio.StageChange{To: u.Stage, By: a.UserID, Reason: "Imported"}); err != nil {
			return err
		}
		fields := u.Fields()
		fields["intake"] = u.Intake
		return record(ctx, c, a, "use_case.create", "use_case", u.ID, caio.Diff(nil, fields))
	}
	u, err := c.UseCase(ctx, a.OrgID, s.ID)
	if err != nil {
		return err
	}
	before := u.Fields()
	setUseCase(u, in)
	if err := c.UpdateUseCase(ctx, u); err != nil {
		return err
	}
	return record(ctx, c, a, "use_case.update", "use_case", u.ID, caio.Diff(before, u.Fields()))
}

func applyControl(ctx context.Context, c *sqldb.Conn, a caio.Actor, d *govcode.Registry, s govcode.Step) error {
	in := d.Controls[s.Index].Value.Input()
	if err := in.Normalize(); err != nil {
		return err
	}
	k, err := c.Control(ctx, a.OrgID, s.ID)
	if err != nil {
		return err
	}
	before := k.Fields()
	k.Status, k.Reason, k.Owner, k.DueDate, k.ReviewDate, k.Notes = in.Status, in.Reason, in.Owner, in.DueDate, in.ReviewDate, in.Notes
	if err := c.UpdateControl(ctx, k); err != nil {
		return err
	}
	return record(ctx, c, a, "control.update", "control", k.ID, caio.Diff(before, k.Fields()))
}

// applyPolicy creates a draft policy or changes one's metadata and the
// text of its newest version, as UpdatePolicy does. Approval stays a
// decision taken in caio; a policy is never deleted by an import.
func applyPolicy(ctx context.Context, c *sqldb.Conn, a caio.Actor, d *govcode.Registry, s govcode.Step) error {
	if s.Op == govcode.Delete {
		return nil
	}
	in := d.Policies[s.Index].Value.Input()
	in.Note = "Imported from governance-as-code files"
	if err := in.Normalize(); err != nil {
		return err
	}
	if s.Op == govcode.Create {
		_, err := createPolicy(ctx, c, a, in, "")
		return err
	}
	p, err := readPolicy(ctx, c, a.OrgID, s.ID)
	if err != nil {
		return err
	}
	before := p.Fields()
	after := map[string]any{"title": in.Title, "kind": in.Kind, "owner": in.Owner, "review_months": in.ReviewMonths, "ack_days": in.AckDays}
	if latest := p.Latest; latest != nil && in.Body != latest.Body {
		switch p.Status {
		case "in_review":
			return caio.FieldError("body", fmt.Sprintf("cannot change while version %d waits for approval: withdraw the request in caio first", p.ReviewVersion))
		case "retired":
			return caio.FieldError("body", "cannot change: this policy is retired")
		}
		name, err := authorName(ctx, c, a)
		if err != nil {
			return err
		}
		if latest.ApprovedAt == nil {
			before["draft_version"] = latest.Number
			latest.Body, latest.Note, latest.AuthorID, latest.AuthorName = in.Body, in.Note, a.UserID, name
			if err := c.RewritePolicyDraft(ctx, a.OrgID, latest); err != nil {
				return err
			}
		} else {
			nv := &caio.PolicyVersion{PolicyID: p.ID, Number: p.LatestVersion + 1, Body: in.Body, Note: in.Note, AuthorID: a.UserID, AuthorName: name}
			if err := c.InsertPolicyVersion(ctx, a.OrgID, nv); err != nil {
				return err
			}
			p.LatestVersion = nv.Number
		}
		after["draft_version"], after["note"], after["text"] = p.LatestVersion, in.Note, "changed"
	}
	p.Title, p.Kind, p.Owner = in.Title, in.Kind, in.Owner
	if p.Current != nil && p.Current.ApprovedAt != nil {
		if in.ReviewMonths != p.ReviewMonths {
			p.NextReview = addMonths(*p.Current.ApprovedAt, in.ReviewMonths)
			after["next_review"], before["next_review"] = p.NextReview, nil
		}
		if in.AckDays != p.AckDays {
			p.AckDue = addDays(*p.Current.ApprovedAt, in.AckDays)
			after["ack_due"], before["ack_due"] = p.AckDue, nil
		}
	}
	p.ReviewMonths, p.AckDays = in.ReviewMonths, in.AckDays
	if err := c.UpdatePolicy(ctx, p); err != nil {
		return err
	}
	return record(ctx, c, a, "policy.update", "policy", p.ID, caio.Diff(before, after))
}

func applyRule(ctx context.Context, c *sqldb.Conn, a caio.Actor, d *govcode.Registry, s govcode.Step) error {
	if s.Op == govcode.Delete {
		r, err := c.AdvisorRule(ctx, a.OrgID, s.ID)
		if err != nil {
			return err
		}
		if err := c.DeleteAdvisorRule(ctx, a.OrgID, r); err != nil {
			return err
		}
		if err := c.BumpAdvisorRules(ctx, a.OrgID); err != nil {
			return err
		}
		return record(ctx, c, a, "advisor_rule.delete", "advisor_rule", r.ID, caio.Diff(r.Fields(), nil))
	}
	in := d.Rules[s.Index].Value.Input()
	id := s.ID
	if s.Op == govcode.Create {
		id = caio.NewID("rul")
	}
	if _, err := advCheckRule(id, &in); err != nil {
		return err
	}
	if s.Op == govcode.Create {
		r := &caio.AdvisorRule{ID: id, Kind: in.Kind, Title: in.Title, Statement: in.Statement, When: in.When, Reason: in.Reason, Due: in.Due,
			DueSource: in.DueSource, References: in.References, OwnerRole: in.OwnerRole, Link: in.Link, Impact: in.Impact,
			Enabled: *in.Enabled, CreatedBy: a.Label()}
		if err := c.CreateAdvisorRule(ctx, a.OrgID, r); err != nil {
			return err
		}
		if err := c.BumpAdvisorRules(ctx, a.OrgID); err != nil {
			return err
		}
		return record(ctx, c, a, "advisor_rule.create", "advisor_rule", r.ID, caio.Diff(nil, r.Fields()))
	}
	r, err := c.AdvisorRule(ctx, a.OrgID, id)
	if err != nil {
		return err
	}
	before := r.Fields()
	r.Kind, r.Title, r.Statement, r.When, r.Reason, r.Due, r.DueSource = in.Kind, in.Title, in.Statement, in.When, in.Reason, in.Due, in.DueSource
	r.References, r.OwnerRole, r.Link, r.Impact, r.Enabled, r.UpdatedBy = in.References, in.OwnerRole, in.Link, in.Impact, *in.Enabled, a.Label()
	if err := c.UpdateAdvisorRule(ctx, a.OrgID, r); err != nil {
		return err
	}
	if err := c.BumpAdvisorRules(ctx, a.OrgID); err != nil {
		return err
	}
	return record(ctx, c, a, "advisor_rule.update", "advisor_rule", r.ID, caio.Diff(before, r.Fields()))
}
