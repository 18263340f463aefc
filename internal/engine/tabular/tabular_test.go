package tabular_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/tabular"
	"github.com/xuri/excelize/v2"
)

func xlsxFile(t testing.TB, rows [][]any) []byte {
	t.Helper()
	var b bytes.Buffer
	// Build the workbook directly so cells can hold anything.
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestReadCSV(t *testing.T) {
	data := "\uFEFFName;Stage;Note\r\nChatbot;production;\"a; b\"\r\n\r\nScorer;'=SUM(A1);\n"
	tab, err := tabular.Read("x.csv", []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(tab.Headers, "|") != "Name|Stage|Note" {
		t.Fatalf("headers %q (BOM or semicolon not handled)", tab.Headers)
	}
	if len(tab.Rows) != 2 || tab.Rows[0].Cells[2] != "a; b" || tab.Rows[1].Ref != 4 {
		t.Fatalf("rows %+v", tab.Rows)
	}
	recs := tab.Records(tabular.Mapping{"name": "Name", "stage": "Stage"})
	if recs[1].Values["stage"] != "=SUM(A1)" || recs[0].Values["name"] != "Chatbot" {
		t.Fatalf("records %+v", recs)
	}
}

func TestReadCSVErrorsNameLineAndColumn(t *testing.T) {
	for _, c := range []struct{ name, data, want string }{
		{"bare quote", "a,b\nx,y\"z\n", "line 2, column 4"},
		{"unclosed", "a,b\nx,\"yz\n", "line 2, column"},
		{"too many cells", "a,b\nx,y,z\n", "line 2, column 5"},
		{"latin-1", "a,b\nx,caf\xe9\n", "line 2, column 6: the text is not UTF-8"},
		{"nul", "a,b\nx\x00,y\n", "line 2, column 2"},
		{"empty", "", "line 1, column 1: the file is empty"},
		{"duplicate header", "Name,name\n", "line 1, column 6: the column \"name\" appears twice"},
		{"xls", "\xD0\xCF\x11\xE0rest", "Excel 97-2003"},
		{"not a workbook", "a,b\n", "not an XLSX workbook"},
	} {
		name := "f.csv"
		if c.name == "not a workbook" {
			name = "f.xlsx"
		}
		_, err := tabular.Read(name, []byte(c.data))
		var fe *tabular.FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want %q", c.name, err, c.want)
		}
	}
}

func TestReadXLSX(t *testing.T) {
	data := xlsxFile(t, [][]any{{"Name", "Likelihood"}, {"Prompt injection", 4}, {}, {"Leak", "#REF!"}})
	_, err := tabular.Read("r.xlsx", data)
	if err == nil || !strings.Contains(err.Error(), "Sheet1!B4") || !strings.Contains(err.Error(), "#REF!") {
		t.Fatalf("formula error: %v", err)
	}
	data = xlsxFile(t, [][]any{{"Name", "Likelihood"}, {"Prompt injection", 4}, {}, {"Leak", 2}})
	tab, err := tabular.Read("r.xlsx", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(tab.Rows) != 2 || tab.Rows[1].Ref != 4 || tab.Rows[0].Cells[1] != "4" || tab.Where(4, 1) != "Sheet1!B4" {
		t.Fatalf("rows %+v", tab.Rows)
	}
	data = xlsxFile(t, [][]any{{"Name"}, {"a", "stray"}})
	if _, err := tabular.Read("r.xlsx", data); err == nil || !strings.Contains(err.Error(), "Sheet1!B2") {
		t.Fatalf("stray cell: %v", err)
	}
}

func TestWriteRoundTrip(t *testing.T) {
	cols := []tabular.Column{{Name: "Name"}, {Name: "Score", Numeric: true}}
	for _, format := range []string{tabular.CSV, tabular.XLSX} {
		var b bytes.Buffer
		w, err := tabular.NewWriter(format, &b, "Risks", cols)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range [][]string{{"=HYPERLINK(\"http://evil\")", "12"}, {"-2+3", ""}, {"@SUM(1)", "x"}, {"plain, \"quoted\"", "3.5"}} {
			if err := w.Write(r); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		if format == tabular.CSV {
			s := b.String()
			if !strings.HasPrefix(s, "\uFEFFName,Score\r\n") || !strings.Contains(s, "'=HYPERLINK") || !strings.Contains(s, "'-2+3") || !strings.Contains(s, "'@SUM") {
				t.Fatalf("csv %q", s)
			}
		}
		tab, err := tabular.Read("out."+format, b.Bytes())
		if err != nil {
			t.Fatal(format, err)
		}
		recs := tab.Records(tabular.Mapping{"name": "Name", "score": "Score"})
		if recs[0].Values["name"] != "=HYPERLINK(\"http://evil\")" || recs[3].Values["name"] != "plain, \"quoted\"" || recs[3].Values["score"] != "3.5" {
			t.Fatalf("%s round trip %+v", format, recs)
		}
	}
}

func TestGuessAndCheck(t *testing.T) {
	fields := []tabular.Field{{Key: "name", Label: "Name", Required: true}, {Key: "business_unit", Label: "Business unit", Aliases: []string{"department"}}, {Key: "owner", Label: "Owner"}}
	m := tabular.Guess([]string{"NAME", "Department", "Something"}, fields)
	if m["name"] != "NAME" || m["business_unit"] != "Department" || m["owner"] != "" {
		t.Fatalf("guess %v", m)
	}
	probs := tabular.Mapping{"owner": "Nope", "bogus": "NAME"}.Check([]string{"NAME"}, fields)
	if len(probs) != 3 {
		t.Fatalf("problems %v", probs)
	}
	fit := tabular.Fit(tabular.Mapping{"name": "Title", "owner": "Gone"}, []string{"Title", "Owner"}, fields)
	if fit["name"] != "Title" || fit["owner"] != "Owner" {
		t.Fatalf("fit %v", fit)
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "\uFEFFx;y\n\"a\"\"b\";c\n", "a\n\"", "a,b\nx,y,z", "\xff\xfe", "h\n'=1\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tab, err := tabular.Read("f.csv", []byte(s))
		if err != nil {
			var fe *tabular.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("not a FormatError: %v", err)
			}
			return
		}
		for _, r := range tab.Rows {
			if len(r.Cells) != len(tab.Headers) || r.Ref < 2 {
				t.Fatalf("row %+v for %d headers", r, len(tab.Headers))
			}
		}
	})
}

func FuzzReadXLSX(f *testing.F) {
	f.Add(xlsxFile(f, [][]any{{"Name", "Stage"}, {"a", "b"}}))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := tabular.Read("f.xlsx", b)
		if err != nil {
			var fe *tabular.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("not a FormatError: %v", err)
			}
			return
		}
		for _, r := range tab.Rows {
			if len(r.Cells) != len(tab.Headers) {
				t.Fatalf("row %+v for %d headers", r, len(tab.Headers))
			}
		}
	})
}

func FuzzMapping(f *testing.F) {
	f.Add("Name,Owner,Stage", "name=Name;owner=Gone;x=Stage")
	f.Fuzz(func(t *testing.T, headers, mapping string) {
		fields := []tabular.Field{{Key: "name", Label: "Name", Required: true}, {Key: "owner", Label: "Owner"}, {Key: "stage", Label: "Stage"}}
		hs := strings.Split(headers, ",")
		m := tabular.Mapping{}
		for _, kv := range strings.Split(mapping, ";") {
			k, v, _ := strings.Cut(kv, "=")
			m[k] = v
		}
		probs := m.Check(hs, fields)
		if len(probs) == 0 {
			for k, h := range m {
				if h == "" || !strings.Contains(","+headers+",", ","+h+",") || (k != "name" && k != "owner" && k != "stage") {
					t.Fatalf("accepted %q=%q", k, h)
				}
			}
		}
		g := tabular.Fit(m, hs, fields)
		seen := map[string]bool{}
		for _, h := range g {
			if seen[h] && h != "" {
				t.Fatalf("column %q used twice in %v", h, g)
			}
			seen[h] = true
		}
		tab := &tabular.Table{Headers: hs, Rows: []tabular.Row{{Ref: 2, Cells: make([]string, len(hs))}}}
		_ = tab.Records(g)
	})
}

// TestReadSheet reads the sheet a workbook names, ignoring case, and says
// which sheets there are when the one asked for is missing; a CSV has none.
func TestReadSheet(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	_, _ = f.NewSheet("Risks")
	_ = f.SetSheetRow("Sheet1", "A1", &[]any{"Other"})
	_ = f.SetSheetRow("Risks", "A1", &[]any{"Title"})
	_ = f.SetSheetRow("Risks", "A2", &[]any{"Bias"})
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	tab, err := tabular.ReadSheet("w.xlsx", b.Bytes(), "risks")
	if err != nil || tab.Sheet != "Risks" || tab.Headers[0] != "Title" || len(tab.Rows) != 1 || tab.Where(2, 0) != "Risks!A2" {
		t.Fatalf("ReadSheet %+v %v", tab, err)
	}
	if tab, err = tabular.Read("w.xlsx", b.Bytes()); err != nil || tab.Sheet != "Sheet1" {
		t.Fatalf("Read takes the first sheet: %+v %v", tab, err)
	}
	if _, err := tabular.ReadSheet("w.xlsx", b.Bytes(), "Nope"); err == nil || !strings.Contains(err.Error(), `no sheet "Nope"; its sheets are Sheet1, Risks`) {
		t.Errorf("missing sheet: %v", err)
	}
	if _, err := tabular.ReadSheet("a.csv", []byte("A\n1\n"), "Sheet1"); err == nil || !strings.Contains(err.Error(), "no sheets") {
		t.Errorf("csv with a sheet: %v", err)
	}
}
