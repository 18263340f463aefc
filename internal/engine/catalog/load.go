package catalog

import (
	"cmp"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
)

// IndexFile is the file, at the root of a catalogue, that names its version and files.
const IndexFile = "catalog.yaml"

// Problem is one thing wrong with the catalogue data.
type Problem struct {
	File    string `json:"file"`
	ID      string `json:"id,omitempty"` // the item, framework or link concerned
	Message string `json:"message"`
}

func (p Problem) String() string {
	if p.ID == "" {
		return p.File + ": " + p.Message
	}
	return p.File + ": " + p.ID + ": " + p.Message
}

// ValidationError lists every problem LoadFS found, in file order.
type ValidationError struct {
	Problems []Problem
}

func (e *ValidationError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "catalog: %d problem(s)", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("; ")
		b.WriteString(p.String())
	}
	return b.String()
}

// The shapes of the files, as written.
type indexFile struct {
	Version    string   `yaml:"version"`
	Frameworks []string `yaml:"frameworks"`
	Crosswalk  string   `yaml:"crosswalk"`
}

type frameworkFile struct {
	ID        string         `yaml:"id"`
	Name      string         `yaml:"name"`
	Version   string         `yaml:"version"`
	Published string         `yaml:"published"`
	Publisher string         `yaml:"publisher"`
	URL       string         `yaml:"url"`
	Licence   string         `yaml:"licence"`
	Note      string         `yaml:"note"`
	Dates     []KeyDate      `yaml:"dates"`
	Expect    map[string]int `yaml:"expect"` // item count per kind
	Items     []Item         `yaml:"items"`
}

type crosswalkFile struct {
	Authority string `yaml:"authority"`
	Note      string `yaml:"note"`
	Links     []struct {
		From  string              `yaml:"from"` // "framework/item"
		Basis string              `yaml:"basis"`
		To    map[string][]string `yaml:"to"` // framework to item IDs
	} `yaml:"links"`
}

var (
	frameworkIDPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	// Item IDs may not contain "/" (it separates framework and item in the
	// crosswalk) or spaces.
	itemIDPattern = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:()-]*$`)
)

// loader collects problems while it builds a catalogue.
type loader struct {
	fsys     fs.FS
	problems []Problem
}

func (l *loader) add(file, id, format string, args ...any) {
	l.problems = append(l.problems, Problem{file, id, fmt.Sprintf(format, args...)})
}

// decode reads a YAML file strictly: unknown fields and duplicate keys are problems.
func (l *loader) decode(file string, v any) bool {
	data, err := fs.ReadFile(l.fsys, file)
	if err != nil {
		l.add(file, "", "cannot read: %v", err)
		return false
	}
	if err := yaml.UnmarshalWithOptions(data, v, yaml.Strict()); err != nil {
		l.add(file, "", "%s", yaml.FormatError(err, false, false))
		return false
	}
	return true
}

// LoadFS parses and validates a catalogue rooted at IndexFile in fsys. It reports
// every problem it finds as a *ValidationError naming the file and the ID.
func LoadFS(fsys fs.FS) (*Catalog, error) {
	l := &loader{fsys: fsys}
	c := &Catalog{byID: map[string]*Framework{}, links: map[itemKey][]Ref{}}

	var idx indexFile
	if !l.decode(IndexFile, &idx) {
		return nil, &ValidationError{l.problems}
	}
	if strings.TrimSpace(idx.Version) == "" {
		l.add(IndexFile, "", "version is required")
	}
	if len(idx.Frameworks) == 0 {
		l.add(IndexFile, "", "frameworks must list at least one file")
	}
	c.version = idx.Version

	fileOf := map[string]string{} // framework ID to its file
	unreadable := false
	for _, file := range idx.Frameworks {
		f := l.framework(file)
		if f == nil {
			unreadable = true
			continue
		}
		if other, dup := fileOf[f.ID]; dup {
			l.add(file, f.ID, "framework ID already used by %s", other)
			continue
		}
		fileOf[f.ID] = file
		c.byID[f.ID] = f
		c.frameworks = append(c.frameworks, f)
	}

	switch {
	case idx.Crosswalk == "":
		l.add(IndexFile, "", "crosswalk file is required")
	case !unreadable:
		// With a framework missing, every link into it would be a problem too.
		l.crosswalk(idx.Crosswalk, c)
	}

	if len(l.problems) > 0 {
		return nil, &ValidationError{l.problems}
	}
	return c, nil
}

// framework reads and checks one framework file; it returns nil when the file
// cannot be used at all.
func (l *loader) framework(file string) *Framework {
	var ff frameworkFile
	if !l.decode(file, &ff) {
		return nil
	}
	id := ff.ID
	if !frameworkIDPattern.MatchString(id) {
		l.add(file, id, "framework id must be lower-case words joined by hyphens")
		return nil
	}
	for _, field := range []struct{ name, value string }{
		{"name", ff.Name}, {"version", ff.Version}, {"published", ff.Published},
		{"publisher", ff.Publisher}, {"licence", ff.Licence},
	} {
		if strings.TrimSpace(field.value) == "" {
			l.add(file, id, "%s is required", field.name)
		}
	}
	if ff.Published != "" && !validDate(ff.Published, "2006-01-02", "2006-01") {
		l.add(file, id, "published %q must be YYYY-MM-DD or YYYY-MM", ff.Published)
	}
	for _, d := range ff.Dates {
		if !validDate(d.Date, "2006-01-02") {
			l.add(file, id, "date %q must be YYYY-MM-DD", d.Date)
		}
		if strings.TrimSpace(d.Title) == "" {
			l.add(file, id, "date %s needs a title", d.Date)
		}
	}

	f := &Framework{
		ID: id, Name: ff.Name, Version: ff.Version, Published: ff.Published,
		Publisher: ff.Publisher, URL: ff.URL, Licence: ff.Licence, Note: ff.Note,
		Dates: ff.Dates, index: make(map[string]int, 2*len(ff.Items)),
	}
	counts := map[string]int{}
	for i := range ff.Items {
		it := ff.Items[i]
		if !itemIDPattern.MatchString(it.ID) {
			l.add(file, it.ID, "item %d: id must be letters, digits and . _ : ( ) - only", i+1)
			continue
		}
		if it.Label == "" {
			it.Label = it.ID
		}
		if !slices.Contains(Kinds, it.Kind) {
			l.add(file, it.ID, "unknown kind %q (want one of %s)", it.Kind, strings.Join(Kinds, ", "))
		}
		if strings.TrimSpace(it.Title) == "" {
			l.add(file, it.ID, "title is required")
		}
		if j, dup := f.index[it.ID]; dup {
			if f.Items[j].ID == it.ID {
				l.add(file, it.ID, "duplicate item ID")
			} else {
				l.add(file, it.ID, "id is already the label of %s", f.Items[j].ID)
			}
			continue
		}
		if j, dup := f.index[it.Label]; dup {
			l.add(file, it.ID, "label %q is already used by %s", it.Label, f.Items[j].ID)
			continue
		}
		if it.Parent != "" {
			if _, ok := f.index[it.Parent]; !ok {
				l.add(file, it.ID, "parent %q must be an item listed earlier", it.Parent)
			}
		}
		f.index[it.ID] = len(f.Items)
		f.index[it.Label] = len(f.Items)
		f.Items = append(f.Items, it)
		counts[it.Kind]++
	}

	if len(ff.Expect) == 0 {
		l.add(file, id, "expect must give the item count of each kind")
	}
	for _, kind := range Kinds {
		want, pinned := ff.Expect[kind]
		switch got := counts[kind]; {
		case !pinned && got > 0:
			l.add(file, id, "expect has no count for kind %q (found %d)", kind, got)
		case pinned && got != want:
			l.add(file, id, "expected %d items of kind %q, found %d", want, kind, got)
		}
	}
	for _, kind := range sortedKeys(ff.Expect) {
		if !slices.Contains(Kinds, kind) {
			l.add(file, id, "expect names unknown kind %q", kind)
		}
	}
	return f
}

// crosswalk reads the crosswalk file, checks every link resolves, and indexes
// each link in both directions.
func (l *loader) crosswalk(file string, c *Catalog) {
	var cw crosswalkFile
	if !l.decode(file, &cw) {
		return
	}
	if cw.Authority != BasisOurs {
		l.add(file, "", "authority must be %q: the crosswalk is ours, not an official mapping", BasisOurs)
	}
	if strings.TrimSpace(cw.Note) == "" {
		l.add(file, "", "note is required: say the crosswalk is not an official mapping")
	}
	c.crosswalkNote = strings.TrimSpace(cw.Note)

	// resolve finds an item; it reports problems against the link's "from".
	resolve := func(from, fwID, itemID string) (*Framework, *Item) {
		f := c.byID[fwID]
		if f == nil {
			l.add(file, from, "unknown framework %q", fwID)
			return nil, nil
		}
		it := f.Item(itemID)
		if it == nil || it.ID != itemID {
			l.add(file, from, "unknown item %s/%s", fwID, itemID)
			return nil, nil
		}
		return f, it
	}
	type pair struct{ a, b itemKey }
	seen := map[pair]string{} // each unordered pair once, with the link that made it
	for _, link := range cw.Links {
		fwID, itemID, ok := strings.Cut(link.From, "/")
		if !ok {
			l.add(file, link.From, "from must be framework/item")
			continue
		}
		basis := cmp.Or(link.Basis, BasisOurs)
		if basis != BasisOurs && basis != BasisNIST {
			l.add(file, link.From, "unknown basis %q (want %q or %q)", link.Basis, BasisOurs, BasisNIST)
		}
		if len(link.To) == 0 {
			l.add(file, link.From, "link has no targets")
		}
		fromF, fromIt := resolve(link.From, fwID, itemID)
		if fromIt == nil {
			continue
		}
		from := itemKey{fromF.ID, fromIt.ID}
		for _, toFw := range sortedKeys(link.To) {
			if toFw == fromF.ID {
				l.add(file, link.From, "links within one framework are not allowed (%s)", toFw)
				continue
			}
			if c.byID[toFw] == nil {
				l.add(file, link.From, "unknown framework %q", toFw)
				continue
			}
			for _, toID := range link.To[toFw] {
				toF, toIt := resolve(link.From, toFw, toID)
				if toIt == nil {
					continue
				}
				to := itemKey{toF.ID, toIt.ID}
				p := pair{from, to}
				if cmp.Less(to.framework+"/"+to.id, from.framework+"/"+from.id) {
					p = pair{to, from}
				}
				if first, dup := seen[p]; dup {
					l.add(file, link.From, "link to %s/%s already given by %s", toF.ID, toIt.ID, first)
					continue
				}
				seen[p] = link.From
				c.links[from] = append(c.links[from], Ref{toF.ID, toIt.ID, toIt.Label, toIt.Title, basis})
				c.links[to] = append(c.links[to], Ref{fromF.ID, fromIt.ID, fromIt.Label, fromIt.Title, basis})
			}
		}
	}

	// Order every list by framework, then by position in the framework.
	fwPos := map[string]int{}
	for i, f := range c.frameworks {
		fwPos[f.ID] = i
	}
	for _, refs := range c.links {
		slices.SortFunc(refs, func(a, b Ref) int {
			return cmp.Or(
				cmp.Compare(fwPos[a.Framework], fwPos[b.Framework]),
				cmp.Compare(c.byID[a.Framework].index[a.ID], c.byID[b.Framework].index[b.ID]),
			)
		})
	}
}

func validDate(s string, layouts ...string) bool {
	for _, layout := range layouts {
		if t, err := time.Parse(layout, s); err == nil && t.Format(layout) == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
