package control

import (
	"bytes"
	"context"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/inspector"
)

func (h *Handlers) GetInspectorPage(ctx context.Context, _ stubapi.GetInspectorPageRequestObject) (stubapi.GetInspectorPageResponseObject, error) {
	page := inspector.Page()
	return stubapi.GetInspectorPage200TexthtmlResponse{
		Body: bytes.NewReader(page), ContentLength: int64(len(page)),
		Headers: stubapi.GetInspectorPage200ResponseHeaders{ContentSecurityPolicy: optionalString(inspector.ContentSecurityPolicy)},
	}, nil
}

func (h *Handlers) GetInspectorAsset(ctx context.Context, req stubapi.GetInspectorAssetRequestObject) (stubapi.GetInspectorAssetResponseObject, error) {
	data, mediaType, ok := inspector.Asset(req.Asset)
	if !ok {
		return nil, apierror.ResourceNotFound.New(inspector.PagePath + "/" + req.Asset)
	}
	headers := stubapi.GetInspectorAsset200ResponseHeaders{ContentSecurityPolicy: optionalString(inspector.ContentSecurityPolicy)}
	if mediaType == "text/css" {
		return stubapi.GetInspectorAsset200TextcssResponse{Body: bytes.NewReader(data), ContentLength: int64(len(data)), Headers: headers}, nil
	}
	return stubapi.GetInspectorAsset200TextjavascriptResponse{Body: bytes.NewReader(data), ContentLength: int64(len(data)), Headers: headers}, nil
}

func (h *Handlers) GetStateSummary(ctx context.Context, _ stubapi.GetStateSummaryRequestObject) (stubapi.GetStateSummaryResponseObject, error) {
	summary, err := h.stub.StateSummary()
	if err != nil {
		return nil, err
	}
	return stubapi.GetStateSummary200JSONResponse(summary), nil
}
