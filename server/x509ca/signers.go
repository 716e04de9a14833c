package x509ca

import (
	"bytes"
	"sync"

	"github.com/atlasstub/atlasstub/server/store"
)

// signers keeps each project's CA parsed, ready to sign: parsing an RSA-4096 PKCS#8 key checks
// and precomputes it, which cost a certificate a tenth of its time. An entry serves only the CA
// record it was parsed from, compared by certificate: a reset or an imported state that gives
// the project another CA is parsed afresh.
type signers struct {
	parsed sync.Map // project id → signer
}

func (c *signers) of(ca store.CertificateAuthority) (signer, error) {
	if cached, ok := c.parsed.Load(ca.ProjectID); ok && bytes.Equal(cached.(signer).certificate.Raw, ca.CertificateDER) {
		return cached.(signer), nil
	}
	s, err := parseAuthority(ca)
	if err != nil {
		return signer{}, err
	}
	c.parsed.Store(ca.ProjectID, s)
	return s, nil
}
