package server_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestTheStateSummaryShowsWhoAndWhatIsThereWithoutASecret(t *testing.T) {
	stub := stubtest.New(t, noRateLimits)
	a := newAPI(t, stub)
	project := stub.Credentials.ProjectId
	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups/"+project+"/clusters", map[string]any{
		"name": "Cluster0", "clusterType": "REPLICASET",
		"replicationSpecs": []any{map[string]any{"regionConfigs": []any{map[string]any{
			"providerName": "AWS", "regionName": "US_EAST_1", "priority": 7,
			"electableSpecs": map[string]any{"instanceSize": "M10", "nodeCount": 3},
		}}}},
	}))
	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups/"+project+"/databaseUsers", map[string]any{
		"groupId": project, "databaseName": "$external", "username": "x509-user", "x509Type": "MANAGED",
	}))
	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups/"+project+"/databaseUsers/x509-user/certs", map[string]any{"monthsUntilExpiration": 3}))

	var summary stubapi.StateSummary
	r := control(t, stub, http.MethodGet, "/_stub/state/summary", nil, &summary)
	requireStatus(t, http.StatusOK, r)
	require.Len(t, summary.Orgs, 1)
	org := summary.Orgs[0]
	require.Len(t, org.Projects, 1)
	p := org.Projects[0]
	assert.Equal(t, project, p.Id)

	require.Len(t, p.DatabaseUsers, 1)
	user := p.DatabaseUsers[0]
	assert.Equal(t, "X.509 MANAGED", user.Authentication)
	require.Len(t, user.Certificates, 1)
	assert.Equal(t, "CN=x509-user", user.Certificates[0].Subject)
	assert.False(t, user.Certificates[0].Expired)

	require.Len(t, p.Resources, 1)
	assert.Equal(t, "Clusters", p.Resources[0].Tag)
	assert.Equal(t, "clusters", p.Resources[0].Collection)
	assert.Equal(t, []stubapi.ResourceItem{{Id: "Cluster0", Phase: new("CREATING")}}, p.Resources[0].Items)

	require.Len(t, org.ApiKeys, 1)
	assert.Regexp(t, `^\*{8}-\*{4}-\*{4}-[0-9a-f]{12}$`, org.ApiKeys[0].PrivateKey)
	require.Len(t, org.ServiceAccounts, 1)
	require.Len(t, org.ServiceAccounts[0].Secrets, 1)
	assert.Regexp(t, `^mdb_sa_sk_\.\.\.`, org.ServiceAccounts[0].Secrets[0].MaskedSecretValue)
	assert.NotContains(t, string(r.body), stub.Credentials.ApiKey.PrivateKey)
	assert.NotContains(t, string(r.body), stub.Credentials.ServiceAccount.ClientSecret)

	stub.Advance(93 * 24 * time.Hour)
	requireStatus(t, http.StatusOK, control(t, stub, http.MethodGet, "/_stub/state/summary", nil, &summary))
	assert.True(t, summary.Orgs[0].Projects[0].DatabaseUsers[0].Certificates[0].Expired, "expired on the stub's clock")
	assert.Equal(t, "Cluster0", summary.Orgs[0].Projects[0].Resources[0].Items[0].Id)
}
