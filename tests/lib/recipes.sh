# SPDX-License-Identifier: MIT
# The world of the README's recipes (tests/integration/recipe-*.test): each
# program as Debian 12 packages it, in a private overlay of ONE shared bookworm
# root (debcache_root bookworm apps: Exim, OpenSMTPD, Dovecot, Node, Python),
# sending to the receiving Postfix on the host's loopback, with anchorsync run
# on the host against the root's trust store ([store] root = the overlay).
#
#   recipe_unshare "$@"      first thing in a test: re-runs it in a private
#                            mount namespace (every mount goes with it)
#   recipe_root              mounts the overlay at $R (writes land in $T, the
#                            cached root stays clean), /proc and a read-only
#                            /dev in it; mail.corp.internal is 127.0.0.1 in
#                            its /etc/hosts. Needs world.sh (T) first.
#   in_root CMD...           runs CMD chrooted in $R
#   rx_start                 the receiving Postfix on the host: STARTTLS on
#                            $RX_PORT, implicit TLS on $RX_SMTPS, TLS optional
#                            (a client that downgrades gets its plain text in)
#   rx_serve NAME            the receiver presents $CA_DIR/NAME.{pem,key} from
#                            now on (restarted: open sessions end)
#   rx_got MSGID             prints how the receiver got the message: tls,
#                            plain or none
#   rx_is MSGID WANT         rx_got is WANT (waiting a little for tls, plain)
#   https_start NAME         an HTTPS server (openssl s_server -www) on
#                            $HTTPS_PORT presenting NAME; https_stop
#   recipe_conf              the anchorsync configuration for the root: the
#                            bundle from $WWW/bundle.pem pinned to root1 and
#                            root2, then stdin (the recipe's [app] sections,
#                            paths already mapped with $R)
#   readme_has TEXT          every line of TEXT is in README.md's recipes
#                            (the docs say exactly what the test runs)
#   recipe_cleanup           stops what the recipe world started, unmounts

recipe_unshare() {
	[ -n "${RECIPE_NS:-}" ] && return 0
	[ "$(id -u)" = 0 ] || { echo "1..0 # SKIP needs root (a mount namespace, chroot)"; exit 0; }
	unshare -m --propagation private true 2>/dev/null ||
		{ echo "1..0 # SKIP no private mount namespace (unshare -m needs CAP_SYS_ADMIN)"; exit 0; }
	RECIPE_NS=1 exec unshare -m --propagation private bash "$0" "$@"
}

. "$top_srcdir/tests/lib/debcache.sh"
. "$top_srcdir/tests/lib/postfix.sh"
. "$top_srcdir/tests/lib/daemon.sh"

R= RECIPE_PIDS= HTTPS_PID=

recipe_root() {
	local lower
	lower=$(debcache_root bookworm apps 2>"$T/debcache.err") ||
		skip_all "no bookworm root with the recipes' programs: $(tail -n 1 "$T/debcache.err")"
	R=$T/root
	mkdir -p "$T/ov/upper" "$T/ov/work" "$R"
	mount -t overlay overlay -o "lowerdir=$lower,upperdir=$T/ov/upper,workdir=$T/ov/work" "$R" ||
		{ echo "Bail out! cannot mount an overlay of $lower"; exit 99; }
	mount -t proc proc "$R/proc" &&
		mount --bind /dev "$R/dev" && mount -o remount,bind,ro "$R/dev" ||
		{ echo "Bail out! cannot mount /proc and /dev in $R"; exit 99; }
	printf '127.0.0.1\tlocalhost\n127.0.0.1\tmail.corp.internal\n' >"$R/etc/hosts"
	echo client.corp.internal >"$R/etc/mailname"
	chmod 755 "$T"
}

in_root() {
	chroot "$R" "$@"
}

# recipe_bg NAME CMD...: CMD in the background (its output in $T/NAME.log),
# stopped by recipe_cleanup; its pid in $RECIPE_PID.
recipe_bg() {
	local name=$1; shift
	"$@" >"$T/$name.log" 2>&1 &
	RECIPE_PID=$!
	RECIPE_PIDS="$RECIPE_PIDS $RECIPE_PID"
}

recipe_cleanup() {
	local pid m
	for pid in $RECIPE_PIDS; do kill -- "$pid" 2>/dev/null; done
	for pid in $RECIPE_PIDS; do wait "$pid" 2>/dev/null; done
	for pid in "$T"/*.pid; do
		[ -f "$pid" ] && daemon_stop "$(basename "$pid" .pid)"
	done
	https_stop
	[ -n "${RX:-}" ] && postfix_stop "$RX"
	if [ -n "$R" ]; then
		# Whatever the programs left running in the root goes with it.
		for pid in $(ls /proc | grep -E '^[0-9]+$'); do
			case $(readlink "/proc/$pid/root" 2>/dev/null) in
			"$T"/*) kill -9 "$pid" 2>/dev/null ;;
			esac
		done
		for m in $(awk -v t="$T/" 'index($2, t) == 1 { print $2 }' /proc/mounts | sort -r); do
			umount "$m" 2>/dev/null || umount -l "$m"
		done
		# Never remove through a mount (the root's /dev is the host's).
		if grep -q " $T/" /proc/mounts; then
			echo "# still mounted under $T: left in place" >&2
			T=/nonexistent
		fi
	fi
}

H=mail.corp.internal

rx_start() {
	RX=$T/rx
	mkdir -p "$RX"
	ca_cert good1 root1 $H --san $H && ca_cert good2 root2 $H --san $H ||
		{ echo "Bail out! certtool failed"; exit 99; }
	cp "$CA_DIR/good1.pem" "$CA_DIR/current.pem" && cp "$CA_DIR/good1.key" "$CA_DIR/current.key"
	RX_PORT=$(free_port) RX_SMTPS=$(free_port)
	local chain="-o smtpd_tls_chain_files=$CA_DIR/current.key,$CA_DIR/current.pem"
	postfix_init "$RX" $H
	postfix_smtpd "$RX" $RX_PORT $chain -o smtpd_tls_security_level=may
	postfix_smtpd "$RX" $RX_SMTPS $chain -o smtpd_tls_wrappermode=yes
	# Mail from the root's programs (127.0.0.1) is accepted for corp.internal.
	postconf -c "$RX/etc" -e 'mydestination = $myhostname, $mydomain, localhost, corp.internal'
	postfix_start "$RX" || { echo "Bail out! the receiving postfix did not start"; exit 99; }
}

# The SHA-256 of the certificate a server presents over implicit TLS.
presented() {
	openssl s_client -connect "127.0.0.1:$1" -servername $H </dev/null 2>/dev/null |
		openssl x509 -noout -fingerprint -sha256 2>/dev/null
}

rx_serve() {
	local want i
	cp "$CA_DIR/$1.pem" "$CA_DIR/current.pem" && cp "$CA_DIR/$1.key" "$CA_DIR/current.key" || return 1
	# A stop and start, not a reload: a reload lets open sessions go on with
	# the old certificate, and clients keep verified sessions open for reuse.
	postfix_stop "$RX"
	cat "$RX/maillog" >>"$RX/maillog.before"
	postfix_start "$RX" 2>>"$T/rx-restart.log" || return 1
	want=$(openssl x509 -noout -fingerprint -sha256 -in "$CA_DIR/$1.pem")
	for i in $(seq 100); do
		[ "$(presented $RX_SMTPS)" = "$want" ] && return 0
		sleep 0.1
	done
	diag "the receiver does not present $1"
	return 1
}

# The receiving Postfix's log, per smtpd process: whether the session that
# queued the message had TLS.
rx_got() {
	awk -v id="message-id=<$1>" '
		match($0, /smtpd\[[0-9]+\]/) { pid = substr($0, RSTART, RLENGTH) }
		FNR == 1 { delete tls }
		/smtpd\[[0-9]+\]: connect from/ { tls[pid] = 0 }
		/smtpd\[[0-9]+\]: .*TLS connection established from/ { tls[pid] = 1 }
		/smtpd\[[0-9]+\]: [0-9A-F]+: client=/ {
			q = $0; sub(/.*smtpd\[[0-9]+\]: /, "", q); sub(/:.*/, "", q); qtls[q] = tls[pid]
		}
		/cleanup\[[0-9]+\]: [0-9A-F]+: message-id=/ && index($0, id) {
			q = $0; sub(/.*cleanup\[[0-9]+\]: /, "", q); sub(/:.*/, "", q)
			print (qtls[q] ? "tls" : "plain"); found = 1; exit
		}
		END { if (!found) print "none" }' $(ls "$RX/maillog.before" 2>/dev/null) "$RX/maillog"
}

# rx_is MSGID WANT: rx_got says WANT; a message logged as received (tls,
# plain) is waited for up to 5 s (the log goes through postlogd).
rx_is() {
	local i
	if [ "$2" != none ]; then
		for i in $(seq 50); do
			[ "$(rx_got "$1")" = none ] || break
			sleep 0.1
		done
	fi
	is "$(rx_got "$1")" "$2"
}

https_start() {
	https_stop
	HTTPS_PORT=${HTTPS_PORT:-$(free_port)}
	openssl s_server -quiet -accept "$HTTPS_PORT" -cert "$CA_DIR/$1.pem" -key "$CA_DIR/$1.key" \
		-www >"$T/https.log" 2>&1 &
	HTTPS_PID=$!
	local i
	for i in $(seq 100); do
		(exec 3<>"/dev/tcp/127.0.0.1/$HTTPS_PORT") 2>/dev/null && return 0
		sleep 0.05
	done
	echo "Bail out! openssl s_server did not start"; exit 99
}

https_stop() {
	[ -n "${HTTPS_PID:-}" ] || return 0
	kill "$HTTPS_PID" 2>/dev/null
	wait "$HTTPS_PID" 2>/dev/null
	HTTPS_PID=
}

recipe_conf() {
	ROOT=$R STATE=$T/state
	CONF=$T/anchorsync.conf
	{
		echo "url = $(url bundle.pem)"
		echo "pin = $(pin "$CA_DIR/root1.pem")"
		echo "pin = $(pin "$CA_DIR/root2.pem")"
		cat
	} | write_conf
}

# readme_has TEXT: each non-empty line of TEXT, trimmed, is a line of the
# README's recipes (between "Recipes" and "### Trust stores").
readme_has() {
	local recipes line missing=0
	recipes=$(awk '/^Recipes/ { on = 1 } /^### Trust stores/ { on = 0 } on' \
		"$top_srcdir/README.md" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')
	while IFS= read -r line; do
		line=$(sed 's/^[[:space:]]*//; s/[[:space:]]*$//' <<<"$line")
		[ -n "$line" ] || continue
		grep -qxF -- "$line" <<<"$recipes" || { diag "not in the README's recipes: $line"; missing=1; }
	done <<<"$1"
	return $missing
}

