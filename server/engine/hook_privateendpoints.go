package engine

import (
	"net/url"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/store"
)

// A private endpoint service is created at /privateEndpoint/endpointService with its provider in
// the body, but read, listed and deleted under its provider, at
// /privateEndpoint/{cloudProvider}/endpointService: the hook creates it there. It is INITIATING,
// then AVAILABLE.
//
// A private endpoint of a service is named by the id of the provider's endpoint, which the
// create's body gives (AWS and Azure: id) or the endpoint group's name (Google Cloud): the hook
// names the member by it and shows it where the provider's schema has it.
const (
	endpointServicesTemplate = "/api/atlas/v2/groups/{}/privateEndpoint/{}/endpointService"
	endpointsTemplate        = endpointServicesTemplate + "/{}/endpoint"
)

// endpointIDFields are, by provider, the property that shows a private endpoint's id.
var endpointIDFields = map[string]string{"AWS": "interfaceEndpointId", "AZURE": "privateEndpointResourceId", "GCP": "endpointGroupName"}

func init() {
	hooks = append(hooks, &hook{
		family:     "private endpoints",
		operations: []string{"createGroupPrivateEndpointEndpointService"},
		serve:      map[string]func(cl *call) error{"createGroupPrivateEndpointEndpointService": createEndpointService},
	}, &hook{family: "private endpoints", collections: []string{endpointsTemplate}, admit: admitEndpoint},
		&hook{family: "private endpoints", collections: []string{endpointServicesTemplate}, show: showEndpointService})
}

// endpointListFields are, by provider, the property of a private endpoint service that lists
// its endpoints. An AWS service's interfaceEndpoints are 24-digit ids in the specification,
// which an interface endpoint's vpce- id is not: it stays empty.
var endpointListFields = map[string]string{"AZURE": "privateEndpoints", "GCP": "endpointGroupNames"}

// showEndpointService lists the service's endpoints in it.
func showEndpointService(cl *call, r store.Resource, doc map[string]any) {
	provider, _ := doc["cloudProvider"].(string)
	field, ok := endpointListFields[provider]
	if !ok {
		return
	}
	endpoints, err := cl.tx.Resources(store.ResourcePath(r.Collection, r.ID) + "/endpoint")
	if err != nil {
		return
	}
	ids := []any{}
	for _, e := range endpoints {
		ids = append(ids, e.ID)
	}
	doc[field] = ids
}

func admitEndpoint(cl *call, doc map[string]any) (string, error) {
	provider := cl.params["cloudProvider"]
	id, _ := doc["id"].(string)
	if provider == "GCP" {
		id, _ = doc["endpointGroupName"].(string)
	}
	if id == "" {
		return "", apierror.MissingAttribute.New(map[bool]string{true: "endpointGroupName", false: "id"}[provider == "GCP"])
	}
	delete(doc, "id")
	doc["cloudProvider"] = provider
	if field, ok := endpointIDFields[provider]; ok {
		doc[field] = id
	}
	return id, nil
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
