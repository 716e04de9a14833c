package engine

import (
	"strings"

	"github.com/atlasstub/atlasstub/server/apierror"
)

// Atlas answers a missing resource with a code of its kind (CLUSTER_NOT_FOUND), and a name taken
// twice with one too (DUPLICATE_CLUSTER_NAME). missingCodes and duplicateCodes name them by the
// last segment of the collection's path; other kinds get RESOURCE_NOT_FOUND and the stub's
// RESOURCE_ALREADY_EXISTS.
var missingCodes = map[string]apierror.Code{
	"clusters":          apierror.ClusterNotFound,
	"flexClusters":      apierror.ClusterNotFound,
	"serverless":        apierror.ServerlessNotFound,
	"alertConfigs":      apierror.AlertConfigNotFound,
	"alerts":            apierror.AlertNotFound,
	"accessList":        apierror.NetworkPermissionNotFound,
	"roles":             apierror.CustomRoleNotFound, // customDBRoles/roles
	"users":             apierror.UserNotFound,
	"snapshots":         apierror.SnapshotNotFound,
	"restoreJobs":       apierror.RestoreJobNotFound,
	"backupCheckpoints": apierror.CheckpointNotFound,
	"restores":          apierror.TenantRestoreNotFound, // backup/tenant/restores
	"peers":             apierror.PeerNotFound,
	"containers":        apierror.ContainerNotFound,
	"dataFederation":    apierror.DataFederationNotFound,
	"invoices":          apierror.InvoiceNotFound,
	"integrations":      apierror.IntegrationNotConfigured,
	"endpointService":   apierror.PrivateLinkNotFound,
	"endpoint":          apierror.PrivateEndpointNotFound,
	"exportBuckets":     apierror.ExportBucketNotFound,
	"verify":            apierror.LDAPVerifyRequestNotFound,
	"processes":         apierror.HostNotFound,
}

var duplicateCodes = map[string]apierror.Code{
	"clusters":       apierror.DuplicateClusterName,
	"flexClusters":   apierror.DuplicateClusterName,
	"roles":          apierror.CustomRoleExists,
	"dataFederation": apierror.DataFederationExists,
	"integrations":   apierror.IntegrationConfigured,
}

// errorsOf picks a collection's codes. Teams are members of an organization (TEAM_NOT_FOUND)
// and assigned to projects (TEAM_NOT_IN_GROUP); events of a project or of an organization.
func errorsOf(c *collection) (notFound, conflict apierror.Code) {
	last := lastSegment(c.template)
	notFound, conflict = apierror.ResourceNotFound, apierror.ResourceExists
	if code, ok := missingCodes[last]; ok {
		notFound = code
	}
	if code, ok := duplicateCodes[last]; ok {
		conflict = code
	}
	inProject := strings.Contains(c.template, "/groups/{}")
	switch last {
	case "teams":
		notFound, conflict = apierror.TeamNotFound, apierror.TeamNameNotAvailable
		if inProject {
			notFound, conflict = apierror.TeamNotInGroup, apierror.TeamExistsInGroup
		}
	case "events":
		notFound = apierror.OrgEventNotFound
		if inProject {
			notFound = apierror.EventNotFound
		}
	case "snapshots":
		if strings.Contains(c.template, "/tenant/") {
			notFound = apierror.TenantSnapshotNotFound
		}
	}
	return notFound, conflict
}

// codeError is the error of code about the resource id in scope (what it lives in): the
// parameters fill the code's template, which names the id and, where it says so, the scope.
func codeError(code apierror.Code, id, scope string) *apierror.Error {
	switch {
	case strings.Contains(code.Template, "%[2]"):
		return code.New(id, scope)
	case strings.Contains(code.Template, "%"):
		return code.New(id)
	}
	return code.New()
}
