"""A NAS's CoA/Disconnect listener for tests (RFC 5176), built on ``pyrad.server``.

Plain Python (no Odoo import). It listens on a free 127.0.0.1 UDP port,
drops requests whose authenticator does not match the secret (pyrad checks
it), records every request it accepts and answers with an ACK, or with a NAK
and an ``Error-Cause`` when told to.
"""

from __future__ import annotations

import socket
import threading
import time

from pyrad import packet, server

from ..lib import coa


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class CoaServer(server.Server):
    def __init__(self, secret):
        self.port = _free_port()
        super().__init__(
            addresses=["127.0.0.1"],
            coaport=self.port,
            hosts={"127.0.0.1": server.RemoteHost("127.0.0.1", secret.encode(), "test-nas")},
            dict=coa.dictionary(),
            auth_enabled=False,
            acct_enabled=False,
            coa_enabled=True,
        )
        self.requests = []
        self.nak_cause = None
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

    def wait_for(self, count, timeout=5):
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.requests
