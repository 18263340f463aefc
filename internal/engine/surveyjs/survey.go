// Package surveyjs reads questionnaires written in the SurveyJS JSON format,
// works out which of their pages and questions a set of answers shows, and
// scores answers under the rule of the Government of Canada's Algorithmic
// Impact Assessment (AIA), whose questionnaire is published in that format.
//
// The questionnaire is brought by the user at run time: caio does not ship
// it, because its sentences belong to its authors. The rule restated in
// shared/reference/practice.md §5 and the data's PROVENANCE.md is what this
// package implements; the comments on ScoreAIA say where the original tool's
// behaviour was matched and on what evidence.
//
// Like every engine under internal/engine, the package is pure: it takes
// bytes and values from its caller and returns values, with no database,
// clock or file access.
package surveyjs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
)

// ScoreType says whether and how a question counts towards an AIA score.
type ScoreType string

// The score types carried by the -RS, -MS and -NS name suffixes.
const (
	// NotScored marks a question that adds nothing to either score: it
	// carries -NS, no suffix at all, or is not a choice question.
	NotScored ScoreType = ""
	// RawScore marks a question that adds to the raw impact (risk) score.
	RawScore ScoreType = "RS"
	// MitigationScore marks a question that adds to the mitigation score.
	MitigationScore ScoreType = "MS"
)

// Text is a piece of questionnaire text in its two languages. SurveyJS
// writes it either as a plain string or as an object with a "default" key
// and one key per other locale; caio keeps the default and the French text.
type Text struct {
	Default string `json:"default,omitempty"`
	FR      string `json:"fr,omitempty"`
}

// In returns the text in lang ("fr" for French; anything else gives the
// default, which is English in the AIA), falling back to the default when
// there is no translation.
func (t Text) In(lang string) string {
	if strings.EqualFold(lang, "fr") && t.FR != "" {
		return t.FR
	}
	return t.Default
}

// Choice is one answer a radiogroup, checkbox or dropdown question offers.
type Choice struct {
	// Value is what an answer file records when the choice is picked.
	Value string `json:"value"`
	// Text is what the person answering reads; the value when the file gives none.
	Text Text `json:"text"`
	// Weight is the number of points the AIA gives the choice: the number
	// after the last "-" of the value ("item2-3" weighs 3), or the value
	// itself when it is a number, and 0 otherwise.
	Weight int `json:"weight"`
}

// Page is one page of a questionnaire.
type Page struct {
	Name        string `json:"name"`
	Title       Text   `json:"title"`
	Description Text   `json:"description"`
	// VisibleIf is the page's SurveyJS condition, empty when it always shows.
	VisibleIf string `json:"visible_if,omitempty"`
	// Questions lists the page's questions in order, those inside panels included.
	Questions []*Question `json:"-"`

	visible *expr
}

// Panel is a group of elements inside a page or inside another panel.
type Panel struct {
	Name      string `json:"name"`
	Title     Text   `json:"title"`
	VisibleIf string `json:"visible_if,omitempty"`
	// Path is where the panel sits in the JSON, such as "pages[2].elements[0]".
	Path string `json:"path"`

	parent  *Panel
	visible *expr
}

// Question is one question (or display element such as "html") of a questionnaire.
type Question struct {
	Name        string   `json:"name"`
	Type        string   `json:"type"`
	Title       Text     `json:"title"`
	Description Text     `json:"description"`
	Choices     []Choice `json:"choices,omitempty"`
	IsRequired  bool     `json:"is_required,omitempty"`
	VisibleIf   string   `json:"visible_if,omitempty"`
	EnableIf    string   `json:"enable_if,omitempty"`
	// Page is the name of the page the question is on.
	Page string `json:"page"`
	// Panels names the panels that hold the question, outermost first.
	Panels []string `json:"panels,omitempty"`
	// Score is the question's AIA score type. Only radiogroup, checkbox and
	// dropdown questions can score; the type comes from the suffix of the
	// question's name, or else of its nearest enclosing panel or page.
	Score ScoreType `json:"score,omitempty"`
	// Path is where the question sits in the JSON, such as "pages[3].elements[0].elements[2]".
	Path string `json:"path"`

	page    *Page
	panel   *Panel
	visible *expr
	enable  *expr
	byValue map[string]int
}

// Max returns the most points the question can give: the largest choice
// weight for a radiogroup or dropdown, the sum of all weights for a
// checkbox, and 0 for a question that does not score.
func (q *Question) Max() int {
	if q.Score == NotScored {
		return 0
	}
	m := 0
	for _, c := range q.Choices {
		if q.Type == "checkbox" {
			m += c.Weight
		} else if c.Weight > m {
			m = c.Weight
		}
	}
	return m
}

// Choice returns the choice with the value, if the question offers it.
func (q *Question) Choice(value string) (Choice, bool) {
	i, ok := q.byValue[value]
	if !ok {
		return Choice{}, false
	}
	return q.Choices[i], true
}

// Survey is a parsed SurveyJS questionnaire.
type Survey struct {
	Title       Text `json:"title"`
	Description Text `json:"description"`
	Pages       []*Page
	Panels      []*Panel
	// Questions lists every question in the order a person meets them.
	Questions []*Question

	byName map[string][]*Question
}

// Question returns the first question with the name, or nil. SurveyJS lets
// two display elements share a name (the AIA repeats one on both copies of
// a page), so Questions may hold more than one.
func (s *Survey) Question(name string) *Question {
	if qs := s.byName[name]; len(qs) > 0 {
		return qs[0]
	}
	return nil
}

// scorableTypes are the question types whose choices carry AIA points.
var scorableTypes = map[string]bool{"radiogroup": true, "checkbox": true, "dropdown": true}

// maxDepth bounds the nesting of panels, so a hostile file cannot exhaust
// the stack; real questionnaires nest two or three levels.
const maxDepth = 64

// Load parses a SurveyJS JSON questionnaire. It accepts pages holding
// "elements" (or the older "questions"), panels nested in them, and a
// questionnaire without pages whose top-level elements form one page. Every
// visibleIf and enableIf condition is parsed here, so an operator caio does
// not evaluate is reported at once rather than guessed at later. Errors are
// EINVALID and name the JSON path of the problem, such as
// "pages[3].elements[2].choices[1]".
func Load(b []byte) (*Survey, error) {
	var root any
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&root); err != nil {
		return nil, caio.Errorf(caio.EINVALID, "The questionnaire is not valid JSON: %s.", describeJSONError(b, err))
	}
	if dec.More() {
		return nil, caio.Errorf(caio.EINVALID, "The questionnaire holds more than one JSON value: %s.", position(b, dec.InputOffset()))
	}
	obj, ok := root.(map[string]any)
	if !ok {
		return nil, caio.Errorf(caio.EINVALID, "The questionnaire must be a JSON object with \"pages\", not %s.", kind(root))
	}
	s := &Survey{byName: map[string][]*Question{}}
	var err error
	if s.Title, err = text(obj["title"], "title"); err != nil {
		return nil, err
	}
	if s.Description, err = text(obj["description"], "description"); err != nil {
		return nil, err
	}
	if pages, ok := obj["pages"]; ok {
		list, ok := pages.([]any)
		if !ok {
			return nil, caio.FieldError("pages", "must be a list of pages, not "+kind(pages))
		}
		for i, p := range list {
			if err := s.loadPage(p, fmt.Sprintf("pages[%d]", i)); err != nil {
				return nil, err
			}
		}
	} else if err := s.loadPage(obj, ""); err != nil {
		return nil, err
	}
	if len(s.Questions) == 0 {
		return nil, caio.FieldError("pages", "hold no questions: is this a SurveyJS questionnaire?")
	}
	return s, nil
}

// loadPage adds the page at path (the root object itself when path is empty).
func (s *Survey) loadPage(v any, path string) error {
	obj, ok := v.(map[string]any)
	if !ok {
		return caio.FieldError(path, "must be a page object, not "+kind(v))
	}
	pg := &Page{}
	var err error
	at := func(k string) string { return join(path, k) }
	if pg.Name, err = str(obj["name"], at("name")); err != nil {
		return err
	}
	if pg.Name == "" {
		pg.Name = "page" + strconv.Itoa(len(s.Pages)+1)
	}
	if path != "" {
		if pg.Title, err = text(obj["title"], at("title")); err != nil {
			return err
		}
		if pg.Description, err = text(obj["description"], at("description")); err != nil {
			return err
		}
		if pg.VisibleIf, pg.visible, err = condition(obj["visibleIf"], at("visibleIf"), "page "+strconv.Quote(pg.Name)); err != nil {
			return err
		}
	}
	s.Pages = append(s.Pages, pg)
	return s.loadElements(obj, path, pg, nil, 0)
}

// loadElements adds the elements (or questions) of the page or panel object at path.
func (s *Survey) loadElements(obj map[string]any, path string, pg *Page, parent *Panel, depth int) error {
	if depth > maxDepth {
		return caio.FieldError(path, fmt.Sprintf("nests panels more than %d deep", maxDepth))
	}
	for _, key := range []string{"elements", "questions"} {
		v, ok := obj[key]
		if !ok {
			continue
		}
		list, ok := v.([]any)
		if !ok {
			return caio.FieldError(join(path, key), "must be a list of elements, not "+kind(v))
		}
		for i, e := range list {
			if err := s.loadElement(e, fmt.Sprintf("%s[%d]", join(path, key), i), pg, parent, depth); err != nil {
				return err
			}
		}
	}
	return nil
}

// loadElement adds one panel or question.
func (s *Survey) loadElement(v any, path string, pg *Page, parent *Panel, depth int) error {
	obj, ok := v.(map[string]any)
	if !ok {
		return caio.FieldError(path, "must be an element object, not "+kind(v))
	}
	at := func(k string) string { return join(path, k) }
	typ, err := str(obj["type"], at("type"))
	if err != nil {
		return err
	}
	if typ == "" {
		return caio.FieldError(at("type"), "is missing: every element needs a type such as radiogroup or panel")
	}
	name, err := str(obj["name"], at("name"))
	if err != nil {
		return err
	}
	who := typ + " " + strconv.Quote(name)
	if typ == "panel" {
		p := &Panel{Name: name, Path: path, parent: parent}
		if p.Title, err = text(obj["title"], at("title")); err != nil {
			return err
		}
		if p.VisibleIf, p.visible, err = condition(obj["visibleIf"], at("visibleIf"), who); err != nil {
			return err
		}
		s.Panels = append(s.Panels, p)
		return s.loadElements(obj, path, pg, p, depth+1)
	}
	if name == "" {
		return caio.FieldError(at("name"), "is missing: every question needs a name, which answer files use as its key")
	}
	q := &Question{Name: name, Type: typ, Page: pg.Name, Path: path, page: pg, panel: parent}
	for p := parent; p != nil; p = p.parent {
		q.Panels = append([]string{p.Name}, q.Panels...)
	}
	if q.Title, err = text(obj["title"], at("title")); err != nil {
		return err
	}
	if q.Description, err = text(obj["description"], at("description")); err != nil {
		return err
	}
	if r, ok := obj["isRequired"]; ok {
		if q.IsRequired, ok = r.(bool); !ok {
			return caio.FieldError(at("isRequired"), "must be true or false, not "+kind(r))
		}
	}
	if q.VisibleIf, q.visible, err = condition(obj["visibleIf"], at("visibleIf"), who); err != nil {
		return err
	}
	if q.EnableIf, q.enable, err = condition(obj["enableIf"], at("enableIf"), who); err != nil {
		return err
	}
	if c, ok := obj["choices"]; ok {
		list, ok := c.([]any)
		if !ok {
			return caio.FieldError(at("choices"), "must be a list of choices, not "+kind(c))
		}
		q.byValue = make(map[string]int, len(list))
		for i, item := range list {
			ch, err := choice(item, fmt.Sprintf("%s[%d]", at("choices"), i))
			if err != nil {
				return err
			}
			if _, dup := q.byValue[ch.Value]; !dup {
				q.byValue[ch.Value] = len(q.Choices)
			}
			q.Choices = append(q.Choices, ch)
		}
	}
	if scorableTypes[typ] {
		q.Score = scoreType(q)
	}
	pg.Questions = append(pg.Questions, q)
	s.Questions = append(s.Questions, q)
	s.byName[name] = append(s.byName[name], q)
	return nil
}

// scoreType reads the -RS/-MS/-NS suffix of the question's name, or else of
// its nearest enclosing panel, or else of its page. The original tool looks
// only at the question and its direct parent; for the AIA, whose scored
// questions all sit directly in a suffixed panel, the two agree.
func scoreType(q *Question) ScoreType {
	names := []string{q.Name}
	for p := q.panel; p != nil; p = p.parent {
		names = append(names, p.Name)
	}
	names = append(names, q.Page)
	for _, n := range names {
		switch {
		case strings.HasSuffix(n, "-RS"):
			return RawScore
		case strings.HasSuffix(n, "-MS"):
			return MitigationScore
		case strings.HasSuffix(n, "-NS"):
			return NotScored
		}
	}
	return NotScored
}

// choice reads one choice: a bare value or an object with value and text.
func choice(v any, path string) (Choice, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		val, err := scalar(v, path)
		if err != nil {
			return Choice{}, err
		}
		return Choice{Value: val, Text: Text{Default: val}, Weight: weight(v)}, nil
	}
	raw, ok := obj["value"]
	if !ok {
		return Choice{}, caio.FieldError(join(path, "value"), "is missing: a choice needs the value answer files record")
	}
	val, err := scalar(raw, join(path, "value"))
	if err != nil {
		return Choice{}, err
	}
	t, err := text(obj["text"], join(path, "text"))
	if err != nil {
		return Choice{}, err
	}
	if t.Default == "" {
		t.Default = val
	}
	return Choice{Value: val, Text: t, Weight: weight(raw)}, nil
}

// weight returns the AIA points of a choice value or an answer: a number
// counts as itself, and a string counts the whole number after its last
// "-" ("item1-3" is 3); anything else, or a suffix that is not a whole
// number, counts 0, as in the original tool.
func weight(v any) int {
	switch x := v.(type) {
	case float64:
		if x == float64(int(x)) && x > -1e9 && x < 1e9 {
			return int(x)
		}
	case string:
		i := strings.LastIndexByte(x, '-')
		if i < 0 {
			return 0
		}
		n, err := strconv.Atoi(strings.TrimSpace(x[i+1:]))
		if err == nil && n > -1e9 && n < 1e9 {
			return n
		}
	}
	return 0
}

// scalar returns a choice value as a string: strings as they are, numbers
// and booleans as JSON writes them.
func scalar(v any, path string) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(x), nil
	}
	return "", caio.FieldError(path, "must be a string or a number, not "+kind(v))
}

// text reads a bilingual text: a string, or an object with "default" (or
// "en") and "fr". A missing text is empty.
func text(v any, path string) (Text, error) {
	switch x := v.(type) {
	case nil:
		return Text{}, nil
	case string:
		return Text{Default: x}, nil
	case map[string]any:
		var t Text
		for _, k := range []string{"default", "en"} {
			if s, ok := x[k].(string); ok && s != "" {
				t.Default = s
				break
			}
		}
		t.FR, _ = x["fr"].(string)
		for k, val := range x {
			if _, ok := val.(string); !ok {
				return Text{}, caio.FieldError(join(path, k), "must be a string, not "+kind(val))
			}
		}
		return t, nil
	}
	return Text{}, caio.FieldError(path, "must be a string or an object of translations, not "+kind(v))
}

// str reads an optional string.
func str(v any, path string) (string, error) {
	switch x := v.(type) {
	case nil:
		return "", nil
	case string:
		return x, nil
	}
	return "", caio.FieldError(path, "must be a string, not "+kind(v))
}

// condition reads and parses an optional SurveyJS condition; who names the
// element in the error, since a user finds a question by its name.
func condition(v any, path, who string) (string, *expr, error) {
	src, err := str(v, path)
	if err != nil || strings.TrimSpace(src) == "" {
		return "", nil, err
	}
	e, err := parseExpr(src)
	if err != nil {
		return "", nil, caio.FieldError(path, fmt.Sprintf("of %s cannot be evaluated: %s", who, err.Error()))
	}
	return src, e, nil
}

// join appends a key to a JSON path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// kind names a JSON value's type for an error message.
func kind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "true or false"
	case []any:
		return "a list"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// describeJSONError turns a decoding error into a sentence that names the
// line and column, which is how people find a mistake in a text editor.
func describeJSONError(b []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		// The offset counts the offending byte as read; people want it pointed at.
		return position(b, syn.Offset-1) + ": " + strings.TrimPrefix(syn.Error(), "json: ")
	case errors.As(err, &typ):
		return position(b, typ.Offset) + ": " + strings.TrimPrefix(typ.Error(), "json: ")
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return position(b, int64(len(b))) + ": the document ends too early"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// position writes a byte offset as "line L, column C" (both from 1,
// columns counted in characters).
func position(b []byte, off int64) string {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	if off < 0 {
		off = 0
	}
	before := b[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := len([]rune(string(before[bytes.LastIndexByte(before, '\n')+1:]))) + 1
	return fmt.Sprintf("line %d, column %d", line, col)
}
