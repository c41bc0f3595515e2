# SPDX-License-Identifier: MIT
# The world an integration test file shares: one test CA, one nginx serving
# $WWW over HTTP and HTTPS on loopback, and helpers for isolated trust stores,
# configurations and refresh runs. Every temp file lives under $T, removed
# with the servers on exit. Source it first thing in a *.test script.
#
#   new_store NAME [--user]  a fresh root: sets ROOT, STATE, CONF, HOOKLOG;
#                            --user adds an administrator's own .crt ($USER_CRT)
#   write_conf               [agent]/[store] for the current store, then
#                            [source] timeout=20 and the lines read from stdin
#   publish FILE CERT...     serves the certificates as $WWW/FILE
#   url FILE / surl FILE     its http:// / https:// address
#   refresh CODE [ARG]...    anchorsync -c $CONF refresh --now ARG..., wants CODE
#   anchor_file CERT         where anchorsync must install CERT
#   installed CERT           CERT is installed, one PEM of the right certificate
#   trusts CERT              the store's bundle verifies CERT (openssl verify)
#   hook_runs                how many times update-ca-certificates ran its hooks
#   same_store SNAPSHOT      the store matches an earlier store_snapshot
#   stall_start / stall_stop a server that accepts and never answers: STALL_PORT
#   $USER_CONF               a configuration naming only [agent] user ($TEST_USER)

top_srcdir=${top_srcdir:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/lib/ca.sh"
. "$top_srcdir/tests/lib/nginx.sh"
. "$top_srcdir/tests/lib/store.sh"

[ -n "$ANCHORSYNC" ] && [ -x "$ANCHORSYNC" ] ||
	skip_all "no anchorsync program (set ANCHORSYNC; make check does)"
for tool in certtool nginx update-ca-certificates openssl run-parts; do
	command -v "$tool" >/dev/null 2>&1 || PATH=$PATH:/usr/sbin:/sbin
	command -v "$tool" >/dev/null 2>&1 || skip_all "$tool is not installed"
done
[ -d /usr/share/ca-certificates/mozilla ] || skip_all "the ca-certificates package is not installed"

T=$(mktemp -d "${TMPDIR:-/tmp}/anchorsync-test.XXXXXX") || exit 99
# The unprivileged side of a run as root ([agent] user, $TEST_USER) reads the
# stores' bundles and file:// sources under $T.
chmod 755 "$T"
. "$top_srcdir/tests/lib/user.sh"
USER_CONF=$T/user.conf
user_conf "$USER_CONF"
STALL_PID=
world_cleanup() {
	stall_stop
	nginx_stop
	rm -rf "$T"
}
trap world_cleanup EXIT
trap 'exit 130' HUP INT TERM

CA_DIR=$T/ca
WWW=$T/www
mkdir -p "$CA_DIR" "$WWW"

# The roots every file uses, and the CA behind nginx's HTTPS certificate
# (deliberately not in the system store: only ca_file can make it trusted).
ca_root root1 && ca_root root2 && ca_root tlsroot &&
	ca_cert server tlsroot localhost --san localhost --ip 127.0.0.1 ||
	{ echo "Bail out! certtool could not make the test CA"; exit 99; }

# Redirects: within the server, and to schemes a fetch must not follow.
NGINX_EXTRA='
		location = /moved.pem { return 302 /bundle.pem; }
		location = /to-file.pem { return 302 file:///etc/passwd; }
		location = /to-ftp.pem { return 302 ftp://127.0.0.1/bundle.pem; }
		location = /to-http.pem { return 302 http://127.0.0.1:$arg_port/bundle.pem; }'
nginx_start "$WWW" "$CA_DIR/server.pem" "$CA_DIR/server.key" ||
	{ echo "Bail out! nginx did not start"; exit 99; }

url() { echo "http://127.0.0.1:$NGINX_HTTP/$1"; }
surl() { echo "https://127.0.0.1:$NGINX_HTTPS/$1"; }

# publish FILE CERT...: replaces $WWW/FILE atomically with the certificates.
# nginx's ETag is the file's mtime (in seconds) and size: two bundles of the
# same size published within one second would look alike and earn a 304. Each
# publication gets its own mtime, as files published minutes apart would.
PUBLISH_CLOCK=$(date +%s)
publish() {
	local file=$1; shift
	mkdir -p "$(dirname "$WWW/$file")"
	PUBLISH_CLOCK=$((PUBLISH_CLOCK + 1))
	cat "$@" >"$WWW/$file.tmp" && touch -d "@$PUBLISH_CLOCK" "$WWW/$file.tmp" &&
		mv "$WWW/$file.tmp" "$WWW/$file"
}

hex() { certtool --fingerprint --hash sha256 --infile "$1" | tr 'A-F' 'a-f'; }
pin() { echo "sha256:$(hex "$1")"; }

new_store() {
	local name=$1 user=$2
	ROOT=$T/$name/root
	STATE=$T/$name/state
	CONF=$T/$name/anchorsync.conf
	HOOKLOG=$T/$name/hook.log
	mkdir -p "$ROOT"
	store_init "$ROOT" || { echo "Bail out! store_init $ROOT failed"; exit 99; }
	if [ "$user" = --user ]; then
		[ -f "$CA_DIR/userca.pem" ] || ca_root userca
		USER_CRT=$ROOT/usr/local/share/ca-certificates/corp-admin.crt
		cp "$CA_DIR/userca.pem" "$USER_CRT"
		store_update "$ROOT" >/dev/null 2>&1
	fi
	# update-ca-certificates for ROOT runs ROOT's hooks: one that logs
	# shows whether (and how often) the update command ran.
	cat >"$ROOT/etc/ca-certificates/update.d/log-runs" <<HOOK
#!/bin/sh
echo run >>"$HOOKLOG"
cat >>"$HOOKLOG"
HOOK
	chmod +x "$ROOT/etc/ca-certificates/update.d/log-runs"
	: >"$HOOKLOG"
}

# (A key that takes one value may be given once: the defaults splay = 0,
# user = $TEST_USER and timeout = 20 are left out when stdin sets them.)
write_conf() {
	local lines
	lines=$(cat)
	{
		printf '[agent]\nstate_dir = %s\n' "$STATE"
		grep -q '^splay *=' <<<"$lines" || printf 'splay = 0\n'
		grep -q '^user *=' <<<"$lines" || printf 'user = %s\n' "$TEST_USER"
		printf '[store]\nroot = %s\n' "$ROOT"
		printf '[source]\n'
		grep -q '^timeout *=' <<<"$lines" || printf 'timeout = 20\n'
		printf '%s\n' "$lines"
	} >"$CONF"
}

# (timeout: a run that hangs fails its check instead of the whole suite.)
refresh() {
	local want=$1; shift
	expect_exit "$want" timeout 120 "$ANCHORSYNC" -c "$CONF" refresh --now "$@"
}

anchor_file() {
	local h
	h=$(hex "$1")
	echo "$ROOT/usr/local/share/ca-certificates/anchorsync-${h:0:16}.crt"
}

installed() {
	local f n
	f=$(anchor_file "$1")
	[ -f "$f" ] || { diag "missing: $f"; return 1; }
	n=$(grep -c -- '-----BEGIN CERTIFICATE-----' "$f")
	[ "$n" -eq 1 ] || { diag "$f holds $n certificates"; return 1; }
	is "$(hex "$f")" "$(hex "$1")"
}

not_installed() {
	local f
	f=$(anchor_file "$1")
	[ ! -e "$f" ] || { diag "still there: $f"; return 1; }
}

trusts() {
	openssl verify -CAfile "$(store_bundle "$ROOT")" "$1" >/dev/null 2>&1
}

distrusts() {
	! trusts "$1"
}

hook_runs() {
	grep -c '^run$' "$HOOKLOG"
}

# same_store SNAPSHOT: the current store_snapshot equals SNAPSHOT.
same_store() {
	local now
	now=$(store_snapshot "$ROOT")
	[ "$now" = "$1" ] && return 0
	diag "the store changed:" "$(diff <(echo "$1") <(echo "$now"))"
	return 1
}

# bundle_stamp: inode and mtime (ns) of the bundle; changes on any rewrite.
bundle_stamp() {
	stat -c '%i %y' "$(store_bundle "$ROOT")"
}

# The anchorsync files in the anchors directory, one name a line.
anchorsync_files() {
	(cd "$ROOT/usr/local/share/ca-certificates" && ls anchorsync-* 2>/dev/null)
}

stall_start() {
	local i
	STALL_LOG=$T/stall.log
	: >"$STALL_LOG"
	rm -f "$T/stall.port"
	"$PYTHON" "$top_srcdir/tests/lib/stall-server.py" "$T/stall.port" "$STALL_LOG" &
	STALL_PID=$!
	for i in $(seq 100); do
		[ -s "$T/stall.port" ] && break
		sleep 0.05
	done
	STALL_PORT=$(cat "$T/stall.port" 2>/dev/null)
	[ -n "$STALL_PORT" ] || { echo "Bail out! the stalling server did not start"; exit 99; }
}

stall_stop() {
	[ -n "$STALL_PID" ] || return 0
	kill "$STALL_PID" 2>/dev/null
	wait "$STALL_PID" 2>/dev/null
	STALL_PID=
}

# stall_wait_accept N: waits (up to 10 s) until the stalling server has
# accepted N connections in all.
stall_wait_accept() {
	local i
	for i in $(seq 200); do
		[ "$(grep -c . "$STALL_LOG")" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

# now_ms: a clock in milliseconds for elapsed-time checks.
now_ms() {
	echo $(($(date +%s%N) / 1000000))
}

# The store's bundle, certificate by certificate (tests/lib/pemtool.py):
#   bundle_count CERT   how many times the bundle holds CERT (DER compared)
#   bundle_dups         how many certificates it holds more than once
#   bundle_drop CERT    rewrites the bundle without CERT, behind anchorsync's back
bundle_count() {
	"$PYTHON" "$top_srcdir/tests/lib/pemtool.py" count "$(store_bundle "$ROOT")" "$1"
}
bundle_dups() {
	"$PYTHON" "$top_srcdir/tests/lib/pemtool.py" dups "$(store_bundle "$ROOT")"
}
bundle_drop() {
	"$PYTHON" "$top_srcdir/tests/lib/pemtool.py" drop "$(store_bundle "$ROOT")" "$1"
}

# fake_update DIR: an update-ca-certificates in DIR that, like the release's
# given an option it does not know (--sysroot), prints its usage and exits 0
# without touching anything. Put DIR first in PATH.
fake_update() {
	mkdir -p "$1"
	cat >"$1/update-ca-certificates" <<'FAKE'
#!/bin/sh
echo "$0: [--verbose] [--fresh]"
exit 0
FAKE
	chmod +x "$1/update-ca-certificates"
}
