package api

import (
	"context"
	"net/http"

	"github.com/caio-office/caio"
	"github.com/danielgtaylor/huma/v2"
)

// Reminders: the deadlines of the organisation (or of the caller) from every
// area, and the caller's digest setting.

const reminderTag = "Reminders"

func init() { registrars = append(registrars, (*API).registerReminders) }

// ReminderPreferencesBody is what a member may set on their reminders.
type ReminderPreferencesBody struct {
	Digest bool `json:"digest" doc:"Receive the daily email digest of this organisation's deadlines."`
}

func (api *API) registerReminders() {
	huma.Register(api, op(http.MethodGet, "/reminders", "list-reminders", "List deadlines: overdue first, then by date", reminderTag),
		func(ctx context.Context, in *struct {
			PageQuery
			Within int    `query:"within" minimum:"0" maximum:"730" default:"90" doc:"Days ahead of today to look; overdue deadlines are always listed."`
			Kind   string `query:"kind" maxLength:"40" doc:"Only this kind: obligation, control_review, risk_review, risk_treatment, or a kind another area adds."`
			Mine   string `query:"mine" enum:"0,1" default:"1" doc:"1: only the caller's deadlines (assigned to them, owned by their name or email, or nobody's and the caller may edit); 0: the whole organisation's."`
		}) (*listOut[*caio.Deadline], error) {
			f := caio.DeadlineFilter{Within: &in.Within, Kind: trimmed(&in.Kind), Mine: in.Mine != "0", Page: in.page()}
			items, total, err := api.app.Deadlines(ctx, f)
			if err != nil {
				return nil, api.queryProblem(ctx, err)
			}
			return list(items, total, in.PageQuery), nil
		})

	huma.Register(api, op(http.MethodGet, "/reminders/preferences", "get-reminder-preferences", "Get the caller's reminder settings in this organisation", reminderTag),
		func(ctx context.Context, in *struct{}) (*struct{ Body *caio.ReminderPreferences }, error) {
			p, err := api.app.ReminderPreferences(ctx)
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.ReminderPreferences }{p}, nil
		})

	huma.Register(api, op(http.MethodPut, "/reminders/preferences", "set-reminder-preferences", "Turn the caller's daily digest of this organisation on or off", reminderTag),
		func(ctx context.Context, in *struct{ Body ReminderPreferencesBody }) (*struct{ Body *caio.ReminderPreferences }, error) {
			p, err := api.app.SetReminderPreferences(ctx, caio.ReminderPreferences{Digest: in.Body.Digest})
			if err != nil {
				return nil, api.problem(ctx, err)
			}
			return &struct{ Body *caio.ReminderPreferences }{p}, nil
		})
}
