package openapi

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Our specification says what the stub and the kit need beyond OpenAPI in x-atlas-*
// extensions of each operation:
//
//   - x-atlas-versions: the resource versions it serves (see Versions);
//   - x-atlas-roles: the roles that allow it, any one of them enough;
//   - x-atlas-changes-credential: the path parameter naming an API key or service account whose
//     rights the operation changes;
//   - x-atlas-error-format: "oauth2" where errors are RFC 6749 bodies;
//   - x-atlas-error-codes (on schemas): the errorCode answered when a value breaks a keyword.

// Roles returns the roles that allow an operation (x-atlas-roles); none means that any
// authenticated caller may call it.
func Roles(op *openapi3.Operation) []string {
	if op == nil {
		return nil
	}
	return ExtensionStrings(op.Extensions, "x-atlas-roles")
}

// ChangedCredential returns the name of the path parameter that names the credential whose
// rights the operation changes (x-atlas-changes-credential), or "".
func ChangedCredential(op *openapi3.Operation) string {
	if op == nil {
		return ""
	}
	param, _ := op.Extensions["x-atlas-changes-credential"].(string)
	return param
}

// OAuthErrors reports whether an operation answers errors as RFC 6749 bodies
// (x-atlas-error-format: oauth2) instead of Atlas's.
func OAuthErrors(op *openapi3.Operation) bool {
	return op != nil && op.Extensions["x-atlas-error-format"] == "oauth2"
}

// ExtensionStrings reads an extension that holds a list of strings, each trimmed of spaces;
// anything else in the list is skipped, and a missing extension is an empty list.
func ExtensionStrings(extensions map[string]any, name string) []string {
	items, _ := extensions[name].([]any)
	out := make([]string, 0, len(items))
	for _, item := range items {
		if s, ok := item.(string); ok {
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}
