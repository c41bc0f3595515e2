# SPDX-License-Identifier: MIT
"""Certificates of a PEM bundle compared as DER, for the integration tests.

    pemtool.py count BUNDLE CERT   how many times BUNDLE holds CERT
    pemtool.py dups BUNDLE         how many certificates BUNDLE holds more than once
    pemtool.py drop BUNDLE CERT    rewrites BUNDLE (in place) without CERT
"""
import base64
import re
import sys

BLOCK = re.compile(r"-----BEGIN CERTIFICATE-----\s*(.*?)-----END CERTIFICATE-----\n?", re.S)


def ders(text):
    return [base64.b64decode("".join(m.group(1).split())) for m in BLOCK.finditer(text)]


def read(path):
    with open(path, encoding="ascii", errors="replace") as f:
        return f.read()


def main(argv):
    cmd, bundle = argv[1], argv[2]
    text = read(bundle)
    if cmd == "count":
        want = ders(read(argv[3]))[0]
        print(sum(d == want for d in ders(text)))
    elif cmd == "dups":
        all_ders = ders(text)
        print(len(all_ders) - len(set(all_ders)))
    elif cmd == "drop":
        want = ders(read(argv[3]))[0]
        kept = BLOCK.sub(lambda m: "" if ders(m.group(0))[0] == want else m.group(0), text)
        with open(bundle, "w", encoding="ascii") as f:
            f.write(kept)
    else:
        sys.exit("unknown command " + cmd)


main(sys.argv)
