# Sourced by scripts/image.sh and scripts/image-smoke.sh: chooses the container tool and the flags
# that this machine needs for it.
#
# tool: CONTAINER_TOOL, else podman, else docker.
# container_flags: CONTAINER_FLAGS when set. Otherwise, with podman, a probe container (probe_image
# running probe_command) decides: nothing when it runs as it is; else runc, with resource limits
# no higher than the caller's, when that runs. Some machines (a sandbox without CAP_SYS_RESOURCE,
# cgroups v1 in hybrid mode) refuse podman's defaults: raising a container's limits, or crun.
tool=${CONTAINER_TOOL:-}
if [ -z "$tool" ]; then
	for candidate in podman docker; do
		if command -v "$candidate" >/dev/null 2>&1; then
			tool=$candidate
			break
		fi
	done
fi
if [ -z "$tool" ]; then
	echo "$0: neither podman nor docker is installed (Debian, Ubuntu: apt-get install podman)" >&2
	exit 1
fi

# choose_container_flags IMAGE COMMAND... sets container_flags.
choose_container_flags() {
	if [ -n "${CONTAINER_FLAGS+set}" ]; then
		container_flags=$CONTAINER_FLAGS
		return
	fi
	container_flags=
	if [ "$tool" != podman ] || "$tool" run --rm "$@" >/dev/null 2>&1; then
		return
	fi
	limited="--runtime runc --ulimit nofile=4096:4096 --ulimit nproc=4096:4096"
	# shellcheck disable=SC2086 # $limited is a list of flags
	if command -v runc >/dev/null 2>&1 && "$tool" run --rm $limited "$@" >/dev/null 2>&1; then
		container_flags=$limited
		echo "$0: podman's defaults fail here; using: $container_flags" >&2
		return
	fi
	echo "$0: $tool cannot run a container here: $tool run --rm $*" >&2
	"$tool" run --rm "$@" >&2 || true
	exit 1
}
