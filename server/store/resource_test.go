package store

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func resourceIDs(t *testing.T, s *Store, collection string) []string {
	t.Helper()
	var ids []string
	require.NoError(t, s.View(func(tx *Tx) error {
		members, err := tx.Resources(collection)
		for _, r := range members {
			ids = append(ids, r.ID)
		}
		return err
	}))
	return ids
}

// TestDeletingAResourceRemovesWhatLivesUnderIt, and nothing of a sibling whose id starts alike
// (c1 and c10), nor of another collection.
func TestDeletingAResourceRemovesWhatLivesUnderIt(t *testing.T) {
	s := New(NewMemory(), time.Now)
	put := func(collection, id string) {
		require.NoError(t, s.Update(func(tx *Tx) error {
			return tx.PutResource(Resource{Collection: collection, ID: id, Document: map[string]any{"name": id}})
		}))
	}
	put("groups/p/clusters", "c1")
	put("groups/p/clusters", "c10")
	put("groups/p/clusters/c1/backup/snapshots", "s1")
	put("groups/p/clusters/c10/backup/snapshots", "s2")
	put("groups/p/clusters/c1/processArgs", "")
	put("groups/p/clustersArchive", "a") // a collection whose name starts like another's

	require.NoError(t, s.Update(func(tx *Tx) error { return tx.DeleteResource("groups/p/clusters", "c1") }))
	assert.Equal(t, []string{"c10"}, resourceIDs(t, s, "groups/p/clusters"))
	assert.Empty(t, resourceIDs(t, s, "groups/p/clusters/c1/backup/snapshots"))
	assert.Empty(t, resourceIDs(t, s, "groups/p/clusters/c1/processArgs"))
	assert.Equal(t, []string{"s2"}, resourceIDs(t, s, "groups/p/clusters/c10/backup/snapshots"))
	assert.Equal(t, []string{"a"}, resourceIDs(t, s, "groups/p/clustersArchive"))
}

// TestDeletingAProjectRemovesItsResources: the generic engine's resources live under
// groups/<projectId>, and go with the project.
func TestDeletingAProjectRemovesItsResources(t *testing.T) {
	s := New(NewMemory(), time.Now)
	var projectID, otherID string
	require.NoError(t, s.Update(func(tx *Tx) error {
		org, err := tx.CreateOrg("", "org")
		require.NoError(t, err)
		p, err := tx.CreateProject(Project{OrgID: org.ID, Name: "doomed"})
		require.NoError(t, err)
		other, err := tx.CreateProject(Project{OrgID: org.ID, Name: "kept"})
		require.NoError(t, err)
		projectID, otherID = p.ID, other.ID
		for _, id := range []string{p.ID, other.ID} {
			require.NoError(t, tx.PutResource(Resource{Collection: ResourcePath("groups", id) + "/clusters", ID: "c"}))
			require.NoError(t, tx.PutResource(Resource{Collection: ResourcePath("groups", id) + "/settings"}))
		}
		return tx.DeleteProject(p.ID)
	}))
	assert.Empty(t, resourceIDs(t, s, ResourcePath("groups", projectID)+"/clusters"))
	assert.Empty(t, resourceIDs(t, s, ResourcePath("groups", projectID)+"/settings"))
	assert.Equal(t, []string{"c"}, resourceIDs(t, s, ResourcePath("groups", otherID)+"/clusters"))
}
