package fedinv_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/fedinv"
)

// dataDir is the published 2025 inventory beside the checkout.
func dataDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "..", "shared", "data", "us-federal-ai-inventory-2025")
	if _, err := os.Stat(dir); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("the federal inventory is missing at %s: %v", dir, err)
		}
		t.Skipf("the federal inventory is not at %s; skipping", dir)
	}
	return dir
}

func readFile(t testing.TB, name string) ([]byte, *fedinv.File) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(dataDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	f, err := fedinv.Read(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return raw, f
}

func TestReadRealIndividualFile(t *testing.T) {
	raw, f := readFile(t, "2025_individually_reported_AI_use_cases.csv")
	if f.Kind != fedinv.Individual || !f.BOM || f.CRLF {
		t.Errorf("kind %s, BOM %v, CRLF %v", f.Kind, f.BOM, f.CRLF)
	}
	if len(f.Rows) != 3611 {
		t.Fatalf("rows = %d, want 3,611", len(f.Rows))
	}
	count := map[string]int{}
	stages := map[string]int{}
	keys := map[string]bool{}
	for _, r := range f.Rows {
		count[r.Get("is_high_impact")]++
		stages[r.Get("development_stage")]++
		if keys[r.Key] {
			t.Fatalf("key %q is not unique", r.Key)
		}
		keys[r.Key] = true
	}
	// practice.md §0 and §4.1: 445 high-impact, 2,630 not, 110 presumed but determined not, 426 blank.
	if count["High-impact"] != 445 || count["Not High-impact"] != 2630 || count["Presumed High-Impact, but Not High-impact"] != 110 || count[""] != 426 {
		t.Errorf("high-impact counts = %v", count)
	}
	if stages["Pre-deployment"] != 1479 || stages["Deployed"] != 1040 || stages["Pilot"] != 440 || stages["Retired"] != 314 || stages[""] != 338 {
		t.Errorf("stages = %v", stages)
	}
	w := f.WarningCounts()
	// 704 rows without an id; repeated (agency, id) pairs are kept under a new key.
	if w[fedinv.WarnEmptyID] != 704 {
		t.Errorf("empty ids = %d, want 704", w[fedinv.WarnEmptyID])
	}
	// 13 ids repeat across the file (PROVENANCE.md), most of them in different
	// agencies; within one agency 3 repeat, and those are reported.
	if w[fedinv.WarnDuplicateID] != 3 {
		t.Errorf("duplicated ids reported = %d, want 3: %v", w[fedinv.WarnDuplicateID], w)
	}
	t.Logf("warnings: %v", w)
	var out bytes.Buffer
	if err := fedinv.Write(&out, f); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), raw) {
		t.Errorf("written file differs from the published bytes (%d vs %d bytes)", out.Len(), len(raw))
	}
}

func TestReadRealCOTSFile(t *testing.T) {
	raw, f := readFile(t, "2025_consolidated_COTS_AI_use_cases.csv")
	if f.Kind != fedinv.COTS || !f.BOM || !f.CRLF || len(f.Rows) != 900 {
		t.Fatalf("kind %s, BOM %v, CRLF %v, rows %d", f.Kind, f.BOM, f.CRLF, len(f.Rows))
	}
	var out bytes.Buffer
	if err := fedinv.Write(&out, f); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), raw) {
		t.Errorf("written COTS file differs from the published bytes")
	}
}

// The individual columns are the data dictionary's, after agency and agency_name.
func TestColumnsMatchDataDictionary(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(dataDir(t), "data_dictionary.json"))
	if err != nil {
		t.Fatal(err)
	}
	var d map[string]json.RawMessage
	if err := json.Unmarshal(b, &d); err != nil {
		t.Fatal(err)
	}
	if len(d) != len(fedinv.IndividualColumns)-2 {
		t.Errorf("dictionary has %d columns, we know %d", len(d), len(fedinv.IndividualColumns)-2)
	}
	for k := range d {
		if !slices.Contains(fedinv.IndividualColumns, k) {
			t.Errorf("dictionary column %q unknown", k)
		}
	}
}

func TestRejectsWrongFormat(t *testing.T) {
	for name, tc := range map[string]struct {
		in        string
		line, col int
		msg       string
	}{
		"empty":        {"", 1, 1, "empty"},
		"unknown":      {"agency,nope\n", 1, 8, `unknown column "nope"`},
		"bare quote":   {strings.Join(fedinv.COTSColumns, ",") + "\nA,b\"c,N,,\n", 2, 4, "bare"},
		"field count":  {strings.Join(fedinv.COTSColumns, ",") + "\nA,b\n", 2, 1, "wrong number of fields"},
		"bad utf8":     {strings.Join(fedinv.COTSColumns, ",") + "\nA,b\xff,N,,\n", 2, 3, "UTF-8"},
		"missing cols": {strings.Join(fedinv.COTSColumns[:4], ",") + "\n", 1, 1, ""},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := fedinv.Read(strings.NewReader(tc.in))
			var e *fedinv.Error
			if !errors.As(err, &e) {
				t.Fatalf("err = %v, want a positioned error", err)
			}
			if e.Line != tc.line || e.Column != tc.col || !strings.Contains(e.Error(), tc.msg) {
				t.Errorf("err = %v, want line %d column %d containing %q", e, tc.line, tc.col, tc.msg)
			}
		})
	}
}

func TestParseList(t *testing.T) {
	for in, want := range map[string][]string{
		"":                   nil,
		"[]":                 nil,
		"['Age', 'Sex']":     {"Age", "Sex"},
		`["Child's", 'b,c']`: {"Child's", "b,c"},
	} {
		got, ok := fedinv.ParseList(in)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("ParseList(%q) = %q, %v", in, got, ok)
		}
		if len(want) > 0 {
			back, _ := fedinv.ParseList(fedinv.FormatList(want))
			if !slices.Equal(back, want) {
				t.Errorf("FormatList round trip of %q = %q", want, back)
			}
		}
	}
	if _, ok := fedinv.ParseList("Age; Sex"); ok {
		t.Error("a plain string parsed as a list")
	}
}

// FuzzRead: the reader never panics, and whatever it accepts writes back
// to a file it reads again with the same rows.
func FuzzRead(f *testing.F) {
	f.Add([]byte("\ufeff" + strings.Join(fedinv.IndividualColumns, ",") + "\n" + strings.Repeat(",", 35) + "[]\n"))
	f.Add([]byte(strings.Join(fedinv.COTSColumns, ",") + "\r\nA,\"multi\nline\",Y,\"x, y\",3\r\n"))
	f.Add([]byte("agency,\"unterminated\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		file, err := fedinv.Read(bytes.NewReader(b))
		if err != nil {
			var e *fedinv.Error
			if errors.As(err, &e) && (e.Line < 1 || e.Column < 0) {
				t.Fatalf("bad position: %v", e)
			}
			return
		}
		var out bytes.Buffer
		if err := fedinv.Write(&out, file); err != nil {
			t.Fatal(err)
		}
		again, err := fedinv.Read(&out)
		if err != nil {
			t.Fatalf("written file does not read back: %v", err)
		}
		if len(again.Rows) != len(file.Rows) {
			t.Fatalf("rows %d → %d", len(file.Rows), len(again.Rows))
		}
		for i := range file.Rows {
			for k, v := range file.Rows[i].Values {
				// encoding/csv drops a CR before LF inside quoted fields.
				if w := again.Rows[i].Values[k]; w != v && strings.ReplaceAll(v, "\r\n", "\n") != w && strings.ReplaceAll(v, "\r", "\n") != w {
					t.Fatalf("row %d column %s: %q → %q", i, k, v, w)
				}
			}
		}
	})
}
