package client

import (
	"context"
	"crypto/ecdsa"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// TestCertificateIsUsableForTLS issues a certificate and checks what a MONGODB-X509 client needs:
// a key that matches, and a chain to the project's CA that allows client authentication.
func TestCertificateIsUsableForTLS(t *testing.T) {
	c, stub, _ := newStubClient(t, bootstrapServiceAccount)
	ctx := context.Background()
	groupID := stub.Credentials.ProjectId
	_, err := c.CreateGroupDatabaseUser(ctx, groupID, nil, atlasapi.CloudDatabaseUser{
		GroupId: groupID, DatabaseName: atlasapi.External, Username: "dave", X509Type: ptr(atlasapi.CloudDatabaseUserX509TypeMANAGED),
	})
	require.NoError(t, err)
	cert, err := c.CreateGroupDatabaseUserCert(ctx, groupID, "dave", nil, atlasapi.UserCert{MonthsUntilExpiration: ptr(int32(2))})
	require.NoError(t, err)

	assert.Equal(t, "CN=dave", cert.X509.Subject.String())
	key, ok := cert.PrivateKey.(*ecdsa.PrivateKey)
	require.True(t, ok, "the stub in tests issues ECDSA keys; got %T", cert.PrivateKey)
	assert.True(t, key.PublicKey.Equal(cert.X509.PublicKey))
	blocks := pemTypes(cert.PEM)
	assert.Equal(t, []string{"CERTIFICATE", "PRIVATE KEY"}, blocks)

	pair := cert.TLSCertificate()
	require.Len(t, pair.Certificate, 1)
	assert.Equal(t, cert.X509.Raw, pair.Certificate[0])
	assert.Same(t, cert.X509, pair.Leaf)
	assert.Equal(t, cert.PrivateKey, pair.PrivateKey)

	res, err := http.Get(stub.URL + "/_stub/groups/" + groupID + "/ca")
	require.NoError(t, err)
	defer res.Body.Close()
	caPEM, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(caPEM))
	_, err = cert.X509.Verify(x509.VerifyOptions{Roots: roots, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}})
	assert.NoError(t, err)
}

func TestParseCertificateRefusesIncompletePEM(t *testing.T) {
	first := issue(t)
	second := issue(t)
	certOf := func(p []byte) []byte { b, _ := pem.Decode(p); return pem.EncodeToMemory(b) }
	keyOf := func(p []byte) []byte { _, rest := pem.Decode(p); return rest }

	parsed, err := ParseCertificate(first)
	require.NoError(t, err)
	assert.Equal(t, first, parsed.PEM)

	for name, data := range map[string][]byte{
		"no key":              certOf(first),
		"no certificate":      keyOf(first),
		"another certificate": append(certOf(second), keyOf(first)...),
		"not PEM":             []byte("-----BEGIN NOTHING-----"),
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseCertificate(data)
			assert.ErrorContains(t, err, "client: parse the certificate PEM")
		})
	}
}

// TestParseCertificateDoesNotNeedTheLeafOfX509KeyPair parses with GODEBUG=x509keypairleaf=0,
// under which tls.X509KeyPair leaves Leaf nil: the certificate is parsed all the same.
func TestParseCertificateDoesNotNeedTheLeafOfX509KeyPair(t *testing.T) {
	data := issue(t)
	t.Setenv("GODEBUG", "x509keypairleaf=0")
	pair, err := tls.X509KeyPair(data, data)
	require.NoError(t, err)
	require.Nil(t, pair.Leaf, "the setting must be in effect for the test to mean anything")

	cert, err := ParseCertificate(data)
	require.NoError(t, err)
	require.NotNil(t, cert.X509)
	assert.Equal(t, "frank", cert.X509.Subject.CommonName)
	assert.Equal(t, cert.X509.Raw, cert.TLSCertificate().Certificate[0])
}

func TestCertificateResponseThatIsNotPEM(t *testing.T) {
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.atlas.2023-01-01+json;charset=utf-8")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte("not a certificate"))
	}))
	t.Cleanup(server.Close)
	c, err := New(server.URL, WithHTTPClient(&http.Client{Transport: newSpecTransport(t).requestsOnly()}))
	require.NoError(t, err)
	_, err = c.CreateGroupDatabaseUserCert(context.Background(), someGroup, "erin", nil, atlasapi.UserCert{})
	assert.ErrorContains(t, err, "POST "+server.URL+"/api/atlas/v2/groups/"+someGroup+"/databaseUsers/erin/certs: client: parse the certificate PEM")
}

// Atlas serves the certificate's PEM as application/vnd.atlas.2023-01-01+json;charset=utf-8, as its
// specification and ours declare it; the client asks for that type, as the official SDK does, and
// reads the PEM raw whatever type comes back.
func TestCertificateServedWithTheOfficialJSONType(t *testing.T) {
	issued := issue(t)
	var accept string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		accept = r.Header.Get("Accept")
		w.Header().Set("Content-Type", "application/vnd.atlas.2023-01-01+json;charset=utf-8")
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write(issued)
	}))
	t.Cleanup(server.Close)
	c, err := New(server.URL, WithHTTPClient(&http.Client{Transport: newSpecTransport(t).requestsOnly()}))
	require.NoError(t, err)
	cert, err := c.CreateGroupDatabaseUserCert(context.Background(), someGroup, "frank", nil, atlasapi.UserCert{})
	require.NoError(t, err)
	assert.Equal(t, issued, cert.PEM)
	assert.Equal(t, "application/vnd.atlas.2023-01-01+json", accept)
}

// issue returns the PEM of a fresh certificate from a stub.
func issue(t *testing.T) []byte {
	c, stub, _ := newStubClient(t, bootstrapAPIKey)
	ctx := context.Background()
	groupID := stub.Credentials.ProjectId
	_, err := c.CreateGroupDatabaseUser(ctx, groupID, nil, atlasapi.CloudDatabaseUser{
		GroupId: groupID, DatabaseName: atlasapi.External, Username: "frank", X509Type: ptr(atlasapi.CloudDatabaseUserX509TypeMANAGED),
	})
	require.NoError(t, err)
	cert, err := c.CreateLegacyDatabaseUserCert(ctx, groupID, "frank", nil, atlasapi.UserCert{MonthsUntilExpiration: ptr(int32(1))})
	require.NoError(t, err)
	assert.Equal(t, "frank", cert.X509.Subject.CommonName)
	return cert.PEM
}

func pemTypes(data []byte) []string {
	var types []string
	for block, rest := pem.Decode(data); block != nil; block, rest = pem.Decode(rest) {
		types = append(types, block.Type)
	}
	return types
}
