package app_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/tabular"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// benchOrg is an organisation of 10,000 generated AI systems on SQLite.
func benchOrg(b *testing.B) (*app.App, context.Context) {
	db := sqldbtest.Open(b, sqldb.SQLite, sqldbtest.Options{})
	ctx := context.Background()
	st, err := db.Generate(ctx, sqldb.GenerateOptions{Scale: 1, Systems: 10000, PasswordHash: "unused"})
	if err != nil {
		b.Fatal(err)
	}
	a := app.New(db, nil)
	sys, err := a.SystemActor(ctx, st.FirstSlug)
	if err != nil {
		b.Fatal(err)
	}
	return a, caio.WithActor(ctx, sys)
}

// BenchmarkExportSystemsXLSX exports 10,000 AI systems to XLSX, read 500 at a time.
func BenchmarkExportSystemsXLSX(b *testing.B) {
	a, ctx := benchOrg(b)
	b.ResetTimer()
	for range b.N {
		w, _ := tabular.NewWriter(tabular.XLSX, io.Discard, "AI systems", app.SystemExport.Columns)
		n, err := app.SystemExport.Each(func(p caio.Page) ([]*caio.AISystem, int, error) {
			return a.FindSystems(ctx, caio.AISystemFilter{Sort: "-created", Page: p})
		}, w.Write)
		if err != nil || n < 10000 {
			b.Fatal(n, err)
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkImportSystemsCSV imports 2,000 new AI systems from CSV in one
// all-or-nothing transaction, into an organisation of 10,000 (each row is
// matched by name against them first); then imports a file updating those
// 2,000 (each row matched, read, changed and audited).
func BenchmarkImportSystemsCSV(b *testing.B) {
	file := func(run int, owner string) []byte {
		var sb strings.Builder
		sb.WriteString("Name,Stage,Owner,Countries\n")
		for i := range 2000 {
			fmt.Fprintf(&sb, "Imported system %d-%d,production,%s %d,DE;FR\n", run, i, owner, i%17)
		}
		return []byte(sb.String())
	}
	a, ctx := benchOrg(b)
	b.Run("create", func(b *testing.B) {
		run := 0
		for b.Loop() {
			run++
			res, err := a.ImportFile(ctx, "systems", "s.csv", file(run, "Owner"), nil, caio.ImportAll, false)
			if err != nil || res.Created != 2000 {
				b.Fatal(res, err)
			}
		}
	})
	b.Run("update", func(b *testing.B) {
		run := 0
		for b.Loop() {
			run++
			res, err := a.ImportFile(ctx, "systems", "s.csv", file(1, fmt.Sprintf("Owner v%d", run)), nil, caio.ImportAll, false)
			if err != nil || res.Updated != 2000 {
				b.Fatal(res, err)
			}
		}
	})
}
