package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

var unknownID = strings.Repeat("a", 24)

func TestProjectLifecycle(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)

	created := a.post("/api/atlas/v2/groups", map[string]any{
		"name": "Project 1", "orgId": stub.Credentials.OrgId, "tags": []map[string]any{{"key": "env", "value": "test"}},
	})
	// Live Atlas answers 201 with the new project's URL in Location.
	requireStatus(t, http.StatusCreated, created)
	var group struct {
		ID           string `json:"id"`
		Created      time.Time
		ClusterCount int
		Tags         []map[string]string
		Links        []map[string]string
	}
	created.json(t, &group)
	require.Regexp(t, `^[a-f0-9]{24}$`, group.ID)
	assert.WithinDuration(t, time.Now(), group.Created, time.Minute)
	assert.Equal(t, []map[string]string{{"key": "env", "value": "test"}}, group.Tags)
	assert.Equal(t, stub.URL+"/api/atlas/v2/groups/"+group.ID, group.Links[0]["href"])
	assert.Equal(t, stub.URL+"/api/atlas/v2/groups/"+group.ID, created.Header.Get("Location"))

	byID := a.get("/api/atlas/v2/groups/" + group.ID).object(t)
	assert.Equal(t, "Project 1", byID["name"])
	byName := a.get("/api/atlas/v2/groups/byName/" + url.PathEscape("Project 1")).object(t)
	assert.Equal(t, group.ID, byName["id"])

	requireAPIError(t, http.StatusConflict, "GROUP_ALREADY_EXISTS", a.post("/api/atlas/v2/groups", map[string]any{"name": "Project 1", "orgId": stub.Credentials.OrgId}))
	requireAPIError(t, http.StatusConflict, "GROUP_ALREADY_EXISTS", a.patch("/api/atlas/v2/groups/"+group.ID, map[string]any{"name": "Project0"}))
	requireAPIError(t, http.StatusNotFound, "ORG_NOT_FOUND", a.post("/api/atlas/v2/groups", map[string]any{"name": "orphan", "orgId": unknownID}))
	requireAPIError(t, http.StatusBadRequest, "INVALID_GROUP_NAME", a.post("/api/atlas/v2/groups", map[string]any{"name": "no/slashes", "orgId": stub.Credentials.OrgId}))

	renamed := a.patch("/api/atlas/v2/groups/"+group.ID, map[string]any{"name": "Project 2"})
	requireStatus(t, http.StatusOK, renamed)
	assert.Equal(t, "Project 2", renamed.object(t)["name"])
	assert.Equal(t, []any{map[string]any{"key": "env", "value": "test"}}, renamed.object(t)["tags"], "a PATCH keeps what it does not name")
	requireAPIError(t, http.StatusNotFound, "GROUP_NAME_NOT_FOUND", a.get("/api/atlas/v2/groups/byName/"+url.PathEscape("Project 1")))

	retagged := a.patch("/api/atlas/v2/groups/"+group.ID, map[string]any{"tags": []any{}})
	assert.Empty(t, retagged.object(t)["tags"])

	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups/"+group.ID+"/databaseUsers", map[string]any{
		"groupId": group.ID, "databaseName": "$external", "username": "gone-with-the-project", "x509Type": "MANAGED",
	}))
	// Live Atlas accepts the deletion with 202 and an empty object.
	deleted := a.delete("/api/atlas/v2/groups/" + group.ID)
	requireStatus(t, http.StatusAccepted, deleted)
	assert.JSONEq(t, `{}`, string(deleted.body))
	assert.Equal(t, "application/vnd.atlas.2023-01-01+json;charset=utf-8", deleted.Header.Get("Content-Type"))
	requireAPIError(t, http.StatusNotFound, "GROUP_NOT_FOUND", a.get("/api/atlas/v2/groups/"+group.ID))
	requireAPIError(t, http.StatusNotFound, "GROUP_NOT_FOUND", a.get("/api/atlas/v2/groups/"+group.ID+"/databaseUsers"))
	requireAPIError(t, http.StatusNotFound, "GROUP_NOT_FOUND", a.delete("/api/atlas/v2/groups/"+group.ID))
	requireAPIError(t, http.StatusNotFound, "GROUP_NOT_FOUND", a.patch("/api/atlas/v2/groups/"+unknownID, map[string]any{"name": "x"}))
}

func TestOrganizations(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	orgID := stub.Credentials.OrgId

	list := a.get("/api/atlas/v2/orgs").object(t)
	require.Len(t, list["results"], 1)
	assert.Equal(t, orgID, list["results"].([]any)[0].(map[string]any)["id"])
	assert.Len(t, a.get("/api/atlas/v2/orgs?name=ATLAS").object(t)["results"], 1, "the name filter is a case-insensitive prefix")
	assert.Empty(t, a.get("/api/atlas/v2/orgs?name=other").object(t)["results"])

	org := a.get("/api/atlas/v2/orgs/" + orgID).object(t)
	assert.Equal(t, "atlasstub", org["name"])
	requireAPIError(t, http.StatusNotFound, "ORG_NOT_FOUND", a.get("/api/atlas/v2/orgs/"+unknownID))

	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups", map[string]any{"name": "second", "orgId": orgID}))
	groups := a.get("/api/atlas/v2/orgs/" + orgID + "/groups").object(t)
	assert.Equal(t, float64(2), groups["totalCount"])
	assert.Len(t, a.get("/api/atlas/v2/orgs/" + orgID + "/groups?name=SEC").object(t)["results"], 1)
	requireAPIError(t, http.StatusNotFound, "ORG_NOT_FOUND", a.get("/api/atlas/v2/orgs/"+unknownID+"/groups"))
}

func TestOrganizationSettings(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	path := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/settings"

	defaults := a.get(path).object(t)
	assert.Equal(t, false, defaults["apiAccessListRequired"])
	assert.Equal(t, float64(8760), defaults["maxServiceAccountSecretValidityInHours"])

	updated := a.patch(path, map[string]any{"multiFactorAuthRequired": true, "securityContact": "sec@example.com"})
	requireStatus(t, http.StatusOK, updated)
	assert.Equal(t, true, updated.object(t)["multiFactorAuthRequired"])
	again := a.patch(path, map[string]any{"maxServiceAccountSecretValidityInHours": 48}).object(t)
	assert.Equal(t, true, again["multiFactorAuthRequired"], "a PATCH keeps what it does not name")
	assert.Equal(t, "sec@example.com", again["securityContact"])
	assert.Equal(t, float64(48), a.get(path).object(t)["maxServiceAccountSecretValidityInHours"])

	requireAPIError(t, http.StatusBadRequest, "INVALID_ATTRIBUTE", a.patch(path, map[string]any{"maxServiceAccountSecretValidityInHours": 7}))
	requireAPIError(t, http.StatusNotFound, "ORG_NOT_FOUND", a.get("/api/atlas/v2/orgs/"+unknownID+"/settings"))

	// Requiring access lists applies from the next request on; the bootstrap credentials have none.
	requireStatus(t, http.StatusOK, a.patch(path, map[string]any{"apiAccessListRequired": true}))
	e := requireAPIError(t, http.StatusForbidden, "ORG_REQUIRES_ACCESS_LIST", a.get(path))
	assert.Equal(t, []any{"127.0.0.1"}, e["parameters"])
}

// TestProjectsAndOrganizationsLinkTheirResources: a live project links itself and its containers,
// clusters, databaseUsers, peers, processes and whitelist; an organization itself and its groups,
// teams and users. Every form of the resource shows them.
func TestProjectsAndOrganizationsLinkTheirResources(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	links := func(resource any) map[string]string {
		t.Helper()
		out := map[string]string{}
		for _, l := range resource.(map[string]any)["links"].([]any) {
			link := l.(map[string]any)
			out[link["rel"].(string)] = link["href"].(string)
		}
		return out
	}
	related := func(self string, names ...string) map[string]string {
		want := map[string]string{"self": self}
		for _, name := range names {
			want["http://cloud.mongodb.com/"+name] = self + "/" + name
		}
		return want
	}

	created := a.post("/api/atlas/v2/groups", map[string]any{"name": "linked", "orgId": stub.Credentials.OrgId})
	requireStatus(t, http.StatusCreated, created)
	project := created.object(t)
	wantProject := related(stub.URL+"/api/atlas/v2/groups/"+project["id"].(string), "containers", "clusters", "databaseUsers", "peers", "processes", "whitelist")
	assert.Equal(t, wantProject, links(project))
	assert.Equal(t, "self", project["links"].([]any)[0].(map[string]any)["rel"], "self comes first")
	assert.Equal(t, wantProject, links(a.get("/api/atlas/v2/groups/"+project["id"].(string)).object(t)))
	assert.Equal(t, wantProject, links(a.get("/api/atlas/v2/groups/byName/linked").object(t)))
	for _, p := range a.get("/api/atlas/v2/groups").object(t)["results"].([]any) {
		assert.Len(t, links(p), 7, "listed projects link the same")
	}

	org := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId
	wantOrg := related(stub.URL+org, "groups", "teams", "users")
	assert.Equal(t, wantOrg, links(a.get(org).object(t)))
	assert.Equal(t, wantOrg, links(a.get("/api/atlas/v2/orgs").object(t)["results"].([]any)[0]))
}
