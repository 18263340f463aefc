package sqldb

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/caio-office/caio"
)

// GenerateOptions says how much benchmark data Generate makes.
type GenerateOptions struct {
	// Scale is the number of objects of each kind (today: objectives) in all.
	// They are spread over max(1, Scale/1000) organisations.
	Scale int
	// PasswordHash is stored for every generated owner, computed once by the
	// caller (hashing is deliberately slow).
	PasswordHash string
	// Progress, when set, is called after each transaction commits.
	Progress func(orgsDone, orgsTotal int)
	// Systems is the number of AI systems in each organisation; zero gives
	// each as many as it has objectives. Systems are not classified and
	// carry no audit events, so the audit chain is that of the objectives.
	Systems int
	// Compliance gives the generated systems an EU AI Act class (15%
	// high-risk, 20% transparency only, half minimal, and a few others)
	// and the controls that go with it, in varied states, as a posture
	// benchmark needs. Their audit events are left out too.
	Compliance bool
}

// GenerateStats counts what Generate wrote.
type GenerateStats struct {
	Orgs        int           `json:"organizations"`
	Users       int           `json:"users"`
	Memberships int           `json:"memberships"`
	Objectives  int           `json:"objectives"`
	Systems     int           `json:"systems"`
	Controls    int           `json:"controls"`
	AuditEvents int           `json:"audit_events"`
	Rows        int64         `json:"rows"`
	FirstSlug   string        `json:"first_slug"`
	LastSlug    string        `json:"last_slug"`
	Elapsed     time.Duration `json:"elapsed_ns"`
}

// BenchOwnerEmail returns the email of the owner Generate makes for an organisation.
func BenchOwnerEmail(slug string) string { return "owner@" + slug + ".example" }

// Generate writes benchmark data fast, bypassing the application services:
// organisations named bench-001, bench-002, ... (numbering on after any that
// exist), each with one owner, about 1,000 objectives, as many AI systems
// (or GenerateOptions.Systems), and an audit chain
// that verifies: the events an organisation's creation writes, then one
// objective.create event per objective, hash-linked, with the head updated.
// Rows go in with prepared multi-row inserts, in a few large transactions.
// It is for load tests and benchmarks, never for real data.
func (db *DB) Generate(ctx context.Context, opt GenerateOptions) (*GenerateStats, error) {
	if opt.Scale < 1 {
		return nil, caio.FieldError("scale", "must be at least 1")
	}
	if opt.PasswordHash == "" {
		return nil, caio.FieldError("password_hash", "is required")
	}
	start := time.Now()
	orgs := max(1, opt.Scale/1000)
	first, err := db.nextBenchNumber(ctx)
	if err != nil {
		return nil, err
	}
	width := max(3, len(strconv.Itoa(first+orgs-1)))
	slug := func(i int) string { return fmt.Sprintf("bench-%0*d", width, first+i) }
	perOrg := func(i int) int {
		n := opt.Scale / orgs
		if i < opt.Scale%orgs {
			n++
		}
		return n
	}
	stats := &GenerateStats{FirstSlug: slug(0), LastSlug: slug(orgs - 1)}
	if db.Dialect == SQLite {
		// A larger page cache on the one writer connection keeps the
		// B-trees of a big transaction in memory instead of spilling them.
		if _, err := db.write.ExecContext(ctx, `PRAGMA cache_size = -65536`); err == nil {
			defer db.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA cache_size = -2000`)
		}
	}
	// About 20,000 objectives per transaction: large enough that commits
	// cost nothing, small enough that the WAL and a retry stay modest.
	perTx := max(1, 20000/max(1, opt.Scale/orgs))
	for lo := 0; lo < orgs; lo += perTx {
		hi := min(orgs, lo+perTx)
		var part GenerateStats
		err := db.Write(ctx, func(c *Conn) error {
			part = GenerateStats{}
			return c.generateOrgs(ctx, opt, lo, hi, slug, perOrg, &part)
		})
		if err != nil {
			return nil, err
		}
		stats.Orgs += part.Orgs
		stats.Users += part.Users
		stats.Memberships += part.Memberships
		stats.Objectives += part.Objectives
		stats.Systems += part.Systems
		stats.Controls += part.Controls
		stats.AuditEvents += part.AuditEvents
		stats.Rows += part.Rows
		if opt.Progress != nil {
			opt.Progress(hi, orgs)
		}
	}
	stats.Elapsed = time.Since(start)
	return stats, nil
}

// nextBenchNumber returns the number after the highest bench-NNN organisation.
func (db *DB) nextBenchNumber(ctx context.Context) (int, error) {
	rows, err := db.read.QueryContext(ctx, `/* DB.nextBenchNumber */ SELECT slug FROM organizations WHERE slug LIKE 'bench-%'`)
	if err != nil {
		return 0, translate(err)
	}
	defer rows.Close()
	high := 0
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return 0, translate(err)
		}
		if n, err := strconv.Atoi(strings.TrimPrefix(s, "bench-")); err == nil && n > high {
			high = n
		}
	}
	return high + 1, translate(rows.Err())
}

// Benchmark objectives are made from these parts, so lists, searches and
// sorts see varied text.
var (
	benchThemes = []string{"Claims automation", "Fraud detection", "Customer response time", "Underwriting speed",
		"EU AI Act readiness", "AI literacy", "Document intake", "Churn reduction", "Pricing accuracy", "Service quality"}
	benchKPIs = []struct{ kpi, unit string }{
		{"median handling time", "days"}, {"share of cases automated", "%"}, {"first response time", "hours"},
		{"cost per case", "EUR"}, {"staff trained", "%"}, {"customer satisfaction", "points"},
	}
	benchOwners = []string{"Head of Claims", "Chief Risk Officer", "Head of Customer Service", "Chief Underwriting Officer",
		"Head of AI Governance", "Chief People Officer", "Chief Operating Officer"}
)

// generateOrgs writes organisations lo..hi-1 and everything in them.
func (c *Conn) generateOrgs(ctx context.Context, opt GenerateOptions, lo, hi int, slug func(int) string, perOrg func(int) int, st *GenerateStats) error {
	hash := opt.PasswordHash
	now := ts(c.now)
	type orgRow struct{ id, slug, user, email string }
	orgs := make([]orgRow, 0, hi-lo)
	orgIns := c.bulk("organizations", []string{"id", "slug", "name", "created_at", "updated_at"})
	userIns := c.bulk("users", []string{"id", "email", "name", "password_hash", "created_at"})
	for i := lo; i < hi; i++ {
		s := slug(i)
		o := orgRow{id: caio.NewID("org"), slug: s, user: caio.NewID("usr"), email: BenchOwnerEmail(s)}
		orgs = append(orgs, o)
		if err := orgIns.Add(ctx, o.id, s, "Benchmark "+strings.TrimPrefix(s, "bench-"), now, now); err != nil {
			return err
		}
		if err := userIns.Add(ctx, o.user, o.email, "Owner of "+s, hash, now); err != nil {
			return err
		}
	}
	// Close in foreign-key order: organisations and users before what
	// refers to them.
	if err := orgIns.Close(ctx); err != nil {
		return err
	}
	if err := userIns.Close(ctx); err != nil {
		return err
	}
	memIns := c.bulk("memberships", []string{"org_id", "user_id", "role", "created_at"})
	headIns := c.bulk("audit_heads", []string{"org_id", "seq", "hash"})
	evIns := c.bulk("audit_events", strings.Split(strings.ReplaceAll(auditColumns, " ", ""), ","))
	objIns := c.bulk("objectives", strings.Split(strings.ReplaceAll(objectiveColumns, " ", ""), ","))
	countIns := c.bulk("org_counters", []string{"org_id", "kind", "n"})
	sysIns := c.bulk("ai_systems", strings.Split(strings.ReplaceAll(systemColumns, " ", ""), ","))
	ctlIns := c.bulk("controls", controlInsertColumns)
	for i, o := range orgs {
		if err := memIns.Add(ctx, o.id, o.user, string(caio.RoleOwner), now); err != nil {
			return err
		}
		chain := benchChain{ins: evIns, orgID: o.id, at: c.now}
		// The same two events app.CreateOrg writes, by the system actor.
		if err := chain.add(ctx, "organization.create", "organization", o.id, caio.Diff(nil, map[string]any{"slug": o.slug, "name": "Benchmark " + strings.TrimPrefix(o.slug, "bench-")})); err != nil {
			return err
		}
		if err := chain.add(ctx, "member.add", "user", o.user, caio.Diff(nil, map[string]any{"email": o.email, "role": caio.RoleOwner})); err != nil {
			return err
		}
		n := perOrg(lo + i)
		for j := 0; j < n; j++ {
			obj := benchObjective(o.id, j)
			if err := objIns.Add(ctx, obj.ID, obj.OrgID, obj.Title, obj.Description, obj.KPI, floatArg(obj.Baseline), floatArg(obj.Target),
				obj.Unit, obj.Horizon, obj.Owner, 1, now, now); err != nil {
				return err
			}
			if err := chain.add(ctx, "objective.create", "objective", obj.ID, caio.Diff(nil, obj.Fields())); err != nil {
				return err
			}
		}
		if err := headIns.Add(ctx, o.id, chain.seq, chain.prev); err != nil {
			return err
		}
		if err := countIns.Add(ctx, o.id, "objective", n); err != nil {
			return err
		}
		st.Objectives += n
		st.AuditEvents += int(chain.seq)
		systems := opt.Systems
		if systems <= 0 {
			systems = n
		}
		var sysIDs []string
		for j := 0; j < systems; j++ {
			s := benchSystem(o.id, j)
			class := ""
			if opt.Compliance {
				class = benchClass(j)
				sysIDs = append(sysIDs, s.ID)
			}
			if err := sysIns.Add(ctx, s.ID, s.OrgID, s.Name, s.Purpose, s.Description, s.Owner, s.BusinessUnit, s.Stage, joinKeys(s.Countries),
				s.Users, s.Affected, s.Autonomy, s.Oversight, joinKeys(s.Roles), 1, now, now, class, "", "", "", ""); err != nil {
				return err
			}
		}
		if opt.Compliance {
			// The systems go in first: controls refer to them.
			if err := sysIns.flush(ctx); err != nil {
				return err
			}
			n, err := c.generateControls(ctx, ctlIns, o.id, sysIDs, now)
			if err != nil {
				return err
			}
			st.Controls += n
		}
		if err := countIns.Add(ctx, o.id, "system", systems); err != nil {
			return err
		}
		st.Systems += systems
	}
	for _, b := range []*bulkInserter{memIns, headIns, evIns, objIns, sysIns, ctlIns, countIns} {
		if err := b.Close(ctx); err != nil {
			return err
		}
	}
	st.Orgs, st.Users, st.Memberships = len(orgs), len(orgs), len(orgs)
	for _, b := range []*bulkInserter{orgIns, userIns, memIns, headIns, evIns, objIns, sysIns, ctlIns, countIns} {
		st.Rows += b.Rows
	}
	return nil
}

func benchObjective(orgID string, j int) *caio.Objective {
	k := benchKPIs[j%len(benchKPIs)]
	base := float64(20 + j%60)
	target := base * 1.5
	if k.unit == "days" || k.unit == "hours" || k.unit == "EUR" {
		target = base / 2
	}
	return &caio.Objective{
		ID: caio.NewID("obj"), OrgID: orgID,
		Title:       fmt.Sprintf("%s %d", benchThemes[j%len(benchThemes)], j+1),
		Description: "Generated benchmark objective; not real data.",
		KPI:         k.kpi, Baseline: &base, Target: &target, Unit: k.unit,
		Horizon: fmt.Sprintf("%d-%02d-28", 2027+j%2, 1+j%12),
		Owner:   benchOwners[j%len(benchOwners)],
	}
}

// Benchmark AI systems are made from these parts.
var (
	benchSystemNames = []string{"Claims triage", "Fraud scoring", "Customer chatbot", "CV screening", "Life pricing model",
		"Document intake", "Churn prediction", "Call summarisation", "Underwriting assistant", "Payment anomaly detection"}
	benchUnits = []string{"Claims", "Special Investigations", "Customer Service", "People", "Underwriting", "Finance"}
	benchRoles = [][]string{{"deployer"}, {"provider", "deployer"}, {"deployer"}, {"importer", "deployer"}, {"provider"}}
)

func benchSystem(orgID string, j int) *caio.AISystem {
	return &caio.AISystem{
		ID: caio.NewID("sys"), OrgID: orgID,
		Name:         fmt.Sprintf("%s %d", benchSystemNames[j%len(benchSystemNames)], j+1),
		Purpose:      "Generated benchmark system; not real data.",
		Owner:        benchOwners[j%len(benchOwners)],
		BusinessUnit: benchUnits[j%len(benchUnits)],
		Stage:        caio.SystemStages[j%len(caio.SystemStages)],
		Countries:    [][]string{{"DE"}, {"DE", "FR"}, {"NL"}, {"FR", "IT", "ES"}}[j%4],
		Users:        "Staff of " + benchUnits[j%len(benchUnits)],
		Affected:     "Customers",
		Autonomy:     caio.SystemAutonomyLevels[j%len(caio.SystemAutonomyLevels)],
		Roles:        benchRoles[j%len(benchRoles)],
	}
}

// benchChain appends hash-linked audit events of one organisation, exactly as
// Conn.AppendAudit would, but in bulk.
type benchChain struct {
	ins   *bulkInserter
	orgID string
	at    time.Time
	seq   int64
	prev  string
}

func (b *benchChain) add(ctx context.Context, action, objectType, objectID string, diff []byte) error {
	e := caio.AuditEvent{OrgID: b.orgID, Seq: b.seq + 1, At: b.at, Actor: caio.Actor{System: true}.Label(),
		Action: action, ObjectType: objectType, ObjectID: objectID, Diff: diff, PrevHash: b.prev}
	e.Hash = e.ComputeHash()
	b.seq, b.prev = e.Seq, e.Hash
	return b.ins.Add(ctx, e.OrgID, e.Seq, ts(e.At), e.ActorID, e.Actor, e.Action, e.ObjectType, e.ObjectID, string(e.Diff), e.RequestID, e.PrevHash, e.Hash)
}
