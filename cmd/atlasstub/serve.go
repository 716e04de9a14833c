package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/engine"
	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/journal"
	"github.com/atlasstub/atlasstub/server/limits"
	"github.com/atlasstub/atlasstub/server/pipeline"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// serveOptions are the flags of `atlasstub serve`; each has an ATLASSTUB_* environment
// equivalent, which the flag overrides.
type serveOptions struct {
	addr           string
	credentialsOut string
	seed           string
	strict         bool
	keyType        string
	keyPool        int
	logFormat      string
	trustForwarded bool
	remoteControl  bool
	allowedHosts   string
	maxBodyBytes   int64
	// timeouts are not flags; tests shorten them.
	timeouts   httpTimeouts
	rateLimits limits.Mode
	latency    faults.Latency
	dataDir    string
	state      string
	transition time.Duration
	preload    bool
	// journalSize is how many exchanges the journal keeps; 0 turns it off.
	journalSize int
}

// httpTimeouts bound how long the HTTP server waits for a client.
type httpTimeouts struct {
	// readHeader bounds the reading of a request's headers, read that of its headers and body.
	readHeader, read time.Duration
	// write bounds the time from the end of the headers to the end of the response, the
	// handler's work included.
	write time.Duration
	// idle bounds how long a keep-alive connection waits for its next request.
	idle time.Duration
}

// serveTimeouts let go of a slow body or an idle connection, but never cut a legitimate slow
// request: the largest body (1 MiB) takes far less than 30 s even on a slow link; the slowest
// handler, an RSA-4096 certificate from a cold key pool, takes seconds, a few tens under load,
// far less than two minutes; and a keep-alive connection outlives the idle timeouts of common
// clients (Go's is 90 s), so that the client, which knows when it may safely retry, closes it
// first.
var serveTimeouts = httpTimeouts{readHeader: 10 * time.Second, read: 30 * time.Second, write: 2 * time.Minute, idle: 2 * time.Minute}

const serveSynopsis = `usage: atlasstub serve [flags]

Runs the stub server until SIGINT or SIGTERM. On start it prints its base URL and the bootstrap
credentials (an organization, a project, an ORG_OWNER API key and service account) to stdout;
the log (one line per request) goes to stderr. GET /_stub/health answers once it serves.

Exit status: 0 stopped by a signal; 1 the server failed while serving; 2 a usage error, bad input
(a seed file, a key type) or a server that could not start (an address in use).
`

// parseServeFlags reads the flags of `atlasstub serve`. ok is false when the command must stop,
// with status as its exit status (see parseFlags).
func parseServeFlags(args []string, stdout, stderr io.Writer) (o serveOptions, status int, ok bool) {
	o.timeouts = serveTimeouts
	const command = "atlasstub serve"
	fs := newFlagSet(command, serveSynopsis)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on; :0 picks a free port on 127.0.0.1, 0.0.0.0:8080 listens on every interface (ATLASSTUB_ADDR)")
	fs.StringVar(&o.credentialsOut, "credentials-out", "", "write the bootstrap credentials as JSON to this file (ATLASSTUB_CREDENTIALS_OUT)")
	fs.StringVar(&o.seed, "seed", "", "read the bootstrap ids and credentials from this JSON file (ATLASSTUB_SEED)")
	fs.BoolVar(&o.strict, "strict", false, "validate every response against the specification; a mismatch becomes a 500 (ATLASSTUB_STRICT)")
	fs.StringVar(&o.keyType, "key-type", string(x509ca.RSA4096), fmt.Sprintf("certificate key type, one of %v (ATLASSTUB_KEY_TYPE)", x509ca.KeyTypes))
	fs.IntVar(&o.keyPool, "key-pool", 8, "keys generated ahead of time (ATLASSTUB_KEY_POOL)")
	fs.BoolVar(&o.trustForwarded, "trust-forwarded-for", false, "take the caller's address for API access lists from X-Forwarded-For, behind a trusted proxy (ATLASSTUB_TRUST_FORWARDED_FOR)")
	o.rateLimits = limits.Atlas
	fs.Func("rate-limits", fmt.Sprintf("Atlas's rate limits, one of %v; default atlas (ATLASSTUB_RATE_LIMITS)", limits.Modes), func(s string) (err error) {
		o.rateLimits, err = limits.ParseMode(s)
		return err
	})
	fs.Func("latency", "slow down every request of the Atlas API: 200ms, or a range drawn from such as 20ms..80ms (ATLASSTUB_LATENCY)", func(s string) (err error) {
		o.latency, err = faults.ParseLatency(s)
		return err
	})
	fs.StringVar(&o.dataDir, "data-dir", "", "keep the state in this directory, where a restarted stub finds it; without it the state lives in memory (ATLASSTUB_DATA_DIR)")
	fs.StringVar(&o.state, "state", "", "start from this state, as GET /_stub/state exports it; with --data-dir only when the directory holds no state yet (ATLASSTUB_STATE)")
	fs.DurationVar(&o.transition, "transition", engine.DefaultTransition, "how long the generic engine's resources stay CREATING, UPDATING or DELETING; 0 for no time (ATLASSTUB_TRANSITION)")
	fs.BoolVar(&o.preload, "preload", true, "load the official specification in the background at start, so that the first generic request does not wait for it (ATLASSTUB_PRELOAD)")
	fs.StringVar(&o.logFormat, "log-format", "auto", "log format: auto (text on a terminal, JSON otherwise), json or text (ATLASSTUB_LOG_FORMAT)")
	fs.BoolVar(&o.remoteControl, "allow-remote-control", false, "let callers on other hosts use the control API under /_stub/, which needs no credentials and hands out the bootstrap ORG_OWNER API key and service-account secret, resets all state and moves the clock; without it, only callers on this machine may (ATLASSTUB_ALLOW_REMOTE_CONTROL)")
	fs.StringVar(&o.allowedHosts, "allowed-hosts", "", "comma-separated host names the control API answers to besides localhost, IP addresses and the --addr host; other Host headers are refused, against DNS rebinding (ATLASSTUB_ALLOWED_HOSTS)")
	fs.IntVar(&o.journalSize, "journal-size", journal.DefaultSize, "exchanges of the Atlas API the journal keeps for GET /_stub/requests and the inspector at /_stub/ui/; 0 turns it off (ATLASSTUB_JOURNAL_SIZE)")
	fs.Int64Var(&o.maxBodyBytes, "max-body-bytes", server.DefaultMaxBodyBytes, "largest request body accepted; a larger one is refused with 413 before it is read (ATLASSTUB_MAX_BODY_BYTES)")
	if status, ok := parseFlags(fs, "ATLASSTUB_", args, stdout, stderr); !ok {
		return o, status, false
	}
	switch {
	case fs.NArg() > 0:
		return o, usageError(stderr, command, fmt.Errorf("takes no arguments, got %q", fs.Args())), false
	case o.keyPool < 0:
		return o, usageError(stderr, command, fmt.Errorf("--key-pool must not be negative, got %d", o.keyPool)), false
	case o.logFormat != "auto" && o.logFormat != "json" && o.logFormat != "text":
		return o, usageError(stderr, command, fmt.Errorf("--log-format must be auto, json or text, got %q", o.logFormat)), false
	case o.maxBodyBytes <= 0:
		return o, usageError(stderr, command, fmt.Errorf("--max-body-bytes must be positive, got %d", o.maxBodyBytes)), false
	case o.journalSize < 0:
		return o, usageError(stderr, command, fmt.Errorf("--journal-size must not be negative, got %d", o.journalSize)), false
	case o.transition < 0:
		return o, usageError(stderr, command, fmt.Errorf("--transition must not be negative, got %s", o.transition)), false
	}
	return o, 0, true
}

// runServe runs the stub server until SIGINT or SIGTERM.
func runServe(args []string, stdout, stderr io.Writer) int {
	opts, status, ok := parseServeFlags(args, stdout, stderr)
	if !ok {
		return status
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := serve(ctx, opts, stdout, stderr)
	var notStarted startError
	switch {
	case errors.As(err, &notStarted):
		return badInput(stderr, "atlasstub serve", notStarted.err)
	case err != nil:
		fmt.Fprintln(stderr, "atlasstub serve:", err)
		return 1
	}
	return 0
}

// startError is why the server could not start: bad input, or an address it cannot listen on.
type startError struct{ err error }

func (e startError) Error() string { return e.err.Error() }
func (e startError) Unwrap() error { return e.err }

func serve(ctx context.Context, opts serveOptions, stdout, stderr io.Writer) error {
	logger := newLogger(opts.logFormat, stderr)
	keyType, err := x509ca.ParseKeyType(opts.keyType)
	if err != nil {
		return startError{err}
	}
	var bootstrap server.Bootstrap
	if opts.seed != "" {
		if bootstrap, err = server.ReadBootstrap(opts.seed); err != nil {
			return startError{err}
		}
	}
	var initial *stubapi.State
	if opts.state != "" {
		state, err := server.ReadState(opts.state)
		if err != nil {
			return err
		}
		initial = &state
	}
	backend, err := openBackend(opts.dataDir)
	if err != nil {
		return err
	}
	listener, err := net.Listen("tcp", listenAddress(opts.addr))
	if err != nil {
		backend.Close()
		return startError{err}
	}
	stub, err := server.New(server.Config{
		Bootstrap:         bootstrap,
		Strict:            opts.strict,
		KeyType:           keyType,
		KeyPoolSize:       opts.keyPool,
		Logger:            logger,
		TrustForwardedFor: opts.trustForwarded,
		RemoteControl:     opts.remoteControl,
		ControlHosts:      append(list(opts.allowedHosts), listenHostName(opts.addr)...),
		MaxBodyBytes:      opts.maxBodyBytes,
		RateLimits:        opts.rateLimits,
		Latency:           opts.latency,
		Backend:           backend,
		InitialState:      initial,
		Transition:        transition(opts.transition),
		Preload:           opts.preload,
		JournalSize:       journalSize(opts.journalSize),
	})
	if err != nil {
		listener.Close()
		backend.Close()
		return startError{err}
	}
	defer stub.Close()
	// Once the stub has parsed its specifications: their garbage is collected at Go's default
	// pace, and does not stay in the resident memory of a stub at rest.
	go func() {
		<-stub.Preloaded()
		tuneGC(ctx, os.Getenv, gcRetune)
	}()
	if initial != nil && stub.Resumed() {
		logger.Warn("the data directory holds a state already: --state was not loaded; PUT /_stub/state replaces the state", "dataDir", opts.dataDir, "state", opts.state)
	}
	stub.SetBaseURL(baseURL(listener.Addr()))
	creds := stub.Bootstrap()
	if opts.credentialsOut != "" {
		if err := server.WriteBootstrap(creds, opts.credentialsOut); err != nil {
			listener.Close()
			return startError{err}
		}
	}
	printed, _ := json.MarshalIndent(creds, "", "  ")
	fmt.Fprintf(stdout, "atlasstub is serving on %s\nbootstrap credentials:\n%s\n", creds.BaseUrl, printed)
	logger.Info("serving", "baseUrl", creds.BaseUrl, "keyType", keyType, "strict", opts.strict, "rateLimits", opts.rateLimits, "latency", opts.latency.String(), "dataDir", opts.dataDir, "resumed", stub.Resumed(), "inspector", creds.BaseUrl+"/_stub/ui/")
	warnBeyondLoopback(logger, listener.Addr(), opts.remoteControl)

	srv := &http.Server{
		Handler:           stub,
		ReadHeaderTimeout: opts.timeouts.readHeader,
		ReadTimeout:       opts.timeouts.read,
		WriteTimeout:      opts.timeouts.write,
		IdleTimeout:       opts.timeouts.idle,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(listener) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "reason", context.Cause(ctx).Error(), "grace", shutdownGrace.String())
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	logger.Info("stopped")
	return nil
}

// shutdownGrace is how long a stopping server waits for the requests in flight.
const shutdownGrace = 5 * time.Second

// listenAddress is addr with an empty host made the IPv4 loopback address: ":0", which the help
// suggests for a free port, listens on this machine only, as the base URL it prints says. An
// explicit host, 0.0.0.0 or [::] included, is taken as it is.
func listenAddress(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host != "" {
		return addr
	}
	return net.JoinHostPort("127.0.0.1", port)
}

// listenHostName returns the host of addr when it is a name, which the control API then answers
// to; an address needs no naming.
func listenHostName(addr string) []string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return nil
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return nil
	}
	return []string{host}
}

// warnBeyondLoopback warns when the stub listens where other hosts can reach it: they can use
// the Atlas API, whose bootstrap credentials are printed and, with remoteControl, read the
// credentials, reset the state and move the clock through the control API.
func warnBeyondLoopback(logger *slog.Logger, addr net.Addr, remoteControl bool) {
	if tcp, ok := addr.(*net.TCPAddr); !ok || tcp.IP.IsLoopback() {
		return
	}
	control := "the control API under /_stub/ still answers callers on this machine only"
	if remoteControl {
		control = "so can the control API under /_stub/ (--allow-remote-control): it hands out the bootstrap ORG_OWNER credentials, resets all state and moves the clock"
	}
	logger.Warn("listening beyond loopback: other hosts can reach the stub's Atlas API; "+control, "addr", addr.String())
}

// openBackend opens the data directory's state, or the in-memory backend without one.
func openBackend(dataDir string) (store.Backend, error) {
	if dataDir == "" {
		return store.NewMemory(), nil
	}
	return store.OpenDataDir(dataDir)
}

// transition is the --transition value as server.Config takes it, where 0 is the default and a
// negative duration none.
func transition(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}

// baseURL is the URL that clients reach the stub at on addr. A listener on an unspecified
// address ("0.0.0.0", "[::]") has no host that a client could dial; it serves the IPv4
// loopback address too, so the URL names that.
func baseURL(addr net.Addr) string {
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
	}
	return "http://" + addr.String()
}

func newLogger(format string, w io.Writer) *slog.Logger {
	if format == "auto" {
		format = "json"
		if isTerminal(w) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(pipeline.NewConsoleHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// journalSize is the server's configuration of a journal of n exchanges: 0, which turns it off
// on the command line, is negative there (0 is its default size).
func journalSize(n int) int {
	if n == 0 {
		return -1
	}
	return n
}
