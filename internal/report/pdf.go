package report

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/caio-office/caio"
)

// chromiumNames are the programs FindChromium looks for on the PATH.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"}

// FindChromium returns the path of the browser that prints PDFs: the given
// one when set (it must exist), else the first of chromium,
// chromium-browser and google-chrome on the PATH. The error is
// EUNAVAILABLE and says what to do.
func FindChromium(given string) (string, error) {
	if given != "" {
		p, err := exec.LookPath(given)
		if err != nil {
			return "", caio.Errorf(caio.EUNAVAILABLE, "Chromium is not installed at %s: install chromium or choose html/md.", given)
		}
		return p, nil
	}
	for _, n := range chromiumNames {
		if p, err := exec.LookPath(n); err == nil {
			return p, nil
		}
	}
	return "", caio.Errorf(caio.EUNAVAILABLE, "Chromium is not installed: install chromium or choose html/md.")
}

// Browser is a headless Chromium started for printing reports. Start it
// while the report's data is gathered, so its start-up costs no time.
type Browser struct {
	ctx     context.Context
	cancels []context.CancelFunc
	dir     string
}

// StartBrowser starts Chromium at the given path with a fresh profile and
// an empty page. Close stops it. A minute bounds a stuck browser.
func StartBrowser(ctx context.Context, chromium string) (*Browser, error) {
	dir, err := os.MkdirTemp("", "caio-report-")
	if err != nil {
		return nil, err
	}
	b := &Browser{dir: dir}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox, // caio may run as root in a container
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.UserDataDir(filepath.Join(dir, "profile")),
	)
	// The browser lives as long as this context (not the caller's request
	// context, so a finished request cannot kill a print half-way).
	limit, cancelLimit := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
	actx, cancelAlloc := chromedp.NewExecAllocator(limit, opts...)
	bctx, cancel := chromedp.NewContext(actx)
	b.ctx, b.cancels = bctx, []context.CancelFunc{cancel, cancelAlloc, cancelLimit}
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		b.Close()
		return nil, caio.Errorf(caio.EUNAVAILABLE, "Chromium did not start (%s): %v. Install chromium or choose html/md.", chromium, err)
	}
	return b, nil
}

// Close stops the browser and removes its profile.
func (b *Browser) Close() {
	for _, c := range b.cancels {
		c()
	}
	os.RemoveAll(b.dir)
}

// Print loads the HTML as a file and prints it to an A4 PDF with its
// backgrounds. The page gets no network: the HTML is self-contained.
func (b *Browser) Print(html []byte) ([]byte, error) {
	file := filepath.Join(b.dir, "report.html")
	if err := os.WriteFile(file, html, 0o600); err != nil {
		return nil, err
	}
	if err := chromedp.Do(b.ctx, chromedp.Navigate("file://"+file)); err != nil {
		return nil, caio.Errorf(caio.EUNAVAILABLE, "Chromium could not open the report: %v", err)
	}
	pdf, err := chromedp.Run(b.ctx, func(ctx context.Context, t *chromedp.Target) ([]byte, error) {
		res, err := cdp.Call(ctx, t, page.PrintToPDF, page.PrintToPDFParams{
			PrintBackground:   ptr(true),
			PreferCSSPageSize: ptr(true),
			PaperWidth:        8.27,
			PaperHeight:       11.69,
		})
		return res.Data, err
	})
	if err != nil {
		return nil, caio.Errorf(caio.EUNAVAILABLE, "Chromium could not print the report: %v", err)
	}
	return pdf, nil
}

// PrintPDF prints HTML to an A4 PDF with a Chromium started for this one
// document and stopped after it.
func PrintPDF(ctx context.Context, chromium string, html []byte) ([]byte, error) {
	b, err := StartBrowser(ctx, chromium)
	if err != nil {
		return nil, err
	}
	defer b.Close()
	return b.Print(html)
}

func ptr[T any](v T) *T { return &v }
