# A private nginx serving a directory over HTTP and HTTPS on loopback ports
# chosen at run time. Source it after tap.sh.
#   nginx_start DOCROOT CERT KEY   sets NGINX_HTTP and NGINX_HTTPS (ports)
#   nginx_stop

nginx_start() {
	local docroot=$1 cert=$2 key=$3
	NGINX_DIR=$(mktemp -d)
	NGINX_HTTP=$(free_port)
	NGINX_HTTPS=$(free_port)
	mkdir -p "$NGINX_DIR/tmp"
	cat >"$NGINX_DIR/nginx.conf" <<CONF
daemon on;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
worker_processes 1;
events { worker_connections 64; }
http {
	access_log $NGINX_DIR/access.log;
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
	}
}
CONF
	nginx -c "$NGINX_DIR/nginx.conf" -e "$NGINX_DIR/error.log" ||
		{ cat "$NGINX_DIR/error.log" >&2; return 1; }
}

nginx_stop() {
	[ -f "$NGINX_DIR/nginx.pid" ] && kill "$(cat "$NGINX_DIR/nginx.pid")" 2>/dev/null
	rm -rf "$NGINX_DIR"
}
