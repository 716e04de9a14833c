package suite_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// resilienceOnly runs the resilience scenario alone.
func resilienceOnly(t *testing.T, cfg suite.Config) suite.ScenarioResult {
	t.Helper()
	cfg.Seed, cfg.Checks = 1, []string{"scenario_resilience"}
	report, err := suite.Run(context.Background(), cfg)
	require.NoError(t, err)
	require.Len(t, report.Scenarios, 1)
	return report.Scenarios[0]
}

// TestTheResilienceScenarioCatchesAClientThatGivesUp: a client under test without retries meets
// the first injected 503 and fails the scenario (the kit's own retries pass it, in
// TestTheStubPassesTheSuite); the scenario removes its rules all the same.
func TestTheResilienceScenarioCatchesAClientThatGivesUp(t *testing.T) {
	stub := stubtest.New(t)
	noRetries := func(next http.RoundTripper) http.RoundTripper { return next }
	failed := resilienceOnly(t, suite.Config{Credentials: kitCredentials(t, stub.Credentials), Resilience: noRetries})
	require.True(t, failed.Failed())
	first := failed.Steps[0]
	assert.False(t, first.Passed)
	assert.Contains(t, first.Message, "the client gave up with 503")
	assert.Contains(t, first.Curl, "/api/atlas/v2/groups/", "a curl command of the read")
	assert.Empty(t, stub.Server.Faults().Rules(), "the scenario removes its rules when it fails too")
}

// TestTheResilienceScenarioSkipsATargetWithoutFaults: Atlas has no /_stub/faults; the scenario
// says so, in the text report and in JUnit, and the run does not fail for it.
func TestTheResilienceScenarioSkipsATargetWithoutFaults(t *testing.T) {
	creds := brokenServer(t, defect{intercept: func(r *http.Request) (int, http.Header, []byte, bool) {
		if strings.HasPrefix(r.URL.Path, "/_stub/faults") {
			return http.StatusNotFound, http.Header{"Content-Type": {"application/json"}},
				[]byte(`{"error":404,"errorCode":"RESOURCE_NOT_FOUND","detail":"Cannot find resource /_stub/faults.","reason":"Not Found","parameters":[]}`), true
		}
		return 0, nil, nil, false
	}})
	report, err := suite.Run(context.Background(), suite.Config{Credentials: creds, Seed: 1, Checks: []string{"scenario_resilience"}})
	require.NoError(t, err)
	require.Len(t, report.Scenarios, 1)
	assert.Contains(t, report.Scenarios[0].Skipped, "no /_stub/faults")
	assert.False(t, report.Failed())
	var text, junit bytes.Buffer
	require.NoError(t, report.WriteText(&text))
	assert.Contains(t, text.String(), "scenario_resilience: skipped: the target injects no faults")
	require.NoError(t, report.WriteJUnit(&junit))
	assert.Contains(t, junit.String(), `<skipped message="the target injects no faults`)
}
