package suite

import (
	"context"
	"net/http"
	"slices"
	"time"

	"github.com/atlasstub/atlasstub/contract"
	"github.com/atlasstub/atlasstub/openapi"
)

var versionNegotiation = Check{
	Name: "version_negotiation",
	Doc: "A versioned operation refuses a request without a versioned Accept, or with a date before " +
		"its first version, with 406 INVALID_VERSION_DATE; a read with a later date is served by the " +
		"newest version not after it, which the Content-Type names.",
	run: func(ctx context.Context, r *runner, op contract.Operation) outcome {
		versions := op.Versions()
		if len(versions) == 0 {
			return skip("the operation has no versions; it speaks application/json")
		}
		var o outcome
		destructive := recipeOf(op).fresh != nil
		base, err := r.base(ctx, op, destructive)
		if err != nil {
			o.failErr(err)
			return o
		}
		first, _ := time.Parse(time.DateOnly, slices.Min(versions))
		for _, accept := range []string{"", "application/json", openapi.MediaType(first.AddDate(0, 0, -1).Format(time.DateOnly), "json")} {
			res, err := r.sendAccepting(ctx, base, accept)
			if err != nil {
				o.failErr(err)
				continue
			}
			if res.status != http.StatusNotAcceptable || res.object()["errorCode"] != "INVALID_VERSION_DATE" {
				o.fail(res, "Accept %q was answered %d: %s", accept, res.status, snippet(res.body))
			}
		}
		if op.Method != http.MethodGet {
			return o // a later date would run the operation; reads show the negotiation as well
		}
		if reason := r.unsendable(op); reason != "" {
			return o // the 406s are checked; a read that is served needs what nothing creates
		}
		newest := slices.Max(versions)
		for _, date := range []string{newest, "2025-02-19", "2099-12-31"} {
			if date < versions[0] {
				continue // before every version: the 406s above
			}
			res, err := r.sendAccepting(ctx, base, openapi.MediaType(date, "json"))
			if err != nil {
				o.failErr(err)
				continue
			}
			served := openapi.NewestNotAfter(versions, date)
			if !success(op, res.status) {
				o.fail(res, "Accept for %s was answered %d: %s", date, res.status, snippet(res.body))
			} else if got := contentTypeVersion(res); got != served {
				o.fail(res, "Accept for %s was served as version %q, want %s", date, got, served)
			}
		}
		return o
	},
}

// sendAccepting sends a call as the service account with the given Accept header ("" for none).
func (r *runner) sendAccepting(ctx context.Context, c call, accept string) (response, error) {
	req := r.request(c)
	req.accept = accept
	return r.c.send(ctx, req)
}

func contentTypeVersion(res response) string {
	return contract.ServedVersion(res.header.Get("Content-Type"))
}
