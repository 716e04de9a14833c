// Command atlasstub is the one binary of the toolkit: `serve` runs the stub server, `contract`
// runs the contract-testing suite, and `spec` works with the embedded specifications.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `usage: atlasstub <command> [flags]

commands:
  serve      run the stub server
  contract   run the contract-testing suite against a target or an in-process stub
  spec       work with the specifications (atlasstub spec -h)
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one command and returns the process exit code.
func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "serve":
		return runServe(args[1:], stdout, stderr)
	case "contract":
		return runContract(args[1:], stdout, stderr)
	case "spec":
		return runSpec(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usage)
		return 0
	default:
		fmt.Fprintf(stderr, "atlasstub: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
}
