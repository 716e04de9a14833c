package compat

import (
	"crypto"
	"crypto/x509"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// projectCA returns the PEM certificate of a project's CA from the stub's control API.
func projectCA(t *testing.T, stub *stubtest.Stub, groupID string) []byte {
	t.Helper()
	res, err := http.Get(stub.URL + "/_stub/groups/" + groupID + "/ca")
	require.NoError(t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, res.StatusCode, "%s", body)
	return body
}

// requireIssuedCertificate checks what a client received when it created a certificate: a PEM
// CERTIFICATE block for CN=username followed by the PKCS#8 PRIVATE KEY of that certificate,
// verifying as a client certificate against the project's CA. It returns the serial.
func requireIssuedCertificate(t *testing.T, received string, caPEM []byte, username string) *big.Int {
	t.Helper()
	certBlock, rest := pem.Decode([]byte(received))
	require.NotNil(t, certBlock, "no PEM block in %q", received)
	require.Equal(t, "CERTIFICATE", certBlock.Type)
	keyBlock, rest := pem.Decode(rest)
	require.NotNil(t, keyBlock, "no second PEM block")
	require.Equal(t, "PRIVATE KEY", keyBlock.Type, "the key is PKCS#8")
	assert.Empty(t, rest, "nothing follows the key")

	cert, err := x509.ParseCertificate(certBlock.Bytes)
	require.NoError(t, err)
	assert.Equal(t, username, cert.Subject.CommonName)
	key, err := x509.ParsePKCS8PrivateKey(keyBlock.Bytes)
	require.NoError(t, err)
	signer, ok := key.(crypto.Signer)
	require.True(t, ok, "a %T cannot sign", key)
	public, ok := cert.PublicKey.(interface{ Equal(crypto.PublicKey) bool })
	require.True(t, ok, "a %T cannot be compared", cert.PublicKey)
	assert.True(t, public.Equal(signer.Public()), "the key belongs to the certificate")

	caBlock, _ := pem.Decode(caPEM)
	require.NotNil(t, caBlock, "the CA is PEM")
	ca, err := x509.ParseCertificate(caBlock.Bytes)
	require.NoError(t, err)
	roots := x509.NewCertPool()
	roots.AddCert(ca)
	_, err = cert.Verify(x509.VerifyOptions{
		Roots:     roots,
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	})
	require.NoError(t, err, "the certificate verifies against the project's CA")
	return cert.SerialNumber
}
