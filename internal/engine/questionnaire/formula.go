package questionnaire

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Output is a figure a questionnaire computes from its scores with a
// formula, such as a weighted index of two dimensions. Formulas use numbers,
// + - * / and parentheses, the functions min, max and round, and names: a
// dimension's id (its score, 0–100), a scored question's id (its score), a
// number question's id (its answer), and "score" (the overall score).
type Output struct {
	ID      string `json:"id" yaml:"id"`
	Title   string `json:"title" yaml:"title"`
	Formula string `json:"formula" yaml:"formula"`
	Unit    string `json:"unit" yaml:"unit"`
}

// OutputValue is an output computed for a set of answers. Value is nil when
// a name it reads has no value yet (an unanswered question, a dimension
// with no answer) or the formula divides by zero; Missing says which.
type OutputValue struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Formula string   `json:"formula"`
	Unit    string   `json:"unit"`
	Value   *float64 `json:"value"`
	Missing []string `json:"missing,omitempty"`
}

// formula is a parsed formula: a small expression tree.
type formula struct {
	op   byte // 'n' number, 'v' name, '+', '-', '*', '/', 'u' unary minus, 'f' function
	num  float64
	name string
	args []*formula
}

// parseFormula reads a formula, or says what is wrong and where.
func parseFormula(s string) (*formula, error) {
	if len(s) > 1000 {
		return nil, fmt.Errorf("must be at most 1,000 characters")
	}
	p := &formulaParser{src: s}
	f, err := p.expr(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos < len(p.src) {
		return nil, fmt.Errorf("has %q at character %d where an operator or the end was expected", p.src[p.pos:p.pos+1], p.pos+1)
	}
	return f, nil
}

type formulaParser struct {
	src string
	pos int
}

func (p *formulaParser) space() {
	for p.pos < len(p.src) && (p.src[p.pos] == ' ' || p.src[p.pos] == '\t') {
		p.pos++
	}
}

// expr parses a sum; depth bounds nesting so a hostile formula cannot
// exhaust the stack.
func (p *formulaParser) expr(depth int) (*formula, error) {
	if depth > 32 {
		return nil, fmt.Errorf("nests too deep (at most 32 levels)")
	}
	left, err := p.term(depth)
	if err != nil {
		return nil, err
	}
	for {
		p.space()
		if p.pos >= len(p.src) || (p.src[p.pos] != '+' && p.src[p.pos] != '-') {
			return left, nil
		}
		op := p.src[p.pos]
		p.pos++
		right, err := p.term(depth)
		if err != nil {
			return nil, err
		}
		left = &formula{op: op, args: []*formula{left, right}}
	}
}

func (p *formulaParser) term(depth int) (*formula, error) {
	left, err := p.factor(depth)
	if err != nil {
		return nil, err
	}
	for {
		p.space()
		if p.pos >= len(p.src) || (p.src[p.pos] != '*' && p.src[p.pos] != '/') {
			return left, nil
		}
		op := p.src[p.pos]
		p.pos++
		right, err := p.factor(depth)
		if err != nil {
			return nil, err
		}
		left = &formula{op: op, args: []*formula{left, right}}
	}
}

func (p *formulaParser) factor(depth int) (*formula, error) {
	p.space()
	if p.pos >= len(p.src) {
		return nil, fmt.Errorf("ends where a number, a name or ( was expected")
	}
	c := p.src[p.pos]
	switch {
	case c == '-':
		p.pos++
		f, err := p.factor(depth + 1)
		if err != nil {
			return nil, err
		}
		return &formula{op: 'u', args: []*formula{f}}, nil
	case c == '(':
		p.pos++
		f, err := p.expr(depth + 1)
		if err != nil {
			return nil, err
		}
		p.space()
		if p.pos >= len(p.src) || p.src[p.pos] != ')' {
			return nil, fmt.Errorf("misses a ) at character %d", p.pos+1)
		}
		p.pos++
		return f, nil
	case c >= '0' && c <= '9' || c == '.':
		start := p.pos
		for p.pos < len(p.src) && (p.src[p.pos] >= '0' && p.src[p.pos] <= '9' || p.src[p.pos] == '.') {
			p.pos++
		}
		n, err := strconv.ParseFloat(p.src[start:p.pos], 64)
		if err != nil {
			return nil, fmt.Errorf("has %q, which is not a number", p.src[start:p.pos])
		}
		return &formula{op: 'n', num: n}, nil
	case isIDStart(c):
		start := p.pos
		for p.pos < len(p.src) && isIDPart(p.src[p.pos]) {
			p.pos++
		}
		name := p.src[start:p.pos]
		p.space()
		if p.pos < len(p.src) && p.src[p.pos] == '(' {
			if name != "min" && name != "max" && name != "round" {
				return nil, fmt.Errorf("calls %s, which is not a function (min, max and round are)", name)
			}
			p.pos++
			f := &formula{op: 'f', name: name}
			for {
				arg, err := p.expr(depth + 1)
				if err != nil {
					return nil, err
				}
				f.args = append(f.args, arg)
				p.space()
				if p.pos < len(p.src) && p.src[p.pos] == ',' {
					p.pos++
					continue
				}
				if p.pos < len(p.src) && p.src[p.pos] == ')' {
					p.pos++
					break
				}
				return nil, fmt.Errorf("misses a ) after the arguments of %s", name)
			}
			if name == "round" && len(f.args) != 1 {
				return nil, fmt.Errorf("calls round with %d arguments; it takes one", len(f.args))
			}
			return f, nil
		}
		return &formula{op: 'v', name: name}, nil
	}
	return nil, fmt.Errorf("has %q at character %d where a number, a name or ( was expected", string(c), p.pos+1)
}

// names lists the names a formula reads.
func (f *formula) names(out []string) []string {
	if f.op == 'v' {
		return append(out, f.name)
	}
	for _, a := range f.args {
		out = a.names(out)
	}
	return out
}

// eval computes the formula; ok is false when a name has no value or a
// division is by zero.
func (f *formula) eval(value func(string) (float64, bool)) (float64, bool) {
	switch f.op {
	case 'n':
		return f.num, true
	case 'v':
		return value(f.name)
	case 'u':
		x, ok := f.args[0].eval(value)
		return -x, ok
	case 'f':
		var xs []float64
		for _, a := range f.args {
			x, ok := a.eval(value)
			if !ok {
				return 0, false
			}
			xs = append(xs, x)
		}
		switch f.name {
		case "round":
			return math.Round(xs[0]*10) / 10, true
		case "min":
			m := xs[0]
			for _, x := range xs[1:] {
				m = math.Min(m, x)
			}
			return m, true
		default:
			m := xs[0]
			for _, x := range xs[1:] {
				m = math.Max(m, x)
			}
			return m, true
		}
	}
	a, ok1 := f.args[0].eval(value)
	b, ok2 := f.args[1].eval(value)
	if !ok1 || !ok2 {
		return 0, false
	}
	var r float64
	switch f.op {
	case '+':
		r = a + b
	case '-':
		r = a - b
	case '*':
		r = a * b
	case '/':
		if b == 0 {
			return 0, false
		}
		r = a / b
	}
	if math.IsNaN(r) || math.IsInf(r, 0) {
		return 0, false
	}
	return r, true
}

// checkOutputs validates the outputs of a definition: ids, and formulas
// that parse and read only names the definition has.
func checkOutputs(d *Definition, known func(string) bool, add func(path, msg string)) {
	seen := map[string]bool{}
	for i, o := range d.Outputs {
		p := fmt.Sprintf("outputs[%d]", i)
		if o.ID == "" || !idPattern.MatchString(o.ID) {
			add(p+".id", "must start with a letter or _ and use only letters, digits, _ . - (at most 64)")
		} else if seen[o.ID] {
			add(p+".id", "repeats "+o.ID)
		}
		seen[o.ID] = true
		if strings.TrimSpace(o.Title) == "" {
			add(p+".title", "is required")
		}
		f, err := parseFormula(o.Formula)
		if err != nil {
			add(p+".formula", err.Error())
			continue
		}
		for _, n := range f.names(nil) {
			if !known(n) {
				add(p+".formula", "reads "+n+", which is neither a dimension, a scored or number question, nor score")
			}
		}
	}
}

// formulaNames reports whether a formula may read a name in d.
func formulaNames(d *Definition) func(string) bool {
	names := map[string]bool{"score": true}
	for _, dim := range d.Dimensions {
		names[dim.ID] = true
	}
	for _, s := range d.Sections {
		for _, q := range s.Questions {
			if q.Scored() || q.Type == TypeNumber {
				names[q.ID] = true
			}
		}
	}
	return func(n string) bool { return names[n] }
}

// outputs computes the definition's outputs for a result and its answers.
func outputs(d *Definition, r *Result, a Answers, qscore map[string]float64) []OutputValue {
	var out []OutputValue
	dims := map[string]DimensionScore{}
	for _, ds := range r.Dimensions {
		dims[ds.ID] = ds
	}
	for _, o := range d.Outputs {
		ov := OutputValue{ID: o.ID, Title: o.Title, Formula: o.Formula, Unit: o.Unit}
		f, err := parseFormula(o.Formula)
		if err != nil { // Load refuses these; a Definition built in Go may have one
			ov.Missing = []string{err.Error()}
			out = append(out, ov)
			continue
		}
		value := func(n string) (float64, bool) {
			if n == "score" {
				return r.Score, r.Score > 0 || len(r.Dimensions) > 0
			}
			if ds, ok := dims[n]; ok {
				if ds.Answered == 0 {
					ov.Missing = append(ov.Missing, n)
					return 0, false
				}
				return ds.Score, true
			}
			if x, ok := qscore[n]; ok {
				return x, true
			}
			if q := d.Question(n); q != nil && q.Type == TypeNumber {
				if vals := nonBlank(a[n]); len(vals) > 0 {
					if x, err := parseNumber(vals[0]); err == nil {
						return x, true
					}
				}
			}
			ov.Missing = append(ov.Missing, n)
			return 0, false
		}
		if x, ok := f.eval(value); ok {
			x = round1(x)
			ov.Value = &x
		}
		out = append(out, ov)
	}
	return out
}
