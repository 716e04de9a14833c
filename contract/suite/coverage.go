package suite

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/contract/junit"
)

// Coverage compares what the run exercised with what the specification declares: for every
// operation, its statuses and its versions.
type Coverage struct {
	Operations []OperationCoverage `json:"operations"`
}

// OperationCoverage is the coverage of one operation.
type OperationCoverage struct {
	Operation string `json:"operation"`
	Method    string `json:"method"`
	Path      string `json:"path"`
	// How says how the kit built the operation's requests: from the catalog's recipe (our
	// specification's operations), or generated from the official specification.
	How string `json:"how"`
	// Declared are the statuses the operation declares; Exercised those a response had.
	Declared  []string `json:"declared"`
	Exercised []string `json:"exercised"`
	// Missing are declared statuses that a client can provoke and no response had. A 5xx is
	// never counted missing: a correct server gives a client no way to provoke it. Nor is 429:
	// a client provokes it only by sending more requests than a test run should.
	Missing []string `json:"missing"`
	// Versions are the declared versions; ServedVersions those a response was served as.
	Versions       []string `json:"versions"`
	ServedVersions []string `json:"servedVersions"`
}

// Complete reports whether every operation was exercised with every provokable status and
// served in every version. The coverage of no operation is not complete: it covers nothing.
func (c Coverage) Complete() bool {
	if len(c.Operations) == 0 {
		return false
	}
	for _, op := range c.Operations {
		if len(op.gaps()) > 0 {
			return false
		}
	}
	return true
}

// gaps says what the run missed of an operation: any request at all, a provokable status, or a
// declared version. A version served that the operation does not declare makes up for none.
func (op OperationCoverage) gaps() []string {
	var gaps []string
	if len(op.Exercised) == 0 {
		gaps = append(gaps, "no request reached it")
	}
	if len(op.Missing) > 0 {
		gaps = append(gaps, "statuses never answered: "+strings.Join(op.Missing, ", "))
	}
	var unserved []string
	for _, v := range op.Versions {
		if !slices.Contains(op.ServedVersions, v) {
			unserved = append(unserved, v)
		}
	}
	if len(unserved) > 0 {
		gaps = append(gaps, "versions never served: "+strings.Join(unserved, ", "))
	}
	return gaps
}

// Counts returns how many operations were exercised, and how many provokable statuses of how many
// were exercised.
func (c Coverage) Counts() (exercisedOps, ops, statuses, provokable int) {
	for _, op := range c.Operations {
		ops++
		if len(op.Exercised) > 0 {
			exercisedOps++
		}
		for _, s := range op.Declared {
			if provokes(s) {
				provokable++
				if slices.Contains(op.Exercised, s) {
					statuses++
				}
			}
		}
	}
	return exercisedOps, ops, statuses, provokable
}

func measureCoverage(ops []contract.Operation, exchanges []contract.Exchange) Coverage {
	var c Coverage
	for _, op := range ops {
		oc := OperationCoverage{Operation: op.OperationID, Method: op.Method, Path: op.Path, How: howBuilt(op), Declared: op.DeclaredStatuses(), Versions: op.Versions()}
		for _, e := range exchanges {
			if e.Operation != op.OperationID || e.Injected {
				continue
			}
			status := strconv.Itoa(e.Status)
			if !slices.Contains(oc.Exercised, status) {
				oc.Exercised = append(oc.Exercised, status)
			}
			if e.Version != "" && !slices.Contains(oc.ServedVersions, e.Version) {
				oc.ServedVersions = append(oc.ServedVersions, e.Version)
			}
		}
		slices.Sort(oc.Exercised)
		slices.Sort(oc.ServedVersions)
		for _, s := range oc.Declared {
			if provokes(s) && !slices.Contains(oc.Exercised, s) {
				oc.Missing = append(oc.Missing, s)
			}
		}
		c.Operations = append(c.Operations, oc)
	}
	return c
}

// provokes reports whether a client can provoke a status with the content of its requests:
// not a 5xx, and not the 429 of a rate limit, which takes their number.
func provokes(status string) bool {
	return !strings.HasPrefix(status, "5") && status != strconv.Itoa(http.StatusTooManyRequests)
}

// Ways the kit builds an operation's requests.
const (
	HowCatalog   = "catalog"
	HowGenerated = "generated"
)

func howBuilt(op contract.Operation) string {
	if op.Official {
		return HowGenerated
	}
	return HowCatalog
}

// WriteTable prints the coverage as a table: per operation, each declared status (marked when
// exercised) and the versions served.
func (c Coverage) WriteTable(w io.Writer) error {
	var b strings.Builder
	width := 0
	for _, op := range c.Operations {
		width = max(width, len(op.Operation))
	}
	for _, op := range c.Operations {
		var statuses []string
		for _, s := range op.Declared {
			switch {
			case slices.Contains(op.Exercised, s):
				statuses = append(statuses, s+"✓")
			case !provokes(s):
				statuses = append(statuses, s+"-")
			default:
				statuses = append(statuses, s+"✗")
			}
		}
		versions := "unversioned"
		if len(op.Versions) > 0 {
			versions = "versions " + strings.Join(op.Versions, ",") + " served " + strings.Join(op.ServedVersions, ",")
		}
		fmt.Fprintf(&b, "  %-*s %-6s %-9s %s  [%s]\n", width, op.Operation, op.Method, op.How, strings.Join(statuses, " "), versions)
	}
	exercised, ops, statuses, provokable := c.Counts()
	fmt.Fprintf(&b, "  operations exercised: %d/%d; provokable statuses exercised: %d/%d (✓ exercised, ✗ missed, - a 5xx or 429, which a client cannot provoke with a request's content)\n",
		exercised, ops, statuses, provokable)
	_, err := io.WriteString(w, b.String())
	return err
}

// junitSuite is the coverage as JUnit cases, one per operation, failed with the operation's gaps.
func (c Coverage) junitSuite() junit.Suite {
	s := junit.Suite{Name: "coverage"}
	for _, op := range c.Operations {
		tc := junit.Case{Name: op.Operation, Classname: "contract.coverage"}
		if gaps := op.gaps(); len(gaps) > 0 {
			tc.Failure = &junit.Failure{Message: strings.Join(gaps, "; ")}
		}
		s.Add(tc)
	}
	return s
}
