// Package catalog is the read-only, versioned catalogue of the regulations and
// frameworks caio maps AI governance work to: the EU AI Act obligations, the NIST
// AI RMF 1.0 Core, the NIST AI 600-1 generative AI risks, ISO/IEC 42001:2023
// Annex A and the OMB M-25-21 minimum practices, plus our crosswalk between them.
//
// The catalogue is data: YAML files under data/, embedded in the binary, parsed
// and validated by Load (unique IDs, parents that exist, expected counts,
// crosswalk links that resolve). Every file states where its facts come from.
//
// Licence stance:
//   - NIST AI 100-1 and NIST AI 600-1 are US Government works, public domain in
//     the US; we still ship our own short titles and credit NIST.
//   - ISO/IEC 42001 is copyrighted by ISO/IEC: the catalogue holds only objective
//     and control numbers, short titles and one-line descriptions in our words,
//     never text of the standard.
//   - The EU AI Act entries are keyed by the obligation IDs of the EU AI Act engine
//     (art9, art50_1, ...) with article references; titles and summaries are our
//     paraphrases, and the Official Journal text is authoritative.
//   - OMB M-25-21 is a US Government work; the practice IDs are ours.
//   - The crosswalk is ours ("authority: ours"), seeded for the AI RMF to ISO/IEC
//     42001 leg with rows of NIST's published crosswalk. It is not an official mapping.
//
// The package is a pure engine: no database, no clock, no I/O beyond the
// embedded files (or an fs.FS given to LoadFS).
package catalog

import (
	"embed"
	"io/fs"
	"slices"
	"sync"
)

// Framework IDs of the catalogue.
const (
	EUAIAct    = "eu-ai-act"
	NISTAIRMF  = "nist-ai-rmf"
	NISTAI6001 = "nist-ai-600-1"
	ISO42001   = "iso-42001"
	OMBM2521   = "omb-m-25-21"
)

// Kinds of catalogue items.
const (
	KindFunction    = "function"    // NIST AI RMF function (GOVERN ...)
	KindCategory    = "category"    // NIST AI RMF category (GOVERN 1 ...)
	KindSubcategory = "subcategory" // NIST AI RMF subcategory (GOVERN 1.1 ...)
	KindObjective   = "objective"   // ISO/IEC 42001 Annex A control objective (A.2 ...)
	KindControl     = "control"     // ISO/IEC 42001 Annex A control (A.2.2 ...)
	KindRequirement = "requirement" // a legal obligation (EU AI Act)
	KindRisk        = "risk"        // a risk of a risk library (NIST AI 600-1)
	KindPractice    = "practice"    // a required practice (OMB M-25-21)
)

// Kinds lists every item kind, in a fixed order.
var Kinds = []string{KindFunction, KindCategory, KindSubcategory, KindObjective,
	KindControl, KindRequirement, KindRisk, KindPractice}

// Crosswalk bases: where a link comes from.
const (
	BasisOurs = "ours" // our own judgement
	BasisNIST = "nist" // a row of NIST's AI RMF to ISO/IEC 42001 crosswalk
)

// Framework is one regulation, standard or framework of the catalogue.
type Framework struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Version   string `json:"version"`
	Published string `json:"published"` // YYYY-MM-DD or YYYY-MM
	Publisher string `json:"publisher"`
	URL       string `json:"url,omitempty"`
	Licence   string `json:"licence"` // what we may ship and what we ship
	Note      string `json:"note,omitempty"`
	// Dates are deadlines or milestones that come with the framework, such as the
	// date by which OMB M-25-21 practices must be in place.
	Dates []KeyDate `json:"dates,omitempty"`
	// Items are in the publisher's order; a parent always comes before its children.
	Items []Item `json:"items"`

	index map[string]int // item ID and label to position in Items
}

// KeyDate is a dated milestone of a framework.
type KeyDate struct {
	Date  string `json:"date"` // YYYY-MM-DD
	Title string `json:"title"`
}

// Item is one function, category, subcategory, objective, control, requirement,
// risk or practice of a framework.
type Item struct {
	// ID is the canonical identifier, unique within the framework: "GV-1.1",
	// "A.6.2.4", "art50_1", "GAI-3", "M-25-21-2".
	ID string `json:"id"`
	// Label is the identifier as the publisher prints it ("GOVERN 1.1",
	// "Art 50(1)"); it equals ID where the two are the same.
	Label string `json:"label"`
	Kind  string `json:"kind"`
	// Parent is the ID of the enclosing item (a category's function, a control's
	// objective), or empty at the top.
	Parent string `json:"parent,omitempty"`
	// Ref cites the source text, such as "Art 11, Annex IV".
	Ref string `json:"ref,omitempty"`
	// Title is a short title: official for identifiers that are facts (ISO control
	// titles, NIST AI 600-1 risk names), otherwise our own words.
	Title string `json:"title"`
	// Summary is one line in our own words.
	Summary string `json:"summary,omitempty"`
}

// Ref names an item of another framework that the crosswalk links to.
type Ref struct {
	Framework string `json:"framework"`
	ID        string `json:"id"`
	Label     string `json:"label"`
	Title     string `json:"title"`
	Basis     string `json:"basis"` // BasisOurs or BasisNIST
}

// Catalog is a loaded, validated catalogue. It is immutable and safe for
// concurrent use; callers must not modify the frameworks and items it returns.
type Catalog struct {
	version       string
	crosswalkNote string
	frameworks    []*Framework
	byID          map[string]*Framework
	links         map[itemKey][]Ref
}

type itemKey struct{ framework, id string }

//go:embed data/*.yaml
var embedded embed.FS

// Data returns the embedded catalogue files, rooted at catalog.yaml.
func Data() fs.FS {
	sub, err := fs.Sub(embedded, "data")
	if err != nil {
		panic(err) // "data" is a valid path; fs.Sub cannot fail on it
	}
	return sub
}

// Load parses and validates the embedded catalogue.
func Load() (*Catalog, error) { return LoadFS(Data()) }

var loadDefault = sync.OnceValue(func() *Catalog {
	c, err := Load()
	if err != nil {
		panic("catalog: embedded catalogue is broken: " + err.Error())
	}
	return c
})

// Default returns the embedded catalogue, loaded once. It panics only if the
// embedded data is broken, which TestEmbeddedCatalogLoads rules out.
func Default() *Catalog { return loadDefault() }

// Version is the catalogue version, such as "2026.11.1". Records made against
// the catalogue store it, so a later catalogue can tell what changed.
func (c *Catalog) Version() string { return c.version }

// CrosswalkNote says what the crosswalk is and is not.
func (c *Catalog) CrosswalkNote() string { return c.crosswalkNote }

// Frameworks returns every framework in catalogue order.
func (c *Catalog) Frameworks() []*Framework { return slices.Clone(c.frameworks) }

// Framework returns the framework with the ID, or nil.
func (c *Catalog) Framework(id string) *Framework { return c.byID[id] }

// Item returns an item of a framework by ID or label, or nil.
func (c *Catalog) Item(frameworkID, itemID string) *Item {
	f := c.byID[frameworkID]
	if f == nil {
		return nil
	}
	return f.Item(itemID)
}

// Crosswalk returns the items of other frameworks linked to the item, in
// catalogue order (framework order, then item order). Links work in both
// directions. The item may be named by ID or label; an unknown item has no links.
func (c *Catalog) Crosswalk(frameworkID, itemID string) []Ref {
	it := c.Item(frameworkID, itemID)
	if it == nil {
		return nil
	}
	return slices.Clone(c.links[itemKey{frameworkID, it.ID}])
}

// Item returns the item with the ID or label, or nil.
func (f *Framework) Item(id string) *Item {
	i, ok := f.index[id]
	if !ok {
		return nil
	}
	return &f.Items[i]
}

// Count returns how many items of the kind the framework has.
func (f *Framework) Count(kind string) int {
	n := 0
	for i := range f.Items {
		if f.Items[i].Kind == kind {
			n++
		}
	}
	return n
}
