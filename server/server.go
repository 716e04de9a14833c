// Package server is the stub: one Echo application that routes every request to its operation
// in the specification, negotiates the version, authenticates and authorizes the caller,
// validates the request, calls a thin handler over the store, and shapes and (in strict mode)
// validates the response. The steps live in pipeline and authz, the handlers in handlers/ (the
// Atlas subset, a package per resource) and control (the control API); docs/architecture.md
// draws the way.
package server

import (
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/authz"
	"github.com/atlasstub/atlasstub/server/clock"
	"github.com/atlasstub/atlasstub/server/control"
	"github.com/atlasstub/atlasstub/server/engine"
	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/journal"
	"github.com/atlasstub/atlasstub/server/limits"
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
	// KeyPoolSize is how many keys the pool keeps ready; under demand it keeps up to four times
	// as many (x509ca.KeyPool).
	KeyPoolSize int
	// Keys, when set, hands out the certificate and CA keys instead of a pool of KeyType keys;
	// benchmarks use it to measure issuance with a pool that is always warm.
	Keys x509ca.KeySource
	// Backend keeps the state (default: in memory). A stub resumes the state a backend holds, as
	// a durable one does after a restart: its records, bootstrap credentials and clock offset.
	Backend store.Backend
	// InitialState is the state to start from when the backend holds none (serve --state);
	// nil starts from the bootstrap state.
	InitialState *stubapi.State
	// Clock is the stub's time (default: real time).
	Clock *clock.Clock
	// Logger receives the access log and the stub's own messages (default: slog.Default()).
	Logger *slog.Logger
	// TrustForwardedFor takes the caller's address, which API access lists check, from the
	// X-Forwarded-For header instead of the TCP peer. Only for a stub behind a trusted proxy.
	TrustForwardedFor bool
	// RemoteControl lets callers on other hosts use the control API under /_stub/, which hands
	// out the bootstrap ORG_OWNER credentials, drops all state and moves the clock. Without it
	// the control API answers loopback callers only.
	RemoteControl bool
	// ControlHosts are the host names, besides localhost and IP addresses, that the control API
	// answers to; a request with another Host is refused, against DNS rebinding.
	ControlHosts []string
	// MaxBodyBytes bounds request bodies: a larger one is refused with 413 before it is read
	// (default DefaultMaxBodyBytes).
	MaxBodyBytes int64
	// RateLimits applies Atlas's rate limits (limits.Atlas, the default) or none (limits.Off).
	RateLimits limits.Mode
	// Latency slows down every request of the Atlas API; fault rules add their own.
	Latency faults.Latency
	// Transition is how long the generic engine's resources stay CREATING, UPDATING or DELETING
	// on the stub's clock (default engine.DefaultTransition; negative for no time at all).
	Transition time.Duration
	// JournalSize is how many exchanges of the Atlas API the journal keeps for /_stub/requests and
	// the inspector (journal.DefaultSize when 0; negative turns the journal off).
	JournalSize int
	// Preload loads the official specification in the background as the stub starts, so that
	// the first request of an official operation does not wait for it. Without it, the first such
	// request loads it.
	Preload bool
}

// DefaultMaxBodyBytes is the default limit of a request body, 1 MiB: far above any request of
// the Atlas API (an access list of 200 entries or a bundle of customer CAs takes some tens of
// kilobytes), and small enough that concurrent huge bodies cannot exhaust memory.
const DefaultMaxBodyBytes = 1 << 20

// Server is a running stub: an http.Handler over the stub's state. Everything that defines the
// stub is in its store, the bootstrap credentials, the clock's offset and the token signing key
// included, so that a durable store brings it all back; the fields below hold what is read from
// the store once, or what lives only as long as the process (Digest nonces).
type Server struct {
	echo  *echo.Echo
	store *store.Store
	clock *clock.Clock
	pool  *x509ca.KeyPool // nil when Config.Keys is set
	// startPool starts the key pool's generators once the stub has answered its first request,
	// or poolDelay after it started, so that they do not slow down the start.
	startPool  func()
	startTimer *time.Timer
	issuer     *x509ca.Issuer
	tokens     *auth.Tokens
	nonces     *auth.Nonces
	limits     *limits.Limiter
	faults     *faults.Injector
	engine     *engine.Engine
	journal    *journal.Journal
	log        *slog.Logger
	resumed    bool
	preloaded  chan struct{}

	// stateMu serializes what replaces the state or moves the clock (reset, import, advance),
	// so that the store and the clock change in the same order.
	stateMu sync.Mutex

	mu        sync.RWMutex
	bootstrap Bootstrap // without the base URL
	baseURL   string
}

// Preloaded is closed once the official specification that Config.Preload loads in the
// background is loaded and the memory its parsing used is returned to the system; it is closed
// from the start without Preload.
func (s *Server) Preloaded() <-chan struct{} { return s.preloaded }

// New builds a stub from cfg over the state its backend holds, or, on a backend that holds
// none, over a new one: cfg.InitialState, else the bootstrap state.
func New(cfg Config) (*Server, error) {
	signingKey := prepareState()
	routes, err := pipeline.SpecRouter()
	if err != nil {
		return nil, err
	}
	routes = routes.WithOfficial(engine.Routes)
	preloaded := make(chan struct{})
	if cfg.Preload {
		go func() {
			defer close(preloaded)
			_, _ = engine.LoadSpec()
			debug.FreeOSMemory()
		}()
	} else {
		close(preloaded)
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
	if cfg.MaxBodyBytes <= 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.JournalSize == 0 {
		cfg.JournalSize = journal.DefaultSize
	}
	if cfg.RateLimits == "" {
		cfg.RateLimits = limits.Atlas
	}
	s := &Server{
		store:     store.New(cfg.Backend, cfg.Clock.Now),
		clock:     cfg.Clock,
		tokens:    auth.NewTokens(cfg.Clock.Now),
		nonces:    auth.NewNonces(cfg.Clock.Now),
		log:       cfg.Logger,
		journal:   journal.New(cfg.JournalSize, pipeline.Verdicts),
		preloaded: preloaded,
	}
	if err := s.openState(cfg.Bootstrap, cfg.InitialState, signingKey); err != nil {
		return nil, err
	}
	keys := cfg.Keys
	if keys == nil {
		if s.pool, err = x509ca.NewKeyPool(cfg.KeyType, cfg.KeyPoolSize, s.store); err != nil {
			return nil, err
		}
		keys = s.pool
		s.startPool = sync.OnceFunc(s.pool.Start)
		s.startTimer = time.AfterFunc(poolDelay, s.startPool)
	}
	s.issuer = x509ca.NewIssuer(s.store, keys)
	s.engine = engine.New(s.store, cfg.Transition)
	s.echo = s.newEcho(routes, cfg)
	return s, nil
}

func (s *Server) newEcho(routes *pipeline.Router, cfg Config) *echo.Echo {
	gate := &authz.Gatekeeper{Store: s.store, Nonces: s.nonces, Tokens: s.tokens, TrustForwardedFor: cfg.TrustForwardedFor}
	controlGuard := &authz.ControlGuard{AllowRemote: cfg.RemoteControl, Hosts: cfg.ControlHosts, TrustForwardedFor: cfg.TrustForwardedFor}
	s.limits = limits.New(cfg.RateLimits, s.clock.Now, gate.CallerAddress)
	s.faults = faults.NewInjector(cfg.Latency, atlasDocument(routes), officialDocument)
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.HTTPErrorHandler = pipeline.WriteError
	e.Pre(pipeline.IgnoreTrailingSlash)
	e.Use(
		pipeline.SecurityHeaders,
		middleware.RequestID(),
		pipeline.AccessLog(s.log),
		pipeline.RecoverAsUnexpectedError(s.log),
		pipeline.RecordExchanges(s.journal),
		control.StreamRequests(s.journal, controlGuard.Guard),
		pipeline.ShapeResponses(pipeline.ResponseChecker{Strict: cfg.Strict, Log: s.log, OnViolation: cfg.OnContractViolation}),
		controlGuard.Guard,
		pipeline.LimitBodies(cfg.MaxBodyBytes),
		routes.Match,
		s.limits.Step,
		s.faults.Step,
		pipeline.NegotiateVersion,
		gate.Authenticate,
		pipeline.AcceptJSONBodies,
		pipeline.ReadNullsAsAbsent,
		pipeline.ValidateRequests,
		gate.Authorize,
		s.engine.Serve,
	)
	atlasapi.RegisterHandlers(e, atlasapi.NewStrictHandler(newAtlasHandlers(s.store, s.issuer, s.tokens), nil))
	stubapi.RegisterHandlers(e, stubapi.NewStrictHandler(control.New(s), nil))
	return e
}

// poolDelay is how long the key pool waits for the stub's first request before it starts
// generating anyway: long enough for a stub to start, short against an RSA-4096 key.
const poolDelay = time.Second

// ServeHTTP serves one request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.echo.ServeHTTP(w, r)
	if s.startPool != nil {
		s.startPool()
	}
}

// Bootstrap returns the bootstrap ids and credentials.
func (s *Server) Bootstrap() Bootstrap {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b := s.bootstrap
	b.BaseUrl = s.baseURL
	return b
}

// Resumed reports whether the stub found its state in the backend, kept by a stub before it,
// rather than creating it.
func (s *Server) Resumed() bool { return s.resumed }

// Faults returns the stub's fault rules.
func (s *Server) Faults() *faults.Injector { return s.faults }

// Clock returns the stub's clock.
func (s *Server) Clock() *clock.Clock { return s.clock }

// ProjectCA returns the PEM certificate of a project's CA.
func (s *Server) ProjectCA(projectID string) ([]byte, error) { return s.issuer.AuthorityPEM(projectID) }

// Close ends the journal's streams, stops the key pool and closes the store.
func (s *Server) Close() error {
	s.journal.Close()
	if s.pool != nil {
		s.startTimer.Stop()
		s.pool.Close()
	}
	return s.store.Close()
}

// atlasDocument is the curated specification, whose operations and tags fault rules may name.
func atlasDocument(routes *pipeline.Router) faults.Document {
	return func() (*openapi3.T, error) { return routes.AtlasDocument(), nil }
}

// officialDocument is the official specification, whose operations and tags fault rules may
// name too: the engine serves them.
func officialDocument() (*openapi3.T, error) {
	spec, err := engine.LoadSpec()
	if err != nil {
		return nil, err
	}
	return spec.Doc, nil
}
