package dbusers

import (
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
)

// The legacy v1.0 paths, as the legacy Go client uses them: the same state and rules as v2, in
// plain application/json.

func (h *Handlers) CreateLegacyDatabaseUser(ctx context.Context, req atlasapi.CreateLegacyDatabaseUserRequestObject) (atlasapi.CreateLegacyDatabaseUserResponseObject, error) {
	created, err := h.createDatabaseUser(ctx, req.GroupId, req.Body)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateLegacyDatabaseUser201JSONResponse(created), nil
}

func (h *Handlers) GetLegacyDatabaseUser(ctx context.Context, req atlasapi.GetLegacyDatabaseUserRequestObject) (atlasapi.GetLegacyDatabaseUserResponseObject, error) {
	u, err := h.databaseUser(ctx, req.GroupId, req.DatabaseName, req.Username)
	if err != nil {
		return nil, err
	}
	return atlasapi.GetLegacyDatabaseUser200JSONResponse(u), nil
}
