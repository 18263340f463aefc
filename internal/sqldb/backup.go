package sqldb

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/caio-office/caio"
)

// Backups come in two forms:
//
//   - A SQLite copy, made with VACUUM INTO: a consistent snapshot of a live
//     SQLite database, restored by putting the file back in the data
//     directory. Fast, and the default on SQLite.
//   - A JSON export: gzip'd JSON that restores into either engine, so it also
//     moves an installation from SQLite to PostgreSQL and back. Its layout:
//
//	{"format": "caio-backup", "version": 1, "schema_version": 1,
//	 "dialect": "sqlite", "created_at": "2027-01-31T09:00:00.000000Z",
//	 "tables": [
//	   {"name": "organizations", "columns": ["id", "slug", ...],
//	    "rows": [["org_...", "acme", ...], ...]},
//	   ...]}
//
// Each row is an array of column values: strings, exact numbers, or null.
// Sessions and setup tokens are left out: they are short-lived credentials
// that must not outlive the database they were issued by.

// BackupFormat is the format name in a JSON backup's header.
const BackupFormat = "caio-backup"

// BackupVersion is the version of the JSON backup layout this build writes and reads.
const BackupVersion = 1

// backupTables lists the tables of a JSON backup in an order that respects
// foreign keys, each with the primary key it is read in, so two backups of
// one database hold the rows in the same order.
var backupTables = []struct{ name, order string }{
	{"organizations", "id"},
	{"users", "id"},
	{"memberships", "org_id, user_id"},
	{"api_tokens", "id"},
	{"audit_heads", "org_id"},
	{"audit_events", "org_id, seq"},
	{"objectives", "id"},
	{"ai_systems", "id"},
	{"ai_models", "id"},
	{"datasets", "id"},
	{"vendors", "id"},
	{"system_links", "system_id, kind, target_id"},
	{"classifications", "system_id, seq"},
	{"classification_overrides", "system_id, seq"},
	{"org_settings", "org_id"},
	{"org_frameworks", "org_id, framework_id"},
	{"controls", "id"},
	{"evidence", "id"},
	{"evidence_blobs", "evidence_id"},
	{"use_cases", "id"},
	{"use_case_links", "use_case_id, kind, target_id"},
	{"business_cases", "use_case_id"},
	{"stage_changes", "use_case_id, seq"},
	{"approvals", "id"},
	{"approval_votes", "approval_id, user_id"},
	{"kpis", "id"},
	{"kpi_actuals", "id"},
	{"benefit_actuals", "use_case_id, year"},
	{"strategies", "org_id"},
	{"portfolio_settings", "org_id"},
	{"roadmap_capacity", "org_id, quarter"},
	{"risks", "id"},
	{"risk_links", "risk_id, kind, target_id"},
	{"risk_treatments", "id"},
	{"risk_settings", "org_id"},
	{"survey_files", "id"},
	{"assessments", "id"},
	{"assessment_answers", "assessment_id, question_id"},
}

// BackupTables returns the names of the tables a JSON backup holds, in restore order.
func BackupTables() []string {
	names := make([]string, len(backupTables))
	for i, t := range backupTables {
		names[i] = t.name
	}
	return names
}

// NotBackedUp lists the tables a JSON backup leaves out on purpose.
var NotBackedUp = []string{"sessions", "setup_tokens", "schema_migrations", "org_counters",
	// SQLite's search index of AI systems, rebuilt by triggers on restore.
	"ai_systems_search", "ai_systems_search_config", "ai_systems_search_content", "ai_systems_search_data",
	"ai_systems_search_docsize", "ai_systems_search_idx", "ai_systems_search_ids"}

// BackupHeader describes a JSON backup.
type BackupHeader struct {
	Format        string  `json:"format"`
	Version       int     `json:"version"`
	SchemaVersion int     `json:"schema_version"`
	Dialect       Dialect `json:"dialect"`
	CreatedAt     string  `json:"created_at"`
}

// TableCount is how many rows of one table a backup or restore held.
type TableCount struct {
	Table string `json:"table"`
	Rows  int64  `json:"rows"`
}

// BackupStats counts what a backup or restore wrote.
type BackupStats struct {
	Header BackupHeader
	Tables []TableCount
	Rows   int64
}

func (s *BackupStats) count(table string) {
	if n := len(s.Tables); n == 0 || s.Tables[n-1].Table != table {
		s.Tables = append(s.Tables, TableCount{Table: table})
	}
	s.Tables[len(s.Tables)-1].Rows++
	s.Rows++
}

// Magic bytes that tell the two backup forms apart.
var (
	sqliteMagic = []byte("SQLite format 3\x00")
	gzipMagic   = []byte{0x1f, 0x8b}
)

// Kinds of backup file, as DetectBackup returns them.
const (
	BackupSQLite = "sqlite"
	BackupJSON   = "json"
)

// DetectBackup names the form of a backup from its first bytes: BackupSQLite,
// BackupJSON, or an error saying the file is neither.
func DetectBackup(head []byte) (string, error) {
	switch {
	case bytes.HasPrefix(head, sqliteMagic):
		return BackupSQLite, nil
	case bytes.HasPrefix(head, gzipMagic):
		return BackupJSON, nil
	}
	return "", caio.Errorf(caio.EINVALID, "This is not a caio backup: it is neither a SQLite database nor a gzip'd JSON export.")
}

// BackupSQLite writes a consistent copy of the SQLite database to path with
// VACUUM INTO. It works while the server runs: the copy is one snapshot,
// and writers are not blocked for long. The file is written beside path and
// renamed into place, so a failed backup leaves nothing behind. It refuses to
// overwrite an existing file.
func (db *DB) BackupSQLite(ctx context.Context, path string) error {
	if db.Dialect != SQLite {
		return caio.Errorf(caio.EINVALID, "A SQLite copy needs the SQLite database; on PostgreSQL make a JSON backup.")
	}
	return createAtomic(path, func(tmp string) error {
		// VACUUM INTO writes into an empty existing file, which keeps the
		// owner-only permissions it was created with.
		_, err := db.read.ExecContext(ctx, `/* DB.BackupSQLite */ VACUUM INTO $1`, tmp)
		return err
	})
}

// ExportJSONFile writes a JSON backup to path, atomically, refusing to overwrite a file.
func (db *DB) ExportJSONFile(ctx context.Context, path string) (*BackupStats, error) {
	var stats *BackupStats
	err := createAtomic(path, func(tmp string) error {
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return err
		}
		defer f.Close()
		if stats, err = db.ExportJSON(ctx, f); err != nil {
			return err
		}
		return f.Close()
	})
	return stats, err
}

// ExportJSON writes a JSON backup of every table in backupTables to w. It
// reads inside one snapshot, so the backup is consistent while the server
// runs, and streams rows, so memory stays flat however large the database.
func (db *DB) ExportJSON(ctx context.Context, w io.Writer) (*BackupStats, error) {
	applied, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	stats := &BackupStats{Header: BackupHeader{
		Format: BackupFormat, Version: BackupVersion, SchemaVersion: applied,
		Dialect: db.Dialect, CreatedAt: ts(db.now()),
	}}
	zw := gzip.NewWriter(w)
	bw := bufio.NewWriterSize(zw, 256<<10)
	head, err := json.Marshal(stats.Header)
	if err != nil {
		return nil, err
	}
	// The header's fields open the document; the tables follow.
	bw.Write(head[:len(head)-1])
	bw.WriteString(`,"tables":[`)
	err = db.Snapshot(ctx, func(c *Conn) error {
		for i, t := range backupTables {
			if i > 0 {
				bw.WriteString(",")
			}
			if err := c.exportTable(ctx, bw, t.name, t.order, stats); err != nil {
				return fmt.Errorf("back up %s: %w", t.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	bw.WriteString("\n]}\n")
	if err := bw.Flush(); err != nil {
		return nil, err
	}
	return stats, zw.Close()
}

// exportTable writes one table as {"name", "columns", "rows"}, a row per line.
// Every column is scanned as it comes from the driver, so one piece of code
// serves every table: integers stay int64 and reals float64, both written
// in their exact shortest form.
func (c *Conn) exportTable(ctx context.Context, w *bufio.Writer, table, order string, stats *BackupStats) error {
	rows, err := c.q.QueryContext(ctx, `/* Conn.exportTable */ SELECT * FROM `+table+` ORDER BY `+order)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	// Binary columns (evidence files) are written as base64 text.
	binary := make([]bool, len(cols))
	if types, err := rows.ColumnTypes(); err == nil {
		for i, t := range types {
			binary[i] = isBinaryType(t.DatabaseTypeName())
		}
	}
	meta, err := json.Marshal(struct {
		Name    string   `json:"name"`
		Columns []string `json:"columns"`
	}{table, cols})
	if err != nil {
		return err
	}
	w.WriteString("\n")
	w.Write(meta[:len(meta)-1])
	w.WriteString(`,"rows":[`)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var line bytes.Buffer
	enc := json.NewEncoder(&line)
	enc.SetEscapeHTML(false)
	first := true
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			if b, ok := v.([]byte); ok && binary[i] {
				vals[i] = base64.StdEncoding.EncodeToString(b)
				continue
			}
			if vals[i], err = exportValue(v); err != nil {
				return fmt.Errorf("column %s: %w", cols[i], err)
			}
		}
		line.Reset()
		if err := enc.Encode(vals); err != nil {
			return err
		}
		if first {
			w.WriteString("\n")
			first = false
		} else {
			w.WriteString(",\n")
		}
		// A failed write (a full disk) sticks to the buffered writer: stop early.
		if _, err := w.Write(bytes.TrimSuffix(line.Bytes(), []byte("\n"))); err != nil {
			return err
		}
		stats.count(table)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if stats.Tables == nil || stats.Tables[len(stats.Tables)-1].Table != table {
		stats.Tables = append(stats.Tables, TableCount{Table: table})
	}
	w.WriteString("]}")
	return nil
}

// exportValue turns a scanned value into what the JSON holds. Non-finite
// reals, which JSON has no numbers for, are written as the strings
// "Infinity", "-Infinity" and "NaN" and read back as numbers.
func exportValue(v any) (any, error) {
	switch x := v.(type) {
	case nil, int64:
		return x, nil
	case float64:
		switch {
		case math.IsInf(x, 1):
			return "Infinity", nil
		case math.IsInf(x, -1):
			return "-Infinity", nil
		case math.IsNaN(x):
			return "NaN", nil
		}
		return x, nil
	case string:
		if !utf8.ValidString(x) {
			return nil, errors.New("text is not valid UTF-8, so JSON cannot hold it exactly; make a SQLite copy instead")
		}
		return x, nil
	case []byte:
		return exportValue(string(x))
	}
	return nil, fmt.Errorf("unexpected value of type %T", v)
}

// BackupReader reads a JSON backup one row at a time, in constant memory. It
// checks the layout as it goes; whether the rows fit the database is for the
// restore to find out.
type BackupReader struct {
	// Header is read by NewBackupReader.
	Header BackupHeader

	dec     *json.Decoder
	inRows  bool
	done    bool
	table   string
	tableAt int // index in backupTables of the current table
	columns []string
}

// NewBackupReader opens a gzip'd JSON backup and reads its header. It returns
// an EINVALID error for anything that is not a backup this build can read.
func NewBackupReader(r io.Reader) (*BackupReader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, invalidBackup("not gzip'd: %v", err)
	}
	br := &BackupReader{dec: json.NewDecoder(zr), tableAt: -1}
	br.dec.UseNumber()
	if err := br.delim('{'); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for {
		key, err := br.key()
		if err != nil {
			return nil, err
		}
		if seen[key] {
			return nil, invalidBackup("the header field %q appears twice", key)
		}
		seen[key] = true
		var dst any
		switch key {
		case "format":
			dst = &br.Header.Format
		case "version":
			dst = &br.Header.Version
		case "schema_version":
			dst = &br.Header.SchemaVersion
		case "dialect":
			dst = &br.Header.Dialect
		case "created_at":
			dst = &br.Header.CreatedAt
		case "tables":
			if err := br.checkHeader(); err != nil {
				return nil, err
			}
			if err := br.delim('['); err != nil {
				return nil, err
			}
			return br, nil
		default:
			dst = new(json.RawMessage) // a field from a later version: skip it
		}
		if err := br.dec.Decode(dst); err != nil {
			return nil, invalidBackup("the header field %q: %v", key, err)
		}
	}
}

func (br *BackupReader) checkHeader() error {
	h := br.Header
	switch {
	case h.Format != BackupFormat:
		return invalidBackup("the format is %q, not %q (the header must come before the tables)", h.Format, BackupFormat)
	case h.Version != BackupVersion:
		return invalidBackup("layout version %d is not one this build reads (%d)", h.Version, BackupVersion)
	case h.SchemaVersion < 1:
		return invalidBackup("the schema version is missing")
	case h.Dialect != SQLite && h.Dialect != Postgres:
		return invalidBackup("unknown dialect %q", h.Dialect)
	}
	return nil
}

var identPattern = regexp.MustCompile(`^[a-z_][a-z0-9_]{0,62}$`)

// Next returns the next row and the table and columns it belongs to. It
// returns io.EOF after the last row, once the whole file has been checked.
// The row and columns slices are valid until the next call.
func (br *BackupReader) Next() (table string, columns []string, row []any, err error) {
	for {
		if br.done {
			return "", nil, nil, io.EOF
		}
		if br.inRows {
			if br.dec.More() {
				row, err := br.row()
				if err != nil {
					return "", nil, nil, err
				}
				return br.table, br.columns, row, nil
			}
			if err := br.delim(']'); err != nil {
				return "", nil, nil, err
			}
			if err := br.delim('}'); err != nil {
				return "", nil, nil, invalidBackup("table %s: rows must be its last field", br.table)
			}
			br.inRows = false
			continue
		}
		if !br.dec.More() {
			if err := br.end(); err != nil {
				return "", nil, nil, err
			}
			br.done = true
			continue
		}
		if err := br.tableStart(); err != nil {
			return "", nil, nil, err
		}
	}
}

// tableStart reads {"name": ..., "columns": [...], "rows": [ of the next table.
func (br *BackupReader) tableStart() error {
	if err := br.delim('{'); err != nil {
		return err
	}
	var name string
	for _, want := range []string{"name", "columns", "rows"} {
		key, err := br.key()
		if err != nil {
			return err
		}
		if key != want {
			return invalidBackup("a table's fields must be name, columns and rows, in that order; found %q", key)
		}
		switch key {
		case "name":
			if err := br.dec.Decode(&name); err != nil {
				return invalidBackup("a table name: %v", err)
			}
			i := slices.IndexFunc(backupTables, func(t struct{ name, order string }) bool { return t.name == name })
			if i < 0 {
				return invalidBackup("unknown table %q", name)
			}
			if i <= br.tableAt {
				return invalidBackup("table %s is out of order or repeated", name)
			}
			br.table, br.tableAt = name, i
		case "columns":
			var cols []string
			if err := br.dec.Decode(&cols); err != nil {
				return invalidBackup("the columns of %s: %v", name, err)
			}
			if len(cols) == 0 || len(cols) > 200 {
				return invalidBackup("table %s has %d columns", name, len(cols))
			}
			for i, c := range cols {
				if !identPattern.MatchString(c) || slices.Contains(cols[:i], c) {
					return invalidBackup("table %s: bad or repeated column name %q", name, c)
				}
			}
			br.columns = cols
		case "rows":
			if err := br.delim('['); err != nil {
				return err
			}
		}
	}
	br.inRows = true
	return nil
}

// row reads one array of values: null, strings and numbers only.
func (br *BackupReader) row() ([]any, error) {
	if err := br.delim('['); err != nil {
		return nil, err
	}
	row := make([]any, 0, len(br.columns))
	for br.dec.More() {
		tok, err := br.dec.Token()
		if err != nil {
			return nil, invalidBackup("a row of %s: %v", br.table, err)
		}
		switch v := tok.(type) {
		case nil, string, json.Number:
			row = append(row, v)
		default:
			return nil, invalidBackup("a row of %s holds %v; only strings, numbers and null are allowed", br.table, tok)
		}
		if len(row) > len(br.columns) {
			return nil, invalidBackup("a row of %s has more values than its %d columns", br.table, len(br.columns))
		}
	}
	if err := br.delim(']'); err != nil {
		return nil, err
	}
	if len(row) != len(br.columns) {
		return nil, invalidBackup("a row of %s has %d values for %d columns", br.table, len(row), len(br.columns))
	}
	return row, nil
}

// end reads the close of the tables and of the document, and checks that
// nothing follows (which also checks the gzip checksum).
func (br *BackupReader) end() error {
	if err := br.delim(']'); err != nil {
		return err
	}
	if err := br.delim('}'); err != nil {
		return invalidBackup("tables must be the last field")
	}
	if tok, err := br.dec.Token(); err != io.EOF {
		if err != nil {
			return invalidBackup("after the end: %v", err)
		}
		return invalidBackup("unexpected %v after the end", tok)
	}
	return nil
}

func (br *BackupReader) delim(want json.Delim) error {
	tok, err := br.dec.Token()
	if err != nil {
		if err == io.EOF {
			return invalidBackup("the file ends early: it is truncated")
		}
		return invalidBackup("%v", err)
	}
	if d, ok := tok.(json.Delim); !ok || d != want {
		return invalidBackup("expected %q, found %v", want, tok)
	}
	return nil
}

func (br *BackupReader) key() (string, error) {
	tok, err := br.dec.Token()
	if err != nil {
		return "", invalidBackup("%v", err)
	}
	k, ok := tok.(string)
	if !ok {
		return "", invalidBackup("expected a field name, found %v", tok)
	}
	return k, nil
}

func invalidBackup(format string, args ...any) error {
	return caio.Errorf(caio.EINVALID, "This is not a readable caio backup: %s.", fmt.Sprintf(format, args...))
}

// ReadBackup reads a whole JSON backup, calling fn for each row, and returns
// its header. It returns an EINVALID error for anything malformed.
func ReadBackup(r io.Reader, fn func(table string, columns []string, row []any) error) (BackupHeader, error) {
	br, err := NewBackupReader(r)
	if err != nil {
		return BackupHeader{}, err
	}
	for {
		table, cols, row, err := br.Next()
		if err == io.EOF {
			return br.Header, nil
		} else if err != nil {
			return br.Header, err
		}
		if err := fn(table, cols, row); err != nil {
			return br.Header, err
		}
	}
}

// RestoreJSON loads a JSON backup into this database, inside one
// transaction: either everything is restored or nothing. The database must
// be migrated and empty (no organisation or user); restoring over existing
// data returns ECONFLICT. A backup from a newer schema than this database's
// is refused.
func (db *DB) RestoreJSON(ctx context.Context, r io.Reader) (stats *BackupStats, err error) {
	br, err := NewBackupReader(r)
	if err != nil {
		return nil, err
	}
	applied, _, err := db.SchemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	if br.Header.SchemaVersion > applied {
		return nil, caio.Errorf(caio.EINVALID, "The backup has schema version %d, newer than this database's %d: restore it with a newer caio.", br.Header.SchemaVersion, applied)
	}
	stats = &BackupStats{Header: br.Header}
	// Not db.Write: the backup is a stream read once, so a retry could not
	// start over. Nothing else should write to an empty database anyway.
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
	var orgs, users int
	if err := tx.QueryRowContext(ctx, `/* DB.RestoreJSON */ SELECT (SELECT COUNT(*) FROM organizations), (SELECT COUNT(*) FROM users)`).Scan(&orgs, &users); err != nil {
		return nil, translate(err)
	}
	if orgs > 0 || users > 0 {
		return nil, caio.Errorf(caio.ECONFLICT, "The database already holds %d organisations and %d users. A JSON backup restores only into an empty database: point --data at a new directory or --database-url at an empty database.", orgs, users)
	}
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
				return nil, invalidBackup("table %s, row %d, column %s: %v", table, ins.Rows+int64(ins.n)+1, cols[i], err)
			}
		}
		if err := ins.Add(ctx, vals...); err != nil {
			return nil, err
		}
		stats.count(table)
	}
	if ins != nil {
		if err := ins.Close(ctx); err != nil {
			return nil, err
		}
	}
	// Counters are derived, so they are rebuilt rather than restored.
	if err := c.Recount(ctx); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, translate(err)
	}
	return stats, nil
}

// colKind is how a restore converts a JSON value for one target column.
type colKind int

const (
	kindText colKind = iota
	kindInt
	kindReal
	kindBytes // written as base64 text
)

// isBinaryType reports whether a declared column type holds bytes.
func isBinaryType(t string) bool {
	t = strings.ToUpper(t)
	return t == "BLOB" || t == "BYTEA"
}

// columnKinds checks that the backup's columns exist in the target table and
// returns the kind of each, from the types the database declares.
func (c *Conn) columnKinds(ctx context.Context, table string, cols []string) ([]colKind, error) {
	rows, err := c.q.QueryContext(ctx, `/* Conn.columnKinds */ SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, translate(err)
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	target := map[string]colKind{}
	for _, t := range types {
		dt := strings.ToUpper(t.DatabaseTypeName())
		switch {
		case isBinaryType(dt):
			target[strings.ToLower(t.Name())] = kindBytes
		case strings.Contains(dt, "INT"):
			target[strings.ToLower(t.Name())] = kindInt
		case strings.Contains(dt, "REAL"), strings.Contains(dt, "FLOA"), strings.Contains(dt, "DOUB"), strings.Contains(dt, "NUMERIC"):
			target[strings.ToLower(t.Name())] = kindReal
		default:
			target[strings.ToLower(t.Name())] = kindText
		}
	}
	kinds := make([]colKind, len(cols))
	for i, col := range cols {
		k, ok := target[col]
		if !ok {
			return nil, invalidBackup("table %s has no column %s in this database", table, col)
		}
		kinds[i] = k
	}
	return kinds, nil
}

// value converts one JSON value (nil, string or json.Number) for the column.
func (k colKind) value(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if k == kindText {
			return x, nil
		}
		if k == kindBytes {
			return base64.StdEncoding.DecodeString(x)
		}
		if k == kindReal {
			if f, err := strconv.ParseFloat(x, 64); err == nil && (math.IsInf(f, 0) || math.IsNaN(f)) {
				return f, nil
			}
		}
		return nil, fmt.Errorf("expected a number, found the text %q", x)
	case json.Number:
		switch k {
		case kindInt:
			return strconv.ParseInt(string(x), 10, 64)
		case kindReal:
			return strconv.ParseFloat(string(x), 64)
		}
		return nil, fmt.Errorf("expected text, found the number %s", x)
	}
	return nil, fmt.Errorf("unexpected %T", v)
}

// RestoreSQLiteFile puts a SQLite backup in place as the database of
// dataDir. It refuses when dataDir already has a database, unless force is
// true. The file is copied beside the target, checked (integrity, a caio
// schema no newer than this build), and renamed into place, so a failed
// restore leaves the old database as it was. The server must be stopped.
func RestoreSQLiteFile(ctx context.Context, src, dataDir string, force bool) error {
	if dataDir == "" {
		dataDir = "caio-data"
	}
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return fmt.Errorf("create data directory: %w", err)
	}
	target := filepath.Join(dataDir, "caio.db")
	if _, err := os.Stat(target); err == nil && !force {
		return caio.Errorf(caio.ECONFLICT, "%s exists already. Stop the server and restore with --force to replace it, or restore into a new --data directory.", target)
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(dataDir, ".caio-restore-*.db")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	defer func() {
		for _, p := range []string{tmpName, tmpName + "-wal", tmpName + "-shm", tmpName + "-journal"} {
			os.Remove(p)
		}
	}()
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := checkSQLiteBackup(ctx, tmpName); err != nil {
		return err
	}
	// A WAL or shared-memory file of the old database would be replayed
	// into the new one: remove them first.
	for _, p := range []string{target + "-wal", target + "-shm", target + "-journal"} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	if err := os.Rename(tmpName, target); err != nil {
		return err
	}
	return syncDir(dataDir)
}

// checkSQLiteBackup opens a copied backup and checks that it is sound and
// that this build can run on its schema.
func checkSQLiteBackup(ctx context.Context, path string) error {
	conn, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer conn.Close()
	var check string
	if err := conn.QueryRowContext(ctx, `PRAGMA quick_check`).Scan(&check); err != nil {
		return caio.Errorf(caio.EINVALID, "The backup cannot be read as a SQLite database: %v.", err)
	} else if check != "ok" {
		return caio.Errorf(caio.EINVALID, "The backup is damaged: the integrity check says %q.", check)
	}
	var version, orgs int
	if err := conn.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0), (SELECT COUNT(*) FROM organizations) FROM schema_migrations`).Scan(&version, &orgs); err != nil {
		return caio.Errorf(caio.EINVALID, "This SQLite file is not a caio database.")
	}
	ms, err := (&DB{Dialect: SQLite}).loadMigrations()
	if err != nil {
		return err
	}
	if known := ms[len(ms)-1].version; version > known {
		return caio.Errorf(caio.EINVALID, "The backup has schema version %d, newer than this build knows (%d): restore it with a newer caio.", version, known)
	}
	return conn.Close()
}

// createAtomic makes path through fn, which is given the name of an empty
// owner-only file beside path to fill. The file is synced and renamed into
// place only when fn succeeds; an existing path is never overwritten.
func createAtomic(path string, fn func(tmp string) error) error {
	if _, err := os.Stat(path); err == nil {
		return caio.Errorf(caio.ECONFLICT, "%s exists already: choose another file or remove it.", path)
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	tmp := f.Name()
	f.Close()
	defer os.Remove(tmp)
	if err := fn(tmp); err != nil {
		return err
	}
	// Neither VACUUM INTO nor a plain write syncs the file: do it before
	// the rename makes it the backup.
	if f, err = os.OpenFile(tmp, os.O_RDWR, 0); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if _, err := os.Stat(path); err == nil {
		return caio.Errorf(caio.ECONFLICT, "%s exists already: choose another file or remove it.", path)
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

// syncDir makes a rename in dir durable. Some systems cannot sync a
// directory; that is not an error.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return nil
	}
	defer d.Close()
	_ = d.Sync()
	return nil
}

// BackupName returns a default file name for a backup made at t.
func BackupName(t time.Time, format string) string {
	ext := ".db"
	if format == BackupJSON {
		ext = ".json.gz"
	}
	return "caio-backup-" + t.UTC().Format("20060102T150405Z") + ext
}
