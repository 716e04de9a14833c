package x509ca

import (
	"bytes"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/server/ids"
	"github.com/atlasstub/atlasstub/server/store"
)

// Issuer issues managed certificates from the projects' CAs, which it keeps in the store.
type Issuer struct {
	store   *store.Store
	keys    KeySource
	signers signers
}

// NewIssuer returns an issuer whose CA and certificate keys come from keys.
func NewIssuer(s *store.Store, keys KeySource) *Issuer { return &Issuer{store: s, keys: keys} }

// Issued is a new certificate: its record, and the PEM text of the certificate followed by its
// unencrypted PKCS#8 private key, which the stub no longer keeps: the transaction that records
// the certificate spends the key from the pool.
type Issued struct {
	Certificate store.Certificate
	PEM         []byte
}

// Issue issues a certificate for the MANAGED user username, valid for months from now, signed
// by the project's CA, and records it. The specification bounds months (1 to 24), and the
// request's validation has applied its bounds.
func (i *Issuer) Issue(projectID, username string, months int) (Issued, error) {
	var (
		now   time.Time
		ca    store.CertificateAuthority
		found bool
	)
	err := i.store.View(func(tx *store.Tx) (err error) {
		if _, err = tx.ManagedCertificateHolder(projectID, username); err != nil {
			return err
		}
		now = tx.Now().Truncate(time.Second)
		ca, found, err = tx.CertificateAuthority(projectID)
		return err
	})
	if err == nil && !found {
		ca, err = i.Authority(projectID)
	}
	if err != nil {
		return Issued{}, err
	}
	notAfter := now.AddDate(0, months, 0)
	parent, err := i.signers.of(ca)
	if err != nil {
		return Issued{}, err
	}
	key, err := i.keys.Get()
	if err != nil {
		return Issued{}, fmt.Errorf("generate a certificate key: %w", err)
	}
	serial := ids.CertificateSerial()
	// A MANAGED username is a plain name or exactly CN=<name>; either way the name is the
	// common name.
	subject := pkix.Name{CommonName: strings.TrimPrefix(username, "CN=")}
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(serial),
		Subject:               subject,
		NotBefore:             now,
		NotAfter:              notAfter,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		BasicConstraintsValid: true,
		SignatureAlgorithm:    sha256Signature(parent.key),
	}
	if _, ok := key.Signer.(*rsa.PrivateKey); ok {
		template.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	der, err := x509.CreateCertificate(rand.Reader, template, parent.certificate, key.Public(), parent.key)
	if err != nil {
		return Issued{}, fmt.Errorf("sign the certificate of %s: %w", username, err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key.Signer)
	if err != nil {
		return Issued{}, err
	}
	record := store.Certificate{
		ProjectID: projectID,
		Username:  username,
		Serial:    serial,
		Subject:   subject.String(),
		CreatedAt: now,
		NotAfter:  notAfter,
	}
	err = i.store.Update(func(tx *store.Tx) error {
		if err := tx.AddCertificate(record); err != nil {
			return err
		}
		return key.spend(tx)
	})
	if err != nil {
		return Issued{}, err
	}
	out := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	out = append(out, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER})...)
	return Issued{Certificate: record, PEM: out}, nil
}

// Authority returns the CA of a project, creating it on first use.
func (i *Issuer) Authority(projectID string) (store.CertificateAuthority, error) {
	var (
		ca    store.CertificateAuthority
		found bool
		now   time.Time
	)
	err := i.store.View(func(tx *store.Tx) error {
		var err error
		ca, found, err = tx.CertificateAuthority(projectID)
		now = tx.Now()
		return err
	})
	if err != nil || found {
		return ca, err
	}
	key, err := i.keys.Get()
	if err != nil {
		return store.CertificateAuthority{}, fmt.Errorf("generate a CA key: %w", err)
	}
	created, err := newAuthority(projectID, now, key.Signer)
	if err != nil {
		return store.CertificateAuthority{}, err
	}
	// Another request may have created the CA meanwhile; the store keeps the first one, and the
	// key of the other stays in the store's pool, never handed out.
	err = i.store.Update(func(tx *store.Tx) error {
		if ca, err = tx.SetCertificateAuthority(created); err != nil || !bytes.Equal(ca.CertificateDER, created.CertificateDER) {
			return err
		}
		return key.spend(tx)
	})
	return ca, err
}

// AuthorityPEM returns the CA certificate of a project as PEM, creating the CA on first use.
func (i *Issuer) AuthorityPEM(projectID string) ([]byte, error) {
	ca, err := i.Authority(projectID)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.CertificateDER}), nil
}
