# SPDX-License-Identifier: MIT
# An isolated Debian trust store under a root directory, rebuilt by the real
# update-ca-certificates told each of the tree's directories (the options every
# Debian 12 version of it knows). The host's own store is never touched.
#   store_init ROOT [--full]  a root with a few of the system's CAs (all of
#                     them with --full, as on a real host) and an os-release
#   store_update ROOT [ARG]...  update-ca-certificates ARG... for that root
#   store_bundle ROOT the bundle path other programs read
#   store_snapshot ROOT  a listing with checksums of every store file

store_init() {
	local root=$1 count=3
	[ "${2:-}" = --full ] && count=100000
	mkdir -p "$root/etc/ssl/certs" "$root/usr/share/ca-certificates" \
		"$root/usr/local/share/ca-certificates" "$root/etc/ca-certificates/update.d"
	# A few of the system's CAs stand for the distribution's list: enough to show
	# they survive every change, few enough to keep each update quick.
	mkdir -p "$root/usr/share/ca-certificates/mozilla"
	# No pipe into head: under pipefail its early exit would fail the caller.
	(cd /usr/share/ca-certificates && set -- mozilla/*.crt && printf '%s\n' "${@:1:$count}") \
		>"$root/etc/ca-certificates.conf"
	while read -r crt; do
		cp "/usr/share/ca-certificates/$crt" "$root/usr/share/ca-certificates/$crt"
	done <"$root/etc/ca-certificates.conf"
	printf 'ID=debian\nVERSION_ID="12"\n' >"$root/etc/os-release"
	store_update "$root" >/dev/null 2>&1
}

store_update() {
	local root=$1; shift
	update-ca-certificates "$@" --certsconf "$root/etc/ca-certificates.conf" \
		--certsdir "$root/usr/share/ca-certificates" \
		--localcertsdir "$root/usr/local/share/ca-certificates" \
		--etccertsdir "$root/etc/ssl/certs" --hooksdir "$root/etc/ca-certificates/update.d"
}

store_bundle() {
	echo "$1/etc/ssl/certs/ca-certificates.crt"
}

store_snapshot() {
	(cd "$1" && find usr/local/share/ca-certificates etc/ssl/certs -printf '%p %y %l\n' |
		sort && find usr/local/share/ca-certificates etc/ssl/certs -type f -print0 |
		sort -z | xargs -0 sha256sum)
}
