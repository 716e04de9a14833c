package openapi_test

import (
	"regexp"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/atlasstub/atlasstub/openapi"
)

func TestMediaTypeRoundTrips(t *testing.T) {
	mt := openapi.MediaType("2023-01-01", "x-pem-file")
	assert.Equal(t, "application/vnd.atlas.2023-01-01+x-pem-file", mt)
	version, format, ok := openapi.ParseMediaType(mt)
	require.True(t, ok)
	assert.Equal(t, "2023-01-01", version)
	assert.Equal(t, "x-pem-file", format)
}

func TestParseMediaTypeRefusesOtherTypes(t *testing.T) {
	for _, mt := range []string{
		"application/json",
		"application/vnd.atlas+json",
		"application/vnd.atlas.2023-1-01+json",
		"application/vnd.atlas.2023-01-01+json;charset=utf-8", // parameters are the caller's to strip
		"application/vnd.atlas.2023-01-01",
		"application/vnd.atlas.2023-01-01+JSON",
		" application/vnd.atlas.2023-01-01+json",
	} {
		_, _, ok := openapi.ParseMediaType(mt)
		assert.False(t, ok, mt)
	}
}

// FuzzParseMediaType holds the parser to the grammar it implements, written as a regular
// expression: a versioned media type without parameters, its date and its format.
func FuzzParseMediaType(f *testing.F) {
	grammar := regexp.MustCompile(`^application/vnd\.atlas\.(\d{4}-\d{2}-\d{2})\+([a-z-]+)$`)
	for _, seed := range []string{
		"application/vnd.atlas.2023-01-01+json", "application/vnd.atlas.2024-08-05+x-pem-file",
		"application/vnd.atlas.2023-01-01+json+json", "application/vnd.atlas.2023-01-0a+json",
		"application/vnd.atlas.2023-01-01+", "application/vnd.atlas.2023-01-01+json\n", "application/json",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, mediaType string) {
		version, format, ok := openapi.ParseMediaType(mediaType)
		m := grammar.FindStringSubmatch(mediaType)
		require.Equal(t, m != nil, ok, "%q", mediaType)
		if ok {
			assert.Equal(t, m[1], version)
			assert.Equal(t, m[2], format)
			assert.Equal(t, mediaType, openapi.MediaType(version, format))
		}
	})
}

func TestNewestNotAfter(t *testing.T) {
	versions := []string{"2023-01-01", "2024-08-05", "2025-02-19"}
	for date, want := range map[string]string{
		"2022-12-31": "",
		"2023-01-01": "2023-01-01",
		"2024-08-04": "2023-01-01",
		"2024-08-05": "2024-08-05",
		"2099-01-01": "2025-02-19",
	} {
		assert.Equal(t, want, openapi.NewestNotAfter(versions, date), date)
	}
	assert.Empty(t, openapi.NewestNotAfter(nil, "2099-01-01"))
	assert.Equal(t, "2024-08-05", openapi.NewestNotAfter([]string{"2024-08-05", "2023-01-01"}, "2024-09-01"), "order does not matter")
}

func TestVersionsReadsTheExtensionAndTheMediaTypes(t *testing.T) {
	doc := loadDoc(t, `
paths:
  /ours:
    get:
      x-atlas-versions: ["2025-02-19", "2023-01-01"]
      responses:
        "200": {description: ok, content: {"application/vnd.atlas.2023-01-01+json": {}}}
  /official:
    post:
      requestBody:
        content: {"application/vnd.atlas.2024-08-05+json": {}}
      responses:
        "201": {description: ok, content: {"application/vnd.atlas.2023-02-01+json": {}, "application/vnd.atlas.2023-02-01+csv": {}}}
        "400": {description: bad, content: {"application/vnd.atlas.1999-01-01+json": {}}}
  /legacy:
    get:
      responses:
        "200": {description: ok, content: {"application/json": {}}}
`)
	assert.Equal(t, []string{"2023-01-01", "2025-02-19"}, openapi.Versions(doc.Paths.Value("/ours").Get))
	assert.Equal(t, []string{"2023-02-01", "2024-08-05"}, openapi.Versions(doc.Paths.Value("/official").Post), "an error's media type is no version")
	assert.Nil(t, openapi.Versions(doc.Paths.Value("/legacy").Get), "none is nil, as reports show it")
	assert.Nil(t, openapi.Versions(nil))
}

func TestVersionsOfTheEmbeddedSpecificationAreItsExtension(t *testing.T) {
	doc, err := openapi.LoadAtlas()
	require.NoError(t, err)
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			declared := openapi.ExtensionStrings(op.Extensions, "x-atlas-versions")
			assert.ElementsMatch(t, declared, openapi.Versions(op), "%s: its media types name no version beyond x-atlas-versions", op.OperationID)
		}
	}
}

func loadDoc(t *testing.T, paths string) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte("openapi: 3.0.3\ninfo: {title: t, version: \"1\"}\n" + paths))
	require.NoError(t, err)
	return doc
}
