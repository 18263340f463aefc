package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/engine/catalog"
)

// Compliance pages: the posture dashboard, the controls list, a control
// with its evidence, the framework catalogue, and the choice of frameworks.

func init() {
	funcs["ctlStatus"] = statusLabel
	funcs["ctlFramework"] = fwShort
	funcs["ctlPct"] = pctText
	funcs["ctlBytes"] = caio.FormatBytes
	funcs["ctlItemURL"] = itemURL
}

// statusLabel names a control status for people.
func statusLabel(s string) string {
	switch s {
	case caio.StatusNotStarted:
		return "Not started"
	case caio.StatusInProgress:
		return "In progress"
	case caio.StatusImplemented:
		return "Implemented"
	case caio.StatusNotApplicable:
		return "Not applicable"
	}
	return s
}

// fwShort is the short name of a framework, for charts and tables.
func fwShort(id string) string {
	switch id {
	case catalog.EUAIAct:
		return "EU AI Act"
	case catalog.NISTAIRMF:
		return "NIST AI RMF"
	case catalog.NISTAI6001:
		return "NIST AI 600-1"
	case catalog.ISO42001:
		return "ISO/IEC 42001"
	case catalog.OMBM2521:
		return "OMB M-25-21"
	}
	return id
}

// pct writes a share in percent, or a dash when there is none.
func pctText(p *float64) string {
	if p == nil {
		return "—"
	}
	return strconv.FormatFloat(*p, 'f', 0, 64) + "%"
}

// itemURL is the page of an item of the catalogue.
func itemURL(framework, id string) string {
	return "/frameworks/" + url.PathEscape(framework) + "#i-" + url.PathEscape(id)
}

// controlsURL is the controls list filtered by the pairs of names and values.
func controlsURL(kv ...string) string {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	return "/compliance/controls?" + q.Encode()
}

// statusSegments are the segments of a status chart.
func statusSegments(c caio.StatusCounts, kv ...string) []Segment {
	var out []Segment
	for _, s := range []string{caio.StatusImplemented, caio.StatusInProgress, caio.StatusNotStarted, caio.StatusNotApplicable} {
		out = append(out, Segment{Label: statusLabel(s), Value: c.Count(s), Class: "s-" + s, Href: controlsURL(append(slices.Clone(kv), "status", s)...)})
	}
	return out
}

func (w *Web) complianceDashboard(rw http.ResponseWriter, r *http.Request) {
	p, err := w.app.Posture(r.Context(), "")
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var rows []BarRow
	for _, f := range p.Frameworks {
		rows = append(rows, BarRow{Label: fwShort(f.Framework), Href: controlsURL("framework", f.Framework), Segments: statusSegments(f.StatusCounts, "framework", f.Framework)})
	}
	classRow := BarRow{Label: "AI systems"}
	type classLine struct {
		Class, Label, Href string
		Systems            int
	}
	var classes []classLine
	for _, c := range p.Classes {
		key := c.Class
		if key == "" {
			key = caio.Unclassified
		}
		href := "/systems?class=" + url.QueryEscape(key)
		classRow.Segments = append(classRow.Segments, Segment{Label: caio.ClassLabel(c.Class), Value: c.Systems, Href: href, Class: "c-" + key})
		classes = append(classes, classLine{Class: key, Label: caio.ClassLabel(c.Class), Href: href, Systems: c.Systems})
	}
	w.render(rw, r, http.StatusOK, "compliance", &page{Title: "Compliance posture", Nav: "compliance", Data: map[string]any{
		"Posture":  p,
		"Bars":     stackedBars("chart-frameworks", "Controls by framework and status", rows),
		"Donut":    donut("chart-status", "Controls by status, all frameworks", pctText(p.Total.PercentImplemented), statusSegments(p.Total)),
		"ClassBar": donut("chart-classes", "AI systems by EU AI Act class", strconv.Itoa(p.Systems), classRow.Segments),
		"Classes":  classes,
		"Statuses": []string{caio.StatusImplemented, caio.StatusInProgress, caio.StatusNotStarted, caio.StatusNotApplicable},
	}})
}

// controlFilterNames are the query parameters of the controls list that filter it.
var controlFilterNames = []string{"framework", "status", "system", "owner", "overdue", "all"}

func (w *Web) controlList(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	param := func(name string) *string {
		s := strings.TrimSpace(q.Get(name))
		if s == "" {
			return nil
		}
		return &s
	}
	f := caio.ControlFilter{Framework: param("framework"), Status: param("status"), SystemID: param("system"), Owner: param("owner"),
		Overdue: q.Get("overdue") != "", All: q.Get("all") != "", Sort: q.Get("sort"), Page: pageQuery(r)}
	if f.Sort == "" {
		f.Sort = "due"
	}
	items, total, err := w.app.FindControls(r.Context(), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	filtered := false
	for _, n := range controlFilterNames {
		filtered = filtered || strings.TrimSpace(q.Get(n)) != ""
	}
	systemName := ""
	if f.SystemID != nil && len(items) > 0 {
		systemName = items[0].SystemName
	}
	frameworks, err := w.app.OrgFrameworks(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "controls", &page{Title: "Controls", Nav: "compliance", Data: map[string]any{
		"Items": items, "List": newListPage(f.Page, total, q), "Filtered": filtered, "Today": todayUTC(),
		"Framework": q.Get("framework"), "Status": q.Get("status"), "System": q.Get("system"), "SystemName": systemName,
		"Owner": q.Get("owner"), "Overdue": f.Overdue, "All": f.All, "Sort": f.Sort,
		"Frameworks": frameworks, "Statuses": caio.ControlStatuses, "Sorts": caio.ControlSorts,
	}})
}

func todayUTC() string { return now().UTC().Format("2006-01-02") }

// controlValues fills the edit form from a control.
func controlValues(k *caio.Control) map[string]string {
	return map[string]string{"status": k.Status, "reason": k.Reason, "owner": k.Owner, "due_date": k.DueDate,
		"review_date": k.ReviewDate, "notes": k.Notes, "version": strconv.Itoa(k.Version)}
}

// controlForms are the three forms of a control's page, each keeping what
// was typed into it when it failed.
type controlForms struct {
	Edit, Upload, Link *form
	// Status is the HTTP status of the page.
	Status int
}

func (w *Web) controlShow(rw http.ResponseWriter, r *http.Request) {
	w.renderControl(rw, r, r.PathValue("id"), controlForms{Status: http.StatusOK})
}

// renderControl shows a control's page with its forms.
func (w *Web) renderControl(rw http.ResponseWriter, r *http.Request, id string, forms controlForms) {
	ctx := r.Context()
	k, err := w.app.FindControl(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	evidence, err := w.app.ControlEvidence(ctx, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var events []caio.AuditEvent
	if caio.Can(actorRole(r), caio.PermReadAudit) {
		typ := "control"
		events, _, _ = w.app.FindAuditEvents(ctx, caio.AuditFilter{ObjectType: &typ, ObjectID: &k.ID, Page: caio.Page{Limit: 50}})
	}
	cat := w.app.Catalog()
	if forms.Edit == nil {
		forms.Edit = &form{Values: controlValues(k)}
	}
	for _, f := range []**form{&forms.Upload, &forms.Link} {
		if *f == nil {
			*f = &form{}
		}
	}
	w.render(rw, r, forms.Status, "control", &page{Title: k.ItemLabel + " for " + k.SystemName, Nav: "compliance", Form: forms.Edit, Data: map[string]any{
		"Control": k, "Framework": cat.Framework(k.Framework), "Item": cat.Item(k.Framework, k.ItemID),
		"Crosswalk": cat.Crosswalk(k.Framework, k.ItemID), "Evidence": evidence, "Events": events,
		"Upload": forms.Upload, "Link": forms.Link, "Statuses": caio.ControlStatuses, "Today": todayUTC(),
		"Overdue": k.Overdue(todayUTC()), "MaxUpload": caio.FormatBytes(caio.MaxEvidenceBytes),
	}})
}

// failStatus is the status of a page that shows a form again after err.
func failStatus(err error) int {
	if s, ok := statusOf[caio.ErrorCode(err)]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// showable reports whether err belongs beside a form rather than on an
// error page of its own (the object is missing or the role may not act).
func showable(err error) bool {
	switch caio.ErrorCode(err) {
	case caio.EINVALID, caio.ECONFLICT:
		return true
	}
	return false
}

func (w *Web) controlUpdate(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := readForm(rw, r)
	if err == nil {
		version, _ := strconv.Atoi(f.Get("version"))
		in := caio.ControlInput{Status: f.Get("status"), Reason: f.Get("reason"), Owner: f.Get("owner"), DueDate: f.Get("due_date"),
			ReviewDate: f.Get("review_date"), Notes: f.Get("notes")}
		if _, err = w.app.UpdateControl(r.Context(), id, version, in); err == nil {
			w.flash(rw, "Control saved.")
			redirect(rw, r, "/controls/"+id)
			return
		}
	}
	if !showable(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderControl(rw, r, id, controlForms{Edit: f, Status: failStatus(err)})
}

// maxUploadBody bounds the body of an evidence upload: the largest file
// and room for the multipart framing and the other fields.
const maxUploadBody = caio.MaxEvidenceBytes + 64<<10

// maxDrain bounds how much of a refused upload is read and discarded, so
// the browser gets to show the page that explains the refusal.
const maxDrain = 128 << 20

// evidenceAdd takes the upload form (multipart, a file) or the link form.
func (w *Web) evidenceAdd(rw http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		w.evidenceUpload(rw, r, id)
		return
	}
	f, err := readForm(rw, r)
	if err == nil {
		in := caio.EvidenceLinkInput{Name: f.Get("link_name"), URL: f.Get("url"), SHA256: f.Get("sha256")}
		if _, err = w.app.AddEvidenceLink(r.Context(), id, in); err == nil {
			w.flash(rw, "Link added as evidence.")
			redirect(rw, r, "/controls/"+id+"#evidence")
			return
		}
	}
	if !showable(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(renameFields(err, map[string]string{"name": "link_name"}))
	w.renderControl(rw, r, id, controlForms{Link: f, Status: failStatus(err)})
}

func (w *Web) evidenceUpload(rw http.ResponseWriter, r *http.Request, id string) {
	f := &form{Values: map[string]string{}, Errors: map[string]string{}}
	fail := func(err error, status int) {
		if !showable(err) {
			w.fail(rw, r, err)
			return
		}
		f.fail(renameFields(err, map[string]string{"name": "file_name"}))
		w.renderControl(rw, r, id, controlForms{Upload: f, Status: status})
	}
	if r.ContentLength > maxUploadBody {
		// Refuse before reading, naming the size, then read the rest away
		// so the browser shows the answer instead of a broken connection.
		_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxDrain))
		fail(caio.TooLarge(r.ContentLength), http.StatusRequestEntityTooLarge)
		return
	}
	r.Body = http.MaxBytesReader(rw, r.Body, maxUploadBody)
	mr, err := r.MultipartReader()
	if err != nil {
		fail(caio.FieldError("file", "could not be read: the upload is malformed"), http.StatusBadRequest)
		return
	}
	in := caio.EvidenceFileInput{Size: -1}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				fail(caio.TooLarge(max(r.ContentLength, tooBig.Limit+1)), http.StatusRequestEntityTooLarge)
			} else {
				fail(caio.FieldError("file", "could not be read: upload it again"), http.StatusBadRequest)
			}
			return
		}
		switch p.FormName() {
		case "file":
			if p.FileName() == "" {
				continue // no file chosen
			}
			var buf bytes.Buffer
			if _, err := io.Copy(&buf, io.LimitReader(p, caio.MaxEvidenceBytes+1)); err != nil {
				var tooBig *http.MaxBytesError
				if errors.As(err, &tooBig) {
					fail(caio.TooLarge(max(r.ContentLength, tooBig.Limit+1)), http.StatusRequestEntityTooLarge)
				} else {
					fail(caio.FieldError("file", "could not be read: upload it again"), http.StatusBadRequest)
				}
				return
			}
			if buf.Len() > caio.MaxEvidenceBytes {
				fail(caio.TooLarge(max(r.ContentLength, int64(buf.Len()))), http.StatusRequestEntityTooLarge)
				return
			}
			in.Name, in.ContentType, in.Size, in.Data = p.FileName(), p.Header.Get("Content-Type"), int64(buf.Len()), &buf
		case "file_name":
			b, _ := io.ReadAll(io.LimitReader(p, 4096))
			f.Values["file_name"] = strings.ToValidUTF8(strings.ReplaceAll(string(b), "\x00", ""), "\uFFFD")
		}
	}
	if in.Data == nil {
		fail(caio.FieldError("file", "is required: choose a file to upload"), http.StatusUnprocessableEntity)
		return
	}
	if n := strings.TrimSpace(f.Values["file_name"]); n != "" {
		in.Name = n
	}
	if _, err := w.app.AddEvidenceFile(r.Context(), id, in); err != nil {
		status := failStatus(err)
		if strings.Contains(caio.ErrorMessage(err), "larger than the limit") {
			status = http.StatusRequestEntityTooLarge
		}
		fail(err, status)
		return
	}
	w.flash(rw, "File added as evidence.")
	redirect(rw, r, "/controls/"+id+"#evidence")
}

func (w *Web) evidenceDownload(rw http.ResponseWriter, r *http.Request) {
	e, data, err := w.app.EvidenceContent(r.Context(), r.PathValue("id"))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	h := rw.Header()
	h.Set("Content-Type", caio.ServedContentType(e.ContentType))
	for k, v := range caio.EvidenceHeaders {
		h.Set(k, v)
	}
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": e.Name}))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "private, no-store")
	rw.WriteHeader(http.StatusOK)
	_, _ = io.Copy(rw, bytes.NewReader(data))
}

func (w *Web) evidenceDelete(rw http.ResponseWriter, r *http.Request) {
	e, err := w.app.FindEvidence(r.Context(), r.PathValue("id"))
	if err == nil {
		err = w.app.DeleteEvidence(r.Context(), e.ID)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, fmt.Sprintf("Evidence %q deleted.", e.Name))
	redirect(rw, r, "/controls/"+e.ControlID+"#evidence")
}

// frameworkRow is a framework of the catalogue as the list shows it.
type frameworkRow struct {
	*catalog.Framework
	Enabled, AlwaysOn bool
}

func (w *Web) frameworkList(rw http.ResponseWriter, r *http.Request) {
	infos, err := w.app.OrgFrameworks(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	cat := w.app.Catalog()
	var rows []frameworkRow
	for _, i := range infos {
		rows = append(rows, frameworkRow{Framework: cat.Framework(i.ID), Enabled: i.Enabled, AlwaysOn: i.AlwaysOn})
	}
	w.render(rw, r, http.StatusOK, "frameworks", &page{Title: "Frameworks", Nav: "compliance", Data: map[string]any{
		"Frameworks": rows, "CatalogVersion": cat.Version(), "CrosswalkNote": cat.CrosswalkNote(),
	}})
}

// itemRow is an item of a framework with its crosswalk and its depth.
type itemRow struct {
	catalog.Item
	Depth     int
	Crosswalk []catalog.Ref
}

func (w *Web) frameworkShow(rw http.ResponseWriter, r *http.Request) {
	infos, err := w.app.OrgFrameworks(r.Context()) // checks the viewer may read
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	cat := w.app.Catalog()
	f := cat.Framework(r.PathValue("id"))
	if f == nil {
		w.fail(rw, r, caio.Errorf(caio.ENOTFOUND, "There is no such framework in the catalogue."))
		return
	}
	enabled := false
	for _, i := range infos {
		enabled = enabled || (i.ID == f.ID && i.Enabled)
	}
	depth := map[string]int{}
	items := make([]itemRow, len(f.Items))
	for i, it := range f.Items {
		d := 0
		if it.Parent != "" {
			d = depth[it.Parent] + 1
		}
		depth[it.ID] = d
		items[i] = itemRow{Item: it, Depth: d, Crosswalk: cat.Crosswalk(f.ID, it.ID)}
	}
	w.render(rw, r, http.StatusOK, "frameworks_detail", &page{Title: f.Name, Nav: "compliance", Data: map[string]any{
		"Framework": f, "Items": items, "Enabled": enabled, "CatalogVersion": cat.Version(), "CrosswalkNote": cat.CrosswalkNote(),
	}})
}

func (w *Web) complianceSettings(rw http.ResponseWriter, r *http.Request) {
	w.renderComplianceSettings(rw, r, http.StatusOK, nil, nil)
}

// renderComplianceSettings shows the choice of frameworks; chosen, when
// not nil, is what a failed form asked for.
func (w *Web) renderComplianceSettings(rw http.ResponseWriter, r *http.Request, status int, f *form, chosen []string) {
	infos, err := w.app.OrgFrameworks(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if chosen != nil {
		for i := range infos {
			infos[i].Enabled = infos[i].AlwaysOn || slices.Contains(chosen, infos[i].ID)
		}
	}
	w.render(rw, r, status, "compliance_settings", &page{Title: "Frameworks that apply", Nav: "compliance", Form: f, Data: map[string]any{
		"Frameworks": infos,
	}})
}

func (w *Web) complianceSettingsSave(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	chosen := []string{}
	if err == nil {
		chosen = append(chosen, r.PostForm["frameworks"]...)
		if _, err = w.app.SetOrgFrameworks(r.Context(), chosen); err == nil {
			w.flash(rw, "Frameworks saved. The controls of every classified AI system follow the new choice.")
			redirect(rw, r, "/compliance/settings")
			return
		}
	}
	if !showable(err) {
		w.fail(rw, r, err)
		return
	}
	f.fail(err)
	w.renderComplianceSettings(rw, r, failStatus(err), f, chosen)
}
