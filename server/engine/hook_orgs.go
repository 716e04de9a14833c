package engine

import (
	"github.com/atlasstub/atlasstub/server/apierror"
)

// Organizations are records of the curated store (server/store, org.go), which the official
// operations the curated specification lacks act on directly: a new name, and deletion, which
// Atlas refuses while the organization holds projects (ORG_NOT_EMPTY) and which takes its API
// keys, service accounts and resources with it. Creating an organization is not modeled: the
// stub's organizations are its bootstrap, and the answer is Atlas's own refusal of API keys
// (API_KEY_CANNOT_CREATE_ORG).
func init() {
	hooks = append(hooks, &hook{
		family:     "organizations",
		operations: []string{"updateOrg", "deleteOrg", "createOrg"},
		serve: map[string]func(cl *call) error{
			"updateOrg": renameOrg,
			"deleteOrg": deleteOrg,
			"createOrg": func(*call) error { return apierror.CannotCreateOrg.New() },
		},
	})
}

func renameOrg(cl *call) error {
	body, _ := cl.writable(cl.body).(map[string]any)
	name, _ := body["name"].(string)
	org, err := cl.tx.RenameOrg(cl.params["orgId"], name)
	if err != nil {
		return err
	}
	answer := map[string]any{"id": org.ID, "name": org.Name, "isDeleted": false,
		"links": []any{map[string]any{"href": cl.info.BaseURL + apiRoot + "/orgs/" + org.ID, "rel": "self"}}}
	return cl.respond(cl.render(cl.plan.response, answer))
}

func deleteOrg(cl *call) error {
	if err := cl.tx.DeleteOrg(cl.params["orgId"]); err != nil {
		return err
	}
	return cl.respond(nil)
}
