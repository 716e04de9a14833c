// Package suite is the contract-testing kit: it runs spec-driven checks on every operation of
// the Atlas subset against a target (the stub, or any Atlas-compatible base URL), runs the
// stateful scenarios, measures coverage and writes reports.
package suite

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/openapi"
)

// Config says what to check, where, and how.
type Config struct {
	// Credentials name the target (BaseURL), an organization of it, and an ORG_OWNER API key and
	// service account there.
	Credentials Credentials
	// Seed makes the generated requests reproducible.
	Seed uint64
	// Checks limits the run to these check names; empty runs them all.
	Checks []string
	// Operations limits the run to these operationIds, and Tags to the operations with one of
	// these tags; empty runs every operation.
	Operations []string
	Tags       []string
	// SkipDestructive leaves out the checks that create, change or delete resources, and the
	// scenarios. The kit still creates its fixture (in a project of its own) and removes it.
	SkipDestructive bool
	// SkipScenarios leaves out the stateful scenarios.
	SkipScenarios bool
	// RequireCoverage fails the run unless its coverage is complete.
	RequireCoverage bool
	// Official checks every operation of the official Atlas Administration API specification:
	// ours with the catalog's recipes, the others with requests built from the specification
	// (generated.go), each response against the specification that declares its operation.
	Official bool
	// Network carries the requests (http.DefaultTransport when nil).
	Network http.RoundTripper
	// KeepFixtures leaves everything the kit created in the target, so that the curl command of
	// a failure still finds what it names after the run; Report.Kept lists it, with the request
	// that deletes each.
	KeepFixtures bool
	// Progress, when set, hears how far the run has come: after the checks of each operation,
	// and after each scenario. It is called from the goroutine that called Run.
	Progress func(Progress)
	// Wait waits out the Retry-After of a 429 RATE_LIMITED before the kit sends the request
	// again (nil sleeps). Against an in-process stub, advancing its clock by d waits as well,
	// without the minute that the token endpoint's limit would otherwise cost.
	Wait func(ctx context.Context, d time.Duration) error
	// Resilience is the client under test of the resilience scenario: given the transport to the
	// target, it returns one with the client's own way of riding out faults (retries, waits), as
	// in client.NewRetryTransport. Nil is the kit's own: the atlasstub Go client's retries.
	Resilience func(next http.RoundTripper) http.RoundTripper
}

// Progress is how far a run has come.
type Progress struct {
	// Operation is the operation whose checks just ran, Scenario the scenario that just ran.
	Operation, Scenario string
	// OperationsDone of Operations have had their checks; CasesDone of Cases (a check on an
	// operation) have run, ScenariosDone of Scenarios; Failed of them failed.
	OperationsDone, Operations int
	CasesDone, Cases           int
	ScenariosDone, Scenarios   int
	Failed                     int
	Elapsed                    time.Duration
}

// Report is what a run found.
type Report struct {
	Target    string           `json:"target"`
	Seed      uint64           `json:"seed"`
	Results   []Result         `json:"results"`
	Scenarios []ScenarioResult `json:"scenarios"`
	// Violations are every violation the transport found, counted or not (see Uncounted).
	Violations []contract.Violation `json:"violations"`
	Coverage   Coverage             `json:"coverage"`
	// CoverageRequired says that incomplete coverage fails the run.
	CoverageRequired bool `json:"coverageRequired"`
	// Cleanup lists what the kit could not undo: what it created and could not delete, or the
	// organization's settings it could not restore.
	Cleanup []string `json:"cleanup,omitempty"`
	// Kept lists what the kit created and left in the target, as Config.KeepFixtures asked, each
	// with the request that deletes it.
	Kept []string `json:"kept,omitempty"`
	// Seconds is how long the run took.
	Seconds float64 `json:"seconds"`
}

// Result is the verdict of one check on one operation.
type Result struct {
	Check     string    `json:"check"`
	Operation string    `json:"operation"`
	Status    string    `json:"status"` // passed, failed or skipped
	Reason    string    `json:"reason,omitempty"`
	Failures  []Failure `json:"failures,omitempty"`
	// Seconds is how long the check took on the operation.
	Seconds float64 `json:"seconds"`
}

// Result statuses.
const (
	Passed  = "passed"
	Failed  = "failed"
	Skipped = "skipped"
)

// Run runs the suite against the target: for each operation its checks, then the scenarios.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	start := time.Now()
	load := contract.LoadSpec
	if cfg.Official {
		load = contract.LoadOfficialSpec
	}
	spec, err := load()
	if err != nil {
		return nil, err
	}
	if cfg.Credentials.BaseURL == "" {
		return nil, fmt.Errorf("suite: the credentials name no base URL")
	}
	ops, err := selectOperations(spec, cfg)
	if err != nil {
		return nil, fmt.Errorf("suite: %w", err)
	}
	checks, scenarios := selectChecks(cfg)
	if len(checks) == 0 && len(scenarios) == 0 && !cfg.RequireCoverage {
		return nil, fmt.Errorf("suite: %s", cannotFail(cfg))
	}
	c := newClient(spec, cfg)
	f, err := newFixture(ctx, c, cfg.Seed, cfg.SkipDestructive)
	if err != nil {
		_, errs := c.cleanUp(ctx, false)
		return nil, errors.Join(fmt.Errorf("suite: create the fixture: %w", err), errors.Join(errs...))
	}
	r := &runner{c: c, f: f, gen: newGenerator(cfg.Seed, ops...)}
	report := &Report{Target: c.base, Seed: cfg.Seed, CoverageRequired: cfg.RequireCoverage}
	progress := Progress{Operations: len(ops), Cases: len(ops) * len(checks), Scenarios: len(scenarios)}
	tell := func() {
		if cfg.Progress != nil {
			progress.Elapsed = time.Since(start)
			cfg.Progress(progress)
		}
	}
	for _, op := range ops {
		for _, check := range checks {
			began := time.Now()
			res := verdict(check.Name, op.OperationID, check.run(ctx, r, op))
			res.Seconds = time.Since(began).Seconds()
			report.Results = append(report.Results, res)
			progress.CasesDone++
			if res.Status == Failed {
				progress.Failed++
			}
		}
		progress.OperationsDone++
		progress.Operation, progress.Scenario = op.OperationID, ""
		tell()
	}
	for _, s := range scenarios {
		began := time.Now()
		res := s.run(ctx, r)
		res.Seconds = time.Since(began).Seconds()
		report.Scenarios = append(report.Scenarios, res)
		progress.ScenariosDone++
		if res.Failed() {
			progress.Failed++
		}
		progress.Operation, progress.Scenario = "", s.Name
		tell()
	}
	kept, errs := c.cleanUp(ctx, cfg.KeepFixtures)
	report.Kept = kept
	for _, err := range errs {
		report.Cleanup = append(report.Cleanup, err.Error())
	}
	report.Violations = c.violations()
	exchanges := c.exchanges()
	report.Results = append(report.Results, responseVerdicts(cfg, ops, report.Violations, exchanges)...)
	report.Coverage = measureCoverage(ops, exchanges)
	report.Seconds = time.Since(start).Seconds()
	return report, nil
}

// selectChecks returns the checks that send requests and the scenarios that the configuration
// runs, in the order they run.
func selectChecks(cfg Config) ([]Check, []Scenario) {
	var checks []Check
	for _, check := range Checks {
		if selected(check.Name, cfg.Checks) && !(check.Destructive && cfg.SkipDestructive) {
			checks = append(checks, check)
		}
	}
	var scenarios []Scenario
	if !cfg.SkipScenarios && !cfg.SkipDestructive {
		for _, s := range Scenarios {
			if selected(s.Name, cfg.Checks) {
				scenarios = append(scenarios, s)
			}
		}
	}
	return checks, scenarios
}

// cannotFail says why a selection that sends no request of its own could not fail: the response
// checks judge only the responses to the requests of other checks, and without them only the
// fixture's requests would reach a few operations, so that every other operation passes unseen.
func cannotFail(cfg Config) string {
	var senders []string
	for _, check := range Checks {
		if !cfg.SkipDestructive || !check.Destructive {
			senders = append(senders, check.Name)
		}
	}
	why := "the selected checks send no request of their own"
	if cfg.SkipDestructive {
		why += " once --skip-destructive leaves out those that create, change or delete"
	}
	return fmt.Sprintf("this selection cannot fail: %s (%s judge the responses to other checks' requests), so every operation would pass unseen; add a check that sends requests (%s), or leave --checks out",
		why, strings.Join(cfg.Checks, ", "), strings.Join(senders, ", "))
}

// selectOperations keeps the operations that the configuration names by id or tag. A name
// that the specification does not have is refused, as is a selection of nothing: a filter that
// selects nothing would otherwise pass, having checked nothing.
func selectOperations(spec *contract.Spec, cfg Config) ([]contract.Operation, error) {
	all := spec.Operations()
	ids, tags := map[string]bool{}, map[string]bool{}
	for _, op := range all {
		ids[op.OperationID] = true
		for _, tag := range op.Tags {
			tags[tag] = true
		}
	}
	for _, id := range cfg.Operations {
		if !ids[id] {
			return nil, fmt.Errorf("unknown operation %q (operationIds are case-sensitive; `atlasstub spec print atlas` lists them)", id)
		}
	}
	for _, tag := range cfg.Tags {
		if !tags[tag] {
			return nil, fmt.Errorf("unknown tag %q; known: %s", tag, strings.Join(slices.Sorted(maps.Keys(tags)), ", "))
		}
	}
	var out []contract.Operation
	for _, op := range all {
		byID := len(cfg.Operations) == 0 || slices.Contains(cfg.Operations, op.OperationID)
		byTag := len(cfg.Tags) == 0 || slices.ContainsFunc(op.Tags, func(t string) bool { return slices.Contains(cfg.Tags, t) })
		if byID && byTag {
			out = append(out, op)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no operation has one of the ids %q and one of the tags %q", cfg.Operations, cfg.Tags)
	}
	return out, nil
}

func selected(name string, names []string) bool {
	return len(names) == 0 || slices.Contains(names, name)
}

func verdict(check, operation string, o outcome) Result {
	switch {
	case len(o.failures) > 0:
		return Result{Check: check, Operation: operation, Status: Failed, Failures: o.failures}
	case o.skipped != "":
		return Result{Check: check, Operation: operation, Status: Skipped, Reason: o.skipped}
	}
	return Result{Check: check, Operation: operation, Status: Passed}
}

// responseVerdicts turns the transport's violations into the verdicts of its checks: an operation
// passes a response check when none of its responses broke it.
func responseVerdicts(cfg Config, ops []contract.Operation, violations []contract.Violation, exchanges []contract.Exchange) []Result {
	exercised := map[string]bool{}
	for _, e := range exchanges {
		exercised[e.Operation] = true
	}
	var out []Result
	for _, check := range append(slices.Clone(ResponseChecks), Check{Name: contract.CheckRequest}) {
		if !selected(check.Name, cfg.Checks) {
			continue
		}
		for _, op := range ops {
			var o outcome
			for _, v := range violations {
				if v.Check == check.Name && v.Operation == op.OperationID {
					o.failures = append(o.failures, Failure{
						Message: v.Message, Curl: v.Curl, Method: v.Method, URL: v.URL, RequestBody: v.RequestBody,
						Status: v.Status, ContentType: v.ContentType, ResponseBody: v.ResponseBody,
					})
				}
			}
			if !exercised[op.OperationID] && len(o.failures) == 0 {
				o.skipped = "no request reached the operation"
			}
			if sunset, gone := goneSince(op, time.Now()); gone && check.Name == contract.CheckSunsetVersion {
				o = skip(fmt.Sprintf("every version of the operation was sunset by %s, so that Atlas answers 410 VERSION_GONE to any request of it: the kit can ask for none that Atlas still serves", sunset.Format(time.DateOnly)))
			}
			out = append(out, verdict(check.Name, op.OperationID, o))
		}
	}
	return out
}

// goneSince reports whether every version of op is past its sunset at now, and when the last of
// them was sunset.
func goneSince(op contract.Operation, now time.Time) (last time.Time, gone bool) {
	versions := openapi.Versions(op.Operation)
	for _, version := range versions {
		d, deprecated := openapi.VersionDeprecation(op.Operation, version)
		if !deprecated || d.Sunset.IsZero() || now.Before(d.Sunset) {
			return time.Time{}, false
		}
		if d.Sunset.After(last) {
			last = d.Sunset
		}
	}
	return last, len(versions) > 0
}

// Summary counts the verdicts per check.
func (r *Report) Summary() map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, res := range r.Results {
		if out[res.Check] == nil {
			out[res.Check] = map[string]int{}
		}
		out[res.Check][res.Status]++
	}
	return out
}

// CheckNames lists every check of the suite, the Transport's included.
func CheckNames() []string {
	var names []string
	for _, c := range append(append(slices.Clone(Checks), ResponseChecks...), Check{Name: contract.CheckRequest}) {
		names = append(names, c.Name)
	}
	for _, s := range Scenarios {
		names = append(names, s.Name)
	}
	return names
}

// ParseChecks splits a comma-separated list of check names and refuses unknown ones.
func ParseChecks(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return nil, nil
	}
	known := CheckNames()
	var out []string
	for _, name := range strings.Split(list, ",") {
		name = strings.TrimSpace(name)
		if !slices.Contains(known, name) {
			return nil, fmt.Errorf("unknown check %q; known: %s", name, strings.Join(known, ", "))
		}
		out = append(out, name)
	}
	return out, nil
}
