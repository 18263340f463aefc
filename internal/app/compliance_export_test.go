package app

import (
	"context"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/sqldb"
)

// SyncRequirements runs syncRequirements in a transaction of its own, as
// the actor of ctx, so tests can call it apart from a classification.
func (app *App) SyncRequirements(ctx context.Context, systemID string, obligations []euaiact.Obligation) error {
	a, err := authorize(ctx, caio.PermEdit)
	if err != nil {
		return err
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		return app.syncRequirements(ctx, c, a, systemID, obligations)
	})
}

// LoadDemoCompliance runs loadDemoCompliance for tests.
func (app *App) LoadDemoCompliance(ctx context.Context) error { return app.loadDemoCompliance(ctx) }
