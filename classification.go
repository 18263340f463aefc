package caio

import (
	"encoding/json"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// ClassificationRecord is one stored EU AI Act classification of an AI
// system: the profile the engine read and the result it gave, with the
// content version and timeline it used. Records are never changed: editing
// a profile or re-classifying adds a record, so the history shows each step.
type ClassificationRecord struct {
	ID             string   `json:"id"`
	OrgID          string   `json:"org_id"`
	SystemID       string   `json:"system_id"`
	Seq            int      `json:"seq"`
	Class          string   `json:"class"`
	Basis          []string `json:"basis"`
	ContentVersion string   `json:"content_version"`
	Timeline       string   `json:"timeline"`
	Provisional    bool     `json:"provisional"`
	// Dates are the application dates of the result's obligations, sorted.
	Dates     []string        `json:"dates"`
	Note      string          `json:"note"`
	CreatedBy string          `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
	Profile   json.RawMessage `json:"profile,omitempty"`
	Result    json.RawMessage `json:"result,omitempty"`
}

// ClassificationOverride is a reviewed decision that replaces the engine's
// class for a system, for example after legal advice. The engine's class
// stays recorded beside it. An override with an empty Class withdraws the
// one before it.
type ClassificationOverride struct {
	ID          string    `json:"id"`
	OrgID       string    `json:"org_id"`
	SystemID    string    `json:"system_id"`
	Seq         int       `json:"seq"`
	Class       string    `json:"class"`
	Reason      string    `json:"reason"`
	Reference   string    `json:"reference"`
	EngineClass string    `json:"engine_class"`
	CreatedBy   string    `json:"created_by"`
	CreatedAt   time.Time `json:"created_at"`
}

// OverrideInput is what a reviewer records to override a classification.
type OverrideInput struct {
	// Class is one of SystemClasses, or "" to withdraw the override in effect.
	Class string `json:"class"`
	// Reason says why the engine's answer does not hold for this system.
	Reason string `json:"reason"`
	// Reference points to the advice or decision, e.g. a memo or ticket.
	Reference string `json:"reference"`
}

// Normalize trims the input and names every field to fix.
func (in *OverrideInput) Normalize() error {
	in.Class = strings.TrimSpace(in.Class)
	in.Reason = strings.TrimSpace(in.Reason)
	in.Reference = strings.TrimSpace(in.Reference)
	var v Validation
	if in.Class != "" && !slices.Contains(SystemClasses, in.Class) {
		v.Add("class", "must be one of "+strings.Join(SystemClasses, ", ")+", or empty to withdraw the override")
	}
	switch n := utf8.RuneCountInString(in.Reason); {
	case n == 0:
		v.Add("reason", "is required: say why the engine's answer does not hold")
	case n > 5000:
		v.Add("reason", "must be at most 5,000 characters")
	}
	if in.Class != "" && in.Reference == "" {
		v.Add("reference", "is required: name the legal advice or decision behind the override")
	} else if utf8.RuneCountInString(in.Reference) > 500 {
		v.Add("reference", "must be at most 500 characters")
	}
	return v.Err()
}

// Timelines of the EU AI Act's application dates an organisation can follow.
var Timelines = []string{"amended", "enacted"}
