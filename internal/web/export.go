package web

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
	"github.com/caio-office/caio/internal/engine/tabular"
)

// Every list exports as CSV and XLSX: GET /export/<list>.csv or .xlsx (or
// /export/<list>?format=xlsx) with the list page's query string, so the
// file holds the rows the page shows under the same filters and sort, all
// of them rather than one page. The columns are the app's (app.*Export,
// shared with the API); each entry here reads its page's filters.

// listExport is one list's export: its title (the sheet and file name),
// columns, and fetch, which emits every row the page's query selects.
type listExport struct {
	title   string
	columns []tabular.Column
	fetch   func(ctx context.Context, a *app.App, q url.Values, emit func([]string) error) (int, error)
}

// exportOf builds an entry from a filter reader and a Find method.
func exportOf[T, F any](title string, t app.ExportTable[T], filter func(url.Values) F, page func(*F) *caio.Page,
	find func(*app.App) func(context.Context, F) ([]T, int, error)) listExport {
	return listExport{title: title, columns: t.Columns,
		fetch: func(ctx context.Context, a *app.App, q url.Values, emit func([]string) error) (int, error) {
			f := filter(q)
			return t.Each(func(p caio.Page) ([]T, int, error) {
				*page(&f) = p
				return find(a)(ctx, f)
			}, emit)
		}}
}

// systemFilterFrom reads the systems list's filter as systemList does.
func systemFilterFrom(q url.Values) caio.AISystemFilter {
	f := caio.AISystemFilter{Sort: q.Get("sort"), Page: pageFrom(q),
		Query: listParam(q, "q"), Class: listParam(q, "class"), Stage: listParam(q, "stage"), Owner: listParam(q, "owner"),
		Vendor: listParam(q, "vendor"), Model: listParam(q, "model"), Dataset: listParam(q, "dataset"), Objective: listParam(q, "objective"),
		DeadlineBefore: listParam(q, "deadline_before")}
	if f.Sort == "" {
		f.Sort = "-created"
	}
	return f
}

func inventoryFilterFrom(q url.Values) caio.InventoryFilter {
	f := caio.InventoryFilter{Query: listParam(q, "q"), Sort: q.Get("sort")}
	if f.Sort == "" {
		f.Sort = "name"
	}
	return f
}

func controlFilterFrom(q url.Values) caio.ControlFilter {
	f := caio.ControlFilter{Framework: listParam(q, "framework"), Status: listParam(q, "status"), SystemID: listParam(q, "system"),
		Owner: listParam(q, "owner"), Overdue: q.Get("overdue") != "", All: q.Get("all") != "", Sort: q.Get("sort")}
	if f.Sort == "" {
		f.Sort = "due"
	}
	return f
}

func policyFilterFrom(q url.Values) caio.PolicyFilter {
	f := caio.PolicyFilter{Query: listParam(q, "q"), Status: listParam(q, "status"), Kind: listParam(q, "kind"),
		Review: listParam(q, "review"), Sort: q.Get("sort")}
	if f.Sort == "" {
		f.Sort = "title"
	}
	return f
}

func objectiveFilterFrom(q url.Values) caio.ObjectiveFilter {
	f := caio.ObjectiveFilter{Sort: q.Get("sort"), Query: listParam(q, "q"), Owner: listParam(q, "owner")}
	if f.Sort == "" {
		f.Sort = "-created"
	}
	return f
}

// listExports are the lists that export, keyed by the name in the URL.
var listExports = map[string]listExport{
	"systems": exportOf("AI systems", app.SystemExport, systemFilterFrom,
		func(f *caio.AISystemFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.AISystemFilter) ([]*caio.AISystem, int, error) {
			return a.FindSystems
		}),
	"models": exportOf("AI models", app.ModelExport, func(q url.Values) caio.InventoryFilter {
		f := inventoryFilterFrom(q)
		f.Kind = listParam(q, "kind")
		return f
	}, func(f *caio.InventoryFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.InventoryFilter) ([]*caio.AIModel, int, error) {
		return a.FindModels
	}),
	"datasets": exportOf("Datasets", app.DatasetExport, func(q url.Values) caio.InventoryFilter {
		f := inventoryFilterFrom(q)
		switch q.Get("personal_data") {
		case "yes":
			t := true
			f.PersonalData = &t
		case "no":
			f.PersonalData = new(bool)
		}
		return f
	}, func(f *caio.InventoryFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.InventoryFilter) ([]*caio.Dataset, int, error) {
		return a.FindDatasets
	}),
	"vendors": exportOf("Vendors", app.VendorExport, inventoryFilterFrom,
		func(f *caio.InventoryFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.InventoryFilter) ([]*caio.Vendor, int, error) {
			return a.FindVendors
		}),
	"usecases": exportOf("Use cases", app.UseCaseExport, useCaseFilter,
		func(f *caio.UseCaseFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.UseCaseFilter) ([]app.ScoredUseCase, int, error) {
			return func(ctx context.Context, f caio.UseCaseFilter) ([]app.ScoredUseCase, int, error) {
				if f.Sort == "" || f.Sort == "priority" {
					items, total, _, err := a.FindRankedUseCases(ctx, f)
					return items, total, err
				}
				return a.FindUseCases(ctx, f)
			}
		}),
	"risks": exportOf("Risks", app.RiskExport, riskFilterFrom,
		func(f *caio.RiskFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.RiskFilter) ([]*caio.Risk, int, error) { return a.FindRisks }),
	"controls": exportOf("Controls", app.ControlExport, controlFilterFrom,
		func(f *caio.ControlFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.ControlFilter) ([]*caio.Control, int, error) {
			return a.FindControls
		}),
	"incidents": exportOf("Incidents", app.IncidentExport, incidentFilterFrom,
		func(f *caio.IncidentFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.IncidentFilter) ([]*caio.Incident, int, error) {
			return a.FindIncidents
		}),
	"policies": exportOf("Policies", app.PolicyExport, policyFilterFrom,
		func(f *caio.PolicyFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.PolicyFilter) ([]*caio.Policy, int, error) {
			return a.FindPolicies
		}),
	"tasks": exportOf("Tasks", app.TaskExport, taskFilterFrom,
		func(f *caio.TaskFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.TaskFilter) ([]*caio.Task, int, error) { return a.FindTasks }),
	"objectives": exportOf("Objectives", app.ObjectiveExport, objectiveFilterFrom,
		func(f *caio.ObjectiveFilter) *caio.Page { return &f.Page }, func(a *app.App) func(context.Context, caio.ObjectiveFilter) ([]*caio.Objective, int, error) {
			return a.FindObjectives
		}),
}

// exportRoutes lists /export/<list>.csv, .xlsx and /export/<list> (with
// ?format=) for every list: fixed paths, no parameter.
func (w *Web) exportRoutes() []Route {
	names := make([]string, 0, len(listExports))
	for n := range listExports {
		names = append(names, n)
	}
	slices.Sort(names)
	var out []Route
	for _, n := range names {
		out = append(out,
			Route{"GET /export/" + n, Member, w.exportList(n, "")},
			Route{"GET /export/" + n + ".csv", Member, w.exportList(n, tabular.CSV)},
			Route{"GET /export/" + n + ".xlsx", Member, w.exportList(n, tabular.XLSX)})
	}
	return out
}

// committed tells whether anything reached the client, after which an error
// can no longer be shown as a page.
type committed struct {
	http.ResponseWriter
	n int
}

func (c *committed) Write(b []byte) (int, error) {
	c.n += len(b)
	return c.ResponseWriter.Write(b)
}

func (w *Web) exportList(name, fixed string) http.HandlerFunc {
	ex := listExports[name]
	return func(rw http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		format := fixed
		if format == "" {
			format = strings.ToLower(q.Get("format"))
			if format == "" {
				format = tabular.CSV
			}
		}
		if format != tabular.CSV && format != tabular.XLSX {
			w.fail(rw, r, caio.FieldError("format", "must be csv or xlsx"))
			return
		}
		q.Del("format")
		q.Del("offset")
		q.Del("limit")
		out := &committed{ResponseWriter: rw}
		fail := func(err error) {
			if out.n > 0 {
				w.app.Log.Error("export failed after it started", "err", err, "list", name, "request_id", r.Header.Get("X-Request-Id"))
				panic(http.ErrAbortHandler)
			}
			for k := range rw.Header() {
				if k != "Set-Cookie" {
					rw.Header().Del(k)
				}
			}
			w.fail(rw, r, err)
		}
		h := rw.Header()
		h.Set("Content-Type", tabular.ContentType(format))
		h.Set("Content-Disposition", `attachment; filename="`+exportFileName(name, format)+`"`)
		h.Set("Cache-Control", "private, no-store")
		var dst io.Writer = out
		tw, err := tabular.NewWriter(format, dst, ex.title, ex.columns)
		if err != nil {
			fail(err)
			return
		}
		n, err := ex.fetch(r.Context(), w.app, q, tw.Write)
		if err == nil {
			err = w.app.RecordExport(r.Context(), name, format, q.Encode(), n)
		}
		if err != nil {
			fail(err)
			return
		}
		if err := tw.Close(); err != nil {
			fail(err)
		}
	}
}

// exportFileName names the file after the list and today, such as
// caio-risks-2026-11-27.csv.
func exportFileName(list, format string) string {
	return "caio-" + list + "-" + todayUTC() + "." + format
}
