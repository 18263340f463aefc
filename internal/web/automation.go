package web

import (
	"net/http"
	"strings"

	"github.com/caio-office/caio"
)

func init() { areaRoutes = append(areaRoutes, (*Web).automationRoutes) }

// automationRoutes lists the automation area's overview; its parts (SSO,
// webhooks, the assistant, API tokens for the MCP server) have their own.
func (w *Web) automationRoutes() []Route {
	return []Route{{"GET /automation", Member, w.automation}}
}

// automationStatus is what the overview shows of each way caio connects to
// other systems. Parts the viewer's role may not manage stay unknown
// (Manage false) rather than being read with a permission the viewer lacks.
type automationStatus struct {
	MCPURL    string
	Manage    bool
	SSO       *caio.SSOConfig
	Webhooks  int
	Assistant bool
	Model     string
}

func (w *Web) automation(rw http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	st := automationStatus{MCPURL: strings.TrimSuffix(w.callbackURL(r), "/sso/callback") + "/mcp"}
	info, err := w.app.AssistantStatus(ctx)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	st.Assistant, st.Model = info.Enabled, info.Model
	if a, ok := caio.ActorFrom(ctx); ok && caio.Can(a.Role, caio.PermManageOrg) {
		if st.SSO, err = w.app.SSOSettings(ctx); err != nil {
			w.fail(rw, r, err)
			return
		}
		if _, st.Webhooks, err = w.app.FindWebhooks(ctx, caio.Page{Limit: 1}); err != nil {
			w.fail(rw, r, err)
			return
		}
		st.Manage = true
	}
	w.render(rw, r, http.StatusOK, "automation", &page{Title: "Automation", Nav: "automation", Data: st})
}
