package server

import (
	"bytes"
	"context"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/store"
)

func (h *atlasHandlers) CreateGroupDatabaseUserCert(ctx context.Context, req atlasapi.CreateGroupDatabaseUserCertRequestObject) (atlasapi.CreateGroupDatabaseUserCertResponseObject, error) {
	pem, err := h.issueCertificate(req.GroupId, req.Username, req.JSONBody)
	if err != nil {
		return nil, err
	}
	return atlasapi.CreateGroupDatabaseUserCert201ApplicationvndAtlas20230101XPemFileResponse{Body: bytes.NewReader(pem), ContentLength: int64(len(pem))}, nil
}

func (h *atlasHandlers) ListGroupDatabaseUserCerts(ctx context.Context, req atlasapi.ListGroupDatabaseUserCertsRequestObject) (atlasapi.ListGroupDatabaseUserCertsResponseObject, error) {
	page, err := h.certificatePage(ctx, req.GroupId, req.Username, pageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	if err != nil {
		return nil, err
	}
	return atlasapi.ListGroupDatabaseUserCerts200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

// issueCertificate serves the v2 and the legacy v1.0 create: it returns the PEM text of a new
// certificate and its private key.
func (h *atlasHandlers) issueCertificate(groupID, username string, body *atlasapi.UserCert) ([]byte, error) {
	months := store.DefaultCertificateMonths
	if body != nil && body.MonthsUntilExpiration != nil {
		months = int(*body.MonthsUntilExpiration)
	}
	issued, err := h.issuer.Issue(groupID, username, months)
	if err != nil {
		return nil, err
	}
	return issued.PEM, nil
}

// certificatePage serves the v2 and the legacy v1.0 list of a user's unexpired certificates.
func (h *atlasHandlers) certificatePage(ctx context.Context, groupID, username string, p page) (atlasapi.PaginatedUserCertView, error) {
	var all []store.Certificate
	err := h.view(func(tx *store.Tx) (err error) {
		all, err = tx.UnexpiredCertificates(groupID, username)
		return err
	})
	if err != nil {
		return atlasapi.PaginatedUserCertView{}, err
	}
	results := make([]atlasapi.UserCert, 0, p.size)
	for _, c := range paginate(all, p) {
		results = append(results, atlasapi.UserCert{
			UnderscoreId: ptr(c.Serial),
			CreatedAt:    timestamp(c.CreatedAt),
			GroupId:      ptr(c.ProjectID),
			NotAfter:     timestamp(c.NotAfter),
			Subject:      ptr(c.Subject),
		})
	}
	lp := infoFrom(ctx).pageOfList(p, len(all))
	return atlasapi.PaginatedUserCertView{Links: lp.links, Results: &results, TotalCount: lp.totalCount}, nil
}
