package app

import (
	"context"
	"sort"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/caio-office/caio/internal/sqldb"
)

// Reminders gather the organisation's deadlines from every area that has
// dates, through a registry of sources, and keep each member's reminder
// settings. Deadlines are derived on each read; nothing is copied.

var _ caio.ReminderService = (*App)(nil)

// DeadlineSource returns the open deadlines of the actor's organisation
// (a.OrgID): every one that is overdue and every one due on or before
// caio.AddDays(today, caio.MaxDeadlineDays). It need not filter by person,
// kind or window, nor sort: Deadlines does, after merging the sources. It
// fills Kind, Title, Due, Source, Link, ObjectKind, ObjectID and Owner or
// UserID; Overdue and DaysLeft are filled by Deadlines. It runs inside a
// read of the store and must not write. a may be the system actor (the
// daily digest reads every member's deadlines at once).
type DeadlineSource func(ctx context.Context, c *sqldb.Conn, a caio.Actor, today string) ([]caio.Deadline, error)

// deadlineSources are the registered sources. An area adds its own from an
// init function in its own file:
//
//	func init() { deadlineSources = append(deadlineSources, incidentClockDeadlines) }
var deadlineSources = []DeadlineSource{controlDeadlines, riskDeadlines}

// maxSourceRows bounds what one query of a source reads, earliest first,
// so an organisation with a great many overdue controls still gets an
// answer; the reminders page says so when the bound is reached.
const maxSourceRows = 5000

// maxMembers bounds the members read to decide whose a deadline is.
const maxMembers = 10000

// frameworkShort names the frameworks of the catalogue in a few words.
var frameworkShort = map[string]string{
	catalog.EUAIAct: "EU AI Act", "iso-42001": "ISO/IEC 42001", "nist-ai-rmf": "NIST AI RMF",
	"nist-ai-600-1": "NIST AI 600-1", catalog.OMBM2521: "OMB M-25-21",
}

// requirementLabel names a control's requirement, such as "EU AI Act Art 26".
func requirementLabel(framework, itemID string) string {
	cat := catalog.Default()
	fw := frameworkShort[framework]
	if fw == "" {
		fw = framework
		if f := cat.Framework(framework); f != nil {
			fw = f.Name
		}
	}
	label := itemID
	if it := cat.Item(framework, itemID); it != nil {
		label = it.Label
		if it.Title != "" {
			label += " (" + it.Title + ")"
		}
	}
	return fw + " " + label
}

// controlDeadlines is the source of the controls: an open applicable
// control is due by its target date or, without one, by the date from which
// the EU AI Act obligation applies to the system (the classification
// records it with the Act's timeline, Art 113); a control with a review
// date is to be reviewed by then.
func controlDeadlines(ctx context.Context, c *sqldb.Conn, a caio.Actor, today string) ([]caio.Deadline, error) {
	ks, err := c.ControlDates(ctx, a.OrgID, caio.AddDays(today, caio.MaxDeadlineDays), maxSourceRows)
	if err != nil {
		return nil, err
	}
	var out []caio.Deadline
	for _, k := range ks {
		req := requirementLabel(k.Framework, k.ItemID)
		link := "/controls/" + k.ID
		if caio.OpenStatus(k.Status) && k.Due != "" {
			d := caio.Deadline{Kind: caio.DeadlineObligation, Due: k.Due, Link: link, ObjectKind: "control", ObjectID: k.ID, Owner: k.Owner,
				Title: "Implement " + req + " for " + k.SystemName}
			switch {
			case k.DueDate != "" && k.Deadline != "":
				d.Source = "Target date set on the control; in law " + req + " applies to this system from " + k.Deadline + " (EU AI Act Art 113 timeline, recorded by its classification)"
			case k.DueDate != "":
				d.Source = "Target date set on the control; " + req + " has no date in law"
			default:
				d.Source = req + " applies to this system from " + k.Deadline + " (EU AI Act Art 113 timeline, recorded by its classification)"
			}
			out = append(out, d)
		}
		if k.ReviewDate != "" && k.Status != caio.StatusNotApplicable {
			out = append(out, caio.Deadline{Kind: caio.DeadlineControlReview, Due: k.ReviewDate, Link: link, ObjectKind: "control", ObjectID: k.ID,
				Owner: k.Owner, Title: "Review " + req + " for " + k.SystemName, Source: "Review date set on the control"})
		}
	}
	return out, nil
}

// riskDeadlines is the source of the risk register: the review date of a
// risk that is not closed, and the due date of a planned or running
// treatment.
func riskDeadlines(ctx context.Context, c *sqldb.Conn, a caio.Actor, today string) ([]caio.Deadline, error) {
	until := caio.AddDays(today, caio.MaxDeadlineDays)
	reviews, err := c.RiskReviewDates(ctx, a.OrgID, until, maxSourceRows)
	if err != nil {
		return nil, err
	}
	var out []caio.Deadline
	for _, r := range reviews {
		out = append(out, caio.Deadline{Kind: caio.DeadlineRiskReview, Title: "Review the risk “" + r.RiskTitle + "”", Due: r.Date,
			Source: "Review date set on the risk in the register", Link: "/risks/" + r.RiskID, ObjectKind: "risk", ObjectID: r.RiskID, Owner: r.Owner})
	}
	treatments, err := c.TreatmentDueDates(ctx, a.OrgID, until, maxSourceRows)
	if err != nil {
		return nil, err
	}
	for _, t := range treatments {
		out = append(out, caio.Deadline{Kind: caio.DeadlineRiskTreatment, Title: "Treat the risk “" + t.RiskTitle + "”: " + firstLine(t.Description, 120),
			Due: t.Date, Source: "Due date set on the treatment of the risk", Link: "/risks/" + t.RiskID, ObjectKind: "risk_treatment", ObjectID: t.TreatmentID, Owner: t.Owner})
	}
	return out, nil
}

// firstLine returns the first line of s, cut at n characters.
func firstLine(s string, n int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// gatherDeadlines runs every source and merges what they return: one
// deadline per kind and object (the earliest), each with Overdue and
// DaysLeft, overdue first and then by date, kind and title.
func gatherDeadlines(ctx context.Context, c *sqldb.Conn, a caio.Actor, today string) ([]*caio.Deadline, error) {
	byKey := map[string]*caio.Deadline{}
	for _, src := range deadlineSources {
		ds, err := src(ctx, c, a, today)
		if err != nil {
			return nil, err
		}
		for i := range ds {
			d := &ds[i]
			if d.Due == "" {
				continue
			}
			if prev, ok := byKey[d.Key()]; ok && prev.Due <= d.Due {
				continue
			}
			d.SetToday(today)
			byKey[d.Key()] = d
		}
	}
	out := make([]*caio.Deadline, 0, len(byKey))
	for _, d := range byKey {
		out = append(out, d)
	}
	sortDeadlines(out)
	return out, nil
}

// sortDeadlines puts overdue deadlines first, then orders by date, kind,
// title and object, so the order is the same on every read.
func sortDeadlines(ds []*caio.Deadline) {
	sort.Slice(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Overdue != b.Overdue {
			return a.Overdue
		}
		if a.Due != b.Due {
			return a.Due < b.Due
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Title != b.Title {
			return a.Title < b.Title
		}
		return a.ObjectID < b.ObjectID
	})
}

// assignment decides whose a deadline is, from the organisation's members.
//
// A deadline is a member's when
//  1. it is assigned to them (UserID); or
//  2. its owner text is their name or their email, ignoring case and
//     surrounding space; or
//  3. nobody is named — no UserID, and an owner text that is empty or
//     matches no member (such as "Head of HR") — and the member's role may
//     edit (owner, admin, editor): the organisation's obligations fall to
//     those who can act on them.
type assignment struct {
	byText  map[string][]string // lower-case name or email → user IDs
	members map[string]*caio.Membership
	editors []string
}

func newAssignment(ms []*caio.Membership) *assignment {
	as := &assignment{byText: map[string][]string{}, members: map[string]*caio.Membership{}}
	for _, m := range ms {
		as.members[m.UserID] = m
		for _, t := range []string{m.Name, m.Email} {
			if t = strings.ToLower(strings.TrimSpace(t)); t != "" {
				as.byText[t] = append(as.byText[t], m.UserID)
			}
		}
		if caio.Can(m.Role, caio.PermEdit) {
			as.editors = append(as.editors, m.UserID)
		}
	}
	return as
}

// whose returns the IDs of the members a deadline is for.
func (as *assignment) whose(d *caio.Deadline) []string {
	if d.UserID != "" {
		if _, ok := as.members[d.UserID]; ok {
			return []string{d.UserID}
		}
	}
	if ids := as.byText[strings.ToLower(strings.TrimSpace(d.Owner))]; len(ids) > 0 {
		return ids
	}
	return as.editors
}

// isFor reports whether a deadline is the member's.
func (as *assignment) isFor(d *caio.Deadline, userID string) bool {
	for _, id := range as.whose(d) {
		if id == userID {
			return true
		}
	}
	return false
}

// inWindow keeps the deadlines that are overdue or due on or before until,
// of the kind when it is set.
func inWindow(ds []*caio.Deadline, until string, kind *string) []*caio.Deadline {
	out := ds[:0:0]
	for _, d := range ds {
		if (d.Overdue || d.Due <= until) && (kind == nil || d.Kind == *kind) {
			out = append(out, d)
		}
	}
	return out
}

// Deadlines implements caio.ReminderService.
func (app *App) Deadlines(ctx context.Context, f caio.DeadlineFilter) ([]*caio.Deadline, int, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, 0, err
	}
	if err := f.Normalize(); err != nil {
		return nil, 0, err
	}
	var all []*caio.Deadline
	err = app.DB.Read(ctx, func(c *sqldb.Conn) error {
		day := today(c)
		ds, err := gatherDeadlines(ctx, c, a, day)
		if err != nil {
			return err
		}
		ds = inWindow(ds, caio.AddDays(day, f.Days()), f.Kind)
		if f.Mine {
			if a.UserID == "" {
				ds = nil // the system is nobody's
			} else {
				ms, err := c.AllMembers(ctx, a.OrgID, maxMembers)
				if err != nil {
					return err
				}
				as := newAssignment(ms)
				mine := ds[:0:0]
				for _, d := range ds {
					if as.isFor(d, a.UserID) {
						mine = append(mine, d)
					}
				}
				ds = mine
			}
		}
		all = ds
		return nil
	})
	if err != nil {
		return nil, 0, err
	}
	total := len(all)
	lo := min(f.Offset, total)
	hi := min(lo+f.Limit, total)
	return all[lo:hi], total, nil
}

// ReminderPreferences implements caio.ReminderService.
func (app *App) ReminderPreferences(ctx context.Context) (*caio.ReminderPreferences, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if a.UserID == "" {
		return nil, caio.Errorf(caio.EFORBIDDEN, "Reminder settings belong to a member; the system has none.")
	}
	var p *caio.ReminderPreferences
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		p, err = c.ReminderPreferences(ctx, a.OrgID, a.UserID)
		return err
	})
	return p, err
}

// SetReminderPreferences implements caio.ReminderService.
func (app *App) SetReminderPreferences(ctx context.Context, in caio.ReminderPreferences) (*caio.ReminderPreferences, error) {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return nil, err
	}
	if a.UserID == "" {
		return nil, caio.Errorf(caio.EFORBIDDEN, "Reminder settings belong to a member; the system has none.")
	}
	p := &caio.ReminderPreferences{Digest: in.Digest}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		before, err := c.ReminderPreferences(ctx, a.OrgID, a.UserID)
		if err != nil {
			return err
		}
		if err := c.PutReminderPreferences(ctx, a.OrgID, a.UserID, p); err != nil {
			return err
		}
		return record(ctx, c, a, "reminder.preferences", "user", a.UserID,
			caio.Diff(map[string]any{"digest": before.Digest}, map[string]any{"digest": p.Digest}))
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}
