package mcp_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// BenchmarkSearchSystems measures one search_systems call of a page of 20
// out of 500 systems, through the official client over in-memory
// transports: the protocol, schema validation and the service together.
//
//	go test ./internal/mcp -run '^$' -bench SearchSystems
func BenchmarkSearchSystems(b *testing.B) {
	s := servertest.New(b, sqldbtest.Open(b, sqldb.SQLite, sqldbtest.Options{}))
	org := s.NewOrg(b, "acme")
	for i := range 500 {
		s.NewSystem(b, org, fmt.Sprintf("System %03d", i))
	}
	cs := connectTB(b, s, as(org, caio.RoleViewer))
	args := map[string]any{"query": "system", "sort": "name"}
	b.Run("mcp", func(b *testing.B) {
		for b.Loop() {
			res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: "search_systems", Arguments: args})
			if err != nil || res.IsError {
				b.Fatal(err, res)
			}
		}
	})
	// The service alone, for comparison: what the protocol adds is the
	// difference.
	b.Run("service", func(b *testing.B) {
		q := "system"
		for b.Loop() {
			if _, _, err := s.App.FindSystems(as(org, caio.RoleViewer), caio.AISystemFilter{Query: &q, Sort: "name", Page: caio.Page{Limit: 20}}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
