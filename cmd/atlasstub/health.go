package main

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

const healthSynopsis = `usage: atlasstub health [flags]

Asks a running stub whether it serves (GET /_stub/health) and exits 0 if it answers 200, 1 if it
does not. It is the container image's health check, which has no curl to ask with; --addr and
its ATLASSTUB_ADDR are those of 'atlasstub serve', so the same environment names the stub.
`

// healthTimeout is how long `atlasstub health` waits for the answer: a stub that serves answers at
// once, since the health check reads no state.
const healthTimeout = 5 * time.Second

// runHealth runs `atlasstub health`.
func runHealth(args []string, stdout, stderr io.Writer) int {
	const command = "atlasstub health"
	flags := newFlagSet(command, healthSynopsis)
	addr := flags.String("addr", "127.0.0.1:8080", "the address the stub listens on, as given to atlasstub serve (ATLASSTUB_ADDR)")
	if status, ok := parseFlags(flags, "ATLASSTUB_", args, stdout, stderr); !ok {
		return status
	}
	if flags.NArg() > 0 {
		return usageError(stderr, command, fmt.Errorf("takes no arguments, got %q", flags.Args()))
	}
	tcp, err := net.ResolveTCPAddr("tcp", *addr)
	if err != nil {
		return badInput(stderr, command, err)
	}
	url := baseURL(tcp) + "/_stub/health"
	client := &http.Client{Timeout: healthTimeout}
	res, err := client.Get(url)
	if err != nil {
		fmt.Fprintf(stderr, "%s: %v\n", command, err)
		return 1
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		fmt.Fprintf(stderr, "%s: %s answered %s\n", command, url, res.Status)
		return 1
	}
	fmt.Fprintf(stdout, "%s: ok\n", url)
	return 0
}
