#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""A scripted SMTP server for what a real one cannot be made to do.

usage: fake-smtp.py PORT SCENARIO [CERT KEY]

Listens on 127.0.0.1:PORT, serves connections one at a time with SCENARIO,
and exits after 60 seconds or when killed. Scenarios:
  multiline   multi-line greeting and EHLO replies, STARTTLS with CERT/KEY,
              then a normal session (verifies when the client trusts CERT)
  malformed   a greeting without a reply code
  mixed       a multi-line reply whose lines carry different codes
  longline    a greeting line longer than 512 octets
  stall       accepts and never says anything
  inject      answers STARTTLS and, in the same write, a forged reply
  tlsstall    answers STARTTLS, then never begins the TLS handshake
  slow        multiline, but every reply comes 0.5 s late
  hostile     multiline, and the queue id of an accepted message carries a
              terminal escape sequence and a byte that is not UTF-8
"""
import socket
import ssl
import sys
import time

port, scenario = int(sys.argv[1]), sys.argv[2]
cert = sys.argv[3] if len(sys.argv) > 3 else None
key = sys.argv[4] if len(sys.argv) > 4 else None
DEADLINE = time.monotonic() + 60


class Conn:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b""

    def send(self, data):
        if scenario == "slow":
            time.sleep(0.5)
        self.sock.sendall(data)

    def line(self):
        while b"\n" not in self.buf:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise EOFError
            self.buf += chunk
            if len(self.buf) > 4096:
                raise EOFError
        line, self.buf = self.buf.split(b"\n", 1)
        return line.rstrip(b"\r").decode("ascii", "replace")


def session(conn, tls_ctx):
    """A plain session after the greeting: EHLO, STARTTLS, the envelope, QUIT."""
    while True:
        cmd = conn.line().upper()
        if cmd.startswith("EHLO"):
            offers = [] if isinstance(conn.sock, ssl.SSLSocket) else ["STARTTLS"]
            lines = ["fake.test greets you", "PIPELINING", "SIZE 1000000"] + offers + ["8BITMIME"]
            conn.send("".join("250%s%s\r\n" % ("-" if i < len(lines) - 1 else " ", l)
                              for i, l in enumerate(lines)).encode())
        elif cmd == "STARTTLS":
            if scenario == "inject":
                conn.send(b"220 2.0.0 Ready to start TLS\r\n250 2.0.0 injected reply\r\n")
                return
            conn.send(b"220 2.0.0 Ready to start TLS\r\n")
            if scenario == "tlsstall":  # agrees to TLS, then never shakes hands
                time.sleep(max(0, min(20, DEADLINE - time.monotonic())))
                return
            conn.sock = tls_ctx.wrap_socket(conn.sock, server_side=True)
        elif cmd.startswith("MAIL") or cmd.startswith("RCPT") or cmd == "RSET":
            conn.send(b"250 2.0.0 Ok\r\n")
        elif cmd == "DATA":
            conn.send(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            while conn.line() != ".":
                pass
            queue_id = b"\x1b[2J\x1b]0;owned\x07Q\xff1" if scenario == "hostile" else b"4ABC"
            conn.send(b"250 2.0.0 Ok: queued as " + queue_id + b"\r\n")
        elif cmd == "QUIT":
            conn.send(b"221 2.0.0 Bye\r\n")
            return
        else:
            conn.send(b"502 5.5.2 Error: command not recognized\r\n")


def serve(sock, tls_ctx):
    conn = Conn(sock)
    if scenario == "stall":
        time.sleep(max(0, min(20, DEADLINE - time.monotonic())))
        return
    if scenario == "malformed":
        conn.send(b"hello, this is not SMTP\r\n")
    elif scenario == "mixed":
        conn.send(b"220-fake.test first line\r\n250 fake.test second line\r\n")
    elif scenario == "longline":
        conn.send(b"220 " + b"x" * 600 + b"\r\n")
    elif scenario in ("multiline", "inject", "slow", "hostile", "tlsstall"):
        conn.send(b"220-fake.test ESMTP\r\n220-this greeting has\r\n220 three lines\r\n")
        session(conn, tls_ctx)
        return
    try:
        conn.line()
    except EOFError:
        pass


def main():
    tls_ctx = None
    if cert:
        tls_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_ctx.load_cert_chain(cert, key)
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(8)
    while time.monotonic() < DEADLINE:
        srv.settimeout(max(0.1, DEADLINE - time.monotonic()))
        try:
            sock, _ = srv.accept()
        except socket.timeout:
            break
        sock.settimeout(30)
        try:
            serve(sock, tls_ctx)
        except (EOFError, OSError, ssl.SSLError):
            pass
        finally:
            sock.close()


if __name__ == "__main__":
    main()
