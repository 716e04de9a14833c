package limits

import (
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
)

// TestEveryOperationHasItsFamily names the family of every operation of our specification, so
// that a new operation, or a change of the table, is a decision someone saw.
func TestEveryOperationHasItsFamily(t *testing.T) {
	want := map[string]string{
		"createOAuthToken": "oauth token",
		"listOrgs":         "list organizations",
		"getOrg":           "read an organization",

		"listOrgApiKeys": "organization API keys", "createOrgApiKey": "organization API keys",
		"getOrgApiKey": "organization API keys", "updateOrgApiKey": "organization API keys", "deleteOrgApiKey": "organization API keys",

		"listOrgApiKeyAccessListEntries": "access lists", "createOrgApiKeyAccessListEntry": "access lists",
		"getOrgApiKeyAccessListEntry": "access lists", "deleteOrgApiKeyAccessListEntry": "access lists",
		"listOrgServiceAccountAccessList": "access lists", "createOrgServiceAccountAccessList": "access lists",
		"deleteOrgServiceAccountAccessListEntry": "access lists", "listGroupServiceAccountAccessList": "access lists",
		"createGroupServiceAccountAccessList": "access lists", "deleteGroupServiceAccountAccessListEntry": "access lists",

		"listGroupDatabaseUsers": "database users", "createGroupDatabaseUser": "database users",
		"getGroupDatabaseUser": "database users", "updateGroupDatabaseUser": "database users", "deleteGroupDatabaseUser": "database users",

		"listGroupDatabaseUserCerts": "certificates", "createGroupDatabaseUserCert": "certificates",
		"disableGroupUserSecurityCustomerX509": "certificates",

		"listGroupApiKeys": "project API keys", "createGroupApiKey": "project API keys", "addGroupApiKey": "project API keys",
		"updateGroupApiKeyRoles": "project API keys", "removeGroupApiKey": "project API keys",

		"listGroups": "projects", "createGroup": "projects", "getGroup": "projects", "updateGroup": "projects",
		"deleteGroup": "projects", "getGroupByName": "projects",
	}
	doc, err := openapi.LoadAtlas()
	require.NoError(t, err)
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			family, limited := FamilyOf(&routers.Route{Path: path, Method: method, Operation: op})
			switch {
			case want[op.OperationID] != "":
				assert.Equal(t, want[op.OperationID], family.Name, op.OperationID)
			case under(path, v2):
				assert.Equal(t, "other v2 operations", family.Name, op.OperationID)
				assert.Equal(t, 2000, family.Requests, op.OperationID)
			default:
				assert.False(t, limited, "%s %s is not limited: Atlas limits the v2 API and the token endpoint", method, path)
			}
		}
	}
}

// TestOperationsOfTheOfficialSpecificationFallIntoTheFamilies: the families read the method,
// path and tags of an operation, not the stub's handlers, so operations the stub does not curate,
// with the official specification's own parameter names, are limited too.
func TestOperationsOfTheOfficialSpecificationFallIntoTheFamilies(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		tags         []string
		family       string
		requests     int
	}{
		{"GET", "/api/atlas/v2/groups/{groupId}/accessList", []string{"Project IP Access List"}, "access lists", 500},
		{"DELETE", "/api/atlas/v2/groups/{groupId}/accessList/{entryValue}", []string{"Project IP Access List"}, "access lists", 500},
		{"GET", "/api/atlas/v2/groups/{groupId}/databaseUsers/{databaseName}/{username}", []string{"Database Users"}, "database users", 10000},
		{"GET", "/api/atlas/v2/groups/{groupId}/invites", []string{"Projects"}, "projects", 1200},
		{"POST", "/api/atlas/v2/orgs/{ORG-ID}/apiKeys/{apiUserId}/accessList", []string{"Programmatic API Keys"}, "access lists", 500},
		{"GET", "/api/atlas/v2/orgs/{organizationId}", []string{"Organizations"}, "read an organization", 500},
		{"PATCH", "/api/atlas/v2/orgs/{orgId}", []string{"Organizations"}, "other v2 operations", 2000},
		{"GET", "/api/atlas/v2/groups/{groupId}/clusters", []string{"Clusters"}, "other v2 operations", 2000},
	} {
		route := &routers.Route{Method: tc.method, Path: tc.path, Operation: &openapi3.Operation{Tags: tc.tags}}
		family, ok := FamilyOf(route)
		require.True(t, ok, "%s %s", tc.method, tc.path)
		assert.Equal(t, tc.family, family.Name, "%s %s", tc.method, tc.path)
		assert.Equal(t, tc.requests, family.Requests, "%s %s", tc.method, tc.path)
	}
}

func TestWindowsRefillWholeWhenTheyEnd(t *testing.T) {
	f := Family{Name: "test", Requests: 3, Window: time.Minute}
	w := newWindows()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, remaining := range []int{2, 1, 0} {
		v := w.take(budget{project: "k"}, f, start.Add(time.Duration(i)*time.Second))
		require.True(t, v.allowed)
		assert.Equal(t, remaining, v.remaining)
	}
	refused := w.take(budget{project: "k"}, f, start.Add(50*time.Second))
	assert.False(t, refused.allowed)
	assert.Equal(t, 10*time.Second, refused.reset, "the window opened with the first request")
	assert.True(t, w.take(budget{project: "other"}, f, start.Add(50*time.Second)).allowed, "another project has a budget of its own")

	again := w.take(budget{project: "k"}, f, start.Add(time.Minute))
	assert.True(t, again.allowed, "a new window opens when the old one ends")
	assert.Equal(t, 2, again.remaining)

	assert.True(t, w.take(budget{project: "k"}, f, start.Add(-time.Hour)).allowed, "a clock put back opens a new window")
}

func TestSweepKeepsOnlyRunningWindows(t *testing.T) {
	f := Family{Name: "test", Requests: 1, Window: time.Minute}
	w := newWindows()
	w.minimum = 4
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, project := range []string{"a", "b", "c"} {
		w.take(budget{project: project}, f, start)
	}
	w.take(budget{project: "d"}, f, start.Add(time.Minute)) // four open: a, b and c have ended
	assert.Len(t, w.open, 1)
	assert.Contains(t, w.open, budget{project: "d"})
}

func TestParseMode(t *testing.T) {
	for in, want := range map[string]Mode{"": Atlas, "atlas": Atlas, "off": Off} {
		got, err := ParseMode(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := ParseMode("Atlas")
	assert.ErrorContains(t, err, `want atlas or off`)
}

func TestRetryAfterIsWholeSecondsRoundedUp(t *testing.T) {
	for d, want := range map[time.Duration]int{0: 1, time.Millisecond: 1, time.Second: 1, 1500 * time.Millisecond: 2, time.Minute: 60} {
		assert.Equal(t, want, wholeSeconds(d), "%v", d)
	}
}
