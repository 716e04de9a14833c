package engine_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/engine"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

func newCluster(name string) map[string]any {
	return map[string]any{
		"name": name, "clusterType": "REPLICASET",
		"replicationSpecs": []any{map[string]any{"regionConfigs": []any{map[string]any{
			"providerName": "AWS", "regionName": "US_EAST_1", "priority": 7,
			"electableSpecs": map[string]any{"instanceSize": "M10", "nodeCount": 3},
		}}}},
	}
}

// TestClusterLifecycle follows a cluster through its states on the stub's clock: CREATING until
// the transition ends, UPDATING after a change, DELETING and then gone after a delete.
func TestClusterLifecycle(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	clusters := c.project() + "/clusters"

	created := c.expect(http.StatusCreated, http.MethodPost, clusters, newCluster("Cluster0"))
	assert.Equal(t, "CREATING", created.body["stateName"])
	assert.Equal(t, stub.Credentials.ProjectId, created.body["groupId"], "the path's project")
	assert.Regexp(t, `^[a-f0-9]{24}$`, created.body["id"])
	assert.Regexp(t, `^mongodb\+srv://cluster0\.[a-f0-9]{5}\.mongodb\.net$`, created.field("connectionStrings", "standardSrv"))
	assert.Contains(t, created.field("connectionStrings", "standard"), "cluster0-shard-00-00.")
	assert.Equal(t, "8.0.4", created.body["mongoDBVersion"])
	assert.Equal(t, "M10", created.field("replicationSpecs", 0, "regionConfigs", 0, "electableSpecs", "instanceSize"), "what the client sent is kept")
	assert.Equal(t, stub.URL+clusters+"/Cluster0", created.field("links", 0, "href"))

	c.expectError(http.StatusBadRequest, "DUPLICATE_CLUSTER_NAME", http.MethodPost, clusters, newCluster("Cluster0"))
	assert.Equal(t, "CREATING", c.expect(http.StatusOK, http.MethodGet, clusters+"/Cluster0", nil).body["stateName"])

	stub.Advance(engine.DefaultTransition)
	read := c.expect(http.StatusOK, http.MethodGet, clusters+"/Cluster0", nil)
	assert.Equal(t, "IDLE", read.body["stateName"])
	assert.Equal(t, created.body["id"], read.body["id"], "the id stays")
	assert.Equal(t, created.body["createDate"], read.body["createDate"])

	scale := map[string]any{"replicationSpecs": []any{map[string]any{"regionConfigs": []any{map[string]any{
		"providerName": "AWS", "regionName": "US_EAST_1", "priority": 7,
		"electableSpecs": map[string]any{"instanceSize": "M30", "nodeCount": 3},
	}}}}}
	updated := c.expect(http.StatusOK, http.MethodPatch, clusters+"/Cluster0", scale)
	assert.Equal(t, "UPDATING", updated.body["stateName"])
	assert.Equal(t, "M30", updated.field("replicationSpecs", 0, "regionConfigs", 0, "electableSpecs", "instanceSize"))
	assert.Equal(t, "REPLICASET", updated.body["clusterType"], "PATCH keeps what it does not name")
	c.expectError(http.StatusBadRequest, "INVALID_ATTRIBUTE", http.MethodPatch, clusters+"/Cluster0", map[string]any{"name": "Renamed"})
	stub.Advance(engine.DefaultTransition)
	assert.Equal(t, "IDLE", c.expect(http.StatusOK, http.MethodGet, clusters+"/Cluster0", nil).body["stateName"])

	c.expect(http.StatusAccepted, http.MethodDelete, clusters+"/Cluster0", nil)
	assert.Equal(t, "DELETING", c.expect(http.StatusOK, http.MethodGet, clusters+"/Cluster0", nil).body["stateName"])
	assert.EqualValues(t, 1, c.expect(http.StatusOK, http.MethodGet, clusters, nil).body["totalCount"], "a cluster being deleted is listed")
	stub.Advance(engine.DefaultTransition)
	missing := c.expectError(http.StatusNotFound, "CLUSTER_NOT_FOUND", http.MethodGet, clusters+"/Cluster0", nil)
	assert.Equal(t, "No cluster named Cluster0 exists in group "+stub.Credentials.ProjectId+".", missing.body["detail"])
	assert.EqualValues(t, 0, c.expect(http.StatusOK, http.MethodGet, clusters, nil).body["totalCount"])

	c.expect(http.StatusCreated, http.MethodPost, clusters, newCluster("Cluster0"))
}

func TestTransitionsAreConfigurable(t *testing.T) {
	stub := stubtest.New(t, stubtest.WithTransition(-1))
	c := newClient(t, stub)
	assert.Equal(t, "IDLE", c.expect(http.StatusCreated, http.MethodPost, c.project()+"/clusters", newCluster("Now")).body["stateName"])
	c.expect(http.StatusAccepted, http.MethodDelete, c.project()+"/clusters/Now", nil)
	c.expectError(http.StatusNotFound, "CLUSTER_NOT_FOUND", http.MethodGet, c.project()+"/clusters/Now", nil)
}

// TestParentsAreChecked: a path under a missing cluster or project is 404 with the code Atlas
// uses for what is missing.
func TestParentsAreChecked(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	c.expectError(http.StatusNotFound, "CLUSTER_NOT_FOUND", http.MethodGet, c.project()+"/clusters/nope/backup/snapshots", nil)
	c.expectError(http.StatusNotFound, "CLUSTER_NOT_FOUND", http.MethodGet, c.project()+"/clusters/nope/processArgs", nil)
	c.expectError(http.StatusNotFound, "GROUP_NOT_FOUND", http.MethodGet, "/api/atlas/v2/groups/ffffffffffffffffffffffff/clusters", nil)
	c.expectError(http.StatusNotFound, "SERVERLESS_INSTANCE_NOT_FOUND", http.MethodGet, c.project()+"/serverless/nope/backup/snapshots", nil)
	c.expectError(http.StatusBadRequest, "INVALID_GROUP_ID", http.MethodGet, "/api/atlas/v2/groups/nope/clusters", nil)
}

// TestDeletingAProjectRemovesWhatLivesInIt: the project's clusters, and what lives under them,
// go with it; a project created later does not see them.
func TestDeletingAProjectRemovesWhatLivesInIt(t *testing.T) {
	stub := stubtest.New(t, stubtest.WithTransition(-1))
	c := newClient(t, stub)
	project := c.expect(http.StatusCreated, http.MethodPost, "/api/atlas/v2/groups", map[string]any{"name": "doomed", "orgId": stub.Credentials.OrgId})
	path := "/api/atlas/v2/groups/" + project.body["id"].(string)
	c.expect(http.StatusCreated, http.MethodPost, path+"/clusters", newCluster("c1"))
	c.expect(http.StatusOK, http.MethodPost, path+"/clusters/c1/backup/snapshots", map[string]any{"description": "before"})
	c.expect(http.StatusAccepted, http.MethodDelete, path, nil)
	c.expectError(http.StatusNotFound, "GROUP_NOT_FOUND", http.MethodGet, path+"/clusters/c1", nil)
}

// TestSettingsExistWithDefaults: a singleton answers its schema's defaults until it is changed,
// keeps what PATCH sets, and DELETE resets it.
func TestSettingsExistWithDefaults(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	settings := c.project() + "/settings"
	assert.Nil(t, c.expect(http.StatusOK, http.MethodGet, settings, nil).body["isDataExplorerEnabled"])
	c.expect(http.StatusOK, http.MethodPatch, settings, map[string]any{"isDataExplorerEnabled": false, "isSchemaAdvisorEnabled": true})
	c.expect(http.StatusOK, http.MethodPatch, settings, map[string]any{"isSchemaAdvisorEnabled": false})
	read := c.expect(http.StatusOK, http.MethodGet, settings, nil)
	assert.Equal(t, false, read.body["isDataExplorerEnabled"], "an earlier PATCH stays")
	assert.Equal(t, false, read.body["isSchemaAdvisorEnabled"])

	window := c.project() + "/maintenanceWindow"
	c.expect(http.StatusOK, http.MethodPatch, window, map[string]any{"dayOfWeek": 3, "hourOfDay": 4})
	assert.EqualValues(t, 3, c.expect(http.StatusOK, http.MethodGet, window, nil).body["dayOfWeek"])
	c.expect(http.StatusNoContent, http.MethodDelete, window, nil)
	assert.NotEqualValues(t, 3, c.expect(http.StatusOK, http.MethodGet, window, nil).body["dayOfWeek"], "DELETE resets it")
}

// TestListsArePagedAsAtlasDoes: pageNum, itemsPerPage, includeCount, links, envelope.
func TestListsArePagedAsAtlasDoes(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	configs := c.project() + "/alertConfigs"
	for range 3 {
		c.expect(http.StatusOK, http.MethodPost, configs, map[string]any{"eventTypeName": "NO_PRIMARY", "notifications": []any{map[string]any{"typeName": "GROUP", "intervalMin": 5, "delayMin": 0}}})
	}
	page := c.expect(http.StatusOK, http.MethodGet, configs+"?itemsPerPage=2&pageNum=2", nil)
	assert.EqualValues(t, 3, page.body["totalCount"])
	assert.Len(t, page.body["results"], 1)
	var rels []string
	for _, l := range page.body["links"].([]any) {
		rels = append(rels, l.(map[string]any)["rel"].(string))
	}
	assert.Equal(t, []string{"self", "previous"}, rels)
	assert.NotContains(t, c.expect(http.StatusOK, http.MethodGet, configs+"?includeCount=false", nil).body, "totalCount")
	enveloped := c.expect(http.StatusOK, http.MethodGet, configs+"?envelope=true", nil)
	assert.EqualValues(t, 200, enveloped.body["status"])
	assert.Len(t, enveloped.body["results"], 3)
	pretty := c.expect(http.StatusOK, http.MethodGet, configs+"?pretty=true&itemsPerPage=1", nil)
	assert.True(t, strings.HasPrefix(pretty.raw, "{\n  \""), "pretty=true indents")
}

// TestReadsNeedTheDescriptionsRoles: an official operation's roles come from its description; a
// read-only key reads clusters but cannot create one.
func TestReadsNeedTheDescriptionsRoles(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	key := c.expect(http.StatusOK, http.MethodPost, c.project()+"/apiKeys", map[string]any{"desc": "reader", "roles": []any{"GROUP_READ_ONLY"}})
	reader := newClient(t, stub)
	reader.http = digestClient(key.body["publicKey"].(string), key.body["privateKey"].(string))
	reader.expect(http.StatusOK, http.MethodGet, c.project()+"/clusters", nil)
	reader.expectError(http.StatusUnauthorized, "USER_UNAUTHORIZED", http.MethodPost, c.project()+"/clusters", newCluster("nope"))
}

func TestVersionsAreNegotiatedPerOperation(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	req, err := http.NewRequest(http.MethodGet, stub.URL+c.project()+"/clusters", nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/vnd.atlas.2024-08-04+json") // the day before the clusters' version
	resp, err := c.http.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotAcceptable, resp.StatusCode)

	req.Header.Set("Accept", "application/vnd.atlas.2025-03-12+json")
	resp, err = c.http.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, "application/vnd.atlas.2024-08-05+json;charset=utf-8", resp.Header.Get("Content-Type"), "the newest version not after the date")
}

// TestPatchWritesMembersOfCollectionsWithoutCreate: a project's limits have no create; a PATCH of
// one writes it, and the list and the read show it.
func TestPatchWritesMembersOfCollectionsWithoutCreate(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	limit := c.project() + "/limits/atlas.project.deployment.clusters"
	c.expect(http.StatusOK, http.MethodPatch, limit, map[string]any{"value": 40})
	assert.EqualValues(t, 40, c.expect(http.StatusOK, http.MethodGet, limit, nil).body["value"])
	assert.Len(t, c.expect(http.StatusOK, http.MethodGet, c.project()+"/limits", nil).list, 1)
	c.expect(http.StatusNoContent, http.MethodDelete, limit, nil)
	c.expect(http.StatusNotFound, http.MethodGet, limit, nil)
}

// TestGeneratedIdsKeepTheParametersPattern: a new member's id is an ObjectId unless the member
// parameter asks for another number of hexadecimal digits (a cost explorer token's 64).
func TestGeneratedIdsKeepTheParametersPattern(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	usage := c.org() + "/billing/costExplorer/usage"
	query := c.expect(http.StatusAccepted, http.MethodPost, usage, map[string]any{"startDate": "2025-01-01", "endDate": "2025-02-01", "organizations": []any{stub.Credentials.OrgId}})
	token, _ := query.body["token"].(string)
	assert.Regexp(t, `^[a-f0-9]{64}$`, token)
	assert.NotEqual(t, http.StatusNotFound, c.do(http.MethodGet, usage+"/"+token, nil).status, "the token finds its query")
}

// TestUsersAreFoundByName: a MongoDB Cloud user created with POST /users is found by its username.
func TestUsersAreFoundByName(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	user := c.expect(http.StatusOK, http.MethodPost, "/api/atlas/v2/users", map[string]any{
		"username": "grace@example.com", "password": "a-long-password-1", "firstName": "Grace", "lastName": "Hopper",
		"country": "US", "mobileNumber": "212-555-0199", "roles": []any{map[string]any{"orgId": stub.Credentials.OrgId, "roleName": "ORG_MEMBER"}}})
	found := c.expect(http.StatusOK, http.MethodGet, "/api/atlas/v2/users/byName/grace@example.com", nil)
	assert.Equal(t, user.body["id"], found.body["id"])
	c.expectError(http.StatusNotFound, "USERNAME_NOT_FOUND", http.MethodGet, "/api/atlas/v2/users/byName/nobody@example.com", nil)
}

// TestAParentNamedByAnotherOfItsIds: an identity provider's metadata.xml names it by its legacy
// 20-digit id (oktaIdpId), not by the id it is stored by.
func TestAParentNamedByAnotherOfItsIds(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	providers := "/api/atlas/v2/federationSettings/" + stub.Credentials.OrgId + "/identityProviders"
	idp := c.expect(http.StatusOK, http.MethodPost, providers, map[string]any{"displayName": "idp", "idpType": "WORKFORCE", "protocol": "OIDC",
		"issuerUri": "https://idp.example.com", "audience": "atlas", "authorizationType": "GROUP", "clientId": "atlas", "groupsClaim": "groups", "userClaim": "sub"})
	legacy, _ := idp.body["oktaIdpId"].(string)
	require.Regexp(t, `^[a-f0-9]{20}$`, legacy)
	c.expect(http.StatusOK, http.MethodGet, providers+"/"+idp.body["id"].(string), nil)
	c.expect(http.StatusOK, http.MethodGet, providers+"/"+legacy+"/metadata.xml", nil)
	c.expect(http.StatusNotFound, http.MethodGet, providers+"/0123456789abcdef0123/metadata.xml", nil)
}
