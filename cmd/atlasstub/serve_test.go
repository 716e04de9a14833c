package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
)

// startServe runs `atlasstub serve` in-process until the test ends and returns the credentials
// it wrote.
func startServe(t *testing.T, args ...string) server.Bootstrap {
	t.Helper()
	credsFile := filepath.Join(t.TempDir(), "credentials.json")
	opts, err := parseServeFlags(append([]string{"--addr", "127.0.0.1:0", "--key-type", "ecdsa-p256", "--credentials-out", credsFile, "--strict"}, args...), io.Discard)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stdout bytes.Buffer
	go func() { done <- serve(ctx, opts, &stdout, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	var creds server.Bootstrap
	require.Eventually(t, func() bool {
		data, err := os.ReadFile(credsFile)
		return err == nil && json.Unmarshal(data, &creds) == nil
	}, 10*time.Second, 10*time.Millisecond)
	info, err := os.Stat(credsFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the credentials file holds secrets")
	return creds
}

// TestReadmeRecipe does what the README's first recipe does with curl: create a project, a
// MANAGED user and a certificate, and list the certificate.
func TestReadmeRecipe(t *testing.T) {
	creds := startServe(t)
	require.True(t, strings.HasPrefix(creds.BaseUrl, "http://127.0.0.1:"))
	call := func(method, path, body string) (int, []byte) {
		req, err := http.NewRequest(method, creds.BaseUrl+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Accept", "application/vnd.atlas.2025-02-19+json")
		req.Header.Set("Content-Type", "application/json")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer res.Body.Close()
		data, err := io.ReadAll(res.Body)
		require.NoError(t, err)
		return res.StatusCode, data
	}
	status, body := call("POST", "/api/atlas/v2/groups", `{"name": "recipe", "orgId": "`+creds.OrgId+`"}`)
	require.Equal(t, 200, status, "%s", body)
	var project struct{ ID string }
	require.NoError(t, json.Unmarshal(body, &project))

	status, body = call("POST", "/api/atlas/v2/groups/"+project.ID+"/databaseUsers",
		`{"groupId": "`+project.ID+`", "databaseName": "$external", "username": "myX509User", "x509Type": "MANAGED"}`)
	require.Equal(t, 201, status, "%s", body)

	status, body = call("POST", "/api/atlas/v2/groups/"+project.ID+"/databaseUsers/myX509User/certs", `{"monthsUntilExpiration": 3}`)
	require.Equal(t, 201, status, "%s", body)
	assert.Contains(t, string(body), "-----BEGIN CERTIFICATE-----")
	assert.Contains(t, string(body), "-----BEGIN PRIVATE KEY-----")

	status, body = call("GET", "/api/atlas/v2/groups/"+project.ID+"/databaseUsers/myX509User/certs", "")
	require.Equal(t, 200, status, "%s", body)
	assert.Contains(t, string(body), `"subject":"CN=myX509User"`)
}

func TestSeedFixesTheBootstrapIdentifiers(t *testing.T) {
	seed := server.Bootstrap{OrgId: "aaaaaaaaaaaaaaaaaaaaaaaa", ProjectId: "bbbbbbbbbbbbbbbbbbbbbbbb"}
	seed.ApiKey.PublicKey = "abcdefgh"
	seed.ServiceAccount.ClientSecret = "mdb_sa_sk_0123456789abcdefghijABCDEFGHIJ0123456789"
	seedFile := filepath.Join(t.TempDir(), "seed.json")
	require.NoError(t, server.WriteBootstrap(seed, seedFile))

	creds := startServe(t, "--seed", seedFile)
	assert.Equal(t, seed.OrgId, creds.OrgId)
	assert.Equal(t, seed.ProjectId, creds.ProjectId)
	assert.Equal(t, seed.ApiKey.PublicKey, creds.ApiKey.PublicKey)
	assert.Equal(t, seed.ServiceAccount.ClientSecret, creds.ServiceAccount.ClientSecret)
	assert.Regexp(t, `^mdb_sa_id_[a-f0-9]{24}$`, creds.ServiceAccount.ClientId, "what the seed leaves out is generated")
	res, err := http.Get(creds.BaseUrl + "/_stub/credentials")
	require.NoError(t, err)
	defer res.Body.Close()
	var served server.Bootstrap
	require.NoError(t, json.NewDecoder(res.Body).Decode(&served))
	assert.Equal(t, creds, served)
}

func TestServeRejectsBadConfiguration(t *testing.T) {
	badSeed := filepath.Join(t.TempDir(), "seed.json")
	require.NoError(t, os.WriteFile(badSeed, []byte(`{"orgId": "not-hex"}`), 0o600))
	for name, args := range map[string][]string{
		"unknown flag":     {"--nope"},
		"stray argument":   {"extra"},
		"negative pool":    {"--key-pool", "-1"},
		"unknown key type": {"--key-type", "dsa"},
		"unreadable seed":  {"--seed", filepath.Join(t.TempDir(), "missing.json")},
		"malformed seed":   {"--seed", badSeed},
		"busy address":     {"--addr", "256.0.0.1:1"},
	} {
		t.Run(name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(append([]string{"serve", "--log-format", "json"}, args...), io.Discard, &stderr)
			assert.NotZero(t, code)
			assert.Contains(t, stderr.String(), "atlasstub serve")
		})
	}
}

func TestServeFlagsHaveEnvironmentEquivalents(t *testing.T) {
	t.Setenv("ATLASSTUB_ADDR", "127.0.0.1:9999")
	t.Setenv("ATLASSTUB_KEY_TYPE", "rsa-2048")
	t.Setenv("ATLASSTUB_STRICT", "true")
	opts, err := parseServeFlags([]string{"--addr", "127.0.0.1:7777"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:7777", opts.addr, "a flag wins over the environment")
	assert.Equal(t, "rsa-2048", opts.keyType)
	assert.True(t, opts.strict)

	t.Setenv("ATLASSTUB_KEY_POOL", "many")
	_, err = parseServeFlags(nil, io.Discard)
	assert.ErrorContains(t, err, "ATLASSTUB_KEY_POOL")
}
