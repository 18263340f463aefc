package questionnaire

import (
	"fmt"
	"strings"
)

// Limits on a condition, so a hostile definition cannot make the parser
// recurse without end or keep a server busy.
const (
	maxConditionLen   = 2000
	maxConditionDepth = 32
)

// Condition is a parsed visible_if expression. It is built by ParseCondition
// and evaluated against the answers to the questions it names.
//
// The language has three comparisons and one function:
//
//	q3 == 'yes'        the answer to q3 is yes (for a multiple question: yes is among them)
//	q3 != 'no'         the opposite of ==, so it is also true while q3 is unanswered
//	q5 includes 'x'    x is among the answers to the multiple question q5
//	answered(q2)       q2 has an answer
//
// combined with not, and, or (in that order of precedence) and parentheses.
// Strings take single or double quotes.
type Condition struct {
	op    string // "==", "!=", "includes", "answered", "and", "or", "not"
	id    string
	value string
	args  []*Condition
	src   string
}

// ParseCondition reads a condition. The error says what was expected and at
// which character, counted from 1.
func ParseCondition(s string) (*Condition, error) {
	if len(s) > maxConditionLen {
		return nil, fmt.Errorf("is longer than %d characters", maxConditionLen)
	}
	p := &condParser{src: s}
	if err := p.lex(); err != nil {
		return nil, err
	}
	if len(p.toks) == 0 {
		return nil, fmt.Errorf("is empty")
	}
	c, err := p.or(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.toks) {
		t := p.toks[p.pos]
		return nil, fmt.Errorf("unexpected %s at character %d", t.show(), t.at)
	}
	c.src = s
	return c, nil
}

// String returns the condition as it was written.
func (c *Condition) String() string { return c.src }

// Questions returns the ids the condition reads, each once, in order of appearance.
func (c *Condition) Questions() []string {
	var out []string
	seen := map[string]bool{}
	c.walk(func(n *Condition) {
		if n.id != "" && !seen[n.id] {
			seen[n.id] = true
			out = append(out, n.id)
		}
	})
	return out
}

func (c *Condition) walk(f func(*Condition)) {
	f(c)
	for _, a := range c.args {
		a.walk(f)
	}
}

// Eval reports whether the condition holds for the answers. A question
// without an answer, or only blank values, counts as unanswered.
func (c *Condition) Eval(a Answers) bool {
	return c.eval(func(id string) []string { return a[id] })
}

// eval evaluates with a lookup, so Evaluate can hide answers to questions
// that are themselves hidden.
func (c *Condition) eval(get func(string) []string) bool {
	switch c.op {
	case "and":
		for _, a := range c.args {
			if !a.eval(get) {
				return false
			}
		}
		return true
	case "or":
		for _, a := range c.args {
			if a.eval(get) {
				return true
			}
		}
		return false
	case "not":
		return !c.args[0].eval(get)
	case "answered":
		return answered(get(c.id))
	case "==", "includes":
		return hasValue(get(c.id), c.value)
	case "!=":
		return !hasValue(get(c.id), c.value)
	}
	return false
}

func hasValue(vals []string, want string) bool {
	for _, v := range vals {
		if strings.TrimSpace(v) == want {
			return true
		}
	}
	return false
}

// answered reports whether any value is not blank.
func answered(vals []string) bool {
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			return true
		}
	}
	return false
}

type token struct {
	kind string // "id", "str", "op", "(", ")"
	text string
	at   int
}

func (t token) show() string {
	switch t.kind {
	case "str":
		return fmt.Sprintf("string %q", t.text)
	case "id":
		return fmt.Sprintf("%q", t.text)
	}
	return fmt.Sprintf("%q", t.text)
}

type condParser struct {
	src  string
	toks []token
	pos  int
}

func isIDStart(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b == '_'
}

func isIDPart(b byte) bool {
	return isIDStart(b) || b >= '0' && b <= '9' || b == '-' || b == '.'
}

func (p *condParser) lex() error {
	s := p.src
	for i := 0; i < len(s); {
		b := s[i]
		switch {
		case b == ' ' || b == '\t' || b == '\n' || b == '\r':
			i++
		case b == '(' || b == ')':
			p.toks = append(p.toks, token{string(b), string(b), i + 1})
			i++
		case b == '=' || b == '!':
			if i+1 < len(s) && s[i+1] == '=' {
				p.toks = append(p.toks, token{"op", s[i : i+2], i + 1})
				i += 2
				continue
			}
			return fmt.Errorf("unexpected %q at character %d; write == or !=", b, i+1)
		case b == '\'' || b == '"':
			end := strings.IndexByte(s[i+1:], b)
			if end < 0 {
				return fmt.Errorf("the string opened at character %d is not closed", i+1)
			}
			p.toks = append(p.toks, token{"str", s[i+1 : i+1+end], i + 1})
			i += end + 2
		case isIDStart(b):
			j := i + 1
			for j < len(s) && isIDPart(s[j]) {
				j++
			}
			p.toks = append(p.toks, token{"id", s[i:j], i + 1})
			i = j
		default:
			return fmt.Errorf("unexpected %q at character %d", rune(b), i+1)
		}
	}
	return nil
}

func (p *condParser) peek() (token, bool) {
	if p.pos < len(p.toks) {
		return p.toks[p.pos], true
	}
	return token{}, false
}

func (p *condParser) isWord(w string) bool {
	t, ok := p.peek()
	return ok && t.kind == "id" && t.text == w
}

func (p *condParser) end() error {
	return fmt.Errorf("ends too early at character %d", len(p.src)+1)
}

func (p *condParser) or(depth int) (*Condition, error) {
	c, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	if !p.isWord("or") {
		return c, nil
	}
	n := &Condition{op: "or", args: []*Condition{c}}
	for p.isWord("or") {
		p.pos++
		r, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		n.args = append(n.args, r)
	}
	return n, nil
}

func (p *condParser) and(depth int) (*Condition, error) {
	c, err := p.unary(depth)
	if err != nil {
		return nil, err
	}
	if !p.isWord("and") {
		return c, nil
	}
	n := &Condition{op: "and", args: []*Condition{c}}
	for p.isWord("and") {
		p.pos++
		r, err := p.unary(depth)
		if err != nil {
			return nil, err
		}
		n.args = append(n.args, r)
	}
	return n, nil
}

func (p *condParser) unary(depth int) (*Condition, error) {
	if depth > maxConditionDepth {
		return nil, fmt.Errorf("nests deeper than %d levels", maxConditionDepth)
	}
	if p.isWord("not") {
		p.pos++
		c, err := p.unary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Condition{op: "not", args: []*Condition{c}}, nil
	}
	return p.primary(depth)
}

func (p *condParser) primary(depth int) (*Condition, error) {
	t, ok := p.peek()
	if !ok {
		return nil, p.end()
	}
	switch {
	case t.kind == "(":
		p.pos++
		c, err := p.or(depth + 1)
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return c, nil
	case t.kind == "id" && t.text == "answered":
		p.pos++
		if err := p.expect("("); err != nil {
			return nil, err
		}
		id, err := p.ident()
		if err != nil {
			return nil, err
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return &Condition{op: "answered", id: id}, nil
	case t.kind == "id":
		id, err := p.ident()
		if err != nil {
			return nil, err
		}
		o, ok := p.peek()
		if !ok {
			return nil, p.end()
		}
		if !(o.kind == "op" || o.kind == "id" && o.text == "includes") {
			return nil, fmt.Errorf("expected ==, != or includes after %s at character %d, found %s", id, o.at, o.show())
		}
		p.pos++
		v, ok := p.peek()
		if !ok {
			return nil, p.end()
		}
		if v.kind != "str" {
			return nil, fmt.Errorf("expected a quoted value at character %d, found %s", v.at, v.show())
		}
		p.pos++
		return &Condition{op: o.text, id: id, value: v.text}, nil
	}
	return nil, fmt.Errorf("unexpected %s at character %d", t.show(), t.at)
}

var keywords = map[string]bool{"and": true, "or": true, "not": true, "includes": true, "answered": true}

func (p *condParser) ident() (string, error) {
	t, ok := p.peek()
	if !ok {
		return "", p.end()
	}
	if t.kind != "id" || keywords[t.text] {
		return "", fmt.Errorf("expected a question id at character %d, found %s", t.at, t.show())
	}
	p.pos++
	return t.text, nil
}

func (p *condParser) expect(kind string) error {
	t, ok := p.peek()
	if !ok {
		return fmt.Errorf("expected %q but the condition ends", kind)
	}
	if t.kind != kind {
		return fmt.Errorf("expected %q at character %d, found %s", kind, t.at, t.show())
	}
	p.pos++
	return nil
}
