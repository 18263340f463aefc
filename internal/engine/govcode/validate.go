package govcode

import (
	"slices"
	"strings"

	"github.com/caio-office/caio"
)

// Inputs convert the file formats to the domain's inputs and back, so the
// files are checked by the same Normalize() as the forms and the API.

func (v Vendor) Input() caio.VendorInput {
	return caio.VendorInput{Name: v.Name, Website: v.Website, Contact: v.Contact, Country: v.Country, Description: v.Description}
}

func (v *Vendor) set(in caio.VendorInput) {
	v.Name, v.Website, v.Contact, v.Country, v.Description = in.Name, in.Website, in.Contact, in.Country, in.Description
}

func (m Model) Input() caio.AIModelInput {
	return caio.AIModelInput{Name: m.Name, Provider: m.Provider, ModelVersion: m.ModelVersion, Kind: m.Kind, Licence: m.Licence, Description: m.Description}
}

func (m *Model) set(in caio.AIModelInput) {
	m.Name, m.Provider, m.ModelVersion, m.Kind, m.Licence, m.Description = in.Name, in.Provider, in.ModelVersion, in.Kind, in.Licence, in.Description
}

func (d Dataset) Input() caio.DatasetInput {
	return caio.DatasetInput{Name: d.Name, Source: d.Source, Description: d.Description, PersonalData: d.PersonalData, SpecialCategories: slices.Clone(d.SpecialCategories)}
}

func (d *Dataset) set(in caio.DatasetInput) {
	d.Name, d.Source, d.Description, d.PersonalData, d.SpecialCategories = in.Name, in.Source, in.Description, in.PersonalData, nilIfEmpty(in.SpecialCategories)
}

func (s System) Input() caio.AISystemInput {
	return caio.AISystemInput{Name: s.Name, Purpose: s.Purpose, Description: s.Description, Owner: s.Owner, BusinessUnit: s.BusinessUnit,
		Stage: s.Stage, Countries: slices.Clone(s.Countries), Users: s.Users, Affected: s.Affected, Autonomy: s.Autonomy,
		Oversight: s.Oversight, Roles: slices.Clone(s.Roles), OMBImpact: s.OMBImpact}
}

func (s *System) set(in caio.AISystemInput) {
	s.Name, s.Purpose, s.Description, s.Owner, s.BusinessUnit = in.Name, in.Purpose, in.Description, in.Owner, in.BusinessUnit
	s.Stage, s.Countries, s.Users, s.Affected = in.Stage, nilIfEmpty(in.Countries), in.Users, in.Affected
	s.Autonomy, s.Oversight, s.Roles, s.OMBImpact = in.Autonomy, in.Oversight, in.Roles, in.OMBImpact
}

// SystemFrom writes a stored system in the file format, without links or profile.
func SystemFrom(s *caio.AISystem) System {
	var out System
	out.ID = s.ID
	out.set(s.Input())
	return out
}

func (u UseCase) Input() caio.UseCaseInput {
	return caio.UseCaseInput{UseCaseCanvas: caio.UseCaseCanvas{Title: u.Title, Problem: u.Problem, Process: u.Process, Users: u.Users,
		Volume: u.Volume, DataNeeded: u.DataNeeded, DataAvailable: u.DataAvailable, Approach: u.Approach, Sourcing: u.Sourcing,
		Benefits: u.Benefits, Costs: u.Costs, Risks: u.Risks, Dependencies: u.Dependencies, Owner: u.Owner, Sponsor: u.Sponsor},
		ObjectiveIDs: slices.Clone(u.Objectives), SystemIDs: slices.Clone(u.Systems)}
}

func (u *UseCase) set(in caio.UseCaseInput) {
	c := in.UseCaseCanvas
	u.Title, u.Problem, u.Process, u.Users, u.Volume = c.Title, c.Problem, c.Process, c.Users, c.Volume
	u.DataNeeded, u.DataAvailable, u.Approach, u.Sourcing = c.DataNeeded, c.DataAvailable, c.Approach, c.Sourcing
	u.Benefits, u.Costs, u.Risks, u.Dependencies, u.Owner, u.Sponsor = c.Benefits, c.Costs, c.Risks, c.Dependencies, c.Owner, c.Sponsor
	u.Objectives, u.Systems = nilIfEmpty(in.ObjectiveIDs), nilIfEmpty(in.SystemIDs)
}

// UseCaseFrom writes a stored use case in the file format.
func UseCaseFrom(u *caio.UseCase) UseCase {
	out := UseCase{ID: u.ID}
	out.set(u.Input())
	return out
}

func (c Control) Input() caio.ControlInput {
	return caio.ControlInput{Status: c.Status, Reason: c.Reason, Owner: c.Owner, DueDate: c.DueDate, ReviewDate: c.ReviewDate, Notes: c.Notes}
}

func (c *Control) set(in caio.ControlInput) {
	c.Status, c.Reason, c.Owner, c.DueDate, c.ReviewDate, c.Notes = in.Status, in.Reason, in.Owner, in.DueDate, in.ReviewDate, in.Notes
}

func (p Policy) Input() caio.PolicyInput {
	return caio.PolicyInput{Title: p.Title, Kind: p.Kind, Owner: p.Owner, ReviewMonths: p.ReviewMonths, AckDays: p.AckDays, Body: p.Body}
}

func (p *Policy) set(in caio.PolicyInput) {
	p.Title, p.Kind, p.Owner, p.ReviewMonths, p.AckDays, p.Body = in.Title, in.Kind, in.Owner, in.ReviewMonths, in.AckDays, in.Body
}

func (r Rule) Input() caio.AdvisorRuleInput {
	on := r.Enabled == nil || *r.Enabled
	return caio.AdvisorRuleInput{Kind: r.Kind, Title: r.Title, Statement: r.Statement, When: r.When, Reason: r.Reason, Due: r.Due,
		DueSource: r.DueSource, References: slices.Clone(r.References), OwnerRole: r.OwnerRole, Link: r.Link, Impact: r.Impact, Enabled: &on}
}

func (r *Rule) set(in caio.AdvisorRuleInput) {
	r.Kind, r.Title, r.Statement, r.When, r.Reason, r.Due = in.Kind, in.Title, in.Statement, in.When, in.Reason, in.Due
	r.DueSource, r.References, r.OwnerRole, r.Link, r.Impact = in.DueSource, nilIfEmpty(in.References), in.OwnerRole, in.Link, in.Impact
	on := in.Enabled == nil || *in.Enabled
	r.Enabled = &on
}

// RuleKinds are the kinds of object an organisation's rule may be about.
var RuleKinds = []string{"org", "system", "control", "use_case", "vendor", "risk", "incident", "policy", "assessment"}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// fieldProblems turns a validation error into problems at the lines of
// the fields it names.
func fieldProblems[T any](it *Item[T], err error) []Problem {
	if err == nil {
		return nil
	}
	var out []Problem
	fs := caio.ErrorFields(err)
	if len(fs) == 0 {
		return []Problem{{File: it.File, Line: it.Line(""), Message: caio.ErrorMessage(err)}}
	}
	for _, f := range fs {
		key := fileKey(f.Field)
		out = append(out, Problem{File: it.File, Line: it.Line(key), Message: key + " " + f.Message})
	}
	return out
}

// fileKey maps a domain field name to the file's key where they differ.
func fileKey(field string) string {
	switch field {
	case "objective_ids":
		return "objectives"
	case "system_ids":
		return "systems"
	}
	return strings.TrimSpace(field)
}

// Normalize validates every object with the domain's Normalize and writes
// the normalised values back (trimmed text, sorted lists, defaults), so
// that a plan compares like with like. It returns a problem per field.
func Normalize(r *Registry) []Problem {
	var ps []Problem
	for _, it := range r.Vendors {
		in := it.Value.Input()
		err := in.Normalize()
		ps = append(ps, fieldProblems(it, err)...)
		it.Value.set(in)
	}
	for _, it := range r.Models {
		in := it.Value.Input()
		ps = append(ps, fieldProblems(it, in.Normalize())...)
		it.Value.set(in)
	}
	for _, it := range r.Datasets {
		in := it.Value.Input()
		ps = append(ps, fieldProblems(it, in.Normalize())...)
		it.Value.set(in)
	}
	for _, it := range r.Systems {
		in := it.Value.Input()
		ps = append(ps, fieldProblems(it, in.Normalize())...)
		it.Value.set(in)
		it.Value.Models = cleanRefs(it.Value.Models)
		it.Value.Datasets = cleanRefs(it.Value.Datasets)
		it.Value.Vendors = cleanRefs(it.Value.Vendors)
		it.Value.Objectives = cleanRefs(it.Value.Objectives)
	}
	for _, it := range r.UseCases {
		// System references may be names here; their form is checked
		// once they are resolved.
		sys := cleanRefs(it.Value.Systems)
		in := it.Value.Input()
		in.SystemIDs = nil
		ps = append(ps, fieldProblems(it, in.Normalize())...)
		it.Value.set(in)
		it.Value.Systems = sys
	}
	for _, it := range r.Controls {
		in := it.Value.Input()
		ps = append(ps, fieldProblems(it, in.Normalize())...)
		it.Value.set(in)
		it.Value.System = strings.TrimSpace(it.Value.System)
		for _, k := range []struct{ key, val string }{{"system", it.Value.System}, {"framework", it.Value.Framework}, {"item", it.Value.Item}} {
			if strings.TrimSpace(k.val) == "" {
				ps = append(ps, Problem{File: it.File, Line: it.Line(k.key), Message: k.key + " is required: controls are matched by system, framework and item"})
			}
		}
	}
	for _, it := range r.Policies {
		in := it.Value.Input()
		ps = append(ps, fieldProblems(it, in.Normalize())...)
		it.Value.set(in)
	}
	for _, it := range r.Rules {
		in := it.Value.Input()
		ps = append(ps, fieldProblems(it, in.Normalize(RuleKinds))...)
		it.Value.set(in)
	}
	SortProblems(ps)
	return ps
}

func cleanRefs(in []string) []string {
	var out []string
	for _, s := range in {
		s = strings.TrimSpace(s)
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	slices.Sort(out)
	return out
}
