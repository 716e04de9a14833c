package suite

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strconv"
)

// The HTML report is one page with nothing to fetch (its style is inline), for a person who opens
// it from a CI artifact: the verdict, the checks, the coverage matrix of operations by status and
// version, and each failure with its check, request, response and curl command.

//go:embed report.html
var reportHTML string

var reportTemplate = template.Must(template.New("report").Parse(reportHTML))

// WriteHTML writes the report as one self-contained HTML page.
func (r *Report) WriteHTML(w io.Writer) error {
	return reportTemplate.Execute(w, r.htmlPage())
}

// htmlPage is what the template shows.
type htmlPage struct {
	Report                               *Report
	Verdict, VerdictClass, VerdictDetail string
	Elapsed, CoverageSummary             string
	Checks                               []htmlCheck
	Statuses                             []string
	Rows                                 []htmlRow
	Groups                               []FailureGroup
	Uncounted                            []string
}

type htmlCheck struct {
	Name                    string
	Passed, Failed, Skipped int
	Time                    string
}

type htmlRow struct {
	Operation, Method, Path string
	Cells                   []htmlCell
	Versions                []htmlVersion
}

type htmlCell struct{ Status, Class, Text, Title string }

type htmlVersion struct{ Version, Class, Title string }

func (r *Report) htmlPage() htmlPage {
	p := htmlPage{Report: r, Elapsed: formatSeconds(r.Seconds), Groups: r.FailureGroups()}
	failures := 0
	for _, g := range p.Groups {
		failures += len(g.Failures)
	}
	switch reason, inconclusive := r.Inconclusive(); {
	case inconclusive:
		p.Verdict, p.VerdictClass, p.VerdictDetail = "INCONCLUSIVE", "inconclusive", reason
	case r.Failed():
		p.Verdict, p.VerdictClass = "FAIL", "fail"
	default:
		p.Verdict, p.VerdictClass = "PASS", "pass"
	}
	if p.VerdictDetail == "" {
		failedScenarios := 0
		for _, s := range r.Scenarios {
			if s.Failed() {
				failedScenarios++
			}
		}
		p.VerdictDetail = fmt.Sprintf("%d failures, %d scenarios", failures, len(r.Scenarios))
		if failedScenarios > 0 {
			p.VerdictDetail += fmt.Sprintf(" (%d failed)", failedScenarios)
		}
		p.VerdictDetail += fmt.Sprintf(", coverage complete: %t", r.Coverage.Complete())
		if r.CoverageRequired {
			p.VerdictDetail += " (required)"
		}
	}

	summary := r.Summary()
	seconds := map[string]float64{}
	for _, res := range r.Results {
		seconds[res.Check] += res.Seconds
	}
	for _, name := range CheckNames() {
		if counts, ok := summary[name]; ok {
			p.Checks = append(p.Checks, htmlCheck{name, counts[Passed], counts[Failed], counts[Skipped], formatSeconds(seconds[name])})
		}
	}

	// A status fails on an operation when a counted failure came with a response of that status.
	failed := map[string]map[string]bool{}
	for _, res := range r.Results {
		for _, f := range res.Failures {
			if f.Status != 0 {
				if failed[res.Operation] == nil {
					failed[res.Operation] = map[string]bool{}
				}
				failed[res.Operation][strconv.Itoa(f.Status)] = true
			}
		}
	}
	for _, op := range r.Coverage.Operations {
		for _, s := range op.Declared {
			if !slices.Contains(p.Statuses, s) {
				p.Statuses = append(p.Statuses, s)
			}
		}
	}
	slices.Sort(p.Statuses)
	for _, op := range r.Coverage.Operations {
		row := htmlRow{Operation: op.Operation, Method: op.Method, Path: op.Path}
		for _, status := range p.Statuses {
			cell := htmlCell{Status: status}
			switch declared, exercised := slices.Contains(op.Declared, status), slices.Contains(op.Exercised, status); {
			case failed[op.Operation][status]:
				cell.Class, cell.Text, cell.Title = "failed", "✗", "a check failed on a "+status+" response"
			case exercised:
				cell.Class, cell.Text, cell.Title = "covered", "✓", "answered "+status
			case !declared:
				cell.Class, cell.Title = "none", "not declared"
			case !provokes(status):
				cell.Class, cell.Text, cell.Title = "server-error", "–", "a 5xx or 429, which a client cannot provoke with a request's content"
			default:
				cell.Class, cell.Text, cell.Title = "missed", "·", "declared, never answered"
			}
			row.Cells = append(row.Cells, cell)
		}
		for _, v := range op.Versions {
			version := htmlVersion{Version: v, Class: "missed", Title: "declared, never served"}
			if slices.Contains(op.ServedVersions, v) {
				version.Class, version.Title = "covered", "served"
			}
			row.Versions = append(row.Versions, version)
		}
		p.Rows = append(p.Rows, row)
	}
	exercised, ops, statuses, provokable := r.Coverage.Counts()
	p.CoverageSummary = fmt.Sprintf("operations exercised: %d/%d; provokable statuses exercised: %d/%d", exercised, ops, statuses, provokable)

	for _, v := range r.Uncounted() {
		p.Uncounted = append(p.Uncounted, violationSummary(v))
	}
	return p
}
