package openapi_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/atlasstub/atlasstub/openapi"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestVersionDeprecationReadsBothFormsOfTheOfficialSpecification(t *testing.T) {
	doc := loadDoc(t, `
paths:
  /clusters:
    get:
      responses:
        "200":
          description: ok
          content:
            "application/vnd.atlas.2023-01-01+json": {x-sunset: "2026-01-01"}
            "application/vnd.atlas.2023-02-01+json": {x-sunset: "2027-07-01"}
            "application/vnd.atlas.2024-08-05+json": {}
        "400": {description: bad, content: {"application/vnd.atlas.2024-08-05+json": {x-sunset: "2020-01-01"}}}
  /invites:
    get:
      deprecated: true
      x-sunset: "2026-09-15"
      responses:
        "200": {description: ok, content: {"application/vnd.atlas.2023-01-01+json": {}}}
  /undecided:
    get:
      x-atlas-versions: ["2023-01-01", "2025-03-12"]
      responses:
        "200":
          description: ok
          content:
            "application/vnd.atlas.2023-01-01+json": {x-sunset: "9999-12-31"}
            "application/vnd.atlas.2025-03-12+json": {}
  /current:
    get:
      responses:
        "200": {description: ok, content: {"application/vnd.atlas.2023-01-01+json": {}}}
`)
	clusters := doc.Paths.Value("/clusters").Get
	for version, want := range map[string]openapi.Deprecation{
		// As live Atlas answers the 2023-02-01 clusters API: deprecated when 2024-08-05 came.
		"2023-02-01": {Since: date("2024-08-05"), Sunset: date("2027-07-01")},
		"2023-01-01": {Since: date("2023-02-01"), Sunset: date("2026-01-01")},
	} {
		got, deprecated := openapi.VersionDeprecation(clusters, version)
		assert.True(t, deprecated, version)
		assert.Equal(t, want, got, version)
	}
	deprecation, sunset := must(openapi.VersionDeprecation(clusters, "2023-02-01")).Headers()
	assert.Equal(t, "Mon, 5 Aug 2024 00:00:00 GMT", deprecation, "as live Atlas writes it")
	assert.Equal(t, "Thu, 1 Jul 2027 00:00:00 GMT", sunset)
	_, deprecated := openapi.VersionDeprecation(clusters, "2024-08-05")
	assert.False(t, deprecated, "the newest version, whatever an error's media type says")

	invites, deprecated := openapi.VersionDeprecation(doc.Paths.Value("/invites").Get, "2023-01-01")
	assert.True(t, deprecated, "the SDK's form: the operation is deprecated")
	assert.Equal(t, openapi.Deprecation{Sunset: date("2026-09-15")}, invites, "no later version: since when is not said")
	deprecation, sunset = invites.Headers()
	assert.Equal(t, "true", deprecation)
	assert.Equal(t, "Tue, 15 Sep 2026 00:00:00 GMT", sunset)

	undecided, deprecated := openapi.VersionDeprecation(doc.Paths.Value("/undecided").Get, "2023-01-01")
	assert.True(t, deprecated)
	assert.Equal(t, openapi.Deprecation{Since: date("2025-03-12")}, undecided, "9999-12-31 is a sunset yet to be decided")

	_, sunset = undecided.Headers()
	assert.Empty(t, sunset, "no Sunset header")
	_, deprecated = openapi.VersionDeprecation(doc.Paths.Value("/current").Get, "2023-01-01")
	assert.False(t, deprecated)
	_, deprecated = openapi.VersionDeprecation(nil, "2023-01-01")
	assert.False(t, deprecated)
}

func must(d openapi.Deprecation, deprecated bool) openapi.Deprecation {
	if !deprecated {
		panic("not deprecated")
	}
	return d
}
