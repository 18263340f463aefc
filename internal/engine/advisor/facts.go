// Package advisor is caio's virtual Chief AI Officer: a pure engine that
// reads a snapshot of one organisation's state (Facts) and returns the next
// best actions, each with what to do, why, by when and by whom. Rules are
// data: built-in ones ship in content/rules.yaml, organisations add their
// own in CEL. The engine knows nothing of the database; internal/sqldb
// loads the Facts and internal/app remembers what people did with each
// action.
package advisor

// Facts is the state of one organisation that rules read. Dates are
// YYYY-MM-DD or "" throughout, so that rules compare them as strings and
// the snapshot is cheap to build.
//
// The field names in the `cel` tags are the names rules use: a rule over
// systems reads system.class, system.controls, and so on.
type Facts struct {
	Org         Org          `cel:"org"`
	Systems     []System     `cel:"systems"`
	UseCases    []UseCase    `cel:"use_cases"`
	Vendors     []Vendor     `cel:"vendors"`
	Risks       []Risk       `cel:"risks"`
	Incidents   []Incident   `cel:"incidents"`
	Policies    []Policy     `cel:"policies"`
	Assessments []Assessment `cel:"assessments"`
}

// Org holds the organisation-wide facts.
type Org struct {
	ID   string `cel:"id"`
	Name string `cel:"name"`
	// Today is the date rules are evaluated on.
	Today string `cel:"today"`
	// LatestReadiness is the submission date of the newest readiness
	// assessment, or "" when there is none.
	LatestReadiness string `cel:"latest_readiness"`
	// ApprovedPolicies counts policies with a version in force; AIPolicy is
	// true when one of them is a general AI policy (acceptable use, risk
	// management or generative AI use), not only a procedure such as
	// procurement;
	// when one of them is an AI policy of any kind.
	ApprovedPolicies int  `cel:"approved_policies"`
	AIPolicy         bool `cel:"ai_policy"`
	LiteracyMeasures bool `cel:"literacy_measures"` // Art 4: an approved policy or control covers AI literacy
	RiskAppetite     int  `cel:"risk_appetite"`     // the highest residual score the organisation accepts
	Members          int  `cel:"members"`
}

// Control is one requirement of a framework as it applies to a system.
type Control struct {
	ID         string `cel:"id"`        // the control's ID, for links such as /controls/{id}
	Title      string `cel:"title"`     // the catalogue item's label and title, such as "Art 9 Risk management system"
	Framework  string `cel:"framework"` // a catalogue framework ID, such as eu-ai-act
	Item       string `cel:"item"`      // such as art9
	Status     string `cel:"status"`    // not_started, in_progress, implemented, not_applicable
	Deadline   string `cel:"deadline"`  // the legal date it applies from, or ""
	Due        string `cel:"due"`       // the organisation's target date, or the deadline
	ReviewDate string `cel:"review_date"`
	Evidence   int    `cel:"evidence"` // how many evidence items it has
	Owner      string `cel:"owner"`
}

// System is an AI system with its classification and controls.
type System struct {
	ID         string   `cel:"id"`
	Name       string   `cel:"name"`
	Owner      string   `cel:"owner"`
	Stage      string   `cel:"stage"`      // planned, development, testing, production, retired
	Roles      []string `cel:"roles"`      // provider, deployer, ...
	Class      string   `cel:"class"`      // "" when never classified; prohibited, high_risk, ...
	Basis      []string `cel:"basis"`      // the legal bases of the class, such as art6_2 or art50_1
	GPAI       bool     `cel:"gpai"`       // it provides a general-purpose AI model
	Vendors    []string `cel:"vendors"`    // vendor IDs
	UseCases   []string `cel:"use_cases"`  // use case IDs
	NextDue    string   `cel:"next_due"`   // the next obligation date, or ""
	Classified string   `cel:"classified"` // the date of the classification, or ""
	// Controls maps "framework/item" (such as eu-ai-act/art9) to the control.
	Controls map[string]Control `cel:"controls"`
}

// UseCase is a use case of the portfolio with its value tracking.
type UseCase struct {
	ID        string   `cel:"id"`
	Title     string   `cel:"title"`
	Owner     string   `cel:"owner"`
	Stage     string   `cel:"stage"` // idea ... production, retired
	StageDate string   `cel:"stage_date"`
	Systems   []string `cel:"systems"`
	KPIs      int      `cel:"kpis"`
	// KPIsWithoutBaseline counts KPIs with no baseline or no target.
	KPIsWithoutBaseline int  `cel:"kpis_without_baseline"`
	HasBusinessCase     bool `cel:"has_business_case"`
	// BelowP10 lists the years whose realised benefit fell below the
	// business case's P10.
	BelowP10 []int `cel:"below_p10"`
}

// Vendor is a supplier of AI.
type Vendor struct {
	ID   string `cel:"id"`
	Name string `cel:"name"`
	// Systems counts the systems it supplies.
	Systems int `cel:"systems"`
	// LastAssessed is the date of its newest submitted vendor assessment, or "".
	LastAssessed string `cel:"last_assessed"`
}

// Risk is an entry of the risk register.
type Risk struct {
	ID         string `cel:"id"`
	Title      string `cel:"title"`
	Owner      string `cel:"owner"`
	Status     string `cel:"status"`
	Score      int    `cel:"score"`      // residual when assessed, else inherent
	Breach     bool   `cel:"breach"`     // above the organisation's appetite
	Treatments int    `cel:"treatments"` // open or done treatments
	ReviewDate string `cel:"review_date"`
}

// Incident is an AI incident.
type Incident struct {
	ID       string `cel:"id"`
	Title    string `cel:"title"`
	SystemID string `cel:"system_id"`
	Status   string `cel:"status"`
	Severity string `cel:"severity"`
	Serious  bool   `cel:"serious"` // a serious incident under Art 3(49)
	Aware    string `cel:"aware"`   // the date the organisation became aware
	// ReportDue is the Art 73 reporting deadline, or "" when none applies;
	// Reported is the date it was reported, or "".
	ReportDue string `cel:"report_due"`
	Reported  string `cel:"reported"`
	Owner     string `cel:"owner"`
}

// Policy is a policy of the library.
type Policy struct {
	ID     string `cel:"id"`
	Title  string `cel:"title"`
	Kind   string `cel:"kind"`   // acceptable_use, risk_management, generative_ai, procurement, incident_response, literacy, other
	Status string `cel:"status"` // draft, in_review, approved, retired
	// InForce says an approved version applies: true also while a newer
	// version waits for approval, whose review and acknowledgements
	// still count.
	InForce    bool   `cel:"in_force"`
	Owner      string `cel:"owner"`
	ReviewDate string `cel:"review_date"` // the next review, or ""
	// PendingAcks counts members who have not acknowledged the approved
	// version; AckDue is the date they must by, or "".
	PendingAcks int    `cel:"pending_acks"`
	AckDue      string `cel:"ack_due"`
}

// Assessment is a submitted assessment.
type Assessment struct {
	ID        string `cel:"id"`
	Kind      string `cel:"kind"` // readiness, impact, vendor
	Subject   string `cel:"subject"`
	Submitted string `cel:"submitted"`
}

// GeneralAIPolicy reports whether a policy of kind sets the organisation's
// rules for AI as a whole (ISO/IEC 42001 clause 5.2), as opposed to a
// procedure for one activity such as procurement or incident response.
func GeneralAIPolicy(kind string) bool {
	return kind == "acceptable_use" || kind == "risk_management" || kind == "generative_ai"
}
