# SPDX-License-Identifier: MIT
# The test world's Go program (tests/lib/gotls/main.go): an SMTP client on
# crypto/tls alone, built once per source and Go version and kept in the test
# cache ($ANCHORSYNC_TEST_CACHE, else $top_builddir/test-cache). Standard
# library only: no module, no network; GOCACHE and GOPATH are temp dirs.
#   gotls_build          sets GOTLS to the program; 1 when go cannot build it
#   gotls_pem PEM HOST:PORT [ARG...]
#                        the client trusting only the certificates in PEM
#   gotls_system PEM HOST:PORT [ARG...]
#                        the client trusting Go's system pool with
#                        SSL_CERT_FILE=PEM and SSL_CERT_DIR an empty dir (else
#                        Go also reads the host's /etc/ssl/certs)
# ARGs: -name NAME (default mail.corp.internal), -implicit (smtps), -timeout D.
# Each prints "verified" (exit 0) or Go's error (exit 1).

gotls_build() {
	local cache src key tmp rc
	cache=${ANCHORSYNC_TEST_CACHE:-${top_builddir:-.}/test-cache}/gotls
	src=$top_srcdir/tests/lib/gotls/main.go
	command -v go >/dev/null 2>&1 || return 1
	key=$( { cat "$src"; go version; } | sha256sum | cut -c1-16)
	GOTLS=$cache/gotls-$key
	[ -x "$GOTLS" ] && return 0
	mkdir -p "$cache" || return 1
	tmp=$(mktemp -d "${TMPDIR:-/tmp}/anchorsync-go.XXXXXX") || return 1
	(cd "$tmp" && env GOCACHE="$tmp/cache" GOPATH="$tmp/path" GOPROXY=off GOFLAGS= \
		GO111MODULE=off GOTOOLCHAIN=local CGO_ENABLED=0 \
		go build -trimpath -o "$tmp/gotls" "$src") >"$tmp/build.log" 2>&1 &&
		mv "$tmp/gotls" "$GOTLS"
	rc=$?
	[ $rc -eq 0 ] || cat "$tmp/build.log" >&2
	rm -rf "$tmp"
	return $rc
}

gotls_pem() {
	local pem=$1 addr=$2; shift 2
	"$GOTLS" -ca "$pem" -name mail.corp.internal "$@" "$addr"
}

gotls_system() {
	local pem=$1 addr=$2 empty; shift 2
	empty=$(mktemp -d "${TMPDIR:-/tmp}/anchorsync-certdir.XXXXXX") || return 2
	SSL_CERT_FILE=$pem SSL_CERT_DIR=$empty "$GOTLS" -system -name mail.corp.internal "$@" "$addr"
	local rc=$?
	rmdir "$empty"
	return $rc
}
