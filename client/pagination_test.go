package client

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

func TestIteratorsWalkEveryPage(t *testing.T) {
	c, stub, spec := newStubClient(t, bootstrapServiceAccount)
	ctx := context.Background()
	want := []string{"Project0"}
	for i := range 4 {
		name := fmt.Sprintf("project-%d", i)
		_, err := c.CreateGroup(ctx, nil, atlasapi.Group{Name: name, OrgId: stub.Credentials.OrgId})
		require.NoError(t, err)
		want = append(want, name)
	}
	names := func(groups []atlasapi.Group) []string {
		var out []string
		for _, g := range groups {
			out = append(out, g.Name)
		}
		return out
	}

	// The stub lists projects in the order of their ids, which within one second is not the
	// order of creation; the order of a full walk is the reference.
	var all []string
	t.Run("all pages", func(t *testing.T) {
		before := spec.count("listGroups")
		params := &atlasapi.ListGroupsParams{ItemsPerPage: ptr(2)}
		all = names(collect(t, c.ListGroupsAll(ctx, params)))
		assert.ElementsMatch(t, want, all)
		assert.Equal(t, 3, spec.count("listGroups")-before, "pages 1, 2 and 3, the last without a next link")
		assert.Nil(t, params.PageNum, "the caller's params stay as they were")
	})
	t.Run("from a later page", func(t *testing.T) {
		params := &atlasapi.ListGroupsParams{ItemsPerPage: ptr(2), PageNum: ptr(2)}
		assert.Equal(t, all[2:], names(collect(t, c.ListGroupsAll(ctx, params))))
	})
	t.Run("again", func(t *testing.T) {
		all := c.ListGroupsAll(ctx, &atlasapi.ListGroupsParams{ItemsPerPage: ptr(3)})
		assert.Equal(t, names(collect(t, all)), names(collect(t, all)), "an iterator starts over each time")
	})
	t.Run("stopping early", func(t *testing.T) {
		before := spec.count("listGroups")
		for group, err := range c.ListGroupsAll(ctx, &atlasapi.ListGroupsParams{ItemsPerPage: ptr(2)}) {
			require.NoError(t, err)
			assert.Equal(t, all[0], group.Name)
			break
		}
		assert.Equal(t, 1, spec.count("listGroups")-before, "no page is fetched after the loop ends")
	})
	t.Run("an error ends the iteration", func(t *testing.T) {
		var errs []error
		for _, err := range c.ListGroupDatabaseUsersAll(ctx, "0123456789abcdef01234567", nil) {
			errs = append(errs, err)
		}
		require.Len(t, errs, 1)
		assert.True(t, IsErrorCode(errs[0], "GROUP_NOT_FOUND"), "%v", errs[0])
	})
}

// TestIteratorStopsOnAnEmptyPage: a server that links a next page forever cannot make an endless loop.
func TestIteratorStopsOnAnEmptyPage(t *testing.T) {
	var pages []string
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := r.URL.Query().Get("pageNum")
		pages = append(pages, page)
		results := `[{"id":"0123456789abcdef0123456` + page + `","name":"org` + page + `"}]`
		if page == "3" {
			results = `[]`
		}
		w.Header().Set("Content-Type", "application/vnd.atlas.2023-01-01+json; charset=utf-8")
		_, _ = fmt.Fprintf(w, `{"links":[{"href":"x","rel":"next"}],"results":%s}`, results)
	}))
	t.Cleanup(server.Close)
	c, err := New(server.URL, WithHTTPClient(&http.Client{Transport: newSpecTransport(t).requestsOnly()}))
	require.NoError(t, err)

	orgs := collect(t, c.ListOrgsAll(context.Background(), nil))
	assert.Len(t, orgs, 2)
	assert.Equal(t, []string{"1", "2", "3"}, pages)
}
