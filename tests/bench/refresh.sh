#!/bin/bash
# SPDX-License-Identifier: MIT
# The cron case: anchorsync's no-change refresh (a conditional GET answered
# 304, nothing written, no update command) next to the naive job it replaces
# (curl -o the bundle, copy it into the anchors directory, run
# update-ca-certificates), both on loopback against one nginx and each into
# its own isolated store holding the distribution's full CA list, as on a
# real host (update-ca-certificates' cost grows with it); anchorsync's configuration
# names a [delivery] target whose daily check is not due. Prints both medians, their ratio and anchorsync's
# peak RSS against the targets. Next to it, the same no-change refresh with three
# [app] sections (a Debian-style Postfix, when postconf is installed, and two
# exported files; else three exports), against the target of at most 1.1x, and
# the same no-change refresh of a CMS-signed bundle (one signer under the pinned
# root), against the same target as the plain one: at most 1.2x a bare curl of its
# URL (the signature decision is remembered for the same bytes and policy). Run through tests/bench.sh, which finds the
# program ($ANCHORSYNC). BENCH_RUNS sets the rounds (default 150: on a shared
# 2-core machine 50 rounds left a ratio to the bare curl spread over +-0.05
# from one run of the bench to the next, 150 over about +-0.03); the naive
# job, seconds long with a full store, runs in the first BENCH_NAIVE_RUNS of
# them (default 10).
set -u
top_srcdir=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/ca.sh"
. "$top_srcdir/tests/lib/nginx.sh"
. "$top_srcdir/tests/lib/store.sh"
. "$top_srcdir/tests/lib/user.sh"
# Run alone (not through bench.sh): the program in the current directory.
ANCHORSYNC=${ANCHORSYNC:-$PWD/anchorsync}
[ -x "$ANCHORSYNC" ] || { echo "bench: no program at $ANCHORSYNC" >&2; exit 2; }
runs=${BENCH_RUNS:-150}
naive_runs=${BENCH_NAIVE_RUNS:-10}
[ "$naive_runs" -le "$runs" ] || naive_runs=$runs
PATH=$PATH:/usr/sbin:/sbin

for tool in nginx certtool update-ca-certificates curl; do
	command -v "$tool" >/dev/null || { echo "bench: $tool is not installed" >&2; exit 2; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/anchorsync-bench.XXXXXX") || exit 2
trap 'nginx_stop; rm -rf "$T"' EXIT
trap 'exit 130' HUP INT TERM

CA_DIR=$T/ca WWW=$T/www
mkdir -p "$CA_DIR" "$WWW"
ca_root root1 && ca_root tlsroot && ca_cert server tlsroot localhost --ip 127.0.0.1 &&
	ca_signer signer1 root1 "Bundle Signer" || exit 2
cp "$CA_DIR/root1.pem" "$WWW/bundle.pem"
"$ANCHORSYNC" sign --key "$CA_DIR/signer1.key" --cert "$CA_DIR/signer1.pem" --serial 1 \
	--expires 90 -o "$WWW/bundle.cms" "$CA_DIR/root1.pem" || exit 2
nginx_start "$WWW" "$CA_DIR/server.pem" "$CA_DIR/server.key" || exit 2
url=http://127.0.0.1:$NGINX_HTTP/bundle.pem
signed_url=http://127.0.0.1:$NGINX_HTTP/bundle.cms

# anchorsync's store, root1 installed by a first run.
A=$T/anchorsync
mkdir -p "$A/root"
store_init "$A/root" --full
cat >"$A/anchorsync.conf" <<CONF
[agent]
state_dir = $A/state
splay = 0
user = $TEST_USER
[source]
url = $url
pin = sha256:$(certtool --fingerprint --hash sha256 --infile "$CA_DIR/root1.pem")
[store]
root = $A/root
CONF
if ! "$ANCHORSYNC" -q -c "$A/anchorsync.conf" refresh --now; then
	echo "bench: the first anchorsync refresh failed" >&2
	exit 2
fi
before=$(store_snapshot "$A/root")

# The same with three applications, in a store of its own.
P=$T/apps
mkdir -p "$P/root" "$P/export"
store_init "$P/root" --full
sed -e "s|$A/|$P/|g" "$A/anchorsync.conf" >"$P/anchorsync.conf"
app_kinds="3 exported files"
if command -v postconf >/dev/null && [ -f /usr/share/postfix/master.cf.dist ]; then
	# A Postfix configuration as Debian ships it (not running: postconf reads
	# its files), its chroot copy of /etc/ssl/certs as configure-instance.sh makes it.
	mkdir -p "$P/postfix" "$P/queue/etc/ssl"
	cp -rL "$P/root/etc/ssl/certs" "$P/queue/etc/ssl/certs" 2>/dev/null
	cp /usr/share/postfix/master.cf.dist "$P/postfix/master.cf"
	printf 'queue_directory = %s\nsmtp_tls_CApath = /etc/ssl/certs\ncompatibility_level = 3.6\n' \
		"$P/queue" >"$P/postfix/main.cf"
	printf '[app postfix]\ntype = postfix\nconfig_directory = %s\n' "$P/postfix" \
		>>"$P/anchorsync.conf"
	app_kinds="Postfix + 2 exported files"
else
	printf '[app third]\ntype = file\npath = %s\n' "$P/export/third.pem" >>"$P/anchorsync.conf"
fi
printf '[app container]\ntype = file\npath = %s\n[app tafile]\ntype = file\ncontent = anchors\npath = %s\n' \
	"$P/export/ca-certificates.crt" "$P/export/ta.pem" >>"$P/anchorsync.conf"
if ! "$ANCHORSYNC" -q -c "$P/anchorsync.conf" refresh --now; then
	echo "bench: the first refresh with applications failed" >&2
	exit 2
fi
apps_before=$(cat "$P/state/apps-check"; ls -l --time-style=+%s.%N "$P/export")

# The same, from the signed bundle, in a store of its own.
S=$T/signed
mkdir -p "$S/root"
store_init "$S/root" --full
sed -e "s|$A/|$S/|g" -e "s|/bundle.pem|/bundle.cms|" "$A/anchorsync.conf" >"$S/anchorsync.conf"
if ! "$ANCHORSYNC" -q -c "$S/anchorsync.conf" refresh --now; then
	echo "bench: the first refresh of the signed bundle failed" >&2
	exit 2
fi
signed_before=$(store_snapshot "$S/root")

# A [delivery] target checked once a day, its last check a moment ago (as a
# node's record holds it between two daily checks): a no-change run reads the
# time of that check from the record it loads anyway, and checks nothing.
printf '[delivery]\ntarget = smtp://127.0.0.1:9\ninterval = 1d\n' >>"$A/anchorsync.conf"
printf 'delivery-checked %s\ndelivery ok\t\tsmtp://127.0.0.1:9\tverified\t\t\t\tverified\n' \
	"$(date +%s)" >>"$A/state/last-run"
delivery_before=$(grep '^delivery' "$A/state/last-run")

# The naive job's store and script.
N=$T/naive
mkdir -p "$N/root"
store_init "$N/root" --full
cat >"$N/job.sh" <<JOB
curl -fsS -o "$N/bundle.pem" "$url" &&
cp "$N/bundle.pem" "$N/root/usr/local/share/ca-certificates/corp-roots.crt" &&
update-ca-certificates --certsconf "$N/root/etc/ca-certificates.conf" \\
	--certsdir "$N/root/usr/share/ca-certificates" \\
	--localcertsdir "$N/root/usr/local/share/ca-certificates" \\
	--etccertsdir "$N/root/etc/ssl/certs" --hooksdir "$N/root/etc/ca-certificates/update.d" >/dev/null
JOB
bash "$N/job.sh" 2>/dev/null || { echo "bench: the naive job failed" >&2; exit 2; }

anchorsync_cmd=("$ANCHORSYNC" -q -c "$A/anchorsync.conf" refresh --now)
apps_cmd=("$ANCHORSYNC" -q -c "$P/anchorsync.conf" refresh --now)
signed_cmd=("$ANCHORSYNC" -q -c "$S/anchorsync.conf" refresh --now)
naive_cmd=(bash "$N/job.sh")

# Wall times in ms, one line per round: anchorsync, naive ("-" once its runs
# are done), /bin/true, anchorsync --version, a bare `curl -o /dev/null`
# of the same URL (a whole 200 answer), anchorsync with three applications
# and anchorsync on the signed bundle, interleaved so a load that drifts while
# the benchmark runs (other builds on the host) weighs on all six alike. Timed with bash's
# $EPOCHREALTIME: no clock process in the interval.
ms_since() {
	local now=$EPOCHREALTIME
	echo $(( (${now/./} - ${1/./}) / 1000 )).$(( (${now/./} - ${1/./}) % 1000 / 100 ))
}
round() {
	local t a n=- r v c p s k
	t=$EPOCHREALTIME; "${anchorsync_cmd[@]}" >/dev/null 2>&1 || return 1; a=$(ms_since "$t")
	if [ "$1" = naive ]; then
		t=$EPOCHREALTIME; "${naive_cmd[@]}" >/dev/null 2>&1 || return 2; n=$(ms_since "$t")
	fi
	t=$EPOCHREALTIME; /bin/true; r=$(ms_since "$t")
	t=$EPOCHREALTIME; "$ANCHORSYNC" --version >/dev/null; v=$(ms_since "$t")
	t=$EPOCHREALTIME; curl -fsS -o /dev/null "$url" || return 3; c=$(ms_since "$t")
	t=$EPOCHREALTIME; "${apps_cmd[@]}" >/dev/null 2>&1 || return 4; p=$(ms_since "$t")
	t=$EPOCHREALTIME; "${signed_cmd[@]}" >/dev/null 2>&1 || return 5; s=$(ms_since "$t")
	t=$EPOCHREALTIME; curl -fsS -o /dev/null "$signed_url" || return 6; k=$(ms_since "$t")
	echo "$a $n $r $v $c $p $s $k"
}

echo "no-change refresh ($runs runs) vs the naive job ($naive_runs runs), interleaved, after"
echo "one warm-up round; loopback nginx; stores with all $(wc -l <"$A/root/etc/ca-certificates.conf") distribution CAs"
round naive >/dev/null || { echo "bench: the warm-up round failed" >&2; exit 2; }
: >"$T/rounds"
for i in $(seq "$runs"); do
	what=naive
	[ "$i" -le "$naive_runs" ] || what=
	round "$what" >>"$T/rounds" || { echo "bench: round $i failed" >&2; exit 2; }
done
read -r a_ms n_ms true_ms version_ms curl_ms apps_ms signed_ms signed_curl_ms < <("$PYTHON" -c '
import statistics, sys
cols = list(zip(*(l.split() for l in open(sys.argv[1]))))
print(" ".join("%.3f" % statistics.median(float(x) for x in c if x != "-") for c in cols))' "$T/rounds")

# peak_rss_kib CMD...: the highest peak RSS of 5 runs, in KiB (GNU time, or
# the rusage of a child in python).
peak_rss_kib() {
	local i r max=0
	for i in 1 2 3 4 5; do
		if /usr/bin/time -f %M true >/dev/null 2>&1; then
			/usr/bin/time -o "$T/rss" -f %M "$@" >/dev/null 2>&1
			r=$(tail -n 1 "$T/rss")
		else
			r=$("$PYTHON" -c 'import resource,subprocess,sys
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)' "$@")
		fi
		[ "$r" -gt "$max" ] && max=$r
	done
	echo "$max"
}
rss_kib=$(peak_rss_kib "${anchorsync_cmd[@]}")
version_rss_kib=$(peak_rss_kib "$ANCHORSYNC" --version)

# CPU time (user + system, the process and every child it waited for: the
# unprivileged fetch included) of a no-change refresh and of the bare curl,
# interleaved. Wall time on a busy host is mostly waiting for a CPU, and each
# process handoff (refresh forks its fetching child) waits again; CPU time is
# what the run itself costs.
# The same for the refresh with three applications, against the 1.1x target.
read -r a_cpu curl_cpu apps_cpu signed_cpu signed_curl_cpu < <("$PYTHON" - "$runs" "$url" "$A/anchorsync.conf" \
	"$P/anchorsync.conf" "$S/anchorsync.conf" "${anchorsync_cmd[@]}" <<'PY'
import resource, statistics, subprocess, sys
runs, url, conf, apps_conf, signed_conf = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
cmd = sys.argv[6:]
apps_cmd = [apps_conf if x == conf else x for x in cmd]
signed_cmd = [signed_conf if x == conf else x for x in cmd]
def cpu(argv):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000
signed_url = url.replace("/bundle.pem", "/bundle.cms")
a, c, p, s, k = [], [], [], [], []
for _ in range(runs):
    a.append(cpu(cmd))
    c.append(cpu(["curl", "-fsS", "-o", "/dev/null", url]))
    p.append(cpu(apps_cmd))
    s.append(cpu(signed_cmd))
    k.append(cpu(["curl", "-fsS", "-o", "/dev/null", signed_url]))
print("%.3f %.3f %.3f %.3f %.3f" % tuple(statistics.median(x) for x in (a, c, p, s, k)))
PY
)

after=$(store_snapshot "$A/root")
[ "$before" = "$after" ] || echo "WARNING: the no-change runs changed anchorsync's store: the figures do not measure the no-change path"
[ "$delivery_before" = "$(grep '^delivery' "$A/state/last-run")" ] ||
	echo "WARNING: the no-change runs checked delivery: the figures do not measure the path without a check"
n304=$(grep -c '"GET /bundle.pem HTTP/1.1" 304' "$NGINX_LOG")
apps_after=$(cat "$P/state/apps-check"; ls -l --time-style=+%s.%N "$P/export")
[ "$apps_before" = "$apps_after" ] || echo "WARNING: the no-change runs with applications rewrote a view or its check"
[ "$signed_before" = "$(store_snapshot "$S/root")" ] ||
	echo "WARNING: the no-change runs of the signed bundle changed its store"

"$PYTHON" - "$a_ms" "$n_ms" "$rss_kib" "$n304" "$true_ms" "$version_ms" "$version_rss_kib" "$curl_ms" \
	"$apps_ms" "$app_kinds" "$a_cpu" "$curl_cpu" "$apps_cpu" "$signed_ms" "$signed_cpu" \
	"$signed_curl_ms" "$signed_curl_cpu" <<'PY'
import sys
a, n, rss, n304 = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
true_ms, version_ms, version_rss = float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
curl_ms = float(sys.argv[8])
ratio = n / a if a > 0 else float("inf")
def mark(ok): return "meets target" if ok else "MISSES target"
print("  anchorsync no-change refresh  median %8.2f ms   (target < 10 ms: %s)" % (a, mark(a < 10)))
print("  naive curl + cp + update      median %8.2f ms" % n)
print("  ratio naive / anchorsync      %8.1fx      (target >= 100x: %s)" % (ratio, mark(ratio >= 100)))
print("  bare curl of the same URL     median %8.2f ms" % curl_ms)
print("  ratio anchorsync / bare curl  %8.2fx      (target <= 1.2x: %s)"
      % (a / curl_ms if curl_ms > 0 else float("inf"), mark(curl_ms > 0 and a <= 1.2 * curl_ms)))
a_cpu, curl_cpu = float(sys.argv[11]), float(sys.argv[12])
print("  CPU time (user + sys, children included): anchorsync %.2f ms, bare curl %.2f ms"
      % (a_cpu, curl_cpu))
print("  ratio anchorsync / bare curl, CPU time %5.2fx    (target <= 1.2x: %s)"
      % (a_cpu / curl_cpu if curl_cpu > 0 else float("inf"), mark(curl_cpu > 0 and a_cpu <= 1.2 * curl_cpu)))
print("  anchorsync peak RSS           %8.2f MiB   (target < 8 MiB: %s)" % (rss / 1024, mark(rss < 8 * 1024)))
apps_ms = float(sys.argv[9])
apps_ratio = apps_ms / a if a > 0 else float("inf")
print("  with 3 applications (%s)" % sys.argv[10])
print("    no-change refresh           median %8.2f ms   (%.3fx the one without, wall time)"
      % (apps_ms, apps_ratio))
apps_cpu = float(sys.argv[13])
apps_cpu_ratio = apps_cpu / a_cpu if a_cpu > 0 else float("inf")
print("    CPU time                    median %8.2f ms   (%.3fx the one without; target <= 1.1x: %s)"
      % (apps_cpu, apps_cpu_ratio, mark(apps_cpu_ratio <= 1.1)))
signed_ms, signed_cpu = float(sys.argv[14]), float(sys.argv[15])
scurl_ms, scurl_cpu = float(sys.argv[16]), float(sys.argv[17])
print("  from a CMS-signed bundle (against a bare curl of its own URL)")
print("    bare curl of bundle.cms     median %8.2f ms   CPU %.2f ms" % (scurl_ms, scurl_cpu))
print("    no-change refresh           median %8.2f ms   (%.2fx the bare curl, wall time; target <= 1.2x: %s)"
      % (signed_ms, signed_ms / scurl_ms if scurl_ms > 0 else float("inf"),
         mark(scurl_ms > 0 and signed_ms <= 1.2 * scurl_ms)))
print("    CPU time                    median %8.2f ms   (%.2fx the bare curl; target <= 1.2x: %s)"
      % (signed_cpu, signed_cpu / scurl_cpu if scurl_cpu > 0 else float("inf"),
         mark(scurl_cpu > 0 and signed_cpu <= 1.2 * scurl_cpu)))
print("  (nginx answered %d conditional GETs with 304)" % n304)
print("reference points on this host:")
print("  /bin/true                     median %8.2f ms" % true_ms)
print("  anchorsync --version          median %8.2f ms   peak RSS %.2f MiB (loading its libraries)"
      % (version_ms, version_rss / 1024))
print("  refresh beyond --version      median %8.2f ms   peak RSS %.2f MiB"
      % (a - version_ms, (rss - version_rss) / 1024))
PY
