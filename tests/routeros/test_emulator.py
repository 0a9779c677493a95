# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The RouterOS emulator, exercised through the real ``librouteros`` client."""

from __future__ import annotations

import shutil
import socket
import ssl
import threading
import time

import librouteros
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from librouteros.exceptions import ConnectionClosed, FatalError, MultiTrapError, TrapError
from librouteros.login import token
from librouteros.query import And, Key, Or

from isp_network.tests import routeros_emulator as emulator
from isp_network.tests.routeros_emulator import (
    PPPLoginRejected,
    RouterOSEmulator,
    decode_length,
    encode_length,
    self_signed_context,
)

SECRETS = ("ppp", "secret")
QUEUES = ("queue", "simple")
ADDRESS_LIST = ("ip", "firewall", "address-list")


def _ids(rows):
    return [row[".id"] for row in rows]


# --------------------------------------------------------------------------- wire format


@pytest.mark.parametrize(
    "length", [0, 1, 0x7F, 0x80, 0x3FFF, 0x4000, 0x1FFFFF, 0x200000, 0xFFFFFFF, 0x10000000]
)
def test_length_encoding_round_trips(length):
    encoded = encode_length(length)
    rest = iter([encoded[1:]])
    assert decode_length(encoded[0], lambda n: next(rest)[:n]) == length
    if length < 0x10000000:
        assert encoded == librouteros.protocol.encode_length(length)


@given(st.integers(min_value=0, max_value=0xFFFFFFF))
def test_length_encoding_matches_librouteros(length):
    encoded = encode_length(length)
    assert encoded == librouteros.protocol.encode_length(length)
    assert librouteros.protocol.decode_length(encoded) == length


_TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(comment=_TEXT)
def test_any_ascii_value_round_trips(routeros_api, comment):
    """Whatever the client sends comes back word for word (librouteros then casts "7" and "yes")."""
    queues = routeros_api.path(*QUEUES)
    qid = queues.add(target="10.0.0.1", comment=comment)
    (row,) = queues.select(Key("comment")).where(Key(".id") == qid)
    expected = librouteros.protocol.parse_word(f"=comment={comment}")[1]
    assert row.get("comment", "") == expected
    queues.remove(qid)


def test_long_words_cross_length_boundaries(routeros_api):
    comment = "x" * 20000  # three-byte length prefix both ways
    secrets = routeros_api.path(*SECRETS)
    secrets.add(name="long", password="p", comment=comment)
    (row,) = secrets.select(Key("comment")).where(Key("name") == "long")
    assert row["comment"] == comment


# --------------------------------------------------------------------------- login


def test_login_ok_and_identity(routeros_api, routeros, routeros_connect):
    assert tuple(routeros_api("/system/identity/print")) == ({"name": "MikroTik"},)
    assert routeros.connection_count == 1
    routeros.add_user("ops", "pw")
    assert tuple(routeros_connect("ops", "pw")("/system/identity/print"))


def test_login_failure_is_a_trap(routeros, routeros_connect):
    with pytest.raises(TrapError, match=r"invalid user name or password \(6\)"):
        routeros_connect(password="wrong")
    with pytest.raises(TrapError):
        routeros_connect(username="nobody")


def test_refused_logins(routeros, routeros_connect):
    routeros.refuse_logins = True
    with pytest.raises(TrapError):
        routeros_connect()
    routeros.refuse_logins = False
    assert routeros_connect()


def test_token_login_method(routeros_connect):
    api = routeros_connect(login_method=token)
    assert next(iter(api("/system/identity/print")))["name"] == "MikroTik"


def test_command_before_login_is_fatal(routeros):
    api = librouteros.Api(
        librouteros.protocol.ApiProtocol(
            librouteros.connections.SocketTransport(
                socket.create_connection((routeros.host, routeros.port), 5)
            ),
            "ASCII",
        )
    )
    with pytest.raises(FatalError, match="not logged in"):
        tuple(api("/ppp/secret/print"))


def test_quit_is_fatal(routeros_api):
    with pytest.raises(FatalError, match="session terminated on request"):
        tuple(routeros_api("/quit"))


@pytest.mark.parametrize("maker", ["cryptography", "openssl"])
def test_api_ssl(tmp_path, monkeypatch, maker):
    if maker == "openssl":
        if not shutil.which("openssl"):
            pytest.skip("no openssl command")

        def unavailable(*args):
            raise ImportError("cryptography")

        monkeypatch.setattr(emulator, "_write_certificate_cryptography", unavailable)
    else:
        pytest.importorskip("cryptography")
    server_ctx = self_signed_context(tmp_path)
    client_ctx = ssl.create_default_context()
    client_ctx.check_hostname = False
    client_ctx.verify_mode = ssl.CERT_NONE
    with RouterOSEmulator(password="pw", ssl_context=server_ctx) as router:
        api = librouteros.connect(
            router.host, "admin", "pw", port=router.port, ssl_wrapper=client_ctx.wrap_socket
        )
        assert next(iter(api("/system/identity/print")))["name"] == "MikroTik"
        api.close()


# --------------------------------------------------------------------------- add / print / set / remove


def test_add_print_set_remove(routeros_api, routeros):
    secrets = routeros_api.path(*SECRETS)
    first = secrets.add(
        name="alice", password="a", service="pppoe", profile="default", **{"remote-address": "10.0.0.2"}
    )
    assert first == "*1"
    assert secrets.add(name="bob", password="b") == "*2"
    rows = tuple(secrets)
    assert _ids(rows) == ["*1", "*2"]
    alice = rows[0]
    assert alice["name"] == "alice"
    assert alice["service"] == "pppoe"
    assert alice["remote-address"] == "10.0.0.2"
    assert alice["disabled"] is False  # sent as "false", parsed by librouteros
    assert "comment" not in alice and "local-address" not in alice  # unset values are absent

    secrets.update(**{".id": first, "password": "new", "comment": "vip"})
    tuple(secrets("set", numbers="bob", profile="default-encryption"))  # numbers also takes a name
    assert routeros.get("/ppp/secret", name="alice")["password"] == "new"
    assert routeros.get("/ppp/secret", name="bob")["profile"] == "default-encryption"

    tuple(secrets("unset", numbers=first, **{"value-name": "remote-address,comment"}))
    assert "remote-address" not in routeros.get("/ppp/secret", name="alice")

    secrets.remove(first)
    assert _ids(secrets) == ["*2"]


def test_ids_increase_and_are_never_reused(routeros_api):
    queues = routeros_api.path(*QUEUES)
    ids = [queues.add(name=f"q{n}", target=f"10.0.0.{n}") for n in range(1, 12)]
    assert ids[-2:] == ["*A", "*B"]
    # Ids compare as numbers in queries (*9 < *A), not as text.
    assert _ids(queues.select(Key(".id")).where(Key(".id") > "*9")) == ["*A", "*B"]
    queues.remove(*ids)
    assert queues.add(name="again", target="10.0.1.1") == "*C"


def test_remove_several_ids_at_once(routeros_api):
    lists = routeros_api.path(*ADDRESS_LIST)
    ids = [lists.add(list="blocked", address=f"192.0.2.{n}") for n in range(3)]
    lists.remove(ids[0], ids[2])
    assert [row["address"] for row in lists] == ["192.0.2.1"]


def test_enable_disable(routeros_api, routeros):
    secrets = routeros_api.path(*SECRETS)
    sid = secrets.add(name="carol", password="c")
    tuple(secrets("disable", **{".id": sid}))
    assert routeros.get("/ppp/secret", name="carol")["disabled"] == "true"
    tuple(secrets("enable", numbers=sid))
    assert routeros.get("/ppp/secret", name="carol")["disabled"] == "false"


def test_booleans_accept_yes_no_true_false(routeros_api, routeros):
    secrets = routeros_api.path(*SECRETS)
    for name, value in (("a", "yes"), ("b", "true"), ("c", "no"), ("d", "false")):
        tuple(routeros_api.rawCmd("/ppp/secret/add", f"=name={name}", f"=disabled={value}"))
    secrets.add(name="e", disabled=True)  # librouteros sends "yes"
    printed = {row["name"]: row["disabled"] for row in secrets}
    assert printed == {"a": True, "b": True, "c": False, "d": False, "e": True}
    assert {r["disabled"] for r in routeros.rows("/ppp/secret")} == {"true", "false"}
    with pytest.raises(TrapError, match="invalid value for argument disabled") as err:
        secrets.add(name="f", disabled="maybe")
    assert err.value.category == 1


def test_queue_values_are_normalised(routeros_api):
    queues = routeros_api.path(*QUEUES)
    qid = queues.add(target="10.0.0.5", **{"max-limit": "10M/20M", "limit-at": "512k", "burst-time": "8s"})
    (row,) = (r for r in queues if r[".id"] == qid)
    assert row["name"] == "queue1"  # RouterOS names an unnamed queue
    assert row["target"] == "10.0.0.5/32"
    assert row["max-limit"] == "10000000/20000000"
    assert row["limit-at"] == "512000/512000"
    assert row["burst-time"] == "8s/8s"
    assert row["bytes"] == "0/0"
    # A query operand is read like an input value.
    assert len(tuple(queues.select(Key(".id")).where(Key("max-limit") == "10M/20M"))) == 1


def test_single_item_menus(routeros_api):
    (resource,) = routeros_api.path("system", "resource")
    assert ".id" not in resource
    assert resource["board-name"] == "CHR"
    assert resource["version"].startswith("7.")
    identity = routeros_api.path("system", "identity")
    identity.update(name="core-1")
    assert tuple(identity) == ({"name": "core-1"},)


def test_tests_can_read_and_change_state_directly(routeros, routeros_api):
    with routeros.lock:
        (identity,) = routeros.state["/system/identity"].items.values()
        identity["name"] = "edge-7"
    assert next(iter(routeros_api.path("system", "identity")))["name"] == "edge-7"
    sid = routeros.add("/ppp/secret", name="hank", password="h", remote_address="10.7.0.2")
    routeros.set("/ppp/secret", sid, disabled=True)
    assert routeros.get("/ppp/secret", name="hank")["disabled"] == "true"
    with pytest.raises(emulator.Trap, match="secret with the same name"):
        routeros.add("/ppp/secret", name="hank")  # the helpers validate like the API
    routeros.remove("/ppp/secret", "hank")
    assert routeros.rows("/ppp/secret") == []


# --------------------------------------------------------------------------- print: proplist, queries, count


@pytest.fixture
def populated(routeros):
    for n in range(1, 6):
        routeros.add(
            "/ppp/secret",
            name=f"user{n}",
            password="x",
            disabled=n % 2 == 0,
            service="pppoe" if n < 4 else "l2tp",
        )
    return routeros


def test_proplist(routeros_api, populated):
    rows = tuple(routeros_api.path(*SECRETS).select(Key("name"), Key("disabled")))
    assert rows[0] == {"name": "user1", "disabled": False}
    rows = tuple(routeros_api.path(*SECRETS).select(Key(".id"), Key("name")))
    assert rows[1] == {".id": "*2", "name": "user2"}


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (Key("name") == "user3", ["user3"]),
        (Key("name") != "user3", ["user1", "user2", "user4", "user5"]),
        (Key("disabled") == False, ["user1", "user3", "user5"]),  # noqa: E712  librouteros's query builder
        (Key("disabled") == True, ["user2", "user4"]),  # noqa: E712
        (Key("name").In("user1", "user5", "nobody"), ["user1", "user5"]),
        (And(Key("service") == "pppoe", Key("disabled") == False), ["user1", "user3"]),  # noqa: E712
        (Or(Key("service") == "l2tp", Key("name") == "user1"), ["user1", "user4", "user5"]),
        (Key("limit-bytes-in") > -1, ["user1", "user2", "user3", "user4", "user5"]),
        (Key(".id") < "*3", ["user1", "user2"]),
    ],
)
def test_queries(routeros_api, populated, where, expected):
    rows = routeros_api.path(*SECRETS).select(Key("name")).where(where)
    assert [row["name"] for row in rows] == expected


def test_raw_query_words(routeros_api, populated):
    populated.set("/ppp/secret", "user2", comment="note")

    def names(*words):
        return [row["name"] for row in routeros_api.rawCmd("/ppp/secret/print", "=.proplist=name", *words)]

    assert names("?comment") == ["user2"]
    assert names("?-comment") == ["user1", "user3", "user4", "user5"]
    assert names("?service=l2tp") == ["user4", "user5"]
    assert names("?service=l2tp", "?name=user4", "?#|!") == ["user1", "user2", "user3"]
    with pytest.raises(TrapError):
        names("?#&")


def test_count_only(routeros_api, populated):
    rows = tuple(routeros_api("/ppp/secret/print", **{"count-only": ""}))
    assert rows == ({"ret": 5},)
    rows = tuple(routeros_api.rawCmd("/ppp/secret/print", "=count-only=", "?disabled=yes"))
    assert rows == ({"ret": 2},)


# --------------------------------------------------------------------------- traps


def test_duplicate_traps(routeros_api):
    secrets = routeros_api.path(*SECRETS)
    secrets.add(name="dup")
    with pytest.raises(TrapError, match="failure: secret with the same name already exists"):
        secrets.add(name="dup")
    other = secrets.add(name="other")
    with pytest.raises(TrapError, match="failure: secret with the same name already exists"):
        secrets.update(**{".id": other, "name": "dup"})

    queues = routeros_api.path(*QUEUES)
    queues.add(name="q", target="10.0.0.1")
    with pytest.raises(TrapError, match="failure: queue with the same name already exists"):
        queues.add(name="q", target="10.0.0.2")

    lists = routeros_api.path(*ADDRESS_LIST)
    lists.add(list="suspended", address="10.0.0.9")
    with pytest.raises(TrapError, match="failure: already have such entry"):
        lists.add(list="suspended", address="10.0.0.9/32")  # same address once normalised
    lists.add(list="other", address="10.0.0.9")  # another list is fine


def test_unknown_command_and_prefix(routeros_api):
    with pytest.raises(TrapError, match=r"^no such command$"):
        tuple(routeros_api("/ppp/secret/frobnicate"))
    with pytest.raises(TrapError, match=r"^no such command$"):
        tuple(routeros_api("/ppp/active/add", name="x"))
    with pytest.raises(TrapError, match=r"^no such command$"):
        tuple(routeros_api("/ppp/print"))  # /ppp is a directory, not a menu


def test_unknown_menu_is_two_traps(routeros_api):
    """As on a CHR asked for /system/routerboard: librouteros raises MultiTrapError, not TrapError."""
    with pytest.raises(MultiTrapError) as err:
        tuple(routeros_api("/system/routerboard/getall"))
    first, second = err.value.traps
    assert (first.category, first.message) == (0, "no such command or directory (routerboard)")
    assert (second.category, second.message) == (None, "no such command prefix")
    assert str(err.value) == "no such command or directory (routerboard), no such command prefix"
    with pytest.raises(MultiTrapError, match=r"^no such command or directory \(caps-man\), "):
        tuple(routeros_api("/caps-man/interface/print"))
    with pytest.raises(MultiTrapError, match=r"\(terse\)"):
        tuple(routeros_api("/ppp/secret/print/terse/x"))
    assert tuple(routeros_api("/system/identity/print"))  # the connection is still usable


def test_getall_is_print(routeros_api, populated):
    assert tuple(routeros_api("/ppp/secret/getall")) == tuple(routeros_api("/ppp/secret/print"))
    rows = routeros_api.rawCmd("/ppp/secret/getall", "=.proplist=name", "?disabled=yes")
    assert [row["name"] for row in rows] == ["user2", "user4"]
    (resource,) = routeros_api("/system/resource/getall")
    assert resource["platform"] == "MikroTik"


def test_empty_reply_of_routeros_7_18(routeros, routeros_api):
    """RouterOS 7.18+ sends !empty before !done for an empty print; librouteros 4.2.2 skips it."""
    secrets = routeros_api.path(*SECRETS)
    routeros.empty_replies = True
    assert tuple(secrets) == ()
    assert tuple(secrets.select(Key("name")).where(Key("name") == "nobody")) == ()
    assert tuple(routeros_api("/ppp/secret/print", **{"count-only": ""})) == ({"ret": 0},)
    secrets.add(name="one")
    assert [row["name"] for row in secrets] == ["one"]


def test_unknown_parameter_and_missing_item(routeros_api):
    secrets = routeros_api.path(*SECRETS)
    with pytest.raises(TrapError, match=r"^unknown parameter colour$"):
        secrets.add(name="x", colour="blue")
    with pytest.raises(TrapError, match=r"^no such item$"):
        secrets.update(**{".id": "*99", "password": "p"})
    with pytest.raises(TrapError, match=r"^no such item$"):
        secrets.remove("*99")
    with pytest.raises(TrapError, match="input does not match any value of profile"):
        secrets.add(name="y", profile="missing")
    assert tuple(secrets) == ()  # nothing was half-applied


def test_trap_keeps_connection_usable(routeros_api):
    with pytest.raises(TrapError):
        tuple(routeros_api("/ppp/secret/frobnicate"))
    assert tuple(routeros_api("/system/identity/print"))


def test_read_only_menus_reject_writes(routeros_api):
    with pytest.raises(TrapError, match="unknown parameter running"):
        routeros_api.path("interface").update(**{".id": "*1", "running": True})


# --------------------------------------------------------------------------- PPP sessions


def test_connect_pppoe_requires_enabled_secret(routeros):
    routeros.add("/ppp/secret", name="dave", password="d", service="pppoe", remote_address="10.1.0.2")
    routeros.add("/ppp/secret", name="erin", password="e", disabled=True)
    routeros.add("/ppp/secret", name="l2", password="l", service="l2tp")
    with pytest.raises(PPPLoginRejected):
        routeros.connect_pppoe("erin")
    with pytest.raises(PPPLoginRejected):
        routeros.connect_pppoe("nobody")
    with pytest.raises(PPPLoginRejected):
        routeros.connect_pppoe("l2")
    with pytest.raises(PPPLoginRejected):
        routeros.connect_pppoe("dave", password="wrong")
    routeros.set("/ppp/secret", "dave", limit_bytes_out=5_000_000_000)
    routeros.connect_pppoe("dave", password="d")
    session = routeros.get("/ppp/active", name="dave")
    assert session["address"] == "10.1.0.2"
    assert session["service"] == "pppoe"
    assert session["limit-bytes-out"] == "5000000000"  # the session takes the secret's limits
    assert routeros.get("/interface", name="<pppoe-dave>")["dynamic"] == "true"


def test_disable_keeps_session_remove_drops_it(routeros_api, routeros):
    secrets = routeros_api.path(*SECRETS)
    sid = secrets.add(name="frank", password="f", service="pppoe")
    routeros.connect_pppoe("frank", "100.64.0.10")
    active = routeros_api.path("ppp", "active")

    tuple(secrets("disable", **{".id": sid}))
    (session,) = active
    assert session["name"] == "frank"  # a disabled secret keeps its live session
    assert session["address"] == "100.64.0.10"
    assert session["uptime"] == "0s"
    routeros.advance(3725)
    assert next(iter(active))["uptime"] == "1h2m5s"

    active.remove(session[".id"])
    assert tuple(active) == ()
    assert routeros.get("/interface", name="<pppoe-frank>") is None
    with pytest.raises(PPPLoginRejected):  # and now it cannot come back
        routeros.connect_pppoe("frank")


def test_traffic_counters(routeros_api, routeros):
    routeros.add("/ppp/secret", name="gina", password="g")
    routeros.connect_pppoe("gina", "10.9.0.2")
    routeros_api.path(*QUEUES).add(name="<pppoe-gina>", target="10.9.0.2", **{"max-limit": "5M/10M"})
    routeros.add_traffic("gina", upload=1000, download=5000)
    routeros.add_traffic("gina", upload=500, download=500)
    routeros.add_traffic("ether1", upload=100, download=200)
    (iface,) = (
        routeros_api.path("interface")
        .select(Key("rx-byte"), Key("tx-byte"))
        .where(Key("name") == "<pppoe-gina>")
    )
    assert iface == {"rx-byte": 1500, "tx-byte": 5500}
    (queue,) = routeros_api.path(*QUEUES).select(Key("bytes")).where(Key("name") == "<pppoe-gina>")
    assert queue["bytes"] == "1500/5500"
    assert routeros.get("/interface", name="ether1")["tx-byte"] == "200"
    with pytest.raises(KeyError):
        routeros.add_traffic("nobody", upload=1)


def test_numeric_names_and_yes_are_sent_as_words_and_the_client_converts(routeros_api, routeros):
    """RouterOS sends every value as a word; librouteros makes ints and booleans of some."""
    secrets = routeros_api.path(*SECRETS)
    secrets.add(name="6281234567890", password="yes", service="pppoe")
    secrets.add(name="0812345", password="no")
    routeros.connect_pppoe("6281234567890")
    assert routeros.get("/ppp/secret", name="6281234567890")["password"] == "yes"  # the word itself
    rows = {row["name"]: row for row in secrets.select(Key("name"), Key("password"))}
    assert rows == {
        6281234567890: {"name": 6281234567890, "password": True},
        "0812345": {"name": "0812345", "password": False},  # "0812345" is not int("0812345")
    }
    # A query with the word finds the item, as on a router.
    (session,) = routeros_api.path("ppp", "active").select(Key(".id")).where(Key("name") == "6281234567890")
    (iface,) = (
        routeros_api.path("interface").select(Key("name")).where(Key("name") == "<pppoe-6281234567890>")
    )
    assert iface["name"] == "<pppoe-6281234567890>"
    routeros_api.path("ppp", "active").remove(session[".id"])
    assert routeros.rows("/ppp/active") == []


def test_queue_burst_reads_back_in_bits_and_seconds(routeros_api):
    queues = routeros_api.path(*QUEUES)
    qid = queues.add(
        name="burst",
        target="<pppoe-x>",
        **{
            "max-limit": "5M/10M",
            "burst-limit": "10M/20M",
            "burst-threshold": "4M/8M",
            "burst-time": "8s/8s",
        },
    )
    (row,) = queues.select(
        Key("max-limit"), Key("burst-limit"), Key("burst-threshold"), Key("burst-time")
    ).where(Key(".id") == qid)
    assert row == {
        "max-limit": "5000000/10000000",
        "burst-limit": "10000000/20000000",
        "burst-threshold": "4000000/8000000",
        "burst-time": "8s/8s",
    }
    tuple(queues("set", **{".id": qid, "burst-limit": "0/0", "burst-time": "0s/0s"}))
    (row,) = queues.select(Key("burst-limit"), Key("burst-time")).where(Key(".id") == qid)
    assert row == {"burst-limit": "0/0", "burst-time": "0s/0s"}


def test_hotspot_users_sessions_and_profiles(routeros_api, routeros):
    users = routeros_api.path("ip", "hotspot", "user")
    profiles = routeros_api.path("ip", "hotspot", "user", "profile")
    (default,) = profiles
    assert (default[".id"], default["name"], default["default"]) == ("*0", "default", True)
    profiles.add(name="hs-10M", **{"rate-limit": "2M/10M"})
    uid = users.add(name="hana", password="h", profile="hs-10M", comment="odoo:3")
    assert uid == "*1"
    with pytest.raises(TrapError, match="already have user with this name"):
        users.add(name="hana", password="x")
    with pytest.raises(TrapError, match="input does not match any value of profile"):
        users.add(name="ivan", profile="nope")
    with pytest.raises(TrapError, match="can not remove default profile"):
        profiles.remove("*0")
    with pytest.raises(PPPLoginRejected):
        routeros.login_hotspot("hana", password="wrong")
    routeros.login_hotspot("hana", "10.5.0.9", mac_address="02:00:00:00:00:09")
    routeros.add_traffic("hana", upload=300, download=7000)
    routeros.advance(65)
    active = routeros_api.path("ip", "hotspot", "active")
    (session,) = active.select(Key(".id"), Key("user"), Key("uptime"), Key("bytes-in"), Key("bytes-out"))
    assert session == {".id": "*1", "user": "hana", "uptime": "1m5s", "bytes-in": 300, "bytes-out": 7000}

    tuple(users("disable", **{".id": uid}))
    assert len(tuple(active)) == 1  # a disabled hotspot user keeps its live session
    active.remove(session[".id"])
    assert tuple(active) == ()
    with pytest.raises(PPPLoginRejected):
        routeros.login_hotspot("hana")


def test_trap_next_refuses_one_command_once(routeros_api, routeros):
    queues = routeros_api.path(*QUEUES)
    routeros.trap_next("/queue/simple/add", "failure: out of memory")
    with pytest.raises(TrapError, match="out of memory"):
        queues.add(name="q", target="10.0.0.1")
    assert routeros.rows("/queue/simple") == []
    queues.add(name="q", target="10.0.0.1")
    assert len(routeros.rows("/queue/simple")) == 1


def test_address_list_timeout_expires(routeros_api, routeros):
    lists = routeros_api.path(*ADDRESS_LIST)
    lists.add(list="temp", address="10.0.0.1", timeout="1h")
    lists.add(list="static", address="10.0.0.2")
    rows = {row["list"]: row for row in lists}
    assert rows["temp"]["dynamic"] is True and rows["temp"]["timeout"] in ("1h", "59m59s")
    assert rows["static"]["dynamic"] is False and "timeout" not in rows["static"]
    routeros.advance(1800)
    assert next(iter(lists))["timeout"] in ("30m", "29m59s")
    routeros.advance(1801)
    assert [row["list"] for row in lists] == ["static"]


def test_interface_disable_stops_running(routeros_api):
    interfaces = routeros_api.path("interface")
    tuple(interfaces("disable", numbers="ether2"))
    (ether2,) = interfaces.select(Key("running"), Key("disabled")).where(Key("name") == "ether2")
    assert ether2 == {"running": False, "disabled": True}


# --------------------------------------------------------------------------- connections and faults


def test_two_clients_share_state(routeros_connect, routeros):
    first, second = routeros_connect(), routeros_connect()
    first.path(*SECRETS).add(name="shared")
    assert [row["name"] for row in second.path(*SECRETS)] == ["shared"]
    assert routeros.connection_count == 2


def test_concurrent_clients(routeros_connect, routeros):
    apis = [routeros_connect() for _ in range(4)]
    errors = []

    def work(index, api):
        try:
            for n in range(10):
                api.path(*QUEUES).add(name=f"c{index}-{n}", target=f"10.{index}.0.{n + 1}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i, api)) for i, api in enumerate(apis)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert not errors
    ids = [row[".id"] for row in routeros.rows("/queue/simple")]
    assert len(ids) == len(set(ids)) == 40


def test_restart_on_same_port_keeps_configuration(routeros, routeros_connect):
    api = routeros_connect()
    api.path(*SECRETS).add(name="persist")
    routeros.add("/ppp/secret", name="online")
    routeros.connect_pppoe("online")
    port = routeros.port
    routeros.stop()
    with pytest.raises((ConnectionClosed, OSError)):
        tuple(api("/system/identity/print"))
    with pytest.raises(OSError):
        routeros_connect(timeout=1)
    routeros.start()
    assert routeros.port == port
    again = routeros_connect()
    assert [row["name"] for row in again.path(*SECRETS)] == ["persist", "online"]
    assert tuple(again.path("ppp", "active")) == ()  # a reboot ends sessions


def test_drop_mid_reply(routeros, routeros_connect, populated):
    api = routeros_connect()
    routeros.drop_next_reply("/ppp/secret/print", after=2)
    with pytest.raises(ConnectionClosed):
        tuple(api.path(*SECRETS))
    assert len(tuple(routeros_connect().path(*SECRETS))) == 5  # one-shot; the next client is fine


def test_drop_connections_keeps_listening(routeros, routeros_connect):
    api = routeros_connect()
    routeros.drop_connections()
    with pytest.raises((ConnectionClosed, OSError)):
        tuple(api("/system/identity/print"))
    assert tuple(routeros_connect()("/system/identity/print"))


def test_latency(routeros, routeros_api):
    routeros.latency = 0.2
    started = time.monotonic()
    tuple(routeros_api("/system/identity/print"))
    assert time.monotonic() - started >= 0.2
    routeros.latency = 0
    with pytest.raises(socket.timeout):
        routeros.latency = 1.0
        api = librouteros.connect(routeros.host, "admin", "s3cret", port=routeros.port, timeout=0.3)
        api.close()


def test_stop_joins_every_thread_and_closes_sockets(routeros_connect, routeros):
    clients = [routeros_connect() for _ in range(3)]
    assert routeros.connection_count == 3
    routeros.stop()
    assert routeros.connection_count == 0
    assert not [t for t in threading.enumerate() if t.name.startswith(f"routeros-{routeros.port}")]
    for api in clients:
        with pytest.raises((ConnectionClosed, OSError)):
            tuple(api("/system/identity/print"))


def test_command_log(routeros, routeros_api):
    tuple(routeros_api.path(*SECRETS))
    assert routeros.command_log[-2:] == ["/login", "/ppp/secret/print"]
