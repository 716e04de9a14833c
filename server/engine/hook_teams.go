package engine

import (
	"slices"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/store"
)

// Teams gather the users of an organization (created with POST /orgs/{orgId}/users) and are
// assigned to its projects with roles. A team's name is unique in its organization; its members
// are users of the organization, named by username when the team is created and by id when
// added later; a user shows the teams it belongs to in teamIds; a project takes a team of its
// organization once. A team that a project holds cannot be deleted, as Atlas documents
// (CANNOT_DELETE_TEAM_ASSIGNED_TO_PROJECT); deleting a user takes it out of its teams.
const (
	orgTeamsTemplate     = "/api/atlas/v2/orgs/{}/teams"
	teamUsersTemplate    = "/api/atlas/v2/orgs/{}/teams/{}/users"
	orgUsersTemplate     = "/api/atlas/v2/orgs/{}/users"
	projectTeamsTemplate = "/api/atlas/v2/groups/{}/teams"
)

func init() {
	hooks = append(hooks,
		&hook{
			family:      "teams",
			collections: []string{orgTeamsTemplate},
			operations:  []string{"getOrgTeamByName", "deleteOrgTeam", "addOrgTeamUser", "removeOrgTeamUser"},
			admit:       admitTeam,
			serve: map[string]func(cl *call) error{
				"getOrgTeamByName":  teamByName,
				"deleteOrgTeam":     deleteTeam,
				"addOrgTeamUser":    func(cl *call) error { return changeTeamMember(cl, true) },
				"removeOrgTeamUser": func(cl *call) error { return changeTeamMember(cl, false) },
			},
		},
		&hook{family: "teams", collections: []string{teamUsersTemplate}, admit: admitTeamMember,
			operations: []string{"removeOrgTeamUserFromTeam"},
			serve:      map[string]func(cl *call) error{"removeOrgTeamUserFromTeam": removeTeamMember}},
		&hook{family: "teams", collections: []string{orgUsersTemplate}, admit: admitOrgUser, derive: deriveOrgUser,
			operations: []string{"removeOrgUser"},
			serve:      map[string]func(cl *call) error{"removeOrgUser": removeOrgUser}},
		&hook{family: "teams", collections: []string{projectTeamsTemplate}, admit: admitProjectTeam},
		&hook{family: "teams", operations: []string{"getUserByName"},
			serve: map[string]func(cl *call) error{"getUserByName": userByName}},
	)
}

// teamsPath and usersPath are the collections of an organization's teams and users.
func teamsPath(orgID string) string { return store.ResourcePath("orgs", orgID) + "/teams" }
func usersPath(orgID string) string { return store.ResourcePath("orgs", orgID) + "/users" }

// admitTeam checks that a new team's name is free and that its usernames are users of the
// organization, whom it then holds.
func admitTeam(cl *call, doc map[string]any) (string, error) {
	orgID := cl.params["orgId"]
	name, _ := doc["name"].(string)
	if _, found, err := cl.findBy(teamsPath(orgID), "name", name); err != nil || found {
		return "", errOr(err, apierror.TeamNameNotAvailable.New(name, orgID))
	}
	usernames, _ := doc["usernames"].([]any)
	id := cl.newID()
	for _, username := range usernames {
		user, found, err := cl.findBy(usersPath(orgID), "username", username)
		if err != nil || !found {
			return "", errOr(err, apierror.BadUsernameRef.New(username))
		}
		if err := cl.joinTeam(orgID, id, user); err != nil {
			return "", err
		}
	}
	return id, nil
}

// teamByName finds a team by its name.
func teamByName(cl *call) error {
	team, found, err := cl.findBy(teamsPath(cl.params["orgId"]), "name", cl.params["teamName"])
	if err != nil || !found {
		return errOr(err, apierror.TeamNameNotFound.New(cl.params["teamName"]))
	}
	return cl.respond(cl.render(cl.plan.response, cl.shown(team)))
}

// deleteTeam deletes a team that no project of the organization holds, and takes its users out
// of it.
func deleteTeam(cl *call) error {
	orgID, teamID := cl.params["orgId"], cl.params["teamId"]
	projects, err := cl.tx.Projects(orgID)
	if err != nil {
		return err
	}
	for _, p := range projects {
		if _, held, err := cl.tx.Resource(store.ResourcePath("groups", p.ID)+"/teams", teamID); err != nil || held {
			return errOr(err, apierror.TeamAssignedToProject.New())
		}
	}
	members, err := cl.tx.Resources(store.ResourcePath(teamsPath(orgID), teamID) + "/users")
	if err != nil {
		return err
	}
	for _, m := range members {
		if err := cl.setTeamOfUser(orgID, m.ID, teamID, false); err != nil {
			return err
		}
	}
	return cl.remove()
}

// admitTeamMember names a new member of a team by its user's id, and takes the user's document:
// the user must be one of the organization.
func admitTeamMember(cl *call, doc map[string]any) (string, error) {
	id, _ := doc["id"].(string)
	orgID, teamID := cl.params["orgId"], cl.params["teamId"]
	user, found, err := cl.tx.Resource(usersPath(orgID), id)
	if err != nil || !found {
		return "", errOr(err, apierror.UserNotFound.New(id))
	}
	if _, member, err := cl.tx.Resource(store.ResourcePath(teamsPath(orgID), teamID)+"/users", id); err != nil || member {
		return "", errOr(err, apierror.UserAlreadyInTeam.New(id, teamID))
	}
	for name, value := range user.Document {
		doc[name] = value
	}
	return id, cl.setTeamOfUser(orgID, id, teamID, true)
}

// joinTeam makes a user a member of a team that is being created.
func (cl *call) joinTeam(orgID, teamID string, user store.Resource) error {
	member := store.Resource{Collection: store.ResourcePath(teamsPath(orgID), teamID) + "/users", ID: user.ID, Created: cl.now, Document: user.Document}
	if err := cl.tx.PutResource(member); err != nil {
		return err
	}
	return cl.setTeamOfUser(orgID, user.ID, teamID, true)
}

// changeTeamMember serves :addUser and :removeUser, which answer the user.
func changeTeamMember(cl *call, add bool) error {
	body, _ := cl.writable(cl.body).(map[string]any)
	id, _ := body["id"].(string)
	orgID, teamID := cl.params["orgId"], cl.params["teamId"]
	members := store.ResourcePath(teamsPath(orgID), teamID) + "/users"
	user, found, err := cl.tx.Resource(usersPath(orgID), id)
	if err != nil || !found {
		return errOr(err, apierror.UserNotFound.New(id))
	}
	_, member, err := cl.tx.Resource(members, id)
	switch {
	case err != nil:
		return err
	case add && member:
		return apierror.UserAlreadyInTeam.New(id, teamID)
	case add:
		err = cl.joinTeam(orgID, teamID, user)
	case !member:
		return apierror.UserNotFound.New(id)
	default:
		if err = cl.tx.DeleteResource(members, id); err == nil {
			err = cl.setTeamOfUser(orgID, id, teamID, false)
		}
	}
	if err != nil {
		return err
	}
	user, _, err = cl.tx.Resource(usersPath(orgID), id)
	if err != nil {
		return err
	}
	return cl.respond(cl.render(cl.plan.response, cl.shownIn(cl.spec.collections[orgUsersTemplate], user)))
}

// removeTeamMember takes a user out of a team.
func removeTeamMember(cl *call) error {
	if err := cl.setTeamOfUser(cl.params["orgId"], cl.params["userId"], cl.params["teamId"], false); err != nil {
		return err
	}
	return cl.remove()
}

// setTeamOfUser adds a team to, or removes it from, the teamIds of a user of the organization.
func (cl *call) setTeamOfUser(orgID, userID, teamID string, member bool) error {
	user, found, err := cl.tx.Resource(usersPath(orgID), userID)
	if err != nil || !found {
		return err
	}
	var teams []any
	current, _ := user.Document["teamIds"].([]any)
	for _, t := range current {
		if t != teamID {
			teams = append(teams, t)
		}
	}
	if member {
		teams = append(teams, teamID)
	}
	user.Document["teamIds"] = teams
	if teams == nil {
		user.Document["teamIds"] = []any{}
	}
	return cl.tx.PutResource(user)
}

// admitOrgUser refuses a username that the organization has already.
func admitOrgUser(cl *call, doc map[string]any) (string, error) {
	username, _ := doc["username"].(string)
	if _, found, err := cl.findBy(usersPath(cl.params["orgId"]), "username", username); err != nil || found {
		return "", errOr(err, apierror.UserAlreadyExists.New(username))
	}
	return "", nil
}

// deriveOrgUser shows a user's username, an email address, as its address too, and the teams it
// belongs to.
func deriveOrgUser(_ *call, r *store.Resource) {
	if username, ok := r.Document["username"].(string); ok {
		r.Document["emailAddress"] = username
	}
	if _, ok := r.Document["teamIds"]; !ok {
		r.Document["teamIds"] = []any{}
	}
}

// removeOrgUser deletes a user of the organization and takes it out of its teams.
func removeOrgUser(cl *call) error {
	orgID, userID := cl.params["orgId"], cl.params["userId"]
	user, found, err := cl.tx.Resource(usersPath(orgID), userID)
	if err != nil || !found {
		return errOr(err, apierror.UserNotFound.New(userID))
	}
	teams, _ := user.Document["teamIds"].([]any)
	for _, team := range teams {
		teamID, _ := team.(string)
		if err := cl.tx.DeleteResource(store.ResourcePath(teamsPath(orgID), teamID)+"/users", userID); err != nil {
			return err
		}
	}
	return cl.remove()
}

// admitProjectTeam checks that a team assigned to a project is one of the project's
// organization.
func admitProjectTeam(cl *call, doc map[string]any) (string, error) {
	teamID, _ := doc["teamId"].(string)
	project, err := cl.tx.Project(cl.params["groupId"])
	if err != nil {
		return "", err
	}
	if _, found, err := cl.tx.Resource(teamsPath(project.OrgID), teamID); err != nil || !found {
		return "", errOr(err, apierror.TeamNotFound.New(teamID))
	}
	return "", nil
}

// findBy finds the member of a collection whose property has a value.
func (cl *call) findBy(path, property string, value any) (store.Resource, bool, error) {
	members, err := cl.tx.Resources(path)
	if err != nil {
		return store.Resource{}, false, err
	}
	i := slices.IndexFunc(members, func(r store.Resource) bool { return r.Document[property] == value && !gone(r, cl.now) })
	if i < 0 {
		return store.Resource{}, false, nil
	}
	return members[i], true, nil
}

// errOr returns err, or otherwise when err is nil.
func errOr(err error, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// userByName finds a MongoDB Cloud user (POST /users) by its username.
func userByName(cl *call) error {
	user, found, err := cl.findBy("users", "username", cl.params["userName"])
	if err != nil || !found {
		return errOr(err, apierror.UsernameNotFound.New(cl.params["userName"]))
	}
	return cl.respond(cl.render(cl.plan.response, cl.shownIn(cl.spec.collections["/api/atlas/v2/users"], user)))
}
