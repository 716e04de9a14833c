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
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/pipeline"
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
}

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
	const command = "atlasstub serve"
	fs := newFlagSet(command, serveSynopsis)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on; :0 picks a free port (ATLASSTUB_ADDR)")
	fs.StringVar(&o.credentialsOut, "credentials-out", "", "write the bootstrap credentials as JSON to this file (ATLASSTUB_CREDENTIALS_OUT)")
	fs.StringVar(&o.seed, "seed", "", "read the bootstrap ids and credentials from this JSON file (ATLASSTUB_SEED)")
	fs.BoolVar(&o.strict, "strict", false, "validate every response against the specification; a mismatch becomes a 500 (ATLASSTUB_STRICT)")
	fs.StringVar(&o.keyType, "key-type", string(x509ca.RSA4096), fmt.Sprintf("certificate key type, one of %v (ATLASSTUB_KEY_TYPE)", x509ca.KeyTypes))
	fs.IntVar(&o.keyPool, "key-pool", 8, "keys generated ahead of time (ATLASSTUB_KEY_POOL)")
	fs.BoolVar(&o.trustForwarded, "trust-forwarded-for", false, "take the caller's address for API access lists from X-Forwarded-For, behind a trusted proxy (ATLASSTUB_TRUST_FORWARDED_FOR)")
	fs.StringVar(&o.logFormat, "log-format", "auto", "log format: auto (text on a terminal, JSON otherwise), json or text (ATLASSTUB_LOG_FORMAT)")
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
	listener, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return startError{err}
	}
	stub, err := server.New(server.Config{
		Bootstrap:         bootstrap,
		Strict:            opts.strict,
		KeyType:           keyType,
		KeyPoolSize:       opts.keyPool,
		Logger:            logger,
		TrustForwardedFor: opts.trustForwarded,
	})
	if err != nil {
		listener.Close()
		return startError{err}
	}
	defer stub.Close()
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
	logger.Info("serving", "baseUrl", creds.BaseUrl, "keyType", keyType, "strict", opts.strict)

	srv := &http.Server{Handler: stub, ReadHeaderTimeout: 10 * time.Second}
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

// baseURL is the URL that clients reach the stub at on addr. A listener on an unspecified
// address (":0", "0.0.0.0", "[::]") has no host that a client could dial; it serves the IPv4
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
