#!/bin/sh
# The breaking-change gate: compares the contract (openapi/*.yaml and the exported API of the
# generated Go packages) at a base commit with the working tree, with the reviewed exemptions of
# openapi/breaking-exemptions.yaml.
#
#   scripts/spec-diff.sh [BASE]
#
# BASE is a git ref. By default it is the merge base with main; when HEAD is on main (CI runs on a
# clean clone of main after each landing) it is HEAD~1, the commit before the last landing.
# The report goes to stdout; `atlasstub spec diff` flags have ATLASSTUB_* equivalents, for
# example ATLASSTUB_SPEC_DIFF_JUNIT=spec-diff.xml or ATLASSTUB_SPEC_DIFF_FORMAT=json.
# ATLASSTUB names an atlasstub binary built from this tree (an absolute path, or a command on the
# PATH) to run instead of `go run ./cmd/atlasstub`, which compiles the module anew in every new copy
# of it, since the build cache is keyed by directory: the tests of this script build it once for
# all their scratch repositories.
set -eu
cd "$(dirname "$0")/.."

# A shallow clone (CI often clones with --depth 1) lacks the base commit. The gate fetches the
# history it needs rather than skip the comparison, and fails when it cannot.
shallow() { [ "$(git rev-parse --is-shallow-repository)" = true ]; }
fetch_history() {
	echo "spec-diff: this is a shallow clone; git fetch $*" >&2
	if ! git fetch -q "$@"; then
		echo "spec-diff: cannot compare: this shallow clone lacks the base commit, and 'git fetch $*' failed; fetch the history (git fetch --unshallow) or clone without --depth" >&2
		exit 2
	fi
}

base=${1:-}
if [ -z "$base" ]; then
	main=main
	if ! git rev-parse -q --verify "$main^{commit}" >/dev/null; then
		main=origin/main
	fi
	if ! git rev-parse -q --verify "$main^{commit}" >/dev/null && shallow; then
		# A shallow clone of another branch has only that branch (--depth implies --single-branch):
		# fetch main, and the whole history, in which the merge base with it is.
		fetch_history --unshallow origin +refs/heads/main:refs/remotes/origin/main
	fi
	if ! git rev-parse -q --verify "$main^{commit}" >/dev/null; then
		echo "spec-diff: no main or origin/main branch to compare with; give BASE=<git ref>" >&2
		exit 2
	fi
	branch=$(git symbolic-ref -q --short HEAD || true)
	if [ "$branch" = main ] || { [ -z "$branch" ] && [ "$(git rev-parse HEAD)" = "$(git rev-parse "$main")" ]; }; then
		# On main (or a detached checkout of its tip, as CI may have): the last landing.
		if shallow; then
			fetch_history --deepen=1
		fi
		if ! git rev-parse -q --verify "HEAD~1^{commit}" >/dev/null; then
			echo "spec-diff: HEAD is the first commit; there is nothing to compare with"
			exit 0
		fi
		base=HEAD~1
	else
		# A merge base computed on a truncated history may be missing or wrong.
		if shallow; then
			fetch_history --unshallow
		fi
		base=$(git merge-base HEAD "$main")
	fi
elif ! git rev-parse -q --verify "$base^{commit}" >/dev/null && shallow; then
	fetch_history --unshallow
fi
if ! commit=$(git rev-parse -q --verify "$base^{commit}"); then
	echo "spec-diff: unknown git ref $base" >&2
	exit 2
fi

# The base tree is a plain extract of the commit (no checkout, no git state to clean up); the
# gate reads its specifications and type-checks its Go packages.
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
git archive "$commit" | tar -x -C "$tree"

echo "spec-diff: base $base ($(git rev-parse --short "$commit")), revision: the working tree"
export ATLASSTUB_SPEC_DIFF_EXEMPTIONS="${ATLASSTUB_SPEC_DIFF_EXEMPTIONS:-openapi/breaking-exemptions.yaml}"
if [ -n "${ATLASSTUB:-}" ]; then
	"$ATLASSTUB" spec diff "$tree" .
else
	go run ./cmd/atlasstub spec diff "$tree" .
fi
