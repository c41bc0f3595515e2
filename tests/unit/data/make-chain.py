#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Makes the signing fixtures the trust-chain tests sign bundles with at run
# time: chain-root.pem (a distribution root) and chain-signer.pem (codeSigning,
# issued by it), with their keys. Valid 2020 to 2040. Run from this directory;
# the pin of chain-root.pem in test-trustchain.c must then be updated.
import datetime
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec

START, END = datetime.datetime(2020, 1, 1), datetime.datetime(2040, 1, 1)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "anchorsync unit")])


def usage(cert_sign):
    return x509.KeyUsage(digital_signature=not cert_sign, content_commitment=False,
                         key_encipherment=False, data_encipherment=False,
                         key_agreement=False, key_cert_sign=cert_sign, crl_sign=cert_sign,
                         encipher_only=False, decipher_only=False)


def save(stem, key, cert):
    with open(stem + ".pem", "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(stem + ".key", "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM,
                                  serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))


root_key = ec.generate_private_key(ec.SECP256R1())
root = (x509.CertificateBuilder().subject_name(name("Unit Chain Root"))
        .issuer_name(name("Unit Chain Root")).public_key(root_key.public_key())
        .serial_number(21).not_valid_before(START).not_valid_after(END)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage(True), critical=True)
        .sign(root_key, hashes.SHA256()))
save("chain-root", root_key, root)

signer_key = ec.generate_private_key(ec.SECP256R1())
signer = (x509.CertificateBuilder().subject_name(name("Unit Chain Signer"))
          .issuer_name(name("Unit Chain Root")).public_key(signer_key.public_key())
          .serial_number(22).not_valid_before(START).not_valid_after(END)
          .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
          .add_extension(usage(False), critical=True)
          .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]),
                         critical=False)
          .sign(root_key, hashes.SHA256()))
save("chain-signer", signer_key, signer)
