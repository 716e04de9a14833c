package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
)

func TestSpecUpstreamPassesAgainstItself(t *testing.T) {
	official := write(t, "official.yaml", string(openapi.AtlasYAML()))
	code, stdout, stderr := runCLI("spec", "upstream", official)
	assert.Equal(t, 0, code, stderr)
	m := regexp.MustCompile(`(\d+) of our (\d+) operations are in the official specification`).FindStringSubmatch(stdout)
	require.NotNil(t, m, stdout)
	assert.Equal(t, m[2], m[1], "every operation matches itself")
	assert.Contains(t, stdout, "PASS: 0 differences to review")
}

func TestSpecUpstreamFailsOnADifferenceToReview(t *testing.T) {
	// The official side lacks the 500 response of getGroup: a difference nobody reviewed.
	const serverError = "        '500':\n          $ref: '#/components/responses/internalServerError'\n"
	spec := string(openapi.AtlasYAML())
	start := strings.Index(spec, "      operationId: getGroup\n")
	require.Positive(t, start)
	end := start + strings.Index(spec[start:], serverError)
	require.Greater(t, end, start)
	official := write(t, "official.yaml", spec[:end]+spec[end+len(serverError):])

	code, stdout, _ := runCLI("spec", "upstream", "--format", "json", official)
	assert.Equal(t, 1, code)
	var report struct {
		Failed   bool `json:"failed"`
		Findings []struct {
			Kind       string   `json:"kind"`
			Only       string   `json:"only"`
			Name       string   `json:"name"`
			Operations []string `json:"operations"`
		} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &report))
	assert.True(t, report.Failed)
	require.Len(t, report.Findings, 1)
	assert.Equal(t, "status", report.Findings[0].Kind)
	assert.Equal(t, "ours", report.Findings[0].Only)
	assert.Equal(t, "500", report.Findings[0].Name)
	assert.Equal(t, []string{"getGroup"}, report.Findings[0].Operations)
}

func TestSpecUpstreamReadsAKnownDifferencesFile(t *testing.T) {
	official := write(t, "official.yaml", string(openapi.AtlasYAML()))
	known := write(t, "known.yaml", "differences:\n  - kind: status\n    name: '599'\n    what: w\n    reason: r\n")
	code, stdout, _ := runCLI("spec", "upstream", "--known", known, official)
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "Reviewed differences that no longer show (1)")
}

func TestSpecUpstreamBadInputExitsTwoWithOneLine(t *testing.T) {
	official := write(t, "official.yaml", string(openapi.AtlasYAML()))
	cases := map[string][]string{
		"missing file":    {filepath.Join(t.TempDir(), "missing.yaml")},
		"invalid YAML":    {write(t, "bad.yaml", "paths: [unclosed\n  - x")},
		"not OpenAPI":     {write(t, "plain.yaml", "just: yaml\n")},
		"unknown format":  {"--format", "xml", official},
		"malformed known": {"--known", write(t, "known.yaml", "differences:\n  - kind: colour\n"), official},
		"missing ours":    {"--spec", filepath.Join(t.TempDir(), "missing.yaml"), official},
		"no argument":     {},
		"two arguments":   {official, official},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append([]string{"spec", "upstream"}, args...)...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.True(t, strings.HasPrefix(stderr, "atlasstub spec upstream: "), stderr)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
		})
	}
}

func TestSpecUpstreamReadsItsFlagsFromTheEnvironment(t *testing.T) {
	official := write(t, "official.yaml", string(openapi.AtlasYAML()))
	t.Setenv("ATLASSTUB_SPEC_UPSTREAM_FORMAT", "json")
	code, stdout, _ := runCLI("spec", "upstream", official)
	assert.Equal(t, 0, code)
	assert.True(t, json.Valid([]byte(stdout)), stdout)

	t.Setenv("ATLASSTUB_SPEC_UPSTREAM_VERBOSE", "maybe")
	code, stdout, stderr := runCLI("spec", "upstream", official)
	assert.Equal(t, 2, code)
	assert.Empty(t, stdout)
	assert.Contains(t, stderr, "ATLASSTUB_SPEC_UPSTREAM_VERBOSE")
}
