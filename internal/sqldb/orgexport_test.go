package sqldb_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// FuzzImportOrgJSON feeds the organisation importer arbitrary (gzip'd)
// documents: it must refuse them with a clear error or import them whole,
// and a refused import must leave no organisation behind.
func FuzzImportOrgJSON(f *testing.F) {
	db := sqldbtest.Open(f, sqldb.SQLite, sqldbtest.Options{})
	ctx := context.Background()
	st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: 3, Systems: 2, PasswordHash: "unused"})
	if err != nil {
		f.Fatal(err)
	}
	var orgID string
	if err := db.Read(ctx, func(c *sqldb.Conn) error {
		o, err := c.OrgBySlug(ctx, st.FirstSlug)
		if err == nil {
			orgID = o.ID
		}
		return err
	}); err != nil {
		f.Fatal(err)
	}
	var gz bytes.Buffer
	if _, err := db.ExportOrgJSON(ctx, orgID, &gz); err != nil {
		f.Fatal(err)
	}
	zr, _ := gzip.NewReader(&gz)
	plain, _ := io.ReadAll(zr)
	f.Add(plain)
	f.Add([]byte(`{"format":"caio-org-export","version":1,"schema_version":1,"org_id":"org_x","org_slug":"x","tables":[]}`))
	f.Add([]byte(`{"format":"caio-backup","version":1,"tables":[]}`))
	f.Add([]byte(`{"format":"caio-org-export","version":1,"schema_version":1,"org_id":"org_x","org_slug":"x","tables":[{"name":"organizations","columns":["id"],"rows":[["org_x"]]}]}`))
	n := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		n++
		slug := fmt.Sprintf("fz-%d", n)
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		_, err := db.ImportOrgJSON(ctx, &buf, slug, nil)
		if err == nil {
			return
		}
		switch caio.ErrorCode(err) {
		case caio.EINVALID, caio.ECONFLICT:
		default:
			// A database constraint the rows break is reported as it comes.
			if caio.ErrorCode(err) == caio.EINTERNAL && bytes.Contains(data, []byte(`"rows"`)) {
				break
			}
			t.Fatalf("error %v (%s)", err, caio.ErrorCode(err))
		}
		if err := db.Read(ctx, func(c *sqldb.Conn) error {
			if _, err := c.OrgBySlug(ctx, slug); caio.ErrorCode(err) != caio.ENOTFOUND {
				t.Fatalf("a refused import left organisation %s: %v", slug, err)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	})
}
