package fedinv

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// The nine hi_* columns report, for a high-impact use case, how far the
// agency is with each minimum practice of OMB M-25-21 appendix §4(b). caio
// keeps each answer as evidence on the control of the practice it reports
// on. Practices is that mapping, as data: the control IDs are those of the
// catalogue's framework omb-m-25-21 (internal/engine/catalog).

// Practice maps one hi_* column to the OMB M-25-21 practice it reports on.
type Practice struct {
	// Column is the inventory column, such as hi_testing_conducted.
	Column string
	// Control is the catalogue item of framework omb-m-25-21, such as M-25-21-1.
	Control string
	// Reason says why the answer is evidence of that practice, citing the
	// data dictionary and the memo.
	Reason string
}

// Practices maps the nine hi_* columns, in the published order.
var Practices = []Practice{
	{"hi_testing_conducted", "M-25-21-1", "asks whether pre-deployment testing was done, consistent with M-25-21 appendix §4(b)(i): the practice of pre-deployment testing"},
	{"hi_assessment_completed", "M-25-21-2", "asks whether an AI impact assessment was completed, consistent with M-25-21 appendix §4(b)(ii): the practice of the impact assessment"},
	{"hi_potential_impacts", "M-25-21-2", "describes the foreseeable impacts and how they were found, which the data dictionary files under the practice \"Complete AI Impact Assessment\" (M-25-21 appendix §4(b)(ii))"},
	{"hi_independent_review", "M-25-21-2", "asks whether someone not involved in the AI's development reviewed it, a sub-practice of \"Complete AI Impact Assessment\" in the data dictionary (M-25-21 appendix §4(b)(ii))"},
	{"hi_ongoing_monitoring", "M-25-21-3", "asks whether ongoing monitoring for adverse impacts is in place, consistent with M-25-21 appendix §4(b)(iii): the practice of ongoing monitoring"},
	{"hi_training_established", "M-25-21-4", "asks whether operators get sufficient and periodic training, consistent with M-25-21 appendix §4(b)(iv): the practice of operator training"},
	{"hi_failsafe_presence", "M-25-21-5", "asks whether a fail-safe limits the risk of significant harm, consistent with M-25-21 appendix §4(b)(v): the practice of human oversight, intervention and accountability"},
	{"hi_appeal_process", "M-25-21-6", "asks whether affected people can appeal or contest the outcome, consistent with M-25-21 appendix §4(b)(vi): the practice of remedy and appeal"},
	{"hi_public_consultation", "M-25-21-7", "lists the steps taken to consult end users and the public, consistent with M-25-21 appendix §4(b)(vii): the practice of consultation and feedback"},
}

// PracticeOf returns the practice of a column, or false when the column is
// not one of the nine.
func PracticeOf(column string) (Practice, bool) {
	for _, p := range Practices {
		if p.Column == column {
			return p, true
		}
	}
	return Practice{}, false
}

// SourcePrefix begins the source of every answer kept as evidence, so the
// import finds what it recorded before.
const SourcePrefix = "US federal inventory 2025, row "

// maxSource is the longest evidence name caio keeps.
const maxSource = 200

// Source names where an answer comes from, such as "US federal inventory
// 2025, row DHS-2389, field hi_testing_conducted". The row is its id, with
// the occurrence when the id repeats in the file, or its agency and use
// case name when it has no id. The same row and column always give the
// same source, at most 200 characters.
func Source(r Row, column string) string {
	row := strings.TrimSpace(r.Get("id"))
	base := r.Get("agency") + "|" + row
	if row == "" {
		name := strings.TrimSpace(r.Get("use_case_name"))
		row = strings.TrimSpace(r.Get("agency")) + " “" + name + "”"
		base = r.Get("agency") + "|name:" + name
	}
	// keyRow adds |n to the key of the n-th occurrence.
	if rest, ok := strings.CutPrefix(r.Key, base+"|"); ok {
		if n, err := strconv.Atoi(rest); err == nil && n > 1 {
			row += " (occurrence " + strconv.Itoa(n) + ")"
		}
	}
	tail := ", field " + column
	if room := maxSource - utf8.RuneCountInString(SourcePrefix+tail); utf8.RuneCountInString(row) > room {
		row = string([]rune(row)[:room-1]) + "…"
	}
	return SourcePrefix + row + tail
}

// Answer returns the agency's answer in a practice column as text: the
// value trimmed, a list column's items one per line. Empty answers ("" or
// "[]") are "".
func Answer(r Row, column string) string {
	v := strings.TrimSpace(r.Get(column))
	if column == "hi_public_consultation" {
		if items, ok := ParseList(v); ok {
			var out []string
			for _, it := range items {
				if it = strings.TrimSpace(it); it != "" {
					out = append(out, it)
				}
			}
			return strings.Join(out, "\n")
		}
	}
	return v
}
