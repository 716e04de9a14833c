package junit_test

import (
	"bytes"
	"encoding/xml"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract/junit"
)

func TestWriteCountsCasesAndRoundTrips(t *testing.T) {
	var suite junit.Suite
	suite.Name = "openapi/atlas.yaml"
	suite.Add(junit.Case{Name: "passes", Classname: "c", Time: 1.25})
	suite.Add(junit.Case{Name: "fails", Classname: "c", Failure: &junit.Failure{Message: "broke", Text: "a < b & c"}})
	suite.Add(junit.Case{Name: "skipped", Classname: "c", Time: 0.0000001, Skipped: &junit.Skipped{Message: "exempted"}})

	var out bytes.Buffer
	require.NoError(t, junit.Suites{Name: "spec diff", Suites: []junit.Suite{suite}}.Write(&out))

	var parsed junit.Suites
	require.NoError(t, xml.Unmarshal(out.Bytes(), &parsed), out.String())
	assert.Equal(t, 3, parsed.Tests)
	assert.Equal(t, 1, parsed.Failures)
	assert.Equal(t, 1, parsed.Skipped)
	require.Len(t, parsed.Suites, 1)
	require.Len(t, parsed.Suites[0].Cases, 3)
	assert.Equal(t, "a < b & c", parsed.Suites[0].Cases[1].Failure.Text)
	assert.Equal(t, "exempted", parsed.Suites[0].Cases[2].Skipped.Message)
	assert.Contains(t, out.String(), `<testsuites name="spec diff" tests="3" failures="1" skipped="1" time="1.250">`, "the whole run's time is its suites'")
	assert.Contains(t, out.String(), `<testcase name="skipped" classname="c" time="0.000">`, "seconds with three decimals, never an exponent")
}
