#!/bin/bash
# SPDX-License-Identifier: MIT
# A big bundle: 10,000 self-signed roots (about 5 MB) with one of them pinned,
# served by nginx on loopback with max_size = 8M, next to a bundle of the
# pinned root alone. Each is refreshed into its own isolated store holding the
# distribution's full CA list; the no-change refreshes (a conditional GET
# answered 304) are interleaved. Targets: the big bundle's no-change refresh
# costs at most 5x the one-root no-change refresh (median wall time and CPU
# time, the unprivileged child included) and at most 32 MiB peak RSS, first
# run or not. Run through tests/bench.sh ($ANCHORSYNC); BENCH_RUNS sets the
# rounds (default 150, as tests/bench/refresh.sh).
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/ca.sh"
. "$top_srcdir/tests/lib/nginx.sh"
. "$top_srcdir/tests/lib/store.sh"
. "$top_srcdir/tests/lib/user.sh"
ANCHORSYNC=${ANCHORSYNC:-$PWD/anchorsync}
[ -x "$ANCHORSYNC" ] || { echo "bench: no program at $ANCHORSYNC" >&2; exit 2; }
runs=${BENCH_RUNS:-150}
PATH=$PATH:/usr/sbin:/sbin
for tool in nginx certtool update-ca-certificates; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 2; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/anchorsync-bench.XXXXXX") || exit 2
chmod 755 "$T"
trap 'nginx_stop; rm -rf "$T"' EXIT
trap 'exit 130' HUP INT TERM

CA_DIR=$T/ca WWW=$T/www
mkdir -p "$CA_DIR" "$WWW"
ca_root root1 && ca_root tlsroot && ca_cert server tlsroot localhost --ip 127.0.0.1 || exit 2
"$PYTHON" "$top_srcdir/tests/lib/many-roots.py" 9999 "$T/many.pem" || exit 2
cat "$T/many.pem" "$CA_DIR/root1.pem" >"$WWW/big.pem"
cp "$CA_DIR/root1.pem" "$WWW/one.pem"
nginx_start "$WWW" "$CA_DIR/server.pem" "$CA_DIR/server.key" || exit 2

# conf NAME FILE: a store and configuration for the bundle FILE.
conf() {
	mkdir -p "$T/$1/root"
	store_init "$T/$1/root" --full
	cat >"$T/$1/anchorsync.conf" <<CONF
[agent]
state_dir = $T/$1/state
splay = 0
user = $TEST_USER
[source]
url = http://127.0.0.1:$NGINX_HTTP/$2
pin = sha256:$(certtool --fingerprint --hash sha256 --infile "$CA_DIR/root1.pem")
max_size = 8M
[store]
root = $T/$1/root
CONF
}
conf one one.pem
conf big big.pem

# peak_rss_kib CMD...: peak RSS of one run in KiB (GNU time, else python).
peak_rss_kib() {
	if /usr/bin/time -f %M true >/dev/null 2>&1; then
		/usr/bin/time -o "$T/rss" -f %M "$@" >/dev/null 2>&1
		tail -n 1 "$T/rss"
	else
		"$PYTHON" -c 'import resource,subprocess,sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@"
	fi
}
one=("$ANCHORSYNC" -q -c "$T/one/anchorsync.conf" refresh --now)
big=("$ANCHORSYNC" -q -c "$T/big/anchorsync.conf" refresh --now)
"${one[@]}" || { echo "bench: the first one-root refresh failed" >&2; exit 2; }
t=$EPOCHREALTIME
first_rss=$(peak_rss_kib "${big[@]}")
first_ms=$(( (${EPOCHREALTIME/./} - ${t/./}) / 1000 ))
[ -s "$T/big/state/manifest" ] || { echo "bench: the first big refresh failed" >&2; exit 2; }
big_lines=$("$ANCHORSYNC" -c "$T/big/anchorsync.conf" refresh --now 2>&1 | grep -c 'not pinned')

echo "no-change refresh of a 10,000-certificate bundle ($(($(stat -c %s "$WWW/big.pem") / 1024)) KiB, one pinned)"
echo "vs a one-root bundle, $runs rounds interleaved, wall and CPU time (children included)"
read -r one_ms big_ms one_cpu big_cpu < <("$PYTHON" - "$runs" "$T/one/anchorsync.conf" \
	"$T/big/anchorsync.conf" "${one[@]}" <<'PY'
import resource, statistics, subprocess, sys, time
runs, one_conf, big_conf = int(sys.argv[1]), sys.argv[2], sys.argv[3]
one = sys.argv[4:]
big = [big_conf if x == one_conf else x for x in one]
def run(argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = (time.monotonic() - t) * 1000
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
o, b = [], []
for _ in range(runs):
    o.append(run(one))
    b.append(run(big))
med = lambda xs, i: statistics.median(x[i] for x in xs)
print("%.3f %.3f %.3f %.3f" % (med(o, 0), med(b, 0), med(o, 1), med(b, 1)))
PY
)
rss=$(peak_rss_kib "${big[@]}")
n304=$(grep -c '"GET /big.pem HTTP/1.1" 304' "$NGINX_LOG")

"$PYTHON" - "$one_ms" "$big_ms" "$one_cpu" "$big_cpu" "$rss" "$first_rss" "$first_ms" \
	"$big_lines" "$n304" <<'PY'
import sys
one_ms, big_ms, one_cpu, big_cpu = (float(x) for x in sys.argv[1:5])
rss, first_rss, first_ms, lines, n304 = (int(x) for x in sys.argv[5:10])
def mark(ok): return "meets target" if ok else "MISSES target"
print("  one root, no-change           median %8.2f ms   CPU %7.2f ms" % (one_ms, one_cpu))
print("  10,000 certificates, no-change median %7.2f ms   CPU %7.2f ms" % (big_ms, big_cpu))
print("  ratio, wall time              %8.2fx      (target <= 5x: %s)"
      % (big_ms / one_ms, mark(big_ms <= 5 * one_ms)))
print("  ratio, CPU time               %8.2fx      (target <= 5x: %s)"
      % (big_cpu / one_cpu, mark(big_cpu <= 5 * one_cpu)))
print("  peak RSS, no-change           %8.2f MiB   (target <= 32 MiB: %s)"
      % (rss / 1024, mark(rss <= 32 * 1024)))
print("  first run (installs root1)    %8d ms    peak RSS %.2f MiB (target <= 32 MiB: %s)"
      % (first_ms, first_rss / 1024, mark(first_rss <= 32 * 1024)))
print("  lines about unpinned certificates in a run: %d (target 1)" % lines)
print("  (nginx answered %d conditional GETs for the big bundle with 304)" % n304)
PY
