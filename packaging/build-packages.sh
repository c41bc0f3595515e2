#!/bin/sh
# SPDX-License-Identifier: MIT
# Builds the Debian and RPM packages of anchorsync from a release tarball.
#
#   packaging/build-packages.sh [-o OUTDIR] [--deb-only | --rpm-only] [TARBALL]
#
# Without TARBALL it runs "make dist" in the current directory, which must be a
# configured build directory. The packages land in OUTDIR (default: the current
# directory), with the build logs beside them (build-deb.log, build-rpm.log).
# Needs dpkg-dev, debhelper, fakeroot and the build dependencies named in
# packaging/debian/control for the .deb, and rpm for the .rpm. The RPM's
# BuildRequires name Red Hat packages, so on other hosts it is built with
# --nodeps from the libraries installed there.
set -eu

usage() {
	echo "usage: $0 [-o OUTDIR] [--deb-only | --rpm-only] [TARBALL]" >&2
	exit 64
}

outdir=.
build_deb=yes
build_rpm=yes
tarball=
while [ $# -gt 0 ]; do
	case $1 in
	-o) [ $# -ge 2 ] || usage; outdir=$2; shift ;;
	--deb-only) build_rpm=no ;;
	--rpm-only) build_deb=no ;;
	-h|--help) usage ;;
	-*) usage ;;
	*) [ -z "$tarball" ] || usage; tarball=$1 ;;
	esac
	shift
done

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)

# A package build stands alone: no jobserver or variables from a calling make
# (make check runs this from a test).
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES

if [ -z "$tarball" ]; then
	[ -f Makefile ] || { echo "$0: no TARBALL and no Makefile here: run it in a configured build directory" >&2; exit 64; }
	make -s dist >/dev/null
	tarball=$(ls -t anchorsync-*.tar.xz | head -n 1)
fi
[ -f "$tarball" ] || { echo "$0: cannot read '$tarball'" >&2; exit 66; }
tarball=$(cd "$(dirname "$tarball")" && pwd)/$(basename "$tarball")
base=$(basename "$tarball" .tar.xz)		# anchorsync-VERSION
version=${base#anchorsync-}

work=$(mktemp -d "${TMPDIR:-/tmp}/anchorsync-pkg.XXXXXX")
trap 'rm -rf "$work"' EXIT

# dpkg-buildpackage -b from the unpacked tarball, with packaging/debian as debian/.
if [ "$build_deb" = yes ]; then
	mkdir "$work/deb"
	tar -xJf "$tarball" -C "$work/deb"
	src="$work/deb/$base"
	cp -R "$src/packaging/debian" "$src/debian"
	chmod +x "$src/debian/rules"
	deb_version=$(cd "$src" && dpkg-parsechangelog -S Version)
	if [ "$deb_version" != "$version" ]; then
		echo "$0: debian/changelog says $deb_version, the tarball is $version" >&2
		exit 65
	fi
	echo "building the .deb (log: $outdir/build-deb.log)"
	if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$outdir/build-deb.log" 2>&1; then
		tail -n 30 "$outdir/build-deb.log" >&2
		echo "$0: dpkg-buildpackage failed; see $outdir/build-deb.log" >&2
		exit 1
	fi
	for f in "$work"/deb/*.deb "$work"/deb/*.buildinfo "$work"/deb/*.changes; do
		[ -e "$f" ] && cp "$f" "$outdir/"
	done
	ls "$work"/deb/*.deb | sed "s|.*/|  $outdir/|"
fi

# rpmbuild from the tarball with the spec it carries.
if [ "$build_rpm" = yes ]; then
	top="$work/rpm"
	mkdir -p "$top/SOURCES" "$top/SPECS"
	cp "$tarball" "$top/SOURCES/"
	tar -xJf "$tarball" -O "$base/packaging/rpm/anchorsync.spec" >"$top/SPECS/anchorsync.spec"
	if ! grep -q "^Version: *$version\$" "$top/SPECS/anchorsync.spec"; then
		echo "$0: packaging/rpm/anchorsync.spec does not say Version: $version" >&2
		exit 65
	fi
	nodeps=
	if ! rpm -q --quiet gnutls-devel 2>/dev/null; then
		nodeps=--nodeps
	fi
	echo "building the .rpm (log: $outdir/build-rpm.log)"
	if ! rpmbuild -bb $nodeps --define "_topdir $top" "$top/SPECS/anchorsync.spec" \
		>"$outdir/build-rpm.log" 2>&1; then
		tail -n 30 "$outdir/build-rpm.log" >&2
		echo "$0: rpmbuild failed; see $outdir/build-rpm.log" >&2
		exit 1
	fi
	find "$top/RPMS" -name '*.rpm' -exec cp {} "$outdir/" \; -print | sed "s|.*/|  $outdir/|"
fi
