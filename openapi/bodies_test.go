package openapi_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/atlasstub/atlasstub/openapi"
)

func TestBodiesThatAreNoJSONDocument(t *testing.T) {
	doc := loadAtlas(t)
	schemas := doc.Components.Schemas
	assert.True(t, openapi.IsRawBody(schemas["CertificatePEM"]), "the certificate's PEM is sent as it is")
	assert.True(t, openapi.IsEmptyObject(schemas["EmptyObject"]))
	for _, name := range []string{"Group", "ApiError", "IPAddress"} {
		assert.False(t, openapi.IsRawBody(schemas[name]), name)
		assert.False(t, openapi.IsEmptyObject(schemas[name]), name)
	}
	assert.False(t, openapi.IsRawBody(nil))
	assert.False(t, openapi.IsEmptyObject(nil))

	certificate := operationByID(t, doc, "createGroupDatabaseUserCert").Responses.Value("201").Value.Content
	assert.True(t, openapi.IsRawBody(certificate.Get("application/vnd.atlas.2023-01-01+json;charset=utf-8").Schema),
		"the PEM comes under the JSON media type, as live Atlas labels it")
}
