# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Outage credits: the share of each billing period an outage took.

Policy
------
* An outage from ``start`` to ``end`` (datetimes in the customer's time zone) is cut at
  the borders of the subscription's billing periods.
* Each part is a number of days, fractional (6 hours are 0.25 day), within its period.
* The credit of a part is priced with the billing's daily-price rule
  (``isp_subscription.lib.proration.cumulative_amount``): the period's price spread evenly
  over its days, ``price * days / days_in_period``, rounded to the currency.
* One credit per subscription and incident: its amount is the sum of its parts.
"""

from datetime import datetime, time, timedelta
from decimal import Decimal

SECONDS_PER_DAY = Decimal(86400)


def outage_parts(start, end, period_of):
    """``[(period_start, period_end, days)]``: the outage ``start``..``end`` cut at the
    billing periods' borders; ``period_of(day)`` gives ``(first, last)`` of the period
    containing ``day``; ``days`` is a Decimal (fractional days)."""
    if end <= start:
        return []
    parts = []
    cursor = start
    while cursor < end:
        period_start, period_end = period_of(cursor.date())
        border = datetime.combine(period_end + timedelta(days=1), time.min, tzinfo=start.tzinfo)
        part_end = min(end, border)
        seconds = Decimal(str((part_end - cursor).total_seconds()))
        parts.append((period_start, period_end, seconds / SECONDS_PER_DAY))
        cursor = part_end
    return parts
