package suite_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/server/limits"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// responseChecks are the checks of every response the kit gets, and of every request it sends.
var responseChecks = []string{
	"not_a_server_error", "status_code_conformance", "content_type_conformance",
	"response_schema_conformance", "response_headers_conformance", "request_conformance",
}

// TestTheStubPassesTheOfficialSuite runs every check on every operation of the official
// specification against the stub, ours with the catalog's recipes and the others with requests
// the kit builds from the specification: nothing fails; every operation is answered, and every
// response it gets is the specification's; the operations the kit sends no valid request of
// are few and say why; and the kit leaves the organization as it found it.
//
// The stub runs without Atlas's rate limits: the kit sends some families more requests in a
// minute than Atlas allows, and would wait out each window.
func TestTheStubPassesTheOfficialSuite(t *testing.T) {
	creds := kitCredentials(t, stubtest.New(t, stubtest.WithRateLimits(limits.Off)).Credentials)
	before := organizationState(t, creds)
	report, err := suite.Run(context.Background(), suite.Config{Credentials: creds, Seed: 42, Official: true, SkipScenarios: true})
	require.NoError(t, err)
	results := map[string]map[string]suite.Result{} // by check, then operation
	for _, r := range report.Results {
		if results[r.Check] == nil {
			results[r.Check] = map[string]suite.Result{}
		}
		results[r.Check][r.Operation] = r
	}

	t.Run("nothing fails", func(t *testing.T) {
		if report.Failed() || len(report.Uncounted()) > 0 {
			require.NoError(t, report.WriteText(os.Stdout))
		}
		assert.False(t, report.Failed())
		assert.Empty(t, report.Uncounted(), "with nothing left out, every violation is counted")
	})
	t.Run("every operation's responses and requests are the specification's", func(t *testing.T) {
		ops := report.Coverage.Operations
		assert.Len(t, ops, 485, "the official specification's 473 operations and our 12 beside them (legacy, Cloud Manager, OAuth, ipinfo)")
		for _, op := range ops {
			for _, check := range responseChecks {
				assert.Equal(t, suite.Passed, results[check][op.Operation].Status, "%s on %s", check, op.Operation)
			}
		}
	})
	t.Run("an operation whose every version is past its sunset is no request's fault", func(t *testing.T) {
		gone := results["sunset_version"]["createGroupPipeline"] // its only version was sunset on 2025-09-30
		assert.Equal(t, suite.Skipped, gone.Status)
		assert.Contains(t, gone.Reason, "sunset by 2025-09-30")
		assert.Equal(t, suite.Passed, results["sunset_version"]["listGroupClusters"].Status, "the kit asks for versions Atlas still serves")
	})
	t.Run("the kit sends a valid request of nearly every operation", func(t *testing.T) {
		passed, kinds := 0, map[string]int{}
		for id, r := range results["positive_data_acceptance"] {
			switch {
			case r.Status == suite.Passed:
				passed++
			case strings.HasPrefix(r.Reason, "nothing the kit can call creates"):
				kinds["names what nothing the kit can call creates (events, processes, invoices)"]++
			case strings.HasPrefix(r.Reason, "its body names") || strings.HasPrefix(r.Reason, "its path names"):
				kinds["names what a generated request cannot make"]++
			case strings.HasPrefix(r.Reason, "it would"):
				kinds["would change the organization"]++
			default:
				t.Errorf("%s: %s", id, r.Reason)
			}
		}
		t.Logf("valid requests of %d operations; none of %v", passed, kinds)
		assert.GreaterOrEqual(t, passed, 414, "as many as when this was written")
	})
	t.Run("nothing the kit created is left", func(t *testing.T) {
		assert.Empty(t, report.Cleanup, "the kit could not delete some of what it created")
		assert.Equal(t, before, organizationState(t, creds))
	})
}
