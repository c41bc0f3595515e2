#!/bin/bash
# SPDX-License-Identifier: MIT
# Benchmark (not a test): anchorsync verify against a private Postfix on
# loopback, side by side with `gnutls-cli --starttls-proto=smtp` and
# `posttls-finger` on the same STARTTLS port with the same CA and name.
# Prints the median and 90th percentile wall time of each and the ratios: a
# probe must not stall (p90 within 1.3x of its median) and should be faster
# than both peers.
#   tests/bench/verify.sh [ANCHORSYNC] [RUNS]   (defaults: ./anchorsync, 30)
set -u
top_srcdir=$(cd "$(dirname "$0")/../.." && pwd)
ANCHORSYNC=${1:-${ANCHORSYNC:-./anchorsync}}
RUNS=${2:-30}
PATH=$PATH:/usr/sbin:/sbin
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/ca.sh"
. "$top_srcdir/tests/lib/postfix.sh"
. "$top_srcdir/tests/lib/user.sh"
for tool in postfix posttls-finger gnutls-cli certtool python3; do
	command -v $tool >/dev/null 2>&1 || { echo "bench: $tool is not installed" >&2; exit 2; }
done
[ -x "$ANCHORSYNC" ] || { echo "bench: no program at $ANCHORSYNC" >&2; exit 2; }

T=$(mktemp -d "${TMPDIR:-/tmp}/anchorsync-bench.XXXXXX") || exit 1
chmod 755 "$T"
user_conf "$T/user.conf"
trap 'postfix_stop "$T/pf"; rm -rf "$T"' EXIT
H=mail.corp.internal
CA_DIR=$T/ca
mkdir -p "$CA_DIR"
ca_root root && ca_cert server root $H --san $H || exit 1
P=$(free_port)
postfix_init "$T/pf" $H
postfix_smtpd "$T/pf" $P -o smtpd_tls_chain_files=$CA_DIR/server.key,$CA_DIR/server.pem
postfix_start "$T/pf" || { echo "bench: postfix did not start" >&2; exit 1; }

run_anchorsync() {
	"$ANCHORSYNC" -c "$T/user.conf" verify --ca-file "$CA_DIR/root.pem" \
		--resolve $H:$P:127.0.0.1 smtp://$H:$P >/dev/null 2>&1
}
run_gnutls_cli() {
	gnutls-cli --starttls-proto=smtp --port $P --x509cafile "$CA_DIR/root.pem" \
		--sni-hostname $H --verify-hostname $H 127.0.0.1 </dev/null >/dev/null 2>&1
}
run_posttls_finger() {
	MAIL_CONFIG=$T/pf/etc posttls-finger -c -l verify -F "$CA_DIR/root.pem" "[127.0.0.1]:$P" $H >/dev/null 2>&1
}

# measure NAME: RUNS timings in ms, one per line, into $T/NAME; each run must succeed.
measure() {
	local name=$1 i s e
	run_$name || { echo "bench: $name failed against the server" >&2; exit 1; }
	: >"$T/$name"
	for i in $(seq "$RUNS"); do
		s=$(date +%s%N)
		run_$name
		e=$(date +%s%N)
		echo $(((e - s) / 1000)) >>"$T/$name"
	done
}
median() {
	sort -n "$T/$1" | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'
}
# p90 NAME: the 90th percentile (nearest rank) in ms.
p90() {
	sort -n "$T/$1" | awk '{ v[NR] = $1 } END { r = int(NR * 0.9 + 0.999999); printf "%.1f", v[r] / 1000 }'
}

# Interleave warm-ups so no tool profits from a cold Postfix.
measure gnutls_cli
measure anchorsync
measure posttls_finger

a=$(median anchorsync) g=$(median gnutls_cli) p=$(median posttls_finger)
a90=$(p90 anchorsync) g90=$(p90 gnutls_cli) p90=$(p90 posttls_finger)
printf 'STARTTLS on 127.0.0.1:%s (Postfix %s), %s runs each, wall time in ms:\n' \
	"$P" "$(postconf -d -h mail_version)" "$RUNS"
printf '                                        median       p90\n'
printf '  anchorsync verify (full dialogue)  %9s %9s\n' "$a" "$a90"
printf '  gnutls-cli --starttls-proto=smtp   %9s %9s\n' "$g" "$g90"
printf '  posttls-finger -l verify           %9s %9s\n' "$p" "$p90"
awk -v a="$a" -v a90="$a90" -v g="$g" -v p="$p" 'BEGIN {
	printf "  anchorsync p90 / median            %9.2f  (target <= 1.3: no stalls)\n", a90 / a
	printf "  ratio anchorsync / gnutls-cli      %9.2f  (target < 1)\n", a / g
	printf "  ratio anchorsync / posttls-finger  %9.2f  (target < 1)\n", a / p
}'
