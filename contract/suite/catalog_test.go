package suite

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract"
)

// TestTheCatalogCoversTheSpecification keeps the catalog and the specification in step: a new
// operation needs a recipe, and a recipe needs an operation.
func TestTheCatalogCoversTheSpecification(t *testing.T) {
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, op := range spec.Operations() {
		seen[op.OperationID] = true
		rec, ok := catalog[op.OperationID]
		if !assert.True(t, ok, "the catalog has no recipe for %s", op.OperationID) {
			continue
		}
		takesJSON := op.RequestBody != nil && op.RequestBody.Value.Content.Get("application/json") != nil
		assert.Equal(t, takesJSON, rec.body != nil, "%s: a JSON body in the specification needs one in the recipe, and only then", op.OperationID)
		if op.Responses.Status(409) != nil {
			assert.NotNil(t, rec.conflict, "%s declares 409 and needs a conflicting request", op.OperationID)
		}
	}
	for id := range catalog {
		assert.True(t, seen[id], "the catalog has a recipe for %s, which the specification does not have", id)
	}
}

// TestTheDocumentationNamesEveryCheck keeps docs/contract-kit.md in step with the checks.
func TestTheDocumentationNamesEveryCheck(t *testing.T) {
	doc, err := os.ReadFile("../../docs/contract-kit.md")
	require.NoError(t, err)
	for _, name := range append(CheckNames(), contract.CheckUndocumented) {
		assert.Contains(t, string(doc), "`"+name+"`", "docs/contract-kit.md does not describe %s", name)
	}
}

// TestTheDocumentationNamesTheOperationsThatTakeExamples keeps docs/contract-kit.md's list of
// the operations whose valid requests the specification's examples add to in step with the code.
func TestTheDocumentationNamesTheOperationsThatTakeExamples(t *testing.T) {
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	doc, err := os.ReadFile("../../docs/contract-kit.md")
	require.NoError(t, err)
	_, list, found := strings.Cut(string(doc), "Today they add to")
	require.True(t, found, "docs/contract-kit.md lists the operations that take examples")
	list, _, _ = strings.Cut(list, "Everywhere else")
	var documented, takes []string
	for _, op := range spec.Operations() {
		if strings.Contains(list, "`"+op.OperationID+"`") {
			documented = append(documented, op.OperationID)
		}
		base := offlineCall(op, map[string]string{})
		if variations := newGenerator(1, op).positive(base); len(variations) > 1 && variations[1].describe == withExamplesVariation {
			takes = append(takes, op.OperationID)
		}
	}
	assert.Equal(t, takes, documented)
}
