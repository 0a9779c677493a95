# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""What a MikroTik router must hold for a subscription, and the steps to get there.

Without RADIUS, a subscription lives on its router as a few items, each
marked with the comment ``odoo:<subscription id>`` so that Odoo finds its own
items and never touches the operator's:

- a PPPoE subscription has a PPPoE secret (``/ppp/secret``): name, password,
  profile, static ``remote-address``; disabled while suspended (a live session
  must be removed from ``/ppp/active`` as well: disabling does not drop it);
  and a simple queue (``/queue/simple``) named after the user, targeting the
  static address or the user's ``<pppoe-NAME>`` interface, with the plan's
  (or fair-usage) speed as ``max-limit`` and its burst as ``burst-limit``,
  ``burst-threshold`` and ``burst-time``, upload/download;
- a hotspot subscription, on a router given a hotspot user profile, has a
  hotspot user (``/ip/hotspot/user``) with that profile (whose rate-limit sets
  its speed), disabled while suspended (and removed from
  ``/ip/hotspot/active``); no secret, no queue;
- while suspended with a static address, an entry in the suspension
  address list (``/ip/firewall/address-list``), for a walled garden.

A terminated subscription has none. :func:`plan` compares what the router
has with this and returns the additions, changes and removals, so applying
twice does nothing and an item edited on the router is put back. An item the
operator made (no ``odoo:`` comment) that has the user's name (or, in the
suspension list, the user's address) is adopted: marked and set, never
duplicated; an unmarked item is never removed.

Values are compared as RouterOS prints them, through :func:`printed`,
whatever type the API client made of them: ``librouteros`` reads the word
``6281234567890`` back as an integer and ``yes`` as ``True``.
"""

import re
from dataclasses import dataclass, field

SECRET = "/ppp/secret"
HOTSPOT_USER = "/ip/hotspot/user"
QUEUE = "/queue/simple"
ADDRESS_LIST = "/ip/firewall/address-list"
# The order in which a subscription's items are changed: the login first, so that a
# customer being cut off cannot log in again once the session is removed.
MENUS = (SECRET, HOTSPOT_USER, QUEUE, ADDRESS_LIST)
LOGIN_MENUS = (SECRET, HOTSPOT_USER)
# Where the live sessions of each kind of login are, and the property naming the user.
ACTIVE = {SECRET: ("/ppp/active", "name"), HOTSPOT_USER: ("/ip/hotspot/active", "user")}
COMMENT_PREFIX = "odoo:"

_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)([kKMG]?)\s*$")
_UNITS = {"": 1, "k": 1000, "K": 1000, "M": 10**6, "G": 10**9}
_RATE_KEYS = ("max-limit", "burst-limit", "burst-threshold", "limit-at")

_DURATION = re.compile(r"(\d+)([wdhms])")
_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}

# librouteros reads these words as booleans, so the word the router printed is lost:
# they compare as RouterOS prints its own booleans.
_BOOLEAN_WORDS = {"yes": "true", "no": "false"}


def printed(value):
    """A value as RouterOS prints it, whatever type the API client returned.

    ``librouteros`` turns a word that reads as an integer (``6281234567890``,
    not ``0812``) into an ``int`` and ``yes``/``no``/``true``/``false`` into a
    ``bool``; this gives the word back (``"6281234567890"``). A boolean comes
    back as ``true``/``false``, and so do the words ``yes``/``no``, since the
    client makes one value of both. Every value read from a router, and every
    value compared with one, goes through here.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return _BOOLEAN_WORDS.get(text, text)


def printed_item(item):
    """An item read from the router with every value as RouterOS printed it."""
    return {key: printed(value) for key, value in item.items()}


def read(rows):
    """Every row of a reply (a librouteros query or path), values as printed."""
    return [printed_item(row) for row in rows]


def seconds(duration):
    """RouterOS durations in seconds: ``1w2d3h4m5s``, ``2d03:04:05``, ``03:04:05`` or ``10``."""
    text = printed(duration).strip()
    if text.isdigit():
        return int(text)
    total = 0
    if ":" in text:
        text, clock = text.rsplit("d", 1) if "d" in text else ("", text)
        hours, minutes, secs = (int(part) for part in clock.split(":"))
        total += hours * 3600 + minutes * 60 + secs
        text = f"{text}d" if text else ""
    for amount, unit in _DURATION.findall(text):
        total += int(amount) * _SECONDS[unit]
    return total


def comment(subscription_id):
    return f"{COMMENT_PREFIX}{subscription_id}"


def subscription_id_of(item):
    """The subscription an item belongs to, from its comment (None: not Odoo's)."""
    text = printed(item.get("comment"))
    if text.startswith(COMMENT_PREFIX) and text[len(COMMENT_PREFIX) :].isdigit():
        return int(text[len(COMMENT_PREFIX) :])
    return None


def bits(rate):
    """``"10M"`` -> ``10000000``: RouterOS reads rates back in bit/s."""
    match = _RATE.match(printed(rate))
    if not match:
        raise ValueError(f"not a rate: {rate!r}")
    return int(float(match.group(1)) * _UNITS[match.group(2)])


def _pair(value):
    """``"a/b"`` -> ``["a", "b"]``; a single value stands for both directions."""
    parts = printed(value).split("/")
    return parts * 2 if len(parts) == 1 else parts


def queue_limits(rate_limit):
    """A simple queue's limits from a MikroTik rate-limit, as RADIUS ``Mikrotik-Rate-Limit``
    carries it: ``rx/tx [rx-burst/tx-burst [rx-threshold/tx-threshold [rx-time/tx-time]]]``.

    Each value is upload/download, like the queue's. No burst: the queue's burst
    values are set back to none (``0/0``, ``0s/0s``), so a plan change removes it.
    """
    parts = rate_limit.split()
    limits = {
        "max-limit": "/".join(_pair(parts[0])),
        "burst-limit": "0/0",
        "burst-threshold": "0/0",
        "burst-time": "0s/0s",
    }
    if len(parts) > 1:
        limits["burst-limit"] = "/".join(_pair(parts[1]))
        limits["burst-threshold"] = "/".join(_pair(parts[2] if len(parts) > 2 else parts[0]))
        if len(parts) > 3:
            limits["burst-time"] = "/".join(f"{seconds(part)}s" for part in _pair(parts[3]))
    return limits


def max_limit(rate_limit):
    """A simple queue's ``max-limit`` (upload/download) from a MikroTik rate-limit."""
    return queue_limits(rate_limit)["max-limit"]


def _normal(menu, key, value):
    """A value as RouterOS prints it, so that desired and read values compare."""
    value = printed(value)
    if key == "disabled":
        return "true" if value == "true" else "false"
    try:
        if key in _RATE_KEYS and value:
            return "/".join(str(bits(part)) for part in _pair(value))
        if key == "burst-time" and value:
            return "/".join(str(seconds(part)) for part in _pair(value))
    except ValueError:
        return value
    if key == "target" and value and re.fullmatch(r"[\d.]+", value):
        return f"{value}/32"
    if key == "address" and value.endswith("/32"):
        return value[:-3]
    return value


def item_key(menu, item):
    """What names an item uniquely on the router, as printed: the name of a secret, queue
    or hotspot user; the list and address of an address-list entry."""
    if menu == ADDRESS_LIST:
        address = _normal(menu, "address", item.get("address"))
        return f"{printed(item.get('list'))} {address}" if address else None
    return printed(item.get("name")) or None


@dataclass(frozen=True)
class Subscription:
    """What the router needs to know of a subscription."""

    id: int
    username: str
    password: str
    network_state: str  # active, fair_usage, suspended, terminated, none
    rate_limit: str = ""
    static_ip: str = ""
    service: str = "pppoe"  # pppoe, hotspot


@dataclass(frozen=True)
class Router:
    profile: str = "default"
    suspended_list: str = "isp-suspended"
    # The hotspot user profile of hotspot subscriptions; empty: no hotspot users.
    hotspot_profile: str = ""

    def serves(self, subscription):
        """Whether this router provisions this kind of subscription."""
        return subscription.service != "hotspot" or bool(self.hotspot_profile)


@dataclass
class Step:
    """One change on the router: ``add``, ``set`` (``item_id``) or ``remove``."""

    menu: str
    action: str
    name: str
    values: dict = field(default_factory=dict)
    item_id: str = ""
    current: dict = field(default_factory=dict)


def desired_items(subscription, router):
    """``{menu: values}`` the router should hold for ``subscription``."""
    state = subscription.network_state
    if state not in ("active", "fair_usage", "suspended") or not router.serves(subscription):
        return {}
    mark = comment(subscription.id)
    disabled = "yes" if state == "suspended" else "no"
    items = {}
    if subscription.service == "hotspot":
        user = {
            "name": subscription.username,
            "password": subscription.password,
            "profile": router.hotspot_profile,
            "disabled": disabled,
            "comment": mark,
        }
        if subscription.static_ip:
            user["address"] = subscription.static_ip
        items[HOTSPOT_USER] = user
    else:
        secret = {
            "name": subscription.username,
            "password": subscription.password,
            "service": "pppoe",
            "profile": router.profile,
            "disabled": disabled,
            "comment": mark,
        }
        if subscription.static_ip:
            secret["remote-address"] = subscription.static_ip
        items[SECRET] = secret
        if subscription.rate_limit:
            items[QUEUE] = {
                "name": subscription.username,
                "target": subscription.static_ip or f"<pppoe-{subscription.username}>",
                **queue_limits(subscription.rate_limit),
                "disabled": "no",
                "comment": mark,
            }
    if state == "suspended" and subscription.static_ip:
        items[ADDRESS_LIST] = {
            "list": router.suspended_list,
            "address": subscription.static_ip,
            "disabled": "no",
            "comment": mark,
        }
    return items


def describe(step):
    """A line for people: what changes, without the password."""
    if step.action == "remove":
        return ""
    shown = {key: value for key, value in step.values.items() if key != "password"}
    if step.action == "add":
        return ", ".join(f"{key}={value}" for key, value in shown.items())
    parts = [f"{key}: {step.current.get(key, '')} -> {value}" for key, value in shown.items()]
    if "password" in step.values:
        parts.append("password")
    return ", ".join(parts)


def desired_keys(desired_by_id):
    """``{(menu, key): subscription id}`` of the items the subscriptions should have."""
    return {
        (menu, item_key(menu, wanted)): sid
        for sid, desired in desired_by_id.items()
        for menu, wanted in desired.items()
    }


def group_items(menu, items, keys):
    """``{subscription id: [items]}`` of one menu: by comment, else by the name (or suspended
    list and address) of an item a subscription should have (``keys``, from
    :func:`desired_keys`).

    Items neither marked nor named after a wanted item are the operator's, and left alone.
    """
    grouped = {}
    for item in items:
        sid = subscription_id_of(item)
        if sid is None:
            sid = keys.get((menu, item_key(menu, item)))
        if sid is not None:
            grouped.setdefault(sid, []).append(item)
    return grouped


def _name(values):
    return printed(values.get("name") or values.get("address"))


def plan(subscription_id, current, desired, label=""):
    """Steps turning ``current`` (``{menu: [items read, with .id]}`` of this
    subscription) into ``desired`` (from :func:`desired_items`).

    The item kept is the one with the wanted name (or list and address), adopted
    if the operator made it, else one of ours; our other items are removed,
    before any change, so that a rename never collides with them. An item
    without our mark is never removed.
    """
    steps = []
    for menu in MENUS:
        items = list(current.get(menu, []))
        ours = [item for item in items if subscription_id_of(item) == subscription_id]
        wanted = desired.get(menu)
        if wanted is None:
            steps += [
                Step(menu, "remove", _name(item) or label, item_id=item[".id"], current=item) for item in ours
            ]
            continue
        name = _name(wanted) or label or comment(subscription_id)
        key = item_key(menu, wanted)
        keep = next((item for item in items if key is not None and item_key(menu, item) == key), None)
        if keep is None and ours:
            keep = ours[0]
        steps += [
            Step(menu, "remove", _name(item) or name, item_id=item[".id"], current=item)
            for item in ours
            if item is not keep
        ]
        if keep is None:
            steps.append(Step(menu, "add", name, dict(wanted)))
            continue
        changes = {
            prop: value
            for prop, value in wanted.items()
            if _normal(menu, prop, keep.get(prop)) != _normal(menu, prop, value)
        }
        if changes:
            steps.append(Step(menu, "set", name, changes, item_id=keep[".id"], current=keep))
    return steps
