package app

import (
	"context"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
)

// FindAuditEvents lists a page of the organisation's audit events, newest
// first. Needs PermReadAudit.
func (app *App) FindAuditEvents(ctx context.Context, f caio.AuditFilter) ([]caio.AuditEvent, int, error) {
	a, err := authorize(ctx, caio.PermReadAudit)
	if err != nil {
		return nil, 0, err
	}
	if f.Page, err = f.Page.Normalize(); err != nil {
		return nil, 0, err
	}
	var es []caio.AuditEvent
	var total int
	err = app.DB.Read(ctx, func(c *sqldb.Conn) (err error) {
		es, total, err = c.AuditEvents(ctx, a.OrgID, f)
		return err
	})
	return es, total, err
}

// AuditVerification is the result of checking an organisation's chain.
type AuditVerification struct {
	Events int64            `json:"events"`
	Intact bool             `json:"intact"`
	Break  *caio.ChainBreak `json:"break,omitempty"`
}

// VerifyAudit checks the organisation's whole audit chain. Needs PermReadAudit.
func (app *App) VerifyAudit(ctx context.Context) (*AuditVerification, error) {
	a, err := authorize(ctx, caio.PermReadAudit)
	if err != nil {
		return nil, err
	}
	var res AuditVerification
	err = app.DB.Snapshot(ctx, func(c *sqldb.Conn) error {
		// Check while streaming, so memory stays flat however long the chain is.
		var v caio.ChainVerifier
		headSeq, headHash, err := c.AuditChain(ctx, a.OrgID, func(e caio.AuditEvent) error {
			v.Add(&e)
			return nil
		})
		if err != nil {
			return err
		}
		res.Events = v.Count()
		res.Break = v.Finish(headSeq, headHash)
		res.Intact = res.Break == nil
		return nil
	})
	return &res, err
}
