# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""A NAS's CoA/Disconnect listener for tests (RFC 5176), built on ``pyrad.server``.

Plain Python (no Odoo import). It listens on a free 127.0.0.1 UDP port,
drops requests whose authenticator does not match the secret (pyrad checks
it), records every request it accepts and answers with an ACK, with a NAK
and an ``Error-Cause`` when told to (``nak_cause``), or not at all, as a NAS
that is down or behind a firewall (``silent``).
"""

from __future__ import annotations

import socket
import threading
import time

from pyrad import packet, server

from ..lib import coa


def _free_port(address):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((address, 0))
        return sock.getsockname()[1]


class CoaServer(server.Server):
    """``address``: any loopback address (127.0.0.2 is a second NAS); requests are
    accepted from 127.0.0.1."""

    def __init__(self, secret, address="127.0.0.1"):
        self.address = address
        self.port = _free_port(address)
        super().__init__(
            addresses=[address],
            coaport=self.port,
            hosts={"127.0.0.1": server.RemoteHost("127.0.0.1", secret.encode(), "test-nas")},
            dict=coa.dictionary(),
            auth_enabled=False,
            acct_enabled=False,
            coa_enabled=True,
        )
        self.requests = []
        self.nak_cause = None
        self.silent = False
        self._thread = threading.Thread(target=self.Run, name=f"coa-server-{self.port}", daemon=True)

    def start(self):
        self._thread.start()
        return self

    def _answer(self, request, ack_code, nak_code):
        self.requests.append(
            {
                "code": request.code,
                "attributes": {name: request[name] for name in request.keys()},
            }
        )
        if self.silent:
            return
        if self.nak_cause:
            reply = self.CreateReplyPacket(request, **{"Error-Cause": self.nak_cause})
            reply.code = nak_code
        else:
            reply = self.CreateReplyPacket(request)
            reply.code = ack_code
        self.SendReplyPacket(request.fd, reply)

    def HandleCoaPacket(self, pkt):
        self._answer(pkt, packet.CoAACK, packet.CoANAK)

    def HandleDisconnectPacket(self, pkt):
        self._answer(pkt, packet.DisconnectACK, packet.DisconnectNAK)

    def reset(self):
        """Forget the requests and answer with an ACK again."""
        self.requests.clear()
        self.nak_cause = None
        self.silent = False

    def wait_for(self, count, timeout=5):
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.requests
