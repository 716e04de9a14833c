// Package stubtest runs an in-process atlasstub for Go tests, in the spirit of net/http/httptest:
//
//	stub := stubtest.New(t)
//	project, err := stub.Client().GetGroup(ctx, stub.Credentials.ProjectId, nil)
//
// Client is the typed client of package client, signed in as the bootstrap service account. To
// send requests of your own, sign them (DigestClient, Token) and ask for a version, as Atlas
// requires: a request without a versioned Accept header gets 406 INVALID_VERSION_DATE.
//
//	req, _ := http.NewRequest("GET", stub.URL+"/api/atlas/v2/groups/"+stub.Credentials.ProjectId, nil)
//	req.Header.Set("Accept", "application/vnd.atlas.2023-01-01+json")
//	resp, err := stub.DigestClient().Do(req)
//
// The stub listens on a loopback port, validates every response against the specification
// (a mismatch fails the test), uses fast ECDSA keys for certificates, applies Atlas's rate limits
// (WithRateLimits turns them off), writes a line per request to the test's log (shown when the
// test fails, or with go test -v), and stops when the test ends. Fail, Delay, SlowBody and
// DropConnection inject faults (see faults.go).
package stubtest

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mongodb-forks/digest"

	"github.com/atlasstub/atlasstub/client"
	"github.com/atlasstub/atlasstub/client/oauthtoken"
	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/limits"
	"github.com/atlasstub/atlasstub/server/pipeline"
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

	t    testing.TB
	stop func()
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

// WithLogger sends the stub's log to logger instead of the test's log.
func WithLogger(logger *slog.Logger) Option { return func(c *server.Config) { c.Logger = logger } }

// WithJournalSize makes the stub's journal keep the last n exchanges; negative turns it off.
func WithJournalSize(n int) Option { return func(c *server.Config) { c.JournalSize = n } }

// WithRateLimits applies Atlas's rate limits (limits.Atlas, the default) or none (limits.Off).
// With Atlas's, the token endpoint mints ten tokens a minute per service account: a test that
// mints more with one stub either advances the clock a minute (Advance) or opts out with
// limits.Off, knowingly.
func WithRateLimits(mode limits.Mode) Option { return func(c *server.Config) { c.RateLimits = mode } }

// WithLatency slows down every request of the Atlas API, as atlasstub serve --latency does: by
// least when most is no later, else by a wait drawn from [least, most].
func WithLatency(least, most time.Duration) Option {
	return func(c *server.Config) { c.Latency = latency(least, most) }
}

// New starts a stub for the test and stops it when the test ends.
func New(t testing.TB, opts ...Option) *Stub {
	t.Helper()
	cfg := server.Config{
		Strict:              true,
		OnContractViolation: func(err error) { t.Errorf("the stub answered against its specification: %v", err) },
		KeyType:             x509ca.ECDSAP256,
		KeyPoolSize:         2,
		Logger:              slog.New(pipeline.NewConsoleHandler(testWriter{t}, slog.LevelInfo)),
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
	stop := sync.OnceFunc(func() {
		ts.Close()
		_ = s.Close()
	})
	t.Cleanup(stop)
	return &Stub{URL: ts.URL, Credentials: s.Bootstrap(), Server: s, t: t, stop: stop}
}

// Client returns the typed client of package client, signed in as the bootstrap service account
// (OAuth 2.0 client credentials). It asks for each operation's newest version, reads every error
// as a *client.APIError, and mints a new token when the stub refuses one (after Reset or an
// Advance past its hour).
func (s *Stub) Client(opts ...client.Option) *client.Client {
	s.t.Helper()
	account := s.Credentials.ServiceAccount
	c, err := client.New(s.URL, append([]client.Option{client.WithServiceAccount(account.ClientId, account.ClientSecret)}, opts...)...)
	if err != nil {
		s.t.Fatalf("stubtest: a client of the stub: %v", err)
	}
	return c
}

// Reset drops all state and puts the clock back, then recreates the bootstrap organization,
// project and credentials with the same ids and secrets, as POST /_stub/reset does: for tests
// that share one stub and each want a fresh one.
func (s *Stub) Reset() {
	s.t.Helper()
	if err := s.Server.Reset(); err != nil {
		s.t.Fatalf("stubtest: reset the stub: %v", err)
	}
}

// Close stops the stub before the test ends, as a test that restarts a stub on the same data
// directory needs: the directory is free once Close returns.
func (s *Stub) Close() { s.stop() }

// Advance moves the stub's clock forward by d. It panics when d would take the clock past
// clock.Latest, the year 2106, which no test means to do.
func (s *Stub) Advance(d time.Duration) {
	if _, err := s.Server.AdvanceClock(d); err != nil {
		panic("stubtest: advance the clock by " + d.String() + ": " + err.Error())
	}
}

// DigestClient returns an HTTP client that authenticates with the bootstrap API key over HTTP
// Digest, as the Atlas SDKs do. It only signs: the requests still name a version with a
// versioned Accept header, as Atlas requires.
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

// testWriter sends the stub's log to the test's log, a call per line.
type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}
