#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A server that accepts TCP connections on 127.0.0.1 and never answers.

usage: stall-server.py PORT_FILE LOG_FILE

Binds a port chosen by the kernel, writes it to PORT_FILE (atomically, so a
reader never sees half a number), appends one line to LOG_FILE per connection
accepted, and keeps every connection open and silent until it is killed. It
stands for what nginx cannot be made to do: a server that hangs mid-request.
"""
import os
import signal
import socket
import sys


def main():
    port_file, log_file = sys.argv[1], sys.argv[2]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.getsockname()[1])
    os.rename(tmp, port_file)
    held = []
    while True:
        conn, _ = srv.accept()
        held.append(conn)
        with open(log_file, "a") as f:
            f.write("accepted\n")


if __name__ == "__main__":
    main()
