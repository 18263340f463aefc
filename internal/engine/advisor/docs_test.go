package advisor_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/caio-office/caio/internal/engine/advisor"
)

const docPath = "../../../docs/advisor-rules.md"

// generatedDoc is the part of docs/advisor-rules.md made from rules.yaml
// and facts.go.
func generatedDoc() string {
	var b strings.Builder
	b.WriteString("<!-- generated from internal/engine/advisor: run UPDATE_DOCS=1 go test ./internal/engine/advisor -run TestDocs -->\n")
	b.WriteString("### Fields of each kind\n\n")
	for _, k := range advisor.Kinds {
		fmt.Fprintf(&b, "**%s** (variables: %s)\n\n| field | type |\n|---|---|\n", k, strings.Join(advisor.Variables(k), ", "))
		for _, f := range advisor.Fields(k) {
			fmt.Fprintf(&b, "| `%s` | %s |\n", f.Name, f.Type)
		}
		b.WriteString("\n")
	}
	b.WriteString("### Built-in rules\n\n| rule | kind | what to do | due date from | owner role | impact | references |\n|---|---|---|---|---|---|---|\n")
	for _, r := range advisor.BuiltIns() {
		due := r.DueSource
		if due == "" {
			due = "none"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %d | %s |\n", r.ID, r.Kind, r.Title, due, r.OwnerRole, r.Impact, strings.Join(r.References, "; "))
	}
	b.WriteString("\nEach rule in full (statement and condition):\n\n")
	for _, r := range advisor.BuiltIns() {
		fmt.Fprintf(&b, "- `%s`: %s When: `%s`\n", r.ID, r.Statement, strings.Join(strings.Fields(r.When), " "))
	}
	b.WriteString("<!-- end of generated part -->\n")
	return b.String()
}

// TestDocs fails when docs/advisor-rules.md does not match rules.yaml and
// facts.go; UPDATE_DOCS=1 rewrites its generated part.
func TestDocs(t *testing.T) {
	raw, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(raw)
	start := strings.Index(doc, "<!-- generated from internal/engine/advisor")
	end := strings.Index(doc, "<!-- end of generated part -->\n")
	if start < 0 || end < start {
		t.Fatal("docs/advisor-rules.md lacks the generated markers")
	}
	end += len("<!-- end of generated part -->\n")
	want := generatedDoc()
	if doc[start:end] == want {
		return
	}
	if os.Getenv("UPDATE_DOCS") == "1" {
		if err := os.WriteFile(docPath, []byte(doc[:start]+want+doc[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Error("docs/advisor-rules.md is stale: run UPDATE_DOCS=1 go test ./internal/engine/advisor -run TestDocs")
}
