#!/bin/bash
# SPDX-License-Identifier: MIT
# Installs what building and testing anchorsync needs on Debian 12, as root.
# Postfix is installed without becoming the host's MTA: the tests run their
# own private instance. With ANCHORSYNC_TEST_CACHE set (tests/check.sh sets
# it), it also fetches into that cache what the tests take from the archive
# beside the host's packages: every update-ca-certificates Debian 12 ships, a
# bookworm image, a bookworm root with p11-kit for the other families'
# stores, and one with the programs of the README's recipes (Exim, OpenSMTPD,
# Dovecot, Node, Python: tests/integration/recipe-*.test) (tests/lib/debcache.sh). The host's own packages are not
# upgraded.
set -euo pipefail

packages=(
	# build
	build-essential autoconf automake pkg-config
	libgnutls28-dev libcurl4-gnutls-dev libinih-dev
	# fuzzing: clang and its libFuzzer runtime
	clang libclang-rt-14-dev
	# the test world: a CA, a distribution point, a mail server, DNS, a store
	gnutls-bin nginx-light postfix dnsmasq-base ca-certificates openssl
	curl python3 python3-cryptography procps faketime debootstrap strace
	# the metrics file read as node_exporter's textfile collector reads it
	prometheus-node-exporter
	# the applications tests: a Go client on crypto/tls (tests/lib/gotls)
	golang-go
	# packaging and man pages
	debhelper dpkg-dev fakeroot lintian rpm man-db groff systemd xz-utils
	# the fleet: promtool, a Prometheus, node_exporter per node, blackbox_exporter
	prometheus prometheus-node-exporter prometheus-blackbox-exporter python3-yaml
	# benchmark
	hyperfine time
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

if [ -n "${ANCHORSYNC_TEST_CACHE:-}" ]; then
	bash "$(dirname "$0")/lib/debcache.sh" fetch ||
		echo "warning: tests/lib/debcache.sh could not fetch everything; those tests will skip" >&2
fi
