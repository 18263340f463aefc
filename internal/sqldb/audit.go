package sqldb

import (
	"context"
	"strings"

	"github.com/caio-office/caio"
)

// AppendAudit adds an event to the end of its organisation's chain. It locks
// the chain head, so concurrent writers in one organisation append one after
// the other and the chain stays linear. It must run inside Write.
func (c *Conn) AppendAudit(ctx context.Context, e *caio.AuditEvent) error {
	if !c.writing {
		return errorf(caio.EINTERNAL, "audit events are written only inside a write transaction")
	}
	lock := ""
	if c.d == Postgres {
		lock = " FOR UPDATE"
	}
	var seq int64
	var prev string
	if err := c.q.QueryRowContext(ctx, `/* Conn.AppendAudit */ SELECT seq, hash FROM audit_heads WHERE org_id = $1`+lock, e.OrgID).Scan(&seq, &prev); err != nil {
		return translate(err)
	}
	e.Seq, e.PrevHash, e.At = seq+1, prev, c.now
	if len(e.Diff) == 0 {
		e.Diff = []byte("{}")
	}
	e.Hash = e.ComputeHash()
	if _, err := c.q.ExecContext(ctx, `/* Conn.AppendAudit */ INSERT INTO audit_events (org_id, seq, at, actor_id, actor, action, object_type, object_id, diff, request_id, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		e.OrgID, e.Seq, ts(e.At), e.ActorID, e.Actor, e.Action, e.ObjectType, e.ObjectID, string(e.Diff), e.RequestID, e.PrevHash, e.Hash); err != nil {
		return translate(err)
	}
	_, err := c.q.ExecContext(ctx, `/* Conn.AppendAudit */ UPDATE audit_heads SET seq = $1, hash = $2 WHERE org_id = $3`, e.Seq, e.Hash, e.OrgID)
	return translate(err)
}

const auditColumns = `org_id, seq, at, actor_id, actor, action, object_type, object_id, diff, request_id, prev_hash, hash`

func scanAudit(row interface{ Scan(...any) error }, extra ...any) (caio.AuditEvent, error) {
	var e caio.AuditEvent
	var diff string
	dest := append([]any{&e.OrgID, &e.Seq, timeCol{&e.At}, &e.ActorID, &e.Actor, &e.Action, &e.ObjectType, &e.ObjectID, &diff, &e.RequestID, &e.PrevHash, &e.Hash}, extra...)
	if err := row.Scan(dest...); err != nil {
		return e, translate(err)
	}
	e.Diff = []byte(diff)
	return e, nil
}

// AuditEvents returns a page of an organisation's events, newest first, and the total that match.
func (c *Conn) AuditEvents(ctx context.Context, orgID string, f caio.AuditFilter) ([]caio.AuditEvent, int, error) {
	where, args := []string{"org_id = $1"}, []any{orgID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+itoa(len(args))))
	}
	if f.ObjectType != nil {
		add("object_type = ?", *f.ObjectType)
	}
	if f.ObjectID != nil {
		add("object_id = ?", *f.ObjectID)
	}
	if f.Action != nil {
		add("action = ?", *f.Action)
	}
	if f.ActorID != nil {
		add("actor_id = ?", *f.ActorID)
	}
	if f.Since != nil {
		add("at >= ?", ts(*f.Since))
	}
	if f.Until != nil {
		add("at < ?", ts(*f.Until))
	}
	cond := strings.Join(where, " AND ")
	countQuery := `/* Conn.AuditEvents */ SELECT COUNT(*) FROM audit_events WHERE ` + cond
	if len(where) == 1 {
		// Unfiltered, the chain head already knows how many events there are.
		countQuery = `/* Conn.AuditEvents */ SELECT COALESCE((SELECT seq FROM audit_heads WHERE org_id = $1), 0)`
	}
	total, err := c.count(ctx, countQuery, args)
	if err != nil || total <= f.Offset {
		return []caio.AuditEvent{}, total, err
	}
	args = append(args, f.Limit, f.Offset)
	rows, err := c.q.QueryContext(ctx, `/* Conn.AuditEvents */ SELECT `+auditColumns+` FROM audit_events WHERE `+cond+
		` ORDER BY seq DESC LIMIT $`+itoa(len(args)-1)+` OFFSET $`+itoa(len(args)), args...)
	if err != nil {
		return nil, 0, translate(err)
	}
	defer rows.Close()
	out := make([]caio.AuditEvent, 0, min(f.Limit, total-f.Offset))
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, e)
	}
	return out, total, translate(rows.Err())
}

// AuditChain streams every event of an organisation in stored order
// (by sequence number) to fn, and returns the recorded head.
func (c *Conn) AuditChain(ctx context.Context, orgID string, fn func(caio.AuditEvent) error) (headSeq int64, headHash string, err error) {
	if err := c.q.QueryRowContext(ctx, `/* Conn.AuditChain */ SELECT seq, hash FROM audit_heads WHERE org_id = $1`, orgID).Scan(&headSeq, &headHash); err != nil {
		return 0, "", translate(err)
	}
	rows, err := c.q.QueryContext(ctx, `/* Conn.AuditChain */ SELECT `+auditColumns+` FROM audit_events WHERE org_id = $1 ORDER BY seq`, orgID)
	if err != nil {
		return 0, "", translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return 0, "", err
		}
		if err := fn(e); err != nil {
			return 0, "", err
		}
	}
	return headSeq, headHash, translate(rows.Err())
}
