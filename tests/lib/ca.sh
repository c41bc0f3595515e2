# SPDX-License-Identifier: MIT
# A test PKI made with GnuTLS certtool. Source it after setting CA_DIR.
#   ca_root NAME [--expired] [--not-ca] [--days N]
#                                            self-signed root: NAME.pem, NAME.key
#   ca_cert NAME ISSUER CN [--san DNS]... [--ip ADDR]... [--expired] [--ca] [--days N]
#                                            a certificate signed by ISSUER
#   ca_signer NAME ISSUER CN [--expired] [--days N]
#                                            a bundle signer (EKU codeSigning) under ISSUER
#   ca_pin FILE                              "sha256:<hex>" of a certificate

ca_key() {
	certtool --generate-privkey --key-type ecdsa --outfile "$CA_DIR/$1.key" 2>/dev/null
}

# Parses the options shared by ca_root and ca_cert into a template file.
ca_template() {
	local tmpl=$1 cn=$2; shift 2
	local ca=$CA_DEFAULT_CA
	{
		echo "cn = \"$cn\""
		echo "organization = \"anchorsync test\""
		echo "serial = $(od -An -N6 -tu8 /dev/urandom | tr -d ' ')"
		while [ $# -gt 0 ]; do
			case $1 in
			--san) echo "dns_name = \"$2\""; shift ;;
			--ip) echo "ip_address = \"$2\""; shift ;;
			--days) echo "expiration_days = $2"; shift ;;
			--expired)
				echo 'activation_date = "2020-01-01 00:00:00 UTC"'
				echo 'expiration_date = "2021-01-01 00:00:00 UTC"' ;;
			--ca) ca=yes ;;
			--not-ca) ca=no ;;
			--code-signing) ca=signer ;;
			esac
			shift
		done
		if [ "$ca" = yes ]; then
			echo ca
			echo cert_signing_key
			echo crl_signing_key
		elif [ "$ca" = signer ]; then
			echo signing_key
			echo code_signing_key
		else
			echo signing_key
			echo encryption_key
			echo tls_www_server
		fi
	} >"$tmpl"
	grep -q '^expiration_' "$tmpl" || echo "expiration_days = 3650" >>"$tmpl"
}

ca_root() {
	local name=$1; shift
	ca_key "$name"
	CA_DEFAULT_CA=yes ca_template "$CA_DIR/$name.tmpl" "$name" "$@"
	certtool --generate-self-signed --load-privkey "$CA_DIR/$name.key" \
		--template "$CA_DIR/$name.tmpl" --outfile "$CA_DIR/$name.pem" 2>/dev/null
}

ca_cert() {
	local name=$1 issuer=$2 cn=$3; shift 3
	ca_key "$name"
	CA_DEFAULT_CA=no ca_template "$CA_DIR/$name.tmpl" "$cn" "$@"
	certtool --generate-certificate --load-privkey "$CA_DIR/$name.key" \
		--load-ca-certificate "$CA_DIR/$issuer.pem" \
		--load-ca-privkey "$CA_DIR/$issuer.key" \
		--template "$CA_DIR/$name.tmpl" --outfile "$CA_DIR/$name.pem" 2>/dev/null
}

ca_signer() {
	local name=$1 issuer=$2 cn=$3; shift 3
	ca_cert "$name" "$issuer" "$cn" --code-signing "$@"
}

ca_pin() {
	echo "sha256:$(certtool --fingerprint --hash sha256 --infile "$1")"
}
