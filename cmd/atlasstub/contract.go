package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/server"
	"github.com/atlasstub/atlasstub/server/limits"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

const contractSynopsis = `usage: atlasstub contract [flags]

Runs the contract-testing suite: spec-driven checks on every operation, the stateful scenarios,
and coverage of operation x status x version. With --credentials it tests the target that the
file names, signing in with it (the JSON that 'atlasstub serve --credentials-out' writes:
baseUrl, orgId, apiKey{publicKey,privateKey}, serviceAccount{clientId,clientSecret}, with
ORG_OWNER credentials); --base-url names another target for the same credentials. Without
either, it starts an in-process stub and tests that. Progress goes to stderr as it runs.

The kit creates what it needs in a project of its own and deletes everything it created at the
end; it never changes the organization's settings. Against a real service, --skip-destructive
leaves out the checks that create, change or delete, and sends no update of the organization
that a defective server could apply; --operations / --tags narrow the run.

The kit waits out the Retry-After of every 429 RATE_LIMITED (Atlas mints ten tokens a minute per
service account); against the in-process stub, whose limits --rate-limits sets, it advances the
stub's clock instead of waiting.

With --official it checks every operation of the official Atlas Administration API specification
(openapi/upstream/), not only ours: those that ours declares with the catalog's requests, the
others with requests built from the official schemas, each response against the specification
that declares its operation. The coverage table says which were built how.

Exit status: 0 the selection passed; 1 a selected check or a scenario failed, or coverage is
required and incomplete; 2 bad input, a run that could not start, or a selection that could not
fail (checks that send no request, or cases that were all not applicable). Violations found
outside the selection (--checks, --operations, --tags) are reported as not counted.
`

// runContract runs `atlasstub contract`.
func runContract(args []string, stdout, stderr io.Writer) int {
	const command = "atlasstub contract"
	flags := newFlagSet(command, contractSynopsis)
	baseURL := flags.String("base-url", "", "the target's base URL, instead of the credentials file's baseUrl (ATLASSTUB_CONTRACT_BASE_URL)")
	credentials := flags.String("credentials", "", "JSON credentials of the target; without it, the kit starts an in-process stub (ATLASSTUB_CONTRACT_CREDENTIALS)")
	checks := flags.String("checks", "", "comma-separated checks to run; empty runs all (ATLASSTUB_CONTRACT_CHECKS)")
	seed := flags.Uint64("seed", 1, "seed of the generated requests (ATLASSTUB_CONTRACT_SEED)")
	operations := flags.String("operations", "", "comma-separated operationIds to check; empty checks all (ATLASSTUB_CONTRACT_OPERATIONS)")
	tags := flags.String("tags", "", "comma-separated tags whose operations to check (ATLASSTUB_CONTRACT_TAGS)")
	skipDestructive := flags.Bool("skip-destructive", false, "leave out checks and scenarios that create, change or delete (ATLASSTUB_CONTRACT_SKIP_DESTRUCTIVE)")
	skipScenarios := flags.Bool("skip-scenarios", false, "leave out the stateful scenarios (ATLASSTUB_CONTRACT_SKIP_SCENARIOS)")
	junitFile := flags.String("junit", "", "also write a JUnit XML report to this file (ATLASSTUB_CONTRACT_JUNIT)")
	jsonFile := flags.String("json", "", "also write the whole report as JSON to this file (ATLASSTUB_CONTRACT_JSON)")
	coverageFile := flags.String("coverage", "", "also write the coverage as JSON to this file (ATLASSTUB_CONTRACT_COVERAGE)")
	htmlFile := flags.String("html", "", "also write the report as one self-contained HTML page to this file (ATLASSTUB_CONTRACT_HTML)")
	keepFixtures := flags.Bool("keep-fixtures", false, "leave what the kit created in the target, so that a failure's curl command still finds it; the report lists it (ATLASSTUB_CONTRACT_KEEP_FIXTURES)")
	requireCoverage := flags.Bool("require-coverage", false, "fail unless every operation, provokable status and version was exercised (ATLASSTUB_CONTRACT_REQUIRE_COVERAGE)")
	rateLimits := flags.String("rate-limits", "", fmt.Sprintf("the in-process stub's rate limits, one of %v; default atlas (ATLASSTUB_CONTRACT_RATE_LIMITS)", limits.Modes))
	official := flags.Bool("official", false, "check every operation of the official Atlas specification, with requests built from it where ours has no recipe (ATLASSTUB_CONTRACT_OFFICIAL)")
	if status, ok := parseFlags(flags, "ATLASSTUB_CONTRACT_", args, stdout, stderr); !ok {
		return status
	}
	if flags.NArg() > 0 {
		return usageError(stderr, command, fmt.Errorf("takes no arguments, got %q", flags.Args()))
	}
	checkNames, err := suite.ParseChecks(*checks)
	if err != nil {
		return badInput(stderr, command, err)
	}
	limitsMode, err := limits.ParseMode(*rateLimits)
	if err != nil {
		return badInput(stderr, command, err)
	}
	cfg := suite.Config{
		Seed: *seed, Checks: checkNames, Operations: list(*operations), Tags: list(*tags), SkipDestructive: *skipDestructive,
		SkipScenarios: *skipScenarios, RequireCoverage: *requireCoverage, KeepFixtures: *keepFixtures, Progress: progressPrinter(stderr),
		Official: *official,
	}
	switch {
	case *credentials == "" && *baseURL != "":
		return badInput(stderr, command, errors.New("--base-url needs --credentials, the credentials to sign in to it with"))
	case *credentials != "" && *rateLimits != "":
		return badInput(stderr, command, errors.New("--rate-limits sets the in-process stub's limits; a target given by --credentials has its own"))
	case *credentials != "":
		creds, err := suite.ReadCredentials(*credentials)
		if err != nil {
			return badInput(stderr, command, err)
		}
		if *baseURL != "" {
			creds.BaseURL = *baseURL
		}
		if missing := creds.Missing(); len(missing) > 0 {
			return badInput(stderr, command, fmt.Errorf("the credentials file %s lacks %s%s", *credentials, strings.Join(missing, ", "), baseURLHint(missing)))
		}
		cfg.Credentials = creds
	case *keepFixtures:
		return badInput(stderr, command, errors.New("--keep-fixtures keeps what the kit created in a target that outlives the run; the in-process stub stops with it: give --credentials"))
	default:
		stub, stop, err := startInProcessStub(limitsMode)
		if err != nil {
			return badInput(stderr, command, err)
		}
		defer stop()
		cfg.Credentials = kitCredentials(stub.Bootstrap())
		cfg.Wait = advanceClock(stub)
	}

	report, err := suite.Run(context.Background(), cfg)
	if err != nil {
		return badInput(stderr, command, err)
	}
	if err := report.WriteText(stdout); err != nil {
		return badInput(stderr, command, err)
	}
	for _, out := range []struct {
		file  string
		write func(io.Writer) error
	}{
		{*junitFile, report.WriteJUnit},
		{*jsonFile, report.WriteJSON},
		{*coverageFile, func(w io.Writer) error { return writeJSON(w, report.Coverage) }},
		{*htmlFile, report.WriteHTML},
	} {
		if out.file == "" {
			continue
		}
		if err := writeFile(out.file, out.write); err != nil {
			return badInput(stderr, command, err)
		}
	}
	if reason, inconclusive := report.Inconclusive(); inconclusive {
		return badInput(stderr, command, errors.New(reason))
	}
	if report.Failed() {
		return 1
	}
	return 0
}

// baseURLHint says how else to name the target, when the credentials file does not.
func baseURLHint(missing []string) string {
	if slices.Contains(missing, "baseUrl") {
		return " (or give --base-url)"
	}
	return ""
}

// startInProcessStub serves a strict stub on a loopback port with fast ECDSA keys, for a run
// without a target.
func startInProcessStub(rateLimits limits.Mode) (*server.Server, func(), error) {
	s, err := server.New(server.Config{Strict: true, KeyType: x509ca.ECDSAP256, KeyPoolSize: 4, RateLimits: rateLimits, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, nil, err
	}
	ts := httptest.NewServer(s)
	s.SetBaseURL(ts.URL)
	return s, func() {
		ts.Close()
		_ = s.Close()
	}, nil
}

// advanceClock waits out a Retry-After of the in-process stub by moving its clock, which is the
// kit's own: the token endpoint's limit costs the run no minute of real time.
func advanceClock(s *server.Server) func(context.Context, time.Duration) error {
	return func(_ context.Context, d time.Duration) error {
		_, err := s.AdvanceClock(d)
		return err
	}
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
