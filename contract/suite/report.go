package suite

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/contract/junit"
)

// WriteText writes the report for people: each check's counts and time, the failures grouped by
// check and message, each with the response that showed it and a curl command that reproduces it,
// the violations outside the selection, the scenarios, what the kit kept, the coverage table and
// the verdict.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "atlasstub contract: %s (seed %d)\n\nChecks:\n", r.Target, r.Seed)
	summary := r.Summary()
	seconds := map[string]float64{}
	for _, res := range r.Results {
		seconds[res.Check] += res.Seconds
	}
	for _, name := range CheckNames() {
		counts, ok := summary[name]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "  %-30s %3d passed %3d failed %3d not applicable %7s\n", name, counts[Passed], counts[Failed], counts[Skipped], formatSeconds(seconds[name]))
	}
	groups := r.FailureGroups()
	failures := 0
	if len(groups) > 0 {
		b.WriteString("\nFailures (the curl commands read $ATLAS_TOKEN: export ATLAS_TOKEN=$(curl -s -u \"$ATLAS_CLIENT_ID:$ATLAS_CLIENT_SECRET\" -d grant_type=client_credentials " + r.Target + "/api/oauth/token | jq -r .access_token)):\n")
	}
	for _, g := range groups {
		failures += len(g.Failures)
		fmt.Fprintf(&b, "  - %s: %s\n", g.Check, g.Message)
		if len(g.Operations) == 1 {
			fmt.Fprintf(&b, "    on %s\n", g.Operations[0])
		} else {
			fmt.Fprintf(&b, "    on %d operations: %s\n", len(g.Operations), strings.Join(g.Operations, ", "))
		}
		first := g.Failures[0]
		if first.Status != 0 {
			fmt.Fprintf(&b, "    response: %d %s %s\n", first.Status, first.ContentType, contract.Snippet([]byte(strings.Join(strings.Fields(first.ResponseBody), " ")), 300))
		}
		if first.Curl != "" {
			label := "reproduce"
			if len(g.Failures) > 1 {
				label = "reproduce (the first)"
			}
			fmt.Fprintf(&b, "    %s: %s\n", label, first.Curl)
		}
	}
	uncounted := r.Uncounted()
	if len(uncounted) > 0 {
		b.WriteString("\nNot counted (outside the selected checks and operations, such as the fixture's own requests):\n")
	}
	for _, v := range uncounted {
		fmt.Fprintf(&b, "  - %s\n    reproduce: %s\n", violationSummary(v), v.Curl)
	}
	failedScenarios := 0
	if len(r.Scenarios) > 0 {
		b.WriteString("\nScenarios:\n")
	}
	for _, s := range r.Scenarios {
		verdict := "passed"
		if s.Failed() {
			verdict = "FAILED"
			failedScenarios++
		}
		if s.Skipped != "" {
			verdict = "skipped: " + s.Skipped
		}
		fmt.Fprintf(&b, "  %s: %s (%s)\n", s.Name, verdict, formatSeconds(s.Seconds))
		for _, step := range s.Steps {
			mark := "✓"
			if !step.Passed {
				mark = "✗"
			}
			fmt.Fprintf(&b, "    %s %s\n", mark, step.Name)
			if !step.Passed {
				fmt.Fprintf(&b, "      %s\n", step.Message)
				if step.Curl != "" {
					fmt.Fprintf(&b, "      reproduce: %s\n", step.Curl)
				}
			}
		}
	}
	if len(r.Kept) > 0 {
		b.WriteString("\nKept in the target (--keep-fixtures), newest first; delete each when done:\n")
		for _, k := range r.Kept {
			fmt.Fprintf(&b, "  - %s\n", k)
		}
	}
	b.WriteString("\nCoverage:\n")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if err := r.Coverage.WriteTable(w); err != nil {
		return err
	}
	b.Reset()
	for _, c := range r.Cleanup {
		fmt.Fprintf(&b, "\ncleanup: %s", c)
	}
	operations := len(r.Coverage.Operations)
	fmt.Fprintf(&b, "\nRan %d cases on %d operations and %d scenarios in %s.", len(r.Results), operations, len(r.Scenarios), formatSeconds(r.Seconds))
	if reason, inconclusive := r.Inconclusive(); inconclusive {
		fmt.Fprintf(&b, "\nINCONCLUSIVE: %s\n", reason)
		_, err := io.WriteString(w, b.String())
		return err
	}
	verdict := "PASS"
	if r.Failed() {
		verdict = "FAIL"
	}
	fmt.Fprintf(&b, "\n%s: %d failures, %d scenarios", verdict, failures, len(r.Scenarios))
	if failedScenarios > 0 {
		fmt.Fprintf(&b, " (%d failed)", failedScenarios)
	}
	fmt.Fprintf(&b, ", coverage complete: %t", r.Coverage.Complete())
	if r.CoverageRequired {
		b.WriteString(" (required)")
	}
	if len(uncounted) > 0 {
		fmt.Fprintf(&b, ", violations not counted: %d", len(uncounted))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// formatSeconds writes a duration of a report: 0.42s, 12.3s, 2m05s.
func formatSeconds(seconds float64) string {
	d := time.Duration(seconds * float64(time.Second))
	switch {
	case d < 10*time.Second:
		return fmt.Sprintf("%.2fs", seconds)
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", seconds)
	}
	return fmt.Sprintf("%dm%02ds", int(d/time.Minute), int(d%time.Minute/time.Second))
}

// FailureGroup is the failures of one check with one message, on every operation that had it:
// a target that drops a field fails the same way on many operations, and is read once.
type FailureGroup struct {
	Check   string `json:"check"`
	Message string `json:"message"`
	// Operations had the failure, in the order they ran; Failures are each occurrence, whose
	// first stands for the group in the text report.
	Operations []string  `json:"operations"`
	Failures   []Failure `json:"failures"`
}

// FailureGroups groups the failures of the checks by check and message, in the order they
// were found.
func (r *Report) FailureGroups() []FailureGroup {
	var groups []FailureGroup
	index := map[[2]string]int{}
	for _, res := range r.Results {
		for _, f := range res.Failures {
			key := [2]string{res.Check, f.Message}
			i, ok := index[key]
			if !ok {
				i = len(groups)
				index[key] = i
				groups = append(groups, FailureGroup{Check: res.Check, Message: f.Message})
			}
			g := &groups[i]
			if !slices.Contains(g.Operations, res.Operation) {
				g.Operations = append(g.Operations, res.Operation)
			}
			g.Failures = append(g.Failures, f)
		}
	}
	return groups
}

// violationSummary names a violation's check, operation and status, and says what is wrong.
func violationSummary(v contract.Violation) string {
	on := v.Operation
	if on == "" {
		on = v.Method + " " + v.URL
	}
	if v.Status != 0 {
		on += fmt.Sprintf(" (status %d)", v.Status)
	}
	return fmt.Sprintf("%s on %s: %s", v.Check, on, v.Message)
}

// WriteJSON writes the whole report as JSON, with its verdict and the violations not counted.
func (r *Report) WriteJSON(w io.Writer) error {
	encoder := json.NewEncoder(w)
	encoder.SetIndent("", "  ")
	return encoder.Encode(struct {
		*Report
		Failed    bool                 `json:"failed"`
		Uncounted []contract.Violation `json:"uncounted"`
	}{r, r.Failed(), r.Uncounted()})
}

// failureText is a failure's message and, when there is one, the command that reproduces it.
func failureText(message, curl string) string {
	if curl == "" {
		return message
	}
	return message + "\n  reproduce: " + curl
}

// WriteJUnit writes the report as JUnit XML: a suite per check with a case per operation, a
// suite of the scenarios with a case per scenario, when coverage is required a suite of it with a
// case per operation, and the violations not counted as skipped cases. Its failures are what
// fails the run, and nothing else.
func (r *Report) WriteJUnit(w io.Writer) error {
	suites := map[string]*junit.Suite{}
	var order []string
	for _, res := range r.Results {
		s, ok := suites[res.Check]
		if !ok {
			s = &junit.Suite{Name: res.Check}
			suites[res.Check] = s
			order = append(order, res.Check)
		}
		c := junit.Case{Name: res.Operation, Classname: "contract." + res.Check, Time: junit.Seconds(res.Seconds)}
		switch res.Status {
		case Failed:
			var text []string
			for _, f := range res.Failures {
				text = append(text, failureText(f.Message, f.Curl))
			}
			c.Failure = &junit.Failure{Message: res.Failures[0].Message, Text: strings.Join(text, "\n")}
		case Skipped:
			c.Skipped = &junit.Skipped{Message: res.Reason}
		}
		s.Add(c)
	}
	doc := junit.Suites{Name: "atlasstub contract", Time: junit.Seconds(r.Seconds)}
	for _, name := range order {
		doc.Suites = append(doc.Suites, *suites[name])
	}
	scenarios := junit.Suite{Name: "scenarios"}
	for _, s := range r.Scenarios {
		c := junit.Case{Name: s.Name, Classname: "contract.scenarios", Time: junit.Seconds(s.Seconds)}
		if s.Skipped != "" {
			c.Skipped = &junit.Skipped{Message: s.Skipped}
		}
		if s.Failed() {
			last := s.Steps[len(s.Steps)-1]
			c.Failure = &junit.Failure{Message: last.Name + ": " + last.Message, Text: failureText(last.Message, last.Curl)}
		}
		scenarios.Add(c)
	}
	if len(r.Scenarios) > 0 {
		doc.Suites = append(doc.Suites, scenarios)
	}
	if r.CoverageRequired {
		doc.Suites = append(doc.Suites, r.Coverage.junitSuite())
	}
	if uncounted := r.Uncounted(); len(uncounted) > 0 {
		s := junit.Suite{Name: "not counted"}
		for _, v := range uncounted {
			s.Add(junit.Case{Name: v.Check + " " + v.Operation, Classname: "contract.uncounted", Skipped: &junit.Skipped{
				Message: "outside the selected checks and operations: " + violationSummary(v) + "; reproduce: " + v.Curl,
			}})
		}
		doc.Suites = append(doc.Suites, s)
	}
	return doc.Write(w)
}
