package server_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"fmt"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestTheStoreNeverHoldsSecrets issues certificates, API keys, service-account secrets and
// passwords, uses them, and then searches everything the stub ever gave its store: no private
// key or secret may be there in any encoding; secrets only as their hashes. Two records are
// meant to hold secrets, and hold nothing else: the bootstrap credentials as issued, which the
// control API returns, and the pool of keys generated ahead, each until the certificate that
// takes it is recorded.
func TestTheStoreNeverHoldsSecrets(t *testing.T) {
	backend := &recordingBackend{Memory: store.NewMemory()}
	stub := stubtest.New(t, func(c *server.Config) { c.Backend = backend })
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	bootstrapSecrets := map[string][]byte{
		"the bootstrap API private key":          []byte(stub.Credentials.ApiKey.PrivateKey),
		"the bootstrap service account's secret": []byte(stub.Credentials.ServiceAccount.ClientSecret),
	}
	secrets := map[string][]byte{}
	var certificateKeys [][]byte

	// Certificates, on the v2 and the legacy path.
	certs := managedUser(t, a, "keyless")
	legacy := newAPI(t, stub)
	legacy.accept = "application/json"
	for i, issue := range []func() response{
		func() response { return a.post(certs, map[string]any{}) },
		func() response { return a.post(certs, map[string]any{"monthsUntilExpiration": 1}) },
		func() response {
			return legacy.post("/api/atlas/v1.0/groups/"+gid+"/databaseUsers/keyless/certs", map[string]any{})
		},
	} {
		r := issue()
		requireStatus(t, http.StatusCreated, r)
		_, key := certificateAndKey(t, r.body)
		pkcs8, err := x509.MarshalPKCS8PrivateKey(key)
		require.NoError(t, err)
		sec1, err := x509.MarshalECPrivateKey(key.(*ecdsa.PrivateKey))
		require.NoError(t, err)
		scalar, err := key.(*ecdsa.PrivateKey).Bytes()
		require.NoError(t, err)
		certificateKeys = append(certificateKeys, pkcs8)
		secrets[fmt.Sprintf("certificate key %d as PKCS#8", i)] = pkcs8
		secrets[fmt.Sprintf("certificate key %d as SEC 1", i)] = sec1
		secrets[fmt.Sprintf("certificate key %d's scalar", i)] = scalar
		secrets[fmt.Sprintf("certificate key %d as PEM", i)] = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8})
	}

	// An API key, used once over Digest.
	key := createOrgKey(t, a, "ORG_MEMBER")
	requireStatus(t, http.StatusOK, asKey(t, stub, key, "127.0.0.1").get("/api/atlas/v2/orgs/"+stub.Credentials.OrgId))
	secrets["an API private key"] = []byte(key.PrivateKey)

	// A service account with two secrets, the second used to mint a token.
	accounts := "/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/serviceAccounts"
	sa := createAccount(t, a, "ORG_MEMBER")
	second := a.post(accounts+"/"+sa.ClientID+"/secrets", map[string]any{"secretExpiresAfterHours": 720})
	requireStatus(t, http.StatusCreated, second)
	var s secret
	second.json(t, &s)
	mintToken(t, stub, sa.ClientID, s.Secret)
	secrets["a service account's first secret"] = []byte(sa.Secrets[0].Secret)
	secrets["a service account's second secret"] = []byte(s.Secret)

	// A SCRAM password and an LDAP bind password.
	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups/"+gid+"/databaseUsers", map[string]any{
		"groupId": gid, "databaseName": "admin", "username": "scram", "password": "correct-horse-battery-staple",
		"roles": []any{map[string]any{"databaseName": "admin", "roleName": "readAnyDatabase"}},
	}))
	requireStatus(t, http.StatusAccepted, a.patch("/api/atlas/v2/groups/"+gid+"/userSecurity", map[string]any{"ldap": map[string]any{"bindPassword": "ldap-bind-secret"}}))
	secrets["a database user's password"] = []byte("correct-horse-battery-staple")
	secrets["the LDAP bind password"] = []byte("ldap-bind-secret")

	for what, secret := range secrets {
		assert.False(t, backend.holds(secret, poolBucket), "the store holds %s", what)
	}
	for what, secret := range bootstrapSecrets {
		assert.False(t, backend.holds(secret, bootstrapBucket), "the store holds %s beside the bootstrap credentials", what)
		assert.True(t, backend.holds(secret), "the bootstrap credentials keep %s", what)
	}
	pooled, err := store.Read(store.New(backend, time.Now), func(tx *store.Tx) ([]store.PooledKey, error) { return tx.PooledKeys() })
	require.NoError(t, err)
	for _, k := range pooled {
		assert.NotContains(t, certificateKeys, k.PKCS8, "a key handed out is no longer in the pool")
	}
	// The search finds what the store does keep: the project CA's certificate and the hashes.
	assert.True(t, backend.holds(projectCA(t, a).Raw), "the store keeps the project CA")
	assert.True(t, backend.holds([]byte(store.HashSecret(s.Secret))), "the store keeps a secret's hash")
}

// recordingBackend is the in-memory backend that also keeps a copy of every key and value it is
// given, so that a test can search everything the store ever held, overwritten, deleted and
// rolled-back records included.
type recordingBackend struct {
	*store.Memory
	mu      sync.Mutex
	written []written
}

// written is one record as it was put.
type written struct {
	bucket string
	record []byte // the key and the value
}

// The buckets of the records that keep secrets.
const (
	bootstrapBucket = "bootstrap"
	poolBucket      = "keyPool"
)

func (b *recordingBackend) Update(fn func(store.RawTx) error) error {
	return b.Memory.Update(func(tx store.RawTx) error { return fn(recordingTx{RawTx: tx, backend: b}) })
}

type recordingTx struct {
	store.RawTx
	backend *recordingBackend
}

func (tx recordingTx) Put(bucket, key string, r store.Record) error {
	tx.backend.mu.Lock()
	tx.backend.written = append(tx.backend.written, written{bucket, append([]byte(key+"/"), r.JSON...)})
	tx.backend.mu.Unlock()
	return tx.RawTx.Put(bucket, key, r)
}

// holds reports whether secret was ever written outside the bucket except (when given), as it
// is or in a text encoding that JSON records use for bytes (base64) or that code might choose
// (hexadecimal, PEM).
func (b *recordingBackend) holds(secret []byte, except ...string) bool {
	std := base64.StdEncoding.EncodeToString(secret)
	forms := [][]byte{
		secret,
		[]byte(std),
		[]byte(std[:min(len(std), 64)]), // the first line of a PEM block, however its line breaks are escaped
		[]byte(base64.RawStdEncoding.EncodeToString(secret)),
		[]byte(base64.URLEncoding.EncodeToString(secret)),
		[]byte(base64.RawURLEncoding.EncodeToString(secret)),
		[]byte(hex.EncodeToString(secret)),
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, w := range b.written {
		if slices.Contains(except, w.bucket) {
			continue
		}
		for _, form := range forms {
			if bytes.Contains(w.record, form) {
				return true
			}
		}
	}
	return false
}
