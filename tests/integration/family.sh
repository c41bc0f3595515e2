# SPDX-License-Identifier: MIT
# The store of another family, FAMILY (redhat, arch or suse), in a tree laid
# out like that family's with its bundles written by p11-kit's trust extract
# (tests/lib/families.sh). anchorsync picks the backend from the tree's
# os-release and runs the tree's update command under chroot. Install, a
# no-change run, drift repair, rotation, retirement, an update command that
# does nothing, a kill as an anchor file would get its name and one inside
# the update command, and remove --all, each checked in the bundle the extractor
# wrote, in the file clients open and in the hashed directory.
# Sourced by tests/integration/family-FAMILY.test with FAMILY set.
. "$top_srcdir/tests/integration/world.sh"
. "$top_srcdir/tests/lib/debcache.sh"
. "$top_srcdir/tests/lib/families.sh"
. "$top_srcdir/tests/lib/trace.sh"

[ "$(id -u)" -eq 0 ] || skip_all "chroot needs root"
base=$(debcache_root bookworm p11kit 2>"$T/why") || skip_all "no root with p11-kit: $(cat "$T/why")"

r1=$CA_DIR/root1.pem r2=$CA_DIR/root2.pem
ca_cert mail root1 mail.corp.internal --san mail.corp.internal
ca_cert mail2 root2 mail.corp.internal --san mail.corp.internal
ROOT=$T/$FAMILY
STATE=$T/state
CONF=$T/anchorsync.conf
cp -a --reflink=auto "$base" "$ROOT" || { echo "Bail out! cannot copy $base"; exit 99; }
family_tree "$FAMILY" "$ROOT" 2>"$T/why" ||
	{ echo "Bail out! cannot lay out the $FAMILY tree: $(cat "$T/why")"; exit 99; }
diag "$FAMILY tree from $base, p11-kit $(chroot "$ROOT" dpkg-query -W -f='${Version}' p11-kit)"

# Where anchorsync puts CERT, and what each reader sees.
ffile() { local h; h=$(hex "$1"); echo "$FAMILY_ANCHORS/anchorsync-${h:0:16}$FAMILY_SUFFIX"; }
fcount() { "$PYTHON" "$top_srcdir/tests/lib/pemtool.py" count "$FAMILY_BUNDLE" "$1"; }
ftotal() { grep -c -- '-----BEGIN CERTIFICATE-----' "$FAMILY_BUNDLE"; }
ftrusts() {
	openssl verify -no-CApath -CAfile "$FAMILY_CLIENT" "$1" >/dev/null 2>&1 &&
		openssl verify -no-CAfile -CApath "$FAMILY_HASHDIR" "$1" >/dev/null 2>&1
}
fdistrusts() {
	! openssl verify -no-CApath -CAfile "$FAMILY_CLIENT" "$1" >/dev/null 2>&1 &&
		! openssl verify -no-CAfile -CApath "$FAMILY_HASHDIR" "$1" >/dev/null 2>&1
}
# holds N: the bundle holds the distribution's CAs and N more.
holds() { is "$(ftotal)" $((FAMILY_CAS + $1)); }

publish bundle.pem "$r1"
write_conf <<CONF
url = $(url bundle.pem)
pin = $(pin "$r1")
pin = $(pin "$r2")
CONF

check "before: the tree does not trust the intranet server" fdistrusts "$CA_DIR/mail.pem"
check "install: exit 0" refresh 0
check "  ... picked the $FAMILY backend from the tree's os-release" \
	eval 'expect_exit 0 "$ANCHORSYNC" -c "$CONF" status && like "$last_out" "$FAMILY"'
check "  ... root1's file in the family's anchors directory" \
	is "$(hex "$(ffile "$r1")")" "$(hex "$r1")"
check "  ... the tree's update command ran once" is "$(family_runs "$ROOT")" 1
check "  ... the extracted bundle holds root1 once" is "$(fcount "$r1")" 1
check "  ... and the distribution's CAs besides" holds 1
check "  ... the file clients open and the hashed directory verify the server" \
	ftrusts "$CA_DIR/mail.pem"
check "  ... status: trusted" eval 'expect_exit 0 "$ANCHORSYNC" -c "$CONF" status &&
	like "$last_out" "trusted: yes"'

stamp=$(stat -c '%i %y' "$FAMILY_BUNDLE")
check "no-change run: exit 0" refresh 0
check "  ... no update command ran" is "$(family_runs "$ROOT")" 1
check "  ... the bundle not rewritten" is "$(stat -c '%i %y' "$FAMILY_BUNDLE")" "$stamp"

"$PYTHON" "$top_srcdir/tests/lib/pemtool.py" drop "$FAMILY_BUNDLE" "$r1"
check "root1 dropped from the bundle: the next refresh exits 0" refresh 0
check "  ... ran the update command again" is "$(family_runs "$ROOT")" 2
check "  ... root1 back in the bundle once" is "$(fcount "$r1")" 1
check "  ... warned" like "$last_err" "$(hex "$r1")"

publish bundle.pem "$r1" "$r2"
check "rotation, root2 added: exit 0" refresh 0
check "  ... the bundle holds root1 and root2 once each" \
	eval 'is "$(fcount "$r1") $(fcount "$r2")" "1 1" && holds 2'
check "  ... the server reissued under root2 verifies" ftrusts "$CA_DIR/mail2.pem"

publish bundle.pem "$r2"
check "rotation, root1 retired: exit 0" refresh 0
check "  ... root1's file gone" test ! -e "$(ffile "$r1")"
check "  ... the bundle holds root2 alone of the two" \
	eval 'is "$(fcount "$r1") $(fcount "$r2")" "0 1" && holds 1'
check "  ... root1 no longer trusted, in the bundle or the hashed directory" fdistrusts "$r1"
check "  ... the server under root2 still verifies" ftrusts "$CA_DIR/mail2.pem"

update=$(cd "$ROOT" && ls usr/bin/update-ca-trust usr/sbin/update-ca-certificates 2>/dev/null | head -n 1)

# Killed as root1's file would get its name (strace's fault injection): the
# extractor, which reads every file of the anchors directory, finds nothing
# but whole anchors there, and the next run settles.
if command -v strace >/dev/null 2>&1; then
	publish bundle.pem "$r1" "$r2"
	trace_names "$T/writes" "$ANCHORSYNC" -c "$CONF" refresh --now >/dev/null 2>"$T/err"
	check "adding root1 under strace: exit 0" is "$?" 0
	check "  ... no name was made in the anchors directory but root1's" \
		is "$(names_made "$FAMILY_ANCHORS" "$T/writes" | sort -u)" "$(basename "$(ffile "$r1")")"
	publish bundle.pem "$r2"
	check "  ... root1 retired again: exit 0" refresh 0
	publish bundle.pem "$r1" "$r2"
	timeout 120 strace -f -qq -o /dev/null -P "$(ffile "$r1")" \
		-e inject=link,linkat,rename,renameat,renameat2:signal=KILL:when=1 \
		"$ANCHORSYNC" -c "$CONF" refresh --now >"$T/killed.out" 2>&1
	check "adding root1, killed as its file would get its name" is "$?" 137
	check "  ... no file but whole anchors in the anchors directory" \
		is "$(cd "$FAMILY_ANCHORS" && find . -maxdepth 1 ! -type d ! -name "*$FAMILY_SUFFIX")" ""
	chroot "$ROOT" "${update##*/}" >/dev/null 2>&1
	check "  ... an update then finds root2 alone of the two" \
		eval 'is "$(fcount "$r1") $(fcount "$r2")" "0 1" && holds 1'
	check "  ... the next refresh exits 0" refresh 0
	check "  ... root1 and root2 trusted, once each" \
		eval 'ftrusts "$r1" && ftrusts "$r2" && is "$(fcount "$r1") $(fcount "$r2")" "1 1" && holds 2'
	check "  ... and the anchors directory holds their files alone" \
		is "$(ls -A "$FAMILY_ANCHORS" | grep -v '^anchorsync-')" ""
	publish bundle.pem "$r2"
	check "  ... root1 retired again: exit 0" refresh 0
else
	skip "strace is not installed" "a kill between writing and naming"
fi

# Every process group killed in the update command, after its first extract:
# the next run rebuilds every output.
hold=/var/tmp/anchorsync-hold
"$PYTHON" - "$ROOT/$update" "$hold" <<'PY'
import re, sys
path, hold = sys.argv[1], sys.argv[2]
lines = open(path).read().split('\n')
at = next(i for i, l in enumerate(lines) if re.match(r'\s*(trust extract|"\$hook")', l))
lines.insert(at + 1, '[ ! -e %s.at ] || { echo $$ >%s.pid; '
             'while [ ! -e %s.go ]; do sleep 0.1; done; }' % (hold, hold, hold))
open(path, 'w').write('\n'.join(lines))
PY
publish bundle.pem "$r1" "$r2"
rm -f "$ROOT$hold".*
touch "$ROOT$hold.at"
setsid "$ANCHORSYNC" -c "$CONF" refresh --now >"$T/held.out" 2>&1 &
run=$!
for i in $(seq 600); do [ -s "$ROOT$hold.pid" ] && break; sleep 0.1; done
check "adding root1, held in the update command after its first extract" test -s "$ROOT$hold.pid"
held=$(ps -o pgid= -p "$(cat "$ROOT$hold.pid" 2>/dev/null || echo "$run")" | tr -d ' ')
kill -9 -- "-$run" "-${held:-$run}" 2>/dev/null
wait "$run" 2>/dev/null
rm -f "$ROOT$hold".*
check "  ... killed: the next refresh exits 0" refresh 0
check "  ... root1 and root2 trusted, once each, in the bundle and the hashed directory" \
	eval 'ftrusts "$r1" && ftrusts "$r2" && is "$(fcount "$r1") $(fcount "$r2")" "1 1" && holds 2'
publish bundle.pem "$r2"
check "  ... root1 retired again: exit 0" refresh 0

# An update command that exits 0 and extracts nothing: the effect check sees it.
cp "$ROOT/$update" "$T/real-update"
printf '#!/bin/sh\nexit 0\n' >"$ROOT/$update"
stamp=$(sha256sum <"$FAMILY_BUNDLE")
publish bundle.pem "$r1" "$r2"
check "adding root1 with an update command that does nothing: exit 73" refresh 73
check "  ... names root1" like "$last_err" "$(hex "$r1")"
check "  ... its file taken back" test ! -e "$(ffile "$r1")"
check "  ... the bundle as it was" is "$(sha256sum <"$FAMILY_BUNDLE")" "$stamp"
cp "$T/real-update" "$ROOT/$update"
check "with the tree's real command: exit 0" refresh 0
check "  ... root1 and root2 trusted" eval 'ftrusts "$r1" && ftrusts "$r2" && holds 2'

check "remove --all: exit 0" expect_exit 0 "$ANCHORSYNC" -c "$CONF" remove --all
check "  ... no anchorsync file left" is "$(ls "$FAMILY_ANCHORS" | grep -c anchorsync-)" 0
check "  ... the bundle holds the distribution's CAs alone" \
	eval 'is "$(fcount "$r1") $(fcount "$r2")" "0 0" && holds 0'
check "  ... neither root trusted" eval 'fdistrusts "$r1" && fdistrusts "$r2"'
check "the cached root is untouched" test ! -e "$base/etc/pkcs11/modules/p11-kit-trust.module"

done_testing
