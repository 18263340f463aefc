package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// chromiumPath is Debian's chromium, which .ci/run installs.
const chromiumPath = "/usr/bin/chromium"

// TestBrowser walks through caio as a person would, in headless Chromium,
// against the real binary: first-run setup, a second organisation, the
// organisation switcher, sign-out and sign-in, an objective with a failed
// and a corrected form, the objectives list, the audit log and its chain
// verification.
func TestBrowser(t *testing.T) {
	chromium := chromiumPath
	if _, err := os.Stat(chromium); err != nil {
		p, lerr := exec.LookPath("chromium")
		if lerr != nil {
			msg := "chromium is not installed (apt-get install chromium); skipping the browser test"
			if underCI() {
				t.Fatal(msg + " — under CI it must run")
			}
			t.Skip(msg)
		}
		chromium = p
	}
	eachDatabase(t, func(t *testing.T, db database) {
		start := time.Now()
		testBrowser(t, db, chromium)
		t.Logf("%s: browser flow took %s", db.Name, time.Since(start).Round(time.Millisecond))
	})
}

func testBrowser(t *testing.T, db database, chromium string) {
	s := startServer(t, db)
	b := newBrowser(t, chromium, s)
	me := account{OrgName: "Acme Bank", Name: "Ada Admin", Email: "ada@acme.example", Password: "a long enough passphrase"}

	// First run: the setup link that `caio serve` printed.
	b.navigate(s.SetupLink())
	b.expectText("main h1", "Set up caio")
	b.do("fill the setup form",
		chromedp.SendKeys(chromedp.ID("f-org_name"), me.OrgName),
		chromedp.SendKeys(chromedp.ID("f-name"), me.Name),
		chromedp.SendKeys(chromedp.ID("f-email"), me.Email),
		chromedp.SendKeys(chromedp.ID("f-password"), me.Password),
	)
	b.submit("create the organisation", `form[action="/setup"] button[type="submit"]`, 200)
	b.expectPath("/")
	b.expectText("main h1", me.OrgName)

	// A second organisation, from the link in the header.
	b.submit("open New organisation", `header a[href="/orgs/new"]`, 200)
	b.expectText("main h1", "New organisation")
	b.do("fill the organisation form", chromedp.SendKeys(chromedp.ID("f-org_name"), "Harbour Advisory"))
	b.submit("create Harbour Advisory", `form[action="/orgs"] button[type="submit"]`, 200)
	b.expectText("main h1", "Harbour Advisory")

	// Back to Acme Bank with the switcher: choose the option, press Switch.
	// The option is chosen from script without a change event (chromedp's
	// SetValue would send one), so this tests the form and its button, as a
	// browser without JavaScript uses them, and not the autosubmit.
	acme := b.evalString(`(() => {
		const s = document.getElementById("org-switch");
		const o = s && [...s.options].find(o => o.textContent.trim().startsWith("Acme Bank"));
		if (!o) return "";
		s.value = o.value;
		return s.value;
	})()`)
	if acme == "" {
		b.fail("the organisation switcher has no Acme Bank option")
	}
	b.submit("press Switch", `form.switcher button[type="submit"]`, 200)
	b.expectText("main h1", me.OrgName)

	// Sign out, then sign in through the login form.
	b.submit("sign out", `form[action="/logout"] button[type="submit"]`, 200)
	b.expectPath("/login")
	b.expectText("main h1", "Sign in to caio")
	b.do("fill the sign-in form",
		chromedp.SendKeys(chromedp.ID("f-email"), me.Email),
		chromedp.SendKeys(chromedp.ID("f-password"), me.Password),
	)
	b.submit("sign in", `form[action="/login"] button[type="submit"]`, 200)
	b.expectPath("/")
	b.expectText("main h1", me.OrgName)

	// Objectives → New objective.
	b.submit("open Objectives", `nav.side a[href="/objectives"]`, 200)
	b.expectText("main h1", "Business objectives")
	b.submit("open New objective", `main a[href="/objectives/new"]`, 200)
	b.expectText("main h1", "New objective")
	title := "Settle simple claims within two days"
	b.do("fill the objective form",
		chromedp.SendKeys(chromedp.ID("f-title"), title),
		chromedp.SendKeys(chromedp.ID("f-kpi"), "median days to settle a claim"),
		chromedp.SendKeys(chromedp.ID("f-baseline"), "9"),
		chromedp.SendKeys(chromedp.ID("f-target"), "abc"),
		chromedp.SendKeys(chromedp.ID("f-unit"), "days"),
		chromedp.SetValue(chromedp.ID("f-horizon"), "2027-06-30"),
		chromedp.SendKeys(chromedp.ID("f-owner"), "Head of Claims"),
	)

	// A target that is not a number: the form comes back with the problem
	// beside the field and everything typed still there.
	b.submit("save with target abc", `main form button[type="submit"]`, 422)
	b.expectText("main h1", "New objective")
	if msg := b.text("#form-error"); msg == "" {
		b.fail("no error summary above the failed form")
	}
	if msg := b.text("#e-target"); !strings.Contains(msg, "must be a number") {
		b.fail("target error = %q, want it to say the target must be a number", msg)
	}
	for id, want := range map[string]string{"f-title": title, "f-kpi": "median days to settle a claim", "f-baseline": "9", "f-target": "abc", "f-unit": "days", "f-horizon": "2027-06-30", "f-owner": "Head of Claims"} {
		if got := b.value(id); got != want {
			b.fail("after the failed save #%s = %q, want %q (the form must keep the input)", id, got, want)
		}
	}

	// Fix the target and save.
	// chromedp's SetValue cannot set "" (it sets "undefined"), so clear the
	// field from script, then type.
	b.evalString(`document.getElementById("f-target").value = ""`)
	b.do("correct the target", chromedp.SendKeys(chromedp.ID("f-target"), "2"))
	b.submit("save the objective", `main form button[type="submit"]`, 200)
	b.expectText("main h1", title)
	path := b.path()
	m := regexp.MustCompile(`^/objectives/([^/]+)$`).FindStringSubmatch(path)
	if m == nil {
		b.fail("after saving, the page is %s, want /objectives/{id}", path)
	}
	id := m[1]
	t.Logf("%s: created objective %s", db.Name, id)

	// It is on the list.
	b.submit("open Objectives", `nav.side a[href="/objectives"]`, 200)
	if got := b.text(fmt.Sprintf(`main table a[href="/objectives/%s"]`, id)); got != title {
		b.fail("objectives list links %s as %q, want %q", id, got, title)
	}

	// The audit log has its creation, and the chain verifies.
	b.submit("open Audit log", `nav.side a[href="/audit"]`, 200)
	b.expectText("main h1", "Audit log")
	idJSON, _ := json.Marshal(id)
	found := b.evalBool(`[...document.querySelectorAll("main table tbody tr")].some(tr =>
		tr.cells.length > 4 && tr.cells[3].textContent.trim() === "objective.create" && tr.cells[4].textContent.includes(` + string(idJSON) + `))`)
	if !found {
		b.fail("the audit log has no objective.create row for %s", id)
	}
	b.submit("verify the chain", `main a[href="/audit?verify=1"]`, 200)
	if got := b.text(`main .flash[role="status"]`); !strings.Contains(got, "intact") {
		b.fail("after Verify the chain the page says %q, want it to say intact", got)
	}
}

// browser is one headless Chromium tab driven by chromedp.
type browser struct {
	t     *testing.T
	ctx   context.Context
	shots int
}

// newBrowser starts Chromium with a profile of its own; it is closed when t
// ends. The whole browser lives at most two minutes.
func newBrowser(t *testing.T, chromium string, s *server) *browser {
	t.Helper()
	profile, err := os.MkdirTemp("", "caio-e2e-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox, // the tests run as root
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(profile),
		chromedp.WindowSize(1280, 1000),
	)
	limit, limitCancel := context.WithTimeout(context.Background(), 2*time.Minute)
	actx, acancel := chromedp.NewExecAllocator(limit, opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() {
		cancel()
		acancel()
		limitCancel()
		// Chromium's helpers may still write to the profile for a moment.
		for i := 0; i < 20; i++ {
			if os.RemoveAll(profile) == nil {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
	start := time.Now()
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start chromium %s: %v", chromium, err)
	}
	t.Logf("chromium started in %s", time.Since(start).Round(time.Millisecond))
	return &browser{t: t, ctx: ctx}
}

// stepTimeout bounds one step, so a broken page fails fast with a
// screenshot instead of hanging the test.
const stepTimeout = 15 * time.Second

// do runs actions as one step.
func (b *browser) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		b.fail("%s: %v", what, err)
	}
}

// navigate opens a URL and waits for it to load.
func (b *browser) navigate(u string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(u))
	if err != nil {
		b.fail("open %s: %v", u, err)
	}
	if resp.Status != 200 {
		b.fail("open %s: status %d", u, resp.Status)
	}
}

// submit clicks the element (a button or a link) that sel finds, waits for
// the page it leads to, and checks the status of that page (after any
// redirect).
func (b *browser) submit(what, sel string, status int64) *network.Response {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(sel)))
	if err != nil {
		b.fail("%s (click %s): %v", what, sel, err)
	}
	if resp.Status != status {
		b.fail("%s: the page after the click has status %d, want %d", what, resp.Status, status)
	}
	return resp
}

// text returns the visible text of the first element that sel finds.
func (b *browser) text(sel string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		b.fail("read the text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

// expectText checks the visible text of the first element that sel finds.
func (b *browser) expectText(sel, want string) {
	b.t.Helper()
	if got := b.text(sel); got != want {
		b.fail("%s says %q, want %q", sel, got, want)
	}
}

// value returns the current value of the form field with this id.
func (b *browser) value(id string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID(id)))
	if err != nil {
		b.fail("read the value of #%s: %v", id, err)
	}
	return v
}

func (b *browser) evalString(js string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil {
		b.fail("evaluate %s: %v", js, err)
	}
	return v
}

func (b *browser) evalBool(js string) bool {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[bool](js))
	if err != nil {
		b.fail("evaluate %s: %v", js, err)
	}
	return v
}

// path is the path of the page the tab shows.
func (b *browser) path() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.fail("read the location: %v", err)
	}
	u, err := url.Parse(loc)
	if err != nil {
		b.fail("parse the location %q: %v", loc, err)
	}
	return u.Path
}

func (b *browser) expectPath(want string) {
	b.t.Helper()
	if got := b.path(); got != want {
		b.fail("the page is %s, want %s", got, want)
	}
}

// fail saves a screenshot and the HTML of the page, logs where, and stops
// the test. The files go to $CAIO_E2E_ARTIFACTS, or to a new temporary
// directory that is kept after the test, so they can be looked at.
func (b *browser) fail(format string, args ...any) {
	b.t.Helper()
	msg := fmt.Sprintf(format, args...)
	if dir, err := b.saveEvidence(); err != nil {
		msg += fmt.Sprintf("\n(no screenshot: %v)", err)
	} else {
		msg += "\nscreenshot and page HTML: " + dir
	}
	b.t.Fatal(msg)
}

func (b *browser) saveEvidence() (string, error) {
	dir := os.Getenv("CAIO_E2E_ARTIFACTS")
	if dir == "" {
		var err error
		if dir, err = os.MkdirTemp("", "caio-e2e-failure-"); err != nil {
			return "", err
		}
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	b.shots++
	name := strings.NewReplacer("/", "_", " ", "_").Replace(b.t.Name()) + fmt.Sprintf("-%d", b.shots)
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		return "", err
	}
	shot := filepath.Join(dir, name+".png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		return "", err
	}
	if html, err := chromedp.Run(ctx, chromedp.OuterHTML(chromedp.CSS("html"))); err == nil {
		_ = os.WriteFile(filepath.Join(dir, name+".html"), []byte(html), 0o644)
	} else if !errors.Is(err, context.DeadlineExceeded) {
		_ = os.WriteFile(filepath.Join(dir, name+".html.err"), []byte(err.Error()), 0o644)
	}
	return shot, nil
}
