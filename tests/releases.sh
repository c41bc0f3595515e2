#!/bin/bash
# SPDX-License-Identifier: MIT
# Builds, tests and packages anchorsync on each Debian release it claims, in
# debootstrapped roots of those releases (tests/lib/debcache.sh), and builds
# it against libcurl on OpenSSL. Per release (bullseye = Debian 11, bookworm =
# 12, trixie = 13), in a throwaway overlay of the cached root with the
# release's build dependencies:
#   build    ./autogen.sh, configure --enable-werror, make (the release's
#            autotools, compiler and libraries)
#   unit     the C unit tests
#   store    install, rotation, rollback (not on Debian 11, see below) and the
#            effect check (truth) with the release's own update-ca-certificates,
#            nginx on loopback
#   image    [store] root= into a minbase image of that release, whose own
#            update-ca-certificates runs under chroot
#   package  the .deb, built there by packaging/build-packages.sh
#   install  in a fresh overlay of the release's minbase image: apt-get
#            installs the .deb, refresh installs a pinned root (file:// url),
#            verify proves STARTTLS delivery with the release's store (a
#            scripted server on the host's loopback), purge retires the root
# and for the OpenSSL flavour (a bookworm root with libcurl4-openssl-dev):
#   build, and fetch: the sources (HTTPS, mirrors, redirects), install and
#   badinput tests.
# Prints one line per step, "PASS: release/debian-11 build", FAIL or SKIP
# (with the reason: a root that cannot be had skips, never passes), then
# "N passed, N failed, N skipped". Logs land in OUT/releases/NAME/*.log.
# Usage (as root, from the source tree): bash tests/releases.sh [NAME...]
# with NAME among debian-11 debian-12 debian-13 libcurl-openssl (default: all).
# OUT is $CHECK_DIR, else build-check; the roots are cached in
# $ANCHORSYNC_TEST_CACHE (else OUT/cache).
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${CHECK_DIR:-$src/build-check}
export ANCHORSYNC_TEST_CACHE=${ANCHORSYNC_TEST_CACHE:-$out/cache}
. "$src/tests/lib/debcache.sh"
PATH=$PATH:/usr/sbin:/sbin

passed=0 failed=0 skipped=0
result() {	# result PASS|FAIL|SKIP NAME STEP [WHY]
	echo "$1: release/$2 $3${4:+ # $4}"
	case $1 in
	PASS) passed=$((passed + 1)) ;;
	FAIL) failed=$((failed + 1)) ;;
	SKIP) skipped=$((skipped + 1)) ;;
	esac
}

work=$out/releases
SMTP_PID=
cleanup() {
	[ -z "$SMTP_PID" ] || kill "$SMTP_PID" 2>/dev/null
	debcache_umount_under "$work"
}
trap cleanup EXIT
trap 'exit 130' HUP INT TERM

# overlay DIR LOWER: DIR/root shows LOWER with changes kept in DIR (a copy
# where overlayfs is not available). /proc and /dev are mounted in it.
overlay() {
	local dir=$1 lower=$2
	mkdir -p "$dir/upper" "$dir/ovl" "$dir/root"
	if ! mount -t overlay overlay -o "lowerdir=$lower,upperdir=$dir/upper,workdir=$dir/ovl" \
		"$dir/root" 2>/dev/null; then
		rmdir "$dir/root" && cp -a --reflink=auto "$lower" "$dir/root" || return 1
	fi
	mount -t proc proc "$dir/root/proc" && mount --bind /dev "$dir/root/dev"
}

# bind_ro FROM TO: FROM visible read-only at TO.
bind_ro() {
	mkdir -p "$2" && mount --bind "$1" "$2" && mount -o remount,bind,ro "$2"
}

# step NAME STEP LOG CMD...: runs CMD with its output in LOG, and reports.
step() {
	local name=$1 what=$2 log=$3; shift 3
	if "$@" >"$log" 2>&1; then
		result PASS "$name" "$what"
		return 0
	fi
	result FAIL "$name" "$what" "see $log"
	tail -n 25 "$log"
	return 1
}

# The source tree as a release sees it: no build directories, no git.
copy_source() {
	mkdir -p "$1" &&
		tar -C "$src" --exclude=./.git --exclude='./build-*' --exclude=./autom4te.cache -cf - . |
		tar -C "$1" -xf -
}

# in_root ROOT CMD: CMD by sh under chroot ROOT, in /src/b, with the test cache.
in_root() {
	chroot "$1" env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin \
		HOME=/root LANG=C.UTF-8 ANCHORSYNC_TEST_CACHE=/cache DEBCACHE_IMAGE_SUITE="$SUITE" \
		sh -c "cd /src/b 2>/dev/null || cd /src; $2"
}

# check_tests ROOT TESTS...: make check TESTS=...; passes when every test
# passed (a skip fails: the root has what every test needs).
check_tests() {
	local root=$1; shift
	[ -n "$*" ] || { echo "no tests named"; return 1; }
	rm -f "$root/src/b/test-suite.log"
	in_root "$root" "timeout 1200 make -j2 check TESTS='$*'" 2>&1
	grep -E '^# (PASS|FAIL|SKIP|ERROR):' "$root/src/b/test-suite.log"
	grep -q '^# FAIL: *0$' "$root/src/b/test-suite.log" &&
		grep -q '^# ERROR: *0$' "$root/src/b/test-suite.log" &&
		! grep -q '^# SKIP: *[1-9]' "$root/src/b/test-suite.log"
}

build() {	# build ROOT
	in_root "$1" "./autogen.sh && mkdir -p b && cd b && ../configure --enable-werror && make -j2"
}

# release_unitdir ROOT: the directory the release's systemd package installs
# its own units in, as dpkg -L says (/lib/systemd/system before the /usr
# merge, /usr/lib/systemd/system from Debian 13 on).
release_unitdir() {
	local dirs
	dirs=$(chroot "$1" dpkg -L systemd | sed -n 's|^\(.*/systemd/system\)/[^/]*\.service$|\1|p' | sort -u)
	[ "$(echo "$dirs" | wc -w)" = 1 ] || { echo "systemd's units are not in one directory: $dirs"; return 1; }
	echo "$dirs"
}

# units_in FILES DIR: the package's file list FILES (dpkg -L) holds both units
# in DIR, and nothing in another systemd/system directory.
units_in() {
	local files=$1 dir=$2 u stray
	for u in anchorsync.service anchorsync.timer; do
		grep -qx "$dir/$u" "$files" || { echo "no $dir/$u in the package"; return 1; }
	done
	stray=$(grep '/systemd/system' "$files" | grep -v "^$dir\(/\|\$\)")
	[ -z "$stray" ] || { echo "outside $dir:" $stray; return 1; }
}

# nothing_left ROOT FILES: after a purge, no path of the package's file list
# FILES that no other package owns is still there, and no file anywhere in
# ROOT (but /tmp, where the .deb was) is named after anchorsync.
nothing_left() {
	local r=$1 files=$2 p left=
	while read -r p; do
		[ "$p" != /. ] || continue
		[ -e "$r$p" ] || [ -L "$r$p" ] || continue
		[ -d "$r$p" ] && chroot "$r" dpkg -S "$p" >/dev/null 2>&1 && continue
		echo "left behind: $p"; left=1
	done <"$files"
	p=$(find "$r" -xdev -path "$r/tmp" -prune -o -name '*anchorsync*' -print)
	[ -z "$p" ] || { echo "left behind:" $p; left=1; }
	[ -z "$left" ]
}

# install_test NAME DIR IMAGE DEB: the package in a fresh copy of IMAGE.
install_test() {
	local name=$1 dir=$2 image=$3 deb=$4 r port hex unitdir rc wrong=
	r=$dir/root
	overlay "$dir" "$image" || { echo "cannot make a copy of $image"; return 1; }
	printf '#!/bin/sh\nexit 101\n' >"$r/usr/sbin/policy-rc.d" && chmod +x "$r/usr/sbin/policy-rc.d"
	cp "$deb" "$CA_DIR/root1.pem" "$r/tmp/" || return 1
	# With the release's systemd, as on a node that boots with it: its units
	# name the release's unit directory, and they share it with anchorsync's.
	chroot "$r" env DEBIAN_FRONTEND=noninteractive sh -c \
		"apt-get update -q && apt-get install -y -q --no-install-recommends /tmp/$(basename "$deb") systemd" ||
		return 1
	echo "--- installed: $(chroot "$r" dpkg-query -W anchorsync systemd | tr '\n' ' ')"
	chroot "$r" dpkg -L anchorsync >"$dir/files" || return 1
	unitdir=$(release_unitdir "$r") || { echo "$unitdir"; return 1; }
	echo "--- the units in $unitdir, where the release's systemd has its own"
	# A misplaced unit still runs; the purge below shows what else it costs.
	units_in "$dir/files" "$unitdir" || wrong="$wrong units"
	port=$(free_port)
	cat >"$r/etc/anchorsync/anchorsync.conf" <<CONF || return 1
[agent]
splay = 0
[source]
url = file:///tmp/root1.pem
pin = $(pin "$CA_DIR/root1.pem")
[delivery]
target = smtp://mail.corp.internal:$port
resolve = mail.corp.internal:$port:127.0.0.1
CONF
	hex=$(certtool --fingerprint --hash sha256 --infile "$CA_DIR/root1.pem" | tr 'A-F' 'a-f')
	chroot "$r" anchorsync check-config || return 1
	echo "--- verify before the refresh must fail"
	"$PYTHON" "$src/tests/lib/fake-smtp.py" "$port" multiline "$CA_DIR/mail.pem" \
		"$CA_DIR/mail.key" & SMTP_PID=$!
	sleep 0.5
	chroot "$r" anchorsync verify --resolve "mail.corp.internal:$port:127.0.0.1" && return 1
	echo "--- refresh"
	chroot "$r" anchorsync refresh --now || return 1
	chroot "$r" anchorsync status | tee "$dir/status.out"
	grep -q "trusted: yes" "$dir/status.out" || return 1
	[ "$("$PYTHON" "$src/tests/lib/pemtool.py" count "$r/etc/ssl/certs/ca-certificates.crt" \
		"$CA_DIR/root1.pem")" = 1 ] || { echo "the release's bundle lacks root1"; return 1; }
	echo "--- verify with the refreshed store"
	chroot "$r" anchorsync verify --resolve "mail.corp.internal:$port:127.0.0.1" || return 1
	kill "$SMTP_PID" 2>/dev/null; wait "$SMTP_PID" 2>/dev/null; SMTP_PID=
	echo "--- purge"
	chroot "$r" env DEBIAN_FRONTEND=noninteractive apt-get purge -y -q anchorsync >"$dir/purge.out" 2>&1
	rc=$?
	cat "$dir/purge.out"
	[ "$rc" -eq 0 ] || return 1
	! grep -i 'not empty' "$dir/purge.out" || wrong="$wrong purge-warning"
	[ ! -e "$r/usr/local/share/ca-certificates/anchorsync-${hex:0:16}.crt" ] || return 1
	nothing_left "$r" "$dir/files" || wrong="$wrong left-behind"
	! openssl verify -no-CApath -CAfile "$r/etc/ssl/certs/ca-certificates.crt" "$CA_DIR/root1.pem" ||
		return 1
	[ -z "$wrong" ] || { echo "--- wrong:$wrong"; return 1; }
}

# release NAME SUITE: every step for one Debian release.
release() {
	local name=$1 dir=$work/$1 root image why r deb
	SUITE=$2
	debcache_umount_under "$dir"; rm -rf "$dir"; mkdir -p "$dir"
	if ! root=$(debcache_root "$SUITE" build 2>"$dir/why") ||
		! image=$(debcache_image "$SUITE" 2>>"$dir/why"); then
		why="no $SUITE root: $(tr '\n' ' ' <"$dir/why")"
		for s in build unit store image package install; do result SKIP "$name" "$s" "$why"; done
		return
	fi
	[ ! -f "$root/etc/anchorsync-test-note" ] || echo "# $name: $(cat "$root/etc/anchorsync-test-note")"
	r=$dir/build/root
	overlay "$dir/build" "$root" && copy_source "$r/src" && bind_ro "$image" "$r/cache/$SUITE-minbase" ||
		{ result FAIL "$name" build "cannot prepare the root in $dir"; return; }
	echo "# $name: $(in_root "$r" 'gcc --version | head -n 1; printf "gnutls %s, libcurl %s, inih %s\n" \
		$(pkg-config --modversion gnutls libcurl inih)' | tr '\n' ' ')"
	if ! step "$name" build "$dir/build.log" build "$r"; then
		for s in unit store image package install; do result SKIP "$name" "$s" "the build failed"; done
		return
	fi
	step "$name" unit "$dir/unit.log" check_tests "$r" \
		"$(in_root "$r" "make -pn 2>/dev/null | sed -n 's/^unit_tests = //p' | head -n 1")"
	# rollback.test jams the update with a directory where Debian 12's and
	# later tools write their temporary bundle; Debian 11's writes a mktemp
	# file and carries on past most failures, so it cannot be jammed so.
	local rollback=tests/integration/rollback.test
	[ "$SUITE" = bullseye ] && rollback=
	step "$name" store "$dir/store.log" check_tests "$r" tests/integration/install.test \
		tests/integration/rotation.test $rollback tests/integration/truth.test
	step "$name" image "$dir/image.log" check_tests "$r" tests/integration/image.test
	if step "$name" package "$dir/package.log" \
		in_root "$r" "sh ../packaging/build-packages.sh --deb-only -o /src/pkgs"; then
		deb=$(ls "$r"/src/pkgs/anchorsync_*.deb | head -n 1)
		step "$name" install "$dir/install.log" install_test "$name" "$dir/install" "$image" "$deb"
	else
		result SKIP "$name" install "no package"
	fi
	debcache_umount_under "$dir"
}

# openssl: the build and the fetch tests against libcurl on OpenSSL.
openssl_flavour() {
	local name=libcurl-openssl dir=$work/libcurl-openssl root r
	SUITE=bookworm
	debcache_umount_under "$dir"; rm -rf "$dir"; mkdir -p "$dir"
	if ! root=$(debcache_root bookworm openssl 2>"$dir/why"); then
		for s in build fetch; do result SKIP "$name" "$s" "no root: $(tr '\n' ' ' <"$dir/why")"; done
		return
	fi
	r=$dir/build/root
	overlay "$dir/build" "$root" && copy_source "$r/src" ||
		{ result FAIL "$name" build "cannot prepare the root in $dir"; return; }
	echo "# $name: $(chroot "$r" curl-config --ssl-backends) libcurl $(chroot "$r" curl-config --version)"
	if step "$name" build "$dir/build.log" build "$r"; then
		step "$name" fetch "$dir/fetch.log" check_tests "$r" tests/integration/sources.test \
			tests/integration/install.test tests/integration/badinput.test
	else
		result SKIP "$name" fetch "the build failed"
	fi
	debcache_umount_under "$dir"
}

[ "$(id -u)" -eq 0 ] || { echo "tests/releases.sh needs root (chroot, mount)" >&2; exit 64; }
. "$src/tests/lib/tap.sh" >/dev/null
CA_DIR=$work/ca
. "$src/tests/lib/ca.sh"
pin() { echo "sha256:$(certtool --fingerprint --hash sha256 --infile "$1" | tr 'A-F' 'a-f')"; }
debcache_umount_under "$work"; rm -rf "$work"; mkdir -p "$CA_DIR"
ca_root root1 && ca_cert mail root1 mail.corp.internal --san mail.corp.internal ||
	{ echo "certtool could not make the test CA" >&2; exit 1; }

names=${*:-debian-11 debian-12 debian-13 libcurl-openssl}
for n in $names; do
	case $n in
	debian-11) release debian-11 bullseye ;;
	debian-12) release debian-12 bookworm ;;
	debian-13) release debian-13 trixie ;;
	libcurl-openssl) openssl_flavour ;;
	*) echo "unknown release '$n'" >&2; exit 64 ;;
	esac
done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
