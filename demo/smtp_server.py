#!/usr/bin/python3
"""The demo's mail server: aiosmtpd on port 25, delivering into a Maildir.

Run as PID 1 of its container by scripts/demo (`nsnet run mailK ... --
/usr/bin/python3 /srv/smtp_server.py`). Every accepted message is stored in
the Maildir /var/mail/inbox of the container's own root filesystem, with a
Received header naming this server and the client address it saw, so the
demo can show where each message landed and that the client's real address
survived port publishing.
"""
import asyncio
import mailbox
import os
import signal
import socket
import sys
from email.parser import BytesHeaderParser
from email.utils import formatdate

from aiosmtpd.smtp import SMTP

MAILDIR = "/var/mail/inbox"
PORT = 25


class MaildirHandler:
    def __init__(self, hostname: str, maildir: mailbox.Maildir):
        self.hostname = hostname
        self.maildir = maildir

    async def handle_DATA(self, server, session, envelope):
        peer = session.peer[0]
        # Prepended, as a real MTA does: the newest Received header comes first.
        trace = (f"X-Peer: {peer}\n"
                 f"Received: from {session.host_name} ([{peer}])\n"
                 f"\tby {self.hostname} (nsnet demo); {formatdate()}\n").encode()
        # Stored with Unix line ends, as mail files on disk usually are.
        key = self.maildir.add(trace + envelope.original_content.replace(b"\r\n", b"\n"))
        subject = BytesHeaderParser().parsebytes(envelope.original_content).get("Subject", "")
        print(f"{self.hostname}: stored {key} from {peer} for {','.join(envelope.rcpt_tos)}: "
              f"{subject}", flush=True)
        return "250 OK stored in " + MAILDIR


async def serve() -> None:
    hostname = socket.gethostname()
    maildir = mailbox.Maildir(MAILDIR, create=True)
    handler = MaildirHandler(hostname, maildir)
    loop = asyncio.get_running_loop()
    server = await loop.create_server(
        lambda: SMTP(handler, hostname=hostname, ident="ESMTP nsnet demo"), "0.0.0.0", PORT)
    # PID 1 gets no default signal actions: without these handlers TERM would
    # be ignored and `nsnet stop` would have to wait for its KILL.
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    print(f"{hostname}: listening on 0.0.0.0:{PORT} as pid {os.getpid()}, "
          f"mailbox {MAILDIR}", flush=True)
    async with server:
        await stop.wait()
    print(f"{hostname}: stopping", flush=True)


if __name__ == "__main__":
    sys.exit(asyncio.run(serve()))
