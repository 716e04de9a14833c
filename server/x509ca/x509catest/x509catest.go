// Package x509catest holds what the certificate benchmarks measure the stub against: a key
// pool that never runs dry, the raw work of issuing a certificate, and the median they report.
package x509catest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/atlasstub/atlasstub/server/x509ca"
)

// WarmKeys hands out a few keys generated beforehand, round robin: a key pool (an
// x509ca.KeySource) that never runs dry.
type WarmKeys struct {
	keys []crypto.Signer
	next atomic.Uint64
}

// NewWarmKeys generates n keys of keyType.
func NewWarmKeys(tb testing.TB, keyType x509ca.KeyType, n int) *WarmKeys {
	w := &WarmKeys{}
	for range n {
		key, err := keyType.Generate()
		if err != nil {
			tb.Fatal(err)
		}
		w.keys = append(w.keys, key)
	}
	return w
}

// Next returns the next key.
func (w *WarmKeys) Next() crypto.Signer { return w.keys[w.next.Add(1)%uint64(len(w.keys))] }

// Get returns the next key, as a key pool does.
func (w *WarmKeys) Get() (x509ca.Key, error) { return x509ca.Key{Signer: w.Next()}, nil }

// RawWork is what issuing a certificate cannot do without: sign it with a CA's key, and encode
// the leaf key as PKCS#8.
type RawWork struct {
	ca    *x509.Certificate
	caKey crypto.Signer
}

// NewRawWork makes a CA of caKey to sign with.
func NewRawWork(tb testing.TB, caKey crypto.Signer) *RawWork {
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "raw CA"},
		NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, caKey.Public(), caKey)
	if err != nil {
		tb.Fatal(err)
	}
	ca, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	return &RawWork{ca: ca, caKey: caKey}
}

// Issue signs a certificate of leaf's public key, as the stub's are, and encodes leaf.
func (r *RawWork) Issue(tb testing.TB, leaf crypto.Signer) {
	template := &x509.Certificate{
		SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "raw"},
		NotBefore: time.Now(), NotAfter: time.Now().AddDate(0, 3, 0),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if _, ok := leaf.(*rsa.PrivateKey); ok {
		template.KeyUsage |= x509.KeyUsageKeyEncipherment
	}
	if _, err := x509.CreateCertificate(rand.Reader, template, r.ca, leaf.Public(), r.caKey); err != nil {
		tb.Fatal(err)
	}
	if _, err := x509.MarshalPKCS8PrivateKey(leaf); err != nil {
		tb.Fatal(err)
	}
}

// Median is the median of times, which must not be empty.
func Median(times []time.Duration) time.Duration {
	sorted := slices.Sorted(slices.Values(times))
	return sorted[len(sorted)/2]
}
