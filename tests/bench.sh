#!/bin/bash
# SPDX-License-Identifier: MIT
# Runs every benchmark part in tests/bench/*.sh and prints their figures.
# Benchmarks measure; they do not pass or fail (a part that cannot run at
# all exits non-zero, and so does this script).
#
# usage: tests/bench.sh [BUILD_DIR]
#
# The anchorsync program, first found wins:
#   1. $ANCHORSYNC, when set;
#   2. BUILD_DIR/anchorsync, when a build directory is given;
#   3. ./anchorsync in the current directory (e.g. run from the build dir);
#   4. anchorsync in the source tree (an in-tree build).
# So after an out-of-tree build: tests/bench.sh /path/to/build, or from the
# build directory: /path/to/src/tests/bench.sh. Needs bash 5, nginx,
# certtool, update-ca-certificates, curl and python3; GNU time (the "time"
# package) for peak RSS when present, else python's getrusage.
set -u
top_srcdir=$(cd "$(dirname "$0")/.." && pwd)
if [ -z "${ANCHORSYNC:-}" ]; then
	if [ $# -gt 0 ]; then
		ANCHORSYNC=$1/anchorsync
	elif [ -x ./anchorsync ]; then
		ANCHORSYNC=$PWD/anchorsync
	else
		ANCHORSYNC=$top_srcdir/anchorsync
	fi
fi
case $ANCHORSYNC in /*) ;; *) ANCHORSYNC=$PWD/$ANCHORSYNC ;; esac
if [ ! -x "$ANCHORSYNC" ]; then
	echo "bench: no anchorsync program at '$ANCHORSYNC' (build first, or give the build dir)" >&2
	exit 2
fi
export ANCHORSYNC top_srcdir

rc=0
for part in "$top_srcdir"/tests/bench/*.sh; do
	echo "=== $(basename "$part" .sh)"
	bash "$part"
	part_rc=$?
	[ "$part_rc" -eq 0 ] || { echo "bench part $(basename "$part") failed (exit $part_rc)"; rc=1; }
done
exit $rc
