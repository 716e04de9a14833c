package specdiff

import "github.com/atlasstub/atlasstub/contract/apidrift"

// The checks of the Go API of the generated packages.
const (
	GoAPIRemovedID    = "go-api-removed"
	GoAPIChangedID    = "go-api-changed"
	GoAPICompatibleID = "go-api-compatible"
)

// goAPIFindings turns apidrift's changes into findings: an incompatible change breaks the code
// of users who import the package; a compatible one belongs in the changelog.
func goAPIFindings(changes []apidrift.Change) []Finding {
	findings := make([]Finding, 0, len(changes))
	for _, change := range changes {
		finding := Finding{ID: GoAPICompatibleID, Level: Info, Source: change.Package, Symbol: change.Symbol, Text: change.Message}
		switch {
		case change.Compatible:
		case change.Removed():
			finding.ID, finding.Level = GoAPIRemovedID, Breaking
		default:
			finding.ID, finding.Level = GoAPIChangedID, Breaking
		}
		findings = append(findings, finding)
	}
	return findings
}
