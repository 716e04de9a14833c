package client

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"iter"
	"log/slog"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// testStub is an in-process stub for the client's own tests, which cannot use server/stubtest:
// its Stub.Client is built on this package, so an internal test that imported it would close an
// import cycle. It is what these tests need of one: strict, with fast keys, and its clock.
type testStub struct {
	URL         string
	Credentials server.Bootstrap
	server      *server.Server
}

func newTestStub(t *testing.T) *testStub {
	t.Helper()
	s, err := server.New(server.Config{
		Strict:              true,
		OnContractViolation: func(err error) { t.Errorf("the stub answered against its specification: %v", err) },
		KeyType:             x509ca.ECDSAP256,
		KeyPoolSize:         2,
		Logger:              slog.New(slog.DiscardHandler),
	})
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	s.SetBaseURL(ts.URL)
	t.Cleanup(func() {
		ts.Close()
		_ = s.Close()
	})
	return &testStub{URL: ts.URL, Credentials: s.Bootstrap(), server: s}
}

// Advance moves the stub's clock forward by d.
func (s *testStub) Advance(d time.Duration) {
	if _, err := s.server.AdvanceClock(d); err != nil {
		panic(err)
	}
}

// fail adds a fault rule to the stub.
func (s *testStub) fail(t *testing.T, rule faults.Rule) faults.Rule {
	t.Helper()
	added, err := s.server.Faults().Add(rule)
	require.NoError(t, err)
	return added
}

// rule returns a fault rule as it stands now, with its counts.
func (s *testStub) rule(t *testing.T, id string) faults.Rule {
	t.Helper()
	rule, ok := s.server.Faults().Rule(id)
	require.True(t, ok, "no fault rule %s", id)
	return rule
}

// remove removes a fault rule.
func (s *testStub) remove(t *testing.T, id string) {
	t.Helper()
	require.True(t, s.server.Faults().Remove(id), "no fault rule %s", id)
}

// authKinds are the two ways to sign in, each with the stub's bootstrap credentials.
var authKinds = []struct {
	name   string
	option func(*testStub) Option
}{
	{"service account", bootstrapServiceAccount},
	{"API key", bootstrapAPIKey},
}

func bootstrapServiceAccount(stub *testStub) Option {
	return WithServiceAccount(stub.Credentials.ServiceAccount.ClientId, stub.Credentials.ServiceAccount.ClientSecret)
}

func bootstrapAPIKey(stub *testStub) Option {
	return WithAPIKey(stub.Credentials.ApiKey.PublicKey, stub.Credentials.ApiKey.PrivateKey)
}

// newStubClient starts a stub and returns a client of it, signed in with auth (nil for no
// credentials) and opts, over a transport that validates every request against the specification.
func newStubClient(t *testing.T, auth func(*testStub) Option, opts ...Option) (*Client, *testStub, *specTransport) {
	t.Helper()
	stub := newTestStub(t)
	spec := newSpecTransport(t)
	opts = append([]Option{WithHTTPClient(&http.Client{Transport: spec})}, opts...)
	if auth != nil {
		opts = append(opts, auth(stub))
	}
	c, err := New(stub.URL, opts...)
	require.NoError(t, err)
	return c, stub, spec
}

func ptr[T any](v T) *T { return &v }

// collect runs an iterator to its end and fails the test on an error.
func collect[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var items []T
	for item, err := range seq {
		require.NoError(t, err)
		items = append(items, item)
	}
	return items
}

// caPEM is a self-signed CA certificate, for a project's customer X.509 settings.
func caPEM(t *testing.T) string {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	template := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "customer CA"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}
