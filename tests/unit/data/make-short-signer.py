#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Makes chain-signer-short.pem (and its key): a codeSigning signer under the
# existing chain-root.pem (make-chain.py) whose validity ends at noon,
# 2030-01-01T12:00:00Z, not at a day's end: the trust-chain tests show that a
# remembered signature decision ends with its signer. Run from this directory.
import datetime
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "anchorsync unit")])


with open("chain-root.key", "rb") as f:
    root_key = serialization.load_pem_private_key(f.read(), None)
key = ec.generate_private_key(ec.SECP256R1())
usage = x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                      data_encipherment=False, key_agreement=False, key_cert_sign=False,
                      crl_sign=False, encipher_only=False, decipher_only=False)
cert = (x509.CertificateBuilder().subject_name(name("Unit Chain Signer Short"))
        .issuer_name(name("Unit Chain Root")).public_key(key.public_key())
        .serial_number(23).not_valid_before(datetime.datetime(2020, 1, 1))
        .not_valid_after(datetime.datetime(2030, 1, 1, 12, 0, 0))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .sign(root_key, hashes.SHA256()))
with open("chain-signer-short.pem", "wb") as f:
    f.write(cert.public_bytes(serialization.Encoding.PEM))
with open("chain-signer-short.key", "wb") as f:
    f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption()))
