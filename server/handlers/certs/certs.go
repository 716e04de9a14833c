// Package certs serves the Atlas-managed X.509 certificates of database users, on the v2 and
// the legacy v1.0 paths.
package certs

import (
	"context"
	"net/http"
	"strconv"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/handlers"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// Handlers serve the certificate operations.
type Handlers struct {
	store  *store.Store
	issuer *x509ca.Issuer
}

// New returns the handlers over their state.
func New(s *store.Store, issuer *x509ca.Issuer) *Handlers { return &Handlers{store: s, issuer: issuer} }

func (h *Handlers) CreateGroupDatabaseUserCert(ctx context.Context, req atlasapi.CreateGroupDatabaseUserCertRequestObject) (atlasapi.CreateGroupDatabaseUserCertResponseObject, error) {
	pem, err := h.issueCertificate(req.GroupId, req.Username, req.JSONBody)
	if err != nil {
		return nil, err
	}
	return certificatePEM(pem), nil
}

// certificatePEM is a new certificate as live Atlas answers it: 201, the PEM text as it is under
// the operation's JSON media type, where the generated response would encode it as a JSON string.
// The shaping step names the negotiated version and the charset.
type certificatePEM []byte

func (pem certificatePEM) VisitCreateGroupDatabaseUserCertResponse(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/vnd.atlas.2023-01-01+json")
	w.Header().Set("Content-Length", strconv.Itoa(len(pem)))
	w.WriteHeader(http.StatusCreated)
	_, err := w.Write(pem)
	return err
}

func (h *Handlers) ListGroupDatabaseUserCerts(ctx context.Context, req atlasapi.ListGroupDatabaseUserCertsRequestObject) (atlasapi.ListGroupDatabaseUserCertsResponseObject, error) {
	page, err := h.certificatePage(ctx, req.GroupId, req.Username, handlers.PageOf(req.Params.PageNum, req.Params.ItemsPerPage, req.Params.IncludeCount))
	if err != nil {
		return nil, err
	}
	return atlasapi.ListGroupDatabaseUserCerts200ApplicationVndAtlas20230101PlusJSONResponse(page), nil
}

// issueCertificate serves the v2 and the legacy v1.0 create: it returns the PEM text of a new
// certificate and its private key.
func (h *Handlers) issueCertificate(groupID, username string, body *atlasapi.UserCert) ([]byte, error) {
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
func (h *Handlers) certificatePage(ctx context.Context, groupID, username string, p handlers.Page) (atlasapi.PaginatedUserCertView, error) {
	all, err := store.Read(h.store, func(tx *store.Tx) ([]store.Certificate, error) { return tx.UnexpiredCertificates(groupID, username) })
	if err != nil {
		return atlasapi.PaginatedUserCertView{}, err
	}
	page := handlers.Paginate(all, p)
	results := make([]atlasapi.UserCert, 0, len(page))
	for _, c := range page {
		results = append(results, atlasapi.UserCert{
			UnderscoreId: new(c.Serial),
			CreatedAt:    handlers.Timestamp(c.CreatedAt),
			GroupId:      new(c.ProjectID),
			NotAfter:     handlers.Timestamp(c.NotAfter),
			Subject:      new(c.Subject),
		})
	}
	pi := p.Info(ctx, len(all))
	return atlasapi.PaginatedUserCertView{Links: pi.Links, Results: &results, TotalCount: pi.TotalCount}, nil
}
