// Command atlasstub is the one binary of the toolkit: `serve` runs the stub server, `spec` prints
// the embedded specifications.
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/atlasstub/atlasstub/openapi"
)

const usage = `usage: atlasstub <command> [flags]

commands:
  serve   run the stub server
  spec    print an embedded specification: spec [atlas|stub]
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "spec":
		return printSpec(args[1:], stdout, stderr)
	case "serve":
		fmt.Fprintln(stderr, "atlasstub serve: the stub server is not built yet (issue 3); the contract is in openapi/")
		return 1
	default:
		fmt.Fprintf(stderr, "atlasstub: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}

func printSpec(args []string, stdout, stderr io.Writer) int {
	name := "atlas"
	if len(args) > 0 {
		name = args[0]
	}
	switch name {
	case "atlas":
		_, _ = stdout.Write(openapi.AtlasYAML())
	case "stub":
		_, _ = stdout.Write(openapi.StubYAML())
	default:
		fmt.Fprintf(stderr, "atlasstub spec: unknown specification %q; want atlas or stub\n", name)
		return 2
	}
	return 0
}
