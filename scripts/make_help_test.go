package scripts_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMakeHelpListsEveryTarget: `make help` prints every target that the Makefile declares
// .PHONY, each with its description, and nothing else in the first column.
func TestMakeHelpListsEveryTarget(t *testing.T) {
	makefile, err := os.ReadFile("../Makefile")
	require.NoError(t, err)
	phony := regexp.MustCompile(`(?m)^\.PHONY: (.+)$`).FindSubmatch(makefile)
	require.NotNil(t, phony, "the Makefile declares its targets .PHONY")
	targets := strings.Fields(string(phony[1]))

	cmd := exec.Command("make", "-s", "help")
	cmd.Dir = ".."
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	listed := map[string]string{}
	for line := range strings.Lines(string(out)) {
		if name, description, found := strings.Cut(line, " "); found && name != "" {
			listed[name] = strings.TrimSpace(description)
		}
	}
	for _, target := range targets {
		assert.NotEmpty(t, listed[target], "make help does not describe %s:\n%s", target, out)
	}
	assert.Len(t, listed, len(targets), "make help lists exactly the declared targets:\n%s", out)
}
