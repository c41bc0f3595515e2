# SPDX-License-Identifier: MIT
# A private nginx serving a directory over HTTP and HTTPS on loopback ports
# chosen at run time. Source it after tap.sh.
#   nginx_start DOCROOT CERT KEY   sets NGINX_HTTP and NGINX_HTTPS (ports) and
#                                  NGINX_LOG (the access log: request, status,
#                                  If-None-Match sent)
#   nginx_stop
# NGINX_EXTRA, when set before nginx_start, is added to the server block
# (more locations for a test).
# The workers run as the user who starts nginx, so a private (0700) DOCROOT works.

nginx_start() {
	local docroot=$1 cert=$2 key=$3
	NGINX_DIR=$(mktemp -d)
	NGINX_HTTP=$(free_port)
	NGINX_HTTPS=$(free_port)
	mkdir -p "$NGINX_DIR/tmp"
	NGINX_LOG=$NGINX_DIR/access.log
	local user=
	[ "$(id -u)" -eq 0 ] && user="user root $(id -gn);"
	cat >"$NGINX_DIR/nginx.conf" <<CONF
$user
daemon on;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
worker_processes 1;
events { worker_connections 64; }
http {
	log_format anchorsync '\$remote_addr "\$request" \$status \$body_bytes_sent inm=\$http_if_none_match';
	access_log $NGINX_DIR/access.log anchorsync;
	client_body_temp_path $NGINX_DIR/tmp/body;
	proxy_temp_path $NGINX_DIR/tmp/proxy;
	fastcgi_temp_path $NGINX_DIR/tmp/fastcgi;
	uwsgi_temp_path $NGINX_DIR/tmp/uwsgi;
	scgi_temp_path $NGINX_DIR/tmp/scgi;
	default_type application/octet-stream;
	server {
		listen 127.0.0.1:$NGINX_HTTP;
		listen 127.0.0.1:$NGINX_HTTPS ssl;
		ssl_certificate $cert;
		ssl_certificate_key $key;
		root $docroot;
		location /error.html { return 200 "<html><body>Service unavailable</body></html>"; }
		location /slow/ { limit_rate 1; }
		${NGINX_EXTRA:-}
	}
}
CONF
	# -e (nginx 1.19.5; Debian 11 has 1.18) keeps even the errors before the
	# configuration is read out of the system's log.
	local early=
	nginx -h 2>&1 | grep -q '^ *-e ' && early="-e $NGINX_DIR/error.log"
	# shellcheck disable=SC2086
	nginx -c "$NGINX_DIR/nginx.conf" $early ||
		{ cat "$NGINX_DIR/error.log" >&2; return 1; }
}

nginx_stop() {
	local pid i
	[ -n "${NGINX_DIR:-}" ] || return 0
	if [ -f "$NGINX_DIR/nginx.pid" ]; then
		pid=$(cat "$NGINX_DIR/nginx.pid")
		kill "$pid" 2>/dev/null
		# Wait for the master to go so its files can be removed.
		for i in $(seq 50); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
	fi
	rm -rf "$NGINX_DIR"
	NGINX_DIR=
}
