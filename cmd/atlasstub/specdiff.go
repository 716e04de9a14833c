package main

import (
	"fmt"
	"io"
	"time"

	"github.com/atlasstub/atlasstub/contract/specdiff"
)

const specDiffSynopsis = `usage: atlasstub spec diff [flags] BASE REVISION

Compares two versions of the contract and fails on breaking changes that no unexpired exemption
lets through. BASE and REVISION are two specification files, or two source trees of this
repository (an extracted commit and the working tree, as 'make spec-diff' does), in which the
--specs files and the exported API of the --go-packages are compared.

Exit status: 0 pass, 1 breaking changes without exemption or expired exemptions, 2 bad input.
`

// runSpecDiff runs `atlasstub spec diff`.
func runSpecDiff(args []string, stdout, stderr io.Writer) int {
	const command = "atlasstub spec diff"
	flags := newFlagSet(command, specDiffSynopsis)
	format := flags.String("format", "text", "report format on stdout: text or json (ATLASSTUB_SPEC_DIFF_FORMAT)")
	junitFile := flags.String("junit", "", "also write a JUnit XML report to this file (ATLASSTUB_SPEC_DIFF_JUNIT)")
	exemptionsFile := flags.String("exemptions", "", "YAML file of reviewed breaking changes (ATLASSTUB_SPEC_DIFF_EXEMPTIONS)")
	specs := flags.String("specs", "openapi/atlas.yaml,openapi/stub.yaml", "specification files compared in two trees (ATLASSTUB_SPEC_DIFF_SPECS)")
	goPackages := flags.String("go-packages", "gen/atlasapi,gen/stubapi,client", "Go package directories whose exported API is compared in two trees (ATLASSTUB_SPEC_DIFF_GO_PACKAGES)")
	if status, ok := parseFlags(flags, "ATLASSTUB_SPEC_DIFF_", args, stdout, stderr); !ok {
		return status
	}
	if flags.NArg() != 2 {
		return usageError(stderr, command, fmt.Errorf("want BASE and REVISION, got %d arguments", flags.NArg()))
	}
	write, err := reportWriter(*format)
	if err != nil {
		return badInput(stderr, command, err)
	}
	opts := specdiff.Options{Specs: list(*specs), GoPackages: list(*goPackages), Now: time.Now()}
	if *exemptionsFile != "" {
		if opts.Exemptions, err = specdiff.LoadExemptions(*exemptionsFile); err != nil {
			return badInput(stderr, command, err)
		}
	}
	report, err := specdiff.Run(flags.Arg(0), flags.Arg(1), opts)
	if err != nil {
		return badInput(stderr, command, err)
	}
	if err := write(report, stdout); err != nil {
		return badInput(stderr, command, err)
	}
	if *junitFile != "" {
		if err := writeFile(*junitFile, report.WriteJUnit); err != nil {
			return badInput(stderr, command, err)
		}
	}
	if report.Failed() {
		return 1
	}
	return 0
}

func reportWriter(format string) (func(specdiff.Report, io.Writer) error, error) {
	switch format {
	case "text":
		return specdiff.Report.WriteText, nil
	case "json":
		return specdiff.Report.WriteJSON, nil
	default:
		return nil, fmt.Errorf("unknown format %q; want text or json", format)
	}
}
