package app

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/caio-office/caio/internal/engine/euaiact"
	"github.com/caio-office/caio/internal/engine/portfolio"
	"github.com/caio-office/caio/internal/engine/questionnaire"
	"github.com/caio-office/caio/internal/report"
)

// ReportOptions are how a report is asked for.
type ReportOptions struct {
	Kind   report.Kind
	Format report.Format
	// SystemID is the system of a system card.
	SystemID string
	// Chromium is the browser that prints PDFs; "" finds it on the PATH.
	Chromium string
	// BaseURL makes links absolute, such as https://caio.example.org.
	BaseURL string
}

// RenderReport gathers a report and renders it in its format. A PDF needs
// Chromium: without it the error is EUNAVAILABLE and names the way out.
// Needs PermRead; a system card of a system the caller cannot see is
// ENOTFOUND.
func (app *App) RenderReport(ctx context.Context, o ReportOptions) ([]byte, *report.Report, error) {
	type started struct {
		b   *report.Browser
		err error
	}
	var browser chan started
	if o.Format == report.PDF {
		// Find the browser first, so a missing one fails before any work,
		// and start it while the data is gathered.
		p, err := report.FindChromium(o.Chromium)
		if err != nil {
			return nil, nil, err
		}
		browser = make(chan started, 1)
		go func() {
			b, err := report.StartBrowser(ctx, p)
			browser <- started{b, err}
		}()
	}
	r, err := app.Report(ctx, o.Kind, o.SystemID)
	if err != nil {
		if browser != nil {
			if s := <-browser; s.b != nil {
				s.b.Close()
			}
		}
		return nil, nil, err
	}
	ro := report.Options{BaseURL: o.BaseURL}
	var out []byte
	switch o.Format {
	case report.Markdown:
		out, err = report.RenderMarkdown(r, ro)
	case report.PDF:
		s := <-browser
		if s.err != nil {
			return nil, nil, s.err
		}
		defer s.b.Close()
		var html []byte
		if html, err = report.RenderHTML(r, ro); err == nil {
			out, err = s.b.Print(html)
		}
	default:
		out, err = report.RenderHTML(r, ro)
	}
	if err != nil {
		return nil, nil, err
	}
	return out, r, nil
}

// Report gathers the data of one report kind through the services, in a
// bounded number of queries, and returns the document. Needs PermRead.
func (app *App) Report(ctx context.Context, kind report.Kind, systemID string) (*report.Report, error) {
	if _, err := authorize(ctx, caio.PermRead); err != nil {
		return nil, err
	}
	info, ok := report.Info(kind)
	if !ok {
		_, err := report.ParseKind(string(kind))
		return nil, err
	}
	if info.NeedsSystem && systemID == "" {
		return nil, caio.FieldError("system", "is required for the system card: give the AI system's ID")
	}
	org, err := app.CurrentOrg(ctx)
	if err != nil {
		return nil, err
	}
	r := &report.Report{
		Kind: kind, Title: info.Title, Org: org.Name, OrgSlug: org.Slug,
		Generated: app.DB.Now().UTC(),
		Versions: []report.Version{
			{Name: "EU AI Act content", Value: euaiact.MustContent().Version},
			{Name: "framework catalogue", Value: catalog.Default().Version()},
		},
	}
	r.Seen(org.UpdatedAt)
	b := &reportBuilder{app: app, ctx: ctx, r: r}
	switch kind {
	case report.Board:
		err = b.board()
	case report.Strategy:
		err = b.strategy()
	case report.Folio:
		err = b.portfolio()
	case report.EUAIAct:
		err = b.euaiact()
	case report.System:
		err = b.system(systemID)
	case report.Handover:
		err = b.handover()
	}
	if err != nil {
		return nil, err
	}
	return r, nil
}

// reportBuilder fills one report.
type reportBuilder struct {
	app *App
	ctx context.Context
	r   *report.Report
	// advice, when set, delivers the advisor's actions, asked for at the
	// start so the heaviest read runs beside the others.
	advice chan adviceResult
}

type adviceResult struct {
	l   *caio.AdviceList
	err error
}

// prefetchAdvice starts reading the advisor's actions in the background.
func (b *reportBuilder) prefetchAdvice() {
	if !AdvisorAvailable() {
		return
	}
	b.advice = make(chan adviceResult, 1)
	go func() {
		l, err := b.app.Advise(b.ctx, caio.AdviceFilter{Page: caio.Page{Limit: caio.MaxPageLimit}})
		b.advice <- adviceResult{l, err}
	}()
}

// drainAdvice waits for a prefetch nobody used, when a step failed first.
func (b *reportBuilder) drainAdvice() {
	if b.advice != nil {
		<-b.advice
	}
}

// adviceList returns the advisor's actions, prefetched or read now.
func (b *reportBuilder) adviceList() (*caio.AdviceList, error) {
	if b.advice != nil {
		r := <-b.advice
		b.advice = nil
		return r.l, r.err
	}
	return b.app.Advise(b.ctx, caio.AdviceFilter{Page: caio.Page{Limit: caio.MaxPageLimit}})
}

// Sources: where each figure can be seen in caio, page and API.
var (
	srcReadiness   = report.Source{Key: "readiness", Label: "Latest submitted AI readiness assessment", Page: "/assessments", API: "GET /api/v1/assessments?definition=readiness&status=submitted"}
	srcPosture     = report.Source{Key: "posture", Label: "Compliance posture: controls by status and systems by EU AI Act class, over the enabled frameworks", Page: "/compliance", API: "GET /api/v1/compliance/posture"}
	srcSystems     = report.Source{Key: "systems", Label: "AI inventory", Page: "/systems", API: "GET /api/v1/systems"}
	srcRanking     = report.Source{Key: "ranking", Label: "Use cases ranked by the organisation's scoring method", Page: "/usecases", API: "GET /api/v1/usecases/ranking"}
	srcRollup      = report.Source{Key: "rollup", Label: "Portfolio roll-up of the accepted use cases' business cases", Page: "/portfolio", API: "GET /api/v1/portfolio/rollup"}
	srcRisks       = report.Source{Key: "risks", Label: "Risk register, highest current score first", Page: "/risks", API: "GET /api/v1/risks?sort=-score"}
	srcIncidents   = report.Source{Key: "incidents", Label: "Incident register", Page: "/incidents", API: "GET /api/v1/incidents"}
	srcApprovals   = report.Source{Key: "approvals", Label: "Approval requests waiting for a decision", Page: "/approvals", API: "GET /api/v1/approvals?status=pending"}
	srcAdvice      = report.Source{Key: "advice", Label: "The virtual CAIO's open actions, by urgency and impact", Page: "/advice", API: "GET /api/v1/advice"}
	srcStrategy    = report.Source{Key: "strategy", Label: "AI strategy", Page: "/strategy", API: "GET /api/v1/strategy"}
	srcRoadmap     = report.Source{Key: "roadmap", Label: "Roadmap: load per quarter against capacity", Page: "/roadmap", API: "GET /api/v1/roadmap"}
	srcControls    = report.Source{Key: "controls", Label: "EU AI Act controls per system: status, owner, deadline", Page: "/compliance/controls?framework=eu-ai-act", API: "GET /api/v1/controls?framework=eu-ai-act"}
	srcEngagement  = report.Source{Key: "engagement", Label: "The interim engagement: plan and deliverables", Page: "/engagement", API: "GET /api/v1/engagements"}
	srcTasks       = report.Source{Key: "tasks", Label: "Open tasks", Page: "/tasks", API: "GET /api/v1/tasks?status=open"}
	srcPolicies    = report.Source{Key: "policies", Label: "Policies", Page: "/policies", API: "GET /api/v1/policies"}
	srcPeople      = report.Source{Key: "people", Label: "People of the AI team and their skill gaps", Page: "/talent", API: "GET /api/v1/talent/people"}
	srcObjectives  = report.Source{Key: "objectives", Label: "Objectives", Page: "/objectives", API: "GET /api/v1/objectives"}
	srcClassifyDoc = "the engine's reasons, each with its article; see the system's classification page"
)

// maxListed bounds the rows of the long tables of a report; the note under a
// table says when it shows only some.
const maxListed = 100

func (b *reportBuilder) cite(s report.Source) string { return b.r.Cite(s) }

// readiness adds the readiness level from the latest submitted assessment.
func (b *reportBuilder) readiness(s *report.Section) error {
	def, status := "readiness", caio.AssessmentSubmitted
	xs, _, err := b.app.FindAssessments(b.ctx, caio.AssessmentFilter{Definition: &def, Status: &status, Page: caio.Page{Limit: 1}})
	if err != nil {
		return err
	}
	key := b.cite(srcReadiness)
	if len(xs) == 0 {
		s.Figures = append(s.Figures, report.Figure{Label: "AI readiness level", Value: "not assessed", Note: "no readiness assessment has been submitted", Source: key, Link: "/assessments"})
		return nil
	}
	x := xs[0]
	b.r.Seen(x.UpdatedAt)
	label := ""
	if d, ok := questionnaire.Builtin("readiness"); ok {
		for _, l := range d.Levels {
			if l.Level == x.Level {
				label = l.Label
			}
		}
	}
	v := fmt.Sprintf("%d of 5", x.Level)
	if label != "" {
		v += " (" + label + ")"
	}
	note := "assessment " + x.ID
	if x.Score != nil {
		note = fmt.Sprintf("score %.0f/100, assessment %s", *x.Score, x.ID)
	}
	s.Figures = append(s.Figures, report.Figure{Label: "AI readiness level", Value: v, Note: note, Source: key, Link: "/assessments/" + x.ID})
	return nil
}

// posture adds the compliance posture's figures and the class chart.
func (b *reportBuilder) posture(s *report.Section, frameworks bool) (*caio.Posture, error) {
	p, err := b.app.Posture(b.ctx, "")
	if err != nil {
		return nil, err
	}
	key := b.cite(srcPosture)
	pct := "none apply"
	if p.Total.PercentImplemented != nil {
		pct = fmt.Sprintf("%.0f%%", *p.Total.PercentImplemented)
	}
	s.Figures = append(s.Figures,
		report.Figure{Label: "AI systems in the inventory", Value: count(p.Systems), Source: key, Link: "/systems"},
		report.Figure{Label: "controls implemented", Value: pct, Note: fmt.Sprintf("%s of %s that apply", count(p.Total.Implemented), count(p.Total.Total-p.Total.NotApplicable)), Source: key, Link: "/compliance"},
		report.Figure{Label: "controls overdue", Value: count(p.Total.Overdue), Source: key, Link: "/compliance/controls?overdue=1"},
	)
	c := report.Chart{Title: "AI systems by EU AI Act class", Source: key}
	for _, cc := range p.Classes {
		label := caio.ClassLabel(cc.Class)
		if cc.Class == "" {
			label = "Not classified"
		}
		c.Bars = append(c.Bars, report.Bar{Label: label, Value: float64(cc.Systems), Display: count(cc.Systems)})
	}
	if len(c.Bars) > 0 {
		s.Charts = append(s.Charts, c)
	}
	if frameworks && len(p.Frameworks) > 0 {
		t := report.Table{Caption: "Controls by framework", Source: key, Columns: []string{"Framework", "Implemented", "In progress", "Not started", "Overdue", "Implemented %"}}
		for _, f := range p.Frameworks {
			pc := "—"
			if f.PercentImplemented != nil {
				pc = fmt.Sprintf("%.0f%%", *f.PercentImplemented)
			}
			t.Rows = append(t.Rows, []report.Cell{report.L(f.Name, "/compliance/controls?framework="+f.Framework), report.T(count(f.Implemented)), report.T(count(f.InProgress)), report.T(count(f.NotStarted)), report.T(count(f.Overdue)), report.T(pc)})
		}
		s.Tables = append(s.Tables, t)
	}
	return p, nil
}

// value adds the portfolio's value and stages from the roll-up.
func (b *reportBuilder) value(s *report.Section) (*Rollup, error) {
	ru, err := b.app.PortfolioRollup(b.ctx)
	if err != nil {
		return nil, err
	}
	key := b.cite(srcRollup)
	cur := ru.Currency
	s.Figures = append(s.Figures,
		report.Figure{Label: "use cases in the portfolio", Value: count(ru.Total.Count), Note: count(ru.Total.WithCase) + " with a business case", Source: key, Link: "/portfolio"},
		report.Figure{Label: "expected NPV", Value: money(ru.Total.ExpectedNPV, cur), Note: "sum of simulated mean NPVs", Source: key, Link: "/portfolio"},
		report.Figure{Label: "risk-adjusted NPV", Value: money(ru.Total.RiskAdjusted, cur), Note: "weighted by each stage's chance of reaching production", Source: key, Link: "/portfolio"},
		report.Figure{Label: "total cost", Value: money(ru.Total.Cost, cur), Source: key, Link: "/portfolio"},
	)
	c := report.Chart{Title: "Use cases by stage", Source: key}
	for _, st := range ru.ByStage {
		c.Bars = append(c.Bars, report.Bar{Label: st.Label, Value: float64(st.Count), Display: count(st.Count)})
	}
	if len(c.Bars) > 0 {
		s.Charts = append(s.Charts, c)
	}
	if ru.OtherCurrency > 0 {
		s.Intro = append(s.Intro, fmt.Sprintf("%d business cases in another currency than %s are left out of the sums.", ru.OtherCurrency, cur))
	}
	return ru, nil
}

// topRisks adds the highest-scoring open risks.
func (b *reportBuilder) topRisks(s *report.Section, n int) error {
	rs, total, err := b.app.FindRisks(b.ctx, caio.RiskFilter{Sort: "-score", Page: caio.Page{Limit: n}})
	if err != nil {
		return err
	}
	key := b.cite(srcRisks)
	s.Figures = append(s.Figures, report.Figure{Label: "risks in the register", Value: count(total), Source: key, Link: "/risks"})
	if len(rs) == 0 {
		s.Empty = "No risks are recorded."
		return nil
	}
	t := report.Table{Caption: fmt.Sprintf("Top %d risks by current score", len(rs)), Source: key, Columns: []string{"Risk", "Current score", "Inherent (likelihood × impact)", "Residual", "Status", "Owner"}}
	for _, k := range rs {
		b.r.Seen(k.UpdatedAt)
		residual := "not assessed"
		if k.ResidualScore > 0 {
			residual = strconv.Itoa(k.ResidualScore)
		}
		t.Rows = append(t.Rows, []report.Cell{report.LI(k.Title, "/risks/"+k.ID, k.ID), report.T(strconv.Itoa(k.Score)),
			report.T(fmt.Sprintf("%d (%d × %d)", k.InherentScore, k.Likelihood, k.Impact)), report.T(residual), report.T(k.Status), report.T(dash(k.Owner))})
	}
	if total > len(rs) {
		t.Note = fmt.Sprintf("And %s more in the register, at /risks.", count(total-len(rs)))
	}
	s.Tables = append(s.Tables, t)
	return nil
}

// incidents adds the open incidents and the count of all.
func (b *reportBuilder) incidents(s *report.Section, n int) error {
	is, total, err := b.app.FindIncidents(b.ctx, caio.IncidentFilter{Sort: "-severity", Page: caio.Page{Limit: n}})
	if err != nil {
		return err
	}
	key := b.cite(srcIncidents)
	// Open and serious are counted by the register's own filters, one
	// count each, whatever the number of incidents.
	open := 0
	for _, st := range []string{"open", "investigating", "reported"} {
		_, n, err := b.app.FindIncidents(b.ctx, caio.IncidentFilter{Status: &st, Page: caio.Page{Limit: 1}})
		if err != nil {
			return err
		}
		open += n
	}
	yes := true
	_, serious, err := b.app.FindIncidents(b.ctx, caio.IncidentFilter{Serious: &yes, Page: caio.Page{Limit: 1}})
	if err != nil {
		return err
	}
	t := report.Table{Caption: "Incidents, most severe first", Source: key, Columns: []string{"Incident", "Severity", "Serious (Art 73)", "Status", "Report due"}}
	for _, i := range is {
		b.r.Seen(i.UpdatedAt)
		due := "—"
		if i.ReportDue != nil {
			due = i.ReportDue.UTC().Format("2006-01-02")
		}
		t.Rows = append(t.Rows, []report.Cell{report.LI(i.Title, "/incidents/"+i.ID, i.ID), report.T(i.Severity), report.T(yesNo(i.Serious)), report.T(i.Status), report.T(due)})
	}
	if total > len(is) {
		t.Note = fmt.Sprintf("The %d most severe of %d incidents are shown; and %s more at /incidents.", len(is), total, count(total-len(is)))
	}
	s.Figures = append(s.Figures,
		report.Figure{Label: "incidents recorded", Value: count(total), Source: key, Link: "/incidents"},
		report.Figure{Label: "open incidents", Value: count(open), Note: "open, investigating or reported", Source: key, Link: "/incidents"},
		report.Figure{Label: "serious incidents (EU AI Act Art 3(49), reported under Art 73)", Value: count(serious), Source: key, Link: "/incidents?serious=1"},
	)
	if len(is) == 0 {
		s.Empty = "No incidents are recorded."
		return nil
	}
	s.Tables = append(s.Tables, t)
	return nil
}

// decisions adds the pending approvals and the high-impact open actions.
func (b *reportBuilder) decisions(s *report.Section, n int) error {
	pending := "pending"
	as, total, err := b.app.FindApprovals(b.ctx, caio.ApprovalFilter{Status: &pending, Page: caio.Page{Limit: n}})
	if err != nil {
		return err
	}
	key := b.cite(srcApprovals)
	s.Figures = append(s.Figures, report.Figure{Label: "approvals waiting for a decision", Value: count(total), Source: key, Link: "/approvals"})
	if len(as) > 0 {
		t := report.Table{Caption: "Approvals waiting for a decision", Source: key, Columns: []string{"Request", "Subject", "Asked by", "Since", "Votes / quorum"}}
		for _, a := range as {
			b.r.Seen(a.CreatedAt)
			t.Rows = append(t.Rows, []report.Cell{report.LI(a.Summary, "/approvals/"+a.ID, a.ID), report.T(a.SubjectTitle), report.T(a.RequesterName),
				report.T(a.CreatedAt.UTC().Format("2006-01-02")), report.T(fmt.Sprintf("%d / %d", len(a.Votes), a.Quorum))})
		}
		if total > len(as) {
			t.Note = fmt.Sprintf("The first %d of %d are shown; and %s more at /approvals.", len(as), total, count(total-len(as)))
		}
		s.Tables = append(s.Tables, t)
	}
	if !AdvisorAvailable() {
		s.Intro = append(s.Intro, "The virtual CAIO's actions are not available in this build.")
		return nil
	}
	l, err := b.adviceList()
	if err != nil {
		return err
	}
	akey := b.cite(srcAdvice)
	t := report.Table{Caption: "High-impact actions the virtual CAIO proposes", Source: akey, Columns: []string{"Action (the record it is about)", "Why", "Due", "Impact"}}
	high := 0
	for _, a := range l.Items {
		if a.Impact < 4 {
			continue
		}
		high++
		if len(t.Rows) < n {
			due := a.Due
			if a.Overdue {
				due += " (overdue)"
			}
			t.Rows = append(t.Rows, []report.Cell{report.LI(a.Title, a.Link, a.ObjectID),
				report.T(a.Reason + refs(a.References)), report.T(due), report.T(strconv.Itoa(a.Impact) + "/5")})
		}
	}
	note := count(high) + " of high impact (4–5)"
	if l.Total > len(l.Items) {
		note += fmt.Sprintf(" among the %d most urgent", len(l.Items))
	}
	s.Figures = append(s.Figures, report.Figure{Label: "open actions proposed", Value: count(l.Total), Note: note, Source: akey, Link: "/advice"})
	if len(t.Rows) > 0 {
		if high > len(t.Rows) {
			t.Note = fmt.Sprintf("The %d most urgent of %d high-impact actions are shown; and %s more at /advice.", len(t.Rows), high, count(high-len(t.Rows)))
		}
		s.Tables = append(s.Tables, t)
	}
	return nil
}

// board is the board report: a few pages of what a board needs to see.
func (b *reportBuilder) board() error {
	b.r.Subtitle = "Board report"
	// The board reads one to three pages: a compact print, the two small
	// sections side by side, and every list cut to its top few with a line
	// saying how many more there are and where to see them.
	b.r.Compact = true
	b.prefetchAdvice()
	defer b.drainAdvice()
	s := b.r.Add(&report.Section{ID: "summary", Heading: "Readiness and compliance posture", Half: true})
	if err := b.readiness(s); err != nil {
		return err
	}
	if _, err := b.posture(s, false); err != nil {
		return err
	}
	if _, err := b.value(b.r.Add(&report.Section{ID: "value", Heading: "Portfolio value and stages", Half: true})); err != nil {
		return err
	}
	if err := b.topRisks(b.r.Add(&report.Section{ID: "risks", Heading: "Top risks"}), 5); err != nil {
		return err
	}
	if err := b.incidents(b.r.Add(&report.Section{ID: "incidents", Heading: "Incidents"}), 5); err != nil {
		return err
	}
	return b.decisions(b.r.Add(&report.Section{ID: "decisions", Heading: "Decisions needed", Intro: []string{"What waits for the board or the approvers: approval requests, and the actions of highest impact the virtual CAIO proposes, each with its reason and references."}}), 3)
}

// strategy is the strategy document: its content, the roadmap.
func (b *reportBuilder) strategy() error {
	st, err := b.app.FindStrategy(b.ctx)
	if err != nil {
		return err
	}
	b.r.Seen(st.UpdatedAt)
	key := b.cite(srcStrategy)
	s := b.r.Add(&report.Section{ID: "vision", Heading: "Vision and principles"})
	if st.Vision != "" {
		s.Intro = append(s.Intro, st.Vision)
	} else {
		s.Empty = "No vision is written yet."
	}
	for _, p := range st.Principles {
		s.Items = append(s.Items, report.Item{Text: p})
	}
	s.Figures = append(s.Figures, report.Figure{Label: "strategy version", Value: strconv.Itoa(st.Version), Note: "updated " + stampDate(st.UpdatedAt) + " by " + st.UpdatedBy, Source: key, Link: "/strategy"})
	if st.TargetMaturity > 0 {
		s.Figures = append(s.Figures, report.Figure{Label: "target maturity", Value: fmt.Sprintf("%d of 5", st.TargetMaturity), Source: key, Link: "/strategy"})
	}
	if st.Budget > 0 {
		s.Figures = append(s.Figures, report.Figure{Label: "budget " + st.BudgetPeriod, Value: money(st.Budget, st.Currency), Source: key, Link: "/strategy"})
	}
	if st.Horizon != "" {
		s.Figures = append(s.Figures, report.Figure{Label: "horizon", Value: st.Horizon, Source: key, Link: "/strategy"})
	}
	if len(st.Owners) > 0 {
		s.Intro = append(s.Intro, "Owners: "+strings.Join(st.Owners, ", ")+".")
	}
	ps := b.r.Add(&report.Section{ID: "priorities", Heading: "Priorities", Empty: "No priorities are set."})
	if len(st.Priorities) > 0 {
		obs, _, err := b.app.FindObjectives(b.ctx, caio.ObjectiveFilter{Page: caio.Page{Limit: caio.MaxPageLimit}})
		if err != nil {
			return err
		}
		titles := map[string]string{}
		for _, o := range obs {
			titles[o.ID] = o.Title
		}
		okey := b.cite(srcObjectives)
		t := report.Table{Caption: "Strategic priorities and the objectives they serve", Source: okey, Columns: []string{"Priority", "Description", "Objectives"}}
		for _, p := range st.Priorities {
			var names []string
			for _, id := range p.ObjectiveIDs {
				n := titles[id]
				if n == "" {
					n = "(deleted)"
				}
				names = append(names, n+" ("+id+")")
			}
			t.Rows = append(t.Rows, []report.Cell{report.T(p.Title), report.T(p.Description), report.T(strings.Join(names, "; "))})
		}
		ps.Tables = append(ps.Tables, t)
	}
	if _, err := b.value(b.r.Add(&report.Section{ID: "value", Heading: "Portfolio value"})); err != nil {
		return err
	}
	return b.roadmap(b.r.Add(&report.Section{ID: "roadmap", Heading: "Roadmap", PageBreak: true}))
}

// roadmap adds the roadmap's quarters and its items.
func (b *reportBuilder) roadmap(s *report.Section) error {
	rm, err := b.app.FindRoadmap(b.ctx)
	if err != nil {
		return err
	}
	key := b.cite(srcRoadmap)
	scheduled := len(rm.Items) - len(rm.Plan.Unscheduled)
	s.Figures = append(s.Figures,
		report.Figure{Label: "use cases on the roadmap", Value: count(scheduled), Note: count(len(rm.Plan.Unscheduled)) + " not yet scheduled", Source: key, Link: "/roadmap"},
		report.Figure{Label: "dependency conflicts", Value: count(len(rm.Plan.Conflicts)), Source: key, Link: "/roadmap"},
	)
	if len(rm.Plan.Quarters) > 0 {
		t := report.Table{Caption: "Load per quarter against capacity", Source: key, Columns: []string{"Quarter", "Use cases", "People (capacity)", "Budget (capacity)", "Over capacity"}}
		c := report.Chart{Title: "People planned per quarter", Source: key}
		for _, q := range rm.Plan.Quarters {
			pc, bc := "—", "—"
			if q.HasCapacity {
				pc, bc = rnum(q.PeopleCapacity), rnum(q.BudgetCapacity)
			}
			over := "no"
			if q.OverPeople || q.OverBudget {
				over = "yes"
			}
			t.Rows = append(t.Rows, []report.Cell{report.T(q.Quarter), report.T(count(len(q.Items))), report.T(rnum(q.People) + " (" + pc + ")"), report.T(rnum(q.Budget) + " (" + bc + ")"), report.T(over)})
			c.Bars = append(c.Bars, report.Bar{Label: q.Quarter, Value: q.People, Display: rnum(q.People)})
		}
		s.Charts = append(s.Charts, c)
		s.Tables = append(s.Tables, t)
	}
	if len(rm.Items) > 0 {
		t := report.Table{Caption: "Roadmap items", Source: key, Columns: []string{"Use case", "Stage", "Start", "End", "People", "Budget"}}
		for i, it := range rm.Items {
			if i == maxListed {
				t.Note = fmt.Sprintf("The first %d of %d items are shown.", maxListed, len(rm.Items))
				break
			}
			t.Rows = append(t.Rows, []report.Cell{report.LI(it.Title, "/usecases/"+it.ID, it.ID), report.T(portfolio.StageLabel(rm.Stages[it.ID])), report.T(dash(it.Start)), report.T(dash(it.End)), report.T(rnum(it.People)), report.T(rnum(it.Budget))})
		}
		s.Tables = append(s.Tables, t)
	} else {
		s.Empty = "No use case is accepted into the roadmap yet."
	}
	return nil
}

// portfolio is the portfolio report: ranking and roll-up.
func (b *reportBuilder) portfolio() error {
	ru, err := b.value(b.r.Add(&report.Section{ID: "rollup", Heading: "Roll-up"}))
	if err != nil {
		return err
	}
	s := b.r.Sections[0]
	if len(ru.ByObjective) > 0 {
		t := report.Table{Caption: "By objective", Source: "rollup", Columns: []string{"Objective", "Use cases", "Cost", "Benefit", "Expected NPV", "Risk-adjusted NPV"}}
		for _, o := range ru.ByObjective {
			t.Rows = append(t.Rows, rollupRow(o, ru.Currency))
		}
		s.Tables = append(s.Tables, t)
	}
	t := report.Table{Caption: "By stage", Source: "rollup", Columns: []string{"Stage", "Use cases", "Cost", "Benefit", "Expected NPV", "Risk-adjusted NPV"}}
	for _, o := range ru.ByStage {
		t.Rows = append(t.Rows, rollupRow(o, ru.Currency))
	}
	s.Tables = append(s.Tables, t)

	ranked, err := b.app.RankUseCases(b.ctx, caio.UseCaseFilter{})
	if err != nil {
		return err
	}
	key := b.cite(srcRanking)
	rs := b.r.Add(&report.Section{ID: "ranking", Heading: "Use cases ranked", PageBreak: true, Empty: "No use cases are in the portfolio yet.",
		Intro: []string{"Priority is 20 × the weighted mean of value, feasibility and 6 − risk (20 to 100); risk comes from the riskiest linked AI system's EU AI Act class. A use case linked to a prohibited system is blocked and ranks last."}})
	rs.Figures = append(rs.Figures, report.Figure{Label: "use cases ranked", Value: count(len(ranked)), Source: key, Link: "/usecases"})
	if len(ranked) > 0 {
		t := report.Table{Caption: "Use cases by rank", Source: key, Columns: []string{"Rank", "Use case", "Stage", "Priority", "Value", "Feasibility", "Risk", "Quadrant", "Median NPV"}}
		for i, u := range ranked {
			if i == maxListed {
				t.Note = fmt.Sprintf("The first %d of %d use cases are shown; the full ranking is on the use-case list.", maxListed, len(ranked))
				break
			}
			prio := "not rated"
			if u.Score.Rated {
				prio = fmt.Sprintf("%.0f", u.Score.Priority)
			}
			if u.Score.Blocked {
				prio += " (blocked: prohibited system)"
			}
			npv := "—"
			if u.NPVP50 != nil {
				npv = money(*u.NPVP50, ru.Currency)
			}
			t.Rows = append(t.Rows, []report.Cell{report.T(strconv.Itoa(u.Rank)), report.LI(u.Title, "/usecases/"+u.ID, u.ID), report.T(portfolio.StageLabel(u.Stage)),
				report.T(prio), report.T(fmt.Sprintf("%.1f", u.Score.Value)), report.T(fmt.Sprintf("%.1f", u.Score.Feasibility)), report.T(fmt.Sprintf("%.1f", u.Score.Risk)), report.T(u.Score.Quadrant), report.T(npv)})
		}
		rs.Tables = append(rs.Tables, t)
	}
	return nil
}

func rollupRow(o RollupRow, cur string) []report.Cell {
	return []report.Cell{report.T(o.Label), report.T(count(o.Count)), report.T(money(o.Cost, cur)), report.T(money(o.Benefit, cur)), report.T(money(o.ExpectedNPV, cur)), report.T(money(o.RiskAdjusted, cur))}
}

// euaiact is the EU AI Act readiness report: the posture, then each
// classified system with its class, reasons and obligations.
func (b *reportBuilder) euaiact() error {
	s := b.r.Add(&report.Section{ID: "posture", Heading: "Posture"})
	tl, err := b.app.OrgTimeline(b.ctx)
	if err != nil {
		return err
	}
	b.r.Versions = append(b.r.Versions, report.Version{Name: "timeline", Value: tl})
	if _, err := b.posture(s, true); err != nil {
		return err
	}
	// The riskiest classes first: those are the ones with obligations.
	var systems []*caio.AISystem
	total := 0
	for _, class := range []string{"prohibited", "high_risk", "transparency_only", "not_high_risk", "minimal", "out_of_scope", caio.Unclassified} {
		c := class
		xs, n, err := b.app.FindSystems(b.ctx, caio.AISystemFilter{Class: &c, Sort: "name", Page: caio.Page{Limit: maxListed}})
		if err != nil {
			return err
		}
		total += n
		for _, x := range xs {
			if len(systems) < maxListed {
				systems = append(systems, x)
			}
		}
	}
	key := b.cite(srcSystems)
	ls := b.r.Add(&report.Section{ID: "systems", Heading: "AI systems and their classes", Empty: "The inventory is empty."})
	t := report.Table{Caption: "AI systems, riskiest class first", Source: key, Columns: []string{"System", "Class", "Legal basis", "Next deadline", "Classified"}}
	for _, x := range systems {
		b.r.Seen(x.UpdatedAt)
		classified := "not yet"
		if x.ClassifiedAt != nil {
			classified = x.ClassifiedAt.UTC().Format("2006-01-02")
		}
		t.Rows = append(t.Rows, []report.Cell{report.LI(x.Name, "/systems/"+x.ID, x.ID), report.T(classLabel(x.Class)), report.T(dash(x.Basis)), report.T(dash(x.NextDeadline)), report.T(classified)})
	}
	if total > len(systems) {
		t.Note = fmt.Sprintf("The first %d of %d systems are shown, riskiest class first; every system is on the inventory page.", len(systems), total)
	}
	if len(systems) > 0 {
		ls.Tables = append(ls.Tables, t)
	}
	first := true
	for _, x := range systems {
		if x.Class == "" || x.Class == "minimal" || x.Class == "out_of_scope" {
			continue
		}
		sec := &report.Section{ID: "sys-" + x.ID, Heading: x.Name + " (" + x.ID + ")", PageBreak: first}
		first = false
		if err := b.classification(sec, x.ID); err != nil {
			return err
		}
		b.r.Add(sec)
	}
	return nil
}

// classification adds a system's class, reasons and obligations with the
// status of the control each became.
func (b *reportBuilder) classification(s *report.Section, systemID string) error {
	sc, err := b.app.FindClassification(b.ctx, systemID)
	if err != nil {
		return err
	}
	ckey := b.cite(report.Source{Key: "class:" + systemID, Label: "Classification of " + sc.System.Name + ": " + srcClassifyDoc, Page: "/systems/" + systemID + "/classification", API: "GET /api/v1/systems/" + systemID + "/classification"})
	s.Figures = append(s.Figures, report.Figure{Label: "EU AI Act class", Value: classLabel(sc.Class), Source: ckey, Link: "/systems/" + systemID + "/classification"})
	if sc.Result == nil {
		s.Empty = "Not classified yet."
		return nil
	}
	if sc.Current != nil {
		b.r.Seen(sc.Current.CreatedAt)
		s.Figures[0].Note = "classified " + stampDate(sc.Current.CreatedAt) + ", content " + sc.Result.ContentVersion
		if sc.Result.Provisional {
			s.Figures[0].Note += "; provisional: facts are missing"
		}
	}
	if sc.Override != nil {
		s.Intro = append(s.Intro, "The class in effect is set by a person: "+sc.Override.Reason)
	}
	for _, rs := range sc.Result.Reasons {
		s.Items = append(s.Items, report.Item{Text: rs.Text, Detail: rs.Ref})
	}
	controls := map[string]*caio.Control{}
	fw := catalog.EUAIAct
	id := systemID
	cs, _, err := b.app.FindControls(b.ctx, caio.ControlFilter{Framework: &fw, SystemID: &id, All: true, Page: caio.Page{Limit: caio.MaxPageLimit}})
	if err != nil {
		return err
	}
	for _, c := range cs {
		controls[c.ItemID] = c
		b.r.Seen(c.UpdatedAt)
	}
	key := b.cite(srcControls)
	t := report.Table{Caption: "Obligations of " + sc.System.Name, Source: key, Columns: []string{"Obligation", "Reference", "Applies from", "Status", "Owner", "Due"}}
	for _, o := range sc.Result.Obligations {
		if o.Status != "applies" {
			continue
		}
		status, owner, due, link := "no control yet", "", "", ""
		if c := controls[o.ID]; c != nil {
			status, owner, due, link = c.Status, c.Owner, c.Due, "/controls/"+c.ID
		}
		t.Rows = append(t.Rows, []report.Cell{report.L(o.Title, link), report.T(o.Ref), report.T(dash(o.Dates.Applies)), report.T(status), report.T(dash(owner)), report.T(dash(due))})
	}
	if len(t.Rows) > 0 {
		s.Tables = append(s.Tables, t)
	}
	return nil
}

// system is a system card.
func (b *reportBuilder) system(id string) error {
	x, err := b.app.FindSystem(b.ctx, id)
	if err != nil {
		return err
	}
	b.r.Seen(x.UpdatedAt)
	b.r.Title = "System card: " + x.Name
	b.r.Subtitle = x.ID
	key := b.cite(report.Source{Key: "system", Label: "The AI system's record", Page: "/systems/" + x.ID, API: "GET /api/v1/systems/" + x.ID})
	s := b.r.Add(&report.Section{ID: "system", Heading: "The system"})
	s.Tables = append(s.Tables, report.Table{Caption: "What the inventory records", Source: key, Columns: []string{"Field", "Value"}, Rows: [][]report.Cell{
		{report.T("Name"), report.L(x.Name, "/systems/"+x.ID)},
		{report.T("ID"), report.T(x.ID)},
		{report.T("Intended purpose"), report.T(dash(x.Purpose))},
		{report.T("Description"), report.T(dash(x.Description))},
		{report.T("Owner"), report.T(dash(x.Owner))},
		{report.T("Business unit"), report.T(dash(x.BusinessUnit))},
		{report.T("Stage"), report.T(dash(x.Stage))},
		{report.T("Countries"), report.T(dash(strings.Join(x.Countries, ", ")))},
		{report.T("Roles under the EU AI Act"), report.T(dash(strings.Join(x.Roles, ", ")))},
		{report.T("Users"), report.T(dash(x.Users))},
		{report.T("Affected persons"), report.T(dash(x.Affected))},
		{report.T("Autonomy"), report.T(dash(x.Autonomy))},
		{report.T("Human oversight"), report.T(dash(x.Oversight))},
		{report.T("Next deadline"), report.T(dash(x.NextDeadline))},
	}})
	cs := b.r.Add(&report.Section{ID: "classification", Heading: "EU AI Act class, reasons and obligations"})
	if err := b.classification(cs, x.ID); err != nil {
		return err
	}
	p, err := b.app.Posture(b.ctx, x.ID)
	if err != nil {
		return err
	}
	pkey := b.cite(report.Source{Key: "posture:" + x.ID, Label: "The system's controls in every enabled framework", Page: "/systems/" + x.ID + "#controls", API: "GET /api/v1/compliance/posture?system=" + x.ID})
	pct := "none apply"
	if p.Total.PercentImplemented != nil {
		pct = fmt.Sprintf("%.0f%%", *p.Total.PercentImplemented)
	}
	ps := b.r.Add(&report.Section{ID: "controls", Heading: "Controls"})
	ps.Figures = append(ps.Figures,
		report.Figure{Label: "controls implemented", Value: pct, Note: count(p.Total.Implemented) + " of " + count(p.Total.Total-p.Total.NotApplicable), Source: pkey, Link: "/systems/" + x.ID + "#controls"},
		report.Figure{Label: "controls overdue", Value: count(p.Total.Overdue), Source: pkey, Link: "/systems/" + x.ID + "#controls"})
	rs, rtotal, err := b.app.FindRisks(b.ctx, caio.RiskFilter{System: &id, Sort: "-score", Page: caio.Page{Limit: maxListed}})
	if err != nil {
		return err
	}
	rk := b.cite(srcRisks)
	rsec := b.r.Add(&report.Section{ID: "risks", Heading: "Risks", Empty: "No risks are linked to this system."})
	if len(rs) > 0 {
		t := report.Table{Caption: "Risks linked to the system", Source: rk, Columns: []string{"Risk", "Score", "Residual", "Status"}}
		for _, k := range rs {
			t.Rows = append(t.Rows, []report.Cell{report.LI(k.Title, "/risks/"+k.ID, k.ID), report.T(strconv.Itoa(k.InherentScore)), report.T(strconv.Itoa(k.ResidualScore)), report.T(k.Status)})
		}
		if rtotal > len(rs) {
			t.Note = fmt.Sprintf("The first %d of %d are shown.", len(rs), rtotal)
		}
		rsec.Tables = append(rsec.Tables, t)
	}
	is, _, err := b.app.FindIncidents(b.ctx, caio.IncidentFilter{System: &id, Page: caio.Page{Limit: maxListed}})
	if err != nil {
		return err
	}
	ik := b.cite(srcIncidents)
	isec := b.r.Add(&report.Section{ID: "incidents", Heading: "Incidents", Empty: "No incidents are recorded for this system."})
	if len(is) > 0 {
		t := report.Table{Caption: "Incidents of the system", Source: ik, Columns: []string{"Incident", "Severity", "Serious (Art 73)", "Status"}}
		for _, i := range is {
			t.Rows = append(t.Rows, []report.Cell{report.LI(i.Title, "/incidents/"+i.ID, i.ID), report.T(i.Severity), report.T(yesNo(i.Serious)), report.T(i.Status)})
		}
		isec.Tables = append(isec.Tables, t)
	}
	return nil
}

// handover is the pack for an incoming CAIO.
func (b *reportBuilder) handover() error {
	b.prefetchAdvice()
	defer b.drainAdvice()
	es := b.r.Add(&report.Section{ID: "engagement", Heading: "Engagement status", Empty: "No engagement is active."})
	e, err := b.app.ActiveEngagement(b.ctx)
	if err != nil && caio.ErrorCode(err) != caio.ENOTFOUND {
		return err
	}
	if e != nil {
		v, err := b.app.FindEngagementView(b.ctx, e.ID)
		if err != nil {
			return err
		}
		b.r.Seen(v.UpdatedAt)
		key := b.cite(srcEngagement)
		done := 0
		for _, d := range v.Deliverables {
			if d.Done {
				done++
			}
		}
		es.Intro = append(es.Intro, fmt.Sprintf("%s, sponsored by %s, runs from %s to %s; current phase: %s.", v.Title, dash(v.Sponsor), v.Start, v.End, dash(v.CurrentPhase)))
		es.Figures = append(es.Figures,
			report.Figure{Label: "deliverables done", Value: fmt.Sprintf("%d of %d", done, len(v.Deliverables)), Source: key, Link: "/engagements/" + v.ID},
			report.Figure{Label: "plan items", Value: count(len(v.Plan)), Source: key, Link: "/engagements/" + v.ID})
		t := report.Table{Caption: "Deliverables", Source: key, Columns: []string{"Deliverable", "Done", "How we know", "Source"}}
		for _, d := range v.Deliverables {
			t.Rows = append(t.Rows, []report.Cell{report.T(d.Label), report.T(yesNo(d.Done)), report.T(dash(d.Reason)), report.T(d.Source)})
		}
		es.Tables = append(es.Tables, t)
		for _, g := range v.Goals {
			es.Items = append(es.Items, report.Item{Text: g, Detail: "engagement goal"})
		}
	}
	inv := b.r.Add(&report.Section{ID: "inventory", Heading: "Inventory and compliance"})
	if _, err := b.posture(inv, true); err != nil {
		return err
	}
	if _, err := b.value(b.r.Add(&report.Section{ID: "portfolio", Heading: "Portfolio"})); err != nil {
		return err
	}
	ts := b.r.Add(&report.Section{ID: "tasks", Heading: "Open actions and tasks", PageBreak: true, Empty: "No open tasks."})
	open := "open"
	tasks, ttotal, err := b.app.FindTasks(b.ctx, caio.TaskFilter{Status: &open, Sort: "due", Page: caio.Page{Limit: maxListed}})
	if err != nil {
		return err
	}
	tk := b.cite(srcTasks)
	ts.Figures = append(ts.Figures, report.Figure{Label: "open tasks", Value: count(ttotal), Source: tk, Link: "/tasks"})
	if len(tasks) > 0 {
		t := report.Table{Caption: "Open tasks, earliest due first", Source: tk, Columns: []string{"Task", "Owner", "Due"}}
		for _, x := range tasks {
			b.r.Seen(x.UpdatedAt)
			due := dash(x.Due)
			if x.Overdue {
				due += " (overdue)"
			}
			t.Rows = append(t.Rows, []report.Cell{report.LI(x.Title, "/tasks/"+x.ID, x.ID), report.T(dash(x.OwnerName)), report.T(due)})
		}
		if ttotal > len(tasks) {
			t.Note = fmt.Sprintf("The first %d of %d are shown.", len(tasks), ttotal)
		}
		ts.Tables = append(ts.Tables, t)
	}
	if err := b.decisions(b.r.Add(&report.Section{ID: "decisions", Heading: "Decisions pending and actions proposed"}), 10); err != nil {
		return err
	}
	pols, ptotal, err := b.app.FindPolicies(b.ctx, caio.PolicyFilter{Sort: "title", Page: caio.Page{Limit: maxListed}})
	if err != nil {
		return err
	}
	pk := b.cite(srcPolicies)
	psec := b.r.Add(&report.Section{ID: "policies", Heading: "Policies", Empty: "No policies yet."})
	psec.Figures = append(psec.Figures, report.Figure{Label: "policies", Value: count(ptotal), Source: pk, Link: "/policies"})
	if len(pols) > 0 {
		t := report.Table{Caption: "Policies", Source: pk, Columns: []string{"Policy", "Status", "Version in force", "Owner", "Next review"}}
		for _, p := range pols {
			b.r.Seen(p.UpdatedAt)
			t.Rows = append(t.Rows, []report.Cell{report.LI(p.Title, "/policies/"+p.ID, p.ID), report.T(p.Status), report.T(strconv.Itoa(p.CurrentVersion)), report.T(dash(p.Owner)), report.T(dash(p.NextReview))})
		}
		psec.Tables = append(psec.Tables, t)
	}
	if err := b.topRisks(b.r.Add(&report.Section{ID: "risks", Heading: "Risks"}), 10); err != nil {
		return err
	}
	if err := b.incidents(b.r.Add(&report.Section{ID: "incidents", Heading: "Incidents"}), 10); err != nil {
		return err
	}
	people, petotal, err := b.app.FindPeople(b.ctx, caio.PersonFilter{Sort: "name", Page: caio.Page{Limit: maxListed}})
	if err != nil {
		return err
	}
	pe := b.cite(srcPeople)
	pesec := b.r.Add(&report.Section{ID: "people", Heading: "People", Empty: "No people are recorded."})
	pesec.Figures = append(pesec.Figures, report.Figure{Label: "people in the AI team", Value: count(petotal), Source: pe, Link: "/talent"})
	if len(people) > 0 {
		t := report.Table{Caption: "The AI team", Source: pe, Columns: []string{"Person", "Role", "Skills rated", "Below the role's level"}}
		for _, p := range people {
			t.Rows = append(t.Rows, []report.Cell{report.LI(p.Name, "/talent/people/"+p.ID, p.ID), report.T(dash(p.RoleName)), report.T(strconv.Itoa(p.Rated)), report.T(strconv.Itoa(p.Below))})
		}
		pesec.Tables = append(pesec.Tables, t)
	}
	return nil
}

// --- formatting ---

func count(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}

func money(v float64, cur string) string {
	s := count(int(math.Round(v)))
	if cur != "" {
		s = cur + " " + s
	}
	return s
}

func rnum(v float64) string {
	if v == math.Trunc(v) {
		return count(int(v))
	}
	return strconv.FormatFloat(v, 'f', 1, 64)
}

func dash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func refs(rs []string) string {
	if len(rs) == 0 {
		return ""
	}
	return " (" + strings.Join(rs, "; ") + ")"
}

func classLabel(c string) string {
	if c == "" {
		return "Not classified"
	}
	return caio.ClassLabel(c)
}

func stampDate(t interface{ Format(string) string }) string { return t.Format("2006-01-02") }
