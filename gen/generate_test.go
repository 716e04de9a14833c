package gen_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

func checkGenerated(root string) (string, error) {
	out, err := exec.Command("../scripts/check-generated.sh", root).CombinedOutput()
	return string(out), err
}

// moduleCopy copies this module's files (without .git) into a new directory.
func moduleCopy(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	err := filepath.WalkDir("..", func(path string, entry fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if entry.Name() == ".git" {
			if entry.IsDir() {
				return filepath.SkipDir
			}
			return nil // a worktree's .git file
		}
		if entry.IsDir() {
			return nil
		}
		info, err := entry.Info()
		if err != nil {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel("..", path)
		if err != nil {
			return err
		}
		to := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
			return err
		}
		return os.WriteFile(to, data, info.Mode().Perm())
	})
	require.NoError(t, err)
	return root
}

// run runs a command in dir, outside any go.work, and requires it to succeed.
func run(t *testing.T, dir, name string, args ...string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %v:\n%s", name, args, out)
}

func edit(t *testing.T, path, old, replacement string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(data), old), "%s must contain %q once", path, old)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), old, replacement, 1)), 0o644))
}
