// Package policydoc holds what the policy library does with text, without a
// database: it renders a policy's Markdown to safe HTML, compares two
// versions line by line, and ships the starter policies.
package policydoc

import (
	"bytes"
	stdhtml "html"
	"net/url"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// md is the Markdown converter: CommonMark with GitHub's tables,
// strikethrough and task lists, and headings given ids. Raw HTML is left
// out (goldmark's default without html.WithUnsafe), and Render drops links
// and images whose address is not http, https, mailto or relative.
var md = goldmark.New(
	goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
	goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	goldmark.WithRendererOptions(html.WithXHTML()),
)

// Render returns the HTML of a policy's Markdown. The result is safe to
// put in a page as it is: no raw HTML from the text survives, and no link
// or image may point at a javascript:, data: or other script-running
// address.
func Render(src string) string {
	source := []byte(src)
	doc := md.Parser().Parse(text.NewReader(source))
	sanitize(doc, source)
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, source, doc); err != nil {
		// Rendering into a buffer fails only on a broken tree; show the text.
		return "<pre>" + htmlEscape(src) + "</pre>"
	}
	return buf.String()
}

// sanitize unwraps links with an unsafe destination (keeping their text),
// turns unsafe images into their alt text, and removes raw HTML nodes
// outright rather than leave goldmark's comment in their place.
func sanitize(doc ast.Node, source []byte) {
	var unwrap, drop []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch x := n.(type) {
		case *ast.Link:
			if !SafeURL(string(x.Destination)) {
				unwrap = append(unwrap, x)
			}
		case *ast.Image:
			if !SafeURL(string(x.Destination)) {
				unwrap = append(unwrap, x)
			}
		case *ast.AutoLink:
			if !SafeURL(string(x.URL(source))) {
				drop = append(drop, x)
			}
		case *ast.RawHTML, *ast.HTMLBlock:
			drop = append(drop, x)
		}
		return ast.WalkContinue, nil
	})
	for _, n := range unwrap {
		parent := n.Parent()
		if parent == nil {
			continue
		}
		for c := n.FirstChild(); c != nil; {
			next := c.NextSibling()
			parent.InsertBefore(parent, n, c)
			c = next
		}
		parent.RemoveChild(parent, n)
	}
	for _, n := range drop {
		if parent := n.Parent(); parent != nil {
			if a, ok := n.(*ast.AutoLink); ok {
				parent.InsertBefore(parent, n, ast.NewString(a.Label(source)))
			}
			parent.RemoveChild(parent, n)
		}
	}
}

// SafeURL reports whether a link may point at u: an http, https or mailto
// address, or one without a scheme (a path or a fragment).
func SafeURL(u string) bool {
	// Markdown resolves character references in addresses, so check the
	// address a browser would follow.
	u = strings.TrimSpace(stdhtml.UnescapeString(u))
	if u == "" {
		return true
	}
	// Control characters and spaces inside a scheme fool some browsers.
	for _, r := range u {
		if r < 0x20 || r == 0x7f {
			return false
		}
	}
	p, err := url.Parse(u)
	if err != nil {
		return false
	}
	switch strings.ToLower(p.Scheme) {
	case "http", "https", "mailto":
		return true
	case "":
		// No scheme: but "javascript&colon;" style tricks have no colon
		// before the first slash either way, so a colon there is refused.
		first := strings.IndexAny(u, "/?#")
		if first < 0 {
			first = len(u)
		}
		return !strings.Contains(u[:first], ":")
	}
	return false
}

func htmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")
	return r.Replace(s)
}
