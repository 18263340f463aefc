package euaiact_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/euaiact"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden.json from the current results")

// TestGolden classifies each realistic profile in testdata and compares the
// full result, trace included, byte for byte with its golden file. After a
// deliberate change, regenerate with `go test -run Golden -update` and read
// the diff as a governance officer would.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) < 6 {
		t.Fatalf("want at least 6 golden profiles, found %d (%v)", len(files), err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			p, err := euaiact.ParseProfile(src)
			if err != nil {
				t.Fatal(err)
			}
			r := classify(t, p, euaiact.Amended)
			got, err := json.MarshalIndent(r, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, '\n')
			golden := filepath.Join("testdata", name+".golden.json")
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run Golden -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("result differs from %s (run go test -run Golden -update and review the diff):\n%s", golden, firstDiff(want, got))
			}
		})
	}
}

// TestGoldenExpectations pins what each golden profile is about, so a
// regenerated golden file cannot silently change the answer.
func TestGoldenExpectations(t *testing.T) {
	for _, tc := range []struct {
		file, class string
		basis       []string
		gpai        string
		obligations []string
	}{
		{"cv-screening-deployer", euaiact.HighRisk, []string{"annex_iii:4(a)"}, "not_applicable", []string{"art4", "art26", "art86"}},
		{"credit-scoring-bank", euaiact.HighRisk, []string{"annex_iii:5(b)"}, "not_applicable", []string{"art9", "art49_1", "art26", "art27", "art86"}},
		{"customer-chatbot", euaiact.TransparencyOnly, []string{"art50:50(1)", "art50:50(2)"}, "not_applicable", []string{"art50_1", "art50_2"}},
		{"medical-device", euaiact.HighRisk, []string{"annex_i:A.11"}, "not_applicable", []string{"art9", "art43", "art72", "art73"}},
		{"emotion-recognition-work", euaiact.Prohibited, []string{"art5:1(f)"}, "not_applicable", []string{"art5"}},
		{"gpai-provider", euaiact.TransparencyOnly, []string{"art50:50(1)", "art50:50(2)"}, "gpai_systemic_risk", []string{"art52", "art53_1a", "art54", "art55"}},
		{"fraud-detection", euaiact.Minimal, nil, "not_applicable", []string{"art4"}},
		{"deepfake-marketing", euaiact.TransparencyOnly, []string{"art50:50(2)", "art50:50(4)-deepfake"}, "not_applicable", []string{"art50_4"}},
		{"public-benefits-eligibility", euaiact.HighRisk, []string{"annex_iii:5(a)"}, "not_applicable", []string{"art26", "art27", "art49_3", "art86"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join("testdata", tc.file+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			p, err := euaiact.ParseProfile(src)
			if err != nil {
				t.Fatal(err)
			}
			r := classify(t, p, "")
			wantClass(t, r, tc.class, tc.basis...)
			if r.GPAI.Status != tc.gpai {
				t.Errorf("gpai %s, want %s", r.GPAI.Status, tc.gpai)
			}
			wantObligations(t, r, tc.obligations...)
		})
	}
}

func firstDiff(want, got []byte) string {
	w, g := strings.Split(string(want), "\n"), strings.Split(string(got), "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var a, b string
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if a != b {
			return "line " + itoa(i+1) + ":\n- " + a + "\n+ " + b
		}
	}
	return ""
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// FuzzClassify: parsing and classifying arbitrary bytes never panics, and a
// profile that classifies gives a result that keeps its invariants.
func FuzzClassify(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"roles":["deployer"],"annex_i":"B.21","annex_iii":["2","5(b)"],"training_flop":2e25,"facts":{"gpai.provider":true,"scope.open_source":true}}`))
	f.Add([]byte("annex_i: A.1\nfacts: {annex_i.product_or_safety_component: true, annex_i.third_party_conformity: true}\n"))
	f.Add([]byte("facts:\n  art5.h.realtime_rbi: true\n  art5.h.public_space: true\n  art5.h.law_enforcement: true\n"))
	f.Add([]byte(""))
	c := euaiact.MustContent()
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := euaiact.ParseProfile(b)
		if err != nil {
			return
		}
		for _, tl := range []string{euaiact.Amended, euaiact.Enacted} {
			r, err := c.Classify(p, euaiact.Options{Timeline: tl})
			if err != nil {
				continue
			}
			if r.Provisional != (len(r.Missing) > 0) || r.Class == "" || r.Basis == nil || r.Trace == nil {
				t.Fatalf("broken result %+v", r)
			}
			if _, err := json.Marshal(r); err != nil {
				t.Fatalf("result does not marshal: %v", err)
			}
		}
	})
}

// BenchmarkClassify classifies a realistic, fully answered profile (the
// budget is 50 µs per classification).
func BenchmarkClassify(b *testing.B) {
	for _, name := range []string{"credit-scoring-bank", "gpai-provider", "public-benefits-eligibility"} {
		b.Run(name, func(b *testing.B) {
			src, err := os.ReadFile(filepath.Join("testdata", name+".yaml"))
			if err != nil {
				b.Fatal(err)
			}
			p, err := euaiact.ParseProfile(src)
			if err != nil {
				b.Fatal(err)
			}
			c := euaiact.MustContent()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Classify(p, euaiact.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
