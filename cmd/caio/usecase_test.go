package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/finance"
	"github.com/caio-office/caio/internal/server/servertest"
)

func TestBusinessCaseCommand(t *testing.T) {
	e := emptyEnv(t) // businesscase needs no database
	example := filepath.Join("..", "..", "docs", "examples", "business-case.yaml")

	out := e.must("businesscase", example)
	for _, want := range []string{"EUR over 4 years", "pert, 10,000 trials, seed 2027", "NPV", "ROI", "Payback", "P10", "P50", "P90", "P(NPV < 0) =", "CUMULATIVE"} {
		if !strings.Contains(out, want) {
			t.Errorf("businesscase printed no %q:\n%s", want, out)
		}
	}
	if again := e.must("businesscase", example); again != out {
		t.Error("the same file and seed gave different output")
	}

	var res struct {
		Input  finance.Case   `json:"input"`
		Result finance.Result `json:"result"`
	}
	if err := json.Unmarshal([]byte(e.must("businesscase", "--format", "json", "--trials", "500", "--seed", "9", example)), &res); err != nil {
		t.Fatal(err)
	}
	if res.Result.Trials != 500 || res.Result.Seed != 9 || res.Input.HorizonYears != 4 || len(res.Input.Benefits) != 3 {
		t.Errorf("json: trials %d seed %d input %+v", res.Result.Trials, res.Result.Seed, res.Input)
	}
	// The figures are the engine's for the same case.
	want, err := finance.Simulate(res.Input)
	if err != nil {
		t.Fatal(err)
	}
	if want.NPV != res.Result.NPV || want.ProbLoss != res.Result.ProbLoss || want.Deterministic.NPV != res.Result.Deterministic.NPV {
		t.Errorf("NPV %+v, engine says %+v", res.Result.NPV, want.NPV)
	}
	if !(res.Result.NPV.P10 < res.Result.NPV.P50 && res.Result.NPV.P50 < res.Result.NPV.P90) {
		t.Errorf("NPV band %+v", res.Result.NPV)
	}

	// JSON on standard input; a mistake names its field and exits 1.
	bad := `{"horizon_years": 3, "one_off": [{"label": "Build", "low": 10, "likely": 20, "high": 30}],
	         "benefits": [{"label": "Hours", "low": 90, "likely": 50, "high": 60}]}`
	_, _, err = e.runIn(bad, "businesscase", "-")
	wantCode(t, err, caio.EINVALID)
	if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "benefits[0].low" {
		t.Errorf("low > high: %v", userMessage(err))
	}
	_, _, err = e.runIn("horizon_years: 3\nbenefit:\n  - label: x\n", "businesscase", "-")
	wantCode(t, err, caio.EINVALID)
	if !strings.Contains(userMessage(err), "benefit") {
		t.Errorf("unknown field: %v", userMessage(err))
	}
	_, _, err = e.runIn("horizon_years: three\n", "businesscase", "-")
	if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "horizon_years" {
		t.Errorf("wrong type: %v", err)
	}
	_, _, err = e.runIn("a: &x [1]\nb: *x\n", "businesscase", "-")
	wantCode(t, err, caio.EINVALID)
	_, _, err = e.run("businesscase", "--trials", "5", example)
	if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "trials" {
		t.Errorf("--trials 5: %v", err)
	}
	_, _, err = e.run("businesscase", "--format", "xml", example)
	wantCode(t, err, caio.EINVALID)
	_, _, err = e.run("businesscase", filepath.Join(t.TempDir(), "missing.yaml"))
	if err == nil || !os.IsNotExist(err) {
		t.Errorf("missing file: %v", err)
	}
}

// ucJSON runs a command with --format json and decodes the result into v.
func ucJSON(e *caioEnv, v any, args ...string) {
	e.t.Helper()
	if err := json.Unmarshal([]byte(e.must(append(args, "--format", "json")...)), v); err != nil {
		e.t.Fatal(err)
	}
}

func TestUseCaseCommands(t *testing.T) {
	e := newEnv(t)
	setupOrg(e)
	const org = "acme-bank"
	var obj caio.Objective
	ucJSON(e, &obj, "objective", "create", "--org", org, "--title", "Settle claims faster")

	// Create from flags, and from a file with a flag that overrides it.
	var u caio.UseCase
	ucJSON(e, &u, "usecase", "create", "--org", org, "--title", "Claims triage assistant", "--owner", "Head of Claims",
		"--sponsor", "COO", "--problem", "Simple claims wait days", "--approach", "generative", "--objective", obj.ID)
	if u.ID == "" || u.Stage != "idea" || u.Intake != caio.IntakeAccepted || !slices.Equal(u.ObjectiveIDs, []string{obj.ID}) {
		t.Fatalf("created %+v", u)
	}
	canvas := filepath.Join(t.TempDir(), "canvas.yaml")
	if err := os.WriteFile(canvas, []byte("title: Fraud screening\nproblem: Fraud is found late\nowner: Head of Fraud\nsponsor: CFO\ndata_needed: Claims history\nobjective_ids: ["+obj.ID+"]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var v caio.UseCase
	ucJSON(e, &v, "usecase", "create", "--org", org, "--file", canvas, "--owner", "Fraud lead")
	if v.Title != "Fraud screening" || v.Owner != "Fraud lead" || v.DataNeeded != "Claims history" || len(v.ObjectiveIDs) != 1 {
		t.Errorf("created from a file %+v", v)
	}
	_, _, err := e.runIn("title: x\ncolour: red\n", "usecase", "create", "--org", org, "--file", "-")
	if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "colour" {
		t.Errorf("unknown field in the file: %v", err)
	}
	_, _, err = e.run("usecase", "create", "--org", org, "--title", "x", "--approach", "magic")
	if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "approach" {
		t.Errorf("bad approach: %v", err)
	}

	// Update changes only the flags given.
	if out := e.must("usecase", "update", "--org", org, u.ID, "--process", "Motor claims intake"); !strings.Contains(out, "now version 2") {
		t.Errorf("update printed %q", out)
	}
	out := e.must("usecase", "show", "--org", org, u.ID)
	for _, want := range []string{"Claims triage assistant", "Motor claims intake", "Head of Claims", "Idea", "Stage history:", "Proposed"} {
		if !strings.Contains(out, want) {
			t.Errorf("show lacks %q:\n%s", want, out)
		}
	}

	// Rate both from a file: the better one ranks first.
	ratings := filepath.Join(t.TempDir(), "ratings.json")
	b, _ := json.Marshal(servertest.RatedUseCase)
	if err := os.WriteFile(ratings, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := e.must("usecase", "rate", "--org", org, u.ID, "--file", ratings); !strings.Contains(out, "priority") {
		t.Errorf("rate printed %q", out)
	}
	_, _, err = e.runIn("objective_fit: 4\nurgency: 9\n", "usecase", "rate", "--org", org, v.ID, "--file", "-")
	if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "urgency" {
		t.Errorf("rating off the scale: %v", err)
	}
	weaker := "objective_fit: 2\nstrategic_fit: 2\npeople_affected: 2\nurgency: 2\ndata_readiness: 2\ncomplexity: 4\nskills: 2\nintegration: 2\n"
	if _, _, err := e.runIn(weaker, "usecase", "rate", "--org", org, v.ID, "--file", "-"); err != nil {
		t.Fatal(err)
	}

	var list struct {
		Total    int `json:"total"`
		UseCases []struct {
			ID    string `json:"id"`
			Score struct {
				Rank     int     `json:"rank"`
				Priority float64 `json:"priority"`
			} `json:"score"`
		} `json:"use_cases"`
	}
	ucJSON(e, &list, "usecase", "list", "--org", org)
	if list.Total != 2 || list.UseCases[0].ID != u.ID || list.UseCases[0].Score.Rank != 1 || list.UseCases[1].Score.Rank != 2 {
		t.Errorf("list by priority %+v", list)
	}
	if out := e.must("usecase", "list", "--org", org, "--stage", "idea", "--sort", "title"); !strings.Contains(out, "2 of 2 use cases") || strings.Index(out, "Claims") > strings.Index(out, "Fraud") {
		t.Errorf("list by title:\n%s", out)
	}

	var rank struct {
		Method string `json:"method"`
		Items  []struct {
			ID     string   `json:"id"`
			Rank   int      `json:"rank"`
			NPVP50 *float64 `json:"npv_p50"`
		} `json:"items"`
	}
	ucJSON(e, &rank, "portfolio", "rank", "--org", org)
	if rank.Method == "" || len(rank.Items) != 2 || rank.Items[0].ID != u.ID || rank.Items[1].ID != v.ID || rank.Items[0].NPVP50 != nil {
		t.Errorf("rank %+v", rank)
	}
	if out := e.must("portfolio", "rank", "--org", org, "--format", "table"); !strings.Contains(out, "Ranked by") || strings.Index(out, u.ID) > strings.Index(out, v.ID) {
		t.Errorf("rank table:\n%s", out)
	}

	// A gate with unmet criteria prints them, changes nothing and fails.
	out, _, err = e.run("usecase", "stage", "--org", org, u.ID, "--to", "approved")
	if err == nil || !strings.Contains(out, "Refused") {
		t.Errorf("idea to approved: %v\n%s", err, out)
	}
	if out := e.must("usecase", "stage", "--org", org, u.ID, "--to", "assessment"); !strings.Contains(out, "[x] An accountable owner is named") || !strings.Contains(out, "Moved to Assessment") {
		t.Errorf("stage to assessment:\n%s", out)
	}
	out, _, err = e.run("usecase", "stage", "--org", org, u.ID, "--to", "approved")
	wantCode(t, err, caio.EINVALID)
	if !strings.Contains(out, "[ ] A business case is recorded") || !strings.Contains(out, "[x] Value and feasibility are rated") {
		t.Errorf("unmet criteria:\n%s", out)
	}
	if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "criteria.business_case" {
		t.Errorf("error fields %v", fs)
	}

	// With a business case, the gate opens an approval; deciding it moves the stage.
	a := e.openApp()
	sa, err := a.SystemActor(context.Background(), org)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.SaveBusinessCase(caio.WithActor(context.Background(), sa), u.ID, 0, servertest.ExampleCase()); err != nil {
		t.Fatal(err)
	}
	out = e.must("usecase", "stage", "--org", org, u.ID, "--to", "approved", "--reason", "Ready for a proof of concept")
	if !strings.Contains(out, "(needs approval)") || !strings.Contains(out, "Approval apr_") {
		t.Errorf("stage to approved:\n%s", out)
	}
	var aps struct {
		Total     int              `json:"total"`
		Approvals []*caio.Approval `json:"approvals"`
	}
	ucJSON(e, &aps, "approval", "list", "--org", org, "--status", "pending")
	if aps.Total != 1 || aps.Approvals[0].SubjectID != u.ID {
		t.Fatalf("pending approvals %+v", aps)
	}
	if out := e.must("approval", "list", "--org", org); !strings.Contains(out, "0/1") || !strings.Contains(out, "pending") {
		t.Errorf("approval list:\n%s", out)
	}
	_, _, err = e.run("approval", "decide", "--org", org, aps.Approvals[0].ID, "--decision", "reject")
	if fs := caio.ErrorFields(err); len(fs) != 1 || fs[0].Field != "comment" {
		t.Errorf("reject without a comment: %v", err)
	}
	if out := e.must("approval", "decide", "--org", org, aps.Approvals[0].ID, "--decision", "approve", "--comment", "Go"); !strings.Contains(out, "is approved, 1 of 1") {
		t.Errorf("decide printed %q", out)
	}
	var shown struct {
		UseCase caio.UseCase       `json:"use_case"`
		History []caio.StageChange `json:"history"`
	}
	ucJSON(e, &shown, "usecase", "show", "--org", org, u.ID)
	if shown.UseCase.Stage != "approved" || len(shown.History) != 3 || shown.History[2].ApprovalID != aps.Approvals[0].ID {
		t.Errorf("after approval: stage %q, history %+v", shown.UseCase.Stage, shown.History)
	}

	// The roll-up adds up the one business case.
	out = e.must("portfolio", "rollup", "--org", org)
	for _, want := range []string{"Portfolio roll-up in EUR: 2 use cases, 1 with a business case", "Approved", "By objective:", "Settle claims faster", "RISK-ADJUSTED NPV"} {
		if !strings.Contains(out, want) {
			t.Errorf("rollup lacks %q:\n%s", want, out)
		}
	}
	var r struct {
		Total struct {
			Count    int     `json:"count"`
			WithCase int     `json:"with_case"`
			Cost     float64 `json:"cost"`
		} `json:"total"`
	}
	ucJSON(e, &r, "portfolio", "rollup", "--org", org)
	if r.Total.Count != 2 || r.Total.WithCase != 1 || r.Total.Cost <= 0 {
		t.Errorf("rollup json %+v", r)
	}

	// Re-simulating stores the same result again: the case keeps its seed.
	if out := e.must("portfolio", "simulate", "--org", org); !strings.Contains(out, "Simulated 1 business cases") {
		t.Errorf("simulate printed %q", out)
	}

	// Triage and delete.
	if out := e.must("usecase", "delete", "--org", org, v.ID); !strings.Contains(out, "Deleted use case "+v.ID) {
		t.Errorf("delete printed %q", out)
	}
	_, _, err = e.run("usecase", "show", "--org", org, v.ID)
	wantCode(t, err, caio.ENOTFOUND)
	_, _, err = e.run("usecase", "triage", "--org", org, u.ID, "--decision", "accept")
	wantCode(t, err, caio.EINVALID)
	_, _, err = e.run("usecase", "list", "--org", "nope")
	wantCode(t, err, caio.ENOTFOUND)
}
