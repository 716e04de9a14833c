// Package server is the stub: one Echo application that routes every request to its operation
// in the specification, negotiates the version, authenticates and authorizes the caller,
// validates the request, calls a thin handler over the store, and shapes and (in strict mode)
// validates the response. The steps live in pipeline and authz, the handlers in handlers/ (the
// Atlas subset, a package per resource) and control (the control API); docs/architecture.md
// draws the way.
package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/authz"
	"github.com/atlasstub/atlasstub/server/clock"
	"github.com/atlasstub/atlasstub/server/control"
	"github.com/atlasstub/atlasstub/server/engine"
	"github.com/atlasstub/atlasstub/server/pipeline"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// Config configures a stub server.
type Config struct {
	// Bootstrap fixes the ids and credentials of the bootstrap organization, project, API key and
	// service account; empty fields are generated.
	Bootstrap Bootstrap
	// Strict validates every response against the specification and turns a mismatch into a
	// 500 UNEXPECTED_ERROR.
	Strict bool
	// OnContractViolation, when set, is told about every response that violates the
	// specification (strict mode only); tests use it to fail loudly.
	OnContractViolation func(error)
	// KeyType is the type of certificate and CA keys (default RSA-4096, as Atlas).
	KeyType x509ca.KeyType
	// KeyPoolSize is how many keys are generated ahead of time.
	KeyPoolSize int
	// Keys, when set, hands out the certificate and CA keys instead of a pool of KeyType keys;
	// benchmarks use it to measure issuance with a pool that is always warm.
	Keys x509ca.KeySource
	// Backend keeps the state (default: in memory).
	Backend store.Backend
	// Clock is the stub's time (default: real time).
	Clock *clock.Clock
	// Logger receives the access log and the stub's own messages (default: slog.Default()).
	Logger *slog.Logger
	// TrustForwardedFor takes the caller's address, which API access lists check, from the
	// X-Forwarded-For header instead of the TCP peer. Only for a stub behind a trusted proxy.
	TrustForwardedFor bool
	// Transition is how long the generic engine's resources stay CREATING, UPDATING or DELETING
	// on the stub's clock (default engine.DefaultTransition; negative for no time at all).
	Transition time.Duration
	// Preload loads the official specification in the background as the stub starts, so that
	// the first request of an official operation does not wait for it. Without it, the first such
	// request loads it.
	Preload bool
}

// Server is a running stub: an http.Handler over the stub's state.
type Server struct {
	echo      *echo.Echo
	store     *store.Store
	clock     *clock.Clock
	pool      *x509ca.KeyPool // nil when Config.Keys is set
	issuer    *x509ca.Issuer
	tokens    *auth.Tokens
	nonces    *auth.Nonces
	engine    *engine.Engine
	bootstrap Bootstrap
	log       *slog.Logger
}

// New builds a stub from cfg and creates its bootstrap state.
func New(cfg Config) (*Server, error) {
	routes, err := pipeline.SpecRouter()
	if err != nil {
		return nil, err
	}
	routes = routes.WithOfficial(engine.Routes)
	if cfg.Preload {
		go func() { _, _ = engine.LoadSpec() }()
	}
	switch {
	case cfg.Transition == 0:
		cfg.Transition = engine.DefaultTransition
	case cfg.Transition < 0:
		cfg.Transition = 0
	}
	if cfg.KeyType == "" {
		cfg.KeyType = x509ca.RSA4096
	}
	if cfg.Backend == nil {
		cfg.Backend = store.NewMemory()
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.New()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	bootstrap, err := completeBootstrap(cfg.Bootstrap, cfg.Clock.Now())
	if err != nil {
		return nil, err
	}
	s := &Server{
		store:     store.New(cfg.Backend, cfg.Clock.Now),
		clock:     cfg.Clock,
		tokens:    auth.NewTokens(cfg.Clock.Now),
		nonces:    auth.NewNonces(cfg.Clock.Now),
		bootstrap: bootstrap,
		log:       cfg.Logger,
	}
	if err := s.createBootstrapState(); err != nil {
		return nil, fmt.Errorf("create the bootstrap state: %w", err)
	}
	keys := cfg.Keys
	if keys == nil {
		s.pool = x509ca.NewKeyPool(cfg.KeyType, cfg.KeyPoolSize)
		keys = s.pool
	}
	s.issuer = x509ca.NewIssuer(s.store, keys)
	s.engine = engine.New(s.store, cfg.Transition)
	s.echo = s.newEcho(routes, cfg)
	return s, nil
}

func (s *Server) newEcho(routes *pipeline.Router, cfg Config) *echo.Echo {
	gate := &authz.Gatekeeper{Store: s.store, Nonces: s.nonces, Tokens: s.tokens, TrustForwardedFor: cfg.TrustForwardedFor}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = pipeline.WriteError
	e.Pre(pipeline.IgnoreTrailingSlash)
	e.Use(
		middleware.RequestID(),
		pipeline.AccessLog(s.log),
		pipeline.RecoverAsUnexpectedError(s.log),
		pipeline.ShapeResponses(pipeline.ResponseChecker{Strict: cfg.Strict, Log: s.log, OnViolation: cfg.OnContractViolation}),
		routes.Match,
		pipeline.NegotiateVersion,
		gate.Authenticate,
		pipeline.AcceptJSONBodies,
		pipeline.ValidateRequests,
		gate.Authorize,
		s.engine.Serve,
	)
	atlasapi.RegisterHandlers(e, atlasapi.NewStrictHandler(newAtlasHandlers(s.store, s.issuer, s.tokens), nil))
	stubapi.RegisterHandlers(e, stubapi.NewStrictHandler(control.New(s), nil))
	return e
}

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.echo.ServeHTTP(w, r) }

// Bootstrap returns the bootstrap ids and credentials.
func (s *Server) Bootstrap() Bootstrap { return s.bootstrap }

// Clock returns the stub's clock.
func (s *Server) Clock() *clock.Clock { return s.clock }

// ProjectCA returns the PEM certificate of a project's CA.
func (s *Server) ProjectCA(projectID string) ([]byte, error) { return s.issuer.AuthorityPEM(projectID) }

// Close stops the key pool and closes the store.
func (s *Server) Close() error {
	if s.pool != nil {
		s.pool.Close()
	}
	return s.store.Close()
}
