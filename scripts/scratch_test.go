package scripts_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// binDir holds the programs built once for all the tests of the package; TestMain removes it.
var binDir string

func TestMain(m *testing.M) {
	var err error
	if binDir, err = os.MkdirTemp("", "scripts-test-bin"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(binDir)
	os.Exit(code)
}

// atlasstub builds cmd/atlasstub the first time a test asks for it and returns its path, for
// ATLASSTUB: the scripts would otherwise `go run` it, compiling the module anew in every scratch
// repository, since the build cache is keyed by directory.
func atlasstub(t *testing.T) string {
	t.Helper()
	path, err := buildAtlasstub()
	require.NoError(t, err)
	return path
}

var buildAtlasstub = sync.OnceValues(func() (string, error) {
	path := filepath.Join(binDir, "atlasstub")
	if out, err := exec.Command("go", "build", "-o", path, "../cmd/atlasstub").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/atlasstub: %w\n%s", err, out)
	}
	return path, nil
})

// scratchRepository is a moduleCopy in a new repository with one commit on main.
func scratchRepository(t *testing.T) string {
	t.Helper()
	repo := moduleCopy(t)
	git(t, repo, "init", "-q", "-b", "main")
	git(t, repo, "add", ".")
	git(t, repo, "commit", "-qm", "scratch")
	return repo
}

// moduleCopy copies the files git tracks here, as they are in the working tree, into a new
// directory.
func moduleCopy(t *testing.T) string {
	t.Helper()
	root := strings.TrimSpace(run(t, "..", "git", "rev-parse", "--show-toplevel"))
	dir := t.TempDir()
	for _, name := range strings.Split(strings.TrimSpace(run(t, root, "git", "ls-files")), "\n") {
		data, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) {
			continue // deleted in the working tree
		}
		require.NoError(t, err)
		info, err := os.Stat(filepath.Join(root, name))
		require.NoError(t, err)
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), data, info.Mode()))
	}
	return dir
}

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	return run(t, dir, "git", append([]string{"-c", "user.name=test", "-c", "user.email=test@invalid"}, args...)...)
}

// run runs a command in dir, outside any go.work (the copies are modules of their own), and
// requires it to succeed.
func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s %v: %s", name, args, out)
	return string(out)
}

// exitCode is the exit status of the command that returned err, which must have run and failed.
func exitCode(t *testing.T, err error, msgAndArgs ...any) int {
	t.Helper()
	var exit *exec.ExitError
	require.ErrorAs(t, err, &exit, msgAndArgs...)
	return exit.ExitCode()
}

func edit(t *testing.T, path, old, replacement string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.Equal(t, 1, strings.Count(string(data), old), "%s must contain %q once", path, old)
	require.NoError(t, os.WriteFile(path, []byte(strings.Replace(string(data), old, replacement, 1)), 0o644))
}
