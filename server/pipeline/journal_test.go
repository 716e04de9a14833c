package pipeline_test

import (
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/journal"
	"github.com/atlasstub/atlasstub/server/pipeline"
)

// getGroup is a recorded exchange of getGroup that answered body.
func getGroup(t *testing.T, body string) *journal.Exchange {
	t.Helper()
	doc, err := openapi.LoadAtlas()
	require.NoError(t, err)
	doc.Servers = nil
	router, err := gorillamux.NewRouter(doc)
	require.NoError(t, err)
	const path = "/api/atlas/v2/groups/5f4d1a2b3c4d5e6f7a8b9c0d"
	req, err := http.NewRequest(http.MethodGet, path, nil)
	require.NoError(t, err)
	route, params, err := router.FindRoute(req)
	require.NoError(t, err)
	return &journal.Exchange{
		Method: http.MethodGet, Path: path, Host: "127.0.0.1", Route: route, PathParams: params,
		RequestHeader:  http.Header{"Accept": {"application/vnd.atlas.2023-01-01+json"}},
		Status:         http.StatusOK,
		ResponseHeader: http.Header{"Content-Type": {"application/vnd.atlas.2023-01-01+json;charset=utf-8"}},
		ResponseBody:   journal.Body{Bytes: []byte(body), Size: int64(len(body))},
	}
}

func TestAResponseAgainstTheContractGetsAVerdictThatNamesTheRule(t *testing.T) {
	verdicts := pipeline.Verdicts(getGroup(t, `{"id": "5f4d1a2b3c4d5e6f7a8b9c0d", "name": 7}`))
	assert.True(t, verdicts.Request.Passed())
	require.True(t, verdicts.Response.Checked)
	assert.False(t, verdicts.Response.Passed())
	assert.Contains(t, verdicts.Response.Violations, journal.Violation{Field: "name", Description: `value must be a string`}, "%+v", verdicts.Response.Violations)
}

func TestAResponseCutByTheJournalIsNotChecked(t *testing.T) {
	x := getGroup(t, `{"id": "5f4d1a2b3c4d5e6f7a8b9c0d"`)
	x.ResponseBody.Size = journal.MaxBodyBytes + 1
	verdicts := pipeline.Verdicts(x)
	assert.False(t, verdicts.Response.Checked)
	assert.Equal(t, "the journal keeps only the beginning of its body", verdicts.Response.Note)
}

func TestARequestOfNoOperationIsNotChecked(t *testing.T) {
	verdicts := pipeline.Verdicts(&journal.Exchange{Method: http.MethodGet, Path: "/nowhere"})
	assert.False(t, verdicts.Request.Checked)
	assert.False(t, verdicts.Response.Checked)
}
