# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""Late fees: a fixed amount, a percentage of the overdue amount, or both, within
an optional minimum and maximum. Charged once per overdue invoice (the dunning
step that applies it is done only once)."""

from dataclasses import dataclass
from decimal import Decimal

from .money import round_money, to_decimal


@dataclass(frozen=True)
class LateFeePolicy:
    fixed: Decimal = Decimal(0)
    percent: Decimal = Decimal(0)
    minimum: Decimal | None = None
    maximum: Decimal | None = None

    def __post_init__(self):
        for name in ("fixed", "percent", "minimum", "maximum"):
            value = getattr(self, name)
            if value is not None and to_decimal(value) < 0:
                raise ValueError(f"late fee {name} cannot be negative")
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValueError("the late fee minimum is above its maximum")


def late_fee(policy, overdue_amount, rounding=Decimal("0.01")):
    """The fee for an invoice with ``overdue_amount`` left to pay (0 when nothing is due)."""
    overdue = to_decimal(overdue_amount)
    if overdue <= 0:
        return Decimal(0)
    fee = to_decimal(policy.fixed) + overdue * to_decimal(policy.percent) / 100
    if policy.minimum is not None:
        fee = max(fee, to_decimal(policy.minimum))
    if policy.maximum is not None:
        fee = min(fee, to_decimal(policy.maximum))
    return round_money(fee, rounding)
