package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/atlasstub/atlasstub/openapi"
)

const specUsage = `usage: atlasstub spec <command>

commands:
  print [atlas|stub]        print an embedded specification (default atlas)
  diff BASE REVISION        the breaking-change gate between two versions of the contract
  upstream OFFICIAL         compare our Atlas specification with an official one

Each command prints its usage with -h.
`

// runSpec runs the `spec` command family.
func runSpec(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, specUsage)
		return 2
	}
	switch args[0] {
	case "print":
		return printSpec(args[1:], stdout, stderr)
	case "diff":
		return runSpecDiff(args[1:], stdout, stderr)
	case "upstream":
		return runSpecUpstream(args[1:], stdout, stderr)
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, specUsage)
		return 0
	default:
		return usageError(stderr, "atlasstub spec", fmt.Errorf("unknown command %q", args[0]))
	}
}

const specPrintSynopsis = `usage: atlasstub spec print [atlas|stub]

Prints an embedded specification as YAML: atlas (the default) is the Atlas API subset that the
stub serves, stub its control API under /_stub/. A running stub serves the same documents at
GET /_stub/openapi.yaml and GET /_stub/openapi/stub.yaml.
`

func printSpec(args []string, stdout, stderr io.Writer) int {
	const command = "atlasstub spec print"
	flags := newFlagSet(command, specPrintSynopsis)
	if status, ok := parseFlags(flags, "ATLASSTUB_SPEC_PRINT_", args, stdout, stderr); !ok {
		return status
	}
	if flags.NArg() > 1 {
		return usageError(stderr, command, fmt.Errorf("want at most one specification, got %q", flags.Args()))
	}
	switch name := flags.Arg(0); name {
	case "", "atlas":
		_, _ = stdout.Write(openapi.AtlasYAML())
	case "stub":
		_, _ = stdout.Write(openapi.StubYAML())
	default:
		return usageError(stderr, command, errors.New("unknown specification "+fmt.Sprintf("%q", name)+"; want atlas or stub"))
	}
	return 0
}
