package tabular

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Column is a column of an exported table. Numeric columns are written to
// XLSX as numbers when their text is one, so sums work in the sheet.
type Column struct {
	Name    string
	Numeric bool
}

// Writer writes a table row by row; Close finishes the file.
type Writer interface {
	Write(cells []string) error
	Close() error
}

// NewWriter returns a writer of format (CSV or XLSX) to w, which writes the
// header row first. sheet names the XLSX sheet.
func NewWriter(format string, w io.Writer, sheet string, cols []Column) (Writer, error) {
	var out Writer
	if format == XLSX {
		x, err := newXLSXWriter(w, sheet, cols)
		if err != nil {
			return nil, err
		}
		out = x
	} else {
		out = newCSVWriter(w)
	}
	head := make([]string, len(cols))
	for i, c := range cols {
		head[i] = c.Name
	}
	if err := out.Write(head); err != nil {
		return nil, err
	}
	return out, nil
}

// ContentType is the media type of a format.
func ContentType(format string) string {
	if format == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// Neutralise keeps a spreadsheet from running a cell as a formula (CSV
// injection, OWASP): a cell that starts with = + - @ or a tab or carriage
// return gets a leading apostrophe, which Excel and LibreOffice show as
// text and do not display. Unquote undoes it on import.
func Neutralise(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// Unquote removes the apostrophe Neutralise adds, so an exported file
// imports as it was.
func Unquote(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

type csvWriter struct {
	buf *bufio.Writer
	w   *csv.Writer
	err error
}

// newCSVWriter writes UTF-8 with a byte-order mark, so Excel opens the
// file as UTF-8, and CRLF line ends as RFC 4180 says.
func newCSVWriter(w io.Writer) *csvWriter {
	b := bufio.NewWriterSize(w, 64<<10)
	_, err := b.Write(bom)
	c := csv.NewWriter(b)
	c.UseCRLF = true
	return &csvWriter{buf: b, w: c, err: err}
}

func (c *csvWriter) Write(cells []string) error {
	if c.err != nil {
		return c.err
	}
	out := make([]string, len(cells))
	for i, v := range cells {
		out[i] = Neutralise(v)
	}
	c.err = c.w.Write(out)
	return c.err
}

func (c *csvWriter) Close() error {
	if c.err != nil {
		return c.err
	}
	c.w.Flush()
	if err := c.w.Error(); err != nil {
		return err
	}
	return c.buf.Flush()
}

type xlsxWriter struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	w    io.Writer
	cols []Column
	row  int
	bold int
}

// newXLSXWriter streams rows into a sheet, so a large list is not held as
// cells in memory (excelize keeps the stream in a temporary file).
func newXLSXWriter(w io.Writer, sheet string, cols []Column) (*xlsxWriter, error) {
	f := excelize.NewFile()
	if sheet == "" {
		sheet = "Sheet1"
	}
	if len(sheet) > 31 {
		sheet = sheet[:31]
	}
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		_ = f.Close()
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		_ = f.Close()
		return nil, err
	}
	return &xlsxWriter{f: f, sw: sw, w: w, cols: cols, bold: bold}, nil
}

func (x *xlsxWriter) Write(cells []string) error {
	x.row++
	vals := make([]any, len(cells))
	for i, v := range cells {
		switch {
		case x.row == 1:
			vals[i] = excelize.Cell{StyleID: x.bold, Value: v}
		case i < len(x.cols) && x.cols[i].Numeric && v != "":
			if n, err := strconv.ParseFloat(v, 64); err == nil {
				vals[i] = n
				continue
			}
			vals[i] = v
		default:
			vals[i] = v // a string cell: never read as a formula
		}
	}
	cell, _ := excelize.CoordinatesToCellName(1, x.row)
	return x.sw.SetRow(cell, vals)
}

func (x *xlsxWriter) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	_, err := x.f.WriteTo(x.w)
	return err
}
