#!/bin/bash
# SPDX-License-Identifier: MIT
# Benchmark (not a test): side by side on the test world, blackbox_exporter's
# SMTP STARTTLS probe (the module its documentation shows, told the CA and
# the name) and `anchorsync verify`, against the same private Postfix ports,
# one per failure a mail server's certificate or dialogue can have: no
# subjectAltName, wrong name, unknown issuer, missing intermediate, expired,
# STARTTLS not offered, STARTTLS stripped by a man in the middle. Prints
# what each reports per case (anchorsync's cause, blackbox's probe_success
# and the error it logged) and the median wall time per check.
#   tests/bench/probes.sh [ANCHORSYNC] [RUNS]   (defaults: ./anchorsync, 20)
set -u
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
ANCHORSYNC=${1:-${ANCHORSYNC:-./anchorsync}}
RUNS=${2:-20}
PATH=$PATH:/usr/sbin:/sbin
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/ca.sh"
. "$top_srcdir/tests/lib/postfix.sh"
. "$top_srcdir/tests/lib/user.sh"
BLACKBOX=$(command -v prometheus-blackbox-exporter || command -v blackbox_exporter)
for tool in postfix certtool curl python3; do
	command -v $tool >/dev/null 2>&1 || { echo "bench: $tool is not installed" >&2; exit 2; }
done
[ -n "$BLACKBOX" ] || { echo "bench: prometheus-blackbox-exporter is not installed" >&2; exit 2; }
[ -x "$ANCHORSYNC" ] || { echo "bench: no program at $ANCHORSYNC" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/anchorsync-bench.XXXXXX") || exit 1
chmod 755 "$T"
user_conf "$T/user.conf"
BB_PID='' STRIP_PID=''
cleanup() {
	[ -z "$BB_PID" ] || { kill "$BB_PID"; wait "$BB_PID"; } 2>/dev/null
	[ -z "$STRIP_PID" ] || { kill "$STRIP_PID"; wait "$STRIP_PID"; } 2>/dev/null
	postfix_stop "$T/pf"
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 130' HUP INT TERM
H=mail.corp.internal
CA_DIR=$T/ca
mkdir -p "$CA_DIR"
ca_root root && ca_root stranger &&
	ca_cert inter root "Intermediate CA" --ca &&
	ca_cert good root $H --san $H &&
	ca_cert nosan root $H &&
	ca_cert wrongname root other.corp.internal --san other.corp.internal &&
	ca_cert unknown stranger $H --san $H &&
	ca_cert leaf inter $H --san $H &&
	ca_cert expired root $H --san $H --expired || exit 1
cat "$CA_DIR/leaf.pem" "$CA_DIR/inter.pem" >"$CA_DIR/chained.pem"

# The cases: NAME, then the smtpd options for it (the proxy stands in front of
# "good" for "stripped").
cases="good nosan wrongname unknown missing-intermediate expired no-starttls stripped"
declare -A port opts
opts[good]="-o smtpd_tls_chain_files=$CA_DIR/good.key,$CA_DIR/good.pem"
opts[nosan]="-o smtpd_tls_chain_files=$CA_DIR/nosan.key,$CA_DIR/nosan.pem"
opts[wrongname]="-o smtpd_tls_chain_files=$CA_DIR/wrongname.key,$CA_DIR/wrongname.pem"
opts[unknown]="-o smtpd_tls_chain_files=$CA_DIR/unknown.key,$CA_DIR/unknown.pem"
opts[missing-intermediate]="-o smtpd_tls_chain_files=$CA_DIR/leaf.key,$CA_DIR/leaf.pem"
opts[expired]="-o smtpd_tls_chain_files=$CA_DIR/expired.key,$CA_DIR/expired.pem"
opts[no-starttls]="-o smtpd_tls_security_level=none"
postfix_init "$T/pf" $H
for c in $cases; do
	[ "$c" = stripped ] && continue
	port[$c]=$(free_port)
	# shellcheck disable=SC2086
	postfix_smtpd "$T/pf" "${port[$c]}" ${opts[$c]}
done
postfix_start "$T/pf" || { echo "bench: postfix did not start" >&2; exit 1; }
"$PYTHON" "$top_srcdir/tests/lib/strip-starttls.py" "$T/strip.port" "${port[good]}" &
STRIP_PID=$!

# blackbox_exporter with its documented smtp_starttls module, trusting the
# root and checking the mail server's name, like anchorsync.
cat >"$T/blackbox.yml" <<YML
modules:
  smtp_starttls:
    prober: tcp
    timeout: 10s
    tcp:
      query_response:
        - expect: "^220 ([^ ]+) ESMTP(.*)$"
        - send: "EHLO prober\r"
        - expect: "^250-STARTTLS"
        - send: "STARTTLS\r"
        - expect: "^220"
        - starttls: true
        - send: "EHLO prober\r"
        - expect: "^250 "
        - send: "QUIT\r"
      tls_config:
        ca_file: $CA_DIR/root.pem
        server_name: $H
YML
BB=$(free_port)
"$BLACKBOX" --config.file="$T/blackbox.yml" --web.listen-address=127.0.0.1:$BB \
	>"$T/blackbox.log" 2>&1 &
BB_PID=$!
for _ in $(seq 100); do
	[ -s "$T/strip.port" ] && curl -fs "http://127.0.0.1:$BB/metrics" >/dev/null && break
	sleep 0.1
done
port[stripped]=$(cat "$T/strip.port" 2>/dev/null)
[ -n "${port[stripped]}" ] || { echo "bench: the stripping proxy did not start" >&2; exit 1; }
curl -fs "http://127.0.0.1:$BB/metrics" >/dev/null ||
	{ cat "$T/blackbox.log" >&2; echo "bench: blackbox_exporter did not start" >&2; exit 1; }

run_anchorsync() {
	"$ANCHORSYNC" -c "$T/user.conf" verify --timeout 10 --ca-file "$CA_DIR/root.pem" \
		--resolve "$H:$1:127.0.0.1" "smtp://$H:$1"
}
run_blackbox() {
	curl -fsS "http://127.0.0.1:$BB/probe?module=smtp_starttls&target=127.0.0.1:$1$2"
}

# What each says: anchorsync's verdict line, blackbox's probe_success and the
# first error its debug log names, and how long each took to say it (ms).
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }
printf '%-22s %s\n' case "anchorsync verify / blackbox_exporter smtp_starttls"
for c in $cases; do
	s=$(date +%s%N)
	out=$(run_anchorsync "${port[$c]}" 2>&1)
	a_rc=$? a_ms=$(ms_since "$s")
	a=$(sed -n 's/^ *verdict: *//p' <<<"$out" | head -n 1)
	[ -n "$a" ] || a=$(head -n 1 <<<"$out")
	s=$(date +%s%N)
	dbg=$(run_blackbox "${port[$c]}" "&debug=true")
	b_ms=$(ms_since "$s")
	b_ok=$(sed -n 's/^probe_success \([0-9]\)$/\1/p' <<<"$dbg")
	b_err=$(grep -m1 -E 'level=error' <<<"$dbg" | sed -E 's/.* (msg=.*)$/\1/')
	printf '%-22s anchorsync exit %d in %d ms: %s\n%-22s blackbox probe_success %s in %d ms: %s\n' \
		"$c" "$a_rc" "$a_ms" "${a//$T/\$T}" "" "$b_ok" "$b_ms" "${b_err:-(no error logged)}"
done

# The time per check: RUNS of each against the good port and the wrong-name
# port, interleaved; milliseconds of wall time (the blackbox figure is one
# HTTP request to the running exporter, whose probe_duration_seconds is
# printed too).
measure() {
	local name=$1 p=$2 s e
	: >"$T/$name.$p"
	for _ in $(seq "$RUNS"); do
		s=$(date +%s%N)
		"run_$name" "$p" "" >/dev/null 2>&1
		e=$(date +%s%N)
		echo $(((e - s) / 1000)) >>"$T/$name.$p"
	done
}
median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'
}
for c in good wrongname; do
	measure anchorsync "${port[$c]}"
	measure blackbox "${port[$c]}"
done
own=$(run_blackbox "${port[good]}" "" | sed -n 's/^probe_duration_seconds //p')
printf '\ntime per check, %s runs each, median wall ms (Postfix %s, %s):\n' "$RUNS" \
	"$(postconf -d -h mail_version)" "$("$BLACKBOX" --version 2>&1 | head -n 1)"
printf '  %-46s %8s %8s\n' "" good wrongname
printf '  %-46s %8s %8s\n' "anchorsync verify (a process per check)" \
	"$(median "$T/anchorsync.${port[good]}")" "$(median "$T/anchorsync.${port[wrongname]}")"
printf '  %-46s %8s %8s\n' "blackbox_exporter /probe (HTTP to the daemon)" \
	"$(median "$T/blackbox.${port[good]}")" "$(median "$T/blackbox.${port[wrongname]}")"
printf '  blackbox probe_duration_seconds (good, one probe): %s\n' "$own"
