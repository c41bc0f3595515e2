#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs each libFuzzer harness in turn for SECONDS (default 60) over a copy of
# its committed corpus, one at a time. Run from a build directory configured
# with --enable-fuzzing CC=clang:  ../fuzz/run.sh [SECONDS] [NAME...]
# New inputs go to fuzz-out/NAME/, crashes to fuzz-out/crash-NAME-*; the exit
# status is 1 when any harness found a crash.
set -u
seconds=${1:-60}
[ $# -gt 0 ] && shift
srcdir=$(cd "$(dirname "$0")/.." && pwd)
names=${*:-"bundle signed smtp mx target config manifest state postconf frame"}
status=0
mkdir -p fuzz-out
for name in $names; do
	prog=./fuzz/fuzz-$name
	[ -x "$prog" ] || { echo "run.sh: no $prog (configure --enable-fuzzing CC=clang; make)" >&2; exit 2; }
	mkdir -p "fuzz-out/$name"
	echo "== $name: $seconds s"
	"$prog" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=1024 \
		-print_final_stats=1 -artifact_prefix="fuzz-out/crash-$name-" \
		"fuzz-out/$name" "$srcdir/fuzz/corpus/$name" 2>"fuzz-out/$name.log"
	rc=$?
	grep -E '^stat::number_of_executed_units|^stat::peak_rss' "fuzz-out/$name.log"
	if [ $rc -ne 0 ]; then
		echo "== $name: FAILED (exit $rc), see fuzz-out/$name.log"
		status=1
	fi
done
exit $status
