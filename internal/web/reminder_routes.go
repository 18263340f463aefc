package web

func init() { areaRoutes = append(areaRoutes, (*Web).reminderRoutes) }

// reminderRoutes lists the pages of reminders.
func (w *Web) reminderRoutes() []Route {
	return []Route{
		{"GET /reminders", Member, w.reminderList},
		{"POST /reminders/preferences", Member, w.reminderPreferencesSave},
	}
}
