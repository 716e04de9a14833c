package scripts_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSpecDiffPicksItsBaseAndGates runs scripts/spec-diff.sh in a scratch repository made of this
// module's files: on main it compares with HEAD~1, on a branch with the merge base, and a
// breaking change in the working tree fails until an exemption names it.
func TestSpecDiffPicksItsBaseAndGates(t *testing.T) {
	if testing.Short() {
		t.Skip("runs git and go run")
	}
	repo := scratchRepository(t)

	out, err := specDiff(repo)
	require.NoError(t, err, out)
	assert.Contains(t, out, "HEAD is the first commit")

	spec := filepath.Join(repo, "openapi/atlas.yaml")
	edit(t, spec, "  /api/oauth/revoke:\n    post:\n", "  /api/oauth/revoke:\n    post:\n      deprecated: true\n")
	git(t, repo, "commit", "-qam", "deprecate revoke")
	out, err = specDiff(repo)
	require.NoError(t, err, out)
	assert.Contains(t, out, "spec-diff: base HEAD~1")
	assert.Contains(t, out, "[endpoint-deprecated]")
	assert.Contains(t, out, "openapi/atlas.yaml, openapi/stub.yaml, gen/stubapi")

	mergeBase := strings.TrimSpace(git(t, repo, "rev-parse", "HEAD"))
	git(t, repo, "checkout", "-qb", "feature")
	edit(t, spec, "      operationId: revokeOAuthToken\n", "      operationId: revokeOAuthAccessToken\n")
	out, err = specDiff(repo)
	require.Error(t, err, out)
	assert.Contains(t, out, "spec-diff: base "+mergeBase)
	assert.Contains(t, out, "[api-operation-id-removed]")
	assert.Contains(t, out, "FAIL")

	require.NoError(t, os.WriteFile(filepath.Join(repo, "openapi/breaking-exemptions.yaml"), []byte(`exemptions:
  - id: api-operation-id-removed
    operation: POST /api/oauth/revoke
    reason: the scratch test renames it
    expires: 2999-12-31
`), 0o644))
	out, err = specDiff(repo)
	require.NoError(t, err, out)
	assert.Contains(t, out, "PASS: 1 breaking (1 exempted)")
}

// TestSpecDiffFetchesTheHistoryOfAShallowClone runs the gate in clones made with --depth 1, as CI
// makes them: on main it fetches the commit before HEAD, on a branch the whole history for the
// merge base, and it compares instead of taking HEAD for the first commit.
func TestSpecDiffFetchesTheHistoryOfAShallowClone(t *testing.T) {
	repo := scratchRepository(t)
	edit(t, filepath.Join(repo, "openapi/atlas.yaml"), "  /api/oauth/revoke:\n    post:\n", "  /api/oauth/revoke:\n    post:\n      deprecated: true\n")
	git(t, repo, "commit", "-qam", "deprecate revoke")
	mainTip := strings.TrimSpace(git(t, repo, "rev-parse", "HEAD"))

	onMain := shallowClone(t, repo)
	out, err := specDiff(onMain)
	require.NoError(t, err, out)
	assert.Contains(t, out, "this is a shallow clone; git fetch --deepen=1")
	assert.Contains(t, out, "spec-diff: base HEAD~1")
	assert.Contains(t, out, "[endpoint-deprecated]")
	assert.NotContains(t, out, "nothing to compare with")

	onBranch := shallowClone(t, repo)
	git(t, onBranch, "checkout", "-qb", "feature")
	edit(t, filepath.Join(onBranch, "openapi/atlas.yaml"), "      operationId: revokeOAuthToken\n", "      operationId: revokeOAuthAccessToken\n")
	out, err = specDiff(onBranch)
	require.Error(t, err, out)
	assert.Contains(t, out, "this is a shallow clone; git fetch --unshallow")
	assert.Contains(t, out, "spec-diff: base "+mainTip)
	assert.Contains(t, out, "[api-operation-id-removed]")
}

// TestSpecDiffFailsWhenAShallowCloneCannotFetch makes sure a gate that cannot see its base fails
// loudly (exit status 2) instead of passing.
func TestSpecDiffFailsWhenAShallowCloneCannotFetch(t *testing.T) {
	repo := scratchRepository(t)
	edit(t, filepath.Join(repo, "openapi/atlas.yaml"), "  /api/oauth/revoke:\n    post:\n", "  /api/oauth/revoke:\n    post:\n      deprecated: true\n")
	git(t, repo, "commit", "-qam", "deprecate revoke")
	clone := shallowClone(t, repo)
	git(t, clone, "remote", "set-url", "origin", filepath.Join(t.TempDir(), "unreachable"))

	out, err := specDiff(clone)
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, out)
	assert.Equal(t, 2, exit.ExitCode(), out)
	assert.Contains(t, out, "cannot compare: this shallow clone lacks the base commit, and 'git fetch --deepen=1' failed")
	assert.NotContains(t, out, "nothing to compare with")
}

// shallowClone clones repo with --depth 1 (through file://, since git ignores --depth for a
// local path).
func shallowClone(t *testing.T, repo string) string {
	t.Helper()
	clone := filepath.Join(t.TempDir(), "clone")
	git(t, ".", "clone", "-q", "--depth", "1", "file://"+repo, clone)
	require.Equal(t, "true", strings.TrimSpace(git(t, clone, "rev-parse", "--is-shallow-repository")))
	return clone
}

// scratchRepository copies the files git tracks here into a new repository with one commit on main.
func scratchRepository(t *testing.T) string {
	t.Helper()
	root := strings.TrimSpace(run(t, "..", "git", "rev-parse", "--show-toplevel"))
	repo := t.TempDir()
	for _, name := range strings.Split(strings.TrimSpace(run(t, root, "git", "ls-files")), "\n") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		require.NoError(t, err)
		info, err := os.Stat(filepath.Join(root, name))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(repo, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(repo, name), data, info.Mode()))
	}
	git(t, repo, "init", "-q", "-b", "main")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-qm", "scratch")
	return repo
}

func specDiff(repo string) (string, error) {
	cmd := exec.Command("./scripts/spec-diff.sh")
	cmd.Dir = repo
	// The small generated package keeps the test fast; the gate's Go API check itself is tested
	// in contract/specdiff, and CI runs it on every package.
	cmd.Env = append(os.Environ(), "ATLASSTUB_SPEC_DIFF_GO_PACKAGES=gen/stubapi")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	return run(t, dir, "git", append([]string{"-c", "user.name=test", "-c", "user.email=test@invalid"}, args...)...)
}

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %v: %s", name, args, out)
	return string(out)
}

func edit(t *testing.T, path, old, replacement string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(data), old), "%s must contain %q once", path, old)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), old, replacement, 1)), 0o644))
}
