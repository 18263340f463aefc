// Package govcode is governance as code: an organisation's AI register
// (inventory, use cases, controls, policies and its own advisor rules) as
// reviewable YAML files, one per object, that a team keeps in git. The
// package is pure: it writes and reads the files, plans what an import
// would change, and checks a directory without a server or a database.
// internal/app moves the objects between the files and the database.
package govcode

import (
	"github.com/caio-office/caio/internal/engine/euaiact"
)

// Kinds are the kinds of object, in the order they are written, read,
// planned and applied (an object after the objects it refers to). Each is
// the name of its directory.
var Kinds = []string{"vendors", "models", "datasets", "systems", "use_cases", "controls", "policies", "rules"}

// Vendor is a supplier of AI (caio.VendorInput).
type Vendor struct {
	ID          string `yaml:"id,omitempty"`
	Name        string `yaml:"name"`
	Website     string `yaml:"website,omitempty"`
	Contact     string `yaml:"contact,omitempty"`
	Country     string `yaml:"country,omitempty"`
	Description string `yaml:"description,omitempty"`
}

// Model is an AI model (caio.AIModelInput).
type Model struct {
	ID           string `yaml:"id,omitempty"`
	Name         string `yaml:"name"`
	Provider     string `yaml:"provider,omitempty"`
	ModelVersion string `yaml:"model_version,omitempty"`
	Kind         string `yaml:"kind"`
	Licence      string `yaml:"licence,omitempty"`
	Description  string `yaml:"description,omitempty"`
}

// Dataset is data systems use (caio.DatasetInput).
type Dataset struct {
	ID                string   `yaml:"id,omitempty"`
	Name              string   `yaml:"name"`
	Source            string   `yaml:"source,omitempty"`
	Description       string   `yaml:"description,omitempty"`
	PersonalData      bool     `yaml:"personal_data"`
	SpecialCategories []string `yaml:"special_categories,omitempty"`
}

// System is an AI system (caio.AISystemInput) with its links and its EU AI
// Act classification profile. Links name the model, dataset or vendor by
// ID, or by name for one created in the same change; objectives by ID.
type System struct {
	ID           string   `yaml:"id,omitempty"`
	Name         string   `yaml:"name"`
	Purpose      string   `yaml:"purpose,omitempty"`
	Description  string   `yaml:"description,omitempty"`
	Owner        string   `yaml:"owner,omitempty"`
	BusinessUnit string   `yaml:"business_unit,omitempty"`
	Stage        string   `yaml:"stage"`
	Countries    []string `yaml:"countries,omitempty"`
	Users        string   `yaml:"users,omitempty"`
	Affected     string   `yaml:"affected,omitempty"`
	Autonomy     string   `yaml:"autonomy,omitempty"`
	Oversight    string   `yaml:"oversight,omitempty"`
	Roles        []string `yaml:"roles"`
	// OMBImpact is the OMB M-25-21 high-impact determination (caio.OMBImpactLevels).
	OMBImpact  string   `yaml:"omb_impact,omitempty"`
	Models     []string `yaml:"models,omitempty"`
	Datasets   []string `yaml:"datasets,omitempty"`
	Vendors    []string `yaml:"vendors,omitempty"`
	Objectives []string `yaml:"objectives,omitempty"`
	// Profile is the classification profile; nil when never classified.
	Profile *euaiact.Profile `yaml:"profile,omitempty"`
}

// UseCase is a use case's canvas and links (caio.UseCaseInput). Systems
// are named by ID, or by name for a system created in the same change.
type UseCase struct {
	ID            string   `yaml:"id,omitempty"`
	Title         string   `yaml:"title"`
	Problem       string   `yaml:"problem,omitempty"`
	Process       string   `yaml:"process,omitempty"`
	Users         string   `yaml:"users,omitempty"`
	Volume        string   `yaml:"volume,omitempty"`
	DataNeeded    string   `yaml:"data_needed,omitempty"`
	DataAvailable string   `yaml:"data_available,omitempty"`
	Approach      string   `yaml:"approach,omitempty"`
	Sourcing      string   `yaml:"sourcing,omitempty"`
	Benefits      string   `yaml:"benefits,omitempty"`
	Costs         string   `yaml:"costs,omitempty"`
	Risks         string   `yaml:"risks,omitempty"`
	Dependencies  string   `yaml:"dependencies,omitempty"`
	Owner         string   `yaml:"owner,omitempty"`
	Sponsor       string   `yaml:"sponsor,omitempty"`
	Objectives    []string `yaml:"objectives,omitempty"`
	Systems       []string `yaml:"systems,omitempty"`
}

// Control is how one requirement is implemented for one system
// (caio.ControlInput). Controls come from classification: an import
// changes them but never creates or deletes one. Deadline and Evidence
// (how many evidence items caio keeps for it) are written by the export
// for reading and checking; an import ignores them.
type Control struct {
	ID         string `yaml:"id,omitempty"`
	System     string `yaml:"system"`
	Framework  string `yaml:"framework"`
	Item       string `yaml:"item"`
	Deadline   string `yaml:"deadline,omitempty"`
	Status     string `yaml:"status"`
	Reason     string `yaml:"reason,omitempty"`
	Owner      string `yaml:"owner,omitempty"`
	DueDate    string `yaml:"due_date,omitempty"`
	ReviewDate string `yaml:"review_date,omitempty"`
	Notes      string `yaml:"notes,omitempty"`
	Evidence   int    `yaml:"evidence,omitempty"`
}

// Policy is a policy's metadata and the Markdown body of its newest
// version (caio.PolicyInput). Status and NextReview are written by the
// export for reading and checking (approval happens in caio); an import
// ignores them.
type Policy struct {
	ID           string `yaml:"id,omitempty"`
	Title        string `yaml:"title"`
	Kind         string `yaml:"kind"`
	Owner        string `yaml:"owner,omitempty"`
	ReviewMonths int    `yaml:"review_months"`
	AckDays      int    `yaml:"ack_days"`
	Status       string `yaml:"status,omitempty"`
	NextReview   string `yaml:"next_review,omitempty"`
	Body         string `yaml:"body"`
}

// Rule is one of the organisation's own advisor rules (caio.AdvisorRuleInput).
type Rule struct {
	ID         string   `yaml:"id,omitempty"`
	Kind       string   `yaml:"kind"`
	Title      string   `yaml:"title"`
	Statement  string   `yaml:"statement"`
	When       string   `yaml:"when"`
	Reason     string   `yaml:"reason"`
	Due        string   `yaml:"due,omitempty"`
	DueSource  string   `yaml:"due_source,omitempty"`
	References []string `yaml:"references,omitempty"`
	OwnerRole  string   `yaml:"owner_role,omitempty"`
	Link       string   `yaml:"link,omitempty"`
	Impact     int      `yaml:"impact"`
	// Enabled is true when left out.
	Enabled *bool `yaml:"enabled,omitempty"`
}

// Registry is a whole register: every object of every kind. Present
// says which kinds' directories exist, so that an import of a directory
// holding only systems/ leaves the other kinds alone.
type Registry struct {
	Vendors  []*Item[Vendor]
	Models   []*Item[Model]
	Datasets []*Item[Dataset]
	Systems  []*Item[System]
	UseCases []*Item[UseCase]
	Controls []*Item[Control]
	Policies []*Item[Policy]
	Rules    []*Item[Rule]
	Present  map[string]bool
}

// Item is one object with where it was read from: the file (relative to
// the directory, with forward slashes) and the line of each top-level key.
type Item[T any] struct {
	File  string
	Value T
	Lines map[string]int
}

// Line returns the line of a top-level key, else of the first key, else 1.
func (it *Item[T]) Line(key string) int {
	if n := it.Lines[key]; n > 0 {
		return n
	}
	if n := it.Lines[""]; n > 0 {
		return n
	}
	return 1
}
