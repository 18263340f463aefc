package govcode

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"unicode"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

// MaxFileSize bounds one file, so a stray large file is refused quickly.
const MaxFileSize = 1 << 20

// Problem is one thing wrong with the register, at a place in a file.
type Problem struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column,omitempty"`
	Message string `json:"message"`
}

// String writes the problem as file:line: message (file:line:col: when the
// column is known), the form editors and CI logs link to.
func (p Problem) String() string {
	if p.Column > 0 {
		return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, p.Message)
	}
	return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Message)
}

// SortProblems orders problems by file and line.
func SortProblems(ps []Problem) {
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].File != ps[j].File {
			return ps[i].File < ps[j].File
		}
		return ps[i].Line < ps[j].Line
	})
}

// FileName returns the stable name of an object's file: its ID, or for an
// object without one a slug of its name.
func FileName(kind, id, name string) string {
	base := slug(id)
	if base == "" {
		base = slug(name)
	}
	if base == "" {
		base = "unnamed"
	}
	return kind + "/" + base + ".yaml"
}

func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// Marshal writes one object as YAML: keys in the order of the struct,
// multi-line text as literal blocks, so a diff shows the lines changed.
func Marshal(v any) ([]byte, error) {
	return yaml.MarshalWithOptions(v, yaml.Indent(2), yaml.IndentSequence(true), yaml.UseLiteralStyleIfMultiline(true))
}

// Write renders the register as files, keyed by their relative path. The
// same register always gives the same bytes.
func Write(r *Registry) (map[string][]byte, error) {
	out := map[string][]byte{}
	var err error
	put := func(kind, id, name string, v any) {
		if err != nil {
			return
		}
		name = FileName(kind, id, name)
		if _, dup := out[name]; dup {
			err = fmt.Errorf("two objects would be written to %s", name)
			return
		}
		var b []byte
		if b, err = Marshal(v); err == nil {
			out[name] = b
		}
	}
	for _, it := range r.Vendors {
		put("vendors", it.Value.ID, it.Value.Name, it.Value)
	}
	for _, it := range r.Models {
		put("models", it.Value.ID, it.Value.Name, it.Value)
	}
	for _, it := range r.Datasets {
		put("datasets", it.Value.ID, it.Value.Name, it.Value)
	}
	for _, it := range r.Systems {
		put("systems", it.Value.ID, it.Value.Name, it.Value)
	}
	for _, it := range r.UseCases {
		put("use_cases", it.Value.ID, it.Value.Title, it.Value)
	}
	for _, it := range r.Controls {
		put("controls", it.Value.ID, it.Value.System+"-"+it.Value.Framework+"-"+it.Value.Item, it.Value)
	}
	for _, it := range r.Policies {
		put("policies", it.Value.ID, it.Value.Title, it.Value)
	}
	for _, it := range r.Rules {
		put("rules", it.Value.ID, it.Value.Title, it.Value)
	}
	return out, err
}

// WriteDir writes the register's files under dir and removes the .yaml
// files of the kinds' directories that the register no longer has, so an
// object deleted in caio disappears from the next export. Files are
// rewritten only when their bytes change. It returns how many files it
// wrote and removed.
func WriteDir(dir string, files map[string][]byte) (written, removed int, err error) {
	for _, kind := range Kinds {
		kd := filepath.Join(dir, kind)
		if err := os.MkdirAll(kd, 0o755); err != nil {
			return written, removed, err
		}
		ents, err := os.ReadDir(kd)
		if err != nil {
			return written, removed, err
		}
		for _, e := range ents {
			if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".yaml") {
				if _, keep := files[kind+"/"+e.Name()]; !keep {
					if err := os.Remove(filepath.Join(kd, e.Name())); err != nil {
						return written, removed, err
					}
					removed++
				}
			}
		}
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		p := filepath.Join(dir, filepath.FromSlash(n))
		if old, err := os.ReadFile(p); err == nil && bytes.Equal(old, files[n]) {
			continue
		}
		if err := os.WriteFile(p, files[n], 0o644); err != nil {
			return written, removed, err
		}
		written++
	}
	return written, removed, nil
}

// ReadDir reads every DIR/<kind>/*.yaml file. A file that cannot be read
// as its kind is a problem with its line and column; the other files are
// still read, so one run reports every broken file.
func ReadDir(dir string) (*Registry, []Problem, error) {
	st, err := os.Stat(dir)
	if err != nil {
		return nil, nil, err
	}
	if !st.IsDir() {
		return nil, nil, fmt.Errorf("%s is not a directory", dir)
	}
	files := map[string][]byte{}
	present := map[string]bool{}
	for _, kind := range Kinds {
		kd := filepath.Join(dir, kind)
		ents, err := os.ReadDir(kd)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		} else if err != nil {
			return nil, nil, err
		}
		present[kind] = true
		for _, e := range ents {
			if !strings.HasSuffix(e.Name(), ".yaml") && !strings.HasSuffix(e.Name(), ".yml") {
				continue
			}
			info, err := e.Info()
			if err != nil {
				return nil, nil, err
			}
			rel := kind + "/" + e.Name()
			if !info.Mode().IsRegular() {
				continue
			}
			if info.Size() > MaxFileSize {
				files[rel] = nil
				continue
			}
			b, err := os.ReadFile(filepath.Join(kd, e.Name()))
			if err != nil {
				return nil, nil, err
			}
			files[rel] = b
		}
	}
	r, probs := Read(files)
	for k := range present {
		r.Present[k] = true
	}
	return r, probs, nil
}

// Read reads files keyed by their relative path <kind>/<name>.yaml into a
// register. Files outside the kinds' directories are ignored.
func Read(files map[string][]byte) (*Registry, []Problem) {
	r := &Registry{Present: map[string]bool{}}
	var probs []Problem
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		kind := path.Dir(name)
		b := files[name]
		if b == nil {
			probs = append(probs, Problem{File: name, Line: 1, Column: 1, Message: fmt.Sprintf("the file is larger than %d bytes", MaxFileSize)})
			continue
		}
		var p *Problem
		switch kind {
		case "vendors":
			r.Vendors, p = readInto(r.Vendors, name, b)
		case "models":
			r.Models, p = readInto(r.Models, name, b)
		case "datasets":
			r.Datasets, p = readInto(r.Datasets, name, b)
		case "systems":
			r.Systems, p = readInto(r.Systems, name, b)
		case "use_cases":
			r.UseCases, p = readInto(r.UseCases, name, b)
		case "controls":
			r.Controls, p = readInto(r.Controls, name, b)
		case "policies":
			r.Policies, p = readInto(r.Policies, name, b)
		case "rules":
			r.Rules, p = readInto(r.Rules, name, b)
		default:
			continue
		}
		r.Present[kind] = true
		if p != nil {
			probs = append(probs, *p)
		}
	}
	SortProblems(probs)
	return r, probs
}

func readInto[T any](list []*Item[T], name string, b []byte) ([]*Item[T], *Problem) {
	it, p := ReadItem[T](name, b)
	if p != nil {
		return list, p
	}
	return append(list, it), nil
}

// ReadItem decodes one file strictly: unknown fields, duplicated keys,
// wrong types, aliases and more than one document are problems naming the
// line and column.
func ReadItem[T any](name string, b []byte) (it *Item[T], prob *Problem) {
	defer func() {
		if recover() != nil {
			it, prob = nil, &Problem{File: name, Line: 1, Column: 1, Message: "the file cannot be read as YAML"}
		}
	}()
	fail := func(tk *token.Token, msg string) (*Item[T], *Problem) {
		p := &Problem{File: name, Line: 1, Column: 1, Message: msg}
		if tk != nil && tk.Position != nil {
			p.Line, p.Column = tk.Position.Line, tk.Position.Column
		}
		return nil, p
	}
	for _, tk := range lexer.Tokenize(string(b)) {
		if tk.Type == token.AliasType || tk.Type == token.AnchorType {
			return fail(tk, "anchors and aliases (&name, *name) are not allowed")
		}
	}
	f, err := parser.ParseBytes(b, 0)
	if err != nil {
		return failErr[T](name, err)
	}
	var body ast.Node
	for i, d := range f.Docs {
		if d.Body == nil {
			continue
		}
		if body != nil {
			return fail(d.Body.GetToken(), fmt.Sprintf("the file holds more than one document (document %d); write one object per file", i+1))
		}
		body = d.Body
	}
	if body == nil {
		return fail(nil, "the file is empty: write one object as a mapping of keys")
	}
	m, ok := body.(*ast.MappingNode)
	if !ok {
		return fail(body.GetToken(), "the file must hold one mapping of keys, such as name: …")
	}
	lines := map[string]int{}
	for _, kv := range m.Values {
		if kv.Key == nil || kv.Key.GetToken() == nil || kv.Key.GetToken().Position == nil {
			continue
		}
		line := kv.Key.GetToken().Position.Line
		if lines[""] == 0 {
			lines[""] = line
		}
		if _, seen := lines[kv.Key.String()]; !seen {
			lines[kv.Key.String()] = line
		}
	}
	var v T
	if err := yaml.NodeToValue(body, &v, yaml.DisallowUnknownField(), yaml.Strict()); err != nil {
		return failErr[T](name, err)
	}
	return &Item[T]{File: name, Value: v, Lines: lines}, nil
}

// positioned is what goccy/go-yaml's errors offer.
type positioned interface {
	GetToken() *token.Token
	GetMessage() string
}

func failErr[T any](name string, err error) (*Item[T], *Problem) {
	p := &Problem{File: name, Line: 1, Column: 1, Message: firstLine(err.Error())}
	var pe positioned
	if errors.As(err, &pe) {
		p.Message = pe.GetMessage()
		if tk := pe.GetToken(); tk != nil && tk.Position != nil {
			p.Line, p.Column = tk.Position.Line, tk.Position.Column
		}
	}
	return nil, p
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
