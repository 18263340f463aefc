package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/sqldb"
)

var (
	_ caio.ControlService  = (*App)(nil)
	_ caio.EvidenceService = (*App)(nil)
)

// Catalog returns the framework catalogue that controls refer to.
func (app *App) Catalog() *catalog.Catalog { return catalog.Default() }

// highRiskObligations are the EU AI Act obligations the engine gives only
// to high-risk systems (Arts 9–27, 43, 47–49, 72–73, 86). OMB M-25-21's
// minimum practices are for high-impact AI, so through the crosswalk they
// apply to a system only when one of these does; a system determined
// high-impact under M-25-21 itself (AISystem.OMBImpact) gets all of them.
var highRiskObligations = map[string]bool{
	"art9": true, "art10": true, "art11": true, "art12": true, "art13": true, "art14": true, "art15": true,
	"art16": true, "art17": true, "art18": true, "art19": true, "art20": true, "art22": true, "art23": true,
	"art24": true, "art26": true, "art27": true, "art43": true, "art47": true, "art48": true, "art49_1": true,
	"art49_3": true, "art72": true, "art73": true, "art86": true,
}

// OMBHighImpactReason says why a system determined high-impact under OMB
// M-25-21 has the memo's minimum practices as controls. Pages, the CLI and
// the audit trail show it.
const OMBHighImpactReason = "OMB M-25-21 applies: the agency determined this AI high-impact (M-25-21 appendix §5), " +
	"so the seven minimum practices of appendix §4(b) must be in place by 3 April 2026, or its use must stop."

// ombDeadline is the date by which M-25-21 wants the minimum practices in
// place for every high-impact use (the catalogue's date of the framework).
func ombDeadline(cat *catalog.Catalog) string {
	if f := cat.Framework(catalog.OMBM2521); f != nil && len(f.Dates) > 0 {
		return f.Dates[0].Date
	}
	return ""
}

// requirementsFor returns the controls a system needs, each with its
// deadline, from the EU AI Act obligations that apply to it (ID to
// application date), whether it is high-impact under OMB M-25-21, and the
// organisation's frameworks:
//
//   - each EU obligation, with its application date as the deadline;
//   - for each other enabled framework, every item our crosswalk links to one
//     of those obligations, without a deadline;
//   - OMB M-25-21 practices only when a high-risk obligation is among them;
//   - every OMB M-25-21 practice when the system is OMB high-impact (and the
//     organisation follows M-25-21), due by the memo's date (see
//     OMBHighImpactReason).
func requirementsFor(cat *catalog.Catalog, eu map[string]string, frameworks []string, ombHighImpact bool) map[sqldb.ControlKey]string {
	want := make(map[sqldb.ControlKey]string, len(eu)*4)
	enabled := map[string]bool{}
	for _, f := range frameworks {
		enabled[f] = true
	}
	highRisk := false
	for id, deadline := range eu {
		want[sqldb.ControlKey{Framework: catalog.EUAIAct, ItemID: id}] = deadline
		highRisk = highRisk || highRiskObligations[id]
	}
	for id := range eu {
		for _, ref := range cat.Crosswalk(catalog.EUAIAct, id) {
			if ref.Framework == catalog.EUAIAct || !enabled[ref.Framework] || (ref.Framework == catalog.OMBM2521 && !highRisk) {
				continue
			}
			want[sqldb.ControlKey{Framework: ref.Framework, ItemID: ref.ID}] = ""
		}
	}
	if ombHighImpact && enabled[catalog.OMBM2521] {
		deadline := ombDeadline(cat)
		for _, it := range cat.Framework(catalog.OMBM2521).Items {
			want[sqldb.ControlKey{Framework: catalog.OMBM2521, ItemID: it.ID}] = deadline
		}
	}
	return want
}

// enabledFrameworks returns the organisation's frameworks in catalogue
// order: its choice, or the defaults; eu-ai-act always.
func (app *App) enabledFrameworks(ctx context.Context, c *sqldb.Conn, orgID string) ([]string, error) {
	return orgFrameworks(ctx, c, app.Catalog(), orgID)
}

// orgFrameworks is enabledFrameworks for callers without an App.
func orgFrameworks(ctx context.Context, c *sqldb.Conn, cat *catalog.Catalog, orgID string) ([]string, error) {
	ids, chosen, err := c.OrgFrameworks(ctx, orgID)
	if err != nil {
		return nil, err
	}
	if !chosen {
		ids = caio.DefaultFrameworks
	}
	var out []string
	for _, f := range cat.Frameworks() {
		if f.ID == caio.AlwaysOnFramework || slices.Contains(ids, f.ID) {
			out = append(out, f.ID)
		}
	}
	return out, nil
}

// syncRequirements brings a system's controls in line with the EU AI Act
// obligations of its classification, inside the caller's write
// transaction. The classification service calls it after every
// classification of the system. a must act in the system's organisation.
//
// Obligations with status "applies" become eu-ai-act controls with their
// application date (Dates.Applies) as deadline; "may_apply" ones do not.
// The organisation's other enabled frameworks add the items the
// catalogue's crosswalk links to those obligations (see requirementsFor).
// Controls no longer implied are marked not applicable, keeping their
// status, dates and evidence; implied ones that existed come back. When
// anything changed it records one audit event, controls.sync on the
// system, with the counts added, removed and re-dated. It costs a handful
// of statements, however many controls the system has.
func (app *App) syncRequirements(ctx context.Context, c *sqldb.Conn, a caio.Actor, systemID string, obligations []euaiact.Obligation) error {
	eu := map[string]string{}
	for _, o := range obligations {
		if o.Status == "applies" {
			eu[o.ID] = o.Dates.Applies
		}
	}
	return syncSystemRequirements(ctx, c, a, app.Catalog(), systemID, eu)
}

// syncSystemRequirements brings one system's controls in line with its EU
// AI Act obligations eu (ID to application date), its OMB M-25-21
// determination (read here) and the organisation's frameworks, and records
// controls.sync when anything changed; its diff carries
// OMBHighImpactReason when the system is OMB high-impact.
func syncSystemRequirements(ctx context.Context, c *sqldb.Conn, a caio.Actor, cat *catalog.Catalog, systemID string, eu map[string]string) error {
	frameworks, err := orgFrameworks(ctx, c, cat, a.OrgID)
	if err != nil {
		return err
	}
	s, err := c.System(ctx, a.OrgID, systemID)
	if err != nil {
		return err
	}
	high := s.OMBImpact == caio.OMBHighImpact
	want := requirementsFor(cat, eu, frameworks, high)
	counts, err := c.SyncControls(ctx, a.OrgID, map[string]map[sqldb.ControlKey]string{systemID: want})
	if err != nil {
		return err
	}
	n := counts[systemID]
	if !n.Changed() {
		return nil
	}
	diff := map[string]any{"controls_added": n.Added, "controls_removed": n.Removed, "controls_redated": n.Redated, "controls_applicable": len(want)}
	if high && slices.Contains(frameworks, catalog.OMBM2521) {
		diff["omb_reason"] = OMBHighImpactReason
	}
	return record(ctx, c, a, "controls.sync", "system", systemID, caio.Diff(nil, diff))
}

func init() { auditHooks = append(auditHooks, resyncOnOMBImpact) }

// resyncOnOMBImpact re-syncs a system's controls when a change of the
// system turns its OMB M-25-21 determination to or from high-impact, as a
// classification does when it changes the EU AI Act obligations. It runs
// as an audit hook so every way of writing a system (page, API, CLI,
// governance-as-code files) triggers it; the EU obligations are those the
// last sync made applicable.
func resyncOnOMBImpact(ctx context.Context, c *sqldb.Conn, e *caio.AuditEvent) error {
	if e.ObjectType != "system" || (e.Action != "system.create" && e.Action != "system.update") {
		return nil
	}
	var d map[string][2]any
	if err := json.Unmarshal(e.Diff, &d); err != nil {
		return nil
	}
	ch, ok := d["omb_impact"]
	if !ok || (ch[0] == caio.OMBHighImpact) == (ch[1] == caio.OMBHighImpact) {
		return nil
	}
	a, _ := caio.ActorFrom(ctx)
	if a.OrgID != e.OrgID {
		a = caio.Actor{System: true, OrgID: e.OrgID, Via: a.Via, RequestID: a.RequestID}
	}
	eu := map[string]string{}
	ks, err := c.SystemControls(ctx, e.OrgID, e.ObjectID)
	if err != nil {
		return err
	}
	for _, k := range ks {
		if k.Framework == catalog.EUAIAct && k.Applicable {
			eu[k.ItemID] = k.Deadline
		}
	}
	return syncSystemRequirements(ctx, c, a, catalog.Default(), e.ObjectID, eu)
}

// today is the date, in UTC, that overdue controls are counted against.
func today(c *sqldb.Conn) string { return c.Now().UTC().Format(time.DateOnly) }

// describe fills the catalogue labels and titles of controls.
func (app *App) describe(ks ...*caio.Control) {
	cat := app.Catalog()
	for _, k := range ks {
		if it := cat.Item(k.Framework, k.ItemID); it != nil {
			k.ItemLabel, k.ItemTitle = it.Label, it.Title
		} else {
			k.ItemLabel = k.ItemID
		}
	}
}

// FindControl implements caio.ControlService.
func (app *App) FindControl(ctx context.Context, id string) (*caio.Control, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("ctl", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Control not found.")
	}
	var k *caio.Control
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		k, err = c.Control(ctx, a.OrgID, id)
		return err
	})
	if err != nil {
		return nil, err
	}
	app.describe(k)
	return k, nil
}

// checkControlFilter returns an EINVALID error naming a bad filter field.
func (app *App) checkControlFilter(f *caio.ControlFilter) error {
	var v caio.Validation
	if f.Framework != nil && app.Catalog().Framework(*f.Framework) == nil {
		v.Add("framework", "must be one of "+strings.Join(app.frameworkIDs(), ", "))
	}
	if f.Status != nil && !slices.Contains(caio.ControlStatuses, *f.Status) {
		v.Add("status", "must be one of "+strings.Join(caio.ControlStatuses, ", "))
	}
	if f.SystemID != nil && !caio.ValidID("sys", *f.SystemID) {
		v.Add("system", "must be the id of an AI system, sys_...")
	}
	if f.Sort != "" && !slices.Contains(caio.ControlSorts, f.Sort) {
		v.Add("sort", "must be one of "+strings.Join(caio.ControlSorts, ", "))
	}
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		for _, p := range caio.ErrorFields(err) {
			v.Add(p.Field, p.Message)
		}
	}
	return v.Err()
}

func (app *App) frameworkIDs() []string {
	var ids []string
	for _, f := range app.Catalog().Frameworks() {
		ids = append(ids, f.ID)
	}
	return ids
}

// FindControls implements caio.ControlService.
func (app *App) FindControls(ctx context.Context, f caio.ControlFilter) ([]*caio.Control, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := app.checkControlFilter(&f); err != nil {
		return nil, 0, err
	}
	var ks []*caio.Control
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		ks, total, err = c.Controls(ctx, a.OrgID, f, today(c))
		return err
	})
	if err != nil {
		return nil, 0, err
	}
	app.describe(ks...)
	return ks, total, nil
}

// UpdateControl implements caio.ControlService.
func (app *App) UpdateControl(ctx context.Context, id string, version int, in caio.ControlInput) (*caio.Control, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("ctl", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Control not found.")
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var k *caio.Control
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if k, err = c.Control(ctx, a.OrgID, id); err != nil {
			return err
		}
		if version != 0 && version != k.Version {
			return caio.Errorf(caio.ECONFLICT, "Someone else changed this control (now version %d, you edited version %d). Reload it and apply your change again.", k.Version, version)
		}
		before := k.Fields()
		k.Status, k.Reason, k.Owner, k.DueDate, k.ReviewDate, k.Notes = in.Status, in.Reason, in.Owner, in.DueDate, in.ReviewDate, in.Notes
		if err := c.UpdateControl(ctx, k); err != nil {
			return err
		}
		return record(ctx, c, a, "control.update", "control", k.ID, caio.Diff(before, k.Fields()))
	})
	if err != nil {
		return nil, err
	}
	app.describe(k)
	return k, nil
}

// Posture implements caio.ControlService.
func (app *App) Posture(ctx context.Context, systemID string) (*caio.Posture, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if systemID != "" && !caio.ValidID("sys", systemID) {
		return nil, caio.Errorf(caio.ENOTFOUND, "AI system not found.")
	}
	var p *caio.Posture
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		frameworks, err := app.enabledFrameworks(ctx, c, a.OrgID)
		if err != nil {
			return err
		}
		p, err = c.Posture(ctx, a.OrgID, systemID, frameworks, today(c))
		return err
	})
	if err != nil {
		return nil, err
	}
	cat := app.Catalog()
	for i := range p.Frameworks {
		if f := cat.Framework(p.Frameworks[i].Framework); f != nil {
			p.Frameworks[i].Name = f.Name
		}
	}
	app.describe(p.NextDeadlines...)
	return p, nil
}

// frameworkInfos lists the catalogue's frameworks, marking the enabled ones.
func (app *App) frameworkInfos(enabled []string) []caio.FrameworkInfo {
	var out []caio.FrameworkInfo
	for _, f := range app.Catalog().Frameworks() {
		out = append(out, caio.FrameworkInfo{ID: f.ID, Name: f.Name, Version: f.Version,
			Enabled: slices.Contains(enabled, f.ID), AlwaysOn: f.ID == caio.AlwaysOnFramework})
	}
	return out
}

// OrgFrameworks implements caio.ControlService.
func (app *App) OrgFrameworks(ctx context.Context) ([]caio.FrameworkInfo, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var enabled []string
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		enabled, err = app.enabledFrameworks(ctx, c, a.OrgID)
		return err
	})
	if err != nil {
		return nil, err
	}
	return app.frameworkInfos(enabled), nil
}

// SetOrgFrameworks implements caio.ControlService. The controls of every
// system with applicable EU AI Act controls are synced to the new choice
// in batches, and one org.frameworks event records the change with the
// controls added and removed in all (no controls.sync per system).
func (app *App) SetOrgFrameworks(ctx context.Context, ids []string) ([]caio.FrameworkInfo, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	cat := app.Catalog()
	var v caio.Validation
	for _, id := range ids {
		if cat.Framework(strings.TrimSpace(id)) == nil {
			v.Add("frameworks", "has "+quote(id)+", which is not a framework of the catalogue: choose from "+strings.Join(app.frameworkIDs(), ", "))
			break
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	var want []string
	for _, f := range cat.Frameworks() {
		if f.ID == caio.AlwaysOnFramework || slices.ContainsFunc(ids, func(id string) bool { return strings.TrimSpace(id) == f.ID }) {
			want = append(want, f.ID)
		}
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.LockOrg(ctx, a.OrgID); err != nil {
			return err
		}
		_, err := app.setOrgFrameworks(ctx, c, a, want)
		return err
	})
	if err != nil {
		return nil, err
	}
	return app.frameworkInfos(want), nil
}

// setOrgFrameworks is SetOrgFrameworks inside the caller's transaction,
// with want in catalogue order and the organisation locked: it stores the
// choice, syncs the controls of every system with applicable EU AI Act
// controls or determined OMB high-impact, and records org.frameworks. It
// returns the sync's counts in all.
func (app *App) setOrgFrameworks(ctx context.Context, c *sqldb.Conn, a caio.Actor, want []string) (sqldb.SyncCount, error) {
	var total sqldb.SyncCount
	cat := app.Catalog()
	old, err := app.enabledFrameworks(ctx, c, a.OrgID)
	if err != nil {
		return total, err
	}
	_, chosen, err := c.OrgFrameworks(ctx, a.OrgID)
	if err != nil {
		return total, err
	}
	if chosen && slices.Equal(old, want) {
		return total, nil
	}
	if err := c.SetOrgFrameworks(ctx, a.OrgID, want); err != nil {
		return total, err
	}
	eu, err := c.ApplicableControls(ctx, a.OrgID, catalog.EUAIAct)
	if err != nil {
		return total, err
	}
	high, err := c.OMBHighImpactSystems(ctx, a.OrgID)
	if err != nil {
		return total, err
	}
	isHigh := make(map[string]bool, len(high))
	for _, id := range high {
		isHigh[id] = true
	}
	plan := make(map[string]map[sqldb.ControlKey]string, len(eu)+len(high))
	for sys, obligations := range eu {
		plan[sys] = requirementsFor(cat, obligations, want, isHigh[sys])
	}
	for _, sys := range high {
		if _, ok := plan[sys]; !ok {
			plan[sys] = requirementsFor(cat, nil, want, true)
		}
	}
	counts, err := c.SyncControls(ctx, a.OrgID, plan)
	if err != nil {
		return total, err
	}
	for _, n := range counts {
		total.Added += n.Added
		total.Removed += n.Removed
		total.Redated += n.Redated
	}
	return total, record(ctx, c, a, "org.frameworks", "organization", a.OrgID, caio.Diff(
		map[string]any{"frameworks": strings.Join(old, ",")},
		map[string]any{"frameworks": strings.Join(want, ","), "controls_added": total.Added, "controls_removed": total.Removed}))
}

func quote(s string) string {
	if len(s) > 60 {
		s = s[:60] + "…"
	}
	return `"` + strings.ToValidUTF8(s, "?") + `"`
}

// ControlGroup is the controls of one framework of a system.
type ControlGroup struct {
	Framework string
	Name      string
	Counts    caio.StatusCounts
	Controls  []*caio.Control
}

// SystemControls is what the system card shows of a system's controls:
// the applicable ones grouped by the organisation's enabled frameworks, in
// catalogue order, and how many no longer apply.
type SystemControls struct {
	SystemID string
	Today    string
	Groups   []ControlGroup
	Counts   caio.StatusCounts
	// Inapplicable counts controls kept from earlier classifications that
	// no longer apply.
	Inapplicable int
}

// FindSystemControls returns a system's controls for its card. Returns
// ENOTFOUND if the system does not exist or belongs to another
// organisation. Needs PermRead.
func (app *App) FindSystemControls(ctx context.Context, systemID string) (*SystemControls, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("sys", systemID) {
		return nil, caio.Errorf(caio.ENOTFOUND, "AI system not found.")
	}
	sc := &SystemControls{SystemID: systemID}
	var ks []*caio.Control
	var frameworks []string
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if _, err = c.System(ctx, a.OrgID, systemID); err != nil {
			return err
		}
		if frameworks, err = app.enabledFrameworks(ctx, c, a.OrgID); err != nil {
			return err
		}
		sc.Today = today(c)
		ks, err = c.SystemControls(ctx, a.OrgID, systemID)
		return err
	})
	if err != nil {
		return nil, err
	}
	app.describe(ks...)
	cat := app.Catalog()
	at := map[string]int{}
	for _, f := range frameworks {
		at[f] = len(sc.Groups)
		sc.Groups = append(sc.Groups, ControlGroup{Framework: f, Name: cat.Framework(f).Name})
	}
	for _, k := range ks {
		i, ok := at[k.Framework]
		if !k.Applicable || !ok {
			sc.Inapplicable++
			continue
		}
		g := &sc.Groups[i]
		g.Controls = append(g.Controls, k)
		overdue := 0
		if k.Overdue(sc.Today) {
			overdue = 1
		}
		g.Counts.Add(k.Status, 1, overdue)
		sc.Counts.Add(k.Status, 1, overdue)
	}
	// Items in the publisher's order, not text order (GV-1.10 after GV-1.9).
	for i := range sc.Groups {
		f := cat.Framework(sc.Groups[i].Framework)
		pos := map[string]int{}
		for j, it := range f.Items {
			pos[it.ID] = j
		}
		slices.SortStableFunc(sc.Groups[i].Controls, func(x, y *caio.Control) int { return pos[x.ItemID] - pos[y.ItemID] })
	}
	return sc, nil
}

// --- Evidence ---

// FindEvidence implements caio.EvidenceService.
func (app *App) FindEvidence(ctx context.Context, id string) (*caio.Evidence, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("evd", id) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Evidence not found.")
	}
	var e *caio.Evidence
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		e, err = c.Evidence(ctx, a.OrgID, id)
		return err
	})
	return e, err
}

// ControlEvidence implements caio.EvidenceService.
func (app *App) ControlEvidence(ctx context.Context, controlID string) ([]*caio.Evidence, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("ctl", controlID) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Control not found.")
	}
	var es []*caio.Evidence
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if _, err = c.Control(ctx, a.OrgID, controlID); err != nil {
			return err
		}
		es, err = c.ControlEvidence(ctx, a.OrgID, controlID)
		return err
	})
	return es, err
}

// addEvidence stores evidence of a control and records evidence.add on it.
func (app *App) addEvidence(ctx context.Context, a caio.Actor, controlID string, e *caio.Evidence, data []byte) (*caio.Evidence, error) {
	e.ID, e.OrgID, e.ControlID, e.CreatedBy = caio.NewID("evd"), a.OrgID, controlID, a.Label()
	err := app.DB.Write(ctx, func(c *sqldb.Conn) error {
		k, err := c.Control(ctx, a.OrgID, controlID)
		if err != nil {
			return err
		}
		n, err := c.CountEvidence(ctx, a.OrgID, k.ID)
		if err != nil {
			return err
		}
		if n >= caio.MaxEvidencePerControl {
			return caio.Errorf(caio.ECONFLICT, "This control has %d evidence items, the most one control may have. Delete one it no longer needs first.", n)
		}
		if err := c.CreateEvidence(ctx, e, data); err != nil {
			return err
		}
		return record(ctx, c, a, "evidence.add", "control", k.ID, caio.Diff(nil, e.Fields()))
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// AddEvidenceLink implements caio.EvidenceService.
func (app *App) AddEvidenceLink(ctx context.Context, controlID string, in caio.EvidenceLinkInput) (*caio.Evidence, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("ctl", controlID) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Control not found.")
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	return app.addEvidence(ctx, a, controlID, &caio.Evidence{Kind: caio.EvidenceLink, Name: in.Name, URL: in.URL, SHA256: in.SHA256}, nil)
}

// AddEvidenceFile implements caio.EvidenceService.
func (app *App) AddEvidenceFile(ctx context.Context, controlID string, in caio.EvidenceFileInput) (*caio.Evidence, error) {
	a, err := authorize(ctx, caio.PermContribute)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("ctl", controlID) {
		return nil, caio.Errorf(caio.ENOTFOUND, "Control not found.")
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	n, err := io.Copy(&buf, io.LimitReader(in.Data, caio.MaxEvidenceBytes+1))
	if err != nil {
		return nil, readError(err)
	}
	if n > caio.MaxEvidenceBytes {
		// Count the rest, so the message can say how large the file is.
		rest, _ := io.Copy(io.Discard, in.Data)
		return nil, caio.TooLarge(max(in.Size, n+rest))
	}
	if n == 0 {
		return nil, caio.FieldError("file", "is empty: choose a file with the evidence in it")
	}
	data := buf.Bytes()
	sum := sha256.Sum256(data)
	ct := in.ContentType
	if ct == "" || ct == "application/octet-stream" {
		ct = http.DetectContentType(data)
	}
	return app.addEvidence(ctx, a, controlID, &caio.Evidence{Kind: caio.EvidenceFile, Name: in.Name, SHA256: hex.EncodeToString(sum[:]),
		Size: n, ContentType: ct}, data)
}

// readError reports a failed read of an upload as the caller's problem.
func readError(err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return caio.TooLarge(tooBig.Limit)
	}
	return caio.FieldError("file", "could not be read completely: upload it again")
}

// EvidenceContent implements caio.EvidenceService.
func (app *App) EvidenceContent(ctx context.Context, id string) (*caio.Evidence, []byte, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, nil, err
	}
	if !caio.ValidID("evd", id) {
		return nil, nil, caio.Errorf(caio.ENOTFOUND, "Evidence not found.")
	}
	var e *caio.Evidence
	var data []byte
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		if e, err = c.Evidence(ctx, a.OrgID, id); err != nil {
			return err
		}
		if e.Kind != caio.EvidenceFile {
			return caio.Errorf(caio.ENOTFOUND, "This evidence is a link, not a file: follow the link instead.")
		}
		data, err = c.EvidenceData(ctx, a.OrgID, id)
		return err
	})
	if err != nil {
		return nil, nil, err
	}
	return e, data, nil
}

// DeleteEvidence implements caio.EvidenceService.
func (app *App) DeleteEvidence(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	if !caio.ValidID("evd", id) {
		return caio.Errorf(caio.ENOTFOUND, "Evidence not found.")
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		e, err := c.Evidence(ctx, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := c.DeleteEvidence(ctx, a.OrgID, id); err != nil {
			return err
		}
		return record(ctx, c, a, "evidence.delete", "control", e.ControlID, caio.Diff(e.Fields(), nil))
	})
}

// demoProgress is the work the demo shows on controls, by framework/item:
// invented states, owners, dates and evidence.
var demoProgress = map[string]struct {
	in       caio.ControlInput
	evidence *caio.EvidenceLinkInput
}{
	"eu-ai-act/art4": {caio.ControlInput{Status: caio.StatusImplemented, Owner: "Head of People Development", ReviewDate: "2027-01-31",
		Notes: "Every member of staff who uses or oversees AI completed the two-hour course; role-specific modules for claims handlers and underwriters."},
		&caio.EvidenceLinkInput{Name: "AI literacy programme: attendance 2026", URL: "https://intranet.northwind.example/learning/ai-literacy/attendance-2026"}},
	"eu-ai-act/art9": {caio.ControlInput{Status: caio.StatusInProgress, Owner: "AI Risk Office", DueDate: "2027-06-30",
		Notes: "Risk register drafted; testing against the foreseeable misuse scenarios is planned for the first quarter."}, nil},
	"eu-ai-act/art26": {caio.ControlInput{Status: caio.StatusInProgress, Owner: "Head of AI Governance and Compliance", DueDate: "2027-09-30",
		Notes: "Instructions for use received from the vendor; the oversight roster and the six-month log retention are being set up."}, nil},
	"eu-ai-act/art50_1": {caio.ControlInput{Status: caio.StatusImplemented, Owner: "Product Lead, Customer Digital",
		Notes: "The chat window says it is an AI assistant before the first message, and offers a person at any time."},
		&caio.EvidenceLinkInput{Name: "Chatbot disclosure: screenshot and copy deck", URL: "https://docs.northwind.example/customer-digital/chatbot-disclosure"}},
	"iso-42001/A.2.2": {caio.ControlInput{Status: caio.StatusImplemented, Owner: "Interim Chief AI Officer", ReviewDate: "2027-03-31"},
		&caio.EvidenceLinkInput{Name: "Group AI policy, version 1.2", URL: "https://intranet.northwind.example/policies/ai-policy-v1-2.pdf"}},
	"iso-42001/A.4.6":    {caio.ControlInput{Status: caio.StatusInProgress, Owner: "Head of People Development", DueDate: "2026-12-31"}, nil},
	"nist-ai-rmf/GV-1.1": {caio.ControlInput{Status: caio.StatusImplemented, Owner: "Legal and Compliance"}, nil},
	"nist-ai-rmf/GV-2.2": {caio.ControlInput{Status: caio.StatusImplemented, Owner: "Head of People Development"}, nil},
	"nist-ai-rmf/MS-2.11": {caio.ControlInput{Status: caio.StatusNotApplicable, Owner: "AI Risk Office",
		Reason: "The system scores claims, not people: no protected characteristics are input or inferred (reviewed with Legal)."}, nil},
}

// loadDemoCompliance shows work in progress on the demo's controls: it
// updates those named in demoProgress and adds their evidence. Systems
// must be classified before; without controls it does nothing.
func (app *App) loadDemoCompliance(ctx context.Context) error {
	for offset := 0; ; offset += caio.MaxPageLimit {
		ks, total, err := app.FindControls(ctx, caio.ControlFilter{Sort: "framework", Page: caio.Page{Limit: caio.MaxPageLimit, Offset: offset}})
		if err != nil {
			return err
		}
		for _, k := range ks {
			p, ok := demoProgress[k.Framework+"/"+k.ItemID]
			if !ok {
				continue
			}
			if _, err := app.UpdateControl(ctx, k.ID, 0, p.in); err != nil {
				return err
			}
			if p.evidence != nil {
				if _, err := app.AddEvidenceLink(ctx, k.ID, *p.evidence); err != nil {
					return err
				}
			}
		}
		if offset+len(ks) >= total {
			return nil
		}
	}
}
