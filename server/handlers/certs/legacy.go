package certs

import (
	"bytes"
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/handlers"
)

// The legacy v1.0 paths, as the legacy Go client uses them: the same state and rules as v2, the
// list in plain application/json and the certificate as application/x-pem-file.

func (h *Handlers) CreateLegacyDatabaseUserCert(ctx context.Context, req atlasapi.CreateLegacyDatabaseUserCertRequestObject) (atlasapi.CreateLegacyDatabaseUserCertResponseObject, error) {
	pem, err := h.issueCertificate(req.GroupId, req.Username, req.Body)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateLegacyDatabaseUserCert201ApplicationxPemFileResponse{Body: bytes.NewReader(pem), ContentLength: int64(len(pem))}, nil
}

func (h *Handlers) ListLegacyDatabaseUserCerts(ctx context.Context, req atlasapi.ListLegacyDatabaseUserCertsRequestObject) (atlasapi.ListLegacyDatabaseUserCertsResponseObject, error) {
	page, err := h.certificatePage(ctx, req.GroupId, req.Username, handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	if err != nil {
		return nil, err
	}
	return atlasapi.ListLegacyDatabaseUserCerts200JSONResponse(page), nil
}
