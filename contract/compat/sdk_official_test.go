package compat

import (
	"context"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers"
	"github.com/mongodb-forks/digest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.mongodb.org/atlas-sdk/v20250312013/admin"

	"github.com/atlasstub/atlasstub/server/engine"
	"github.com/atlasstub/atlasstub/server/stubtest"
)

// TestSDKAcrossTheOfficialAPI drives the official Atlas Go SDK, unchanged but for its base URL,
// through create, read, list, update and delete, where each exists, of the resources of more
// than 25 tags of the official specification that the generic engine serves: a cluster's whole
// lifecycle with a poll loop, the project IP access list, custom database roles, teams, alert
// configurations, backup snapshots, flex clusters and the rest. The stub's clock advances instead
// of the test sleeping, and the stub is strict: every answer validates against the official
// specification.
func TestSDKAcrossTheOfficialAPI(t *testing.T) {
	t.Parallel()
	stub := stubtest.New(t)
	tags := newTagLog(t)
	key := stub.Credentials.ApiKey
	transport := digest.NewTransport(key.PublicKey, key.PrivateKey)
	transport.Transport = tags
	client, err := admin.NewClient(admin.UseBaseURL(stub.URL), admin.UseHTTPClient(&http.Client{Transport: transport}))
	require.NoError(t, err)
	s := &officialSession{t: t, stub: stub, api: client, ctx: context.Background(),
		group: stub.Credentials.ProjectId, org: stub.Credentials.OrgId}

	for _, flow := range []struct {
		tag string
		run func(*officialSession)
	}{
		{"Clusters", (*officialSession).clusterLifecycle},
		{"Project IP Access List", (*officialSession).accessList},
		{"Custom Database Roles", (*officialSession).customRoles},
		{"Teams", (*officialSession).teams},
		{"Alert Configurations", (*officialSession).alertConfigurations},
		{"Cloud Backups", (*officialSession).cloudBackups},
		{"Flex Clusters", (*officialSession).flexClusters},
		{"Serverless Instances", (*officialSession).serverlessInstances},
		{"Atlas Search", (*officialSession).searchIndexes},
		{"Network Peering", (*officialSession).networkPeering},
		{"Private Endpoint Services", (*officialSession).privateEndpoints},
		{"Data Federation", (*officialSession).dataFederation},
		{"Third-Party Integrations", (*officialSession).integrations},
		{"Maintenance Windows", (*officialSession).maintenanceWindow},
		{"Auditing", (*officialSession).auditing},
		{"Encryption at Rest using Customer Key Management", (*officialSession).encryptionAtRest},
		{"Online Archive", (*officialSession).onlineArchive},
		{"Streams", (*officialSession).streams},
		{"Push-Based Log Export", (*officialSession).pushBasedLogExport},
		{"Cloud Provider Access", (*officialSession).cloudProviderAccess},
		{"Resource Policies", (*officialSession).resourcePolicies},
		{"Cluster Outage Simulation", (*officialSession).outageSimulation},
		{"Global Clusters", (*officialSession).globalClusters},
		{"Projects", (*officialSession).projectSettings},
		{"Organizations", (*officialSession).organization},
		{"Events", (*officialSession).events},
		{"Alerts", (*officialSession).alerts},
		{"LDAP Configuration", (*officialSession).ldapVerification},
		{"Data Lake Pipelines", (*officialSession).pipelines},
	} {
		t.Run(flow.tag, func(t *testing.T) {
			flow.run(&officialSession{t: t, stub: stub, api: client, ctx: s.ctx, group: s.group, org: s.org})
			assert.Contains(t, tags.succeeded(), flow.tag, "no call of the flow reached an operation of its tag")
		})
	}
	assert.GreaterOrEqual(t, len(tags.succeeded()), 25, "tags the SDK used successfully: %v", tags.succeeded())
}

// officialSession is the SDK client of one stub, in one flow.
type officialSession struct {
	t          *testing.T
	stub       *stubtest.Stub
	api        *admin.APIClient
	ctx        context.Context
	group, org string
}

// sdkResult is what an SDK call answered: sdk(api.X(...).Execute()).ok(t) requires it to have
// succeeded and returns its value.
type sdkResult[T any] struct {
	value T
	err   error
}

func sdk[T any](v T, _ *http.Response, err error) sdkResult[T] { return sdkResult[T]{v, err} }

func (r sdkResult[T]) ok(t *testing.T) T {
	t.Helper()
	require.NoError(t, r.err)
	return r.value
}

// sdkDone is sdk for the calls that answer nothing but a status (deletes).
func sdkDone(_ *http.Response, err error) sdkResult[struct{}] { return sdkResult[struct{}]{err: err} }

// refused requires an SDK call to have failed with an Atlas error of code.
func refused(t *testing.T, code string, err error) {
	t.Helper()
	require.Error(t, err)
	assert.True(t, admin.IsErrorCode(err, code), "want %s, got %v", code, err)
}

// pollUntil polls a state until it is want, advancing the stub's clock a second between polls
// as a client's loop would wait; it fails after a minute of the stub's clock.
func (s *officialSession) pollUntil(want string, state func() string) {
	s.t.Helper()
	for range 60 {
		if state() == want {
			return
		}
		s.stub.Advance(time.Second)
	}
	require.Failf(s.t, "never reached", "state %q", want)
}

// pollUntilGone polls a cluster's state until its read is CLUSTER_NOT_FOUND.
func (s *officialSession) pollUntilGone(read func() (string, error)) {
	s.t.Helper()
	s.pollUntil("gone", func() string {
		state, err := read()
		if admin.IsErrorCode(err, "CLUSTER_NOT_FOUND") {
			return "gone"
		}
		require.NoError(s.t, err)
		return state
	})
}

func awsM10() []admin.ReplicationSpec20240805 {
	return []admin.ReplicationSpec20240805{{RegionConfigs: &[]admin.CloudRegionConfig20240805{{
		ProviderName: admin.PtrString("AWS"), RegionName: admin.PtrString("US_EAST_1"), Priority: admin.PtrInt(7),
		ElectableSpecs: &admin.HardwareSpec20240805{InstanceSize: admin.PtrString("M10"), NodeCount: admin.PtrInt(3)},
	}}}}
}

// cluster creates a cluster and waits until it is IDLE.
func (s *officialSession) cluster(name string) {
	s.t.Helper()
	specs := awsM10()
	sdk(s.api.ClustersApi.CreateCluster(s.ctx, s.group, &admin.ClusterDescription20240805{
		Name: admin.PtrString(name), ClusterType: admin.PtrString("REPLICASET"), ReplicationSpecs: &specs}).Execute()).ok(s.t)
	s.pollUntil("IDLE", func() string {
		return sdk(s.api.ClustersApi.GetCluster(s.ctx, s.group, name).Execute()).ok(s.t).GetStateName()
	})
}

// clusterLifecycle: create -> poll until IDLE -> scale -> poll -> delete -> poll until gone.
func (s *officialSession) clusterLifecycle() {
	t := s.t
	s.cluster("lifecycle")
	cluster := sdk(s.api.ClustersApi.GetCluster(s.ctx, s.group, "lifecycle").Execute()).ok(t)
	assert.Contains(t, cluster.ConnectionStrings.GetStandardSrv(), "mongodb+srv://lifecycle.")
	list := sdk(s.api.ClustersApi.ListClusters(s.ctx, s.group).Execute()).ok(t)
	assert.Equal(t, 1, list.GetTotalCount())

	specs := cluster.GetReplicationSpecs()
	(*specs[0].RegionConfigs)[0].ElectableSpecs.InstanceSize = admin.PtrString("M30")
	updated := sdk(s.api.ClustersApi.UpdateCluster(s.ctx, s.group, "lifecycle", &admin.ClusterDescription20240805{ReplicationSpecs: &specs}).Execute()).ok(t)
	assert.Equal(t, "UPDATING", updated.GetStateName())
	s.pollUntil("IDLE", func() string {
		return sdk(s.api.ClustersApi.GetCluster(s.ctx, s.group, "lifecycle").Execute()).ok(t).GetStateName()
	})
	scaled := sdk(s.api.ClustersApi.GetCluster(s.ctx, s.group, "lifecycle").Execute()).ok(t)
	assert.Equal(t, "M30", (*scaled.GetReplicationSpecs()[0].RegionConfigs)[0].ElectableSpecs.GetInstanceSize())

	args := sdk(s.api.ClustersApi.UpdateProcessArgs(s.ctx, s.group, "lifecycle", &admin.ClusterDescriptionProcessArgs20240805{JavascriptEnabled: admin.PtrBool(false)}).Execute()).ok(t)
	assert.False(t, args.GetJavascriptEnabled())
	assert.False(t, sdk(s.api.ClustersApi.GetProcessArgs(s.ctx, s.group, "lifecycle").Execute()).ok(t).GetJavascriptEnabled())

	sdkDone(s.api.ClustersApi.DeleteCluster(s.ctx, s.group, "lifecycle").Execute()).ok(t)
	s.pollUntilGone(func() (string, error) {
		c, _, err := s.api.ClustersApi.GetCluster(s.ctx, s.group, "lifecycle").Execute()
		return c.GetStateName(), err
	})
}

func (s *officialSession) accessList() {
	t := s.t
	entries := []admin.NetworkPermissionEntry{{IpAddress: admin.PtrString("192.0.2.10"), Comment: admin.PtrString("office")}, {CidrBlock: admin.PtrString("198.51.100.0/24")}}
	list := sdk(s.api.ProjectIPAccessListApi.CreateAccessListEntry(s.ctx, s.group, &entries).Execute()).ok(t)
	assert.Equal(t, 2, list.GetTotalCount())
	entry := sdk(s.api.ProjectIPAccessListApi.GetAccessListEntry(s.ctx, s.group, "192.0.2.10").Execute()).ok(t)
	assert.Equal(t, "192.0.2.10/32", entry.GetCidrBlock())
	assert.Equal(t, 2, sdk(s.api.ProjectIPAccessListApi.ListAccessListEntries(s.ctx, s.group).Execute()).ok(t).GetTotalCount())
	sdk(s.api.ProjectIPAccessListApi.GetAccessListStatus(s.ctx, s.group, "192.0.2.10").Execute()).ok(t)
	sdkDone(s.api.ProjectIPAccessListApi.DeleteAccessListEntry(s.ctx, s.group, "198.51.100.0/24").Execute()).ok(t)
	_, _, err := s.api.ProjectIPAccessListApi.GetAccessListEntry(s.ctx, s.group, "198.51.100.0/24").Execute()
	refused(t, "ATLAS_NETWORK_PERMISSION_ENTRY_NOT_FOUND", err)
}

func (s *officialSession) customRoles() {
	t := s.t
	find := []admin.DatabasePrivilegeAction{{Action: "FIND", Resources: &[]admin.DatabasePermittedNamespaceResource{{Db: "sales", Collection: ""}}}}
	created := sdk(s.api.CustomDatabaseRolesApi.CreateCustomDbRole(s.ctx, s.group, &admin.UserCustomDBRole{RoleName: "salesReader", Actions: &find}).Execute()).ok(t)
	assert.Equal(t, "salesReader", created.RoleName)
	assert.Equal(t, "FIND", sdk(s.api.CustomDatabaseRolesApi.GetCustomDbRole(s.ctx, s.group, "salesReader").Execute()).ok(t).GetActions()[0].Action)
	assert.Len(t, sdk(s.api.CustomDatabaseRolesApi.ListCustomDbRoles(s.ctx, s.group).Execute()).ok(t), 1)
	more := append(find, admin.DatabasePrivilegeAction{Action: "INSERT", Resources: &[]admin.DatabasePermittedNamespaceResource{{Db: "sales", Collection: ""}}})
	updated := sdk(s.api.CustomDatabaseRolesApi.UpdateCustomDbRole(s.ctx, s.group, "salesReader", &admin.UpdateCustomDBRole{Actions: &more}).Execute()).ok(t)
	assert.Len(t, updated.GetActions(), 2)
	_, _, err := s.api.CustomDatabaseRolesApi.CreateCustomDbRole(s.ctx, s.group, &admin.UserCustomDBRole{RoleName: "salesReader", Actions: &find}).Execute()
	refused(t, "ATLAS_CUSTOM_ROLE_NAME_ALREADY_EXISTS", err)
	sdkDone(s.api.CustomDatabaseRolesApi.DeleteCustomDbRole(s.ctx, s.group, "salesReader").Execute()).ok(t)
}

func (s *officialSession) teams() {
	t := s.t
	users := s.api.MongoDBCloudUsersApi
	grace := sdk(users.CreateOrgUser(s.ctx, s.org, &admin.OrgUserRequest{Username: "grace@example.com", Roles: admin.OrgUserRolesRequest{OrgRoles: []string{"ORG_MEMBER"}}}).Execute()).ok(t)
	linus := sdk(users.CreateOrgUser(s.ctx, s.org, &admin.OrgUserRequest{Username: "linus@example.com", Roles: admin.OrgUserRolesRequest{OrgRoles: []string{"ORG_MEMBER"}}}).Execute()).ok(t)
	assert.Equal(t, "grace@example.com", sdk(users.GetOrgUser(s.ctx, s.org, grace.Id).Execute()).ok(t).Username)

	team := sdk(s.api.TeamsApi.CreateOrgTeam(s.ctx, s.org, &admin.Team{Name: "operators", Usernames: []string{"grace@example.com"}}).Execute()).ok(t)
	assert.Equal(t, team.GetId(), sdk(s.api.TeamsApi.GetTeamByName(s.ctx, s.org, "operators").Execute()).ok(t).GetId())
	assert.Equal(t, "operators", sdk(s.api.TeamsApi.GetOrgTeam(s.ctx, s.org, team.GetId()).Execute()).ok(t).GetName())
	assert.Equal(t, 1, sdk(s.api.TeamsApi.ListOrgTeams(s.ctx, s.org).Execute()).ok(t).GetTotalCount())
	renamed := sdk(s.api.TeamsApi.RenameOrgTeam(s.ctx, s.org, team.GetId(), &admin.TeamUpdate{Name: "sre"}).Execute()).ok(t)
	assert.Equal(t, "sre", renamed.GetName())
	sdk(s.api.TeamsApi.AddTeamUsers(s.ctx, s.org, team.GetId(), &[]admin.AddUserToTeam{{Id: linus.Id}}).Execute()).ok(t)
	assert.Equal(t, 2, sdk(users.ListTeamUsers(s.ctx, s.org, team.GetId()).Execute()).ok(t).GetTotalCount())

	sdk(s.api.TeamsApi.AddGroupTeams(s.ctx, s.group, &[]admin.TeamRole{{TeamId: team.GetId(), RoleNames: []string{"GROUP_READ_ONLY"}}}).Execute()).ok(t)
	assert.Equal(t, []string{"GROUP_READ_ONLY"}, sdk(s.api.TeamsApi.GetGroupTeam(s.ctx, s.group, team.GetId()).Execute()).ok(t).RoleNames)
	sdk(s.api.TeamsApi.UpdateGroupTeam(s.ctx, s.group, team.GetId(), &admin.TeamRole{TeamId: team.GetId(), RoleNames: []string{"GROUP_OWNER"}}).Execute()).ok(t)
	assert.Equal(t, 1, sdk(s.api.TeamsApi.ListGroupTeams(s.ctx, s.group).Execute()).ok(t).GetTotalCount())
	sdkDone(s.api.TeamsApi.RemoveGroupTeam(s.ctx, s.group, team.GetId()).Execute()).ok(t)
	sdkDone(s.api.TeamsApi.DeleteOrgTeam(s.ctx, s.org, team.GetId()).Execute()).ok(t)
	assert.Empty(t, sdk(users.GetOrgUser(s.ctx, s.org, linus.Id).Execute()).ok(t).GetTeamIds())
	sdkDone(users.RemoveOrgUser(s.ctx, s.org, linus.Id).Execute()).ok(t)
	assert.Equal(t, 1, sdk(users.ListOrgUsers(s.ctx, s.org).Execute()).ok(t).GetTotalCount())
}

func (s *officialSession) alertConfigurations() {
	t := s.t
	api := s.api.AlertConfigurationsApi
	notify := []admin.AlertsNotificationRootForGroup{{TypeName: admin.PtrString("GROUP"), IntervalMin: admin.PtrInt(5), DelayMin: admin.PtrInt(0), EmailEnabled: admin.PtrBool(true)}}
	config := sdk(api.CreateAlertConfig(s.ctx, s.group, &admin.GroupAlertsConfig{EventTypeName: admin.PtrString("NO_PRIMARY"), Enabled: admin.PtrBool(true), Notifications: &notify}).Execute()).ok(t)
	id := config.GetId()
	assert.Equal(t, "NO_PRIMARY", sdk(api.GetAlertConfig(s.ctx, s.group, id).Execute()).ok(t).GetEventTypeName())
	assert.Equal(t, 1, sdk(api.ListAlertConfigs(s.ctx, s.group).Execute()).ok(t).GetTotalCount())
	replaced := sdk(api.UpdateAlertConfig(s.ctx, s.group, id, &admin.GroupAlertsConfig{EventTypeName: admin.PtrString("CLUSTER_MONGOS_IS_MISSING"), Enabled: admin.PtrBool(true), Notifications: &notify}).Execute()).ok(t)
	assert.Equal(t, "CLUSTER_MONGOS_IS_MISSING", replaced.GetEventTypeName())
	assert.False(t, sdk(api.ToggleAlertConfig(s.ctx, s.group, id, &admin.AlertsToggle{Enabled: admin.PtrBool(false)}).Execute()).ok(t).GetEnabled())
	sdkDone(api.DeleteAlertConfig(s.ctx, s.group, id).Execute()).ok(t)
}

func (s *officialSession) cloudBackups() {
	t := s.t
	api := s.api.CloudBackupsApi
	s.cluster("backed")
	snapshot := sdk(api.TakeSnapshots(s.ctx, s.group, "backed", &admin.DiskBackupOnDemandSnapshotRequest{Description: admin.PtrString("before migration"), RetentionInDays: admin.PtrInt(2)}).Execute()).ok(t)
	id := snapshot.GetId()
	s.pollUntil("completed", func() string {
		return sdk(api.GetClusterBackupSnapshot(s.ctx, s.group, "backed", id).Execute()).ok(t).GetStatus()
	})
	assert.Equal(t, 1, sdk(api.ListBackupSnapshots(s.ctx, s.group, "backed").Execute()).ok(t).GetTotalCount())
	sdk(api.UpdateBackupSnapshot(s.ctx, s.group, "backed", id, &admin.BackupSnapshotRetention{RetentionUnit: "DAYS", RetentionValue: 5}).Execute()).ok(t)

	job := sdk(api.CreateBackupRestoreJob(s.ctx, s.group, "backed", &admin.DiskBackupSnapshotRestoreJob{
		DeliveryType: "automated", SnapshotId: admin.PtrString(id), TargetClusterName: admin.PtrString("backed"), TargetGroupId: admin.PtrString(s.group)}).Execute()).ok(t)
	s.pollUntil("finished", func() string {
		if sdk(api.GetBackupRestoreJob(s.ctx, s.group, "backed", job.GetId()).Execute()).ok(t).FinishedAt != nil {
			return "finished"
		}
		return "running"
	})
	assert.Equal(t, 1, sdk(api.ListBackupRestoreJobs(s.ctx, s.group, "backed").Execute()).ok(t).GetTotalCount())
	sdkDone(api.CancelBackupRestoreJob(s.ctx, s.group, "backed", job.GetId()).Execute()).ok(t)

	schedule := sdk(api.UpdateBackupSchedule(s.ctx, s.group, "backed", &admin.DiskBackupSnapshotSchedule20240805{ReferenceHourOfDay: admin.PtrInt(3)}).Execute()).ok(t)
	assert.Equal(t, 3, schedule.GetReferenceHourOfDay())
	assert.Equal(t, 3, sdk(api.GetBackupSchedule(s.ctx, s.group, "backed").Execute()).ok(t).GetReferenceHourOfDay())
	sdkDone(api.DeleteClusterBackupSnapshot(s.ctx, s.group, "backed", id).Execute()).ok(t)
	_, _, err := api.GetClusterBackupSnapshot(s.ctx, s.group, "backed", id).Execute()
	refused(t, "SNAPSHOT_NOT_FOUND", err)
}

func (s *officialSession) flexClusters() {
	t := s.t
	api := s.api.FlexClustersApi
	sdk(api.CreateFlexCluster(s.ctx, s.group, &admin.FlexClusterDescriptionCreate20241113{Name: "flexible",
		ProviderSettings: admin.FlexProviderSettingsCreate20241113{BackingProviderName: "AWS", RegionName: "US_EAST_1"}}).Execute()).ok(t)
	s.pollUntil("IDLE", func() string {
		return sdk(api.GetFlexCluster(s.ctx, s.group, "flexible").Execute()).ok(t).GetStateName()
	})
	assert.Equal(t, 1, sdk(api.ListFlexClusters(s.ctx, s.group).Execute()).ok(t).GetTotalCount())
	updated := sdk(api.UpdateFlexCluster(s.ctx, s.group, "flexible", &admin.FlexClusterDescriptionUpdate20241113{TerminationProtectionEnabled: admin.PtrBool(true)}).Execute()).ok(t)
	assert.True(t, updated.GetTerminationProtectionEnabled())

	restores := s.api.FlexRestoreJobsApi
	job := sdk(restores.CreateFlexRestoreJob(s.ctx, s.group, "flexible", &admin.FlexBackupRestoreJobCreate20241113{SnapshotId: "5f4d3c2b1a0f9e8d7c6b5a49", TargetDeploymentItemName: "flexible"}).Execute()).ok(t)
	sdk(restores.GetFlexRestoreJob(s.ctx, s.group, "flexible", job.GetId()).Execute()).ok(t)
	assert.Equal(t, 1, sdk(restores.ListFlexRestoreJobs(s.ctx, s.group, "flexible").Execute()).ok(t).GetTotalCount())
	assert.Equal(t, 0, sdk(s.api.FlexSnapshotsApi.ListFlexBackupSnapshots(s.ctx, s.group, "flexible").Execute()).ok(t).GetTotalCount())

	sdkDone(api.DeleteFlexCluster(s.ctx, s.group, "flexible").Execute()).ok(t)
	s.pollUntilGone(func() (string, error) {
		c, _, err := api.GetFlexCluster(s.ctx, s.group, "flexible").Execute()
		return c.GetStateName(), err
	})
}

func (s *officialSession) serverlessInstances() {
	t := s.t
	api := s.api.ServerlessInstancesApi
	sdk(api.CreateServerlessInstance(s.ctx, s.group, &admin.ServerlessInstanceDescriptionCreate{Name: "lambda",
		ProviderSettings: admin.ServerlessProviderSettings{BackingProviderName: "AWS", RegionName: "US_EAST_1"}}).Execute()).ok(t)
	s.pollUntil("IDLE", func() string {
		return sdk(api.GetServerlessInstance(s.ctx, s.group, "lambda").Execute()).ok(t).GetStateName()
	})
	assert.Equal(t, 1, sdk(api.ListServerlessInstances(s.ctx, s.group).Execute()).ok(t).GetTotalCount())
	sdk(api.UpdateServerlessInstance(s.ctx, s.group, "lambda", &admin.ServerlessInstanceDescriptionUpdate{TerminationProtectionEnabled: admin.PtrBool(false)}).Execute()).ok(t)
	sdk(api.DeleteServerlessInstance(s.ctx, s.group, "lambda").Execute()).ok(t)
}

func (s *officialSession) searchIndexes() {
	t := s.t
	api := s.api.AtlasSearchApi
	s.cluster("searched")
	index := sdk(api.CreateClusterSearchIndex(s.ctx, s.group, "searched", &admin.SearchIndexCreateRequest{
		CollectionName: "movies", Database: "sample", Name: "default",
		Definition: &admin.BaseSearchIndexCreateRequestDefinition{Mappings: &admin.SearchMappings{Dynamic: true}}}).Execute()).ok(t)
	id := index.GetIndexID()
	s.pollUntil("READY", func() string {
		return sdk(api.GetClusterSearchIndex(s.ctx, s.group, "searched", id).Execute()).ok(t).GetStatus()
	})
	assert.Equal(t, id, sdk(api.GetIndexByName(s.ctx, s.group, "searched", "movies", "sample", "default").Execute()).ok(t).GetIndexID())
	assert.Len(t, sdk(api.ListClusterSearchIndexes(s.ctx, s.group, "searched").Execute()).ok(t), 1)
	assert.Len(t, sdk(api.ListSearchIndex(s.ctx, s.group, "searched", "movies", "sample").Execute()).ok(t), 1)
	sdk(api.UpdateClusterSearchIndex(s.ctx, s.group, "searched", id, &admin.SearchIndexUpdateRequest{
		Definition: admin.SearchIndexUpdateRequestDefinition{Mappings: &admin.SearchMappings{Dynamic: false}}}).Execute()).ok(t)
	sdkDone(api.DeleteClusterSearchIndex(s.ctx, s.group, "searched", id).Execute()).ok(t)
}

func (s *officialSession) networkPeering() {
	t := s.t
	api := s.api.NetworkPeeringApi
	container := sdk(api.CreateGroupContainer(s.ctx, s.group, &admin.CloudProviderContainer{ProviderName: admin.PtrString("AWS"),
		AtlasCidrBlock: admin.PtrString("10.8.0.0/21"), RegionName: admin.PtrString("US_EAST_1")}).Execute()).ok(t)
	id := container.GetId()
	assert.Equal(t, "10.8.0.0/21", sdk(api.GetGroupContainer(s.ctx, s.group, id).Execute()).ok(t).GetAtlasCidrBlock())
	assert.Equal(t, 1, sdk(api.ListGroupContainerAll(s.ctx, s.group).Execute()).ok(t).GetTotalCount())
	assert.Equal(t, 1, sdk(api.ListGroupContainers(s.ctx, s.group).ProviderName("AWS").Execute()).ok(t).GetTotalCount())
	assert.Equal(t, 0, sdk(api.ListGroupContainers(s.ctx, s.group).ProviderName("GCP").Execute()).ok(t).GetTotalCount(), "the query filters by provider")
	sdk(api.UpdateGroupContainer(s.ctx, s.group, id, &admin.CloudProviderContainer{ProviderName: admin.PtrString("AWS"),
		AtlasCidrBlock: admin.PtrString("10.9.0.0/21"), RegionName: admin.PtrString("US_EAST_1")}).Execute()).ok(t)
	assert.Equal(t, 0, sdk(api.ListGroupPeers(s.ctx, s.group).Execute()).ok(t).GetTotalCount())
	sdkDone(api.DeleteGroupContainer(s.ctx, s.group, id).Execute()).ok(t)
}

func (s *officialSession) privateEndpoints() {
	t := s.t
	api := s.api.PrivateEndpointServicesApi
	service := sdk(api.CreatePrivateEndpointService(s.ctx, s.group, &admin.CloudProviderEndpointServiceRequest{ProviderName: "AWS", Region: "us-east-1"}).Execute()).ok(t)
	s.pollUntil("AVAILABLE", func() string {
		return sdk(api.GetPrivateEndpointService(s.ctx, s.group, "AWS", service.GetId()).Execute()).ok(t).GetStatus()
	})
	assert.Len(t, sdk(api.ListPrivateEndpointService(s.ctx, s.group, "AWS").Execute()).ok(t), 1)
	sdkDone(api.DeletePrivateEndpointService(s.ctx, s.group, "AWS", service.GetId()).Execute()).ok(t)
}

func (s *officialSession) dataFederation() {
	t := s.t
	api := s.api.DataFederationApi
	sdk(api.CreateDataFederation(s.ctx, s.group, &admin.DataLakeTenant{Name: admin.PtrString("lake")}).SkipRoleValidation(true).Execute()).ok(t)
	assert.Equal(t, "lake", sdk(api.GetDataFederation(s.ctx, s.group, "lake").Execute()).ok(t).GetName())
	assert.Len(t, sdk(api.ListDataFederation(s.ctx, s.group).Execute()).ok(t), 1)
	sdk(api.UpdateDataFederation(s.ctx, s.group, "lake", &admin.DataLakeTenant{Name: admin.PtrString("lake"), Hostnames: &[]string{"lake.example.com"}}).SkipRoleValidation(true).Execute()).ok(t)
	sdkDone(api.DeleteDataFederation(s.ctx, s.group, "lake").Execute()).ok(t)
	_, _, err := api.GetDataFederation(s.ctx, s.group, "lake").Execute()
	refused(t, "DATA_FEDERATION_TENANT_NOT_FOUND_FOR_NAME", err)
}

func (s *officialSession) integrations() {
	t := s.t
	api := s.api.ThirdPartyIntegrationsApi
	pagerDuty := &admin.ThirdPartyIntegration{Type: admin.PtrString("PAGER_DUTY"), ServiceKey: admin.PtrString("a1b2c3d4e5f6a1b2c3d4e5f6a1b2c3d4"), Region: admin.PtrString("US")}
	sdk(api.CreateGroupIntegration(s.ctx, "PAGER_DUTY", s.group, pagerDuty).Execute()).ok(t)
	assert.Equal(t, "PAGER_DUTY", sdk(api.GetGroupIntegration(s.ctx, s.group, "PAGER_DUTY").Execute()).ok(t).GetType())
	assert.Equal(t, 1, sdk(api.ListGroupIntegrations(s.ctx, s.group).Execute()).ok(t).GetTotalCount())
	pagerDuty.Region = admin.PtrString("EU")
	sdk(api.UpdateGroupIntegration(s.ctx, "PAGER_DUTY", s.group, pagerDuty).Execute()).ok(t)
	sdkDone(api.DeleteGroupIntegration(s.ctx, "PAGER_DUTY", s.group).Execute()).ok(t)
}

func (s *officialSession) maintenanceWindow() {
	t := s.t
	api := s.api.MaintenanceWindowsApi
	sdkDone(api.UpdateMaintenanceWindow(s.ctx, s.group, &admin.GroupMaintenanceWindow{DayOfWeek: 2, HourOfDay: admin.PtrInt(3)}).Execute()).ok(t)
	assert.Equal(t, 2, sdk(api.GetMaintenanceWindow(s.ctx, s.group).Execute()).ok(t).DayOfWeek)
	sdkDone(api.ResetMaintenanceWindow(s.ctx, s.group).Execute()).ok(t)
}

func (s *officialSession) auditing() {
	t := s.t
	sdk(s.api.AuditingApi.UpdateAuditLog(s.ctx, s.group, &admin.AuditLog{Enabled: admin.PtrBool(true), AuditFilter: admin.PtrString(`{"atype":"authenticate"}`)}).Execute()).ok(t)
	assert.True(t, sdk(s.api.AuditingApi.GetGroupAuditLog(s.ctx, s.group).Execute()).ok(t).GetEnabled())
}

func (s *officialSession) encryptionAtRest() {
	t := s.t
	api := s.api.EncryptionAtRestUsingCustomerKeyManagementApi
	sdk(api.UpdateEncryptionAtRest(s.ctx, s.group, &admin.EncryptionAtRest{AwsKms: &admin.AWSKMSConfiguration{Enabled: admin.PtrBool(true), Region: admin.PtrString("US_EAST_1")}}).Execute()).ok(t)
	assert.True(t, sdk(api.GetEncryptionAtRest(s.ctx, s.group).Execute()).ok(t).AwsKms.GetEnabled())
}

func (s *officialSession) onlineArchive() {
	t := s.t
	api := s.api.OnlineArchiveApi
	s.cluster("archived")
	archive := sdk(api.CreateOnlineArchive(s.ctx, s.group, "archived", &admin.BackupOnlineArchiveCreate{DbName: "sales", CollName: "orders",
		Criteria: admin.Criteria{Type: admin.PtrString("DATE"), DateField: admin.PtrString("created"), ExpireAfterDays: admin.PtrInt(30)}}).Execute()).ok(t)
	id := archive.GetId()
	assert.Equal(t, "orders", sdk(api.GetOnlineArchive(s.ctx, s.group, id, "archived").Execute()).ok(t).GetCollName())
	assert.Equal(t, 1, sdk(api.ListOnlineArchives(s.ctx, s.group, "archived").Execute()).ok(t).GetTotalCount())
	assert.True(t, sdk(api.UpdateOnlineArchive(s.ctx, s.group, id, "archived", &admin.BackupOnlineArchive{Paused: admin.PtrBool(true)}).Execute()).ok(t).GetPaused())
	sdkDone(api.DeleteOnlineArchive(s.ctx, s.group, id, "archived").Execute()).ok(t)
}

func (s *officialSession) streams() {
	t := s.t
	api := s.api.StreamsApi
	sdk(api.CreateStreamWorkspace(s.ctx, s.group, &admin.StreamsTenant{Name: admin.PtrString("events"),
		DataProcessRegion: &admin.StreamsDataProcessRegion{CloudProvider: "AWS", Region: "VIRGINIA_USA"}}).Execute()).ok(t)
	assert.Equal(t, "events", sdk(api.GetStreamWorkspace(s.ctx, s.group, "events").Execute()).ok(t).GetName())
	assert.Equal(t, 1, sdk(api.ListStreamWorkspaces(s.ctx, s.group).Execute()).ok(t).GetTotalCount())
	sdk(api.UpdateStreamWorkspace(s.ctx, s.group, "events", &admin.StreamsTenantUpdateRequest{CloudProvider: admin.PtrString("AWS"), Region: admin.PtrString("DUBLIN_IRL")}).Execute()).ok(t)
	sdkDone(api.DeleteStreamWorkspace(s.ctx, s.group, "events").Execute()).ok(t)
}

func (s *officialSession) pushBasedLogExport() {
	t := s.t
	api := s.api.PushBasedLogExportApi
	sdkDone(api.CreateLogExport(s.ctx, s.group, &admin.CreatePushBasedLogExportProjectRequest{BucketName: "logs", IamRoleId: "5f4d3c2b1a0f9e8d7c6b5a49", PrefixPath: "atlas/"}).Execute()).ok(t)
	assert.Equal(t, "logs", sdk(api.GetLogExport(s.ctx, s.group).Execute()).ok(t).GetBucketName())
	sdkDone(api.UpdateLogExport(s.ctx, s.group, &admin.PushBasedLogExportProject{BucketName: admin.PtrString("archive")}).Execute()).ok(t)
	assert.Equal(t, "archive", sdk(api.GetLogExport(s.ctx, s.group).Execute()).ok(t).GetBucketName())
	sdkDone(api.DeleteLogExport(s.ctx, s.group).Execute()).ok(t)
}

func (s *officialSession) cloudProviderAccess() {
	t := s.t
	api := s.api.CloudProviderAccessApi
	role := sdk(api.CreateCloudProviderAccess(s.ctx, s.group, &admin.CloudProviderAccessRoleRequest{ProviderName: "AWS"}).Execute()).ok(t)
	id := role.GetRoleId()
	sdk(api.GetCloudProviderAccess(s.ctx, s.group, id).Execute()).ok(t)
	sdk(api.ListCloudProviderAccess(s.ctx, s.group).Execute()).ok(t)
	sdk(api.AuthorizeProviderAccessRole(s.ctx, s.group, id, &admin.CloudProviderAccessRoleRequestUpdate{ProviderName: "AWS", IamAssumedRoleArn: admin.PtrString("arn:aws:iam::123456789012:role/atlas")}).Execute()).ok(t)
	sdkDone(api.DeauthorizeProviderAccessRole(s.ctx, s.group, "AWS", id).Execute()).ok(t)
}

func (s *officialSession) resourcePolicies() {
	t := s.t
	api := s.api.ResourcePoliciesApi
	policy := sdk(api.CreateOrgResourcePolicy(s.ctx, s.org, &admin.ApiAtlasResourcePolicyCreate{Name: "no-gcp",
		Policies: []admin.ApiAtlasPolicyCreate{{Body: `forbid (principal, action == cloud::Action::"cluster.createEdit", resource) when { context.cluster.cloudProviders.containsAny([cloud::cloudProvider::"gcp"]) };`}}}).Execute()).ok(t)
	id := policy.GetId()
	assert.Equal(t, "no-gcp", sdk(api.GetOrgResourcePolicy(s.ctx, s.org, id).Execute()).ok(t).GetName())
	assert.Len(t, sdk(api.ListOrgResourcePolicies(s.ctx, s.org).Execute()).ok(t), 1)
	assert.Equal(t, "no-azure", sdk(api.UpdateOrgResourcePolicy(s.ctx, s.org, id, &admin.ApiAtlasResourcePolicyEdit{Name: admin.PtrString("no-azure")}).Execute()).ok(t).GetName())
	sdkDone(api.DeleteOrgResourcePolicy(s.ctx, s.org, id).Execute()).ok(t)
}

func (s *officialSession) outageSimulation() {
	t := s.t
	api := s.api.ClusterOutageSimulationApi
	s.cluster("resilient")
	filters := []admin.AtlasClusterOutageSimulationOutageFilter{{CloudProvider: admin.PtrString("AWS"), RegionName: admin.PtrString("US_EAST_1"), Type: admin.PtrString("REGION")}}
	sdk(api.StartOutageSimulation(s.ctx, s.group, "resilient", &admin.ClusterOutageSimulation{OutageFilters: &filters}).Execute()).ok(t)
	assert.Equal(t, "resilient", sdk(api.GetOutageSimulation(s.ctx, s.group, "resilient").Execute()).ok(t).GetClusterName())
	sdk(api.EndOutageSimulation(s.ctx, s.group, "resilient").Execute()).ok(t)
}

func (s *officialSession) globalClusters() {
	t := s.t
	api := s.api.GlobalClustersApi
	s.cluster("global")
	sdk(api.CreateManagedNamespace(s.ctx, s.group, "global", &admin.ManagedNamespaces{Db: "sales", Collection: "orders", CustomShardKey: "region"}).Execute()).ok(t)
	sdk(api.GetClusterGlobalWrites(s.ctx, s.group, "global").Execute()).ok(t)
	sdk(api.DeleteManagedNamespaces(s.ctx, "global", s.group).Execute()).ok(t)
}

func (s *officialSession) projectSettings() {
	t := s.t
	api := s.api.ProjectsApi
	sdk(api.UpdateGroupSettings(s.ctx, s.group, &admin.GroupSettings{IsSchemaAdvisorEnabled: admin.PtrBool(false)}).Execute()).ok(t)
	assert.False(t, sdk(api.GetGroupSettings(s.ctx, s.group).Execute()).ok(t).GetIsSchemaAdvisorEnabled())
	sdk(api.GetGroupIpAddresses(s.ctx, s.group).Execute()).ok(t)
	sdk(api.ListGroupLimits(s.ctx, s.group).Execute()).ok(t)
}

func (s *officialSession) organization() {
	t := s.t
	name := sdk(s.api.OrganizationsApi.GetOrg(s.ctx, s.org).Execute()).ok(t).Name
	renamed := sdk(s.api.OrganizationsApi.UpdateOrg(s.ctx, s.org, &admin.AtlasOrganization{Name: "renamed by the SDK"}).Execute()).ok(t)
	assert.Equal(t, "renamed by the SDK", renamed.Name)
	assert.Equal(t, "renamed by the SDK", sdk(s.api.OrganizationsApi.GetOrg(s.ctx, s.org).Execute()).ok(t).Name)
	sdk(s.api.OrganizationsApi.UpdateOrg(s.ctx, s.org, &admin.AtlasOrganization{Name: name}).Execute()).ok(t)
}

func (s *officialSession) events() {
	t := s.t
	sdk(s.api.EventsApi.ListGroupEvents(s.ctx, s.group).Execute()).ok(t)
	sdk(s.api.EventsApi.ListOrgEvents(s.ctx, s.org).Execute()).ok(t)
}

func (s *officialSession) alerts() {
	sdk(s.api.AlertsApi.ListAlerts(s.ctx, s.group).Execute()).ok(s.t)
}

func (s *officialSession) ldapVerification() {
	t := s.t
	api := s.api.LDAPConfigurationApi
	request := sdk(api.VerifyUserSecurityLdap(s.ctx, s.group, &admin.LDAPVerifyConnectivityJobRequestParams{
		Hostname: "ldap.example.com", Port: 636, BindUsername: "CN=admin,DC=example,DC=com", BindPassword: "secret"}).Execute()).ok(t)
	s.pollUntil("SUCCESS", func() string {
		return sdk(api.GetUserSecurityVerify(s.ctx, s.group, request.GetRequestId()).Execute()).ok(t).GetStatus()
	})
}

func (s *officialSession) pipelines() {
	t := s.t
	api := s.api.DataLakePipelinesApi
	sdk(api.CreatePipeline(s.ctx, s.group, &admin.DataLakeIngestionPipeline{Name: admin.PtrString("nightly")}).Execute()).ok(t)
	assert.Equal(t, "nightly", sdk(api.GetPipeline(s.ctx, s.group, "nightly").Execute()).ok(t).GetName())
	assert.Len(t, sdk(api.ListPipelines(s.ctx, s.group).Execute()).ok(t), 1)
	sdk(api.UpdatePipeline(s.ctx, s.group, "nightly", &admin.DataLakeIngestionPipeline{Name: admin.PtrString("nightly")}).Execute()).ok(t)
	sdkDone(api.DeletePipeline(s.ctx, s.group, "nightly").Execute()).ok(t)
}

// tagLog records, below the Digest transport, which official operations answered with a
// success, by tag.
type tagLog struct {
	router routers.Router
	mu     sync.Mutex
	tags   map[string]bool
}

func newTagLog(t *testing.T) *tagLog {
	t.Helper()
	router, err := engine.Routes()
	require.NoError(t, err)
	return &tagLog{router: router, tags: map[string]bool{}}
}

func (l *tagLog) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil || resp.StatusCode >= 300 {
		return resp, err
	}
	if route, _, err := l.router.FindRoute(req); err == nil {
		l.mu.Lock()
		for _, tag := range route.Operation.Tags {
			l.tags[tag] = true
		}
		l.mu.Unlock()
	}
	return resp, nil
}

func (l *tagLog) succeeded() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var tags []string
	for tag := range l.tags {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	return tags
}
