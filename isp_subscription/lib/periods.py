# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Billing periods anchored on a subscription's start date.

Period *n* runs from ``anchor + n*months`` to the day before period *n+1*.
Dates are always computed from the anchor, never from the previous period, so
month-end anchors do not drift: a subscription started on 31 January has
periods starting 31 Jan, 28 (29) Feb, 31 Mar, 30 Apr, 31 May...
"""

import calendar
from datetime import date, timedelta

PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "yearly": 12}


def add_months(day, months):
    """``day`` moved by ``months``, clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_bounds(anchor, period, index):
    """(first day, last day) of period ``index`` (0 = the first) of a subscription."""
    months = PERIOD_MONTHS[period]
    return add_months(anchor, index * months), add_months(anchor, (index + 1) * months) - timedelta(days=1)


def period_containing(anchor, period, day):
    """(first day, last day) of the period that contains ``day`` (on or after ``anchor``)."""
    if day < anchor:
        raise ValueError("the day is before the subscription's start")
    months = PERIOD_MONTHS[period]
    index = ((day.year - anchor.year) * 12 + day.month - anchor.month) // months
    start, end = period_bounds(anchor, period, index)
    while day < start:
        index -= 1
        start, end = period_bounds(anchor, period, index)
    while day > end:
        index += 1
        start, end = period_bounds(anchor, period, index)
    return start, end


def days_between(first, last):
    """Days from ``first`` to ``last``, both included (0 when last < first)."""
    return max((last - first).days + 1, 0)
