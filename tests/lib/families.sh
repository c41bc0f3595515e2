# SPDX-License-Identifier: MIT
# Trust-store trees laid out like Red Hat's, Arch's and SUSE's, whose bundles
# are written by the real extractor those families use: p11-kit's
# `trust extract`. The tree is a copy of a Debian root that holds p11-kit
# (tests/lib/debcache.sh, debcache_root bookworm p11kit), so the extractor runs
# inside it under chroot as anchorsync runs a tree's own update command. What
# the tree gets:
#   - the family's /etc/os-release (anchorsync picks the backend from it);
#   - p11-kit's trust module told the family's source paths, through the
#     tree's own /etc/pkcs11/modules/p11-kit-trust.module (`x-init-reserved:
#     paths=...`, overriding the packaged module config by name);
#   - a few of the system's CAs as the distribution's list;
#   - the family's update command, written for these tests from the layout
#     the family documents (update-ca-trust(8) on Red Hat, Arch's
#     update-ca-trust, SUSE's update-ca-certificates and its update.d hooks):
#     each output is one `trust extract` with the format, filter and purpose
#     the family's wrapper uses. Each run is logged (family_runs).
# Links that clients follow are relative, so they resolve both inside the
# tree and from the host.
#
#   family_tree FAMILY ROOT   lays out ROOT for redhat, arch or suse and runs
#                             its update command once; sets FAMILY_ANCHORS,
#                             FAMILY_SUFFIX, FAMILY_BUNDLE (what anchorsync
#                             checks), FAMILY_CLIENT (what clients open),
#                             FAMILY_HASHDIR (the hashed directory), all
#                             absolute paths under ROOT, and FAMILY_CAS (how
#                             many distribution CAs the bundle holds)
#   family_runs ROOT          how many times the update command ran

family_runs() {
	grep -c '^run$' "$1/var/log/anchorsync-test-update.log" 2>/dev/null
}

# family_module ROOT PATHS: the trust module of ROOT reads PATHS.
family_module() {
	mkdir -p "$1/etc/pkcs11/modules"
	sed "s|^x-init-reserved:.*|x-init-reserved: paths=$2|" \
		"$1/usr/share/p11-kit/modules/p11-kit-trust.module" \
		>"$1/etc/pkcs11/modules/p11-kit-trust.module"
	grep -q "^x-init-reserved: paths=$2\$" "$1/etc/pkcs11/modules/p11-kit-trust.module"
}

# family_cas DIR: the distribution's CAs (a few of the system's) in DIR.
family_cas() {
	local crt n=0
	mkdir -p "$1"
	for crt in /usr/share/ca-certificates/mozilla/*.crt; do
		[ $n -lt 3 ] || break
		cp "$crt" "$1/"
		n=$((n + 1))
	done
	FAMILY_CAS=$n
}

# family_script PATH: the update command from stdin, logging each run.
family_script() {
	mkdir -p "$(dirname "$1")"
	{
		echo '#!/bin/sh'
		echo 'echo run >>/var/log/anchorsync-test-update.log'
		cat
	} >"$1"
	chmod 755 "$1"
}

family_redhat() {
	local root=$1
	printf 'NAME="Red Hat Enterprise Linux"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.4"\n' \
		>"$root/etc/os-release"
	FAMILY_ANCHORS=$root/etc/pki/ca-trust/source/anchors
	FAMILY_SUFFIX=.pem
	FAMILY_BUNDLE=$root/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem
	FAMILY_CLIENT=$root/etc/pki/tls/certs/ca-bundle.crt
	FAMILY_HASHDIR=$root/etc/pki/ca-trust/extracted/pem/directory-hash
	mkdir -p "$FAMILY_ANCHORS" "$root/etc/pki/ca-trust/source/blocklist" \
		"$root/etc/pki/ca-trust/extracted/"{pem,openssl,java,edk2} "$root/etc/pki/tls/certs"
	family_cas "$root/usr/share/pki/ca-trust-source/anchors"
	family_module "$root" /etc/pki/ca-trust/source:/usr/share/pki/ca-trust-source || return 1
	ln -s ../../ca-trust/extracted/pem/tls-ca-bundle.pem "$FAMILY_CLIENT"
	family_script "$root/usr/bin/update-ca-trust" <<'SCRIPT'
# update-ca-trust [extract], Red Hat's outputs (update-ca-trust(8)).
case ${1:-extract} in extract) ;; *) echo "usage: update-ca-trust [extract]" >&2; exit 2 ;; esac
set -e
D=/etc/pki/ca-trust/extracted
trust extract --overwrite --format=pem-bundle --filter=ca-anchors --purpose=server-auth --comment $D/pem/tls-ca-bundle.pem
trust extract --overwrite --format=pem-bundle --filter=ca-anchors --purpose=email --comment $D/pem/email-ca-bundle.pem
trust extract --overwrite --format=pem-bundle --filter=ca-anchors --purpose=code-signing --comment $D/pem/objsign-ca-bundle.pem
trust extract --overwrite --format=openssl-bundle --filter=certificates --comment $D/openssl/ca-bundle.trust.crt
trust extract --overwrite --format=java-cacerts --filter=ca-anchors --purpose=server-auth $D/java/cacerts
trust extract --overwrite --format=edk2-cacerts --filter=ca-anchors --purpose=server-auth $D/edk2/cacerts.bin
trust extract --overwrite --format=pem-directory-hash --filter=ca-anchors --purpose=server-auth $D/pem/directory-hash
SCRIPT
}

family_arch() {
	local root=$1
	printf 'NAME="Arch Linux"\nID=arch\n' >"$root/etc/os-release"
	FAMILY_ANCHORS=$root/etc/ca-certificates/trust-source/anchors
	FAMILY_SUFFIX=.crt
	FAMILY_BUNDLE=$root/etc/ca-certificates/extracted/tls-ca-bundle.pem
	FAMILY_CLIENT=$root/etc/ssl/certs/ca-certificates.crt
	FAMILY_HASHDIR=$root/etc/ssl/certs
	mkdir -p "$FAMILY_ANCHORS" "$root/etc/ca-certificates/trust-source/blocklist" \
		"$root/etc/ca-certificates/extracted"
	# Debian's /etc/ssl/certs of the copied root gives way to Arch's.
	rm -rf "$root/etc/ssl/certs" && mkdir -p "$root/etc/ssl/certs"
	family_cas "$root/usr/share/ca-certificates/trust-source/anchors"
	family_module "$root" /etc/ca-certificates/trust-source:/usr/share/ca-certificates/trust-source ||
		return 1
	ln -s ../../ca-certificates/extracted/tls-ca-bundle.pem "$FAMILY_CLIENT"
	family_script "$root/usr/bin/update-ca-trust" <<'SCRIPT'
# update-ca-trust [extract], Arch's outputs: the bundles under
# /etc/ca-certificates/extracted, the hashed directory there (cadir), and
# /etc/ssl/certs linking to each of its entries.
case ${1:-extract} in extract) ;; *) echo "usage: update-ca-trust [extract]" >&2; exit 2 ;; esac
set -e
D=/etc/ca-certificates/extracted
trust extract --overwrite --format=pem-bundle --filter=ca-anchors --purpose=server-auth --comment $D/tls-ca-bundle.pem
trust extract --overwrite --format=pem-bundle --filter=ca-anchors --purpose=email --comment $D/email-ca-bundle.pem
trust extract --overwrite --format=pem-bundle --filter=ca-anchors --purpose=code-signing --comment $D/objsign-ca-bundle.pem
trust extract --overwrite --format=openssl-bundle --filter=certificates --comment $D/ca-bundle.trust.crt
trust extract --overwrite --format=java-cacerts --filter=ca-anchors --purpose=server-auth $D/java-cacerts.jks
trust extract --overwrite --format=edk2-cacerts --filter=ca-anchors --purpose=server-auth $D/edk2-cacerts.bin
trust extract --overwrite --format=pem-directory-hash --filter=ca-anchors --purpose=server-auth $D/cadir
find /etc/ssl/certs -maxdepth 1 -type l -lname '../../ca-certificates/extracted/cadir/*' -delete
for f in $D/cadir/*; do
	ln -s "../../ca-certificates/extracted/cadir/${f##*/}" "/etc/ssl/certs/${f##*/}"
done
SCRIPT
}

family_suse() {
	local root=$1 hooks=$1/usr/lib/ca-certificates/update.d
	printf 'NAME="openSUSE Leap"\nID="opensuse-leap"\nID_LIKE="suse opensuse"\nVERSION_ID="15.6"\n' \
		>"$root/etc/os-release"
	FAMILY_ANCHORS=$root/etc/pki/trust/anchors
	FAMILY_SUFFIX=.pem
	FAMILY_BUNDLE=$root/var/lib/ca-certificates/ca-bundle.pem
	FAMILY_CLIENT=$root/etc/ssl/ca-bundle.pem
	FAMILY_HASHDIR=$root/var/lib/ca-certificates/openssl
	mkdir -p "$FAMILY_ANCHORS" "$root/etc/pki/trust/blacklist" "$root/var/lib/ca-certificates" \
		"$hooks"
	family_cas "$root/usr/share/pki/trust/anchors"
	family_module "$root" /etc/pki/trust:/usr/share/pki/trust || return 1
	rm -rf "$root/etc/ssl/certs" "$FAMILY_CLIENT"
	ln -s ../../var/lib/ca-certificates/ca-bundle.pem "$FAMILY_CLIENT"
	ln -s ../../var/lib/ca-certificates/pem "$root/etc/ssl/certs"
	# Debian's update-ca-certificates of the copied root gives way to SUSE's.
	family_script "$root/usr/sbin/update-ca-certificates" <<'SCRIPT'
# update-ca-certificates [-f|--fresh] [-v|--verbose], SUSE's: runs every hook
# in /usr/lib/ca-certificates/update.d, each writing its output with trust extract.
set -e
for hook in /usr/lib/ca-certificates/update.d/*.run; do
	"$hook"
done
SCRIPT
	printf '#!/bin/sh\nexec trust extract --overwrite --format=pem-bundle --filter=ca-anchors --purpose=server-auth /var/lib/ca-certificates/ca-bundle.pem\n' \
		>"$hooks/certbundle.run"
	printf '#!/bin/sh\nexec trust extract --overwrite --format=pem-directory-hash --filter=ca-anchors --purpose=server-auth /var/lib/ca-certificates/openssl\n' \
		>"$hooks/openssl.run"
	printf '#!/bin/sh\nexec trust extract --overwrite --format=pem-directory-hash --filter=ca-anchors --purpose=server-auth /var/lib/ca-certificates/pem\n' \
		>"$hooks/etc_ssl.run"
	printf '#!/bin/sh\nexec trust extract --overwrite --format=java-cacerts --filter=ca-anchors --purpose=server-auth /var/lib/ca-certificates/java-cacerts\n' \
		>"$hooks/java.run"
	chmod 755 "$hooks"/*.run
}

family_tree() {
	local family=$1 root=$2 cmd
	case $family in
	redhat|arch|suse) "family_$family" "$root" || return 1 ;;
	*) echo "no tree for family '$family'" >&2; return 1 ;;
	esac
	cmd=update-ca-trust
	[ "$family" = suse ] && cmd=update-ca-certificates
	chroot "$root" "$cmd" >"$root/var/log/anchorsync-test-first-update.log" 2>&1 &&
		[ "$(grep -c -- '-----BEGIN CERTIFICATE-----' "$FAMILY_BUNDLE")" -eq "$FAMILY_CAS" ] ||
		{ cat "$root/var/log/anchorsync-test-first-update.log" >&2; return 1; }
	: >"$root/var/log/anchorsync-test-update.log"
}
