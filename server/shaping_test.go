package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestEnvelopeWrapsEntitiesAndAddsStatusToLists(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)

	entity := a.get("/api/atlas/v2/groups/" + stub.Credentials.ProjectId + "?envelope=true")
	requireStatus(t, http.StatusOK, entity)
	wrapped := entity.object(t)
	assert.Equal(t, float64(200), wrapped["status"])
	assert.Equal(t, stub.Credentials.ProjectId, wrapped["content"].(map[string]any)["id"])
	assert.Len(t, wrapped, 2)

	list := a.get("/api/atlas/v2/groups?envelope=true")
	requireStatus(t, http.StatusOK, list)
	body := list.object(t)
	assert.Equal(t, float64(200), body["status"])
	assert.Len(t, body["results"], 1)

	created := a.post("/api/atlas/v2/groups/"+stub.Credentials.ProjectId+"/databaseUsers?envelope=true", map[string]any{
		"groupId": stub.Credentials.ProjectId, "databaseName": "$external", "username": "enveloped", "x509Type": "MANAGED",
	})
	requireStatus(t, http.StatusCreated, created)
	assert.Equal(t, float64(201), created.object(t)["status"])

	// Errors carry their status already and are not wrapped.
	missing := a.get("/api/atlas/v2/groups/" + strings.Repeat("0", 24) + "?envelope=true")
	requireAPIError(t, http.StatusNotFound, "GROUP_NOT_FOUND", missing)
}

// TestEnvelopeWritesTheBodyAsWithout requires that the envelope changes nothing of the body it
// wraps, its & < > included, which Atlas writes as they are.
func TestEnvelopeWritesTheBodyAsWithout(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	path := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId + "/userSecurity"
	requireStatus(t, http.StatusAccepted, a.patch(path, map[string]any{"ldap": map[string]any{"authzQueryTemplate": "(&(cn={USER})(<member>))?memberOf?base"}}))

	plain := a.get(path)
	requireStatus(t, http.StatusOK, plain)
	for _, query := range []string{"?envelope=true", "?envelope=true&pretty=true"} {
		enveloped := a.get(path + query)
		requireStatus(t, http.StatusOK, enveloped)
		var wrapped struct{ Content json.RawMessage }
		enveloped.json(t, &wrapped)
		var compact bytes.Buffer
		require.NoError(t, json.Compact(&compact, wrapped.Content))
		assert.Equal(t, string(bytes.TrimSpace(plain.body)), compact.String(), query)
	}

	list := a.get("/api/atlas/v2/groups?envelope=true&pageNum=1")
	requireStatus(t, http.StatusOK, list)
	assert.Contains(t, string(list.body), "envelope=true&itemsPerPage=100&pageNum=1")
	assert.NotContains(t, string(list.body), `\u0026`)
}

func TestPrettyIndentsAndDefaultIsCompact(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	path := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId
	assert.NotContains(t, string(a.get(path).body), "\n  ")
	pretty := a.get(path + "?pretty=true")
	assert.Contains(t, string(pretty.body), "{\n  \"clusterCount\": 0,\n")
	assert.Equal(t, stub.Credentials.ProjectId, pretty.object(t)["id"])
	// Links keep their & unescaped, as Atlas writes them.
	list := a.get("/api/atlas/v2/groups?pageNum=1")
	assert.Contains(t, string(list.body), "&pageNum=1")
	assert.NotContains(t, string(list.body), `\u0026`)
}

func TestPaginationPagesAndLinks(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	for i := range 6 {
		requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups", map[string]any{"name": fmt.Sprintf("page-%d", i), "orgId": stub.Credentials.OrgId}))
	}
	// 7 projects in all: pages of 3 are 3, 3 and 1 long.
	var seen []string
	for pageNum, wantLen := range map[int]int{1: 3, 2: 3, 3: 1} {
		r := a.get(fmt.Sprintf("/api/atlas/v2/groups?itemsPerPage=3&pageNum=%d&pretty=false", pageNum))
		requireStatus(t, http.StatusOK, r)
		var page struct {
			Links      []struct{ Href, Rel string }
			Results    []struct{ ID string }
			TotalCount *int
		}
		r.json(t, &page)
		require.Len(t, page.Results, wantLen)
		require.NotNil(t, page.TotalCount)
		assert.Equal(t, 7, *page.TotalCount)
		rels := map[string]string{}
		for _, l := range page.Links {
			rels[l.Rel] = l.Href
			u, err := url.Parse(l.Href)
			require.NoError(t, err)
			assert.True(t, u.IsAbs(), "links are absolute: %s", l.Href)
			assert.Equal(t, "false", u.Query().Get("pretty"), "links keep the other query parameters")
		}
		assert.Contains(t, rels["self"], fmt.Sprintf("pageNum=%d", pageNum))
		_, hasPrevious := rels["previous"]
		_, hasNext := rels["next"]
		assert.Equal(t, pageNum > 1, hasPrevious, "page %d previous", pageNum)
		assert.Equal(t, pageNum < 3, hasNext, "page %d next", pageNum)
		if hasNext {
			assert.Contains(t, rels["next"], fmt.Sprintf("pageNum=%d", pageNum+1))
		}
		for _, p := range page.Results {
			seen = append(seen, p.ID)
		}
	}
	assert.Len(t, seen, 7)
	assert.ElementsMatch(t, seen, unique(seen), "no project on two pages")

	past := a.get("/api/atlas/v2/groups?itemsPerPage=3&pageNum=9").object(t)
	assert.Empty(t, past["results"])

	noCount := a.get("/api/atlas/v2/groups?includeCount=false").object(t)
	assert.NotContains(t, noCount, "totalCount")

	requireStatus(t, http.StatusOK, a.get("/api/atlas/v2/groups?itemsPerPage=500"))
	for _, bad := range []string{"itemsPerPage=501", "itemsPerPage=0", "pageNum=0", "pageNum=x", "includeCount=maybe"} {
		e := requireAPIError(t, http.StatusBadRequest, "INVALID_QUERY_PARAMETER", a.get("/api/atlas/v2/groups?"+bad))
		assert.Equal(t, []any{strings.Split(bad, "=")[0]}, e["parameters"])
	}
}

// TestHugePageNumbersAreEmptyPages asks for pages whose offset, (pageNum-1)*itemsPerPage, does
// not fit an int: they lie past the end like any other, with sane links.
func TestHugePageNumbersAreEmptyPages(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	gid := stub.Credentials.ProjectId
	requireStatus(t, http.StatusCreated, a.post(managedUser(t, a, "pager"), map[string]any{}))
	legacy := newAPI(t, stub)
	legacy.accept = "application/json"
	for _, c := range []struct {
		client                *api
		list                  string
		pageNum, itemsPerPage int64
	}{
		{a, "/api/atlas/v2/groups", math.MaxInt64, 100},
		{a, "/api/atlas/v2/groups", 1<<62 + 1, 4}, // the offset wraps around to 0, the first page
		{a, "/api/atlas/v2/groups/" + gid + "/databaseUsers", 4611686018427387905, 2},
		{a, "/api/atlas/v2/orgs/" + stub.Credentials.OrgId + "/serviceAccounts", math.MaxInt64, 500},
		{legacy, "/api/atlas/v1.0/groups/" + gid + "/databaseUsers/pager/certs", math.MaxInt64 / 3, 3},
	} {
		path := fmt.Sprintf("%s?pageNum=%d&itemsPerPage=%d", c.list, c.pageNum, c.itemsPerPage)
		r := c.client.get(path)
		requireStatus(t, http.StatusOK, r)
		var page struct {
			Links   []struct{ Href, Rel string }
			Results []any
		}
		r.json(t, &page)
		assert.Empty(t, page.Results, path)
		pageNums := map[string]int64{}
		for _, l := range page.Links {
			u, err := url.Parse(l.Href)
			require.NoError(t, err)
			pageNums[l.Rel], err = strconv.ParseInt(u.Query().Get("pageNum"), 10, 64)
			require.NoError(t, err, l.Href)
		}
		assert.Equal(t, map[string]int64{"self": c.pageNum, "previous": c.pageNum - 1}, pageNums, "%s: no next page past the end", path)
	}
}

func unique(items []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, s := range items {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

func TestListsKeepTheOrderOfCreationWithinOneSecond(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	var created []string // twenty projects, most of them created within the same second
	for i := range 20 {
		name := fmt.Sprintf("order-%02d", i)
		requireStatus(t, http.StatusCreated, a.post("/api/atlas/v2/groups", map[string]any{"name": name, "orgId": stub.Credentials.OrgId}))
		created = append(created, name)
	}
	var list struct{ Results []struct{ Name string } }
	a.get("/api/atlas/v2/groups?itemsPerPage=500").json(t, &list)
	var listed []string
	for _, p := range list.Results {
		if strings.HasPrefix(p.Name, "order-") {
			listed = append(listed, p.Name)
		}
	}
	assert.Equal(t, created, listed)
}
