package advisor_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/advisor"
)

const today = "2026-11-27"

func builtins(t testing.TB) *advisor.Program {
	t.Helper()
	p, err := advisor.Compile(advisor.BuiltIns())
	if err != nil {
		t.Fatalf("built-in rules do not compile:\n%v", err)
	}
	return p
}

// base is an organisation where no built-in rule fires.
func base() *advisor.Facts {
	return &advisor.Facts{Org: advisor.Org{
		ID: "org_1", Name: "Acme", Today: today, LatestReadiness: "2026-06-01",
		ApprovedPolicies: 2, AIPolicy: true, LiteracyMeasures: true, RiskAppetite: 9, Members: 5,
	}}
}

func control(item, status string, evidence int, deadline string) advisor.Control {
	return advisor.Control{ID: "ctl_" + item, Title: "Art " + item, Framework: "eu-ai-act", Item: item, Status: status, Deadline: deadline, Due: deadline, Evidence: evidence}
}

func highRisk(controls ...advisor.Control) advisor.System {
	s := advisor.System{ID: "sys_1", Name: "Scorer", Owner: "ana@example.com", Stage: "production", Class: "high_risk", Basis: []string{"annex3_5b"}, Classified: "2026-01-01", Controls: map[string]advisor.Control{}}
	for _, c := range controls {
		s.Controls[c.Framework+"/"+c.Item] = c
	}
	return s
}

func ruleIDs(as []advisor.Action) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.RuleID)
	}
	return out
}

func TestBuiltInsClean(t *testing.T) {
	p := builtins(t)
	as, err := p.Evaluate(base())
	if err != nil || len(as) != 0 {
		t.Fatalf("a tidy organisation got %v, %v", ruleIDs(as), err)
	}
	for _, r := range advisor.BuiltIns() {
		if !r.BuiltIn || len(r.References) == 0 || r.Statement == "" {
			t.Errorf("%s: built-in rules need BuiltIn, references and a statement", r.ID)
		}
		if r.Due != "" && r.DueSource == "" {
			t.Errorf("%s: a due date needs its source", r.ID)
		}
	}
}

// TestBuiltInRules checks each built-in rule fires, and does not fire, at
// its boundary.
func TestBuiltInRules(t *testing.T) {
	type tc struct {
		name  string
		rule  string
		edit  func(f *advisor.Facts)
		fires bool
		due   string
		want  []string // substrings of title + reason + link
	}
	cases := []tc{
		{"unclassified", "system-unclassified", func(f *advisor.Facts) {
			f.Systems = []advisor.System{{ID: "sys_9", Name: "Chatbot", Stage: "planned"}}
		}, true, "", []string{"Classify Chatbot", "stage planned", "/systems/sys_9/classify"}},
		{"unclassified but retired", "system-unclassified", func(f *advisor.Facts) {
			f.Systems = []advisor.System{{ID: "sys_9", Name: "Chatbot", Stage: "retired"}}
		}, false, "", nil},
		{"prohibited in use", "prohibited-in-use", func(f *advisor.Facts) {
			f.Systems = []advisor.System{{ID: "sys_2", Name: "Mood", Stage: "testing", Class: "prohibited", Basis: []string{"art5_1f"},
				Controls: map[string]advisor.Control{"eu-ai-act/art5": control("art5", "not_started", 0, "2025-02-02")}}}
		}, true, "2025-02-02", []string{"Stop Mood", "prohibited (art5_1f)", "since 2025-02-02"}},
		{"prohibited retired", "prohibited-in-use", func(f *advisor.Facts) {
			f.Systems = []advisor.System{{ID: "sys_2", Name: "Mood", Stage: "retired", Class: "prohibited"}}
		}, false, "", nil},
		{"art9 missing", "high-risk-risk-management", func(f *advisor.Facts) {
			f.Systems = []advisor.System{highRisk(control("art9", "in_progress", 3, "2027-12-02"))}
		}, true, "2027-12-02", []string{"in_progress with 3 evidence", "/controls/ctl_art9", "applies from 2027-12-02"}},
		{"art9 implemented without evidence", "high-risk-risk-management", func(f *advisor.Facts) {
			f.Systems = []advisor.System{highRisk(control("art9", "implemented", 0, "2027-12-02"))}
		}, true, "2027-12-02", []string{"implemented with 0 evidence"}},
		{"art9 done", "high-risk-risk-management", func(f *advisor.Facts) {
			f.Systems = []advisor.System{highRisk(control("art9", "implemented", 1, "2027-12-02"))}
		}, false, "", nil},
		{"art12 missing", "high-risk-logging", func(f *advisor.Facts) {
			f.Systems = []advisor.System{highRisk(control("art12", "not_started", 0, "2027-12-02"))}
		}, true, "2027-12-02", []string{"Art 12 record-keeping"}},
		{"art12 not high-risk", "high-risk-logging", func(f *advisor.Facts) {
			s := highRisk(control("art12", "not_started", 0, "2027-12-02"))
			s.Class = "minimal"
			f.Systems = []advisor.System{s}
		}, false, "", nil},
		{"art14 missing", "high-risk-human-oversight", func(f *advisor.Facts) {
			f.Systems = []advisor.System{highRisk(control("art14", "not_started", 0, "2026-08-02"))}
		}, true, "2026-08-02", []string{"human oversight"}},
		{"art27 missing", "high-risk-fria", func(f *advisor.Facts) {
			f.Systems = []advisor.System{highRisk(control("art27", "in_progress", 0, "2027-12-02"))}
		}, true, "2027-12-02", []string{"fundamental rights"}},
		{"art27 implemented by its assessment", "high-risk-fria", func(f *advisor.Facts) {
			f.Systems = []advisor.System{highRisk(control("art27", "implemented", 0, "2027-12-02"))}
		}, false, "", nil},
		{"art27 not applicable", "high-risk-fria", func(f *advisor.Facts) {
			f.Systems = []advisor.System{highRisk()}
		}, false, "", nil},
		{"art50 disclosure", "transparency-disclosure", func(f *advisor.Facts) {
			s := highRisk(control("art50_1", "in_progress", 0, "2026-08-02"))
			s.Class = "transparency_only"
			f.Systems = []advisor.System{s}
		}, true, "2026-08-02", []string{"Art 50 disclosure for Scorer", "/controls/ctl_art50_1"}},
		{"art50 done", "transparency-disclosure", func(f *advisor.Facts) {
			f.Systems = []advisor.System{highRisk(control("art50_2", "implemented", 0, "2026-08-02"))}
		}, false, "", nil},
		{"gpai techdoc", "gpai-technical-documentation", func(f *advisor.Facts) {
			s := highRisk(control("art53_1a", "not_started", 0, "2025-08-02"))
			s.GPAI, s.Class = true, "minimal"
			f.Systems = []advisor.System{s}
		}, true, "2025-08-02", []string{"general-purpose AI model of Scorer"}},
		{"control review overdue", "control-review-overdue", func(f *advisor.Facts) {
			c := control("art13", "implemented", 1, "2027-12-02")
			c.ReviewDate = "2026-11-26"
			f.Systems = []advisor.System{highRisk(c)}
		}, true, "2026-11-26", []string{"Review Art art13 for Scorer", "due on 2026-11-26"}},
		{"control review today", "control-review-overdue", func(f *advisor.Facts) {
			c := control("art13", "implemented", 1, "2027-12-02")
			c.ReviewDate = today
			f.Systems = []advisor.System{highRisk(c)}
		}, false, "", nil},
		{"production without KPIs", "usecase-production-without-kpis", func(f *advisor.Facts) {
			f.UseCases = []advisor.UseCase{{ID: "uc_1", Title: "Claims triage", Stage: "production"}}
		}, true, "", []string{"Define KPIs for Claims triage", "/usecases/uc_1"}},
		{"pilot without KPIs", "usecase-production-without-kpis", func(f *advisor.Facts) {
			f.UseCases = []advisor.UseCase{{ID: "uc_1", Title: "Claims triage", Stage: "pilot"}}
		}, false, "", nil},
		{"KPI without baseline", "usecase-kpi-without-baseline", func(f *advisor.Facts) {
			f.UseCases = []advisor.UseCase{{ID: "uc_1", Title: "Claims triage", Stage: "production", KPIs: 3, KPIsWithoutBaseline: 1}}
		}, true, "", []string{"1 of its 3 KPI"}},
		{"KPIs baselined", "usecase-kpi-without-baseline", func(f *advisor.Facts) {
			f.UseCases = []advisor.UseCase{{ID: "uc_1", Title: "Claims triage", Stage: "production", KPIs: 3}}
		}, false, "", nil},
		{"below P10", "usecase-benefit-below-p10", func(f *advisor.Facts) {
			f.UseCases = []advisor.UseCase{{ID: "uc_1", Title: "Claims triage", Stage: "production", KPIs: 1, HasBusinessCase: true, BelowP10: []int{1, 2}}}
		}, true, "", []string{"year(s) 1, 2"}},
		{"no readiness", "readiness-missing", func(f *advisor.Facts) { f.Org.LatestReadiness = "" }, true, "", []string{"Acme has no submitted readiness"}},
		{"readiness a year old today", "readiness-stale", func(f *advisor.Facts) { f.Org.LatestReadiness = "2025-11-27" }, false, "", nil},
		{"readiness a year and a day old", "readiness-stale", func(f *advisor.Facts) { f.Org.LatestReadiness = "2025-11-26" }, true, "2026-11-26", []string{"2025-11-26"}},
		{"no AI policy", "ai-policy-missing", func(f *advisor.Facts) { f.Org.AIPolicy = false }, true, "", []string{"has 2 polic(ies) in force"}},
		{"no literacy", "ai-literacy-missing", func(f *advisor.Facts) { f.Org.LiteracyMeasures = false }, true, "2025-02-02", []string{"since 2025-02-02"}},
		{"vendor unassessed", "vendor-unassessed", func(f *advisor.Facts) {
			f.Vendors = []advisor.Vendor{{ID: "ven_1", Name: "ModelCo", Systems: 2}}
		}, true, "", []string{"ModelCo supplies 2", "/vendors/ven_1"}},
		{"vendor supplying nothing", "vendor-unassessed", func(f *advisor.Facts) {
			f.Vendors = []advisor.Vendor{{ID: "ven_1", Name: "ModelCo"}}
		}, false, "", nil},
		{"vendor assessed a year ago", "vendor-assessment-stale", func(f *advisor.Facts) {
			f.Vendors = []advisor.Vendor{{ID: "ven_1", Name: "ModelCo", Systems: 1, LastAssessed: "2025-11-27"}}
		}, false, "", nil},
		{"vendor assessed over a year ago", "vendor-assessment-stale", func(f *advisor.Facts) {
			f.Vendors = []advisor.Vendor{{ID: "ven_1", Name: "ModelCo", Systems: 1, LastAssessed: "2025-11-20"}}
		}, true, "2026-11-20", nil},
		{"risk above appetite", "risk-above-appetite-untreated", func(f *advisor.Facts) {
			f.Risks = []advisor.Risk{{ID: "rsk_1", Title: "Bias", Status: "open", Score: 16, Breach: true}}
		}, true, "", []string{"scores 16, above the appetite of 9", "/risks/rsk_1"}},
		{"risk treated", "risk-above-appetite-untreated", func(f *advisor.Facts) {
			f.Risks = []advisor.Risk{{ID: "rsk_1", Title: "Bias", Status: "treating", Score: 16, Breach: true, Treatments: 1}}
		}, false, "", nil},
		{"incident clock", "incident-reporting-clock", func(f *advisor.Facts) {
			f.Incidents = []advisor.Incident{{ID: "inc_1", Title: "Wrong denial", Serious: true, Aware: "2026-11-20", ReportDue: "2026-12-05"}}
		}, true, "2026-12-05", []string{"aware on 2026-11-20", "/incidents/inc_1"}},
		{"incident reported", "incident-reporting-clock", func(f *advisor.Facts) {
			f.Incidents = []advisor.Incident{{ID: "inc_1", Title: "Wrong denial", Serious: true, Aware: "2026-11-20", ReportDue: "2026-12-05", Reported: "2026-11-25"}}
		}, false, "", nil},
		{"policy review today", "policy-review-due", func(f *advisor.Facts) {
			f.Policies = []advisor.Policy{{ID: "pol_1", Title: "Acceptable use", Status: "approved", InForce: true, ReviewDate: today}}
		}, true, today, []string{"/policies/pol_1"}},
		{"policy review tomorrow", "policy-review-due", func(f *advisor.Facts) {
			f.Policies = []advisor.Policy{{ID: "pol_1", Title: "Acceptable use", Status: "approved", InForce: true, ReviewDate: "2026-11-28"}}
		}, false, "", nil},
		{"acks overdue", "policy-acknowledgements-overdue", func(f *advisor.Facts) {
			f.Policies = []advisor.Policy{{ID: "pol_1", Title: "Acceptable use", Status: "approved", InForce: true, PendingAcks: 4, AckDue: "2026-11-26"}}
		}, true, "2026-11-26", []string{"4 member(s)"}},
		{"review of the version in force while a new one waits", "policy-review-due", func(f *advisor.Facts) {
			f.Policies = []advisor.Policy{{ID: "pol_1", Title: "Acceptable use", Status: "in_review", InForce: true, ReviewDate: today}}
		}, true, today, []string{"/policies/pol_1"}},
		{"draft never approved", "policy-review-due", func(f *advisor.Facts) {
			f.Policies = []advisor.Policy{{ID: "pol_1", Title: "Acceptable use", Status: "draft", ReviewDate: today}}
		}, false, "", nil},
		{"acks due today", "policy-acknowledgements-overdue", func(f *advisor.Facts) {
			f.Policies = []advisor.Policy{{ID: "pol_1", Title: "Acceptable use", Status: "approved", InForce: true, PendingAcks: 4, AckDue: today}}
		}, false, "", nil},
	}
	p := builtins(t)
	covered := map[string]bool{}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := base()
			c.edit(f)
			matches, _, err := p.Try(c.rule, f, 0)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(matches) > 0; got != c.fires {
				t.Fatalf("%s fired %v, want %v: %+v", c.rule, got, c.fires, matches)
			}
			if !c.fires {
				return
			}
			covered[c.rule] = true
			a := matches[0]
			if a.Due != c.due {
				t.Errorf("due %q, want %q", a.Due, c.due)
			}
			if a.Due != "" && a.DueSource == "" {
				t.Error("a due date without its source")
			}
			if !strings.HasPrefix(a.Key, c.rule+"/") || a.Rule == "" || a.OwnerRole == "" || !strings.HasPrefix(a.Link, "/") || len(a.References) == 0 {
				t.Errorf("incomplete action %+v", a)
			}
			text := a.Title + " | " + a.Reason + " | " + a.Link
			if strings.Contains(text, "?") {
				t.Errorf("a placeholder failed: %s", text)
			}
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("%q lacks %q", text, w)
				}
			}
		})
	}
	for _, r := range advisor.BuiltIns() {
		if !covered[r.ID] {
			t.Errorf("no case shows built-in rule %s firing", r.ID)
		}
	}
}

func TestRanking(t *testing.T) {
	f := base()
	f.Org.LiteracyMeasures = false                                                                      // overdue, impact 4: score 20
	f.Incidents = []advisor.Incident{{ID: "inc_1", Title: "X", Serious: true, ReportDue: "2026-11-30"}} // due within 30 days, impact 5: also 20, but later
	f.Systems = []advisor.System{{ID: "sys_1", Name: "A", Stage: "planned"}, {ID: "sys_0", Name: "B", Stage: "planned"}}
	as, err := builtins(t).Evaluate(f)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{}
	for _, a := range as {
		got = append(got, a.Key)
	}
	want := []string{"ai-literacy-missing/org_1", "incident-reporting-clock/inc_1", "system-unclassified/sys_1", "system-unclassified/sys_0"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("order %v, want %v", got, want)
	}
	if as[0].Urgency != 5 || as[0].Score != 20 || as[1].Urgency != 4 || as[2].Urgency != 1 {
		t.Errorf("urgency/score: %+v", as[:3])
	}
}

func TestUrgency(t *testing.T) {
	for _, c := range []struct {
		due  string
		want int
	}{{"", 1}, {"2026-11-26", 5}, {today, 4}, {"2026-12-27", 4}, {"2026-12-28", 3}, {"2027-02-25", 3}, {"2027-02-26", 2}, {"2027-11-27", 2}, {"2027-11-28", 1}, {"bad", 1}} {
		if got := advisor.Urgency(c.due, today); got != c.want {
			t.Errorf("Urgency(%q) = %d, want %d", c.due, got, c.want)
		}
	}
}

func rule(when string) advisor.Rule {
	return advisor.Rule{ID: "mine", Kind: "system", Title: "Look at {name}", Statement: "Systems are looked at.", When: when,
		Reason: "{name} is {stage}.", OwnerRole: "editor", Link: "/systems/{id}", Impact: 3}
}

func TestCheckRuleErrors(t *testing.T) {
	for _, c := range []struct {
		name         string
		r            advisor.Rule
		field        string
		line, column int
		msg          string
	}{
		{"unknown field", rule("system.stage == 'production' &&\n  system.nme == 'x'"), "when", 2, 9, `system has no field "nme"; its fields are id, name`},
		{"unknown variable", rule("sytem.stage == 'x'"), "when", 1, 1, `"sytem" is not known: a rule about each system can read system, org, today`},
		{"not bool", rule("system.name"), "when", 1, 1, "must give true or false"},
		{"syntax", rule("system.stage == "), "when", 1, 17, "cannot be read"},
		{"type mismatch", rule("system.stage == 3"), "when", 1, 14, "compare text with text"},
		{"too costly", rule("system.controls.all(a, system.controls.all(b, system.roles.all(c, a + b + c != '')))"), "when", 1, 1, "more than the limit of 10000"},
		{"due not string", func() advisor.Rule { r := rule("true"); r.Due = "1"; r.DueSource = "x"; return r }(), "due", 1, 1, "must give a date as text"},
		{"due without source", func() advisor.Rule { r := rule("true"); r.Due = "today"; return r }(), "due_source", 0, 0, "is required with a due date"},
		{"bad placeholder", func() advisor.Rule { r := rule("true"); r.Reason = "Owner:\n {ownr}"; return r }(), "reason", 2, 3, "{ownr} is not a field of system"},
		{"placeholder expression", func() advisor.Rule { r := rule("true"); r.Title = "x {system.nope}"; return r }(), "title", 1, 10, `system has no field "nope"`},
		{"unclosed brace", func() advisor.Rule { r := rule("true"); r.Title = "x {name"; return r }(), "title", 1, 3, "not closed"},
		{"bad kind", func() advisor.Rule { r := rule("true"); r.Kind = "robot"; return r }(), "kind", 0, 0, "must be one of org, system"},
		{"bad role", func() advisor.Rule { r := rule("true"); r.OwnerRole = "auditor"; return r }(), "owner_role", 0, 0, "must be one of"},
		{"bad impact", func() advisor.Rule { r := rule("true"); r.Impact = 6; return r }(), "impact", 0, 0, "from 1"},
		{"external link", func() advisor.Rule { r := rule("true"); r.Link = "https://evil.example"; return r }(), "link", 0, 0, "path of caio"},
		{"bad id", func() advisor.Rule { r := rule("true"); r.ID = "My Rule"; return r }(), "id", 0, 0, "lower-case"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := advisor.CheckRule(c.r)
			es := advisor.AsRuleErrors(err)
			if len(es) == 0 {
				t.Fatalf("accepted: %v", err)
			}
			var hit *advisor.RuleError
			for _, e := range es {
				if e.Field == c.field {
					hit = e
				}
			}
			if hit == nil {
				t.Fatalf("no error on %s: %v", c.field, err)
			}
			if hit.Line != c.line || hit.Column != c.column || !strings.Contains(hit.Message, c.msg) || hit.RuleID != c.r.ID {
				t.Errorf("got %s (line %d col %d), want line %d col %d with %q", hit.Message, hit.Line, hit.Column, c.line, c.column, c.msg)
			}
		})
	}
	if err := advisor.CheckRule(rule("system.stage == 'production' && size(system.roles) > 0")); err != nil {
		t.Errorf("a good rule was refused: %v", err)
	}
}

func TestCompileAllErrorsAtOnce(t *testing.T) {
	good := rule("true")
	bad1 := rule("system.x")
	bad1.ID = "bad1"
	bad2 := rule("1 +")
	bad2.ID = "bad2"
	dup := rule("true")
	p, err := advisor.Compile([]advisor.Rule{good, bad1, bad2, dup})
	es := advisor.AsRuleErrors(err)
	if len(es) != 3 || es[0].RuleID != "bad1" || es[1].RuleID != "bad2" || es[2].Field != "id" {
		t.Fatalf("errors %v", err)
	}
	var one *advisor.RuleError
	if !errors.As(err, &one) {
		t.Error("errors.As finds no *RuleError")
	}
	if len(p.Rules()) != 1 {
		t.Errorf("the program should keep the rule that compiled: %v", p.Rules())
	}
}

func TestRuntimeCostLimit(t *testing.T) {
	// Estimated as cheap enough for lists of 200 items, but the data is
	// far larger, so the run-time limit stops it.
	r := rule("system.roles.exists(a, a == 'x') || system.basis.exists(a, a == 'x')")
	p, err := advisor.Compile([]advisor.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	f := base()
	s := advisor.System{ID: "sys_big", Name: "Big", Stage: "production"}
	for range 20000 {
		s.Roles = append(s.Roles, "deployer")
	}
	f.Systems = []advisor.System{s, {ID: "sys_ok", Name: "Ok", Roles: []string{"x"}}}
	as, err := p.Evaluate(f)
	es := advisor.AsRuleErrors(err)
	if len(es) != 1 || !strings.Contains(es[0].Message, "stopped on sys_big") {
		t.Fatalf("errors %v", err)
	}
	if len(as) != 1 || as[0].ObjectID != "sys_ok" {
		t.Errorf("the other system should still be advised: %+v", as)
	}
}

func TestCustomRuleAndTry(t *testing.T) {
	r := advisor.Rule{ID: "prod-no-vendor", Kind: "system", Title: "Name the vendor of {name}", Statement: "Production systems name their vendor.",
		When: "system.stage == 'production' && size(system.vendors) == 0", Reason: "{name} has roles {roles} and no vendor; today is {today}.",
		Due: "add_days(system.classified, 90)", DueSource: "90 days after classification", OwnerRole: "contributor", Link: "/systems/{id}", Impact: 2}
	p, err := advisor.Compile([]advisor.Rule{r})
	if err != nil {
		t.Fatal(err)
	}
	f := base()
	for i, st := range []string{"production", "planned", "production"} {
		f.Systems = append(f.Systems, advisor.System{ID: "sys_" + string(rune('a'+i)), Name: "S", Stage: st, Roles: []string{"deployer", "provider"}, Classified: "2026-10-01"})
	}
	m, n, err := p.Try("prod-no-vendor", f, 1)
	if err != nil || n != 3 || len(m) != 1 {
		t.Fatalf("Try = %v, %d, %v", m, n, err)
	}
	if m[0].Reason != "S has roles deployer, provider and no vendor; today is 2026-11-27." || m[0].Due != "2026-12-30" || m[0].Urgency != 3 {
		t.Errorf("action %+v", m[0])
	}
	if _, _, err := p.Try("nope", f, 1); !errors.Is(err, advisor.ErrUnknownRule) {
		t.Errorf("unknown rule: %v", err)
	}
}

func TestFields(t *testing.T) {
	fs := advisor.Fields("system")
	if len(fs) == 0 || fs[0].Name != "id" {
		t.Fatalf("fields %v", fs)
	}
	found := false
	for _, f := range fs {
		if f.Name == "controls" && f.Type == "map(string, Control)" {
			found = true
		}
	}
	if !found {
		t.Errorf("controls missing: %v", fs)
	}
}

func FuzzCheckRule(f *testing.F) {
	for _, r := range advisor.BuiltIns() {
		f.Add(r.Kind, r.When, r.Reason, r.Due)
	}
	f.Add("system", "system.controls.exists(k, v, v.evidence > 0)", "{{x}} {name", "today")
	f.Add("org", "add_days(org.today, 99999999) < ''", "}", "'2026-13-45'")
	f.Fuzz(func(t *testing.T, kind, when, reason, due string) {
		r := advisor.Rule{ID: "fz", Kind: kind, Title: "t", Statement: "s", When: when, Reason: reason, Due: due, DueSource: "x", OwnerRole: "editor", Link: "/x", Impact: 1}
		err := advisor.CheckRule(r)
		for _, e := range advisor.AsRuleErrors(err) {
			if e.Message == "" || e.Line < 0 || e.Column < 0 {
				t.Fatalf("bad error %+v", e)
			}
		}
		if err != nil && advisor.AsRuleErrors(err) == nil {
			t.Fatalf("not a RuleErrors: %v", err)
		}
		p, cerr := advisor.Compile([]advisor.Rule{r})
		if (cerr == nil) != (err == nil) {
			t.Fatalf("Compile and CheckRule disagree: %v / %v", cerr, err)
		}
		if cerr == nil {
			fa := base()
			fa.Systems = []advisor.System{highRisk(control("art9", "x", 1, "2026-01-01"))}
			fa.UseCases = []advisor.UseCase{{ID: "u"}}
			_, _ = p.Evaluate(fa)
		}
	})
}
