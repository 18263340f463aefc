package euaiact

import (
	"fmt"
	"strings"
)

// Cond is a condition over facts: a fact key, or all/any/not of conditions.
// It is read from YAML as a string or a one-key map.
type Cond struct {
	Fact string
	All  []*Cond
	Any  []*Cond
	Not  *Cond
}

// UnmarshalYAML reads "fact", {all: [...]}, {any: [...]} or {not: ...}.
func (c *Cond) UnmarshalYAML(unmarshal func(any) error) error {
	var v any
	if err := unmarshal(&v); err != nil {
		return err
	}
	x, err := condFrom(v)
	if err != nil {
		return err
	}
	*c = *x
	return nil
}

func condFrom(v any) (*Cond, error) {
	switch t := v.(type) {
	case string:
		if t == "" {
			return nil, fmt.Errorf("empty fact key in condition")
		}
		return &Cond{Fact: t}, nil
	case map[string]any:
		if len(t) != 1 {
			return nil, fmt.Errorf("a condition map needs exactly one of all, any, not")
		}
		for k, sub := range t {
			switch k {
			case "all", "any":
				list, ok := sub.([]any)
				if !ok || len(list) == 0 {
					return nil, fmt.Errorf("%s needs a non-empty list", k)
				}
				out := make([]*Cond, len(list))
				for i, e := range list {
					c, err := condFrom(e)
					if err != nil {
						return nil, err
					}
					out[i] = c
				}
				if k == "all" {
					return &Cond{All: out}, nil
				}
				return &Cond{Any: out}, nil
			case "not":
				c, err := condFrom(sub)
				if err != nil {
					return nil, err
				}
				return &Cond{Not: c}, nil
			}
			return nil, fmt.Errorf("unknown condition operator %q", k)
		}
	}
	return nil, fmt.Errorf("a condition is a fact key or a map, not %T", v)
}

// MarshalJSON writes the condition in the form it is read.
func (c *Cond) MarshalJSON() ([]byte, error) {
	return []byte(c.String()), nil
}

// String renders the condition as JSON-like text.
func (c *Cond) String() string {
	var b strings.Builder
	c.write(&b)
	return b.String()
}

func (c *Cond) write(b *strings.Builder) {
	switch {
	case c.Fact != "":
		fmt.Fprintf(b, "%q", c.Fact)
	case c.Not != nil:
		b.WriteString(`{"not":`)
		c.Not.write(b)
		b.WriteString("}")
	default:
		op, list := "all", c.All
		if c.Any != nil {
			op, list = "any", c.Any
		}
		fmt.Fprintf(b, `{"%s":[`, op)
		for i, x := range list {
			if i > 0 {
				b.WriteString(",")
			}
			x.write(b)
		}
		b.WriteString("]}")
	}
}

func (c *Cond) walk(fn func(string)) {
	switch {
	case c.Fact != "":
		fn(c.Fact)
	case c.Not != nil:
		c.Not.walk(fn)
	default:
		for _, x := range c.All {
			x.walk(fn)
		}
		for _, x := range c.Any {
			x.walk(fn)
		}
	}
}

// isDerived reports whether a key names a fact the engine computes.
func isDerived(key string) bool {
	return strings.HasPrefix(key, "is.") || strings.HasPrefix(key, "role.")
}

// tri is a three-valued truth: facts may be unknown.
type tri int8

const (
	no      tri = -1
	unknown tri = 0
	yes     tri = 1
)

func (t tri) value() any {
	switch t {
	case yes:
		return true
	case no:
		return false
	}
	return nil
}

func triOf(v bool) tri {
	if v {
		return yes
	}
	return no
}

// outcomeOf is the trace outcome of a rule whose condition has value t.
func outcomeOf(t tri) string {
	switch t {
	case yes:
		return OutcomeApplies
	case no:
		return OutcomeNot
	}
	return OutcomeUnknown
}
