package catalog

import (
	"encoding/json"
	"errors"
	"io/fs"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// euObligationIDs are the obligation IDs of the EU AI Act engine; the catalogue
// must carry exactly these requirements.
var euObligationIDs = []string{
	"art4", "art5", "art6_4", "art9", "art10", "art11", "art12", "art13", "art14",
	"art15", "art16", "art17", "art18", "art19", "art20", "art22_1", "art22", "art23", "art24",
	"art26", "art27", "art43", "art47", "art48", "art49_1", "art49_2", "art49_3", "art49_5",
	"art50_1", "art50_2", "art50_3", "art50_4", "art52", "art53_1a", "art53_1b",
	"art53_1c", "art53_1d", "art54", "art55", "art72", "art73", "art86",
}

func mustLoad(t testing.TB) *Catalog {
	t.Helper()
	c, err := Load()
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return c
}

func TestEmbeddedCatalogLoads(t *testing.T) {
	c := mustLoad(t)
	if !regexp.MustCompile(`^\d{4}\.\d{1,2}\.\d+$`).MatchString(c.Version()) {
		t.Errorf("Version() = %q, want YYYY.M.N", c.Version())
	}
	if first, again := Default(), Default(); first != again {
		t.Error("Default() loads more than once")
	}
	if Default().Version() != c.Version() {
		t.Errorf("Default().Version() = %q, want %q", Default().Version(), c.Version())
	}
	if !strings.Contains(c.CrosswalkNote(), "not an official mapping") {
		t.Errorf("CrosswalkNote() = %q, want it to say the mapping is not official", c.CrosswalkNote())
	}
}

func TestEveryDataFileIsListed(t *testing.T) {
	var idx indexFile
	l := &loader{fsys: Data()}
	if !l.decode(IndexFile, &idx) {
		t.Fatal(l.problems)
	}
	listed := append([]string{IndexFile, idx.Crosswalk}, idx.Frameworks...)
	files, err := fs.Glob(Data(), "*")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if !slices.Contains(listed, f) {
			t.Errorf("data/%s is embedded but not listed in %s", f, IndexFile)
		}
	}
}

func TestFrameworkOrder(t *testing.T) {
	c := mustLoad(t)
	var got []string
	for _, f := range c.Frameworks() {
		got = append(got, f.ID)
		if c.Framework(f.ID) != f {
			t.Errorf("Framework(%q) does not return the listed framework", f.ID)
		}
	}
	want := []string{EUAIAct, NISTAIRMF, NISTAI6001, ISO42001, OMBM2521}
	if !slices.Equal(got, want) {
		t.Errorf("Frameworks() = %v, want %v", got, want)
	}
	if c.Framework("nist-csf") != nil {
		t.Error("Framework of an unknown ID is not nil")
	}
}

func TestCounts(t *testing.T) {
	c := mustLoad(t)
	tests := []struct {
		framework, kind string
		want            int
	}{
		{NISTAIRMF, KindFunction, 4},
		{NISTAIRMF, KindCategory, 19},
		{NISTAIRMF, KindSubcategory, 72},
		{NISTAI6001, KindRisk, 12},
		{ISO42001, KindObjective, 9},
		{ISO42001, KindControl, 38},
		{OMBM2521, KindPractice, 7},
		{EUAIAct, KindRequirement, len(euObligationIDs)},
	}
	for _, tt := range tests {
		if got := c.Framework(tt.framework).Count(tt.kind); got != tt.want {
			t.Errorf("%s: %d items of kind %s, want %d", tt.framework, got, tt.kind, tt.want)
		}
	}
}

// childCounts counts the items of a kind under each parent.
func childCounts(f *Framework, kind string) map[string]int {
	n := map[string]int{}
	for _, it := range f.Items {
		if it.Kind == kind {
			n[it.Parent]++
		}
	}
	return n
}

func TestNISTAIRMFStructure(t *testing.T) {
	f := mustLoad(t).Framework(NISTAIRMF)

	// Subcategories per function: GOVERN 19, MAP 18, MEASURE 22, MANAGE 13.
	subsPerFunction := map[string]int{}
	for _, it := range f.Items {
		if it.Kind == KindSubcategory {
			subsPerFunction[f.Item(it.Parent).Parent]++
		}
	}
	if want := map[string]int{"GV": 19, "MP": 18, "MS": 22, "MG": 13}; !reflect.DeepEqual(subsPerFunction, want) {
		t.Errorf("subcategories per function = %v, want %v", subsPerFunction, want)
	}
	if got, want := childCounts(f, KindCategory), map[string]int{"GV": 6, "MP": 5, "MS": 4, "MG": 4}; !reflect.DeepEqual(got, want) {
		t.Errorf("categories per function = %v, want %v", got, want)
	}

	// IDs are the short form, labels the official name, and both find the item.
	names := map[string]string{"GV": "GOVERN", "MP": "MAP", "MS": "MEASURE", "MG": "MANAGE"}
	short := regexp.MustCompile(`^(GV|MP|MS|MG)(?:-(\d+)(?:\.(\d+))?)?$`)
	for _, it := range f.Items {
		m := short.FindStringSubmatch(it.ID)
		if m == nil {
			t.Errorf("%s: ID is not of the form GV-1.1", it.ID)
			continue
		}
		label := names[m[1]]
		if m[2] != "" {
			label += " " + m[2]
		}
		if m[3] != "" {
			label += "." + m[3]
		}
		if it.Label != label {
			t.Errorf("%s: label %q, want %q", it.ID, it.Label, label)
		}
		if got := f.Item(it.Label); got == nil || got.ID != it.ID {
			t.Errorf("Item(%q) does not find %s", it.Label, it.ID)
		}
	}
	for _, id := range []string{"GV-1.1", "GV-6.2", "MP-5.2", "MS-2.13", "MS-4.3", "MG-4.3"} {
		if f.Item(id) == nil {
			t.Errorf("subcategory %s missing", id)
		}
	}
}

func TestGenerativeAIRisks(t *testing.T) {
	f := mustLoad(t).Framework(NISTAI6001)
	want := []string{
		"CBRN Information or Capabilities",
		"Confabulation",
		"Dangerous, Violent, or Hateful Content",
		"Data Privacy",
		"Environmental Impacts",
		"Harmful Bias and Homogenization",
		"Human-AI Configuration",
		"Information Integrity",
		"Information Security",
		"Intellectual Property",
		"Obscene, Degrading, and/or Abusive Content",
		"Value Chain and Component Integration",
	}
	if len(f.Items) != len(want) {
		t.Fatalf("%d risks, want %d", len(f.Items), len(want))
	}
	for i, it := range f.Items {
		if id := "GAI-" + strconv.Itoa(i+1); it.ID != id || it.Title != want[i] {
			t.Errorf("risk %d = %s %q, want %s %q", i+1, it.ID, it.Title, id, want[i])
		}
		if it.Summary == "" {
			t.Errorf("%s has no description", it.ID)
		}
	}
}

func TestISO42001AnnexA(t *testing.T) {
	f := mustLoad(t).Framework(ISO42001)
	want := map[string]int{"A.2": 3, "A.3": 2, "A.4": 5, "A.5": 4, "A.6": 9, "A.7": 5, "A.8": 4, "A.9": 3, "A.10": 3}
	if got := childCounts(f, KindControl); !reflect.DeepEqual(got, want) {
		t.Errorf("controls per objective = %v, want %v", got, want)
	}
	for _, it := range f.Items {
		if it.Kind == KindControl && !strings.HasPrefix(it.ID, it.Parent+".") {
			t.Errorf("control %s sits under objective %s", it.ID, it.Parent)
		}
		// Copyright guard: IDs, short titles and one line of our own, nothing more.
		if len(it.Title) > 60 || len(it.Summary) > 120 || strings.Contains(it.Summary, "\n") {
			t.Errorf("%s: title or summary too long for an ID-and-title catalogue", it.ID)
		}
	}
}

func TestOMBM2521(t *testing.T) {
	f := mustLoad(t).Framework(OMBM2521)
	if !slices.ContainsFunc(f.Dates, func(d KeyDate) bool { return d.Date == "2026-04-03" && d.Title != "" }) {
		t.Errorf("dates = %v, want the 2026-04-03 deadline", f.Dates)
	}
	for i, it := range f.Items {
		if want := "M-25-21-" + strconv.Itoa(i+1); it.ID != want || it.Kind != KindPractice {
			t.Errorf("practice %d = %s (%s), want %s", i+1, it.ID, it.Kind, want)
		}
	}
}

func TestEURequirementsMatchObligationIDs(t *testing.T) {
	f := mustLoad(t).Framework(EUAIAct)
	var got []string
	for _, it := range f.Items {
		got = append(got, it.ID)
		if it.Kind != KindRequirement || !strings.HasPrefix(it.Ref, "Art ") || it.Title == "" || it.Summary == "" {
			t.Errorf("%s: want a requirement with an article reference, title and summary, got %+v", it.ID, it)
		}
	}
	if !slices.Equal(got, euObligationIDs) {
		t.Errorf("EU AI Act requirement IDs = %v\nwant %v", got, euObligationIDs)
	}
	if it := f.Item("Art 50(1)"); it == nil || it.ID != "art50_1" {
		t.Errorf(`Item("Art 50(1)") = %v, want art50_1`, it)
	}
}

func TestIDsAndLabelsUnique(t *testing.T) {
	for _, f := range mustLoad(t).Frameworks() {
		seen := map[string]string{}
		for _, it := range f.Items {
			for _, name := range []string{it.ID, it.Label} {
				if other, dup := seen[name]; dup && other != it.ID {
					t.Errorf("%s: %q names both %s and %s", f.ID, name, other, it.ID)
				}
				seen[name] = it.ID
			}
			if it.Parent != "" && f.Item(it.Parent) == nil {
				t.Errorf("%s/%s: parent %s missing", f.ID, it.ID, it.Parent)
			}
		}
	}
}

func TestCrosswalkSymmetricAndResolvable(t *testing.T) {
	c := mustLoad(t)
	pos := map[string]int{}
	for i, f := range c.Frameworks() {
		pos[f.ID] = i
	}
	links := 0
	for _, f := range c.Frameworks() {
		for _, it := range f.Items {
			refs := c.Crosswalk(f.ID, it.ID)
			links += len(refs)
			for i, r := range refs {
				target := c.Item(r.Framework, r.ID)
				if target == nil || target.ID != r.ID || target.Title != r.Title || target.Label != r.Label {
					t.Errorf("%s/%s links to %s/%s, which does not resolve to the same item", f.ID, it.ID, r.Framework, r.ID)
					continue
				}
				if r.Framework == f.ID {
					t.Errorf("%s/%s links inside its own framework to %s", f.ID, it.ID, r.ID)
				}
				if r.Basis != BasisOurs && r.Basis != BasisNIST {
					t.Errorf("%s/%s -> %s/%s: basis %q", f.ID, it.ID, r.Framework, r.ID, r.Basis)
				}
				back := Ref{f.ID, it.ID, it.Label, it.Title, r.Basis}
				if !slices.Contains(c.Crosswalk(r.Framework, r.ID), back) {
					t.Errorf("%s/%s -> %s/%s has no link back", f.ID, it.ID, r.Framework, r.ID)
				}
				if i > 0 {
					prev := refs[i-1]
					if pos[prev.Framework] > pos[r.Framework] ||
						prev.Framework == r.Framework && c.Framework(r.Framework).index[prev.ID] >= c.Framework(r.Framework).index[r.ID] {
						t.Errorf("%s/%s: crosswalk not in catalogue order at %s/%s", f.ID, it.ID, r.Framework, r.ID)
					}
				}
			}
		}
	}
	if links == 0 {
		t.Fatal("the crosswalk is empty")
	}
}

func TestCrosswalkCoverage(t *testing.T) {
	c := mustLoad(t)
	// These EU AI Act requirements have counterparts in the NIST AI RMF.
	for _, id := range []string{"art4", "art9", "art10", "art11", "art12", "art13", "art14", "art15",
		"art17", "art26", "art27", "art72", "art73", "art50_1", "art50_2", "art50_3", "art50_4", "art53_1a"} {
		if !slices.ContainsFunc(c.Crosswalk(EUAIAct, id), func(r Ref) bool { return r.Framework == NISTAIRMF }) {
			t.Errorf("EU AI Act %s has no NIST AI RMF counterpart", id)
		}
	}
	for _, id := range []string{"art9", "art10", "art11", "art12", "art13", "art14", "art15", "art17", "art26", "art27", "art72", "art73"} {
		if !slices.ContainsFunc(c.Crosswalk(EUAIAct, id), func(r Ref) bool { return r.Framework == ISO42001 }) {
			t.Errorf("EU AI Act %s has no ISO/IEC 42001 counterpart", id)
		}
	}
	for _, it := range c.Framework(OMBM2521).Items {
		if !slices.ContainsFunc(c.Crosswalk(OMBM2521, it.ID), func(r Ref) bool { return r.Framework == NISTAIRMF }) {
			t.Errorf("OMB practice %s has no NIST AI RMF counterpart", it.ID)
		}
	}
	// Rows from NIST's AI RMF to ISO/IEC 42001 crosswalk keep their basis, both ways.
	want := Ref{ISO42001, "A.6.2.7", "A.6.2.7", "Technical documentation", BasisNIST}
	if !slices.Contains(c.Crosswalk(NISTAIRMF, "MP-2.2"), want) {
		t.Errorf("Crosswalk(MP-2.2) = %v, want it to hold %v", c.Crosswalk(NISTAIRMF, "MP-2.2"), want)
	}
	if !slices.ContainsFunc(c.Crosswalk(ISO42001, "A.3.2"), func(r Ref) bool { return r.ID == "GV-2.1" && r.Basis == BasisNIST }) {
		t.Error("A.3.2 does not link back to GV-2.1 with basis nist")
	}
	// Labels find the same links as IDs.
	if !reflect.DeepEqual(c.Crosswalk(NISTAIRMF, "MAP 2.2"), c.Crosswalk(NISTAIRMF, "MP-2.2")) {
		t.Error("Crosswalk by label differs from Crosswalk by ID")
	}
	if c.Crosswalk(EUAIAct, "art999") != nil || c.Crosswalk("nope", "art9") != nil {
		t.Error("Crosswalk of an unknown item is not nil")
	}
}

func TestCrosswalkResultIsACopy(t *testing.T) {
	c := mustLoad(t)
	refs := c.Crosswalk(EUAIAct, "art9")
	refs[0].ID = "changed"
	if c.Crosswalk(EUAIAct, "art9")[0].ID == "changed" {
		t.Error("changing a Crosswalk result changes the catalogue")
	}
}

func TestLoadIsDeterministic(t *testing.T) {
	snapshot := func() string {
		c := mustLoad(t)
		var b strings.Builder
		enc := json.NewEncoder(&b)
		for _, f := range c.Frameworks() {
			_ = enc.Encode(f)
			for _, it := range f.Items {
				_ = enc.Encode(c.Crosswalk(f.ID, it.ID))
			}
		}
		return b.String()
	}
	first := snapshot()
	for range 5 {
		if snapshot() != first {
			t.Fatal("two loads of the same data differ")
		}
	}
}

// brokenFS returns the embedded data with one file changed.
func brokenFS(t *testing.T, file string, change func(string) string) fs.FS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(Data(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Data(), p)
		m[p] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	old, ok := m[file]
	if !ok {
		old = &fstest.MapFile{}
	}
	m[file] = &fstest.MapFile{Data: []byte(change(string(old.Data)))}
	return m
}

func appendText(s string) func(string) string {
	return func(old string) string { return old + s }
}

func replaceText(from, to string) func(string) string {
	return func(old string) string { return strings.Replace(old, from, to, 1) }
}

func TestLoadFSReportsProblems(t *testing.T) {
	tests := []struct {
		name   string
		file   string
		change func(string) string
		want   Problem // Message is a substring
	}{
		{"duplicate item ID", "iso-42001.yaml",
			appendText("  - id: A.2.2\n    kind: control\n    parent: A.2\n    title: Again\n"),
			Problem{"iso-42001.yaml", "A.2.2", "duplicate item ID"}},
		{"ID with a space", "nist-ai-rmf.yaml",
			appendText("  - id: GOVERN 1.9\n    kind: subcategory\n    parent: GV-1\n    title: Spaced\n"),
			Problem{"nist-ai-rmf.yaml", "GOVERN 1.9", "id must be"}},
		{"ID clashes with a label", "nist-ai-rmf.yaml",
			appendText("  - id: GOVERN\n    kind: function\n    title: Clash\n"),
			Problem{"nist-ai-rmf.yaml", "GOVERN", "id is already the label of GV"}},
		{"label clashes with another item", "nist-ai-rmf.yaml",
			appendText("  - id: GV-1.99\n    label: GOVERN 1.1\n    kind: subcategory\n    parent: GV-1\n    title: Clash\n"),
			Problem{"nist-ai-rmf.yaml", "GV-1.99", `label "GOVERN 1.1" is already used by GV-1.1`}},
		{"missing parent", "nist-ai-rmf.yaml",
			appendText("  - id: GV-9.1\n    kind: subcategory\n    parent: GV-9\n    title: Orphan\n"),
			Problem{"nist-ai-rmf.yaml", "GV-9.1", `parent "GV-9" must be an item listed earlier`}},
		{"unknown kind", "omb-m-25-21.yaml",
			replaceText("kind: practice", "kind: habit"),
			Problem{"omb-m-25-21.yaml", "M-25-21-1", `unknown kind "habit"`}},
		{"missing title", "omb-m-25-21.yaml",
			replaceText("title: Operator training", "title: ''"),
			Problem{"omb-m-25-21.yaml", "M-25-21-4", "title is required"}},
		{"count differs from expect", "nist-ai-rmf.yaml",
			replaceText("subcategory: 72", "subcategory: 73"),
			Problem{"nist-ai-rmf.yaml", "nist-ai-rmf", `expected 73 items of kind "subcategory", found 72`}},
		{"kind without expected count", "nist-ai-600-1.yaml",
			appendText("  - id: GAI-13\n    kind: practice\n    title: Extra\n"),
			Problem{"nist-ai-600-1.yaml", "nist-ai-600-1", `expect has no count for kind "practice"`}},
		{"bad deadline date", "omb-m-25-21.yaml",
			replaceText(`"2026-04-03"`, `"2026-4-3"`),
			Problem{"omb-m-25-21.yaml", "omb-m-25-21", `date "2026-4-3" must be YYYY-MM-DD`}},
		{"unknown field", "omb-m-25-21.yaml",
			replaceText("licence:", "colour: red\nlicence:"),
			Problem{"omb-m-25-21.yaml", "", `unknown field "colour"`}},
		{"YAML syntax error", "iso-42001.yaml",
			appendText("  - id: [A.11\n"),
			Problem{"iso-42001.yaml", "", "not found"}},
		{"dangling crosswalk item", "crosswalk.yaml",
			appendText("  - from: eu-ai-act/art9\n    to:\n      iso-42001: [A.99]\n"),
			Problem{"crosswalk.yaml", "eu-ai-act/art9", "unknown item iso-42001/A.99"}},
		{"dangling crosswalk source", "crosswalk.yaml",
			appendText("  - from: eu-ai-act/art999\n    to:\n      iso-42001: [A.2.2]\n"),
			Problem{"crosswalk.yaml", "eu-ai-act/art999", "unknown item eu-ai-act/art999"}},
		{"unknown crosswalk framework", "crosswalk.yaml",
			appendText("  - from: eu-ai-act/art9\n    to:\n      nist-csf: [GV.OC-01]\n"),
			Problem{"crosswalk.yaml", "eu-ai-act/art9", `unknown framework "nist-csf"`}},
		{"crosswalk names a label, not an ID", "crosswalk.yaml",
			appendText("  - from: eu-ai-act/art18\n    to:\n      nist-ai-rmf: [GOVERN 1.4]\n"),
			Problem{"crosswalk.yaml", "eu-ai-act/art18", "unknown item nist-ai-rmf/GOVERN 1.4"}},
		{"link given twice, once each way", "crosswalk.yaml",
			appendText("  - from: nist-ai-rmf/GV-2.2\n    to:\n      eu-ai-act: [art4]\n"),
			Problem{"crosswalk.yaml", "nist-ai-rmf/GV-2.2", "link to eu-ai-act/art4 already given by eu-ai-act/art4"}},
		{"link inside one framework", "crosswalk.yaml",
			appendText("  - from: nist-ai-rmf/GV-1.1\n    to:\n      nist-ai-rmf: [GV-1.2]\n"),
			Problem{"crosswalk.yaml", "nist-ai-rmf/GV-1.1", "links within one framework are not allowed"}},
		{"unknown basis", "crosswalk.yaml",
			appendText("  - from: eu-ai-act/art18\n    basis: iso\n    to:\n      iso-42001: [A.6.2.7]\n"),
			Problem{"crosswalk.yaml", "eu-ai-act/art18", `unknown basis "iso"`}},
		{"crosswalk claims authority", "crosswalk.yaml",
			replaceText("authority: ours", "authority: official"),
			Problem{"crosswalk.yaml", "", `authority must be "ours"`}},
		{"listed file missing", IndexFile,
			replaceText("  - omb-m-25-21.yaml", "  - omb-m-25-21.yaml\n  - colorado.yaml"),
			Problem{"colorado.yaml", "", "cannot read"}},
		{"framework listed twice", IndexFile,
			replaceText("  - omb-m-25-21.yaml", "  - omb-m-25-21.yaml\n  - omb-m-25-21.yaml"),
			Problem{"omb-m-25-21.yaml", "omb-m-25-21", "framework ID already used by omb-m-25-21.yaml"}},
		{"no version", IndexFile,
			replaceText(`version: "2026.11.1"`, `version: ""`),
			Problem{IndexFile, "", "version is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadFS(brokenFS(t, tt.file, tt.change))
			var verr *ValidationError
			if !errors.As(err, &verr) {
				t.Fatalf("LoadFS = %v, %v; want a *ValidationError", c, err)
			}
			if c != nil {
				t.Error("LoadFS returned a catalogue along with the error")
			}
			found := slices.ContainsFunc(verr.Problems, func(p Problem) bool {
				return p.File == tt.want.File && p.ID == tt.want.ID && strings.Contains(p.Message, tt.want.Message)
			})
			if !found {
				t.Errorf("problems = %v\nwant one like %v", verr.Problems, tt.want)
			}
			if !strings.Contains(err.Error(), tt.want.File+": ") {
				t.Errorf("error %q does not name the file %s", err, tt.want.File)
			}
		})
	}
}

func TestLoadFSReportsEveryProblem(t *testing.T) {
	fsys := brokenFS(t, "crosswalk.yaml", appendText(
		"  - from: eu-ai-act/art9\n    to:\n      iso-42001: [A.98, A.99]\n"))
	_, err := LoadFS(fsys)
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 2 {
		t.Fatalf("LoadFS = %v; want two problems", err)
	}
	for _, id := range []string{"A.98", "A.99"} {
		if !strings.Contains(err.Error(), "crosswalk.yaml: eu-ai-act/art9: unknown item iso-42001/"+id) {
			t.Errorf("error %q does not report %s", err, id)
		}
	}
}

func TestBrokenFrameworkFileDoesNotCascade(t *testing.T) {
	_, err := LoadFS(brokenFS(t, "iso-42001.yaml", appendText("  - id: [A.11\n")))
	var verr *ValidationError
	if !errors.As(err, &verr) || len(verr.Problems) != 1 {
		t.Fatalf("LoadFS = %v; want only the syntax error", err)
	}
	if p := verr.Problems[0]; p.File != "iso-42001.yaml" || !strings.HasPrefix(p.Message, "[") {
		t.Errorf("problem = %v; want the file and a [line:column] position", p)
	}
}

func TestLoadFSEmpty(t *testing.T) {
	_, err := LoadFS(fstest.MapFS{})
	var verr *ValidationError
	if !errors.As(err, &verr) || verr.Problems[0].File != IndexFile {
		t.Fatalf("LoadFS(empty) = %v; want a problem with %s", err, IndexFile)
	}
}

func TestFrameworkMetadata(t *testing.T) {
	for _, f := range mustLoad(t).Frameworks() {
		if f.Name == "" || f.Version == "" || f.Publisher == "" || f.Licence == "" || f.Published == "" {
			t.Errorf("%s: name, version, publisher, licence and published are required: %+v", f.ID, f)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCrosswalk(b *testing.B) {
	c := mustLoad(b)
	b.Run("by ID", func(b *testing.B) {
		for b.Loop() {
			if len(c.Crosswalk(EUAIAct, "art9")) == 0 {
				b.Fatal("no links")
			}
		}
	})
	b.Run("by label", func(b *testing.B) {
		for b.Loop() {
			if len(c.Crosswalk(NISTAIRMF, "MEASURE 2.4")) == 0 {
				b.Fatal("no links")
			}
		}
	})
	b.Run("every item", func(b *testing.B) {
		for b.Loop() {
			for _, f := range c.frameworks {
				for i := range f.Items {
					_ = c.Crosswalk(f.ID, f.Items[i].ID)
				}
			}
		}
	})
}
