package web

import (
	"mime"
	"net/http"
	"strconv"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/report"
)

// reportChoice is a kind on the reports page with its formats.
type reportChoice struct {
	report.KindInfo
	Formats []report.Format
}

// reportList shows the reports page: each kind with a form to choose its
// format (and, for the system card, the system).
func (w *Web) reportList(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	systems, total, err := w.app.FindSystems(ctx, caio.AISystemFilter{Sort: "name", Page: caio.Page{Limit: caio.MaxPageLimit}})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	_, chromiumErr := report.FindChromium("")
	var kinds []reportChoice
	for _, k := range report.Kinds {
		kinds = append(kinds, reportChoice{KindInfo: k, Formats: report.Formats})
	}
	w.render(rw, r, http.StatusOK, "reports", &page{Title: "Reports", Nav: "reports", Data: map[string]any{
		"Kinds": kinds, "Systems": systems, "SystemsTotal": total, "TooMany": total > len(systems),
		"NoPDF": chromiumErr != nil, "Notice": report.Notice,
	}})
}

// reportGet returns the handler of one report kind: HTML to read in the
// browser, Markdown and PDF as downloads. The system card's system comes
// from the path or from ?system=.
func (w *Web) reportGet(kind report.Kind) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f, err := report.ParseFormat(q.Get("format"))
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		system := r.PathValue("id")
		if system == "" {
			system = q.Get("system")
		}
		data, rep, err := w.app.RenderReport(r.Context(), app.ReportOptions{Kind: kind, Format: f, SystemID: system})
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		writeReport(rw, rep, f, data)
	}
}

// writeReport sends a rendered report with its type, and as a download
// unless it is HTML.
func writeReport(rw http.ResponseWriter, rep *report.Report, f report.Format, data []byte) {
	h := rw.Header()
	h.Set("Content-Type", f.ContentType())
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "no-store")
	if f == report.HTML {
		// The report stands alone: its inline style sheet is allowed by hash.
		h.Set("Content-Security-Policy", report.ContentSecurityPolicy)
	} else {
		h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": rep.Filename(f)}))
	}
	rw.WriteHeader(http.StatusOK)
	rw.Write(data)
}
