package client

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/openapi"
)

// TestClientOffersEveryOperation compares the methods of Client with the specification: one
// method per operationId, an iterator for every paginated GET, and nothing else.
func TestClientOffersEveryOperation(t *testing.T) {
	doc, err := openapi.LoadAtlas()
	require.NoError(t, err)
	var want []string
	for _, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			name := strings.ToUpper(op.OperationID[:1]) + op.OperationID[1:]
			want = append(want, name)
			if method == "GET" && op.Parameters.GetByInAndName("query", "pageNum") != nil {
				want = append(want, name+"All")
			}
		}
	}
	var got []string
	clientType := reflect.TypeFor[*Client]()
	for i := range clientType.NumMethod() {
		got = append(got, clientType.Method(i).Name)
	}
	slices.Sort(want)
	slices.Sort(got)
	assert.Equal(t, want, got)
	assert.Len(t, want, 69+14, "69 operations, 14 of them paginated GETs")
}

// TestEveryOperation calls every operation of the specification through the client, signed in
// with each kind of credentials, and checks that the validating transport saw a request of each.
func TestEveryOperation(t *testing.T) {
	doc, err := openapi.LoadAtlas()
	require.NoError(t, err)
	var all []string
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			all = append(all, op.OperationID)
		}
	}
	slices.Sort(all)

	for _, kind := range authKinds {
		t.Run(kind.name, func(t *testing.T) {
			t.Parallel()
			c, stub, spec := newStubClient(t, kind.option)
			s := &scenario{t: t, c: c, ctx: context.Background(), orgID: stub.Credentials.OrgId,
				clientID: stub.Credentials.ServiceAccount.ClientId, clientSecret: stub.Credentials.ServiceAccount.ClientSecret}
			s.organizations()
			s.projects()
			s.databaseUsersAndCertificates()
			s.userSecurity(caPEM(t))
			s.organizationServiceAccounts()
			s.projectServiceAccounts()
			s.apiKeys()
			s.legacy(caPEM(t))
			s.cloudManager()
			s.oauth()
			s.cleanUp()
			assert.Equal(t, all, spec.operations(), "every operation went out through the client")
		})
	}
}

// scenario is a walk through every operation, in an order that lets each one succeed.
type scenario struct {
	t                      *testing.T
	c                      *Client
	ctx                    context.Context
	orgID, groupID         string
	clientID, clientSecret string // the bootstrap service account's
	orgAccount             string // client id of an organization service account
	orgKey                 string // id of an organization API key
}

func (s *scenario) organizations() {
	t, c, ctx := s.t, s.c, s.ctx
	orgs, err := c.ListOrgs(ctx, nil)
	require.NoError(t, err)
	require.Len(t, *orgs.Results, 1)
	assert.Equal(t, s.orgID, *(*orgs.Results)[0].Id)
	assert.Len(t, collect(t, c.ListOrgsAll(ctx, nil)), 1)

	org, err := c.GetOrg(ctx, s.orgID, nil)
	require.NoError(t, err)
	assert.Equal(t, "atlasstub", org.Name)

	settings, err := c.UpdateOrgSettings(ctx, s.orgID, nil, atlasapi.OrganizationSettings{MaxServiceAccountSecretValidityInHours: ptr(int32(4000))})
	require.NoError(t, err)
	assert.Equal(t, int32(4000), *settings.MaxServiceAccountSecretValidityInHours)
	settings, err = c.GetOrgSettings(ctx, s.orgID, nil)
	require.NoError(t, err)
	assert.Equal(t, int32(4000), *settings.MaxServiceAccountSecretValidityInHours)

	info, err := c.GetIpInfo(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1", *info.CurrentIpv4Address)
}

func (s *scenario) projects() {
	t, c, ctx := s.t, s.c, s.ctx
	created, err := c.CreateGroup(ctx, nil, atlasapi.Group{Name: "every operation", OrgId: s.orgID})
	require.NoError(t, err)
	s.groupID = *created.Id

	got, err := c.GetGroup(ctx, s.groupID, nil)
	require.NoError(t, err)
	assert.Equal(t, "every operation", got.Name)
	renamed, err := c.UpdateGroup(ctx, s.groupID, nil, atlasapi.GroupUpdate{Name: ptr("every-operation")})
	require.NoError(t, err)
	assert.Equal(t, "every-operation", renamed.Name)
	byName, err := c.GetGroupByName(ctx, "every-operation", nil)
	require.NoError(t, err)
	assert.Equal(t, s.groupID, *byName.Id)

	groups, err := c.ListGroups(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, int32(2), *groups.TotalCount, "Project0 and the new one")
	assert.Len(t, collect(t, c.ListGroupsAll(ctx, nil)), 2)
	orgGroups, err := c.GetOrgGroups(ctx, s.orgID, nil)
	require.NoError(t, err)
	assert.Len(t, *orgGroups.Results, 2)
	assert.Len(t, collect(t, c.GetOrgGroupsAll(ctx, s.orgID, nil)), 2)
}

func (s *scenario) databaseUsersAndCertificates() {
	t, c, ctx := s.t, s.c, s.ctx
	user, err := c.CreateGroupDatabaseUser(ctx, s.groupID, nil, atlasapi.CloudDatabaseUser{
		GroupId: s.groupID, DatabaseName: atlasapi.External, Username: "alice",
		X509Type: ptr(atlasapi.CloudDatabaseUserX509TypeMANAGED),
		Roles:    &[]atlasapi.DatabaseUserRole{{DatabaseName: "admin", RoleName: "readAnyDatabase"}},
	})
	require.NoError(t, err)
	assert.Equal(t, "alice", user.Username)
	got, err := c.GetGroupDatabaseUser(ctx, s.groupID, string(atlasapi.External), "alice", nil)
	require.NoError(t, err)
	assert.Equal(t, atlasapi.CloudDatabaseUserX509TypeMANAGED, *got.X509Type)
	updated, err := c.UpdateGroupDatabaseUser(ctx, s.groupID, string(atlasapi.External), "alice", nil, atlasapi.CloudDatabaseUser{
		GroupId: s.groupID, DatabaseName: atlasapi.External, Username: "alice", Description: ptr("reads everything"),
	})
	require.NoError(t, err)
	assert.Equal(t, "reads everything", *updated.Description)
	users, err := c.ListGroupDatabaseUsers(ctx, s.groupID, nil)
	require.NoError(t, err)
	assert.Len(t, *users.Results, 1)
	assert.Len(t, collect(t, c.ListGroupDatabaseUsersAll(ctx, s.groupID, nil)), 1)

	cert, err := c.CreateGroupDatabaseUserCert(ctx, s.groupID, "alice", nil, atlasapi.UserCert{MonthsUntilExpiration: ptr(int32(3))})
	require.NoError(t, err)
	assert.Equal(t, "alice", cert.X509.Subject.CommonName)
	certs, err := c.ListGroupDatabaseUserCerts(ctx, s.groupID, "alice", nil)
	require.NoError(t, err)
	require.Len(t, *certs.Results, 1)
	assert.Equal(t, cert.X509.SerialNumber.Int64(), *(*certs.Results)[0].UnderscoreId)
	assert.Len(t, collect(t, c.ListGroupDatabaseUserCertsAll(ctx, s.groupID, "alice", nil)), 1)
}

func (s *scenario) userSecurity(ca string) {
	t, c, ctx := s.t, s.c, s.ctx
	updated, err := c.UpdateGroupUserSecurity(ctx, s.groupID, nil, atlasapi.UserSecurity{CustomerX509: &atlasapi.DBUserTLSX509Settings{Cas: &ca}})
	require.NoError(t, err)
	assert.Equal(t, ca, *updated.CustomerX509.Cas)
	got, err := c.GetGroupUserSecurity(ctx, s.groupID, nil)
	require.NoError(t, err)
	assert.Equal(t, ca, *got.CustomerX509.Cas)
	disabled, err := c.DisableGroupUserSecurityCustomerX509(ctx, s.groupID, nil)
	require.NoError(t, err)
	assert.True(t, disabled.CustomerX509 == nil || disabled.CustomerX509.Cas == nil, "no CA left: %+v", disabled.CustomerX509)
}

func (s *scenario) organizationServiceAccounts() {
	t, c, ctx := s.t, s.c, s.ctx
	account, err := c.CreateOrgServiceAccount(ctx, s.orgID, nil, atlasapi.OrgServiceAccountRequest{
		Name: "rotation", Description: "rotates secrets", Roles: []atlasapi.OrgServiceAccountRole{atlasapi.OrgServiceAccountRoleORGMEMBER}, SecretExpiresAfterHours: 720,
	})
	require.NoError(t, err)
	s.orgAccount = *account.ClientId
	firstSecret := *(*account.Secrets)[0].Id

	got, err := c.GetOrgServiceAccount(ctx, s.orgID, s.orgAccount, nil)
	require.NoError(t, err)
	assert.Equal(t, "rotation", *got.Name)
	updated, err := c.UpdateOrgServiceAccount(ctx, s.orgID, s.orgAccount, nil, atlasapi.OrgServiceAccountUpdateRequest{Name: ptr("rotated")})
	require.NoError(t, err)
	assert.Equal(t, "rotated", *updated.Name)
	accounts, err := c.ListOrgServiceAccounts(ctx, s.orgID, nil)
	require.NoError(t, err)
	assert.Len(t, *accounts.Results, 2, "with the bootstrap account")
	assert.Len(t, collect(t, c.ListOrgServiceAccountsAll(ctx, s.orgID, nil)), 2)

	// A CIDR block travels in the path with its slash escaped.
	added, err := c.CreateOrgServiceAccountAccessList(ctx, s.orgID, s.orgAccount, nil, []atlasapi.ServiceAccountIPAccessListEntry{{CidrBlock: ptr("198.51.100.0/24")}})
	require.NoError(t, err)
	assert.Len(t, *added.Results, 1)
	entries, err := c.ListOrgServiceAccountAccessList(ctx, s.orgID, s.orgAccount, nil)
	require.NoError(t, err)
	assert.Equal(t, "198.51.100.0/24", *(*entries.Results)[0].CidrBlock)
	assert.Len(t, collect(t, c.ListOrgServiceAccountAccessListAll(ctx, s.orgID, s.orgAccount, nil)), 1)
	require.NoError(t, c.DeleteOrgServiceAccountAccessListEntry(ctx, s.orgID, s.orgAccount, "198.51.100.0/24", nil))

	secret, err := c.CreateOrgServiceAccountSecret(ctx, s.orgID, s.orgAccount, nil, atlasapi.ServiceAccountSecretRequest{SecretExpiresAfterHours: 24})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(secret.Value, "mdb_sa_sk_"), secret.Value)
	require.NoError(t, c.DeleteOrgServiceAccountSecret(ctx, s.orgID, s.orgAccount, firstSecret, nil))
}

func (s *scenario) projectServiceAccounts() {
	t, c, ctx := s.t, s.c, s.ctx
	account, err := c.CreateGroupServiceAccount(ctx, s.groupID, nil, atlasapi.GroupServiceAccountRequest{
		Name: "deployer", Description: "deploys", Roles: []string{"GROUP_READ_ONLY"}, SecretExpiresAfterHours: 720,
	})
	require.NoError(t, err)
	clientID := *account.ClientId
	firstSecret := *(*account.Secrets)[0].Id

	got, err := c.GetGroupServiceAccount(ctx, s.groupID, clientID, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"GROUP_READ_ONLY"}, *got.Roles)
	updated, err := c.UpdateGroupServiceAccount(ctx, s.groupID, clientID, nil, atlasapi.GroupServiceAccountUpdateRequest{Roles: &[]string{"GROUP_OWNER"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"GROUP_OWNER"}, *updated.Roles)
	accounts, err := c.ListGroupServiceAccounts(ctx, s.groupID, nil)
	require.NoError(t, err)
	assert.Len(t, *accounts.Results, 1)
	assert.Len(t, collect(t, c.ListGroupServiceAccountsAll(ctx, s.groupID, nil)), 1)

	groups, err := c.GetOrgServiceAccountGroups(ctx, s.orgID, clientID, nil)
	require.NoError(t, err)
	require.Len(t, *groups.Results, 1)
	assert.Equal(t, s.groupID, *(*groups.Results)[0].GroupId)
	assert.Len(t, collect(t, c.GetOrgServiceAccountGroupsAll(ctx, s.orgID, clientID, nil)), 1)

	_, err = c.CreateGroupServiceAccountAccessList(ctx, s.groupID, clientID, nil, []atlasapi.ServiceAccountIPAccessListEntry{{IpAddress: ptr("203.0.113.7")}})
	require.NoError(t, err)
	entries, err := c.ListGroupServiceAccountAccessList(ctx, s.groupID, clientID, nil)
	require.NoError(t, err)
	assert.Equal(t, "203.0.113.7", *(*entries.Results)[0].IpAddress)
	assert.Len(t, collect(t, c.ListGroupServiceAccountAccessListAll(ctx, s.groupID, clientID, nil)), 1)
	require.NoError(t, c.DeleteGroupServiceAccountAccessListEntry(ctx, s.groupID, clientID, "203.0.113.7", nil))

	secret, err := c.CreateGroupServiceAccountSecret(ctx, s.groupID, clientID, nil, atlasapi.ServiceAccountSecretRequest{SecretExpiresAfterHours: 24})
	require.NoError(t, err)
	assert.NotEqual(t, firstSecret, secret.ID)
	require.NoError(t, c.DeleteGroupServiceAccountSecret(ctx, s.groupID, clientID, firstSecret, nil))

	require.NoError(t, c.DeleteGroupServiceAccount(ctx, s.groupID, clientID, nil))
	invited, err := c.InviteGroupServiceAccount(ctx, s.groupID, clientID, nil, atlasapi.GroupServiceAccountRoleAssignment{Roles: []string{"GROUP_READ_ONLY"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"GROUP_READ_ONLY"}, *invited.Roles)
}

func (s *scenario) apiKeys() {
	t, c, ctx := s.t, s.c, s.ctx
	key, err := c.CreateOrgApiKey(ctx, s.orgID, nil, atlasapi.CreateAtlasOrganizationApiKey{Desc: "ci", Roles: []atlasapi.OrgRole{atlasapi.OrgRoleORGMEMBER}})
	require.NoError(t, err)
	s.orgKey = *key.Id
	assert.NotContains(t, *key.PrivateKey, "*", "unredacted once, at creation")
	got, err := c.GetOrgApiKey(ctx, s.orgID, s.orgKey, nil)
	require.NoError(t, err)
	assert.Contains(t, *got.PrivateKey, "*")
	updated, err := c.UpdateOrgApiKey(ctx, s.orgID, s.orgKey, nil, atlasapi.UpdateAtlasOrganizationApiKey{Desc: ptr("ci pipeline")})
	require.NoError(t, err)
	assert.Equal(t, "ci pipeline", *updated.Desc)
	keys, err := c.ListOrgApiKeys(ctx, s.orgID, nil)
	require.NoError(t, err)
	assert.Len(t, *keys.Results, 2, "with the bootstrap key")
	assert.Len(t, collect(t, c.ListOrgApiKeysAll(ctx, s.orgID, nil)), 2)

	_, err = c.CreateOrgApiKeyAccessListEntry(ctx, s.orgID, s.orgKey, nil, []atlasapi.UserAccessListRequest{{IpAddress: ptr("203.0.113.8")}})
	require.NoError(t, err)
	entry, err := c.GetOrgApiKeyAccessListEntry(ctx, s.orgID, s.orgKey, "203.0.113.8", nil)
	require.NoError(t, err)
	assert.Equal(t, "203.0.113.8/32", *entry.CidrBlock)
	entries, err := c.ListOrgApiKeyAccessListEntries(ctx, s.orgID, s.orgKey, nil)
	require.NoError(t, err)
	assert.Len(t, *entries.Results, 1)
	assert.Len(t, collect(t, c.ListOrgApiKeyAccessListEntriesAll(ctx, s.orgID, s.orgKey, nil)), 1)
	require.NoError(t, c.DeleteOrgApiKeyAccessListEntry(ctx, s.orgID, s.orgKey, "203.0.113.8", nil))

	projectKey, err := c.CreateGroupApiKey(ctx, s.groupID, nil, atlasapi.CreateAtlasProjectApiKey{Desc: "deploy", Roles: []atlasapi.AnyRole{atlasapi.AnyRoleGROUPREADONLY}})
	require.NoError(t, err)
	assert.NotEmpty(t, *projectKey.PublicKey)
	require.NoError(t, c.AddGroupApiKey(ctx, s.groupID, s.orgKey, nil, []atlasapi.UserAccessRoleAssignment{{Roles: &[]atlasapi.ProjectRole{atlasapi.ProjectRoleGROUPREADONLY}}}))
	projectKeys, err := c.ListGroupApiKeys(ctx, s.groupID, nil)
	require.NoError(t, err)
	assert.Len(t, *projectKeys.Results, 2)
	assert.Len(t, collect(t, c.ListGroupApiKeysAll(ctx, s.groupID, nil)), 2)
	roles, err := c.UpdateGroupApiKeyRoles(ctx, s.groupID, s.orgKey, nil, atlasapi.UpdateAtlasProjectApiKey{Roles: &[]atlasapi.ProjectRole{atlasapi.ProjectRoleGROUPOWNER}})
	require.NoError(t, err)
	assert.Contains(t, *roles.Roles, atlasapi.CloudAccessRoleAssignment{GroupId: &s.groupID, RoleName: ptr(atlasapi.AnyRoleGROUPOWNER)})
	require.NoError(t, c.RemoveGroupApiKey(ctx, s.groupID, s.orgKey, nil))
}

func (s *scenario) legacy(ca string) {
	t, c, ctx := s.t, s.c, s.ctx
	user, err := c.CreateLegacyDatabaseUser(ctx, s.groupID, nil, atlasapi.CloudDatabaseUser{
		GroupId: s.groupID, DatabaseName: atlasapi.External, Username: "bob", X509Type: ptr(atlasapi.CloudDatabaseUserX509TypeMANAGED),
	})
	require.NoError(t, err)
	assert.Equal(t, "bob", user.Username)
	got, err := c.GetLegacyDatabaseUser(ctx, s.groupID, string(atlasapi.External), "bob", nil)
	require.NoError(t, err)
	assert.Equal(t, "bob", got.Username)
	cert, err := c.CreateLegacyDatabaseUserCert(ctx, s.groupID, "bob", nil, atlasapi.UserCert{MonthsUntilExpiration: ptr(int32(1))})
	require.NoError(t, err)
	assert.Equal(t, "bob", cert.X509.Subject.CommonName)
	certs, err := c.ListLegacyDatabaseUserCerts(ctx, s.groupID, "bob", nil)
	require.NoError(t, err)
	assert.Len(t, *certs.Results, 1)
	assert.Len(t, collect(t, c.ListLegacyDatabaseUserCertsAll(ctx, s.groupID, "bob", nil)), 1)

	updated, err := c.UpdateLegacyUserSecurity(ctx, s.groupID, nil, atlasapi.UserSecurity{CustomerX509: &atlasapi.DBUserTLSX509Settings{Cas: &ca}})
	require.NoError(t, err)
	assert.Equal(t, ca, *updated.CustomerX509.Cas)
	security, err := c.GetLegacyUserSecurity(ctx, s.groupID, nil)
	require.NoError(t, err)
	assert.Equal(t, ca, *security.CustomerX509.Cas)
	disabled, err := c.DisableLegacyUserSecurityCustomerX509(ctx, s.groupID, nil)
	require.NoError(t, err)
	assert.True(t, disabled.CustomerX509 == nil || disabled.CustomerX509.Cas == nil, "no CA left: %+v", disabled.CustomerX509)
}

func (s *scenario) cloudManager() {
	t, c, ctx := s.t, s.c, s.ctx
	account, err := c.CreateCloudManagerServiceAccount(ctx, s.orgID, nil, atlasapi.OrgServiceAccountRequest{
		Name: "cloud manager", Description: "legacy automation", Roles: []atlasapi.OrgServiceAccountRole{atlasapi.OrgServiceAccountRoleORGMEMBER}, SecretExpiresAfterHours: 24,
	})
	require.NoError(t, err)
	secret, err := c.CreateCloudManagerServiceAccountSecret(ctx, s.orgID, *account.ClientId, nil, atlasapi.CloudManagerSecretRequest{SecretExpiresAfterHours: "48"})
	require.NoError(t, err)
	assert.Equal(t, 48*60*60.0, secret.ExpiresAt.Sub(secret.CreatedAt).Seconds())

	// The new secret works: it mints a token.
	token, err := c.CreateOAuthToken(ctx, *account.ClientId, secret.Value)
	require.NoError(t, err)
	assert.NotEmpty(t, token.AccessToken)
}

func (s *scenario) oauth() {
	t, c, ctx := s.t, s.c, s.ctx
	token, err := c.CreateOAuthToken(ctx, s.clientID, s.clientSecret)
	require.NoError(t, err)
	assert.Equal(t, 3600, token.ExpiresIn)
	assert.Equal(t, atlasapi.Bearer, token.TokenType)
	require.NoError(t, c.RevokeOAuthToken(ctx, s.clientID, s.clientSecret, token.AccessToken))
}

func (s *scenario) cleanUp() {
	t, c, ctx := s.t, s.c, s.ctx
	require.NoError(t, c.DeleteGroupDatabaseUser(ctx, s.groupID, string(atlasapi.External), "alice", nil))
	_, err := c.GetGroupDatabaseUser(ctx, s.groupID, string(atlasapi.External), "alice", nil)
	assert.True(t, IsErrorCode(err, "USERNAME_NOT_FOUND"), "%v", err)
	require.NoError(t, c.DeleteOrgServiceAccount(ctx, s.orgID, s.orgAccount, nil))
	require.NoError(t, c.DeleteOrgApiKey(ctx, s.orgID, s.orgKey, nil))
	require.NoError(t, c.DeleteGroup(ctx, s.groupID, nil))
	_, err = c.GetGroup(ctx, s.groupID, nil)
	assert.True(t, IsStatus(err, 404), "%v", err)
}
