# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Proration by day.

Policy
------
* A period's price is spread evenly over its days. A part of the period
  (a start, a termination, the days before or after a plan change) costs
  ``price * days / days_in_period``.
* Amounts are rounded with *cumulative rounding*: the amount of the days up to
  a given day is rounded, and each part is the difference between two such
  rounded amounts. So however a period is cut, its parts add up exactly to the
  full price: nothing is lost or invented by rounding.
* Every day is billed at the price of the plan that was the subscription's on
  that day: a period is cut into segments by the plan timeline
  (:func:`plan_segments`) and each segment is priced as a part of the period.
* Upgrade (a dearer plan): takes effect on the day of the change. Downgrade (a
  cheaper or equal plan): takes effect at the start of the next period by
  default; nothing changes in the current one. Days already invoiced with
  another plan get a credit for the old plan and a charge for the new one.
* Suspended days are not charged unless ``charge_while_suspended`` is set.
* Termination: only the days up to and including the termination day.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .money import round_money, to_decimal
from .periods import days_between


@dataclass(frozen=True)
class Charge:
    """One invoice line's worth: a quantity (share of the period) of a unit price."""

    description: str
    date_from: date
    date_to: date
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal


@dataclass(frozen=True)
class PlanChange:
    """What a plan change does to the current period."""

    effective_date: date
    credit: Decimal  # for the old plan's days from the change (0 from the next period)
    charge: Decimal  # for the new plan's days from the change (0 from the next period)


def cumulative_amount(price, period_days, days, rounding=Decimal("0.01")):
    """Rounded price of the first ``days`` days of a period of ``period_days`` days."""
    if not 0 <= days <= period_days:
        raise ValueError("days must be within the period")
    return round_money(to_decimal(price) * days / period_days, rounding)


def part_amount(price, period_start, period_end, first, last, rounding=Decimal("0.01")):
    """Price of the days ``first``..``last`` (clipped to the period), by cumulative rounding."""
    period_days = days_between(period_start, period_end)
    first, last = max(first, period_start), min(last, period_end)
    if last < first:
        return Decimal(0)
    before = days_between(period_start, first - timedelta(days=1))
    return cumulative_amount(
        price, period_days, before + days_between(first, last), rounding
    ) - cumulative_amount(price, period_days, before, rounding)


def billable_days(
    period_start, period_end, active_from=None, active_to=None, suspended=(), charge_while_suspended=False
):
    """Days of the period the customer pays for, as sorted (first, last) ranges."""
    first = max(period_start, active_from or period_start)
    last = min(period_end, active_to or period_end)
    if last < first:
        return []
    ranges = [(first, last)]
    if charge_while_suspended:
        return ranges
    for s_first, s_last in sorted(suspended):
        kept = []
        for r_first, r_last in ranges:
            if s_last < r_first or s_first > r_last:
                kept.append((r_first, r_last))
                continue
            if s_first > r_first:
                kept.append((r_first, s_first - timedelta(days=1)))
            if s_last < r_last:
                kept.append((s_last + timedelta(days=1), r_last))
        ranges = kept
    return ranges


def period_charge(
    price,
    period_start,
    period_end,
    description,
    active_from=None,
    active_to=None,
    suspended=(),
    charge_while_suspended=False,
    rounding=Decimal("0.01"),
):
    """The recurring charge of one period, prorated for a start, a termination and suspensions."""
    price = to_decimal(price)
    period_days = days_between(period_start, period_end)
    ranges = billable_days(
        period_start, period_end, active_from, active_to, suspended, charge_while_suspended
    )
    if not ranges:
        return None
    amount = sum(
        (part_amount(price, period_start, period_end, first, last, rounding) for first, last in ranges),
        Decimal(0),
    )
    days = sum(days_between(first, last) for first, last in ranges)
    return Charge(
        description=description,
        date_from=ranges[0][0],
        date_to=ranges[-1][1],
        quantity=Decimal(days) / period_days,
        unit_price=price,
        amount=amount,
    )


def change_plan(
    old_price, new_price, period_start, period_end, change_date, rounding=Decimal("0.01"), timing="auto"
):
    """When a plan change asked on ``change_date`` takes effect, and the credit (old plan) and
    charge (new plan) of the period's days from then on (see the policy). ``timing``: ``auto``
    (an upgrade now, a downgrade from the next period), ``now`` or ``next_period``."""
    old_price, new_price = to_decimal(old_price), to_decimal(new_price)
    if not period_start <= change_date <= period_end:
        raise ValueError("the change date is outside the period")
    if timing == "auto":
        timing = "now" if new_price > old_price else "next_period"
    if timing == "next_period":
        return PlanChange(period_end + timedelta(days=1), Decimal(0), Decimal(0))
    credit = part_amount(old_price, period_start, period_end, change_date, period_end, rounding)
    charge = part_amount(new_price, period_start, period_end, change_date, period_end, rounding)
    return PlanChange(change_date, credit, charge)


def plan_on(timeline, day):
    """The plan of ``day`` in a timeline of ``(date_from, plan)`` sorted by date; days before
    the first entry have the first entry's plan."""
    current = timeline[0][1]
    for date_from, plan in timeline:
        if date_from > day:
            break
        current = plan
    return current


def plan_segments(timeline, first, last):
    """Days ``first``..``last`` cut where the plan changes: ``[(first, last, plan), ...]``."""
    if last < first:
        return []
    segments = []
    start = first
    for date_from, __ in timeline:
        if start < date_from <= last:
            segments.append((start, date_from - timedelta(days=1), plan_on(timeline, start)))
            start = date_from
    segments.append((start, last, plan_on(timeline, start)))
    return segments
