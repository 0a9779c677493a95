# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The map's status colour of a subscription: one rule, used by the map and its legend.

* ``hidden``: draft and terminated subscriptions are not drawn unless asked for (grey then);
* ``red``: suspended, or active but offline (the network reports no session);
* ``orange`` (warning): active and online, but usage this period is at 80 % of the plan's data
  cap or more, or the subscription is on fair-usage speed, or the customer has an overdue
  invoice (posted, unpaid, past its due date);
* ``green``: active, online and none of the warnings.

Red wins over orange: a customer who is down is the first thing to look at.
"""

WARNING_USAGE_RATIO = 0.8
COLOURS = ("green", "orange", "red", "grey")


def status_colour(state, online, usage_gb=0.0, cap_gb=0.0, fair_usage=False, overdue=False):
    """``green``, ``orange``, ``red`` or ``hidden`` for a subscription (see the module's doc).

    ``cap_gb`` 0 means unlimited (no usage warning)."""
    if state in ("draft", "terminated"):
        return "hidden"
    if state == "suspended" or not online:
        return "red"
    if fair_usage or overdue or (cap_gb and usage_gb >= WARNING_USAGE_RATIO * cap_gb):
        return "orange"
    return "green"
