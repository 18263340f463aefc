package caio

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// Objective is a business objective that AI work should serve, with the KPI
// that shows progress towards it.
type Objective struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	Title       string    `json:"title"`
	Description string    `json:"description"`
	KPI         string    `json:"kpi"`
	Baseline    *float64  `json:"baseline"`
	Target      *float64  `json:"target"`
	Unit        string    `json:"unit"`
	Horizon     string    `json:"horizon"` // a date, YYYY-MM-DD, by which the target should be met
	Owner       string    `json:"owner"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// ObjectiveInput is what a person may set on an objective.
type ObjectiveInput struct {
	Title       string   `json:"title"`
	Description string   `json:"description"`
	KPI         string   `json:"kpi"`
	Baseline    *float64 `json:"baseline"`
	Target      *float64 `json:"target"`
	Unit        string   `json:"unit"`
	Horizon     string   `json:"horizon"`
	Owner       string   `json:"owner"`
}

// Normalize trims the input and returns an EINVALID error naming every field to fix.
func (in *ObjectiveInput) Normalize() error {
	in.Title = strings.TrimSpace(in.Title)
	in.KPI = strings.TrimSpace(in.KPI)
	in.Unit = strings.TrimSpace(in.Unit)
	in.Horizon = strings.TrimSpace(in.Horizon)
	in.Owner = strings.TrimSpace(in.Owner)
	in.Description = strings.TrimSpace(in.Description)
	var v Validation
	if in.Title == "" {
		v.Add("title", "is required")
	} else if utf8.RuneCountInString(in.Title) > 200 {
		v.Add("title", "must be at most 200 characters")
	}
	if utf8.RuneCountInString(in.Description) > 10000 {
		v.Add("description", "must be at most 10,000 characters")
	}
	for _, f := range []struct{ name, val string }{{"kpi", in.KPI}, {"unit", in.Unit}, {"owner", in.Owner}} {
		if utf8.RuneCountInString(f.val) > 200 {
			v.Add(f.name, "must be at most 200 characters")
		}
	}
	if in.Horizon != "" {
		if _, err := time.Parse(time.DateOnly, in.Horizon); err != nil {
			v.Add("horizon", "must be a date written YYYY-MM-DD, such as 2027-12-31")
		}
	}
	return v.Err()
}

// Fields returns the objective's editable fields, for audit diffs.
func (o *Objective) Fields() map[string]any {
	return map[string]any{
		"title": o.Title, "description": o.Description, "kpi": o.KPI,
		"baseline": o.Baseline, "target": o.Target, "unit": o.Unit,
		"horizon": o.Horizon, "owner": o.Owner,
	}
}

// ObjectiveFilter selects objectives. Nil fields do not filter.
type ObjectiveFilter struct {
	// Query matches title, KPI or owner, case-insensitively.
	Query *string
	Owner *string
	// Dated keeps only objectives that have a horizon date.
	Dated bool
	// Sort is one of "title", "-title", "horizon", "-horizon", "created", "-created" (default "-created").
	Sort string
	Page
}

// ObjectiveSorts lists the accepted values of ObjectiveFilter.Sort.
var ObjectiveSorts = []string{"-created", "created", "title", "-title", "horizon", "-horizon", "-updated", "updated"}

// ObjectiveService manages business objectives of the actor's organisation.
type ObjectiveService interface {
	// FindObjective returns one objective. Returns ENOTFOUND if it does not
	// exist or belongs to another organisation; EFORBIDDEN without PermRead.
	FindObjective(ctx context.Context, id string) (*Objective, error)
	// FindObjectives returns a page of objectives and the total that match.
	FindObjectives(ctx context.Context, f ObjectiveFilter) ([]*Objective, int, error)
	// CreateObjective stores a new objective and its audit event. Needs PermEdit;
	// returns EINVALID naming each field to fix.
	CreateObjective(ctx context.Context, in ObjectiveInput) (*Objective, error)
	// UpdateObjective replaces the editable fields. When version is not zero and
	// differs from the stored version, returns ECONFLICT. Needs PermEdit.
	UpdateObjective(ctx context.Context, id string, version int, in ObjectiveInput) (*Objective, error)
	// DeleteObjective removes an objective. Needs PermEdit.
	DeleteObjective(ctx context.Context, id string) error
}
