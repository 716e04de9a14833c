package main

import (
	"bytes"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryCommandPrintsItsUsageToStdout: -h, -help, --help and `help COMMAND` print the usage
// to stdout and exit 0, for the top level and for every command.
func TestEveryCommandPrintsItsUsageToStdout(t *testing.T) {
	commands := map[string]string{
		"":              "usage: atlasstub <command>",
		"serve":         "usage: atlasstub serve",
		"contract":      "usage: atlasstub contract",
		"version":       "usage: atlasstub version",
		"health":        "usage: atlasstub health",
		"spec":          "usage: atlasstub spec <command>",
		"spec print":    "usage: atlasstub spec print",
		"spec diff":     "usage: atlasstub spec diff",
		"spec upstream": "usage: atlasstub spec upstream",
	}
	for command, synopsis := range commands {
		for _, help := range []string{"-h", "-help", "--help"} {
			t.Run(strings.TrimSpace(command+" "+help), func(t *testing.T) {
				var stdout, stderr bytes.Buffer
				code := run(append(strings.Fields(command), help), &stdout, &stderr)
				assert.Equal(t, 0, code, stderr.String())
				assert.True(t, strings.HasPrefix(stdout.String(), synopsis), stdout.String())
				assert.Empty(t, stderr.String())
			})
		}
	}
	var stdout bytes.Buffer
	assert.Equal(t, 0, run([]string{"help", "serve"}, &stdout, &bytes.Buffer{}))
	assert.True(t, strings.HasPrefix(stdout.String(), "usage: atlasstub serve"), stdout.String())
	assert.Contains(t, stdout.String(), "-addr", "a command's usage lists its flags")
}

// TestUsageErrorsExitTwoOnStderr: whatever the command, a command line it does not understand
// exits 2 with one line, naming the command and where its usage is, and prints nothing to stdout.
func TestUsageErrorsExitTwoOnStderr(t *testing.T) {
	for name, tc := range map[string]struct {
		args []string
		says string
	}{
		"unknown command":             {[]string{"nope"}, `atlasstub: unknown command "nope"`},
		"help for an unknown command": {[]string{"help", "nope"}, `atlasstub: unknown command "nope"`},
		"unknown spec command":        {[]string{"spec", "nope"}, `atlasstub spec: unknown command "nope"`},
		"unknown specification":       {[]string{"spec", "print", "nope"}, `atlasstub spec print: unknown specification "nope"`},
		"two specifications":          {[]string{"spec", "print", "atlas", "stub"}, "want at most one specification"},
		"unknown flag of serve":       {[]string{"serve", "--nope"}, "atlasstub serve: flag provided but not defined: -nope"},
		"stray argument of serve":     {[]string{"serve", "now"}, "atlasstub serve: takes no arguments"},
		"unknown flag of contract":    {[]string{"contract", "--nope"}, "atlasstub contract: flag provided but not defined: -nope"},
		"bad value of contract":       {[]string{"contract", "--seed", "x"}, `atlasstub contract: invalid value "x" for flag -seed`},
		"spec diff without revision":  {[]string{"spec", "diff", "a.yaml"}, "atlasstub spec diff: want BASE and REVISION, got 1 arguments"},
		"spec upstream without file":  {[]string{"spec", "upstream"}, "atlasstub spec upstream: want the official specification file"},
		"stray argument of version":   {[]string{"version", "now"}, "atlasstub version: takes no arguments"},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			assert.Equal(t, 2, run(tc.args, &stdout, &stderr))
			assert.Contains(t, stderr.String(), tc.says)
			assert.Regexp(t, `\(see 'atlasstub[a-z ]*-h'\)\n$`, stderr.String(), "the error says where the usage is")
			assert.Equal(t, 1, strings.Count(stderr.String(), "\n"), "one line: %q", stderr.String())
			assert.Empty(t, stdout.String())
		})
	}
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 2, run(nil, &stdout, &stderr), "no command at all")
	assert.Contains(t, stderr.String(), "usage: atlasstub <command>")
	assert.Empty(t, stdout.String())
}

func TestVersionNamesTheBuild(t *testing.T) {
	served, err := servedVersions()
	require.NoError(t, err)
	info := &debug.BuildInfo{
		GoVersion: "go1.26.8",
		Main:      debug.Module{Path: "github.com/atlasstub/atlasstub", Version: "v0.1.0"},
		Settings: []debug.BuildSetting{
			{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "arm64"},
			{Key: "vcs.revision", Value: "0123456789abcdef0123456789abcdef01234567"},
			{Key: "vcs.time", Value: "2026-12-04T16:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	text := describeBuild(info, served)
	assert.True(t, strings.HasPrefix(text, "atlasstub v0.1.0\n"), text)
	assert.Contains(t, text, "module       github.com/atlasstub/atlasstub v0.1.0\n")
	assert.Contains(t, text, "revision     0123456789abcdef0123456789abcdef01234567 (committed 2026-12-04T16:00:00Z, with uncommitted changes)\n")
	assert.Regexp(t, `Atlas API    resource versions 2023-01-01, 2024-08-05; openapi/atlas.yaml 1\.0\.0, [0-9]+ operations\n`, text)
	assert.Contains(t, text, "go           go1.26.8 linux/arm64\n")

	info.Settings = nil
	assert.Contains(t, describeBuild(info, served), "revision     unknown (built with -buildvcs=false or outside a git checkout)\n")
	assert.Contains(t, describeBuild(nil, served), "atlasstub unknown\n", "a binary without build information says so")

	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		var stdout bytes.Buffer
		assert.Equal(t, 0, run(args, &stdout, &bytes.Buffer{}))
		assert.Contains(t, stdout.String(), "resource versions 2023-01-01, 2024-08-05", args)
	}
}
