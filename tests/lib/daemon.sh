# SPDX-License-Identifier: MIT
# A long-running program answering each request line with one line (a daemon
# that loaded its trust store at start), and its restart, for the recipe
# tests. Needs T (a directory for its files).
#   daemon_start NAME CMD...  CMD reads the lines appended to $T/NAME.req from
#                             now on; its answers go to $T/NAME.out. Its own
#                             session: daemon_stop NAME ends all of it.
#   daemon_ask NAME LINE      appends LINE, prints the answer (waits up to 15 s)
#   daemon_pid NAME           the running instance's pid
#   daemon_restarter NAME CMD...  writes $T/restart-NAME, a command that stops
#                             NAME and starts CMD in its place (what a
#                             `systemctl restart` or `docker restart` does),
#                             counting in $T/NAME.restarts
daemon_start() {
	local name=$1; shift
	: >>"$T/$name.req"
	: >>"$T/$name.out"
	setsid bash -c 'exec </dev/null; tail -n 0 -f "$1" | ("${@:3}") >>"$2" 2>&1' _ \
		"$T/$name.req" "$T/$name.out" "$@" >/dev/null 2>&1 &
	echo $! >"$T/$name.pid"
	sleep 0.3
}

daemon_stop() {
	local pid
	pid=$(cat "$T/$1.pid" 2>/dev/null) || return 0
	kill -- "-$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	rm -f "$T/$1.pid"
}

daemon_pid() {
	cat "$T/$1.pid"
}

daemon_ask() {
	local name=$1 n i
	n=$(wc -l <"$T/$name.out")
	printf '%s\n' "$2" >>"$T/$name.req"
	for i in $(seq 150); do
		[ "$(wc -l <"$T/$name.out")" -gt "$n" ] && break
		sleep 0.1
	done
	sed -n "$((n + 1))p" "$T/$name.out"
}

daemon_restarter() {
	local name=$1; shift
	{
		echo '#!/bin/bash'
		printf 'T=%q\n. %q\n' "$T" "$top_srcdir/tests/lib/daemon.sh"
		printf 'daemon_stop %q\n' "$name"
		printf 'daemon_start %q' "$name"
		printf ' %q' "$@"
		printf '\necho restarted >>%q\n' "$T/$name.restarts"
	} >"$T/restart-$name"
	chmod +x "$T/restart-$name"
	: >>"$T/$name.restarts"
}
