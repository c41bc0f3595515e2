#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Makes the fixtures certtool cannot: root-otherkey.pem (issuer == subject,
# but another key signed it) and root-newline.pem (a newline in its subject).
# Run from this directory; the pins in test-bundle.c must then be updated.
import datetime
from cryptography import x509
from cryptography.x509.oid import NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec


def root(cn, own, signer, serial, path):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "anchorsync unit")])
    usage = x509.KeyUsage(digital_signature=False, content_commitment=False,
                          key_encipherment=False, data_encipherment=False,
                          key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(own.public_key()).serial_number(serial)
            .not_valid_before(datetime.datetime(2020, 1, 1))
            .not_valid_after(datetime.datetime(2040, 1, 1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .sign(signer, hashes.SHA256()))
    with open(path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))


key = ec.generate_private_key(ec.SECP256R1())
root("Unit Forged Root", key, ec.generate_private_key(ec.SECP256R1()), 15, "root-otherkey.pem")
root("Unit Line\nBreak Root", key, key, 16, "root-newline.pem")
