# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""CoA and Disconnect requests (isp_radius.lib.coa) against a pyrad NAS listener."""

import socket
from contextlib import ExitStack

import pytest

from isp_radius.lib import coa
from isp_radius.tests.coa_server import CoaServer


@pytest.fixture(scope="module")
def nas():
    return CoaServer("coa-secret").start()


def test_disconnect_is_acknowledged(nas):
    nas.requests.clear()
    nas.nak_cause = None
    result = coa.send(
        coa.DISCONNECT,
        "127.0.0.1",
        "coa-secret",
        {"User-Name": "budi", "Acct-Session-Id": "81a00001"},
        port=nas.port,
    )
    assert result.ok and result.message == "ACK"
    (request,) = nas.wait_for(1)
    assert request["code"] == 40  # Disconnect-Request
    assert request["attributes"]["User-Name"] == ["budi"]
    assert request["attributes"]["Acct-Session-Id"] == ["81a00001"]


def test_coa_carries_the_new_speed(nas):
    nas.requests.clear()
    nas.nak_cause = None
    result = coa.send(
        coa.COA,
        "127.0.0.1",
        "coa-secret",
        {"User-Name": "budi", "Mikrotik-Rate-Limit": "2M/4M"},
        port=nas.port,
    )
    assert result.ok
    (request,) = nas.wait_for(1)
    assert request["code"] == 43  # CoA-Request
    assert request["attributes"]["Mikrotik-Rate-Limit"] == ["2M/4M"]


def test_nak_reports_the_error_cause(nas):
    nas.requests.clear()
    nas.nak_cause = "Session-Context-Not-Found"
    result = coa.send(coa.DISCONNECT, "127.0.0.1", "coa-secret", {"User-Name": "gone"}, port=nas.port)
    assert not result.ok
    assert result.message == "NAK"
    assert result.error_cause == "Session-Context-Not-Found"


def test_wrong_secret_gets_no_answer(nas):
    nas.requests.clear()
    result = coa.send(
        coa.DISCONNECT,
        "127.0.0.1",
        "not-the-secret",
        {"User-Name": "budi"},
        port=nas.port,
        timeout=0.3,
        retries=1,
    )
    assert not result.ok
    assert not result.answered
    assert "no answer" in result.message
    assert not nas.requests, "the NAS drops a request whose authenticator does not match"


def test_a_silent_nas_is_told_from_a_nak(nas):
    nas.reset()
    nas.silent = True
    result = coa.send(
        coa.DISCONNECT, "127.0.0.1", "coa-secret", {"User-Name": "budi"}, port=nas.port, timeout=0.3
    )
    assert (result.ok, result.answered) == (False, False)
    assert len(nas.wait_for(3)) == 3, "each of the three tries arrived, none was answered"
    nas.reset()
    nas.nak_cause = "Resources-Unavailable"
    result = coa.send(coa.DISCONNECT, "127.0.0.1", "coa-secret", {"User-Name": "budi"}, port=nas.port)
    assert (result.ok, result.answered, result.error_cause) == (False, True, "Resources-Unavailable")


def test_the_answer_reaches_the_request_when_other_sockets_share_ports(nas):
    """Sockets of this host bound with SO_REUSEADDR (a RADIUS server, a CoA listener, here 900
    of them on 127.0.0.1) never take the request's port, so never its answer: with pyrad's own
    socket about 1 request in 30 took one of their ports and ended with no answer."""
    nas.reset()
    with ExitStack() as stack:
        for _index in range(900):
            other = stack.enter_context(socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
            other.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            other.bind(("127.0.0.1", 0))
        results = [
            coa.send(
                coa.DISCONNECT, "127.0.0.1", "coa-secret", {"User-Name": f"u{n}"}, port=nas.port, timeout=0.5
            )
            for n in range(200)
        ]
    assert [result.message for result in results if not result.ok] == []
