#!/bin/sh
# Makes sure the programs the tests call besides Go are installed: curl and openssl (the README's
# curl recipes, certificate checks against openssl), git (the tests of these scripts and of
# installing from a clone) and chromium (the contract kit's HTML report, rendered headless). sh,
# diff and tar come with every Debian system. A missing one is installed with apt-get when this is a
# Debian or Ubuntu machine and we are root, as in CI; otherwise the script names what to install
# and fails. `make test` runs it first.
set -eu
missing=
for tool in curl openssl git chromium; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		missing="$missing $tool"
	fi
done
if [ -z "$missing" ]; then
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1 || [ "$(id -u)" != 0 ]; then
	echo "test-tools: the tests need$missing; install them (Debian, Ubuntu: apt-get install$missing ca-certificates)" >&2
	exit 1
fi
echo "test-tools: installing$missing with apt-get" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing ca-certificates
