# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Money arithmetic in Decimal, rounded half-up to a currency's rounding step."""

from decimal import ROUND_HALF_UP, Decimal


def to_decimal(value):
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_money(amount, rounding=Decimal("0.01")):
    """``amount`` rounded half-up to a multiple of ``rounding`` (0.01, or 1 for IDR-style cash)."""
    rounding = to_decimal(rounding)
    return (to_decimal(amount) / rounding).quantize(Decimal(1), rounding=ROUND_HALF_UP) * rounding
