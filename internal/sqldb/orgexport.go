package sqldb

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"

	"github.com/caio-office/caio"
)

// An organisation export is one organisation's rows, in the layout of a
// JSON backup (gzip'd JSON, a table after the tables it references, a row
// per line) with its own header:
//
//	{"format": "caio-org-export", "version": 1, "schema_version": 16,
//	 "dialect": "sqlite", "created_at": "...",
//	 "org_id": "org_...", "org_slug": "acme", "org_name": "Acme",
//	 "left_out": ["api_tokens", ...],
//	 "tables": [{"name": ..., "columns": [...], "rows": [[...], ...]}, ...]}
//
// It holds every backed-up table with an org_id column, filtered to the
// organisation, the organisation's row, and the users it refers to (its
// members and any user named by its rows) with email and name but an empty
// password hash. API tokens (credentials) and the per-user engagement
// templates (which belong to a user, not an organisation) are left out, as
// sessions and setup tokens are from every backup.

// OrgExportFormat is the format name in an organisation export's header.
const OrgExportFormat = "caio-org-export"

// OrgExportVersion is the layout version this build writes and reads.
const OrgExportVersion = 1

// orgExportLeftOut are backed-up tables an organisation export leaves out.
var orgExportLeftOut = []string{"api_tokens", "engagement_templates", "engagement_template_parts"}

// orgUserRefs are the columns of organisation tables that reference users,
// so the users they name travel with the organisation.
var orgUserRefs = []struct{ table, column string }{
	{"memberships", "user_id"}, {"approval_votes", "user_id"}, {"policy_acks", "user_id"},
	{"talent_people", "user_id"}, {"talent_panel_ratings", "interviewer_id"}, {"tasks", "owner_id"},
	{"reminder_preferences", "user_id"}, {"reminder_digests", "user_id"},
}

// OrgExportHeader describes an organisation export.
type OrgExportHeader struct {
	Format        string   `json:"format"`
	Version       int      `json:"version"`
	SchemaVersion int      `json:"schema_version"`
	Dialect       Dialect  `json:"dialect"`
	CreatedAt     string   `json:"created_at"`
	OrgID         string   `json:"org_id"`
	OrgSlug       string   `json:"org_slug"`
	OrgName       string   `json:"org_name"`
	LeftOut       []string `json:"left_out"`
}

// OrgExportStats counts what an organisation export or import wrote.
type OrgExportStats struct {
	Header OrgExportHeader `json:"header"`
	Tables []TableCount    `json:"tables"`
	Rows   int64           `json:"rows"`
	// On import: the new organisation, whether IDs were remapped, how many
	// users were matched to existing users by email, and whether the audit
	// chain was re-chained.
	OrgID        string `json:"org_id,omitempty"`
	OrgSlug      string `json:"org_slug,omitempty"`
	Remapped     bool   `json:"remapped"`
	UsersMatched int    `json:"users_matched"`
	Rechained    bool   `json:"rechained"`
}

// ExportOrgJSON writes one organisation's rows to w, gzip'd, from one snapshot.
func (db *DB) ExportOrgJSON(ctx context.Context, orgID string, w io.Writer) (*OrgExportStats, error) {
	applied, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	st := &OrgExportStats{}
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 256<<10)
	err = db.Snapshot(ctx, func(c *Conn) error {
		org, err := c.OrgByID(ctx, orgID)
		if err != nil {
			return err
		}
		st.Header = OrgExportHeader{Format: OrgExportFormat, Version: OrgExportVersion, SchemaVersion: applied,
			Dialect: db.Dialect, CreatedAt: ts(c.now), OrgID: org.ID, OrgSlug: org.Slug, OrgName: org.Name, LeftOut: []string{}}
		type tq struct{ name, query string }
		var tables []tq
		for _, t := range backupTables {
			if slices.Contains(orgExportLeftOut, t.name) {
				st.Header.LeftOut = append(st.Header.LeftOut, t.name)
				continue
			}
			switch t.name {
			case "organizations":
				tables = append(tables, tq{t.name, `SELECT * FROM organizations WHERE id = $1 ORDER BY id`})
				continue
			case "users":
				var refs []string
				for _, r := range orgUserRefs {
					if ok, _ := c.hasColumn(ctx, r.table, r.column); ok {
						refs = append(refs, `SELECT `+r.column+` FROM `+r.table+` WHERE org_id = $1`)
					}
				}
				cols, err := c.columns(ctx, "users")
				if err != nil {
					return err
				}
				for i, col := range cols {
					if col == "password_hash" {
						cols[i] = "'' AS password_hash"
					}
				}
				tables = append(tables, tq{t.name, `SELECT ` + strings.Join(cols, ", ") + ` FROM users WHERE id IN (` + strings.Join(refs, " UNION ") + `) ORDER BY id`})
				continue
			}
			ok, err := c.hasColumn(ctx, t.name, "org_id")
			if err != nil {
				return err
			}
			if !ok {
				st.Header.LeftOut = append(st.Header.LeftOut, t.name)
				continue
			}
			tables = append(tables, tq{t.name, `SELECT * FROM ` + t.name + ` WHERE org_id = $1 ORDER BY ` + t.order})
		}
		head, err := json.Marshal(st.Header)
		if err != nil {
			return err
		}
		bw.Write(head[:len(head)-1])
		bw.WriteString(`,"tables":[`)
		bs := &BackupStats{}
		for i, t := range tables {
			if i > 0 {
				bw.WriteString(",")
			}
			if err := c.exportOrgTable(ctx, bw, t.name, t.query, orgID, bs); err != nil {
				return fmt.Errorf("export %s: %w", t.name, err)
			}
		}
		st.Tables, st.Rows = bs.Tables, bs.Rows
		return nil
	})
	if err != nil {
		return nil, err
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	return st, zw.Close()
}

// hasColumn reports whether a table has a column.
func (c *Conn) hasColumn(ctx context.Context, table, column string) (bool, error) {
	cols, err := c.columns(ctx, table)
	return slices.Contains(cols, column), err
}

// columns lists a table's columns.
func (c *Conn) columns(ctx context.Context, table string) ([]string, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.columns */ SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	return rows.Columns()
}

// exportOrgTable writes one table's rows selected by query, with the
// users' password hashes blanked.
func (c *Conn) exportOrgTable(ctx context.Context, w *bufio.Writer, table, query, orgID string, stats *BackupStats) error {
	// exportTable reads "SELECT * FROM table ORDER BY order"; the querier
	// runs the organisation's query in its place.
	q := &Conn{q: orgQuerier{c.q, query, orgID}, d: c.d, now: c.now}
	return q.exportTable(ctx, w, table, "1", stats)
}

// orgQuerier runs the organisation's query in place of exportTable's.
type orgQuerier struct {
	querier
	query, orgID string
}

func (o orgQuerier) QueryContext(ctx context.Context, _ string, _ ...any) (*sql.Rows, error) {
	return o.querier.QueryContext(ctx, "/* DB.ExportOrgJSON */ "+o.query, o.orgID)
}

// remapper rewrites the IDs in an import's text values.
type remapper struct {
	ids map[string]string
	// all gives every ID found a fresh one of the same prefix.
	all bool
}

var idToken = regexp.MustCompile(`\b[a-z]{2,5}_[0-9a-z]{26}\b`)

func (r *remapper) text(s string) string {
	if !strings.Contains(s, "_") {
		return s
	}
	if !r.all && len(r.ids) == 0 {
		return s
	}
	return idToken.ReplaceAllStringFunc(s, func(id string) string {
		if n, ok := r.ids[id]; ok {
			return n
		}
		if !r.all {
			return id
		}
		n := caio.NewID(id[:strings.IndexByte(id, '_')])
		r.ids[id] = n
		return n
	})
}

// ImportOrgJSON loads an organisation export into this database as a new
// organisation with the slug (the exported one when slug is ""), in one
// transaction: all or nothing. A slug in use is ECONFLICT.
//
// IDs are kept when the organisation's ID is free here (another instance);
// when it is not (the same database), every ID in the export, wherever it
// appears in a text value, is replaced by a fresh one of the same prefix.
// A user whose email exists here is the existing user (nothing of theirs
// changes); other users are created without a password, so they sign in
// after an administrator sets one. When any ID changed, the audit chain is
// re-chained: each event's previous-hash and hash are recomputed in order;
// the events keep their time, actor, action and diff. after runs last, in
// the transaction, to record the import.
func (db *DB) ImportOrgJSON(ctx context.Context, r io.Reader, slug string, after func(c *Conn, st *OrgExportStats) error) (st *OrgExportStats, err error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, invalidOrgExport("not gzip'd: %v", err)
	}
	br := &BackupReader{dec: json.NewDecoder(zr), tableAt: -1}
	br.dec.UseNumber()
	st = &OrgExportStats{}
	h := &st.Header
	if err := br.delim('{'); err != nil {
		return nil, err
	}
	for done := false; !done; {
		key, err := br.key()
		if err != nil {
			return nil, err
		}
		var dst any
		switch key {
		case "format":
			dst = &h.Format
		case "version":
			dst = &h.Version
		case "schema_version":
			dst = &h.SchemaVersion
		case "dialect":
			dst = &h.Dialect
		case "created_at":
			dst = &h.CreatedAt
		case "org_id":
			dst = &h.OrgID
		case "org_slug":
			dst = &h.OrgSlug
		case "org_name":
			dst = &h.OrgName
		case "left_out":
			dst = &h.LeftOut
		case "tables":
			if err := br.delim('['); err != nil {
				return nil, err
			}
			done = true
			continue
		default:
			dst = new(json.RawMessage)
		}
		if err := br.dec.Decode(dst); err != nil {
			return nil, invalidOrgExport("the header field %q: %v", key, err)
		}
	}
	switch {
	case h.Format == BackupFormat:
		return nil, caio.Errorf(caio.EINVALID, "This is a whole-database backup, not an organisation export: restore it with `caio restore`.")
	case h.Format != OrgExportFormat:
		return nil, invalidOrgExport("the format is %q, not %q", h.Format, OrgExportFormat)
	case h.Version != OrgExportVersion:
		return nil, invalidOrgExport("layout version %d is not one this build reads (%d)", h.Version, OrgExportVersion)
	case h.OrgID == "" || h.OrgSlug == "":
		return nil, invalidOrgExport("the organisation's id or slug is missing from the header")
	}
	applied, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if h.SchemaVersion > applied {
		return nil, caio.Errorf(caio.EINVALID, "The export has schema version %d, newer than this database's %d: import it with a newer caio.", h.SchemaVersion, applied)
	}
	if slug == "" {
		slug = h.OrgSlug
	}
	if !caio.ValidSlug(slug) {
		return nil, caio.FieldError("org_slug", "must be 1 to 40 lower-case letters, digits and inner hyphens")
	}
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, translate(err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	c := &Conn{q: tx, d: db.Dialect, now: db.now(), writing: true}
	var slugTaken, idTaken int
	if err := tx.QueryRowContext(ctx, `/* DB.ImportOrgJSON */ SELECT (SELECT COUNT(*) FROM organizations WHERE slug = $1), (SELECT COUNT(*) FROM organizations WHERE id = $2)`, slug, h.OrgID).Scan(&slugTaken, &idTaken); err != nil {
		return nil, translate(err)
	}
	if slugTaken > 0 {
		return nil, caio.Errorf(caio.ECONFLICT, "An organisation with the slug %q exists here already: choose another with --org-slug.", slug)
	}
	re := &remapper{ids: map[string]string{}, all: idTaken > 0}
	st.Remapped = re.all
	var ins *bulkInserter
	var kinds []colKind
	for {
		table, cols, row, err := br.Next()
		if err == io.EOF {
			break
		} else if err != nil {
			return nil, err
		}
		if ins == nil || table != ins.table {
			if ins != nil {
				if err := ins.Close(ctx); err != nil {
					return nil, err
				}
			}
			if kinds, err = c.columnKinds(ctx, table, cols); err != nil {
				return nil, err
			}
			ins = c.bulk(table, slices.Clone(cols))
		}
		vals := make([]any, len(row))
		for i, v := range row {
			if vals[i], err = kinds[i].value(v); err != nil {
				return nil, invalidOrgExport("table %s, column %s: %v", table, cols[i], err)
			}
		}
		col := func(name string) int { return slices.Index(cols, name) }
		switch table {
		case "organizations":
			if i := col("slug"); i >= 0 {
				vals[i] = slug
			}
		case "users":
			id, email := col("id"), col("email")
			if id < 0 || email < 0 {
				return nil, invalidOrgExport("users need an id and an email")
			}
			oldID, _ := vals[id].(string)
			var existing string
			err := tx.QueryRowContext(ctx, `/* DB.ImportOrgJSON */ SELECT id FROM users WHERE lower(email) = lower($1)`, vals[email]).Scan(&existing)
			if err == nil {
				re.ids[oldID] = existing
				st.UsersMatched++
				continue
			} else if caio.ErrorCode(translate(err)) != caio.ENOTFOUND {
				return nil, translate(err)
			}
			if !re.all {
				var n int
				if err := tx.QueryRowContext(ctx, `/* DB.ImportOrgJSON */ SELECT COUNT(*) FROM users WHERE id = $1`, oldID).Scan(&n); err != nil {
					return nil, translate(err)
				}
				if n > 0 {
					re.ids[oldID] = caio.NewID(oldID[:max(strings.IndexByte(oldID, '_'), 0)])
				}
			}
			if i := col("password_hash"); i >= 0 {
				vals[i] = ""
			}
		}
		for i, v := range vals {
			if s, ok := v.(string); ok && kinds[i] == kindText {
				vals[i] = re.text(s)
			}
		}
		if err := ins.Add(ctx, vals...); err != nil {
			return nil, err
		}
		if n := len(st.Tables); n == 0 || st.Tables[n-1].Table != table {
			st.Tables = append(st.Tables, TableCount{Table: table})
		}
		st.Tables[len(st.Tables)-1].Rows++
		st.Rows++
	}
	if ins != nil {
		if err := ins.Close(ctx); err != nil {
			return nil, err
		}
	}
	st.OrgSlug = slug
	st.OrgID = re.text(h.OrgID)
	var n int
	if err := tx.QueryRowContext(ctx, `/* DB.ImportOrgJSON */ SELECT COUNT(*) FROM organizations WHERE id = $1`, st.OrgID).Scan(&n); err != nil {
		return nil, translate(err)
	}
	if n != 1 {
		return nil, invalidOrgExport("it holds no row for its organisation %s", h.OrgID)
	}
	if err := c.Recount(ctx); err != nil {
		return nil, err
	}
	for old, nw := range re.ids {
		if old != nw {
			st.Rechained = true
			break
		}
	}
	if st.Rechained {
		if err := c.rechain(ctx, st.OrgID); err != nil {
			return nil, err
		}
	}
	if after != nil {
		if err := after(c, st); err != nil {
			return nil, err
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, translate(err)
	}
	return st, nil
}

// rechain recomputes the previous-hash and hash of every audit event of the
// organisation, in order, and its head.
func (c *Conn) rechain(ctx context.Context, orgID string) error {
	var events []caio.AuditEvent
	err := c.scanAll(ctx, `/* Conn.rechain */ SELECT `+auditColumns+` FROM audit_events WHERE org_id = $1 ORDER BY seq`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			e, err := scanAudit(row)
			if err == nil {
				events = append(events, e)
			}
			return err
		})
	if err != nil {
		return err
	}
	prev := ""
	var seq int64
	for i := range events {
		e := &events[i]
		e.PrevHash = prev
		e.Hash = e.ComputeHash()
		if _, err := c.q.ExecContext(ctx, `/* Conn.rechain */ UPDATE audit_events SET prev_hash = $1, hash = $2 WHERE org_id = $3 AND seq = $4`, e.PrevHash, e.Hash, orgID, e.Seq); err != nil {
			return translate(err)
		}
		prev, seq = e.Hash, e.Seq
	}
	_, err = c.q.ExecContext(ctx, `/* Conn.rechain */ UPDATE audit_heads SET seq = $1, hash = $2 WHERE org_id = $3`, seq, prev, orgID)
	return translate(err)
}

func invalidOrgExport(format string, args ...any) error {
	return caio.Errorf(caio.EINVALID, "This is not a readable caio organisation export: %s.", fmt.Sprintf(format, args...))
}
