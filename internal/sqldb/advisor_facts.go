package sqldb

import (
	"context"
	"encoding/json"

	"github.com/caio-office/caio/internal/engine/advisor"
	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/caio-office/caio/internal/engine/finance"
)

// advisorLoaders add the facts of areas that live in their own files (such
// as incidents and policies) to an organisation's snapshot. Each area
// registers its loader from an init function.
var advisorLoaders []func(ctx context.Context, c *Conn, orgID, today string, f *advisor.Facts) error

// AdvisorFacts loads the snapshot of one organisation that the advisor's
// rules read, as of today (YYYY-MM-DD): the organisation, its systems with
// their applicable controls and evidence counts, use cases with their KPI
// and benefit gaps, vendors with their newest submitted assessment, risks
// against the appetite, and submitted assessments; then every registered
// advisorLoaders entry adds its area. It runs a fixed number of set-based
// queries whatever the size of the organisation. Slices are in ID order.
func (c *Conn) AdvisorFacts(ctx context.Context, orgID, today string) (*advisor.Facts, error) {
	f := &advisor.Facts{Org: advisor.Org{ID: orgID, Today: today}}
	steps := []func(context.Context, string, *advisor.Facts) error{
		c.advisorOrg, c.advisorSystems, c.advisorUseCases, c.advisorVendors, c.advisorRisks, c.advisorAssessments,
	}
	for _, step := range steps {
		if err := step(ctx, orgID, f); err != nil {
			return nil, err
		}
	}
	for _, load := range advisorLoaders {
		if err := load(ctx, c, orgID, today, f); err != nil {
			return nil, err
		}
	}
	// Areas whose loaders list policies but leave the organisation's
	// counts alone still count.
	if f.Org.ApprovedPolicies == 0 {
		for _, p := range f.Policies {
			if p.InForce || p.Status == "approved" {
				f.Org.ApprovedPolicies++
			}
		}
	}
	for _, p := range f.Policies {
		if p.InForce || p.Status == "approved" {
			if advisor.GeneralAIPolicy(p.Kind) {
				f.Org.AIPolicy = true
			}
			if p.Kind == "literacy" {
				f.Org.LiteracyMeasures = true
			}
		}
	}
	return f, nil
}

// rowsEach runs a query and calls scan for each row.
func (c *Conn) rowsEach(ctx context.Context, query string, args []any, scan func(row interface{ Scan(...any) error }) error) error {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return translate(rows.Err())
}

// day keeps the date of a stored time (YYYY-MM-DD...), or "".
func day(s string) string {
	if len(s) < 10 {
		return ""
	}
	return s[:10]
}

func (c *Conn) advisorOrg(ctx context.Context, orgID string, f *advisor.Facts) error {
	err := c.q.QueryRowContext(ctx, `/* Conn.AdvisorFacts */ SELECT name, (SELECT COUNT(*) FROM memberships WHERE org_id = $1) FROM organizations WHERE id = $1`, orgID).
		Scan(&f.Org.Name, &f.Org.Members)
	if err != nil {
		return translate(err)
	}
	ap, err := c.RiskAppetite(ctx, orgID)
	if err != nil {
		return err
	}
	f.Org.RiskAppetite = ap.Appetite
	return nil
}

func (c *Conn) advisorSystems(ctx context.Context, orgID string, f *advisor.Facts) error {
	index := map[string]int{}
	err := c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT id, name, owner, stage, roles, class, basis, next_deadline, classified_at FROM ai_systems WHERE org_id = $1 ORDER BY id`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var s advisor.System
			var roles, basis, classified string
			if err := row.Scan(&s.ID, &s.Name, &s.Owner, &s.Stage, &roles, &s.Class, &basis, &s.NextDue, &classified); err != nil {
				return err
			}
			s.Roles, s.Basis, s.Classified = nonNil(splitKeys(roles)), nonNil(splitKeys(basis)), day(classified)
			s.Vendors, s.UseCases, s.Controls = []string{}, []string{}, map[string]advisor.Control{}
			index[s.ID] = len(f.Systems)
			f.Systems = append(f.Systems, s)
			return nil
		})
	if err != nil {
		return err
	}
	err = c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT system_id, target_id FROM system_links WHERE org_id = $1 AND kind = 'vendor' ORDER BY system_id, target_id`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var sys, ven string
			if err := row.Scan(&sys, &ven); err != nil {
				return err
			}
			if i, ok := index[sys]; ok {
				f.Systems[i].Vendors = append(f.Systems[i].Vendors, ven)
			}
			return nil
		})
	if err != nil {
		return err
	}
	err = c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT target_id, use_case_id FROM use_case_links WHERE org_id = $1 AND kind = 'system' ORDER BY target_id, use_case_id`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var sys, uc string
			if err := row.Scan(&sys, &uc); err != nil {
				return err
			}
			if i, ok := index[sys]; ok {
				f.Systems[i].UseCases = append(f.Systems[i].UseCases, uc)
			}
			return nil
		})
	if err != nil {
		return err
	}
	cat := catalog.Default()
	return c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT k.id, k.system_id, k.framework, k.item_id, k.status, k.deadline, k.due, k.review_date, k.owner, COALESCE(e.n, 0)
		FROM controls k LEFT JOIN (SELECT control_id, COUNT(*) AS n FROM evidence WHERE org_id = $1 GROUP BY control_id) e ON e.control_id = k.id
		WHERE k.org_id = $1 AND k.applicable = 1`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var k advisor.Control
			var sys string
			if err := row.Scan(&k.ID, &sys, &k.Framework, &k.Item, &k.Status, &k.Deadline, &k.Due, &k.ReviewDate, &k.Owner, &k.Evidence); err != nil {
				return err
			}
			i, ok := index[sys]
			if !ok {
				return nil
			}
			if it := cat.Item(k.Framework, k.Item); it != nil {
				k.Title = it.Label + " " + it.Title
			}
			s := &f.Systems[i]
			s.Controls[k.Framework+"/"+k.Item] = k
			if k.Framework == "eu-ai-act" {
				if len(k.Item) > 5 && k.Item[:5] == "art53" || k.Item == "art55" {
					s.GPAI = true
				}
				if k.Item == "art4" && k.Status == "implemented" {
					f.Org.LiteracyMeasures = true
				}
			}
			return nil
		})
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (c *Conn) advisorUseCases(ctx context.Context, orgID string, f *advisor.Facts) error {
	index := map[string]int{}
	err := c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT id, title, owner, stage, stage_since FROM use_cases WHERE org_id = $1 ORDER BY id`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var u advisor.UseCase
			var since string
			if err := row.Scan(&u.ID, &u.Title, &u.Owner, &u.Stage, &since); err != nil {
				return err
			}
			u.StageDate, u.Systems, u.BelowP10 = day(since), []string{}, []int{}
			index[u.ID] = len(f.UseCases)
			f.UseCases = append(f.UseCases, u)
			return nil
		})
	if err != nil {
		return err
	}
	for i := range f.Systems {
		for _, uc := range f.Systems[i].UseCases {
			if j, ok := index[uc]; ok {
				f.UseCases[j].Systems = append(f.UseCases[j].Systems, f.Systems[i].ID)
			}
		}
	}
	err = c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT use_case_id, COUNT(*), SUM(CASE WHEN baseline IS NULL OR target IS NULL THEN 1 ELSE 0 END) FROM kpis WHERE org_id = $1 GROUP BY use_case_id`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var uc string
			var n, gaps int
			if err := row.Scan(&uc, &n, &gaps); err != nil {
				return err
			}
			if j, ok := index[uc]; ok {
				f.UseCases[j].KPIs, f.UseCases[j].KPIsWithoutBaseline = n, gaps
			}
			return nil
		})
	if err != nil {
		return err
	}
	// Business cases: the simulated range is read only for use cases with
	// realised benefits, the rest need only to be known.
	ranges := map[string][]finance.Percentiles{}
	err = c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT b.use_case_id, CASE WHEN EXISTS (SELECT 1 FROM benefit_actuals a WHERE a.org_id = $1 AND a.use_case_id = b.use_case_id) THEN b.result ELSE '' END
		FROM business_cases b WHERE b.org_id = $1`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var uc, result string
			if err := row.Scan(&uc, &result); err != nil {
				return err
			}
			j, ok := index[uc]
			if !ok {
				return nil
			}
			f.UseCases[j].HasBusinessCase = true
			if result != "" {
				var res finance.Result
				if err := json.Unmarshal([]byte(result), &res); err != nil {
					return err
				}
				ranges[uc] = res.BenefitByYear
			}
			return nil
		})
	if err != nil || len(ranges) == 0 {
		return err
	}
	return c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT use_case_id, year, amount FROM benefit_actuals WHERE org_id = $1 ORDER BY use_case_id, year`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var uc string
			var year int
			var amount float64
			if err := row.Scan(&uc, &year, &amount); err != nil {
				return err
			}
			r := ranges[uc]
			if year >= 1 && year <= len(r) && amount < r[year-1].P10 {
				j := index[uc]
				f.UseCases[j].BelowP10 = append(f.UseCases[j].BelowP10, year)
			}
			return nil
		})
}

func (c *Conn) advisorVendors(ctx context.Context, orgID string, f *advisor.Facts) error {
	supplied := map[string]int{}
	for i := range f.Systems {
		for _, v := range f.Systems[i].Vendors {
			supplied[v]++
		}
	}
	index := map[string]int{}
	err := c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT id, name FROM vendors WHERE org_id = $1 ORDER BY id`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var v advisor.Vendor
			if err := row.Scan(&v.ID, &v.Name); err != nil {
				return err
			}
			v.Systems = supplied[v.ID]
			index[v.ID] = len(f.Vendors)
			f.Vendors = append(f.Vendors, v)
			return nil
		})
	if err != nil {
		return err
	}
	return c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT subject_id, MAX(submitted_at) FROM assessments WHERE org_id = $1 AND status = 'submitted' AND subject_kind = 'vendor' GROUP BY subject_id`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var ven, at string
			if err := row.Scan(&ven, &at); err != nil {
				return err
			}
			if j, ok := index[ven]; ok {
				f.Vendors[j].LastAssessed = day(at)
			}
			return nil
		})
}

func (c *Conn) advisorRisks(ctx context.Context, orgID string, f *advisor.Facts) error {
	return c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT r.id, r.title, r.owner, r.status, r.score, r.review_date, COALESCE(t.n, 0)
		FROM risks r LEFT JOIN (SELECT risk_id, COUNT(*) AS n FROM risk_treatments WHERE org_id = $1 AND status <> 'cancelled' GROUP BY risk_id) t ON t.risk_id = r.id
		WHERE r.org_id = $1 ORDER BY r.id`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var r advisor.Risk
			if err := row.Scan(&r.ID, &r.Title, &r.Owner, &r.Status, &r.Score, &r.ReviewDate, &r.Treatments); err != nil {
				return err
			}
			r.Breach = r.Score > f.Org.RiskAppetite
			f.Risks = append(f.Risks, r)
			return nil
		})
}

func (c *Conn) advisorAssessments(ctx context.Context, orgID string, f *advisor.Facts) error {
	err := c.rowsEach(ctx, `/* Conn.AdvisorFacts */ SELECT id, definition, subject_id, submitted_at FROM assessments WHERE org_id = $1 AND status = 'submitted' ORDER BY id`, []any{orgID},
		func(row interface{ Scan(...any) error }) error {
			var a advisor.Assessment
			var at string
			if err := row.Scan(&a.ID, &a.Kind, &a.Subject, &at); err != nil {
				return err
			}
			a.Submitted = day(at)
			if a.Kind == "readiness" && a.Submitted > f.Org.LatestReadiness {
				f.Org.LatestReadiness = a.Submitted
			}
			f.Assessments = append(f.Assessments, a)
			return nil
		})
	return err
}
