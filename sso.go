package caio

import (
	"net"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// SSOConfig is an organisation's single sign-on through an OpenID Connect
// provider (Entra ID, Okta, Google, Keycloak, ...). The client secret is
// stored so caio can use it, but never shown again: SecretSet says whether
// there is one.
type SSOConfig struct {
	OrgID    string `json:"-"`
	Enabled  bool   `json:"enabled"`
	Issuer   string `json:"issuer"`
	ClientID string `json:"client_id"`
	// ClientSecret is never sent out; only services that talk to the provider read it.
	ClientSecret string `json:"-"`
	SecretSet    bool   `json:"client_secret_set"`
	// Scopes are requested besides openid, such as email, profile, groups.
	Scopes []string `json:"scopes"`
	// GroupsClaim names the ID token claim that lists the person's groups.
	GroupsClaim string `json:"groups_claim"`
	// GroupRoles maps the provider's groups to roles, in the order given.
	GroupRoles []GroupRole `json:"group_roles"`
	// DefaultRole is the role of a new member in none of the mapped groups;
	// empty refuses them.
	DefaultRole Role `json:"default_role"`
	// JIT creates the member (and the user) at their first sign-in.
	JIT bool `json:"jit"`
	// Domains, when not empty, are the only email domains that may sign in
	// this way; the sign-in page also finds the organisation by them.
	Domains []string `json:"allowed_domains"`
	// LocalLogin lets members enter the organisation with a password session.
	LocalLogin bool `json:"local_login"`
	// TestedAt is when discovery last worked for this issuer.
	TestedAt  *time.Time `json:"tested_at,omitempty"`
	UpdatedBy string     `json:"updated_by,omitempty"`
	UpdatedAt *time.Time `json:"updated_at,omitempty"`
}

// GroupRole gives the members of a provider's group a role.
type GroupRole struct {
	Group string `json:"group"`
	Role  Role   `json:"role"`
}

// DefaultSSOScopes are requested when none are set.
var DefaultSSOScopes = []string{"email", "profile"}

// Limits on what an SSO configuration may hold.
const (
	maxGroupRoles = 200
	maxGroupName  = 256
	maxDomains    = 50
)

// ParseGroupRoles reads a group mapping, one "group = role" a line. Blank
// lines and lines starting with # are skipped. A group name may hold any
// character but a line break; the last "=" separates it from the role, so
// names with "=" work. Problems name their line. It never panics, whatever
// the input.
func ParseGroupRoles(text string) ([]GroupRole, error) {
	var out []GroupRole
	var v Validation
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		n := strconv.Itoa(i + 1)
		at := strings.LastIndex(line, "=")
		if at < 0 {
			v.Add("group_roles", "line "+n+" must read: group = role")
			continue
		}
		group, role := strings.TrimSpace(line[:at]), Role(strings.ToLower(strings.TrimSpace(line[at+1:])))
		switch {
		case group == "":
			v.Add("group_roles", "line "+n+" names no group before =")
		case len(group) > maxGroupName:
			v.Add("group_roles", "line "+n+" has a group name longer than "+strconv.Itoa(maxGroupName)+" characters")
		case !role.Valid():
			v.Add("group_roles", "line "+n+" must end with a role: owner, admin, editor, contributor, approver or viewer")
		case seen[group]:
			v.Add("group_roles", "line "+n+" maps the group "+strconv.Quote(group)+" a second time")
		default:
			seen[group] = true
			out = append(out, GroupRole{Group: group, Role: role})
		}
		if len(out) > maxGroupRoles {
			v.Add("group_roles", "must hold at most "+strconv.Itoa(maxGroupRoles)+" lines")
			break
		}
	}
	return out, v.Err()
}

// FormatGroupRoles writes a mapping back as ParseGroupRoles reads it.
func FormatGroupRoles(gs []GroupRole) string {
	var b strings.Builder
	for _, g := range gs {
		b.WriteString(g.Group + " = " + string(g.Role) + "\n")
	}
	return b.String()
}

// RoleForGroups returns the role the mapping gives someone in the groups:
// the most powerful of the matching entries, in the order of Roles. ok is
// false when no group matches. Group names match exactly.
func RoleForGroups(mapping []GroupRole, groups []string) (role Role, ok bool) {
	best := len(Roles)
	for _, m := range mapping {
		if !slices.Contains(groups, m.Group) {
			continue
		}
		if i := slices.Index(Roles, m.Role); i >= 0 && i < best {
			best = i
		}
	}
	if best == len(Roles) {
		return "", false
	}
	return Roles[best], true
}

var domainPattern = regexp.MustCompile(`^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)

// ParseDomains reads email domains separated by commas, spaces or lines,
// lower-cased, without duplicates.
func ParseDomains(text string) ([]string, error) {
	out := []string{}
	var v Validation
	for _, d := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '\n' || r == '\r' || r == '\t' }) {
		d = strings.TrimPrefix(d, "@")
		if !domainPattern.MatchString(d) {
			v.Add("allowed_domains", strconv.Quote(d)+" is not a domain such as example.com")
			continue
		}
		if !slices.Contains(out, d) {
			out = append(out, d)
		}
	}
	if len(out) > maxDomains {
		v.Add("allowed_domains", "must list at most "+strconv.Itoa(maxDomains)+" domains")
	}
	return out, v.Err()
}

// EmailDomain returns the lower-cased domain of an email address, or "".
func EmailDomain(email string) string {
	at := strings.LastIndex(email, "@")
	if at < 0 {
		return ""
	}
	return strings.ToLower(strings.TrimSpace(email[at+1:]))
}

var scopePattern = regexp.MustCompile(`^[\x21\x23-\x5b\x5d-\x7e]{1,100}$`)

// Normalize trims the configuration and checks it, naming every bad field.
// An enabled configuration needs an issuer, a client ID, a secret, and a
// mapping or a default role; the default role may not be owner, which only
// an explicit group mapping can give. Local login may be off only with SSO
// enabled.
func (c *SSOConfig) Normalize() error {
	var v Validation
	c.Issuer = strings.TrimRight(strings.TrimSpace(c.Issuer), "/")
	c.ClientID = strings.TrimSpace(c.ClientID)
	c.GroupsClaim = strings.TrimSpace(c.GroupsClaim)
	if c.GroupsClaim == "" {
		c.GroupsClaim = "groups"
	}
	c.DefaultRole = Role(strings.ToLower(strings.TrimSpace(string(c.DefaultRole))))
	if c.Issuer != "" {
		if err := CheckIssuerURL(c.Issuer); err != "" {
			v.Add("issuer", err)
		}
	}
	if len(c.ClientID) > 500 {
		v.Add("client_id", "must be at most 500 characters")
	}
	if len(c.ClientSecret) > 2000 {
		v.Add("client_secret", "must be at most 2000 characters")
	}
	if len(c.GroupsClaim) > 100 || strings.ContainsAny(c.GroupsClaim, " \t\n") {
		v.Add("groups_claim", "must be a claim name of at most 100 characters without spaces, such as groups")
	}
	scopes := []string{}
	for _, s := range c.Scopes {
		for _, f := range strings.Fields(s) {
			if f == "openid" || slices.Contains(scopes, f) {
				continue // openid is always asked for
			}
			if !scopePattern.MatchString(f) {
				v.Add("scopes", strconv.Quote(f)+" is not a scope name")
				continue
			}
			scopes = append(scopes, f)
		}
	}
	if len(scopes) > 20 {
		v.Add("scopes", "must list at most 20 scopes")
	}
	c.Scopes = scopes
	if c.DefaultRole != "" && !c.DefaultRole.Valid() {
		v.Add("default_role", "must be empty (refuse people in no mapped group) or one of admin, editor, contributor, approver, viewer")
	} else if c.DefaultRole == RoleOwner {
		v.Add("default_role", "may not be owner: map a group to owner instead")
	}
	if len(c.GroupRoles) > maxGroupRoles {
		v.Add("group_roles", "must hold at most "+strconv.Itoa(maxGroupRoles)+" lines")
	}
	for _, g := range c.GroupRoles {
		if strings.TrimSpace(g.Group) == "" || len(g.Group) > maxGroupName || strings.ContainsAny(g.Group, "\r\n") || !g.Role.Valid() {
			v.Add("group_roles", "each entry needs a group name (at most 256 characters, one line) and a role")
			break
		}
	}
	if c.Domains == nil {
		c.Domains = []string{}
	}
	if c.Enabled {
		if c.Issuer == "" {
			v.Add("issuer", "is required to turn single sign-on on")
		}
		if c.ClientID == "" {
			v.Add("client_id", "is required to turn single sign-on on")
		}
		if c.ClientSecret == "" {
			v.Add("client_secret", "is required to turn single sign-on on: paste the secret the provider gave")
		}
		if len(c.GroupRoles) == 0 && c.DefaultRole == "" {
			v.Add("group_roles", "needs at least one line, or a default role, or nobody could sign in")
		}
	}
	if !c.LocalLogin && !c.Enabled {
		v.Add("local_login", "can be switched off only while single sign-on is on, or nobody could sign in")
	}
	return v.Err()
}

// CheckIssuerURL returns what is wrong with an issuer URL, or "". The
// issuer must be https, except on this machine (localhost, loopback
// addresses) where http is allowed for trials and tests.
func CheckIssuerURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" || len(s) > 500 {
		return "must be the provider's issuer URL, such as https://login.example.com/realms/acme"
	}
	switch u.Scheme {
	case "https":
		return ""
	case "http":
		host := u.Hostname()
		if host == "localhost" {
			return ""
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return ""
		}
		return "must use https (http is allowed only for localhost)"
	}
	return "must be an https URL, such as https://login.example.com/realms/acme"
}
