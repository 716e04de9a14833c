package suite_test

import (
	"bytes"
	"context"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
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
// invalid fails kin-openapi's validation against the specification.
func TestNegativeCasesReallyBreakTheSpecification(t *testing.T) {
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	options := &openapi3filter.Options{MultiError: true, ExcludeReadOnlyValidations: true, SkipSettingDefaults: true, AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}
	validate := func(method, path, contentType string, body []byte) error {
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		route, pathParams, err := spec.Route(req)
		if err != nil {
			return err
		}
		return openapi3filter.ValidateRequest(context.Background(), &openapi3filter.RequestValidationInput{Request: req, PathParams: pathParams, Route: route, Options: options})
	}
	total := 0
	for _, op := range spec.Operations() {
		if op.OAuthErrors() {
			continue // their negative case is a form without its required field
		}
		cases := suite.NegativeCases(op, validParams, 7)
		require.NotEmpty(t, cases, "%s has no negative cases", op.OperationID)
		base := suite.ValidCase(op, validParams)
		require.NoError(t, validate(base.Method, base.Path, base.ContentType, base.Body), "%s: the request the cases mutate must be valid", op.OperationID)
		for _, c := range cases {
			total++
			err := validate(c.Method, c.Path, c.ContentType, c.Body)
			assert.Error(t, err, "%s: %q is called invalid but validates: %s %s %s", op.OperationID, c.Broken, c.Method, c.Path, c.Body)
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
