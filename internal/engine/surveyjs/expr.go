package surveyjs

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// This file evaluates the subset of SurveyJS conditions that questionnaires
// such as the AIA use in visibleIf and enableIf:
//
//	{question} = 'value'      equality (also ==, equal; <>, !=, notequal)
//	<, <=, >, >=              comparisons of numbers (or of text)
//	contains, notcontains     text inside text, or an item inside a list
//	anyof, allof              against a list such as ['a', 'b']
//	empty, notempty           whether a question has an answer
//	and, or, not (&&, ||, !)  with parentheses
//
// Literals are strings in single or double quotes, numbers, true, false and
// lists. Anything else (functions such as iif(), arithmetic, calculated
// values) is refused when the questionnaire is loaded, naming the question,
// so a condition is never silently misread. Text comparisons ignore case and
// surrounding spaces, as SurveyJS does by default.

// expr is a parsed condition.
type expr struct {
	op   string // "var", "lit", "list", "and", "or", "not", or a comparison
	name string // the question of a "var"
	lit  any    // the value of a "lit"
	args []*expr
}

// maxExprDepth bounds nesting so a hostile condition cannot exhaust the stack.
const maxExprDepth = 100

// binaryOps maps each spelling of a binary comparison to its canonical name.
var binaryOps = map[string]string{
	"=": "=", "==": "=", "equal": "=",
	"<>": "<>", "!=": "<>", "notequal": "<>",
	"<": "<", "less": "<", "<=": "<=", "lessorequal": "<=",
	">": ">", "greater": ">", ">=": ">=", "greaterorequal": ">=",
	"contains": "contains", "contain": "contains", "*=": "contains",
	"notcontains": "notcontains", "notcontain": "notcontains",
	"anyof": "anyof", "allof": "allof",
}

// unaryOps are the operators written after their operand.
var unaryOps = map[string]string{"empty": "empty", "notempty": "notempty"}

type token struct {
	kind string // "var", "str", "num", "word", "sym", "end"
	text string
	pos  int
}

type exprParser struct {
	toks  []token
	i     int
	depth int
}

// parseExpr parses a SurveyJS condition.
func parseExpr(src string) (*expr, error) {
	toks, err := tokenize(src)
	if err != nil {
		return nil, err
	}
	p := &exprParser{toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != "end" {
		return nil, fmt.Errorf("unexpected %s at character %d", describe(t), t.pos+1)
	}
	return e, nil
}

func tokenize(src string) ([]token, error) {
	var toks []token
	r := []rune(src)
	for i := 0; i < len(r); {
		c := r[i]
		switch {
		case unicode.IsSpace(c):
			i++
		case c == '{':
			j := i + 1
			for j < len(r) && r[j] != '}' {
				j++
			}
			if j == len(r) {
				return nil, fmt.Errorf("the question reference at character %d has no closing }", i+1)
			}
			name := strings.TrimSpace(string(r[i+1 : j]))
			if name == "" {
				return nil, fmt.Errorf("empty question reference {} at character %d", i+1)
			}
			toks = append(toks, token{"var", name, i})
			i = j + 1
		case c == '\'' || c == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(r) && r[j] != c; j++ {
				if r[j] == '\\' && j+1 < len(r) {
					j++
				}
				b.WriteRune(r[j])
			}
			if j == len(r) {
				return nil, fmt.Errorf("the text starting at character %d has no closing quote", i+1)
			}
			toks = append(toks, token{"str", b.String(), i})
			i = j + 1
		case unicode.IsDigit(c) || (c == '-' || c == '.') && i+1 < len(r) && unicode.IsDigit(r[i+1]):
			j := i + 1
			for j < len(r) && (unicode.IsDigit(r[j]) || r[j] == '.' || r[j] == 'e' || r[j] == 'E') {
				j++
			}
			toks = append(toks, token{"num", string(r[i:j]), i})
			i = j
		case unicode.IsLetter(c) || c == '_':
			j := i + 1
			for j < len(r) && (unicode.IsLetter(r[j]) || unicode.IsDigit(r[j]) || r[j] == '_') {
				j++
			}
			toks = append(toks, token{"word", strings.ToLower(string(r[i:j])), i})
			i = j
		default:
			sym := string(c)
			if i+1 < len(r) {
				if two := string(r[i : i+2]); two == "==" || two == "<>" || two == "!=" || two == "<=" || two == ">=" || two == "&&" || two == "||" || two == "*=" {
					sym = two
				}
			}
			switch sym {
			case "=", "==", "<>", "!=", "<", "<=", ">", ">=", "&&", "||", "*=", "!", "(", ")", "[", "]", ",":
			default:
				return nil, fmt.Errorf("unsupported operator %q at character %d", sym, i+1)
			}
			toks = append(toks, token{"sym", sym, i})
			i += len([]rune(sym))
		}
	}
	return append(toks, token{kind: "end", pos: len(r)}), nil
}

func describe(t token) string {
	switch t.kind {
	case "end":
		return "end of the condition"
	case "var":
		return "{" + t.text + "}"
	case "str":
		return strconv.Quote(t.text)
	}
	return strconv.Quote(t.text)
}

func (p *exprParser) peek() token { return p.toks[p.i] }
func (p *exprParser) next() token { t := p.toks[p.i]; p.i++; return t }

// is reports whether the next token is one of the words or symbols.
func (p *exprParser) is(alts ...string) bool {
	t := p.peek()
	if t.kind != "word" && t.kind != "sym" {
		return false
	}
	for _, a := range alts {
		if t.text == a {
			return true
		}
	}
	return false
}

func (p *exprParser) enter() error {
	p.depth++
	if p.depth > maxExprDepth {
		return errors.New("the condition nests too deeply")
	}
	return nil
}

func (p *exprParser) or() (*expr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer func() { p.depth-- }()
	left, err := p.and()
	if err != nil {
		return nil, err
	}
	for p.is("or", "||") {
		p.next()
		right, err := p.and()
		if err != nil {
			return nil, err
		}
		left = &expr{op: "or", args: []*expr{left, right}}
	}
	return left, nil
}

func (p *exprParser) and() (*expr, error) {
	left, err := p.not()
	if err != nil {
		return nil, err
	}
	for p.is("and", "&&") {
		p.next()
		right, err := p.not()
		if err != nil {
			return nil, err
		}
		left = &expr{op: "and", args: []*expr{left, right}}
	}
	return left, nil
}

func (p *exprParser) not() (*expr, error) {
	if p.is("not", "!") {
		p.next()
		if err := p.enter(); err != nil {
			return nil, err
		}
		defer func() { p.depth-- }()
		e, err := p.not()
		if err != nil {
			return nil, err
		}
		return &expr{op: "not", args: []*expr{e}}, nil
	}
	return p.comparison()
}

func (p *exprParser) comparison() (*expr, error) {
	left, err := p.operand()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	if t.kind == "word" || t.kind == "sym" {
		if op, ok := unaryOps[t.text]; ok {
			p.next()
			return &expr{op: op, args: []*expr{left}}, nil
		}
		if op, ok := binaryOps[t.text]; ok {
			p.next()
			right, err := p.operand()
			if err != nil {
				return nil, err
			}
			return &expr{op: op, args: []*expr{left, right}}, nil
		}
		if t.kind == "word" && t.text != "and" && t.text != "or" {
			return nil, fmt.Errorf("unsupported operator %q at character %d", t.text, t.pos+1)
		}
	}
	return left, nil
}

func (p *exprParser) operand() (*expr, error) {
	t := p.next()
	switch t.kind {
	case "var":
		return &expr{op: "var", name: t.text}, nil
	case "str":
		return &expr{op: "lit", lit: t.text}, nil
	case "num":
		f, err := strconv.ParseFloat(t.text, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("%q at character %d is not a number", t.text, t.pos+1)
		}
		return &expr{op: "lit", lit: f}, nil
	case "word":
		switch t.text {
		case "true", "false":
			return &expr{op: "lit", lit: t.text == "true"}, nil
		}
		if p.peek().text == "(" && p.peek().kind == "sym" {
			return nil, fmt.Errorf("the function %s() at character %d is not supported", t.text, t.pos+1)
		}
		return nil, fmt.Errorf("unsupported word %q at character %d", t.text, t.pos+1)
	case "sym":
		switch t.text {
		case "(":
			e, err := p.or()
			if err != nil {
				return nil, err
			}
			if c := p.next(); c.kind != "sym" || c.text != ")" {
				return nil, fmt.Errorf("expected ) at character %d, found %s", c.pos+1, describe(c))
			}
			return e, nil
		case "[":
			if err := p.enter(); err != nil {
				return nil, err
			}
			defer func() { p.depth-- }()
			list := &expr{op: "list"}
			if p.is("]") {
				p.next()
				return list, nil
			}
			for {
				item, err := p.operand()
				if err != nil {
					return nil, err
				}
				if item.op != "lit" && item.op != "var" {
					return nil, fmt.Errorf("a list at character %d may hold only texts, numbers and {questions}", t.pos+1)
				}
				list.args = append(list.args, item)
				c := p.next()
				if c.kind == "sym" && c.text == "]" {
					return list, nil
				}
				if c.kind != "sym" || c.text != "," {
					return nil, fmt.Errorf("expected , or ] at character %d, found %s", c.pos+1, describe(c))
				}
			}
		}
	}
	return nil, fmt.Errorf("expected a value at character %d, found %s", t.pos+1, describe(t))
}

// eval returns the value of the expression for the answers.
func (e *expr) eval(a Answers) any {
	switch e.op {
	case "var":
		return a[e.name]
	case "lit":
		return e.lit
	case "list":
		out := make([]any, len(e.args))
		for i, x := range e.args {
			out[i] = x.eval(a)
		}
		return out
	case "and":
		return truthy(e.args[0].eval(a)) && truthy(e.args[1].eval(a))
	case "or":
		return truthy(e.args[0].eval(a)) || truthy(e.args[1].eval(a))
	case "not":
		return !truthy(e.args[0].eval(a))
	case "empty":
		return isEmpty(e.args[0].eval(a))
	case "notempty":
		return !isEmpty(e.args[0].eval(a))
	}
	l, r := e.args[0].eval(a), e.args[1].eval(a)
	switch e.op {
	case "=":
		return equal(l, r)
	case "<>":
		return !equal(l, r)
	case "contains":
		return contains(l, r)
	case "notcontains":
		return isEmpty(l) || !contains(l, r)
	case "anyof":
		if isEmpty(l) {
			return false
		}
		for _, x := range asList(r) {
			if contains(asList(l), x) {
				return true
			}
		}
		return false
	case "allof":
		if isEmpty(l) {
			return false
		}
		for _, x := range asList(r) {
			if !contains(asList(l), x) {
				return false
			}
		}
		return true
	}
	c, ok := compare(l, r)
	if !ok {
		return false
	}
	switch e.op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

// truthy is how a value reads as a condition: no answer is false.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	}
	return true
}

// isEmpty reports whether a value is no answer: missing, empty text or an empty list.
func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return strings.TrimSpace(x) == ""
	case []any:
		return len(x) == 0
	case []string:
		return len(x) == 0
	}
	return false
}

// asList returns a list as it is and wraps any other value in a list.
func asList(v any) []any {
	switch x := v.(type) {
	case []any:
		return x
	case []string:
		out := make([]any, len(x))
		for i, s := range x {
			out[i] = s
		}
		return out
	case nil:
		return nil
	}
	return []any{v}
}

// equal compares two values as SurveyJS does by default: text ignoring case
// and surrounding spaces, a number equal to text that reads as it, and lists
// holding the same items in any order.
func equal(l, r any) bool {
	if isEmpty(l) || isEmpty(r) {
		return isEmpty(l) && isEmpty(r)
	}
	ll, lok := l.([]any)
	rl, rok := r.([]any)
	if lok || rok {
		if !lok || !rok || len(ll) != len(rl) {
			return false
		}
		used := make([]bool, len(rl))
	next:
		for _, x := range ll {
			for j, y := range rl {
				if !used[j] && itemEqual(x, y) {
					used[j] = true
					continue next
				}
			}
			return false
		}
		return true
	}
	if lf, ok := number(l); ok {
		if rf, ok := number(r); ok {
			return lf == rf
		}
	}
	return strings.EqualFold(strings.TrimSpace(toString(l)), strings.TrimSpace(toString(r)))
}

// itemEqual compares two list items. Items that are themselves lists or
// objects (which no questionnaire needs) compare by their printed form, so a
// hostile answer file cannot make the comparison take exponential time.
func itemEqual(x, y any) bool {
	if nested(x) || nested(y) {
		return fmt.Sprint(x) == fmt.Sprint(y)
	}
	return equal(x, y)
}

// nested reports whether a value is a list or an object.
func nested(v any) bool {
	switch v.(type) {
	case []any, map[string]any:
		return true
	}
	return false
}

// contains reports whether text holds text, or a list holds an item (or,
// for a list on the right, every item of it).
func contains(l, r any) bool {
	if isEmpty(l) {
		return false
	}
	if list, ok := l.([]any); ok {
		if want, ok := r.([]any); ok {
			for _, w := range want {
				if !contains(list, w) {
					return false
				}
			}
			return true
		}
		for _, x := range list {
			if itemEqual(x, r) {
				return true
			}
		}
		return false
	}
	if want, ok := r.([]any); ok {
		for _, w := range want {
			if !contains(l, w) {
				return false
			}
		}
		return true
	}
	return strings.Contains(strings.ToLower(toString(l)), strings.ToLower(toString(r)))
}

// compare orders two numbers, or else two texts; ok is false when either is missing.
func compare(l, r any) (int, bool) {
	if isEmpty(l) || isEmpty(r) {
		return 0, false
	}
	if lf, ok := number(l); ok {
		if rf, ok := number(r); ok {
			switch {
			case lf < rf:
				return -1, true
			case lf > rf:
				return 1, true
			}
			return 0, true
		}
	}
	if _, ok := l.([]any); ok {
		return 0, false
	}
	if _, ok := r.([]any); ok {
		return 0, false
	}
	return strings.Compare(strings.ToLower(toString(l)), strings.ToLower(toString(r))), true
}

// number reads a value as a number, accepting text that is one.
func number(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	}
	return 0, false
}

// toString writes a scalar value as text.
func toString(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case nil:
		return ""
	}
	return fmt.Sprint(v)
}
