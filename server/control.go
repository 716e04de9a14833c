package server

import (
	"bytes"
	"context"
	"time"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server/apierror"
)

// controlHandlers implements the control API under /_stub/.
type controlHandlers struct {
	server *Server
}

var _ stubapi.StrictServerInterface = (*controlHandlers)(nil)

func (h *controlHandlers) ResetState(ctx context.Context, _ stubapi.ResetStateRequestObject) (stubapi.ResetStateResponseObject, error) {
	if err := h.server.reset(); err != nil {
		return nil, err
	}
	return stubapi.ResetState204Response{}, nil
}

func (h *controlHandlers) GetClock(ctx context.Context, _ stubapi.GetClockRequestObject) (stubapi.GetClockResponseObject, error) {
	return stubapi.GetClock200JSONResponse(h.clock()), nil
}

func (h *controlHandlers) AdvanceClock(ctx context.Context, req stubapi.AdvanceClockRequestObject) (stubapi.AdvanceClockResponseObject, error) {
	body, err := requireBody(req.Body)
	if err != nil {
		return nil, err
	}
	d, err := time.ParseDuration(body.Duration)
	if err != nil {
		return nil, apierror.InvalidAttribute.ForField("duration", "must be a Go duration such as 90s or 61m: "+err.Error())
	}
	if now, err := h.server.clock.Advance(d); err != nil {
		return nil, apierror.InvalidAttribute.ForField("duration", err.Error()+"; it is "+now.Format(time.RFC3339)+" now")
	}
	return stubapi.AdvanceClock200JSONResponse(h.clock()), nil
}

func (h *controlHandlers) GetCredentials(ctx context.Context, _ stubapi.GetCredentialsRequestObject) (stubapi.GetCredentialsResponseObject, error) {
	creds := h.server.bootstrap
	if creds.BaseUrl == "" {
		creds.BaseUrl = infoFrom(ctx).baseURL
	}
	return stubapi.GetCredentials200JSONResponse(creds), nil
}

func (h *controlHandlers) GetProjectCA(ctx context.Context, req stubapi.GetProjectCARequestObject) (stubapi.GetProjectCAResponseObject, error) {
	pem, err := h.server.issuer.AuthorityPEM(req.GroupId)
	if err != nil {
		return nil, err
	}
	return stubapi.GetProjectCA200ApplicationxPemFileResponse{Body: bytes.NewReader(pem), ContentLength: int64(len(pem))}, nil
}

func (h *controlHandlers) clock() stubapi.Clock {
	return stubapi.Clock{Now: h.server.clock.Now().Truncate(time.Second), OffsetSeconds: int64(h.server.clock.Offset() / time.Second)}
}
