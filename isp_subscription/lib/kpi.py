# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Business KPIs of an ISP: monthly recurring revenue and its movement, ARPU, churn rate,
receivables aging, contention. Plain Python, no Odoo import.

The reporting views (``isp_subscription/report/``) compute the same rules in SQL for every
subscription and month at once; this module is the reference the dashboard uses and the tests
check, and the SQL must agree with it.
"""

from .periods import PERIOD_MONTHS

# MRR movement of a subscription from one month end to the next
NONE = "none"
NEW = "new"
UPGRADE = "upgrade"
DOWNGRADE = "downgrade"
CHURN = "churn"
REACTIVATION = "reactivation"
MOVEMENTS = (NEW, UPGRADE, DOWNGRADE, CHURN, REACTIVATION, NONE)

# receivables aging, by days overdue
NOT_DUE = "not_due"
AGING_BUCKETS = (NOT_DUE, "0_30", "31_60", "61_90", "90_plus")

SECONDS_PER_DAY = 86400


def monthly_amount(price, billing_period="monthly"):
    """The monthly recurring amount of a plan priced ``price`` per ``billing_period``."""
    return (price or 0.0) / PERIOD_MONTHS[billing_period or "monthly"]


def movement(previous_mrr, mrr, had_mrr_before=False):
    """How a subscription's MRR moved from the previous month end to this one.

    ``had_mrr_before``: the subscription brought revenue at some earlier month end, so coming
    back from nothing is a reactivation (a reconnection after a suspension), not a new customer.
    Going to nothing (a suspension or a termination) is churn.
    """
    previous_mrr, mrr = previous_mrr or 0.0, mrr or 0.0
    if previous_mrr <= 0 < mrr:
        return REACTIVATION if had_mrr_before else NEW
    if mrr <= 0 < previous_mrr:
        return CHURN
    if 0 < previous_mrr < mrr:
        return UPGRADE
    if 0 < mrr < previous_mrr:
        return DOWNGRADE
    return NONE


def movement_amounts(previous_mrr, mrr, had_mrr_before=False):
    """``{movement: signed MRR change}`` of one subscription (churn and downgrade negative)."""
    kind = movement(previous_mrr, mrr, had_mrr_before)
    return {} if kind == NONE else {kind: (mrr or 0.0) - (previous_mrr or 0.0)}


def arpu(mrr, active_customers):
    """Average revenue per user: MRR over the customers with an active subscription."""
    return mrr / active_customers if active_customers else 0.0


def churn_rate(churned, in_service_at_start):
    """Percentage of the subscriptions in service (active or suspended) at the start of the
    month that were terminated during it."""
    return 100.0 * churned / in_service_at_start if in_service_at_start else 0.0


def aging_bucket(days_overdue):
    """The aging bucket of an open invoice ``days_overdue`` days after its due date
    (0 or less: not due yet; the due day itself counts as day 0, so "0-30" starts the day after)."""
    if days_overdue <= 0:
        return NOT_DUE
    if days_overdue <= 30:
        return "0_30"
    if days_overdue <= 60:
        return "31_60"
    if days_overdue <= 90:
        return "61_90"
    return "90_plus"


def average_mbps(bytes_per_day):
    """A day's traffic as the average rate over the day, in Mbit/s (10^6 bits per second).

    Daily usage is all the system records: a real peak (busy hour) is higher than this.
    """
    return (bytes_per_day or 0.0) * 8 / SECONDS_PER_DAY / 10**6


def contention_ratio(sold_mbps, capacity_mbps):
    """Speeds sold per unit of uplink capacity (e.g. 20.0 means 20:1); 0 without a capacity."""
    return sold_mbps / capacity_mbps if capacity_mbps else 0.0
