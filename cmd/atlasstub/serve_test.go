package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net"
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
	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/limits"
)

// startServe runs `atlasstub serve` in-process until the test ends and returns the credentials
// it printed on start, after checking that they are the ones it wrote to --credentials-out.
func startServe(t *testing.T, args ...string) server.Bootstrap {
	t.Helper()
	return startServeWith(t, nil, io.Discard, args...)
}

// startServeWith is startServe with its options changed by change, if any, after the flags are
// parsed, and its log written to stderr.
func startServeWith(t *testing.T, change func(*serveOptions), stderr io.Writer, args ...string) server.Bootstrap {
	creds, _ := startStoppableServe(t, change, stderr, args...)
	return creds
}

// startStoppableServe is startServeWith that also returns a function to stop the stub before
// the test ends.
func startStoppableServe(t *testing.T, change func(*serveOptions), stderr io.Writer, args ...string) (server.Bootstrap, func()) {
	t.Helper()
	credsFile := filepath.Join(t.TempDir(), "credentials.json")
	opts, _, ok := parseServeFlags(append([]string{"--addr", "127.0.0.1:0", "--key-type", "ecdsa-p256", "--credentials-out", credsFile, "--strict"}, args...), io.Discard, io.Discard)
	require.True(t, ok)
	if change != nil {
		change(&opts)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	stdout := &syncBuffer{}
	go func() { done <- serve(ctx, opts, stdout, stderr) }()
	stop := sync.OnceFunc(func() {
		cancel()
		assert.NoError(t, <-done)
	})
	t.Cleanup(stop)
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
	return printed, stop
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
	require.Equal(t, 201, status, "%s", body)
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
	opts, _, ok := parseServeFlags(nil, io.Discard, io.Discard)
	require.True(t, ok)
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
		"unknown flag":              {"--nope"},
		"stray argument":            {"extra"},
		"negative pool":             {"--key-pool", "-1"},
		"no body at all":            {"--max-body-bytes", "0"},
		"unknown key type":          {"--key-type", "dsa"},
		"unreadable seed":           {"--seed", filepath.Join(t.TempDir(), "missing.json")},
		"malformed seed":            {"--seed", badSeed},
		"unknown log format":        {"--log-format", "xml"},
		"bad address":               {"--addr", "256.0.0.1:1"},
		"unknown limits":            {"--rate-limits", "some"},
		"a latency range backwards": {"--latency", "80ms..20ms"},
		"a latency without a unit":  {"--latency", "20"},
		"negative transition":       {"--transition", "-1s"},
	} {
		t.Run(name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"serve", "--log-format", "json"}, args...), &stdout, &stderr)
			assert.Equal(t, 2, code, "the server could not start: %s", stderr.String())
			assert.True(t, strings.HasPrefix(stderr.String(), "atlasstub serve: "), stderr.String())
			assert.Empty(t, stdout.String())
		})
	}
}

func TestServeFlagsHaveEnvironmentEquivalents(t *testing.T) {
	t.Setenv("ATLASSTUB_ADDR", "127.0.0.1:9999")
	t.Setenv("ATLASSTUB_KEY_TYPE", "rsa-2048")
	t.Setenv("ATLASSTUB_STRICT", "true")
	opts, _, ok := parseServeFlags([]string{"--addr", "127.0.0.1:7777"}, io.Discard, io.Discard)
	require.True(t, ok)
	assert.Equal(t, "127.0.0.1:7777", opts.addr, "a flag wins over the environment")
	assert.Equal(t, "rsa-2048", opts.keyType)
	assert.True(t, opts.strict)

	t.Setenv("ATLASSTUB_LATENCY", "20ms..80ms")
	t.Setenv("ATLASSTUB_RATE_LIMITS", "off")
	opts, _, ok = parseServeFlags(nil, io.Discard, io.Discard)
	require.True(t, ok)
	assert.Equal(t, faults.Latency{Min: 20 * time.Millisecond, Max: 80 * time.Millisecond}, opts.latency)
	assert.Equal(t, limits.Off, opts.rateLimits)

	t.Setenv("ATLASSTUB_KEY_POOL", "many")
	var stderr bytes.Buffer
	_, status, ok := parseServeFlags(nil, io.Discard, &stderr)
	assert.False(t, ok)
	assert.Equal(t, 2, status)
	assert.Contains(t, stderr.String(), "ATLASSTUB_KEY_POOL")
}

// TestHealthAsksTheStubAtItsAddress: `atlasstub health` finds the stub at the address serve was
// given, an unspecified one included (as in the container image), and fails where none serves.
func TestHealthAsksTheStubAtItsAddress(t *testing.T) {
	creds := startServe(t, "--addr", "0.0.0.0:0")
	port := creds.BaseUrl[strings.LastIndex(creds.BaseUrl, ":")+1:]
	t.Setenv("ATLASSTUB_ADDR", "0.0.0.0:"+port)
	var stdout, stderr bytes.Buffer
	assert.Equal(t, 0, run([]string{"health"}, &stdout, &stderr), stderr.String())
	assert.Equal(t, creds.BaseUrl+"/_stub/health: ok\n", stdout.String())

	stdout.Reset()
	assert.Equal(t, 1, run([]string{"health", "--addr", "127.0.0.1:1"}, &stdout, &stderr), "nothing serves on port 1")
	assert.Contains(t, stderr.String(), "atlasstub health: ")
	assert.Empty(t, stdout.String())
}

// TestServeListensOnLoopbackForAnEmptyHost: ":0" listens on 127.0.0.1 only, and says nothing;
// an address beyond loopback is taken as given, with a warning that says what it exposes.
func TestServeListensOnLoopbackForAnEmptyHost(t *testing.T) {
	assert.Equal(t, "127.0.0.1:0", listenAddress(":0"))
	assert.Equal(t, "127.0.0.1:8080", listenAddress(":8080"))
	for _, given := range []string{"0.0.0.0:8080", "[::]:0", "localhost:0", "127.0.0.1:0", "[::1]:8080"} {
		assert.Equal(t, given, listenAddress(given))
	}

	for addr, warning := range map[string]string{
		":0":          "",
		"[::1]:0":     "",
		"0.0.0.0:0":   "the control API under /_stub/ still answers callers on this machine only",
		"[::]:0":      "the control API under /_stub/ still answers callers on this machine only",
		"localhost:0": "",
	} {
		t.Run(addr, func(t *testing.T) {
			stderr := &syncBuffer{}
			startServeWith(t, nil, stderr, "--addr", addr, "--log-format", "text")
			if warning == "" {
				assert.NotContains(t, stderr.String(), "beyond loopback", "a loopback listener is not warned about")
				return
			}
			assert.Regexp(t, `WARN "?listening beyond loopback`, stderr.String())
			assert.Contains(t, stderr.String(), warning)
		})
	}
	stderr := &syncBuffer{}
	startServeWith(t, nil, stderr, "--addr", "0.0.0.0:0", "--allow-remote-control", "--log-format", "text")
	assert.Contains(t, stderr.String(), "hands out the bootstrap ORG_OWNER credentials, resets all state and moves the clock")
}

// TestServeAnswersItsOwnHostName: the host name of --addr and those of --allowed-hosts are the
// stub's, and the control API answers to them.
func TestServeAnswersItsOwnHostName(t *testing.T) {
	creds := startServe(t, "--addr", "localhost:0", "--allowed-hosts", "atlasstub, stub.internal")
	port := creds.BaseUrl[strings.LastIndex(creds.BaseUrl, ":"):]
	for host, want := range map[string]int{"localhost": 200, "atlasstub": 200, "stub.internal": 200, "rebound.example": 403} {
		req, err := http.NewRequest(http.MethodGet, creds.BaseUrl+"/_stub/clock", nil)
		require.NoError(t, err)
		req.Host = host + port
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		assert.Equal(t, want, res.StatusCode, host)
	}
	assert.Equal(t, []string{"stub.example"}, listenHostName("stub.example:8080"))
	assert.Empty(t, listenHostName("0.0.0.0:8080"))
	assert.Empty(t, listenHostName(":8080"))
}

// TestServeHelpSaysWhatRemoteControlExposes: whoever opts in reads what other hosts then get.
func TestServeHelpSaysWhatRemoteControlExposes(t *testing.T) {
	var help bytes.Buffer
	_, status, ok := parseServeFlags([]string{"-h"}, &help, io.Discard)
	require.False(t, ok)
	require.Zero(t, status, "help is not an error")
	assert.Contains(t, help.String(), "-allow-remote-control")
	assert.Contains(t, help.String(), "hands out the bootstrap ORG_OWNER API key and service-account secret, resets all state and moves the clock")
}

// TestServeLetsIdleAndSlowConnectionsGo opens a keep-alive connection and leaves it idle, and
// another that sends a body too slowly: with the timeouts shortened, the stub closes both.
func TestServeLetsIdleAndSlowConnectionsGo(t *testing.T) {
	short := httpTimeouts{readHeader: time.Second, read: time.Second, write: 5 * time.Second, idle: time.Second}
	creds := startServeWith(t, func(o *serveOptions) { o.timeouts = short }, io.Discard)
	host := strings.TrimPrefix(creds.BaseUrl, "http://")

	t.Run("idle keep-alive", func(t *testing.T) {
		conn := dialStub(t, host)
		fmt.Fprintf(conn, "GET /_stub/clock HTTP/1.1\r\nHost: %s\r\n\r\n", host)
		reader := bufio.NewReader(conn)
		res, err := http.ReadResponse(reader, nil)
		require.NoError(t, err)
		_, err = io.Copy(io.Discard, res.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusOK, res.StatusCode)
		require.False(t, res.Close, "the connection is kept alive")
		assertClosedByTheStub(t, reader)
	})
	t.Run("slow body", func(t *testing.T) {
		conn := dialStub(t, host)
		fmt.Fprintf(conn, "POST /_stub/clock/advance HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{", host)
		reader := bufio.NewReader(conn)
		if res, err := http.ReadResponse(reader, nil); err == nil { // an error answer, if the stub writes one
			_, _ = io.Copy(io.Discard, res.Body)
			assert.Equal(t, 4, res.StatusCode/100, "the unfinished body is a client error")
		}
		assertClosedByTheStub(t, reader)
	})
}

func dialStub(t *testing.T, host string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", host)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	require.NoError(t, conn.SetDeadline(time.Now().Add(15*time.Second)))
	return conn
}

// assertClosedByTheStub waits for the stub to close the connection, well before the
// connection's own deadline.
func assertClosedByTheStub(t *testing.T, reader *bufio.Reader) {
	t.Helper()
	_, err := reader.ReadByte()
	assert.ErrorIs(t, err, io.EOF, "the stub closed the connection rather than keep it")
}

// TestServeRateLimitsAndLatency: serve applies Atlas's limits unless told --rate-limits off, and
// --latency slows down every request of the Atlas API.
func TestServeRateLimitsAndLatency(t *testing.T) {
	mint := func(creds server.Bootstrap) int {
		req, err := http.NewRequest(http.MethodPost, creds.BaseUrl+"/api/oauth/token", strings.NewReader("grant_type=client_credentials"))
		require.NoError(t, err)
		req.SetBasicAuth(creds.ServiceAccount.ClientId, creds.ServiceAccount.ClientSecret)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		res.Body.Close()
		return res.StatusCode
	}
	for args, eleventh := range map[string]int{"": http.StatusTooManyRequests, "--rate-limits=off": http.StatusOK} {
		t.Run("limits "+args, func(t *testing.T) {
			creds := startServe(t, strings.Fields(args)...)
			for range 10 {
				require.Equal(t, http.StatusOK, mint(creds))
			}
			assert.Equal(t, eleventh, mint(creds))
		})
	}
	t.Run("latency", func(t *testing.T) {
		creds := startServe(t, "--latency", "40ms..50ms", "--rate-limits", "off")
		start := time.Now()
		require.Equal(t, http.StatusOK, mint(creds))
		assert.GreaterOrEqual(t, time.Since(start), 40*time.Millisecond)
	})
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
	opts, _, ok := parseServeFlags(nil, io.Discard, io.Discard)
	require.True(t, ok)
	assert.Equal(t, 90*time.Second, opts.transition)
	assert.True(t, opts.preload, "serve loads the official specification in the background by default")
}
