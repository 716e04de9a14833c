package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCheckGeneratedCatchesAnUnregeneratedSpecChange runs scripts/check-generated.sh on a copy of
// the module: the copy passes as committed, and fails once the specification changes without
// regeneration.
func TestCheckGeneratedCatchesAnUnregeneratedSpecChange(t *testing.T) {
	root := moduleCopy(t)
	out, err := checkGenerated(root)
	require.NoError(t, err, "the committed generated code must match the specifications:\n%s", out)

	const linkSchema = "    Link:\n      type: object\n      properties:\n"
	edit(t, filepath.Join(root, "openapi/atlas.yaml"), linkSchema, linkSchema+"        title:\n          type: string\n")

	out, err = checkGenerated(root)
	assert.Error(t, err, "a specification change without regeneration must fail the check")
	assert.Contains(t, out, "gen/atlasapi/atlasapi.gen.go is out of date")
	assert.Contains(t, out, "Title")
}

// TestCheckGeneratedCatchesAStaleClient regenerates gen/ after a specification change but keeps
// the old client/operations.gen.go, as running oapi-codegen alone would: the check names the
// client file and shows what changed in it.
func TestCheckGeneratedCatchesAStaleClient(t *testing.T) {
	root := moduleCopy(t)
	client := filepath.Join(root, "client/operations.gen.go")
	committed, err := os.ReadFile(client)
	require.NoError(t, err)
	edit(t, filepath.Join(root, "openapi/atlas.yaml"),
		"      operationId: getGroup\n      summary: Get one project\n",
		"      operationId: getGroup\n      summary: Read one project\n")
	run(t, root, filepath.Join(root, "scripts/generate.sh"))
	require.NoError(t, os.WriteFile(client, committed, 0o644))

	out, err := checkGenerated(root)
	assert.Error(t, err, "a stale client must fail the check")
	assert.Contains(t, out, "client/operations.gen.go is out of date")
	assert.Contains(t, out, "+// GetGroup calls getGroup (GET /api/atlas/v2/groups/{groupId}): read one project.")
	assert.NotContains(t, out, "gen/atlasapi/atlasapi.gen.go is out of date", "gen/ was regenerated")
}

// TestGoGenerateRegeneratesARenamedOperationInOneRun renames an operation, which changes the
// generated client interface that the client's methods are read from: one run of
// `go generate ./...` must regenerate both, in that order.
func TestGoGenerateRegeneratesARenamedOperationInOneRun(t *testing.T) {
	root := moduleCopy(t)
	edit(t, filepath.Join(root, "openapi/atlas.yaml"), "operationId: getOrgSettings\n", "operationId: readOrgSettings\n")

	run(t, root, "go", "generate", "./...")

	methods, err := os.ReadFile(filepath.Join(root, "client/operations.gen.go"))
	require.NoError(t, err)
	assert.Contains(t, string(methods), "func (c *Client) ReadOrgSettings(")
	assert.NotContains(t, string(methods), "GetOrgSettings")
	out, err := checkGenerated(root)
	assert.NoError(t, err, "after one run, everything generated is up to date:\n%s", out)
}

// checkGenerated runs scripts/check-generated.sh on the module tree in root.
func checkGenerated(root string) (string, error) {
	out, err := exec.Command("./check-generated.sh", root).CombinedOutput()
	return string(out), err
}
