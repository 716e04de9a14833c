package server_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atlasstub/atlasstub/server/stubtest"
)

func TestVersionNegotiation(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	project := "/api/atlas/v2/groups/" + stub.Credentials.ProjectId

	for _, tc := range []struct {
		name, accept string
		status       int
	}{
		{"the operation's own version", "application/vnd.atlas.2023-01-01+json", http.StatusOK},
		{"a later date is served by the newest earlier version", "application/vnd.atlas.2025-02-19+json", http.StatusOK},
		{"a charset parameter is fine", "application/vnd.atlas.2024-05-30+json; charset=utf-8", http.StatusOK},
		{"one good media range among others", "application/json, application/vnd.atlas.2023-02-01+json, */*", http.StatusOK},
		{"no Accept header", "", http.StatusNotAcceptable},
		{"plain JSON names no version", "application/json", http.StatusNotAcceptable},
		{"a date before every version", "application/vnd.atlas.2022-12-31+json", http.StatusNotAcceptable},
		{"an impossible date", "application/vnd.atlas.2023-13-45+json", http.StatusNotAcceptable},
		{"preview is not a version of this operation", "application/vnd.atlas.preview+json", http.StatusNotAcceptable},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a.accept = tc.accept
			r := a.get(project)
			if tc.status == http.StatusOK {
				requireStatus(t, http.StatusOK, r)
				assert.Equal(t, "application/vnd.atlas.2023-01-01+json;charset=utf-8", r.Header.Get("Content-Type"), "the response names the served version")
				return
			}
			e := requireAPIError(t, http.StatusNotAcceptable, "INVALID_VERSION_DATE", r)
			assert.Equal(t, "Invalid accept header or version date.", e["detail"])
		})
	}
}

func TestUnversionedPathsIgnoreAccept(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	a.accept = ""
	r := a.get("/api/atlas/v1.0/groups/" + stub.Credentials.ProjectId + "/userSecurity")
	requireStatus(t, http.StatusOK, r)
	assert.Equal(t, "application/json", r.Header.Get("Content-Type"))

	a.accept = "application/json"
	requireStatus(t, http.StatusOK, a.get("/_stub/clock"))
}

func TestRequestBodiesAcceptJSONAndVersionedMediaTypes(t *testing.T) {
	stub := stubtest.New(t)
	a := newAPI(t, stub)
	for i, contentType := range []string{
		"application/json",
		"application/json; charset=utf-8",
		"application/vnd.atlas.2023-01-01+json",
		"application/vnd.atlas.2025-02-19+json",
	} {
		body := map[string]any{"name": "media-" + string(rune('a'+i)), "orgId": stub.Credentials.OrgId}
		r := a.post("/api/atlas/v2/groups", body, "Content-Type", contentType)
		requireStatus(t, http.StatusCreated, r)
	}
	for _, contentType := range []string{"text/plain", "application/x-www-form-urlencoded", "application/xml", "not a media type"} {
		r := a.post("/api/atlas/v2/groups", map[string]any{"name": "x", "orgId": stub.Credentials.OrgId}, "Content-Type", contentType)
		requireAPIError(t, http.StatusUnsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", r)
	}
}
