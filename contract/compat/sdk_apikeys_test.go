package compat

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas-sdk/v20250312013/admin"
)

func orgAPIKeysThroughSDK(t *testing.T, s *sdkSession) {
	ctx, keys := t.Context(), s.client.ProgrammaticAPIKeysApi

	created, res, err := keys.CreateOrgApiKey(ctx, s.orgID, admin.NewCreateAtlasOrganizationApiKey("SDK key", []string{"ORG_MEMBER"})).Execute()
	s.log.ok(t, "createOrgApiKey", res, err)
	id := created.GetId()
	assert.Regexp(t, `^[a-z]{8}$`, created.GetPublicKey())
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, created.GetPrivateKey(), "the private key is shown once, on creation")

	// The new key signs in through the SDK over Digest.
	key := newDigestClient(t, s.stub.URL, created.GetPublicKey(), created.GetPrivateKey())
	_, res, err = key.OrganizationsApi.GetOrg(ctx, s.orgID).Execute()
	s.log.okWithOtherCredentials(t, "getOrg", res, err)

	page, res, err := keys.ListOrgApiKeys(ctx, s.orgID).Execute()
	s.log.ok(t, "listOrgApiKeys", res, err)
	assert.Contains(t, apiKeyIDs(page.GetResults()), id)

	got, res, err := keys.GetOrgApiKey(ctx, s.orgID, id).Execute()
	s.log.ok(t, "getOrgApiKey", res, err)
	assert.Regexp(t, `^\*{8}-\*{4}-\*{4}-[0-9a-f]{12}$`, got.GetPrivateKey(), "later reads redact the private key")

	update := admin.NewUpdateAtlasOrganizationApiKey()
	update.SetDesc("SDK key, renamed")
	updated, res, err := keys.UpdateOrgApiKey(ctx, s.orgID, id, update).Execute()
	s.log.ok(t, "updateOrgApiKey", res, err)
	assert.Equal(t, "SDK key, renamed", updated.GetDesc())

	t.Run("access list", func(t *testing.T) {
		entries := []admin.UserAccessListRequest{
			{IpAddress: ptr("127.0.0.1")}, {CidrBlock: ptr("198.51.100.0/24")}, {IpAddress: ptr("2001:db8::1")},
		}
		added, res, err := keys.CreateOrgAccessEntry(ctx, s.orgID, id, &entries).Execute()
		s.log.ok(t, "createOrgApiKeyAccessListEntry", res, err)
		assert.Equal(t, 3, added.GetTotalCount())

		listed, res, err := keys.ListOrgAccessEntries(ctx, s.orgID, id).Execute()
		s.log.ok(t, "listOrgApiKeyAccessListEntries", res, err)
		require.Len(t, listed.GetResults(), 3)

		entry, res, err := keys.GetOrgAccessEntry(ctx, s.orgID, "198.51.100.0/24", id).Execute()
		s.log.ok(t, "getOrgApiKeyAccessListEntry", res, err)
		assert.Equal(t, "198.51.100.0/24", entry.GetCidrBlock())

		// An IPv6 address, compressed with "::", travels with its colons unescaped.
		entry, res, err = keys.GetOrgAccessEntry(ctx, s.orgID, "2001:db8::1", id).Execute()
		s.log.ok(t, "getOrgApiKeyAccessListEntry", res, err)
		assert.Equal(t, "2001:db8::1", entry.GetIpAddress())
		assert.Equal(t, "2001:db8::1/128", entry.GetCidrBlock())
		res, err = keys.DeleteAccessEntry(ctx, s.orgID, id, "2001:db8::1").Execute()
		s.log.ok(t, "deleteOrgApiKeyAccessListEntry", res, err)

		res, err = keys.DeleteAccessEntry(ctx, s.orgID, id, "198.51.100.0/24").Execute()
		s.log.ok(t, "deleteOrgApiKeyAccessListEntry", res, err)
		_, res, err = keys.GetOrgAccessEntry(ctx, s.orgID, "198.51.100.0/24", id).Execute()
		s.log.fails(t, "getOrgApiKeyAccessListEntry", res, err, http.StatusNotFound, "ACCESS_LIST_ENTRY_NOT_FOUND")

		// The key's list lets loopback in: it keeps working.
		_, res, err = key.OrganizationsApi.GetOrg(ctx, s.orgID).Execute()
		s.log.okWithOtherCredentials(t, "getOrg", res, err)
	})

	res, err = keys.DeleteOrgApiKey(ctx, s.orgID, id).Execute()
	s.log.ok(t, "deleteOrgApiKey", res, err)
	_, res, err = keys.GetOrgApiKey(ctx, s.orgID, id).Execute()
	s.log.fails(t, "getOrgApiKey", res, err, http.StatusBadRequest, "API_KEY_NOT_FOUND")
}

func projectAPIKeysThroughSDK(t *testing.T, s *sdkSession) {
	ctx, keys := t.Context(), s.client.ProgrammaticAPIKeysApi

	created, res, err := keys.CreateGroupApiKey(ctx, s.projectID, admin.NewCreateAtlasProjectApiKey("SDK project key", []string{"GROUP_READ_ONLY"})).Execute()
	s.log.ok(t, "createGroupApiKey", res, err)
	id := created.GetId()
	assert.Equal(t, []string{"GROUP_READ_ONLY"}, projectRoles(created, s.projectID))

	page, res, err := keys.ListGroupApiKeys(ctx, s.projectID).Execute()
	s.log.ok(t, "listGroupApiKeys", res, err)
	assert.Contains(t, apiKeyIDs(page.GetResults()), id)

	update := admin.NewUpdateAtlasProjectApiKey()
	update.SetRoles([]string{"GROUP_OWNER"})
	updated, res, err := keys.UpdateApiKeyRoles(ctx, s.projectID, id, update).Execute()
	s.log.ok(t, "updateGroupApiKeyRoles", res, err)
	assert.Equal(t, []string{"GROUP_OWNER"}, projectRoles(updated, s.projectID))

	res, err = keys.RemoveGroupApiKey(ctx, s.projectID, id).Execute()
	s.log.ok(t, "removeGroupApiKey", res, err)
	page, res, err = keys.ListGroupApiKeys(ctx, s.projectID).Execute()
	s.log.ok(t, "listGroupApiKeys", res, err)
	assert.NotContains(t, apiKeyIDs(page.GetResults()), id)

	assignment := []admin.UserAccessRoleAssignment{{Roles: &[]string{"GROUP_READ_ONLY"}}}
	res, err = keys.AddGroupApiKey(ctx, s.projectID, id, &assignment).Execute()
	s.log.ok(t, "addGroupApiKey", res, err)
	assert.Equal(t, http.StatusNoContent, res.StatusCode)
	page, res, err = keys.ListGroupApiKeys(ctx, s.projectID).Execute()
	s.log.ok(t, "listGroupApiKeys", res, err)
	assert.Contains(t, apiKeyIDs(page.GetResults()), id)

	res, err = keys.AddGroupApiKey(ctx, s.projectID, unknownID, &assignment).Execute()
	s.log.fails(t, "addGroupApiKey", res, err, http.StatusBadRequest, "API_KEY_NOT_FOUND")
}

func apiKeyIDs(keys []admin.ApiKeyUserDetails) []string {
	ids := make([]string, 0, len(keys))
	for _, k := range keys {
		ids = append(ids, k.GetId())
	}
	return ids
}

// projectRoles returns the roles a key holds in one project.
func projectRoles(key *admin.ApiKeyUserDetails, groupID string) []string {
	var roles []string
	for _, r := range key.GetRoles() {
		if r.GetGroupId() == groupID {
			roles = append(roles, r.GetRoleName())
		}
	}
	return roles
}
