# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""What an agent must know first about a customer's service, from plain facts.

``situation()`` picks the one situation that explains a call best ("my internet is slow"):
a suspension first (nothing works), then money overdue (it will be suspended), the fair-usage
cap (slow on purpose), the connection being down (a real fault), else healthy. ``headline()``
says it in one sentence, as a key and its parameters: the Odoo side translates the key's
sentence and formats the dates and amounts in the agent's language.
"""

from dataclasses import dataclass
from datetime import date, datetime

SUSPENDED = "suspended"
OVERDUE = "overdue"
FAIR_USAGE = "fair_usage"
OFFLINE = "offline"
HEALTHY = "healthy"
NO_SERVICE = "no_service"
# From the most to the least pressing.
SITUATIONS = (NO_SERVICE, SUSPENDED, OVERDUE, FAIR_USAGE, OFFLINE, HEALTHY)

# Headline keys (the Odoo side has one translatable sentence for each).
H_NO_SUBSCRIPTION = "no_subscription"
H_DRAFT = "draft"
H_TERMINATED = "terminated"
H_SUSPENDED_DEBT = "suspended_debt"
H_SUSPENDED = "suspended"
H_SUSPENDED_REASON = "suspended_reason"
H_OVERDUE = "overdue"
H_FAIR_USAGE = "fair_usage"
H_OFFLINE = "offline"
H_HEALTHY_ONLINE = "healthy_online"
H_HEALTHY_UNKNOWN = "healthy_unknown"


@dataclass(frozen=True)
class Facts:
    """One subscription's facts, as the database has them (None: no subscription)."""

    state: str | None  # draft, active, suspended, terminated
    suspended_for_debt: bool = False
    suspension_reason: str | None = None
    suspended_since: date | None = None
    date_end: date | None = None
    amount_overdue: float = 0.0
    oldest_due: date | None = None
    fair_usage: bool = False
    usage_gb: float = 0.0
    cap_gb: float = 0.0
    online: bool = False
    last_seen: datetime | None = None


def situation(facts):
    """The situation that explains the customer's call best (one of ``SITUATIONS``)."""
    if facts.state not in ("active", "suspended"):
        return NO_SERVICE
    if facts.state == "suspended":
        return SUSPENDED
    if facts.amount_overdue > 0:
        return OVERDUE
    if facts.fair_usage:
        return FAIR_USAGE
    # Never seen at all: no network addon reports sessions, so nothing is known to be down.
    if not facts.online and facts.last_seen:
        return OFFLINE
    return HEALTHY


def usage_percent(usage_gb, cap_gb):
    """The share of the cap used this period, in percent (0 without a cap)."""
    if not cap_gb or cap_gb <= 0:
        return 0.0
    return round(max(usage_gb, 0.0) * 100.0 / cap_gb, 1)


def offline_minutes(last_seen, now):
    """Whole minutes since the network last saw the subscription (0 if never or in the future)."""
    if not last_seen or last_seen >= now:
        return 0
    return int((now - last_seen).total_seconds() // 60)


def headline(facts, now=None):
    """``(key, params)`` of the sentence that says the situation; params hold raw values
    (dates, amounts, numbers) for the caller to format."""
    current = situation(facts)
    if current == NO_SERVICE:
        if facts.state is None:
            return H_NO_SUBSCRIPTION, {}
        if facts.state == "terminated":
            return H_TERMINATED, {"date": facts.date_end}
        return H_DRAFT, {}
    if current == SUSPENDED:
        if facts.suspended_for_debt and facts.amount_overdue > 0:
            return H_SUSPENDED_DEBT, {
                "since": facts.suspended_since,
                "amount": facts.amount_overdue,
                "due": facts.oldest_due,
            }
        if facts.suspension_reason:
            return H_SUSPENDED_REASON, {"since": facts.suspended_since, "reason": facts.suspension_reason}
        return H_SUSPENDED, {"since": facts.suspended_since}
    if current == OVERDUE:
        return H_OVERDUE, {"amount": facts.amount_overdue, "due": facts.oldest_due}
    if current == FAIR_USAGE:
        return H_FAIR_USAGE, {
            "usage": round(facts.usage_gb, 1),
            "cap": facts.cap_gb,
            "percent": usage_percent(facts.usage_gb, facts.cap_gb),
        }
    if current == OFFLINE:
        return H_OFFLINE, {
            "since": facts.last_seen,
            "minutes": offline_minutes(facts.last_seen, now) if now else 0,
        }
    if facts.online:
        return H_HEALTHY_ONLINE, {}
    return H_HEALTHY_UNKNOWN, {}


def format_duration(minutes):
    """``(days, hours, minutes)`` of a duration in minutes, for '2 d 3 h 5 min' style texts."""
    minutes = max(int(minutes), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return days, hours, mins
