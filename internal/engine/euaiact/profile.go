package euaiact

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/caio-office/caio"
	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/lexer"
	"github.com/goccy/go-yaml/token"
)

// ProfileSchema identifies version 1 of the classification profile.
const ProfileSchema = "caio/euaiact-profile/v1"

// Profile is the facts about one AI system that the classification reads.
// A fact left out is unknown: the engine classifies as far as the known
// facts allow and lists the unknown facts that could change the answer.
type Profile struct {
	// Schema is ProfileSchema; empty is read as version 1.
	Schema string `json:"schema,omitempty" yaml:"schema,omitempty"`
	// Name is for people; the engine does not read it.
	Name string `json:"name,omitempty" yaml:"name,omitempty"`
	// Roles are the organisation's roles towards the system (see Roles).
	Roles []string `json:"roles,omitempty" yaml:"roles,omitempty"`
	// AnnexI is the key of the Annex I act covering the product (e.g. "A.11"),
	// or "none".
	AnnexI string `json:"annex_i,omitempty" yaml:"annex_i,omitempty"`
	// AnnexIII lists the Annex III points the intended purpose falls under
	// (e.g. "4(a)"), or ["none"].
	AnnexIII []string `json:"annex_iii,omitempty" yaml:"annex_iii,omitempty"`
	// TrainingFLOP is the cumulative compute used to train a general-purpose
	// model the organisation provides, in floating-point operations.
	TrainingFLOP *float64 `json:"training_flop,omitempty" yaml:"training_flop,omitempty"`
	// Facts holds yes/no answers keyed by fact (see Content.Facts).
	Facts map[string]bool `json:"facts,omitempty" yaml:"facts,omitempty"`
}

// ParseProfile reads a profile written in YAML or JSON. Unknown fields are
// an error naming the field, so a typo is not silently ignored.
func ParseProfile(b []byte) (*Profile, error) {
	var p Profile
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) > 0 && trimmed[0] == '{' {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			return nil, caio.Errorf(caio.EINVALID, "The profile could not be read as JSON: %s", err.Error())
		}
		if _, err := dec.Token(); err != io.EOF {
			return nil, caio.Errorf(caio.EINVALID, "The profile is not valid JSON: it has more after the closing brace")
		}
		return &p, nil
	}
	if err := unmarshalYAML(b, &p); err != nil {
		return nil, caio.Errorf(caio.EINVALID, "The profile could not be read as YAML: %s", firstLine(yaml.FormatError(err, false, true)))
	}
	return &p, nil
}

// unmarshalYAML decodes strictly. A profile has no use for aliases, and the
// decoder expands them without limit (a few lines of nested aliases take
// minutes and gigabytes), so they are refused. The decoder also panics on
// some malformed input (a tag on a sequence, found by FuzzClassify): that is
// bad input, not a crash.
func unmarshalYAML(b []byte, p *Profile) (err error) {
	defer func() {
		if recover() != nil {
			err = errors.New("the document cannot be read as a profile")
		}
	}()
	for _, tk := range lexer.Tokenize(string(b)) {
		if tk.Type == token.AliasType {
			return errors.New("aliases (*name) are not allowed in a profile")
		}
	}
	return yaml.UnmarshalWithOptions(b, p, yaml.DisallowUnknownField(), yaml.Strict())
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Clone returns a deep copy of the profile.
func (p *Profile) Clone() *Profile {
	q := *p
	q.Roles = slices.Clone(p.Roles)
	q.AnnexIII = slices.Clone(p.AnnexIII)
	if p.TrainingFLOP != nil {
		v := *p.TrainingFLOP
		q.TrainingFLOP = &v
	}
	if p.Facts != nil {
		q.Facts = make(map[string]bool, len(p.Facts))
		for k, v := range p.Facts {
			q.Facts[k] = v
		}
	}
	return &q
}

// Validate checks the profile against the content: known facts, roles and
// annex keys, and no contradictory facts. The error names every field.
func (c *Content) Validate(p *Profile) error {
	var v caio.Validation
	if p.Schema != "" && p.Schema != ProfileSchema {
		v.Add("schema", fmt.Sprintf("must be %q; this version of caio reads no other profile schema", ProfileSchema))
	}
	if len(p.Name) > 200 {
		v.Add("name", "must be at most 200 characters")
	}
	seen := map[string]bool{}
	for _, r := range p.Roles {
		if !slices.Contains(Roles, r) {
			v.Add("roles", fmt.Sprintf("%q is not a role; use %s", r, strings.Join(Roles, ", ")))
		} else if seen[r] {
			v.Add("roles", fmt.Sprintf("%q is listed twice", r))
		}
		seen[r] = true
	}
	if p.AnnexI != "" && p.AnnexI != "none" && c.annexI[p.AnnexI] == nil {
		v.Add("annex_i", fmt.Sprintf("%q is not an Annex I entry; use a key such as A.11 or B.18, or none", p.AnnexI))
	}
	seen = map[string]bool{}
	for _, k := range p.AnnexIII {
		switch {
		case k == "none":
			if len(p.AnnexIII) > 1 {
				v.Add("annex_iii", "cannot list none together with Annex III points")
			}
		case c.annexIII[k] == nil:
			v.Add("annex_iii", fmt.Sprintf("%q is not an Annex III point; use a key such as 4(a) or 2, or none", k))
		case seen[k]:
			v.Add("annex_iii", fmt.Sprintf("%q is listed twice", k))
		}
		seen[k] = true
	}
	if p.TrainingFLOP != nil && !(*p.TrainingFLOP >= 0) {
		v.Add("training_flop", "must be a number of operations, zero or more")
	}
	keys := make([]string, 0, len(p.Facts))
	for k := range p.Facts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if c.facts[k] == nil {
			v.Add("facts."+k, "is not a fact this engine knows; `caio classify --schema` lists them")
		}
	}
	for _, x := range c.Contradicts {
		a, aok := p.Facts[x.Facts[0]]
		b, bok := p.Facts[x.Facts[1]]
		if aok && bok && a && b != x.NegateSecond {
			msg := fmt.Sprintf("contradicts facts.%s: %s", x.Facts[1], x.Message)
			v.Add("facts."+x.Facts[0], msg)
			v.Add("facts."+x.Facts[1], fmt.Sprintf("contradicts facts.%s: %s", x.Facts[0], x.Message))
		}
	}
	if p.AnnexI == "none" {
		for _, k := range []string{"annex_i.product_or_safety_component", "annex_i.third_party_conformity"} {
			if p.Facts[k] {
				v.Add("annex_i", "is none, which contradicts facts."+k+" being true")
				v.Add("facts."+k, "is true, which contradicts annex_i being none")
			}
		}
	}
	return v.Err()
}
