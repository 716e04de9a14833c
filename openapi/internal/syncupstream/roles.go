package main

import (
	"regexp"
	"slices"
	"strings"
)

// The official specification states an operation's roles in its description: "To use this
// resource, the requesting Service Account or API Key must have the Project Owner role." rolesOf
// reads them once, when the specification is prepared, into x-atlas-roles, which the stub's
// authorization step reads for every operation, curated or official.

// roleSentence finds the sentences that state a requirement.
var roleSentence = regexp.MustCompile(`must have [^.]*`)

// rolePhrases name Atlas's roles as the descriptions write them, longest first, so that "Project
// Data Access Read Write" is read before "Read Write". The stub models the roles of server/roles;
// a role it does not model (Project Atlas Admin, Project Charts Admin, Project Monitoring Admin,
// Group User Admin, Organization User Admin) is read as the owner of its scope, whom Atlas lets do
// what every role of the scope can.
var rolePhrases = []struct{ phrase, role string }{
	{"Project Data Access Read Write", "GROUP_DATA_ACCESS_READ_WRITE"},
	{"Project Data Access Read Only", "GROUP_DATA_ACCESS_READ_ONLY"},
	{"Project Stream Processing Owner", "GROUP_STREAM_PROCESSING_OWNER"},
	{"Project Database Access Admin", "GROUP_DATABASE_ACCESS_ADMIN"},
	{"Project Observability Viewer", "GROUP_OBSERVABILITY_VIEWER"},
	{"Project Data Access Admin", "GROUP_DATA_ACCESS_ADMIN"},
	{"Project Search Index Editor", "GROUP_SEARCH_INDEX_EDITOR"},
	{"Organization Billing Viewer", "ORG_BILLING_READ_ONLY"},
	{"Organization Billing Admin", "ORG_BILLING_ADMIN"},
	{"Organization Group Creator", "ORG_GROUP_CREATOR"},
	{"Project Monitoring Admin", "GROUP_OWNER"},
	{"Organization Read Only", "ORG_READ_ONLY"},
	{"Organization User Admin", "ORG_OWNER"},
	{"Project Backup Manager", "GROUP_BACKUP_MANAGER"},
	{"Project Cluster Manager", "GROUP_CLUSTER_MANAGER"},
	{"Organization Member", "ORG_MEMBER"},
	{"Project Charts Admin", "GROUP_OWNER"},
	{"Organization Owner", "ORG_OWNER"},
	{"Project Atlas Admin", "GROUP_OWNER"},
	{"Project Data Access", "GROUP_DATA_ACCESS_READ_ONLY"}, // "any Project Data Access role": the least of them
	{"Project Read Only", "GROUP_READ_ONLY"},
	{"Group User Admin", "GROUP_OWNER"},
	{"Project Owner", "GROUP_OWNER"},
	{"Read Write", "GROUP_DATA_ACCESS_READ_WRITE"},
}

// rolesOf returns the roles that allow an operation: those its description names, any one of
// them enough, sorted. A description that names none leaves the choice to the scope of the
// path: in a project, reading takes GROUP_READ_ONLY and changing GROUP_OWNER; in an organization,
// ORG_MEMBER and ORG_OWNER; elsewhere (the root, a user, the federation settings) any
// authenticated caller may call it, as x-atlas-roles writes with an empty list.
func rolesOf(description, path, method string) []any {
	var roles []string
	for _, sentence := range roleSentence.FindAllString(description, -1) {
		for _, p := range rolePhrases {
			if strings.Contains(sentence, p.phrase) {
				roles = append(roles, p.role)
				sentence = strings.ReplaceAll(sentence, p.phrase, "")
			}
		}
	}
	if len(roles) == 0 {
		roles = defaultRoles(path, method)
	}
	slices.Sort(roles)
	out := []any{}
	for _, role := range slices.Compact(roles) {
		out = append(out, role)
	}
	return out
}

func defaultRoles(path, method string) []string {
	reads := method == "get"
	switch {
	case strings.Contains(path, "/groups/{groupId}") && reads:
		return []string{"GROUP_READ_ONLY"}
	case strings.Contains(path, "/groups/{groupId}"):
		return []string{"GROUP_OWNER"}
	case strings.Contains(path, "/orgs/{orgId}") && reads:
		return []string{"ORG_MEMBER"}
	case strings.Contains(path, "/orgs/{orgId}"):
		return []string{"ORG_OWNER"}
	}
	return nil
}
