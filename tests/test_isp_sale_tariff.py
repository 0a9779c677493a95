# Copyright 2026 ISP Odoo Contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

"""isp_sale/lib/tariff.py: the tariff builder's plan and price for several prospects."""

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from isp_sale.lib.tariff import Needs, Plan, needed_mbps, recommend

PLANS = [
    Plan(
        "home10",
        "Home 10",
        D(166500),
        10,
        data_cap_gb=300,
        overage_price_per_gb=D(5000),
        installation_fee=D(250000),
    ),
    Plan("home20", "Home 20", D(250000), 20, installation_fee=D(250000)),
    Plan("family50", "Family 50", D(450000), 50, installation_fee=D(250000)),
    Plan("biz50", "Business 50", D(900000), 50, static_ip_included=True, installation_fee=D(500000)),
    Plan("capped100", "Capped 100", D(300000), 100, data_cap_gb=200),  # throttled beyond its cap
]


def codes(recommendation):
    return [reason.code for reason in recommendation.reasons]


def test_a_single_light_user_gets_the_cheapest_plan_within_its_cap():
    r = recommend(PLANS, Needs(users=1, traffic_gb=100))
    assert r.offer.plan.key == "home10"
    assert (r.monthly_price, r.contract_price, r.installation_fee) == (D(166500), D(166500), D(250000))
    assert codes(r) == ["speed", "within_cap", "cheaper_than"]
    assert r.reasons[0].values == {"users": 1, "needed": 5, "speed": 10, "fitting": 5}


def test_heavy_traffic_makes_the_unlimited_plan_cheaper():
    # Home 10 would cost 166,500 + 200 GB x 5,000 = 1,166,500; Capped 100 slows down beyond 200 GB.
    r = recommend(PLANS, Needs(users=2, traffic_gb=500))
    assert r.offer.plan.key == "home20"
    assert "unlimited" in codes(r)
    assert [o.plan.key for o in r.alternatives] == ["family50", "biz50", "home10"]


def test_a_family_needs_speed():
    r = recommend(PLANS, Needs(users=6, traffic_gb=150))  # 24 Mbit/s
    assert r.offer.plan.key == "capped100"
    assert r.reasons[0].values["needed"] == 24


def test_a_shop_with_a_static_ip_and_a_yearly_contract():
    needs = Needs(
        users=10,
        traffic_gb=800,
        contract="yearly",
        yearly_discount_percent=D(10),
        static_ip=True,
        static_ip_price=D(100000),
        addons_price=D(50000),
    )
    r = recommend(PLANS, needs)  # 40 Mbit/s: Family 50 + static IP 550,000 < Business 50
    assert r.offer.plan.key == "family50"
    assert r.offer.monthly_cost == D(600000)
    assert (r.contract_months, r.discount_percent) == (12, D(10))
    assert r.monthly_price == D(540000)
    assert r.contract_price == D(6480000)
    assert codes(r) == ["speed", "unlimited", "static_ip_addon", "cheaper_than", "yearly"]
    assert r.reasons[-1].values["saving"] == D(720000)


def test_static_ip_without_an_add_on_needs_a_static_ip_plan():
    r = recommend(PLANS, Needs(users=3, traffic_gb=100, static_ip=True))
    assert r.offer.plan.key == "biz50"
    assert "static_ip_included" in codes(r)


def test_nobody_fast_enough_gets_the_fastest_plan_and_is_told():
    r = recommend(PLANS, Needs(users=40, traffic_gb=100))  # 160 Mbit/s
    assert r.offer.plan.key == "capped100"
    assert codes(r)[0] == "too_slow"


def test_no_plan_at_all():
    assert recommend([], Needs(users=1, traffic_gb=10)) is None
    assert recommend(PLANS[4:], Needs(users=1, traffic_gb=1000)) is None


def test_bad_needs_are_refused():
    for needs in (
        Needs(users=0, traffic_gb=1),
        Needs(users=1, traffic_gb=-1),
        Needs(1, 1, contract="weekly"),
    ):
        with pytest.raises(ValueError):
            recommend(PLANS, needs)


def test_needed_speed():
    assert [needed_mbps(users) for users in (1, 2, 5)] == [5, 8, 20]


@given(
    users=st.integers(min_value=1, max_value=50),
    traffic=st.floats(min_value=0, max_value=5000),
    yearly=st.booleans(),
    discount=st.integers(min_value=0, max_value=50),
)
def test_the_recommendation_is_the_cheapest_fitting_offer(users, traffic, yearly, discount):
    needs = Needs(users, traffic, "yearly" if yearly else "monthly", D(discount))
    r = recommend(PLANS, needs, rounding=D(1))
    assert r is not None
    fitting = [o for o in (r.offer, *r.alternatives) if o.plan.download_mbps >= needed_mbps(users)]
    if fitting:
        assert r.offer.monthly_cost == min(o.monthly_cost for o in fitting)
    assert r.monthly_price <= r.offer.monthly_cost
    assert r.contract_price == r.monthly_price * r.contract_months
