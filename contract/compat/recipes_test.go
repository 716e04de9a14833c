package compat

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// recipeShell runs curl recipes as a user would: with sh, the real curl and openssl, and this
// test binary standing in for jq (see jq_test.go).
type recipeShell struct {
	t   *testing.T
	dir string
	env []string
}

// newRecipeShell prepares a shell whose recipes run in a fresh directory with vars in their
// environment. curl, openssl and sh are required, not optional: the test-tools step of `make test`
// (scripts/test-tools.sh) provides curl and openssl, sh comes with the system, and a recipe test
// that skips proves nothing.
func newRecipeShell(t *testing.T, vars map[string]string) *recipeShell {
	t.Helper()
	for _, tool := range []string{"sh", "curl", "openssl"} {
		_, err := exec.LookPath(tool)
		require.NoError(t, err, "the curl recipes need %s on the PATH", tool)
	}
	bin := filepath.Join(t.TempDir(), "bin")
	require.NoError(t, os.Mkdir(bin, 0o755))
	self, err := os.Executable()
	require.NoError(t, err)
	require.NoError(t, os.Symlink(self, filepath.Join(bin, "jq")))
	env := append(os.Environ(),
		"PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"),
		// Under -race, the stand-in would otherwise sleep a second at every exit.
		"GORACE="+strings.TrimSpace(os.Getenv("GORACE")+" atexit_sleep_ms=0"),
	)
	for name, value := range vars {
		env = append(env, name+"="+value)
	}
	return &recipeShell{t: t, dir: t.TempDir(), env: env}
}

// run runs a recipe with `sh -eu`, so that a failing command or an unset variable fails it,
// and returns what it printed.
func (s *recipeShell) run(recipe string) []byte {
	s.t.Helper()
	cmd := exec.CommandContext(s.t.Context(), "sh", "-eu", "-c", recipe)
	cmd.Dir, cmd.Env = s.dir, s.env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(s.t, cmd.Run(), "recipe:\n%s\nstdout:\n%s\nstderr:\n%s", recipe, &stdout, &stderr)
	return stdout.Bytes()
}

// file returns a file a recipe wrote.
func (s *recipeShell) file(name string) []byte {
	s.t.Helper()
	data, err := os.ReadFile(filepath.Join(s.dir, name))
	require.NoError(s.t, err)
	return data
}

// lastResponse parses the final response of `curl --include` output. With --digest, curl
// prints the headers of the 401 challenge first, without its body.
func lastResponse(t *testing.T, out []byte) (*http.Response, []byte) {
	t.Helper()
	start := bytes.LastIndex(out, []byte("\nHTTP/")) + 1 // 0 when there is one response only
	res, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(out[start:])), nil)
	require.NoError(t, err, "not curl --include output: %s", out)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res, body
}

// stubAPI reads the stub's state as its bootstrap API key, to check what a recipe did.
func stubAPI(t *testing.T, stub *stubtest.Stub, path string, into any) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, stub.URL+path, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/vnd.atlas.2025-02-19+json")
	res, err := stub.DigestClient().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	if res.StatusCode == http.StatusOK && into != nil {
		require.NoError(t, json.NewDecoder(res.Body).Decode(into))
	}
	return res.StatusCode
}

// decodeJSON decodes what a recipe printed.
func decodeJSON(t *testing.T, out []byte, into any) {
	t.Helper()
	require.NoError(t, json.Unmarshal(out, into), "not JSON: %s", out)
}
