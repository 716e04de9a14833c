package engine

// A project's network peering containers are listed by provider at /containers and all of them
// at /containers/all, which the generic rules would read as a collection of its own, always
// empty: the hook lists the containers there.
func init() {
	hooks = append(hooks, &hook{
		family:     "network peering",
		operations: []string{"listGroupContainerAll"},
		serve: map[string]func(cl *call) error{"listGroupContainerAll": func(cl *call) error {
			members, err := cl.members(cl.siblingPath("containers"))
			if err != nil {
				return err
			}
			return cl.respondList(members)
		}},
	})
}
