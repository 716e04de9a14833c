package client

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/client/oauthtoken"
	"github.com/atlasstub/atlasstub/server/faults"
)

// waitOnTheStubsClock makes the client's waits move the stub's clock instead of sleeping, and
// records them: Retry-After counts on the stub's clock, whose windows end when it moves.
func waitOnTheStubsClock(c *Client, stub *testStub) *[]time.Duration {
	var waits []time.Duration
	wait := func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		stub.Advance(d)
		return nil
	}
	c.retries.sleep = wait
	if c.tokenRetries != nil {
		c.tokenRetries.sleep = wait
	}
	return &waits
}

// TestTheClientWaitsOutTheTokenEndpointsLimit drives the stub's real limit: another program has
// minted the account's ten tokens of the minute, so the client's token request gets 429
// RATE_LIMITED with Retry-After, waits as long as it says, and mints the token then.
func TestTheClientWaitsOutTheTokenEndpointsLimit(t *testing.T) {
	c, stub, spec := newStubClient(t, bootstrapServiceAccount)
	waits := waitOnTheStubsClock(c, stub)
	sa := stub.Credentials.ServiceAccount
	for range 10 {
		_, err := oauthtoken.Mint(t.Context(), http.DefaultClient, stub.URL, sa.ClientId, sa.ClientSecret)
		require.NoError(t, err)
	}

	group, err := c.GetGroup(t.Context(), stub.Credentials.ProjectId, nil)
	require.NoError(t, err)
	assert.Equal(t, "Project0", group.Name)
	require.Len(t, *waits, 1)
	assert.True(t, (*waits)[0] > 55*time.Second && (*waits)[0] <= time.Minute, "the window's rest: %v", (*waits)[0])
	assert.Equal(t, 2, spec.count("createOAuthToken"), "refused once, then minted")
	assert.Equal(t, 1, spec.count("getGroup"))
}

// TestTheClientRidesOutInjected503And429: getGroup answers 503 twice, then 429, each with its
// Retry-After; the client waits each out and returns the real answer.
func TestTheClientRidesOutInjected503And429(t *testing.T) {
	c, stub, spec := newStubClient(t, bootstrapServiceAccount)
	waits := waitOnTheStubsClock(c, stub)
	getGroup := faults.Match{OperationID: "getGroup"}
	unavailable := stub.fail(t, faults.Rule{Match: getGroup, Error: &faults.AtlasError{Status: http.StatusServiceUnavailable, ErrorCode: "SERVICE_UNAVAILABLE", RetryAfter: 3 * time.Second}, Times: 2})
	limited := stub.fail(t, faults.Rule{Match: getGroup, Error: &faults.AtlasError{Status: http.StatusTooManyRequests, ErrorCode: "RATE_LIMITED", RetryAfter: 7 * time.Second}, After: 2, Times: 1})

	group, err := c.GetGroup(t.Context(), stub.Credentials.ProjectId, nil)
	require.NoError(t, err)
	assert.Equal(t, "Project0", group.Name)
	assert.Equal(t, []time.Duration{3 * time.Second, 3 * time.Second, 7 * time.Second}, *waits)
	assert.Equal(t, 2, stub.rule(t, unavailable.ID).Fired)
	assert.Equal(t, 1, stub.rule(t, limited.ID).Fired)
	assert.Equal(t, 4, spec.count("getGroup"))
}

// TestTheClientRetriesInjectedFaultsOfTheTokenEndpoint: the token endpoint's own 503 and 429 are
// retried with the same policy as every request.
func TestTheClientRetriesInjectedFaultsOfTheTokenEndpoint(t *testing.T) {
	c, stub, spec := newStubClient(t, bootstrapServiceAccount)
	waits := waitOnTheStubsClock(c, stub)
	createToken := faults.Match{OperationID: "createOAuthToken"}
	stub.fail(t, faults.Rule{Match: createToken, Error: &faults.AtlasError{Status: http.StatusServiceUnavailable, ErrorCode: "SERVICE_UNAVAILABLE", RetryAfter: 2 * time.Second}, Times: 1})
	stub.fail(t, faults.Rule{Match: createToken, Error: &faults.AtlasError{Status: http.StatusTooManyRequests, ErrorCode: "RATE_LIMITED", RetryAfter: 5 * time.Second}, After: 1, Times: 1})

	_, err := c.GetGroup(t.Context(), stub.Credentials.ProjectId, nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{2 * time.Second, 5 * time.Second}, *waits)
	assert.Equal(t, 3, spec.count("createOAuthToken"))
}

// TestTheClientGivesUpOnAnInjectedFault: a fault that outlasts the policy's attempts, or a
// Retry-After beyond its MaxDelay, comes back as the Atlas error it is.
func TestTheClientGivesUpOnAnInjectedFault(t *testing.T) {
	c, stub, spec := newStubClient(t, bootstrapServiceAccount, WithRetryPolicy(RetryPolicy{MaxAttempts: 3, MaxDelay: 10 * time.Second}))
	waits := waitOnTheStubsClock(c, stub)
	_, err := c.GetGroup(t.Context(), stub.Credentials.ProjectId, nil) // the token, before the faults
	require.NoError(t, err)

	rule := stub.fail(t, faults.Rule{Match: faults.Match{OperationID: "getGroup"}, Error: &faults.AtlasError{Status: http.StatusServiceUnavailable, ErrorCode: "SERVICE_UNAVAILABLE"}})
	_, err = c.GetGroup(t.Context(), stub.Credentials.ProjectId, nil)
	assert.True(t, IsErrorCode(err, "SERVICE_UNAVAILABLE"), "%v", err)
	assert.Len(t, *waits, 2, "three attempts, two waits")
	stub.remove(t, rule.ID)

	stub.fail(t, faults.Rule{Match: faults.Match{OperationID: "getGroup"}, Error: &faults.AtlasError{Status: http.StatusTooManyRequests, ErrorCode: "RATE_LIMITED", RetryAfter: time.Minute}})
	before := spec.count("getGroup")
	_, err = c.GetGroup(t.Context(), stub.Credentials.ProjectId, nil)
	assert.True(t, IsErrorCode(err, "RATE_LIMITED"), "%v", err)
	assert.Equal(t, before+1, spec.count("getGroup"), "a minute is beyond MaxDelay: the caller decides")
}
