package caio

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The policy library: an organisation's AI policies written in Markdown,
// each with numbered versions. A version is approved through the general
// approval mechanism (the one stage gates use); the approved version is in
// force until a later one is approved, is reviewed every ReviewMonths, and
// every member acknowledges it within AckDays of its approval.

// PolicyKinds are the kinds of policy, in display order. literacy is the
// organisation's AI literacy measures (EU AI Act Art 4).
var PolicyKinds = []string{"acceptable_use", "risk_management", "generative_ai", "procurement", "incident_response", "literacy", "other"}

// PolicyStatuses are the states of a policy, in order: a draft not yet
// approved, a version waiting for approval, an approved version in force,
// and retired (no longer in force).
var PolicyStatuses = []string{"draft", "in_review", "approved", "retired"}

// PolicyReviews are the values of PolicyFilter.Review: reviews past their
// date, and reviews due within PolicyReviewSoonDays.
var PolicyReviews = []string{"overdue", "soon"}

// PolicySorts lists the accepted values of PolicyFilter.Sort.
var PolicySorts = []string{"title", "-title", "-updated", "updated", "review", "-created", "created"}

// Policy limits and defaults.
const (
	// MaxPolicyBody bounds the Markdown of one version, in characters.
	MaxPolicyBody = 100000
	// DefaultReviewMonths is the review cycle of a policy that sets none.
	DefaultReviewMonths = 12
	// MaxReviewMonths is the longest review cycle: five years.
	MaxReviewMonths = 60
	// DefaultAckDays is the acknowledgement window of a policy that sets none.
	DefaultAckDays = 30
	// MaxAckDays is the longest acknowledgement window.
	MaxAckDays = 365
	// PolicyReviewSoonDays is how near a review date counts as soon.
	PolicyReviewSoonDays = 30
)

// Policy is one policy of the library. Status, ReviewVersion and
// ApprovalID describe where it stands; CurrentVersion names the approved
// version in force (0 before the first approval), LatestVersion the newest
// version, which is a draft while it is newer than CurrentVersion.
type Policy struct {
	ID    string `json:"id"`
	OrgID string `json:"org_id"`
	Title string `json:"title"`
	Kind  string `json:"kind"` // one of PolicyKinds
	Owner string `json:"owner"`
	// ReviewMonths is the review cycle; NextReview (YYYY-MM-DD, or "" before
	// the first approval) is the approval date plus the cycle.
	ReviewMonths int    `json:"review_months"`
	NextReview   string `json:"next_review"`
	Status       string `json:"status"` // one of PolicyStatuses
	// CurrentVersion is the approved version in force, 0 when none is.
	CurrentVersion int `json:"current_version"`
	// LatestVersion is the newest version's number.
	LatestVersion int `json:"latest_version"`
	// AckDays is the acknowledgement window; AckDue (YYYY-MM-DD, or "") is
	// the date by which every member acknowledges the current version.
	AckDays int    `json:"ack_days"`
	AckDue  string `json:"ack_due"`
	// ReviewVersion is the version waiting for approval in ApprovalID, 0
	// and "" when none waits.
	ReviewVersion int    `json:"review_version"`
	ApprovalID    string `json:"approval_id"`
	// Starter names the starter policy it was adopted from, or "".
	Starter   string    `json:"starter"`
	Version   int       `json:"version"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// ReviewOverdue says the policy is approved and its review date has
	// passed; filled when read.
	ReviewOverdue bool `json:"review_overdue"`
	// Current (the approved version in force) and Latest (the newest
	// version) are filled with their text when one policy is read.
	Current *PolicyVersion `json:"current,omitempty"`
	Latest  *PolicyVersion `json:"latest,omitempty"`
}

// Fields returns the policy's editable fields, for audit diffs.
func (p *Policy) Fields() map[string]any {
	return map[string]any{"title": p.Title, "kind": p.Kind, "owner": p.Owner, "review_months": p.ReviewMonths, "ack_days": p.AckDays}
}

// Editable reports whether the policy's text may change now: not while a
// version waits for approval, nor once retired.
func (p *Policy) Editable() bool { return p.Status != "in_review" && p.Status != "retired" }

// HasDraft reports whether the newest version is a draft not yet approved.
func (p *Policy) HasDraft() bool { return p.LatestVersion > p.CurrentVersion }

// PolicyVersion is one numbered text of a policy. Versions are numbered
// from 1; a draft is rewritten in place until it is submitted, and an
// approved version never changes.
type PolicyVersion struct {
	PolicyID string `json:"policy_id"`
	Number   int    `json:"number"`
	Body     string `json:"body"` // Markdown
	Note     string `json:"note"` // what changed, for people
	// AuthorID and AuthorName name who wrote the version last.
	AuthorID   string    `json:"author_id"`
	AuthorName string    `json:"author_name"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
	// ApprovedBy names the approvers whose votes approved it; ApprovedAt is
	// when, nil for a version not approved; ApprovalID the request.
	ApprovedBy string     `json:"approved_by"`
	ApprovedAt *time.Time `json:"approved_at"`
	ApprovalID string     `json:"approval_id"`
	// State is draft, in_review, approved (in force) or superseded (approved
	// and replaced by a later approved version); filled when read.
	State string `json:"state"`
}

// PolicyInput is what a person may set on a policy. Body and Note are the
// text of the draft version: saving a body that differs from the newest
// version's rewrites the draft, or starts a new one when the newest version
// is approved.
type PolicyInput struct {
	Title        string `json:"title"`
	Kind         string `json:"kind"`
	Owner        string `json:"owner"`
	ReviewMonths int    `json:"review_months"`
	AckDays      int    `json:"ack_days"`
	Body         string `json:"body"`
	Note         string `json:"note"`
}

// Input returns the policy's fields with the newest version's text, for
// partial updates.
func (p *Policy) Input() PolicyInput {
	in := PolicyInput{Title: p.Title, Kind: p.Kind, Owner: p.Owner, ReviewMonths: p.ReviewMonths, AckDays: p.AckDays}
	if p.Latest != nil {
		in.Body, in.Note = p.Latest.Body, p.Latest.Note
	}
	return in
}

// Normalize trims the input, fills the defaults (review every 12 months,
// acknowledge within 30 days) and returns an EINVALID error naming every
// field to fix.
func (in *PolicyInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"title", &in.Title, 200}, textRule{"owner", &in.Owner, 200}, textRule{"note", &in.Note, 2000})
	if in.Title == "" && !v.has("title") {
		v.Add("title", "is required, such as: AI acceptable use policy")
	}
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	if in.Kind == "" {
		in.Kind = "other"
	} else if !slices.Contains(PolicyKinds, in.Kind) {
		v.Add("kind", "must be one of "+strings.Join(PolicyKinds, ", "))
	}
	if in.ReviewMonths == 0 {
		in.ReviewMonths = DefaultReviewMonths
	} else if in.ReviewMonths < 1 || in.ReviewMonths > MaxReviewMonths {
		v.Add("review_months", "must be a whole number of months from 1 to "+strconv.Itoa(MaxReviewMonths))
	}
	if in.AckDays == 0 {
		in.AckDays = DefaultAckDays
	} else if in.AckDays < 1 || in.AckDays > MaxAckDays {
		v.Add("ack_days", "must be a whole number of days from 1 to "+strconv.Itoa(MaxAckDays))
	}
	in.Body = NormalizeMarkdown(in.Body)
	switch {
	case in.Body == "":
		v.Add("body", "is required: write the policy's text in Markdown, or adopt a starter policy")
	case utf8.RuneCountInString(in.Body) > MaxPolicyBody:
		v.Add("body", "must be at most "+groupThousands(MaxPolicyBody)+" characters")
	}
	return v.Err()
}

// NormalizeMarkdown writes line ends as \n and drops blank lines and spaces
// at the start and end of a text, keeping the indentation of its first
// line (which Markdown reads).
func NormalizeMarkdown(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	s = strings.TrimRight(s, " \t\n")
	for {
		line, rest, ok := strings.Cut(s, "\n")
		if !ok || strings.TrimSpace(line) != "" {
			break
		}
		s = rest
	}
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// PolicyFilter selects policies. Nil fields do not filter.
type PolicyFilter struct {
	// Query matches the title and owner, case-insensitively.
	Query *string
	// Status keeps policies of one of PolicyStatuses; Kind of one of PolicyKinds.
	Status *string
	Kind   *string
	// Review keeps approved policies whose review is overdue, or due within
	// PolicyReviewSoonDays ("soon", overdue ones included).
	Review *string
	// Sort is one of PolicySorts (default "title").
	Sort string
	Page
}

// Normalize checks the filter's values, naming the field of each problem.
func (f *PolicyFilter) Normalize() error {
	var err error
	if f.Page, err = f.Page.Normalize(); err != nil {
		return err
	}
	var v Validation
	if f.Sort != "" && !slices.Contains(PolicySorts, f.Sort) {
		v.Add("sort", "must be one of "+strings.Join(PolicySorts, ", "))
	}
	if f.Status != nil && !slices.Contains(PolicyStatuses, *f.Status) {
		v.Add("status", "must be one of "+strings.Join(PolicyStatuses, ", "))
	}
	if f.Kind != nil && !slices.Contains(PolicyKinds, *f.Kind) {
		v.Add("kind", "must be one of "+strings.Join(PolicyKinds, ", "))
	}
	if f.Review != nil && !slices.Contains(PolicyReviews, *f.Review) {
		v.Add("review", "must be one of "+strings.Join(PolicyReviews, ", "))
	}
	return v.Err()
}

// PolicyAck is one member's acknowledgement of a version of a policy.
type PolicyAck struct {
	PolicyID string    `json:"policy_id"`
	Version  int       `json:"version"`
	UserID   string    `json:"user_id"`
	Name     string    `json:"name"`
	Email    string    `json:"email"`
	At       time.Time `json:"at"`
}

// PolicyMember is a member who has yet to acknowledge a policy.
type PolicyMember struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Email  string `json:"email"`
}

// PolicyAcks is where the acknowledgement of a policy's approved version
// stands: who has acknowledged it and who has not, by the due date.
type PolicyAcks struct {
	PolicyID string `json:"policy_id"`
	// Version is the approved version to acknowledge, 0 when none is in force.
	Version int    `json:"version"`
	Due     string `json:"due"`
	// Overdue says the due date has passed with members still pending.
	Overdue      bool           `json:"overdue"`
	Members      int            `json:"members"`
	Acknowledged []PolicyAck    `json:"acknowledged"`
	Pending      []PolicyMember `json:"pending"`
}

// PendingAck is a policy the caller has yet to acknowledge.
type PendingAck struct {
	PolicyID string `json:"policy_id"`
	Title    string `json:"title"`
	Kind     string `json:"kind"`
	Version  int    `json:"version"`
	Due      string `json:"due"`
	Overdue  bool   `json:"overdue"`
}

// DiffLine is one line of a line diff between two texts: Op is "same",
// "add" (only in the newer text) or "del" (only in the older); Old and New
// are the line's numbers in each text, 0 where it is absent.
type DiffLine struct {
	Op   string `json:"op"`
	Old  int    `json:"old"`
	New  int    `json:"new"`
	Text string `json:"text"`
}

// PolicyDiff is the line diff from one version of a policy to another.
type PolicyDiff struct {
	PolicyID string     `json:"policy_id"`
	From     int        `json:"from"`
	To       int        `json:"to"`
	Added    int        `json:"added"`
	Removed  int        `json:"removed"`
	Lines    []DiffLine `json:"lines"`
}

// PolicyStarter is a starter policy caio ships, in its own words, that an
// organisation adopts as a new draft.
type PolicyStarter struct {
	Key          string `json:"key"`
	Title        string `json:"title"`
	Kind         string `json:"kind"`
	Summary      string `json:"summary"`
	ReviewMonths int    `json:"review_months"`
	AckDays      int    `json:"ack_days"`
	// References are the legal and framework references the text relies on.
	References []string `json:"references"`
	Body       string   `json:"body"`
}

// PolicyService manages the policy library of the actor's organisation.
// Reads and acknowledging need PermRead; changes PermEdit; approving is
// done by deciding the approval request (PermApprove). Every change is one
// event in the audit trail. IDs of another organisation are reported as
// not found.
type PolicyService interface {
	// FindPolicy returns one policy with its current and latest versions,
	// or ENOTFOUND.
	FindPolicy(ctx context.Context, id string) (*Policy, error)
	// FindPolicies returns a page of policies and the total that match;
	// EINVALID names a bad filter value.
	FindPolicies(ctx context.Context, f PolicyFilter) ([]*Policy, int, error)
	// CreatePolicy stores a new draft policy with its version 1. EINVALID
	// names each field to fix.
	CreatePolicy(ctx context.Context, in PolicyInput) (*Policy, error)
	// UpdatePolicy replaces the policy's fields and, when the body differs
	// from the newest version's, rewrites the draft or starts a new version
	// after an approved one. A text change while a version waits for
	// approval, or of a retired policy, is EINVALID naming body; a version
	// that is not zero and differs from the stored one is ECONFLICT.
	UpdatePolicy(ctx context.Context, id string, version int, in PolicyInput) (*Policy, error)
	// DeletePolicy removes a policy that was never approved; an approved
	// policy is ECONFLICT (retire it instead).
	DeletePolicy(ctx context.Context, id string) error
	// SubmitPolicy asks approvers to approve the draft version: the policy
	// moves to in_review and an approval request opens. ECONFLICT when there
	// is no draft, or a request already waits.
	SubmitPolicy(ctx context.Context, id, reason string) (*Approval, error)
	// RetirePolicy takes a policy out of force and withdraws a waiting request.
	RetirePolicy(ctx context.Context, id, reason string) (*Policy, error)
	// PolicyVersions returns the versions of a policy, newest first.
	PolicyVersions(ctx context.Context, id string) ([]*PolicyVersion, error)
	// PolicyVersion returns one version, or ENOTFOUND.
	PolicyVersion(ctx context.Context, id string, number int) (*PolicyVersion, error)
	// DiffPolicy compares two versions line by line. A version of 0 means
	// the default: to the newest version, from the one in force (or the one
	// before the newest).
	DiffPolicy(ctx context.Context, id string, from, to int) (*PolicyDiff, error)
	// AcknowledgePolicy records that the caller read the approved version.
	// A version that is not the one in force is EINVALID naming version,
	// with the version to acknowledge; a second acknowledgement is ECONFLICT.
	AcknowledgePolicy(ctx context.Context, id string, version int) (*PolicyAck, error)
	// PolicyAcknowledgements says who has and who has not acknowledged the
	// version in force.
	PolicyAcknowledgements(ctx context.Context, id string) (*PolicyAcks, error)
	// PendingAcknowledgements lists the approved policies the caller has
	// yet to acknowledge, soonest due first.
	PendingAcknowledgements(ctx context.Context) ([]PendingAck, error)
	// PolicyStarters lists the starter policies.
	PolicyStarters(ctx context.Context) ([]PolicyStarter, error)
	// AdoptStarter creates a draft policy from a starter; an unknown key is
	// EINVALID naming starter.
	AdoptStarter(ctx context.Context, key string) (*Policy, error)
}
