// Command atlasstub is the one binary of the toolkit: `serve` runs the stub server, `contract`
// runs the contract-testing suite, `spec` works with the embedded specifications, and `version`
// says what was built.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
)

const usage = `usage: atlasstub <command> [flags]

commands:
  serve      run the stub server
  contract   run the contract-testing suite against a target or an in-process stub
  spec       work with the specifications (atlasstub spec -h)
  health     ask a running stub whether it serves (the container image's health check)
  version    print the version, the revision, the Atlas API versions served and the Go version
  help       print this, or a command's usage (atlasstub help serve)

Every command prints its usage with -h. Exit status: 0 success; 1 the command ran and found a
failure; 2 a usage error, bad input, or a command that could not start.
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
	case "health":
		return runHealth(args[1:], stdout, stderr)
	case "version", "-version", "--version":
		return runVersion(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && args[0] == "help" {
			return run([]string{args[1], "-h"}, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return 0
	default:
		return usageError(stderr, "atlasstub", errors.New("unknown command "+fmt.Sprintf("%q", args[0])))
	}
}
