package compat

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas-sdk/v20250312013/admin"
	"go.mongodb.org/atlas-sdk/v20250312013/auth"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestSDK drives one stub per authentication method with the official Atlas Go SDK, configured
// as Atlas's documentation configures it with only the base URL changed. Every SDK method behind
// a v2 operation must succeed at least once, and for every resource the SDK's error helpers must
// read at least one Atlas error.
func TestSDK(t *testing.T) {
	t.Parallel()
	methods := map[string]func(t *testing.T, stub *stubtest.Stub) *admin.APIClient{
		"service account over OAuth": func(t *testing.T, stub *stubtest.Stub) *admin.APIClient {
			sa := stub.Credentials.ServiceAccount
			return newOAuthClient(t, stub.URL, sa.ClientId, sa.ClientSecret)
		},
		"API key over Digest": func(t *testing.T, stub *stubtest.Stub) *admin.APIClient {
			key := stub.Credentials.ApiKey
			return newDigestClient(t, stub.URL, key.PublicKey, key.PrivateKey)
		},
	}
	flows := []struct {
		name string
		run  func(*testing.T, *sdkSession)
	}{
		{"organizations", organizationsThroughSDK},
		{"projects", projectsThroughSDK},
		{"database users", databaseUsersThroughSDK},
		{"X.509 certificates", certificatesThroughSDK},
		{"user security", userSecurityThroughSDK},
		{"organization service accounts", orgServiceAccountsThroughSDK},
		{"project service accounts", projectServiceAccountsThroughSDK},
		{"organization API keys", orgAPIKeysThroughSDK},
		{"project API keys", projectAPIKeysThroughSDK},
	}
	for name, newClient := range methods {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			stub := stubtest.New(t)
			s := &sdkSession{
				stub:      stub,
				client:    newClient(t, stub),
				orgID:     stub.Credentials.OrgId,
				projectID: stub.Credentials.ProjectId,
				log:       newOperationLog(t),
			}
			t.Run("flows", func(t *testing.T) {
				for _, flow := range flows {
					t.Run(flow.name, func(t *testing.T) {
						t.Parallel()
						flow.run(t, s)
					})
				}
			})
			s.log.requireComplete(t)
		})
	}
}

// sdkSession is one SDK client of one stub, and the log of the operations it reached.
type sdkSession struct {
	stub             *stubtest.Stub
	client           *admin.APIClient
	orgID, projectID string
	log              *operationLog
}

// newOAuthClient returns an SDK client that signs in as a service account, configured the way
// Atlas's documentation does it: UseBaseURL first, so that UseOAuthAuth fetches tokens from the
// stub. The context hands UseOAuthAuth the HTTP client for the token endpoint; without one it
// would install its own transport in http.DefaultClient, for the whole test binary.
func newOAuthClient(t *testing.T, baseURL, clientID, secret string) *admin.APIClient {
	t.Helper()
	ctx := context.WithValue(context.Background(), auth.HTTPClient, &http.Client{})
	client, err := admin.NewClient(admin.UseBaseURL(baseURL), admin.UseOAuthAuth(ctx, clientID, secret))
	require.NoError(t, err)
	require.Nil(t, http.DefaultClient.Transport, "UseOAuthAuth changed http.DefaultClient")
	return client
}

// newDigestClient returns an SDK client that signs in with an API key over HTTP Digest.
func newDigestClient(t *testing.T, baseURL, publicKey, privateKey string) *admin.APIClient {
	t.Helper()
	client, err := admin.NewClient(admin.UseBaseURL(baseURL), admin.UseDigestAuth(publicKey, privateKey))
	require.NoError(t, err)
	return client
}

// operationLog records which operations of our specification SDK calls reached, successfully or
// with an Atlas error, to prove at the end that none was left out.
type operationLog struct {
	router    routers.Router
	mu        sync.Mutex
	succeeded map[string]bool
	failed    map[resource][]string // errorCodes the SDK's helpers read, by resource
}

func newOperationLog(t *testing.T) *operationLog {
	t.Helper()
	doc, err := openapi.LoadAtlas()
	require.NoError(t, err)
	doc.Servers = nil // match the stub's paths on any host
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	return &operationLog{router: router, succeeded: map[string]bool{}, failed: map[resource][]string{}}
}

// operation returns the operationId of the request that res answers.
func (l *operationLog) operation(t *testing.T, res *http.Response) string {
	t.Helper()
	require.NotNil(t, res, "the SDK returned no response")
	route, _, err := l.router.FindRoute(res.Request)
	require.NoError(t, err, "%s %s is no operation of openapi/atlas.yaml", res.Request.Method, res.Request.URL)
	return route.Operation.OperationID
}

// ok requires that an SDK call succeeded at the operation named, and records it.
func (l *operationLog) ok(t *testing.T, operationID string, res *http.Response, err error) {
	t.Helper()
	l.okWithOtherCredentials(t, operationID, res, err)
	l.mu.Lock()
	defer l.mu.Unlock()
	l.succeeded[operationID] = true
}

// okWithOtherCredentials requires what ok does of a call made by a client other than the
// session's, such as a key the session created, and does not record it: the session counts
// only the calls of its own authentication method.
func (l *operationLog) okWithOtherCredentials(t *testing.T, operationID string, res *http.Response, err error) {
	t.Helper()
	require.NoError(t, err, "%s through %s", operationID, sdkMethods[operationID])
	require.Equal(t, operationID, l.operation(t, res))
	require.Less(t, res.StatusCode, http.StatusMultipleChoices)
}

// fails requires that an SDK call failed at the operation named with the Atlas error of status
// and errorCode, as the SDK's own helpers (admin.IsErrorCode, admin.AsError) read it, and
// records it.
func (l *operationLog) fails(t *testing.T, operationID string, res *http.Response, err error, status int, errorCode string) {
	t.Helper()
	require.Error(t, err, "%s through %s should fail", operationID, sdkMethods[operationID])
	assert.True(t, admin.IsErrorCode(err, errorCode), "admin.IsErrorCode(err, %q) is false for: %v", errorCode, err)
	apiErr, ok := admin.AsError(err)
	require.True(t, ok, "admin.AsError cannot read: %v", err)
	assert.Equal(t, status, apiErr.GetError())
	assert.Equal(t, errorCode, apiErr.GetErrorCode())
	assert.Equal(t, http.StatusText(status), apiErr.GetReason())
	assert.NotEmpty(t, apiErr.GetDetail())
	require.Equal(t, operationID, l.operation(t, res))
	require.Equal(t, status, res.StatusCode)
	l.mu.Lock()
	defer l.mu.Unlock()
	r := sdkMethods[operationID].resource
	l.failed[r] = append(l.failed[r], errorCode)
}

// requireComplete fails unless every SDK method in sdkMethods succeeded at least once and the
// error helpers read an error of every resource.
func (l *operationLog) requireComplete(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, m := range sdkMethods {
		assert.True(t, l.succeeded[id], "%s (%s) never succeeded through the SDK", m, id)
	}
	for _, r := range allResources {
		assert.NotEmpty(t, l.failed[r], "the SDK's error helpers never read an error of %s", r)
	}
}
