#!/usr/bin/env python3
"""A tiny SMTP server for tests: smtp_banner.py NAME [PORT] [ADDR].

Greets with "220 NAME ESMTP client=ADDR", so a client sees both which server
answered and the source address that server saw; speaks enough SMTP
(EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) for swaks.
"""
import socketserver
import sys

NAME = sys.argv[1]
PORT = int(sys.argv[2]) if len(sys.argv) > 2 else 25
ADDR = sys.argv[3] if len(sys.argv) > 3 else "0.0.0.0"


class Smtp(socketserver.StreamRequestHandler):
    def reply(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def handle(self):
        client = self.client_address[0].removeprefix("::ffff:")
        print(f"{NAME} connection from {client}", flush=True)
        self.reply(f"220 {NAME} ESMTP client={client}")
        for raw in self.rfile:
            verb = raw.decode(errors="replace").strip().split(" ")[0].upper()
            if verb == "EHLO":
                self.reply(f"250-{NAME} hello {client}")
                self.reply("250 8BITMIME")
            elif verb == "DATA":
                self.reply("354 end with <CRLF>.<CRLF>")
                for body in self.rfile:
                    if body.rstrip(b"\r\n") == b".":
                        break
                self.reply(f"250 queued by {NAME}")
            elif verb == "QUIT":
                self.reply(f"221 {NAME} bye")
                return
            elif verb in ("HELO", "MAIL", "RCPT", "RSET", "NOOP"):
                self.reply(f"250 {NAME} ok")
            else:
                self.reply("502 not implemented")


class Server(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True
    address_family = __import__("socket").AF_INET6 if ":" in ADDR else __import__("socket").AF_INET


Server((ADDR, PORT), Smtp).serve_forever()
