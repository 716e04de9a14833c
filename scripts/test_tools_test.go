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

// TestTestToolsInstallsWhatIsMissingAsRoot runs scripts/test-tools.sh with a PATH on which git,
// curl and chromium are missing and apt-get and id are stand-ins: as root it installs exactly what is
// missing; as another user, or without apt-get, it fails and names what to install.
func TestTestToolsInstallsWhatIsMissingAsRoot(t *testing.T) {
	bin := toolsBin(t, map[string]string{"openssl": "exit 0", "id": "echo 0", "apt-get": aptGetStandIn})
	out, err := testTools(bin)
	require.NoError(t, err, out)
	assert.Contains(t, out, "installing curl git chromium with apt-get")
	calls, err := os.ReadFile(filepath.Join(bin, "apt-get.calls"))
	require.NoError(t, err)
	assert.Equal(t, "update -qq\ninstall -y -qq --no-install-recommends curl git chromium ca-certificates\n", string(calls))

	out, err = testTools(bin)
	require.NoError(t, err, out)
	assert.Empty(t, out, "once installed, nothing is left to do")
}

func TestTestToolsNamesWhatToInstallWhenItCannot(t *testing.T) {
	cases := map[string]map[string]string{
		"not root":   {"openssl": "exit 0", "id": "echo 1000", "apt-get": aptGetStandIn},
		"no apt-get": {"openssl": "exit 0", "id": "echo 0"},
	}
	for name, tools := range cases {
		t.Run(name, func(t *testing.T) {
			bin := toolsBin(t, tools)
			out, err := testTools(bin)
			assert.Equal(t, 1, exitCode(t, err, out), out)
			assert.Contains(t, out, "test-tools: the tests need curl git chromium; install them (Debian, Ubuntu: apt-get install curl git chromium ca-certificates)")
			assert.NoFileExists(t, filepath.Join(bin, "apt-get.calls"), "nothing is installed")
		})
	}
}

// aptGetStandIn records its arguments and "installs" a package by putting a program of its name
// on the PATH.
const aptGetStandIn = `bin=$(dirname "$0")
echo "$*" >>"$bin/apt-get.calls"
if [ "$1" = install ]; then
	for word in "$@"; do
		case $word in -*|install|ca-certificates) ;; *) printf '#!/bin/sh\nexit 0\n' >"$bin/$word"; chmod +x "$bin/$word" ;; esac
	done
fi`

// toolsBin makes a directory of shell-script stand-ins, the only directory on the PATH of
// testTools.
func toolsBin(t *testing.T, tools map[string]string) string {
	t.Helper()
	bin := t.TempDir()
	for name, body := range tools {
		require.NoError(t, os.WriteFile(filepath.Join(bin, name), []byte("#!/bin/sh\n"+body+"\n"), 0o755))
	}
	for _, name := range []string{"dirname", "chmod"} { // what the apt-get stand-in uses
		path, err := exec.LookPath(name)
		require.NoError(t, err)
		require.NoError(t, os.Symlink(path, filepath.Join(bin, name)))
	}
	return bin
}

func testTools(bin string) (string, error) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		return "", err
	}
	cmd := exec.Command(sh, "test-tools.sh")
	cmd.Env = []string{"PATH=" + bin}
	out, err := cmd.CombinedOutput()
	return strings.TrimSpace(string(out)), err
}
