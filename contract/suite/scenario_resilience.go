package suite

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	atlasclient "github.com/atlasstub/atlasstub/client"
	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/gen/stubapi"
)

// The resilience scenario asks the target to inject faults (POST /_stub/faults, which atlasstub
// serves) and checks that the client under test rides them out: 503s and a 429 with Retry-After
// on a read, a 503 of the token endpoint, latency. A target without fault injection (Atlas
// itself) skips it. The client under test is Config.Resilience, or else the kit's own: the
// retries of the atlasstub Go client.

// kitRetries is the kit's own way of riding out faults: the Go client's retry policy, with short
// backoffs so that the scenario takes a second or two, and for POST too, since the scenario sends
// only reads and token requests through it, which are safe to repeat.
func kitRetries(next http.RoundTripper) http.RoundTripper {
	return atlasclient.NewRetryTransport(atlasclient.RetryPolicy{BaseDelay: 50 * time.Millisecond, RetryNonIdempotent: true}, next)
}

// faultControl adds and reads the scenario's rules at the target's /_stub/faults, with the
// control API's generated client.
type faultControl struct {
	api   *stubapi.ClientWithResponses
	added []string
}

func newFaultControl(base string, network http.RoundTripper) (*faultControl, error) {
	api, err := stubapi.NewClientWithResponses(base, stubapi.WithHTTPClient(&http.Client{Transport: network}))
	return &faultControl{api: api}, err
}

// available reports whether the target injects faults: it answers GET /_stub/faults with a list.
func (f *faultControl) available(ctx context.Context) bool {
	res, err := f.api.ListFaultRulesWithResponse(ctx)
	return err == nil && res.JSON200 != nil
}

func (f *faultControl) add(ctx context.Context, rule stubapi.FaultRuleRequest) (stubapi.FaultRule, error) {
	res, err := f.api.AddFaultRuleWithResponse(ctx, rule)
	if err != nil {
		return stubapi.FaultRule{}, err
	}
	if res.JSON201 == nil {
		return stubapi.FaultRule{}, fmt.Errorf("POST /_stub/faults: status %d: %s", res.StatusCode(), snippet(res.Body))
	}
	f.added = append(f.added, res.JSON201.Id)
	return *res.JSON201, nil
}

// met requires a rule to have met exactly want requests with its fault: the client under test
// met the faults it was meant to, no more.
func (f *faultControl) met(ctx context.Context, rule stubapi.FaultRule, want int64) error {
	res, err := f.api.GetFaultRuleWithResponse(ctx, rule.Id)
	switch {
	case err != nil:
		return err
	case res.JSON200 == nil:
		return fmt.Errorf("GET /_stub/faults/%s: status %d: %s", rule.Id, res.StatusCode(), snippet(res.Body))
	case res.JSON200.Fired != want:
		return fmt.Errorf("fault rule %s met %d requests, want %d", rule.Id, res.JSON200.Fired, want)
	}
	return nil
}

// removeAdded removes the rules the scenario added, so that nothing after it meets them.
func (f *faultControl) removeAdded(ctx context.Context) error {
	for _, id := range f.added {
		res, err := f.api.DeleteFaultRuleWithResponse(ctx, id)
		if err == nil && res.StatusCode() != http.StatusNoContent {
			err = fmt.Errorf("DELETE /_stub/faults/%s: status %d: %s", id, res.StatusCode(), snippet(res.Body))
		}
		if err != nil {
			return err
		}
	}
	f.added = nil
	return nil
}

// atlasError is the error part of a rule.
func atlasError(status int32, errorCode string, retryAfterSeconds int32) *stubapi.FaultError {
	e := &stubapi.FaultError{Status: status, ErrorCode: errorCode}
	if retryAfterSeconds > 0 {
		e.RetryAfterSeconds = &retryAfterSeconds
	}
	return e
}

func ptr[T any](v T) *T { return &v }

func resilienceScenario(ctx context.Context, r *runner) ScenarioResult {
	s := steps{result: ScenarioResult{Name: "scenario_resilience"}}
	faults, err := newFaultControl(r.c.base, r.c.network)
	if err != nil || !faults.available(ctx) {
		s.result.Skipped = "the target injects no faults (it has no /_stub/faults, as Atlas has none)"
		return s.result
	}
	underTest := r.c.resilientClient()
	project := "/api/atlas/v2/groups/" + url.PathEscape(r.f.shared["groupId"])
	readProject := func(want time.Duration) (response, error) {
		token, err := r.c.bearer(ctx)
		if err != nil {
			return response{}, err
		}
		start := time.Now()
		res, err := r.c.sendWith(ctx, underTest, request{method: http.MethodGet, path: project, accept: acceptFor(project),
			header: http.Header{"Authorization": {"Bearer " + token}}})
		switch {
		case err != nil:
			return res, fmt.Errorf("the client gave up: %w", err)
		case res.status != http.StatusOK:
			return res, fmt.Errorf("the client gave up with %d: %s", res.status, snippet(res.body))
		case !strings.Contains(string(res.body), r.f.shared["groupId"]):
			return res, fmt.Errorf("the project's read does not show it: %s", snippet(res.body))
		case time.Since(start) < want:
			return res, fmt.Errorf("the read took %v, less than the %v the target was asked to wait", time.Since(start), want)
		}
		return res, nil
	}

	s.do("getGroup answers 503 SERVICE_UNAVAILABLE twice, then 429 RATE_LIMITED with Retry-After: 1: the client reads the project", func() (response, error) {
		getGroup := stubapi.FaultMatch{OperationId: ptr("getGroup")}
		unavailable, err := faults.add(ctx, stubapi.FaultRuleRequest{Match: getGroup, Error: atlasError(503, "SERVICE_UNAVAILABLE", 0), Times: ptr[int32](2)})
		if err != nil {
			return response{}, err
		}
		limited, err := faults.add(ctx, stubapi.FaultRuleRequest{Match: getGroup, Error: atlasError(429, "RATE_LIMITED", 1), After: ptr[int32](2), Times: ptr[int32](1)})
		if err != nil {
			return response{}, err
		}
		res, err := readProject(time.Second)
		if err == nil {
			err = faults.met(ctx, unavailable, 2)
		}
		if err == nil {
			err = faults.met(ctx, limited, 1)
		}
		return res, err
	})
	// The token is the fixture's account's: the checks have used up much of the minute's ten
	// tokens of the credentials' account, and a real 429 would cost the client under test a
	// minute of real time.
	s.do("the token endpoint answers 503 once: the client mints a token", func() (response, error) {
		unavailable, err := faults.add(ctx, stubapi.FaultRuleRequest{Match: stubapi.FaultMatch{OperationId: ptr("createOAuthToken")}, Error: atlasError(503, "SERVICE_UNAVAILABLE", 0), Times: ptr[int32](1)})
		if err != nil {
			return response{}, err
		}
		clientID := r.f.shared["clientId"]
		token := r.operation("createOAuthToken")
		res, err := r.c.sendWith(ctx, underTest, request{method: http.MethodPost, path: token.Path, accept: "application/json",
			contentType: formMediaType, body: []byte(oauthForm(token, "").Encode()),
			header: http.Header{"Authorization": {basic(clientID, r.f.restrictedSecret)}}, shownCredentials: kitClientCredentials(clientID)})
		switch {
		case err != nil:
			return res, fmt.Errorf("the client gave up: %w", err)
		case res.status != http.StatusOK || res.object()["access_token"] == nil:
			return res, fmt.Errorf("the client gave up with %d: %s", res.status, snippet(res.body))
		}
		return res, faults.met(ctx, unavailable, 1)
	})
	s.do("the project's operations wait 50ms to 100ms: the client reads the project, slowly", func() (response, error) {
		slow, err := faults.add(ctx, stubapi.FaultRuleRequest{Match: stubapi.FaultMatch{Tag: ptr("Projects")}, Latency: ptr("50ms..100ms"), Times: ptr[int32](1)})
		if err != nil {
			return response{}, err
		}
		res, err := readProject(50 * time.Millisecond)
		if err == nil {
			err = faults.met(ctx, slow, 1)
		}
		return res, err
	})
	// Whatever failed, nothing after the scenario may meet its rules.
	if err := faults.removeAdded(ctx); err != nil {
		s.result.Steps = append(s.result.Steps, Step{Name: "remove the scenario's fault rules", Message: err.Error()})
	}
	return s.result
}

// resilientClient is the client under test of the resilience scenario: Config.Resilience (or the
// kit's own retries) over the network, without the kit's own pacing, under a validating
// transport that sees what the client makes of the faults.
func (c *client) resilientClient() *http.Client {
	t := contract.NewTransport(c.spec, c.resilience(c.direct))
	c.mu.Lock()
	c.others = append(c.others, t)
	c.mu.Unlock()
	return &http.Client{Transport: t, CheckRedirect: noRedirects}
}
