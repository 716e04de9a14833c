package compat

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas-sdk/v20250312013/admin"
	"go.mongodb.org/atlas-sdk/v20250312013/auth"
	"golang.org/x/oauth2"

	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// countingTransport counts the requests that reach the token endpoint.
type countingTransport struct{ tokens atomic.Int32 }

func (c *countingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if strings.HasSuffix(req.URL.Path, "/api/oauth/token") {
		c.tokens.Add(1)
	}
	return http.DefaultTransport.RoundTrip(req)
}

// TestSDKMeetsTheTokenLimit drives the official SDK into Atlas's token limit the way tools that
// build a client per operation do (Terraform's provider did): each new client mints its own
// token. What the SDK does with the eleventh is what docs/compatibility.md tells its users.
func TestSDKMeetsTheTokenLimit(t *testing.T) {
	t.Parallel()
	stub := stubtest.New(t)
	sa := stub.Credentials.ServiceAccount
	counter := &countingTransport{}
	newClient := func() *admin.APIClient {
		ctx := context.WithValue(context.Background(), auth.HTTPClient, &http.Client{Transport: counter})
		client, err := admin.NewClient(admin.UseBaseURL(stub.URL), admin.UseOAuthAuth(ctx, sa.ClientId, sa.ClientSecret))
		require.NoError(t, err)
		return client
	}
	ctx := t.Context()
	var first *admin.APIClient
	for i := range 10 {
		client := newClient()
		_, _, err := client.ProjectsApi.GetGroup(ctx, stub.Credentials.ProjectId).Execute()
		require.NoError(t, err, "client %d", i+1)
		if first == nil {
			first = client
		}
	}
	require.Equal(t, int32(10), counter.tokens.Load(), "each client mints its own token")

	_, _, err := newClient().ProjectsApi.GetGroup(ctx, stub.Credentials.ProjectId).Execute()
	require.Error(t, err)
	t.Run("the eleventh fails at the token endpoint, as an OAuth error, not retried", func(t *testing.T) {
		var retrieve *oauth2.RetrieveError
		require.True(t, errors.As(err, &retrieve), "%T: %v", err, err)
		assert.Equal(t, http.StatusTooManyRequests, retrieve.Response.StatusCode)
		assert.Empty(t, retrieve.ErrorCode, "Atlas's ApiError has a number in `error`, which golang.org/x/oauth2 cannot read as an RFC 6749 code")
		assert.Contains(t, string(retrieve.Body), `"errorCode":"RATE_LIMITED"`)
		assert.NotEmpty(t, retrieve.Response.Header.Get("Retry-After"), "the wait is there for a caller who looks")
		assert.Contains(t, err.Error(), "oauth2: cannot fetch token: 429 Too Many Requests")
		_, isAPIError := admin.AsError(err)
		assert.False(t, isAPIError, "admin.AsError and admin.IsErrorCode see nothing")
		assert.False(t, admin.IsErrorCode(err, "RATE_LIMITED"))
		assert.Equal(t, int32(11), counter.tokens.Load(), "the SDK sends the token request once")
	})

	t.Run("a client that holds a token keeps working", func(t *testing.T) {
		_, _, err := first.ProjectsApi.GetGroup(ctx, stub.Credentials.ProjectId).Execute()
		assert.NoError(t, err)
		assert.Equal(t, int32(11), counter.tokens.Load(), "it mints nothing")
	})

	t.Run("a 429 of the API is an Atlas error the SDK reads, and is not retried", func(t *testing.T) {
		rule := stub.Fail(t, faults.Match{OperationID: "getGroup"}, http.StatusTooManyRequests, "RATE_LIMITED", stubtest.Times(1), stubtest.RetryAfter(5*time.Second))
		_, res, err := first.ProjectsApi.GetGroup(ctx, stub.Credentials.ProjectId).Execute()
		assert.True(t, admin.IsErrorCode(err, "RATE_LIMITED"), "%v", err)
		require.NotNil(t, res)
		assert.Equal(t, "5", res.Header.Get("Retry-After"))
		assert.Equal(t, 1, stub.FaultRule(t, rule.ID).Matched, "one request: the SDK has no retries")
	})

	t.Run("a minute later a new client mints again", func(t *testing.T) {
		stub.Advance(time.Minute)
		_, _, err := newClient().ProjectsApi.GetGroup(ctx, stub.Credentials.ProjectId).Execute()
		assert.NoError(t, err)
	})
}
