package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	specWithDelete = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/atlas/v2/groups/{groupId}:
    parameters:
      - {name: groupId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getGroup
      responses: {"200": {description: OK}}
    delete:
      operationId: deleteGroup
      responses: {"204": {description: Deleted}}
`
	specWithoutDelete = `openapi: 3.0.3
info: {title: t, version: "1"}
paths:
  /api/atlas/v2/groups/{groupId}:
    parameters:
      - {name: groupId, in: path, required: true, schema: {type: string}}
    get:
      operationId: getGroup
      responses: {"200": {description: OK}}
`
	exemptDelete = `exemptions:
  - id: api-removed-without-deprecation
    operation: deleteGroup
    reason: Atlas removed the endpoint
    expires: %s
`
)

// runCLI runs the binary's entry point as a user would.
func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func write(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

func TestSpecDiffExitCodes(t *testing.T) {
	base, revision := write(t, "base.yaml", specWithDelete), write(t, "revision.yaml", specWithoutDelete)

	code, stdout, _ := runCLI("spec", "diff", base, base)
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "PASS")

	code, stdout, _ = runCLI("spec", "diff", revision, base)
	assert.Equal(t, 0, code, "an added operation is not breaking")
	assert.Contains(t, stdout, "[endpoint-added]")

	code, stdout, _ = runCLI("spec", "diff", base, revision)
	assert.Equal(t, 1, code, "a removed operation is breaking")
	assert.Contains(t, stdout, "DELETE /api/atlas/v2/groups/{groupId}")
	assert.Contains(t, stdout, "[api-removed-without-deprecation]")
	assert.Contains(t, stdout, "FAIL: 1 breaking changes without exemption")
}

func TestSpecDiffExemptions(t *testing.T) {
	base, revision := write(t, "base.yaml", specWithDelete), write(t, "revision.yaml", specWithoutDelete)

	valid := write(t, "exemptions.yaml", strings.Replace(exemptDelete, "%s", "2999-12-31", 1))
	code, stdout, _ := runCLI("spec", "diff", "--exemptions", valid, base, revision)
	assert.Equal(t, 0, code)
	assert.Contains(t, stdout, "exempted until 2999-12-31: Atlas removed the endpoint")

	expired := write(t, "exemptions.yaml", strings.Replace(exemptDelete, "%s", "2020-01-31", 1))
	code, stdout, _ = runCLI("spec", "diff", "--exemptions", expired, base, revision)
	assert.Equal(t, 1, code)
	assert.Contains(t, stdout, "Expired exemptions (1)")

	t.Setenv("ATLASSTUB_SPEC_DIFF_EXEMPTIONS", valid)
	code, _, _ = runCLI("spec", "diff", base, revision)
	assert.Equal(t, 0, code, "the environment names the exemptions file too")
}

func TestSpecDiffBadInputExitsTwoWithOneLine(t *testing.T) {
	base := write(t, "base.yaml", specWithDelete)
	cases := map[string][]string{
		"missing file":        {base, filepath.Join(t.TempDir(), "missing.yaml")},
		"invalid YAML":        {base, write(t, "bad.yaml", "paths: [unclosed\n  - x")},
		"not OpenAPI":         {base, write(t, "plain.yaml", "just: yaml\n")},
		"unknown format":      {"--format", "xml", base, base},
		"malformed exemption": {"--exemptions", write(t, "e.yaml", "exemptions:\n  - id: nope\n"), base, base},
		"one argument":        {base},
		"file and directory":  {base, t.TempDir()},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, stdout, stderr := runCLI(append([]string{"spec", "diff"}, args...)...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.True(t, strings.HasPrefix(stderr, "atlasstub spec diff: "), stderr)
			assert.Equal(t, 1, strings.Count(stderr, "\n"), "one line: %q", stderr)
		})
	}
}

func TestSpecDiffWritesJSONAndJUnit(t *testing.T) {
	base, revision := write(t, "base.yaml", specWithDelete), write(t, "revision.yaml", specWithoutDelete)
	junitFile := filepath.Join(t.TempDir(), "report.xml")

	code, stdout, _ := runCLI("spec", "diff", "--format", "json", "--junit", junitFile, base, revision)
	assert.Equal(t, 1, code)

	var report struct {
		Failed   bool `json:"failed"`
		Findings []struct {
			ID string `json:"id"`
		} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &report))
	assert.True(t, report.Failed)
	require.Len(t, report.Findings, 1)
	assert.Equal(t, "api-removed-without-deprecation", report.Findings[0].ID)

	data, err := os.ReadFile(junitFile)
	require.NoError(t, err)
	var junit struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Name string `xml:"name,attr"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal(data, &junit))
	assert.Equal(t, 1, junit.Failures)
	require.Len(t, junit.Suites, 1)
	assert.Equal(t, "api-removed-without-deprecation DELETE /api/atlas/v2/groups/{groupId}", junit.Suites[0].Cases[0].Name)
}
