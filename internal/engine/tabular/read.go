// Package tabular reads and writes the tables people keep in spreadsheets:
// CSV (as Excel and others write it) and XLSX. It knows nothing of caio's
// objects: a table is a header row and rows of text, a mapping joins a
// file's columns to the fields of a kind of object. Errors in a file name
// the line and column (CSV) or the sheet and cell (XLSX).
package tabular

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Limits of a file that is read. A larger file is refused with a message
// that names the limit.
const (
	MaxBytes   = 10 << 20 // 10 MiB as uploaded
	MaxRows    = 50000    // data rows, not counting the header
	MaxColumns = 200
	MaxCell    = 32767 // characters in a cell: Excel's own limit
)

// Formats of a table.
const (
	CSV  = "csv"
	XLSX = "xlsx"
)

// Table is a file's first sheet: its header row and its data rows.
type Table struct {
	Format  string   `json:"format"`
	Sheet   string   `json:"sheet,omitempty"` // XLSX only
	Headers []string `json:"headers"`
	Rows    []Row    `json:"rows"`
}

// Row is one data row. Ref is where it is in the file: the line of a CSV
// file (where the record starts), the row number of a sheet. Cells has one
// value per header, "" for a missing one.
type Row struct {
	Ref   int      `json:"ref"`
	Cells []string `json:"cells"`
}

// Where names a cell of the table's file for people: "line 4, column 3" or
// "Sheet1!C4". col is 0-based.
func (t *Table) Where(ref, col int) string {
	if t.Format == XLSX {
		name, _ := excelize.CoordinatesToCellName(col+1, ref)
		return t.Sheet + "!" + name
	}
	return fmt.Sprintf("line %d, column %d", ref, col+1)
}

// FormatError is a file that cannot be read, with where the problem is.
// Line and Column are set for CSV (1-based; Column counts characters),
// Sheet and Cell for XLSX; all are zero for a problem with the whole file.
type FormatError struct {
	Format string
	Line   int
	Column int
	Sheet  string
	Cell   string
	Msg    string
}

func (e *FormatError) Error() string {
	switch {
	case e.Cell != "":
		return e.Sheet + "!" + e.Cell + ": " + e.Msg
	case e.Sheet != "":
		return "sheet " + e.Sheet + ": " + e.Msg
	case e.Line > 0:
		return fmt.Sprintf("line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return e.Msg
}

// Detect tells the format of a file from its first bytes, falling back on
// its name: XLSX files are ZIP archives; anything else that is text is CSV.
func Detect(name string, data []byte) (string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return XLSX, nil
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0}):
		return "", &FormatError{Msg: "this is an Excel 97-2003 (.xls) workbook, which caio does not read: save it as .xlsx or .csv"}
	case strings.HasSuffix(strings.ToLower(name), ".xlsx"):
		return "", &FormatError{Format: XLSX, Msg: "the file is named .xlsx but is not an XLSX workbook (it is not a ZIP archive)"}
	}
	return CSV, nil
}

// Read reads a CSV or XLSX file (its first sheet) into a table.
func Read(name string, data []byte) (t *Table, err error) { return ReadSheet(name, data, "") }

// ReadSheet reads a CSV or XLSX file into a table; sheet, when not empty,
// names the sheet of a workbook to read (a CSV has none, and a sheet
// named for one is an error).
func ReadSheet(name string, data []byte, sheet string) (t *Table, err error) {
	if len(data) > MaxBytes {
		return nil, &FormatError{Msg: fmt.Sprintf("the file has %d bytes; the limit is %d (10 MiB)", len(data), MaxBytes)}
	}
	format, err := Detect(name, data)
	if err != nil {
		return nil, err
	}
	if format == XLSX {
		return readXLSX(data, sheet)
	}
	if sheet != "" {
		return nil, &FormatError{Format: CSV, Msg: "a CSV file has no sheets: leave the sheet out"}
	}
	return readCSV(data)
}

var bom = []byte{0xEF, 0xBB, 0xBF}

// delimiter guesses the separator from the first line: Excel writes
// semicolons where the decimal mark is a comma, and some tools use tabs.
func delimiter(data []byte) rune {
	line := data
	if i := bytes.IndexByte(data, '\n'); i >= 0 {
		line = data[:i]
	}
	best, n := ',', bytes.Count(line, []byte{','})
	for _, d := range []rune{';', '\t'} {
		if c := bytes.Count(line, []byte(string(d))); c > n {
			best, n = d, c
		}
	}
	return best
}

func readCSV(data []byte) (*Table, error) {
	data = bytes.TrimPrefix(data, bom)
	t := &Table{Format: CSV}
	fail := func(line, col int, msg string) error {
		return &FormatError{Format: CSV, Line: line, Column: col, Msg: msg}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fail(1, 1, "the file is empty: the first line must name the columns")
	}
	// Check the encoding first, so a problem is reported where it is.
	if !utf8.Valid(data) {
		line, col := 1, 1
		for i := 0; i < len(data); {
			r, size := utf8.DecodeRune(data[i:])
			if r == utf8.RuneError && size <= 1 {
				return nil, fail(line, col, "the text is not UTF-8: save the file as \"CSV UTF-8\"")
			}
			if r == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
			i += size
		}
	}
	if i := bytes.IndexByte(data, 0); i >= 0 {
		line := 1 + bytes.Count(data[:i], []byte{'\n'})
		col := 1 + utf8.RuneCount(data[bytes.LastIndexByte(data[:i], '\n')+1:i])
		return nil, fail(line, col, "the file holds a NUL character: it is not a text file")
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = delimiter(data)
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	first := true
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fail(pe.Line, pe.Column, csvProblem(pe.Err))
			}
			return nil, fail(1, 1, err.Error())
		}
		line, _ := r.FieldPos(0)
		if first {
			first = false
			if err := setHeaders(t, rec, func(col int) error {
				l, c := r.FieldPos(col)
				return fail(l, c, "")
			}); err != nil {
				return nil, err
			}
			continue
		}
		if blank(rec) {
			continue
		}
		if len(rec) > len(t.Headers) {
			// Extra cells are fine when empty (trailing separators).
			for i := len(t.Headers); i < len(rec); i++ {
				if strings.TrimSpace(rec[i]) != "" {
					l, c := r.FieldPos(i)
					return nil, fail(l, c, fmt.Sprintf("this row has %d cells but the header names %d columns", len(rec), len(t.Headers)))
				}
			}
			rec = rec[:len(t.Headers)]
		}
		for i, v := range rec {
			if utf8.RuneCountInString(v) > MaxCell {
				l, c := r.FieldPos(i)
				return nil, fail(l, c, fmt.Sprintf("the cell holds more than %d characters", MaxCell))
			}
		}
		if len(t.Rows) >= MaxRows {
			return nil, fail(line, 1, fmt.Sprintf("the file has more than %d rows: split it", MaxRows))
		}
		t.Rows = append(t.Rows, Row{Ref: line, Cells: pad(rec, len(t.Headers))})
	}
	if t.Headers == nil {
		return nil, fail(1, 1, "the file is empty: the first line must name the columns")
	}
	return t, nil
}

// csvProblem words the CSV reader's errors for people.
func csvProblem(err error) string {
	switch {
	case errors.Is(err, csv.ErrBareQuote):
		return `a quote (") inside a cell that is not quoted: put the cell in quotes and double the quote ("")`
	case errors.Is(err, csv.ErrQuote):
		return `a quoted cell is not closed, or a quote (") follows its closing quote`
	}
	return err.Error()
}

// setHeaders keeps the header row: names trimmed, unnamed columns named
// after their position, duplicates refused. at gives the error for a
// column, whose message is filled in.
func setHeaders(t *Table, rec []string, at func(col int) error) error {
	// Trailing unnamed columns are ignored (trailing separators).
	n := len(rec)
	for n > 0 && strings.TrimSpace(rec[n-1]) == "" {
		n--
	}
	if n == 0 {
		e := at(0).(*FormatError)
		e.Msg = "the first row is empty: it must name the columns"
		return e
	}
	if n > MaxColumns {
		e := at(MaxColumns).(*FormatError)
		e.Msg = fmt.Sprintf("the file has %d columns; the limit is %d", n, MaxColumns)
		return e
	}
	seen := map[string]int{}
	for i, h := range rec[:n] {
		h = strings.TrimSpace(h)
		if h == "" {
			h = fmt.Sprintf("Column %d", i+1)
		}
		if utf8.RuneCountInString(h) > 200 {
			e := at(i).(*FormatError)
			e.Msg = "the column's name is longer than 200 characters"
			return e
		}
		k := strings.ToLower(h)
		if j, ok := seen[k]; ok {
			e := at(i).(*FormatError)
			e.Msg = fmt.Sprintf("the column %q appears twice (also column %d): give each column its own name", h, j+1)
			return e
		}
		seen[k] = i
		t.Headers = append(t.Headers, h)
	}
	return nil
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

func pad(rec []string, n int) []string {
	out := make([]string, n)
	copy(out, rec)
	return out
}

// excelErrors are the values Excel shows in a cell whose formula failed.
var excelErrors = map[string]bool{"#NULL!": true, "#DIV/0!": true, "#VALUE!": true, "#REF!": true, "#NAME?": true,
	"#NUM!": true, "#N/A": true, "#GETTING_DATA": true, "#SPILL!": true, "#CALC!": true}

func readXLSX(data []byte, want string) (t *Table, err error) {
	defer func() {
		// The workbook is someone else's XML: a reader panic is a bad file.
		if p := recover(); p != nil {
			t, err = nil, &FormatError{Format: XLSX, Msg: "the workbook could not be read: it is damaged"}
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 8 * MaxBytes, UnzipXMLSizeLimit: 8 * MaxBytes})
	if err != nil {
		return nil, &FormatError{Format: XLSX, Msg: "the workbook could not be read: " + err.Error()}
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, &FormatError{Format: XLSX, Msg: "the workbook has no sheet"}
	}
	sheet := sheets[0]
	if want != "" {
		i := slices.IndexFunc(sheets, func(s string) bool { return strings.EqualFold(s, strings.TrimSpace(want)) })
		if i < 0 {
			return nil, &FormatError{Format: XLSX, Msg: fmt.Sprintf("the workbook has no sheet %q; its sheets are %s", want, strings.Join(sheets, ", "))}
		}
		sheet = sheets[i]
	}
	t = &Table{Format: XLSX, Sheet: sheet}
	cellErr := func(col, row int, msg string) error {
		name, _ := excelize.CoordinatesToCellName(col+1, row)
		return &FormatError{Format: XLSX, Sheet: sheet, Cell: name, Msg: msg}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		return nil, &FormatError{Format: XLSX, Sheet: sheet, Msg: "the sheet could not be read: " + err.Error()}
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		n++
		rec, err := rows.Columns()
		if err != nil {
			return nil, &FormatError{Format: XLSX, Sheet: sheet, Cell: fmt.Sprintf("A%d", n), Msg: "the row could not be read: " + err.Error()}
		}
		for i, v := range rec {
			switch {
			case !utf8.ValidString(v) || strings.ContainsRune(v, 0):
				return nil, cellErr(i, n, "the cell holds characters that are not text")
			case excelErrors[strings.TrimSpace(v)]:
				return nil, cellErr(i, n, "the cell holds the formula error "+strings.TrimSpace(v)+": fix the formula or paste values")
			case utf8.RuneCountInString(v) > MaxCell:
				return nil, cellErr(i, n, fmt.Sprintf("the cell holds more than %d characters", MaxCell))
			}
		}
		if t.Headers == nil {
			if blank(rec) {
				continue // leading empty rows before the header
			}
			row := n
			if err := setHeaders(t, rec, func(col int) error { return cellErr(col, row, "") }); err != nil {
				return nil, err
			}
			continue
		}
		if blank(rec) {
			continue
		}
		for i := len(t.Headers); i < len(rec); i++ {
			if strings.TrimSpace(rec[i]) != "" {
				return nil, cellErr(i, n, fmt.Sprintf("this cell is right of the last named column (%d columns are named in the header)", len(t.Headers)))
			}
		}
		if len(rec) > len(t.Headers) {
			rec = rec[:len(t.Headers)]
		}
		if len(t.Rows) >= MaxRows {
			return nil, cellErr(0, n, fmt.Sprintf("the sheet has more than %d rows: split it", MaxRows))
		}
		t.Rows = append(t.Rows, Row{Ref: n, Cells: pad(rec, len(t.Headers))})
	}
	if err := rows.Error(); err != nil {
		return nil, &FormatError{Format: XLSX, Sheet: sheet, Msg: "the sheet could not be read: " + err.Error()}
	}
	if t.Headers == nil {
		return nil, &FormatError{Format: XLSX, Sheet: sheet, Cell: "A1", Msg: "the sheet is empty: its first row must name the columns"}
	}
	return t, nil
}
