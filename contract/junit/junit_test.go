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
	suite.Add(junit.Case{Name: "passes", Classname: "c"})
	suite.Add(junit.Case{Name: "fails", Classname: "c", Failure: &junit.Failure{Message: "broke", Text: "a < b & c"}})
	suite.Add(junit.Case{Name: "skipped", Classname: "c", Skipped: &junit.Skipped{Message: "exempted"}})

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
}
