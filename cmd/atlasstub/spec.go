package main

import (
	"fmt"
	"io"

	"github.com/atlasstub/atlasstub/openapi"
)

const specUsage = `usage: atlasstub spec <command>

commands:
  print [atlas|stub]        print an embedded specification (default atlas)
  diff BASE REVISION        the breaking-change gate between two versions of the contract
  upstream OFFICIAL         compare our Atlas specification with an official one
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
		fmt.Fprintf(stderr, "atlasstub spec: unknown command %q\n\n%s", args[0], specUsage)
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
		fmt.Fprintf(stderr, "atlasstub spec print: unknown specification %q; want atlas or stub\n", name)
		return 2
	}
	return 0
}
