#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A man in the middle that strips STARTTLS from an SMTP server's replies.

usage: strip-starttls.py PORTFILE UPSTREAM_PORT

Listens on a free port of 127.0.0.1 (written to PORTFILE once listening),
relays every connection to 127.0.0.1:UPSTREAM_PORT and overwrites the word
STARTTLS in what the server says with XXXXXXXA, as some firewalls' "SMTP
fixup" does: the client sees a server that does not offer it. Runs until
killed.
"""
import os
import socket
import sys
import threading

portfile, upstream = sys.argv[1], int(sys.argv[2])


def pump(src, dst, strip):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            if strip:
                data = data.replace(b"STARTTLS", b"XXXXXXXA")
            dst.sendall(data)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def relay(client):
    try:
        server = socket.create_connection(("127.0.0.1", upstream), timeout=10)
    except OSError:
        client.close()
        return
    server.settimeout(None)
    threading.Thread(target=pump, args=(client, server, False), daemon=True).start()
    pump(server, client, True)
    client.close()
    server.close()


def main():
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    with open(portfile + ".tmp", "w") as f:
        f.write("%d\n" % sock.getsockname()[1])
    os.rename(portfile + ".tmp", portfile)
    while True:
        client, _ = sock.accept()
        threading.Thread(target=relay, args=(client,), daemon=True).start()


main()
