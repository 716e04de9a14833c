// Package roles holds Atlas's organization and project roles and what each one implies. The
// specification's x-atlas-roles extension names, for every operation, the roles that allow it;
// this package decides whether the roles a credential holds include one of them.
package roles

import "slices"

// Organization roles.
const (
	OrgOwner                 = "ORG_OWNER"
	OrgMember                = "ORG_MEMBER"
	OrgGroupCreator          = "ORG_GROUP_CREATOR"
	OrgBillingAdmin          = "ORG_BILLING_ADMIN"
	OrgBillingReadOnly       = "ORG_BILLING_READ_ONLY"
	OrgStreamProcessingAdmin = "ORG_STREAM_PROCESSING_ADMIN"
	OrgReadOnly              = "ORG_READ_ONLY"
)

// Project roles.
const (
	GroupOwner                 = "GROUP_OWNER"
	GroupReadOnly              = "GROUP_READ_ONLY"
	GroupDataAccessAdmin       = "GROUP_DATA_ACCESS_ADMIN"
	GroupDataAccessReadOnly    = "GROUP_DATA_ACCESS_READ_ONLY"
	GroupDataAccessReadWrite   = "GROUP_DATA_ACCESS_READ_WRITE"
	GroupClusterManager        = "GROUP_CLUSTER_MANAGER"
	GroupSearchIndexEditor     = "GROUP_SEARCH_INDEX_EDITOR"
	GroupStreamProcessingOwner = "GROUP_STREAM_PROCESSING_OWNER"
	GroupBackupManager         = "GROUP_BACKUP_MANAGER"
	GroupObservabilityViewer   = "GROUP_OBSERVABILITY_VIEWER"
	GroupDatabaseAccessAdmin   = "GROUP_DATABASE_ACCESS_ADMIN"
)

// Org lists the organization roles; Project the project roles.
var (
	Org     = []string{OrgOwner, OrgMember, OrgGroupCreator, OrgBillingAdmin, OrgBillingReadOnly, OrgStreamProcessingAdmin, OrgReadOnly}
	Project = []string{GroupOwner, GroupReadOnly, GroupDataAccessAdmin, GroupDataAccessReadOnly, GroupDataAccessReadWrite,
		GroupClusterManager, GroupSearchIndexEditor, GroupStreamProcessingOwner, GroupBackupManager,
		GroupObservabilityViewer, GroupDatabaseAccessAdmin}
)

// IsOrg reports whether role is an organization role; IsProject whether it is a project role.
func IsOrg(role string) bool     { return slices.Contains(Org, role) }
func IsProject(role string) bool { return slices.Contains(Project, role) }

// implied lists, for each role, the roles it includes besides itself. Every organization role
// includes ORG_MEMBER and every project role GROUP_READ_ONLY; owners include everything of their
// kind.
var implied = map[string][]string{
	OrgOwner:                 Org,
	OrgGroupCreator:          {OrgMember},
	OrgBillingAdmin:          {OrgBillingReadOnly, OrgMember},
	OrgBillingReadOnly:       {OrgMember},
	OrgStreamProcessingAdmin: {OrgMember},
	OrgReadOnly:              {OrgMember},
	GroupOwner:               Project,
	GroupDataAccessAdmin:     {GroupDataAccessReadWrite, GroupDataAccessReadOnly, GroupReadOnly},
	GroupDataAccessReadWrite: {GroupDataAccessReadOnly, GroupReadOnly},
}

func init() {
	for _, role := range Project {
		if _, ok := implied[role]; !ok {
			implied[role] = []string{GroupReadOnly}
		}
	}
}

// Expand returns held with every role that the held roles imply.
func Expand(held []string) []string {
	var out []string
	for _, role := range held {
		out = append(out, role)
		out = append(out, implied[role]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Allows reports whether the held roles, with what they imply, include one of the required ones.
func Allows(held, required []string) bool {
	for _, role := range held {
		for _, r := range required {
			if role == r || slices.Contains(implied[role], r) {
				return true
			}
		}
	}
	return false
}

// InProject returns the project roles that a credential holds in a project: its own roles there,
// plus what its organization roles give in every project of the organization (an owner owns
// them all; read-only reads them all).
func InProject(orgRoles, projectRoles []string) []string {
	held := slices.Clone(projectRoles)
	orgExpanded := Expand(orgRoles)
	if slices.Contains(orgExpanded, OrgOwner) {
		held = append(held, GroupOwner)
	}
	if slices.Contains(orgExpanded, OrgReadOnly) {
		held = append(held, GroupReadOnly)
	}
	return held
}
