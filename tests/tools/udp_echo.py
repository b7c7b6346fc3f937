#!/usr/bin/env python3
"""udp_echo.py NAME PORT: answers every datagram with "NAME client=ADDR"."""
import socket
import sys

sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.bind(("0.0.0.0", int(sys.argv[2])))
while True:
    data, peer = sock.recvfrom(2048)
    sock.sendto(f"{sys.argv[1]} client={peer[0]}".encode(), peer)
