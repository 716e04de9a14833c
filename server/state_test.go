package server_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// exportState reads GET /_stub/state.
func exportState(t *testing.T, a *api) []byte {
	t.Helper()
	r := a.get("/_stub/state")
	requireStatus(t, http.StatusOK, r)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
	return r.body
}

// TestStateMovesToAnotherStub exports a state of every kind and imports it into a new stub,
// which then holds the same state, and exports the same document.
func TestStateMovesToAnotherStub(t *testing.T) {
	first := stubtest.New(t)
	a := newAPI(t, first)
	f := fillState(t, a)
	exported := exportState(t, a)

	second := stubtest.New(t)
	b := newAPI(t, second)
	requireStatus(t, http.StatusNoContent, b.do(http.MethodPut, "/_stub/state", string(exported)))
	again := exportState(t, b)
	assert.JSONEq(t, strings.ReplaceAll(string(exported), first.URL, "BASE"), strings.ReplaceAll(string(again), second.URL, "BASE"),
		"the second stub exports what the first did")
	second.Credentials = second.Server.Bootstrap()
	requireSameState(t, b, f)
}

// TestStateExportKeepsSecretsHashed builds a state with every kind of secret and searches the
// export for them: only their hashes are there, but for the bootstrap credentials, which the
// export holds as /_stub/credentials shows them.
func TestStateExportKeepsSecretsHashed(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	key := createOrgKey(t, a, "ORG_MEMBER")
	account := createAccount(t, a, "ORG_MEMBER")
	certs := managedUser(t, a, "x509")
	issued := a.post(certs, map[string]any{})
	requireStatus(t, http.StatusCreated, issued)
	_, certificateKey := certificateAndKey(t, issued.body)
	gid := stub.Credentials.ProjectId
	requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups/"+gid+"/databaseUsers", map[string]any{
		"groupId": gid, "databaseName": "admin", "username": "scram", "password": "correct-horse-battery-staple",
		"roles": []any{map[string]any{"databaseName": "admin", "roleName": "readAnyDatabase"}},
	}))

	var doc struct {
		Bootstrap json.RawMessage
		Records   json.RawMessage
	}
	require.NoError(t, json.Unmarshal(exportState(t, a), &doc))
	for what, secret := range map[string]string{
		"an API private key":                 key.PrivateKey,
		"a service account's secret":         account.Secrets[0].Secret,
		"a password":                         "correct-horse-battery-staple",
		"the bootstrap API private key":      stub.Credentials.ApiKey.PrivateKey,
		"the bootstrap service secret":       stub.Credentials.ServiceAccount.ClientSecret,
		"a certificate's private key (PEM)":  string(pemKey(t, certificateKey)),
		"a certificate's private key (DER)":  string(pkcs8(t, certificateKey)),
		"a certificate's private key scalar": string(scalar(t, certificateKey)),
	} {
		assert.False(t, containsInAnyForm(doc.Records, []byte(secret)), "the records hold %s", what)
	}
	assert.Contains(t, string(doc.Bootstrap), stub.Credentials.ApiKey.PrivateKey, "the bootstrap credentials as /_stub/credentials shows them")
}

// containsInAnyForm reports whether data holds secret as it is, in base64 or in hexadecimal.
func containsInAnyForm(data, secret []byte) bool {
	for _, form := range [][]byte{
		secret, []byte(base64.StdEncoding.EncodeToString(secret)), []byte(base64.RawURLEncoding.EncodeToString(secret)),
		[]byte(hex.EncodeToString(secret)),
	} {
		if bytes.Contains(data, form) {
			return true
		}
	}
	return false
}

// TestImportStateRefusesABadDocument sends documents that are broken in one way each: every one
// is a 400 (or 415) that names what is wrong, and the state stays as it was.
func TestImportStateRefusesABadDocument(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	fillState(t, a)
	original := exportState(t, a)
	var valid map[string]any
	require.NoError(t, json.Unmarshal(original, &valid))

	for name, c := range map[string]struct {
		status      int
		code, field string
		change      func(doc map[string]any)
	}{
		"newer format": {http.StatusBadRequest, "INVALID_ATTRIBUTE", "formatVersion", func(doc map[string]any) { doc["formatVersion"] = 2 }},
		"no format":    {http.StatusBadRequest, "MISSING_ATTRIBUTE", "formatVersion", func(doc map[string]any) { delete(doc, "formatVersion") }},
		"clock backwards": {http.StatusBadRequest, "INVALID_ATTRIBUTE", "clockOffset", func(doc map[string]any) {
			doc["clockOffset"] = "-1h"
		}},
		"clock past ObjectId time": {http.StatusBadRequest, "INVALID_ATTRIBUTE", "clockOffset", func(doc map[string]any) {
			doc["clockOffset"] = "2000000h"
		}},
		"unknown record field": {http.StatusBadRequest, "INVALID_ATTRIBUTE", "records.projects.0", func(doc map[string]any) {
			records(doc, "projects")[0].(map[string]any)["Nmae"] = "typo"
		}},
		"user of no project": {http.StatusBadRequest, "INVALID_ATTRIBUTE", "records.databaseUsers.0", func(doc map[string]any) {
			records(doc, "databaseUsers")[0].(map[string]any)["ProjectID"] = "bbbbbbbbbbbbbbbbbbbbbbbb"
		}},
		"CA that cannot sign": {http.StatusBadRequest, "INVALID_ATTRIBUTE", "records.certificateAuthorities.0", func(doc map[string]any) {
			records(doc, "certificateAuthorities")[0].(map[string]any)["PrivateKeyDER"] = base64.StdEncoding.EncodeToString([]byte("not a key"))
		}},
		"signing key": {http.StatusBadRequest, "INVALID_ATTRIBUTE", "records.tokenSigningKey", func(doc map[string]any) {
			doc["records"].(map[string]any)["tokenSigningKey"] = base64.StdEncoding.EncodeToString([]byte("not a key"))
		}},
		"no records": {http.StatusBadRequest, "MISSING_ATTRIBUTE", "records", func(doc map[string]any) { delete(doc, "records") }},
		"bootstrap": {http.StatusBadRequest, "INVALID_ATTRIBUTE", "bootstrap.apiKey.publicKey", func(doc map[string]any) {
			doc["bootstrap"].(map[string]any)["apiKey"].(map[string]any)["publicKey"] = "UPPER"
		}},
	} {
		t.Run(name, func(t *testing.T) {
			doc := clone(t, valid)
			c.change(doc)
			r := a.do(http.MethodPut, "/_stub/state", doc)
			e := requireAPIError(t, c.status, c.code, r)
			assert.Contains(t, string(r.body), `"`+c.field+`"`, "%s", r.body)
			assert.NotEmpty(t, e["detail"])
			assert.JSONEq(t, string(original), string(exportState(t, a)), "the state is unchanged")
		})
	}
	requireAPIError(t, http.StatusBadRequest, "MALFORMED_JSON", a.do(http.MethodPut, "/_stub/state", "{not json"))
	requireAPIError(t, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", a.do(http.MethodPut, "/_stub/state", string(original), "Content-Type", "text/plain"))
	assert.JSONEq(t, string(original), string(exportState(t, a)), "the state is unchanged")
}

// records returns the records of a kind in a decoded document.
func records(doc map[string]any, kind string) []any {
	return doc["records"].(map[string]any)[kind].([]any)
}

func clone(t *testing.T, doc map[string]any) map[string]any {
	t.Helper()
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	var copied map[string]any
	require.NoError(t, json.Unmarshal(data, &copied))
	return copied
}

func pkcs8(t *testing.T, key crypto.Signer) []byte {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return der
}

func pemKey(t *testing.T, key crypto.Signer) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: pkcs8(t, key)})
}

// scalar is the private scalar of an ECDSA key, the stub's certificate keys in tests.
func scalar(t *testing.T, key crypto.Signer) []byte {
	t.Helper()
	d, err := key.(*ecdsa.PrivateKey).Bytes()
	require.NoError(t, err)
	return d
}
