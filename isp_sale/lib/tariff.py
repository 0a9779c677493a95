# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""The tariff builder's rule: from a prospect's needs, the plan to offer and its price.

1. **Speed**: ``MBPS_PER_USER`` Mbit/s of download per user (video calls and HD streaming
   at the same time), never less than ``MIN_MBPS``. Plans slower than that are left out.
2. **Monthly traffic**: a plan whose data cap is below the expected traffic costs its
   overage price per GB beyond the cap; without an overage price it would slow down to
   its fair-usage speed, so it is left out. Unlimited plans (cap 0) cost nothing more.
3. **Options**: a static IP is included by static-IP plans, otherwise it is the static IP
   add-on's price (plans without it are left out when no add-on is sold); other add-ons
   cost the same on every plan.
4. The plan with the **lowest monthly cost** wins; at equal cost, the faster one.
   When no plan is fast enough, the fastest plan is offered, and the reasons say so.
5. **Contract**: monthly, or yearly with ``yearly_discount_percent`` off the recurring price
   (plan, static IP, add-ons; not the overage estimate) for the 12 months. The installation fee is the plan's, charged once.

Money is ``Decimal``, rounded to ``rounding`` (the currency's).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

MBPS_PER_USER = 4
MIN_MBPS = 5
YEAR_MONTHS = 12


@dataclass(frozen=True)
class Plan:
    key: object
    name: str
    price: Decimal  # per month
    download_mbps: float
    data_cap_gb: float = 0  # 0: unlimited
    overage_price_per_gb: Decimal = Decimal(0)
    static_ip_included: bool = False
    installation_fee: Decimal = Decimal(0)


@dataclass(frozen=True)
class Needs:
    users: int
    traffic_gb: float
    contract: str = "monthly"  # or "yearly"
    yearly_discount_percent: Decimal = Decimal(0)
    static_ip: bool = False
    static_ip_price: Decimal | None = None  # None: no static IP add-on sold
    addons_price: Decimal = Decimal(0)  # per month, every plan alike


@dataclass(frozen=True)
class Reason:
    code: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Offer:
    plan: Plan
    monthly_cost: Decimal  # plan + overage + static IP + add-ons, before any discount
    overage: Decimal
    static_ip: Decimal


@dataclass(frozen=True)
class Recommendation:
    offer: Offer
    contract_months: int
    discount_percent: Decimal
    monthly_price: Decimal  # what a month costs under the contract
    contract_price: Decimal  # the whole contract (one month for a monthly one)
    installation_fee: Decimal
    reasons: tuple
    alternatives: tuple  # the other fitting offers, cheapest first


def _round(amount, rounding):
    return (Decimal(amount) / rounding).quantize(Decimal(1), rounding=ROUND_HALF_UP) * rounding


def needed_mbps(users):
    return max(MIN_MBPS, max(int(users), 1) * MBPS_PER_USER)


def offer(plan, needs, rounding=Decimal("0.01")):
    """The plan's :class:`Offer` for these needs, or None if it cannot serve them (speed aside)."""
    overage = Decimal(0)
    if plan.data_cap_gb and needs.traffic_gb > plan.data_cap_gb:
        if not plan.overage_price_per_gb:
            return None
        overage = _round(
            Decimal(str(needs.traffic_gb - plan.data_cap_gb)) * plan.overage_price_per_gb, rounding
        )
    static_ip = Decimal(0)
    if needs.static_ip and not plan.static_ip_included:
        if needs.static_ip_price is None:
            return None
        static_ip = Decimal(needs.static_ip_price)
    cost = Decimal(plan.price) + overage + static_ip + Decimal(needs.addons_price)
    return Offer(plan, _round(cost, rounding), overage, static_ip)


def recommend(plans, needs, rounding=Decimal("0.01")):
    """The :class:`Recommendation` for ``needs`` among ``plans``, or None without any plan
    that can serve them."""
    if needs.users < 1:
        raise ValueError("a prospect has at least one user")
    if needs.traffic_gb < 0:
        raise ValueError("the expected traffic cannot be negative")
    if needs.contract not in ("monthly", "yearly"):
        raise ValueError("the contract is monthly or yearly")
    rounding = Decimal(rounding)
    speed = needed_mbps(needs.users)
    offers = [o for o in (offer(plan, needs, rounding) for plan in plans) if o]
    if not offers:
        return None
    fast = [o for o in offers if o.plan.download_mbps >= speed]
    reasons = []
    if fast:
        ranked = sorted(fast, key=lambda o: (o.monthly_cost, -o.plan.download_mbps))
        best = ranked[0]
        reasons.append(
            Reason(
                "speed",
                {
                    "users": needs.users,
                    "needed": speed,
                    "speed": best.plan.download_mbps,
                    "fitting": len(fast),
                },
            )
        )
    else:
        ranked = sorted(offers, key=lambda o: (-o.plan.download_mbps, o.monthly_cost))
        best = ranked[0]
        reasons.append(
            Reason("too_slow", {"users": needs.users, "needed": speed, "speed": best.plan.download_mbps})
        )
    plan = best.plan
    if not plan.data_cap_gb:
        reasons.append(Reason("unlimited", {"traffic": needs.traffic_gb}))
    elif best.overage:
        reasons.append(
            Reason("overage", {"traffic": needs.traffic_gb, "cap": plan.data_cap_gb, "overage": best.overage})
        )
    else:
        reasons.append(Reason("within_cap", {"traffic": needs.traffic_gb, "cap": plan.data_cap_gb}))
    if needs.static_ip:
        if plan.static_ip_included:
            reasons.append(Reason("static_ip_included"))
        else:
            reasons.append(Reason("static_ip_addon", {"price": best.static_ip}))
    if len(ranked) > 1:
        reasons.append(
            Reason(
                "cheaper_than",
                {"next": ranked[1].plan.name, "difference": ranked[1].monthly_cost - best.monthly_cost},
            )
        )
    if needs.contract == "yearly":
        months, discount = YEAR_MONTHS, Decimal(needs.yearly_discount_percent)
        # The discount is on the recurring price, never on the overage estimate.
        recurring = best.monthly_cost - best.overage
        discounted = _round(recurring * (1 - discount / 100), rounding) + best.overage
        contract_price = discounted * months
        reasons.append(
            Reason(
                "yearly",
                {"discount": discount, "saving": (best.monthly_cost - discounted) * months},
            )
        )
    else:
        months, discount, discounted = 1, Decimal(0), best.monthly_cost
        contract_price = discounted
    return Recommendation(
        offer=best,
        contract_months=months,
        discount_percent=discount,
        monthly_price=discounted,
        contract_price=contract_price,
        installation_fee=Decimal(plan.installation_fee),
        reasons=tuple(reasons),
        alternatives=tuple(ranked[1:]),
    )
