"""What a MikroTik router must hold for a subscription, and the steps to get there.

Without RADIUS, a subscription lives on its router as three kinds of items,
each marked with the comment ``odoo:<subscription id>`` so that Odoo finds its
own items and never touches the operator's:

- a PPPoE secret (``/ppp/secret``): name, password, profile, static
  ``remote-address``; disabled while suspended (a live session must be
  removed from ``/ppp/active`` as well: disabling does not drop it);
- a simple queue (``/queue/simple``) named after the user, targeting the
  static address or the user's ``<pppoe-NAME>`` interface, whose
  ``max-limit`` is the plan's (or fair-usage) speed, upload/download;
- while suspended with a static address, an entry in the suspension
  address list (``/ip/firewall/address-list``), for a walled garden.

A terminated subscription has none. :func:`plan` compares what the router
has with this and returns the additions, changes and removals, so applying
twice does nothing and an item edited on the router is put back.
"""

import re
from dataclasses import dataclass, field

SECRET = "/ppp/secret"
QUEUE = "/queue/simple"
ADDRESS_LIST = "/ip/firewall/address-list"
MENUS = (SECRET, QUEUE, ADDRESS_LIST)
COMMENT_PREFIX = "odoo:"

_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)([kKMG]?)\s*$")
_UNITS = {"": 1, "k": 1000, "K": 1000, "M": 10**6, "G": 10**9}


_DURATION = re.compile(r"(\d+)([wdhms])")
_SECONDS = {"w": 604800, "d": 86400, "h": 3600, "m": 60, "s": 1}


def seconds(duration):
    """RouterOS durations in seconds: ``1w2d3h4m5s``, ``2d03:04:05`` or ``03:04:05``."""
    text = str(duration or "").strip()
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
    text = item.get("comment") or ""
    if text.startswith(COMMENT_PREFIX) and text[len(COMMENT_PREFIX) :].isdigit():
        return int(text[len(COMMENT_PREFIX) :])
    return None


def bits(rate):
    """``"10M"`` -> ``10000000``: RouterOS reads rates back in bit/s."""
    match = _RATE.match(str(rate))
    if not match:
        raise ValueError(f"not a rate: {rate!r}")
    return int(float(match.group(1)) * _UNITS[match.group(2)])


def max_limit(rate_limit):
    """A simple queue's ``max-limit`` (upload/download) from a MikroTik rate-limit."""
    upload, download = rate_limit.split()[0].split("/")
    return f"{upload}/{download}"


def _normal(menu, key, value):
    """A value as RouterOS prints it, so that desired and read values compare."""
    if isinstance(value, bool):  # librouteros reads "true" back as True
        value = "true" if value else "false"
    value = "" if value is None else str(value)
    if key == "disabled":
        return "true" if value in ("true", "yes") else "false"
    if key == "max-limit" and value:
        return "/".join(str(bits(part)) for part in value.split("/"))
    if key == "target" and value and re.fullmatch(r"[\d.]+", value):
        return f"{value}/32"
    if key == "address" and value.endswith("/32"):
        return value[:-3]
    return value


@dataclass(frozen=True)
class Subscription:
    """What the router needs to know of a subscription."""

    id: int
    username: str
    password: str
    network_state: str  # active, fair_usage, suspended, terminated, none
    rate_limit: str = ""
    static_ip: str = ""


@dataclass(frozen=True)
class Router:
    profile: str = "default"
    suspended_list: str = "isp-suspended"


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
    if state not in ("active", "fair_usage", "suspended"):
        return {}
    mark = comment(subscription.id)
    secret = {
        "name": subscription.username,
        "password": subscription.password,
        "service": "pppoe",
        "profile": router.profile,
        "disabled": "yes" if state == "suspended" else "no",
        "comment": mark,
    }
    if subscription.static_ip:
        secret["remote-address"] = subscription.static_ip
    items = {SECRET: secret}
    if subscription.rate_limit:
        items[QUEUE] = {
            "name": subscription.username,
            "target": subscription.static_ip or f"<pppoe-{subscription.username}>",
            "max-limit": max_limit(subscription.rate_limit),
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


def group_items(items, usernames):
    """``{subscription id: [items]}`` of one menu: by comment, else by a subscription's user name.

    Items neither marked nor named after a subscription are the operator's, and left alone.
    """
    grouped = {}
    for item in items:
        sid = subscription_id_of(item)
        if sid is None:
            sid = usernames.get(item.get("name"))
        if sid is not None:
            grouped.setdefault(sid, []).append(item)
    return grouped


def plan(subscription_id, current, desired, label=""):
    """Steps turning ``current`` (``{menu: [items read, with .id]}`` of this
    subscription) into ``desired`` (from :func:`desired_items`)."""
    steps = []
    for menu in MENUS:
        items = list(current.get(menu, []))
        wanted = desired.get(menu)
        name = (
            (wanted or {}).get("name") or (wanted or {}).get("address") or label or comment(subscription_id)
        )
        if wanted is None:
            steps += [
                Step(
                    menu,
                    "remove",
                    item.get("name") or item.get("address") or name,
                    item_id=item[".id"],
                    current=item,
                )
                for item in items
            ]
            continue
        if not items:
            steps.append(Step(menu, "add", name, dict(wanted)))
            continue
        keep, extra = items[0], items[1:]
        changes = {
            key: value
            for key, value in wanted.items()
            if _normal(menu, key, keep.get(key)) != _normal(menu, key, value)
        }
        if changes:
            steps.append(Step(menu, "set", name, changes, item_id=keep[".id"], current=keep))
        steps += [Step(menu, "remove", name, item_id=item[".id"], current=item) for item in extra]
    return steps
