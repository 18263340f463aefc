// Package fedinv reads and writes the US Federal Agency AI Use Case
// Inventory as OMB publishes it (2025 edition, under OMB M-25-21): the file
// of individually reported use cases (36 columns) and the consolidated file
// of commercial off-the-shelf (COTS) use (5 columns). It takes the files
// exactly as published: a UTF-8 byte-order mark, quoted fields spanning
// lines, list fields stored as Python-style strings, empty and duplicated
// ids. It keeps every row, gives each a unique key and reports what it had
// to make up as a warning. Write produces the same bytes for an unchanged
// file: the header in the published order, fields quoted only when they hold
// a comma, a quote or a line break, and the file's own line ending.
package fedinv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kind tells which of the two published files a File is.
type Kind string

const (
	// Individual is 2025_individually_reported_AI_use_cases.csv.
	Individual Kind = "individual"
	// COTS is 2025_consolidated_COTS_AI_use_cases.csv.
	COTS Kind = "cots"
)

// IndividualColumns are the columns of the individual file in the published
// order: agency and agency_name added by OMB, then the 34 columns of the
// data dictionary (data_dictionary.json).
var IndividualColumns = []string{"agency", "agency_name", "id", "use_case_name", "agency_bureau", "contact_email",
	"is_withheld", "development_stage", "is_high_impact", "HI_justification", "topic_area", "classification",
	"problem_solved", "benefits", "system_outputs", "operational_date", "contracting_usage", "vendor_name", "have_ato",
	"system_name_ato", "data_description", "link_to_data", "has_pii", "pia_url", "demographic_features",
	"has_custom_code", "code_url", "hi_testing_conducted", "hi_assessment_completed", "hi_potential_impacts",
	"hi_independent_review", "hi_ongoing_monitoring", "hi_training_established", "hi_failsafe_presence",
	"hi_appeal_process", "hi_public_consultation"}

// COTSColumns are the columns of the consolidated COTS file in the published order.
var COTSColumns = []string{"Agency", "AI Use Case", "Agency Use (Y/N)?", "Name of Commercial Product or Service Used",
	"Estimated # of Licenses/Users"}

// PracticeColumns are the nine minimum practices for high-impact AI of OMB
// M-25-21 §4 as the inventory reports them, in the published order.
var PracticeColumns = []string{"hi_testing_conducted", "hi_assessment_completed", "hi_potential_impacts",
	"hi_independent_review", "hi_ongoing_monitoring", "hi_training_established", "hi_failsafe_presence",
	"hi_appeal_process", "hi_public_consultation"}

// ListColumns are the "select multiple" columns stored as Python-style list
// strings, such as ['Age', 'Sex'] (data_dictionary.md, "List Formatting").
var ListColumns = []string{"demographic_features", "hi_public_consultation"}

// Columns returns the published columns of a kind.
func Columns(k Kind) []string {
	if k == COTS {
		return COTSColumns
	}
	return IndividualColumns
}

// MaxRows bounds the rows of one file (the 2025 file has 3,611).
const MaxRows = 200000

// File is one inventory file: its kind, rows and the details needed to write
// it back byte for byte.
type File struct {
	Kind Kind
	Rows []Row
	// BOM tells whether the file began with a UTF-8 byte-order mark; CRLF
	// whether its lines end with CR LF (the COTS file) rather than LF.
	BOM  bool
	CRLF bool
	// Warnings lists what the reader had to make up or could not check.
	Warnings []Warning
}

// Row is one record: its values by column name, the line it starts on and
// a key unique in the file.
type Row struct {
	Line   int
	Values map[string]string
	// Key identifies the row in the file: "AGENCY|ID" for a row with an id
	// of its own; "AGENCY|ID|n" for the n-th (n ≥ 2) occurrence of a
	// duplicated id; "AGENCY|name:USE CASE NAME" (with |n when repeated) for
	// a row without an id. COTS rows are "AGENCY|USE CASE".
	Key string
}

// Get returns the value of a column ("" when absent).
func (r Row) Get(col string) string { return r.Values[col] }

// Warning kinds.
const (
	WarnEmptyID      = "empty_id"
	WarnDuplicateID  = "duplicate_id"
	WarnUnknownValue = "unknown_value"
	WarnBadList      = "bad_list"
)

// Warning is something the reader noticed in a row it kept.
type Warning struct {
	Line    int    `json:"line"`
	Kind    string `json:"kind"`
	Column  string `json:"column,omitempty"`
	Message string `json:"message"`
}

// Error is a file the reader rejects, with the position of the first problem.
type Error struct {
	Line, Column int
	Msg          string
}

func (e *Error) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Enumerations checked for warnings (data_dictionary.json valid_selections,
// as recoded in the consolidated file).
var (
	Stages       = []string{"Pre-deployment", "Pilot", "Deployed", "Retired"}
	ImpactLevels = []string{"High-impact", "Presumed High-Impact, but Not High-impact", "Not High-impact"}
)

var bom = []byte{0xEF, 0xBB, 0xBF}

// Read parses a file of either kind, told apart by its header.
func Read(r io.Reader) (*File, error) {
	br := bufio.NewReader(r)
	f := &File{}
	if b, err := br.Peek(3); err == nil && bytes.Equal(b, bom) {
		f.BOM = true
		br.Discard(3)
	}
	// The line ending of the first line decides how the file is written back.
	if b, _ := br.Peek(4096); len(b) > 0 {
		if i := bytes.IndexByte(b, '\n'); i > 0 && b[i-1] == '\r' {
			f.CRLF = true
		}
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = false
	head, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &Error{Line: 1, Column: 1, Msg: "the file is empty: expected the header of the federal AI use case inventory"}
	}
	if err != nil {
		return nil, csvError(err)
	}
	if err := f.header(head, cr.FieldPos); err != nil {
		return nil, err
	}
	cols := head
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, csvError(err)
		}
		line, _ := cr.FieldPos(0)
		for i, v := range rec {
			if !utf8.ValidString(v) {
				l, c := cr.FieldPos(i)
				return nil, &Error{Line: l, Column: c, Msg: "column " + strconv.Quote(cols[i]) + " is not valid UTF-8 text"}
			}
		}
		if len(f.Rows) >= MaxRows {
			return nil, &Error{Line: line, Column: 1, Msg: "the file has more than " + strconv.Itoa(MaxRows) + " rows"}
		}
		row := Row{Line: line, Values: make(map[string]string, len(cols))}
		for i, c := range cols {
			row.Values[c] = rec[i]
		}
		f.keyRow(&row, seen)
		f.Rows = append(f.Rows, row)
	}
	return f, nil
}

// header recognises the kind from the header: every published column of
// one kind, in any order, and no other.
func (f *File) header(head []string, pos func(int) (int, int)) error {
	for _, k := range []Kind{Individual, COTS} {
		want := Columns(k)
		if len(head) != len(want) {
			continue
		}
		ok := true
		for _, h := range head {
			if !slices.Contains(want, h) {
				ok = false
			}
		}
		if ok && !hasDup(head) {
			f.Kind = k
			return nil
		}
	}
	// Name the first column that fits neither layout.
	want := IndividualColumns
	if len(head) > 0 && slices.Contains(COTSColumns, head[0]) {
		want = COTSColumns
	}
	for i, h := range head {
		if !slices.Contains(want, h) {
			line, col := pos(i)
			return &Error{Line: line, Column: col, Msg: fmt.Sprintf("unknown column %q: the header must hold the published columns of the federal AI use case inventory (%s)", h, strings.Join(want, ", "))}
		}
	}
	for _, w := range want {
		if !slices.Contains(head, w) {
			return &Error{Line: 1, Column: 1, Msg: fmt.Sprintf("column %q is missing from the header", w)}
		}
	}
	return &Error{Line: 1, Column: 1, Msg: "a column appears twice in the header"}
}

func hasDup(s []string) bool {
	seen := map[string]bool{}
	for _, x := range s {
		if seen[x] {
			return true
		}
		seen[x] = true
	}
	return false
}

// keyRow gives the row its unique key and notes empty and repeated ids.
func (f *File) keyRow(r *Row, seen map[string]int) {
	var base string
	if f.Kind == COTS {
		base = r.Get("Agency") + "|" + r.Get("AI Use Case")
	} else {
		id := strings.TrimSpace(r.Get("id"))
		if id == "" {
			base = r.Get("agency") + "|name:" + strings.TrimSpace(r.Get("use_case_name"))
			f.warn(r.Line, WarnEmptyID, "id", "the use case has no id; it is keyed by its agency and name")
		} else {
			base = r.Get("agency") + "|" + id
		}
		if v := r.Get("development_stage"); v != "" && !slices.Contains(Stages, v) {
			f.warn(r.Line, WarnUnknownValue, "development_stage", fmt.Sprintf("%q is not one of %s; the stage is left at idea", v, strings.Join(Stages, ", ")))
		}
		if v := r.Get("is_high_impact"); v != "" && !slices.Contains(ImpactLevels, v) {
			f.warn(r.Line, WarnUnknownValue, "is_high_impact", fmt.Sprintf("%q is not one of %s", v, strings.Join(ImpactLevels, ", ")))
		}
		for _, c := range ListColumns {
			if _, ok := ParseList(r.Get(c)); !ok {
				f.warn(r.Line, WarnBadList, c, fmt.Sprintf("%q is not a list such as ['a', 'b']; it is kept as text", r.Get(c)))
			}
		}
	}
	seen[base]++
	r.Key = base
	if n := seen[base]; n > 1 {
		r.Key = base + "|" + strconv.Itoa(n)
		if f.Kind == Individual && strings.TrimSpace(r.Get("id")) != "" {
			f.warn(r.Line, WarnDuplicateID, "id", fmt.Sprintf("id %q of %s occurs again (occurrence %d); this row is kept as %s", r.Get("id"), r.Get("agency"), n, r.Key))
		}
	}
}

func (f *File) warn(line int, kind, col, msg string) {
	f.Warnings = append(f.Warnings, Warning{Line: line, Kind: kind, Column: col, Message: msg})
}

// WarningCounts returns the number of warnings of each kind.
func (f *File) WarningCounts() map[string]int {
	m := map[string]int{}
	for _, w := range f.Warnings {
		m[w.Kind]++
	}
	return m
}

func csvError(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := pe.Err.Error()
		if errors.Is(pe.Err, csv.ErrFieldCount) {
			msg = "wrong number of fields: every row must have one value per column of the header"
		}
		return &Error{Line: pe.Line, Column: pe.Column, Msg: msg}
	}
	return err
}

// Write writes the rows in the published column order, with the file's
// byte-order mark and line ending.
func Write(w io.Writer, f *File) error {
	bw := bufio.NewWriter(w)
	if f.BOM {
		bw.Write(bom)
	}
	eol := "\n"
	if f.CRLF {
		eol = "\r\n"
	}
	cols := Columns(f.Kind)
	writeRecord(bw, cols, eol)
	rec := make([]string, len(cols))
	for _, r := range f.Rows {
		for i, c := range cols {
			rec[i] = r.Values[c]
		}
		writeRecord(bw, rec, eol)
	}
	return bw.Flush()
}

// writeRecord quotes a field only when it holds a comma, a quote or a line
// break, as the published files do (encoding/csv would also quote fields
// that begin with a space, changing the bytes).
func writeRecord(w *bufio.Writer, rec []string, eol string) {
	for i, v := range rec {
		if i > 0 {
			w.WriteByte(',')
		}
		if strings.ContainsAny(v, ",\"\r\n") {
			w.WriteByte('"')
			w.WriteString(strings.ReplaceAll(v, `"`, `""`))
			w.WriteByte('"')
		} else {
			w.WriteString(v)
		}
	}
	w.WriteString(eol)
}

// ParseList reads a list stored as a string: "" and "[]" are empty, and
// ['a', "b's"] holds a and b's. A value that is not written as a list is
// returned as one item with ok false.
func ParseList(s string) (items []string, ok bool) {
	t := strings.TrimSpace(s)
	if t == "" || t == "[]" {
		return nil, true
	}
	if !strings.HasPrefix(t, "[") || !strings.HasSuffix(t, "]") {
		return []string{t}, false
	}
	body := t[1 : len(t)-1]
	for {
		body = strings.TrimLeft(body, " ")
		if body == "" {
			return items, true
		}
		q := body[0]
		if q != '\'' && q != '"' {
			return []string{t}, false
		}
		var b strings.Builder
		i := 1
		for ; i < len(body); i++ {
			c := body[i]
			if c == '\\' && i+1 < len(body) {
				i++
				b.WriteByte(body[i])
				continue
			}
			if c == q {
				break
			}
			b.WriteByte(c)
		}
		if i >= len(body) {
			return []string{t}, false
		}
		items = append(items, b.String())
		body = strings.TrimLeft(body[i+1:], " ")
		if body == "" {
			return items, true
		}
		if body[0] != ',' {
			return []string{t}, false
		}
		body = body[1:]
	}
}

// FormatList writes items as a list string, the inverse of ParseList.
func FormatList(items []string) string {
	if len(items) == 0 {
		return "[]"
	}
	parts := make([]string, len(items))
	for i, it := range items {
		q := "'"
		if strings.Contains(it, "'") && !strings.Contains(it, `"`) {
			q = `"`
		}
		parts[i] = q + strings.ReplaceAll(strings.ReplaceAll(it, `\`, `\\`), q, `\`+q) + q
	}
	return "[" + strings.Join(parts, ", ") + "]"
}
