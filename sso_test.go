package caio_test

import (
	"strings"
	"testing"

	"github.com/caio-office/caio"
)

func TestParseGroupRoles(t *testing.T) {
	got, err := caio.ParseGroupRoles("# who gets what\ncaio-admins = admin\r\n\n /CAIO Owners=Owner \nrole=a=b = viewer\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []caio.GroupRole{{"caio-admins", caio.RoleAdmin}, {"/CAIO Owners", caio.RoleOwner}, {"role=a=b", caio.RoleViewer}}
	if len(got) != len(want) {
		t.Fatalf("got %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("line %d: %v, want %v", i, got[i], want[i])
		}
	}
	if back, err := caio.ParseGroupRoles(caio.FormatGroupRoles(got)); err != nil || len(back) != 3 || back[2] != want[2] {
		t.Errorf("round trip: %v %v", back, err)
	}
	_, err = caio.ParseGroupRoles("a = admin\nno role\n= editor\nb = boss\na = viewer")
	msg := caio.ErrorMessage(err)
	for _, w := range []string{"line 2 must read", "line 3 names no group", "line 4 must end with a role", `line 5 maps the group "a" a second time`} {
		if !strings.Contains(msg, w) {
			t.Errorf("error lacks %q: %s", w, msg)
		}
	}
	if fs := caio.ErrorFields(err); len(fs) == 0 || fs[0].Field != "group_roles" {
		t.Errorf("fields %v", fs)
	}
}

func TestRoleForGroups(t *testing.T) {
	m := []caio.GroupRole{{"viewers", caio.RoleViewer}, {"editors", caio.RoleEditor}, {"approvers", caio.RoleApprover}, {"admins", caio.RoleAdmin}}
	for _, c := range []struct {
		groups []string
		want   caio.Role
		ok     bool
	}{
		{[]string{"viewers", "editors"}, caio.RoleEditor, true},
		{[]string{"approvers", "viewers"}, caio.RoleApprover, true},
		{[]string{"admins", "editors", "x"}, caio.RoleAdmin, true},
		{[]string{"Admins"}, "", false}, // names match exactly
		{nil, "", false},
	} {
		got, ok := caio.RoleForGroups(m, c.groups)
		if got != c.want || ok != c.ok {
			t.Errorf("%v: %q %v, want %q %v", c.groups, got, ok, c.want, c.ok)
		}
	}
}

func TestSSOConfigNormalize(t *testing.T) {
	c := caio.SSOConfig{Enabled: true, Issuer: "http://idp.example/", DefaultRole: "owner", LocalLogin: true, Scopes: []string{"openid email  profile", "bad\"scope"}}
	err := c.Normalize()
	fields := map[string]bool{}
	for _, f := range caio.ErrorFields(err) {
		fields[f.Field] = true
	}
	for _, f := range []string{"issuer", "client_id", "client_secret", "default_role", "scopes"} {
		if !fields[f] {
			t.Errorf("no problem named %s: %v", f, err)
		}
	}
	if strings.Join(c.Scopes, " ") != "email profile" {
		t.Errorf("scopes %v", c.Scopes)
	}
	for _, ok := range []string{"https://login.microsoftonline.com/x/v2.0", "http://localhost:8080/realms/a", "http://127.0.0.1:5556"} {
		if msg := caio.CheckIssuerURL(ok); msg != "" {
			t.Errorf("%s: %s", ok, msg)
		}
	}
	for _, bad := range []string{"http://10.0.0.1/", "ftp://idp", "https://", "https://u:p@idp.example", "https://idp.example/?q=1", "idp.example"} {
		if caio.CheckIssuerURL(bad) == "" {
			t.Errorf("%s accepted", bad)
		}
	}
	off := caio.SSOConfig{LocalLogin: false}
	if err := off.Normalize(); caio.ErrorFields(err) == nil || caio.ErrorFields(err)[0].Field != "local_login" {
		t.Errorf("local login off without SSO: %v", err)
	}
	ds, err := caio.ParseDomains("@Acme.test, acme.test;sub.acme.co.uk")
	if err != nil || strings.Join(ds, " ") != "acme.test sub.acme.co.uk" {
		t.Errorf("domains %v %v", ds, err)
	}
}

// FuzzParseGroupRoles feeds the group mapping parser anything: it must not
// panic, and what it accepts must format and parse back the same.
func FuzzParseGroupRoles(f *testing.F) {
	for _, s := range []string{"", "a = admin", "# c\n x=viewer\r\n", "=", "a=b=owner", "\x00 = editor", strings.Repeat("g = viewer\n", 300), "é = Editor"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := caio.ParseGroupRoles(s)
		if err != nil {
			if len(caio.ErrorFields(err)) == 0 {
				t.Fatalf("error without a field: %v", err)
			}
			return
		}
		back, err := caio.ParseGroupRoles(caio.FormatGroupRoles(got))
		if err != nil || len(back) != len(got) {
			t.Fatalf("round trip of %q: %v %v", s, back, err)
		}
		for i := range got {
			if back[i] != got[i] || !got[i].Role.Valid() {
				t.Fatalf("round trip of %q: %v, want %v", s, back[i], got[i])
			}
		}
	})
}

// FuzzParseDomains: never panics; what it accepts is lower-case and plain.
func FuzzParseDomains(f *testing.F) {
	for _, s := range []string{"", "acme.test", "@A.b.co, x", "a..b", "-a.com"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ds, err := caio.ParseDomains(s)
		if err != nil {
			return
		}
		for _, d := range ds {
			if d != strings.ToLower(d) || strings.ContainsAny(d, " ,@") {
				t.Fatalf("accepted %q from %q", d, s)
			}
		}
	})
}
