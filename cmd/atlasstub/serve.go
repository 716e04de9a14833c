package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
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

	"github.com/mattn/go-isatty"

	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/engine"
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
	transition     time.Duration
	preload        bool
}

func parseServeFlags(args []string, stderr io.Writer) (serveOptions, error) {
	var o serveOptions
	fs := flag.NewFlagSet("atlasstub serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on; :0 picks a free port (ATLASSTUB_ADDR)")
	fs.StringVar(&o.credentialsOut, "credentials-out", "", "write the bootstrap credentials as JSON to this file (ATLASSTUB_CREDENTIALS_OUT)")
	fs.StringVar(&o.seed, "seed", "", "read the bootstrap ids and credentials from this JSON file (ATLASSTUB_SEED)")
	fs.BoolVar(&o.strict, "strict", false, "validate every response against the specification; a mismatch becomes a 500 (ATLASSTUB_STRICT)")
	fs.StringVar(&o.keyType, "key-type", string(x509ca.RSA4096), fmt.Sprintf("certificate key type, one of %v (ATLASSTUB_KEY_TYPE)", x509ca.KeyTypes))
	fs.IntVar(&o.keyPool, "key-pool", 8, "keys generated ahead of time (ATLASSTUB_KEY_POOL)")
	fs.BoolVar(&o.trustForwarded, "trust-forwarded-for", false, "take the caller's address for API access lists from X-Forwarded-For, behind a trusted proxy (ATLASSTUB_TRUST_FORWARDED_FOR)")
	fs.DurationVar(&o.transition, "transition", engine.DefaultTransition, "how long the generic engine's resources stay CREATING, UPDATING or DELETING; 0 for no time (ATLASSTUB_TRANSITION)")
	fs.BoolVar(&o.preload, "preload", true, "load the official specification in the background at start, so that the first generic request does not wait for it (ATLASSTUB_PRELOAD)")
	fs.StringVar(&o.logFormat, "log-format", "auto", "log format: auto (text on a terminal, JSON otherwise), json or text (ATLASSTUB_LOG_FORMAT)")
	if err := applyEnv(fs, "ATLASSTUB_"); err != nil {
		return o, err
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("atlasstub serve takes no arguments, got %q", fs.Args())
	}
	if o.keyPool < 0 {
		return o, fmt.Errorf("--key-pool must not be negative, got %d", o.keyPool)
	}
	if o.transition < 0 {
		return o, fmt.Errorf("--transition must not be negative, got %s", o.transition)
	}
	return o, nil
}

// runServe runs the stub server until SIGINT or SIGTERM.
func runServe(args []string, stdout, stderr io.Writer) int {
	opts, err := parseServeFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "atlasstub serve:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, opts, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "atlasstub serve:", err)
		return 1
	}
	return 0
}

func serve(ctx context.Context, opts serveOptions, stdout, stderr io.Writer) error {
	logger := newLogger(opts.logFormat, stderr)
	keyType, err := x509ca.ParseKeyType(opts.keyType)
	if err != nil {
		return err
	}
	var bootstrap server.Bootstrap
	if opts.seed != "" {
		if bootstrap, err = server.ReadBootstrap(opts.seed); err != nil {
			return err
		}
	}
	listener, err := net.Listen("tcp", opts.addr)
	if err != nil {
		return err
	}
	stub, err := server.New(server.Config{
		Bootstrap:         bootstrap,
		Strict:            opts.strict,
		KeyType:           keyType,
		KeyPoolSize:       opts.keyPool,
		Logger:            logger,
		TrustForwardedFor: opts.trustForwarded,
		Transition:        transition(opts.transition),
		Preload:           opts.preload,
	})
	if err != nil {
		listener.Close()
		return err
	}
	defer stub.Close()
	stub.SetBaseURL(baseURL(listener.Addr()))
	creds := stub.Bootstrap()
	if opts.credentialsOut != "" {
		if err := server.WriteBootstrap(creds, opts.credentialsOut); err != nil {
			listener.Close()
			return err
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
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
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
		if f, ok := w.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
			format = "text"
		}
	}
	if format == "text" {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}
