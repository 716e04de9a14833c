package compat

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas-sdk/v20250312013/admin"

	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/contract/suite"
	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestSDKModelBodiesAreAcceptedAsLiveAtlasAcceptsThem makes a rule of what the official SDK sends:
// it serializes its request models with encoding/json, so the properties a caller leaves unset go
// out as null (a slice pointer set to a nil slice), 0 and 0001-01-01T00:00:00Z (the fields
// without omitempty). For every operation with a request body that the SDK has for our endpoints,
// the kit's valid requests (positive_data_acceptance) are decoded into the SDK's own request model
// of the operation, every slice the value leaves unset is set to nil, and the value is sent as the
// SDK sends it, as its versioned media type. The stub accepts every one of them, as live Atlas
// does.
func TestSDKModelBodiesAreAcceptedAsLiveAtlasAcceptsThem(t *testing.T) {
	t.Parallel()
	spec, err := contract.LoadSpec()
	require.NoError(t, err)
	var ops []string
	for _, op := range spec.Operations() {
		if _, inSDK := sdkMethods[op.OperationID]; inSDK && op.RequestBody != nil {
			ops = append(ops, op.OperationID)
		}
	}
	require.NotEmpty(t, ops)

	stub := stubtest.New(t)
	bodies := &sdkBodies{spec: spec, next: http.DefaultTransport, sent: map[string][]string{}}
	report, err := suite.Run(context.Background(), suite.Config{
		Credentials: kitCredentials(t, stub), Seed: 16, Checks: []string{"positive_data_acceptance"},
		Operations: ops, SkipScenarios: true, Network: bodies,
	})
	require.NoError(t, err)
	if report.Failed() {
		require.NoError(t, report.WriteText(os.Stdout))
	}
	assert.False(t, report.Failed(), "the stub refuses a body as the SDK sends it")

	unset := 0
	for _, id := range ops {
		sent := bodies.sent[id]
		assert.NotEmpty(t, sent, "%s: no body went out as the SDK's %s serializes it", id, sdkMethods[id])
		for _, body := range sent {
			unset += strings.Count(body, ":null") + strings.Count(body, `"0001-01-01T00:00:00Z"`)
		}
	}
	t.Logf("%d operations, %d members left unset (null or the zero time) in what the SDK's models sent", len(ops), unset)
	assert.Positive(t, unset, "the SDK's models left something unset")
	assert.Contains(t, strings.Join(bodies.sent["updateGroupDatabaseUser"], "\n"), `"roles":null`)
	assert.Contains(t, strings.Join(bodies.sent["createGroup"], "\n"), `"clusterCount":0,"created":"0001-01-01T00:00:00Z"`)
}

// TestSDKUpdateOfThePasswordAloneKeepsTheRoles: the SDK's update of a password alone, from a
// model whose roles the caller left nil, is 200 and keeps the user's roles, as live Atlas does.
func TestSDKUpdateOfThePasswordAloneKeepsTheRoles(t *testing.T) {
	t.Parallel()
	stub := stubtest.New(t)
	sa := stub.Credentials.ServiceAccount
	client := newOAuthClient(t, stub.URL, sa.ClientId, sa.ClientSecret)
	ctx, project := context.Background(), stub.Credentials.ProjectId
	roles := []admin.DatabaseUserRole{{DatabaseName: "sales", RoleName: "readWrite"}}
	_, _, err := client.DatabaseUsersApi.CreateDatabaseUser(ctx, project, &admin.CloudDatabaseUser{
		DatabaseName: "admin", GroupId: project, Username: "u", Password: admin.PtrString("first-password"), Roles: &roles,
	}).Execute()
	require.NoError(t, err)

	var unset []admin.DatabaseUserRole
	user := admin.CloudDatabaseUser{DatabaseName: "admin", GroupId: project, Username: "u", Password: admin.PtrString("second-password"), Roles: &unset, X509Type: admin.PtrString("NONE")}
	sent, err := json.Marshal(user)
	require.NoError(t, err)
	require.Contains(t, string(sent), `"roles":null`, "what the SDK sends")
	updated, res, err := client.DatabaseUsersApi.UpdateDatabaseUser(ctx, project, "admin", "u", &user).Execute()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, res.StatusCode)
	assert.Equal(t, roles, updated.GetRoles())
}

// sdkBodies is a transport that sends the JSON bodies of the operations the SDK has as the SDK
// would: decoded into the SDK's request model, with the unset slices nil, and encoded again.
type sdkBodies struct {
	spec *contract.Spec
	next http.RoundTripper

	mu   sync.Mutex
	sent map[string][]string // by operationId
}

func (s *sdkBodies) RoundTrip(req *http.Request) (*http.Response, error) {
	route, _, err := s.spec.Route(req)
	if err != nil || req.Body == nil || req.Header.Get("Content-Type") != "application/json" {
		return s.next.RoundTrip(req)
	}
	method, ok := sdkMethods[route.Operation.OperationID]
	if !ok {
		return s.next.RoundTrip(req)
	}
	body, err := io.ReadAll(req.Body)
	if err != nil {
		return nil, err
	}
	model := reflect.New(sdkBodyType(method))
	if json.Unmarshal(body, model.Interface()) != nil {
		// The kit's malformed variations are not the SDK's; send them as they are.
		return s.next.RoundTrip(withBody(req, body, req.Header.Get("Content-Type")))
	}
	leaveSlicesUnset(model.Elem())
	sdkBody, err := json.Marshal(model.Interface())
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.sent[route.Operation.OperationID] = append(s.sent[route.Operation.OperationID], string(sdkBody))
	s.mu.Unlock()
	versions := openapi.Versions(route.Operation)
	return s.next.RoundTrip(withBody(req, sdkBody, openapi.MediaType(slices.Max(versions), "json")))
}

func withBody(req *http.Request, body []byte, contentType string) *http.Request {
	req = req.Clone(req.Context())
	req.Body = io.NopCloser(bytes.NewReader(body))
	req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	req.ContentLength = int64(len(body))
	req.Header.Set("Content-Type", contentType)
	return req
}

// sdkBodyType is the request model of an SDK method: the type its last pointer parameter points
// to, such as admin.CloudDatabaseUser, or []admin.UserAccessRoleAssignment for a list.
func sdkBodyType(m sdkMethod) reflect.Type {
	service, ok := reflect.TypeFor[admin.APIClient]().FieldByName(m.service)
	if !ok {
		panic("the SDK has no service " + m.service)
	}
	call, ok := service.Type.MethodByName(m.method)
	if !ok {
		panic("the SDK has no method " + m.String())
	}
	last := call.Type.In(call.Type.NumIn() - 1)
	if last.Kind() != reflect.Pointer {
		panic(m.String() + " takes no request body")
	}
	return last.Elem()
}

// leaveSlicesUnset sets every slice pointer that v leaves nil, at any depth, to a nil slice, as a
// caller does who copies a slice it never filled into the model; encoding/json writes it null.
func leaveSlicesUnset(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			leaveSlicesUnset(v.Elem())
		}
	case reflect.Slice:
		for i := range v.Len() {
			leaveSlicesUnset(v.Index(i))
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := range v.NumField() {
			field := v.Field(i)
			switch {
			case !v.Type().Field(i).IsExported():
			case field.Kind() == reflect.Pointer && field.IsNil() && field.Type().Elem().Kind() == reflect.Slice:
				field.Set(reflect.New(field.Type().Elem()))
			default:
				leaveSlicesUnset(field)
			}
		}
	}
}

// kitCredentials are the stub's bootstrap credentials as the contract kit reads them.
func kitCredentials(t *testing.T, stub *stubtest.Stub) suite.Credentials {
	t.Helper()
	document, err := json.Marshal(stub.Credentials)
	require.NoError(t, err)
	var creds suite.Credentials
	require.NoError(t, json.Unmarshal(document, &creds))
	return creds
}
