package app

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/engagement"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/caio-office/caio/internal/sqldb"
)

// The interim engagement services. They follow the risk register's:
// authorize, validate, then change the store and record one audit event in
// one transaction. The deliverables checklist is computed when read, from
// the organisation's data where caio can tell (deliverableChecks) and from
// a person's confirmation where it cannot.

var _ caio.EngagementService = (*App)(nil)

// Engagement ID prefixes: engagements, plan items, weekly status notes and
// templates.
const (
	engagementPrefix = "eng"
	planItemPrefix   = "epi"
	notePrefix       = "wsn"
	templatePrefix   = "etp"
)

// BuiltinPlanName names the built-in plan template in an engagement's Template field.
const BuiltinPlanName = "built-in"

// deliverableChecks detect deliverables from the organisation's data, by
// the key of caio.Deliverables. A deliverable without a check is confirmed
// by a person with a note. Other areas add their checks from their own
// files in an init function, such as "policies_approved" from the policy
// library and "successor_hired" from talent's c.HiringDecided.
var deliverableChecks = map[string]func(ctx context.Context, c *sqldb.Conn, orgID string) (done bool, reason string, err error){
	"inventory_complete":    checkInventoryComplete,
	"readiness_baseline":    checkReadinessBaseline,
	"strategy_approved":     checkStrategy,
	"portfolio_prioritised": checkPortfolioPrioritised,
	"pilot_use_cases":       checkPilots,
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

func checkInventoryComplete(ctx context.Context, c *sqldb.Conn, orgID string) (bool, string, error) {
	total, open, err := c.SystemClassCounts(ctx, orgID)
	switch {
	case err != nil:
		return false, "", err
	case total == 0:
		return false, "No AI systems are recorded yet.", nil
	case open > 0:
		verb := "are"
		if open == 1 {
			verb = "is"
		}
		return false, strconv.Itoa(open) + " of " + plural(total, "AI system", "AI systems") + " " + verb + " not classified under the EU AI Act.", nil
	}
	return true, "All " + plural(total, "AI system is", "AI systems are") + " recorded and classified.", nil
}

func checkReadinessBaseline(ctx context.Context, c *sqldb.Conn, orgID string) (bool, string, error) {
	last, n, err := c.LatestSubmitted(ctx, orgID, "readiness")
	if err != nil || n == 0 {
		return false, "No readiness assessment has been submitted yet.", err
	}
	return true, plural(n, "readiness assessment", "readiness assessments") + " submitted, the latest on " + dayOf(last) + ".", nil
}

func dayOf(stored string) string {
	if len(stored) >= 10 {
		return stored[:10]
	}
	return stored
}

func checkStrategy(ctx context.Context, c *sqldb.Conn, orgID string) (bool, string, error) {
	s, err := c.Strategy(ctx, orgID)
	switch {
	case err != nil:
		return false, "", err
	case s.Version == 0:
		return false, "No AI strategy is written yet.", nil
	case strings.TrimSpace(s.Vision) == "":
		return false, "The AI strategy has no vision yet.", nil
	case len(s.Priorities) == 0:
		return false, "The AI strategy has no priorities yet.", nil
	}
	return true, "The AI strategy has a vision and " + plural(len(s.Priorities), "priority", "priorities") +
		" (version " + strconv.Itoa(s.Version) + ", updated " + s.UpdatedAt.UTC().Format(time.DateOnly) + " by " + s.UpdatedBy +
		"). caio records who wrote it, not the sponsor's sign-off.", nil
}

// activeStages are the stages a prioritised portfolio rates: everything
// accepted that is not rejected, retired or merged.
func activeUseCase(stage, intake string) bool {
	return intake == caio.IntakeAccepted && stage != portfolio.StageRejected && stage != portfolio.StageRetired
}

func checkPortfolioPrioritised(ctx context.Context, c *sqldb.Conn, orgID string) (bool, string, error) {
	total, unrated := 0, 0
	err := c.UseCaseStageRatings(ctx, orgID, func(_, stage, intake string, r caio.UseCaseRatings) error {
		if activeUseCase(stage, intake) {
			total++
			if !r.Rated() {
				unrated++
			}
		}
		return nil
	})
	switch {
	case err != nil:
		return false, "", err
	case total == 0:
		return false, "No accepted use cases are in the portfolio yet.", nil
	case unrated > 0:
		verb := "are"
		if unrated == 1 {
			verb = "is"
		}
		return false, strconv.Itoa(unrated) + " of " + plural(total, "active use case", "active use cases") + " " + verb + " not rated for value and feasibility yet.", nil
	}
	return true, "All " + plural(total, "active use case is", "active use cases are") + " rated, so the portfolio ranks them.", nil
}

func checkPilots(ctx context.Context, c *sqldb.Conn, orgID string) (bool, string, error) {
	var names []string
	err := c.UseCaseStageRatings(ctx, orgID, func(title, stage, _ string, _ caio.UseCaseRatings) error {
		if stage == portfolio.StagePilot || stage == portfolio.StageProduction {
			names = append(names, title)
		}
		return nil
	})
	if err != nil || len(names) == 0 {
		return false, "No use case has reached pilot or production yet.", err
	}
	shown := names
	if len(shown) > 3 {
		shown = append(slices.Clone(shown[:3]), "and "+strconv.Itoa(len(names)-3)+" more")
	}
	return true, plural(len(names), "use case is", "use cases are") + " in pilot or production: " + strings.Join(shown, ", ") + ".", nil
}

// manualReason is the reason of a deliverable caio cannot detect and nobody confirmed.
const manualReason = "caio cannot tell this from the organisation's data: confirm it here, with a note, once it is so."

// deliverables returns the checklist of an engagement: what was kept at
// closing, or what the data and the confirmations say now.
func deliverables(ctx context.Context, c *sqldb.Conn, orgID string, e *caio.Engagement) ([]caio.Deliverable, error) {
	if e.Final != nil {
		return e.Final, nil
	}
	confirmed, err := c.DeliverableConfirmations(ctx, orgID, e.ID)
	if err != nil {
		return nil, err
	}
	out := make([]caio.Deliverable, 0, len(caio.Deliverables))
	for _, info := range caio.Deliverables {
		d := caio.Deliverable{DeliverableInfo: info}
		if check := deliverableChecks[info.Key]; check != nil {
			d.Detected = true
			if d.Done, d.Reason, err = check(ctx, c, orgID); err != nil {
				return nil, err
			}
		} else if m := confirmed[info.Key]; m != nil && m.Done {
			d.Done, d.Note, d.ConfirmedBy, d.ConfirmedAt = true, m.Note, m.ConfirmedBy, m.ConfirmedAt
			d.Reason = "Confirmed by " + m.ConfirmedBy
			if m.ConfirmedAt != nil {
				d.Reason += " on " + m.ConfirmedAt.UTC().Format(time.DateOnly)
			}
			d.Reason += ": " + m.Note
		} else {
			d.Reason = manualReason
			if m != nil {
				d.Note = m.Note
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// EngagementView is an engagement with its plan, checklist and progress,
// as the overview shows it.
type EngagementView struct {
	*caio.Engagement
	Plan         []*caio.PlanItem    `json:"plan"`
	Deliverables []caio.Deliverable  `json:"deliverables"`
	Progress     engagement.Progress `json:"progress"`
	// CurrentPhase is the phase whose dates hold today ("" before the start).
	CurrentPhase string `json:"current_phase"`
	Today        string `json:"today"`
}

func engagementNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Engagement not found.") }

// view reads what the overview of e shows.
func view(ctx context.Context, c *sqldb.Conn, orgID string, e *caio.Engagement) (*EngagementView, error) {
	v := &EngagementView{Engagement: e, Today: today(c)}
	var err error
	if v.Plan, err = c.PlanItems(ctx, orgID, e.ID); err != nil {
		return nil, err
	}
	if v.Deliverables, err = deliverables(ctx, c, orgID, e); err != nil {
		return nil, err
	}
	p := &v.Progress
	for _, d := range v.Deliverables {
		p.DeliverablesTotal++
		if d.Done {
			p.DeliverablesDone++
		}
	}
	for _, it := range v.Plan {
		p.ItemsTotal++
		if it.Status == "done" {
			p.ItemsDone++
		} else if e.Status == caio.EngagementActive && it.Due != "" && it.Due < v.Today {
			it.Overdue = true
			p.ItemsOverdue++
		}
	}
	day := v.Today
	if e.ClosedAt != nil {
		day = e.ClosedAt.UTC().Format(time.DateOnly)
	}
	p.DaysElapsed, p.DaysTotal = engagement.Elapsed(e.Start, e.End, day)
	phases := make([]engagement.PhaseDates, len(e.Phases))
	for i, ph := range e.Phases {
		phases[i] = engagement.PhaseDates{Key: ph.Key, Start: ph.Start, End: ph.End}
	}
	v.CurrentPhase = engagement.CurrentPhase(phases, day)
	return v, nil
}

// ActiveEngagement implements caio.EngagementService.
func (app *App) ActiveEngagement(ctx context.Context) (*caio.Engagement, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	var e *caio.Engagement
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		e, err = c.ActiveEngagement(ctx, a.OrgID)
		return err
	})
	return e, err
}

// FindEngagementView returns an engagement with its plan, checklist and
// progress; id "" is the active engagement (ENOTFOUND when none). Needs PermRead.
func (app *App) FindEngagementView(ctx context.Context, id string) (*EngagementView, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if id != "" && !caio.ValidID(engagementPrefix, id) {
		return nil, engagementNotFound()
	}
	var v *EngagementView
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		var e *caio.Engagement
		var err error
		if id == "" {
			e, err = c.ActiveEngagement(ctx, a.OrgID)
		} else {
			e, err = c.Engagement(ctx, a.OrgID, id)
		}
		if err != nil {
			return err
		}
		v, err = view(ctx, c, a.OrgID, e)
		return err
	})
	return v, err
}

// FindEngagements implements caio.EngagementService.
func (app *App) FindEngagements(ctx context.Context, p caio.Page) ([]*caio.Engagement, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if p, err = p.Normalize(); err != nil {
		return nil, 0, err
	}
	var out []*caio.Engagement
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		out, total, err = c.Engagements(ctx, a.OrgID, p)
		return err
	})
	return out, total, err
}

// FindEngagement implements caio.EngagementService.
func (app *App) FindEngagement(ctx context.Context, id string) (*caio.Engagement, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID(engagementPrefix, id) {
		return nil, engagementNotFound()
	}
	var e *caio.Engagement
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		e, err = c.Engagement(ctx, a.OrgID, id)
		return err
	})
	return e, err
}

// StartEngagement implements caio.EngagementService: the plan is the
// built-in template's, its dates counted from the start.
func (app *App) StartEngagement(ctx context.Context, in caio.EngagementInput) (*caio.Engagement, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var e *caio.Engagement
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		e, err = startEngagement(ctx, c, a, in, engagement.Builtin(), BuiltinPlanName)
		return err
	})
	return e, err
}

// startEngagement creates the active engagement from in (normalised) and
// the plan template tpl, with its plan items dated from the start, and
// records it. Goals left empty take the template's.
func startEngagement(ctx context.Context, c *sqldb.Conn, a caio.Actor, in caio.EngagementInput, tpl *engagement.Template, tplName string) (*caio.Engagement, error) {
	if err := c.LockOrg(ctx, a.OrgID); err != nil {
		return nil, err
	}
	if cur, err := c.ActiveEngagement(ctx, a.OrgID); err == nil {
		return nil, caio.Errorf(caio.ECONFLICT, "%q is already active in this organisation (since %s): close it before starting another.", cur.Title, cur.Start)
	} else if caio.ErrorCode(err) != caio.ENOTFOUND {
		return nil, err
	}
	e := &caio.Engagement{ID: caio.NewID(engagementPrefix), OrgID: a.OrgID, Status: caio.EngagementActive, Template: tplName, CreatedBy: a.Label()}
	if len(in.Goals) == 0 {
		in.Goals = slices.Clone(tpl.Goals)
	}
	setEngagement(e, in, tpl.Lengths())
	if err := c.CreateEngagement(ctx, e); err != nil {
		return nil, err
	}
	for i, spec := range tpl.Items {
		it := &caio.PlanItem{ID: caio.NewID(planItemPrefix), EngagementID: e.ID, Position: i + 1, Title: spec.Title,
			Description: spec.Description, Phase: spec.Phase, Window: spec.WindowOfItem(), Due: engagement.AddDays(e.Start, spec.Day),
			Owner: spec.Owner, Status: "todo", Link: spec.Link}
		if err := c.CreatePlanItem(ctx, a.OrgID, it); err != nil {
			return nil, err
		}
	}
	diff := e.Fields()
	diff["template"], diff["plan_items"] = tplName, len(tpl.Items)
	return e, record(ctx, c, a, "engagement.start", "engagement", e.ID, caio.Diff(nil, diff))
}

// setEngagement copies in onto e, planning the phases from lengths when in
// has none, and the end from the phases when in has none.
func setEngagement(e *caio.Engagement, in caio.EngagementInput, lengths []engagement.PhaseLength) {
	e.Title, e.Sponsor, e.Start, e.Goals = in.Title, in.Sponsor, in.Start, in.Goals
	if len(in.Phases) == len(caio.EngagementPhaseKeys) {
		e.Phases = in.Phases
		e.End = in.End
		if e.End == "" {
			e.End = in.Phases[len(in.Phases)-1].End
		}
		return
	}
	ps, end := engagement.PlanPhases(in.Start, in.End, lengths)
	e.Phases = make([]caio.EngagementPhase, len(ps))
	for i, p := range ps {
		e.Phases[i] = caio.EngagementPhase{Key: p.Key, Start: p.Start, End: p.End}
	}
	e.End = end
}

// phaseLengths returns the planned length in days of each of e's phases.
func phaseLengths(e *caio.Engagement) []engagement.PhaseLength {
	out := make([]engagement.PhaseLength, len(e.Phases))
	for i, p := range e.Phases {
		out[i] = engagement.PhaseLength{Key: p.Key, Days: max(engagement.DaysBetween(p.Start, p.End)+1, 1)}
	}
	return out
}

func engagementClosed() error {
	return caio.Errorf(caio.ECONFLICT, "This engagement is closed: its plan, checklist and notes are kept as they were.")
}

// activeEngagement reads an engagement for a change, refusing a closed one.
func activeEngagement(ctx context.Context, c *sqldb.Conn, orgID, id string) (*caio.Engagement, error) {
	if !caio.ValidID(engagementPrefix, id) {
		return nil, engagementNotFound()
	}
	e, err := c.Engagement(ctx, orgID, id)
	if err != nil {
		return nil, err
	}
	if e.Status != caio.EngagementActive {
		return nil, engagementClosed()
	}
	return e, nil
}

// UpdateEngagement implements caio.EngagementService. Phases left out are
// planned again from the new dates with the current phases' lengths;
// moving the start moves every plan item's due date by as many days.
func (app *App) UpdateEngagement(ctx context.Context, id string, version int, in caio.EngagementInput) (*caio.Engagement, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var e *caio.Engagement
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if e, err = activeEngagement(ctx, c, a.OrgID, id); err != nil {
			return err
		}
		if version != 0 && version != e.Version {
			return staleEdit("engagement", e.Version, version)
		}
		before := e.Fields()
		shift := engagement.DaysBetween(e.Start, in.Start)
		lengths := phaseLengths(e)
		if in.End == "" && len(in.Phases) == 0 {
			in.End = engagement.AddDays(e.End, shift)
		}
		setEngagement(e, in, lengths)
		if err := c.UpdateEngagement(ctx, e); err != nil {
			return err
		}
		if shift != 0 {
			items, err := c.PlanItems(ctx, a.OrgID, e.ID)
			if err != nil {
				return err
			}
			for _, it := range items {
				if it.Due != "" {
					it.Due = engagement.AddDays(it.Due, shift)
					if err := c.UpdatePlanItem(ctx, a.OrgID, it); err != nil {
						return err
					}
				}
			}
		}
		diff := caio.Diff(before, e.Fields())
		return record(ctx, c, a, "engagement.update", "engagement", e.ID, diff)
	})
	return e, err
}

// CloseEngagement implements caio.EngagementService.
func (app *App) CloseEngagement(ctx context.Context, id string) (*caio.Engagement, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	var e *caio.Engagement
	err = app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
		if e, err = activeEngagement(ctx, c, a.OrgID, id); err != nil {
			return err
		}
		final, err := deliverables(ctx, c, a.OrgID, e)
		if err != nil {
			return err
		}
		before := e.Fields()
		now := c.Now()
		e.Status, e.ClosedAt, e.Final = caio.EngagementClosed, &now, final
		if err := c.UpdateEngagement(ctx, e); err != nil {
			return err
		}
		done := 0
		for _, d := range final {
			if d.Done {
				done++
			}
		}
		after := e.Fields()
		after["deliverables_done"] = strconv.Itoa(done) + " of " + strconv.Itoa(len(final))
		return record(ctx, c, a, "engagement.close", "engagement", e.ID, caio.Diff(before, after))
	})
	return e, err
}

// --- Plan ---

func planItemNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Plan item not found.") }

// placeItem sets an item's window and due date from the input, counting
// from the engagement's start: a missing window follows from the due
// date, a missing due date is the last day of the window.
func placeItem(e *caio.Engagement, it *caio.PlanItem, in caio.PlanItemInput) {
	it.Window, it.Due = in.Window, in.Due
	switch {
	case it.Due == "" && it.Window == "":
		it.Window = engagement.Window30
		it.Due = engagement.AddDays(e.Start, engagement.WindowEnd(it.Window))
	case it.Due == "":
		it.Due = engagement.AddDays(e.Start, engagement.WindowEnd(it.Window))
	case it.Window == "":
		it.Window = engagement.WindowOf(max(engagement.DaysBetween(e.Start, it.Due), 0))
	}
}

func setItem(e *caio.Engagement, it *caio.PlanItem, in caio.PlanItemInput, now time.Time) {
	it.Title, it.Description, it.Phase, it.Owner, it.Link = in.Title, in.Description, in.Phase, in.Owner, in.Link
	placeItem(e, it, in)
	setItemStatus(it, in.Status, now)
}

func setItemStatus(it *caio.PlanItem, status string, now time.Time) {
	if status == "done" && it.Status != "done" {
		it.CompletedAt = &now
	} else if status != "done" {
		it.CompletedAt = nil
	}
	it.Status = status
}

func itemDiff(it *caio.PlanItem) map[string]any {
	out := map[string]any{"item": it.ID}
	for k, v := range it.Fields() {
		out["item."+k] = v
	}
	return out
}

// AddPlanItem adds an item at the end of an active engagement's plan. Needs PermEdit.
func (app *App) AddPlanItem(ctx context.Context, engagementID string, in caio.PlanItemInput) (*caio.PlanItem, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var it *caio.PlanItem
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		e, err := activeEngagement(ctx, c, a.OrgID, engagementID)
		if err != nil {
			return err
		}
		n, err := c.CountPlanItems(ctx, a.OrgID, e.ID)
		if err != nil {
			return err
		}
		if n >= caio.MaxPlanItems {
			return caio.Errorf(caio.ECONFLICT, "A plan has at most %d items: delete some first.", caio.MaxPlanItems)
		}
		pos, err := c.NextPlanPosition(ctx, a.OrgID, e.ID)
		if err != nil {
			return err
		}
		it = &caio.PlanItem{ID: caio.NewID(planItemPrefix), EngagementID: e.ID, Position: pos}
		setItem(e, it, in, c.Now())
		if err := c.CreatePlanItem(ctx, a.OrgID, it); err != nil {
			return err
		}
		return record(ctx, c, a, "engagement.plan.create", "engagement", e.ID, caio.Diff(nil, itemDiff(it)))
	})
	return it, err
}

// planItemFor reads an item and its active engagement for a change.
func planItemFor(ctx context.Context, c *sqldb.Conn, orgID, id string) (*caio.Engagement, *caio.PlanItem, error) {
	if !caio.ValidID(planItemPrefix, id) {
		return nil, nil, planItemNotFound()
	}
	it, err := c.PlanItem(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	e, err := activeEngagement(ctx, c, orgID, it.EngagementID)
	return e, it, err
}

// FindPlanItem returns one plan item. Needs PermRead.
func (app *App) FindPlanItem(ctx context.Context, id string) (*caio.PlanItem, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID(planItemPrefix, id) {
		return nil, planItemNotFound()
	}
	var it *caio.PlanItem
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		it, err = c.PlanItem(ctx, a.OrgID, id)
		return err
	})
	return it, err
}

// UpdatePlanItem replaces a plan item's fields (edit, re-date, complete). Needs PermEdit.
func (app *App) UpdatePlanItem(ctx context.Context, id string, in caio.PlanItemInput) (*caio.PlanItem, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var it *caio.PlanItem
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		e, got, err := planItemFor(ctx, c, a.OrgID, id)
		if err != nil {
			return err
		}
		it = got
		before := itemDiff(it)
		setItem(e, it, in, c.Now())
		if err := c.UpdatePlanItem(ctx, a.OrgID, it); err != nil {
			return err
		}
		return record(ctx, c, a, "engagement.plan.update", "engagement", e.ID, caio.Diff(before, itemDiff(it)))
	})
	return it, err
}

// SetPlanItemStatus moves a plan item to todo, doing or done. Needs PermEdit.
func (app *App) SetPlanItemStatus(ctx context.Context, id, status string) (*caio.PlanItem, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	status = strings.ToLower(strings.TrimSpace(status))
	if !slices.Contains(caio.PlanStatuses, status) {
		return nil, caio.FieldError("status", "must be one of "+strings.Join(caio.PlanStatuses, ", "))
	}
	var it *caio.PlanItem
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		e, got, err := planItemFor(ctx, c, a.OrgID, id)
		if err != nil {
			return err
		}
		it = got
		before := itemDiff(it)
		setItemStatus(it, status, c.Now())
		if err := c.UpdatePlanItem(ctx, a.OrgID, it); err != nil {
			return err
		}
		return record(ctx, c, a, "engagement.plan.status", "engagement", e.ID, caio.Diff(before, itemDiff(it)))
	})
	return it, err
}

// MovePlanItem moves a plan item up or down among the items of its window. Needs PermEdit.
func (app *App) MovePlanItem(ctx context.Context, id, direction string) (*caio.PlanItem, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if direction != "up" && direction != "down" {
		return nil, caio.FieldError("direction", "must be up or down")
	}
	var it *caio.PlanItem
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		e, got, err := planItemFor(ctx, c, a.OrgID, id)
		if err != nil {
			return err
		}
		it = got
		items, err := c.PlanItems(ctx, a.OrgID, e.ID)
		if err != nil {
			return err
		}
		var same []*caio.PlanItem
		for _, x := range items {
			if x.Window == it.Window {
				same = append(same, x)
			}
		}
		i := slices.IndexFunc(same, func(x *caio.PlanItem) bool { return x.ID == it.ID })
		j := i - 1
		if direction == "down" {
			j = i + 1
		}
		if i < 0 || j < 0 || j >= len(same) {
			return nil // already first or last: nothing to do
		}
		other := same[j]
		// Positions may repeat after edits; give the pair distinct ones.
		pi, pj := same[i].Position, other.Position
		if pi == pj {
			if direction == "up" {
				pi--
			} else {
				pi++
			}
		}
		it.Position, other.Position = pj, pi
		for _, x := range []*caio.PlanItem{it, other} {
			if err := c.UpdatePlanItem(ctx, a.OrgID, x); err != nil {
				return err
			}
		}
		return record(ctx, c, a, "engagement.plan.move", "engagement", e.ID, caio.Diff(nil, map[string]any{"item": it.ID, "direction": direction, "window": it.Window}))
	})
	return it, err
}

// DeletePlanItem removes a plan item. Needs PermEdit.
func (app *App) DeletePlanItem(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		e, it, err := planItemFor(ctx, c, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := c.DeletePlanItem(ctx, a.OrgID, it.ID); err != nil {
			return err
		}
		return record(ctx, c, a, "engagement.plan.delete", "engagement", e.ID, caio.Diff(itemDiff(it), nil))
	})
}

// --- Deliverables ---

// ConfirmDeliverable records a person's confirmation (or its withdrawal)
// of a deliverable caio cannot detect, with a note. Needs PermEdit; a
// detected deliverable is EINVALID naming deliverable.
func (app *App) ConfirmDeliverable(ctx context.Context, engagementID, key string, in caio.DeliverableInput) ([]caio.Deliverable, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	var out []caio.Deliverable
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		e, err := activeEngagement(ctx, c, a.OrgID, engagementID)
		if err != nil {
			return err
		}
		info, ok := caio.DeliverableInfoOf(key)
		if !ok {
			return caio.Errorf(caio.ENOTFOUND, "Deliverable not found.")
		}
		if deliverableChecks[key] != nil {
			return caio.FieldError("deliverable", "is detected from the organisation's data ("+info.Label+"); it cannot be confirmed by hand")
		}
		if err := in.Normalize(); err != nil {
			return err
		}
		if err := c.PutDeliverableConfirmation(ctx, a.OrgID, e.ID, key, in.Done, in.Note, a.Label()); err != nil {
			return err
		}
		if err := record(ctx, c, a, "engagement.deliverable", "engagement", e.ID, caio.Diff(nil, map[string]any{
			"deliverable": key, "done": in.Done, "note": in.Note})); err != nil {
			return err
		}
		out, err = deliverables(ctx, c, a.OrgID, e)
		return err
	})
	return out, err
}

// --- Weekly status notes ---

func noteNotFound() error { return caio.Errorf(caio.ENOTFOUND, "Status note not found.") }

// FindStatusNotes returns a page of an engagement's weekly notes, newest
// week first. Needs PermRead.
func (app *App) FindStatusNotes(ctx context.Context, engagementID string, p caio.Page) ([]*caio.StatusNote, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if p, err = p.Normalize(); err != nil {
		return nil, 0, err
	}
	if !caio.ValidID(engagementPrefix, engagementID) {
		return nil, 0, engagementNotFound()
	}
	var out []*caio.StatusNote
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		if _, err := c.Engagement(ctx, a.OrgID, engagementID); err != nil {
			return err
		}
		var err error
		out, total, err = c.StatusNotes(ctx, a.OrgID, engagementID, p)
		return err
	})
	return out, total, err
}

// FindStatusNote returns one weekly note. Needs PermRead.
func (app *App) FindStatusNote(ctx context.Context, id string) (*caio.StatusNote, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if !caio.ValidID(notePrefix, id) {
		return nil, noteNotFound()
	}
	var n *caio.StatusNote
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		n, err = c.StatusNote(ctx, a.OrgID, id)
		return err
	})
	return n, err
}

func setNote(n *caio.StatusNote, in caio.StatusNoteInput, a caio.Actor) {
	n.Week, n.RAG, n.Summary, n.Achievements, n.NextSteps, n.Risks, n.Author = in.Week, in.RAG, in.Summary, in.Achievements, in.NextSteps, in.Risks, in.Author
	if n.Author == "" {
		n.Author = a.Label()
	}
	n.WeekLabel = caio.WeekLabel(n.Week)
}

// AddStatusNote writes the weekly note of an active engagement; a second
// note of the same week is ECONFLICT naming week. Needs PermEdit.
func (app *App) AddStatusNote(ctx context.Context, engagementID string, in caio.StatusNoteInput) (*caio.StatusNote, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var n *caio.StatusNote
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		e, err := activeEngagement(ctx, c, a.OrgID, engagementID)
		if err != nil {
			return err
		}
		n = &caio.StatusNote{ID: caio.NewID(notePrefix), EngagementID: e.ID}
		setNote(n, in, a)
		if err := c.CreateStatusNote(ctx, a.OrgID, n); err != nil {
			return err
		}
		d := map[string]any{"note": n.ID}
		for k, v := range n.Fields() {
			d["note."+k] = v
		}
		return record(ctx, c, a, "engagement.note.create", "engagement", e.ID, caio.Diff(nil, d))
	})
	return n, err
}

func noteDiff(n *caio.StatusNote) map[string]any {
	d := map[string]any{"note": n.ID}
	for k, v := range n.Fields() {
		d["note."+k] = v
	}
	return d
}

// noteFor reads a note and its active engagement for a change.
func noteFor(ctx context.Context, c *sqldb.Conn, orgID, id string) (*caio.Engagement, *caio.StatusNote, error) {
	if !caio.ValidID(notePrefix, id) {
		return nil, nil, noteNotFound()
	}
	n, err := c.StatusNote(ctx, orgID, id)
	if err != nil {
		return nil, nil, err
	}
	e, err := activeEngagement(ctx, c, orgID, n.EngagementID)
	return e, n, err
}

// UpdateStatusNote replaces a weekly note; ECONFLICT for a stale version. Needs PermEdit.
func (app *App) UpdateStatusNote(ctx context.Context, id string, version int, in caio.StatusNoteInput) (*caio.StatusNote, error) {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return nil, err
	}
	if err := in.Normalize(); err != nil {
		return nil, err
	}
	var n *caio.StatusNote
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		e, got, err := noteFor(ctx, c, a.OrgID, id)
		if err != nil {
			return err
		}
		n = got
		if version != 0 && version != n.Version {
			return staleEdit("status note", n.Version, version)
		}
		before := noteDiff(n)
		setNote(n, in, a)
		if err := c.UpdateStatusNote(ctx, a.OrgID, n); err != nil {
			return err
		}
		return record(ctx, c, a, "engagement.note.update", "engagement", e.ID, caio.Diff(before, noteDiff(n)))
	})
	return n, err
}

// DeleteStatusNote removes a weekly note. Needs PermEdit.
func (app *App) DeleteStatusNote(ctx context.Context, id string) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		e, n, err := noteFor(ctx, c, a.OrgID, id)
		if err != nil {
			return err
		}
		if err := c.DeleteStatusNote(ctx, a.OrgID, n.ID); err != nil {
			return err
		}
		return record(ctx, c, a, "engagement.note.delete", "engagement", e.ID, caio.Diff(noteDiff(n), nil))
	})
}
