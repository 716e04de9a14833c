package client

import (
	"context"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"
)

// RetryPolicy decides when the client sends a request again. A response with status 429 or 5xx
// to a GET, HEAD, OPTIONS, PUT or DELETE is retried, after the wait the response's Retry-After
// asks for (seconds or an HTTP date), or else after an exponential backoff with jitter. POST and
// PATCH are not retried unless RetryNonIdempotent is set, since a request that failed with a 5xx
// may still have taken effect. Errors of the connection itself are returned as they are. Zero
// fields take their defaults.
type RetryPolicy struct {
	// MaxAttempts is how often a request is sent at most, the first time included; 1 turns
	// retries off. Default 4.
	MaxAttempts int
	// BaseDelay is the backoff before the first retry; each further retry waits twice as long,
	// and each wait is drawn at random from its upper half. Default 500ms.
	BaseDelay time.Duration
	// MaxDelay caps each backoff. A Retry-After asking for longer ends the retries and returns the
	// response, so that the caller decides whether to wait that long. Default 1m.
	MaxDelay time.Duration
	// RetryNonIdempotent retries POST and PATCH too.
	RetryNonIdempotent bool
}

// tokenRetryPolicy is the policy of the token requests: the client's own, for POST too. A token
// request may be sent again whatever its answer was: a token minted by an attempt whose answer
// was lost is never used, and expires within the hour. Atlas answers its rate limit of ten
// tokens a minute with 429 and a Retry-After, which a client that mints often meets.
func tokenRetryPolicy(p RetryPolicy) RetryPolicy {
	p.RetryNonIdempotent = true
	return p
}

func (p RetryPolicy) withDefaults() RetryPolicy {
	if p.MaxAttempts <= 0 {
		p.MaxAttempts = 4
	}
	if p.BaseDelay <= 0 {
		p.BaseDelay = 500 * time.Millisecond
	}
	if p.MaxDelay <= 0 {
		p.MaxDelay = time.Minute
	}
	return p
}

// retryTransport applies a RetryPolicy around the rest of the transport chain, so that each
// attempt authenticates afresh.
type retryTransport struct {
	policy RetryPolicy
	next   http.RoundTripper
	// sleep waits for d or until ctx ends; tests replace it to run without waiting.
	sleep func(ctx context.Context, d time.Duration) error
	// now reads the time that an HTTP-date Retry-After is relative to.
	now func() time.Time
	// jitter draws a random duration in [0, n): the part of a backoff that is left to chance.
	jitter func(n time.Duration) time.Duration
}

// NewRetryTransport returns a transport that sends requests through next and retries them with
// policy, as a Client does: for a program that calls Atlas with an http.Client of its own, or a
// test that wants the client's retries under another client. A nil next is
// http.DefaultTransport.
func NewRetryTransport(policy RetryPolicy, next http.RoundTripper) http.RoundTripper {
	if next == nil {
		next = http.DefaultTransport
	}
	return newRetryTransport(policy, next)
}

func newRetryTransport(policy RetryPolicy, next http.RoundTripper) *retryTransport {
	return &retryTransport{policy: policy.withDefaults(), next: next, sleep: sleepContext, now: time.Now, jitter: rand.N[time.Duration]}
}

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	// A body can be sent again only if the request can make a fresh copy of it; the generated
	// client's requests can.
	if !t.retries(req.Method) || req.Body != nil && req.GetBody == nil {
		return t.next.RoundTrip(req)
	}
	attempt := req
	for n := 1; ; n++ {
		resp, err := t.next.RoundTrip(attempt)
		if err != nil || n == t.policy.MaxAttempts || !retryableStatus(resp.StatusCode) {
			return resp, err
		}
		wait, ok := t.wait(n, resp)
		if !ok {
			return resp, nil
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10)) // lets the connection be reused
		resp.Body.Close()
		if err := t.sleep(req.Context(), wait); err != nil {
			return nil, err
		}
		attempt = req.Clone(req.Context())
		if req.Body != nil {
			if attempt.Body, err = req.GetBody(); err != nil {
				return nil, err
			}
		}
	}
}

func (t *retryTransport) retries(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	case http.MethodPost, http.MethodPatch:
		return t.policy.RetryNonIdempotent
	}
	return false
}

func retryableStatus(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500 && status <= 599
}

// wait is how long to wait after the n-th attempt got resp, and whether to retry at all.
func (t *retryTransport) wait(n int, resp *http.Response) (time.Duration, bool) {
	if d, ok := retryAfter(resp.Header.Get("Retry-After"), t.now()); ok {
		return d, d <= t.policy.MaxDelay
	}
	backoff := min(t.policy.BaseDelay<<(n-1), t.policy.MaxDelay)
	if backoff <= 0 { // the shift overflowed
		backoff = t.policy.MaxDelay
	}
	return backoff/2 + t.jitter(backoff/2+1), true
}

// retryAfter reads a Retry-After header: delay-seconds or an HTTP date (RFC 9110, 10.2.3).
func retryAfter(header string, now time.Time) (time.Duration, bool) {
	if header == "" {
		return 0, false
	}
	if seconds, err := strconv.Atoi(header); err == nil && seconds >= 0 {
		// Beyond what a Duration holds is as good as forever; multiplying would overflow into
		// a negative delay.
		return time.Duration(min(seconds, int(math.MaxInt64/time.Second))) * time.Second, true
	}
	if date, err := http.ParseTime(header); err == nil {
		return max(date.Sub(now), 0), true
	}
	return 0, false
}

func sleepContext(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
