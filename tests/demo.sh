#!/bin/bash
# SPDX-License-Identifier: MIT
# The local demo: an internal CA, a distribution point (nginx), an intranet mail
# server (Postfix) whose certificate that CA issued, and an isolated copy of the
# Debian trust store. TLS clients that trust only that store fail (curl, and
# anchorsync verify over SMTP STARTTLS); anchorsync refresh installs the pinned
# root and proves delivery; the clients then verify. Then the node's own
# Postfix, set up as Debian ships it (its smtp client chrooted, reading the copy
# of /etc/ssl/certs made at start), keeps deferring although the store trusts
# the root, until [app postfix] keeps that copy current. The host's own trust
# store and mail system are never touched. Usage (as root on Debian 12, from the source tree):
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
	postfix_sender_stop "$demo/tx"
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
# What fetches and talks SMTP runs as this user, never as root; the packages
# create "anchorsync", the demo borrows nobody.
user = ${ANCHORSYNC_TEST_USER:-nobody}
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

step "The node's own Postfix, as Debian ships it: smtp chrooted, smtp_tls_CApath = /etc/ssl/certs"
postfix_sender_init "$demo/tx" client.corp.internal corp.internal "127.0.0.1:$smtp_port" \
	mail.corp.internal "$demo/root" || { echo "demo failed: postfix_sender_init" >&2; exit 1; }
postfix_sender_start "$demo/tx" || { echo "demo failed: the sending Postfix did not start" >&2; exit 1; }
echo "its chroot copy of /etc/ssl/certs: $POSTFIX_SENDER_CAPATH (made by configure-instance.sh at start)"
from=admin@client.corp.internal to=postmaster@corp.internal
msg=$(postfix_sender_send "$demo/tx" "$from" "$to")
# (the helpers are not written for set -e: call them where a failure is handled)
postfix_sender_wait "$demo/tx" "$msg" deferred 60 ||
	{ echo "demo failed: the message was not deferred" >&2; exit 1; }
echo "$POSTFIX_SENDER_LINE"

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
if ! client; then echo "demo failed: curl still cannot verify mail.corp.internal" >&2; exit 1; fi
echo "curl verified mail.corp.internal with the refreshed store"
"$anchorsync" -c "$demo/anchorsync.conf" verify

step "A second refresh changes nothing (304 from the distribution point)"
before=$(ls -li --time-style=full-iso "$bundle")
"$anchorsync" -c "$demo/anchorsync.conf" -v refresh --now 2>&1 | tee "$demo/second-refresh.log"
grep -q "not modified" "$demo/second-refresh.log" ||
	{ echo "demo failed: the second refresh did not get a 304" >&2; exit 1; }
[ "$(ls -li --time-style=full-iso "$bundle")" = "$before" ] ||
	{ echo "demo failed: the second refresh rewrote $bundle" >&2; exit 1; }

step "The store trusts the root, yet the node's chrooted Postfix still defers (untrusted issuer)"
mark=$(postfix_sender_mark "$demo/tx")
postfix_sender_flush "$demo/tx"
sleep 2
postfix_sender_log_since "$demo/tx" "$mark" | grep -E "untrusted issuer|status=deferred" | tail -n 2
if postfix_sender_log_since "$demo/tx" "$mark" | grep -q "status=sent"; then
	echo "unexpected: the chrooted Postfix sent before its copy had the root"; exit 1
fi

step "[app postfix] in the configuration; a refresh keeps Postfix's chroot copy current"
printf '[app postfix]\ntype = postfix\nconfig_directory = %s\n' "$demo/tx/etc" >>"$demo/anchorsync.conf"
cat "$demo/anchorsync.conf"
"$anchorsync" -c "$demo/anchorsync.conf" -v refresh --now
ls -l "$POSTFIX_SENDER_CAPATH" | grep anchorsync
"$anchorsync" -c "$demo/anchorsync.conf" status | grep '^app '

step "A queue flush: the deferred message goes out over a verified connection, no restart"
mark=$(postfix_sender_mark "$demo/tx")
postfix_sender_flush "$demo/tx"
postfix_sender_wait "$demo/tx" "$msg" sent 60 ||
	{ echo "demo failed: the chrooted Postfix did not send after [app postfix]" >&2; exit 1; }
postfix_sender_log_since "$demo/tx" "$mark" | grep "Verified TLS connection established" ||
	{ echo "demo failed: no verified connection" >&2; exit 1; }
echo "$POSTFIX_SENDER_LINE"
"$anchorsync" -c "$demo/anchorsync.conf" verify --app postfix

# Part two: the rotation runbook (README, "Signed bundles"). The PKI team moves
# to root2 by publishing signed bundles at the same URL; the node's configuration,
# which pins only root1, never changes. {root1, root2} signed under root1 installs
# root2; mail.corp.internal's certificate is reissued under root2; {root2} signed
# under root2 retires root1; the clients of part one verify with root2 alone.
# Each effect is checked in the store's bundle and in status, not by exit codes.
conf=$demo/anchorsync.conf
root1="$demo/Corp Internal Root.pem"
root2="$demo/Corp Internal Root 2.pem"
fail() { printf 'demo failed: %s\n' "$*" >&2; exit 1; }
# in_store CERT: the bundle TLS clients read holds CERT (its base64, unwrapped).
in_store() {
	local b64 all
	b64=$(grep -v -- ----- "$1" | tr -d '\n')
	[ -n "$b64" ] || return 1
	all=$(tr -d '\n' <"$bundle")
	[[ $all == *"$b64"* ]]
}
# served_issuer PORT [starttls]: the issuer of the certificate served on PORT.
served_issuer() {
	openssl s_client -connect "127.0.0.1:$1" -servername mail.corp.internal \
		${2:+-starttls smtp} </dev/null 2>/dev/null | openssl x509 -noout -issuer
}
# wait_issuer PORT [starttls]: until the server on PORT presents root2's certificate.
wait_issuer() {
	for _ in $(seq 50); do
		[[ $(served_issuer "$@") == *"CN = Corp Internal Root 2"* ]] && return 0
		sleep 0.1
	done
	return 1
}
conf_sum=$(sha256sum "$conf")

step "Rotation 1: root2, and a bundle signer (codeSigning) under each root"
{ ca_root "Corp Internal Root 2" &&
	ca_signer signer1 "Corp Internal Root" "Corp Bundle Signer 1" &&
	ca_signer signer2 "Corp Internal Root 2" "Corp Bundle Signer 2"; } ||
	fail "certtool could not make root2 and the bundle signers"
echo "root2 pin: $(ca_pin "$root2") (not in the node's configuration)"

step "Rotation 2: publish {root1, root2} signed under root1; refresh installs root2"
cat "$root1" "$root2" >"$demo/roots12.pem"
"$anchorsync" sign --key "$demo/signer1.key" --cert "$demo/signer1.pem" \
	--serial 1 --expires 90 -o "$demo/www/roots.pem" "$demo/roots12.pem" ||
	fail "anchorsync sign could not sign {root1, root2}"
"$anchorsync" -c "$conf" -v refresh --now || fail "refresh failed on {root1, root2} signed under root1"
in_store "$root2" || fail "root2 is not in $bundle although its signed bundle was accepted"
in_store "$root1" || fail "root1 left $bundle while the signed bundle still lists it"
status=$("$anchorsync" -c "$conf" status) || fail "status failed"
echo "$status"
[[ $status == *"signed bundle: serial 1,"* ]] || fail "status does not show signed bundle serial 1"
echo "configuration before: $conf_sum"
echo "configuration after:  $(sha256sum "$conf")"
[ "$(sha256sum "$conf")" = "$conf_sum" ] || fail "the configuration changed"

step "Rotation 3: move issuance to root2: mail.corp.internal's certificate reissued, Postfix and nginx reloaded"
ca_cert mail "Corp Internal Root 2" mail.corp.internal --san mail.corp.internal ||
	fail "certtool could not reissue mail.corp.internal's certificate"
postfix_reload "$demo/postfix" || fail "cannot reload Postfix"
kill -HUP "$(cat "$NGINX_DIR/nginx.pid")" || fail "cannot reload nginx"
wait_issuer "$smtp_port" starttls || fail "Postfix does not present the certificate issued by root2"
wait_issuer "$NGINX_HTTPS" || fail "nginx does not present the certificate issued by root2"
echo "smtp://mail.corp.internal:$smtp_port and port $NGINX_HTTPS: $(served_issuer "$smtp_port" starttls)"

step "Rotation 4: publish {root2} signed under root2; refresh retires root1"
"$anchorsync" sign --key "$demo/signer2.key" --cert "$demo/signer2.pem" \
	--serial 2 --expires 90 -o "$demo/www/roots.pem" "$root2" ||
	fail "anchorsync sign could not sign {root2}"
"$anchorsync" -c "$conf" -v refresh --now || fail "refresh failed on {root2} signed under root2"
in_store "$root1" && fail "root1 is still in $bundle after the bundle signed under root2 retired it"
in_store "$root2" || fail "root2 is not in $bundle"
status=$("$anchorsync" -c "$conf" status) || fail "status failed"
echo "$status"
[[ $status == *"signed bundle: serial 2,"* ]] || fail "status does not show signed bundle serial 2"
[[ $status == *"signer: CN=Corp Bundle Signer 2,"* ]] || fail "status does not show root2's signer"
[[ $status == *"CN=Corp Internal Root,"* ]] && fail "status still lists root1"
[ "$(sha256sum "$conf")" = "$conf_sum" ] || fail "the configuration changed"
echo "configuration unchanged: $conf_sum"

step "After the rotation: the same clients verify with root2 alone"
client || fail "curl does not verify mail.corp.internal with the rotated store"
echo "curl verified mail.corp.internal with the rotated store"
"$anchorsync" -c "$conf" verify || fail "delivery to mail.corp.internal does not verify with root2"
echo
echo "demo passed"
