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
	repo := scratchRepository(t)

	out, err := specDiff(t, repo)
	require.NoError(t, err, out)
	assert.Contains(t, out, "HEAD is the first commit")

	commitDeprecatedRevoke(t, repo)
	out, err = specDiff(t, repo)
	require.NoError(t, err, out)
	assert.Contains(t, out, "spec-diff: base HEAD~1")
	assert.Contains(t, out, "[endpoint-deprecated]")
	assert.Contains(t, out, "openapi/atlas.yaml, openapi/stub.yaml, gen/stubapi")

	mergeBase := strings.TrimSpace(git(t, repo, "rev-parse", "HEAD"))
	git(t, repo, "checkout", "-qb", "feature")
	renameRevoke(t, repo)
	out, err = specDiff(t, repo)
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
	out, err = specDiff(t, repo)
	require.NoError(t, err, out)
	assert.Contains(t, out, "PASS: 1 breaking (1 exempted)")
}

// TestSpecDiffFetchesTheHistoryOfAShallowClone runs the gate in clones made with --depth 1, as CI
// makes them, of a repository in which main and a feature branch each have a commit on the first:
// on main the gate fetches the commit before HEAD, and compares instead of taking HEAD for the
// first commit; on the branch it fetches the whole history, since the merge base (the first
// commit) is in neither shallow tip's history, and main too when the clone has only the branch;
// for a BASE outside the clone, it fetches the whole history.
func TestSpecDiffFetchesTheHistoryOfAShallowClone(t *testing.T) {
	repo := scratchRepository(t)
	mergeBase := strings.TrimSpace(git(t, repo, "rev-parse", "HEAD"))
	git(t, repo, "checkout", "-qb", "feature")
	renameRevoke(t, repo)
	git(t, repo, "commit", "-qam", "rename revoke")
	git(t, repo, "checkout", "-q", "main")
	commitDeprecatedRevoke(t, repo)

	onMain := shallowClone(t, repo)
	out, err := specDiff(t, onMain)
	require.NoError(t, err, out)
	assert.Contains(t, out, "this is a shallow clone; git fetch --deepen=1")
	assert.Contains(t, out, "spec-diff: base HEAD~1")
	assert.Contains(t, out, "[endpoint-deprecated]")
	assert.NotContains(t, out, "nothing to compare with")

	onBranch := shallowClone(t, repo, "--no-single-branch")
	git(t, onBranch, "checkout", "-q", "feature")
	require.False(t, hasCommit(onBranch, mergeBase), "the merge base must be outside the shallow history")
	out, err = specDiff(t, onBranch)
	require.Error(t, err, out)
	assert.Contains(t, out, "this is a shallow clone; git fetch --unshallow")
	assert.Contains(t, out, "spec-diff: base "+mergeBase)
	assert.Contains(t, out, "[api-operation-id-removed]")

	branchOnly := shallowClone(t, repo, "--branch", "feature")
	for _, ref := range []string{"main", "origin/main"} {
		require.False(t, hasCommit(branchOnly, ref), "the clone must have no %s", ref)
	}
	out, err = specDiff(t, branchOnly)
	require.Error(t, err, out)
	assert.Contains(t, out, "this is a shallow clone; git fetch --unshallow origin +refs/heads/main:refs/remotes/origin/main")
	assert.Contains(t, out, "spec-diff: base "+mergeBase)
	assert.Contains(t, out, "[api-operation-id-removed]")

	out, err = specDiff(t, shallowClone(t, repo), mergeBase)
	require.NoError(t, err, out)
	assert.Contains(t, out, "this is a shallow clone; git fetch --unshallow")
	assert.Contains(t, out, "spec-diff: base "+mergeBase)
	assert.Contains(t, out, "[endpoint-deprecated]")
}

// TestSpecDiffFailsWhenAShallowCloneCannotFetch makes sure a gate that cannot see its base fails
// loudly (exit status 2) instead of passing, on main and on a branch.
func TestSpecDiffFailsWhenAShallowCloneCannotFetch(t *testing.T) {
	repo := scratchRepository(t)
	commitDeprecatedRevoke(t, repo)
	for branch, fetch := range map[string]string{"main": "--deepen=1", "feature": "--unshallow"} {
		t.Run(branch, func(t *testing.T) {
			clone := shallowClone(t, repo)
			if branch != "main" {
				git(t, clone, "checkout", "-qb", branch)
			}
			git(t, clone, "remote", "set-url", "origin", filepath.Join(t.TempDir(), "unreachable"))

			out, err := specDiff(t, clone)
			assert.Equal(t, 2, exitCode(t, err, out), out)
			assert.Contains(t, out, "cannot compare: this shallow clone lacks the base commit, and 'git fetch "+fetch+"' failed")
			assert.NotContains(t, out, "nothing to compare with")
		})
	}
}

// commitDeprecatedRevoke deprecates POST /api/oauth/revoke in a commit: a change the gate reports
// ([endpoint-deprecated]) and lets through.
func commitDeprecatedRevoke(t *testing.T, repo string) {
	t.Helper()
	edit(t, filepath.Join(repo, "openapi/atlas.yaml"), "  /api/oauth/revoke:\n    post:\n", "  /api/oauth/revoke:\n    post:\n      deprecated: true\n")
	git(t, repo, "commit", "-qam", "deprecate revoke")
}

// renameRevoke renames the operationId of POST /api/oauth/revoke in the working tree of dir: a
// breaking change ([api-operation-id-removed]).
func renameRevoke(t *testing.T, dir string) {
	t.Helper()
	edit(t, filepath.Join(dir, "openapi/atlas.yaml"), "      operationId: revokeOAuthToken\n", "      operationId: revokeOAuthAccessToken\n")
}

// shallowClone clones repo with --depth 1 and the options given (through file://, since git ignores
// --depth for a local path).
func shallowClone(t *testing.T, repo string, options ...string) string {
	t.Helper()
	clone := filepath.Join(t.TempDir(), "clone")
	git(t, ".", append(append([]string{"clone", "-q", "--depth", "1"}, options...), "file://"+repo, clone)...)
	require.Equal(t, "true", strings.TrimSpace(git(t, clone, "rev-parse", "--is-shallow-repository")))
	return clone
}

// hasCommit says whether the repository in dir has the commit that rev names.
func hasCommit(dir, rev string) bool {
	return exec.Command("git", "-C", dir, "cat-file", "-e", rev+"^{commit}").Run() == nil
}

// specDiff runs scripts/spec-diff.sh [BASE] in repo.
func specDiff(t *testing.T, repo string, base ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("./scripts/spec-diff.sh", base...)
	cmd.Dir = repo
	// The small generated package keeps the test fast; the gate's Go API check itself is tested
	// in contract/specdiff, and CI runs it on every package.
	cmd.Env = append(os.Environ(), "ATLASSTUB="+atlasstub(t), "ATLASSTUB_SPEC_DIFF_GO_PACKAGES=gen/stubapi")
	out, err := cmd.CombinedOutput()
	return string(out), err
}
