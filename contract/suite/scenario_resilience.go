package suite

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	atlasclient "github.com/atlasstub/atlasstub/client"
	"github.com/atlasstub/atlasstub/contract"
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

// faultRule is a rule of the control API, as the scenario writes and reads it.
type faultRule struct {
	ID      string         `json:"id,omitempty"`
	Match   map[string]any `json:"match"`
	Error   map[string]any `json:"error,omitempty"`
	Latency string         `json:"latency,omitempty"`
	After   int            `json:"after,omitempty"`
	Times   int            `json:"times,omitempty"`
	Fired   int            `json:"fired,omitempty"`
}

// faultControl speaks to the target's /_stub/faults.
type faultControl struct {
	http  *http.Client
	base  string
	added []string
}

// available reports whether the target injects faults: it answers GET /_stub/faults with a list.
func (f *faultControl) available(ctx context.Context) bool {
	var rules []faultRule
	return f.call(ctx, http.MethodGet, "/_stub/faults", nil, http.StatusOK, &rules) == nil
}

func (f *faultControl) add(ctx context.Context, rule faultRule) (faultRule, error) {
	var added faultRule
	if err := f.call(ctx, http.MethodPost, "/_stub/faults", rule, http.StatusCreated, &added); err != nil {
		return faultRule{}, err
	}
	f.added = append(f.added, added.ID)
	return added, nil
}

// fired says how many requests a rule met with its fault.
func (f *faultControl) fired(ctx context.Context, id string) (int, error) {
	var rule faultRule
	err := f.call(ctx, http.MethodGet, "/_stub/faults/"+id, nil, http.StatusOK, &rule)
	return rule.Fired, err
}

// removeAdded removes the rules the scenario added, so that nothing after it meets them.
func (f *faultControl) removeAdded(ctx context.Context) error {
	for _, id := range f.added {
		if err := f.call(ctx, http.MethodDelete, "/_stub/faults/"+id, nil, http.StatusNoContent, nil); err != nil {
			return err
		}
	}
	f.added = nil
	return nil
}

func (f *faultControl) call(ctx context.Context, method, path string, body any, want int, out any) error {
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			return err
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(ctx, method, f.base+path, reader)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := f.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if err != nil {
		return err
	}
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, snippet(data))
	}
	if out != nil {
		return json.Unmarshal(data, out)
	}
	return nil
}

func resilienceScenario(ctx context.Context, r *runner) ScenarioResult {
	s := steps{result: ScenarioResult{Name: "scenario_resilience"}}
	faults := &faultControl{http: &http.Client{Transport: r.c.network}, base: r.c.base}
	if !faults.available(ctx) {
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
	met := func(rule faultRule, want int) error {
		fired, err := faults.fired(ctx, rule.ID)
		if err == nil && fired != want {
			err = fmt.Errorf("fault rule %s met %d requests, want %d: the client did not meet the faults", rule.ID, fired, want)
		}
		return err
	}

	s.do("getGroup answers 503 SERVICE_UNAVAILABLE twice, then 429 RATE_LIMITED with Retry-After: 1: the client reads the project", func() (response, error) {
		getGroup := map[string]any{"operationId": "getGroup"}
		unavailable, err := faults.add(ctx, faultRule{Match: getGroup, Error: map[string]any{"status": 503, "errorCode": "SERVICE_UNAVAILABLE"}, Times: 2})
		if err != nil {
			return response{}, err
		}
		limited, err := faults.add(ctx, faultRule{Match: getGroup, Error: map[string]any{"status": 429, "errorCode": "RATE_LIMITED", "retryAfterSeconds": 1}, After: 2, Times: 1})
		if err != nil {
			return response{}, err
		}
		res, err := readProject(time.Second)
		if err == nil {
			err = met(unavailable, 2)
		}
		if err == nil {
			err = met(limited, 1)
		}
		return res, err
	})
	s.do("the token endpoint answers 503 once: the client mints its token", func() (response, error) {
		unavailable, err := faults.add(ctx, faultRule{Match: map[string]any{"operationId": "createOAuthToken"}, Error: map[string]any{"status": 503, "errorCode": "SERVICE_UNAVAILABLE"}, Times: 1})
		if err != nil {
			return response{}, err
		}
		account := r.c.creds.ServiceAccount
		token := r.operation("createOAuthToken")
		res, err := r.c.sendWith(ctx, underTest, request{method: http.MethodPost, path: token.Path, accept: "application/json",
			contentType: formMediaType, body: []byte(oauthForm(token, "").Encode()),
			header: http.Header{"Authorization": {basic(account.ClientID, account.ClientSecret)}}})
		switch {
		case err != nil:
			return res, fmt.Errorf("the client gave up: %w", err)
		case res.status != http.StatusOK || res.object()["access_token"] == nil:
			return res, fmt.Errorf("the client gave up with %d: %s", res.status, snippet(res.body))
		}
		return res, met(unavailable, 1)
	})
	s.do("the project's operations wait 50ms to 100ms: the client reads the project, slowly", func() (response, error) {
		slow, err := faults.add(ctx, faultRule{Match: map[string]any{"tag": "Projects"}, Latency: "50ms..100ms", Times: 1})
		if err != nil {
			return response{}, err
		}
		res, err := readProject(50 * time.Millisecond)
		if err == nil {
			err = met(slow, 1)
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
