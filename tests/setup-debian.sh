#!/bin/bash
# Installs what building and testing anchorsync needs on Debian 12, as root.
# Postfix is installed without becoming the host's MTA: the tests run their
# own private instance.
set -euo pipefail

packages=(
	# build
	build-essential autoconf automake pkg-config
	libgnutls28-dev libcurl4-gnutls-dev libinih-dev
	# the test world: a CA, a distribution point, a mail server, DNS, a store
	gnutls-bin nginx-light postfix dnsmasq-base ca-certificates openssl
	curl python3 procps faketime
	# packaging and man pages
	debhelper dpkg-dev fakeroot lintian rpm man-db groff systemd xz-utils
	# benchmark
	hyperfine time
)

missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
