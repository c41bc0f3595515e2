# SPDX-License-Identifier: MIT
# TAP helpers for the shell integration tests. Source it, then call ok/not_ok
# through check, and finish with done_testing.
tap_count=0
tap_failed=0

# check DESCRIPTION COMMAND...: one TAP line for whether COMMAND succeeds.
# With TAP_TODO=REASON set, the line is marked "# TODO REASON": a known
# breakage that shows as XFAIL, and as an unexpected pass (a failure of the
# suite) once fixed, so the mark cannot outlive the bug.
check() {
	local desc=$1 todo=; shift
	[ -n "${TAP_TODO:-}" ] && todo=" # TODO $TAP_TODO"
	tap_count=$((tap_count + 1))
	if "$@"; then
		echo "ok $tap_count - $desc$todo"
	else
		echo "not ok $tap_count - $desc$todo"
		[ -n "$todo" ] || tap_failed=$((tap_failed + 1))
	fi
}

# skip_all REASON: the whole file skips, visibly.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# skip REASON [DESCRIPTION]: one TAP line that reports a skip, never a pass:
# "ok N - DESCRIPTION # SKIP REASON". Only for a tool that is truly absent.
skip() {
	tap_count=$((tap_count + 1))
	echo "ok $tap_count${2:+ - $2} # SKIP $1"
}

# diag TEXT...: TAP comments, every line of every argument prefixed with "# ".
diag() {
	local arg line
	for arg in "$@"; do
		while IFS= read -r line; do
			printf '# %s\n' "$line"
		done <<<"$arg"
	done
}

done_testing() {
	echo "1..$tap_count"
	[ "$tap_failed" -eq 0 ]
}

# expect_exit CODE COMMAND...: runs COMMAND, keeps its stderr in $last_err and
# stdout in $last_out, and succeeds when it exited with CODE.
expect_exit() {
	local want=$1; shift
	local errf outf
	errf=$(mktemp) outf=$(mktemp)
	"$@" >"$outf" 2>"$errf"
	last_rc=$?
	last_out=$(cat "$outf") last_err=$(cat "$errf")
	rm -f "$errf" "$outf"
	if [ "$last_rc" -ne "$want" ]; then
		diag "expected exit $want, got $last_rc from: $*" "stderr: $last_err"
		return 1
	fi
}

# is GOT WANT: succeeds when the two strings are equal; shows both otherwise.
is() {
	[ "$1" = "$2" ] && return 0
	diag "got:  $1" "want: $2"
	return 1
}

# like TEXT SUBSTRING: succeeds when TEXT contains SUBSTRING.
like() {
	case $1 in *"$2"*) return 0 ;; esac
	diag "no '$2' in:" "$1"
	return 1
}

# unlike TEXT SUBSTRING: succeeds when TEXT does not contain SUBSTRING.
unlike() {
	case $1 in *"$2"*) diag "unexpected '$2' in:" "$1"; return 1 ;; esac
	return 0
}

# like_re TEXT REGEX: succeeds when a line of TEXT matches the extended REGEX.
like_re() {
	printf '%s\n' "$1" | grep -Eq -- "$2" && return 0
	diag "nothing matches /$2/ in:" "$1"
	return 1
}

# The system python3 (quick to start) unless PYTHON names another.
PYTHON=${PYTHON:-$(command -v /usr/bin/python3 || command -v python3)}

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
	"$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
