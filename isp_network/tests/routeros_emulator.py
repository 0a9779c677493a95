# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""An in-process emulator of the MikroTik RouterOS API, for tests.

It speaks the binary API protocol (``8728``; API-SSL when given an
``ssl.SSLContext``) closely enough that the unmodified ``librouteros`` client
works against it: length-prefixed words, sentences ended by an empty word,
``/login`` with ``=name=``/``=password=`` (or the pre-6.43 challenge),
``!re``/``!done``/``!trap``/``!fatal`` replies, ``=.id=``, ``=.proplist=``,
query words (``?=k=v``, ``?<``, ``?>``, ``?k``, ``?-k``, ``?#`` stack
operations) and ``count-only``.

Only the menus an ISP system touches are modelled (``/ppp/secret``,
``/ppp/active``, ``/ppp/profile``, ``/queue/simple``,
``/ip/firewall/address-list``, ``/ip/hotspot/user``,
``/ip/hotspot/user/profile``, ``/ip/hotspot/active``, ``/interface``,
``/system/resource``, ``/system/identity``), with RouterOS's behaviour where
it matters to a client: ids ``*1``, ``*2``... never reused, duplicate traps,
booleans printed as ``true``/``false``, rates printed in bit/s (``10M/20M``
reads back as ``10000000/20000000``), burst times as ``8s/8s``, disabling a
secret or hotspot user keeping its live session, an
unknown menu answered with two traps (so ``librouteros`` raises
``MultiTrapError``, not ``TrapError``), ``getall`` as ``print``, and
optionally the ``!empty`` reply of RouterOS 7.18+.

Every value goes over the wire as the word RouterOS prints, as a real router
sends it; the client does its own conversion (``librouteros`` reads
``=name=6281234567890`` as the integer ``6281234567890`` and ``=password=yes``
as ``True``), so a client's handling of such values is tested as it runs.

Test-side helpers drive the "network": :meth:`RouterOSEmulator.connect_pppoe`,
:meth:`RouterOSEmulator.login_hotspot`, :meth:`RouterOSEmulator.add_traffic`, :meth:`RouterOSEmulator.advance`, and
fault injection (:attr:`~RouterOSEmulator.refuse_logins`,
:attr:`~RouterOSEmulator.latency`, :meth:`~RouterOSEmulator.trap_next`,
:meth:`~RouterOSEmulator.drop_next_reply`,
:meth:`~RouterOSEmulator.drop_connections`, ``stop()``/``start()`` on the
same port).
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import os
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

__all__ = [
    "PPPLoginRejected",
    "Prop",
    "RouterOSEmulator",
    "Trap",
    "decode_length",
    "encode_length",
    "encode_word",
    "self_signed_context",
]

# --------------------------------------------------------------------------- wire format


def encode_length(length: int) -> bytes:
    """Encode a word length the way RouterOS does (1 to 5 bytes, big endian)."""
    if length < 0x80:
        return length.to_bytes(1, "big")
    if length < 0x4000:
        return (length | 0x8000).to_bytes(2, "big")
    if length < 0x200000:
        return (length | 0xC00000).to_bytes(3, "big")
    if length < 0x10000000:
        return (length | 0xE0000000).to_bytes(4, "big")
    return b"\xf0" + length.to_bytes(4, "big")


def decode_length(first: int, read: Callable[[int], bytes]) -> int:
    """Decode a word length whose first byte is ``first``; ``read(n)`` supplies the rest."""
    if first < 0x80:
        return first
    if first < 0xC0:
        return int.from_bytes(bytes([first]) + read(1), "big") ^ 0x8000
    if first < 0xE0:
        return int.from_bytes(bytes([first]) + read(2), "big") ^ 0xC00000
    if first < 0xF0:
        return int.from_bytes(bytes([first]) + read(3), "big") ^ 0xE0000000
    if first == 0xF0:
        return int.from_bytes(read(4), "big")
    raise ProtocolViolation(f"bad length control byte {first:#x}")


def encode_word(word: str) -> bytes:
    data = word.encode("utf-8")
    return encode_length(len(data)) + data


def encode_sentence(words: Iterable[str]) -> bytes:
    return b"".join(encode_word(word) for word in words) + b"\x00"


class ProtocolViolation(Exception):
    """The client sent bytes that are not a valid API sentence."""


class _Closed(Exception):
    """The peer closed the connection."""


# --------------------------------------------------------------------------- errors


class Trap(Exception):
    """A command failure, answered with ``!trap`` (then ``!done``).

    ``before`` are traps RouterOS sends ahead of this one in the same reply:
    an unknown menu gets two (``librouteros`` then raises ``MultiTrapError``).
    """

    def __init__(self, message: str, category: int | None = None, *, before: tuple[Trap, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.category = category
        self.before = before

    def words(self) -> list[str]:
        words = [f"=message={self.message}"]
        if self.category is not None:
            words.insert(0, f"=category={self.category}")
        return words

    def sentences(self) -> list[list[str]]:
        """Every ``!trap`` sentence of the reply, in order (``!done`` not included)."""
        return [*(["!trap", *trap.words()] for trap in self.before), ["!trap", *self.words()]]


class PPPLoginRejected(Exception):
    """:meth:`RouterOSEmulator.connect_pppoe` found no enabled secret that accepts the login."""


# --------------------------------------------------------------------------- values

_TRUE = {"yes": True, "true": True, "no": False, "false": False}
_RATE_RE = re.compile(r"^(\d+(?:\.\d+)?)([kKMG]?)$")
_RATE_UNITS = {"": 1, "k": 1000, "K": 1000, "M": 1000**2, "G": 1000**3}
_DURATION_UNITS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1, "ms": 0.001}
_DURATION_RE = re.compile(r"(\d+(?:\.\d+)?)(ms|[wdhms])")


def format_bool(value: bool) -> str:
    return "true" if value else "false"


def parse_bool(value: str) -> bool:
    return _TRUE[value.lower()]


def parse_duration(value: str) -> float:
    """Seconds in ``1w2d3h4m5s``, ``00:05:00``, ``1d 00:05:00`` or plain seconds."""
    text = value.strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    total = 0.0
    clock = re.search(r"(\d+):(\d\d):(\d\d)$", text)
    if clock:
        hours, minutes, seconds = (int(part) for part in clock.groups())
        total += hours * 3600 + minutes * 60 + seconds
        text = text[: clock.start()].strip()
    if text:
        if not re.fullmatch(r"(?:\d+(?:\.\d+)?(?:ms|[wdhms]))+", text):
            raise ValueError(value)
        total += sum(float(n) * _DURATION_UNITS[u] for n, u in _DURATION_RE.findall(text))
    return total


def format_duration(seconds: float) -> str:
    """RouterOS 7 style: ``1w2d3h4m5s``, ``0s`` for zero."""
    rest = max(int(seconds), 0)
    parts = []
    for unit in ("w", "d", "h", "m", "s"):
        size = int(_DURATION_UNITS[unit])
        amount, rest = divmod(rest, size)
        if amount:
            parts.append(f"{amount}{unit}")
    return "".join(parts) or "0s"


def parse_rate(value: str) -> int:
    match = _RATE_RE.match(value.strip())
    if not match:
        raise ValueError(value)
    return int(float(match.group(1)) * _RATE_UNITS[match.group(2)])


def _pair(value: str, parse: Callable[[str], str]) -> str:
    parts = value.split("/")
    if len(parts) == 1:
        parts = parts * 2
    if len(parts) != 2:
        raise ValueError(value)
    return "/".join(parse(part) for part in parts)


def _ip(value: str) -> str:
    return str(ipaddress.IPv4Address(value.strip()))


def _address(value: str) -> str:
    """An address-list address: IP, range, network (``/32`` dropped) or a DNS name."""
    text = value.strip()
    if "-" in text and re.fullmatch(r"[\d.]+-[\d.]+", text):
        low, high = (_ip(part) for part in text.split("-"))
        return f"{low}-{high}"
    if re.fullmatch(r"[\d./]+", text):
        network = ipaddress.IPv4Network(text, strict=False)
        return str(network.network_address) if network.prefixlen == 32 else str(network)
    if re.fullmatch(r"[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?", text):
        return text
    raise ValueError(value)


def _target(value: str) -> str:
    """A simple-queue target: addresses get a prefix (``10.0.0.2`` -> ``10.0.0.2/32``)."""
    out = []
    for part in filter(None, (p.strip() for p in value.split(","))):
        if re.fullmatch(r"[\d./]+", part):
            out.append(str(ipaddress.IPv4Network(part, strict=False)))
        else:
            out.append(part)
    if not out:
        raise ValueError(value)
    return ",".join(out)


def _int(value: str) -> str:
    return str(int(value.strip()))


_PARSERS: dict[str, Callable[[str], str]] = {
    "str": str,
    "bool": lambda v: format_bool(parse_bool(v)),
    "int": _int,
    "ip": _ip,
    "address": _address,
    "target": _target,
    "rate": lambda v: _pair(v, lambda p: str(parse_rate(p))),
    "int-pair": lambda v: _pair(v, _int),
    "time-pair": lambda v: _pair(v, lambda p: format_duration(parse_duration(p))),
    "duration": lambda v: format_duration(parse_duration(v)),
}


@dataclass
class Prop:
    """One property of a menu item.

    ``default`` is the printed value of a new item (``None``: absent until
    set); ``writable`` properties are accepted by ``add``/``set``; ``choices``
    restricts a value; ``ref`` names a menu whose item names the value must match.
    """

    name: str
    kind: str = "str"
    default: str | None = None
    writable: bool = True
    choices: tuple[str, ...] = ()
    ref: str | None = None


# --------------------------------------------------------------------------- menus


@dataclass
class Menu:
    """A RouterOS menu: ordered items keyed by numeric id, printed as ``*HEX``."""

    path: str
    props: list[Prop]
    commands: frozenset[str]
    unique: tuple[str, ...] = ()
    duplicate_message: str = ""
    required: tuple[str, ...] = ()
    single: bool = False
    items: dict[int, dict[str, str]] = field(default_factory=dict)
    next_id: int = 1
    # Called with (router, menu) before each access: expiry and other lazy updates.
    refresh: Callable[[RouterOSEmulator, Menu], None] | None = None
    # Called with (router, item) when printing: computed values (uptime, timeout).
    computed: Callable[[RouterOSEmulator, dict[str, str]], dict[str, str]] | None = None

    def __post_init__(self) -> None:
        self.by_name = {prop.name: prop for prop in self.props}

    def new_item(self, values: dict[str, str], *, item_id: int | None = None) -> int:
        item = {prop.name: prop.default for prop in self.props if prop.default is not None}
        item.update(values)
        if item_id is None:
            item_id = self.next_id
        self.next_id = max(self.next_id, item_id + 1)
        self.items[item_id] = item
        return item_id

    def find_by(self, **match: str) -> list[int]:
        return [i for i, item in self.items.items() if all(item.get(k) == v for k, v in match.items())]


def format_id(item_id: int) -> str:
    return f"*{item_id:X}"


# --------------------------------------------------------------------------- queries


def _compare_key(value: str) -> tuple[int, float | str]:
    if re.fullmatch(r"-?\d+(?:\.\d+)?", value):
        return (0, float(value))
    if re.fullmatch(r"\*[0-9A-Fa-f]+", value):  # item ids compare as numbers: *9 < *A < *10
        return (0, int(value[1:], 16))
    with contextlib.suppress(ValueError):
        return (0, int(ipaddress.IPv4Address(value)))
    return (1, value)


def _query_value(menu: Menu, name: str, value: str) -> str:
    """Normalise a query operand like an input value, so ``?=disabled=no`` matches ``false``."""
    prop = menu.by_name.get(name)
    if prop is None or prop.kind == "str":
        return value
    try:
        return _PARSERS[prop.kind](value)
    except (ValueError, KeyError):
        return value


def _apply_stack_ops(ops: str, stack: list[bool]) -> None:
    index = ""
    last_was_index = False
    for char in ops:
        if char.isdigit():
            index += char
            continue
        if index:
            stack.append(stack[-1 - int(index)])
            index = ""
            last_was_index = True
        if char == "!":
            stack.append(not stack.pop())
        elif char in "&|":
            right, left = stack.pop(), stack.pop()
            stack.append((left and right) if char == "&" else (left or right))
        elif char == ".":
            if not last_was_index:
                stack.append(stack[-1])
        else:
            raise Trap(f"unknown query operation {char}")
        last_was_index = False
    if index:
        stack[:] = [stack[-1 - int(index)]]


def query_matches(menu: Menu, row: dict[str, str], queries: list[str]) -> bool:
    """Evaluate RouterOS query words against one printed row."""
    stack: list[bool] = []
    try:
        for word in queries:
            body = word[1:]
            if body.startswith("#"):
                _apply_stack_ops(body[1:], stack)
                continue
            op = body[0] if body[:1] in ("=", "<", ">", "-") else ""
            rest = body[1:] if op else body
            name, has_value, value = rest.partition("=")
            if op == "-":
                stack.append(name not in row)
            elif not has_value and not op:
                stack.append(name in row)
            elif op in ("", "="):
                stack.append(row.get(name, "") == _query_value(menu, name, value))
            else:
                if name not in row:
                    stack.append(False)
                    continue
                left, right = _compare_key(row[name]), _compare_key(_query_value(menu, name, value))
                stack.append(left < right if op == "<" else left > right)
    except IndexError:
        raise Trap("invalid query: stack underflow") from None
    return all(stack)


# --------------------------------------------------------------------------- the emulator

_PPP_SERVICES = ("any", "async", "l2tp", "ovpn", "pppoe", "pptp", "sstp")
# "getall" is the API's old name for "print"; RouterOS still accepts it wherever "print" exists.
_CRUD = frozenset({"print", "getall", "add", "set", "unset", "remove", "enable", "disable"})
_PRINT_FLAGS = {"detail", "without-paging", "terse", "stats", "count-only"}


def _secret_props() -> list[Prop]:
    return [
        Prop("name"),
        Prop("service", default="any", choices=_PPP_SERVICES),
        Prop("caller-id", default=""),
        Prop("password", default=""),
        Prop("profile", default="default", ref="/ppp/profile"),
        Prop("local-address", "ip"),
        Prop("remote-address", "ip"),
        Prop("routes", default=""),
        Prop("limit-bytes-in", "int", default="0"),
        Prop("limit-bytes-out", "int", default="0"),
        Prop("disabled", "bool", default="false"),
        Prop("comment"),
    ]


def _profile_props() -> list[Prop]:
    return [
        Prop("name"),
        Prop("local-address"),
        Prop("remote-address"),
        Prop("rate-limit"),
        Prop("only-one", default="default", choices=("default", "yes", "no")),
        Prop("change-tcp-mss", default="default", choices=("default", "yes", "no")),
        Prop("use-encryption", default="default", choices=("default", "yes", "no", "required")),
        Prop("address-list"),
        Prop("dns-server"),
        Prop("default", "bool", default="false", writable=False),
        Prop("comment"),
    ]


def _active_props() -> list[Prop]:
    return [
        Prop("name", writable=False),
        Prop("service", writable=False),
        Prop("caller-id", writable=False),
        Prop("address", writable=False),
        Prop("uptime", writable=False),
        Prop("encoding", default="", writable=False),
        Prop("session-id", writable=False),
        Prop("limit-bytes-in", default="0", writable=False),
        Prop("limit-bytes-out", default="0", writable=False),
        Prop("radius", "bool", default="false", writable=False),
    ]


def _hotspot_user_props() -> list[Prop]:
    return [
        Prop("server", default="all"),
        Prop("name"),
        Prop("password", default=""),
        Prop("address", "ip"),
        Prop("mac-address"),
        Prop("profile", default="default", ref="/ip/hotspot/user/profile"),
        Prop("routes", default=""),
        Prop("email", default=""),
        Prop("limit-uptime", "duration"),
        Prop("limit-bytes-in", "int"),
        Prop("limit-bytes-out", "int"),
        Prop("limit-bytes-total", "int"),
        Prop("uptime", default="0s", writable=False),
        Prop("bytes-in", default="0", writable=False),
        Prop("bytes-out", default="0", writable=False),
        Prop("packets-in", default="0", writable=False),
        Prop("packets-out", default="0", writable=False),
        Prop("dynamic", "bool", default="false", writable=False),
        Prop("disabled", "bool", default="false"),
        Prop("comment"),
    ]


def _hotspot_profile_props() -> list[Prop]:
    return [
        Prop("name"),
        Prop("address-pool", default="none"),
        Prop("idle-timeout", default="none"),
        Prop("keepalive-timeout", "duration", default="2m"),
        Prop("status-autorefresh", "duration", default="1m"),
        Prop("shared-users", "int", default="1"),
        Prop("rate-limit"),
        Prop("address-list", default=""),
        Prop("add-mac-cookie", "bool", default="true"),
        Prop("mac-cookie-timeout", "duration", default="3d"),
        Prop("transparent-proxy", "bool", default="false"),
        Prop("default", "bool", default="false", writable=False),
    ]


def _hotspot_active_props() -> list[Prop]:
    return [
        Prop("server", writable=False),
        Prop("user", writable=False),
        Prop("domain", default="", writable=False),
        Prop("address", writable=False),
        Prop("mac-address", writable=False),
        Prop("login-by", writable=False),
        Prop("uptime", writable=False),
        Prop("idle-time", default="0s", writable=False),
        Prop("keepalive-timeout", default="2m", writable=False),
        Prop("bytes-in", default="0", writable=False),
        Prop("bytes-out", default="0", writable=False),
        Prop("packets-in", default="0", writable=False),
        Prop("packets-out", default="0", writable=False),
        Prop("radius", "bool", default="false", writable=False),
    ]


def _queue_props() -> list[Prop]:
    return [
        Prop("name"),
        Prop("target", "target"),
        Prop("parent", default="none"),
        Prop("packet-marks", default=""),
        Prop("priority", "int-pair", default="8/8"),
        Prop("queue", default="default-small/default-small"),
        Prop("limit-at", "rate", default="0/0"),
        Prop("max-limit", "rate", default="0/0"),
        Prop("burst-limit", "rate", default="0/0"),
        Prop("burst-threshold", "rate", default="0/0"),
        Prop("burst-time", "time-pair", default="0s/0s"),
        Prop("bucket-size", default="0.1/0.1"),
        Prop("bytes", default="0/0", writable=False),
        Prop("packets", default="0/0", writable=False),
        Prop("dynamic", "bool", default="false", writable=False),
        Prop("invalid", "bool", default="false", writable=False),
        Prop("disabled", "bool", default="false"),
        Prop("comment"),
    ]


def _address_list_props() -> list[Prop]:
    return [
        Prop("list"),
        Prop("address", "address"),
        Prop("creation-time", writable=False),
        Prop("timeout", "duration"),
        Prop("dynamic", "bool", default="false", writable=False),
        Prop("disabled", "bool", default="false"),
        Prop("comment"),
    ]


def _interface_props() -> list[Prop]:
    counters = ("rx-byte", "tx-byte", "rx-packet", "tx-packet", "rx-drop", "tx-drop", "rx-error", "tx-error")
    return [
        Prop("name"),
        Prop("default-name", writable=False),
        Prop("type", writable=False),
        Prop("mtu", default="1500"),
        Prop("actual-mtu", default="1500", writable=False),
        Prop("mac-address", writable=False),
        Prop("link-downs", default="0", writable=False),
        *(Prop(name, default="0", writable=False) for name in counters),
        Prop("running", "bool", default="true", writable=False),
        Prop("dynamic", "bool", default="false", writable=False),
        Prop("disabled", "bool", default="false"),
        Prop("comment"),
    ]


def _resource_props() -> list[Prop]:
    values = {
        "version": "7.16.2 (stable)",
        "build-time": "2024-11-26 12:04:05",
        "factory-software": "7.1",
        "free-memory": "912891904",
        "total-memory": "1073741824",
        "cpu": "QEMU",
        "cpu-count": "1",
        "cpu-frequency": "2400",
        "cpu-load": "1",
        "free-hdd-space": "93827072",
        "total-hdd-space": "134217728",
        "architecture-name": "x86_64",
        "board-name": "CHR",
        "platform": "MikroTik",
    }
    return [Prop("uptime", writable=False)] + [Prop(k, default=v, writable=False) for k, v in values.items()]


class RouterOSEmulator:
    """A threaded RouterOS API server on 127.0.0.1 with an in-memory configuration.

    ``port=0`` picks a free port; after the first :meth:`start` the chosen
    port is kept, so ``stop()``/``start()`` simulates a router reboot on the
    same address (configuration survives, sessions and connections do not
    unless ``reset_sessions=False``).
    """

    host = "127.0.0.1"

    def __init__(
        self,
        *,
        port: int = 0,
        username: str = "admin",
        password: str = "",
        ssl_context: ssl.SSLContext | None = None,
        identity: str = "MikroTik",
        empty_replies: bool = False,
    ) -> None:
        self.port = port
        #: Send ``!empty`` before ``!done`` when a ``print`` finds nothing, as RouterOS 7.18+ does
        #: (``librouteros`` 4.2.2 skips that sentence). Off by default: the modelled version is 7.16.
        self.empty_replies = empty_replies
        self.users: dict[str, str] = {username: password}
        self.ssl_context = ssl_context
        self.lock = threading.RLock()
        #: Answer every ``/login`` with the failed-login trap.
        self.refuse_logins = False
        #: Seconds to sleep before sending each reply.
        self.latency = 0.0
        #: Every command word received, in order (``"/ppp/secret/print"``...), for assertions.
        self.command_log: list[str] = []
        self._drops: list[tuple[str | None, int]] = []
        self._traps: list[tuple[str, Trap]] = []
        self._clock_offset = 0.0
        self._boot = self.now()
        self._session_seq = 0
        self._listener: socket.socket | None = None
        self._accept_thread: threading.Thread | None = None
        self._connections: dict[socket.socket, threading.Thread] = {}
        # Every client thread since start(), joined by stop() even if it already left _connections.
        self._client_threads: list[threading.Thread] = []
        self._running = threading.Event()
        self.menus: dict[str, Menu] = {}
        self._build_menus(identity)

    # ------------------------------------------------------------------ configuration

    def _build_menus(self, identity: str) -> None:
        def add(menu: Menu) -> Menu:
            self.menus[menu.path] = menu
            return menu

        add(
            Menu(
                "/ppp/secret",
                _secret_props(),
                _CRUD,
                unique=("name",),
                duplicate_message="failure: secret with the same name already exists",
                required=("name",),
            )
        )
        profiles = add(
            Menu(
                "/ppp/profile",
                _profile_props(),
                _CRUD - {"enable", "disable"},
                unique=("name",),
                duplicate_message="failure: profile with the same name already exists",
                required=("name",),
            )
        )
        profiles.new_item({"name": "default", "default": "true"}, item_id=0)
        profiles.new_item(
            {"name": "default-encryption", "use-encryption": "yes", "default": "true"}, item_id=0xFFFFFFFE
        )
        profiles.next_id = 1
        add(
            Menu(
                "/ppp/active",
                _active_props(),
                frozenset({"print", "getall", "remove"}),
                computed=lambda router, item: {
                    "uptime": format_duration(router.now() - float(item["_start"]))
                },
            )
        )
        add(
            Menu(
                "/queue/simple",
                _queue_props(),
                _CRUD,
                unique=("name",),
                duplicate_message="failure: queue with the same name already exists",
                required=("target",),
            )
        )
        add(
            Menu(
                "/ip/firewall/address-list",
                _address_list_props(),
                _CRUD,
                unique=("list", "address"),
                duplicate_message="failure: already have such entry",
                required=("list", "address"),
                refresh=_expire_address_list,
                computed=_address_list_timeout,
            )
        )
        add(
            Menu(
                "/ip/hotspot/user",
                _hotspot_user_props(),
                _CRUD,
                unique=("server", "name"),
                duplicate_message="failure: already have user with this name for this server",
                required=("name",),
            )
        )
        hotspot_profiles = add(
            Menu(
                "/ip/hotspot/user/profile",
                _hotspot_profile_props(),
                _CRUD - {"enable", "disable"},
                unique=("name",),
                duplicate_message="failure: already have profile with such name",
                required=("name",),
            )
        )
        hotspot_profiles.new_item({"name": "default", "default": "true"}, item_id=0)
        hotspot_profiles.next_id = 1
        add(
            Menu(
                "/ip/hotspot/active",
                _hotspot_active_props(),
                frozenset({"print", "getall", "remove"}),
                computed=lambda router, item: {
                    "uptime": format_duration(router.now() - float(item["_start"]))
                },
            )
        )
        interfaces = add(
            Menu(
                "/interface",
                _interface_props(),
                frozenset({"print", "getall", "set", "enable", "disable"}),
                unique=("name",),
                duplicate_message="failure: already have interface with such name",
            )
        )
        for number in (1, 2):
            interfaces.new_item(
                {
                    "name": f"ether{number}",
                    "default-name": f"ether{number}",
                    "type": "ether",
                    "mac-address": f"0C:00:00:00:00:0{number}",
                }
            )
        resource = add(
            Menu(
                "/system/resource",
                _resource_props(),
                frozenset({"print", "getall"}),
                single=True,
                computed=lambda router, item: {"uptime": format_duration(router.now() - router._boot)},
            )
        )
        resource.new_item({})
        add(
            Menu("/system/identity", [Prop("name")], frozenset({"print", "getall", "set"}), single=True)
        ).new_item({"name": identity})

    def add_user(self, name: str, password: str) -> None:
        """Allow another API login."""
        with self.lock:
            self.users[name] = password

    def now(self) -> float:
        """The router's clock (monotonic seconds, moved on by :meth:`advance`)."""
        return time.monotonic() + self._clock_offset

    def advance(self, seconds: float) -> None:
        """Move the router's clock forward: uptimes grow, address-list timeouts expire."""
        with self.lock:
            self._clock_offset += seconds

    # ------------------------------------------------------------------ direct inspection

    @property
    def state(self) -> dict[str, Menu]:
        """The live configuration: every :class:`Menu` by path. Mutate it under :attr:`lock`."""
        return self.menus

    def menu(self, path: str) -> Menu:
        """The :class:`Menu` at ``path`` (``"/ppp/secret"``); ``KeyError`` if not modelled."""
        menu = self.menus[path]
        if menu.refresh:
            menu.refresh(self, menu)
        return menu

    def rows(self, path: str, **match: str) -> list[dict[str, str]]:
        """Items of a menu as ``print`` would return them (strings), filtered by exact values."""
        with self.lock:
            menu = self.menu(path)
            rows = [self._render(menu, item_id) for item_id in menu.items]
        match = {key.replace("_", "-"): value for key, value in match.items()}
        return [row for row in rows if all(row.get(k) == v for k, v in match.items())]

    def get(self, path: str, **match: str) -> dict[str, str] | None:
        """The single matching row, or ``None``."""
        rows = self.rows(path, **match)
        if len(rows) > 1:
            raise LookupError(f"{len(rows)} rows match {match} in {path}")
        return rows[0] if rows else None

    def add(self, path: str, **values: object) -> str:
        """Add an item as an API ``add`` would (same validation); returns its ``*HEX`` id."""
        with self.lock:
            return self._cmd_add(self.menu(path), _api_values(values))

    def set(self, path: str, ident: str, **values: object) -> None:
        """Change an item (by ``*HEX`` id or name) as an API ``set`` would."""
        with self.lock:
            menu = self.menu(path)
            self._cmd_set(menu, {"numbers": ident, **_api_values(values)})

    def remove(self, path: str, ident: str) -> None:
        with self.lock:
            menu = self.menu(path)
            self._cmd_remove(menu, {"numbers": ident})

    # ------------------------------------------------------------------ simulated network

    def add_interface(self, name: str, kind: str = "ether", **values: str) -> str:
        """Create an interface (RouterOS has no API ``add`` on ``/interface``)."""
        with self.lock:
            menu = self.menu("/interface")
            if menu.find_by(name=name):
                raise ValueError(f"interface {name} exists")
            default_name = {"default-name": name} if kind == "ether" else {}
            item_id = menu.new_item({"name": name, "type": kind, **default_name, **values})
            return format_id(item_id)

    def connect_pppoe(
        self,
        name: str,
        address: str | None = None,
        *,
        password: str | None = None,
        caller_id: str | None = None,
        service: str = "pppoe",
    ) -> str:
        """Bring up a PPP session for secret ``name``; returns the ``/ppp/active`` id.

        Like the router, only an enabled secret whose service allows
        ``service`` (and, if ``password`` is given, whose password matches)
        is accepted; otherwise :class:`PPPLoginRejected`. The address is
        ``address``, else the secret's ``remote-address``, else the next one
        from 10.255.0.0/16. A dynamic ``<pppoe-NAME>`` interface appears too.
        """
        with self.lock:
            secrets = self.menu("/ppp/secret")
            found = [
                item
                for item in secrets.items.values()
                if item["name"] == name
                and item["disabled"] == "false"
                and item["service"] in ("any", service)
                and (password is None or item["password"] == password)
            ]
            if not found:
                raise PPPLoginRejected(f"no enabled secret accepts {name!r} on {service}")
            secret = found[0]
            self._session_seq += 1
            seq = self._session_seq
            address = _ip(address or secret.get("remote-address") or f"10.255.{seq // 250}.{seq % 250 + 2}")
            active = self.menu("/ppp/active")
            item_id = active.new_item(
                {
                    "name": name,
                    "service": service,
                    "caller-id": caller_id or f"02:00:00:00:{seq // 256 % 256:02X}:{seq % 256:02X}",
                    "address": address,
                    "session-id": f"0x{0x81000000 + seq:X}",
                    "limit-bytes-in": secret.get("limit-bytes-in", "0"),
                    "limit-bytes-out": secret.get("limit-bytes-out", "0"),
                    "_start": repr(self.now()),
                }
            )
            interface_name = f"<{service}-{name}>"
            interfaces = self.menu("/interface")
            if not interfaces.find_by(name=interface_name):
                interfaces.new_item(
                    {
                        "name": interface_name,
                        "type": f"{service}-in",
                        "dynamic": "true",
                        "actual-mtu": "1480",
                        "mtu": "1480",
                    }
                )
            return format_id(item_id)

    def login_hotspot(
        self,
        user: str,
        address: str | None = None,
        *,
        password: str | None = None,
        mac_address: str | None = None,
        server: str = "hotspot1",
    ) -> str:
        """Log ``user`` in to the hotspot; returns the ``/ip/hotspot/active`` id.

        Like the router, only an enabled hotspot user (of ``server`` or ``all``)
        whose password matches (if ``password`` is given) gets in; otherwise
        :class:`PPPLoginRejected`. The address is ``address``, else the user's
        ``address``, else the next one from 10.5.0.0/16.
        """
        with self.lock:
            users = self.menu("/ip/hotspot/user")
            found = [
                item
                for item in users.items.values()
                if item["name"] == user
                and item["disabled"] == "false"
                and item["server"] in ("all", server)
                and (password is None or item["password"] == password)
            ]
            if not found:
                raise PPPLoginRejected(f"no enabled hotspot user accepts {user!r} on {server}")
            self._session_seq += 1
            seq = self._session_seq
            active = self.menu("/ip/hotspot/active")
            item_id = active.new_item(
                {
                    "server": server,
                    "user": user,
                    "address": _ip(
                        address or found[0].get("address") or f"10.5.{seq // 250}.{seq % 250 + 2}"
                    ),
                    "mac-address": mac_address or f"02:00:00:01:{seq // 256 % 256:02X}:{seq % 256:02X}",
                    "login-by": "http-chap",
                    "_start": repr(self.now()),
                }
            )
            return format_id(item_id)

    def disconnect_pppoe(self, name: str) -> int:
        """End every active session of ``name`` (as if the client hung up); returns how many."""
        with self.lock:
            active = self.menu("/ppp/active")
            ids = active.find_by(name=name)
            for item_id in ids:
                self._drop_session(active, item_id)
            return len(ids)

    def _drop_session(self, active: Menu, item_id: int) -> None:
        item = active.items.pop(item_id)
        interfaces = self.menu("/interface")
        for iface_id in interfaces.find_by(name=f"<{item['service']}-{item['name']}>", dynamic="true"):
            del interfaces.items[iface_id]

    def add_traffic(self, name: str, *, upload: int = 0, download: int = 0) -> None:
        """Count traffic of a subscriber, interface or queue called ``name``.

        ``upload`` is what the client sent: the interface's ``rx-byte``, the
        queue's first ``bytes`` half and a hotspot session's ``bytes-in``;
        ``download`` goes to ``tx-byte``, the second half and ``bytes-out``.
        ``name`` matches interfaces and queues named ``name`` or
        ``<pppoe-name>`` (a PPP user's dynamic interface and queue), and the
        hotspot sessions of user ``name``.
        """
        with self.lock:
            names = {name, f"<pppoe-{name}>"}
            interfaces = self.menu("/interface")
            queues = self.menu("/queue/simple")
            hit_interfaces = [i for i in interfaces.items.values() if i["name"] in names]
            hit_queues = [q for q in queues.items.values() if q["name"] in names]
            hit_hotspot = [a for a in self.menu("/ip/hotspot/active").items.values() if a["user"] == name]
            if not hit_interfaces and not hit_queues and not hit_hotspot:
                raise KeyError(f"no interface, queue or hotspot user called {name!r}")
            up_packets, down_packets = _packets(upload), _packets(download)
            for item in hit_hotspot:
                for key, amount in (
                    ("bytes-in", upload),
                    ("bytes-out", download),
                    ("packets-in", up_packets),
                    ("packets-out", down_packets),
                ):
                    item[key] = str(int(item.get(key, "0")) + amount)
            for item in hit_interfaces:
                for key, amount in (
                    ("rx-byte", upload),
                    ("tx-byte", download),
                    ("rx-packet", up_packets),
                    ("tx-packet", down_packets),
                ):
                    item[key] = str(int(item[key]) + amount)
            for item in hit_queues:
                for key, first, second in (
                    ("bytes", upload, download),
                    ("packets", up_packets, down_packets),
                ):
                    up, down = (int(part) for part in item[key].split("/"))
                    item[key] = f"{up + first}/{down + second}"

    # ------------------------------------------------------------------ fault injection

    def drop_next_reply(self, command: str | None = None, *, after: int = 0) -> None:
        """Cut the connection in the middle of the next reply (to ``command``, if given).

        ``after`` complete sentences are sent, then half of the next one, then
        the socket is closed. One-shot; several calls queue several drops.
        """
        with self.lock:
            self._drops.append((command, after))

    def trap_next(self, command: str, message: str, category: int | None = None) -> None:
        """Refuse the next ``command`` (``"/queue/simple/add"``) with a ``!trap``, changing nothing.

        As a router does when it runs out of memory, a script or another
        administrator holds the item, and so on. One-shot; several calls queue
        several refusals.
        """
        with self.lock:
            self._traps.append((command, Trap(message, category)))

    def drop_connections(self) -> None:
        """Close every client connection now, leaving the server listening."""
        with self.lock:
            sockets = list(self._connections)
        for sock in sockets:
            _hard_close(sock)

    @property
    def connection_count(self) -> int:
        with self.lock:
            return len(self._connections)

    # ------------------------------------------------------------------ server lifecycle

    def start(self) -> RouterOSEmulator:
        """Listen on 127.0.0.1 (the same port as before after a ``stop()``)."""
        if self._running.is_set():
            return self
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(16)
        listener.settimeout(0.1)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._running.set()
        self._accept_thread = threading.Thread(
            target=self._accept_loop, name=f"routeros-{self.port}", daemon=True
        )
        self._accept_thread.start()
        return self

    def stop(self, *, reset_sessions: bool = True) -> None:
        """Stop listening and close every connection; like a reboot, PPP sessions end."""
        if not self._running.is_set():
            return
        self._running.clear()
        if self._listener:
            with contextlib.suppress(OSError):
                self._listener.shutdown(socket.SHUT_RDWR)  # wakes accept() at once on Linux
        if self._accept_thread:
            self._accept_thread.join(5)
        if self._listener:
            self._listener.close()
            self._listener = None
        self.drop_connections()
        with self.lock:
            threads, self._client_threads = self._client_threads, []
        for thread in threads:
            thread.join(5)
        if reset_sessions:
            with self.lock:
                active = self.menu("/ppp/active")
                for item_id in list(active.items):
                    self._drop_session(active, item_id)
                self.menu("/ip/hotspot/active").items.clear()
                self._boot = self.now()

    def __enter__(self) -> RouterOSEmulator:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        listener = self._listener
        while self._running.is_set():
            try:
                sock, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            sock.settimeout(None)
            thread = threading.Thread(
                target=self._serve, args=(sock,), name=f"routeros-{self.port}-client", daemon=True
            )
            with self.lock:
                self._connections[sock] = thread
                self._client_threads = [t for t in self._client_threads if t.is_alive()] + [thread]
            thread.start()

    # ------------------------------------------------------------------ one connection

    def _serve(self, raw: socket.socket) -> None:
        sock = raw
        try:
            if self.ssl_context is not None:
                sock = self.ssl_context.wrap_socket(raw, server_side=True)
                with self.lock:
                    self._connections[sock] = self._connections.pop(raw)
            session = _Session(sock)
            while self._running.is_set():
                sentence = session.read_sentence()
                if not sentence:
                    continue  # RouterOS ignores empty sentences
                replies, close = self._dispatch(session, sentence)
                if self.latency:
                    time.sleep(self.latency)
                if not self._send(session, sentence[0], replies):
                    return
                if close:
                    return
        except (_Closed, OSError, ProtocolViolation, ssl.SSLError):
            return
        finally:
            with self.lock:
                self._connections.pop(sock, None)
                self._connections.pop(raw, None)
            _hard_close(sock)

    def _send(self, session: _Session, command: str, replies: list[list[str]]) -> bool:
        with self.lock:
            drop = next((d for d in self._drops if d[0] in (None, command)), None)
            if drop:
                self._drops.remove(drop)
        if drop is None:
            session.sock.sendall(b"".join(encode_sentence(words) for words in replies))
            return True
        after = drop[1]
        data = b"".join(encode_sentence(words) for words in replies[:after])
        if after < len(replies):
            partial = encode_sentence(replies[after])
            data += partial[: max(len(partial) // 2, 1)]
        session.sock.sendall(data)
        return False

    def _dispatch(self, session: _Session, sentence: list[str]) -> tuple[list[list[str]], bool]:
        command, *words = sentence
        args: dict[str, str] = {}
        queries: list[str] = []
        for word in words:
            if word.startswith("="):
                key, _, value = word[1:].partition("=")
                args[key] = value
            elif word.startswith("?"):
                queries.append(word)
            # ".tag=..." and other API attributes are accepted and ignored.
        with self.lock:
            self.command_log.append(command)
        if command == "/quit":
            return [["!fatal", "session terminated on request"]], True
        if command == "/login":
            return self._login(session, args), False
        if not session.user:
            return [["!fatal", "not logged in"]], True
        if command == "/cancel":
            return [["!done"]], False
        try:
            with self.lock:
                trap = next((t for t in self._traps if t[0] == command), None)
                if trap:
                    self._traps.remove(trap)
                    raise trap[1]
                return self._run(command, args, queries), False
        except Trap as trap:
            return [*trap.sentences(), ["!done"]], False

    def _login(self, session: _Session, args: dict[str, str]) -> list[list[str]]:
        name = args.get("name")
        if name is None:
            session.challenge = os.urandom(16)
            return [["!done", f"=ret={session.challenge.hex()}"]]
        with self.lock:
            expected = self.users.get(name)
            refused = self.refuse_logins
        ok = expected is not None and not refused
        if ok and "response" in args:
            digest = hashlib.md5(
                b"\x00" + expected.encode() + (session.challenge or b""), usedforsecurity=False
            )
            ok = session.challenge is not None and args["response"] == "00" + digest.hexdigest()
        elif ok:
            ok = args.get("password", "") == expected
        if not ok:
            return [["!trap", "=message=invalid user name or password (6)"], ["!done"]]
        session.user = name
        return [["!done"]]

    # ------------------------------------------------------------------ commands

    def _run(self, command: str, args: dict[str, str], queries: list[str]) -> list[list[str]]:
        path, _, verb = command.rpartition("/")
        self._check_prefix(path)
        menu = self.menus.get(path)
        if menu is None or verb not in menu.commands:
            raise Trap("no such command")
        if menu.refresh:
            menu.refresh(self, menu)
        if verb in ("print", "getall"):
            return self._cmd_print(menu, args, queries)
        if verb == "add":
            return [["!done", f"=ret={self._cmd_add(menu, args)}"]]
        handler = {
            "set": self._cmd_set,
            "unset": self._cmd_unset,
            "remove": self._cmd_remove,
            "enable": self._cmd_enable,
            "disable": self._cmd_disable,
        }[verb]
        handler(menu, args)
        return [["!done"]]

    def _check_prefix(self, path: str) -> None:
        """Walk the console tree like RouterOS: an unknown segment before the command is a double trap.

        Real routers answer ``/caps-man/interface/print`` on a box without
        CAPsMAN with ``no such command or directory (caps-man)`` (category 0)
        and then ``no such command prefix``; a known path with an unknown
        last word (``/ppp/secret/frobnicate``) is a plain ``no such command``.
        """
        nodes = set()
        for menu in self.menus.values():
            parts = menu.path.split("/")
            nodes.update("/".join(parts[:n]) for n in range(2, len(parts) + 1))
            nodes.update(f"{menu.path}/{verb}" for verb in menu.commands)
        walked = ""
        for segment in path.split("/")[1:]:
            walked += "/" + segment
            if walked not in nodes:
                prefix = Trap(f"no such command or directory ({segment})", 0)
                raise Trap("no such command prefix", before=(prefix,))

    def _render(self, menu: Menu, item_id: int) -> dict[str, str]:
        item = menu.items[item_id]
        if menu.computed:
            item = {**item, **menu.computed(self, item)}
        row = {} if menu.single else {".id": format_id(item_id)}
        for prop in menu.props:
            if item.get(prop.name) is not None:
                row[prop.name] = item[prop.name]
        return row

    def _cmd_print(self, menu: Menu, args: dict[str, str], queries: list[str]) -> list[list[str]]:
        for key in args:
            if key != ".proplist" and key not in _PRINT_FLAGS:
                raise Trap(f"unknown parameter {key}")
        rows = [self._render(menu, item_id) for item_id in menu.items]
        rows = [row for row in rows if query_matches(menu, row, queries)]
        if "count-only" in args:
            return [["!done", f"=ret={len(rows)}"]]
        if ".proplist" in args:
            wanted = [name for name in args[".proplist"].split(",") if name]
            rows = [{name: row[name] for name in wanted if name in row} for row in rows]
        replies = [["!re", *(f"={key}={value}" for key, value in row.items())] for row in rows]
        if not replies and self.empty_replies:
            replies = [["!empty"]]
        return [*replies, ["!done"]]

    def _parse_values(self, menu: Menu, args: dict[str, str]) -> dict[str, str]:
        values = {}
        for key, raw in args.items():
            prop = menu.by_name.get(key)
            if prop is None or not prop.writable:
                raise Trap(f"unknown parameter {key}")
            values[key] = self._parse_value(prop, raw)
        return values

    def _parse_value(self, prop: Prop, raw: str) -> str:
        try:
            value = _PARSERS[prop.kind](raw)
        except (ValueError, KeyError):
            raise Trap(f"invalid value for argument {prop.name}", 1) from None
        if prop.choices and value not in prop.choices:
            raise Trap(f"invalid value for argument {prop.name}", 1)
        if prop.ref and not self.menu(prop.ref).find_by(name=value):
            raise Trap(f"input does not match any value of {prop.name}", 1)
        return value

    def _check_unique(self, menu: Menu, item_id: int | None, item: dict[str, str]) -> None:
        if not menu.unique:
            return
        key = tuple(item.get(name) for name in menu.unique)
        for other_id, other in menu.items.items():
            if other_id != item_id and tuple(other.get(name) for name in menu.unique) == key:
                raise Trap(menu.duplicate_message)

    def _cmd_add(self, menu: Menu, args: dict[str, str]) -> str:
        values = self._parse_values(menu, {k: v for k, v in args.items() if not k.startswith(".")})
        missing = [name for name in menu.required if not values.get(name)]
        if missing:
            raise Trap(f"missing value(s) of argument(s) {' '.join(missing)}", 1)
        if menu.path == "/queue/simple" and not values.get("name"):
            taken = {item["name"] for item in menu.items.values()}
            values["name"] = next(f"queue{n}" for n in range(1, len(taken) + 2) if f"queue{n}" not in taken)
        if menu.path == "/ip/firewall/address-list":
            values["creation-time"] = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
            if values.get("timeout"):
                values["dynamic"] = "true"
                values["_expires"] = repr(self.now() + parse_duration(values["timeout"]))
        candidate = {prop.name: prop.default for prop in menu.props if prop.default is not None}
        candidate.update(values)
        self._check_unique(menu, None, candidate)
        return format_id(menu.new_item(values))

    def _resolve(self, menu: Menu, args: dict[str, str]) -> list[int]:
        """Item ids named by ``.id`` or ``numbers`` (comma separated ``*HEX`` ids or names)."""
        spec = args.get(".id", args.get("numbers"))
        if spec is None:
            raise Trap("missing value(s) of argument(s) numbers", 1)
        ids = []
        for token in filter(None, (part.strip() for part in spec.split(","))):
            if token.startswith("*"):
                try:
                    item_id = int(token[1:], 16)
                except ValueError:
                    raise Trap("invalid internal item number") from None
                if item_id not in menu.items:
                    raise Trap("no such item")
                ids.append(item_id)
            elif "name" in menu.by_name and menu.find_by(name=token):
                ids.extend(menu.find_by(name=token))
            else:
                raise Trap("no such item")
        return ids

    def _targets(self, menu: Menu, args: dict[str, str]) -> tuple[list[int], dict[str, str]]:
        rest = {k: v for k, v in args.items() if k not in (".id", "numbers")}
        if menu.single:
            return list(menu.items), rest
        return self._resolve(menu, args), rest

    def _cmd_set(self, menu: Menu, args: dict[str, str]) -> None:
        ids, rest = self._targets(menu, args)
        values = self._parse_values(menu, rest)
        updated = {item_id: {**menu.items[item_id], **values} for item_id in ids}
        for item_id, item in updated.items():
            self._check_unique(menu, item_id, item)
        if len(ids) > 1 and menu.unique and all(name in values for name in menu.unique):
            raise Trap(menu.duplicate_message)
        for item_id, item in updated.items():
            self._apply(menu, item_id, item, values)

    def _apply(self, menu: Menu, item_id: int, item: dict[str, str], changed: Iterable[str]) -> None:
        if menu.path == "/interface":
            item["running"] = format_bool(item.get("disabled") != "true")
        if menu.path == "/ip/firewall/address-list" and "timeout" in changed:
            if item.get("timeout"):
                item["dynamic"] = "true"
                item["_expires"] = repr(self.now() + parse_duration(item["timeout"]))
            else:
                item["dynamic"] = "false"
                item.pop("_expires", None)
        menu.items[item_id] = item

    def _cmd_unset(self, menu: Menu, args: dict[str, str]) -> None:
        names = [n for n in args.pop("value-name", "").split(",") if n]
        ids, rest = self._targets(menu, args)
        if rest:
            raise Trap(f"unknown parameter {next(iter(rest))}")
        if not names:
            raise Trap("missing value(s) of argument(s) value-name", 1)
        for name in names:
            prop = menu.by_name.get(name)
            if prop is None or not prop.writable:
                raise Trap(f"unknown parameter {name}")
        for item_id in ids:
            item = dict(menu.items[item_id])
            for name in names:
                default = menu.by_name[name].default
                if default is None:
                    item.pop(name, None)
                else:
                    item[name] = default
            self._apply(menu, item_id, item, names)

    def _cmd_remove(self, menu: Menu, args: dict[str, str]) -> None:
        ids, rest = self._targets(menu, args)
        if rest:
            raise Trap(f"unknown parameter {next(iter(rest))}")
        for item_id in ids:
            if menu.path.endswith("/profile") and menu.items[item_id].get("default") == "true":
                raise Trap("failure: can not remove default profile")
        for item_id in ids:
            if menu.path == "/ppp/active":
                self._drop_session(menu, item_id)
            else:
                menu.items.pop(item_id, None)

    def _cmd_enable(self, menu: Menu, args: dict[str, str]) -> None:
        self._cmd_set(menu, {**args, "disabled": "no"})

    def _cmd_disable(self, menu: Menu, args: dict[str, str]) -> None:
        self._cmd_set(menu, {**args, "disabled": "yes"})


# --------------------------------------------------------------------------- helpers


def self_signed_context(directory: str | os.PathLike[str]) -> ssl.SSLContext:
    """A server ``SSLContext`` with a fresh self-signed certificate for API-SSL.

    The key and certificate are written to ``directory`` (a test's ``tmp_path``).
    They are made with ``cryptography`` when it is installed, else with the
    ``openssl`` command.
    """
    from pathlib import Path

    cert_path, key_path = Path(directory) / "routeros.crt", Path(directory) / "routeros.key"
    try:
        _write_certificate_cryptography(cert_path, key_path)
    except ImportError:
        _write_certificate_openssl(cert_path, key_path)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    return context


def _write_certificate_cryptography(cert_path: os.PathLike[str], key_path: os.PathLike[str]) -> None:
    import datetime as dt
    from pathlib import Path

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "routeros-emulator")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    Path(cert_path).write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    Path(key_path).write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )


def _write_certificate_openssl(cert_path: os.PathLike[str], key_path: os.PathLike[str]) -> None:
    import subprocess

    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
            "-nodes", "-days", "1", "-subj", "/CN=routeros-emulator",
            "-keyout", os.fspath(key_path), "-out", os.fspath(cert_path),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip


class _Session:
    """Per-connection state and a blocking sentence reader."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.user: str | None = None
        self.challenge: bytes | None = None

    def _read(self, length: int) -> bytes:
        data = bytearray()
        while len(data) < length:
            chunk = self.sock.recv(length - len(data))
            if not chunk:
                raise _Closed
            data += chunk
        return bytes(data)

    def read_sentence(self) -> list[str]:
        words = []
        while True:
            length = decode_length(self._read(1)[0], self._read)
            if length == 0:
                return words
            words.append(self._read(length).decode("utf-8", errors="replace"))


def _expire_address_list(router: RouterOSEmulator, menu: Menu) -> None:
    now = router.now()
    for item_id, item in list(menu.items.items()):
        if "_expires" in item and float(item["_expires"]) <= now:
            del menu.items[item_id]


def _address_list_timeout(router: RouterOSEmulator, item: dict[str, str]) -> dict[str, str]:
    if "_expires" not in item:
        return {}
    return {"timeout": format_duration(float(item["_expires"]) - router.now())}


def _packets(amount: int) -> int:
    return -(-amount // 1500)


def _api_values(values: dict[str, object]) -> dict[str, str]:
    """Python keyword values to API strings (``remote_address=`` -> ``remote-address``, bools to yes/no)."""
    out = {}
    for key, value in values.items():
        text = ("yes" if value else "no") if isinstance(value, bool) else str(value)
        out[key.replace("_", "-")] = text
    return out


def _hard_close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
