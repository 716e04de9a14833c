package specdiff

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/oasdiff/oasdiff/checker"

	"github.com/atlasstub/atlasstub/contract/internal/glob"
	"github.com/atlasstub/atlasstub/contract/internal/reviewed"
)

// Exemption lets one reviewed breaking change through the gate until it expires. An expired
// exemption fails the gate: a breaking change is accepted for a while, not forever.
type Exemption struct {
	// ID is the check id of the change (an oasdiff rule id, atlas-* or go-api-*).
	ID string `yaml:"id" json:"id"`
	// Operation (an operationId or "METHOD /path") or Path names where a specification change is.
	Operation string `yaml:"operation,omitempty" json:"operation,omitempty"`
	Path      string `yaml:"path,omitempty" json:"path,omitempty"`
	// Package and Symbol name a Go API change; in Symbol, * matches any text. A removed package
	// (go-package-removed) needs no Symbol.
	Package string `yaml:"package,omitempty" json:"package,omitempty"`
	Symbol  string `yaml:"symbol,omitempty" json:"symbol,omitempty"`
	Reason  string `yaml:"reason" json:"reason"`
	// Expires is the last day (YYYY-MM-DD, UTC) on which the exemption applies.
	Expires string `yaml:"expires" json:"expires"`
}

const dateLayout = "2006-01-02"

// Expired reports whether now is after the exemption's last day.
func (e Exemption) Expired(now time.Time) bool {
	lastDay, err := time.Parse(dateLayout, e.Expires)
	if err != nil {
		return true // ParseExemptions rejects such entries; never let one through
	}
	return !now.UTC().Before(lastDay.AddDate(0, 0, 1))
}

// Matches reports whether the exemption names the finding.
func (e Exemption) Matches(f Finding) bool {
	if e.ID != f.ID {
		return false
	}
	if isGoAPICheck(e.ID) {
		return e.Package == f.Source && glob.Match(e.Symbol, f.Symbol)
	}
	if e.Operation != "" && e.Operation != f.OperationID && e.Operation != f.Method+" "+f.Path {
		return false
	}
	return e.Path == "" || e.Path == f.Path
}

func (e Exemption) String() string {
	var target string
	switch {
	case e.Package != "":
		target = strings.TrimSpace(e.Package + " " + e.Symbol)
	case e.Operation != "":
		target = e.Operation
	default:
		target = e.Path
	}
	return fmt.Sprintf("%s %s (expires %s)", e.ID, target, e.Expires)
}

// LoadExemptions reads an exemptions file; see ParseExemptions.
func LoadExemptions(path string) ([]Exemption, error) { return reviewed.Load(path, ParseExemptions) }

// ParseExemptions reads the YAML of an exemptions file:
//
//	exemptions:
//	  - id: request-parameter-enum-value-removed
//	    operation: listGroups
//	    reason: the value never worked on Atlas
//	    expires: 2027-01-31
//
// Unknown keys, unknown check ids, and entries without a reason, a valid expiry date or a target
// are errors, so that a typo cannot silently exempt nothing or everything.
func ParseExemptions(data []byte) ([]Exemption, error) {
	known := knownCheckIDs()
	return reviewed.Parse(data, reviewed.File[Exemption]{
		Key: "exemptions", Name: "exemptions", Entry: "exemption",
		Label:    func(e Exemption) string { return e.ID },
		Validate: func(e Exemption) error { return e.validate(known) },
	})
}

func (e Exemption) validate(known map[string]bool) error {
	switch {
	case e.ID == "":
		return errors.New("id is missing")
	case !known[e.ID]:
		return fmt.Errorf("unknown check id %q", e.ID)
	case strings.TrimSpace(e.Reason) == "":
		return errors.New("reason is missing")
	}
	if _, err := time.Parse(dateLayout, e.Expires); err != nil {
		return fmt.Errorf("expires %q is not a date (YYYY-MM-DD)", e.Expires)
	}
	specTarget := e.Operation != "" || e.Path != ""
	goTarget := e.Package != "" || e.Symbol != ""
	if isGoAPICheck(e.ID) {
		if specTarget || e.Package == "" || e.Symbol == "" && e.ID != GoPackageRemovedID {
			return errors.New("a Go API exemption names a package and a symbol (none for go-package-removed), and no operation or path")
		}
		return nil
	}
	if goTarget || !specTarget {
		return errors.New("a specification exemption names an operation or a path, and no package or symbol")
	}
	return nil
}

// applyExemptions marks each breaking finding that an unexpired exemption names, and records the
// expired and unused exemptions in the report.
func applyExemptions(report *Report, exemptions []Exemption, now time.Time) {
	letsThrough := func(e Exemption, f Finding) bool { return f.Level == Breaking && !e.Expired(now) && e.Matches(f) }
	unused := reviewed.Apply(report.Findings, exemptions, letsThrough, func(f *Finding, e *Exemption) { f.Exemption = e })
	for _, e := range unused { // an expired exemption lets nothing through, so it is among them
		if e.Expired(now) {
			report.ExpiredExemptions = append(report.ExpiredExemptions, e)
		} else {
			report.UnusedExemptions = append(report.UnusedExemptions, e)
		}
	}
}

func isGoAPICheck(id string) bool {
	return id == GoAPIRemovedID || id == GoAPIChangedID || id == GoPackageRemovedID
}

// knownCheckIDs are the ids an exemption may name: oasdiff's rules and ours. Compatible changes
// never fail the gate and so need no exemption.
func knownCheckIDs() map[string]bool {
	known := map[string]bool{}
	for _, id := range slices.Concat(checker.GetAllRuleIds(), []string{
		VersionRemovedID, RoleRemovedID, RoleRequiredID, GoAPIRemovedID, GoAPIChangedID, GoPackageRemovedID,
	}) {
		known[id] = true
	}
	return known
}
