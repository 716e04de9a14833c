package engine_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/engine"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestProjectIPAccessList: entries follow the API access lists' rules (an address is its /32
// block, a block its network), are named by their block or address, escaped or not, are
// changed rather than refused when added again, and a temporary one goes at its date.
func TestProjectIPAccessList(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	list := c.project() + "/accessList"

	added := c.expect(http.StatusOK, http.MethodPost, list, []any{
		map[string]any{"ipAddress": "192.0.2.1", "comment": "laptop"},
		map[string]any{"cidrBlock": "10.1.2.3/8"},
		map[string]any{"ipAddress": "2001:db8::1"},
	})
	assert.EqualValues(t, 3, added.body["totalCount"])
	one := c.expect(http.StatusOK, http.MethodGet, list+"/192.0.2.1", nil)
	assert.Equal(t, "192.0.2.1/32", one.body["cidrBlock"])
	assert.Equal(t, "laptop", one.body["comment"])
	assert.Equal(t, "10.0.0.0/8", c.expect(http.StatusOK, http.MethodGet, list+"/10.0.0.0%2F8", nil).body["cidrBlock"])
	assert.Equal(t, "2001:db8::1/128", c.expect(http.StatusOK, http.MethodGet, list+"/"+url.PathEscape("2001:db8::1/128"), nil).body["cidrBlock"])

	c.expect(http.StatusOK, http.MethodPost, list, []any{map[string]any{"ipAddress": "192.0.2.1", "comment": "desk"}})
	assert.Equal(t, "desk", c.expect(http.StatusOK, http.MethodGet, list+"/192.0.2.1%2F32", nil).body["comment"], "adding an entry again changes it")

	c.expectError(http.StatusBadRequest, "DUPLICATE_ADDRESSES_IN_INPUT", http.MethodPost, list, []any{map[string]any{"ipAddress": "198.51.100.1"}, map[string]any{"cidrBlock": "198.51.100.1/32"}})
	c.expectError(http.StatusBadRequest, "MULTIPLE_VALUES_SPECIFIED_FOR_ONE_NETWORK_PERMISSION_ENTRY", http.MethodPost, list, []any{map[string]any{"ipAddress": "198.51.100.1", "cidrBlock": "198.51.100.0/24"}})
	c.expectError(http.StatusNotFound, "ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND", http.MethodGet, list+"/203.0.113.9", nil)

	c.expect(http.StatusNoContent, http.MethodDelete, list+"/10.0.0.0%2F8", nil)
	assert.EqualValues(t, 2, c.expect(http.StatusOK, http.MethodGet, list, nil).body["totalCount"])

	tomorrow := time.Now().Add(24 * time.Hour).UTC().Format(time.RFC3339)
	c.expect(http.StatusOK, http.MethodPost, list, []any{map[string]any{"ipAddress": "203.0.113.7", "deleteAfterDate": tomorrow}})
	c.expect(http.StatusOK, http.MethodGet, list+"/203.0.113.7", nil)
	stub.Advance(25 * time.Hour)
	c.expectError(http.StatusNotFound, "ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND", http.MethodGet, list+"/203.0.113.7", nil)
}

func readOnRole(db string) map[string]any {
	return map[string]any{"action": "FIND", "resources": []any{map[string]any{"db": db, "collection": "", "cluster": false}}}
}

// TestCustomDatabaseRoles: Atlas's rules for custom roles, and database users that hold them.
func TestCustomDatabaseRoles(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	roles := c.project() + "/customDBRoles/roles"

	c.expect(http.StatusAccepted, http.MethodPost, roles, map[string]any{"roleName": "reader", "actions": []any{readOnRole("sales")}})
	c.expectError(http.StatusConflict, "ATLAS_CUSTOM_ROLE_NAME_ALREADY_EXISTS", http.MethodPost, roles, map[string]any{"roleName": "reader", "actions": []any{readOnRole("x")}})
	c.expectError(http.StatusBadRequest, "ATLAS_INVALID_CUSTOM_ROLE_RESTRICTED", http.MethodPost, roles, map[string]any{"roleName": "readWrite", "actions": []any{readOnRole("x")}})
	c.expectError(http.StatusBadRequest, "ATLAS_CUSTOM_ROLE_HAS_NO_PERMISSIONS", http.MethodPost, roles, map[string]any{"roleName": "empty"})
	c.expectError(http.StatusBadRequest, "ATLAS_INVALID_CUSTOM_ROLE_INHERITANCE", http.MethodPost, roles, map[string]any{"roleName": "child", "inheritedRoles": []any{map[string]any{"role": "nobody", "db": "admin"}}})
	c.expect(http.StatusAccepted, http.MethodPost, roles, map[string]any{"roleName": "child", "inheritedRoles": []any{map[string]any{"role": "reader", "db": "admin"}, map[string]any{"role": "read", "db": "sales"}}})

	updated := c.expect(http.StatusOK, http.MethodPatch, roles+"/reader", map[string]any{"actions": []any{readOnRole("sales"), map[string]any{"action": "INSERT", "resources": []any{map[string]any{"db": "sales", "collection": "", "cluster": false}}}}})
	assert.Len(t, updated.body["actions"], 2)
	c.expectError(http.StatusBadRequest, "ATLAS_DUPLICATE_CUSTOM_ROLE_ACTION", http.MethodPatch, roles+"/reader", map[string]any{"actions": []any{readOnRole("a"), readOnRole("b")}})
	assert.Len(t, c.expect(http.StatusOK, http.MethodGet, roles, nil).list, 2)

	users := c.project() + "/databaseUsers"
	user := map[string]any{"groupId": stub.Credentials.ProjectId, "databaseName": "admin", "username": "app", "password": "a-long-password",
		"roles": []any{map[string]any{"roleName": "reader", "databaseName": "admin"}}}
	c.expect(http.StatusCreated, http.MethodPost, users, user)
	c.expectError(http.StatusBadRequest, "ATLAS_INVALID_ROLE", http.MethodPost, users, map[string]any{"groupId": stub.Credentials.ProjectId, "databaseName": "admin", "username": "other", "password": "a-long-password",
		"roles": []any{map[string]any{"roleName": "nobody", "databaseName": "admin"}}})

	c.expectError(http.StatusConflict, "ATLAS_CUSTOM_ROLE_IN_USE_BY_USERS", http.MethodDelete, roles+"/reader", nil)
	c.expect(http.StatusNoContent, http.MethodDelete, users+"/admin/app", nil)
	c.expect(http.StatusNoContent, http.MethodDelete, roles+"/reader", nil)
	c.expectError(http.StatusNotFound, "ATLAS_CUSTOM_ROLE_NOT_FOUND", http.MethodGet, roles+"/reader", nil)
}

// TestTeamsAndTheirUsers: teams of an organization hold its users, show up in their teamIds, and
// are assigned to projects.
func TestTeamsAndTheirUsers(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	users, teams := c.org()+"/users", c.org()+"/teams"
	invite := func(username string) string {
		return c.expect(http.StatusCreated, http.MethodPost, users, map[string]any{"username": username, "roles": map[string]any{"orgRoles": []any{"ORG_MEMBER"}}}).body["id"].(string)
	}
	ada, alan := invite("ada@example.com"), invite("alan@example.com")
	c.expectError(http.StatusConflict, "USER_ALREADY_EXISTS", http.MethodPost, users, map[string]any{"username": "ada@example.com", "roles": map[string]any{"orgRoles": []any{"ORG_MEMBER"}}})

	team := c.expect(http.StatusOK, http.MethodPost, teams, map[string]any{"name": "dbas", "usernames": []any{"ada@example.com"}})
	teamID := team.body["id"].(string)
	c.expectError(http.StatusConflict, "TEAM_NAME_NOT_AVAILABLE", http.MethodPost, teams, map[string]any{"name": "dbas", "usernames": []any{"alan@example.com"}})
	c.expectError(http.StatusBadRequest, "BAD_USERNAME_REF", http.MethodPost, teams, map[string]any{"name": "ghosts", "usernames": []any{"nobody@example.com"}})
	assert.Equal(t, teamID, c.expect(http.StatusOK, http.MethodGet, teams+"/byName/dbas", nil).body["id"])
	assert.Equal(t, []any{teamID}, c.expect(http.StatusOK, http.MethodGet, users+"/"+ada, nil).body["teamIds"])

	members := teams + "/" + teamID + "/users"
	c.expect(http.StatusOK, http.MethodPost, members, []any{map[string]any{"id": alan}})
	listed := c.expect(http.StatusOK, http.MethodGet, members, nil)
	assert.EqualValues(t, 2, listed.body["totalCount"])
	c.expectError(http.StatusConflict, "USER_ALREADY_IN_TEAM", http.MethodPost, teams+"/"+teamID+":addUser", map[string]any{"id": alan})
	removed := c.expect(http.StatusOK, http.MethodPost, teams+"/"+teamID+":removeUser", map[string]any{"id": alan})
	assert.Equal(t, []any{}, removed.body["teamIds"])

	projectTeams := c.project() + "/teams"
	c.expect(http.StatusOK, http.MethodPost, projectTeams, []any{map[string]any{"teamId": teamID, "roleNames": []any{"GROUP_READ_ONLY"}}})
	c.expectError(http.StatusConflict, "TEAM_EXISTS_IN_GROUP", http.MethodPost, projectTeams, []any{map[string]any{"teamId": teamID, "roleNames": []any{"GROUP_OWNER"}}})
	c.expectError(http.StatusNotFound, "TEAM_NOT_FOUND", http.MethodPost, projectTeams, []any{map[string]any{"teamId": "ffffffffffffffffffffffff", "roleNames": []any{"GROUP_OWNER"}}})
	changed := c.expect(http.StatusOK, http.MethodPatch, projectTeams+"/"+teamID, map[string]any{"teamId": teamID, "roleNames": []any{"GROUP_OWNER"}})
	assert.Equal(t, []any{"GROUP_OWNER"}, changed.field("results", 0, "roleNames"), changed.raw)
	c.expectError(http.StatusNotFound, "CANNOT_DELETE_TEAM_ASSIGNED_TO_PROJECT", http.MethodDelete, teams+"/"+teamID, nil)
	c.expect(http.StatusNoContent, http.MethodDelete, projectTeams+"/"+teamID, nil)
	c.expect(http.StatusNoContent, http.MethodDelete, teams+"/"+teamID, nil)
	assert.Equal(t, []any{}, c.expect(http.StatusOK, http.MethodGet, users+"/"+ada, nil).body["teamIds"], "a deleted team leaves its users")
}

// TestAlertConfigurations: created, replaced, toggled and deleted, with updated on the clock.
func TestAlertConfigurations(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	configs := c.project() + "/alertConfigs"
	notify := []any{map[string]any{"typeName": "GROUP", "intervalMin": 5, "delayMin": 0, "emailEnabled": true}}
	created := c.expect(http.StatusOK, http.MethodPost, configs, map[string]any{"eventTypeName": "NO_PRIMARY", "enabled": true, "notifications": notify})
	id := created.body["id"].(string)
	assert.Equal(t, created.body["created"], created.body["updated"])

	stub.Advance(time.Hour)
	toggled := c.expect(http.StatusOK, http.MethodPatch, configs+"/"+id, map[string]any{"enabled": false})
	assert.Equal(t, false, toggled.body["enabled"])
	assert.Equal(t, "NO_PRIMARY", toggled.body["eventTypeName"])
	assert.NotEqual(t, created.body["updated"], toggled.body["updated"])
	assert.Equal(t, created.body["created"], toggled.body["created"])

	replaced := c.expect(http.StatusOK, http.MethodPut, configs+"/"+id, map[string]any{"eventTypeName": "CLUSTER_MONGOS_IS_MISSING", "enabled": true, "notifications": notify})
	assert.Equal(t, "CLUSTER_MONGOS_IS_MISSING", replaced.body["eventTypeName"])
	assert.Equal(t, id, replaced.body["id"])
	c.expect(http.StatusOK, http.MethodGet, configs+"/"+id+"/alerts", nil)
	c.expect(http.StatusNoContent, http.MethodDelete, configs+"/"+id, nil)
	c.expectError(http.StatusNotFound, "ALERT_CONFIG_NOT_FOUND", http.MethodGet, configs+"/"+id, nil)
}

// TestSnapshotsAndRestoreJobs: a snapshot is queued and then completed; only a completed
// snapshot of the cluster restores, into a cluster that exists; a cancelled job stays.
func TestSnapshotsAndRestoreJobs(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	c.expect(http.StatusCreated, http.MethodPost, c.project()+"/clusters", newCluster("source"))
	stub.Advance(engine.DefaultTransition)
	backup := c.project() + "/clusters/source/backup"

	taken := c.expect(http.StatusOK, http.MethodPost, backup+"/snapshots", map[string]any{"description": "nightly", "retentionInDays": 3})
	id := taken.body["id"].(string)
	snapshot := c.expect(http.StatusOK, http.MethodGet, backup+"/snapshots/"+id, nil)
	assert.Equal(t, "queued", snapshot.body["status"])
	assert.Equal(t, "nightly", snapshot.body["description"])
	assert.Equal(t, "source", snapshot.body["replicaSetName"])
	assert.Equal(t, "onDemand", snapshot.body["snapshotType"])
	created, err := time.Parse(time.RFC3339, snapshot.body["createdAt"].(string))
	require.NoError(t, err)
	expires, err := time.Parse(time.RFC3339, snapshot.body["expiresAt"].(string))
	require.NoError(t, err)
	assert.Equal(t, 72*time.Hour, expires.Sub(created))

	job := map[string]any{"deliveryType": "automated", "snapshotId": id, "targetClusterName": "source", "targetGroupId": stub.Credentials.ProjectId}
	c.expectError(http.StatusConflict, "CANNOT_START_RESTORE_JOB_FOR_INCOMPLETE_CLUSTER_SNAPSHOT", http.MethodPost, backup+"/restoreJobs", job)
	stub.Advance(engine.DefaultTransition)
	assert.Equal(t, "completed", c.expect(http.StatusOK, http.MethodGet, backup+"/snapshots/"+id, nil).body["status"])
	c.expectError(http.StatusNotFound, "SNAPSHOT_NOT_FOUND", http.MethodPost, backup+"/restoreJobs", map[string]any{"deliveryType": "automated", "snapshotId": "ffffffffffffffffffffffff", "targetClusterName": "source"})
	c.expectError(http.StatusNotFound, "CLUSTER_NOT_FOUND", http.MethodPost, backup+"/restoreJobs", map[string]any{"deliveryType": "automated", "snapshotId": id, "targetClusterName": "nowhere"})

	restoring := c.expect(http.StatusOK, http.MethodPost, backup+"/restoreJobs", job)
	jobID := restoring.body["id"].(string)
	assert.Nil(t, restoring.body["finishedAt"])
	stub.Advance(engine.DefaultTransition)
	assert.NotNil(t, c.expect(http.StatusOK, http.MethodGet, backup+"/restoreJobs/"+jobID, nil).body["finishedAt"])

	other := c.expect(http.StatusOK, http.MethodPost, backup+"/restoreJobs", job).body["id"].(string)
	c.expect(http.StatusNoContent, http.MethodDelete, backup+"/restoreJobs/"+other, nil)
	assert.Equal(t, true, c.expect(http.StatusOK, http.MethodGet, backup+"/restoreJobs/"+other, nil).body["cancelled"])
	assert.EqualValues(t, 2, c.expect(http.StatusOK, http.MethodGet, backup+"/restoreJobs", nil).body["totalCount"])

	c.expect(http.StatusNoContent, http.MethodDelete, backup+"/snapshots/"+id, nil)
	c.expectError(http.StatusNotFound, "SNAPSHOT_NOT_FOUND", http.MethodGet, backup+"/snapshots/"+id, nil)
}

// TestFlexClustersAndUpgrades: a flex cluster has its connection strings and lifecycle; its
// upgrade makes a dedicated cluster of the same name, as a shared-tier cluster's does in place.
func TestFlexClustersAndUpgrades(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	flex := c.project() + "/flexClusters"
	created := c.expect(http.StatusCreated, http.MethodPost, flex, map[string]any{"name": "tiny", "providerSettings": map[string]any{"backingProviderName": "AWS", "regionName": "US_EAST_1"}})
	assert.Equal(t, "CREATING", created.body["stateName"])
	assert.Regexp(t, `^mongodb\+srv://tiny\.`, created.field("connectionStrings", "standardSrv"))
	stub.Advance(engine.DefaultTransition)
	assert.Equal(t, "IDLE", c.expect(http.StatusOK, http.MethodGet, flex+"/tiny", nil).body["stateName"])

	upgrade := newCluster("tiny")
	upgraded := c.expect(http.StatusOK, http.MethodPost, c.project()+"/flexClusters:tenantUpgrade", upgrade)
	assert.Equal(t, "UPDATING", upgraded.body["stateName"])
	c.expectError(http.StatusNotFound, "CLUSTER_NOT_FOUND", http.MethodGet, flex+"/tiny", nil)
	assert.Equal(t, "UPDATING", c.expect(http.StatusOK, http.MethodGet, c.project()+"/clusters/tiny", nil).body["stateName"])
	c.expectError(http.StatusNotFound, "CLUSTER_NOT_FOUND", http.MethodPost, c.project()+"/flexClusters:tenantUpgrade", upgrade)

	stub.Advance(engine.DefaultTransition)
	legacy := c.expect(http.StatusOK, http.MethodPost, c.project()+"/clusters/tenantUpgrade", map[string]any{"name": "tiny", "providerSettings": map[string]any{"providerName": "AWS", "instanceSizeName": "M20", "regionName": "US_EAST_1"}})
	assert.Regexp(t, `^mongodb://tiny-shard-00-00\.`, legacy.body["mongoURI"])
	assert.Equal(t, "UPDATING", legacy.body["stateName"])
}

// TestPrivateEndpointServicesLiveUnderTheirProvider: created without the provider in the path,
// read and listed under it.
func TestPrivateEndpointServicesLiveUnderTheirProvider(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	created := c.expect(http.StatusOK, http.MethodPost, c.project()+"/privateEndpoint/endpointService", map[string]any{"providerName": "AWS", "region": "us-east-1"})
	assert.Equal(t, "INITIATING", created.body["status"])
	id := created.body["id"].(string)
	assert.Len(t, c.expect(http.StatusOK, http.MethodGet, c.project()+"/privateEndpoint/AWS/endpointService", nil).list, 1)
	stub.Advance(engine.DefaultTransition)
	assert.Equal(t, "AVAILABLE", c.expect(http.StatusOK, http.MethodGet, c.project()+"/privateEndpoint/AWS/endpointService/"+id, nil).body["status"])
	c.expectError(http.StatusNotFound, "PRIVATELINK_NOT_FOUND", http.MethodGet, c.project()+"/privateEndpoint/GCP/endpointService/"+id, nil)
}

// TestOrganizations: a new name, and a deletion that Atlas refuses while projects remain.
func TestOrganizations(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	assert.Equal(t, "renamed", c.expect(http.StatusOK, http.MethodPatch, c.org(), map[string]any{"name": "renamed"}).body["name"])
	assert.Equal(t, "renamed", c.expect(http.StatusOK, http.MethodGet, c.org(), nil).body["name"], "the curated organization is the same record")
	c.expectError(http.StatusConflict, "ORG_NOT_EMPTY", http.MethodDelete, c.org(), nil)
	c.expectError(http.StatusForbidden, "API_KEY_CANNOT_CREATE_ORG", http.MethodPost, "/api/atlas/v2/orgs", map[string]any{"name": "another"})

	c.expect(http.StatusAccepted, http.MethodDelete, c.project(), nil)
	c.expect(http.StatusNoContent, http.MethodDelete, c.org(), nil)
	c.expectError(http.StatusUnauthorized, "UNEXPECTED_ERROR", http.MethodGet, c.org(), nil) // its keys went with it
}

// TestPrivateEndpointsAreNamedByTheProvidersIds: an endpoint of a service is named by the id the
// create gives, shown where its provider's schema has it, and listed in a Google Cloud service.
func TestPrivateEndpointsAreNamedByTheProvidersIds(t *testing.T) {
	stub := stubtest.New(t)
	c := newClient(t, stub)
	services := c.project() + "/privateEndpoint/endpointService"
	aws := c.expect(http.StatusOK, http.MethodPost, services, map[string]any{"providerName": "AWS", "region": "us-east-1"}).body["id"].(string)
	endpoints := c.project() + "/privateEndpoint/AWS/endpointService/" + aws + "/endpoint"
	created := c.expect(http.StatusOK, http.MethodPost, endpoints, map[string]any{"id": "vpce-0123456789abcdef0"})
	assert.Equal(t, "vpce-0123456789abcdef0", created.body["interfaceEndpointId"])
	assert.Equal(t, "AWS", c.expect(http.StatusOK, http.MethodGet, endpoints+"/vpce-0123456789abcdef0", nil).body["cloudProvider"])
	c.expect(http.StatusNoContent, http.MethodDelete, endpoints+"/vpce-0123456789abcdef0", nil)

	gcp := c.expect(http.StatusOK, http.MethodPost, services, map[string]any{"providerName": "GCP", "region": "us-east4"}).body["id"].(string)
	service := c.project() + "/privateEndpoint/GCP/endpointService/" + gcp
	c.expect(http.StatusOK, http.MethodPost, service+"/endpoint", map[string]any{"endpointGroupName": "group-1", "gcpProjectId": "p-fdeeb3e43b8e733e5ab627b1",
		"endpoints": []any{map[string]any{"endpointName": "e-1", "ipAddress": "10.0.0.1"}}})
	assert.Equal(t, []any{"group-1"}, c.expect(http.StatusOK, http.MethodGet, service, nil).body["endpointGroupNames"])
}
