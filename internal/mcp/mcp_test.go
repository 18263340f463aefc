package mcp_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/mcp"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// connect opens a session of the official SDK's client with the server
// over in-memory transports, as the actor a transport would have put in
// the context.
func connect(t *testing.T, s *servertest.Server, ctx context.Context) *sdk.ClientSession {
	t.Helper()
	return connectTB(t, s, ctx)
}

func connectTB(t testing.TB, s *servertest.Server, ctx context.Context) *sdk.ClientSession {
	t.Helper()
	srv := mcp.New(s.App, mcp.Options{})
	ct, st := sdk.NewInMemoryTransports()
	ss, err := srv.Connect(ctx, st, nil)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := sdk.NewClient(&sdk.Implementation{Name: "test", Version: "1"}, nil).Connect(context.Background(), ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close(); ss.Wait() })
	return cs
}

// as returns a context acting as the member of org with the role.
func as(org *servertest.Org, r caio.Role) context.Context {
	return caio.WithActor(context.Background(), org.Members[r].Actor(org))
}

// call calls a tool that must succeed and decodes its structured output.
func call[T any](t *testing.T, cs *sdk.ClientSession, name string, args any) T {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if res.IsError {
		t.Fatalf("%s failed: %s", name, text(res))
	}
	if len(res.Content) < 2 || !strings.HasPrefix(res.Content[1].(*sdk.TextContent).Text, "{") {
		t.Fatalf("%s: want a sentence and the JSON in the content, got %s", name, text(res))
	}
	var out T
	b, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatalf("%s: structured content %s: %v", name, b, err)
	}
	return out
}

// callFail calls a tool that must fail and returns its message.
func callFail(t *testing.T, cs *sdk.ClientSession, name string, args any) string {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &sdk.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: a protocol error instead of a tool error: %v", name, err)
	}
	if !res.IsError {
		t.Fatalf("%s succeeded, want an error: %s", name, text(res))
	}
	return text(res)
}

func text(res *sdk.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*sdk.TextContent); ok {
			b.WriteString(tc.Text)
			b.WriteString("\n")
		}
	}
	return b.String()
}

// fixture is an organisation's objects the tests look for.
type fixture struct {
	sys      *caio.AISystem
	control  *caio.Control
	useCase  *caio.UseCase
	risk     *caio.Risk
	incident *caio.Incident
}

func newFixture(t *testing.T, s *servertest.Server, org *servertest.Org, name string) fixture {
	t.Helper()
	k := s.NewControl(t, org, name+" CV screener")
	f := fixture{control: k}
	var err error
	if f.sys, err = s.App.FindSystem(org.Sys, k.SystemID); err != nil {
		t.Fatal(err)
	}
	f.useCase = s.NewUseCase(t, org, name+" claims triage", nil, []string{k.SystemID})
	if f.risk, err = s.App.CreateRisk(org.Sys, caio.RiskInput{Title: name + " biased shortlists", Category: "owasp-llm:LLM01",
		Likelihood: 4, Impact: 4, Owner: "HR lead", Systems: []string{k.SystemID}}); err != nil {
		t.Fatal(err)
	}
	if f.incident, err = s.App.CreateIncident(org.Sys, caio.IncidentInput{Title: name + " wrong rejections", AwareAt: "2026-11-20T09:00:00Z",
		Severity: "high", Harms: []string{"fundamental_rights"}, Systems: []string{k.SystemID}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func TestReadTools(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		alpha := s.NewOrg(t, "alpha")
		a := newFixture(t, s, alpha, "Alpha")
		cs := connect(t, s, as(alpha, caio.RoleViewer))

		tools, err := cs.ListTools(context.Background(), nil)
		if err != nil {
			t.Fatal(err)
		}
		names := map[string]*sdk.Tool{}
		for _, tl := range tools.Tools {
			names[tl.Name] = tl
			if tl.Description == "" || tl.Annotations == nil {
				t.Errorf("%s has no description or annotations", tl.Name)
			}
		}
		for _, n := range []string{"search_systems", "get_system", "search_use_cases", "get_use_case", "search_risks", "get_risk",
			"search_obligations", "search_incidents", "get_incident", "list_advice", "classify_profile", "euaiact_questions"} {
			if tl := names[n]; tl == nil || !tl.Annotations.ReadOnlyHint {
				t.Errorf("%s missing or not read-only: %+v", n, tl)
			}
		}
		for _, n := range []string{"draft_use_case", "draft_incident"} {
			if tl := names[n]; tl == nil || tl.Annotations.ReadOnlyHint {
				t.Errorf("%s missing or marked read-only", n)
			}
		}

		sys := call[mcp.SystemsOut](t, cs, "search_systems", map[string]any{"query": "screener", "class": "high_risk"})
		if sys.Total != 1 || len(sys.Items) != 1 || sys.Items[0].ID != a.sys.ID || sys.Items[0].Class != "high_risk" || sys.Limit != 20 {
			t.Fatalf("search_systems: %+v", sys)
		}
		if got := call[mcp.SystemsOut](t, cs, "search_systems", map[string]any{"limit": 1, "offset": 1}); got.Total != 1 || len(got.Items) != 0 {
			t.Fatalf("second page: %+v", got)
		}
		one := call[mcp.SystemOut](t, cs, "get_system", map[string]any{"id": a.sys.ID})
		if one.System.Name != a.sys.Name || one.Classification == nil || one.Classification.Class != "high_risk" ||
			len(one.Classification.Reasons) == 0 || one.Obligations.Total == 0 {
			t.Fatalf("get_system: %+v %+v", one, one.Classification)
		}

		ucs := call[mcp.UseCasesOut](t, cs, "search_use_cases", map[string]any{"system_id": a.sys.ID})
		if ucs.Total != 1 || ucs.Items[0].ID != a.useCase.ID {
			t.Fatalf("search_use_cases: %+v", ucs)
		}
		uc := call[mcp.UseCaseOut](t, cs, "get_use_case", map[string]any{"id": a.useCase.ID})
		if uc.UseCase.Title != a.useCase.Title || uc.Score.Risk == 0 {
			t.Fatalf("get_use_case: %+v", uc)
		}

		risks := call[mcp.RisksOut](t, cs, "search_risks", map[string]any{"system_id": a.sys.ID, "library": "owasp-llm"})
		if risks.Total != 1 || risks.Items[0].Score != 16 {
			t.Fatalf("search_risks: %+v", risks)
		}
		risk := call[caio.Risk](t, cs, "get_risk", map[string]any{"id": a.risk.ID})
		if risk.Title != a.risk.Title || len(risk.Links) != 1 {
			t.Fatalf("get_risk: %+v", risk)
		}

		obl := call[mcp.ObligationsOut](t, cs, "search_obligations", map[string]any{"system_id": a.sys.ID, "framework": "eu-ai-act", "limit": 100})
		found := false
		for _, k := range obl.Items {
			found = found || k.ID == a.control.ID && k.Item != "" && k.SystemName == a.sys.Name
		}
		if obl.Total == 0 || !found {
			t.Fatalf("search_obligations lacks the Art 4 control: %+v", obl)
		}

		incs := call[mcp.IncidentsOut](t, cs, "search_incidents", map[string]any{"serious": true})
		if incs.Total != 1 || incs.Items[0].ID != a.incident.ID || len(incs.Items[0].Systems) != 1 || incs.Items[0].ReportDue == nil {
			t.Fatalf("search_incidents: %+v", incs)
		}
		inc := call[caio.Incident](t, cs, "get_incident", map[string]any{"id": a.incident.ID})
		if inc.Title != a.incident.Title || !inc.Serious {
			t.Fatalf("get_incident: %+v", inc)
		}

		adv := call[mcp.AdviceOut](t, cs, "list_advice", map[string]any{"limit": 5})
		if adv.Total == 0 || len(adv.Items) == 0 || len(adv.Items) > 5 || adv.Items[0].Reason == "" {
			t.Fatalf("list_advice: %+v", adv)
		}

		res := call[euaiact.Result](t, cs, "classify_profile", servertest.HighRiskProfile())
		if res.Class != "high_risk" || len(res.Obligations) == 0 || res.Trace != nil {
			t.Fatalf("classify_profile: class %s, %d obligations, trace %v", res.Class, len(res.Obligations), res.Trace != nil)
		}
		traced := map[string]any{"roles": []string{"deployer"}, "annex_iii": []string{"4(a)"}, "include_trace": true}
		if res := call[euaiact.Result](t, cs, "classify_profile", traced); len(res.Trace) == 0 || !res.Provisional {
			t.Fatalf("classify_profile with the trace: %+v", res)
		}
		qs := call[mcp.QuestionsOut](t, cs, "euaiact_questions", map[string]any{})
		if len(qs.Sections) == 0 || len(qs.AnnexIII) == 0 || qs.Sections[0].Facts[0].Question == "" {
			t.Fatalf("euaiact_questions: %+v", qs)
		}

		// Classifying saved nothing: the audit trail holds what the fixture did, no more.
		before := auditCount(t, s, alpha)
		call[euaiact.Result](t, cs, "classify_profile", servertest.HighRiskProfile())
		if after := auditCount(t, s, alpha); after != before {
			t.Fatalf("classify_profile wrote %d audit events", after-before)
		}

		// Errors are tool errors with the service's words, and the session goes on.
		if msg := callFail(t, cs, "get_system", map[string]any{"id": "sys_nope"}); !strings.Contains(msg, "not_found") {
			t.Fatalf("get_system of a missing id: %s", msg)
		}
		if msg := callFail(t, cs, "search_systems", map[string]any{"deadline_before": "soon"}); !strings.Contains(msg, "deadline_before") {
			t.Fatalf("a bad filter must name its field: %s", msg)
		}
		if msg := callFail(t, cs, "classify_profile", map[string]any{"facts": map[string]bool{"no.such_fact": true}}); !strings.Contains(msg, "no.such_fact") {
			t.Fatalf("an unknown fact must be named: %s", msg)
		}
		if msg := callFail(t, cs, "search_risks", map[string]any{"limit": 1000}); !strings.Contains(msg, "limit") {
			t.Fatalf("a limit over 100: %s", msg)
		}
		if msg := callFail(t, cs, "search_systems", map[string]any{"query": "a\x00b"}); !strings.Contains(msg, "query must not contain the NUL") {
			t.Fatalf("NUL in a search: %s", msg)
		}
		if msg := callFail(t, cs, "get_system", map[string]any{"id": a.sys.ID + "\x00"}); !strings.Contains(msg, "id must not contain the NUL") {
			t.Fatalf("NUL in an id: %s", msg)
		}
		if got := call[mcp.SystemsOut](t, cs, "search_systems", map[string]any{}); got.Total != 1 {
			t.Fatalf("the session broke after errors: %+v", got)
		}
	})
}

func auditCount(t testing.TB, s *servertest.Server, org *servertest.Org) int {
	t.Helper()
	_, n, err := s.App.FindAuditEvents(org.Sys, caio.AuditFilter{Page: caio.Page{Limit: 1}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestDraftsFollowRoles shows that drafting needs the API's permissions:
// contribute for a use case, edit for an incident; that drafts are audited
// under the member's name; and that bad input names its fields.
func TestDraftsFollowRoles(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		alpha := s.NewOrg(t, "alpha")
		sys := s.NewSystem(t, alpha, "Chat assistant")
		useCase := map[string]any{"title": "Summarise complaints", "problem": "Agents read long threads", "approach": "generative", "system_ids": []string{sys.ID}}
		incident := map[string]any{"title": "Assistant leaked a customer address", "aware_at": "2026-11-25T10:00", "severity": "high",
			"harms": []string{"fundamental_rights"}, "systems": []string{sys.ID}}

		viewer := connect(t, s, as(alpha, caio.RoleViewer))
		if msg := callFail(t, viewer, "draft_use_case", useCase); !strings.Contains(msg, "forbidden") || !strings.Contains(msg, "viewer") {
			t.Fatalf("a viewer drafted a use case: %s", msg)
		}
		if msg := callFail(t, viewer, "draft_incident", incident); !strings.Contains(msg, "forbidden") {
			t.Fatalf("a viewer drafted an incident: %s", msg)
		}

		contributor := connect(t, s, as(alpha, caio.RoleContributor))
		uc := call[mcp.DraftUseCaseOut](t, contributor, "draft_use_case", useCase)
		if uc.UseCase.Stage != "idea" || uc.UseCase.Intake != caio.IntakeSubmitted || uc.Link != "/usecases/"+uc.ID || len(uc.UseCase.SystemIDs) != 1 {
			t.Fatalf("draft_use_case: %+v", uc.UseCase)
		}
		wantAudit(t, s, alpha, "use_case.create", uc.ID, alpha.Members[caio.RoleContributor].Email)
		if msg := callFail(t, contributor, "draft_incident", incident); !strings.Contains(msg, "forbidden") {
			t.Fatalf("a contributor drafted an incident: %s", msg)
		}
		if msg := callFail(t, contributor, "draft_use_case", map[string]any{"title": " ", "approach": "generative"}); !strings.Contains(msg, "title is required") {
			t.Fatalf("a blank title must be named: %s", msg)
		}
		if msg := callFail(t, contributor, "draft_use_case", map[string]any{"title": "Links", "system_ids": []string{"sys_01KB0000000000000000000000"}}); !strings.Contains(msg, "system_ids") {
			t.Fatalf("a missing system must be named: %s", msg)
		}

		editor := connect(t, s, as(alpha, caio.RoleEditor))
		if uc := call[mcp.DraftUseCaseOut](t, editor, "draft_use_case", useCase); uc.UseCase.Intake != caio.IntakeAccepted {
			t.Fatalf("an editor's use case waits in triage: %+v", uc.UseCase)
		}
		inc := call[mcp.DraftIncidentOut](t, editor, "draft_incident", incident)
		if inc.Incident.Status != "open" || !inc.Incident.Serious || inc.Incident.ReportDue == nil || len(inc.Incident.Systems) != 1 {
			t.Fatalf("draft_incident: %+v", inc.Incident)
		}
		wantAudit(t, s, alpha, "incident.create", inc.ID, alpha.Members[caio.RoleEditor].Email)
		if msg := callFail(t, editor, "draft_incident", map[string]any{"title": "x", "aware_at": "yesterday", "severity": "high"}); !strings.Contains(msg, "aware_at") {
			t.Fatalf("a bad time must be named: %s", msg)
		}

		// Without an actor (a transport that authenticated nobody) nothing is served.
		nobody := connect(t, s, context.Background())
		if msg := callFail(t, nobody, "search_systems", map[string]any{}); !strings.Contains(msg, "unauthorized") {
			t.Fatalf("an anonymous session: %s", msg)
		}
	})
}

func wantAudit(t *testing.T, s *servertest.Server, org *servertest.Org, action, id, actor string) {
	t.Helper()
	evs, _, err := s.App.FindAuditEvents(org.Sys, caio.AuditFilter{ObjectID: &id, Page: caio.Page{Limit: 10}})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range evs {
		if e.Action == action && e.Actor == actor {
			return
		}
	}
	t.Fatalf("no %s event of %s by %s among %+v", action, id, actor, evs)
}

// TestTenancy shows that a member of one organisation neither sees nor
// reads nor links to another organisation's objects through any tool or
// resource.
func TestTenancy(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		alpha := s.NewOrg(t, "alpha")
		bravo := s.NewOrg(t, "bravo")
		a := newFixture(t, s, alpha, "Alpha")
		newFixture(t, s, bravo, "Bravo")
		cs := connect(t, s, as(bravo, caio.RoleOwner))

		for _, tc := range []struct {
			tool string
			args map[string]any
		}{
			{"search_systems", map[string]any{"query": "Alpha"}},
			{"search_use_cases", map[string]any{"query": "Alpha"}},
			{"search_risks", map[string]any{"query": "Alpha"}},
			{"search_incidents", map[string]any{"query": "Alpha"}},
		} {
			if out := call[map[string]any](t, cs, tc.tool, tc.args); out["total"].(float64) != 0 {
				t.Errorf("%s shows another organisation's objects: %v", tc.tool, out)
			}
		}
		obl := call[mcp.ObligationsOut](t, cs, "search_obligations", map[string]any{"system_id": a.sys.ID})
		if obl.Total != 0 {
			t.Errorf("search_obligations shows alpha's controls: %+v", obl)
		}
		for tool, id := range map[string]string{"get_system": a.sys.ID, "get_use_case": a.useCase.ID, "get_risk": a.risk.ID, "get_incident": a.incident.ID} {
			if msg := callFail(t, cs, tool, map[string]any{"id": id}); !strings.Contains(msg, "not_found") {
				t.Errorf("%s of alpha's object: %s", tool, msg)
			}
		}
		msg := callFail(t, cs, "draft_use_case", map[string]any{"title": "Borrow alpha's system", "system_ids": []string{a.sys.ID}})
		if !strings.Contains(msg, "system_ids") {
			t.Errorf("bravo linked alpha's system: %s", msg)
		}
		adv := call[mcp.AdviceOut](t, cs, "list_advice", map[string]any{"limit": 100})
		for _, x := range adv.Items {
			if strings.Contains(x.ObjectName, "Alpha") {
				t.Errorf("advice about alpha's %s", x.ObjectName)
			}
		}
		_, err := cs.ReadResource(context.Background(), &sdk.ReadResourceParams{URI: "caio://reports/system-card/" + a.sys.ID})
		if err == nil || !strings.Contains(strings.ToLower(err.Error()), "not found") {
			t.Errorf("bravo read alpha's system card: %v", err)
		}
		board, err := cs.ReadResource(context.Background(), &sdk.ReadResourceParams{URI: "caio://reports/board"})
		if err != nil || strings.Contains(board.Contents[0].Text, "Alpha") {
			t.Errorf("bravo's board report: %v", err)
		}
	})
}

func TestReportResources(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		alpha := s.NewOrg(t, "alpha")
		a := newFixture(t, s, alpha, "Alpha")
		cs := connect(t, s, as(alpha, caio.RoleViewer))
		ctx := context.Background()

		list, err := cs.ListResources(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		uris := map[string]bool{}
		for _, r := range list.Resources {
			uris[r.URI] = r.MIMEType == "text/markdown"
		}
		for _, k := range []string{"board", "strategy", "portfolio", "euaiact", "handover"} {
			if !uris["caio://reports/"+k] {
				t.Errorf("no Markdown resource caio://reports/%s in %v", k, uris)
			}
		}
		tpls, err := cs.ListResourceTemplates(ctx, nil)
		if err != nil || len(tpls.ResourceTemplates) != 1 || tpls.ResourceTemplates[0].URITemplate != "caio://reports/system-card/{id}" {
			t.Fatalf("templates: %+v, %v", tpls, err)
		}

		for _, k := range []string{"board", "strategy", "portfolio", "euaiact", "handover"} {
			r, err := cs.ReadResource(ctx, &sdk.ReadResourceParams{URI: "caio://reports/" + k})
			if err != nil {
				t.Fatalf("read %s: %v", k, err)
			}
			if c := r.Contents[0]; c.MIMEType != "text/markdown" || !strings.HasPrefix(c.Text, "# ") {
				t.Fatalf("%s is not Markdown: %.200q", k, c.Text)
			}
		}
		card, err := cs.ReadResource(ctx, &sdk.ReadResourceParams{URI: "caio://reports/system-card/" + a.sys.ID})
		if err != nil || !strings.Contains(card.Contents[0].Text, a.sys.Name) {
			t.Fatalf("system card: %v", err)
		}
		if _, err := cs.ReadResource(ctx, &sdk.ReadResourceParams{URI: "caio://reports/system-card/sys_nope"}); err == nil {
			t.Fatal("a missing system's card was served")
		}
	})
}
