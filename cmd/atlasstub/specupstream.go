package main

import (
	"fmt"
	"io"
	"os"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/contract/upstream"
	"github.com/atlasstub/atlasstub/openapi"
)

const specUpstreamSynopsis = `usage: atlasstub spec upstream [flags] OFFICIAL
       atlasstub spec upstream --served [--format text|json|markdown]

Compares our Atlas specification with an official Atlas Administration API specification file
(for example openapi/atlas-api.yaml in the go.mongodb.org/atlas-sdk module) for the operations we
cover, and reports where they differ. Reviewed, intended differences do not fail.

With --served it reports instead how the stub serves each operation of the official
specification it embeds (openapi/upstream/), by tag: curated (our specification declares it and
its handler answers), generic (the engine answers from the specification), or generic with a
hook (and a hook of its family serves it or shapes its resources). docs/coverage.md is its
markdown.

Exit status: 0 only known differences, 1 differences to review, 2 bad input.
`

// runSpecUpstream runs `atlasstub spec upstream`.
func runSpecUpstream(args []string, stdout, stderr io.Writer) int {
	const command = "atlasstub spec upstream"
	flags := newFlagSet(command, specUpstreamSynopsis)
	format := flags.String("format", "text", "report format: text or json (ATLASSTUB_SPEC_UPSTREAM_FORMAT)")
	spec := flags.String("spec", "", "our specification file (ATLASSTUB_SPEC_UPSTREAM_SPEC; default: the embedded openapi/atlas.yaml)")
	known := flags.String("known", "", "reviewed differences file (ATLASSTUB_SPEC_UPSTREAM_KNOWN; default: the embedded openapi/upstream-differences.yaml)")
	verbose := flags.Bool("verbose", false, "list every finding that a known difference explains (ATLASSTUB_SPEC_UPSTREAM_VERBOSE)")
	served := flags.Bool("served", false, "report how the stub serves each official operation: curated, generic, or generic with a hook (ATLASSTUB_SPEC_UPSTREAM_SERVED)")
	if status, ok := parseFlags(flags, "ATLASSTUB_SPEC_UPSTREAM_", args, stdout, stderr); !ok {
		return status
	}
	if *served {
		if flags.NArg() != 0 {
			return badInput(stderr, command, fmt.Errorf("--served reports on the embedded official specification and takes no file, got %q", flags.Args()))
		}
		if err := writeServed(stdout, *format); err != nil {
			return badInput(stderr, command, err)
		}
		return 0
	}
	if flags.NArg() != 1 {
		return usageError(stderr, command, fmt.Errorf("want the official specification file, got %d arguments", flags.NArg()))
	}
	if *format != "text" && *format != "json" {
		return badInput(stderr, command, fmt.Errorf("unknown format %q; want text or json", *format))
	}

	oursName, ours, err := loadOurs(*spec)
	if err != nil {
		return badInput(stderr, command, err)
	}
	official, err := loadFile(flags.Arg(0))
	if err != nil {
		return badInput(stderr, command, err)
	}
	differences, err := upstream.ParseDifferences(openapi.UpstreamDifferencesYAML())
	if *known != "" {
		differences, err = upstream.LoadDifferences(*known)
	}
	if err != nil {
		return badInput(stderr, command, err)
	}

	report := upstream.Compare(ours, official)
	report.Ours, report.Official = oursName, flags.Arg(0)
	upstream.ApplyDifferences(&report, differences)
	if *format == "json" {
		err = report.WriteJSON(stdout)
	} else {
		err = report.WriteText(stdout, *verbose)
	}
	if err != nil {
		return badInput(stderr, command, err)
	}
	if report.Failed() {
		return 1
	}
	return 0
}

// loadOurs loads our specification from path, or the embedded one when path is empty.
func loadOurs(path string) (string, *openapi3.T, error) {
	if path == "" {
		const name = "openapi/atlas.yaml (embedded)"
		doc, err := upstream.Load(name, openapi.AtlasYAML())
		return name, doc, err
	}
	doc, err := loadFile(path)
	return path, doc, err
}

func loadFile(path string) (*openapi3.T, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return upstream.Load(path, data)
}
