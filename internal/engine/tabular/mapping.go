package tabular

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
)

// Field is a field of an object that a column can fill.
type Field struct {
	Key      string   `json:"key"`
	Label    string   `json:"label"`
	Required bool     `json:"required"`
	Help     string   `json:"help,omitempty"`
	Aliases  []string `json:"-"` // other header names that mean this field
}

// Mapping joins fields to the file's columns: field key → column header.
// A field left out is not imported.
type Mapping map[string]string

// fold reduces a header to letters and digits in lower case, so "Business
// unit", "business_unit" and "BUSINESS-UNIT" compare equal.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Guess maps each field to the column whose header is its key, its label
// or one of its aliases, ignoring case, spaces and punctuation. A column
// fills one field at most.
func Guess(headers []string, fields []Field) Mapping {
	m := Mapping{}
	used := map[string]bool{}
	for _, f := range fields {
		names := []string{fold(f.Key), fold(f.Label)}
		for _, a := range f.Aliases {
			names = append(names, fold(a))
		}
		for _, h := range headers {
			if !used[h] && fold(h) != "" && slices.Contains(names, fold(h)) {
				m[f.Key] = h
				used[h] = true
				break
			}
		}
	}
	return m
}

// MappingError is a mapping that does not fit a file or a kind.
type MappingError struct {
	Field string // the field whose mapping is wrong
	Msg   string
}

func (e *MappingError) Error() string { return e.Field + ": " + e.Msg }

// Check reports the mapping's problems against the file's headers and the
// kind's fields: unknown fields, columns the file does not have, required
// fields left out. Empty entries are dropped from m.
func (m Mapping) Check(headers []string, fields []Field) []MappingError {
	var out []MappingError
	for k, h := range m {
		if h == "" {
			delete(m, k)
		}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.ContainsFunc(fields, func(f Field) bool { return f.Key == k }) {
			out = append(out, MappingError{k, "is not a field of this kind"})
			continue
		}
		if !slices.Contains(headers, m[k]) {
			out = append(out, MappingError{k, fmt.Sprintf("names the column %q, which the file does not have", m[k])})
		}
	}
	for _, f := range fields {
		if f.Required && m[f.Key] == "" {
			out = append(out, MappingError{f.Key, "is required: choose the column that holds it"})
		}
	}
	return out
}

// Fit keeps the entries of a saved mapping whose columns the file has, and
// guesses the fields it leaves out.
func Fit(saved Mapping, headers []string, fields []Field) Mapping {
	m := Mapping{}
	used := map[string]bool{}
	for _, f := range fields {
		if h, ok := saved[f.Key]; ok && !used[h] && slices.Contains(headers, h) {
			m[f.Key] = h
			used[h] = true
		}
	}
	var rest []string
	for _, h := range headers {
		if !used[h] {
			rest = append(rest, h)
		}
	}
	for k, h := range Guess(rest, fields) {
		if _, ok := m[k]; !ok {
			m[k] = h
		}
	}
	return m
}

// Record is one row's values by field key, with the row's place in the file.
type Record struct {
	Ref    int
	Values map[string]string
}

// Records applies a (checked) mapping to the table's rows. Cells are
// trimmed and the apostrophe an export adds before = + - @ is removed.
func (t *Table) Records(m Mapping) []Record {
	col := map[string]int{}
	for k, h := range m {
		if i := slices.Index(t.Headers, h); i >= 0 {
			col[k] = i
		}
	}
	out := make([]Record, len(t.Rows))
	for r, row := range t.Rows {
		v := make(map[string]string, len(col))
		for k, i := range col {
			if i < len(row.Cells) {
				v[k] = Unquote(strings.TrimSpace(row.Cells[i]))
			}
		}
		out[r] = Record{Ref: row.Ref, Values: v}
	}
	return out
}
