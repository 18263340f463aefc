package app

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/sqldb"
)

// SystemClassification is everything about one system's EU AI Act
// classification: the system, its current profile and result, the override
// in effect, and the class in effect.
type SystemClassification struct {
	System *caio.AISystem
	// Current is the latest stored classification; nil before the first.
	Current *caio.ClassificationRecord
	// Profile is the current profile, or before the first classification a
	// draft filled from the inventory (roles, countries).
	Profile *euaiact.Profile
	// Result is the engine's result for Current; nil before the first.
	Result   *euaiact.Result
	Override *caio.ClassificationOverride
	Timeline string
	// Class is the class in effect: the override's, else the engine's.
	Class string
}

// Content returns the EU AI Act content the engine applies.
func (app *App) Content() *euaiact.Content { return euaiact.MustContent() }

// OrgTimeline returns the EU AI Act timeline of the actor's organisation.
func (app *App) OrgTimeline(ctx context.Context) (string, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return "", err
	}
	var t string
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		t, err = c.OrgTimeline(ctx, a.OrgID)
		return err
	})
	return t, err
}

// PreviewClassification classifies a profile under the organisation's
// timeline without storing anything: the guided questionnaire calls it after
// every answer to decide what to ask next.
func (app *App) PreviewClassification(ctx context.Context, p *euaiact.Profile) (*euaiact.Result, error) {
	t, err := app.OrgTimeline(ctx)
	if err != nil {
		return nil, err
	}
	return app.Content().Classify(p, euaiact.Options{Timeline: t})
}

// FindClassification returns a system's classification. Needs PermRead.
func (app *App) FindClassification(ctx context.Context, systemID string) (*SystemClassification, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("sys", systemID) {
		return nil, caio.Errorf(caio.ENOTFOUND, "AI system not found.")
	}
	var sc *SystemClassification
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		sc, err = loadClassification(ctx, c, a.OrgID, systemID)
		return err
	})
	return sc, err
}

func loadClassification(ctx context.Context, c *sqldb.Conn, orgID, systemID string) (*SystemClassification, error) {
	s, err := c.System(ctx, orgID, systemID)
	if err != nil {
		return nil, err
	}
	sc := &SystemClassification{System: s}
	if sc.Timeline, err = c.OrgTimeline(ctx, orgID); err != nil {
		return nil, err
	}
	cur, err := c.CurrentClassification(ctx, orgID, systemID)
	switch {
	case caio.ErrorCode(err) == caio.ENOTFOUND:
		sc.Profile = DraftProfile(s)
	case err != nil:
		return nil, err
	default:
		sc.Current = cur
		sc.Profile, sc.Result = &euaiact.Profile{}, &euaiact.Result{}
		if err := json.Unmarshal(cur.Profile, sc.Profile); err != nil {
			return nil, caio.Errorf(caio.EINTERNAL, "stored profile of %s: %v", systemID, err)
		}
		if err := json.Unmarshal(cur.Result, sc.Result); err != nil {
			return nil, caio.Errorf(caio.EINTERNAL, "stored result of %s: %v", systemID, err)
		}
		sc.Class = cur.Class
	}
	if sc.Override, err = c.CurrentOverride(ctx, orgID, systemID); err != nil {
		return nil, err
	}
	if sc.Override != nil {
		sc.Class = sc.Override.Class
	}
	return sc, nil
}

// euCountries are the EU Member States (ISO 3166-1 alpha-2) and the EEA
// states that apply the Act, for the Art 2(1) nexus.
var euCountries = strings.Fields("AT BE BG HR CY CZ DK EE FI FR DE GR IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO")

// DraftProfile starts a profile from what the inventory already says: the
// organisation's roles, and the Union nexus when the system is deployed in
// an EU or EEA country. Everything else is left unknown for the
// questionnaire to ask.
func DraftProfile(s *caio.AISystem) *euaiact.Profile {
	p := &euaiact.Profile{Schema: euaiact.ProfileSchema, Name: s.Name, Roles: slices.Clone(s.Roles), Facts: map[string]bool{}}
	for _, c := range s.Countries {
		if slices.Contains(euCountries, c) {
			p.Facts["scope.eu_nexus"] = true
			break
		}
	}
	return p
}

// ClassifySystem classifies a system from a profile and stores the result
// as its current classification, with the requirements that follow. Needs
// PermEdit. An invalid profile returns EINVALID naming each field.
func (app *App) ClassifySystem(ctx context.Context, systemID string, p *euaiact.Profile) (*SystemClassification, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("sys", systemID) {
		return nil, caio.Errorf(caio.ENOTFOUND, "AI system not found.")
	}
	p = p.Clone()
	p.Schema = euaiact.ProfileSchema
	var sc *SystemClassification
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		if err := c.LockOrg(ctx, a.OrgID); err != nil {
			return err
		}
		s, err := c.System(ctx, a.OrgID, systemID)
		if err != nil {
			return err
		}
		p.Name = s.Name
		timeline, err := c.OrgTimeline(ctx, a.OrgID)
		if err != nil {
			return err
		}
		res, err := app.Content().Classify(p, euaiact.Options{Timeline: timeline})
		if err != nil {
			return err
		}
		if err := app.storeClassification(ctx, c, a, s, p, res, "profile edited"); err != nil {
			return err
		}
		sc, err = loadClassification(ctx, c, a.OrgID, systemID)
		return err
	})
	return sc, err
}

// storeClassification adds a classification record, updates the system's
// class in effect and its next deadline, syncs its requirements and audits.
func (app *App) storeClassification(ctx context.Context, c *sqldb.Conn, a caio.Actor, s *caio.AISystem, p *euaiact.Profile, res *euaiact.Result, note string) error {
	prev, err := c.CurrentClassification(ctx, a.OrgID, s.ID)
	if err != nil && caio.ErrorCode(err) != caio.ENOTFOUND {
		return err
	}
	pj, err := json.Marshal(p)
	if err != nil {
		return err
	}
	rj, err := json.Marshal(res)
	if err != nil {
		return err
	}
	rec := &caio.ClassificationRecord{ID: caio.NewID("cls"), OrgID: a.OrgID, SystemID: s.ID, Class: res.Class, Basis: res.Basis,
		ContentVersion: res.ContentVersion, Timeline: res.Timeline, Provisional: res.Provisional, Dates: res.Dates(), Note: note,
		CreatedBy: actorName(a), Profile: pj, Result: rj}
	if err := c.AddClassification(ctx, rec); err != nil {
		return err
	}
	class := res.Class
	ov, err := c.CurrentOverride(ctx, a.OrgID, s.ID)
	if err != nil {
		return err
	}
	if ov != nil {
		class = ov.Class
	}
	next := nextDeadline(rec.Dates, c.Now().Format(time.DateOnly))
	if err := c.SetSystemClassification(ctx, a.OrgID, s.ID, class, strings.Join(res.Basis, ","), next); err != nil {
		return err
	}
	if err := app.syncRequirements(ctx, c, a, s.ID, res.Obligations); err != nil {
		return err
	}
	// A deployer's Art 27 duty proposes the impact assessment (assessment.go).
	if err := proposeImpactAssessment(ctx, c, a, s.ID); err != nil {
		return err
	}
	before := map[string]any{}
	if prev != nil {
		before = map[string]any{"class": prev.Class, "basis": strings.Join(prev.Basis, ","), "provisional": prev.Provisional,
			"content_version": prev.ContentVersion, "timeline": prev.Timeline}
	}
	after := map[string]any{"class": rec.Class, "basis": strings.Join(rec.Basis, ","), "provisional": rec.Provisional,
		"content_version": rec.ContentVersion, "timeline": rec.Timeline, "note": note}
	return record(ctx, c, a, "system.classify", "system", s.ID, caio.Diff(before, after))
}

// nextDeadline is the first of the sorted dates on or after today, or "".
func nextDeadline(dates []string, today string) string {
	for _, d := range dates {
		if d >= today {
			return d
		}
	}
	return ""
}

// RefreshDeadlines moves every classified system's next deadline past the
// dates that have gone by, in every organisation. caio serve runs it at
// start and then hourly; it needs the system actor. The next deadline is
// derived data: it changes neither versions nor the audit trail.
func (app *App) RefreshDeadlines(ctx context.Context) (int, error) {
	orgs, err := app.AllOrgs(ctx)
	if err != nil {
		return 0, err
	}
	changed := 0
	for _, o := range orgs {
		err := app.DB.Write(ctx, func(c *sqldb.Conn) error {
			srcs, err := c.DeadlineSources(ctx, o.ID)
			if err != nil {
				return err
			}
			today := c.Now().Format(time.DateOnly)
			n := 0
			for _, d := range srcs {
				if next := nextDeadline(d.Dates, today); next != d.NextDeadline {
					if err := c.SetNextDeadline(ctx, o.ID, d.SystemID, next); err != nil {
						return err
					}
					n++
				}
			}
			changed += n
			return nil
		})
		if err != nil {
			return changed, err
		}
	}
	return changed, nil
}

func actorName(a caio.Actor) string {
	if a.Email != "" {
		return a.Email
	}
	if a.System {
		return "caio"
	}
	return a.UserID
}

// OverrideClassification records a reviewed override of a system's class,
// or withdraws the one in effect when in.Class is empty. Needs PermApprove:
// it is a decision, not an edit. The engine's answer stays stored beside it.
func (app *App) OverrideClassification(ctx context.Context, systemID string, in caio.OverrideInput) (*SystemClassification, error) {
	a, err := authorize(ctx, caio.PermApprove)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID("sys", systemID) {
		return nil, caio.Errorf(caio.ENOTFOUND, "AI system not found.")
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var sc *SystemClassification
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		cur, err := loadClassification(ctx, c, a.OrgID, systemID)
		if err != nil {
			return err
		}
		if cur.Current == nil {
			return caio.Errorf(caio.ECONFLICT, "Classify the system before overriding its class: the engine's answer must stay visible beside the override.")
		}
		if in.Class == "" && cur.Override == nil {
			return caio.FieldError("class", "is empty, which withdraws an override, but none is in effect")
		}
		o := &caio.ClassificationOverride{ID: caio.NewID("ovr"), OrgID: a.OrgID, SystemID: systemID, Class: in.Class,
			Reason: in.Reason, Reference: in.Reference, EngineClass: cur.Current.Class, CreatedBy: actorName(a)}
		if err := c.AddOverride(ctx, o); err != nil {
			return err
		}
		class := in.Class
		if class == "" {
			class = cur.Current.Class
		}
		if err := c.SetSystemClassification(ctx, a.OrgID, systemID, class, cur.System.Basis, cur.System.NextDeadline); err != nil {
			return err
		}
		before := map[string]any{"class": cur.Class}
		if cur.Override != nil {
			before["override"] = cur.Override.Class
		}
		after := map[string]any{"class": class, "override": in.Class, "engine_class": cur.Current.Class, "reason": in.Reason, "reference": in.Reference}
		if err := record(ctx, c, a, "system.override", "system", systemID, caio.Diff(before, after)); err != nil {
			return err
		}
		sc, err = loadClassification(ctx, c, a.OrgID, systemID)
		return err
	})
	return sc, err
}

// ClassificationHistory returns a page of a system's classifications,
// newest first, and its overrides. Needs PermRead.
func (app *App) ClassificationHistory(ctx context.Context, systemID string, p caio.Page) ([]*caio.ClassificationRecord, int, []*caio.ClassificationOverride, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, nil, err
	}
	if !caio.ValidID("sys", systemID) {
		return nil, 0, nil, caio.Errorf(caio.ENOTFOUND, "AI system not found.")
	}
	if p, err = p.Normalize(); err != nil {
		return nil, 0, nil, err
	}
	var recs []*caio.ClassificationRecord
	var ovs []*caio.ClassificationOverride
	total := 0
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		if _, err := c.System(ctx, a.OrgID, systemID); err != nil {
			return err
		}
		if recs, total, err = c.Classifications(ctx, a.OrgID, systemID, p); err != nil {
			return err
		}
		ovs, err = c.Overrides(ctx, a.OrgID, systemID)
		return err
	})
	return recs, total, ovs, err
}

// ReclassifyReport says what re-classifying every system would change, or changed.
type ReclassifyReport struct {
	ContentVersion string             `json:"content_version"`
	Timeline       string             `json:"timeline"`
	Systems        int                `json:"systems"`
	Applied        bool               `json:"applied"`
	Changes        []ReclassifyChange `json:"changes"`
}

// ReclassifyChange is one system whose classification changes.
type ReclassifyChange struct {
	SystemID     string   `json:"system_id"`
	SystemName   string   `json:"system_name"`
	FromClass    string   `json:"from_class"`
	ToClass      string   `json:"to_class"`
	FromBasis    []string `json:"from_basis"`
	ToBasis      []string `json:"to_basis"`
	FromVersion  string   `json:"from_content_version"`
	FromTimeline string   `json:"from_timeline"`
	Added        []string `json:"obligations_added"`
	Removed      []string `json:"obligations_removed"`
	Redated      []string `json:"obligations_redated"`
}

// Reclassify runs every classified system's current profile through the
// current content and the organisation's timeline and reports what changes.
// With apply it stores the new classifications (needs PermEdit); without, it
// only reports (PermRead).
func (app *App) Reclassify(ctx context.Context, apply bool) (*ReclassifyReport, error) {
	perm := caio.PermRead
	if apply {
		perm = caio.PermEdit
	}
	a, err := authorize(ctx, perm)
	if err != nil {
		return nil, err
	}
	content := app.Content()
	var rep *ReclassifyReport
	// First the plan, read from one consistent view.
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		timeline, err := c.OrgTimeline(ctx, a.OrgID)
		if err != nil {
			return err
		}
		rep = &ReclassifyReport{ContentVersion: content.Version, Timeline: timeline, Changes: []ReclassifyChange{}}
		return c.EachCurrentClassification(ctx, a.OrgID, func(rec *caio.ClassificationRecord) error {
			rep.Systems++
			ch, changed, _, _, err := app.reclassifyOne(content, rec, timeline)
			if err != nil {
				return err
			}
			if changed {
				rep.Changes = append(rep.Changes, ch)
			}
			return nil
		})
	})
	if err != nil || !apply {
		return rep, err
	}
	// Then the changes, a batch of systems per transaction, so a large
	// organisation does not hold the (SQLite) writer for the whole run. Each
	// system is read again in its transaction: what it stores is current.
	const batch = 100
	var ids []string
	for _, ch := range rep.Changes {
		if !strings.HasPrefix(ch.ToClass, "error: ") {
			ids = append(ids, ch.SystemID)
		}
	}
	for start := 0; start < len(ids); start += batch {
		part := ids[start:min(start+batch, len(ids))]
		err := app.DB.Write(ctx, func(c *sqldb.Conn) error {
			if err := c.LockOrg(ctx, a.OrgID); err != nil {
				return err
			}
			timeline, err := c.OrgTimeline(ctx, a.OrgID)
			if err != nil {
				return err
			}
			for _, id := range part {
				rec, err := c.CurrentClassification(ctx, a.OrgID, id)
				if caio.ErrorCode(err) == caio.ENOTFOUND {
					continue // deleted since the plan
				} else if err != nil {
					return err
				}
				_, changed, p, res, err := app.reclassifyOne(content, rec, timeline)
				if err != nil || !changed || res == nil {
					continue
				}
				s, err := c.System(ctx, a.OrgID, id)
				if err != nil {
					return err
				}
				if err := app.storeClassification(ctx, c, a, s, p, res, "re-classified with content "+res.ContentVersion+", timeline "+timeline); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return rep, err
		}
	}
	rep.Applied = true
	return rep, nil
}

// reclassifyOne runs a stored classification's profile through the content
// and timeline and says what changes. A profile the content no longer
// accepts (a fact was renamed) is reported as a change to an error, with a
// nil result, rather than failing every other system.
func (app *App) reclassifyOne(content *euaiact.Content, rec *caio.ClassificationRecord, timeline string) (ReclassifyChange, bool, *euaiact.Profile, *euaiact.Result, error) {
	var p euaiact.Profile
	var old euaiact.Result
	if err := json.Unmarshal(rec.Profile, &p); err != nil {
		return ReclassifyChange{}, false, nil, nil, caio.Errorf(caio.EINTERNAL, "stored profile of %s: %v", rec.SystemID, err)
	}
	if err := json.Unmarshal(rec.Result, &old); err != nil {
		return ReclassifyChange{}, false, nil, nil, caio.Errorf(caio.EINTERNAL, "stored result of %s: %v", rec.SystemID, err)
	}
	res, err := content.Classify(&p, euaiact.Options{Timeline: timeline})
	if err != nil {
		return ReclassifyChange{SystemID: rec.SystemID, SystemName: p.Name, FromClass: rec.Class, ToClass: "error: " + caio.ErrorMessage(err),
			FromBasis: rec.Basis, FromVersion: rec.ContentVersion, FromTimeline: rec.Timeline, Added: []string{}, Removed: []string{}, Redated: []string{}}, true, &p, nil, nil
	}
	ch, changed := diffResults(rec, &old, res)
	ch.SystemName = p.Name
	return ch, changed, &p, res, nil
}

// diffResults compares a stored result with a new one.
func diffResults(rec *caio.ClassificationRecord, old, res *euaiact.Result) (ReclassifyChange, bool) {
	ch := ReclassifyChange{SystemID: rec.SystemID, FromClass: old.Class, ToClass: res.Class, FromBasis: old.Basis, ToBasis: res.Basis,
		FromVersion: old.ContentVersion, FromTimeline: old.Timeline, Added: []string{}, Removed: []string{}, Redated: []string{}}
	oldOb := map[string]string{}
	for _, o := range old.Obligations {
		oldOb[o.ID] = o.Dates.Applies + "|" + o.Status
	}
	newOb := map[string]bool{}
	for _, o := range res.Obligations {
		newOb[o.ID] = true
		prev, ok := oldOb[o.ID]
		switch {
		case !ok:
			ch.Added = append(ch.Added, o.ID)
		case prev != o.Dates.Applies+"|"+o.Status:
			ch.Redated = append(ch.Redated, o.ID)
		}
	}
	for _, o := range old.Obligations {
		if !newOb[o.ID] {
			ch.Removed = append(ch.Removed, o.ID)
		}
	}
	changed := old.Class != res.Class || !slices.Equal(old.Basis, res.Basis) || old.ContentVersion != res.ContentVersion ||
		old.Timeline != res.Timeline || len(ch.Added)+len(ch.Removed)+len(ch.Redated) > 0
	return ch, changed
}

// SetOrgTimeline chooses which EU AI Act timeline the organisation follows.
// Needs PermManageOrg. Callers re-classify afterwards to move the dates.
func (app *App) SetOrgTimeline(ctx context.Context, timeline string) error {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return err
	}
	if !slices.Contains(caio.Timelines, timeline) {
		return caio.FieldError("timeline", "must be amended (as changed by Reg (EU) 2026/1744) or enacted (Reg (EU) 2024/1689 as published)")
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		old, err := c.OrgTimeline(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if old == timeline {
			return nil
		}
		if err := c.SetOrgTimeline(ctx, a.OrgID, timeline); err != nil {
			return err
		}
		return record(ctx, c, a, "org.timeline", "organization", a.OrgID, caio.Diff(map[string]any{"eu_timeline": old}, map[string]any{"eu_timeline": timeline}))
	})
}
