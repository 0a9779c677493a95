# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""What a subscription's next invoice covers: which service days and which usage periods.

A subscription remembers two dates: ``billed_until``, the last service day
invoiced, and ``usage_billed_until``, the last day whose usage was rated. The
invoicing run asks :func:`due_parts` what to invoice on a date, charges it and
moves both dates forward in the same transaction as the invoice, so a rerun
finds nothing left to do.

* Prepaid: a period is invoiced on its first day (or on the start date).
  A suspended prepaid subscription is not invoiced; on reconnection its days
  while suspended are skipped (:func:`resume_prepaid`).
* Postpaid: a period is invoiced the day after it ends, or after the
  termination day; suspended days are left out unless configured otherwise.
* Usage (data overage, extra session time) is rated per monthly usage period
  once the period is over, on the first invoice after it.
* Termination of a prepaid subscription that was invoiced beyond its last day:
  the unused days are credited (see :func:`termination_credits`).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from .periods import period_containing

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Terms:
    """What the schedule needs to know about one subscription."""

    anchor: date  # the start date
    period: str  # monthly, quarterly, yearly
    prepaid: bool
    billed_until: date | None = None
    usage_billed_until: date | None = None
    date_end: date | None = None  # the termination day, when terminated
    suspended_now: bool = False


@dataclass(frozen=True)
class Part:
    """Service days ``first``..``last`` of the period ``period_start``..``period_end``."""

    period_start: date
    period_end: date
    first: date
    last: date


@dataclass(frozen=True)
class Due:
    parts: list = field(default_factory=list)  # Part, in order
    usage_periods: list = field(default_factory=list)  # (first, last), in order
    billed_until: date | None = None
    usage_billed_until: date | None = None

    def __bool__(self):
        return bool(self.parts or self.usage_periods)


def _first_unbilled(terms):
    return terms.billed_until + ONE_DAY if terms.billed_until else terms.anchor


def due_parts(terms, invoice_date):
    """The service parts and usage periods to invoice on ``invoice_date``."""
    parts = []
    start = _first_unbilled(terms)
    last_service_day = terms.date_end
    while last_service_day is None or start <= last_service_day:
        period_start, period_end = period_containing(terms.anchor, terms.period, start)
        last = min(period_end, last_service_day) if last_service_day else period_end
        if terms.prepaid:
            if terms.suspended_now or start > invoice_date:
                break
        elif last >= invoice_date:
            break
        parts.append(Part(period_start, period_end, start, last))
        start = last + ONE_DAY
    usage_periods = []
    start = terms.usage_billed_until + ONE_DAY if terms.usage_billed_until else terms.anchor
    while last_service_day is None or start <= last_service_day:
        last = period_containing(terms.anchor, "monthly", start)[1]
        if last_service_day:
            last = min(last, last_service_day)
        if last >= invoice_date:
            break
        usage_periods.append((start, last))
        start = last + ONE_DAY
    return Due(
        parts=parts,
        usage_periods=usage_periods,
        billed_until=parts[-1].last if parts else terms.billed_until,
        usage_billed_until=usage_periods[-1][1] if usage_periods else terms.usage_billed_until,
    )


def next_invoice_date(terms):
    """The first day on which :func:`due_parts` has something to invoice (None: never again)."""
    candidates = []
    start = _first_unbilled(terms)
    if terms.date_end is None or start <= terms.date_end:
        if terms.prepaid:
            if not terms.suspended_now:
                candidates.append(start)
        else:
            period_end = period_containing(terms.anchor, terms.period, start)[1]
            candidates.append(min(period_end, terms.date_end or period_end) + ONE_DAY)
    usage_start = terms.usage_billed_until + ONE_DAY if terms.usage_billed_until else terms.anchor
    if terms.date_end is None or usage_start <= terms.date_end:
        usage_end = period_containing(terms.anchor, "monthly", usage_start)[1]
        candidates.append(min(usage_end, terms.date_end or usage_end) + ONE_DAY)
    return min(candidates) if candidates else None


def termination_credits(terms):
    """Parts invoiced in advance beyond the termination day, to credit."""
    if not terms.date_end or not terms.billed_until or terms.billed_until <= terms.date_end:
        return []
    parts = []
    start = terms.date_end + ONE_DAY
    while start <= terms.billed_until:
        period_start, period_end = period_containing(terms.anchor, terms.period, start)
        last = min(period_end, terms.billed_until)
        parts.append(Part(period_start, period_end, start, last))
        start = last + ONE_DAY
    return parts


def resume_prepaid(terms, reconnect_day):
    """``billed_until`` after a prepaid subscription's reconnection: the days it was
    suspended and not yet invoiced are skipped, billing resumes on ``reconnect_day``."""
    if terms.billed_until and terms.billed_until >= reconnect_day - ONE_DAY:
        return terms.billed_until
    return reconnect_day - ONE_DAY
