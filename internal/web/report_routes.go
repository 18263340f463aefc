package web

import "github.com/caio-office/caio/internal/report"

func init() { areaRoutes = append(areaRoutes, (*Web).reportRoutes) }

// reportRoutes lists the reports page and one route per report kind; the
// system card also takes its system in the path, /reports/system/{id}.
func (w *Web) reportRoutes() []Route {
	rs := []Route{{"GET /reports", Member, w.reportList}}
	for _, k := range report.Kinds {
		rs = append(rs, Route{"GET /reports/" + string(k.Kind), Member, w.reportGet(k.Kind)})
	}
	rs = append(rs, Route{"GET /reports/system/{id}", Member, w.reportGet(report.System)})
	return rs
}
