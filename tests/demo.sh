#!/bin/bash
# The local demo: an internal CA, a distribution point (nginx), an intranet mail
# server (Postfix) whose certificate that CA issued, and an isolated copy of the
# Debian trust store. TLS clients that trust only that store fail (curl, and
# anchorsync verify over SMTP STARTTLS); anchorsync refresh installs the pinned
# root and proves delivery; the clients then verify. The host's own trust store
# and mail system are never touched. Usage (as root on Debian 12, from the source tree):
#   bash tests/demo.sh
set -euo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=$src/build-demo

# ANCHORSYNC names an already built program; otherwise build (or bring up to
# date) the one in build-demo/.
bash "$src/tests/setup-debian.sh"
if [ -z "${ANCHORSYNC:-}" ]; then
	[ -x "$src/configure" ] || (cd "$src" && ./autogen.sh >/dev/null 2>&1)
	mkdir -p "$build"
	[ -f "$build/Makefile" ] || (cd "$build" && "$src/configure" >/dev/null)
	make -C "$build" -j"$(nproc)" anchorsync >/dev/null
fi
anchorsync=${ANCHORSYNC:-$build/anchorsync}

. "$src/tests/lib/tap.sh"
. "$src/tests/lib/ca.sh"
. "$src/tests/lib/nginx.sh"
. "$src/tests/lib/store.sh"
. "$src/tests/lib/postfix.sh"

demo=$(mktemp -d /tmp/anchorsync-demo.XXXXXX)
chmod 755 "$demo"	# Postfix runs as the postfix user
# Stops the servers and removes the demo; the demo's own outcome is the exit status.
cleanup() {
	local rc=$?
	set +e
	postfix_stop "$demo/postfix"
	[ -n "${NGINX_DIR:-}" ] && nginx_stop
	rm -rf "$demo"
	exit "$rc"
}
trap cleanup EXIT
CA_DIR=$demo
step() { printf '\n== %s\n' "$*"; }

step "An internal CA and a server certificate for mail.corp.internal"
ca_root "Corp Internal Root"
ca_cert mail "Corp Internal Root" mail.corp.internal --san mail.corp.internal
pin=$(ca_pin "$demo/Corp Internal Root.pem")
echo "root pin: $pin"

step "A distribution point (nginx) publishing the root, its TLS port serving mail.corp.internal's certificate"
mkdir -p "$demo/www"
cp "$demo/Corp Internal Root.pem" "$demo/www/roots.pem"
nginx_start "$demo/www" "$demo/mail.pem" "$demo/mail.key"
echo "http://127.0.0.1:$NGINX_HTTP/roots.pem, TLS server on port $NGINX_HTTPS"

step "Postfix as mail.corp.internal, STARTTLS with the CA's certificate"
smtp_port=$(free_port)
postfix_init "$demo/postfix" mail.corp.internal
postfix_smtpd "$demo/postfix" "$smtp_port" -o "smtpd_tls_chain_files=$demo/mail.key,$demo/mail.pem"
postfix_start "$demo/postfix"
echo "smtp://mail.corp.internal:$smtp_port (127.0.0.1)"

step "An isolated copy of the trust store under $demo/root"
store_init "$demo/root"
bundle=$(store_bundle "$demo/root")
cat >"$demo/anchorsync.conf" <<CONF
[agent]
state_dir = $demo/state
splay = 0
[source]
url = http://127.0.0.1:$NGINX_HTTP/roots.pem
pin = $pin
[store]
root = $demo/root
[delivery]
target = smtp://mail.corp.internal:$smtp_port
resolve = mail.corp.internal:$smtp_port:127.0.0.1
CONF
cat "$demo/anchorsync.conf"

client() {
	curl -sS -o /dev/null --cacert "$bundle" --capath /nonexistent \
		--resolve "mail.corp.internal:$NGINX_HTTPS:127.0.0.1" \
		"https://mail.corp.internal:$NGINX_HTTPS/roots.pem"
}

step "Before: a TLS client that trusts the store cannot verify mail.corp.internal"
if client; then echo "unexpected: verified before the root was installed"; exit 1; fi
if "$anchorsync" -c "$demo/anchorsync.conf" verify; then
	echo "unexpected: delivery verified before the root was installed"; exit 1
fi

step "anchorsync refresh"
"$anchorsync" -c "$demo/anchorsync.conf" -v refresh --now
"$anchorsync" -c "$demo/anchorsync.conf" status

step "After: the same clients verify"
client && echo "curl verified mail.corp.internal with the refreshed store"
"$anchorsync" -c "$demo/anchorsync.conf" verify

step "A second refresh changes nothing (304 from the distribution point)"
"$anchorsync" -c "$demo/anchorsync.conf" -v refresh --now
echo
echo "demo passed"
