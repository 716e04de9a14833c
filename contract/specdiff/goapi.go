package specdiff

import "github.com/atlasstub/atlasstub/contract/apidrift"

// The checks of the Go API of the generated packages.
const (
	GoAPIRemovedID           = "go-api-removed"
	GoAPIChangedID           = "go-api-changed"
	GoAPIInterfaceExtendedID = "go-api-interface-extended"
	GoAPICompatibleID        = "go-api-compatible"
	GoPackageRemovedID       = "go-package-removed"
)

// removedPackageFindings reports each compared package that the revision no longer has.
func removedPackageFindings(dirs []string) []Finding {
	findings := make([]Finding, 0, len(dirs))
	for _, dir := range dirs {
		findings = append(findings, Finding{
			ID: GoPackageRemovedID, Level: Breaking, Source: dir,
			Text: "the package was removed; code that imports it no longer builds",
		})
	}
	return findings
}

// goAPIFindings turns apidrift's changes into findings: an incompatible change breaks the code
// of users who import the package; a compatible one belongs in the changelog. A method added to
// an interface is a warning: every new operation adds one to the generated client and server
// interfaces, which breaks only code that implements them (with a compile error naming the
// method), and failing the gate on it would fail every additive change of the specification.
func goAPIFindings(changes []apidrift.Change) []Finding {
	findings := make([]Finding, 0, len(changes))
	for _, change := range changes {
		finding := Finding{ID: GoAPICompatibleID, Level: Info, Source: change.Package, Symbol: change.Symbol, Text: change.Message}
		switch {
		case change.Compatible:
		case change.ExtendsInterface():
			finding.ID, finding.Level = GoAPIInterfaceExtendedID, Warning
			finding.Text = "added to the interface; implementations must add the method"
		case change.Removed():
			finding.ID, finding.Level = GoAPIRemovedID, Breaking
		default:
			finding.ID, finding.Level = GoAPIChangedID, Breaking
		}
		findings = append(findings, finding)
	}
	return findings
}
