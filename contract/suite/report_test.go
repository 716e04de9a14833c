package suite_test

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestReportsInEveryFormat(t *testing.T) {
	report, err := suite.Run(context.Background(), suite.Config{
		Credentials: kitCredentials(t, stubtest.New(t).Credentials), Seed: 3, Tags: []string{"Projects"}, Checks: []string{"positive_data_acceptance", "ignored_auth", "status_code_conformance"},
	})
	require.NoError(t, err)
	require.False(t, report.Failed())

	var text bytes.Buffer
	require.NoError(t, report.WriteText(&text))
	assert.Contains(t, text.String(), "positive_data_acceptance")
	assert.Contains(t, text.String(), "createGroup")
	assert.Contains(t, text.String(), "PASS")
	assert.NotContains(t, text.String(), "negative_data_rejection", "only the chosen checks ran")

	var js bytes.Buffer
	require.NoError(t, report.WriteJSON(&js))
	var decoded struct {
		Failed   bool
		Results  []suite.Result
		Coverage suite.Coverage
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &decoded))
	assert.False(t, decoded.Failed)
	assert.Len(t, decoded.Results, 3*6, "three checks on the six project operations")
	assert.Len(t, decoded.Coverage.Operations, 6)

	var junit bytes.Buffer
	require.NoError(t, report.WriteJUnit(&junit))
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(junit.Bytes(), &doc))
	assert.Equal(t, 18, doc.Tests)
	assert.Zero(t, doc.Failures)
	assert.Len(t, doc.Suites, 3)
}

// TestAFailureWithoutACommandHasNoReproduceLine: a failure that happened before any request
// was sent (the kit could not prepare it) says so, without an empty command.
func TestAFailureWithoutACommandHasNoReproduceLine(t *testing.T) {
	report := &suite.Report{Results: []suite.Result{{
		Check: "use_after_free", Operation: "deleteGroup", Status: suite.Failed,
		Failures: []suite.Failure{{Message: "fixture: POST /api/atlas/v2/groups: status 503"}},
	}}}
	var junit, text bytes.Buffer
	require.NoError(t, report.WriteJUnit(&junit))
	require.NoError(t, report.WriteText(&text))
	assert.Contains(t, junit.String(), "status 503")
	assert.NotContains(t, junit.String(), "reproduce:")
	assert.Contains(t, text.String(), "status 503")
	assert.NotContains(t, text.String(), "reproduce:")
}

func TestTheCoverageOfNoOperationIsNotComplete(t *testing.T) {
	assert.False(t, suite.Coverage{}.Complete(), "a run that exercised nothing has not covered the specification")
}

func TestUnknownChecksAreRefused(t *testing.T) {
	_, err := suite.ParseChecks("ignored_auth,no_such_check")
	assert.ErrorContains(t, err, "no_such_check")
	names, err := suite.ParseChecks(" ignored_auth , use_after_free")
	require.NoError(t, err)
	assert.Equal(t, []string{"ignored_auth", "use_after_free"}, names)
}
