package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// TestInventory walks through the AI inventory and the EU AI Act
// classification in headless Chromium, against the real binary serving the
// demo: sign in as the demo owner, read and filter the list of AI systems,
// record a new system through the form, classify it with the guided
// questionnaire (partly by keyboard) as a prohibited practice, read the saved
// classification with its trace, and find the new class on the list. No page
// may write an error to the console.
func TestInventory(t *testing.T) {
	chromium := inventoryChromium(t)
	eachDatabase(t, func(t *testing.T, db database) {
		start := time.Now()
		testInventory(t, db, chromium)
		t.Logf("%s: inventory flow took %s", db.Name, time.Since(start).Round(time.Millisecond))
	})
}

// inventoryChromium finds Chromium as TestBrowser does: skip without it,
// fail under CI.
func inventoryChromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err == nil {
		return chromiumPath
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		msg := "chromium is not installed (apt-get install chromium); skipping the browser test"
		if underCI() {
			t.Fatal(msg + " — under CI it must run")
		}
		t.Skip(msg)
	}
	return p
}

// demoDatabase is db served with the demo loaded (caio serve --demo).
func demoDatabase(db database) database {
	return database{Name: db.Name, Args: append(slices.Clone(db.Args), "--demo")}
}

// listedSystem is one row of the AI systems list.
type listedSystem struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Class string `json:"class"`
}

// systemRows reads the AI systems table of /systems, finding the columns by
// their headings.
func (b *browser) systemRows() []listedSystem {
	b.t.Helper()
	raw := b.evalString(`(() => {
		const t = document.querySelector("main table.systems");
		if (!t) return "[]";
		const heads = [...t.tHead.rows[0].cells].map(c => c.textContent.trim());
		const ni = heads.indexOf("AI system"), ci = heads.indexOf("EU AI Act class");
		if (ni < 0 || ci < 0) return "null";
		return JSON.stringify([...t.tBodies[0].rows].map(r => {
			const a = r.cells[ni].querySelector("a");
			return {
				id: a ? a.getAttribute("href").replace(/^\/systems\//, "") : "",
				name: a ? a.textContent.trim() : "",
				class: r.cells[ci].textContent.trim(),
			};
		}));
	})()`)
	var rows []listedSystem
	if err := json.Unmarshal([]byte(raw), &rows); err != nil || rows == nil {
		b.fail("the AI systems table has no \"AI system\" and \"EU AI Act class\" columns (%s, %v)", raw, err)
	}
	return rows
}

// radio is the selector of the answer to a yes/no question of the
// questionnaire.
func radio(fact, answer string) string {
	return fmt.Sprintf(`main form.questionnaire input[type="radio"][name="fact.%s"][value="%s"]`, fact, answer)
}

// checked reports whether the input sel finds is there and checked.
func (b *browser) checked(sel string) bool {
	b.t.Helper()
	return b.evalBool(`(() => { const e = document.querySelector(` + jsString(sel) + `); return !!e && e.checked; })()`)
}

// exists reports whether sel finds an element.
func (b *browser) exists(sel string) bool {
	b.t.Helper()
	return b.evalBool(`document.querySelector(` + jsString(sel) + `) !== null`)
}

// focused names the element that has the keyboard focus as name=value.
func (b *browser) focused() string {
	b.t.Helper()
	return b.evalString(`(() => { const e = document.activeElement; return e && e.name ? e.name + "=" + e.value : (e ? e.tagName : ""); })()`)
}

// resultSoFar is the text of the questionnaire's "Result so far" box.
func (b *browser) resultSoFar() string {
	b.t.Helper()
	return strings.Join(strings.Fields(b.text(`main section.result-box`)), " ")
}

// consoleWatch collects what the pages of a tab write to the console.
type consoleWatch struct {
	mu   sync.Mutex
	msgs []chromedp.ConsoleMessage
}

// watchConsole starts collecting the console messages of b's tab until the
// browser closes.
func watchConsole(b *browser) *consoleWatch {
	w := &consoleWatch{}
	msgs := chromedp.Console(b.ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			w.mu.Lock()
			w.msgs = append(w.msgs, m)
			w.mu.Unlock()
		}
	}()
	return w
}

// settle writes a mark to the console of the page b shows and waits until
// it has arrived, so every message the pages wrote before it has too.
func (w *consoleWatch) settle(b *browser) {
	b.t.Helper()
	mark := fmt.Sprintf("caio-e2e-console-mark-%d", time.Now().UnixNano())
	b.evalString(`(console.debug(` + jsString(mark) + `), "")`)
	seen := func() bool {
		w.mu.Lock()
		defer w.mu.Unlock()
		return slices.ContainsFunc(w.msgs, func(m chromedp.ConsoleMessage) bool { return m.Text == mark })
	}
	for deadline := time.Now().Add(10 * time.Second); !seen(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			b.fail("the console mark %q did not arrive within 10 s", mark)
		}
	}
}

// errors returns the errors and uncaught exceptions seen so far.
func (w *consoleWatch) errors() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, m := range w.msgs {
		if m.Type == chromedp.ConsoleError || m.IsException() {
			out = append(out, fmt.Sprintf("%s (%s, source %q)", m, m.URL, m.Source))
		}
	}
	return out
}

func testInventory(t *testing.T, db database, chromium string) {
	s := startServer(t, demoDatabase(db))
	b := newBrowser(t, chromium, s)
	console := watchConsole(b)

	// 1. Sign in as the demo owner of Northwind Mutual.
	b.navigate(s.Base + "/login")
	b.expectText("main h1", "Sign in to caio")
	b.do("fill the sign-in form",
		chromedp.SendKeys(chromedp.ID("f-email"), "demo@caio.example"),
		chromedp.SendKeys(chromedp.ID("f-password"), "demo-password-123"),
	)
	b.submit("sign in", `form[action="/login"] button[type="submit"]`, 200)
	b.expectPath("/")
	b.expectText("main h1", "Northwind Mutual")
	if role := b.text(`header .who .badge`); role != "owner" {
		b.fail("the header says the demo user is %q in Northwind Mutual, want owner", role)
	}

	// 2. The AI inventory lists Northwind's systems with their classes.
	b.submit("open AI inventory", `nav.side a[href="/systems"]`, 200)
	b.expectText("main h1", "AI inventory")
	all := b.systemRows()
	byName := map[string]listedSystem{}
	classes := map[string]int{}
	for _, r := range all {
		byName[r.Name] = r
		classes[r.Class]++
	}
	for _, name := range []string{"Claims triage assistant", "Life insurance pricing model", "Customer service chatbot", "CV screening", "Claims fraud detection", "Broker submission reader"} {
		if _, ok := byName[name]; !ok {
			b.fail("the AI systems list lacks the demo system %q; it lists %v", name, all)
		}
	}
	for _, class := range []string{"High-risk", "Transparency duties", "Minimal risk", "Not classified"} {
		if classes[class] == 0 {
			b.fail("no demo system is listed as %q; the list has %v", class, all)
		}
	}

	// Filter by class: open "Search and filter", choose High-risk, Apply.
	b.do("open Search and filter",
		chromedp.Click(chromedp.CSS(`main details.filter-box > summary`)),
		chromedp.WaitVisible(chromedp.ID("s-class")),
		chromedp.SetValue(chromedp.ID("s-class"), "high_risk"),
	)
	b.submit("apply the class filter", `main form[role="search"] button[type="submit"]`, 200)
	b.expectPath("/systems")
	if loc := b.evalString(`location.search`); !strings.Contains(loc, "class=high_risk") {
		b.fail("after Apply the query is %q, want class=high_risk in it", loc)
	}
	high := b.systemRows()
	if len(high) != classes["High-risk"] {
		b.fail("filtered by High-risk the list has %d systems (%v), want the %d High-risk ones", len(high), high, classes["High-risk"])
	}
	for _, r := range high {
		if r.Class != "High-risk" {
			b.fail("filtered by High-risk the list shows %q as %q", r.Name, r.Class)
		}
	}
	if got := b.text(`main details.filter-box > summary .badge`); got != "filtered" {
		b.fail("the filter box says %q, want it marked filtered", got)
	}

	// 3. A new AI system through the form.
	b.submit("open New AI system", `main a[href="/systems/new"]`, 200)
	b.expectText("main h1", "New AI system")
	name := "Emotion check-in"
	b.do("fill the AI system form",
		chromedp.SendKeys(chromedp.ID("f-name"), name),
		chromedp.SendKeys(chromedp.ID("f-purpose"), "Reads the faces of call-centre staff at the start of each shift to gauge their mood for team leaders."),
		chromedp.Click(chromedp.CSS(`main input[type="checkbox"][name="roles"][value="deployer"]`)),
		chromedp.SendKeys(chromedp.ID("f-countries"), "DE"),
	)
	b.submit("save the AI system", `main form button[type="submit"]`, 200)
	b.expectText("main h1", name)
	m := regexp.MustCompile(`^/systems/([^/]+)$`).FindStringSubmatch(b.path())
	if m == nil {
		b.fail("after saving, the page is %s, want /systems/{id}", b.path())
	}
	id := m[1]
	t.Logf("%s: created AI system %s", db.Name, id)
	if got := b.text(`#classification`); !strings.Contains(got, "Not classified yet") {
		b.fail("the new system's card says %q about its classification, want Not classified yet", got)
	}

	// 4. The guided questionnaire.
	classify := fmt.Sprintf(`#classification a.button[href="/systems/%s/classify"]`, id)
	if got := b.text(classify); got != "Classify under the EU AI Act" {
		b.fail("the classify button says %q, want Classify under the EU AI Act", got)
	}
	b.submit("press Classify under the EU AI Act", classify, 200)
	b.expectText("main h1", "Classify "+name+" under the EU AI Act")
	if !b.checked(`main form.questionnaire input[type="checkbox"][name="roles"][value="deployer"]`) {
		b.fail("the questionnaire does not start from the inventory's role deployer")
	}
	if !b.checked(radio("scope.eu_nexus", "yes")) {
		b.fail("the questionnaire does not take the EU nexus from the inventory's country DE")
	}
	definition := []string{"definition.machine_based", "definition.autonomy", "definition.infers", "definition.outputs_influence"}
	for _, f := range definition {
		b.do("answer "+f+" yes", chromedp.Click(chromedp.CSS(radio(f, "yes"))))
	}
	update := `main form.questionnaire button[type="submit"][name="action"][value="preview"]`
	if got := b.text(update); got != "Update the result and questions" {
		b.fail("the update button says %q", got)
	}
	b.submit("update after the definition", update, 200)
	for _, f := range definition {
		if !b.checked(radio(f, "yes")) {
			b.fail("after the update the answer yes to %s is lost", f)
		}
	}
	if got := b.resultSoFar(); !strings.HasPrefix(got, "Result so far") || strings.Contains(got, "Prohibited") {
		b.fail("after the definition the result says %q, want a result that is not yet Prohibited", got)
	}

	// Emotions inferred from biometric data (by mouse), used in the workplace
	// (by keyboard: Tab from the answer before into this radio group, then
	// the arrow keys move the choice from Don't know through No to Yes).
	b.do("answer that it infers emotions",
		chromedp.Click(chromedp.CSS(radio("art5.f.infers_emotions", "yes"))),
		chromedp.Focus(chromedp.CSS(radio("art5.f.infers_emotions", "yes"))),
		chromedp.KeyEvent(kb.Tab),
	)
	if got := b.focused(); got != "fact.art5.f.workplace_or_education=unknown" {
		b.fail("Tab from the emotions answer focuses %q, want the checked Don't know of the workplace question", got)
	}
	b.do("press the up arrow", chromedp.KeyEvent(kb.ArrowUp))
	if got := b.focused(); got != "fact.art5.f.workplace_or_education=no" || !b.checked(radio("art5.f.workplace_or_education", "no")) {
		b.fail("the up arrow in the workplace question focuses %q, want No focused and chosen", got)
	}
	b.do("press the up arrow again", chromedp.KeyEvent(kb.ArrowUp))
	if got := b.focused(); got != "fact.art5.f.workplace_or_education=yes" || !b.checked(radio("art5.f.workplace_or_education", "yes")) {
		b.fail("the second up arrow focuses %q, want Yes focused and chosen", got)
	}
	b.submit("update after the emotion questions", update, 200)
	if got := b.resultSoFar(); !strings.Contains(got, "Prohibited art5:1(f)") || !strings.Contains(got, "(Art 5(1)(f))") {
		b.fail("after the emotion questions the result says %q, want Prohibited with art5:1(f) and a reason citing Art 5(1)(f)", got)
	}
	for _, f := range []string{"art5.f.infers_emotions", "art5.f.workplace_or_education"} {
		if !b.checked(radio(f, "yes")) {
			b.fail("after the update the answer yes to %s is lost", f)
		}
	}

	// The medical or safety exception is asked now; answer No with Space.
	medicalNo := radio("art5.f.medical_or_safety", "no")
	if !b.exists(medicalNo) {
		b.fail("the questionnaire does not ask the medical or safety exception (art5.f.medical_or_safety) once emotions at work are answered yes")
	}
	b.do("answer No to the medical or safety exception with Space",
		chromedp.Focus(chromedp.CSS(medicalNo)),
		chromedp.KeyEvent(" "),
	)
	if !b.checked(medicalNo) {
		b.fail("Space on No of the medical or safety question did not choose it")
	}
	b.submit("update after the exception", update, 200)
	sofar := b.resultSoFar()
	if !strings.Contains(sofar, "Prohibited art5:1(f)") || !strings.Contains(sofar, "(Art 5(1)(f))") || !strings.Contains(sofar, "not legal advice") {
		b.fail("after the exception the result says %q, want Prohibited with art5:1(f), the reason and the disclaimer", sofar)
	}
	if !b.checked(medicalNo) {
		b.fail("after the update the answer No to the medical or safety exception is lost")
	}

	// Save.
	b.submit("save the classification", `main form.questionnaire button[type="submit"][name="action"][value="save"]`, 200)
	b.expectPath("/systems/" + id + "/classification")
	b.expectText("main h1", "EU AI Act classification of "+name)
	if got := b.text(`main .flash[role="status"]`); !strings.Contains(got, "Classification saved.") {
		b.fail("after saving the page says %q, want Classification saved.", got)
	}
	fact := func(label string) string {
		return b.evalString(`(() => {
			const f = [...document.querySelectorAll("main dl.facts .fact")].find(f => f.querySelector("dt").textContent.trim() === ` + jsString(label) + `);
			return f ? f.querySelector("dd").textContent.trim().replace(/\s+/g, " ") : "";
		})()`)
	}
	if got := fact("Class in effect"); got != "Prohibited" {
		b.fail("Class in effect says %q, want Prohibited", got)
	}
	if got := fact("Legal basis"); !strings.Contains(got, "art5:1(f)") {
		b.fail("Legal basis says %q, want art5:1(f)", got)
	}
	if got := b.text(`main section[aria-labelledby="h-why"] ul.reasons`); !strings.Contains(got, "(Art 5(1)(f))") {
		b.fail("the reasons say %q, want one citing Art 5(1)(f)", got)
	}
	if got := b.text(`main .alert[role="note"]`); !strings.Contains(got, "not legal advice") {
		b.fail("the disclaimer says %q, want it to say the result is not legal advice", got)
	}

	// The trace is folded away until opened.
	details := `main section[aria-labelledby="h-trace"] details`
	if b.evalBool(`document.querySelector(` + jsString(details) + `).open`) {
		b.fail("the trace is open before it is asked for")
	}
	b.do("open the trace",
		chromedp.Click(chromedp.CSS(details+" > summary")),
		chromedp.WaitVisible(chromedp.CSS(details+" table.trace tbody tr")),
	)
	step := b.evalString(`(() => {
		const r = [...document.querySelectorAll("main table.trace tbody tr")].find(r => r.cells[1].textContent.trim() === "art5:1(f)");
		return r ? [...r.cells].map(c => c.textContent.trim().replace(/\s+/g, " ")).join(" | ") : "";
	})()`)
	if !strings.Contains(step, "art5.f.infers_emotions=yes") || !strings.Contains(step, "art5.f.workplace_or_education=yes") ||
		!strings.Contains(step, "art5.f.medical_or_safety=no") || !strings.Contains(step, "applies") {
		b.fail("the trace step of art5:1(f) reads %q, want the three answers and the outcome applies", step)
	}

	// 5. Back on the list the new system is Prohibited.
	b.submit("open AI inventory", `nav.side a[href="/systems"]`, 200)
	var mine *listedSystem
	for _, r := range b.systemRows() {
		if r.ID == id {
			mine = &r
		}
	}
	if mine == nil || mine.Name != name || mine.Class != "Prohibited" {
		b.fail("the AI systems list shows the new system as %+v, want %q Prohibited", mine, name)
	}

	// 6. No page wrote an error to the console.
	console.settle(b)
	if errs := console.errors(); len(errs) > 0 {
		b.fail("the pages wrote %d errors to the console:\n%s", len(errs), strings.Join(errs, "\n"))
	}
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
