package server_test

import (
	"crypto/x509"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestCertificatesAfterAResetChainToTheProjectsNewCA issues a certificate, resets the stub, which
// keeps the project's id and drops its CA, and issues another: the issuer, which keeps each
// project's CA parsed, signs with the new CA, not with the one it parsed before the reset.
func TestCertificatesAfterAResetChainToTheProjectsNewCA(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	issue := func() *x509.Certificate {
		r := a.post(managedUser(t, a, "reissued"), map[string]any{})
		requireStatus(t, http.StatusCreated, r)
		cert, _ := certificateAndKey(t, r.body)
		return cert
	}
	before, oldCA := issue(), projectCA(t, a)
	require.NoError(t, before.CheckSignatureFrom(oldCA))

	requireStatus(t, http.StatusNoContent, a.post("/_stub/reset", nil))
	after, newCA := issue(), projectCA(t, a)
	assert.NotEqual(t, oldCA.Raw, newCA.Raw, "the reset project has a new CA")
	assert.NoError(t, after.CheckSignatureFrom(newCA), "signed by the new CA")
	assert.Error(t, after.CheckSignatureFrom(oldCA), "not by the old one")
}
