package specdiff

import (
	"fmt"
	"io"
	"strings"

	"github.com/atlasstub/atlasstub/contract/internal/reviewed"
	"github.com/atlasstub/atlasstub/contract/junit"
)

// Summary counts the findings of a report.
type Summary struct {
	Breaking          int `json:"breaking"`
	Exempted          int `json:"exempted"`
	Warnings          int `json:"warnings"`
	Info              int `json:"info"`
	ExpiredExemptions int `json:"expiredExemptions"`
}

// Summary counts the report's findings.
func (r Report) Summary() Summary {
	return Summary{
		Breaking:          len(r.Unexempted()),
		Exempted:          len(r.Exempted()),
		Warnings:          len(r.AtLevel(Warning)),
		Info:              len(r.AtLevel(Info)),
		ExpiredExemptions: len(r.ExpiredExemptions),
	}
}

// WriteText writes the report for a person: breaking changes first, the changelog last, and a
// one-line result.
func (r Report) WriteText(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", r.headline())
	for _, note := range r.Notes {
		fmt.Fprintf(&b, "note: %s\n", note)
	}
	writeSection(&b, "Breaking changes", r.Unexempted(), nil)
	writeSection(&b, "Breaking changes let through by an exemption", r.Exempted(), func(f Finding) string {
		return fmt.Sprintf("exempted until %s: %s", f.Exemption.Expires, f.Exemption.Reason)
	})
	writeSection(&b, "Warnings", r.AtLevel(Warning), nil)
	writeSection(&b, "Changelog (compatible changes)", r.AtLevel(Info), nil)
	reviewed.WriteEntries(&b, "Expired exemptions", "remove each, or renew it after a new review", r.ExpiredExemptions,
		func(e Exemption) string { return e.String() + ": " + e.Reason })
	reviewed.WriteEntries(&b, "Exemptions that match no change", "remove them once the change has landed", r.UnusedExemptions,
		Exemption.String)
	fmt.Fprintf(&b, "\n%s\n", r.resultLine())
	_, err := io.WriteString(w, b.String())
	return err
}

// headline says what was compared: two files, or what of two trees.
func (r Report) headline() string {
	compared := fmt.Sprintf("Compared %s (base) with %s (revision)", r.Base, r.Revision)
	switch {
	case r.comparedFiles:
		return compared
	case len(r.Compared) == 0:
		return compared + ": nothing that both have"
	default:
		return compared + ": " + strings.Join(r.Compared, ", ")
	}
}

func writeSection(b *strings.Builder, title string, findings []Finding, detail func(Finding) string) {
	if len(findings) == 0 {
		return
	}
	fmt.Fprintf(b, "\n%s (%d):\n", title, len(findings))
	for _, f := range findings {
		fmt.Fprintf(b, "  - %s: %s [%s]\n", f.Where(), f.Text, f.ID)
		if detail != nil {
			fmt.Fprintf(b, "      %s\n", detail(f))
		}
	}
}

func (r Report) resultLine() string {
	s := r.Summary()
	counts := fmt.Sprintf("%d breaking (%d exempted), %d warnings, %d other changes",
		s.Breaking+s.Exempted, s.Exempted, s.Warnings, s.Info)
	if !r.Failed() {
		return "PASS: " + counts
	}
	var reasons []string
	if s.Breaking > 0 {
		reasons = append(reasons, fmt.Sprintf("%d breaking changes without exemption", s.Breaking))
	}
	if s.ExpiredExemptions > 0 {
		reasons = append(reasons, fmt.Sprintf("%d expired exemptions", s.ExpiredExemptions))
	}
	return "FAIL: " + strings.Join(reasons, " and ") + "; " + counts
}

// WriteJSON writes the report with its summary and result as one JSON document.
func (r Report) WriteJSON(w io.Writer) error {
	return reviewed.WriteJSON(w, struct {
		Report
		Summary Summary `json:"summary"`
		Failed  bool    `json:"failed"`
	}{r, r.Summary(), r.Failed()})
}

// WriteJUnit writes one test suite per compared source, with a test case per breaking change
// (failed, or skipped when exempted) or a passing case when it has none, and a suite of the
// exemptions in which an expired one fails.
func (r Report) WriteJUnit(w io.Writer) error {
	suites := junit.Suites{Name: "atlasstub spec diff"}
	for _, source := range r.Compared {
		suite := junit.Suite{Name: source}
		for _, f := range r.AtLevel(Breaking) {
			if f.Source != source {
				continue
			}
			c := junit.Case{Name: fmt.Sprintf("%s %s", f.ID, f.Where()), Classname: source}
			if f.Exemption != nil {
				c.Skipped = &junit.Skipped{Message: fmt.Sprintf("exempted until %s: %s", f.Exemption.Expires, f.Exemption.Reason)}
			} else {
				c.Failure = &junit.Failure{Message: "breaking change", Text: f.Text}
			}
			suite.Add(c)
		}
		if suite.Tests == 0 {
			suite.Add(junit.Case{Name: "no breaking changes", Classname: source})
		}
		suites.Suites = append(suites.Suites, suite)
	}
	if len(r.ExpiredExemptions)+len(r.UnusedExemptions) > 0 {
		suite := junit.Suite{Name: "exemptions"}
		for _, e := range r.ExpiredExemptions {
			suite.Add(junit.Case{Name: e.String(), Classname: "exemptions", Failure: &junit.Failure{
				Message: "expired exemption", Text: "remove it, or renew it after a new review: " + e.Reason}})
		}
		for _, e := range r.UnusedExemptions {
			suite.Add(junit.Case{Name: e.String(), Classname: "exemptions", Skipped: &junit.Skipped{Message: "matches no change"}})
		}
		suites.Suites = append(suites.Suites, suite)
	}
	return suites.Write(w)
}
