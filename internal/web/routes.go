package web

import "net/http"

// Access says who may reach a route.
type Access int

// Route access levels. Roles within an organisation are checked by the services.
const (
	Public   Access = iota // anyone, signed in or not
	SignedIn               // any signed-in user, with or without an organisation
	Member                 // a signed-in user acting in an organisation
)

// Route is one page or form target.
type Route struct {
	Pattern string
	Access  Access
	Handler http.HandlerFunc
}

// Routes lists every page in one place. Tests walk this table, so a new page
// cannot escape the tenant-isolation and role checks.
func (w *Web) Routes() []Route {
	routes := []Route{
		{"GET /static/{hash}/{name}", Public, w.static.serve},
		{"GET /login", Public, w.loginForm},
		{"POST /login", Public, w.login},
		{"POST /logout", Public, w.logout},
		{"GET /setup", Public, w.setupForm},
		{"POST /setup", Public, w.setup},

		{"GET /{$}", Member, w.home},
		{"POST /orgs/switch", SignedIn, w.switchOrg},
		{"GET /orgs/new", SignedIn, w.newOrgForm},
		{"POST /orgs", SignedIn, w.createOrg},

		{"GET /objectives", Member, w.objectiveList},
		{"GET /objectives/new", Member, w.objectiveNew},
		{"POST /objectives", Member, w.objectiveCreate},
		{"GET /objectives/{id}", Member, w.objectiveShow},
		{"GET /objectives/{id}/edit", Member, w.objectiveEdit},
		{"POST /objectives/{id}", Member, w.objectiveUpdate},
		{"POST /objectives/{id}/delete", Member, w.objectiveDelete},

		{"GET /systems", Member, w.systemList},
		{"POST /systems/bulk", Member, w.systemBulk},
		{"GET /systems/new", Member, w.systemNew},
		{"POST /systems", Member, w.systemCreate},
		{"GET /systems/{id}", Member, w.systemShow},
		{"GET /systems/{id}/edit", Member, w.systemEdit},
		{"POST /systems/{id}", Member, w.systemUpdate},
		{"POST /systems/{id}/delete", Member, w.systemDelete},
		{"POST /systems/{id}/links", Member, w.systemLink},
		{"POST /systems/{id}/links/{kind}/{target_id}/delete", Member, w.systemUnlink},
		{"GET /models", Member, w.modelList},
		{"GET /models/new", Member, w.modelNew},
		{"POST /models", Member, w.modelCreate},
		{"GET /models/{id}", Member, w.modelShow},
		{"GET /models/{id}/edit", Member, w.modelEdit},
		{"POST /models/{id}", Member, w.modelUpdate},
		{"POST /models/{id}/delete", Member, w.modelDelete},
		{"GET /datasets", Member, w.datasetList},
		{"GET /datasets/new", Member, w.datasetNew},
		{"POST /datasets", Member, w.datasetCreate},
		{"GET /datasets/{id}", Member, w.datasetShow},
		{"GET /datasets/{id}/edit", Member, w.datasetEdit},
		{"POST /datasets/{id}", Member, w.datasetUpdate},
		{"POST /datasets/{id}/delete", Member, w.datasetDelete},
		{"GET /vendors", Member, w.vendorList},
		{"GET /vendors/new", Member, w.vendorNew},
		{"POST /vendors", Member, w.vendorCreate},
		{"GET /vendors/{id}", Member, w.vendorShow},
		{"GET /vendors/{id}/edit", Member, w.vendorEdit},
		{"POST /vendors/{id}", Member, w.vendorUpdate},
		{"POST /vendors/{id}/delete", Member, w.vendorDelete},

		{"GET /systems/{id}/classify", Member, w.classifyForm},
		{"POST /systems/{id}/classify", Member, w.classifySave},
		{"GET /systems/{id}/classification", Member, w.classificationShow},
		{"POST /systems/{id}/classification/override", Member, w.classificationOverride},
		{"GET /compliance/eu-ai-act", Member, w.euAIActPage},
		{"POST /compliance/eu-ai-act/timeline", Member, w.euAIActTimeline},
		{"POST /compliance/eu-ai-act/reclassify", Member, w.euAIActReclassify},

		{"GET /compliance", Member, w.complianceDashboard},
		{"GET /compliance/controls", Member, w.controlList},
		{"GET /compliance/settings", Member, w.complianceSettings},
		{"POST /compliance/settings", Member, w.complianceSettingsSave},
		{"GET /controls/{id}", Member, w.controlShow},
		{"POST /controls/{id}", Member, w.controlUpdate},
		{"POST /controls/{id}/evidence", Member, w.evidenceAdd},
		{"GET /evidence/{id}/download", Member, w.evidenceDownload},
		{"POST /evidence/{id}/delete", Member, w.evidenceDelete},
		{"GET /frameworks", Member, w.frameworkList},
		{"GET /frameworks/{id}", Member, w.frameworkShow},

		{"GET /members", Member, w.memberList},
		{"POST /members", Member, w.memberAdd},
		{"POST /members/{user_id}/role", Member, w.memberRole},
		{"POST /members/{user_id}/remove", Member, w.memberRemove},

		{"GET /tokens", Member, w.tokenList},
		{"POST /tokens", Member, w.tokenCreate},
		{"POST /tokens/{id}/revoke", Member, w.tokenRevoke},

		{"GET /audit", Member, w.auditList},
		{"GET /settings", Member, w.settings},
		{"POST /settings", Member, w.settingsSave},
	}
	// The portfolio's pages: use cases (usecase_routes.go) and strategy,
	// roadmap, roll-up and approvals (strategy_routes.go).
	routes = append(routes, w.useCaseRoutes()...)
	routes = append(routes, w.assessmentRoutes()...)
	routes = append(routes, w.riskRoutes()...)
	routes = append(routes, w.strategyRoutes()...)
	// The areas that register themselves from their own file (*_routes.go).
	for _, more := range areaRoutes {
		routes = append(routes, more(w)...)
	}
	return routes
}

// areaRoutes holds the route lists that areas add from init functions in
// their own files, so that each area's pages live together.
var areaRoutes []func(*Web) []Route
