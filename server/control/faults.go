package control

import (
	"context"
	"time"

	"github.com/atlasstub/atlasstub/gen/stubapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/faults"
	"github.com/atlasstub/atlasstub/server/handlers"
)

func (h *Handlers) ListFaultRules(ctx context.Context, _ stubapi.ListFaultRulesRequestObject) (stubapi.ListFaultRulesResponseObject, error) {
	rules := h.stub.Faults().Rules()
	out := make(stubapi.ListFaultRules200JSONResponse, 0, len(rules))
	for _, r := range rules {
		out = append(out, faultRuleOf(r))
	}
	return out, nil
}

func (h *Handlers) AddFaultRule(ctx context.Context, req stubapi.AddFaultRuleRequestObject) (stubapi.AddFaultRuleResponseObject, error) {
	body, err := handlers.RequireBody(req.Body)
	if err != nil {
		return nil, err
	}
	rule, err := ruleOf(stubapi.FaultRuleRequest(body))
	if err != nil {
		return nil, err
	}
	added, err := h.stub.Faults().Add(rule)
	if err != nil {
		return nil, err
	}
	return stubapi.AddFaultRule201JSONResponse(faultRuleOf(added)), nil
}

func (h *Handlers) DeleteFaultRules(ctx context.Context, _ stubapi.DeleteFaultRulesRequestObject) (stubapi.DeleteFaultRulesResponseObject, error) {
	h.stub.Faults().Clear()
	return stubapi.DeleteFaultRules204Response{}, nil
}

func (h *Handlers) GetFaultRule(ctx context.Context, req stubapi.GetFaultRuleRequestObject) (stubapi.GetFaultRuleResponseObject, error) {
	rule, ok := h.stub.Faults().Rule(req.RuleId)
	if !ok {
		return nil, apierror.FaultRuleNotFound.New(req.RuleId)
	}
	return stubapi.GetFaultRule200JSONResponse(faultRuleOf(rule)), nil
}

func (h *Handlers) DeleteFaultRule(ctx context.Context, req stubapi.DeleteFaultRuleRequestObject) (stubapi.DeleteFaultRuleResponseObject, error) {
	if !h.stub.Faults().Remove(req.RuleId) {
		return nil, apierror.FaultRuleNotFound.New(req.RuleId)
	}
	return stubapi.DeleteFaultRule204Response{}, nil
}

// ruleOf reads a rule of the control API. The schema has checked the shapes; the durations are
// read here, and the injector checks the rest.
func ruleOf(req stubapi.FaultRuleRequest) (faults.Rule, error) {
	r := faults.Rule{
		Match: faults.Match{
			OperationID: handlers.ValueOr(req.Match.OperationId, ""),
			Tag:         handlers.ValueOr(req.Match.Tag, ""),
			Method:      string(handlers.ValueOr(req.Match.Method, "")),
			Path:        handlers.ValueOr(req.Match.Path, ""),
		},
		DropConnection: faults.Drop(handlers.ValueOr(req.DropConnection, "")),
		After:          int(handlers.ValueOr(req.After, 0)),
		Times:          int(handlers.ValueOr(req.Times, 0)),
		Probability:    handlers.ValueOr(req.Probability, 0),
		Seed:           uint64(handlers.ValueOr(req.Seed, 0)),
	}
	if e := req.Error; e != nil {
		r.Error = &faults.AtlasError{Status: int(e.Status), ErrorCode: e.ErrorCode, Detail: handlers.ValueOr(e.Detail, ""), RetryAfter: time.Duration(handlers.ValueOr(e.RetryAfterSeconds, 0)) * time.Second}
	}
	if req.Latency != nil {
		latency, err := faults.ParseLatency(*req.Latency)
		if err != nil {
			return faults.Rule{}, apierror.InvalidAttribute.ForField("latency", err.Error())
		}
		r.Latency = latency
	}
	if req.SlowBody != nil {
		d, err := time.ParseDuration(*req.SlowBody)
		if err != nil {
			return faults.Rule{}, apierror.InvalidAttribute.ForField("slowBody", err.Error())
		}
		r.SlowBody = d
	}
	return r, nil
}

// faultRuleOf writes a rule as the control API shows it.
func faultRuleOf(r faults.Rule) stubapi.FaultRule {
	out := stubapi.FaultRule{
		Id:          r.ID,
		Match:       stubapi.FaultMatch{OperationId: handlers.NonEmpty(r.Match.OperationID), Tag: handlers.NonEmpty(r.Match.Tag), Path: handlers.NonEmpty(r.Match.Path)},
		Probability: r.Probability,
		Seed:        int64(r.Seed),
		Matched:     int64(r.Matched),
		Fired:       int64(r.Fired),
	}
	if r.Match.Method != "" {
		method := stubapi.FaultMatchMethod(r.Match.Method)
		out.Match.Method = &method
	}
	if e := r.Error; e != nil {
		out.Error = &stubapi.FaultError{Status: int32(e.Status), ErrorCode: e.ErrorCode, Detail: handlers.NonEmpty(e.Detail)}
		if e.RetryAfter > 0 {
			seconds := int32((e.RetryAfter + time.Second - 1) / time.Second)
			out.Error.RetryAfterSeconds = &seconds
		}
	}
	out.Latency = handlers.NonEmpty(r.Latency.String())
	if r.SlowBody > 0 {
		out.SlowBody = handlers.NonEmpty(r.SlowBody.String())
	}
	if r.DropConnection != "" {
		drop := stubapi.FaultDrop(r.DropConnection)
		out.DropConnection = &drop
	}
	if r.After > 0 {
		after := int32(r.After)
		out.After = &after
	}
	if r.Times > 0 {
		times := int32(r.Times)
		out.Times = &times
	}
	return out
}
