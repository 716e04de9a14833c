// Package specdiff is the breaking-change gate of the contract. It compares two versions of the
// specifications with oasdiff's checks (plus the checks of our own extensions), compares the
// exported Go API of the generated packages with apidrift, and lets a breaking change through
// only when a reviewed, unexpired exemption names it.
package specdiff

import (
	"slices"
	"strings"
)

// Level is how much a change matters to the users of the contract, in oasdiff's words.
type Level string

const (
	// Breaking changes break existing clients; they fail the gate unless exempted.
	Breaking Level = "error"
	// Warning changes may break some clients; they are reported and never fail.
	Warning Level = "warning"
	// Info changes are the rest of the changelog.
	Info Level = "info"
)

// Finding is one change between the base and the revision.
type Finding struct {
	// ID names the check: an oasdiff rule id, or one of ours (see CheckIDs).
	ID    string `json:"id"`
	Level Level  `json:"level"`
	// Source is the specification file or Go package directory the change is in.
	Source string `json:"source"`
	// Method, Path and OperationID locate a change of the specification.
	Method      string `json:"method,omitempty"`
	Path        string `json:"path,omitempty"`
	OperationID string `json:"operationId,omitempty"`
	// Symbol locates a change of a Go package: Type, Type.Field or (*Type).Method.
	Symbol string `json:"symbol,omitempty"`
	Text   string `json:"text"`
	// Exemption is the exemption that lets this breaking change through, if any.
	Exemption *Exemption `json:"exemption,omitempty"`
}

// Where says where the change is, for reports.
func (f Finding) Where() string {
	switch {
	case f.Symbol != "":
		return f.Source + " " + f.Symbol
	case f.Method != "":
		return f.Method + " " + f.Path
	case f.Path != "":
		return f.Path
	default:
		return f.Source
	}
}

// Report is the outcome of the gate.
type Report struct {
	Base     string `json:"base"`
	Revision string `json:"revision"`
	// Compared lists the specification files and Go packages that were compared.
	Compared []string  `json:"compared"`
	Findings []Finding `json:"findings"`
	// Notes explain what was not compared, and why.
	Notes []string `json:"notes,omitempty"`
	// ExpiredExemptions fail the gate until they are removed or renewed with a new reason.
	ExpiredExemptions []Exemption `json:"expiredExemptions,omitempty"`
	// UnusedExemptions match nothing; they are reported so that they get removed.
	UnusedExemptions []Exemption `json:"unusedExemptions,omitempty"`
	// comparedFiles is set when Base and Revision are two specification files, not two trees.
	comparedFiles bool
}

// Unexempted returns the breaking changes that no exemption lets through.
func (r Report) Unexempted() []Finding {
	return r.filter(func(f Finding) bool { return f.Level == Breaking && f.Exemption == nil })
}

// Exempted returns the breaking changes that an exemption lets through.
func (r Report) Exempted() []Finding {
	return r.filter(func(f Finding) bool { return f.Level == Breaking && f.Exemption != nil })
}

// AtLevel returns the findings of one level, whether exempted or not.
func (r Report) AtLevel(level Level) []Finding {
	return r.filter(func(f Finding) bool { return f.Level == level })
}

// Failed reports whether the gate fails: a breaking change without exemption, or an expired
// exemption.
func (r Report) Failed() bool {
	return len(r.Unexempted()) > 0 || len(r.ExpiredExemptions) > 0
}

func (r Report) filter(keep func(Finding) bool) []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// sortFindings orders findings by source, place and check, so reports are stable.
func sortFindings(findings []Finding) {
	slices.SortStableFunc(findings, func(a, b Finding) int {
		return strings.Compare(
			a.Source+"\x00"+a.Path+"\x00"+a.Method+"\x00"+a.Symbol+"\x00"+a.ID+"\x00"+a.Text,
			b.Source+"\x00"+b.Path+"\x00"+b.Method+"\x00"+b.Symbol+"\x00"+b.ID+"\x00"+b.Text)
	})
}
