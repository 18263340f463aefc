package caio

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Compliance: which frameworks apply to an organisation, how it implements
// each requirement that applies to each AI system (a control), the evidence
// kept for it, and the posture that sums them up.

// Control statuses, in the order work moves through them. Not applicable
// needs a reason.
const (
	StatusNotStarted    = "not_started"
	StatusInProgress    = "in_progress"
	StatusImplemented   = "implemented"
	StatusNotApplicable = "not_applicable"
)

// ControlStatuses lists every control status in display order.
var ControlStatuses = []string{StatusNotStarted, StatusInProgress, StatusImplemented, StatusNotApplicable}

// OpenStatus reports whether work on a control with the status is still to
// be done: only open controls can be overdue or have a next deadline.
func OpenStatus(s string) bool { return s == StatusNotStarted || s == StatusInProgress }

// The framework that always applies, and the ones an organisation starts with.
const AlwaysOnFramework = "eu-ai-act"

// DefaultFrameworks are the frameworks of an organisation that has not chosen.
var DefaultFrameworks = []string{"eu-ai-act", "nist-ai-rmf", "iso-42001"}

// Control is how an organisation implements one requirement (an item of a
// framework of the catalogue) for one AI system. The classification service
// creates controls as requirements come to apply and marks them no longer
// applicable when they stop; people set the rest. A control that is no
// longer applicable keeps its status, dates and evidence.
type Control struct {
	ID        string `json:"id"`
	OrgID     string `json:"org_id"`
	SystemID  string `json:"system_id"`
	Framework string `json:"framework"` // a catalogue framework ID, such as eu-ai-act
	ItemID    string `json:"item_id"`   // the item's ID in the framework, such as art9 or GV-1.1
	// Applicable is false once the system's classification or the
	// organisation's frameworks no longer call for the requirement.
	Applicable bool `json:"applicable"`
	// Deadline is the date the requirement applies from in law (EU AI Act
	// obligations, YYYY-MM-DD), set by the classification; "" otherwise.
	Deadline   string `json:"deadline"`
	Status     string `json:"status"` // one of ControlStatuses
	Reason     string `json:"reason"` // why not applicable
	Owner      string `json:"owner"`
	DueDate    string `json:"due_date"`    // the organisation's own target date, YYYY-MM-DD or ""
	ReviewDate string `json:"review_date"` // when to look at it again, YYYY-MM-DD or ""
	Notes      string `json:"notes"`
	Version    int    `json:"version"`
	// Due is the date that counts: the due date when set, else the deadline.
	Due       string    `json:"due"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`

	// Read-only context filled on reads.
	SystemName string `json:"system_name"`
	Evidence   int    `json:"evidence"` // how many evidence items it has
	// ItemLabel and ItemTitle come from the catalogue (empty for an item it
	// no longer has).
	ItemLabel string `json:"item_label"`
	ItemTitle string `json:"item_title"`
}

// Overdue reports whether the control is open and its due date is before
// today (YYYY-MM-DD).
func (c *Control) Overdue(today string) bool {
	return c.Applicable && OpenStatus(c.Status) && c.Due != "" && c.Due < today
}

// Fields returns the control's editable fields, for audit diffs.
func (c *Control) Fields() map[string]any {
	return map[string]any{
		"status": c.Status, "reason": c.Reason, "owner": c.Owner, "due_date": c.DueDate,
		"review_date": c.ReviewDate, "notes": c.Notes,
	}
}

// ControlInput is what a person may set on a control.
type ControlInput struct {
	Status     string `json:"status"`
	Reason     string `json:"reason"`
	Owner      string `json:"owner"`
	DueDate    string `json:"due_date"`
	ReviewDate string `json:"review_date"`
	Notes      string `json:"notes"`
}

// Normalize trims the input and returns an EINVALID error naming every field to fix.
func (in *ControlInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"reason", &in.Reason, 5000}, textRule{"owner", &in.Owner, 200}, textRule{"notes", &in.Notes, 10000})
	in.Status = strings.TrimSpace(in.Status)
	in.DueDate, in.ReviewDate = strings.TrimSpace(in.DueDate), strings.TrimSpace(in.ReviewDate)
	if in.Status == "" {
		in.Status = StatusNotStarted
	}
	if !slices.Contains(ControlStatuses, in.Status) {
		v.Add("status", "must be one of "+strings.Join(ControlStatuses, ", "))
	}
	if in.Status == StatusNotApplicable && in.Reason == "" {
		v.Add("reason", "is required when the status is not applicable: say why the requirement does not apply to this system")
	}
	for _, f := range []struct{ name, val string }{{"due_date", in.DueDate}, {"review_date", in.ReviewDate}} {
		if f.val != "" {
			if _, err := time.Parse(time.DateOnly, f.val); err != nil {
				v.Add(f.name, "must be a date written YYYY-MM-DD, such as 2026-08-02")
			}
		}
	}
	return v.Err()
}

// ControlFilter selects controls. Nil fields do not filter.
type ControlFilter struct {
	Framework *string
	Status    *string
	SystemID  *string
	Owner     *string
	// Overdue keeps only open controls whose due date is before today.
	Overdue bool
	// All includes controls that are no longer applicable.
	All bool
	// Sort is one of ControlSorts (default "due").
	Sort string
	Page
}

// ControlSorts lists the accepted values of ControlFilter.Sort: "due" puts
// the earliest date first and controls without a date last.
var ControlSorts = []string{"due", "framework", "system", "-updated"}

// Evidence kinds.
const (
	EvidenceFile = "file"
	EvidenceLink = "link"
)

// MaxEvidenceBytes is the largest evidence file caio keeps: 10 MiB.
const MaxEvidenceBytes = 10 << 20

// MaxEvidencePerControl bounds the evidence of one control, so its page lists it all.
const MaxEvidencePerControl = 100

// Evidence is a file or a link kept to show that a control is implemented.
// Files are stored in the database with their SHA-256; a link may carry
// the SHA-256 of the document it points to.
type Evidence struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	ControlID   string    `json:"control_id"`
	Kind        string    `json:"kind"` // EvidenceFile or EvidenceLink
	Name        string    `json:"name"`
	URL         string    `json:"url,omitempty"`    // links only
	SHA256      string    `json:"sha256,omitempty"` // lower-case hex; always set for files
	Size        int64     `json:"size"`             // bytes, files only
	ContentType string    `json:"content_type,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
	CreatedBy   string    `json:"created_by"`
}

// Fields returns what an audit event records of evidence.
func (e *Evidence) Fields() map[string]any {
	m := map[string]any{"evidence_id": e.ID, "kind": e.Kind, "name": e.Name, "sha256": e.SHA256}
	if e.Kind == EvidenceLink {
		m["url"] = e.URL
	} else {
		m["size"] = e.Size
		m["content_type"] = e.ContentType
	}
	return m
}

// EvidenceLinkInput is a link to evidence kept elsewhere.
type EvidenceLinkInput struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	// SHA256 optionally fixes the content of the document linked to.
	SHA256 string `json:"sha256"`
}

// Normalize trims the input, names a link after its URL when it has no
// name, and returns an EINVALID error naming every field to fix.
func (in *EvidenceLinkInput) Normalize() error {
	var v Validation
	checkText(&v, textRule{"name", &in.Name, 200}, textRule{"url", &in.URL, 2000}, textRule{"sha256", &in.SHA256, 64})
	if in.URL == "" {
		v.Add("url", "is required")
	} else if u, err := url.Parse(in.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		v.Add("url", "must be a web address starting with https:// or http://")
	}
	if in.Name == "" {
		in.Name = in.URL
		if utf8.RuneCountInString(in.Name) > 200 {
			in.Name = string([]rune(in.Name)[:200])
		}
	}
	in.SHA256 = strings.ToLower(in.SHA256)
	if in.SHA256 != "" && !isHex(in.SHA256, 64) {
		v.Add("sha256", "must be 64 hexadecimal characters (a SHA-256 digest), or empty")
	}
	return v.Err()
}

func isHex(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range []byte(s) {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// EvidenceFileInput is an uploaded file.
type EvidenceFileInput struct {
	// Name is the file's name; only its last path element is kept.
	Name string
	// ContentType is the declared media type; caio detects one when it is
	// missing or invalid.
	ContentType string
	// Size is the declared size in bytes, or -1 when unknown. A declared
	// size over MaxEvidenceBytes is refused before anything is read.
	Size int64
	// Data is read to the end, or up to one byte past MaxEvidenceBytes.
	Data io.Reader
}

// Normalize cleans the name and content type and returns an EINVALID error
// naming every field to fix, including a file over the size limit.
func (in *EvidenceFileInput) Normalize() error {
	var v Validation
	in.Name = CleanFileName(in.Name)
	if in.Name == "" {
		v.Add("name", "is required: the file has no name")
	}
	if in.Size > MaxEvidenceBytes {
		return TooLarge(in.Size)
	}
	if in.Data == nil {
		v.Add("file", "is required: choose a file to upload")
	}
	if in.ContentType != "" {
		mt, params, err := mime.ParseMediaType(in.ContentType)
		if err != nil {
			in.ContentType = ""
		} else {
			in.ContentType = mime.FormatMediaType(mt, params)
		}
	}
	return v.Err()
}

// CleanFileName keeps the last element of a file path, without control
// characters, at most 200 characters long.
func CleanFileName(name string) string {
	name = strings.ReplaceAll(name, `\`, "/")
	name = path.Base(strings.TrimSpace(name))
	if name == "." || name == "/" || name == ".." {
		return ""
	}
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	return strings.TrimSpace(name)
}

// TooLarge returns the EINVALID error about an evidence file of size bytes
// (or more, when size is not known exactly), naming the limit and the size.
func TooLarge(size int64) error {
	return FieldError("file", fmt.Sprintf("is %s, larger than the limit of %s for an evidence file: upload a smaller file or add a link to where the document is kept",
		FormatBytes(size), FormatBytes(MaxEvidenceBytes)))
}

// FormatBytes writes a size for people: 512 bytes, 3.4 KiB, 12.0 MiB.
func FormatBytes(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/1024)
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
}

// StatusCounts counts controls by status.
type StatusCounts struct {
	NotStarted    int `json:"not_started"`
	InProgress    int `json:"in_progress"`
	Implemented   int `json:"implemented"`
	NotApplicable int `json:"not_applicable"`
	Total         int `json:"total"`
	// Overdue counts open controls whose due date has passed.
	Overdue int `json:"overdue"`
	// PercentImplemented is implemented out of the controls that apply
	// (not applicable ones left out), 0 to 100, or nil when none apply.
	PercentImplemented *float64 `json:"percent_implemented"`
}

// Add counts n controls of a status, overdue of them overdue.
func (s *StatusCounts) Add(status string, n, overdue int) {
	switch status {
	case StatusNotStarted:
		s.NotStarted += n
	case StatusInProgress:
		s.InProgress += n
	case StatusImplemented:
		s.Implemented += n
	case StatusNotApplicable:
		s.NotApplicable += n
	default:
		return
	}
	s.Total += n
	s.Overdue += overdue
	s.PercentImplemented = nil
	if d := s.Total - s.NotApplicable; d > 0 {
		p := float64(s.Implemented) * 100 / float64(d)
		s.PercentImplemented = &p
	}
}

// Count returns the count of one status.
func (s StatusCounts) Count(status string) int {
	switch status {
	case StatusNotStarted:
		return s.NotStarted
	case StatusInProgress:
		return s.InProgress
	case StatusImplemented:
		return s.Implemented
	case StatusNotApplicable:
		return s.NotApplicable
	}
	return 0
}

// FrameworkPosture is the posture of one framework.
type FrameworkPosture struct {
	Framework string `json:"framework"`
	Name      string `json:"name"`
	StatusCounts
}

// ClassCount is how many AI systems have one EU AI Act class ("" for not classified).
type ClassCount struct {
	Class   string `json:"class"`
	Systems int    `json:"systems"`
}

// Posture sums up the controls that apply, for one organisation or one
// system: counts by status per framework and in all, the overdue ones, the
// next deadlines, and the systems by EU AI Act class. Only frameworks the
// organisation has enabled count.
type Posture struct {
	// SystemID is set for the posture of one system.
	SystemID string `json:"system_id,omitempty"`
	// Today is the date overdue and next deadlines are counted from (UTC).
	Today      string             `json:"today"`
	Total      StatusCounts       `json:"total"`
	Frameworks []FrameworkPosture `json:"frameworks"`
	Classes    []ClassCount       `json:"classes"`
	Systems    int                `json:"systems"`
	// NextDeadlines are the ten open controls with the earliest due date
	// from today on.
	NextDeadlines []*Control `json:"next_deadlines"`
}

// FrameworkInfo is a framework of the catalogue and whether the
// organisation has enabled it.
type FrameworkInfo struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Version  string `json:"version"`
	Enabled  bool   `json:"enabled"`
	AlwaysOn bool   `json:"always_on"`
}

// ControlService manages the controls of an organisation's AI systems and
// the frameworks that apply to the organisation.
type ControlService interface {
	// FindControl returns one control with its system's name and evidence
	// count. Returns ENOTFOUND if it does not exist or belongs to another
	// organisation; EFORBIDDEN without PermRead.
	FindControl(ctx context.Context, id string) (*Control, error)
	// FindControls returns a page of controls and the total that match;
	// without ControlFilter.All only applicable ones. Needs PermRead;
	// returns EINVALID naming a bad filter.
	FindControls(ctx context.Context, f ControlFilter) ([]*Control, int, error)
	// UpdateControl replaces the editable fields and records control.update
	// with the diff. When version is not zero and differs from the stored
	// version, returns ECONFLICT. Needs PermEdit; returns EINVALID naming
	// each field to fix (a not-applicable status needs a reason).
	UpdateControl(ctx context.Context, id string, version int, in ControlInput) (*Control, error)
	// Posture sums up the organisation's controls, or one system's when
	// systemID is not empty (ENOTFOUND if it is not the organisation's).
	// It runs a fixed handful of grouped queries, however many systems and
	// controls there are. Needs PermRead.
	Posture(ctx context.Context, systemID string) (*Posture, error)
	// OrgFrameworks lists the catalogue's frameworks, each marked enabled or
	// not for the organisation. Needs PermRead.
	OrgFrameworks(ctx context.Context) ([]FrameworkInfo, error)
	// SetOrgFrameworks chooses the frameworks that apply; eu-ai-act is always
	// added. Controls of every classified system are brought in line in the
	// same transaction, and org.frameworks is recorded. Needs PermManageOrg;
	// returns EINVALID naming an unknown framework.
	SetOrgFrameworks(ctx context.Context, ids []string) ([]FrameworkInfo, error)
}

// EvidenceService keeps the evidence of controls.
type EvidenceService interface {
	// FindEvidence returns one evidence item, without its bytes. Returns
	// ENOTFOUND if it does not exist or belongs to another organisation.
	// Needs PermRead.
	FindEvidence(ctx context.Context, id string) (*Evidence, error)
	// ControlEvidence lists a control's evidence, oldest first. Needs PermRead.
	ControlEvidence(ctx context.Context, controlID string) ([]*Evidence, error)
	// AddEvidenceLink keeps a link as evidence of a control and records
	// evidence.add on the control. Needs PermContribute: contributors
	// submit evidence, editors judge the control; returns EINVALID naming
	// each field to fix.
	AddEvidenceLink(ctx context.Context, controlID string, in EvidenceLinkInput) (*Evidence, error)
	// AddEvidenceFile stores an uploaded file with its SHA-256 and records
	// evidence.add on the control. A file over MaxEvidenceBytes returns the
	// EINVALID error of TooLarge (field "file") and nothing is stored; so
	// does an empty file. Needs PermContribute.
	AddEvidenceFile(ctx context.Context, controlID string, in EvidenceFileInput) (*Evidence, error)
	// EvidenceContent returns a file's evidence item and its bytes. Returns
	// ENOTFOUND for a link. Needs PermRead.
	EvidenceContent(ctx context.Context, id string) (*Evidence, []byte, error)
	// DeleteEvidence removes evidence and its bytes and records
	// evidence.delete on the control. Needs PermEdit.
	DeleteEvidence(ctx context.Context, id string) error
}

// ServedContentType is the Content-Type evidence is downloaded with: the
// type its uploader declared when it is one of the document and image types
// people attach as evidence, else application/octet-stream. A type a browser
// could run (HTML, SVG, JavaScript) is never served as such from caio's own
// origin.
func ServedContentType(declared string) string {
	mt, _, err := mime.ParseMediaType(declared)
	if err != nil {
		return "application/octet-stream"
	}
	switch {
	case mt == "application/pdf", mt == "image/png", mt == "image/jpeg", mt == "image/gif", mt == "image/webp",
		mt == "text/plain", mt == "text/csv", mt == "application/json", mt == "application/zip",
		mt == "application/msword", mt == "application/vnd.ms-excel", mt == "application/vnd.ms-powerpoint",
		strings.HasPrefix(mt, "application/vnd.openxmlformats-officedocument."),
		strings.HasPrefix(mt, "application/vnd.oasis.opendocument."):
		return mt
	}
	return "application/octet-stream"
}

// EvidenceHeaders are set on every evidence download besides its type: a
// sandbox in case a browser shows it anyway, and no use from other origins.
var EvidenceHeaders = map[string]string{
	"Content-Security-Policy":      "sandbox; default-src 'none'",
	"Cross-Origin-Resource-Policy": "same-origin",
}
