package usersecurity

import (
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// The legacy v1.0 paths, as the legacy Go client uses them: the same state and rules as v2, plain
// application/json, and 200 instead of 202 on changes.

func (h *Handlers) GetLegacyUserSecurity(ctx context.Context, req atlasapi.GetLegacyUserSecurityRequestObject) (atlasapi.GetLegacyUserSecurityResponseObject, error) {
	security, err := h.userSecurity(ctx, req.GroupId)
	if err != nil {
		return nil, err
	}
	return atlasapi.GetLegacyUserSecurity200JSONResponse(security), nil
}

func (h *Handlers) UpdateLegacyUserSecurity(ctx context.Context, req atlasapi.UpdateLegacyUserSecurityRequestObject) (atlasapi.UpdateLegacyUserSecurityResponseObject, error) {
	security, err := h.updateUserSecurity(ctx, req.GroupId, req.Body)
	if err != nil {
		return nil, err
	}
	return atlasapi.UpdateLegacyUserSecurity200JSONResponse(security), nil
}

func (h *Handlers) DisableLegacyUserSecurityCustomerX509(ctx context.Context, req atlasapi.DisableLegacyUserSecurityCustomerX509RequestObject) (atlasapi.DisableLegacyUserSecurityCustomerX509ResponseObject, error) {
	security, err := h.disableCustomerX509(ctx, req.GroupId)
	if err != nil {
		return nil, err
	}
	return atlasapi.DisableLegacyUserSecurityCustomerX509200JSONResponse(security), nil
}
