package server_test

import (
	"bytes"
	"crypto"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// managedUser creates a MANAGED X.509 user in the bootstrap project and returns the path of its
// certificates.
func managedUser(t *testing.T, a *api, username string) string {
	t.Helper()
	gid := a.stub.Credentials.ProjectId
	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups/"+gid+"/databaseUsers", map[string]any{
		"groupId": gid, "databaseName": "$external", "username": username, "x509Type": "MANAGED",
	}))
	return "/api/atlas/v2/groups/" + gid + "/databaseUsers/" + username + "/certs"
}

// certificateAndKey splits a certificate response: a CERTIFICATE block, then a PRIVATE KEY block.
func certificateAndKey(t *testing.T, body []byte) (*x509.Certificate, crypto.Signer) {
	t.Helper()
	certBlock, rest := pem.Decode(body)
	require.NotNil(t, certBlock, "no PEM in %q", body)
	require.Equal(t, "CERTIFICATE", certBlock.Type)
	keyBlock, rest := pem.Decode(rest)
	require.NotNil(t, keyBlock)
	require.Equal(t, "PRIVATE KEY", keyBlock.Type, "an unencrypted PKCS#8 key")
	require.Empty(t, rest)
	cert, err := x509.ParseCertificate(certBlock.Bytes)
	require.NoError(t, err)
	key, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	require.NoError(t, err)
	return cert, key.(crypto.Signer)
}

// projectCAPEM returns the bootstrap project's CA certificate as the control API serves it, in
// PEM.
func projectCAPEM(t *testing.T, a *api) []byte {
	t.Helper()
	r := a.get("/_stub/groups/" + a.stub.Credentials.ProjectId + "/ca")
	requireStatus(t, http.StatusOK, r)
	assert.Equal(t, "application/x-pem-file", r.Header.Get("Content-Type"))
	return r.body
}

func projectCA(t *testing.T, a *api) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(projectCAPEM(t, a))
	require.NotNil(t, block)
	ca, err := x509.ParseCertificate(block.Bytes)
	require.NoError(t, err)
	return ca
}

func TestManagedCertificates(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	certs := managedUser(t, a, "myX509User")

	issued := a.post(certs, map[string]any{})
	requireStatus(t, http.StatusCreated, issued)
	// As live Atlas answers: the PEM text as it is, under the operation's JSON media type.
	assert.Equal(t, "application/vnd.atlas.2023-01-01+json;charset=utf-8", issued.Header.Get("Content-Type"))
	assert.True(t, bytes.HasPrefix(issued.body, []byte("-----BEGIN CERTIFICATE-----\n")), "raw PEM, not a JSON string: %.40s", issued.body)
	cert, key := certificateAndKey(t, issued.body)

	assert.Equal(t, 3, cert.Version, "X.509 v3")
	assert.Equal(t, "CN=myX509User", cert.Subject.String())
	assert.Positive(t, cert.SerialNumber.Int64())
	assert.True(t, cert.SerialNumber.IsInt64(), "the serial fits 63 bits")
	assert.Equal(t, x509.ECDSAWithSHA256, cert.SignatureAlgorithm)
	assert.Equal(t, []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}, cert.ExtKeyUsage)
	assert.False(t, cert.IsCA)
	assert.Equal(t, cert.NotBefore.AddDate(0, 3, 0), cert.NotAfter, "three months by default")
	assert.True(t, key.Public().(interface{ Equal(crypto.PublicKey) bool }).Equal(cert.PublicKey), "the key belongs to the certificate")

	ca := projectCA(t, a)
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	_, err := cert.Verify(x509.VerifyOptions{Roots: pool, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	assert.NoError(t, err, "the certificate chains to the project CA")

	list := a.get(certs)
	requireStatus(t, http.StatusOK, list)
	var page struct {
		Results []struct {
			ID        int64     `json:"_id"`
			CreatedAt time.Time `json:"createdAt"`
			GroupID   string    `json:"groupId"`
			NotAfter  time.Time `json:"notAfter"`
			Subject   string    `json:"subject"`
		}
		TotalCount int
	}
	list.json(t, &page)
	require.Len(t, page.Results, 1)
	got := page.Results[0]
	assert.Equal(t, cert.SerialNumber.Int64(), got.ID, "the _id is the serial")
	assert.Equal(t, "CN=myX509User", got.Subject)
	assert.Equal(t, stub.Credentials.ProjectId, got.GroupID)
	assert.True(t, cert.NotAfter.Equal(got.NotAfter))
	assert.True(t, cert.NotBefore.Equal(got.CreatedAt))
}

func TestDistinguishedNameUsernameIsTheCommonName(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	certs := managedUser(t, a, "CN=frank")

	issued := a.post(certs, map[string]any{})
	requireStatus(t, http.StatusCreated, issued)
	cert, _ := certificateAndKey(t, issued.body)
	assert.Equal(t, "CN=frank", cert.Subject.String())

	var page struct{ Results []struct{ Subject string } }
	a.get(certs).json(t, &page)
	require.Len(t, page.Results, 1)
	assert.Equal(t, "CN=frank", page.Results[0].Subject)
}

func TestCertificateLifetimeAndExpiry(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	certs := managedUser(t, a, "expiring")

	short := a.post(certs, map[string]any{"monthsUntilExpiration": 1})
	requireStatus(t, http.StatusCreated, short)
	shortCert, _ := certificateAndKey(t, short.body)
	assert.Equal(t, shortCert.NotBefore.AddDate(0, 1, 0), shortCert.NotAfter)
	long := a.post(certs, map[string]any{"monthsUntilExpiration": 24})
	requireStatus(t, http.StatusCreated, long)
	longCert, _ := certificateAndKey(t, long.body)
	assert.Equal(t, longCert.NotBefore.AddDate(2, 0, 0), longCert.NotAfter)

	e := requireAPIError(t, http.StatusBadRequest, "CERT_EXPIRY_CANNOT_EXCEED_TWO_YEARS", a.post(certs, map[string]any{"monthsUntilExpiration": 25}))
	assert.Equal(t, "Atlas-generated X.509 certificates have a maximum expiration of 24 months.", e["detail"])
	requireAPIError(t, http.StatusBadRequest, "INVALID_ATTRIBUTE", a.post(certs, map[string]any{"monthsUntilExpiration": 0}))

	assert.Len(t, a.get(certs).object(t)["results"], 2)
	stub.Advance(32 * 24 * time.Hour)
	remaining := a.get(certs).object(t)["results"].([]any)
	require.Len(t, remaining, 1, "the expired certificate is no longer listed")
	assert.Equal(t, float64(longCert.SerialNumber.Int64()), remaining[0].(map[string]any)["_id"])
}

func TestCertificatesOnlyForManagedUsers(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	users := "/api/atlas/v2/groups/" + gid + "/databaseUsers"
	requireStatus(t, http.StatusCreated, a.post(users, map[string]any{"groupId": gid, "databaseName": "admin", "username": "scram", "password": "long-enough"}))
	requireStatus(t, http.StatusCreated, a.post(users, map[string]any{"groupId": gid, "databaseName": "$external", "username": "CN=customer", "x509Type": "CUSTOMER"}))

	for _, username := range []string{"scram", "CN=customer"} {
		e := requireAPIError(t, http.StatusBadRequest, "USER_NOT_MANAGED_X509", a.post(users+"/"+username+"/certs", map[string]any{}))
		assert.Equal(t, "The user does not have managed mode X.509 enabled.", e["detail"])
	}
	requireAPIError(t, http.StatusNotFound, "USERNAME_NOT_FOUND", a.post(users+"/nobody/certs", map[string]any{}))
	requireAPIError(t, http.StatusNotFound, "USERNAME_NOT_FOUND", a.get(users+"/nobody/certs"))
	requireAPIError(t, http.StatusNotFound, "GROUP_NOT_FOUND", a.get("/api/atlas/v2/groups/"+unknownID+"/databaseUsers/x/certs"))
	requireAPIError(t, http.StatusNotFound, "GROUP_NOT_FOUND", a.get("/_stub/groups/"+unknownID+"/ca"))
}

func TestDeletedUserLosesItsCertificates(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	certs := managedUser(t, a, "leaver")
	requireStatus(t, http.StatusCreated, a.post(certs, map[string]any{}))
	requireStatus(t, http.StatusNoContent, a.delete("/api/atlas/v2/groups/"+stub.Credentials.ProjectId+"/databaseUsers/$external/leaver"))
	requireAPIError(t, http.StatusNotFound, "USERNAME_NOT_FOUND", a.get(certs))
	managedUser(t, a, "leaver")
	assert.Empty(t, a.get(certs).object(t)["results"], "a new user of the same name starts without certificates")
}

func TestLegacyCertificatePathsShareTheState(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	legacy := newAPI(t, stub)
	legacy.accept = "application/json"

	created := legacy.post("/api/atlas/v1.0/groups/"+gid+"/databaseUsers", map[string]any{
		"groupId": gid, "databaseName": "$external", "username": "legacyUser", "x509Type": "MANAGED", "scopes": nil,
	})
	requireStatus(t, http.StatusCreated, created)
	assert.Equal(t, "application/json", created.Header.Get("Content-Type"))
	assert.Equal(t, stub.URL+"/api/atlas/v1.0/groups/"+gid+"/databaseUsers/$external/legacyUser", created.object(t)["links"].([]any)[0].(map[string]any)["href"])
	requireStatus(t, http.StatusOK, legacy.get("/api/atlas/v1.0/groups/"+gid+"/databaseUsers/$external/legacyUser"))

	issued := legacy.post("/api/atlas/v1.0/groups/"+gid+"/databaseUsers/legacyUser/certs", map[string]any{"monthsUntilExpiration": 6})
	requireStatus(t, http.StatusCreated, issued)
	assert.Equal(t, "application/x-pem-file", issued.Header.Get("Content-Type"))
	cert, _ := certificateAndKey(t, issued.body)

	v1 := legacy.get("/api/atlas/v1.0/groups/" + gid + "/databaseUsers/legacyUser/certs?pageNum=1&itemsPerPage=100")
	requireStatus(t, http.StatusOK, v1)
	assert.Equal(t, "application/json", v1.Header.Get("Content-Type"))
	v2 := a.get("/api/atlas/v2/groups/" + gid + "/databaseUsers/legacyUser/certs").object(t)
	assert.Equal(t, v1.object(t)["results"], v2["results"], "both paths list the same certificates")
	assert.Equal(t, float64(cert.SerialNumber.Int64()), v2["results"].([]any)[0].(map[string]any)["_id"])
}

func TestConcurrentCertificateIssuance(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	certs := managedUser(t, a, "busy")
	var wg sync.WaitGroup
	issued := make(chan response, 20)
	for range 20 {
		wg.Go(func() { issued <- a.post(certs, map[string]any{}) })
	}
	wg.Wait()
	close(issued)

	roots := x509.NewCertPool()
	roots.AddCert(projectCA(t, a)) // one CA for the project however many requests raced to create it
	serials := map[int64]bool{}
	for r := range issued {
		requireStatus(t, http.StatusCreated, r)
		cert, _ := certificateAndKey(t, r.body)
		_, err := cert.Verify(x509.VerifyOptions{Roots: roots, CurrentTime: cert.NotBefore, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
		assert.NoError(t, err, "certificate %d is signed by the project's CA", cert.SerialNumber)
		serials[cert.SerialNumber.Int64()] = true
	}
	assert.Len(t, serials, 20, "every certificate issued, each with its own serial")
	page := a.get(certs + "?itemsPerPage=500").object(t)
	assert.Equal(t, float64(20), page["totalCount"])
}

// openssl returns a command of the openssl tool, failing the test if it is not installed.
func openssl(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	path, err := exec.LookPath("openssl")
	require.NoError(t, err, "this test needs the openssl command (Debian: apt-get install openssl)")
	return exec.Command(path, args...)
}

// opensslVerify checks certPEM against the CA caPEM with openssl verify, and args such as
// -attime, as an operator would. It returns what openssl says, which names the certificate
// cert.pem, and whether it verified.
func opensslVerify(t *testing.T, caPEM, certPEM []byte, args ...string) (string, error) {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "ca.pem"), caPEM, 0o600))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "cert.pem"), certPEM, 0o600))
	verify := openssl(t, slices.Concat([]string{"verify", "-CAfile", "ca.pem"}, args, []string{"cert.pem"})...)
	verify.Dir = dir
	out, err := verify.CombinedOutput()
	return string(out), err
}

// TestAtlasKeyTypeVerifiesWithOpenSSL issues a certificate with the default RSA-4096 keys and
// checks it the way an operator would: openssl verify against the project CA.
func TestAtlasKeyTypeVerifiesWithOpenSSL(t *testing.T) {
	stub := stubtest.New(t, stubtest.WithKeyType(x509ca.RSA4096))
	a := newAPI(t, stub)
	certs := managedUser(t, a, "rsaUser")
	issued := a.post(certs, map[string]any{"monthsUntilExpiration": 12})
	requireStatus(t, http.StatusCreated, issued)
	cert, key := certificateAndKey(t, issued.body)
	assert.Equal(t, x509.SHA256WithRSA, cert.SignatureAlgorithm)
	assert.Equal(t, 4096, key.(*rsa.PrivateKey).N.BitLen(), "RSA-4096, as Atlas")

	out, err := opensslVerify(t, projectCAPEM(t, a), issued.body, "-purpose", "sslclient")
	require.NoError(t, err, "openssl verify: %s", out)
	assert.Contains(t, out, "cert.pem: OK")

	pkey := openssl(t, "pkey", "-noout", "-text")
	pkey.Stdin = bytes.NewReader(issued.body)
	keyOut, err := pkey.CombinedOutput()
	require.NoError(t, err, "openssl reads the PKCS#8 key: %s", keyOut)
	assert.Contains(t, string(keyOut), "4096 bit")
}

// TestCertificatesIssuedAfterAnAdvanceAreValidAtTheStubsTime shows what docs/behaviour.md
// tells operators: a certificate issued after the clock moved ahead starts at the stub's time, so
// openssl verifies it with -attime set to that time, and not yet at real time.
func TestCertificatesIssuedAfterAnAdvanceAreValidAtTheStubsTime(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	certs := managedUser(t, a, "ahead")
	stub.Advance(48 * time.Hour)
	issued := a.post(certs, map[string]any{})
	requireStatus(t, http.StatusCreated, issued)

	caPEM := projectCAPEM(t, a)
	out, err := opensslVerify(t, caPEM, issued.body)
	require.Error(t, err, "at real time: %s", out)
	assert.Contains(t, out, "not yet valid")

	var clock struct{ Now time.Time }
	a.get("/_stub/clock").json(t, &clock)
	out, err = opensslVerify(t, caPEM, issued.body, "-attime", fmt.Sprint(clock.Now.Unix()))
	require.NoError(t, err, "at the stub's time: %s", out)
	assert.Contains(t, out, "cert.pem: OK")
}
