// Package stubtest runs an in-process atlasstub for Go tests, in the spirit of net/http/httptest:
//
//	stub := stubtest.New(t)
//	resp, err := http.Get(stub.URL + "/api/atlas/v2/groups/" + stub.Credentials.ProjectId)
//
// The stub listens on a loopback port, validates every response against the specification
// (a mismatch fails the test), uses fast ECDSA keys for certificates, and stops when the test
// ends.
package stubtest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/mongodb-forks/digest"

	"github.com/atlasstub/atlasstub/client/oauthtoken"
	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// Stub is a running in-process stub.
type Stub struct {
	// URL is the base URL of the stub, such as http://127.0.0.1:43121.
	URL string
	// Credentials are the bootstrap organization, project, API key and service account.
	Credentials server.Bootstrap
	// Server is the stub itself, for its clock and state.
	Server *server.Server
}

// Option changes the configuration of a stub before it starts.
type Option func(*server.Config)

// WithKeyType makes the stub generate keys of type t (the default in tests is ECDSA P-256).
func WithKeyType(t x509ca.KeyType) Option { return func(c *server.Config) { c.KeyType = t } }

// WithTransition makes the generic engine's resources stay CREATING, UPDATING or DELETING for d
// of the stub's clock (negative: not at all).
func WithTransition(d time.Duration) Option { return func(c *server.Config) { c.Transition = d } }

// WithBootstrap fixes the bootstrap ids and credentials.
func WithBootstrap(b server.Bootstrap) Option { return func(c *server.Config) { c.Bootstrap = b } }

// New starts a stub for the test and stops it when the test ends.
func New(t testing.TB, opts ...Option) *Stub {
	t.Helper()
	cfg := server.Config{
		Strict:              true,
		OnContractViolation: func(err error) { t.Errorf("the stub answered against its specification: %v", err) },
		KeyType:             x509ca.ECDSAP256,
		KeyPoolSize:         2,
		Logger:              slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn})),
	}
	for _, opt := range opts {
		opt(&cfg)
	}
	s, err := server.New(cfg)
	if err != nil {
		t.Fatalf("stubtest: %v", err)
	}
	ts := httptest.NewServer(s)
	s.SetBaseURL(ts.URL)
	t.Cleanup(func() {
		ts.Close()
		_ = s.Close()
	})
	return &Stub{URL: ts.URL, Credentials: s.Bootstrap(), Server: s}
}

// Advance moves the stub's clock forward by d. It panics when d would take the clock past
// clock.Latest, the year 2106, which no test means to do.
func (s *Stub) Advance(d time.Duration) {
	if _, err := s.Server.Clock().Advance(d); err != nil {
		panic("stubtest: advance the clock by " + d.String() + ": " + err.Error())
	}
}

// DigestClient returns an HTTP client that authenticates with the bootstrap API key over HTTP
// Digest, as the Atlas SDKs do.
func (s *Stub) DigestClient() *http.Client {
	return &http.Client{Transport: digest.NewTransport(s.Credentials.ApiKey.PublicKey, s.Credentials.ApiKey.PrivateKey)}
}

// Token mints an access token for the bootstrap service account at the stub's token endpoint.
// It lasts an hour of the stub's clock.
func (s *Stub) Token(t testing.TB) string {
	t.Helper()
	account := s.Credentials.ServiceAccount
	token, err := oauthtoken.Mint(context.Background(), http.DefaultClient, s.URL, account.ClientId, account.ClientSecret)
	if err != nil {
		t.Fatalf("stubtest: mint a token: %v", err)
	}
	return token
}

// testWriter sends the stub's warnings and errors to the test log.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(string(p))
	return len(p), nil
}
