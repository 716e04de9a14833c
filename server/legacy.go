package server

import (
	"bytes"
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// The legacy v1.0 paths, as the legacy Go client uses them: the same state and rules as v2,
// plain application/json, and 200 instead of 202 on user security changes.

func (h *atlasHandlers) CreateLegacyDatabaseUser(ctx context.Context, req atlasapi.CreateLegacyDatabaseUserRequestObject) (atlasapi.CreateLegacyDatabaseUserResponseObject, error) {
	created, err := h.createDatabaseUser(ctx, req.GroupId, req.Body)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateLegacyDatabaseUser201JSONResponse(created), nil
}

func (h *atlasHandlers) GetLegacyDatabaseUser(ctx context.Context, req atlasapi.GetLegacyDatabaseUserRequestObject) (atlasapi.GetLegacyDatabaseUserResponseObject, error) {
	u, err := h.databaseUser(ctx, req.GroupId, req.DatabaseName, req.Username)
	if err != nil {
		return nil, err
	}
	return atlasapi.GetLegacyDatabaseUser200JSONResponse(u), nil
}

func (h *atlasHandlers) CreateLegacyDatabaseUserCert(ctx context.Context, req atlasapi.CreateLegacyDatabaseUserCertRequestObject) (atlasapi.CreateLegacyDatabaseUserCertResponseObject, error) {
	pem, err := h.issueCertificate(req.GroupId, req.Username, req.Body)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateLegacyDatabaseUserCert201ApplicationxPemFileResponse{Body: bytes.NewReader(pem), ContentLength: int64(len(pem))}, nil
}

func (h *atlasHandlers) ListLegacyDatabaseUserCerts(ctx context.Context, req atlasapi.ListLegacyDatabaseUserCertsRequestObject) (atlasapi.ListLegacyDatabaseUserCertsResponseObject, error) {
	page, err := h.certificatePage(ctx, req.GroupId, req.Username, pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	if err != nil {
		return nil, err
	}
	return atlasapi.ListLegacyDatabaseUserCerts200JSONResponse(page), nil
}

func (h *atlasHandlers) GetLegacyUserSecurity(ctx context.Context, req atlasapi.GetLegacyUserSecurityRequestObject) (atlasapi.GetLegacyUserSecurityResponseObject, error) {
	security, err := h.userSecurity(ctx, req.GroupId)
	if err != nil {
		return nil, err
	}
	return atlasapi.GetLegacyUserSecurity200JSONResponse(security), nil
}

func (h *atlasHandlers) UpdateLegacyUserSecurity(ctx context.Context, req atlasapi.UpdateLegacyUserSecurityRequestObject) (atlasapi.UpdateLegacyUserSecurityResponseObject, error) {
	security, err := h.updateUserSecurity(ctx, req.GroupId, req.Body)
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateLegacyUserSecurity200JSONResponse(security), nil
}

func (h *atlasHandlers) DisableLegacyUserSecurityCustomerX509(ctx context.Context, req atlasapi.DisableLegacyUserSecurityCustomerX509RequestObject) (atlasapi.DisableLegacyUserSecurityCustomerX509ResponseObject, error) {
	security, err := h.disableCustomerX509(ctx, req.GroupId)
	if err != nil {
		return nil, err
	}
	return atlasapi.DisableLegacyUserSecurityCustomerX509200JSONResponse(security), nil
}
