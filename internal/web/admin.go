package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/caio-office/caio"
	"github.com/caio-office/caio/internal/app"
)

func (w *Web) memberList(rw http.ResponseWriter, r *http.Request) {
	w.renderMembers(rw, r, http.StatusOK, nil)
}

func (w *Web) renderMembers(rw http.ResponseWriter, r *http.Request, status int, f *form) {
	p := pageQuery(r)
	ms, total, err := w.app.FindMembers(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f == nil {
		f = &form{Values: map[string]string{"role": string(caio.RoleViewer)}}
	}
	w.render(rw, r, status, "members", &page{Title: "Users and roles", Nav: "members", Form: f, Data: map[string]any{
		"Members": ms, "List": newListPage(p, total, r.URL.Query()), "Permissions": caio.Permissions,
	}})
}

func (w *Web) memberAdd(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var m *caio.Membership
		m, err = w.app.AddMember(r.Context(), app.MemberInput{Email: f.Get("email"), Name: f.Get("name"), Role: caio.Role(f.Get("role")), Password: f.Get("password")})
		if err == nil {
			w.flash(rw, m.Email+" added as "+string(m.Role)+".")
			redirect(rw, r, "/members")
			return
		}
	}
	f.fail(err)
	delete(f.Values, "password")
	w.renderMembers(rw, r, statusOf[caio.ErrorCode(err)], f)
}

func (w *Web) memberRole(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var m *caio.Membership
		if m, err = w.app.ChangeRole(r.Context(), r.PathValue("user_id"), caio.Role(f.Get("role"))); err == nil {
			w.flash(rw, m.Email+" is now "+string(m.Role)+".")
			redirect(rw, r, "/members")
			return
		}
	}
	w.fail(rw, r, err)
}

func (w *Web) memberRemove(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.RemoveMember(r.Context(), r.PathValue("user_id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Member removed; their API tokens in this organisation were revoked.")
	redirect(rw, r, "/members")
}

func (w *Web) tokenList(rw http.ResponseWriter, r *http.Request) {
	w.renderTokens(rw, r, http.StatusOK, nil, "")
}

func (w *Web) renderTokens(rw http.ResponseWriter, r *http.Request, status int, f *form, secret string) {
	p := pageQuery(r)
	ts, total, err := w.app.FindTokens(r.Context(), p)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, status, "tokens", &page{Title: "API tokens", Nav: "tokens", Form: f, Data: map[string]any{
		"Tokens": ts, "List": newListPage(p, total, r.URL.Query()), "Secret": secret,
	}})
}

func (w *Web) tokenCreate(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		var secret string
		if _, secret, err = w.app.CreateToken(r.Context(), f.Get("name")); err == nil {
			// Shown once, on this response; never stored, never redirected with.
			w.renderTokens(rw, r, http.StatusCreated, nil, secret)
			return
		}
	}
	f.fail(err)
	w.renderTokens(rw, r, statusOf[caio.ErrorCode(err)], f, "")
}

func (w *Web) tokenRevoke(rw http.ResponseWriter, r *http.Request) {
	if err := w.app.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		w.fail(rw, r, err)
		return
	}
	w.flash(rw, "Token revoked.")
	redirect(rw, r, "/tokens")
}

func (w *Web) auditList(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := caio.AuditFilter{Page: pageQuery(r)}
	opt := func(name string) *string {
		if s := strings.TrimSpace(q.Get(name)); s != "" {
			return &s
		}
		return nil
	}
	f.ObjectType, f.ObjectID, f.Action = opt("object_type"), opt("object_id"), opt("action")
	var problems caio.Validation
	for _, d := range []struct {
		name string
		dst  **time.Time
		add  time.Duration
	}{{"since", &f.Since, 0}, {"until", &f.Until, 24 * time.Hour}} {
		if s := opt(d.name); s != nil {
			t, err := time.Parse(time.DateOnly, *s)
			if err != nil {
				problems.Add(d.name, "must be a date written YYYY-MM-DD")
				continue
			}
			t = t.Add(d.add)
			*d.dst = &t
		}
	}
	if err := problems.Err(); err != nil {
		w.fail(rw, r, err)
		return
	}
	events, total, err := w.app.FindAuditEvents(r.Context(), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	var verify *app.AuditVerification
	if q.Get("verify") == "1" {
		if verify, err = w.app.VerifyAudit(r.Context()); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	w.render(rw, r, http.StatusOK, "audit", &page{Title: "Audit log", Nav: "audit", Data: map[string]any{
		"Events": events, "List": newListPage(f.Page, total, q), "Verify": verify,
		"Filter": map[string]string{"object_type": q.Get("object_type"), "object_id": q.Get("object_id"), "action": q.Get("action"), "since": q.Get("since"), "until": q.Get("until")},
	}})
}

func (w *Web) settings(rw http.ResponseWriter, r *http.Request) {
	o, err := w.app.CurrentOrg(r.Context())
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "settings", &page{Title: "Settings", Nav: "settings", Data: map[string]any{"Org": o, "Version": caio.Version},
		Form: &form{Values: map[string]string{"name": o.Name}}})
}

func (w *Web) settingsSave(rw http.ResponseWriter, r *http.Request) {
	f, err := readForm(rw, r)
	if err == nil {
		if _, err = w.app.RenameOrg(r.Context(), f.Get("name")); err == nil {
			w.flash(rw, "Settings saved.")
			redirect(rw, r, "/settings")
			return
		}
	}
	f.fail(err)
	if fs := caio.ErrorFields(err); len(fs) > 0 && fs[0].Field == "org_name" {
		f.Errors["name"] = fs[0].Message
	}
	o, oerr := w.app.CurrentOrg(r.Context())
	if oerr != nil {
		w.fail(rw, r, oerr)
		return
	}
	w.render(rw, r, statusOf[caio.ErrorCode(err)], "settings", &page{Title: "Settings", Nav: "settings", Data: map[string]any{"Org": o, "Version": caio.Version}, Form: f})
}
