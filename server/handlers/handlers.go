// Package handlers holds what the curated Atlas handlers share; each resource's handlers live in
// a package of their own below it (orgs, projects, dbusers, certs, usersecurity, apikeys,
// serviceaccounts, oauth). A handler is thin: request -> one store transaction -> response; the
// rules of the domain live in the store, authentication and roles in authz, and everything the
// request's way does around a handler in pipeline.
package handlers

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/atlasstub/atlasstub/gen/atlasapi"
	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/pipeline"
)

// RequireBody returns the JSON body of a request; validation has already refused requests
// without one, so a missing body here is a contract bug of the client that slipped through.
func RequireBody[T any](body *T) (T, error) {
	if body == nil {
		var zero T
		return zero, apierror.MalformedJSON.New("the request body is required")
	}
	return *body, nil
}

// Links returns the self link of the resource at the path built from segments, each escaped,
// under the root of the API version the request came in on.
func Links(ctx context.Context, segments ...string) *atlasapi.Links {
	href, rel := URL(ctx, segments...), "self"
	return &atlasapi.Links{{Href: &href, Rel: &rel}}
}

// LinksWithRelated returns the self link of the resource at the path built from segments, then a
// link to each of its related resources, as live Atlas links them: the resource's URL followed by
// /<name>, with the relation http://cloud.mongodb.com/<name>. The stub need not serve them.
func LinksWithRelated(ctx context.Context, related []string, segments ...string) *atlasapi.Links {
	self, selfRel := URL(ctx, segments...), "self"
	links := make(atlasapi.Links, 1, 1+len(related))
	links[0] = atlasapi.Link{Href: &self, Rel: &selfRel}
	for _, name := range related {
		href, rel := self+"/"+name, relatedRelation+name
		links = append(links, atlasapi.Link{Href: &href, Rel: &rel})
	}
	return &links
}

// relatedRelation prefixes the name of a related resource in the rel of its link, as Atlas and
// Cloud Manager write it.
const relatedRelation = "http://cloud.mongodb.com/"

// URL is the absolute URL of the resource at the path built from segments, each escaped, under
// the root of the API version the request came in on: its self link, and the Location of the
// response that creates it.
func URL(ctx context.Context, segments ...string) string {
	info := pipeline.RequestOf(ctx)
	path := apiRoot(info)
	for _, s := range segments {
		path += "/" + url.PathEscape(s)
	}
	return info.BaseURL + path
}

// apiRoot is the path prefix of the API version the request came in on.
func apiRoot(info *pipeline.Request) string {
	if info.Route != nil && strings.HasPrefix(info.Route.Path, "/api/atlas/v1.0/") {
		return "/api/atlas/v1.0"
	}
	return "/api/atlas/v2"
}

// Timestamp formats a time as Atlas does: UTC, whole seconds.
func Timestamp(t time.Time) *time.Time {
	t = t.UTC().Truncate(time.Second)
	return &t
}

// ValueOr returns *p, or fallback when p is nil.
func ValueOr[T any](p *T, fallback T) T {
	if p == nil {
		return fallback
	}
	return *p
}

// NonEmpty returns a pointer to s, or nil for the empty string, which Atlas leaves out.
func NonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// RoleNames turns the generated enum types of roles into the store's plain names.
func RoleNames[R ~string](roles []R) []string {
	out := make([]string, 0, len(roles))
	for _, r := range roles {
		out = append(out, string(r))
	}
	return out
}

// WithNamePrefix keeps the items whose name starts with prefix, ignoring case, as Atlas's name
// filters do; a nil prefix keeps everything.
func WithNamePrefix[T any](items []T, prefix *string, name func(T) string) []T {
	if prefix == nil || *prefix == "" {
		return items
	}
	want := strings.ToLower(*prefix)
	var out []T
	for _, item := range items {
		if strings.HasPrefix(strings.ToLower(name(item)), want) {
			out = append(out, item)
		}
	}
	return out
}
