package engine

import "net/url"

// A private endpoint service is created at /privateEndpoint/endpointService with its provider in
// the body, but read, listed and deleted under its provider, at
// /privateEndpoint/{cloudProvider}/endpointService: the hook creates it there. It is INITIATING,
// then AVAILABLE.
const endpointServicesTemplate = "/api/atlas/v2/groups/{}/privateEndpoint/{}/endpointService"

func init() {
	hooks = append(hooks, &hook{
		family:     "private endpoints",
		operations: []string{"createGroupPrivateEndpointEndpointService"},
		serve:      map[string]func(cl *call) error{"createGroupPrivateEndpointEndpointService": createEndpointService},
	})
}

func createEndpointService(cl *call) error {
	body, _ := cl.writable(cl.body).(map[string]any)
	provider, _ := body["providerName"].(string)
	services := cl.spec.collections[endpointServicesTemplate]
	doc := map[string]any{"cloudProvider": provider, "regionName": body["region"]}
	r, err := cl.createIn(services, cl.siblingPath("privateEndpoint/"+url.PathEscape(provider)+"/endpointService"), doc)
	if err != nil {
		return err
	}
	return cl.respond(cl.render(cl.plan.response, cl.shownIn(services, r)))
}
