package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckGeneratedCatchesARenamedOperationUntilGoGenerate renames an operation in a copy of the
// module. That changes the generated client interface which the client's methods are read from:
// scripts/check-generated.sh must name both generated files as out of date (opsgen reading the new
// bindings, not dying on the committed ones), and one run of `go generate ./...` must regenerate
// both, in that order.
func TestCheckGeneratedCatchesARenamedOperationUntilGoGenerate(t *testing.T) {
	root := moduleCopy(t)
	out, err := checkGenerated(root)
	require.NoError(t, err, "the committed generated code must match the specifications:\n%s", out)

	edit(t, filepath.Join(root, "openapi/atlas.yaml"), "operationId: getOrgSettings\n", "operationId: readOrgSettings\n")
	out, err = checkGenerated(root)
	assert.Error(t, err, "a specification change without regeneration must fail the check")
	assert.Contains(t, out, "gen/atlasapi/atlasapi.gen.go is out of date")
	assert.Contains(t, out, "client/operations.gen.go is out of date")
	assert.Contains(t, out, "ReadOrgSettings", "the check shows the difference")
	assert.NotContains(t, out, "opsgen:", "opsgen must read the new gen/atlasapi")

	run(t, root, "go", "generate", "./...")
	methods, err := os.ReadFile(filepath.Join(root, "client/operations.gen.go"))
	require.NoError(t, err)
	assert.Contains(t, string(methods), "func (c *Client) ReadOrgSettings(")
	assert.NotContains(t, string(methods), "GetOrgSettings")
	out, err = checkGenerated(root)
	assert.NoError(t, err, "after one run, everything generated is up to date:\n%s", out)

	// The vendored official specification is checked like generated code: an edit by hand fails
	// until it is synced again from the SDK module.
	edit(t, filepath.Join(root, "openapi/upstream/atlas-api.yaml"), "operationId: listGroupClusters\n", "operationId: listClusters\n")
	out, err = checkGenerated(root)
	assert.Error(t, err, "an edited vendored specification must fail the check")
	assert.Contains(t, out, "openapi/upstream/atlas-api.yaml is out of date")
}

// checkGenerated runs scripts/check-generated.sh on the module tree in root.
func checkGenerated(root string) (string, error) {
	out, err := exec.Command("./check-generated.sh", root).CombinedOutput()
	return string(out), err
}
