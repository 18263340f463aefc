package cyclonedx

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/caio-office/caio"
)

// MaxBOMBytes bounds the size of a BOM caio reads.
const MaxBOMBytes = 64 << 20

// MaxComponents bounds how many components (nested included) a BOM may hold.
const MaxComponents = 100000

// Parsed is what a BOM holds for caio's inventory: its models, datasets and
// the suppliers named by either, each once.
type Parsed struct {
	SpecVersion string
	Models      []ParsedModel
	Datasets    []ParsedDataset
	Vendors     []caio.VendorInput
	// Skipped counts components of other types (libraries, applications...).
	Skipped int
	// Warnings say what was guessed or left out, one line each.
	Warnings []string
}

// ParsedModel is a machine-learning-model component.
type ParsedModel struct {
	Ref string
	caio.AIModelInput
	// KindGuessed is true when the BOM did not say the caio kind.
	KindGuessed bool
}

// ParsedDataset is a data component or an inline model card dataset.
type ParsedDataset struct {
	Ref string
	caio.DatasetInput
}

// Position turns a byte offset of data into a line and a column, both
// counted from 1; the column counts characters, not bytes.
func Position(data []byte, offset int64) (line, col int) {
	if offset > int64(len(data)) {
		offset = int64(len(data))
	}
	if offset < 0 {
		offset = 0
	}
	before := data[:offset]
	line = bytes.Count(before, []byte("\n")) + 1
	start := bytes.LastIndexByte(before, '\n') + 1
	col = len([]rune(string(before[start:]))) + 1
	return line, col
}

// invalidAt is an EINVALID error naming the line and column of offset.
func invalidAt(data []byte, offset int64, msg string) error {
	line, col := Position(data, offset)
	return caio.Errorf(caio.EINVALID, "line %d, column %d: %s", line, col, msg)
}

// Parse reads a CycloneDX JSON BOM (any 1.x version). Malformed JSON and
// values of the wrong type are EINVALID errors naming the line and column.
func Parse(data []byte) (*Parsed, error) {
	if len(data) > MaxBOMBytes {
		return nil, caio.Errorf(caio.EINVALID, "The BOM is larger than %d MiB.", MaxBOMBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	dec := json.NewDecoder(bytes.NewReader(data))
	var bom BOM
	if err := dec.Decode(&bom); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			return nil, invalidAt(data, max(se.Offset-1, 0), "this is not valid JSON: "+se.Error())
		case errors.As(err, &te):
			field := te.Field
			if field == "" {
				field = "the document"
			}
			return nil, invalidAt(data, te.Offset, field+" must be a JSON "+jsonKind(te.Type.Kind().String())+", not "+te.Value)
		case errors.Is(err, io.ErrUnexpectedEOF):
			return nil, invalidAt(data, int64(len(data)), "the JSON ends too early")
		case errors.Is(err, io.EOF):
			return nil, invalidAt(data, 0, "the file is empty")
		}
		return nil, invalidAt(data, dec.InputOffset(), "this is not valid JSON: "+err.Error())
	}
	if off := dec.InputOffset(); len(bytes.TrimSpace(data[off:])) > 0 {
		return nil, invalidAt(data, off+int64(len(data[off:])-len(bytes.TrimLeft(data[off:], " \t\r\n"))), "unexpected text after the BOM")
	}
	if bom.BOMFormat != "CycloneDX" {
		return nil, invalidAt(data, 0, `this is not a CycloneDX BOM: "bomFormat" must be "CycloneDX"`)
	}
	if !strings.HasPrefix(bom.SpecVersion, "1.") {
		return nil, invalidAt(data, 0, `"specVersion" must be a CycloneDX 1.x version such as 1.6, not `+quote(bom.SpecVersion))
	}
	p := &Parsed{SpecVersion: bom.SpecVersion}
	vendors := map[string]int{}
	addVendor := func(e *OrgEntity) string {
		if e == nil || strings.TrimSpace(e.Name) == "" {
			return ""
		}
		name := strings.TrimSpace(e.Name)
		if _, ok := vendors[strings.ToLower(name)]; ok {
			return name
		}
		v := caio.VendorInput{Name: name}
		if len(e.URL) > 0 {
			v.Website = strings.TrimSpace(e.URL[0])
		}
		if len(e.Contact) > 0 {
			v.Contact = strings.TrimSpace(firstNonEmpty(e.Contact[0].Email, e.Contact[0].Name))
		}
		vendors[strings.ToLower(name)] = len(p.Vendors)
		p.Vendors = append(p.Vendors, v)
		return name
	}
	seenData := map[string]bool{}
	addData := func(ref, name, desc string, cd *ComponentData, props []Property) {
		name = strings.TrimSpace(name)
		if name == "" || seenData[strings.ToLower(name)] {
			return
		}
		seenData[strings.ToLower(name)] = true
		d := ParsedDataset{Ref: ref, DatasetInput: caio.DatasetInput{Name: name, Description: desc}}
		if cd != nil {
			if cd.Contents != nil {
				d.Source = cd.Contents.URL
			}
			for _, s := range cd.SensitiveData {
				k := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", "_"))
				if slices.Contains(caio.SpecialCategories, k) && !slices.Contains(d.SpecialCategories, k) {
					d.SpecialCategories = append(d.SpecialCategories, k)
				}
			}
			cls := strings.ToLower(cd.Classification)
			d.PersonalData = len(cd.SensitiveData) > 0 || (strings.Contains(cls, "personal") && !strings.HasPrefix(cls, "no "))
		}
		if v, ok := property(props, "caio:source"); ok {
			d.Source = v
		}
		if v, ok := property(props, "caio:personal_data"); ok {
			d.PersonalData = v == "true"
		}
		if v, ok := property(props, "caio:special_categories"); ok {
			d.SpecialCategories = caio.SplitList(v)
		}
		if len(d.SpecialCategories) > 0 {
			d.PersonalData = true
		}
		p.Datasets = append(p.Datasets, d)
	}
	count := 0
	var walk func(cs []Component) error
	walk = func(cs []Component) error {
		for i := range cs {
			c := &cs[i]
			if count++; count > MaxComponents {
				return caio.Errorf(caio.EINVALID, "The BOM has more than %d components.", MaxComponents)
			}
			switch c.Type {
			case "machine-learning-model":
				m := ParsedModel{Ref: c.BOMRef, AIModelInput: caio.AIModelInput{Name: strings.TrimSpace(c.Name),
					ModelVersion: strings.TrimSpace(c.Version), Description: c.Description}}
				if m.Name == "" {
					p.Warnings = append(p.Warnings, "a machine-learning-model component without a name was left out")
					break
				}
				m.Provider = addVendor(c.Supplier)
				if m.Provider == "" {
					m.Provider = addVendor(c.Manufacturer)
				}
				if m.Provider == "" {
					m.Provider = strings.TrimSpace(firstNonEmpty(c.Author, c.Publisher, c.Group))
				}
				if v, ok := property(c.Properties, "caio:provider"); ok && v != "" {
					m.Provider = v
				}
				for _, l := range c.Licenses {
					if l.License != nil {
						m.Licence = firstNonEmpty(l.License.ID, l.License.Name)
					} else if l.Expression != "" {
						m.Licence = l.Expression
					}
					if m.Licence != "" {
						break
					}
				}
				kind, ok := property(c.Properties, "caio:kind")
				if !ok || !slices.Contains(caio.ModelKinds, kind) {
					kind, m.KindGuessed = guessKind(c), true
					p.Warnings = append(p.Warnings, "model "+quote(m.Name)+": kind guessed as "+kind)
				}
				m.Kind = kind
				p.Models = append(p.Models, m)
				if c.ModelCard != nil && c.ModelCard.ModelParameters != nil {
					for _, d := range c.ModelCard.ModelParameters.Datasets {
						if d.Ref == "" && d.Name != "" {
							addData(d.BOMRef, d.Name, "", &d.ComponentData, nil)
						}
					}
				}
			case "data":
				var cd *ComponentData
				if len(c.Data) > 0 {
					cd = &c.Data[0]
				}
				addData(c.BOMRef, c.Name, c.Description, cd, c.Properties)
				addVendor(c.Supplier)
			default:
				p.Skipped++
			}
			if err := walk(c.Components); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(bom.Components); err != nil {
		return nil, err
	}
	return p, nil
}

// guessKind guesses a caio model kind from what a BOM says.
func guessKind(c *Component) string {
	var text string
	if c.ModelCard != nil && c.ModelCard.ModelParameters != nil {
		mp := c.ModelCard.ModelParameters
		text = mp.Task + " " + mp.ArchitectureFamily
		if mp.Approach != nil && mp.Approach.Type == "self-supervised" {
			text += " llm"
		}
	}
	text = strings.ToLower(text + " " + c.Name)
	for _, w := range []string{"llm", "language", "text-generation", "gpt", "transformer", "chat"} {
		if strings.Contains(text, w) {
			return "llm"
		}
	}
	return "deep_learning"
}

func property(ps []Property, name string) (string, bool) {
	for _, p := range ps {
		if p.Name == name {
			return strings.TrimSpace(p.Value), true
		}
	}
	return "", false
}

func firstNonEmpty(xs ...string) string {
	for _, x := range xs {
		if strings.TrimSpace(x) != "" {
			return x
		}
	}
	return ""
}

func quote(s string) string {
	if r := []rune(s); len(r) > 60 {
		s = string(r[:60]) + "…"
	}
	return `"` + s + `"`
}

func jsonKind(k string) string {
	switch k {
	case "slice", "array":
		return "array"
	case "struct", "map":
		return "object"
	case "int", "int64", "float64":
		return "number"
	}
	return k
}
