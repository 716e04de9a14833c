package reviewed

// Apply lets the first entry that covers a finding explain it, for every finding, and returns the
// entries that explained none, in their order. covers says whether an entry covers a finding;
// explain records on the finding the entry that explains it, which points into entries.
func Apply[E, F any](findings []F, entries []E, covers func(E, F) bool, explain func(*F, *E)) (unused []E) {
	used := make([]bool, len(entries))
	for i := range findings {
		for j := range entries {
			if covers(entries[j], findings[i]) {
				explain(&findings[i], &entries[j])
				used[j] = true
				break
			}
		}
	}
	for j, e := range entries {
		if !used[j] {
			unused = append(unused, e)
		}
	}
	return unused
}
