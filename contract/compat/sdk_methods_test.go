package compat

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas-sdk/v20250312013/admin"

	"github.com/atlasstub/atlasstub/openapi"
)

// resource groups the operations whose failures the SDK's error helpers must be shown to read.
type resource string

const (
	organizations             resource = "organizations"
	projects                  resource = "projects"
	databaseUsers             resource = "database users"
	certificates              resource = "X.509 certificates"
	userSecurity              resource = "user security"
	orgServiceAccounts        resource = "organization service accounts"
	projectServiceAccounts    resource = "project service accounts"
	serviceAccountSecrets     resource = "service account secrets"
	serviceAccountAccessLists resource = "service account access lists"
	orgAPIKeys                resource = "organization API keys"
	projectAPIKeys            resource = "project API keys"
	apiKeyAccessLists         resource = "API key access lists"
)

var allResources = []resource{
	organizations, projects, databaseUsers, certificates, userSecurity, orgServiceAccounts,
	projectServiceAccounts, serviceAccountSecrets, serviceAccountAccessLists, orgAPIKeys,
	projectAPIKeys, apiKeyAccessLists,
}

const (
	v2Prefix  = "/api/atlas/v2"
	sdkModule = "go.mongodb.org/atlas-sdk/v20250312013"
)

// sdkMethod is the SDK method behind one operation: the service field of admin.APIClient and the
// method name, which come from the official specification's tag and x-xgen-operation-id-override.
type sdkMethod struct {
	service, method string
	resource        resource
}

func (m sdkMethod) String() string { return m.service + "." + m.method }

// sdkMethods maps every v2 operationId of openapi/atlas.yaml (the official operationIds) to the
// SDK method that calls it. TestSDKMethodTableMatchesTheSpec keeps it complete, and the SDK
// tests record each operation they reach, so that none can be forgotten.
var sdkMethods = map[string]sdkMethod{
	"listOrgs":          {"OrganizationsApi", "ListOrgs", organizations},
	"getOrg":            {"OrganizationsApi", "GetOrg", organizations},
	"getOrgGroups":      {"OrganizationsApi", "GetOrgGroups", organizations},
	"getOrgSettings":    {"OrganizationsApi", "GetOrgSettings", organizations},
	"updateOrgSettings": {"OrganizationsApi", "UpdateOrgSettings", organizations},

	"listGroups":     {"ProjectsApi", "ListGroups", projects},
	"createGroup":    {"ProjectsApi", "CreateGroup", projects},
	"getGroup":       {"ProjectsApi", "GetGroup", projects},
	"updateGroup":    {"ProjectsApi", "UpdateGroup", projects},
	"deleteGroup":    {"ProjectsApi", "DeleteGroup", projects},
	"getGroupByName": {"ProjectsApi", "GetGroupByName", projects},

	"listGroupDatabaseUsers":  {"DatabaseUsersApi", "ListDatabaseUsers", databaseUsers},
	"createGroupDatabaseUser": {"DatabaseUsersApi", "CreateDatabaseUser", databaseUsers},
	"getGroupDatabaseUser":    {"DatabaseUsersApi", "GetDatabaseUser", databaseUsers},
	"updateGroupDatabaseUser": {"DatabaseUsersApi", "UpdateDatabaseUser", databaseUsers},
	"deleteGroupDatabaseUser": {"DatabaseUsersApi", "DeleteDatabaseUser", databaseUsers},

	"listGroupDatabaseUserCerts":  {"X509AuthenticationApi", "ListDatabaseUserCerts", certificates},
	"createGroupDatabaseUserCert": {"X509AuthenticationApi", "CreateDatabaseUserCert", certificates},

	"getGroupUserSecurity":                 {"LDAPConfigurationApi", "GetUserSecurity", userSecurity},
	"updateGroupUserSecurity":              {"LDAPConfigurationApi", "UpdateUserSecurity", userSecurity},
	"disableGroupUserSecurityCustomerX509": {"X509AuthenticationApi", "DisableSecurityCustomerX509", userSecurity},

	"listOrgServiceAccounts":     {"ServiceAccountsApi", "ListOrgServiceAccounts", orgServiceAccounts},
	"createOrgServiceAccount":    {"ServiceAccountsApi", "CreateOrgServiceAccount", orgServiceAccounts},
	"getOrgServiceAccount":       {"ServiceAccountsApi", "GetOrgServiceAccount", orgServiceAccounts},
	"updateOrgServiceAccount":    {"ServiceAccountsApi", "UpdateOrgServiceAccount", orgServiceAccounts},
	"deleteOrgServiceAccount":    {"ServiceAccountsApi", "DeleteOrgServiceAccount", orgServiceAccounts},
	"getOrgServiceAccountGroups": {"ServiceAccountsApi", "GetServiceAccountGroups", orgServiceAccounts},

	"listGroupServiceAccounts":  {"ServiceAccountsApi", "ListGroupServiceAccounts", projectServiceAccounts},
	"createGroupServiceAccount": {"ServiceAccountsApi", "CreateGroupServiceAccount", projectServiceAccounts},
	"getGroupServiceAccount":    {"ServiceAccountsApi", "GetGroupServiceAccount", projectServiceAccounts},
	"updateGroupServiceAccount": {"ServiceAccountsApi", "UpdateGroupServiceAccount", projectServiceAccounts},
	"deleteGroupServiceAccount": {"ServiceAccountsApi", "DeleteGroupServiceAccount", projectServiceAccounts},
	"inviteGroupServiceAccount": {"ServiceAccountsApi", "InviteGroupServiceAccount", projectServiceAccounts},

	"createOrgServiceAccountSecret":   {"ServiceAccountsApi", "CreateOrgSecret", serviceAccountSecrets},
	"deleteOrgServiceAccountSecret":   {"ServiceAccountsApi", "DeleteOrgSecret", serviceAccountSecrets},
	"createGroupServiceAccountSecret": {"ServiceAccountsApi", "CreateGroupSecret", serviceAccountSecrets},
	"deleteGroupServiceAccountSecret": {"ServiceAccountsApi", "DeleteGroupSecret", serviceAccountSecrets},

	"listOrgServiceAccountAccessList":          {"ServiceAccountsApi", "ListOrgAccessList", serviceAccountAccessLists},
	"createOrgServiceAccountAccessList":        {"ServiceAccountsApi", "CreateOrgAccessList", serviceAccountAccessLists},
	"deleteOrgServiceAccountAccessListEntry":   {"ServiceAccountsApi", "DeleteOrgAccessEntry", serviceAccountAccessLists},
	"listGroupServiceAccountAccessList":        {"ServiceAccountsApi", "ListAccessList", serviceAccountAccessLists},
	"createGroupServiceAccountAccessList":      {"ServiceAccountsApi", "CreateAccessList", serviceAccountAccessLists},
	"deleteGroupServiceAccountAccessListEntry": {"ServiceAccountsApi", "DeleteGroupAccessEntry", serviceAccountAccessLists},

	"listOrgApiKeys":  {"ProgrammaticAPIKeysApi", "ListOrgApiKeys", orgAPIKeys},
	"createOrgApiKey": {"ProgrammaticAPIKeysApi", "CreateOrgApiKey", orgAPIKeys},
	"getOrgApiKey":    {"ProgrammaticAPIKeysApi", "GetOrgApiKey", orgAPIKeys},
	"updateOrgApiKey": {"ProgrammaticAPIKeysApi", "UpdateOrgApiKey", orgAPIKeys},
	"deleteOrgApiKey": {"ProgrammaticAPIKeysApi", "DeleteOrgApiKey", orgAPIKeys},

	"listOrgApiKeyAccessListEntries": {"ProgrammaticAPIKeysApi", "ListOrgAccessEntries", apiKeyAccessLists},
	"createOrgApiKeyAccessListEntry": {"ProgrammaticAPIKeysApi", "CreateOrgAccessEntry", apiKeyAccessLists},
	"getOrgApiKeyAccessListEntry":    {"ProgrammaticAPIKeysApi", "GetOrgAccessEntry", apiKeyAccessLists},
	"deleteOrgApiKeyAccessListEntry": {"ProgrammaticAPIKeysApi", "DeleteAccessEntry", apiKeyAccessLists},

	"listGroupApiKeys":       {"ProgrammaticAPIKeysApi", "ListGroupApiKeys", projectAPIKeys},
	"createGroupApiKey":      {"ProgrammaticAPIKeysApi", "CreateGroupApiKey", projectAPIKeys},
	"addGroupApiKey":         {"ProgrammaticAPIKeysApi", "AddGroupApiKey", projectAPIKeys},
	"updateGroupApiKeyRoles": {"ProgrammaticAPIKeysApi", "UpdateApiKeyRoles", projectAPIKeys},
	"removeGroupApiKey":      {"ProgrammaticAPIKeysApi", "RemoveGroupApiKey", projectAPIKeys},
}

// v2OperationIDs returns the operationIds of every /api/atlas/v2 operation of our specification.
func v2OperationIDs(t *testing.T) []string {
	t.Helper()
	doc, err := openapi.LoadAtlas()
	require.NoError(t, err)
	var ids []string
	for path, item := range doc.Paths.Map() {
		if !strings.HasPrefix(path, v2Prefix) {
			continue
		}
		for _, op := range item.Operations() {
			ids = append(ids, op.OperationID)
		}
	}
	slices.Sort(ids)
	return ids
}

func TestSDKMethodTableMatchesTheSpec(t *testing.T) {
	ids := v2OperationIDs(t)
	for _, id := range ids {
		assert.Contains(t, sdkMethods, id, "a v2 operation of openapi/atlas.yaml has no SDK method in sdkMethods")
	}
	for id := range sdkMethods {
		assert.Contains(t, ids, id, "sdkMethods names an operation that openapi/atlas.yaml does not have")
	}

	client := reflect.ValueOf(admin.NewAPIClient(admin.NewConfiguration())).Elem()
	resources := map[resource]bool{}
	for id, m := range sdkMethods {
		service := client.FieldByName(m.service)
		if assert.True(t, service.IsValid(), "%s: %s has no service %s", id, sdkModule, m.service) {
			assert.True(t, service.MethodByName(m.method).IsValid(), "%s: %s has no method %s", id, sdkModule, m)
		}
		resources[m.resource] = true
	}
	assert.Len(t, resources, len(allResources), "every resource has operations")
}
