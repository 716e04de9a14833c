package client

import (
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
)

// Certificate is an Atlas-managed X.509 certificate of a database user, as its creation returns
// it: PEM text with the certificate followed by its unencrypted PKCS#8 private key. Atlas keeps
// no copy of the key; this response is the only place it appears.
type Certificate struct {
	// PEM is the response as it came: the certificate, then the private key.
	PEM []byte
	// X509 is the parsed certificate; its subject is CN=<username>.
	X509 *x509.Certificate
	// PrivateKey is the certificate's key (*rsa.PrivateKey for Atlas's RSA-4096 keys).
	PrivateKey crypto.PrivateKey
}

// ParseCertificate splits PEM text of a certificate and its private key, such as a saved
// certificate response, and checks that the key belongs to the certificate.
func ParseCertificate(pemData []byte) (*Certificate, error) {
	pair, err := tls.X509KeyPair(pemData, pemData)
	if err != nil {
		return nil, fmt.Errorf("client: parse the certificate PEM: %w", err)
	}
	// X509KeyPair fills pair.Leaf only by default: GODEBUG=x509keypairleaf=0 leaves it nil.
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	if err != nil {
		return nil, fmt.Errorf("client: parse the certificate PEM: %w", err)
	}
	return &Certificate{PEM: pemData, X509: leaf, PrivateKey: pair.PrivateKey}, nil
}

// TLSCertificate returns the certificate and key for a TLS client, such as the MongoDB Go driver's
// tls.Config.Certificates, to authenticate as the database user with MONGODB-X509.
func (c *Certificate) TLSCertificate() tls.Certificate {
	return tls.Certificate{Certificate: [][]byte{c.X509.Raw}, PrivateKey: c.PrivateKey, Leaf: c.X509}
}

// decodeCertificate reads the response of a certificate creation.
func decodeCertificate(resp *http.Response, err error) (*Certificate, error) {
	body, err := readSuccess(resp, err)
	if err != nil {
		return nil, err
	}
	cert, err := ParseCertificate(body)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", describe(resp), err)
	}
	return cert, nil
}
