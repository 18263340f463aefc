package policydoc_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/policydoc"
)

// A policy's text cannot run script in the reader's browser: raw HTML is
// dropped, and links and images to script-running addresses lose them.
func TestRenderIsSafe(t *testing.T) {
	src := "# Policy\n\nRead <script>alert('x')</script> this.\n\n<script>\nalert(1)\n</script>\n\n" +
		"[Click](javascript:alert(1)) and [also](JaVaScRiPt:alert(2)) and [enc](java&#x73;cript:alert(3))\n\n" +
		"![img](data:text/html;base64,PHNjcmlwdD4=) <a href=\"javascript:alert(4)\">raw</a>\n\n" +
		"<javascript:alert(5)> and [ok](https://example.com/) and [rel](/policies) and [mail](mailto:a@b.example)\n\n" +
		"<img src=x onerror=alert(6)>\n"
	out := policydoc.Render(src)
	// The words may remain as text; no element or address may carry them.
	for _, bad := range []string{"<script", `="javascript:`, "onerror=", `="data:`, "alert(4)", "<img src=\"x", "<a href=\"\">"} {
		if strings.Contains(strings.ToLower(out), strings.ToLower(bad)) {
			t.Errorf("rendered policy holds %q:\n%s", bad, out)
		}
	}
	for _, good := range []string{`<h1 id="policy">Policy</h1>`, `<a href="https://example.com/">ok</a>`, `<a href="/policies">rel</a>`, `<a href="mailto:a@b.example">mail</a>`, "Click"} {
		if !strings.Contains(out, good) {
			t.Errorf("rendered policy lacks %q:\n%s", good, out)
		}
	}
}

func TestRenderTables(t *testing.T) {
	out := policydoc.Render("| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~")
	for _, want := range []string{"<table>", "<th>a</th>", "<td>2</td>", "<del>old</del>", `type="checkbox"`} {
		if !strings.Contains(out, want) {
			t.Errorf("render lacks %q:\n%s", want, out)
		}
	}
}

func TestSafeURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://x.example": true, "http://x": true, "mailto:a@b": true, "/p": true, "#s": true, "p/q": true, "": true,
		"javascript:alert(1)": false, " javascript:x": false, "vbscript:x": false, "data:x": false, "file:///etc": false,
		"java\tscript:x": false, "foo:bar/x": false,
	} {
		if got := policydoc.SafeURL(u); got != want {
			t.Errorf("SafeURL(%q) = %v, want %v", u, got, want)
		}
	}
}

func render(lines []caio.DiffLine) string {
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(map[string]string{"same": " ", "add": "+", "del": "-"}[l.Op] + l.Text + "\n")
	}
	return b.String()
}

func TestDiff(t *testing.T) {
	a := "# Title\nkeep\nold line\nshared\nend"
	b := "# Title\nkeep\nnew line\nshared\nadded\nend"
	got := render(policydoc.Diff(a, b))
	want := " # Title\n keep\n-old line\n+new line\n shared\n+added\n end\n"
	if got != want {
		t.Errorf("diff:\n%s\nwant:\n%s", got, want)
	}
	lines := policydoc.Diff(a, b)
	if add, del := policydoc.Counts(lines); add != 2 || del != 1 {
		t.Errorf("counts %d %d", add, del)
	}
	if l := lines[3]; l.Op != "add" || l.New != 3 || l.Old != 0 {
		t.Errorf("line numbers %+v", l)
	}
	if got := render(policydoc.Diff("", "a\nb")); got != "+a\n+b\n" {
		t.Errorf("from empty: %q", got)
	}
	if got := policydoc.Diff("same\n", "same"); len(got) != 1 || got[0].Op != "same" {
		t.Errorf("trailing newline: %+v", got)
	}
}

func TestStarters(t *testing.T) {
	ss := policydoc.Starters()
	kinds := map[string]bool{}
	for _, s := range ss {
		kinds[s.Kind] = true
		if s.Title == "" || s.Body == "" || len(s.References) == 0 || !strings.Contains(s.Body, policydoc.OrgPlaceholder) {
			t.Errorf("starter %s incomplete: %+v", s.Key, s)
		}
		if strings.Contains(policydoc.Adopt(s, "Acme"), policydoc.OrgPlaceholder) {
			t.Errorf("adopting %s leaves the placeholder", s.Key)
		}
	}
	for _, k := range []string{"acceptable_use", "risk_management", "generative_ai", "procurement", "incident_response", "literacy"} {
		if !kinds[k] {
			t.Errorf("no starter of kind %s", k)
		}
	}
	inc, _ := policydoc.Starter("incident-response")
	for _, clock := range []string{"15 days", "2 days", "10 days", "3(49)"} {
		if !strings.Contains(inc.Body, clock) {
			t.Errorf("incident starter lacks %q", clock)
		}
	}
	lit, _ := policydoc.Starter("literacy")
	if !strings.Contains(lit.Body, "Article 4") {
		t.Error("literacy starter does not cite Article 4")
	}
}

// FuzzRender renders any text without panicking and never lets a script
// tag or a javascript: link through.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"# x", "<script>x</script>", "[a](javascript:b)", "<javascript:x>", "![i](data:x)", "| a |\n|--|\n| b |", "<a href='javascript:x'>y</a>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := strings.ToLower(policydoc.Render(s))
		if strings.Contains(out, "<script") {
			t.Fatalf("script tag survives %q: %s", s, out)
		}
		if strings.Contains(out, `href="javascript:`) || strings.Contains(out, `src="javascript:`) {
			t.Fatalf("javascript link survives %q: %s", s, out)
		}
	})
}

// FuzzDiff checks that a diff holds every line of both texts in order.
func FuzzDiff(f *testing.F) {
	f.Add("a\nb\nc", "a\nc\nd")
	f.Add("", "x")
	f.Fuzz(func(t *testing.T, a, b string) {
		lines := policydoc.Diff(a, b)
		var olds, news []string
		for _, l := range lines {
			if l.Op != "add" {
				olds = append(olds, l.Text)
			}
			if l.Op != "del" {
				news = append(news, l.Text)
			}
		}
		split := func(s string) string {
			s = strings.ReplaceAll(s, "\r\n", "\n")
			return strings.TrimSuffix(s, "\n")
		}
		if strings.Join(olds, "\n") != split(a) || strings.Join(news, "\n") != split(b) {
			t.Fatalf("diff of %q and %q does not rebuild them: %+v", a, b, lines)
		}
	})
}
