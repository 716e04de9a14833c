package suite

import (
	"slices"
	"strings"

	"github.com/atlasstub/atlasstub/contract"
)

// The verdict of a run is what its selection found: the checks chosen with Config.Checks, on the
// operations chosen with Config.Operations and Config.Tags, the scenarios, and, when required,
// the coverage. The transport also judges responses outside the selection (the fixture's own
// requests, or the checks left out); those violations are reported, and do not fail the run,
// since a CI job that asks for one check or one operation is answered about that alone.

// Failed reports whether the run failed: a selected check failed on a selected operation, a
// scenario failed, or coverage is required and incomplete.
func (r *Report) Failed() bool {
	for _, res := range r.Results {
		if res.Status == Failed {
			return true
		}
	}
	for _, s := range r.Scenarios {
		if s.Failed() {
			return true
		}
	}
	return r.CoverageRequired && !r.Coverage.Complete()
}

// Inconclusive reports whether the run could not have failed, and why: every selected case was
// not applicable, no scenario ran, and coverage was not required. Such a run checked nothing,
// and its PASS would say what it does not know.
func (r *Report) Inconclusive() (string, bool) {
	if len(r.Scenarios) > 0 || r.CoverageRequired || len(r.Results) == 0 {
		return "", false
	}
	var reasons []string
	for _, res := range r.Results {
		if res.Status != Skipped {
			return "", false
		}
		if !slices.Contains(reasons, res.Reason) {
			reasons = append(reasons, res.Reason)
		}
	}
	return "every selected case was not applicable, so nothing was checked (" + strings.Join(reasons, "; ") + "); select other checks or operations", true
}

// Uncounted returns the violations outside the selection: of a check or on an operation that
// was not selected, or of no operation at all (undocumented_operation).
func (r *Report) Uncounted() []contract.Violation {
	type judged struct{ check, operation string }
	counted := map[judged]bool{}
	for _, res := range r.Results {
		counted[judged{res.Check, res.Operation}] = true
	}
	var out []contract.Violation
	for _, v := range r.Violations {
		if !counted[judged{v.Check, v.Operation}] {
			out = append(out, v)
		}
	}
	return out
}
