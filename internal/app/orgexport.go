package app

import (
	"context"
	"encoding/json"
	"io"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// ExportOrgJSON writes the actor's organisation, all of its rows, as a
// gzip'd JSON organisation export (see sqldb.ExportOrgJSON): members' emails
// and names travel, password hashes, API tokens and sessions do not. Needs
// PermManageOrg (a whole copy of the organisation's data); the export is
// recorded in the audit trail with its row count.
func (app *App) ExportOrgJSON(ctx context.Context, w io.Writer) (*sqldb.OrgExportStats, error) {
	a, err := authorize(ctx, caio.PermManageOrg)
	if err != nil {
		return nil, err
	}
	st, err := app.DB.ExportOrgJSON(ctx, a.OrgID, w)
	if err != nil {
		return nil, err
	}
	err = app.DB.Write(ctx, func(c *sqldb.Conn) error {
		diff, _ := json.Marshal(map[string]any{"format": sqldb.OrgExportFormat, "rows": st.Rows, "tables": len(st.Tables)})
		return record(ctx, c, a, "org.export", "organization", a.OrgID, diff)
	})
	return st, err
}

// ImportOrgJSON loads an organisation export into this database as a new
// organisation (with slug, or the exported slug when empty), all or
// nothing; see sqldb.ImportOrgJSON for how IDs, users and the audit chain
// are handled. Only the system actor (a local command) may: it creates an
// organisation and users. The import is the last event of the new
// organisation's audit trail, with its counts.
func (app *App) ImportOrgJSON(ctx context.Context, r io.Reader, slug string) (*sqldb.OrgExportStats, error) {
	a, ok := caio.ActorFrom(ctx)
	if !ok || !a.System {
		return nil, caio.Errorf(caio.EFORBIDDEN, "Only a local command (caio import json) may import an organisation.")
	}
	return app.DB.ImportOrgJSON(ctx, r, slug, func(c *sqldb.Conn, st *sqldb.OrgExportStats) error {
		diff, _ := json.Marshal(map[string]any{"format": sqldb.OrgExportFormat, "source_org_id": st.Header.OrgID,
			"source_org_slug": st.Header.OrgSlug, "exported_at": st.Header.CreatedAt, "source_dialect": st.Header.Dialect,
			"rows": st.Rows, "tables": len(st.Tables), "remapped": st.Remapped, "users_matched": st.UsersMatched,
			"rechained": st.Rechained})
		ia := caio.Actor{System: true, OrgID: st.OrgID, Via: a.Via, RequestID: a.RequestID}
		return record(ctx, c, ia, "org.import", "organization", st.OrgID, diff)
	})
}
