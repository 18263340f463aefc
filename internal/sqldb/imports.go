package sqldb

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/caio-office/caio"
)

// The storage of CSV and XLSX imports (migration 0016): saved column
// mappings and uploaded files kept between preview and import.

func init() {
	backupTables = append(backupTables,
		struct{ name, order string }{"import_mappings", "org_id, kind"},
		struct{ name, order string }{"import_uploads", "id"},
	)
}

// ImportMapping returns the organisation's saved mapping for kind, nil
// when none is saved.
func (c *Conn) ImportMapping(ctx context.Context, orgID, kind string) (map[string]string, error) {
	var s string
	err := c.q.QueryRowContext(ctx, `/* Conn.ImportMapping */ SELECT mapping FROM import_mappings WHERE org_id = $1 AND kind = $2`, orgID, kind).Scan(&s)
	if err = translate(err); caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	m := map[string]string{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return nil, nil // an unreadable mapping is as good as none
	}
	return m, nil
}

// SaveImportMapping keeps the mapping for kind, replacing the one before.
func (c *Conn) SaveImportMapping(ctx context.Context, orgID, kind, userID string, m map[string]string) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	_, err = c.q.ExecContext(ctx, `/* Conn.SaveImportMapping */ INSERT INTO import_mappings (org_id, kind, mapping, updated_by, updated_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (org_id, kind) DO UPDATE SET mapping = excluded.mapping, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
		orgID, kind, string(b), userID, ts(c.now))
	return translate(err)
}

const importUploadColumns = `id, org_id, kind, name, format, size, created_by, created_at, expires_at`

// CreateImportUpload stores an uploaded file and deletes the
// organisation's expired ones.
func (c *Conn) CreateImportUpload(ctx context.Context, u *caio.ImportUpload, data []byte) error {
	if _, err := c.q.ExecContext(ctx, `/* Conn.CreateImportUpload */ DELETE FROM import_uploads WHERE org_id = $1 AND expires_at < $2`, u.OrgID, ts(c.now)); err != nil {
		return translate(err)
	}
	u.CreatedAt, u.Size = c.now, len(data)
	if u.ExpiresAt.IsZero() {
		u.ExpiresAt = c.now.Add(24 * time.Hour)
	}
	_, err := c.q.ExecContext(ctx, `/* Conn.CreateImportUpload */ INSERT INTO import_uploads (`+importUploadColumns+`, data)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		u.ID, u.OrgID, u.Kind, u.Name, u.Format, u.Size, u.CreatedBy, ts(u.CreatedAt), ts(u.ExpiresAt), data)
	return translate(err)
}

// ImportUpload returns an upload of the organisation that has not expired,
// with its bytes, or ENOTFOUND.
func (c *Conn) ImportUpload(ctx context.Context, orgID, id string, now time.Time) (*caio.ImportUpload, []byte, error) {
	var u caio.ImportUpload
	var data []byte
	err := c.q.QueryRowContext(ctx, `/* Conn.ImportUpload */ SELECT `+importUploadColumns+`, data FROM import_uploads
		WHERE org_id = $1 AND id = $2 AND expires_at >= $3`, orgID, id, ts(now)).
		Scan(&u.ID, &u.OrgID, &u.Kind, &u.Name, &u.Format, &u.Size, &u.CreatedBy, timeCol{&u.CreatedAt}, timeCol{&u.ExpiresAt}, &data)
	if err = translate(err); caio.ErrorCode(err) == caio.ENOTFOUND {
		return nil, nil, caio.Errorf(caio.ENOTFOUND, "Upload not found: it may have expired (uploads are kept for a day). Upload the file again.")
	} else if err != nil {
		return nil, nil, err
	}
	return &u, data, nil
}

// DeleteImportUpload deletes an upload once it is imported.
func (c *Conn) DeleteImportUpload(ctx context.Context, orgID, id string) error {
	_, err := c.q.ExecContext(ctx, `/* Conn.DeleteImportUpload */ DELETE FROM import_uploads WHERE org_id = $1 AND id = $2`, orgID, id)
	return translate(err)
}

// VendorNames returns the organisation's vendor names in lower case, the
// way their uniqueness is checked.
func (c *Conn) VendorNames(ctx context.Context, orgID string) (map[string]bool, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.VendorNames */ SELECT name FROM vendors WHERE org_id = $1`, orgID)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, translate(err)
		}
		out[strings.ToLower(n)] = true
	}
	return out, translate(rows.Err())
}
