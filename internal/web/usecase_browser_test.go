package web_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/server/servertest"
	"github.com/caio-office/caio/internal/sqldb"
	"github.com/caio-office/caio/internal/sqldb/sqldbtest"
)

// ucChromium finds Chromium as the e2e tests do: Debian's, or one on the
// PATH. Without it the test is skipped, and under CI it fails.
func ucChromium(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		msg := "chromium is not installed (apt-get install chromium); skipping the browser test"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg + " — under CI it must run")
		}
		t.Skip(msg)
	}
	return p
}

// ucBrowser is a headless Chromium tab on a test server.
type ucBrowser struct {
	t   *testing.T
	ctx context.Context
	url string
}

// newUCBrowser starts Chromium with a fresh profile, stopped when t ends.
func newUCBrowser(t *testing.T, chromium, base string) *ucBrowser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox, // tests may run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	)
	limit, limitCancel := context.WithTimeout(context.Background(), 2*time.Minute)
	actx, acancel := chromedp.NewExecAllocator(limit, opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		acancel()
		limitCancel()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", chromium, err)
	}
	return &ucBrowser{t: t, ctx: ctx, url: base}
}

// do runs actions as one step, bounded so a broken page fails fast.
func (b *ucBrowser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a page of the server and checks its status.
func (b *ucBrowser) open(path string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	res, err := chromedp.Run(ctx, chromedp.NavigateResponse(b.url+path))
	if err != nil || res.Status != 200 {
		b.t.Fatalf("open %s: %v %v", path, res, err)
	}
}

// press sends keys to the focused element and, when they lead to another
// page, checks that page's status.
func (b *ucBrowser) press(what, keys string, status int64) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.KeyEvent(keys))
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	if res.Status != status {
		b.t.Fatalf("%s: status %d, want %d; the page says: %s", what, res.Status, status,
			ucEval[string](b, `(document.querySelector("main") || document.body).innerText.slice(0, 600)`))
	}
}

// ucEval returns the value of a script.
func ucEval[T any](b *ucBrowser, js string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		b.t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// ucJSQuote writes s as a JavaScript string.
func ucJSQuote(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// tabTo presses Tab until the element that sel finds has the focus, as a
// person moves through a page without a mouse.
func (b *ucBrowser) tabTo(sel string) {
	b.t.Helper()
	for range 120 {
		if ucEval[bool](b, `(() => { const e = document.activeElement; return !!e && e.matches(`+ucJSQuote(sel)+`); })()`) {
			return
		}
		b.do("press Tab", chromedp.KeyEvent(kb.Tab))
	}
	b.t.Fatalf("Tab never reaches %s; focus is on %s", sel, b.focused())
}

// keyWithoutChar presses keys down and up without their character events.
// A browser drops the character of a key whose going down was handled (as
// Enter on a link is), which synthesized key events do not do by themselves.
func keyWithoutChar(keys string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		for _, r := range keys {
			for _, k := range kb.Encode(r) {
				if k.Type == kb.KeyChar {
					continue
				}
				if _, err := cdp.Call(ctx, t, input.DispatchKeyEvent, *k); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// focused describes the element with the focus.
func (b *ucBrowser) focused() string {
	return ucEval[string](b, `(() => { const e = document.activeElement; return e ? e.tagName + "#" + e.id + " " + (e.getAttribute("href") || e.name || "") : ""; })()`)
}

// typeText types text into the focused field, key by key.
func (b *ucBrowser) typeText(s string) { b.do("type "+s, chromedp.KeyEvent(s)) }

// TestUseCaseIntakeByKeyboard proposes a use case in headless Chromium with
// the keyboard alone, as a contributor: from the list, Tab to "Propose a
// use case", fill the canvas, submit it without a title, follow the error
// summary back to the field, tick an objective with Space and submit
// again; the idea lands in the triage queue.
func TestUseCaseIntakeByKeyboard(t *testing.T) {
	chromium := ucChromium(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := servertest.New(t, db)
		org := s.NewOrg(t, "acme")
		obj := s.NewObjective(t, org, "Settle claims faster")
		b := newUCBrowser(t, chromium, s.URL)
		me := org.Members[caio.RoleContributor]

		b.open("/login")
		b.tabTo("#f-email")
		b.typeText(me.Email)
		b.tabTo("#f-password")
		b.typeText(servertest.Password)
		b.press("sign in with Enter", kb.Enter, 200)

		b.open("/usecases")
		b.tabTo(`main a[href="/usecases/new"]`)
		b.press("open Propose a use case with Enter", kb.Enter, 200)
		if got := ucEval[string](b, `document.querySelector("main h1").textContent.trim()`); got != "Propose a use case" {
			t.Fatalf("the page is %q, want the intake canvas", got)
		}

		// The problem first, the title forgotten: the form comes back with
		// the summary focused and the problem still there.
		b.tabTo("#f-problem")
		b.typeText("Agents retype call notes into the CRM")
		b.tabTo("#f-owner")
		b.typeText("Head of Service")
		b.tabTo(`form[action="/usecases"] button[type="submit"]`)
		b.press("submit without a title", kb.Enter, 422)
		if got := ucEval[string](b, `document.activeElement ? document.activeElement.id : ""`); got != "form-error" {
			t.Errorf("after the failed submit the focus is on %q, want the error summary", got)
		}
		if got := ucEval[string](b, `document.getElementById("f-problem").value`); got != "Agents retype call notes into the CRM" {
			t.Errorf("the problem typed is lost: %q", got)
		}
		b.tabTo(`#form-error a[href="#f-title"]`)
		// Enter goes down on the link, which moves the focus; a browser
		// then drops the key's character, so it cannot reach the field and
		// submit the form. Sending the key down and up alone does the same.
		b.do("follow the summary's link with Enter", keyWithoutChar(kb.Enter))
		if got := ucEval[string](b, `document.activeElement ? document.activeElement.id : ""`); got != "f-title" {
			t.Fatalf("the summary's link moved the focus to %q, want the title field", got)
		}
		if got := ucEval[string](b, `document.getElementById("f-title").getAttribute("aria-describedby")`); !strings.Contains(got, "e-title") {
			t.Errorf("the title field is not described by its error: %q", got)
		}
		b.typeText("Summarise calls")
		b.tabTo(`input[name="objective_ids"][value="` + obj.ID + `"]`)
		b.do("tick the objective with Space", chromedp.KeyEvent(" "))
		if !ucEval[bool](b, `document.querySelector('input[name="objective_ids"][value="`+obj.ID+`"]').checked`) {
			t.Fatalf("Space did not tick the objective")
		}
		b.tabTo(`form[action="/usecases"] button[type="submit"]`)
		b.press("submit the idea", kb.Enter, 200)

		if got := ucEval[string](b, `location.pathname`); !strings.HasPrefix(got, "/usecases/uc_") {
			t.Fatalf("after the submit the page is %s, want the new use case", got)
		}
		if got := ucEval[string](b, `document.querySelector(".flash").textContent`); !strings.Contains(got, "triage queue") {
			t.Errorf("the flash says %q, want that the idea is in the triage queue", got)
		}
		submitted := caio.IntakeSubmitted
		ideas, _, err := s.App.FindUseCases(org.Sys, caio.UseCaseFilter{Intake: &submitted, Page: caio.Page{Limit: 10}})
		if err != nil || len(ideas) != 1 || ideas[0].Title != "Summarise calls" || ideas[0].Owner != "Head of Service" ||
			len(ideas[0].ObjectiveIDs) != 1 || ideas[0].ObjectiveIDs[0] != obj.ID {
			t.Errorf("the triage queue holds %+v (%v), want the idea with its owner and objective", ideas, err)
		}
	})
}
