package advisor

import (
	"strings"
	"unicode/utf8"
)

// segment is a piece of a template: literal text, or a placeholder whose
// expression starts at line and col (both from 1) of the template.
type segment struct {
	text      string
	expr      string
	line, col int
	isExpr    bool
}

// templateError is a problem with a template at a position.
type templateError struct {
	line, col int
	msg       string
}

// parseTemplate splits a template into text and placeholders. {{ and }}
// stand for literal braces; a placeholder cannot contain braces.
func parseTemplate(s string) ([]segment, *templateError) {
	var segs []segment
	var text strings.Builder
	line, col := 1, 1
	advance := func(r rune) {
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '{' && strings.HasPrefix(s[i:], "{{"):
			text.WriteByte('{')
			col += 2
			i += 2
		case r == '}' && strings.HasPrefix(s[i:], "}}"):
			text.WriteByte('}')
			col += 2
			i += 2
		case r == '}':
			return nil, &templateError{line, col, "a } without a { before it: write }} for a literal brace"}
		case r == '{':
			startLine, startCol := line, col
			advance(r)
			j := i + 1
			for ; j < len(s); j++ {
				if s[j] == '}' {
					break
				}
				if s[j] == '{' {
					return nil, &templateError{startLine, startCol, "a placeholder cannot contain { : close it with } first"}
				}
			}
			if j == len(s) {
				return nil, &templateError{startLine, startCol, "this { is not closed by a }: write {{ for a literal brace"}
			}
			expr := s[i+1 : j]
			if strings.TrimSpace(expr) == "" {
				return nil, &templateError{startLine, startCol, "the placeholder {} is empty: put a field name in it, such as {name}"}
			}
			if text.Len() > 0 {
				segs = append(segs, segment{text: text.String()})
				text.Reset()
			}
			segs = append(segs, segment{expr: expr, line: startLine, col: startCol + 1, isExpr: true})
			for _, c := range expr {
				advance(c)
			}
			advance('}')
			i = j + 1
		default:
			text.WriteString(s[i : i+size])
			advance(r)
			i += size
		}
	}
	if text.Len() > 0 {
		segs = append(segs, segment{text: text.String()})
	}
	return segs, nil
}

// isIdent reports whether s is a bare identifier such as name or due_date.
func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		if c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (i > 0 && c >= '0' && c <= '9') {
			continue
		}
		return false
	}
	return true
}
