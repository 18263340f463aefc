package report

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"math"
	"strings"
	"time"
)

//go:embed templates
var templates embed.FS

// css is the report's style sheet, inlined so the file stands alone.
var css = func() string {
	b, err := templates.ReadFile("templates/report.css")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// ContentSecurityPolicy is the policy to serve a report's HTML with: no
// scripts, no requests, only its own inline style sheet (by its hash).
var ContentSecurityPolicy = func() string {
	sum := sha256.Sum256([]byte(css))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
}()

var htmlTemplate = template.Must(template.New("report.html").Funcs(template.FuncMap{
	"css":      func() template.CSS { return template.CSS(css) },
	"chart":    chartSVG,
	"stamp":    stamp,
	"notice":   func() string { return Notice },
	"href":     href,
	"sourceID": func(key string) string { return "src-" + key },
	"clip":     clip,
}).ParseFS(templates, "templates/report.html"))

// Options change how a report renders.
type Options struct {
	// BaseURL, when set, makes the links to records absolute, such as
	// https://caio.example.org, so they work from a file or a PDF.
	BaseURL string
}

type htmlData struct {
	*Report
	Base string
}

// WriteHTML renders the report as one self-contained HTML document: inline
// CSS with print rules, SVG charts with their values in text, no scripts.
func WriteHTML(w io.Writer, r *Report, o Options) error {
	return htmlTemplate.Execute(w, htmlData{Report: r, Base: strings.TrimRight(o.BaseURL, "/")})
}

// RenderHTML returns the report's HTML.
func RenderHTML(r *Report, o Options) ([]byte, error) {
	var b bytes.Buffer
	if err := WriteHTML(&b, r, o); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// clip shortens the text of a compact report's table cell: the row header
// (a record's title, followed by its ID and linked to it, so nothing is
// lost) to 120 characters, other cells to 300. Full reports keep all.
func clip(compact bool, col int, s string) string {
	if !compact {
		return s
	}
	n := 300
	if col == 0 {
		n = 120
	}
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return strings.TrimRight(string(r[:n-1]), " ,;:") + "…"
}

func href(base, link string) string {
	if link == "" || !strings.HasPrefix(link, "/") {
		return link
	}
	return base + link
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "no records yet"
	}
	return t.UTC().Format("2006-01-02 15:04 UTC")
}

// chartSVG draws a horizontal bar chart: one row per bar, the label left,
// the bar scaled to the largest value, and the value printed after it so
// nothing depends on colour or length alone. A compact chart is narrower
// and lower, sized for half a page's width at the same type size.
func chartSVG(c Chart, compact bool) template.HTML {
	labelW, barW, rowH, valW, maxLabel := 180.0, 240.0, 18.0, 90.0, 30
	if compact {
		labelW, barW, rowH, valW, maxLabel = 120.0, 130.0, 14.0, 60.0, 20
	}
	width := labelW + barW + valW
	max := 0.0
	for _, b := range c.Bars {
		max = math.Max(max, math.Abs(b.Value))
	}
	h := rowH*float64(len(c.Bars)) + 6
	var s strings.Builder
	fmt.Fprintf(&s, `<svg class="chart" role="img" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" aria-label="%s">`,
		width, h, width, h, template.HTMLEscapeString(c.Title))
	for i, b := range c.Bars {
		y := float64(i)*rowH + 3
		w := 0.0
		if max > 0 {
			w = math.Abs(b.Value) / max * barW
		}
		label := b.Label
		if len([]rune(label)) > maxLabel {
			label = string([]rune(label)[:maxLabel-1]) + "…"
		}
		fmt.Fprintf(&s, `<text x="%.0f" y="%.1f" text-anchor="end" class="lbl">%s</text>`, labelW-6, y+rowH*0.65, template.HTMLEscapeString(label))
		fmt.Fprintf(&s, `<rect x="%.0f" y="%.1f" width="%.1f" height="%.1f" class="bar"><title>%s: %s</title></rect>`,
			labelW, y+3, w, rowH-8, template.HTMLEscapeString(b.Label), template.HTMLEscapeString(b.Display))
		fmt.Fprintf(&s, `<text x="%.1f" y="%.1f" class="val">%s</text>`, labelW+w+6, y+rowH*0.65, template.HTMLEscapeString(b.Display))
	}
	s.WriteString(`</svg>`)
	return template.HTML(s.String())
}
