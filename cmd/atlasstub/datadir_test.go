package main

import (
	"bytes"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
)

// TestServeKeepsTheStateInItsDataDir creates a project in a stub with --data-dir, stops it, and
// starts another on the directory: the project is there, and so are the credentials.
func TestServeKeepsTheStateInItsDataDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state")
	creds, stop := startStoppableServe(t, nil, io.Discard, "--data-dir", dir)
	rc := recipeClient{t: t, base: creds.BaseUrl, creds: creds}
	status, body := rc.call("POST", "/api/atlas/v2/groups", `{"name": "kept", "orgId": "`+creds.OrgId+`"}`, "digest")
	require.Equal(t, 201, status, "%s", body)
	stop()

	var logs syncBuffer
	again, _ := startStoppableServe(t, nil, &logs, "--data-dir", dir)
	assert.Equal(t, creds.ApiKey, again.ApiKey, "the bootstrap credentials come back")
	assert.Equal(t, creds.ServiceAccount, again.ServiceAccount)
	rc = recipeClient{t: t, base: again.BaseUrl, creds: again}
	status, body = rc.call("GET", "/api/atlas/v2/groups/byName/kept", "", "digest")
	assert.Equal(t, 200, status, "%s", body)
	assert.Contains(t, logs.String(), `"resumed":true`)
}

// TestServeRefusesADataDirInUse starts a second stub on the directory of a running one: it
// stops at once, naming the process that holds the directory.
func TestServeRefusesADataDirInUse(t *testing.T) {
	dir := t.TempDir()
	startServe(t, "--data-dir", dir)
	var stderr bytes.Buffer
	code := run([]string{"serve", "--addr", "127.0.0.1:0", "--data-dir", dir}, io.Discard, &stderr)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "in use by process "+strconv.Itoa(os.Getpid()), "%s", stderr.String())
}

// TestServeStartsFromAState starts a stub from a state file, as a team starts from a fixture:
// it serves the state, and with --data-dir it loads the file into a new directory only.
func TestServeStartsFromAState(t *testing.T) {
	fixture := exportedState(t, "from the fixture")
	creds, stop := startStoppableServe(t, nil, io.Discard, "--state", fixture.path)
	assert.Equal(t, fixture.credentials.ApiKey, creds.ApiKey, "the state's bootstrap credentials")
	rc := recipeClient{t: t, base: creds.BaseUrl, creds: creds}
	status, body := rc.call("GET", "/api/atlas/v2/groups/byName/"+strings.ReplaceAll("from the fixture", " ", "%20"), "", "digest")
	assert.Equal(t, 200, status, "%s", body)
	stop()

	dir := t.TempDir()
	_, stop = startStoppableServe(t, nil, io.Discard, "--data-dir", dir, "--state", fixture.path)
	stop()
	other := exportedState(t, "from another fixture")
	var logs syncBuffer
	creds, _ = startStoppableServe(t, nil, &logs, "--data-dir", dir, "--state", other.path)
	assert.Equal(t, fixture.credentials.ApiKey, creds.ApiKey, "the directory's state, not the other file's")
	assert.Contains(t, logs.String(), "--state was not loaded")
}

// fixture is a state file and the bootstrap credentials it holds.
type fixture struct {
	path        string
	credentials server.Bootstrap
}

// exportedState writes the state of a stub that holds a project called project to a file.
func exportedState(t *testing.T, project string) fixture {
	t.Helper()
	s, err := server.New(server.Config{})
	require.NoError(t, err)
	defer s.Close()
	state, err := s.State()
	require.NoError(t, err)
	var records []map[string]any
	for _, r := range state.Records.Projects {
		var p map[string]any
		require.NoError(t, json.Unmarshal(r, &p))
		records = append(records, p)
	}
	second := records[0]
	second["ID"], second["Name"] = "aaaaaaaaaaaaaaaaaaaaaaaa", project
	data, err := json.Marshal(second)
	require.NoError(t, err)
	state.Records.Projects = append(state.Records.Projects, data)
	state.Bootstrap.BaseUrl = "http://127.0.0.1:8080"
	path := filepath.Join(t.TempDir(), "state.json")
	data, err = json.Marshal(state)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return fixture{path: path, credentials: s.Bootstrap()}
}

func TestServeRejectsABadStateOrDataDir(t *testing.T) {
	dir := t.TempDir()
	notADir := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(notADir, nil, 0o600))
	newer := filepath.Join(dir, "newer.json")
	require.NoError(t, os.WriteFile(newer, []byte(`{"formatVersion": 9}`), 0o600))
	seed := filepath.Join(dir, "seed.json")
	require.NoError(t, os.WriteFile(seed, []byte(`{"orgId": "aaaaaaaaaaaaaaaaaaaaaaaa"}`), 0o600))
	state := exportedState(t, "p").path
	for name, c := range map[string]struct {
		args []string
		says string
	}{
		"unreadable state":  {[]string{"--state", filepath.Join(dir, "missing.json")}, "missing.json"},
		"newer state":       {[]string{"--state", newer}, "format version 9"},
		"state and seed":    {[]string{"--state", state, "--seed", seed}, "give one of them"},
		"data dir a file":   {[]string{"--data-dir", notADir}, "not a directory"},
		"state not json":    {[]string{"--state", seed}, "unknown field"},
		"unknown data flag": {[]string{"--data-directory", dir}, "data-directory"},
	} {
		t.Run(name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(append([]string{"serve", "--addr", "127.0.0.1:0", "--log-format", "json"}, c.args...), io.Discard, &stderr)
			assert.NotZero(t, code)
			assert.Contains(t, stderr.String(), c.says)
		})
	}
}

// TestServeDataDirHasAnEnvironmentEquivalent: ATLASSTUB_DATA_DIR and ATLASSTUB_STATE set the
// flags.
func TestServeDataDirHasAnEnvironmentEquivalent(t *testing.T) {
	t.Setenv("ATLASSTUB_DATA_DIR", "/somewhere")
	t.Setenv("ATLASSTUB_STATE", "fixture.json")
	opts, _, ok := parseServeFlags(nil, io.Discard, io.Discard)
	require.True(t, ok)
	assert.Equal(t, "/somewhere", opts.dataDir)
	assert.Equal(t, "fixture.json", opts.state)
}
