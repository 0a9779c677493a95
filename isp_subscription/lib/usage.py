# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Usage rating: data caps, overage and metered session time.

Units: data volumes are GB of 10^9 bytes everywhere (plans, invoices, usage
records), as ISPs advertise them. Overage is the volume above the cap, rounded
*up* to ``increment`` GB (0.01 GB by default) so that any use beyond the cap is
charged at least one increment. A cap of 0 means unlimited.
Session time: ``included_hours`` per period (0 = unlimited); time beyond it is
billed per started ``increment_minutes`` (60 by default) at the hourly price.
"""

import math
from decimal import ROUND_CEILING, Decimal

from .money import round_money, to_decimal
from .proration import Charge

BYTES_PER_GB = 10**9
# The most one subscriber can move in a day one way: 10 Gbit/s for 24 hours. Anything above is
# a counter error or a typo, never usage to bill.
MAX_DAILY_BYTES = 10 * 10**9 // 8 * 86400


def is_over_cap(total_bytes, cap_gb):
    """True once the volume is beyond the cap (the subscription then runs at fair-usage speed)."""
    return cap_gb > 0 and total_bytes > cap_gb * BYTES_PER_GB


def overage_gb(total_bytes, cap_gb, increment=Decimal("0.01")):
    """GB beyond the cap, rounded up to ``increment``; 0 within the cap or without one."""
    if not is_over_cap(total_bytes, cap_gb):
        return Decimal(0)
    increment = to_decimal(increment)
    excess = Decimal(total_bytes - cap_gb * BYTES_PER_GB) / BYTES_PER_GB
    return (excess / increment).to_integral_value(rounding=ROUND_CEILING) * increment


def data_overage_charge(
    total_bytes,
    cap_gb,
    price_per_gb,
    period_start,
    period_end,
    increment=Decimal("0.01"),
    rounding=Decimal("0.01"),
):
    """The overage of a period, or None: the invoicing run's line is ``quantity`` GB at
    ``unit_price`` (it names the line itself, in the customer's language)."""
    quantity = overage_gb(total_bytes, cap_gb, increment)
    if not quantity:
        return None
    description = f"Data overage {period_start.isoformat()} to {period_end.isoformat()}: {quantity} GB"
    return _period_charge(description, period_start, period_end, quantity, price_per_gb, rounding)


def extra_hours(session_seconds, included_hours, increment_minutes=60):
    """Hours beyond those included, per started increment; 0 when unlimited."""
    if included_hours <= 0:
        return Decimal(0)
    extra_seconds = session_seconds - included_hours * 3600
    if extra_seconds <= 0:
        return Decimal(0)
    increments = math.ceil(extra_seconds / (increment_minutes * 60))
    return Decimal(increments * increment_minutes) / 60


def time_overage_charge(
    session_seconds,
    included_hours,
    price_per_hour,
    period_start,
    period_end,
    increment_minutes=60,
    rounding=Decimal("0.01"),
):
    """The extra session time of a period, or None: the invoicing run's line is ``quantity``
    hours at ``unit_price`` (it names the line itself, in the customer's language)."""
    hours = extra_hours(session_seconds, included_hours, increment_minutes)
    if not hours:
        return None
    description = f"Extra session time {period_start.isoformat()} to {period_end.isoformat()}: {hours:g} h"
    return _period_charge(description, period_start, period_end, hours, price_per_hour, rounding)


def _period_charge(description, period_start, period_end, quantity, unit_price, rounding):
    unit_price = to_decimal(unit_price)
    return Charge(
        description=description,
        date_from=period_start,
        date_to=period_end,
        quantity=quantity,
        unit_price=unit_price,
        amount=round_money(quantity * unit_price, rounding),
    )
