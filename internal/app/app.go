// Package app holds caio's application services: the one door to the data.
// Web pages, the JSON API, the CLI and (later) the MCP server call these
// methods; each one checks the actor's role, validates input, changes the
// store and writes the audit event, all inside one transaction.
package app

import (
	"context"
	"encoding/json"
	"log/slog"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// App is the set of services over one database.
type App struct {
	DB  *sqldb.DB
	Log *slog.Logger
	// Logins limits password attempts per address and per email.
	Logins *RateLimiter
	// Assistant is the optional language model (assistant.go); nil is off.
	Assistant *Assistant
}

// New returns the services over db.
func New(db *sqldb.DB, log *slog.Logger) *App {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &App{DB: db, Log: log, Logins: NewRateLimiter(10, 15*60)}
}

var _ caio.ObjectiveService = (*App)(nil)

// authorize returns the actor of ctx when its role grants perm in its
// current organisation. This is the one place where permissions are checked.
func authorize(ctx context.Context, perm caio.Permission) (caio.Actor, error) {
	a, ok := caio.ActorFrom(ctx)
	if !ok || (a.UserID == "" && !a.System) {
		return a, caio.Errorf(caio.EUNAUTHORIZED, "Please sign in.")
	}
	if a.OrgID == "" {
		return a, caio.Errorf(caio.EFORBIDDEN, "Choose an organisation first.")
	}
	if a.System || caio.Can(a.Role, perm) {
		return a, nil
	}
	return a, caio.Errorf(caio.EFORBIDDEN, "Your role (%s) does not allow this (%s).", a.Role, perm)
}

// record appends the audit event of a change, inside the change's transaction.
func record(ctx context.Context, c *sqldb.Conn, a caio.Actor, action, objectType, objectID string, diff json.RawMessage) error {
	e := &caio.AuditEvent{
		OrgID:      a.OrgID,
		ActorID:    a.UserID,
		Actor:      a.Label(),
		Action:     action,
		ObjectType: objectType,
		ObjectID:   objectID,
		Diff:       diff,
		RequestID:  a.RequestID,
	}
	if err := c.AppendAudit(ctx, e); err != nil {
		return err
	}
	for _, hook := range auditHooks {
		if err := hook(ctx, c, e); err != nil {
			return err
		}
	}
	return nil
}

// auditHooks run inside the transaction of every audited change, after its
// event is appended, so what they write commits or rolls back with the
// change (outgoing webhooks queue their deliveries this way). Areas add
// theirs from their own files in init.
var auditHooks []func(ctx context.Context, c *sqldb.Conn, e *caio.AuditEvent) error
