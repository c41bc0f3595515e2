# SPDX-License-Identifier: MIT
"""Many self-signed roots in one PEM bundle, fast (one P-256 key signs them all),
for the limit tests and the big-bundle benchmark.

    many-roots.py COUNT BUNDLE [PINS]

writes COUNT valid roots ("CN=Many Root N") to BUNDLE and, when PINS is given,
their pins ("sha256:<hex>", one a line, in the bundle's order) to PINS.
"""
import datetime
import hashlib
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


def main(argv):
    count, bundle = int(argv[1]), argv[2]
    key = ec.generate_private_key(ec.SECP256R1())
    now = datetime.datetime.now(datetime.timezone.utc)
    usage = x509.KeyUsage(digital_signature=False, content_commitment=False,
                          key_encipherment=False, data_encipherment=False,
                          key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False)
    pins = []
    with open(bundle, "wb") as out:
        for i in range(count):
            name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Many Root %d" % i)])
            cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                    .public_key(key.public_key()).serial_number(i + 1)
                    .not_valid_before(now - datetime.timedelta(days=1))
                    .not_valid_after(now + datetime.timedelta(days=3650))
                    .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                    .add_extension(usage, critical=True)
                    .sign(key, hashes.SHA256()))
            out.write(cert.public_bytes(serialization.Encoding.PEM))
            pins.append("sha256:" + hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest())
    if len(argv) > 3:
        with open(argv[3], "w") as f:
            f.write("".join(p + "\n" for p in pins))


if __name__ == "__main__":
    main(sys.argv)
