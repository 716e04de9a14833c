package suite_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/contract/suite"
)

// validParams are path parameters that satisfy every pattern of the specification.
var validParams = map[string]string{
	"groupId": "32b6e34b3d91647abb20e7b8", "orgId": "4888442a3354817a7320eb61", "apiUserId": "5d1113b25a115342acc2d1aa",
	"secretId": "66b544825867ba071c85469d", "clientId": "mdb_sa_id_66ad205d181fc82b21b336e3", "ipAddress": "192.0.2.0/24",
	"username": "myX509User", "databaseName": "$external", "groupName": "Project0",
}

// validate checks a generated request as the Transport checks a client's.
func validate(spec *contract.Spec, c suite.Case) error {
	req := httptest.NewRequest(c.Method, c.Path, bytes.NewReader(c.Body))
	if c.ContentType != "" {
		req.Header.Set("Content-Type", c.ContentType)
	}
	return spec.ValidateRequest(req, c.Body)
}

// TestGeneratedCasesKeepToTheSpecification shows that the generated requests are what the
// checks take them for, over every operation: each valid one (positive_data_acceptance, and the
// request the negative cases mutate) satisfies the specification, and each invalid one
// (negative_data_rejection) breaks it, so that neither check blames a target wrongly.
func TestGeneratedCasesKeepToTheSpecification(t *testing.T) {
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	positives, negatives := 0, 0
	for _, op := range spec.Operations() {
		for _, seed := range []uint64{1, 7} {
			for _, c := range suite.PositiveCases(op, validParams, seed) {
				positives++
				assert.NoError(t, validate(spec, c), "%s: a valid case: %s %s %s", op.OperationID, c.Method, c.Path, c.Body)
			}
			cases := suite.NegativeCases(op, validParams, seed)
			require.NotEmpty(t, cases, "%s has no negative cases", op.OperationID)
			for _, c := range cases {
				negatives++
				assert.Error(t, validate(spec, c), "%s: %q is called invalid but validates: %s %s %s", op.OperationID, c.Broken, c.Method, c.Path, c.Body)
			}
		}
	}
	t.Logf("over two seeds: %d valid cases, all valid; %d negative cases, all invalid", positives, negatives)
	assert.Greater(t, negatives, 1000)
}

// TestNegativeCasesBreakTheExamplesFields: the negative cases mutate the valid request with the
// specification's examples, so each field that the examples add to the catalog's request (the
// fields of a valid case that the first, the catalog's, leaves out) is broken by one of them.
func TestNegativeCasesBreakTheExamplesFields(t *testing.T) {
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	added := 0
	for _, op := range spec.Operations() {
		valid := suite.PositiveCases(op, validParams, 1)
		negatives := suite.NegativeCases(op, validParams, 1)
		// A body that is not an object (a list, a form, none) has no fields to add to.
		var catalog map[string]any
		_ = json.Unmarshal(valid[0].Body, &catalog)
		for _, c := range valid[1:] {
			var body map[string]any
			_ = json.Unmarshal(c.Body, &body)
			for field := range body {
				if _, set := catalog[field]; set {
					continue
				}
				added++
				broken := slices.ContainsFunc(negatives, func(n suite.Case) bool {
					return strings.HasPrefix(n.Broken, "body "+field+":") || strings.HasPrefix(n.Broken, "body "+field+".")
				})
				assert.True(t, broken, "%s: no negative case breaks %s, which the examples add", op.OperationID, field)
			}
		}
	}
	assert.Positive(t, added, "the examples add fields to some operation's request")
}

// TestTheSeedDecidesTheGeneratedData: over every operation, the same seed generates the same
// requests, and another seed generates other data for most of them: the values that break a
// rule (how long, how far off, which wrong type, which unknown property, where the JSON is cut),
// and the values within a parameter's range.
func TestTheSeedDecidesTheGeneratedData(t *testing.T) {
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	same, total := 0, 0
	for _, op := range spec.Operations() {
		assert.Equal(t, suite.NegativeCases(op, validParams, 3), suite.NegativeCases(op, validParams, 3), op.OperationID)
		assert.Equal(t, suite.PositiveCases(op, validParams, 3), suite.PositiveCases(op, validParams, 3), op.OperationID)
		other := map[string]bool{}
		for _, c := range suite.NegativeCases(op, validParams, 4) {
			other[key(c)] = true
		}
		for _, c := range suite.NegativeCases(op, validParams, 3) {
			total++
			if other[key(c)] {
				same++
			}
		}
	}
	t.Logf("seeds 3 and 4: %d of %d negative cases alike", same, total)
	assert.Less(t, same*4, total, "fewer than a quarter of the cases are alike across seeds")
}

func key(c suite.Case) string {
	return fmt.Sprintf("%s %s %s %s", c.Method, c.Path, c.ContentType, c.Body)
}
