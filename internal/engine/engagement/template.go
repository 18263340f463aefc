package engagement

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/goccy/go-yaml"
)

//go:embed data/plan.yaml
var planYAML []byte

// Template is a plan template: the phases' lengths, the goals and the plan
// items an engagement starts with. The built-in template is embedded YAML;
// a consultant's saved template has the same shape, stored as JSON.
type Template struct {
	// Version names the edition of the built-in template, such as 2026-11.
	Version     string        `yaml:"version" json:"version,omitempty"`
	Name        string        `yaml:"name" json:"name"`
	Description string        `yaml:"description" json:"description,omitempty"`
	Goals       []string      `yaml:"goals" json:"goals"`
	Phases      []PhaseLength `yaml:"phases" json:"phases"`
	Items       []ItemSpec    `yaml:"items" json:"items"`
	// Sources cite where the template's arc comes from.
	Sources []string `yaml:"sources" json:"sources,omitempty"`
}

// PhaseLength is a phase and how many days it is planned for.
type PhaseLength struct {
	Key  string `yaml:"key" json:"key"`
	Days int    `yaml:"days" json:"days"`
}

// ItemSpec is one item of a plan template. Day counts from the start of the
// engagement (day 0); the item's due date is start + Day and its window
// follows from Day unless Window is set.
type ItemSpec struct {
	Title       string `yaml:"title" json:"title"`
	Description string `yaml:"description" json:"description,omitempty"`
	Phase       string `yaml:"phase" json:"phase"`
	Day         int    `yaml:"day" json:"day"`
	Window      string `yaml:"window" json:"window,omitempty"`
	Owner       string `yaml:"owner" json:"owner,omitempty"`
	// Link is the page of caio where the work is done, such as /systems.
	Link string `yaml:"link" json:"link,omitempty"`
}

// Limits of a template, so one saved template cannot grow without bound.
const (
	MaxItems       = 300
	MaxGoals       = 30
	MaxTitle       = 200
	MaxDescription = 4000
	MaxOwner       = 200
	MaxLink        = 300
	MaxGoal        = 500
)

// Problem is one thing wrong with a template, at its path such as
// items[3].phase.
type Problem struct {
	Path    string `json:"path"`
	Message string `json:"message"`
}

func (p Problem) String() string { return p.Path + ": " + p.Message }

// Problems is every problem of a template; it is an error.
type Problems []Problem

func (ps Problems) Error() string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.String()
	}
	return "plan template: " + strings.Join(parts, "; ")
}

// Validate checks the template and returns every problem with its path, or
// nil. Phases must be the five phases in order, each 1 to MaxDay days.
func (t *Template) Validate() error {
	var ps Problems
	add := func(path, format string, args ...any) { ps = append(ps, Problem{path, fmt.Sprintf(format, args...)}) }
	text := func(path, s string, limit int, required bool) {
		switch {
		case required && strings.TrimSpace(s) == "":
			add(path, "is required")
		case !utf8.ValidString(s) || strings.ContainsRune(s, 0):
			add(path, "must be UTF-8 text without the NUL character")
		case utf8.RuneCountInString(s) > limit:
			add(path, "must be at most %d characters", limit)
		}
	}
	text("name", t.Name, MaxTitle, true)
	text("description", t.Description, MaxDescription, false)
	if len(t.Goals) > MaxGoals {
		add("goals", "must list at most %d goals", MaxGoals)
	}
	for i, g := range t.Goals {
		text(fmt.Sprintf("goals[%d]", i), g, MaxGoal, true)
	}
	if len(t.Phases) != len(Phases) {
		add("phases", "must list the %d phases %s, in this order", len(Phases), strings.Join(Phases, ", "))
	} else {
		for i, p := range t.Phases {
			if p.Key != Phases[i] {
				add(fmt.Sprintf("phases[%d].key", i), "is %q; phase %d must be %s", p.Key, i+1, Phases[i])
			}
			if p.Days < 1 || p.Days > MaxDay {
				add(fmt.Sprintf("phases[%d].days", i), "must be from 1 to %d", MaxDay)
			}
		}
	}
	if len(t.Items) > MaxItems {
		add("items", "must list at most %d items", MaxItems)
	}
	for i, it := range t.Items {
		at := fmt.Sprintf("items[%d]", i)
		text(at+".title", it.Title, MaxTitle, true)
		text(at+".description", it.Description, MaxDescription, false)
		text(at+".owner", it.Owner, MaxOwner, false)
		if !slices.Contains(Phases, it.Phase) {
			add(at+".phase", "is %q; must be one of %s", it.Phase, strings.Join(Phases, ", "))
		}
		if it.Day < 0 || it.Day > MaxDay {
			add(at+".day", "must be from 0 to %d", MaxDay)
		}
		if it.Window != "" && !slices.Contains(Windows, it.Window) {
			add(at+".window", "is %q; must be one of %s", it.Window, strings.Join(Windows, ", "))
		}
		if it.Link != "" {
			text(at+".link", it.Link, MaxLink, false)
			if !ValidLink(it.Link) {
				add(at+".link", "must be a path of caio starting with a single /, such as /systems")
			}
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return ps
}

// ValidLink reports whether s is a path inside caio: it starts with one
// slash, holds no scheme, backslash, space or control character.
func ValidLink(s string) bool {
	if !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.ContainsAny(s, "\\ \t\r\n\"<>") {
		return false
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	return true
}

// WindowOfItem returns the item's window: its own, or the one its day falls in.
func (it ItemSpec) WindowOfItem() string {
	if it.Window != "" {
		return it.Window
	}
	return WindowOf(it.Day)
}

// Parse reads a template from YAML (JSON is YAML too), refusing unknown
// fields, and validates it. The YAML decoder panics on some malformed
// input (found by FuzzParse); that is reported as an error.
func Parse(b []byte) (t *Template, err error) {
	defer func() {
		if r := recover(); r != nil {
			t, err = nil, fmt.Errorf("plan template: malformed YAML (%v)", r)
		}
	}()
	t = &Template{}
	if err := yaml.UnmarshalWithOptions(b, t, yaml.Strict()); err != nil {
		return nil, fmt.Errorf("plan template: %w", err)
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

// ParseJSON reads a template stored as JSON, refusing unknown fields, and
// validates it.
func ParseJSON(b []byte) (*Template, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var t Template
	if err := dec.Decode(&t); err != nil {
		return nil, fmt.Errorf("plan template: %w", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("plan template: more than one value")
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return &t, nil
}

var builtin = sync.OnceValues(func() (*Template, error) { return Parse(planYAML) })

// Builtin returns the built-in plan template. It panics if the embedded
// file is broken, which the package's tests rule out.
func Builtin() *Template {
	t, err := builtin()
	if err != nil {
		panic(err)
	}
	return t
}

// Lengths returns the template's phase lengths in days.
func (t *Template) Lengths() []PhaseLength { return slices.Clone(t.Phases) }

// DefaultLengths returns the built-in template's phase lengths.
func DefaultLengths() []PhaseLength { return Builtin().Lengths() }
