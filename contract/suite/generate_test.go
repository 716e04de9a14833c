package suite_test

import (
	"bytes"
	"net/http/httptest"
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

// TestNegativeCasesReallyBreakTheSpecification shows that negative_data_rejection has no false
// positives: for every operation, the request it mutates is valid, and every request it calls
// invalid fails the Transport's validation against the specification.
func TestNegativeCasesReallyBreakTheSpecification(t *testing.T) {
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	validate := func(c suite.Case) error {
		req := httptest.NewRequest(c.Method, c.Path, bytes.NewReader(c.Body))
		if c.ContentType != "" {
			req.Header.Set("Content-Type", c.ContentType)
		}
		return spec.ValidateRequest(req, c.Body)
	}
	total := 0
	for _, op := range spec.Operations() {
		cases := suite.NegativeCases(op, validParams, 7)
		require.NotEmpty(t, cases, "%s has no negative cases", op.OperationID)
		base := suite.ValidCase(op, validParams)
		require.NoError(t, validate(base), "%s: the request the cases mutate must be valid", op.OperationID)
		for _, c := range cases {
			total++
			assert.Error(t, validate(c), "%s: %q is called invalid but validates: %s %s %s", op.OperationID, c.Broken, c.Method, c.Path, c.Body)
		}
	}
	t.Logf("%d negative cases, all invalid", total)
	assert.Greater(t, total, 500)
}

func TestNegativeCasesAreDeterministic(t *testing.T) {
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	for _, op := range spec.Operations() {
		if op.OperationID == "createGroupDatabaseUser" {
			assert.Equal(t, suite.NegativeCases(op, validParams, 3), suite.NegativeCases(op, validParams, 3))
			return
		}
	}
	t.Fatal("no createGroupDatabaseUser operation")
}
