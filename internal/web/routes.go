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
	return []Route{
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

		{"GET /areas/{area}", Member, w.area},
	}
}
