package mcp_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// fuzzTools are the tools FuzzToolArguments calls, by index.
var fuzzTools = []string{"search_systems", "get_system", "search_use_cases", "search_risks", "search_obligations",
	"search_incidents", "list_advice", "classify_profile", "draft_use_case", "draft_incident"}

// FuzzToolArguments calls tools with arbitrary JSON arguments as an editor.
// Every call must end in a result or a tool error that is not internal, a
// draft must write exactly one audit event and a refusal none, and the
// session must go on.
//
//	go test ./internal/mcp -run '^$' -fuzz FuzzToolArguments -fuzztime 30s
func FuzzToolArguments(f *testing.F) {
	for _, seed := range []struct {
		tool uint8
		args string
	}{
		{0, `{"query":"claims","class":"high_risk","limit":5}`},
		{0, `{"query":"a\u0000b"}`},
		{0, `{"deadline_before":"2027-02-30","sort":"name"}`},
		{0, `{"limit":-1,"offset":-5}`},
		{1, `{"id":"sys_\u0000"}`},
		{1, `{"id":"` + strings.Repeat("x", 5000) + `"}`},
		{2, `{"stage":"idea","sort":"priority","intake":"submitted"}`},
		{3, `{"breach":true,"overdue":false,"library":"owasp-llm"}`},
		{4, `{"system_id":"sys_1","framework":"eu-ai-act","overdue":true}`},
		{5, `{"serious":true,"sort":"due"}`},
		{6, `{"mine":true,"state":"snoozed"}`},
		{7, `{"roles":["deployer"],"annex_iii":["4(a)"],"facts":{"scope.eu_nexus":true}}`},
		{7, `{"roles":["king"],"facts":{"\u0000":true},"training_flop":1e400}`},
		{8, `{"title":"Summarise complaints","approach":"generative","objective_ids":["obj_x"]}`},
		{8, `{"title":"é` + strings.Repeat("é", 300) + `"}`},
		{9, `{"title":"Leak","aware_at":"2026-11-20T10:00","severity":"high","harms":["health","health"]}`},
		{9, `{"title":"Later","aware_at":"9999-12-31","severity":"low","occurred_at":"0001-01-01"}`},
		{9, `{}`}, {0, `[]`}, {0, `null`}, {0, `"x"`},
	} {
		f.Add(seed.tool, seed.args)
	}
	logs := &servertest.LogBuffer{}
	s := servertest.NewWith(f, sqldbtest.Open(f, sqldb.SQLite, sqldbtest.Options{}), servertest.Options{Log: logs})
	org := s.NewOrg(f, "acme")
	s.NewSystem(f, org, "Claims triage")
	cs := connectTB(f, s, as(org, caio.RoleEditor))
	f.Fuzz(func(t *testing.T, tool uint8, args string) {
		if !json.Valid([]byte(args)) {
			return
		}
		name := fuzzTools[int(tool)%len(fuzzTools)]
		logs.Take()
		before := auditCount(t, s, org)
		res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: json.RawMessage(args)})
		after := auditCount(t, s, org)
		if l := logs.Take(); l != "" {
			t.Fatalf("%s %s logged: %s", name, args, l)
		}
		switch {
		case err != nil:
			if strings.Contains(err.Error(), "closed") {
				t.Fatalf("%s %s ended the session: %v", name, args, err)
			}
		case res.IsError:
			if msg := text(res); strings.Contains(msg, "internal") {
				t.Fatalf("%s %s: %s", name, args, msg)
			}
			if after != before {
				t.Fatalf("%s %s failed but wrote %d audit events", name, args, after-before)
			}
		case strings.HasPrefix(name, "draft_") && after != before+1:
			t.Fatalf("%s %s wrote %d audit events, want 1", name, args, after-before)
		case !strings.HasPrefix(name, "draft_") && after != before:
			t.Fatalf("%s %s changed the audit trail", name, args)
		}
		if err := cs.Ping(context.Background(), nil); err != nil {
			t.Fatalf("the session died after %s %s: %v", name, args, err)
		}
	})
}
