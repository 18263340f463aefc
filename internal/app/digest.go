package app

import (
	"context"
	"fmt"
	netmail "net/mail"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/mail"
	"github.com/caio-office/caio/internal/sqldb"
)

// The daily digest: for each organisation and each member who has not
// turned it off, one email listing their overdue deadlines and those due
// soon, sent at most once a day. A member's digest is claimed in the log
// (reminder_digests) before it is sent and marked sent after, so a second
// run of the day, a restarted server or a second server sends nothing more.

// Mailer sends one email; *mail.Config is one.
type Mailer interface {
	Send(ctx context.Context, msg mail.Message) error
}

// DigestOptions say how to run the digest.
type DigestOptions struct {
	// Mailer sends the messages; it may be nil for a dry run.
	Mailer Mailer
	// Sender is the From address, for the messages' IDs.
	Sender string
	// BaseURL is caio's public address, such as https://caio.example.com;
	// links in the email are BaseURL + path.
	BaseURL string
	// Days is how many days ahead to look (default caio.DefaultDigestDays).
	Days int
	// Org, when set, limits the run to the organisation with this slug.
	Org string
	// DryRun composes the messages and reports them without sending,
	// claiming or auditing anything.
	DryRun bool
}

// DigestReport says what a run did.
type DigestReport struct {
	// Day is the date of the run (UTC) that the log counts digests by.
	Day  string       `json:"day"`
	Orgs []*DigestOrg `json:"orgs"`
}

// Sent counts the messages sent (or, in a dry run, composed) over every organisation.
func (r *DigestReport) Sent() int {
	n := 0
	for _, o := range r.Orgs {
		n += len(o.Sent)
	}
	return n
}

// DigestOrg is what a run did in one organisation.
type DigestOrg struct {
	Slug string        `json:"slug"`
	Name string        `json:"name"`
	Sent []*DigestMail `json:"sent"`
	// Failed are the messages the relay did not take; the next run tries again.
	Failed []*DigestMail `json:"failed"`
	// OptedOut counts members who turned the digest off, NothingDue those
	// with nothing overdue or due in the window, AlreadySent those who had
	// today's digest (or whose digest another server is sending).
	OptedOut    int `json:"opted_out"`
	NothingDue  int `json:"nothing_due"`
	AlreadySent int `json:"already_sent"`
}

// DigestMail is one member's digest.
type DigestMail struct {
	Email     string `json:"email"`
	Subject   string `json:"subject"`
	Deadlines int    `json:"deadlines"`
	Overdue   int    `json:"overdue"`
	// Body is the text, kept in a dry run.
	Body  string `json:"body,omitempty"`
	Error string `json:"error,omitempty"`
}

// staleClaim is how old a claim must be before another run may take it
// over: a server that stopped while sending left it.
const staleClaim = time.Hour

// maxDigestItems bounds the deadlines listed in each part of one email.
const maxDigestItems = 100

// SendDigests sends the day's digests. Only the system may run it (caio
// serve's schedule, caio digest send). A message that fails is reported and
// left for the next run; the others go on.
func (app *App) SendDigests(ctx context.Context, opts DigestOptions) (*DigestReport, error) {
	if a, ok := caio.ActorFrom(ctx); !ok || !a.System {
		return nil, caio.Errorf(caio.EFORBIDDEN, "Only the server or a local command sends digests.")
	}
	if opts.Days == 0 {
		opts.Days = caio.DefaultDigestDays
	}
	if opts.Days < 1 || opts.Days > caio.MaxDeadlineDays {
		return nil, caio.FieldError("days", "must be a number of days from 1 to "+strconv.Itoa(caio.MaxDeadlineDays))
	}
	if opts.Mailer == nil && !opts.DryRun {
		return nil, caio.Errorf(caio.EINVALID, "No mail relay is configured: set --smtp-url (or CAIO_SMTP_URL), or use --dry-run.")
	}
	opts.BaseURL = strings.TrimRight(opts.BaseURL, "/")
	var orgs []*caio.Organization
	rep := &DigestReport{}
	err := app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		rep.Day = today(c)
		if opts.Org != "" {
			o, err := c.OrgBySlug(ctx, opts.Org)
			if err != nil {
				return caio.Errorf(caio.ENOTFOUND, "No organisation has the slug %q.", opts.Org)
			}
			orgs = []*caio.Organization{o}
			return nil
		}
		orgs, err = c.Orgs(ctx)
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		r, err := app.digestOrg(ctx, o, rep.Day, opts)
		if r != nil {
			rep.Orgs = append(rep.Orgs, r)
		}
		if err != nil {
			if mail.IsRelayError(err) {
				return rep, caio.Errorf(caio.EUNAVAILABLE, "The mail relay failed, so the digest stopped; the next run sends what is left. %v", err)
			}
			return rep, fmt.Errorf("digest of %s: %w", o.Slug, err)
		}
	}
	return rep, nil
}

// recipient is a member with their deadlines of the day.
type recipient struct {
	m         *caio.Membership
	deadlines []*caio.Deadline
}

func (app *App) digestOrg(ctx context.Context, o *caio.Organization, day string, opts DigestOptions) (*DigestOrg, error) {
	out := &DigestOrg{Slug: o.Slug, Name: o.Name, Sent: []*DigestMail{}, Failed: []*DigestMail{}}
	a := caio.Actor{System: true, OrgID: o.ID, OrgSlug: o.Slug, Role: caio.RoleOwner, Via: "digest"}
	until := caio.AddDays(day, opts.Days)
	var rs []*recipient
	var status map[string]string
	err := app.DB.Read(ctx, func(c *sqldb.Conn) error {
		ds, err := gatherDeadlines(ctx, c, a, day)
		if err != nil {
			return err
		}
		ds = inWindow(ds, until, nil)
		ms, err := c.AllMembers(ctx, o.ID, maxMembers)
		if err != nil {
			return err
		}
		optOut, err := c.DigestOptOuts(ctx, o.ID)
		if err != nil {
			return err
		}
		if status, err = c.DigestStatus(ctx, o.ID, day); err != nil {
			return err
		}
		as := newAssignment(ms)
		byUser := map[string]*recipient{}
		for _, m := range ms {
			if optOut[m.UserID] {
				out.OptedOut++
				continue
			}
			byUser[m.UserID] = &recipient{m: m}
			rs = append(rs, byUser[m.UserID])
		}
		for _, d := range ds {
			for _, id := range as.whose(d) {
				if r := byUser[id]; r != nil {
					r.deadlines = append(r.deadlines, d)
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var relayErr error // the relay failed as a whole: the run stops
	for _, r := range rs {
		if len(r.deadlines) == 0 {
			out.NothingDue++
			continue
		}
		if status[r.m.UserID] == "sent" {
			out.AlreadySent++
			continue
		}
		msg, dm := composeDigest(o, r, day, until, opts)
		if opts.DryRun {
			dm.Body = msg.Body
			out.Sent = append(out.Sent, dm)
			continue
		}
		claim := &sqldb.DigestClaim{OrgID: o.ID, UserID: r.m.UserID, Day: day, Email: r.m.Email, Deadlines: dm.Deadlines, Overdue: dm.Overdue, MessageID: msg.ID}
		var got bool
		err := app.DB.Write(ctx, func(c *sqldb.Conn) (err error) {
			got, err = c.ClaimDigest(ctx, claim, c.Now().Add(-staleClaim).UTC().Format(sqldb.TimeFormat))
			return err
		})
		if err != nil {
			return out, err
		}
		if !got {
			out.AlreadySent++
			continue
		}
		if err := opts.Mailer.Send(ctx, msg); err != nil {
			dm.Error = err.Error()
			out.Failed = append(out.Failed, dm)
			app.Log.Warn("sending a digest failed", "org", o.Slug, "to", r.m.Email, "err", err)
			// A fresh context: the claim must go even when ctx ended mid-send.
			rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
			rerr := app.DB.Write(rctx, func(c *sqldb.Conn) error { return c.ReleaseDigest(rctx, claim) })
			cancel()
			if rerr != nil {
				return out, rerr
			}
			if ctx.Err() != nil {
				break
			}
			if mail.IsRelayError(err) {
				// The relay itself fails: every other message would too.
				relayErr = err
				break
			}
			continue
		}
		// The message went: the log must say so even when ctx ended since.
		wctx := context.WithoutCancel(ctx)
		if err := app.DB.Write(wctx, func(c *sqldb.Conn) error { return c.DigestSent(wctx, claim) }); err != nil {
			return out, err
		}
		out.Sent = append(out.Sent, dm)
	}
	if opts.DryRun || len(out.Sent)+len(out.Failed) == 0 {
		return out, relayErr
	}
	// One audit event per organisation and run.
	var sent, failed []string
	for _, m := range out.Sent {
		sent = append(sent, m.Email)
	}
	for _, m := range out.Failed {
		failed = append(failed, m.Email)
	}
	wctx := context.WithoutCancel(ctx)
	err = app.DB.Write(wctx, func(c *sqldb.Conn) error {
		return record(wctx, c, a, "reminder.digest", "organization", o.ID, caio.Diff(nil, map[string]any{
			"day": day, "days": opts.Days, "sent": len(sent), "recipients": strings.Join(sent, ", "),
			"failed": len(failed), "failed_recipients": strings.Join(failed, ", "),
		}))
	})
	if err != nil {
		return out, err
	}
	return out, relayErr
}

// composeDigest writes one member's email: the overdue deadlines, then
// those due by until, each part grouped by kind, each deadline with its
// date, why, owner and full link.
func composeDigest(o *caio.Organization, r *recipient, day, until string, opts DigestOptions) (mail.Message, *DigestMail) {
	var overdue, soon []*caio.Deadline
	for _, d := range r.deadlines {
		if d.Overdue {
			overdue = append(overdue, d)
		} else {
			soon = append(soon, d)
		}
	}
	var subject string
	switch {
	case len(overdue) > 0 && len(soon) > 0:
		subject = fmt.Sprintf("%s: %d overdue, %d due by %s", o.Name, len(overdue), len(soon), until)
	case len(overdue) > 0:
		subject = fmt.Sprintf("%s: %d overdue", o.Name, len(overdue))
	default:
		subject = fmt.Sprintf("%s: %d due by %s", o.Name, len(soon), until)
	}
	subject = "caio reminders — " + subject

	link := func(path string) string { return opts.BaseURL + path }
	var b strings.Builder
	name := r.m.Name
	if name == "" {
		name = r.m.Email
	}
	fmt.Fprintf(&b, "Hello %s,\n\n", name)
	fmt.Fprintf(&b, "Your deadlines in %s on %s: %d overdue and %d due in the next %d days (by %s).\n",
		o.Name, day, len(overdue), len(soon), opts.Days, until)
	part := func(title string, ds []*caio.Deadline) {
		if len(ds) == 0 {
			return
		}
		fmt.Fprintf(&b, "\n%s\n%s\n", title, strings.Repeat("=", len([]rune(title))))
		shown := ds
		if len(shown) > maxDigestItems {
			shown = shown[:maxDigestItems]
		}
		groups := map[string][]*caio.Deadline{}
		var kinds []string
		for _, d := range shown {
			if _, ok := groups[d.Kind]; !ok {
				kinds = append(kinds, d.Kind)
			}
			groups[d.Kind] = append(groups[d.Kind], d)
		}
		sort.SliceStable(kinds, func(i, j int) bool { return caio.DeadlineKindLabel(kinds[i]) < caio.DeadlineKindLabel(kinds[j]) })
		for _, k := range kinds {
			fmt.Fprintf(&b, "\n%s (%d)\n", caio.DeadlineKindLabel(k), len(groups[k]))
			for _, d := range groups[k] {
				fmt.Fprintf(&b, "\n- %s — %s (%s)\n", d.Due, d.Title, daysText(d))
				fmt.Fprintf(&b, "  Why this date: %s\n", d.Source)
				if d.Owner != "" {
					fmt.Fprintf(&b, "  Owner: %s\n", d.Owner)
				}
				fmt.Fprintf(&b, "  Where: %s\n", link(d.Link))
			}
		}
		if n := len(ds) - len(shown); n > 0 {
			fmt.Fprintf(&b, "\n… and %d more: %s\n", n, link("/reminders"))
		}
	}
	part("Overdue", overdue)
	part("Due by "+until, soon)
	fmt.Fprintf(&b, "\nAll your deadlines: %s\n", link("/reminders"))
	fmt.Fprintf(&b, "\n--\nYou receive this daily digest as a member of %s (%s). To stop it, turn it off on %s", o.Name, o.Slug, link("/reminders#digest"))
	b.WriteString(" (if you belong to several organisations, switch to this one first).\n")
	msg := mail.Message{To: []string{(&netmail.Address{Name: r.m.Name, Address: r.m.Email}).String()}, Subject: subject, Body: b.String(), Auto: true,
		ID: mail.NewMessageID(senderAddress(opts.Sender))}
	return msg, &DigestMail{Email: r.m.Email, Subject: subject, Deadlines: len(r.deadlines), Overdue: len(overdue)}
}

// senderAddress returns the address of a From value, for message IDs.
func senderAddress(from string) string {
	if a, err := netmail.ParseAddress(from); err == nil {
		return a.Address
	}
	return "caio@localhost"
}

// daysText says how far a deadline is, in words.
func daysText(d *caio.Deadline) string {
	switch {
	case d.DaysLeft < -1:
		return strconv.Itoa(-d.DaysLeft) + " days overdue"
	case d.DaysLeft == -1:
		return "1 day overdue"
	case d.DaysLeft == 0:
		return "due today"
	case d.DaysLeft == 1:
		return "due tomorrow"
	}
	return "in " + strconv.Itoa(d.DaysLeft) + " days"
}

// NextDigestRun returns the first time at hour:00 UTC after now.
func NextDigestRun(now time.Time, hour int) time.Time {
	now = now.UTC()
	next := time.Date(now.Year(), now.Month(), now.Day(), hour, 0, 0, 0, time.UTC)
	if !next.After(now) {
		next = next.AddDate(0, 0, 1)
	}
	return next
}

// RunDigestSchedule sends the digests every day at hour:00 UTC until ctx
// ends. When it starts after the day's hour it runs at once, so a server
// restarted late still sends the day's digests; the log keeps them to one a
// day. ctx must carry the system actor. It returns when ctx ends.
func (app *App) RunDigestSchedule(ctx context.Context, opts DigestOptions, hour int) {
	run := func() {
		rep, err := app.SendDigests(ctx, opts)
		if err != nil && ctx.Err() == nil {
			app.Log.Warn("daily digest", "err", err)
		}
		if rep != nil {
			failed := 0
			for _, o := range rep.Orgs {
				failed += len(o.Failed)
			}
			app.Log.Info("daily digest", "day", rep.Day, "sent", rep.Sent(), "failed", failed)
		}
	}
	if now := time.Now().UTC(); now.Hour() >= hour {
		run()
	}
	for {
		wait := time.Until(NextDigestRun(time.Now(), hour))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
			run()
		}
	}
}
