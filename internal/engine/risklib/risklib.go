// Package risklib holds the risk libraries a risk of the register is
// categorised by: the OWASP Top 10 for LLM Applications, the domain
// taxonomy of the MIT AI Risk Repository and the MITRE ATLAS tactics, as
// embedded YAML with their attribution, and the NIST AI 600-1 risks, taken
// from the framework catalogue so they are kept in one place. A category is
// written "library:id", such as owasp-llm:LLM01. The package is pure: no
// database, clock or I/O beyond its embedded files.
package risklib

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/caio-office/caio/internal/engine/catalog"
	"github.com/goccy/go-yaml"
)

//go:embed data/*.yaml
var data embed.FS

// NISTLibrary is the ID of the library made from the catalogue's NIST AI 600-1 risks.
const NISTLibrary = "nist-600-1"

// Library is one risk library, with what we may ship of it and under which terms.
type Library struct {
	ID        string `json:"id" yaml:"id"`
	Name      string `json:"name" yaml:"name"`
	Version   string `json:"version" yaml:"version"`
	Publisher string `json:"publisher" yaml:"publisher"`
	URL       string `json:"url" yaml:"url"`
	// Licence is the attribution to show wherever the library's names are shown.
	Licence string `json:"licence" yaml:"licence"`
	Items   []Item `json:"items" yaml:"items"`
}

// Item is one risk, domain or tactic of a library.
type Item struct {
	ID string `json:"id" yaml:"id"`
	// Parent is the ID of the enclosing item (an MIT subdomain's domain), or "".
	Parent string `json:"parent,omitempty" yaml:"parent"`
	Name   string `json:"name" yaml:"name"`
}

// Category returns the category key of an item of lib, "lib:id".
func Category(lib, id string) string { return lib + ":" + id }

// Set is the loaded, validated libraries. It is immutable and safe for
// concurrent use; callers must not modify what it returns.
type Set struct {
	libs  []*Library
	items map[string]*Item    // by category key
	byLib map[string]*Library // by library ID
}

// Load reads the embedded libraries and the NIST AI 600-1 risks of cat,
// checking that IDs are unique and parents exist.
func Load(cat *catalog.Catalog) (*Set, error) {
	sub, _ := fs.Sub(data, "data")
	return LoadFS(sub, cat)
}

// LoadFS is Load from another file system, for tests.
func LoadFS(fsys fs.FS, cat *catalog.Catalog) (*Set, error) {
	s := &Set{items: map[string]*Item{}, byLib: map[string]*Library{}}
	// The order people meet them in: the LLM list first, ATLAS last.
	for _, name := range []string{"owasp-llm.yaml", "mit.yaml"} {
		if err := s.loadFile(fsys, name); err != nil {
			return nil, err
		}
	}
	if cat != nil {
		if f := cat.Framework("nist-ai-600-1"); f != nil {
			lib := &Library{ID: NISTLibrary, Name: f.Name, Version: f.Version, Publisher: f.Publisher, URL: f.URL, Licence: f.Licence}
			for _, it := range f.Items {
				if it.Kind == "risk" {
					lib.Items = append(lib.Items, Item{ID: it.ID, Name: it.Title})
				}
			}
			if err := s.add(lib); err != nil {
				return nil, err
			}
		}
	}
	if err := s.loadFile(fsys, "atlas.yaml"); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Set) loadFile(fsys fs.FS, name string) error {
	b, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("risklib: %w", err)
	}
	var lib Library
	if err := yaml.UnmarshalWithOptions(b, &lib, yaml.Strict()); err != nil {
		return fmt.Errorf("risklib: %s: %w", name, err)
	}
	if err := s.add(&lib); err != nil {
		return fmt.Errorf("risklib: %s: %w", name, err)
	}
	return nil
}

// add validates a library and indexes its items.
func (s *Set) add(lib *Library) error {
	switch {
	case lib.ID == "" || strings.ContainsAny(lib.ID, ": "):
		return fmt.Errorf("library id %q must be set and hold no colon or space", lib.ID)
	case lib.Name == "" || lib.Licence == "":
		return fmt.Errorf("library %s needs a name and a licence", lib.ID)
	case s.byLib[lib.ID] != nil:
		return fmt.Errorf("library %s is there twice", lib.ID)
	case len(lib.Items) == 0:
		return fmt.Errorf("library %s has no items", lib.ID)
	}
	seen := map[string]bool{}
	for i := range lib.Items {
		it := &lib.Items[i]
		switch {
		case it.ID == "" || it.Name == "":
			return fmt.Errorf("library %s: item %d needs an id and a name", lib.ID, i+1)
		case seen[it.ID]:
			return fmt.Errorf("library %s: item %s is there twice", lib.ID, it.ID)
		case it.Parent != "" && !seen[it.Parent]:
			return fmt.Errorf("library %s: item %s names parent %s, which does not come before it", lib.ID, it.ID, it.Parent)
		}
		seen[it.ID] = true
		s.items[Category(lib.ID, it.ID)] = it
	}
	s.libs = append(s.libs, lib)
	s.byLib[lib.ID] = lib
	return nil
}

// Libraries returns the libraries in the order they are offered.
func (s *Set) Libraries() []*Library { return s.libs }

// Library returns a library by ID, or nil.
func (s *Set) Library(id string) *Library { return s.byLib[id] }

// Item returns the item of a category key such as owasp-llm:LLM01, or nil.
func (s *Set) Item(category string) *Item { return s.items[category] }

// Known reports whether category names an item of a library.
func (s *Set) Known(category string) bool { return s.items[category] != nil }

// Label names a category for people, such as "OWASP LLM01 Prompt
// Injection"; an unknown category is returned as it is.
func (s *Set) Label(category string) string {
	lib, id, ok := strings.Cut(category, ":")
	it := s.items[category]
	if !ok || it == nil {
		return category
	}
	short := map[string]string{"owasp-llm": "OWASP", "mit": "MIT", NISTLibrary: "NIST AI 600-1", "atlas": "ATLAS"}[lib]
	if short == "" {
		short = lib
	}
	return short + " " + id + " " + it.Name
}

var (
	defaultOnce sync.Once
	defaultSet  *Set
)

// Default returns the embedded libraries with the default catalogue's NIST
// AI 600-1 risks, loaded once. It panics if they do not load, which a test
// of this package catches.
func Default() *Set {
	defaultOnce.Do(func() {
		var err error
		if defaultSet, err = Load(catalog.Default()); err != nil {
			panic(err)
		}
	})
	return defaultSet
}
