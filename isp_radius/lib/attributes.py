# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""What FreeRADIUS's SQL tables must hold for a subscription, and how to get there.

A row is ``(attribute, op, value)`` for ``radcheck``/``radreply``/
``radgroupcheck``/``radgroupreply`` and ``(groupname, priority)`` for
``radusergroup``. :func:`user_rows` says what a subscription wants;
:func:`changes` compares it with what the database holds, so applying a
subscription twice changes nothing and anything edited by hand is repaired.
"""

from dataclasses import dataclass, field

ACTIVE = "active"
FAIR_USAGE = "fair_usage"
SUSPENDED = "suspended"
REJECT = "reject"
WALLED_GARDEN = "walled_garden"


@dataclass(frozen=True)
class Groups:
    """The RADIUS group names a server uses for each network state."""

    active: str = "isp_active"
    fair_usage: str = "isp_fair_usage"
    suspended: str = "isp_suspended"

    def for_state(self, network_state):
        return {ACTIVE: self.active, FAIR_USAGE: self.fair_usage, SUSPENDED: self.suspended}[network_state]


@dataclass(frozen=True)
class UserRows:
    """The rows of one user; all empty when the user must not exist."""

    check: frozenset = field(default_factory=frozenset)
    reply: frozenset = field(default_factory=frozenset)
    groups: frozenset = field(default_factory=frozenset)

    def __bool__(self):
        return bool(self.check or self.reply or self.groups)


def user_rows(
    network_state,
    password,
    rate_limit=None,
    static_ip=None,
    pool=None,
    simultaneous_use=1,
    groups=Groups(),  # noqa: B008 - frozen, so one shared default is safe
):
    """The rows for a subscription in ``network_state`` (``none``/``terminated``: no user).

    A suspended user keeps its password, so that the suspended group decides
    (reject, or a walled garden), and loses its speed and static address.
    """
    if network_state not in (ACTIVE, FAIR_USAGE, SUSPENDED):
        return UserRows()
    if not password:
        raise ValueError("a RADIUS user needs a password")
    check = {("Cleartext-Password", ":=", password)}
    if simultaneous_use:
        check.add(("Simultaneous-Use", ":=", str(simultaneous_use)))
    reply = set()
    if network_state != SUSPENDED:
        if rate_limit:
            reply.add(("Mikrotik-Rate-Limit", ":=", rate_limit))
        if static_ip:
            reply.add(("Framed-IP-Address", ":=", static_ip))
        elif pool:
            reply.add(("Framed-Pool", ":=", pool))
    return UserRows(frozenset(check), frozenset(reply), frozenset({(groups.for_state(network_state), 1)}))


def group_rows(
    suspended_mode,
    groups=Groups(),  # noqa: B008
    walled_garden_pool=None,
    walled_garden_address_list=None,
    reject_message="Service suspended",
    active_address_list=None,
):
    """``{groupname: (check rows, reply rows)}`` for the groups of a server.

    ``active_address_list``: the ``Mikrotik-Address-List`` of paying users (active
    and fair-usage groups), which a CoA puts back on a session leaving the walled
    garden (a RADIUS string cannot be empty, so "no list" cannot be sent).
    """
    if suspended_mode == REJECT:
        suspended = ({("Auth-Type", ":=", "Reject")}, {("Reply-Message", ":=", reject_message)})
    elif suspended_mode == WALLED_GARDEN:
        reply = set()
        if walled_garden_pool:
            reply.add(("Framed-Pool", ":=", walled_garden_pool))
        if walled_garden_address_list:
            reply.add(("Mikrotik-Address-List", ":=", walled_garden_address_list))
        if not reply:
            raise ValueError("a walled garden needs an address pool or an address list")
        suspended = (set(), reply)
    else:
        raise ValueError(f"unknown suspension mode {suspended_mode!r}")
    paying = {("Mikrotik-Address-List", ":=", active_address_list)} if active_address_list else set()
    return {
        groups.active: (set(), set(paying)),
        groups.fair_usage: (set(), set(paying)),
        groups.suspended: suspended,
    }


def leaves_walled_garden(suspended_mode, groups, current_groups, desired):
    """True when a user in the walled garden is written back as a paying user.

    ``current_groups`` are the user's ``(groupname, priority)`` rows before the
    write, ``desired`` its new :class:`UserRows`. Its live sessions were opened in
    the walled garden (its address pool, its address list): they must be ended or
    changed, a CoA with the speed alone does not take them out.
    """
    if suspended_mode != WALLED_GARDEN:
        return False
    was_suspended = any(group == groups.suspended for group, _priority in current_groups)
    paying = {groups.active, groups.fair_usage}
    return was_suspended and any(group in paying for group, _priority in desired.groups)


def changes(current, desired):
    """``(to_delete, to_insert)`` turning the set ``current`` into ``desired``.

    Rows are compared whole, so a changed value is a delete and an insert,
    and a duplicate left by hand is removed with the other stale rows.
    """
    current, desired = set(current), set(desired)
    return current - desired, desired - current


def reply_changed(current, desired):
    """True when what a live session must get (speed, address) differs."""
    return {row for row in current if row[0] == "Mikrotik-Rate-Limit"} != {
        row for row in desired if row[0] == "Mikrotik-Rate-Limit"
    }
