package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInstallFromAClone does what the README tells a user with only Go: clone the repository,
// `go install ./cmd/atlasstub`, then run it. The binary names the commit it was built from (with
// "uncommitted changes" when the tree has some), and
// `atlasstub serve` serves until SIGINT, which it logs before it exits 0. Then the binary runs the
// CI workflow of docs/ci.md.
func TestInstallFromAClone(t *testing.T) {
	root := strings.TrimSpace(output(t, "", "git", "rev-parse", "--show-toplevel"))
	head := strings.TrimSpace(output(t, root, "git", "rev-parse", "HEAD"))
	clone := root
	if info, err := os.Stat(filepath.Join(root, ".git")); err != nil || !info.IsDir() {
		// A git worktree's .git is a file, and go stamps no revision there: clone it first. A
		// clone (CI's) installs in place, which shares the build cache with the other tests.
		clone = filepath.Join(t.TempDir(), "atlasstub")
		output(t, "", "git", "clone", "--quiet", root, clone)
	}
	bin := t.TempDir()
	// -buildvcs=true is go's default in a clone; it is spelled out because GOFLAGS may turn
	// stamping off (this project's machines set -buildvcs=false).
	install := exec.Command("go", "install", "-buildvcs=true", "./cmd/atlasstub")
	install.Dir, install.Env = clone, append(os.Environ(), "GOBIN="+bin)
	out, err := install.CombinedOutput()
	require.NoError(t, err, "%s", out)
	atlasstub := filepath.Join(bin, "atlasstub")

	version := output(t, "", atlasstub, "version")
	assert.Contains(t, version, "revision     "+head, "the binary names the commit of the clone")
	assert.Contains(t, version, "module       github.com/atlasstub/atlasstub")

	serve := exec.Command(atlasstub, "serve", "--addr", "127.0.0.1:0", "--key-type", "ecdsa-p256", "--log-format", "json")
	stderr := &syncBuffer{} // the process writes it while the test reads it
	serve.Stderr = stderr
	stdout, err := serve.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, serve.Start())
	t.Cleanup(func() { _ = serve.Process.Kill() })
	first, err := bufio.NewReader(stdout).ReadString('\n')
	require.NoError(t, err, "stderr: %s", stderr.String())
	baseURL, found := strings.CutPrefix(strings.TrimSpace(first), "atlasstub is serving on ")
	require.True(t, found, first)

	res, err := http.Get(baseURL + "/_stub/health")
	require.NoError(t, err)
	var health struct{ Status string }
	require.NoError(t, json.NewDecoder(res.Body).Decode(&health))
	res.Body.Close()
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, "ok", health.Status)

	require.NoError(t, serve.Process.Signal(syscall.SIGINT))
	done := make(chan error, 1)
	go func() { done <- serve.Wait() }()
	select {
	case err := <-done:
		assert.NoError(t, err, "SIGINT stops the server cleanly, with exit status 0")
	case <-time.After(10 * time.Second):
		t.Fatal("atlasstub serve did not stop on SIGINT")
	}
	var shutdown, stopped bool
	for line := range strings.Lines(stderr.String()) {
		var entry map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &entry), line)
		shutdown = shutdown || (entry["msg"] == "shutting down" && entry["reason"] == "interrupt signal received")
		stopped = stopped || entry["msg"] == "stopped"
	}
	assert.True(t, shutdown, "a shutdown line names the signal:\n%s", stderr.String())
	assert.True(t, stopped, "a last line says the server stopped:\n%s", stderr.String())

	t.Run("the CI workflow of docs/ci.md runs", func(t *testing.T) { runCIWorkflow(t, root, bin) })
}

// output runs a command in dir and returns its stdout, failing the test if it fails.
func output(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	require.NoError(t, err, "%s %s: %s", name, strings.Join(args, " "), stderr.String())
	return string(out)
}
