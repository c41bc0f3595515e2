# TAP helpers for the shell integration tests. Source it, then call ok/not_ok
# through check, and finish with done_testing.
tap_count=0
tap_failed=0

# check DESCRIPTION COMMAND...: one TAP line for whether COMMAND succeeds.
check() {
	local desc=$1; shift
	tap_count=$((tap_count + 1))
	if "$@"; then
		echo "ok $tap_count - $desc"
	else
		echo "not ok $tap_count - $desc"
		tap_failed=$((tap_failed + 1))
	fi
}

# skip_all REASON: the whole file skips, visibly.
skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

diag() {
	printf '# %s\n' "$@"
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

# free_port: a TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
