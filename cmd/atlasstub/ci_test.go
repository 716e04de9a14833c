package main

import (
	"encoding/xml"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// workflow is what the test reads of a GitHub Actions workflow.
type workflow struct {
	Jobs map[string]struct {
		Env   map[string]string `yaml:"env"`
		Steps []struct {
			Name string            `yaml:"name"`
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

// runCIWorkflow reads the workflow of docs/ci.md and runs its shell steps in order, as a runner
// would, with the atlasstub in bin: all but installing atlasstub and the user's own tests. The
// contract step is narrowed, and the stub's keys made cheap, with the environment equivalents of
// their flags, to stay short.
func runCIWorkflow(t *testing.T, root, bin string) {
	page, err := os.ReadFile(filepath.Join(root, "docs/ci.md"))
	require.NoError(t, err)
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindSubmatch(page)
	require.NotNil(t, block, "docs/ci.md shows the workflow as a yaml block")
	var w workflow
	require.NoError(t, yaml.Unmarshal(block[1], &w))
	job, ok := w.Jobs["test"]
	require.True(t, ok, "the workflow has a job named test")

	var uses []string
	for _, step := range job.Steps {
		uses = append(uses, step.Uses)
		if strings.HasPrefix(step.Uses, "mikepenz/action-junit-report") {
			assert.Equal(t, "contract.xml", step.With["report_paths"], "the published report is the one the contract step writes")
		}
		if strings.HasPrefix(step.Uses, "actions/upload-artifact") {
			assert.Contains(t, step.With["path"], "contract.html", "the HTML page is kept for a person")
		}
	}
	assert.Contains(t, uses, "actions/checkout@v4")

	runnerTemp, workspace := t.TempDir(), t.TempDir()
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "RUNNER_TEMP="+runnerTemp,
		"ATLASSTUB_CONTRACT_OPERATIONS=getOrg,listGroups", "ATLASSTUB_CONTRACT_SKIP_SCENARIOS=true",
		"ATLASSTUB_KEY_TYPE=ecdsa-p256", "ATLASSTUB_KEY_POOL=1")
	for name, value := range job.Env {
		if name == "ATLASSTUB_ADDR" {
			value = "127.0.0.1:" + freePort(t) // the workflow's 8080 may be taken on this machine
		}
		env = append(env, name+"="+value)
	}
	ran := map[string]bool{}
	for _, step := range job.Steps {
		if step.Run == "" || strings.Contains(step.Run, "go install") || step.Name == "Test" {
			continue
		}
		sh := exec.Command("sh", "-e", "-c", step.Run)
		sh.Dir, sh.Env = workspace, env
		out, err := sh.CombinedOutput()
		require.NoError(t, err, "step %q:\n%s", step.Name, out)
		ran[step.Name] = true
	}
	assert.Len(t, ran, 3, "start, contract, stop: %v", ran)
	t.Cleanup(func() { // should the stop step not have stopped it
		if pid, err := os.ReadFile(filepath.Join(runnerTemp, "atlasstub.pid")); err == nil {
			if n, err := strconv.Atoi(strings.TrimSpace(string(pid))); err == nil {
				if p, err := os.FindProcess(n); err == nil {
					_ = p.Kill()
				}
			}
		}
	})

	data, err := os.ReadFile(filepath.Join(workspace, "contract.xml"))
	require.NoError(t, err, "the contract step writes its JUnit report")
	var junit struct {
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Time     string `xml:"time,attr"`
	}
	require.NoError(t, xml.Unmarshal(data, &junit))
	assert.Positive(t, junit.Tests)
	assert.Zero(t, junit.Failures)
	assert.Regexp(t, `^\d+\.\d{3}$`, junit.Time)
	assert.FileExists(t, filepath.Join(workspace, "contract.html"))
	assert.FileExists(t, filepath.Join(runnerTemp, "atlas.json"), "the credentials the user's tests read")

	logFile := filepath.Join(runnerTemp, "atlasstub.log")
	require.Eventually(t, func() bool {
		log, _ := os.ReadFile(logFile)
		return strings.Contains(string(log), `"msg":"stopped"`)
	}, 10*time.Second, 50*time.Millisecond, "the stop step stops the stub, which logs it")
	log, err := os.ReadFile(logFile)
	require.NoError(t, err)
	assert.Contains(t, string(log), `"operationId":"resetState"`, "the log shows the contract step's reset")
}

// freePort returns a loopback port that was free a moment ago.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}
