package suite

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/contract/junit"
)

// WriteText writes the report for people: each check's counts, every failure with a curl
// command that reproduces it, the violations outside the selection, the scenarios, the coverage
// table and the verdict.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "atlasstub contract: %s (seed %d)\n\nChecks:\n", r.Target, r.Seed)
	summary := r.Summary()
	for _, name := range CheckNames() {
		counts, ok := summary[name]
		if !ok {
			continue
		}
		fmt.Fprintf(&b, "  %-30s %3d passed %3d failed %3d not applicable\n", name, counts[Passed], counts[Failed], counts[Skipped])
	}
	failures := 0
	for _, res := range r.Results {
		for _, f := range res.Failures {
			if failures == 0 {
				b.WriteString("\nFailures:\n")
			}
			failures++
			fmt.Fprintf(&b, "  - %s on %s: %s\n", res.Check, res.Operation, f.Message)
			if f.Curl != "" {
				fmt.Fprintf(&b, "    reproduce: %s\n", f.Curl)
			}
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
		fmt.Fprintf(&b, "  %s: %s\n", s.Name, verdict)
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
		c := junit.Case{Name: res.Operation, Classname: "contract." + res.Check}
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
	doc := junit.Suites{Name: "atlasstub contract"}
	for _, name := range order {
		doc.Suites = append(doc.Suites, *suites[name])
	}
	scenarios := junit.Suite{Name: "scenarios"}
	for _, s := range r.Scenarios {
		c := junit.Case{Name: s.Name, Classname: "contract.scenarios"}
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
