package server

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/auth"
	"github.com/atlasstub/atlasstub/server/store"
	"github.com/atlasstub/atlasstub/server/x509ca"
)

// atlasHandlers implements the generated strict server of the Atlas subset. Each handler is
// thin: request -> one store transaction -> response; the rules live in the store.
type atlasHandlers struct {
	store  *store.Store
	issuer *x509ca.Issuer
	tokens *auth.Tokens
}

var _ atlasapi.StrictServerInterface = (*atlasHandlers)(nil)

// view and update run fn in a store transaction.
func (h *atlasHandlers) view(fn func(*store.Tx) error) error   { return h.store.View(fn) }
func (h *atlasHandlers) update(fn func(*store.Tx) error) error { return h.store.Update(fn) }

// apiRoot is the path prefix of the API version the request came in on, for links.
func apiRoot(ctx context.Context) string {
	if info := infoFrom(ctx); info.route != nil && strings.HasPrefix(info.route.Path, "/api/atlas/v1.0/") {
		return "/api/atlas/v1.0"
	}
	return "/api/atlas/v2"
}

// linksTo returns the self link of the resource at the path built from segments, each escaped.
func linksTo(ctx context.Context, segments ...string) *atlasapi.Links {
	path := apiRoot(ctx)
	for _, s := range segments {
		path += "/" + url.PathEscape(s)
	}
	return infoFrom(ctx).selfLinks(path)
}

// requireBody returns the JSON body of a request; validation has already refused requests
// without one, so a missing body here is a contract bug of the client that slipped through.
func requireBody[T any](body *T) (T, error) {
	if body == nil {
		var zero T
		return zero, apierror.MalformedJSON.New("the request body is required")
	}
	return *body, nil
}

// timestamp formats a time as Atlas does: UTC, whole seconds.
func timestamp(t time.Time) *time.Time {
	t = t.UTC().Truncate(time.Second)
	return &t
}

func ptr[T any](v T) *T { return &v }

// valueOr returns *p, or fallback when p is nil.
func valueOr[T any](p *T, fallback T) T {
	if p == nil {
		return fallback
	}
	return *p
}

// roleNames turns the generated enum types of roles into the store's plain names.
func roleNames[R ~string](roles []R) []string {
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		out = append(out, string(r))
	}
	return out
}

func tagsFromAPI(tags *[]atlasapi.ResourceTag) []store.Tag {
	if tags == nil {
		return nil
	}
	out := make([]store.Tag, 0, len(*tags))
	for _, t := range *tags {
		out = append(out, store.Tag{Key: t.Key, Value: t.Value})
	}
	return out
}

func tagsToAPI(tags []store.Tag) *[]atlasapi.ResourceTag {
	out := make([]atlasapi.ResourceTag, 0, len(tags))
	for _, t := range tags {
		out = append(out, atlasapi.ResourceTag{Key: t.Key, Value: t.Value})
	}
	return &out
}
