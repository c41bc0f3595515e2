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
