package suite

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// pacing keeps the kit within the target's rate limits: a request answered 429 RATE_LIMITED with
// a Retry-After is sent again once that wait is over. Atlas's token endpoint mints ten tokens a
// minute per service account, fewer than a run asks for, so a kit that did not wait would report
// Atlas's own limit as failures of the checks it happened to meet. It sits under the validating
// transports: the checks see the answer after the wait, as a careful client would.
type pacing struct {
	next http.RoundTripper
	// wait waits out a Retry-After (sleepFor unless Config.Wait says otherwise).
	wait func(ctx context.Context, d time.Duration) error
}

const (
	// paceAttempts is how often a rate-limited request is sent at most.
	paceAttempts = 4
	// longestPace is the longest Retry-After the kit waits for; a longer one is answered as it is.
	longestPace = 2 * time.Minute
)

func (p pacing) RoundTrip(req *http.Request) (*http.Response, error) {
	for attempt := 1; ; attempt++ {
		res, err := p.next.RoundTrip(req)
		if err != nil || attempt == paceAttempts || !p.resendable(req) {
			return res, err
		}
		wait, limited := rateLimited(res)
		if !limited || wait > longestPace {
			return res, nil
		}
		res.Body.Close()
		if err := p.wait(req.Context(), wait); err != nil {
			return nil, err
		}
		if req, err = again(req); err != nil {
			return nil, err
		}
	}
}

// resendable reports whether req can go out again as it is: its body can be made anew, and it
// carries no Digest answer, whose nonce count the server would refuse as replayed.
func (p pacing) resendable(req *http.Request) bool {
	return (req.Body == nil || req.GetBody != nil) && !strings.HasPrefix(req.Header.Get("Authorization"), "Digest ")
}

// rateLimited reports whether res is Atlas's 429 RATE_LIMITED, and how long its Retry-After asks
// to wait. It leaves the body readable.
func rateLimited(res *http.Response) (time.Duration, bool) {
	if res.StatusCode != http.StatusTooManyRequests {
		return 0, false
	}
	seconds, err := strconv.Atoi(res.Header.Get("Retry-After"))
	if err != nil || seconds < 0 {
		return 0, false
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	res.Body = io.NopCloser(bytes.NewReader(body))
	var apiError struct {
		ErrorCode string `json:"errorCode"`
	}
	if err != nil || json.Unmarshal(body, &apiError) != nil || apiError.ErrorCode != "RATE_LIMITED" {
		return 0, false
	}
	return time.Duration(seconds) * time.Second, true
}

func again(req *http.Request) (*http.Request, error) {
	next := req.Clone(req.Context())
	if req.Body != nil {
		body, err := req.GetBody()
		if err != nil {
			return nil, err
		}
		next.Body = body
	}
	return next, nil
}

// sleepFor waits d, or until ctx ends.
func sleepFor(ctx context.Context, d time.Duration) error {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
