#!/bin/bash
# SPDX-License-Identifier: MIT
# Builds anchorsync with warnings as errors and runs the whole suite, then builds
# it again with AddressSanitizer and UndefinedBehaviorSanitizer and runs the suite
# once more, then builds the libFuzzer harnesses (clang) and runs each for
# FUZZ_SECONDS (default 20; each harness counts as one test), builds once more
# with clang and warnings as errors, then builds, tests and packages on Debian
# 11, 12 and 13 and against libcurl on OpenSSL (tests/releases.sh; each of its
# steps counts as one test). Ends with one line: "N passed, N failed, N skipped".
# Usage (as root on Debian 12, from the source tree): bash tests/check.sh
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
out=${CHECK_DIR:-$src/build-check}
# What the tests fetch from the archive (other tool versions, an image) is
# kept here, shared by both builds and by later runs.
export ANCHORSYNC_TEST_CACHE=${ANCHORSYNC_TEST_CACHE:-$out/cache}

bash "$src/tests/setup-debian.sh" || exit 1
(cd "$src" && ./autogen.sh >/dev/null 2>&1) || { echo "autogen.sh failed"; exit 1; }

passed=0 failed=0 skipped=0
# run NAME CONFIGURE-FLAGS...: a fresh build directory, make, make check.
run() {
	local name=$1; shift
	local dir=$out/$name
	rm -rf "$dir" && mkdir -p "$dir"
	echo "=== $name build: configure $*"
	if ! (cd "$dir" && "$src/configure" "$@" >configure.out 2>&1 && make -j"$(nproc)" >make.out 2>&1); then
		tail -n 40 "$dir/configure.out" "$dir/make.out" 2>/dev/null
		failed=$((failed + 1))
		return
	fi
	(cd "$dir" && make -j"$(nproc)" check) | grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP):|^# '
	local log=$dir/test-suite.log
	[ -f "$log" ] || { echo "no test-suite.log in $dir"; failed=$((failed + 1)); return; }
	grep -q '^# FAIL: *0$' "$log" && grep -q '^# ERROR: *0$' "$log" && grep -q '^# XPASS: *0$' "$log" ||
		sed -n '/^FAIL\|^ERROR/,$p' "$log" | head -n 200
	passed=$((passed + $(sed -n 's/^# PASS: *//p' "$log")))
	skipped=$((skipped + $(sed -n 's/^# SKIP: *//p' "$log")))
	failed=$((failed + $(sed -n 's/^# FAIL: *//p' "$log") + $(sed -n 's/^# ERROR: *//p' "$log") \
		+ $(sed -n 's/^# XPASS: *//p' "$log")))
}

# fuzz: every harness for a bounded time over its committed corpus.
fuzz() {
	local dir=$out/fuzz name
	rm -rf "$dir" && mkdir -p "$dir"
	echo "=== fuzz build: configure --enable-fuzzing CC=clang"
	if ! (cd "$dir" && "$src/configure" --enable-fuzzing CC=clang >configure.out 2>&1 &&
		make -j"$(nproc)" >make.out 2>&1); then
		tail -n 40 "$dir/configure.out" "$dir/make.out" 2>/dev/null
		failed=$((failed + 1))
		return
	fi
	for name in $(cd "$src/fuzz/corpus" && echo *); do
		if (cd "$dir" && sh "$src/fuzz/run.sh" "${FUZZ_SECONDS:-20}" "$name"); then
			echo "PASS: fuzz/$name"
			passed=$((passed + 1))
		else
			echo "FAIL: fuzz/$name"
			tail -n 30 "$dir/fuzz-out/$name.log"
			failed=$((failed + 1))
		fi
	done
}

# build_only NAME CONFIGURE-ARGS...: a build that must succeed, one test.
build_only() {
	local name=$1; shift
	local dir=$out/$name
	rm -rf "$dir" && mkdir -p "$dir"
	if (cd "$dir" && "$src/configure" "$@" >configure.out 2>&1 && make -j"$(nproc)" >make.out 2>&1); then
		echo "PASS: build/$name"
		passed=$((passed + 1))
	else
		echo "FAIL: build/$name"
		tail -n 40 "$dir/configure.out" "$dir/make.out" 2>/dev/null
		failed=$((failed + 1))
	fi
}

# releases: tests/releases.sh, each of its PASS/FAIL/SKIP lines one test.
releases() {
	local log=$out/releases.out
	bash "$src/tests/releases.sh" | tee "$log"
	local rc=${PIPESTATUS[0]} p f s
	p=$(grep -c '^PASS: release/' "$log") f=$(grep -c '^FAIL: release/' "$log")
	s=$(grep -c '^SKIP: release/' "$log")
	passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "FAIL: release/all # tests/releases.sh exited $rc"
		failed=$((failed + 1))
	fi
}

run werror --enable-werror
run sanitizers --enable-werror --enable-asan --enable-ubsan
fuzz
build_only clang-werror --enable-werror CC=clang
releases

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
