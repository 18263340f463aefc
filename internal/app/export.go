package app

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/tabular"
	"github.com/caio-office/caio/internal/sqldb"
)

// The columns of every list's CSV and XLSX export, shared by the pages
// (internal/web/export.go) and the API (internal/api/export.go), which
// each read their list's filters and page through the Find services.

// ExportBatch is how many rows an export reads at a time.
const ExportBatch = caio.MaxPageLimit

// ExportTable is a list's columns and how one of its objects fills a row.
type ExportTable[T any] struct {
	Columns []tabular.Column
	Row     func(T) []string
}

func xcols(names ...string) []tabular.Column {
	out := make([]tabular.Column, len(names))
	for i, n := range names {
		out[i] = tabular.Column{Name: n}
	}
	return out
}

// xnum marks the named columns numeric.
func xnum(cols []tabular.Column, names ...string) []tabular.Column {
	for i := range cols {
		for _, n := range names {
			if cols[i].Name == n {
				cols[i].Numeric = true
			}
		}
	}
	return cols
}

func xtime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func xtimep(t *time.Time) string {
	if t == nil {
		return ""
	}
	return xtime(*t)
}

func xbool(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func xfloat(f *float64) string {
	if f == nil {
		return ""
	}
	return strconv.FormatFloat(*f, 'f', -1, 64)
}

func xint(n int) string { return strconv.Itoa(n) }

func xlist(s []string) string { return strings.Join(s, ", ") }

// The export tables, one per list.
var (
	SystemExport = ExportTable[*caio.AISystem]{
		Columns: xnum(xcols("id", "name", "purpose", "description", "owner", "business_unit", "stage", "countries", "users", "affected",
			"autonomy", "oversight", "roles", "omb_impact", "class", "basis", "next_deadline", "classified_at", "version", "created_at", "updated_at"), "version"),
		Row: func(s *caio.AISystem) []string {
			return []string{s.ID, s.Name, s.Purpose, s.Description, s.Owner, s.BusinessUnit, s.Stage, xlist(s.Countries), s.Users, s.Affected,
				s.Autonomy, s.Oversight, xlist(s.Roles), s.OMBImpact, s.Class, s.Basis, s.NextDeadline, xtimep(s.ClassifiedAt), xint(s.Version), xtime(s.CreatedAt), xtime(s.UpdatedAt)}
		},
	}
	ModelExport = ExportTable[*caio.AIModel]{
		Columns: xnum(xcols("id", "name", "provider", "model_version", "kind", "licence", "description", "version", "created_at", "updated_at"), "version"),
		Row: func(m *caio.AIModel) []string {
			return []string{m.ID, m.Name, m.Provider, m.ModelVersion, m.Kind, m.Licence, m.Description, xint(m.Version), xtime(m.CreatedAt), xtime(m.UpdatedAt)}
		},
	}
	DatasetExport = ExportTable[*caio.Dataset]{
		Columns: xnum(xcols("id", "name", "source", "description", "personal_data", "special_categories", "version", "created_at", "updated_at"), "version"),
		Row: func(d *caio.Dataset) []string {
			return []string{d.ID, d.Name, d.Source, d.Description, xbool(d.PersonalData), xlist(d.SpecialCategories), xint(d.Version), xtime(d.CreatedAt), xtime(d.UpdatedAt)}
		},
	}
	VendorExport = ExportTable[*caio.Vendor]{
		Columns: xnum(xcols("id", "name", "website", "contact", "country", "description", "version", "created_at", "updated_at"), "version"),
		Row: func(v *caio.Vendor) []string {
			return []string{v.ID, v.Name, v.Website, v.Contact, v.Country, v.Description, xint(v.Version), xtime(v.CreatedAt), xtime(v.UpdatedAt)}
		},
	}
	UseCaseExport = ExportTable[ScoredUseCase]{
		Columns: xnum(xcols("id", "title", "problem", "process", "users", "volume", "data_needed", "data_available", "approach", "sourcing",
			"benefits", "costs", "risks", "dependencies", "owner", "sponsor", "stage", "intake", "priority", "value", "feasibility", "risk", "quadrant",
			"objective_ids", "system_ids", "version", "created_at", "updated_at"), "priority", "value", "feasibility", "risk", "version"),
		Row: func(s ScoredUseCase) []string {
			u := s.UseCase
			ff := func(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
			return []string{u.ID, u.Title, u.Problem, u.Process, u.Users, u.Volume, u.DataNeeded, u.DataAvailable, u.Approach, u.Sourcing,
				u.Benefits, u.Costs, u.Risks, u.Dependencies, u.Owner, u.Sponsor, u.Stage, u.Intake, ff(s.Score.Priority), ff(s.Score.Value),
				ff(s.Score.Feasibility), ff(s.Score.Risk), s.Score.Quadrant, xlist(u.ObjectiveIDs), xlist(u.SystemIDs), xint(u.Version), xtime(u.CreatedAt), xtime(u.UpdatedAt)}
		},
	}
	RiskExport = ExportTable[*caio.Risk]{
		Columns: xnum(xcols("id", "title", "description", "category", "likelihood", "impact", "residual_likelihood", "residual_impact",
			"inherent_score", "residual_score", "score", "breach", "owner", "status", "review_date", "overdue", "version", "created_at", "updated_at"),
			"likelihood", "impact", "residual_likelihood", "residual_impact", "inherent_score", "residual_score", "score", "version"),
		Row: func(r *caio.Risk) []string {
			return []string{r.ID, r.Title, r.Description, r.Category, xint(r.Likelihood), xint(r.Impact), xint(r.ResidualLikelihood), xint(r.ResidualImpact),
				xint(r.InherentScore), xint(r.ResidualScore), xint(r.Score), xbool(r.Breach), r.Owner, r.Status, r.ReviewDate, xbool(r.Overdue), xint(r.Version), xtime(r.CreatedAt), xtime(r.UpdatedAt)}
		},
	}
	ControlExport = ExportTable[*caio.Control]{
		Columns: xnum(xcols("id", "system_id", "system_name", "framework", "item_id", "item_label", "item_title", "applicable", "status", "reason",
			"owner", "deadline", "due_date", "due", "review_date", "evidence", "notes", "version", "created_at", "updated_at"), "evidence", "version"),
		Row: func(k *caio.Control) []string {
			return []string{k.ID, k.SystemID, k.SystemName, k.Framework, k.ItemID, k.ItemLabel, k.ItemTitle, xbool(k.Applicable), k.Status, k.Reason,
				k.Owner, k.Deadline, k.DueDate, k.Due, k.ReviewDate, xint(k.Evidence), k.Notes, xint(k.Version), xtime(k.CreatedAt), xtime(k.UpdatedAt)}
		},
	}
	IncidentExport = ExportTable[*caio.Incident]{
		Columns: xnum(xcols("id", "title", "description", "occurred_at", "aware_at", "harms", "severity", "serious", "widespread", "death", "status",
			"report_due", "reported_at", "reported_to", "owner", "systems", "lessons_learnt", "version", "created_at", "updated_at"), "version"),
		Row: func(i *caio.Incident) []string {
			sys := make([]string, len(i.Systems))
			for n, s := range i.Systems {
				sys[n] = s.ID
			}
			return []string{i.ID, i.Title, i.Description, xtimep(i.OccurredAt), xtime(i.AwareAt), xlist(i.Harms), i.Severity, xbool(i.Serious), xbool(i.Widespread), xbool(i.Death), i.Status,
				xtimep(i.ReportDue), xtimep(i.ReportedAt), i.ReportedTo, i.Owner, xlist(sys), i.LessonsLearnt, xint(i.Version), xtime(i.CreatedAt), xtime(i.UpdatedAt)}
		},
	}
	PolicyExport = ExportTable[*caio.Policy]{
		Columns: xnum(xcols("id", "title", "kind", "owner", "status", "current_version", "latest_version", "review_months", "next_review", "review_overdue",
			"ack_days", "ack_due", "starter", "version", "created_at", "updated_at"), "current_version", "latest_version", "review_months", "ack_days", "version"),
		Row: func(p *caio.Policy) []string {
			return []string{p.ID, p.Title, p.Kind, p.Owner, p.Status, xint(p.CurrentVersion), xint(p.LatestVersion), xint(p.ReviewMonths), p.NextReview, xbool(p.ReviewOverdue),
				xint(p.AckDays), p.AckDue, p.Starter, xint(p.Version), xtime(p.CreatedAt), xtime(p.UpdatedAt)}
		},
	}
	TaskExport = ExportTable[*caio.Task]{
		Columns: xnum(xcols("id", "title", "description", "owner_name", "owner_email", "due", "status", "overdue", "rule_id", "link", "completed_at",
			"version", "created_at", "updated_at"), "version"),
		Row: func(t *caio.Task) []string {
			return []string{t.ID, t.Title, t.Description, t.OwnerName, t.OwnerEmail, t.Due, t.Status, xbool(t.Overdue), t.RuleID, t.Link, xtimep(t.CompletedAt),
				xint(t.Version), xtime(t.CreatedAt), xtime(t.UpdatedAt)}
		},
	}
	ObjectiveExport = ExportTable[*caio.Objective]{
		Columns: xnum(xcols("id", "title", "description", "kpi", "baseline", "target", "unit", "horizon", "owner", "version", "created_at", "updated_at"),
			"baseline", "target", "version"),
		Row: func(o *caio.Objective) []string {
			return []string{o.ID, o.Title, o.Description, o.KPI, xfloat(o.Baseline), xfloat(o.Target), o.Unit, o.Horizon, o.Owner, xint(o.Version), xtime(o.CreatedAt), xtime(o.UpdatedAt)}
		},
	}
)

// Each pages through a list with find, ExportBatch rows at a time starting
// from the filter's page p, and emits every row; it returns how many.
func (t ExportTable[T]) Each(find func(p caio.Page) ([]T, int, error), emit func([]string) error) (int, error) {
	n := 0
	for off := 0; ; off += ExportBatch {
		items, total, err := find(caio.Page{Offset: off, Limit: ExportBatch})
		if err != nil {
			return n, err
		}
		for _, it := range items {
			if err := emit(t.Row(it)); err != nil {
				return n, err
			}
			n++
		}
		if len(items) < ExportBatch || off+len(items) >= total {
			return n, nil
		}
	}
}

// RecordExport audits an export: one event per file with its list, format,
// filters and number of rows. Needs PermRead, as the lists do.
func (app *App) RecordExport(ctx context.Context, list, format, query string, rows int) error {
	a, err := authorize(ctx, caio.PermRead)
	if err != nil {
		return err
	}
	return app.DB.Write(ctx, func(c *sqldb.Conn) error {
		return record(ctx, c, a, "export.run", "export", list,
			caio.Diff(nil, map[string]any{"list": list, "format": format, "filters": query, "rows": rows}))
	})
}
