package engine

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"maps"
	"strings"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/store"
)

// Clusters, flex clusters and serverless instances are reached at hosts that follow from their
// names and their project: a cluster Cluster0 of a project answers at
// cluster0.<5 characters of the project>.mongodb.net, its replica set's members at
// cluster0-shard-00-0N.<the same>.mongodb.net:27017. The hook fills the connection strings and
// the MongoDB version (the newest patch of the major version asked for, 8.0 by default), and
// serves the two upgrades: a shared-tier (M0) cluster to a dedicated one in place, and a flex
// cluster to a dedicated cluster of the same name, which replaces it.
const (
	clustersTemplate     = "/api/atlas/v2/groups/{}/clusters"
	flexClustersTemplate = "/api/atlas/v2/groups/{}/flexClusters"
	serverlessTemplate   = "/api/atlas/v2/groups/{}/serverless"
)

func init() {
	hooks = append(hooks, &hook{
		family:      "clusters, flex clusters and serverless instances",
		collections: []string{clustersTemplate, flexClustersTemplate, serverlessTemplate},
		operations:  []string{"upgradeGroupClusterTenantUpgrade", "tenantGroupFlexClusterUpgrade"},
		derive:      deriveCluster,
		serve: map[string]func(cl *call) error{
			"upgradeGroupClusterTenantUpgrade": upgradeSharedCluster,
			"tenantGroupFlexClusterUpgrade":    upgradeFlexCluster,
		},
	})
}

// mongoDBVersions are the versions the stub reports for each major version Atlas offers.
var mongoDBVersions = map[string]string{"6.0": "6.0.20", "7.0": "7.0.16", "8.0": "8.0.4"}

const defaultMajorVersion = "8.0"

// deriveCluster fills what a cluster's name, project and major version determine.
func deriveCluster(cl *call, r *store.Resource) {
	doc := r.Document
	name, _ := doc["name"].(string)
	if name == "" {
		name = r.ID
	}
	major, _ := doc["mongoDBMajorVersion"].(string)
	if mongoDBVersions[major] == "" {
		major = defaultMajorVersion
	}
	if _, asked := doc["mongoDBMajorVersion"]; asked {
		doc["mongoDBMajorVersion"] = major
	}
	doc["mongoDBVersion"] = mongoDBVersions[major]
	h := clusterHosts(cl.params["groupId"], name)
	connection, _ := doc["connectionStrings"].(map[string]any)
	connection = maps.Clone(connection)
	if connection == nil {
		connection = map[string]any{}
	}
	connection["standardSrv"] = h.srv
	if !strings.HasSuffix(r.Collection, "/serverless") {
		connection["standard"] = h.standard
	}
	doc["connectionStrings"] = connection
}

// hosts are the connection strings of a cluster.
type hosts struct{ srv, standard, members string }

func clusterHosts(projectID, name string) hosts {
	sum := sha256.Sum256([]byte(projectID))
	domain := hex.EncodeToString(sum[:])[:5] + ".mongodb.net"
	host := strings.ToLower(name)
	members := make([]string, 3)
	for i := range members {
		members[i] = fmt.Sprintf("%s-shard-00-%02d.%s:27017", host, i, domain)
	}
	replicaSet := "atlas-" + hex.EncodeToString(sum[:])[5:11] + "-shard-0"
	all := strings.Join(members, ",")
	return hosts{
		srv:      "mongodb+srv://" + host + "." + domain,
		standard: "mongodb://" + all + "/?ssl=true&authSource=admin&replicaSet=" + replicaSet,
		members:  "mongodb://" + all,
	}
}

// upgradeSharedCluster upgrades a shared-tier cluster in place to the dedicated description the
// body gives (the legacy shape), and answers it in the legacy shape, with its mongoURI.
func upgradeSharedCluster(cl *call) error {
	body, _ := cl.writable(cl.body).(map[string]any)
	name, _ := body["name"].(string)
	clusters := cl.spec.collections[clustersTemplate]
	r, err := cl.live(cl.siblingPath("clusters"), name, apierror.ClusterNotFound.New(name, cl.params["groupId"]))
	if err != nil {
		return err
	}
	r, err = cl.changeIn(clusters, r, mergePatch(maps.Clone(r.Document), body))
	if err != nil {
		return err
	}
	answer := cl.shownIn(clusters, r)
	h := clusterHosts(cl.params["groupId"], name)
	answer["mongoURI"], answer["mongoURIWithOptions"], answer["srvAddress"] = h.members, h.standard, h.srv
	maps.Copy(answer, map[string]any{"providerSettings": body["providerSettings"]})
	return cl.respond(cl.render(cl.plan.response, answer))
}

// upgradeFlexCluster turns a flex cluster into the dedicated cluster the body describes, under
// the same name: the flex cluster is gone and the cluster is UPDATING. It answers the flex
// cluster as it was, UPDATING.
func upgradeFlexCluster(cl *call) error {
	body, _ := cl.writable(cl.body).(map[string]any)
	name, _ := body["name"].(string)
	flex, flexPath := cl.spec.collections[flexClustersTemplate], cl.siblingPath("flexClusters")
	r, err := cl.live(flexPath, name, apierror.ClusterNotFound.New(name, cl.params["groupId"]))
	if err != nil {
		return err
	}
	clusters := cl.spec.collections[clustersTemplate]
	upgraded, err := cl.createIn(clusters, cl.siblingPath("clusters"), body)
	if err != nil {
		return err
	}
	if upgraded.Phase == phaseCreating {
		upgraded.Phase = phaseUpdating
		if err := cl.tx.PutResource(upgraded); err != nil {
			return err
		}
	}
	if err := cl.tx.DeleteResource(flexPath, name); err != nil {
		return err
	}
	answer := cl.shownIn(flex, r)
	answer[flex.lifecycle.field] = flex.lifecycle.updating
	return cl.respond(cl.render(cl.plan.response, answer))
}
