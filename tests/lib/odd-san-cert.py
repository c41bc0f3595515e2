#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Issues a server certificate whose DNS subjectAltNames certtool will not
# write: a name with an embedded NUL ("mail.corp.internal\0.evil.test"), or an
# IP address written as a DNS name. Needs python3-cryptography.
#
# usage: odd-san-cert.py ISSUER.pem ISSUER.key OUT.pem OUT.key CN DNSNAME...
#   a DNSNAME may hold "\0" to mean a NUL byte.
import datetime
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def main(issuer_pem, issuer_key, out_pem, out_key, cn, *names):
    with open(issuer_pem, "rb") as f:
        issuer = x509.load_pem_x509_certificate(f.read())
    with open(issuer_key, "rb") as f:
        ca_key = serialization.load_pem_private_key(f.read(), password=None)
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    sans = [x509.DNSName(n.replace("\\0", "\0")) for n in names]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)]))
        .issuer_name(issuer.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName(sans), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    with open(out_pem, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(out_key, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )


if __name__ == "__main__":
    if len(sys.argv) < 7:
        sys.exit(__doc__ if __doc__ else "usage: odd-san-cert.py ISSUER.pem ISSUER.key OUT.pem OUT.key CN DNSNAME...")
    main(*sys.argv[1:])
