package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"

	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

const contractSynopsis = `usage: atlasstub contract [flags]

Runs the contract-testing suite: spec-driven checks on every operation, the stateful scenarios,
and coverage of operation x status x version. With --base-url it tests that target, signing in
with the --credentials file (the JSON that 'atlasstub serve --credentials-out' writes: baseUrl,
orgId, apiKey{publicKey,privateKey}, serviceAccount{clientId,clientSecret}, with ORG_OWNER
credentials). Without it, it starts an in-process stub and tests that.

The kit creates what it needs in a project of its own and deletes everything it created at the
end; it never changes the organization's settings. Against a real service, --skip-destructive
leaves out the checks that create, change or delete, and sends no update of the organization
that a defective server could apply; --operations / --tags narrow the run.

With --official it checks every operation of the official Atlas Administration API specification
(openapi/upstream/), not only ours: those that ours declares with the catalog's requests, the
others with requests built from the official schemas, each response against the specification
that declares its operation. The coverage table says which were built how.

Exit status: 0 the selection passed; 1 a selected check or a scenario failed, or coverage is
required and incomplete; 2 bad input or the run could not start. Violations found outside the
selection (--checks, --operations, --tags) are reported as not counted.
`

// runContract runs `atlasstub contract`.
func runContract(args []string, stdout, stderr io.Writer) int {
	const command = "atlasstub contract"
	flags := newFlagSet(command, contractSynopsis, stderr)
	baseURL := flags.String("base-url", "", "the target's base URL; empty starts an in-process stub (ATLASSTUB_CONTRACT_BASE_URL)")
	credentials := flags.String("credentials", "", "JSON credentials of the target (ATLASSTUB_CONTRACT_CREDENTIALS)")
	checks := flags.String("checks", "", "comma-separated checks to run; empty runs all (ATLASSTUB_CONTRACT_CHECKS)")
	seed := flags.Uint64("seed", 1, "seed of the generated requests (ATLASSTUB_CONTRACT_SEED)")
	operations := flags.String("operations", "", "comma-separated operationIds to check; empty checks all (ATLASSTUB_CONTRACT_OPERATIONS)")
	tags := flags.String("tags", "", "comma-separated tags whose operations to check (ATLASSTUB_CONTRACT_TAGS)")
	skipDestructive := flags.Bool("skip-destructive", false, "leave out checks and scenarios that create, change or delete (ATLASSTUB_CONTRACT_SKIP_DESTRUCTIVE)")
	skipScenarios := flags.Bool("skip-scenarios", false, "leave out the stateful scenarios (ATLASSTUB_CONTRACT_SKIP_SCENARIOS)")
	junitFile := flags.String("junit", "", "also write a JUnit XML report to this file (ATLASSTUB_CONTRACT_JUNIT)")
	jsonFile := flags.String("json", "", "also write the whole report as JSON to this file (ATLASSTUB_CONTRACT_JSON)")
	coverageFile := flags.String("coverage", "", "also write the coverage as JSON to this file (ATLASSTUB_CONTRACT_COVERAGE)")
	requireCoverage := flags.Bool("require-coverage", false, "fail unless every operation, provokable status and version was exercised (ATLASSTUB_CONTRACT_REQUIRE_COVERAGE)")
	official := flags.Bool("official", false, "check every operation of the official Atlas specification, with requests built from it where ours has no recipe (ATLASSTUB_CONTRACT_OFFICIAL)")
	if status, ok := parseFlags(flags, "ATLASSTUB_CONTRACT_", args, stderr); !ok {
		return status
	}
	if flags.NArg() > 0 {
		return badInput(stderr, command, fmt.Errorf("takes no arguments, got %q", flags.Args()))
	}
	checkNames, err := suite.ParseChecks(*checks)
	if err != nil {
		return badInput(stderr, command, err)
	}
	cfg := suite.Config{Seed: *seed, Checks: checkNames, Operations: list(*operations), Tags: list(*tags), SkipDestructive: *skipDestructive, SkipScenarios: *skipScenarios, RequireCoverage: *requireCoverage, Official: *official}
	switch {
	case *baseURL == "" && *credentials != "":
		return badInput(stderr, command, errors.New("--credentials needs --base-url; without it the kit tests its own in-process stub"))
	case *baseURL != "" && *credentials == "":
		return badInput(stderr, command, errors.New("--base-url needs --credentials"))
	case *baseURL != "":
		creds, err := server.ReadBootstrap(*credentials)
		if err != nil {
			return badInput(stderr, command, err)
		}
		cfg.Credentials = kitCredentials(creds)
		cfg.Credentials.BaseURL = *baseURL
	default:
		creds, stop, err := startInProcessStub()
		if err != nil {
			return badInput(stderr, command, err)
		}
		defer stop()
		cfg.Credentials = creds
	}

	report, err := suite.Run(context.Background(), cfg)
	if err != nil {
		return badInput(stderr, command, err)
	}
	if err := report.WriteText(stdout); err != nil {
		return badInput(stderr, command, err)
	}
	for file, write := range map[string]func(io.Writer) error{
		*junitFile:    report.WriteJUnit,
		*jsonFile:     report.WriteJSON,
		*coverageFile: func(w io.Writer) error { return writeJSON(w, report.Coverage) },
	} {
		if file == "" {
			continue
		}
		if err := writeFile(file, write); err != nil {
			return badInput(stderr, command, err)
		}
	}
	if report.Failed() {
		return 1
	}
	return 0
}

// startInProcessStub serves a strict stub on a loopback port with fast ECDSA keys, for a run
// without a target.
func startInProcessStub() (suite.Credentials, func(), error) {
	s, err := server.New(server.Config{Strict: true, KeyType: x509ca.ECDSAP256, KeyPoolSize: 4, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return suite.Credentials{}, nil, err
	}
	ts := httptest.NewServer(s)
	s.SetBaseURL(ts.URL)
	return kitCredentials(s.Bootstrap()), func() {
		ts.Close()
		_ = s.Close()
	}, nil
}

// kitCredentials are a stub's credentials as the kit takes them. The credentials file is the
// stub's document (`atlasstub serve --credentials-out`), whose JSON the kit's type shares.
func kitCredentials(b server.Bootstrap) suite.Credentials {
	return suite.Credentials{
		BaseURL: b.BaseUrl, OrgID: b.OrgId, ProjectID: b.ProjectId,
		APIKey:         suite.APIKeyCredentials{ID: b.ApiKey.Id, PublicKey: b.ApiKey.PublicKey, PrivateKey: b.ApiKey.PrivateKey},
		ServiceAccount: suite.ServiceAccountCredentials{ClientID: b.ServiceAccount.ClientId, ClientSecret: b.ServiceAccount.ClientSecret},
	}
}

func writeJSON(w io.Writer, v any) error {
	encoder := json.NewEncoder(w)
	encoder.SetIndent("", "  ")
	return encoder.Encode(v)
}
