# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Risk that a customer leaves: a transparent score out of 100, the sum of the points of
each reason found, every reason with its figures so that staff see why.

Signals and points (each capped, so that no single signal says everything):

- **falling usage**: the last 30 days against the average of the 30-day windows before
  them (up to 3). A drop of 25 % gives 10 points, 50 % 20, 75 % 30; not counted below
  ``MIN_USAGE_BYTES`` of average (too little to compare) or without an earlier window.
- **repeated tickets**: 2 or more helpdesk tickets in the last 90 days, 8 points each, at
  most 25 (only where a helpdesk exists: ``tickets=None`` leaves it out).
- **late payments**: invoices of the last 12 months paid after their due date, 5 points
  each, at most 15; invoices overdue now, 10 points each, at most 20.
- **outages suffered**: suspensions for debt in the last 12 months, 10 points each, at most
  20; outage incidents of the last 90 days, 5 points each, at most 15 (``incidents=None``
  where there are no incidents).

Levels: ``high`` from 50 points, ``medium`` from 25, ``low`` above 0, ``none`` at 0.
"""

from dataclasses import dataclass, field

MIN_USAGE_BYTES = 10**9  # 1 GB a month on average before a drop means anything
USAGE_DROP_POINTS = ((0.75, 30), (0.50, 20), (0.25, 10))
TICKETS_MIN = 2
TICKET_POINTS, TICKETS_MAX = 8, 25
LATE_POINTS, LATE_MAX = 5, 15
OVERDUE_POINTS, OVERDUE_MAX = 10, 20
DEBT_SUSPENSION_POINTS, DEBT_SUSPENSION_MAX = 10, 20
INCIDENT_POINTS, INCIDENT_MAX = 5, 15
LEVELS = ((50, "high"), (25, "medium"), (1, "low"))


@dataclass(frozen=True)
class Signals:
    """What is known of one subscription. Usage in bytes: ``usage_now`` over the last 30 days,
    ``usage_before`` the 30-day windows before them, most recent first (missing ones left out)."""

    usage_now: float = 0
    usage_before: tuple = ()
    tickets: int | None = None
    late_payments: int = 0
    overdue_invoices: int = 0
    debt_suspensions: int = 0
    incidents: int | None = None


@dataclass(frozen=True)
class Reason:
    """``code`` names the reason (the Odoo side words it), ``points`` its weight, ``values``
    the figures behind it."""

    code: str
    points: int
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Risk:
    score: int
    level: str
    reasons: tuple


def usage_drop(usage_now, usage_before):
    """The fall of ``usage_now`` below the average of ``usage_before``, 0..1 (0 when it rose),
    or None when there is nothing (or too little) to compare with."""
    before = [value for value in usage_before if value is not None]
    if not before:
        return None
    average = sum(before) / len(before)
    if average < MIN_USAGE_BYTES:
        return None
    return max(0.0, 1 - max(usage_now, 0) / average)


def level(score):
    return next((name for threshold, name in LEVELS if score >= threshold), "none")


def assess(signals):
    """The :class:`Risk` of ``signals``: score 0..100, level, and the reasons, heaviest first."""
    reasons = []
    drop = usage_drop(signals.usage_now, signals.usage_before)
    if drop is not None:
        points = next((points for threshold, points in USAGE_DROP_POINTS if drop >= threshold), 0)
        if points:
            before = [value for value in signals.usage_before if value is not None]
            reasons.append(
                Reason(
                    "usage_drop",
                    points,
                    {
                        "percent": round(drop * 100),
                        "now_gb": round(signals.usage_now / 10**9, 1),
                        "before_gb": round(sum(before) / len(before) / 10**9, 1),
                    },
                )
            )
    if signals.tickets is not None and signals.tickets >= TICKETS_MIN:
        reasons.append(
            Reason("tickets", min(TICKETS_MAX, TICKET_POINTS * signals.tickets), {"count": signals.tickets})
        )
    if signals.overdue_invoices > 0:
        reasons.append(
            Reason(
                "overdue",
                min(OVERDUE_MAX, OVERDUE_POINTS * signals.overdue_invoices),
                {"count": signals.overdue_invoices},
            )
        )
    if signals.late_payments > 0:
        reasons.append(
            Reason(
                "late_payments",
                min(LATE_MAX, LATE_POINTS * signals.late_payments),
                {"count": signals.late_payments},
            )
        )
    if signals.debt_suspensions > 0:
        reasons.append(
            Reason(
                "debt_suspensions",
                min(DEBT_SUSPENSION_MAX, DEBT_SUSPENSION_POINTS * signals.debt_suspensions),
                {"count": signals.debt_suspensions},
            )
        )
    if signals.incidents:
        reasons.append(
            Reason(
                "incidents",
                min(INCIDENT_MAX, INCIDENT_POINTS * signals.incidents),
                {"count": signals.incidents},
            )
        )
    reasons.sort(key=lambda reason: -reason.points)
    score = min(100, sum(reason.points for reason in reasons))
    return Risk(score, level(score), tuple(reasons))
