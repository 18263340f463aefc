// Package report renders caio's reports — the board report, the strategy,
// the portfolio, EU AI Act readiness, a system card and the handover pack —
// from a neutral document model into self-contained HTML (with print CSS
// and inline SVG charts), Markdown, and PDF by printing the HTML with
// headless Chromium. It reads no database: internal/app gathers the data
// and fills a Report.
package report

import (
	"slices"
	"strings"
	"time"

	"github.com/caio-office/caio"
)

// Kind names a report.
type Kind string

// The report kinds.
const (
	Board    Kind = "board"
	Strategy Kind = "strategy"
	Folio    Kind = "portfolio"
	EUAIAct  Kind = "euaiact"
	System   Kind = "system"
	Handover Kind = "handover"
)

// KindInfo describes a kind for the reports page and the CLI's help.
type KindInfo struct {
	Kind        Kind
	Title       string
	Description string
	// NeedsSystem is true for the system card, which reports on one system.
	NeedsSystem bool
}

// Kinds lists every report kind in the order the reports page shows them.
var Kinds = []KindInfo{
	{Board, "Board report", "One to three pages for the board: readiness, portfolio value and stages, compliance posture, top risks, incidents and the decisions needed.", false},
	{Strategy, "AI strategy", "The strategy's vision, principles, priorities, budget and the roadmap by quarter.", false},
	{Folio, "Portfolio report", "Every use case ranked by priority, with the roll-up of cost, benefit and NPV by stage and objective.", false},
	{EUAIAct, "EU AI Act readiness", "Per AI system: its class and the reasons for it, the obligations that follow, their status and deadlines.", false},
	{System, "System card", "One AI system: purpose, owner, class with reasons, obligations, risks and incidents.", true},
	{Handover, "Handover pack", "What an incoming CAIO needs: engagement status, deliverables, inventory, open actions and tasks, policies, risks, incidents, decisions and people.", false},
}

// Info returns the description of a kind, and false when there is none.
func Info(k Kind) (KindInfo, bool) {
	i := slices.IndexFunc(Kinds, func(x KindInfo) bool { return x.Kind == k })
	if i < 0 {
		return KindInfo{}, false
	}
	return Kinds[i], true
}

// ParseKind checks a kind's name and returns an EINVALID error naming the
// field "kind" otherwise.
func ParseKind(s string) (Kind, error) {
	if _, ok := Info(Kind(s)); ok {
		return Kind(s), nil
	}
	names := make([]string, len(Kinds))
	for i, k := range Kinds {
		names[i] = string(k.Kind)
	}
	return "", caio.FieldError("kind", "must be one of "+strings.Join(names, ", "))
}

// Format is an output format.
type Format string

// The output formats.
const (
	HTML     Format = "html"
	Markdown Format = "md"
	PDF      Format = "pdf"
)

// Formats lists the formats in the order the reports page offers them.
var Formats = []Format{HTML, PDF, Markdown}

// ParseFormat checks a format's name ("" is html) and returns an EINVALID
// error naming the field "format" otherwise.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case "":
		return HTML, nil
	case HTML, Markdown, PDF:
		return Format(s), nil
	case "markdown":
		return Markdown, nil
	}
	return "", caio.FieldError("format", "must be one of html, pdf, md")
}

// ContentType is the media type of a format.
func (f Format) ContentType() string {
	switch f {
	case Markdown:
		return "text/markdown; charset=utf-8"
	case PDF:
		return "application/pdf"
	}
	return "text/html; charset=utf-8"
}

// Notice is printed on every report.
const Notice = "This report is produced by caio from the organisation's own records. It is not legal advice: check classifications, obligations and deadlines with a qualified advisor before relying on them."

// Report is one document: metadata, sections, and the sources every
// figure refers to.
type Report struct {
	Kind     Kind
	Title    string
	Subtitle string
	Org      string
	OrgSlug  string
	// Generated is when the report was made; DataAsOf the latest change
	// among the records it read.
	Generated time.Time
	DataAsOf  time.Time
	// Versions are the versions of the content the report relies on, such
	// as the EU AI Act engine's.
	Versions []Version
	// Compact prints densely: small type, small charts and the sections
	// marked Half two to a row. The board report is compact, so it fits on
	// one to three A4 pages.
	Compact  bool
	Sections []*Section
	// Sources are the appendix "Where the figures come from".
	Sources []Source
}

// Version is the version of a piece of content.
type Version struct{ Name, Value string }

// Source says where figures come from: a key that figures cite, what it
// is, where to see it in caio (a page path) and the API call that returns it.
type Source struct {
	Key    string
	Label  string
	Page   string
	API    string
	Detail string
}

// Section is a heading with figures, charts, tables, paragraphs and lists.
type Section struct {
	ID      string
	Heading string
	Intro   []string
	Figures []Figure
	Charts  []Chart
	Tables  []Table
	Items   []Item
	// Empty is said when the section has nothing to show.
	Empty string
	// PageBreak starts the section on a new page in print.
	PageBreak bool
	// Half lets a small section share its row with the next half section
	// in a compact report (in print, and on screens wide enough).
	Half bool
}

// Figure is one headline number with its source.
type Figure struct {
	Label  string
	Value  string
	Note   string
	Source string // a Source key
	Link   string // a caio page path
}

// Chart is a horizontal bar chart with its data; the HTML draws it as SVG
// with the values in text beside each bar, Markdown as a table.
type Chart struct {
	Title  string
	Source string
	Bars   []Bar
}

// Bar is one bar of a chart.
type Bar struct {
	Label   string
	Value   float64
	Display string // the value as printed
}

// Table is a table with a caption; the first column is the row header.
type Table struct {
	Caption string
	Source  string
	Columns []string
	Rows    [][]Cell
	// Note follows the table, such as "the first 50 of 1,200 shown".
	Note string
}

// Cell is a table cell; Link makes it point to the record in caio.
type Cell struct {
	Text string
	Link string
	// ID is the record's ID, printed small after the text so every row
	// can be found in caio.
	ID string
}

// LI makes a cell linking to a record, with the record's ID.
func LI(s, link, id string) Cell { return Cell{Text: s, Link: link, ID: id} }

// Item is an entry of a bulleted list.
type Item struct {
	Text   string
	Detail string
	Link   string
	ID     string
}

// T makes a text cell.
func T(s string) Cell { return Cell{Text: s} }

// L makes a cell linking to a caio page.
func L(s, link string) Cell { return Cell{Text: s, Link: link} }

// Add appends a section and returns it.
func (r *Report) Add(s *Section) *Section {
	r.Sections = append(r.Sections, s)
	return s
}

// Cite adds a source unless one with its key is there, and returns the key.
func (r *Report) Cite(s Source) string {
	if !slices.ContainsFunc(r.Sources, func(x Source) bool { return x.Key == s.Key }) {
		r.Sources = append(r.Sources, s)
	}
	return s.Key
}

// Seen moves DataAsOf on to t when t is later.
func (r *Report) Seen(t time.Time) {
	if t.After(r.DataAsOf) {
		r.DataAsOf = t
	}
}

// Filename is the report's download name, such as caio-board-demo.pdf.
func (r *Report) Filename(f Format) string {
	return "caio-" + string(r.Kind) + "-" + safeName(r.OrgSlug) + "." + string(f)
}

func safeName(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' {
			b.WriteRune(c)
		}
	}
	if b.Len() == 0 {
		return "org"
	}
	return b.String()
}
