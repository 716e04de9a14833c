package stubtest_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/client"
	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestThePackageExamplesWork does what the package documentation shows: the typed client, and a
// request of one's own signed with DigestClient, which needs a versioned Accept header.
func TestThePackageExamplesWork(t *testing.T) {
	ctx := context.Background()
	stub := stubtest.New(t)
	project, err := stub.Client().GetGroup(ctx, stub.Credentials.ProjectId, nil)
	require.NoError(t, err)
	assert.Equal(t, "Project0", project.Name)

	req, err := http.NewRequest("GET", stub.URL+"/api/atlas/v2/groups/"+stub.Credentials.ProjectId, nil)
	require.NoError(t, err)
	req.Header.Set("Accept", "application/vnd.atlas.2023-01-01+json")
	resp, err := stub.DigestClient().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)

	req.Header.Del("Accept")
	resp, err = stub.DigestClient().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotAcceptable, resp.StatusCode, "without a version, Atlas answers 406, and so does the stub")
}

func TestResetBringsBackTheBootstrapState(t *testing.T) {
	ctx := context.Background()
	stub := stubtest.New(t)
	c := stub.Client()
	created, err := c.CreateGroup(ctx, nil, atlasapi.Group{Name: "before-reset", OrgId: stub.Credentials.OrgId})
	require.NoError(t, err)
	stub.Advance(2 * time.Hour)

	stub.Reset()
	_, err = c.GetGroup(ctx, *created.Id, nil)
	var apiErr *client.APIError
	require.True(t, errors.As(err, &apiErr), "the project is gone: %v", err)
	assert.Equal(t, "GROUP_NOT_FOUND", apiErr.ErrorCode)
	assert.WithinDuration(t, time.Now(), stub.Server.Clock().Now(), time.Minute, "the clock is back at real time")
	project, err := c.GetGroup(ctx, stub.Credentials.ProjectId, nil)
	require.NoError(t, err, "the same client signs in again with the bootstrap service account")
	assert.Equal(t, "Project0", project.Name)
}

// recordingTB is a test whose log the test below reads.
type recordingTB struct {
	testing.TB
	mu    sync.Mutex
	lines []string
}

func (r *recordingTB) Log(args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprint(args...))
}

func (r *recordingTB) logged() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.lines, "\n")
}

// TestTheStubLogsItsRequestsToTheTest: a failing test shows what it asked the stub, a line per
// request, with the answer and why.
func TestTheStubLogsItsRequestsToTheTest(t *testing.T) {
	rec := &recordingTB{TB: t}
	stub := stubtest.New(rec)
	_, err := stub.Client().GetGroup(context.Background(), "ffffffffffffffffffffffff", nil)
	require.Error(t, err)

	logged := rec.logged()
	assert.Regexp(t, `(?m)^\d\d:\d\d:\d\d\.\d{3} 200 POST /api/oauth/token [0-9.]+ms createOAuthToken caller=`+stub.Credentials.ServiceAccount.ClientId+`$`, logged)
	assert.Regexp(t, `(?m)^\d\d:\d\d:\d\d\.\d{3} 404 GET /api/atlas/v2/groups/ffffffffffffffffffffffff [0-9.]+ms getGroup GROUP_NOT_FOUND caller=mdb_sa_id_`, logged)
	assert.NotContains(t, logged, stub.Credentials.ServiceAccount.ClientSecret)
}
