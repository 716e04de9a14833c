// Package x509ca runs a certificate authority per project and issues the X.509 client
// certificates of MANAGED database users, as Atlas does.
package x509ca

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
)

// KeyType is the kind of key pair the stub generates for certificates and CAs.
type KeyType string

// The key types. Atlas uses RSA-4096; the others make load tests cheaper.
const (
	RSA4096   KeyType = "rsa-4096"
	RSA2048   KeyType = "rsa-2048"
	ECDSAP256 KeyType = "ecdsa-p256"
)

// KeyTypes lists the supported key types, the default first.
var KeyTypes = []KeyType{RSA4096, RSA2048, ECDSAP256}

// ParseKeyType accepts the name of a supported key type.
func ParseKeyType(name string) (KeyType, error) {
	for _, t := range KeyTypes {
		if string(t) == name {
			return t, nil
		}
	}
	return "", fmt.Errorf("unknown key type %q; want one of %v", name, KeyTypes)
}

// Generate creates a new private key of this type.
func (t KeyType) Generate() (crypto.Signer, error) {
	switch t {
	case RSA4096:
		return rsa.GenerateKey(rand.Reader, 4096)
	case RSA2048:
		return rsa.GenerateKey(rand.Reader, 2048)
	case ECDSAP256:
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	default:
		return nil, fmt.Errorf("unknown key type %q", t)
	}
}
