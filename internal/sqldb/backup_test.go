package sqldb_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// bkSeed fills db with a little of everything a backup holds, including
// numbers that are easy to get wrong, and returns the objectives' baselines.
func bkSeed(t *testing.T, db *sqldb.DB) {
	t.Helper()
	ctx := context.Background()
	nums := []*float64{nil, bkNum(0.1), bkNum(1e300), bkNum(-1e-300), bkNum(5e-324), bkNum(123456789.123456789),
		bkNum(math.Inf(1)), bkNum(math.Inf(-1)), bkNum(9007199254740993), bkNum(42)}
	err := db.Write(ctx, func(c *sqldb.Conn) error {
		o := &caio.Organization{ID: caio.NewID("org"), Slug: "acme", Name: `Acme "<Bank>" & Co — ünïcode`}
		if err := c.CreateOrg(ctx, o); err != nil {
			return err
		}
		u := &caio.User{ID: caio.NewID("usr"), Email: "ada@example.com", Name: "Ada\nLovelace\t\x01"}
		if err := c.CreateUser(ctx, u, "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA"); err != nil {
			return err
		}
		if err := c.PutMembership(ctx, o.ID, u.ID, caio.RoleOwner); err != nil {
			return err
		}
		tok := &caio.APIToken{ID: caio.NewID("tok"), OrgID: o.ID, UserID: u.ID, Name: "ci", Prefix: "caio_abcd"}
		if err := c.CreateToken(ctx, tok, "0123456789abcdef"); err != nil {
			return err
		}
		if err := c.TouchToken(ctx, tok.ID); err != nil {
			return err
		}
		for i, n := range nums {
			ob := &caio.Objective{ID: caio.NewID("obj"), OrgID: o.ID, Title: "Objective " + strings.Repeat("x", i), Baseline: n, Target: nums[len(nums)-1-i], Horizon: "2027-12-31"}
			if err := c.CreateObjective(ctx, ob); err != nil {
				return err
			}
			if err := c.AppendAudit(ctx, &caio.AuditEvent{OrgID: o.ID, Actor: "system", Action: "objective.create", ObjectType: "objective", ObjectID: ob.ID,
				Diff: json.RawMessage(`{"title":[null,"` + ob.Title + `"]}`)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func bkNum(f float64) *float64 { return &f }

// bkTables reads a backup into table name → columns and rows, as JSON text.
func bkTables(t *testing.T, b []byte) (sqldb.BackupHeader, map[string]string) {
	t.Helper()
	out := map[string]string{}
	h, err := sqldb.ReadBackup(bytes.NewReader(b), func(table string, cols []string, row []any) error {
		line, err := json.Marshal([]any{cols, row})
		out[table] += string(line) + "\n"
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return h, out
}

func bkExport(t *testing.T, db *sqldb.DB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := db.ExportJSON(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// bkVerify checks every audit chain of db.
func bkVerify(t *testing.T, db *sqldb.DB) {
	t.Helper()
	ctx := context.Background()
	err := db.Snapshot(ctx, func(c *sqldb.Conn) error {
		orgs, err := c.Orgs(ctx)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			var v caio.ChainVerifier
			seq, hash, err := c.AuditChain(ctx, o.ID, func(e caio.AuditEvent) error { v.Add(&e); return nil })
			if err != nil {
				return err
			}
			if brk := v.Finish(seq, hash); brk != nil {
				t.Errorf("audit chain of %s broken: %+v", o.Slug, brk)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestJSONBackupRoundTrip exports each engine and restores into each engine:
// the restored database exports the very same rows, and its chains verify.
func TestJSONBackupRoundTrip(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, src *sqldb.DB) {
		bkSeed(t, src)
		backup := bkExport(t, src)
		h, want := bkTables(t, backup)
		if h.Format != sqldb.BackupFormat || h.Dialect != src.Dialect || h.SchemaVersion < 1 {
			t.Fatalf("header %+v", h)
		}
		if want["sessions"] != "" || want["setup_tokens"] != "" || strings.Count(want["objectives"], "\n") != 10 {
			t.Fatalf("unexpected tables: %v", want)
		}
		sqldbtest.Each(t, func(t *testing.T, dst *sqldb.DB) {
			stats, err := dst.RestoreJSON(context.Background(), bytes.NewReader(backup))
			if err != nil {
				t.Fatal(err)
			}
			if stats.Rows == 0 || stats.Tables[0].Table != "organizations" {
				t.Fatalf("stats %+v", stats)
			}
			_, got := bkTables(t, bkExport(t, dst))
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("restored rows differ:\n%v\nwant:\n%v", got, want)
			}
			bkVerify(t, dst)
			// Restoring over data is refused, and changes nothing.
			_, err = dst.RestoreJSON(context.Background(), bytes.NewReader(backup))
			if caio.ErrorCode(err) != caio.ECONFLICT {
				t.Fatalf("restore over data: %v", err)
			}
		})
	})
}

// bkGzip compresses a handmade backup.
func bkGzip(s string) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(s))
	zw.Close()
	return buf.Bytes()
}

const bkHead = `{"format":"caio-backup","version":1,"schema_version":1,"dialect":"sqlite","created_at":"2027-01-01T00:00:00.000000Z","tables":[`

// TestRestoreIsAllOrNothing restores a backup whose last row breaks a
// foreign key: nothing of it stays.
func TestRestoreIsAllOrNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		doc := bkHead + `
{"name":"organizations","columns":["id","slug","name","created_at","updated_at"],"rows":[["org_1","one","One","2027-01-01T00:00:00.000000Z","2027-01-01T00:00:00.000000Z"]]},
{"name":"memberships","columns":["org_id","user_id","role","created_at"],"rows":[["org_1","usr_missing","owner","2027-01-01T00:00:00.000000Z"]]}]}`
		if _, err := db.RestoreJSON(context.Background(), bytes.NewReader(bkGzip(doc))); err == nil {
			t.Fatal("a membership of a missing user was restored")
		}
		err := db.Read(context.Background(), func(c *sqldb.Conn) error {
			n, err := c.CountOrgs(context.Background())
			if n != 0 {
				t.Errorf("%d organisations left behind by a failed restore", n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		// A column this database does not have is named in the error.
		doc = bkHead + `{"name":"organizations","columns":["id","colour"],"rows":[["org_1","red"]]}]}`
		_, err = db.RestoreJSON(context.Background(), bytes.NewReader(bkGzip(doc)))
		if caio.ErrorCode(err) != caio.EINVALID || !strings.Contains(err.Error(), "colour") {
			t.Fatalf("unknown column: %v", err)
		}
		// A number where text belongs.
		doc = bkHead + `{"name":"organizations","columns":["id","slug","name","created_at","updated_at"],"rows":[["org_1","one",7,"a","b"]]}]}`
		_, err = db.RestoreJSON(context.Background(), bytes.NewReader(bkGzip(doc)))
		if caio.ErrorCode(err) != caio.EINVALID {
			t.Fatalf("a number for a name: %v", err)
		}
	})
}

func TestReadBackupRefusesMalformed(t *testing.T) {
	orgs := `{"name":"organizations","columns":["id","slug"],"rows":[["a","b"]]}`
	users := `{"name":"users","columns":["id"],"rows":[]}`
	for name, doc := range map[string]string{
		"empty":               ``,
		"not an object":       `[]`,
		"wrong format":        strings.Replace(bkHead, "caio-backup", "other", 1) + `]}`,
		"future version":      strings.Replace(bkHead, `"version":1`, `"version":2`, 1) + `]}`,
		"no schema version":   strings.Replace(bkHead, `"schema_version":1`, `"schema_version":0`, 1) + `]}`,
		"unknown dialect":     strings.Replace(bkHead, `"sqlite"`, `"oracle"`, 1) + `]}`,
		"tables first":        `{"tables":[],"format":"caio-backup"}`,
		"truncated":           bkHead + orgs,
		"trailing data":       bkHead + orgs + `]} {}`,
		"unknown table":       bkHead + `{"name":"sessions","columns":["id"],"rows":[]}]}`,
		"tables out of order": bkHead + users + `,` + orgs + `]}`,
		"table twice":         bkHead + orgs + `,` + orgs + `]}`,
		"short row":           bkHead + `{"name":"organizations","columns":["id","slug"],"rows":[["a"]]}]}`,
		"long row":            bkHead + `{"name":"organizations","columns":["id","slug"],"rows":[["a","b","c"]]}]}`,
		"boolean value":       bkHead + `{"name":"organizations","columns":["id","slug"],"rows":[["a",true]]}]}`,
		"nested value":        bkHead + `{"name":"organizations","columns":["id","slug"],"rows":[["a",["b"]]]}]}`,
		"bad column name":     bkHead + `{"name":"organizations","columns":["id","slug; DROP TABLE users"],"rows":[]}]}`,
		"repeated column":     bkHead + `{"name":"organizations","columns":["id","id"],"rows":[]}]}`,
		"fields out of order": bkHead + `{"columns":["id"],"name":"organizations","rows":[]}]}`,
		"field after rows":    bkHead + `{"name":"organizations","columns":["id"],"rows":[],"x":1}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := sqldb.ReadBackup(bytes.NewReader(bkGzip(doc)), func(string, []string, []any) error { return nil })
			if caio.ErrorCode(err) != caio.EINVALID {
				t.Fatalf("got %v, want an EINVALID error", err)
			}
		})
	}
	if _, err := sqldb.ReadBackup(strings.NewReader(bkHead+`]}`), nil); caio.ErrorCode(err) != caio.EINVALID {
		t.Fatalf("JSON that is not gzip'd: %v", err)
	}
	var rows int
	if _, err := sqldb.ReadBackup(bytes.NewReader(bkGzip(bkHead+orgs+","+users+`]}`)), func(string, []string, []any) error { rows++; return nil }); err != nil || rows != 1 {
		t.Fatalf("a well-formed backup: %v, %d rows", err, rows)
	}
}

// TestBackupTablesCoverSchema fails when a migration adds a table that the
// JSON backup neither holds nor leaves out on purpose.
func TestBackupTablesCoverSchema(t *testing.T) {
	db := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	raw, err := sql.Open("sqlite", db.Path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	rows, err := raw.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	known := append(sqldb.BackupTables(), sqldb.NotBackedUp...)
	for rows.Next() {
		var name string
		rows.Scan(&name)
		if !slices.Contains(known, name) {
			t.Errorf("table %s is neither in sqldb.BackupTables nor in sqldb.NotBackedUp: decide whether backups hold it", name)
		}
	}
}

func TestSQLiteBackupRestore(t *testing.T) {
	ctx := context.Background()
	src := sqldbtest.Open(t, sqldb.SQLite, sqldbtest.Options{})
	bkSeed(t, src)
	file := t.TempDir() + "/copy.db"
	if err := src.BackupSQLite(ctx, file); err != nil {
		t.Fatal(err)
	}
	if err := src.BackupSQLite(ctx, file); caio.ErrorCode(err) != caio.ECONFLICT {
		t.Fatalf("a backup overwrote a file: %v", err)
	}
	dir := t.TempDir()
	if err := sqldb.RestoreSQLiteFile(ctx, file, dir, false); err != nil {
		t.Fatal(err)
	}
	if err := sqldb.RestoreSQLiteFile(ctx, file, dir, false); caio.ErrorCode(err) != caio.ECONFLICT {
		t.Fatalf("a restore replaced a database without --force: %v", err)
	}
	dst, err := sqldb.Open(ctx, sqldb.Config{DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	_, want := bkTables(t, bkExport(t, src))
	_, got := bkTables(t, bkExport(t, dst))
	if !reflect.DeepEqual(got, want) {
		t.Fatal("the restored SQLite copy differs")
	}
	bkVerify(t, dst)
}

func TestGenerate(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: 2500, PasswordHash: "x"})
		if err != nil {
			t.Fatal(err)
		}
		if st.Orgs != 2 || st.Objectives != 2500 || st.AuditEvents != 2504 || st.FirstSlug != "bench-001" || st.LastSlug != "bench-002" {
			t.Fatalf("stats %+v", st)
		}
		// ... one objective counter per organisation, and as many AI systems
		// as objectives with their counters.
		if st.Systems != 2500 || st.Rows != int64(2+2+2+2+2500+2504+2+2500+2) {
			t.Fatalf("rows %d, systems %d", st.Rows, st.Systems)
		}
		// The kept count is what an unfiltered list reports as its total.
		err = db.Read(ctx, func(c *sqldb.Conn) error {
			o, err := c.OrgBySlug(ctx, "bench-001")
			if err != nil {
				return err
			}
			_, total, err := c.Objectives(ctx, o.ID, caio.ObjectiveFilter{Page: caio.Page{Limit: 10}})
			if err == nil && total != 1250 {
				t.Errorf("bench-001 lists a total of %d objectives, want 1250", total)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		bkVerify(t, db)
		st, err = db.Generate(ctx, sqldb.GenerateOptions{Scale: 7, PasswordHash: "x"})
		if err != nil || st.FirstSlug != "bench-003" || st.Objectives != 7 {
			t.Fatalf("second run: %+v, %v", st, err)
		}
		bkVerify(t, db)
	})
}

// FuzzReadBackup feeds the restore reader arbitrary bytes, raw and gzip'd:
// it must return an EINVALID error or succeed, and never panic.
func FuzzReadBackup(f *testing.F) {
	valid := bkHead + `{"name":"organizations","columns":["id","slug"],"rows":[["a","b"],[null,1.5e3]]},{"name":"users","columns":["id"],"rows":[]}]}`
	for _, s := range []string{valid, bkHead + `]}`, `{}`, `{"format":"caio-backup"`, bkHead + `{"name":"objectives","columns":["x"],"rows":[[`} {
		f.Add([]byte(s))
		f.Add(bkGzip(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, in := range [][]byte{data, bkGzip(string(data))} {
			_, err := sqldb.ReadBackup(bytes.NewReader(in), func(table string, cols []string, row []any) error {
				if len(row) != len(cols) || !slices.Contains(sqldb.BackupTables(), table) {
					t.Fatalf("a bad row got through: %s %v %v", table, cols, row)
				}
				return nil
			})
			if err != nil && caio.ErrorCode(err) != caio.EINVALID {
				t.Fatalf("want EINVALID, got %v", err)
			}
		}
	})
}
