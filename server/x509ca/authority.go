package x509ca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"time"

	"github.com/atlasstub/atlasstub/server/ids"
	"github.com/atlasstub/atlasstub/server/store"
)

// authorityLifetime is how long a project CA is valid: long enough for every certificate it can
// sign (24 months at most, as the specification bounds them) however late in its life it signs them.
const authorityLifetime = 10 * 365 * 24 * time.Hour

// newAuthority creates the self-signed CA of a project around key.
func newAuthority(projectID string, now time.Time, key crypto.Signer) (store.CertificateAuthority, error) {
	template := &x509.Certificate{
		SerialNumber: big.NewInt(ids.CertificateSerial()),
		Subject: pkix.Name{
			CommonName:         projectID,
			Organization:       []string{"atlasstub"},
			OrganizationalUnit: []string{"Atlas-managed X.509 CA"},
		},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(authorityLifetime),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
		SignatureAlgorithm:    sha256Signature(key),
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, key.Public(), key)
	if err != nil {
		return store.CertificateAuthority{}, fmt.Errorf("create the CA of project %s: %w", projectID, err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return store.CertificateAuthority{}, err
	}
	return store.CertificateAuthority{ProjectID: projectID, CertificateDER: der, PrivateKeyDER: keyDER, CreatedAt: now}, nil
}

// signer is a stored CA ready to sign.
type signer struct {
	certificate *x509.Certificate
	key         crypto.Signer
}

// CheckAuthority checks that a CA record can sign: a CA certificate of its project, and the
// private key of that certificate.
func CheckAuthority(ca store.CertificateAuthority) error {
	s, err := parseAuthority(ca)
	if err != nil {
		return err
	}
	if !s.certificate.IsCA {
		return fmt.Errorf("the CA certificate of project %s is not a CA's", ca.ProjectID)
	}
	if s.certificate.Subject.CommonName != ca.ProjectID {
		return fmt.Errorf("the CA certificate of project %s names %q", ca.ProjectID, s.certificate.Subject.CommonName)
	}
	public, ok := s.key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !public.Equal(s.certificate.PublicKey) {
		return fmt.Errorf("the CA key of project %s is not its certificate's", ca.ProjectID)
	}
	return nil
}

func parseAuthority(ca store.CertificateAuthority) (signer, error) {
	cert, err := x509.ParseCertificate(ca.CertificateDER)
	if err != nil {
		return signer{}, fmt.Errorf("parse the CA of project %s: %w", ca.ProjectID, err)
	}
	key, err := x509.ParsePKCS8PrivateKey(ca.PrivateKeyDER)
	if err != nil {
		return signer{}, fmt.Errorf("parse the CA key of project %s: %w", ca.ProjectID, err)
	}
	s, ok := key.(crypto.Signer)
	if !ok {
		return signer{}, fmt.Errorf("the CA key of project %s cannot sign", ca.ProjectID)
	}
	return signer{certificate: cert, key: s}, nil
}

// sha256Signature picks the SHA-256 signature algorithm for the type of key.
func sha256Signature(key crypto.Signer) x509.SignatureAlgorithm {
	if _, ok := key.(*ecdsa.PrivateKey); ok {
		return x509.ECDSAWithSHA256
	}
	return x509.SHA256WithRSA
}
