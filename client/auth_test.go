package client

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

func TestServiceAccountTokenIsCached(t *testing.T) {
	c, stub, spec := newStubClient(t, bootstrapServiceAccount)
	for range 3 {
		_, err := c.GetGroup(context.Background(), stub.Credentials.ProjectId, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, 1, spec.count("createOAuthToken"))
	assert.Equal(t, 3, spec.count("getGroup"))
}

func TestConcurrentRequestsShareOneToken(t *testing.T) {
	c, stub, spec := newStubClient(t, bootstrapServiceAccount)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			_, err := c.GetGroup(context.Background(), stub.Credentials.ProjectId, nil)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.Equal(t, 1, spec.count("createOAuthToken"))
}

// TestTokenIsMintedAgainWhenTheServerSaysItExpired: the stub's clock moves on its own, so the
// client learns of the expiry from the 401, and mints a new token once.
func TestTokenIsMintedAgainWhenTheServerSaysItExpired(t *testing.T) {
	c, stub, spec := newStubClient(t, bootstrapServiceAccount)
	ctx := context.Background()
	_, err := c.GetGroup(ctx, stub.Credentials.ProjectId, nil)
	require.NoError(t, err)
	require.Equal(t, 1, spec.count("createOAuthToken"))

	stub.Advance(61 * time.Minute)
	group, err := c.GetGroup(ctx, stub.Credentials.ProjectId, nil)
	require.NoError(t, err)
	assert.Equal(t, "Project0", group.Name)
	assert.Equal(t, 2, spec.count("createOAuthToken"), "a second token")
	assert.Equal(t, 3, spec.count("getGroup"), "the call, refused with the expired token, and sent again")

	// The body of a refused request goes out again in full.
	stub.Advance(61 * time.Minute)
	created, err := c.CreateGroup(ctx, nil, atlasapi.Group{Name: "after-expiry", OrgId: stub.Credentials.OrgId})
	require.NoError(t, err)
	assert.Equal(t, "after-expiry", created.Name)
	assert.Equal(t, 3, spec.count("createOAuthToken"))
}

// TestTokenIsMintedAgainBeforeItExpires: by the client's own clock, a token is replaced a minute
// before it expires, without a refused request.
func TestTokenIsMintedAgainBeforeItExpires(t *testing.T) {
	c, stub, spec := newStubClient(t, bootstrapServiceAccount)
	ctx := context.Background()
	_, err := c.GetGroup(ctx, stub.Credentials.ProjectId, nil)
	require.NoError(t, err)

	c.tokens.now = func() time.Time { return time.Now().Add(58 * time.Minute) }
	_, err = c.GetGroup(ctx, stub.Credentials.ProjectId, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, spec.count("createOAuthToken"), "still two minutes to go")

	c.tokens.now = func() time.Time { return time.Now().Add(59*time.Minute + 30*time.Second) }
	_, err = c.GetGroup(ctx, stub.Credentials.ProjectId, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, spec.count("createOAuthToken"), "less than a minute to go")
	assert.Equal(t, 3, spec.count("getGroup"), "no request was refused")
}

// TestMissingRoleDoesNotMintAgain: a 401 for a missing role would be the same with a new token.
func TestMissingRoleDoesNotMintAgain(t *testing.T) {
	owner, stub, _ := newStubClient(t, bootstrapServiceAccount)
	ctx := context.Background()
	account, err := owner.CreateOrgServiceAccount(ctx, stub.Credentials.OrgId, nil, atlasapi.OrgServiceAccountRequest{
		Name: "reader", Description: "reads", Roles: []atlasapi.OrgServiceAccountRole{atlasapi.OrgServiceAccountRoleORGREADONLY}, SecretExpiresAfterHours: 24,
	})
	require.NoError(t, err)

	spec := newSpecTransport(t)
	reader, err := New(stub.URL, WithHTTPClient(&http.Client{Transport: spec}), WithServiceAccount(*account.ClientId, *(*account.Secrets)[0].Secret))
	require.NoError(t, err)
	_, err = reader.UpdateOrgSettings(ctx, stub.Credentials.OrgId, nil, atlasapi.OrganizationSettings{MultiFactorAuthRequired: ptr(true)})
	assert.True(t, IsErrorCode(err, "USER_UNAUTHORIZED"), "%v", err)
	assert.Equal(t, 1, spec.count("createOAuthToken"))
	assert.Equal(t, 1, spec.count("updateOrgSettings"))
}

func TestDigestSendsEachRequestTwice(t *testing.T) {
	c, stub, spec := newStubClient(t, bootstrapAPIKey)
	group, err := c.GetGroup(context.Background(), stub.Credentials.ProjectId, nil)
	require.NoError(t, err)
	assert.Equal(t, "Project0", group.Name)
	assert.Equal(t, 2, spec.count("getGroup"), "the challenge, then the answer; both validated")
	assert.Zero(t, spec.count("createOAuthToken"))
}

func TestWrongAPIKeyIsUnauthorized(t *testing.T) {
	c, stub, _ := newStubClient(t, nil, WithAPIKey("abcdefgh", "00000000-0000-0000-0000-000000000000"))
	_, err := c.GetGroup(context.Background(), stub.Credentials.ProjectId, nil)
	assert.True(t, IsErrorCode(err, "UNEXPECTED_ERROR"), "%v", err)
	assert.True(t, IsStatus(err, http.StatusUnauthorized))
}

func TestWithoutCredentialsIsUnauthorized(t *testing.T) {
	c, stub, _ := newStubClient(t, nil)
	_, err := c.GetGroup(context.Background(), stub.Credentials.ProjectId, nil)
	assert.True(t, IsErrorCode(err, "UNEXPECTED_ERROR"), "%v", err)
}

func TestUserAgent(t *testing.T) {
	agents := map[string]string{}
	var mu sync.Mutex
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.URL.Path] = r.UserAgent()
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/api/oauth/token" {
			_, _ = w.Write([]byte(`{"access_token":"t","expires_in":3600,"token_type":"Bearer"}`))
			return
		}
		_, _ = w.Write([]byte(`{"results":[]}`))
	}))
	t.Cleanup(server.Close)
	spec := newSpecTransport(t).requestsOnly()

	c, err := New(server.URL, WithHTTPClient(&http.Client{Transport: spec}), WithServiceAccount("mdb_sa_id_0123456789abcdef01234567", "mdb_sa_sk_x"))
	require.NoError(t, err)
	_, err = c.ListOrgs(context.Background(), nil)
	require.NoError(t, err)
	assert.Regexp(t, `^atlasstub-client \(\w+;\w+\)$`, agents["/api/atlas/v2/orgs"])

	c, err = New(server.URL, WithHTTPClient(&http.Client{Transport: spec}), WithServiceAccount("mdb_sa_id_0123456789abcdef01234567", "mdb_sa_sk_x"), WithUserAgent("terraform/1.9"))
	require.NoError(t, err)
	_, err = c.ListOrgs(context.Background(), nil)
	require.NoError(t, err)
	assert.Equal(t, "terraform/1.9", agents["/api/atlas/v2/orgs"])
	assert.Equal(t, "terraform/1.9", agents["/api/oauth/token"], "token requests too")
}

func TestNewRefusesBadConfigurations(t *testing.T) {
	for name, tc := range map[string]struct {
		baseURL string
		opts    []Option
	}{
		"two kinds of credentials": {"https://cloud.mongodb.com", []Option{WithServiceAccount("id", "secret"), WithAPIKey("public", "private")}},
		"no scheme":                {"cloud.mongodb.com", nil},
		"another scheme":           {"ftp://cloud.mongodb.com", nil},
		"an impossible date":       {"https://cloud.mongodb.com", []Option{WithVersionDate("2025-02-30")}},
		"not a date":               {"https://cloud.mongodb.com", []Option{WithVersionDate("latest")}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := New(tc.baseURL, tc.opts...)
			assert.Error(t, err)
		})
	}
}
