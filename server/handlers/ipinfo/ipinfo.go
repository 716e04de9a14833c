// Package ipinfo serves the caller's address, as the API sees it.
package ipinfo

import (
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/pipeline"
)

// Handlers serve GET /api/private/ipinfo.
type Handlers struct{}

// New returns the handlers.
func New() *Handlers { return &Handlers{} }

// GetIpInfo answers the address that authentication found the caller at, the one the API access
// lists check: the TCP peer, or the first address of X-Forwarded-For when the stub trusts it.
func (*Handlers) GetIpInfo(ctx context.Context, _ atlasapi.GetIpInfoRequestObject) (atlasapi.GetIpInfoResponseObject, error) {
	addr := pipeline.RequestOf(ctx).Addr.String()
	return atlasapi.GetIpInfo200JSONResponse{CurrentIpv4Address: &addr}, nil
}
