package specdiff

import (
	"fmt"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/atlasstub/atlasstub/openapi"
)

// The checks of our own extensions, which oasdiff does not read. The stub serves the versions
// in x-atlas-versions and authorizes the roles in x-atlas-roles, so removing either breaks
// callers even when every schema stays the same (a 204 operation, for example, has no media type
// in which oasdiff could see a version disappear). An empty x-atlas-roles (the OAuth endpoints)
// lets in every caller with valid credentials, so naming roles there shuts out those that hold
// none of them.
const (
	VersionRemovedID = "atlas-version-removed"
	VersionAddedID   = "atlas-version-added"
	RoleRemovedID    = "atlas-role-removed"
	RoleAddedID      = "atlas-role-added"
	RoleRequiredID   = "atlas-role-required"
)

type extensionCheck struct {
	extension              string
	removedID, addedID     string
	removedText, addedText string
	// firstAddedID and firstAddedText, when set, report values added to an empty list as one
	// breaking change instead of additions.
	firstAddedID, firstAddedText string
}

var extensionChecks = []extensionCheck{
	{
		extension: "x-atlas-versions", removedID: VersionRemovedID, addedID: VersionAddedID,
		removedText: "removed the version %s; clients that request it get 406",
		addedText:   "added the version %s",
	},
	{
		extension: "x-atlas-roles", removedID: RoleRemovedID, addedID: RoleAddedID,
		removedText:  "no longer allows the role %s; callers that hold only that role get 403",
		addedText:    "also allows the role %s",
		firstAddedID: RoleRequiredID, firstAddedText: "now requires one of the roles %s, where it required none; callers that hold none of them get 403",
	},
}

// extensionFindings compares the extensions of every operation present in both documents.
func extensionFindings(source string, base, revision *openapi3.T) []Finding {
	var findings []Finding
	for path, baseItem := range base.Paths.Map() {
		revisionItem := revision.Paths.Value(path)
		if revisionItem == nil {
			continue
		}
		for method, baseOp := range baseItem.Operations() {
			revisionOp := revisionItem.GetOperation(method)
			if revisionOp == nil {
				continue
			}
			for _, check := range extensionChecks {
				before, after := openapi.ExtensionStrings(baseOp.Extensions, check.extension), openapi.ExtensionStrings(revisionOp.Extensions, check.extension)
				finding := Finding{Source: source, Method: method, Path: path, OperationID: revisionOp.OperationID}
				for _, value := range missingFrom(after, before) {
					finding.ID, finding.Level, finding.Text = check.removedID, Breaking, fmt.Sprintf(check.removedText, value)
					findings = append(findings, finding)
				}
				added := missingFrom(before, after)
				if len(before) == 0 && len(added) > 0 && check.firstAddedID != "" {
					finding.ID, finding.Level, finding.Text = check.firstAddedID, Breaking, fmt.Sprintf(check.firstAddedText, strings.Join(added, ", "))
					findings = append(findings, finding)
					continue
				}
				for _, value := range added {
					finding.ID, finding.Level, finding.Text = check.addedID, Info, fmt.Sprintf(check.addedText, value)
					findings = append(findings, finding)
				}
			}
		}
	}
	return findings
}

// missingFrom returns the values of from that list lacks.
func missingFrom(list, from []string) []string {
	var missing []string
	for _, value := range from {
		if !slices.Contains(list, value) {
			missing = append(missing, value)
		}
	}
	return missing
}
