# SPDX-License-Identifier: MIT
# A private dnsmasq answering on 127.0.0.1:PORT from its command line only:
# no upstream servers, no /etc/hosts, no configuration file. Names under the
# domains given with --local are answered authoritatively (NXDOMAIN if unknown).
#   dnsmasq_start PORT LOGFILE ARG...   e.g. --mx-host=corp.internal,mail.corp.internal,10
#   dnsmasq_stop

dnsmasq_start() {
	local port=$1 log=$2 i; shift 2
	dnsmasq --keep-in-foreground --conf-file=/dev/null --no-resolv --no-hosts \
		--no-dhcp-interface= --listen-address=127.0.0.1 --bind-interfaces \
		--port="$port" --pid-file= --user=root --log-queries --log-facility=- \
		"$@" >"$log" 2>&1 &
	DNSMASQ_PID=$!
	for i in $(seq 50); do
		grep -q 'started' "$log" 2>/dev/null && return 0
		kill -0 "$DNSMASQ_PID" 2>/dev/null || { cat "$log" >&2; return 1; }
		sleep 0.1
	done
	return 1
}

dnsmasq_stop() {
	[ -n "${DNSMASQ_PID:-}" ] || return 0
	kill "$DNSMASQ_PID" 2>/dev/null
	wait "$DNSMASQ_PID" 2>/dev/null
	DNSMASQ_PID=
}
