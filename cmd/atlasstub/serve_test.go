package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mongodb-forks/digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
)

// startServe runs `atlasstub serve` in-process until the test ends and returns the credentials
// it printed on start, after checking that they are the ones it wrote to --credentials-out.
func startServe(t *testing.T, args ...string) server.Bootstrap {
	t.Helper()
	credsFile := filepath.Join(t.TempDir(), "credentials.json")
	opts, err := parseServeFlags(append([]string{"--addr", "127.0.0.1:0", "--key-type", "ecdsa-p256", "--credentials-out", credsFile, "--strict"}, args...), io.Discard)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	stdout := &syncBuffer{}
	go func() { done <- serve(ctx, opts, stdout, io.Discard) }()
	t.Cleanup(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	var printed server.Bootstrap
	require.Eventually(t, func() bool {
		_, doc, found := strings.Cut(stdout.String(), "bootstrap credentials:\n")
		return found && json.Unmarshal([]byte(doc), &printed) == nil
	}, 10*time.Second, 10*time.Millisecond, "serve prints the bootstrap credentials")
	assert.True(t, strings.HasPrefix(stdout.String(), "atlasstub is serving on "+printed.BaseUrl+"\n"), "%s", stdout)

	data, err := os.ReadFile(credsFile)
	require.NoError(t, err, "the credentials are written before they are printed")
	var written server.Bootstrap
	require.NoError(t, json.Unmarshal(data, &written))
	assert.Equal(t, written, printed)
	info, err := os.Stat(credsFile)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the credentials file holds secrets")
	return printed
}

// syncBuffer is a bytes.Buffer that the server goroutine writes while the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// recipeClient sends the README recipes' requests to a running `atlasstub serve`.
type recipeClient struct {
	t     *testing.T
	base  string
	creds server.Bootstrap
}

// call sends a request with the recipes' Accept header, a JSON body if any, and the given
// Authorization ("digest" signs it with the API key as curl --digest does).
func (rc recipeClient) call(method, path, body, authorization string) (int, []byte) {
	rc.t.Helper()
	req, err := http.NewRequest(method, rc.base+path, strings.NewReader(body))
	require.NoError(rc.t, err)
	req.Header.Set("Accept", "application/vnd.atlas.2025-02-19+json")
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	client := http.DefaultClient
	if authorization == "digest" {
		client = &http.Client{Transport: digest.NewTransport(rc.creds.ApiKey.PublicKey, rc.creds.ApiKey.PrivateKey)}
	} else {
		req.Header.Set("Authorization", authorization)
	}
	res, err := client.Do(req)
	require.NoError(rc.t, err)
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	require.NoError(rc.t, err)
	return res.StatusCode, data
}

// token is `curl -u id:secret -d grant_type=client_credentials $BASE/api/oauth/token`.
func (rc recipeClient) token(clientID, secret string) string {
	rc.t.Helper()
	req, err := http.NewRequest(http.MethodPost, rc.base+"/api/oauth/token", strings.NewReader("grant_type=client_credentials"))
	require.NoError(rc.t, err)
	req.SetBasicAuth(clientID, secret)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := http.DefaultClient.Do(req)
	require.NoError(rc.t, err)
	defer res.Body.Close()
	var token struct {
		AccessToken string `json:"access_token"`
	}
	require.Equal(rc.t, 200, res.StatusCode)
	require.NoError(rc.t, json.NewDecoder(res.Body).Decode(&token))
	return token.AccessToken
}

// TestReadmeRecipes does what the README's recipes do with curl, against `atlasstub serve`.
func TestReadmeRecipes(t *testing.T) {
	creds := startServe(t)
	require.True(t, strings.HasPrefix(creds.BaseUrl, "http://127.0.0.1:"))
	rc := recipeClient{t: t, base: creds.BaseUrl, creds: creds}
	sa := creds.ServiceAccount

	// 1. A token for the service account, then the projects it can see.
	token := rc.token(sa.ClientId, sa.ClientSecret)
	status, body := rc.call("GET", "/api/atlas/v2/groups?pretty=true", "", "Bearer "+token)
	require.Equal(t, 200, status, "%s", body)
	assert.Contains(t, string(body), creds.ProjectId)

	// 2. A project, created with the API key over Digest.
	status, body = rc.call("POST", "/api/atlas/v2/groups", `{"name": "recipe", "orgId": "`+creds.OrgId+`"}`, "digest")
	require.Equal(t, 200, status, "%s", body)
	var project struct{ ID string }
	require.NoError(t, json.Unmarshal(body, &project))

	// 3. A MANAGED user, a certificate, its list, and the project's CA.
	status, body = rc.call("POST", "/api/atlas/v2/groups/"+project.ID+"/databaseUsers",
		`{"groupId": "`+project.ID+`", "databaseName": "$external", "username": "myX509User", "x509Type": "MANAGED"}`, "digest")
	require.Equal(t, 201, status, "%s", body)
	status, pemBody := rc.call("POST", "/api/atlas/v2/groups/"+project.ID+"/databaseUsers/myX509User/certs", `{"monthsUntilExpiration": 3}`, "digest")
	require.Equal(t, 201, status, "%s", pemBody)
	status, body = rc.call("GET", "/api/atlas/v2/groups/"+project.ID+"/databaseUsers/myX509User/certs?pretty=true", "", "digest")
	require.Equal(t, 200, status, "%s", body)
	assert.Contains(t, string(body), `"subject": "CN=myX509User"`)
	status, caPEM := rc.call("GET", "/_stub/groups/"+project.ID+"/ca", "", "")
	require.Equal(t, 200, status)
	assertSignedBy(t, pemBody, caPEM)

	// 4. Rotate the service account's secret.
	status, body = rc.call("GET", "/api/atlas/v2/orgs/"+creds.OrgId+"/serviceAccounts/"+sa.ClientId, "", "Bearer "+token)
	require.Equal(t, 200, status, "%s", body)
	var account struct{ Secrets []struct{ ID string } }
	require.NoError(t, json.Unmarshal(body, &account))
	oldSecretID := account.Secrets[0].ID
	status, body = rc.call("POST", "/api/atlas/v2/orgs/"+creds.OrgId+"/serviceAccounts/"+sa.ClientId+"/secrets", `{"secretExpiresAfterHours": 720}`, "Bearer "+token)
	require.Equal(t, 201, status, "%s", body)
	var created struct{ Secret string }
	require.NoError(t, json.Unmarshal(body, &created))
	token = rc.token(sa.ClientId, created.Secret)
	status, body = rc.call("DELETE", "/api/atlas/v2/orgs/"+creds.OrgId+"/serviceAccounts/"+sa.ClientId+"/secrets/"+oldSecretID, "", "Bearer "+token)
	require.Equal(t, 204, status, "%s", body)
	status, _ = rc.call("GET", "/api/atlas/v2/groups", "", "Bearer "+token)
	assert.Equal(t, 200, status, "the new secret's token keeps working")
}

// assertSignedBy checks that the certificate of a PEM response chains to the CA.
func assertSignedBy(t *testing.T, certPEM, caPEM []byte) {
	t.Helper()
	certBlock, _ := pem.Decode(certPEM)
	caBlock, _ := pem.Decode(caPEM)
	require.NotNil(t, certBlock)
	require.NotNil(t, caBlock)
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	require.NoError(t, err)
	ca, err := x509.ParseCertificate(caBlock.Bytes)
	require.NoError(t, err)
	assert.NoError(t, cert.CheckSignatureFrom(ca))
}

// TestServeOnEveryAddressNamesTheLoopbackAddress listens on unspecified addresses, which no
// client can dial: the base URL that serve prints, writes and serves names 127.0.0.1 instead.
func TestServeOnEveryAddressNamesTheLoopbackAddress(t *testing.T) {
	for _, addr := range []string{":0", "0.0.0.0:0", "[::]:0"} {
		t.Run(addr, func(t *testing.T) {
			creds := startServe(t, "--addr", addr)
			assert.Regexp(t, `^http://127\.0\.0\.1:[0-9]+$`, creds.BaseUrl)
			res, err := http.Get(creds.BaseUrl + "/_stub/credentials")
			require.NoError(t, err)
			defer res.Body.Close()
			var served server.Bootstrap
			require.NoError(t, json.NewDecoder(res.Body).Decode(&served))
			assert.Equal(t, creds.BaseUrl, served.BaseUrl)
		})
	}
}

func TestServeListensOnLoopbackByDefault(t *testing.T) {
	t.Setenv("ATLASSTUB_ADDR", "") // restored after the test
	require.NoError(t, os.Unsetenv("ATLASSTUB_ADDR"))
	opts, err := parseServeFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:8080", opts.addr)
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
		"unknown flag":        {"--nope"},
		"stray argument":      {"extra"},
		"negative pool":       {"--key-pool", "-1"},
		"negative transition": {"--transition", "-1s"},
		"unknown key type":    {"--key-type", "dsa"},
		"unreadable seed":     {"--seed", filepath.Join(t.TempDir(), "missing.json")},
		"malformed seed":      {"--seed", badSeed},
		"busy address":        {"--addr", "256.0.0.1:1"},
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

// TestServeTransitionSetsTheEnginesClock: --transition 0 makes a new cluster IDLE at once; by
// default it is CREATING for five seconds.
func TestServeTransitionSetsTheEnginesClock(t *testing.T) {
	for _, c := range []struct {
		args  []string
		state string
	}{{nil, "CREATING"}, {[]string{"--transition", "0"}, "IDLE"}} {
		creds := startServe(t, c.args...)
		rc := recipeClient{t: t, base: creds.BaseUrl, creds: creds}
		clusters := "/api/atlas/v2/groups/" + creds.ProjectId + "/clusters"
		body := `{"name": "c1", "clusterType": "REPLICASET", "replicationSpecs": [{"regionConfigs": [{"providerName": "AWS", "regionName": "US_EAST_1", "priority": 7, "electableSpecs": {"instanceSize": "M10", "nodeCount": 3}}]}]}`
		status, created := rc.call(http.MethodPost, clusters, body, "digest")
		require.Equal(t, http.StatusCreated, status, "%s", created)
		status, read := rc.call(http.MethodGet, clusters+"/c1", "", "digest")
		require.Equal(t, http.StatusOK, status, "%s", read)
		var cluster struct{ StateName string }
		require.NoError(t, json.Unmarshal(read, &cluster))
		assert.Equal(t, c.state, cluster.StateName, "%v", c.args)
	}
	t.Setenv("ATLASSTUB_TRANSITION", "90s")
	opts, err := parseServeFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 90*time.Second, opts.transition)
	assert.True(t, opts.preload, "serve loads the official specification in the background by default")
}
