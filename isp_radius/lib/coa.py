# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""CoA and Disconnect requests (RFC 5176) to a NAS, with pyrad.

:func:`send` builds one request for one session, waits for the NAS's answer
with a timeout and retries, and returns a :class:`Result` instead of raising,
so the caller can log what the NAS said on the subscription.
"""

import functools
import select
import socket
from dataclasses import dataclass
from pathlib import Path

from pyrad import packet
from pyrad.client import Client, Timeout
from pyrad.dictionary import Dictionary

DICTIONARY_PATH = Path(__file__).with_name("dictionary")
DEFAULT_PORT = 3799
DISCONNECT = "disconnect"
COA = "coa"
_REQUEST_CODES = {DISCONNECT: packet.DisconnectRequest, COA: packet.CoARequest}
_ACKS = {packet.DisconnectACK, packet.CoAACK}


class _Client(Client):
    """pyrad's client on a socket without ``SO_REUSEADDR``. pyrad sets it, and then the kernel
    may give the request an ephemeral port that another socket of this host holds with
    ``SO_REUSEADDR`` (a RADIUS server, a CoA listener): the NAS's answer is delivered to that
    socket, and the request ends without an answer although the NAS acknowledged it."""

    def _SocketOpen(self):
        if not self._socket:
            try:
                family = socket.getaddrinfo(self.server, DEFAULT_PORT)[0][0]
            except OSError:
                family = socket.AF_INET  # as pyrad does: the send reports the error
            self._socket = socket.socket(family, socket.SOCK_DGRAM)
            self._poll.register(self._socket, select.POLLIN)


@functools.cache
def dictionary():
    """The attribute dictionary, parsed once."""
    return Dictionary(str(DICTIONARY_PATH))


@dataclass(frozen=True)
class Result:
    """What the NAS answered: ``ok`` (an ACK); ``answered`` is False on no answer at all."""

    ok: bool
    message: str
    error_cause: str = ""
    answered: bool = True


def send(kind, nas_ip, secret, attributes, port=DEFAULT_PORT, timeout=3, retries=2):
    """Send a ``coa`` or ``disconnect`` request; ``attributes`` maps names to values."""
    client = _Client(server=nas_ip, secret=secret.encode(), dict=dictionary(), coaport=port)
    client.timeout = timeout
    client.retries = retries + 1  # pyrad counts attempts, not retries
    request = client.CreateCoAPacket(code=_REQUEST_CODES[kind])
    for name, value in attributes.items():
        if value not in (None, False, ""):
            request[name] = value
    request.add_message_authenticator()
    try:
        reply = client.SendPacket(request)
    except Timeout:
        return Result(False, f"no answer from {nas_ip}:{port} after {retries + 1} tries", answered=False)
    except OSError as error:
        return Result(False, f"{nas_ip}:{port}: {error}", answered=False)
    cause = reply.get("Error-Cause", [""])[0] if "Error-Cause" in reply else ""
    if reply.code in _ACKS:
        return Result(True, "ACK", str(cause))
    return Result(False, "NAK", str(cause))
