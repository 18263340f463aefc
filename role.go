package caio

// Role is what a member may do in one organisation. A user holds one role per
// organisation they belong to.
type Role string

// The roles, from most to least powerful. Approver is a side branch: it reads
// everything and decides approvals, but does not edit content.
const (
	RoleOwner       Role = "owner"
	RoleAdmin       Role = "admin"
	RoleEditor      Role = "editor"
	RoleContributor Role = "contributor"
	RoleApprover    Role = "approver"
	RoleViewer      Role = "viewer"
)

// Roles lists every role in display order.
var Roles = []Role{RoleOwner, RoleAdmin, RoleEditor, RoleContributor, RoleApprover, RoleViewer}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool {
	for _, x := range Roles {
		if r == x {
			return true
		}
	}
	return false
}

// Permission is an action that a role may or may not take. Services name the
// permission they need; Can is the only place that decides.
type Permission string

// The permissions. docs/security.md shows the same matrix as a table; a test
// keeps the two in step.
const (
	PermRead          Permission = "read"           // see the organisation's content
	PermContribute    Permission = "contribute"     // submit ideas, evidence and answers
	PermEdit          Permission = "edit"           // create, change and delete content such as objectives
	PermApprove       Permission = "approve"        // decide approval requests
	PermReadAudit     Permission = "audit.read"     // read and verify the audit trail
	PermManageMembers Permission = "members.manage" // add members, change roles below owner, remove members
	PermManageOrg     Permission = "org.manage"     // organisation settings
	PermManageOwners  Permission = "owners.manage"  // grant or remove the owner role
)

// Permissions lists every permission in display order.
var Permissions = []Permission{PermRead, PermContribute, PermEdit, PermApprove, PermReadAudit, PermManageMembers, PermManageOrg, PermManageOwners}

// matrix is the permission matrix: the one place where roles meet actions.
var matrix = map[Role][]Permission{
	RoleOwner:       {PermRead, PermContribute, PermEdit, PermApprove, PermReadAudit, PermManageMembers, PermManageOrg, PermManageOwners},
	RoleAdmin:       {PermRead, PermContribute, PermEdit, PermApprove, PermReadAudit, PermManageMembers, PermManageOrg},
	RoleEditor:      {PermRead, PermContribute, PermEdit},
	RoleContributor: {PermRead, PermContribute},
	RoleApprover:    {PermRead, PermApprove, PermReadAudit},
	RoleViewer:      {PermRead},
}

// Can reports whether the role grants the permission.
func Can(r Role, p Permission) bool {
	for _, x := range matrix[r] {
		if x == p {
			return true
		}
	}
	return false
}
