package engine

import (
	"slices"
	"strings"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/store"
)

// A project's custom database roles follow Atlas's rules: a role needs an action or an inherited
// role, its name is no built-in role's and does not start with xgen-, it inherits only roles
// that exist (built-in, or custom in the project) and never itself, and it names each action
// once. Database users of the project may hold it (on admin); one that a user holds cannot be
// deleted.
func init() {
	hooks = append(hooks, &hook{
		family:      "custom database roles",
		collections: []string{"/api/atlas/v2/groups/{}/customDBRoles/roles"},
		operations:  []string{"deleteGroupCustomDbRoleRole"},
		check:       checkCustomRole,
		serve:       map[string]func(cl *call) error{"deleteGroupCustomDbRoleRole": deleteCustomRole},
	})
}

func checkCustomRole(cl *call, r store.Resource) error {
	name := r.ID
	actions, _ := r.Document["actions"].([]any)
	inherited, _ := r.Document["inheritedRoles"].([]any)
	switch {
	case store.IsBuiltinRole(name):
		return apierror.CustomRoleBuiltinName.New(name)
	case strings.HasPrefix(name, "xgen-"):
		return apierror.CustomRoleReservedPrefix.New(name)
	case len(actions) == 0 && len(inherited) == 0:
		return apierror.CustomRoleNoPermissions.New()
	}
	var seen []string
	for _, a := range actions {
		action, _ := a.(map[string]any)["action"].(string)
		if slices.Contains(seen, action) {
			return apierror.CustomRoleDuplicateAction.New()
		}
		seen = append(seen, action)
	}
	for _, i := range inherited {
		role, _ := i.(map[string]any)["role"].(string)
		if role == name {
			return apierror.CustomRoleSelfReferential.New()
		}
		if store.IsBuiltinRole(role) {
			continue
		}
		if _, ok, err := cl.tx.Resource(r.Collection, role); err != nil || !ok {
			return apierror.CustomRoleUnknownInheritance.New()
		}
	}
	return nil
}

// deleteCustomRole refuses to delete a role that database users of the project hold.
func deleteCustomRole(cl *call) error {
	users, err := cl.tx.DatabaseUsers(cl.params["groupId"])
	if err != nil {
		return err
	}
	var holders []string
	for _, u := range users {
		for _, role := range u.Roles {
			if role.RoleName == cl.params["roleName"] {
				holders = append(holders, u.Username)
			}
		}
	}
	if len(holders) > 0 {
		return apierror.CustomRoleInUse.New(strings.Join(holders, ", "))
	}
	return cl.remove()
}
