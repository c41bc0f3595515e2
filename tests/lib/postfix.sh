# SPDX-License-Identifier: MIT
# A private Postfix instance for the delivery tests: its own config, queue and
# data directories under a test directory, listening only on 127.0.0.1, every
# message discarded after it is queued. The host's Postfix (if any) is untouched.
#   postfix_init DIR HOSTNAME       main.cf and the internal services' master.cf
#   postfix_smtpd DIR PORT [OPT...] one more smtpd on 127.0.0.1:PORT; OPTs are
#                                   "-o name=value" overrides (TLS files, modes)
#   postfix_start DIR               runs `postfix start-fg` in the background,
#                                   logging to DIR/maillog, until the ports answer
#   postfix_reload DIR              re-reads its configuration and the files it
#                                   names (TLS certificates) for new connections;
#                                   returns once the master was told: a caller that
#                                   must see the change polls the server for it
#   postfix_stop DIR                stops it (call from a trap)
#   postfix_log DIR                 what it logged so far

postfix_init() {
	local dir=$1 host=$2
	mkdir -p "$dir/etc" "$dir/queue" "$dir/data"
	chown postfix "$dir/data"
	cat >"$dir/etc/main.cf" <<EOT
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
mail_owner = postfix
setgid_group = postdrop
myhostname = $host
mydomain = ${host#*.}
myorigin = \$myhostname
mydestination = \$myhostname, \$mydomain, localhost
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.2/32
relay_domains =
alias_maps =
alias_database =
local_recipient_maps =
local_transport = discard
default_transport = discard
maillog_file = /dev/stdout
smtpd_banner = \$myhostname ESMTP
smtpd_tls_security_level = may
smtpd_tls_loglevel = 1
smtpd_recipient_restrictions = reject_unauth_destination
smtpd_client_restrictions =
smtpd_helo_restrictions =
disable_dns_lookups = yes
smtp_dns_support_level = disabled
biff = no
EOT
	# The internal services only, none chrooted: the queue is a private tree.
	cat >"$dir/etc/master.cf" <<'EOT'
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOT
	POSTFIX_PORTS=""
}

postfix_smtpd() {
	local dir=$1 port=$2; shift 2
	echo "127.0.0.1:$port inet n - n - - smtpd $*" >>"$dir/etc/master.cf"
	POSTFIX_PORTS="$POSTFIX_PORTS $port"
}

postfix_start() {
	local dir=$1 i port
	postfix -c "$dir/etc" check >"$dir/check.log" 2>&1 || { cat "$dir/check.log" >&2; return 1; }
	postfix -c "$dir/etc" start-fg >"$dir/maillog" 2>&1 &
	POSTFIX_PID=$!
	for port in $POSTFIX_PORTS; do
		for i in $(seq 100); do
			(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
			kill -0 "$POSTFIX_PID" 2>/dev/null || { cat "$dir/maillog" >&2; return 1; }
			sleep 0.1
		done
	done
}

postfix_reload() {
	local dir=$1
	postfix -c "$dir/etc" reload >"$dir/reload.log" 2>&1 || { cat "$dir/reload.log" >&2; return 1; }
}

postfix_stop() {
	local dir=$1
	[ -n "${POSTFIX_PID:-}" ] || return 0
	postfix -c "$dir/etc" stop >/dev/null 2>&1
	for _ in $(seq 50); do
		kill -0 "$POSTFIX_PID" 2>/dev/null || break
		sleep 0.1
	done
	kill "$POSTFIX_PID" 2>/dev/null
	POSTFIX_PID=
}

postfix_log() {
	cat "$1/maillog"
}

# A second, *sending* Postfix set up as Debian ships it, for the applications
# tests: master.cf is /usr/share/postfix/master.cf.dist (the smtp client and
# most services chrooted into the queue directory) minus its listening smtpd;
# main.cf is Debian's (main.cf.debian + main.cf.tls: smtp_tls_CApath =
# /etc/ssl/certs, smtp_tls_security_level = may, the TLS session cache) plus
# a private queue, data directory and log, and mail for RELAY_DOMAIN relayed to
# RELAY_HOST:PORT under a "secure match=SERVER_NAME" TLS policy (the global
# smtp_tls_security_level stays Debian's "may"); mail for any other domain
# bounces.
#
# Its OS trust store is private: a Debian store root (tests/lib/store.sh) whose
# etc/ssl/certs is bind-mounted over /etc/ssl/certs in a mount namespace of its
# own (unshare -m). Debian's own configure-instance.sh runs there and copies
# "/etc/ssl/certs" into the chroot (QUEUE/etc/ssl/certs) exactly as on a real
# host, and `postfix start` runs there too, so the Postfix keeps seeing the
# private store as /etc/ssl/certs. The host's /etc/ssl/certs and /etc/postfix
# are never read for trust nor written.
#
#   postfix_sender_init DIR HOSTNAME RELAY_DOMAIN RELAY_HOST:PORT SERVER_NAME [STORE_ROOT]
#        writes DIR/etc/{main,master}.cf; STORE_ROOT (default DIR/os, made with
#        store_init from tests/lib/store.sh, which must be sourced: a few
#        Mozilla roots, no test root) is the node's trust
#        store, its etc/ssl/certs what the Postfix sees as /etc/ssl/certs.
#        Sets POSTFIX_SENDER_ROOT (the store root), POSTFIX_SENDER_QUEUE (the
#        queue directory = the chroot) and POSTFIX_SENDER_CAPATH (the chroot
#        copy of /etc/ssl/certs: QUEUE/etc/ssl/certs), and POSTFIX_SENDER_RESTART:
#        a shell command that runs postfix_sender_restart DIR, for a program
#        that restarts it (an [app] section's restart). DIR and every
#        directory above it must be traversable by the postfix user (checked).
#   postfix_sender_route DIR DOMAIN RELAY_HOST:PORT SERVER_NAME
#        mail for DOMAIN too goes to RELAY_HOST:PORT, verified as SERVER_NAME
#        (texthash tables DIR/etc/transport and DIR/etc/tls_policy, keyed by
#        the port: one SERVER_NAME a port); before start, or then reload with
#        `postfix -c DIR/etc reload`
#   postfix_sender_start DIR     configure-instance.sh + `postfix -c DIR start`
#        in the private namespace; returns once the master runs
#   postfix_sender_restart DIR   stop, then start (a fresh chroot copy), as
#        `systemctl restart postfix` does on Debian
#   postfix_sender_stop DIR      stops it, bounded (call from a trap)
#   postfix_sender_send DIR FROM TO [SUBJECT]
#        injects one message with `sendmail -C DIR`; prints its Message-ID
#   postfix_sender_flush DIR     postqueue -f: deliver the deferred mail now
#   postfix_sender_wait DIR MSGID STATUS [SECONDS [MARK]]
#        waits (default 20 s) until the log has a status=STATUS line for the
#        message with that Message-ID (after MARK, from postfix_sender_mark,
#        when given: a second deferral after a flush), and keeps the line in
#        POSTFIX_SENDER_LINE; 1 on timeout
#   postfix_sender_qid DIR MSGID the queue id Postfix gave that message
#   postfix_sender_lines DIR MSGID every log line about that message's queue
#        id (the smtp client's TLS lines carry no queue id: see _log)
#   postfix_sender_log DIR       its whole log (DIR/maillog)
#   postfix_sender_mark DIR      a mark of the log's current end; with
#   postfix_sender_log_since DIR MARK   what was logged after it
#   postfix_sender_in_ns DIR CMD...     runs CMD in a fresh namespace that
#        sees STORE_ROOT's etc/ssl/certs as /etc/ssl/certs

POSTFIX_SH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/postfix.sh

postfix_sender_init() {
	local dir=$1 host=$2 domain=$3 relay=$4 server=$5 root=${6:-}
	local d
	mkdir -p "$dir/etc" "$dir/queue" "$dir/data" || return 1
	dir=$(cd "$dir" && pwd -P)
	# The daemons drop to the postfix user inside the queue and data
	# directories: each directory on the way must let it through.
	d=$dir
	while [ "$d" != / ]; do
		if ! su -s /bin/sh postfix -c "test -x '$d'" 2>/dev/null; then
			echo "postfix_sender_init: $d is not traversable by the postfix user" >&2
			return 1
		fi
		d=$(dirname "$d")
	done
	chown postfix "$dir/data"
	if [ -z "$root" ]; then
		root=$dir/os
		mkdir -p "$root"
		store_init "$root" || return 1
	fi
	POSTFIX_SENDER_ROOT=$(cd "$root" && pwd -P)
	POSTFIX_SENDER_QUEUE=$dir/queue
	POSTFIX_SENDER_CAPATH=$dir/queue/etc/ssl/certs
	POSTFIX_SENDER_RESTART="bash -c 'PATH=\$PATH:/usr/sbin:/sbin; . $POSTFIX_SH; postfix_sender_restart $dir'"
	echo "$POSTFIX_SENDER_ROOT" >"$dir/store-root"
	# Debian's main.cf for an "Internet Site" (main.cf.debian, main.cf.tls),
	# then what makes it a private instance that relays RELAY_DOMAIN.
	{
		cat /usr/share/postfix/main.cf.debian /usr/share/postfix/main.cf.tls
		cat <<EOT

# anchorsync test world: a private sending instance
queue_directory = $dir/queue
data_directory = $dir/data
maillog_file_prefixes = $dir/
maillog_file = $dir/maillog
myhostname = $host
mydomain = ${host#*.}
myorigin = \$myhostname
mydestination =
inet_interfaces = loopback-only
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
alias_maps =
alias_database =
relay_domains =
smtp_tls_loglevel = 1
transport_maps = texthash:$dir/etc/transport
smtp_tls_policy_maps = texthash:$dir/etc/tls_policy
default_transport = error:only $domain is delivered by this test instance
EOT
	} >"$dir/etc/main.cf"
	# Debian's master.cf without its services that listen (the smtp inet
	# line and any continuation lines under it).
	awk '
		/^[^ \t#]/ { skip = ($2 == "inet") }
		/^[ \t]+[^ \t]/ { if (skip) next }
		!skip
	' /usr/share/postfix/master.cf.dist >"$dir/etc/master.cf"
	: >"$dir/maillog"
	: >"$dir/etc/transport"
	: >"$dir/etc/tls_policy"
	postfix_sender_route "$dir" "$domain" "$relay" "$server"
}

postfix_sender_route() {
	local dir=$1 domain=$2 relay=$3 server=$4
	local host=${relay%:*} port=${relay##*:}
	echo "$domain smtp:[$host]:$port" >>"$dir/etc/transport"
	echo "[$host]:$port secure match=$server servername=$server" >>"$dir/etc/tls_policy"
}

# Runs its arguments (a command) where /etc/ssl/certs is the sender's store.
postfix_sender_in_ns() {
	local dir=$1; shift
	local certs
	certs=$(cat "$dir/store-root")/etc/ssl/certs
	unshare -m --propagation private sh -c '
		mount --bind "$1" /etc/ssl/certs || exit 1
		shift
		exec "$@"' sh "$certs" "$@"
}

postfix_sender_start() {
	local dir=$1 pid mark
	dir=$(cd "$dir" && pwd -P)
	mark=$(postfix_sender_mark "$dir")
	# The systemd unit's ExecStartPre, then the start itself, both seeing the
	# private store as /etc/ssl/certs.
	postfix_sender_in_ns "$dir" sh -c '
		MAIL_CONFIG=$1/etc /usr/lib/postfix/configure-instance.sh - &&
		postfix -c "$1/etc" start' sh "$dir" >"$dir/start.log" 2>&1 ||
		{ cat "$dir/start.log" >&2; return 1; }
	for _ in $(seq 100); do
		pid=$(tr -d ' ' <"$dir/queue/pid/master.pid" 2>/dev/null)
		[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null &&
			[ "$(postfix_sender_log_since "$dir" "$mark" | grep -c 'daemon started')" -gt 0 ] &&
			return 0
		sleep 0.1
	done
	echo "postfix_sender_start: the master did not start" >&2
	cat "$dir/start.log" "$dir/maillog" >&2
	return 1
}

postfix_sender_stop() {
	local dir=$1 pid
	pid=$(tr -d ' ' <"$dir/queue/pid/master.pid" 2>/dev/null)
	[ -n "$pid" ] || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	postfix -c "$dir/etc" stop >/dev/null 2>&1
	for _ in $(seq 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	# A master that would not stop, and its children, are killed.
	if kill -0 "$pid" 2>/dev/null; then
		pkill -KILL -P "$pid" 2>/dev/null
		kill -KILL "$pid" 2>/dev/null
	fi
	return 0
}

postfix_sender_restart() {
	postfix_sender_stop "$1" && postfix_sender_start "$1"
}

postfix_sender_send() {
	local dir=$1 from=$2 to=$3 subject=${4:-anchorsync test}
	local msgid
	msgid="<$(date +%s%N).$$.$RANDOM@anchorsync.test>"
	printf 'From: %s\nTo: %s\nSubject: %s\nMessage-ID: %s\n\nA test message.\n' \
		"$from" "$to" "$subject" "$msgid" |
		sendmail -C "$dir/etc" -f "$from" -- "$to" || return 1
	echo "$msgid"
}

postfix_sender_flush() {
	postqueue -c "$1/etc" -f
}

postfix_sender_qid() {
	local dir=$1 msgid=$2
	# (The first match only, sed quitting there: no pipe into head.)
	sed -n "s/.* \([0-9A-F]\{6,\}\): message-id=$(sed 's/[][\.*^$/]/\\&/g' <<<"$msgid")\$/\1/;T;p;q" \
		"$dir/maillog"
}

postfix_sender_lines() {
	local qid
	qid=$(postfix_sender_qid "$1" "$2")
	[ -n "$qid" ] || return 1
	grep -F " $qid: " "$1/maillog"
}

postfix_sender_wait() {
	local dir=$1 msgid=$2 status=$3 secs=${4:-20} mark=${5:-0} qid=
	POSTFIX_SENDER_LINE=
	for _ in $(seq $((secs * 10))); do
		[ -n "$qid" ] || qid=$(postfix_sender_qid "$dir" "$msgid")
		if [ -n "$qid" ]; then
			POSTFIX_SENDER_LINE=$(tail -c +$((mark + 1)) "$dir/maillog" |
				grep -F " $qid: " | grep -F " status=$status " | tail -n 1)
			[ -n "$POSTFIX_SENDER_LINE" ] && return 0
		fi
		sleep 0.1
	done
	echo "postfix_sender_wait: no status=$status for $msgid (queue id ${qid:-unknown}) in ${secs}s" >&2
	return 1
}

postfix_sender_log() {
	cat "$1/maillog"
}

postfix_sender_mark() {
	wc -c <"$1/maillog"
}

postfix_sender_log_since() {
	tail -c +$(($2 + 1)) "$1/maillog"
}
