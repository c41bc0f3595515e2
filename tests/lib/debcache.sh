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
#   debcache_image [SUITE]       prints the path of a minbase image of SUITE
#                                (default $DEBCACHE_IMAGE_SUITE, else bookworm)
#                                with ca-certificates (debootstrap), as the
#                                release installs it (no security updates)
#   debcache_root SUITE KIND     prints the path of a root of SUITE (the image
#                                plus the release's security updates) with the
#                                packages of KIND installed by the root's own
#                                apt-get: build (build, test and package
#                                anchorsync), openssl (build, with libcurl on
#                                OpenSSL), p11kit (p11-kit's trust tool) or
#                                apps (the programs of the README's recipes:
#                                Exim, OpenSMTPD, Dovecot, Node, Python)
#   debcache_chroot ROOT CMD...  runs CMD under chroot ROOT with /proc and /dev
#                                mounted for the command's time only
# Each fails (status 1, the reason on stderr) when it cannot be had. Needs
# root and debootstrap for the images and roots. Tests that want the same image
# or root at once wait for the one that makes it.
# Run as a script, `bash tests/lib/debcache.sh fetch` fills the cache.

# Debian 12's release (no --sysroot; an unknown option gets its usage and
# exit 0) and its security update (with --sysroot).
DEBCACHE_CA_VERSIONS="20230311+deb12u1 20250419~deb12u2"
DEBCACHE_MIRROR=${DEBCACHE_MIRROR:-http://deb.debian.org/debian}

debcache_dir() {
	local dir=${ANCHORSYNC_TEST_CACHE:-${top_builddir:-.}/test-cache}
	mkdir -p "$dir" && (cd "$dir" && pwd)
}

# debcache_locked NAME COMMAND...: COMMAND holding the cache's lock NAME.
# Tests run at once (make -j) may want the same image or root: the first
# makes it, the others wait and then find it made.
debcache_locked() {
	local name=$1 cache
	shift
	cache=$(debcache_dir) || return 1
	( flock 9 && "$@" ) 9>"$cache/$name.lock"
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

DEBCACHE_SECURITY_MIRROR=${DEBCACHE_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

debcache_image() {
	local suite=${1:-${DEBCACHE_IMAGE_SUITE:-bookworm}}
	debcache_locked "image-$suite" debcache_image_make "$suite"
}

debcache_image_make() {
	local suite=$1 cache image
	cache=$(debcache_dir) || return 1
	image=$cache/$suite-minbase
	if [ ! -x "$image/usr/sbin/update-ca-certificates" ]; then
		[ "$(id -u)" -eq 0 ] || { echo "debootstrap needs root" >&2; return 1; }
		command -v debootstrap >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
		command -v debootstrap >/dev/null 2>&1 || { echo "debootstrap is not installed" >&2; return 1; }
		rm -rf "$image.tmp"
		if ! debootstrap --variant=minbase --include=ca-certificates "$suite" \
			"$image.tmp" "$DEBCACHE_MIRROR" >"$cache/debootstrap-$suite.log" 2>&1; then
			echo "debootstrap $suite failed: $(tail -n 3 "$cache/debootstrap-$suite.log")" >&2
			rm -rf "$image.tmp"
			return 1
		fi
		rm -rf "$image"
		mv "$image.tmp" "$image"
	fi
	echo "$image"
}

# The packages each kind of root gets. nginx-light is gone from trixie, whose
# systemd.pc (the unit directory, for the package build) moved to systemd-dev.
debcache_root_packages() {
	local suite=$1 kind=$2 nginx=nginx-light systemd_pc=systemd
	[ "$suite" = trixie ] && nginx=nginx systemd_pc=systemd-dev
	case $kind in
	build)
		echo build-essential autoconf automake pkgconf \
			libgnutls28-dev libcurl4-gnutls-dev libinih-dev \
			gnutls-bin "$nginx" ca-certificates openssl curl python3 procps strace \
			debhelper dpkg-dev fakeroot "$systemd_pc" ;;
	openssl)
		echo build-essential autoconf automake pkgconf \
			libgnutls28-dev libcurl4-openssl-dev libinih-dev \
			gnutls-bin "$nginx" ca-certificates openssl curl python3 procps ;;
	p11kit)
		echo p11-kit p11-kit-modules ;;
	apps)
		# The programs the README's recipes are proven with
		# (tests/integration/recipe-*.test), in one root they share.
		# OpenSMTPD conflicts with Exim (both are the
		# mail-transport-agent): its dependencies come from apt, the
		# package itself is forced in after (debcache_root_after).
		echo exim4-daemon-light dovecot-core dovecot-submissiond \
			nodejs python3-requests ca-certificates procps \
			libdb5.3 libevent-2.1-7 libpam0g libssl3 zlib1g adduser ed lsb-base ;;
	*)
		return 1 ;;
	esac
}

# The shell command a root of KIND runs after its apt-get install, if any.
# OpenSMTPD goes in beside Exim, the conflict overridden; it takes over
# /usr/sbin/sendmail (the tests call exim4 and smtpctl by their names). Nothing
# runs apt-get in the root afterwards.
debcache_root_after() {
	case $1 in
	apps)
		echo 'cd /tmp && apt-get download -q opensmtpd &&
		 dpkg -i --force-conflicts --force-overwrite opensmtpd_*.deb && rm -f opensmtpd_*.deb' ;;
	esac
}

# Unmounts everything mounted under DIR, innermost first.
debcache_umount_under() {
	local dir=$1 m
	for m in $(awk -v d="$dir" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/mounts | sort -r); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
}

debcache_chroot() {
	local root=$1 rc; shift
	mount -t proc proc "$root/proc" || return 1
	if ! mount --bind /dev "$root/dev"; then
		umount "$root/proc"
		return 1
	fi
	chroot "$root" "$@"
	rc=$?
	debcache_umount_under "$root/dev"
	umount "$root/proc" 2>/dev/null || umount -l "$root/proc"
	return $rc
}

# debcache_root_try IMAGE DIR SUITE PACKAGES AFTER [security]: DIR as a copy
# of IMAGE with PACKAGES installed by its apt-get, then the command AFTER (may
# be empty); the log beside the roots.
debcache_root_try() {
	local image=$1 dir=$2 suite=$3 packages=$4 after=${5:-true} security=$6 log
	log=$(dirname "$dir")/apt-$(basename "$dir" .tmp).log
	rm -rf "$dir"
	cp -a --reflink=auto "$image" "$dir" || { rm -rf "$dir"; return 1; }
	{
		echo "deb $DEBCACHE_MIRROR $suite main"
		[ -z "$security" ] || echo "deb $DEBCACHE_SECURITY_MIRROR $suite-security main"
	} >"$dir/etc/apt/sources.list"
	[ -n "$security" ] || echo "without $suite-security: $(grep -m1 'Failed to fetch' "$log" || tail -n 1 "$log")" \
		>"$dir/etc/anchorsync-test-note"
	# No service starts inside the root.
	printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
	chmod +x "$dir/usr/sbin/policy-rc.d"
	if ! debcache_chroot "$dir" env DEBIAN_FRONTEND=noninteractive sh -c \
		'apt-get update -q && apt-get upgrade -y -q &&
		 apt-get install -y -q --no-install-recommends '"$packages"' &&
		 { '"$after"'; } && apt-get clean' \
		>"$log" 2>&1; then
		debcache_umount_under "$dir"
		rm -rf "$dir"
		return 1
	fi
}

debcache_root() {
	debcache_locked "root-$1-$2" debcache_root_make "$1" "$2"
}

debcache_root_make() {
	local suite=$1 kind=$2 cache image root packages after stamp
	packages=$(debcache_root_packages "$suite" "$kind") ||
		{ echo "unknown kind of root '$kind'" >&2; return 1; }
	after=$(debcache_root_after "$kind")
	stamp=$packages${after:+; $after}
	cache=$(debcache_dir) || return 1
	root=$cache/$suite-$kind
	# A root made for another package list is made again.
	if [ "$(cat "$root/etc/anchorsync-test-packages" 2>/dev/null)" != "$stamp" ]; then
		image=$(debcache_image "$suite") || return 1
		# With the security suite first; a mirror that lists an update it
		# cannot serve leaves the release's own packages (said in the root's
		# /etc/anchorsync-test-note).
		if ! debcache_root_try "$image" "$root.tmp" "$suite" "$packages" "$after" security &&
			! debcache_root_try "$image" "$root.tmp" "$suite" "$packages" "$after" ""; then
			echo "cannot install into the $suite root: $(tail -n 3 "$cache/apt-$suite-$kind.log")" >&2
			return 1
		fi
		echo "$stamp" >"$root.tmp/etc/anchorsync-test-packages"
		rm -rf "$root"
		mv "$root.tmp" "$root"
	fi
	echo "$root"
}

if [ "${BASH_SOURCE[0]}" = "$0" ] && [ "${1:-}" = fetch ]; then
	set -u
	rc=0
	for v in $DEBCACHE_CA_VERSIONS; do
		debcache_ca_tool "$v" >/dev/null || rc=1
	done
	debcache_image >/dev/null || rc=1
	debcache_root bookworm p11kit >/dev/null || rc=1
	debcache_root bookworm apps >/dev/null || rc=1
	exit $rc
fi
