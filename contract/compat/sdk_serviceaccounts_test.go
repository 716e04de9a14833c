package compat

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas-sdk/v20250312013/admin"
)

// unknownClientID is a well-formed client id that names no service account.
const unknownClientID = "mdb_sa_id_" + unknownID

func orgServiceAccountsThroughSDK(t *testing.T, s *sdkSession) {
	ctx, accounts := t.Context(), s.client.ServiceAccountsApi

	created, res, err := accounts.CreateOrgServiceAccount(ctx, s.orgID,
		admin.NewOrgServiceAccountRequest("SDK automation", "sdk-org-account", []string{"ORG_MEMBER"}, 24)).Execute()
	s.log.ok(t, "createOrgServiceAccount", res, err)
	assert.Equal(t, http.StatusCreated, res.StatusCode)
	clientID := created.GetClientId()
	require.Len(t, created.GetSecrets(), 1)
	firstSecret := created.GetSecrets()[0]
	assert.Regexp(t, `^mdb_sa_sk_`, firstSecret.GetSecret(), "the secret is shown once, on creation")

	// The new account signs in through the SDK with the secret it was given.
	account := newOAuthClient(t, s.stub.URL, clientID, firstSecret.GetSecret())
	_, res, err = account.OrganizationsApi.GetOrg(ctx, s.orgID).Execute()
	s.log.okWithOtherCredentials(t, "getOrg", res, err)

	page, res, err := accounts.ListOrgServiceAccounts(ctx, s.orgID).Execute()
	s.log.ok(t, "listOrgServiceAccounts", res, err)
	assert.Contains(t, orgClientIDs(page.GetResults()), clientID)

	got, res, err := accounts.GetOrgServiceAccount(ctx, s.orgID, clientID).Execute()
	s.log.ok(t, "getOrgServiceAccount", res, err)
	require.Len(t, got.GetSecrets(), 1)
	assert.Empty(t, got.GetSecrets()[0].GetSecret(), "later reads mask the secret")
	assert.Regexp(t, `^mdb_sa_sk_\.\.\.`, got.GetSecrets()[0].GetMaskedSecretValue())

	update := admin.NewOrgServiceAccountUpdateRequest()
	update.SetDescription("SDK automation, read only")
	update.SetRoles([]string{"ORG_READ_ONLY"})
	updated, res, err := accounts.UpdateOrgServiceAccount(ctx, clientID, s.orgID, update).Execute()
	s.log.ok(t, "updateOrgServiceAccount", res, err)
	assert.Equal(t, []string{"ORG_READ_ONLY"}, updated.GetRoles())

	groups, res, err := accounts.GetServiceAccountGroups(ctx, s.orgID, clientID).Execute()
	s.log.ok(t, "getOrgServiceAccountGroups", res, err)
	assert.Empty(t, groups.GetResults(), "an organization account belongs to no project yet")

	t.Run("secrets", func(t *testing.T) {
		secret, res, err := accounts.CreateOrgSecret(ctx, s.orgID, clientID, admin.NewServiceAccountSecretRequest(24)).Execute()
		s.log.ok(t, "createOrgServiceAccountSecret", res, err)
		assert.Regexp(t, `^mdb_sa_sk_`, secret.GetSecret())

		_, res, err = accounts.CreateOrgSecret(ctx, s.orgID, clientID, admin.NewServiceAccountSecretRequest(24)).Execute()
		s.log.fails(t, "createOrgServiceAccountSecret", res, err, http.StatusBadRequest, "SERVICE_ACCOUNT_SECRET_LIMIT_EXCEEDED")

		res, err = accounts.DeleteOrgSecret(ctx, clientID, secret.GetId(), s.orgID).Execute()
		s.log.ok(t, "deleteOrgServiceAccountSecret", res, err)
		res, err = accounts.DeleteOrgSecret(ctx, clientID, secret.GetId(), s.orgID).Execute()
		s.log.fails(t, "deleteOrgServiceAccountSecret", res, err, http.StatusNotFound, "SERVICE_ACCOUNT_SECRET_NOT_FOUND")
	})

	t.Run("access list", func(t *testing.T) {
		entries := []admin.ServiceAccountIPAccessListEntry{
			{IpAddress: ptr("127.0.0.1")}, {CidrBlock: ptr("192.0.2.0/24")}, {CidrBlock: ptr("2001:db8::1:0/112")},
		}
		added, res, err := accounts.CreateOrgAccessList(ctx, s.orgID, clientID, &entries).Execute()
		s.log.ok(t, "createOrgServiceAccountAccessList", res, err)
		assert.ElementsMatch(t, []string{"127.0.0.1/32", "192.0.2.0/24", "2001:db8::1:0/112"}, serviceAccountCIDRs(added.GetResults()))

		_, res, err = accounts.CreateOrgAccessList(ctx, s.orgID, clientID, &entries).Execute()
		s.log.fails(t, "createOrgServiceAccountAccessList", res, err, http.StatusConflict, "ADDRESS_ALREADY_IN_ACCESS_LIST")

		listed, res, err := accounts.ListOrgAccessList(ctx, s.orgID, clientID).Execute()
		s.log.ok(t, "listOrgServiceAccountAccessList", res, err)
		assert.Equal(t, 3, listed.GetTotalCount())

		// The SDK escapes the slash of a block as %2F.
		for _, block := range []string{"192.0.2.0/24", "2001:db8::1:0/112"} {
			res, err = accounts.DeleteOrgAccessEntry(ctx, s.orgID, clientID, block).Execute()
			s.log.ok(t, "deleteOrgServiceAccountAccessListEntry", res, err)
		}

		// The account's list lets loopback in: its token keeps working.
		_, res, err = account.OrganizationsApi.GetOrg(ctx, s.orgID).Execute()
		s.log.okWithOtherCredentials(t, "getOrg", res, err)
	})

	res, err = accounts.DeleteOrgServiceAccount(ctx, clientID, s.orgID).Execute()
	s.log.ok(t, "deleteOrgServiceAccount", res, err)
	_, res, err = accounts.GetOrgServiceAccount(ctx, s.orgID, clientID).Execute()
	s.log.fails(t, "getOrgServiceAccount", res, err, http.StatusNotFound, "SERVICE_ACCOUNT_NOT_FOUND")
}

func projectServiceAccountsThroughSDK(t *testing.T, s *sdkSession) {
	ctx, accounts := t.Context(), s.client.ServiceAccountsApi

	created, res, err := accounts.CreateGroupServiceAccount(ctx, s.projectID,
		admin.NewGroupServiceAccountRequest("SDK project automation", "sdk-project-account", []string{"GROUP_READ_ONLY"}, 24)).Execute()
	s.log.ok(t, "createGroupServiceAccount", res, err)
	clientID := created.GetClientId()
	assert.Equal(t, []string{"GROUP_READ_ONLY"}, created.GetRoles())

	page, res, err := accounts.ListGroupServiceAccounts(ctx, s.projectID).Execute()
	s.log.ok(t, "listGroupServiceAccounts", res, err)
	assert.Contains(t, groupClientIDs(page.GetResults()), clientID)

	_, res, err = accounts.GetGroupServiceAccount(ctx, s.projectID, clientID).Execute()
	s.log.ok(t, "getGroupServiceAccount", res, err)

	update := admin.NewGroupServiceAccountUpdateRequest()
	update.SetRoles([]string{"GROUP_OWNER"})
	updated, res, err := accounts.UpdateGroupServiceAccount(ctx, clientID, s.projectID, update).Execute()
	s.log.ok(t, "updateGroupServiceAccount", res, err)
	assert.Equal(t, []string{"GROUP_OWNER"}, updated.GetRoles())

	groups, res, err := accounts.GetServiceAccountGroups(ctx, s.orgID, clientID).Execute()
	s.log.ok(t, "getOrgServiceAccountGroups", res, err)
	require.Len(t, groups.GetResults(), 1)
	assert.Equal(t, s.projectID, groups.GetResults()[0].GetGroupId())

	secret, res, err := accounts.CreateGroupSecret(ctx, s.projectID, clientID, admin.NewServiceAccountSecretRequest(24)).Execute()
	s.log.ok(t, "createGroupServiceAccountSecret", res, err)
	res, err = accounts.DeleteGroupSecret(ctx, clientID, secret.GetId(), s.projectID).Execute()
	s.log.ok(t, "deleteGroupServiceAccountSecret", res, err)
	_, res, err = accounts.CreateGroupSecret(ctx, s.projectID, clientID, admin.NewServiceAccountSecretRequest(1)).Execute()
	s.log.fails(t, "createGroupServiceAccountSecret", res, err, http.StatusBadRequest, "INVALID_SERVICE_ACCOUNT_SECRET_EXPIRATION")

	entries := []admin.ServiceAccountIPAccessListEntry{{CidrBlock: ptr("203.0.113.0/24")}}
	added, res, err := accounts.CreateAccessList(ctx, s.projectID, clientID, &entries).Execute()
	s.log.ok(t, "createGroupServiceAccountAccessList", res, err)
	assert.Equal(t, []string{"203.0.113.0/24"}, serviceAccountCIDRs(added.GetResults()))
	listed, res, err := accounts.ListAccessList(ctx, s.projectID, clientID).Execute()
	s.log.ok(t, "listGroupServiceAccountAccessList", res, err)
	assert.Equal(t, 1, listed.GetTotalCount())
	res, err = accounts.DeleteGroupAccessEntry(ctx, s.projectID, clientID, "203.0.113.0/24").Execute()
	s.log.ok(t, "deleteGroupServiceAccountAccessListEntry", res, err)
	bad := []admin.ServiceAccountIPAccessListEntry{{CidrBlock: ptr("203.0.113.0/33")}}
	_, res, err = accounts.CreateAccessList(ctx, s.projectID, clientID, &bad).Execute()
	s.log.fails(t, "createGroupServiceAccountAccessList", res, err, http.StatusBadRequest, "INVALID_CIDR_BLOCK")

	// Deleting the account from the project only unassigns it; :invite assigns it again.
	res, err = accounts.DeleteGroupServiceAccount(ctx, clientID, s.projectID).Execute()
	s.log.ok(t, "deleteGroupServiceAccount", res, err)
	_, res, err = accounts.GetGroupServiceAccount(ctx, s.projectID, clientID).Execute()
	s.log.fails(t, "getGroupServiceAccount", res, err, http.StatusNotFound, "SERVICE_ACCOUNT_NOT_FOUND")
	invited, res, err := accounts.InviteGroupServiceAccount(ctx, clientID, s.projectID,
		admin.NewGroupServiceAccountRoleAssignment([]string{"GROUP_READ_ONLY"})).Execute()
	s.log.ok(t, "inviteGroupServiceAccount", res, err)
	assert.Equal(t, []string{"GROUP_READ_ONLY"}, invited.GetRoles())

	_, res, err = accounts.InviteGroupServiceAccount(ctx, unknownClientID, s.projectID,
		admin.NewGroupServiceAccountRoleAssignment([]string{"GROUP_READ_ONLY"})).Execute()
	s.log.fails(t, "inviteGroupServiceAccount", res, err, http.StatusNotFound, "SERVICE_ACCOUNT_NOT_FOUND")
}

func orgClientIDs(accounts []admin.OrgServiceAccount) []string {
	ids := make([]string, 0, len(accounts))
	for _, a := range accounts {
		ids = append(ids, a.GetClientId())
	}
	return ids
}

func groupClientIDs(accounts []admin.GroupServiceAccount) []string {
	ids := make([]string, 0, len(accounts))
	for _, a := range accounts {
		ids = append(ids, a.GetClientId())
	}
	return ids
}

func serviceAccountCIDRs(entries []admin.ServiceAccountIPAccessListEntry) []string {
	blocks := make([]string, 0, len(entries))
	for _, e := range entries {
		blocks = append(blocks, e.GetCidrBlock())
	}
	return blocks
}

func ptr[T any](v T) *T { return &v }
