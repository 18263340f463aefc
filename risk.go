package caio

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The AI risk register: risks to or from the organisation's AI, each scored
// as likelihood × impact before treatment (inherent) and after (residual),
// categorised by an item of a risk library, linked to the AI systems, use
// cases and vendors it concerns, and treated by actions that may point at a
// control of the compliance module.

// RiskStatuses are the states of a risk, in order.
var RiskStatuses = []string{"open", "treating", "accepted", "closed"}

// TreatmentStatuses are the states of a treatment, in order.
var TreatmentStatuses = []string{"planned", "in_progress", "done", "cancelled"}

// RiskLinkKinds are the kinds of object a risk can be linked to.
var RiskLinkKinds = []string{"system", "use_case", "vendor"}

// RiskLinkPrefix returns the ID prefix of a kind of risk link, or "".
func RiskLinkPrefix(kind string) string {
	switch kind {
	case "system":
		return "sys"
	case "use_case":
		return "uc"
	case "vendor":
		return "vnd"
	}
	return ""
}

// Risk scales and appetite: the defaults of an organisation that set none,
// and the bounds of what it may set.
const (
	DefaultRiskScale    = 5
	DefaultRiskAppetite = 8
	MinRiskScale        = 3
	MaxRiskScale        = 10
	// MaxRiskLinks bounds the links of one risk of each kind, so its page lists them all.
	MaxRiskLinks = 100
	// MaxRiskTreatments bounds the treatments of one risk.
	MaxRiskTreatments = 100
)

// RiskAppetite is an organisation's risk settings: the size of the
// likelihood and impact scales (1..Scale) and the highest score it accepts
// without treatment. A risk whose residual score (or inherent score, when
// no residual is assessed) is above Appetite breaches it.
type RiskAppetite struct {
	Scale    int `json:"scale"`
	Appetite int `json:"appetite"`
	// Version counts the saved changes; 0 means the defaults were never changed.
	Version   int        `json:"version"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// DefaultAppetite returns the settings of an organisation that set none.
func DefaultAppetite() RiskAppetite {
	return RiskAppetite{Scale: DefaultRiskScale, Appetite: DefaultRiskAppetite}
}

// Normalize checks the scale and the appetite, naming each field to fix.
func (s *RiskAppetite) Normalize() error {
	var v Validation
	if s.Scale < MinRiskScale || s.Scale > MaxRiskScale {
		v.Add("scale", "must be a whole number from "+strconv.Itoa(MinRiskScale)+" to "+strconv.Itoa(MaxRiskScale))
	} else if s.Appetite < 1 || s.Appetite > s.Scale*s.Scale {
		v.Add("appetite", "must be a score from 1 to "+strconv.Itoa(s.Scale*s.Scale)+" (the scale squared)")
	}
	return v.Err()
}

// RiskLink ties a risk to an AI system, use case or vendor of its organisation.
type RiskLink struct {
	Kind     string `json:"kind"` // one of RiskLinkKinds
	TargetID string `json:"target_id"`
	// TargetName is the name (for a use case, the title) of the target.
	TargetName string `json:"target_name"`
}

// RiskTreatment is one action that lowers a risk: mitigate, transfer,
// avoid. ControlID, when set, names the control of the compliance module
// that implements it.
type RiskTreatment struct {
	ID          string    `json:"id"`
	RiskID      string    `json:"risk_id"`
	ControlID   string    `json:"control_id"` // ctl_..., or ""
	Description string    `json:"description"`
	Status      string    `json:"status"` // one of TreatmentStatuses
	Owner       string    `json:"owner"`
	Due         string    `json:"due"` // YYYY-MM-DD, or ""
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
	// ControlLabel names the linked control for people, such as
	// "CV screening: EU AI Act Art 9"; filled when read.
	ControlLabel string `json:"control_label,omitempty"`
}

// TreatmentInput is what a person may set on a treatment.
type TreatmentInput struct {
	ControlID   string `json:"control_id"`
	Description string `json:"description"`
	Status      string `json:"status"`
	Owner       string `json:"owner"`
	Due         string `json:"due"`
}

// Normalize trims the input, fills the default status and returns an
// EINVALID error naming every field to fix.
func (in *TreatmentInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"description", &in.Description, 2000}, textRule{"owner", &in.Owner, 200},
		textRule{"control_id", &in.ControlID, 64}, textRule{"due", &in.Due, 10})
	if in.Description == "" && !v.has("description") {
		v.Add("description", "is required: say what will be done")
	}
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	if in.Status == "" {
		in.Status = "planned"
	} else if !slices.Contains(TreatmentStatuses, in.Status) {
		v.Add("status", "must be one of "+strings.Join(TreatmentStatuses, ", "))
	}
	if in.ControlID != "" && !v.has("control_id") && !ValidID("ctl", in.ControlID) {
		v.Add("control_id", "must be empty or the id of a control, ctl_…")
	}
	checkDate(&v, "due", in.Due)
	return v.Err()
}

// checkDate reports a non-empty date that is not written YYYY-MM-DD.
func checkDate(v *Validation, field, s string) {
	if s == "" || v.has(field) {
		return
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		v.Add(field, "must be a date written YYYY-MM-DD, such as 2027-03-31")
	}
}

// Fields returns the treatment's editable fields, for audit diffs.
func (t *RiskTreatment) Fields() map[string]any {
	return map[string]any{"control_id": t.ControlID, "description": t.Description, "status": t.Status, "owner": t.Owner, "due": t.Due}
}

// Risk is one entry of the risk register.
type Risk struct {
	ID          string `json:"id"`
	OrgID       string `json:"org_id"`
	Title       string `json:"title"`
	Description string `json:"description"`
	// Category is a library item, "library:id", such as owasp-llm:LLM01,
	// mit:2.1, nist-600-1:GAI-2 or atlas:AML.TA0001; "" when not categorised.
	Category string `json:"category"`
	// Likelihood and Impact are the inherent assessment, 1..scale.
	Likelihood int `json:"likelihood"`
	Impact     int `json:"impact"`
	// ResidualLikelihood and ResidualImpact are the assessment after
	// treatment, both 0 when not assessed yet.
	ResidualLikelihood int    `json:"residual_likelihood"`
	ResidualImpact     int    `json:"residual_impact"`
	Owner              string `json:"owner"`
	Status             string `json:"status"`      // one of RiskStatuses
	ReviewDate         string `json:"review_date"` // YYYY-MM-DD, or ""
	Version            int    `json:"version"`
	// InherentScore is Likelihood × Impact; ResidualScore is
	// ResidualLikelihood × ResidualImpact, 0 when not assessed; Score is
	// the one that counts against the appetite: residual when assessed,
	// otherwise inherent.
	InherentScore int `json:"inherent_score"`
	ResidualScore int `json:"residual_score"`
	Score         int `json:"score"`
	// Breach says the score is above the organisation's appetite; Overdue
	// that the risk is not closed and its review date has passed. The
	// services fill both when they read a risk.
	Breach    bool      `json:"breach"`
	Overdue   bool      `json:"overdue"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Links and Treatments are filled when one risk is read, not in lists.
	Links      []RiskLink       `json:"links,omitempty"`
	Treatments []*RiskTreatment `json:"treatments,omitempty"`
}

// Scores computes the inherent, residual and counting scores from the
// assessment.
func (r *Risk) Scores() {
	r.InherentScore = r.Likelihood * r.Impact
	r.ResidualScore = r.ResidualLikelihood * r.ResidualImpact
	r.Score = r.InherentScore
	if r.ResidualScore > 0 {
		r.Score = r.ResidualScore
	}
}

// HasResidual reports whether the risk has been assessed after treatment.
func (r *Risk) HasResidual() bool { return r.ResidualLikelihood > 0 && r.ResidualImpact > 0 }

// Breaches reports whether the risk's counting score is above the appetite.
func (r *Risk) Breaches(appetite int) bool { return r.Score > appetite }

// ReviewOverdue reports whether the risk is not closed and its review date is
// before today (YYYY-MM-DD).
func (r *Risk) ReviewOverdue(today string) bool {
	return r.Status != "closed" && r.ReviewDate != "" && r.ReviewDate < today
}

// LinkIDs returns the IDs of the risk's links of one kind.
func (r *Risk) LinkIDs(kind string) []string {
	out := []string{}
	for _, l := range r.Links {
		if l.Kind == kind {
			out = append(out, l.TargetID)
		}
	}
	return out
}

// Input returns the risk's editable fields as an input, for partial updates.
func (r *Risk) Input() RiskInput {
	return RiskInput{Title: r.Title, Description: r.Description, Category: r.Category, Likelihood: r.Likelihood,
		Impact: r.Impact, ResidualLikelihood: r.ResidualLikelihood, ResidualImpact: r.ResidualImpact, Owner: r.Owner,
		Status: r.Status, ReviewDate: r.ReviewDate, Systems: r.LinkIDs("system"), UseCases: r.LinkIDs("use_case"), Vendors: r.LinkIDs("vendor")}
}

// Fields returns the risk's editable fields, for audit diffs.
func (r *Risk) Fields() map[string]any {
	return map[string]any{"title": r.Title, "description": r.Description, "category": r.Category,
		"likelihood": r.Likelihood, "impact": r.Impact, "residual_likelihood": r.ResidualLikelihood,
		"residual_impact": r.ResidualImpact, "owner": r.Owner, "status": r.Status, "review_date": r.ReviewDate,
		"systems": strings.Join(r.LinkIDs("system"), ","), "use_cases": strings.Join(r.LinkIDs("use_case"), ","),
		"vendors": strings.Join(r.LinkIDs("vendor"), ",")}
}

// RiskInput is what a person may set on a risk. Systems, UseCases and
// Vendors replace the risk's links.
type RiskInput struct {
	Title              string   `json:"title"`
	Description        string   `json:"description"`
	Category           string   `json:"category"`
	Likelihood         int      `json:"likelihood"`
	Impact             int      `json:"impact"`
	ResidualLikelihood int      `json:"residual_likelihood"`
	ResidualImpact     int      `json:"residual_impact"`
	Owner              string   `json:"owner"`
	Status             string   `json:"status"`
	ReviewDate         string   `json:"review_date"`
	Systems            []string `json:"systems"`
	UseCases           []string `json:"use_cases"`
	Vendors            []string `json:"vendors"`
}

// Normalize trims the input, fills the default status and returns an
// EINVALID error naming every field to fix. scale is the organisation's
// scale; known reports whether a category names an item of a risk library
// (nil accepts any).
func (in *RiskInput) Normalize(scale int, known func(category string) bool) error {
	var v Validation
	in.Title = strings.TrimSpace(in.Title)
	if in.Title == "" {
		v.Add("title", "is required")
	}
	checkText(&v, textRule{"title", &in.Title, 200}, textRule{"description", &in.Description, 10000},
		textRule{"owner", &in.Owner, 200}, textRule{"category", &in.Category, 100}, textRule{"review_date", &in.ReviewDate, 10})
	if in.Category != "" && !v.has("category") && known != nil && !known(in.Category) {
		v.Add("category", "has "+quote(in.Category)+", which is not an item of a risk library; use one such as owasp-llm:LLM01, mit:2.1, nist-600-1:GAI-2 or atlas:AML.TA0001")
	}
	scaleMsg := "must be a whole number from 1 to " + strconv.Itoa(scale)
	if in.Likelihood < 1 || in.Likelihood > scale {
		v.Add("likelihood", scaleMsg)
	}
	if in.Impact < 1 || in.Impact > scale {
		v.Add("impact", scaleMsg)
	}
	switch {
	case in.ResidualLikelihood == 0 && in.ResidualImpact == 0:
		// Not assessed after treatment yet.
	default:
		if in.ResidualLikelihood < 1 || in.ResidualLikelihood > scale {
			v.Add("residual_likelihood", scaleMsg+", or both residual values left empty")
		}
		if in.ResidualImpact < 1 || in.ResidualImpact > scale {
			v.Add("residual_impact", scaleMsg+", or both residual values left empty")
		}
	}
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	if in.Status == "" {
		in.Status = "open"
	} else if !slices.Contains(RiskStatuses, in.Status) {
		v.Add("status", "must be one of "+strings.Join(RiskStatuses, ", "))
	}
	checkDate(&v, "review_date", in.ReviewDate)
	in.Systems = riskIDList(&v, "systems", "sys", in.Systems)
	in.UseCases = riskIDList(&v, "use_cases", "uc", in.UseCases)
	in.Vendors = riskIDList(&v, "vendors", "vnd", in.Vendors)
	return v.Err()
}

// riskIDList trims, checks and de-duplicates IDs with the prefix, sorted.
func riskIDList(v *Validation, field, prefix string, in []string) []string {
	out := []string{}
	for _, id := range in {
		id = strings.TrimSpace(id)
		if id == "" || slices.Contains(out, id) {
			continue
		}
		if !ValidID(prefix, id) {
			v.Add(field, "has "+quote(id)+", which is not an id of the form "+prefix+"_…")
			continue
		}
		out = append(out, id)
	}
	if len(out) > MaxRiskLinks {
		v.Add(field, "must name at most "+strconv.Itoa(MaxRiskLinks))
	}
	slices.Sort(out)
	return out
}

// RiskFilter selects risks. Nil fields do not filter.
type RiskFilter struct {
	// Query matches the title, description and owner, case-insensitively.
	Query *string
	// Status keeps risks of one of RiskStatuses.
	Status *string
	// Library keeps risks whose category is an item of this library, such as owasp-llm.
	Library *string
	// Category keeps risks of exactly this category.
	Category *string
	// Owner keeps risks of exactly this owner.
	Owner *string
	// System keeps risks linked to this AI system; UseCase and Vendor likewise.
	System  *string
	UseCase *string
	Vendor  *string
	// Breach keeps risks above (true) or within (false) the appetite.
	Breach *bool
	// Overdue keeps risks that are not closed and whose review date has passed.
	Overdue *bool
	// Likelihood and Impact keep the risks of one cell of the heat map;
	// Residual says whether the cell is of the residual map.
	Likelihood *int
	Impact     *int
	Residual   bool
	// Sort is one of RiskSorts (default "-score").
	Sort string
	Page
}

// RiskSorts lists the accepted values of RiskFilter.Sort. Risks without a
// review date come last in both review orders.
var RiskSorts = []string{"-score", "score", "-created", "created", "title", "-title", "-updated", "updated", "review", "-review"}

// Normalize checks the filter's values, naming the field of each problem.
func (f *RiskFilter) Normalize() error {
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		return err
	}
	var v Validation
	if f.Sort != "" && !slices.Contains(RiskSorts, f.Sort) {
		v.Add("sort", "must be one of "+strings.Join(RiskSorts, ", "))
	}
	if f.Status != nil && !slices.Contains(RiskStatuses, *f.Status) {
		v.Add("status", "must be one of "+strings.Join(RiskStatuses, ", "))
	}
	for _, c := range []struct {
		name string
		v    *int
	}{{"likelihood", f.Likelihood}, {"impact", f.Impact}} {
		if c.v != nil && (*c.v < 1 || *c.v > MaxRiskScale) {
			v.Add(c.name, "must be a whole number from 1 to "+strconv.Itoa(MaxRiskScale))
		}
	}
	return v.Err()
}

// RiskHeatMap counts the risks of an organisation by likelihood and impact,
// before and after treatment. Inherent[l-1][i-1] is the number of risks of
// likelihood l and impact i; Residual likewise for the risks assessed after
// treatment. Closed risks are left out.
type RiskHeatMap struct {
	Scale    int     `json:"scale"`
	Appetite int     `json:"appetite"`
	Inherent [][]int `json:"inherent"`
	Residual [][]int `json:"residual"`
	// Total is the number of risks counted; Assessed those with a residual
	// assessment; Breaches those above the appetite.
	Total    int `json:"total"`
	Assessed int `json:"assessed"`
	Breaches int `json:"breaches"`
}

// NewHeatMap returns an empty heat map of the scale.
func NewHeatMap(scale, appetite int) *RiskHeatMap {
	h := &RiskHeatMap{Scale: scale, Appetite: appetite, Inherent: make([][]int, scale), Residual: make([][]int, scale)}
	for i := range scale {
		h.Inherent[i], h.Residual[i] = make([]int, scale), make([]int, scale)
	}
	return h
}

// RiskService manages the risk register of the actor's organisation. Reads
// need PermRead, changes PermEdit, the appetite PermManageOrg; every change
// is one event in the audit trail. IDs of another organisation are reported
// as not found.
type RiskService interface {
	// FindRisk returns one risk with its links and treatments, or ENOTFOUND.
	FindRisk(ctx context.Context, id string) (*Risk, error)
	// FindRisks returns a page of risks and the total that match; EINVALID
	// names a bad filter value.
	FindRisks(ctx context.Context, f RiskFilter) ([]*Risk, int, error)
	// CreateRisk stores a new risk at version 1 with its links. EINVALID
	// names each field to fix, including a likelihood outside the scale, an
	// unknown category and a link to an object of another organisation.
	CreateRisk(ctx context.Context, in RiskInput) (*Risk, error)
	// UpdateRisk replaces the editable fields and links. When version is not
	// zero and differs from the stored version, returns ECONFLICT.
	UpdateRisk(ctx context.Context, id string, version int, in RiskInput) (*Risk, error)
	// DeleteRisk removes a risk with its links and treatments.
	DeleteRisk(ctx context.Context, id string) error
	// AddTreatment adds a treatment to a risk; a control of another
	// organisation is EINVALID naming control_id.
	AddTreatment(ctx context.Context, riskID string, in TreatmentInput) (*RiskTreatment, error)
	// UpdateTreatment replaces a treatment's fields; ENOTFOUND when the risk has no such treatment.
	UpdateTreatment(ctx context.Context, riskID, treatmentID string, in TreatmentInput) (*RiskTreatment, error)
	// DeleteTreatment removes a treatment.
	DeleteTreatment(ctx context.Context, riskID, treatmentID string) error
	// RiskHeatMap counts the open risks by likelihood and impact.
	RiskHeatMap(ctx context.Context) (*RiskHeatMap, error)
	// RiskAppetite returns the organisation's scale and appetite (defaults when never set).
	RiskAppetite(ctx context.Context) (*RiskAppetite, error)
	// SetRiskAppetite changes the scale and the appetite (PermManageOrg). A
	// scale smaller than a value in use is ECONFLICT naming scale.
	SetRiskAppetite(ctx context.Context, s RiskAppetite) (*RiskAppetite, error)
}
