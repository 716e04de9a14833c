package main

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/engine"
)

var updateCoverage = flag.Bool("update", false, "rewrite the generated part of docs/coverage.md")

// TestSpecUpstreamServed: --served reports every official operation, and the hooked families the
// issue names each serve some.
func TestSpecUpstreamServed(t *testing.T) {
	code, stdout, stderr := runCLI("spec", "upstream", "--served")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "The 473 operations of the official specification (go.mongodb.org/atlas-sdk/")
	assert.Regexp(t, `curated +57\n`, stdout, "the curated operations that the official specification has")
	assert.Regexp(t, `POST +/api/atlas/v2/groups/\{groupId\}/clusters +createGroupCluster +generic with a hook \(create, lifecycle\): clusters, flex clusters and serverless instances\n`, stdout)

	code, stdout, stderr = runCLI("spec", "upstream", "--served", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var servings []engine.Serving
	require.NoError(t, json.Unmarshal([]byte(stdout), &servings))
	assert.Len(t, servings, 473)
	families := map[string]int{}
	for _, s := range servings {
		families[s.Hook]++
	}
	for _, family := range []string{"clusters, flex clusters and serverless instances", "project IP access list", "custom database roles", "teams", "alert configurations", "backup snapshots and restore jobs"} {
		assert.Positive(t, families[family], family)
	}

	code, _, stderr = runCLI("spec", "upstream", "--served", "official.yaml")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "takes no file")
	code, _, _ = runCLI("spec", "upstream", "--served", "--format", "xml")
	assert.Equal(t, 2, code)
}

const (
	coverageBegin = "<!-- generated: atlasstub spec upstream --served --format markdown -->\n"
	coverageEnd   = "<!-- end of generated -->\n"
)

// TestDocsCoverageIsTheServedReport: docs/coverage.md holds what --served writes as markdown
// (go test ./cmd/atlasstub -run TestDocsCoverage -update rewrites it).
func TestDocsCoverageIsTheServedReport(t *testing.T) {
	code, stdout, stderr := runCLI("spec", "upstream", "--served", "--format", "markdown")
	require.Equal(t, 0, code, stderr)
	path := filepath.Join("..", "..", "docs", "coverage.md")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	doc := string(data)
	begin, end := strings.Index(doc, coverageBegin), strings.Index(doc, coverageEnd)
	require.True(t, begin >= 0 && end > begin, "docs/coverage.md marks its generated part with %q and %q", coverageBegin, coverageEnd)
	want := doc[:begin+len(coverageBegin)] + "\n" + stdout + "\n" + doc[end:]
	if *updateCoverage {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
		return
	}
	assert.Equal(t, want, doc, "docs/coverage.md is out of date: go test ./cmd/atlasstub -run TestDocsCoverage -update")
}
