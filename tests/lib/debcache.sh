# SPDX-License-Identifier: MIT
# Things from the Debian archive the tests need beside the host's own packages,
# fetched once into a cache directory and reused: every update-ca-certificates
# a supported release ships, and a debootstrapped image.
#   debcache_dir                 the cache: $ANCHORSYNC_TEST_CACHE, else
#                                $top_builddir/test-cache
#   debcache_ca_versions         the ca-certificates versions Debian 12 ships
#   debcache_ca_tool VERSION     prints the directory holding that version's
#                                update-ca-certificates (extracted from its
#                                package with dpkg-deb -x; the host's stays)
#   debcache_image               prints the path of a bookworm minbase image
#                                with ca-certificates (debootstrap)
# Each fails (status 1, the reason on stderr) when it cannot be had.
# Run as a script, `bash tests/lib/debcache.sh fetch` fills the cache.

# Debian 12's release (no --sysroot; an unknown option gets its usage and
# exit 0) and its security update (with --sysroot).
DEBCACHE_CA_VERSIONS="20230311+deb12u1 20250419~deb12u2"
DEBCACHE_MIRROR=${DEBCACHE_MIRROR:-http://deb.debian.org/debian}

debcache_dir() {
	local dir=${ANCHORSYNC_TEST_CACHE:-${top_builddir:-.}/test-cache}
	mkdir -p "$dir" && (cd "$dir" && pwd)
}

debcache_ca_versions() {
	echo "$DEBCACHE_CA_VERSIONS"
}

debcache_ca_tool() {
	local version=$1 cache dir tmp
	cache=$(debcache_dir) || return 1
	dir=$cache/ca-certificates/$version
	if [ ! -x "$dir/usr/sbin/update-ca-certificates" ]; then
		tmp=$(mktemp -d "$cache/ca-certificates.XXXXXX") || return 1
		# Stale package lists may not know the version: update them once (root only).
		if ! (cd "$tmp" && { apt-get download -q "ca-certificates=$version" >download.log 2>&1 ||
			{ [ "$(id -u)" -eq 0 ] && apt-get update -q >>download.log 2>&1 &&
			  apt-get download -q "ca-certificates=$version" >>download.log 2>&1; }; } &&
			dpkg-deb -x ca-certificates_*.deb root); then
			echo "cannot get ca-certificates $version:" \
				"$(tail -n 3 "$tmp/download.log" 2>/dev/null)" >&2
			rm -rf "$tmp"
			return 1
		fi
		mkdir -p "$cache/ca-certificates"
		rm -rf "$dir"
		mv "$tmp/root" "$dir"
		rm -rf "$tmp"
	fi
	echo "$dir/usr/sbin"
}

debcache_image() {
	local cache image
	cache=$(debcache_dir) || return 1
	image=$cache/bookworm-minbase
	if [ ! -x "$image/usr/sbin/update-ca-certificates" ]; then
		command -v debootstrap >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
		command -v debootstrap >/dev/null 2>&1 || { echo "debootstrap is not installed" >&2; return 1; }
		rm -rf "$image.tmp"
		if ! debootstrap --variant=minbase --include=ca-certificates bookworm \
			"$image.tmp" "$DEBCACHE_MIRROR" >"$cache/debootstrap.log" 2>&1; then
			echo "debootstrap failed: $(tail -n 3 "$cache/debootstrap.log")" >&2
			rm -rf "$image.tmp"
			return 1
		fi
		rm -rf "$image"
		mv "$image.tmp" "$image"
	fi
	echo "$image"
}

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "${1:-}" = fetch ]; then
	set -u
	rc=0
	for v in $DEBCACHE_CA_VERSIONS; do
		debcache_ca_tool "$v" >/dev/null || rc=1
	done
	debcache_image >/dev/null || rc=1
	exit $rc
fi
