// Package control serves the control API under /_stub/: what a test or a person does to the
// stub itself rather than to Atlas's resources: its state, its clock, its credentials and CAs,
// and the faults its Atlas API meets.
package control

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/openapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/clock"
	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/handlers"
	"github.com/atlasstub/atlasstub/server/journal"
	"github.com/atlasstub/atlasstub/server/pipeline"
)

// Stub is the running stub that the control API acts on.
type Stub interface {
	// Reset drops all state and recreates the bootstrap state, with the clock at real time.
	Reset() error
	Clock() *clock.Clock
	// AdvanceClock moves the clock forward and records its offset, or refuses to move it past
	// clock.Latest (clock.ErrPastLatest).
	AdvanceClock(d time.Duration) (time.Time, error)
	// State exports the whole state; SetState replaces it.
	State() (stubapi.State, error)
	SetState(stubapi.State) error
	// Bootstrap returns the bootstrap ids and credentials.
	Bootstrap() stubapi.Credentials
	// ProjectCA returns the PEM certificate of a project's CA.
	ProjectCA(projectID string) ([]byte, error)
	// Faults returns the fault rules of the Atlas API.
	Faults() *faults.Injector
	// Journal returns the journal of the Atlas API's exchanges; nil when it is off.
	Journal() *journal.Journal
	// StateSummary returns the state as the inspector shows it, without a secret.
	StateSummary() (stubapi.StateSummary, error)
}

// Handlers implement the control API.
type Handlers struct {
	stub Stub
}

// New returns the control API's handlers for stub.
func New(stub Stub) *Handlers { return &Handlers{stub: stub} }

var _ stubapi.StrictServerInterface = (*Handlers)(nil)

func (h *Handlers) ResetState(ctx context.Context, _ stubapi.ResetStateRequestObject) (stubapi.ResetStateResponseObject, error) {
	if err := h.stub.Reset(); err != nil {
		return nil, err
	}
	return stubapi.ResetState204Response{}, nil
}

func (h *Handlers) GetClock(ctx context.Context, _ stubapi.GetClockRequestObject) (stubapi.GetClockResponseObject, error) {
	return stubapi.GetClock200JSONResponse(h.clock()), nil
}

func (h *Handlers) AdvanceClock(ctx context.Context, req stubapi.AdvanceClockRequestObject) (stubapi.AdvanceClockResponseObject, error) {
	sent := req.JSONBody
	if sent == nil {
		sent = req.FormdataBody
	}
	body, err := handlers.RequireBody(sent)
	if err != nil {
		return nil, err
	}
	d, err := time.ParseDuration(body.Duration)
	if err != nil {
		return nil, apierror.InvalidAttribute.ForField("duration", "must be a Go duration such as 90s or 61m: "+err.Error())
	}
	if now, err := h.stub.AdvanceClock(d); errors.Is(err, clock.ErrPastLatest) {
		return nil, apierror.InvalidAttribute.ForField("duration", err.Error()+"; it is "+now.Format(time.RFC3339)+" now")
	} else if err != nil {
		return nil, err
	}
	return stubapi.AdvanceClock200JSONResponse(h.clock()), nil
}

func (h *Handlers) GetCredentials(ctx context.Context, _ stubapi.GetCredentialsRequestObject) (stubapi.GetCredentialsResponseObject, error) {
	creds := h.stub.Bootstrap()
	if creds.BaseUrl == "" {
		creds.BaseUrl = pipeline.RequestOf(ctx).BaseURL
	}
	return stubapi.GetCredentials200JSONResponse(creds), nil
}

func (h *Handlers) ExportState(ctx context.Context, _ stubapi.ExportStateRequestObject) (stubapi.ExportStateResponseObject, error) {
	state, err := h.stub.State()
	if err != nil {
		return nil, err
	}
	if state.Bootstrap.BaseUrl == "" {
		state.Bootstrap.BaseUrl = pipeline.RequestOf(ctx).BaseURL
	}
	return stubapi.ExportState200JSONResponse(state), nil
}

func (h *Handlers) ImportState(ctx context.Context, req stubapi.ImportStateRequestObject) (stubapi.ImportStateResponseObject, error) {
	body, err := handlers.RequireBody(req.Body)
	if err != nil {
		return nil, err
	}
	if err := h.stub.SetState(body); err != nil {
		return nil, err
	}
	return stubapi.ImportState204Response{}, nil
}

func (h *Handlers) GetProjectCA(ctx context.Context, req stubapi.GetProjectCARequestObject) (stubapi.GetProjectCAResponseObject, error) {
	pem, err := h.stub.ProjectCA(req.GroupId)
	if err != nil {
		return nil, err
	}
	return stubapi.GetProjectCA200ApplicationxPemFileResponse{Body: bytes.NewReader(pem), ContentLength: int64(len(pem))}, nil
}

func (h *Handlers) GetHealth(ctx context.Context, _ stubapi.GetHealthRequestObject) (stubapi.GetHealthResponseObject, error) {
	return stubapi.GetHealth200JSONResponse{Status: stubapi.Ok}, nil
}

func (h *Handlers) GetAtlasSpecification(ctx context.Context, _ stubapi.GetAtlasSpecificationRequestObject) (stubapi.GetAtlasSpecificationResponseObject, error) {
	doc, err := servedSpecification(ctx, openapi.AtlasYAML())
	if err != nil {
		return nil, err
	}
	return stubapi.GetAtlasSpecification200ApplicationyamlResponse{Body: bytes.NewReader(doc), ContentLength: int64(len(doc))}, nil
}

func (h *Handlers) GetControlSpecification(ctx context.Context, _ stubapi.GetControlSpecificationRequestObject) (stubapi.GetControlSpecificationResponseObject, error) {
	doc, err := servedSpecification(ctx, openapi.StubYAML())
	if err != nil {
		return nil, err
	}
	return stubapi.GetControlSpecification200ApplicationyamlResponse{Body: bytes.NewReader(doc), ContentLength: int64(len(doc))}, nil
}

// servedSpecification is an embedded specification whose first server is the address the
// request reached the stub at, so that a tool reading it from the stub calls the stub.
func servedSpecification(ctx context.Context, doc []byte) ([]byte, error) {
	return openapi.WithServerFirst(doc, pipeline.RequestOf(ctx).BaseURL)
}

func (h *Handlers) clock() stubapi.Clock {
	c := h.stub.Clock()
	return stubapi.Clock{Now: c.Now().Truncate(time.Second), OffsetSeconds: int64(c.Offset() / time.Second)}
}
