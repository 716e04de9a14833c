package client

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// flakyServer answers each request with the next of its statuses (200 once they run out), and
// records what it received.
type flakyServer struct {
	*httptest.Server
	mu       sync.Mutex
	statuses []int
	headers  []http.Header // extra response headers, by request
	bodies   []string
}

func newFlakyServer(t *testing.T, statuses ...int) *flakyServer {
	s := &flakyServer{statuses: statuses}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		n := len(s.bodies)
		s.bodies = append(s.bodies, string(body))
		status := http.StatusOK
		if n < len(s.statuses) {
			status = s.statuses[n]
		}
		if n < len(s.headers) {
			for name, values := range s.headers[n] {
				w.Header()[name] = values
			}
		}
		s.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status < 300 {
			_, _ = w.Write([]byte(`{"name":"flaky","orgId":"0123456789abcdef01234567"}`))
			return
		}
		_, _ = w.Write([]byte(`{"error":` + strconv.Itoa(status) + `,"errorCode":"TRY_AGAIN"}`))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *flakyServer) requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.bodies...)
}

// retryingClient is a client of server whose waits are recorded instead of slept.
func retryingClient(t *testing.T, server *flakyServer, policy RetryPolicy) (*Client, *[]time.Duration) {
	c, err := New(server.URL, WithHTTPClient(&http.Client{Transport: newSpecTransport(t).requestsOnly()}), WithRetryPolicy(policy))
	require.NoError(t, err)
	var waits []time.Duration
	c.retries.sleep = func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}
	c.retries.now = func() time.Time { return time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC) }
	return c, &waits
}

const someGroup = "0123456789abcdef01234567"

// TestRetriesBackOffWithJitter draws the jitter from a stand-in source: each wait is the upper
// half of its doubling backoff, half of the backoff plus what the source drew.
func TestRetriesBackOffWithJitter(t *testing.T) {
	server := newFlakyServer(t, http.StatusServiceUnavailable, http.StatusTooManyRequests, http.StatusInternalServerError)
	c, waits := retryingClient(t, server, RetryPolicy{BaseDelay: 100 * time.Millisecond})
	var ranges []time.Duration
	draw := []func(n time.Duration) time.Duration{
		func(n time.Duration) time.Duration { return n - 1 }, // the most
		func(time.Duration) time.Duration { return 0 },       // the least
		func(n time.Duration) time.Duration { return n / 2 },
	}
	c.retries.jitter = func(n time.Duration) time.Duration {
		ranges = append(ranges, n)
		return draw[len(ranges)-1](n)
	}
	group, err := c.GetGroup(context.Background(), someGroup, nil)
	require.NoError(t, err)
	assert.Equal(t, "flaky", group.Name)
	assert.Len(t, server.requests(), 4)
	const ns = time.Nanosecond
	assert.Equal(t, []time.Duration{50*time.Millisecond + ns, 100*time.Millisecond + ns, 200*time.Millisecond + ns}, ranges,
		"the jitter spans the upper half of each backoff, both ends included")
	assert.Equal(t, []time.Duration{100 * time.Millisecond, 100 * time.Millisecond, 300 * time.Millisecond}, *waits)
}

// TestRetryJitterVaries makes sure the default source is random: the waits after the same
// attempt differ, and stay within the upper half of the backoff.
func TestRetryJitterVaries(t *testing.T) {
	transport := newRetryTransport(RetryPolicy{BaseDelay: 100 * time.Millisecond}, nil)
	unavailable := &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{}}
	seen := map[time.Duration]bool{}
	for range 20 {
		wait, retry := transport.wait(2, unavailable)
		require.True(t, retry)
		assert.GreaterOrEqual(t, wait, 100*time.Millisecond)
		assert.LessOrEqual(t, wait, 200*time.Millisecond)
		seen[wait] = true
	}
	assert.Greater(t, len(seen), 1, "twenty waits after the second attempt were all %v", seen)
}

func TestRetriesGiveUpAfterMaxAttempts(t *testing.T) {
	server := newFlakyServer(t, 503, 503, 503, 503, 503)
	c, waits := retryingClient(t, server, RetryPolicy{MaxAttempts: 3})
	err := c.DeleteGroup(context.Background(), someGroup, nil)
	assert.True(t, IsStatus(err, http.StatusServiceUnavailable), "%v", err)
	assert.Len(t, server.requests(), 3)
	assert.Len(t, *waits, 2)
}

func TestBackoffIsCapped(t *testing.T) {
	server := newFlakyServer(t, 503, 503, 503)
	c, waits := retryingClient(t, server, RetryPolicy{BaseDelay: time.Second, MaxDelay: 1500 * time.Millisecond})
	_, err := c.GetGroup(context.Background(), someGroup, nil)
	require.NoError(t, err)
	require.Len(t, *waits, 3)
	assert.LessOrEqual(t, (*waits)[2], 1500*time.Millisecond, "2s and 4s are capped")
}

func TestRetryAfterIsHonoured(t *testing.T) {
	server := newFlakyServer(t, http.StatusTooManyRequests, http.StatusServiceUnavailable)
	server.headers = []http.Header{
		{"Retry-After": {"7"}},
		{"Retry-After": {"Sun, 22 Nov 2026 10:00:30 GMT"}},
	}
	c, waits := retryingClient(t, server, RetryPolicy{})
	_, err := c.GetGroup(context.Background(), someGroup, nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{7 * time.Second, 30 * time.Second}, *waits)
}

func TestRetryAfterBeyondMaxDelayEndsRetries(t *testing.T) {
	// 99999999999999999 seconds is more than a time.Duration holds.
	for _, retryAfter := range []string{"120", "99999999999999999"} {
		t.Run(retryAfter, func(t *testing.T) {
			server := newFlakyServer(t, http.StatusTooManyRequests)
			server.headers = []http.Header{{"Retry-After": {retryAfter}}}
			c, waits := retryingClient(t, server, RetryPolicy{MaxDelay: time.Minute})
			_, err := c.GetGroup(context.Background(), someGroup, nil)
			assert.True(t, IsStatus(err, http.StatusTooManyRequests), "%v", err)
			assert.Empty(t, *waits)
			assert.Len(t, server.requests(), 1)
		})
	}
}

func TestPostIsNotRetriedByDefault(t *testing.T) {
	server := newFlakyServer(t, http.StatusServiceUnavailable)
	c, waits := retryingClient(t, server, RetryPolicy{})
	_, err := c.CreateGroup(context.Background(), nil, atlasapi.Group{Name: "once", OrgId: someGroup})
	assert.True(t, IsErrorCode(err, "TRY_AGAIN"), "%v", err)
	assert.Len(t, server.requests(), 1)
	assert.Empty(t, *waits)

	server = newFlakyServer(t, http.StatusServiceUnavailable)
	c, _ = retryingClient(t, server, RetryPolicy{})
	_, err = c.UpdateGroup(context.Background(), someGroup, nil, atlasapi.GroupUpdate{Name: ptr("once")})
	assert.Error(t, err)
	assert.Len(t, server.requests(), 1, "nor PATCH")
}

func TestPostIsRetriedWhenAsked(t *testing.T) {
	server := newFlakyServer(t, http.StatusServiceUnavailable, http.StatusBadGateway)
	c, _ := retryingClient(t, server, RetryPolicy{RetryNonIdempotent: true})
	group, err := c.CreateGroup(context.Background(), nil, atlasapi.Group{Name: "twice", OrgId: someGroup})
	require.NoError(t, err)
	assert.Equal(t, "flaky", group.Name)
	bodies := server.requests()
	require.Len(t, bodies, 3)
	assert.JSONEq(t, `{"name":"twice","orgId":"`+someGroup+`"}`, bodies[0])
	assert.Equal(t, bodies[0], bodies[1], "the body goes out again in full")
	assert.Equal(t, bodies[0], bodies[2])
}

func TestClientErrorsAreNotRetried(t *testing.T) {
	server := newFlakyServer(t, http.StatusConflict)
	c, _ := retryingClient(t, server, RetryPolicy{})
	_, err := c.GetGroup(context.Background(), someGroup, nil)
	assert.True(t, IsStatus(err, http.StatusConflict))
	assert.Len(t, server.requests(), 1)
}

func TestRetryWaitEndsWithTheContext(t *testing.T) {
	server := newFlakyServer(t, http.StatusServiceUnavailable)
	c, err := New(server.URL, WithHTTPClient(&http.Client{Transport: newSpecTransport(t).requestsOnly()}), WithRetryPolicy(RetryPolicy{BaseDelay: time.Hour}))
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	_, err = c.GetGroup(ctx, someGroup, nil)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestRetryAfterHeader(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for header, want := range map[string]time.Duration{
		"0":                             0,
		"42":                            42 * time.Second,
		"Sun, 22 Nov 2026 10:01:00 GMT": time.Minute,
		"Sun, 22 Nov 2026 09:00:00 GMT": 0, // already past
	} {
		got, ok := retryAfter(header, now)
		assert.True(t, ok, header)
		assert.Equal(t, want, got, header)
	}
	for _, header := range []string{"", "-1", "soon", "1.5"} {
		_, ok := retryAfter(header, now)
		assert.False(t, ok, header)
	}
}

// TestNewRetryTransport: the exported transport retries as a Client does, for an http.Client of
// one's own.
func TestNewRetryTransport(t *testing.T) {
	server := newFlakyServer(t, http.StatusServiceUnavailable, http.StatusBadGateway)
	client := &http.Client{Transport: NewRetryTransport(RetryPolicy{BaseDelay: time.Millisecond}, nil)}
	res, err := client.Get(server.URL + "/api/atlas/v2/groups/" + someGroup)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Len(t, server.requests(), 3)
}
