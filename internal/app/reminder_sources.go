package app

import (
	"context"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// The deadlines of the areas built beside reminders: the advisor's tasks,
// the incidents' Art 73 reporting clocks, and the policy library's reviews
// and acknowledgements.

func init() {
	deadlineSources = append(deadlineSources, taskDeadlines, incidentDeadlines, policyDeadlines)
}

func taskDeadlines(ctx context.Context, c *sqldb.Conn, a caio.Actor, today string) ([]caio.Deadline, error) {
	ts, err := c.TaskDueDates(ctx, a.OrgID, caio.AddDays(today, caio.MaxDeadlineDays), maxSourceRows)
	if err != nil {
		return nil, err
	}
	out := make([]caio.Deadline, 0, len(ts))
	for _, t := range ts {
		out = append(out, caio.Deadline{Kind: "task", Title: t.Title, Due: t.Date, Source: "Due date of the task",
			Link: "/tasks/" + t.ID, ObjectKind: "task", ObjectID: t.ID, UserID: t.UserID})
	}
	return out, nil
}

func incidentDeadlines(ctx context.Context, c *sqldb.Conn, a caio.Actor, today string) ([]caio.Deadline, error) {
	is, err := c.IncidentReportDates(ctx, a.OrgID, caio.AddDays(today, caio.MaxDeadlineDays), maxSourceRows)
	if err != nil {
		return nil, err
	}
	out := make([]caio.Deadline, 0, len(is))
	for _, i := range is {
		out = append(out, caio.Deadline{Kind: "incident_clock", Title: "Report the incident “" + i.Title + "” to the market surveillance authority",
			Due: i.Date, Source: "EU AI Act Art 73 reporting clock, counted from when the organisation became aware",
			Link: "/incidents/" + i.ID, ObjectKind: "incident", ObjectID: i.ID, Owner: i.Owner})
	}
	return out, nil
}

func policyDeadlines(ctx context.Context, c *sqldb.Conn, a caio.Actor, today string) ([]caio.Deadline, error) {
	until := caio.AddDays(today, caio.MaxDeadlineDays)
	reviews, err := c.PolicyReviewDates(ctx, a.OrgID, until, maxSourceRows)
	if err != nil {
		return nil, err
	}
	var out []caio.Deadline
	for _, p := range reviews {
		out = append(out, caio.Deadline{Kind: "policy_review", Title: "Review the policy “" + p.Title + "”", Due: p.Date,
			Source: "Next review from the policy's review cycle", Link: "/policies/" + p.ID, ObjectKind: "policy", ObjectID: p.ID, Owner: p.Owner})
	}
	acks, err := c.PendingAckDates(ctx, a.OrgID, until, maxSourceRows)
	if err != nil {
		return nil, err
	}
	for _, p := range acks {
		// One deadline per member: the object is the policy as that member
		// owes it, so the merge keeps every member's.
		out = append(out, caio.Deadline{Kind: "acknowledgement", Title: "Read and acknowledge the policy “" + p.Title + "”", Due: p.Date,
			Source: "Acknowledgement window of the approved version", Link: "/policies/" + p.ID, ObjectKind: "policy",
			ObjectID: p.ID + "/" + p.UserID, UserID: p.UserID})
	}
	return out, nil
}
