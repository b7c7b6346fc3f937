#!/usr/bin/env python3
"""probe.py tcp|udp HOST PORT [SOURCE_PORT]: prints the first line the server says
(tcp: its greeting; udp: its answer to one datagram). Exits 1 on timeout or
refusal, so a test can assert that something is NOT reachable.

PROBE_TIMEOUT (seconds, default 20) bounds the wait. An answer may take
seconds on a loaded CI machine; a test that expects none sets it short, as a
dropped packet makes the probe wait for all of it."""
import os
import socket
import sys

kind, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
family = socket.AF_INET6 if ":" in host else socket.AF_INET
sock = socket.socket(family, socket.SOCK_STREAM if kind == "tcp" else socket.SOCK_DGRAM)
sock.settimeout(float(os.environ.get("PROBE_TIMEOUT", "20")))
if len(sys.argv) > 4:
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("", int(sys.argv[4])))
try:
    if kind == "tcp":
        sock.connect((host, port))
        print(sock.makefile().readline().strip())
    else:
        sock.sendto(b"ping", (host, port))
        print(sock.recv(2048).decode())
except OSError as e:
    print(f"probe {kind} {host}:{port}: {e}", file=sys.stderr)
    sys.exit(1)
