package engine

import (
	"net/http"
	"time"

	"github.com/atlasstub/atlasstub/server/apierror"
	"github.com/atlasstub/atlasstub/server/store"
)

// A cloud backup snapshot is taken of a cluster on demand: it is queued, then completed after
// the transition, and expires after its retentionInDays (1 by default); it shows its cluster's
// name, provider and MongoDB version. A restore job restores a completed snapshot of the cluster
// (SNAPSHOT_NOT_FOUND for another, 409 while it is still being taken) into a cluster that exists;
// it finishes after the transition, and deleting it cancels it, as Atlas does: the job stays,
// cancelled. The stub takes no scheduled snapshots, and a sharded cluster's snapshots are the
// same as a replica set's.
const (
	snapshotsTemplate   = "/api/atlas/v2/groups/{}/clusters/{}/backup/snapshots"
	restoreJobsTemplate = "/api/atlas/v2/groups/{}/clusters/{}/backup/restoreJobs"
)

func init() {
	hooks = append(hooks,
		&hook{
			family:      "backup snapshots and restore jobs",
			collections: []string{snapshotsTemplate},
			operations:  []string{"getGroupClusterBackupSnapshotShardedCluster", "deleteGroupClusterBackupSnapshotShardedCluster"},
			admit:       admitSnapshot,
			serve: map[string]func(cl *call) error{
				"getGroupClusterBackupSnapshotShardedCluster":    shardedSnapshot,
				"deleteGroupClusterBackupSnapshotShardedCluster": shardedSnapshot,
			},
		},
		&hook{
			family:      "backup snapshots and restore jobs",
			collections: []string{restoreJobsTemplate},
			operations:  []string{"cancelGroupClusterBackupRestoreJob"},
			admit:       admitRestoreJob,
			show:        showRestoreJob,
			serve:       map[string]func(cl *call) error{"cancelGroupClusterBackupRestoreJob": cancelRestoreJob},
		},
	)
}

// cluster returns a cluster of a project that exists, or CLUSTER_NOT_FOUND.
func (cl *call) cluster(projectID, name string) (store.Resource, error) {
	r, ok, err := cl.tx.Resource(store.ResourcePath("groups", projectID)+"/clusters", name)
	if err != nil || !ok || gone(r, cl.now) {
		return r, errOr(err, apierror.ClusterNotFound.New(name, projectID))
	}
	return r, nil
}

func admitSnapshot(cl *call, doc map[string]any) (string, error) {
	cluster, err := cl.cluster(cl.params["groupId"], cl.params["clusterName"])
	if err != nil {
		return "", err
	}
	days := 1
	if body, ok := cl.body.(map[string]any); ok {
		if n, ok := body["retentionInDays"].(float64); ok && n > 0 {
			days = int(n)
		}
	}
	doc["createdAt"] = timestamp(cl.now)
	doc["expiresAt"] = timestamp(cl.now.AddDate(0, 0, days))
	doc["snapshotType"], doc["type"] = "onDemand", "replicaSet"
	doc["replicaSetName"] = cl.params["clusterName"]
	doc["mongodVersion"] = cluster.Document["mongoDBVersion"]
	doc["storageSizeBytes"] = 0
	doc["cloudProvider"] = providerOf(cluster.Document)
	return "", nil
}

// providerOf is the cloud provider of a cluster's first region.
func providerOf(cluster map[string]any) any {
	specs, _ := cluster["replicationSpecs"].([]any)
	for _, spec := range specs {
		regions, _ := spec.(map[string]any)["regionConfigs"].([]any)
		for _, region := range regions {
			if provider, _ := region.(map[string]any)["providerName"].(string); provider == "AWS" || provider == "AZURE" || provider == "GCP" {
				return provider
			}
		}
	}
	return "AWS"
}

// shardedSnapshot reads or deletes a snapshot by the path of a sharded cluster's snapshots.
func shardedSnapshot(cl *call) error {
	path := cl.collectionPath(6) // groups/{groupId}/clusters/{clusterName}/backup/snapshots
	id := cl.params["snapshotId"]
	r, ok, err := cl.tx.Resource(path, id)
	if err != nil || !ok || gone(r, cl.now) {
		return errOr(err, apierror.SnapshotNotFound.New(id, cl.params["clusterName"]))
	}
	if cl.plan.method == http.MethodDelete {
		if err := cl.tx.DeleteResource(path, id); err != nil {
			return err
		}
		return cl.respond(nil)
	}
	return cl.respond(cl.render(cl.plan.response, cl.shownIn(cl.spec.collections[snapshotsTemplate], r)))
}

func admitRestoreJob(cl *call, doc map[string]any) (string, error) {
	if id, _ := doc["snapshotId"].(string); id != "" {
		snapshots := cl.spec.collections[snapshotsTemplate]
		snapshot, ok, err := cl.tx.Resource(cl.collectionPath(4)+"/backup/snapshots", id)
		if err != nil || !ok || gone(snapshot, cl.now) {
			return "", errOr(err, apierror.SnapshotNotFound.New(id, cl.params["clusterName"]))
		}
		if shown := cl.shownIn(snapshots, snapshot); shown["status"] != snapshots.lifecycle.ready {
			return "", apierror.IncompleteSnapshot.New()
		}
		doc["timestamp"] = snapshot.Document["createdAt"]
	}
	if target, _ := doc["targetClusterName"].(string); target != "" {
		project, _ := doc["targetGroupId"].(string)
		if project == "" {
			project = cl.params["groupId"]
		}
		if _, err := cl.cluster(project, target); err != nil {
			return "", err
		}
	}
	doc["cancelled"], doc["expired"], doc["failed"] = false, false, false
	return "", nil
}

// showRestoreJob shows when a job that is not cancelled finished: a transition after it began.
func showRestoreJob(cl *call, r store.Resource, doc map[string]any) {
	finished := r.Created.Add(cl.e.transition)
	if cancelled, _ := doc["cancelled"].(bool); !cancelled && !cl.now.Before(finished) {
		doc["finishedAt"] = timestamp(finished)
	} else {
		doc["finishedAt"] = nil // not finished: no date, which the schema would fill
	}
}

func cancelRestoreJob(cl *call) error {
	r, err := cl.member()
	if err != nil {
		return err
	}
	r.Document["cancelled"] = true
	if err := cl.tx.PutResource(r); err != nil {
		return err
	}
	return cl.respond(nil)
}

// timestamp writes a time as Atlas does: UTC, whole seconds, RFC 3339.
func timestamp(t time.Time) string { return t.UTC().Truncate(time.Second).Format(time.RFC3339) }
